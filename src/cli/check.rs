//! `calmdesk check [--db PATH]`: says what a database file is — calmdesk's or not, its schema
//! version, whether SQLite finds it sound, how much it holds, whether its evidence chains hold,
//! when it was last backed up — and changes nothing, ever: no
//! migration, no WAL switch, no side files, no lock (`Store::open_untouched`). Exit 0 only when
//! all is well.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use crate::store::migrations::LATEST_VERSION;
use crate::store::{Store, Unsettled};

/// Checks the database at `path` and writes a report to `out`. An error means "not well".
pub fn run(path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    // Side files that only a write can settle: said, and nothing opened.
    match crate::store::unsettled(path) {
        Some(Unsettled::HotJournal(journal)) => anyhow::bail!(
            "{} has an unfinished transaction in {} (a crash while writing); calmdesk rolls it \
             back when it next opens the file. Not checked further; nothing was changed.",
            path.display(),
            journal.display()
        ),
        Some(Unsettled::LogWithoutIndex(log)) => anyhow::bail!(
            "{} has changes in its log {} without the log's index (-shm) beside it; reading them \
             would make one, so calmdesk folds them in when it next opens the file. Not checked \
             further; nothing was changed.",
            path.display(),
            log.display()
        ),
        None => {}
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
    let chains = chains_line(&store, version)?;
    let backup = match store.backups()?.first() {
        Some(newest) => format!(
            "last backup {}",
            newest.taken_at.format("%Y-%m-%d %H:%M UTC")
        ),
        None => "no backup yet".to_owned(),
    };
    writeln!(
        out,
        "ok: {} — calmdesk database, schema v{version}{upgrade}, integrity ok, {}, {}, {}; {chains}; {backup}",
        path.display(),
        super::counted("{n} client|{n} clients", counts.clients),
        super::counted("{n} journal entry|{n} journal entries", counts.entries),
        super::counted("{n} cool-down|{n} cool-downs", counts.cooldowns),
    )?;
    Ok(())
}

/// The schema version that brought the evidence chain (migration 5).
const CHAINED_SINCE: u32 = 5;

/// Whether every client's chain holds; an error names the first that does not.
fn chains_line(store: &Store, version: u32) -> anyhow::Result<String> {
    if version < CHAINED_SINCE {
        return Ok("no evidence chain yet (made when calmdesk upgrades it)".to_owned());
    }
    let reports = store.verify_chains()?;
    if let Some((report, broken)) = reports
        .iter()
        .find_map(|report| report.result.as_ref().err().map(|broken| (report, broken)))
    {
        anyhow::bail!(
            "the evidence chain of {:?} does not hold: {broken}",
            report.client_name
        );
    }
    Ok(format!(
        "evidence chains hold ({})",
        super::counted("{n} client|{n} clients", reports.len())
    ))
}
