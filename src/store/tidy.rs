//! Keeping the search index in few pieces. FTS5 keeps its index as a stack of segments — each
//! flush of new text writes one, and `automerge` merges them as they pile up — and looks every
//! asked word up in each of them. A search asks a Russian word as every form the index holds
//! (`store::search`), so on a file written in large batches (an import, years of mail, the
//! generator) the segments, not the matches, are what a search costs: at a million entries a
//! two-word Russian query missed its 2 ms, and the same query on one segment took a tenth.
//!
//! A tidy merges the segments with FTS5's own `'merge'` command, a few hundred pages a step,
//! each step its own short write transaction: a save waits at most one step, an interrupted
//! tidy (the window closed) loses only the step under way, and the next one goes on from the
//! merge FTS5 keeps in the file. When the index is in many pieces all of them are merged into
//! one; otherwise only pieces of equal size are (`usermerge` 2), which costs little. In the app
//! it runs on a thread and connection of its own ([`IndexTidy`]), once the file is known sound.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use rusqlite::{InterruptHandle, OptionalExtension as _};

use super::{Store, StoreError, StoreResult};

/// Pages a merge step writes: 30–80 ms of work at a million entries (2 MB), so a save
/// behind it hardly waits.
const STEP_PAGES: i64 = 500;

/// More segments than this and a tidy merges them all into one. Each segment costs every asked
/// word a lookup; an index tidied at most once per level (`usermerge` 2) stays under it for
/// hundreds of saves.
pub const MAX_SEGMENTS: usize = 8;

/// The index's structure record (`exchanges_fts_data`, rowid 10 in FTS5's format).
const STRUCTURE_ROWID: i64 = 10;

/// How the search index is laid out now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexShape {
    /// Segments a word is looked up in.
    pub segments: usize,
    /// Leaf pages of all of them: about what merging them all writes.
    pub pages: u64,
}

/// What a tidy would do to an index of this shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TidyPlan {
    /// Merge every segment into one.
    MergeAll,
    /// Merge segments of equal size only (cheap: the big ones stay).
    MergeEqual,
}

impl IndexShape {
    /// What a tidy does to an index of this shape.
    pub fn plan(self) -> TidyPlan {
        if self.segments > MAX_SEGMENTS {
            TidyPlan::MergeAll
        } else {
            TidyPlan::MergeEqual
        }
    }
}

