//! `calmdesk check [--db PATH]`: opens the database as the app would and reports whether SQLite
//! finds it sound, its schema version, and how much it holds.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use crate::store::Store;

/// Checks the database at `path` and writes a one-line report to `out`.
pub fn run(path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    let store = Store::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    store
        .integrity_check()
        .with_context(|| format!("{} is damaged", path.display()))?;
    let overviews = store.client_overviews()?;
    let entries: u64 = overviews
        .iter()
        .map(|overview| overview.exchange_count)
        .sum();
    writeln!(
        out,
        "ok: {} — schema v{}, {} clients, {} journal entries",
        path.display(),
        store.schema_version()?,
        overviews.len(),
        entries
    )?;
    Ok(())
}
