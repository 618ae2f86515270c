//! `calmdesk check [--db PATH]`: says what a database file is — calmdesk's or not, its schema
//! version, whether SQLite finds it sound, how much it holds — and changes nothing, ever: no
//! migration, no WAL switch, no side files, no lock (`Store::open_untouched`). Exit 0 only when
//! all is well.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use crate::store::Store;
use crate::store::migrations::LATEST_VERSION;

/// Checks the database at `path` and writes a report to `out`. An error means "not well".
pub fn run(path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    let store =
        Store::open_untouched(path).with_context(|| format!("cannot check {}", path.display()))?;
    let version = store.schema_version()?;
    store
        .integrity_check()
        .with_context(|| format!("{} is damaged", path.display()))?;
    let counts = store.counts()?;
    let upgrade = if version < LATEST_VERSION {
        format!(" (calmdesk upgrades it to v{LATEST_VERSION} when it next opens it)")
    } else {
        String::new()
    };
    writeln!(
        out,
        "ok: {} — calmdesk database, schema v{version}{upgrade}, integrity ok, {} clients, {} journal entries, {} cool-downs",
        path.display(),
        counts.clients,
        counts.entries,
        counts.cooldowns,
    )?;
    Ok(())
}