/// Reads a varint as SQLite writes them (FTS5's structure record uses SQLite's own).
fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value: u64 = 0;
    for index in 0..9 {
        let byte = *bytes.get(*at)?;
        *at += 1;
        if index == 8 {
            return Some((value << 8) | u64::from(byte));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The shape of an index from its structure record (`fts5StructureDecode` in SQLite's
/// `fts5_index.c`): a 4-byte cookie, the version-2 mark if present, the level and segment
/// counts, a write counter, then per level the segments with their first and last leaf pages
/// (and, in version 2, five counts more). `None` for a record this reading does not know.
fn shape_of(record: &[u8]) -> Option<IndexShape> {
    const VERSION_2: [u8; 4] = [0xff, 0x00, 0x00, 0x01];
    let is_version_2 = record.get(4..8) == Some(&VERSION_2[..]);
    let mut at = if is_version_2 { 8 } else { 4 };
    let levels = varint(record, &mut at)?;
    let segments = usize::try_from(varint(record, &mut at)?).ok()?;
    varint(record, &mut at)?;
    let mut counted = 0;
    let mut pages = 0u64;
    for _ in 0..levels {
        varint(record, &mut at)?;
        let in_level = varint(record, &mut at)?;
        for _ in 0..in_level {
            varint(record, &mut at)?;
            let first = varint(record, &mut at)?;
            let last = varint(record, &mut at)?;
            if is_version_2 {
                for _ in 0..5 {
                    varint(record, &mut at)?;
                }
            }
            pages += (last + 1).checked_sub(first)?;
            counted += 1;
        }
    }
    (counted == segments && at == record.len()).then_some(IndexShape { segments, pages })
}

impl Store {
    /// How the search index is laid out now (one small read). An index FTS5 has not written a
    /// structure for yet has no segment; `None` for a structure this reading does not know (a
    /// later SQLite's): then nothing is tidied.
    pub fn index_shape(&self) -> StoreResult<Option<IndexShape>> {
        let record: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT block FROM exchanges_fts_data WHERE id = ?1",
                [STRUCTURE_ROWID],
                |row| row.get(0),
            )
            .optional()?;
        let Some(record) = record else {
            return Ok(Some(IndexShape {
                segments: 0,
                pages: 0,
            }));
        };
        Ok(shape_of(&record))
    }

    /// One step of a tidy: FTS5 merges about [`STEP_PAGES`] pages, in a transaction of its own.
    /// `false` when there was nothing left to merge.
    pub fn tidy_step(&mut self, plan: TidyPlan) -> StoreResult<bool> {
        self.tidy_step_of(plan, STEP_PAGES)
    }

    fn tidy_step_of(&mut self, plan: TidyPlan, step_pages: i64) -> StoreResult<bool> {
        let pages = match plan {
            TidyPlan::MergeAll => -step_pages,
            TidyPlan::MergeEqual => step_pages,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if plan == TidyPlan::MergeEqual {
            let usermerge: Option<i64> = tx
                .query_row(
                    "SELECT v FROM exchanges_fts_config WHERE k = 'usermerge'",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            if usermerge != Some(2) {
                tx.execute(
                    "INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('usermerge', 2)",
                    [],
                )?;
            }
        }
        let before = tx.total_changes();
        tx.execute(
            "INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('merge', ?1)",
            [pages],
        )?;
        // SQLite's documented test: a merge that changed fewer than two rows found no work.
        let worked = tx.total_changes() - before >= 2;
        tx.commit()?;
        Ok(worked)
    }

    /// Tidies the index to the end on this connection, telling `progress` the share done,
    /// from 0 to 1, after each step; `keep_going` is asked before each step. For `gen-demo`,
    /// whose file is left as the app would leave it, and for [`IndexTidy`]'s thread.
    pub fn tidy_index(
        &mut self,
        progress: impl FnMut(f32),
        keep_going: impl Fn() -> bool,
    ) -> StoreResult<()> {
        self.tidy_index_by(STEP_PAGES, progress, keep_going)
    }

    fn tidy_index_by(
        &mut self,
        step_pages: i64,
        mut progress: impl FnMut(f32),
        keep_going: impl Fn() -> bool,
    ) -> StoreResult<()> {
        let Some(shape) = self.index_shape()? else {
            return Ok(());
        };
        let plan = shape.plan();
        let mut written: u64 = 0;
        while keep_going() && self.tidy_step_of(plan, step_pages)? {
            written += step_pages.unsigned_abs();
            #[allow(clippy::cast_precision_loss)]
            let share = (written as f32 / shape.pages.max(1) as f32).min(0.99);
            progress(share);
        }
        progress(1.0);
        Ok(())
    }

    /// A second read-write connection beside the app's own, for [`IndexTidy`]: it takes no
    /// lock (the app holds the file's) and never checkpoints on close.
    fn open_tidier(path: &Path) -> StoreResult<Self> {
        let path = &super::open::plain_path(path)?;
        let mut conn = super::open::connect(path, &super::Access::ReadWrite)
            .map_err(|error| super::open::classify_open_error(path, error))?;
        super::configure(&mut conn)?;
        Ok(Self {
            conn,
            path: Some(path.to_owned()),
            access: super::Access::ReadWrite,
            _lock: None,
            is_main: false,
        })
    }
}

/// A tidy running on its own thread and connection. Dropping it interrupts the step under way
/// (rolled back: nothing is lost) and waits for the thread, so its connection is closed before
/// the app's own closes and checkpoints.
pub struct IndexTidy {
    stop: Arc<AtomicBool>,
    interrupt: Option<InterruptHandle>,
    worker: Option<thread::JoinHandle<StoreResult<()>>>,
}

impl Drop for IndexTidy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(interrupt) = &self.interrupt {
            interrupt.interrupt();
        }
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl IndexTidy {
    /// Starts tidying the file at `path` if its index needs it; `None` when it does not
    /// (nothing to merge) or a connection cannot be had. It works unseen: searches answer the
    /// same while it runs, and nothing on screen changes when it ends, so it wakes no frame.
    pub fn start_if_needed(path: &Path) -> Option<Self> {
        let mut store = Store::open_tidier(path).ok()?;
        let shape = store.index_shape().ok()??;
        if shape.segments <= 1 {
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let interrupt = store.conn.get_interrupt_handle();
        let stopped = Arc::clone(&stop);
        let worker = thread::Builder::new()
            .name("calmdesk-tidy".into())
            .spawn(move || store.tidy_index(|_| {}, || !stopped.load(Ordering::Relaxed)))
            .ok()?;
        Some(Self {
            stop,
            interrupt: Some(interrupt),
            worker: Some(worker),
        })
    }

    /// Waits for the tidy to end and says how it ended. For tests.
    pub fn wait(mut self) -> StoreResult<()> {
        match self.worker.take().map(thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(StoreError::Damaged("the index tidy stopped".into())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::SearchOrder;
    use crate::domain::{Channel, ClientId, ClientInput, Direction, ExchangeDraft, Minutes};
    use chrono::{DateTime, TimeZone, Utc};
    use std::cell::Cell;

    const WORDS: [&str; 8] = [
        "претензия претензию претензии",
        "верните деньги, деньгами",
        "refund the lawyer lawyers",
        "ещё раз про декларацию",
        "invoice invoicing overdue",
        "понедельник понедельника",
        "жалоба жалобу жалобой",
        "meeting on monday",
    ];

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    /// A file whose index FTS5 does not merge by itself (`automerge` 0), with one segment per
    /// saved entry: `entries` of them.
    fn store_in_pieces(dir: &Path, entries: usize) -> (Store, ClientId) {
        let mut store = Store::open(&dir.join("calmdesk.sqlite3")).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('automerge', 0)",
                [],
            )
            .unwrap();
        let client_id = store
            .add_client(
                &ClientInput {
                    name: "Acme".into(),
                    ..ClientInput::default()
                }
                .parse()
                .unwrap(),
                at(),
            )
            .unwrap();
        for index in 0..entries {
            save(&mut store, client_id, index);
        }
        (store, client_id)
    }

    fn save(store: &mut Store, client_id: ClientId, index: usize) {
        // Words of its own in every entry, so that the merged index spans many pages.
        let own: Vec<String> = (0..300).map(|word| format!("t{index}x{word}")).collect();
        let body = format!("{} слово {}", WORDS[index % WORDS.len()], own.join(" "));
        let draft = ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: at() + chrono::Duration::minutes(i64::try_from(index).unwrap()),
            minutes: Minutes::new(1).unwrap(),
            body,
        };
        store.add_exchange(client_id, &draft, at()).unwrap();
    }

    /// Every search of the test words, newest and best first, as ids.
    fn answers(store: &Store) -> Vec<Vec<i64>> {
        let mut all = Vec::new();
        for typed in [
            "претензия",
            "верните деньги",
            "lawyer",
            "еще",
            "inv",
            "де",
            "слово",
        ] {
            for order in [SearchOrder::Newest, SearchOrder::BestMatch] {
                let hits = store.search(typed, order, 100).unwrap();
                all.push(hits.iter().map(|hit| hit.exchange_id.0).collect());
            }
        }
        assert!(all.iter().all(|ids: &Vec<i64>| !ids.is_empty()), "{all:?}");
        all
    }

    fn segments_in_tables(store: &Store) -> usize {
        let count: i64 = store
            .conn
            .query_row(
                "SELECT count(DISTINCT segid) FROM exchanges_fts_idx",
                [],
                |row| row.get(0),
            )
            .unwrap();
        usize::try_from(count).unwrap()
    }

    fn index_is_sound(store: &Store) {
        store
            .conn
            .execute(
                "INSERT INTO exchanges_fts (exchanges_fts) VALUES ('integrity-check')",
                [],
            )
            .unwrap();
    }

    #[test]
    fn the_shape_read_from_the_structure_record_is_the_index_tables() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = store_in_pieces(dir.path(), 12);
        let shape = store.index_shape().unwrap().unwrap();
        assert_eq!(shape.segments, segments_in_tables(&store));
        assert_eq!(shape.segments, 12);
        let leaves: i64 = store
            .conn
            .query_row(
                // Leaf pages are the data rows other than the structure and averages records.
                "SELECT count(*) FROM exchanges_fts_data WHERE id > 10",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(shape.pages, u64::try_from(leaves).unwrap());
        assert_eq!(shape.plan(), TidyPlan::MergeAll);
    }

    #[test]
    fn a_tidy_merges_the_pieces_into_one_and_every_search_answers_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = store_in_pieces(dir.path(), 24);
        let before = answers(&store);
        let told = Cell::new(Vec::new());
        store
            .tidy_index_by(
                2,
                |share| {
                    let mut shares = told.take();
                    shares.push(share);
                    told.set(shares);
                },
                || true,
            )
            .unwrap();
        assert_eq!(store.index_shape().unwrap().unwrap().segments, 1);
        assert_eq!(segments_in_tables(&store), 1);
        assert_eq!(answers(&store), before);
        index_is_sound(&store);
        let shares = told.take();
        assert!(shares.len() > 2, "{shares:?}");
        assert!(
            shares.windows(2).all(|pair| pair[0] <= pair[1]),
            "{shares:?}"
        );
        assert_eq!(shares.last(), Some(&1.0));
    }

    #[test]
    fn a_tidy_stopped_midway_loses_nothing_and_the_next_one_finishes_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, client_id) = store_in_pieces(dir.path(), 24);
        let before = answers(&store);
        let steps = Cell::new(0);
        let keep_going = || {
            steps.set(steps.get() + 1);
            steps.get() <= 3
        };
        store.tidy_index_by(2, |_| {}, keep_going).unwrap();
        let midway = store.index_shape().unwrap().unwrap();
        assert!(midway.segments > 1, "{midway:?}");
        assert_eq!(answers(&store), before);
        index_is_sound(&store);

        // A save in between, then the rest.
        save(&mut store, client_id, 3);
        store.tidy_index_by(2, |_| {}, || true).unwrap();
        assert_eq!(store.index_shape().unwrap().unwrap().segments, 1);
        let after = answers(&store);
        assert_eq!(after.len(), before.len());
        for (old, new) in before.iter().zip(&after) {
            assert!(old.iter().all(|id| new.contains(id)), "{old:?} {new:?}");
        }
        index_is_sound(&store);
    }

    #[test]
    fn a_few_pieces_merge_only_with_their_equals_and_the_big_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, client_id) = store_in_pieces(dir.path(), 24);
        store.tidy_index_by(2, |_| {}, || true).unwrap();
        let merged = store.index_shape().unwrap().unwrap();
        save(&mut store, client_id, 1);
        save(&mut store, client_id, 2);
        let shape = store.index_shape().unwrap().unwrap();
        assert_eq!(shape.segments, 3);
        assert_eq!(shape.plan(), TidyPlan::MergeEqual);
        store.tidy_index(|_| {}, || true).unwrap();
        let tidied = store.index_shape().unwrap().unwrap();
        assert_eq!(
            tidied.segments, 2,
            "the two new ones merged, the big one stayed"
        );
        assert!(tidied.pages > merged.pages);
        index_is_sound(&store);
    }

    #[test]
    fn the_thread_tidies_beside_the_app_connection_and_stops_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, client_id) = store_in_pieces(dir.path(), 12);
        let path = dir.path().join("calmdesk.sqlite3");
        let tidy = IndexTidy::start_if_needed(&path).unwrap();
        // The app saves while it runs: it waits at most a step.
        save(&mut store, client_id, 5);
        tidy.wait().unwrap();
        assert!(store.index_shape().unwrap().unwrap().segments <= 2);
        index_is_sound(&store);
        // Dropped at once, it stops and leaves the index sound.
        save(&mut store, client_id, 6);
        save(&mut store, client_id, 7);
        drop(IndexTidy::start_if_needed(&path));
        index_is_sound(&store);
        assert!(
            store
                .search("meeting", SearchOrder::Newest, 10)
                .unwrap()
                .len()
                >= 2
        );
    }

    /// Set by the app connection's busy handler in the test below: it found the lock taken.
    static SAVE_WAITED: AtomicBool = AtomicBool::new(false);
    /// Set when that test's save has returned, waited or not.
    static SAVE_RETURNED: AtomicBool = AtomicBool::new(false);

    fn save_waits(_attempt: i32) -> bool {
        SAVE_WAITED.store(true, Ordering::SeqCst);
        thread::yield_now();
        true
    }

    #[test]
    fn a_save_made_while_a_tidy_step_holds_the_file_waits_for_it_and_lands() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, client_id) = store_in_pieces(dir.path(), 12);
        let mut tidier = Store::open_tidier(&dir.path().join("calmdesk.sqlite3")).unwrap();
        // A step under way: the tidier holds the write lock, and has written, when the save
        // begins. It commits only once the save has found the lock taken (the busy handler in
        // place of the timeout says so), so the two overlap every time.
        let (held_tx, held_rx) = std::sync::mpsc::channel();
        let step = thread::spawn(move || {
            let tx = tidier
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            tx.execute(
                "INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('merge', 500)",
                [],
            )
            .unwrap();
            held_tx.send(()).unwrap();
            let given_up = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while !SAVE_WAITED.load(Ordering::SeqCst)
                && !SAVE_RETURNED.load(Ordering::SeqCst)
                && std::time::Instant::now() < given_up
            {
                thread::yield_now();
            }
            tx.commit().unwrap();
        });
        held_rx.recv().unwrap();
        store.conn.busy_handler(Some(save_waits)).unwrap();
        // A save reads (the chain's head, the next row) before it writes: begun deferred, its
        // read would see the file before the step's commit, and SQLite would refuse its write.
        let draft = ExchangeDraft {
            direction: Direction::ToClient,
            channel: Channel::Email,
            occurred_at: at(),
            minutes: Minutes::new(1).unwrap(),
            body: "written while the index was being merged".into(),
        };
        let saved = store.add_exchange(client_id, &draft, at());
        SAVE_RETURNED.store(true, Ordering::SeqCst);
        step.join().unwrap();
        let exchange_id = saved.expect("the save waits for the step, then lands");
        assert!(SAVE_WAITED.load(Ordering::SeqCst), "the save met the step");
        let hits = store
            .search("merged", SearchOrder::Newest, 10)
            .unwrap()
            .iter()
            .map(|hit| hit.exchange_id)
            .collect::<Vec<_>>();
        assert_eq!(hits, vec![exchange_id]);
        index_is_sound(&store);
    }

    #[test]
    fn an_index_in_one_piece_starts_no_tidy() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = store_in_pieces(dir.path(), 1);
        assert_eq!(store.index_shape().unwrap().unwrap().segments, 1);
        assert!(IndexTidy::start_if_needed(&dir.path().join("calmdesk.sqlite3")).is_none());
    }

    #[test]
    fn a_varint_reads_as_sqlite_writes_it() {
        let mut at = 0;
        assert_eq!(varint(&[0x05], &mut at), Some(5));
        let mut at = 0;
        assert_eq!(varint(&[0x81, 0x00], &mut at), Some(128));
        assert_eq!(at, 2);
        let mut at = 0;
        assert_eq!(varint(&[0xff; 9], &mut at), Some(u64::MAX));
        let mut at = 0;
        assert_eq!(varint(&[0x81], &mut at), None);
    }

    #[test]
    fn a_structure_record_this_reading_does_not_know_gives_no_shape() {
        // Level and segment counts that disagree, and a record cut short.
        assert_eq!(shape_of(&[0, 0, 0, 1, 1, 2, 0, 0, 1, 5, 1, 3]), None);
        assert_eq!(shape_of(&[0, 0, 0, 1, 1, 1, 0, 0, 1, 5, 1]), None);
        assert_eq!(
            shape_of(&[0, 0, 0, 1, 1, 1, 0, 0, 1, 5, 1, 3]),
            Some(IndexShape {
                segments: 1,
                pages: 3
            })
        );
    }
}
