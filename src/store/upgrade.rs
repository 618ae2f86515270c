//! A long upgrade, told as it goes. Opening an older file copies it beside itself first and may
//! then rebuild the search index (migration 9): on a million entries that is a minute or more,
//! so [`Store::open_with_progress`](super::Store::open_with_progress) lets the caller hear how
//! far it is. The listener is kept per thread for the length of that one open (migrations run
//! synchronously on the opening thread), so nothing else ever hears it.

use std::cell::RefCell;

use rusqlite::params;

use super::StoreResult;
use super::migrations::SEARCH_KEY_OF_EXCHANGES;

/// How far an upgrade is. Sent often (every few thousand entries or pages), never after the
/// open returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeProgress {
    /// The copy of the old file (`NAME.before-vN`), in database pages.
    Backup { done: u64, total: u64 },
    /// The search index being filled, in entries.
    SearchIndex { done: u64, total: u64 },
}

type Listener = Box<dyn FnMut(UpgradeProgress)>;

thread_local! {
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// Tells the listener of this thread's open, if there is one.
pub(super) fn report(progress: UpgradeProgress) {
    // Taken out while it runs: a listener that opened a store itself would find no listener
    // rather than a borrowed one.
    let taken = LISTENER.with_borrow_mut(Option::take);
    if let Some(mut listener) = taken {
        listener(progress);
        LISTENER.with_borrow_mut(|slot| {
            if slot.is_none() {
                *slot = Some(listener);
            }
        });
    }
}

/// The listener of this thread while it lives.
pub(super) struct Listening;

impl Listening {
    pub(super) fn new(listener: impl FnMut(UpgradeProgress) + 'static) -> Self {
        LISTENER.with_borrow_mut(|slot| *slot = Some(Box::new(listener)));
        Self
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        LISTENER.with_borrow_mut(|slot| *slot = None);
    }
}

/// The backup's progress, as `rusqlite::backup` reports it.
pub(super) fn report_backup(progress: rusqlite::backup::Progress) {
    let total = u64::try_from(progress.pagecount).unwrap_or(0);
    let remaining = u64::try_from(progress.remaining).unwrap_or(0);
    report(UpgradeProgress::Backup {
        done: total.saturating_sub(remaining),
        total,
    });
}

/// How many entries go into the index between two reports.
const FILL_BATCH: usize = 5_000;

/// Fills the (empty) search index with every entry, in key order: FTS5 writes its pending terms
/// out whenever a rowid is not above the last one, so the keys go in ascending (an entry's
/// order by id is not its order by time: imports bring old dates under new ids). The keys are
/// read and sorted first (16 bytes an entry), then each text is read by id.
pub(super) fn fill_search_index(tx: &rusqlite::Transaction<'_>) -> StoreResult<()> {
    let mut keys: Vec<(i64, i64)> = tx
        .prepare(&format!(
            "SELECT {SEARCH_KEY_OF_EXCHANGES}, exchange_id FROM exchanges"
        ))?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    keys.sort_unstable();
    let total = keys.len() as u64;
    report(UpgradeProgress::SearchIndex { done: 0, total });
    let mut insert = tx.prepare(
        "INSERT INTO exchanges_fts (rowid, body) SELECT ?1, body FROM exchanges WHERE exchange_id = ?2",
    )?;
    let mut done = 0;
    for batch in keys.chunks(FILL_BATCH) {
        for &(key, exchange_id) in batch {
            insert.execute(params![key, exchange_id])?;
        }
        done += batch.len() as u64;
        report(UpgradeProgress::SearchIndex { done, total });
    }
    Ok(())
}
