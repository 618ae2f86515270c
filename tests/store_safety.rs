//! Data safety with real files and real processes (no mocks of SQLite): bad files refused with
//! every byte beside them unchanged; a hot journal recovered; a read-only file read only; the
//! `.sqlite3` file alone complete after a normal close, a search, or SIGTERM; a second process
//! told and unable to write; `calmdesk check` changing nothing; and a crash loop that kills a
//! writer with SIGKILL at random moments — also during first creation and during an upgrade —
//! and finds every acknowledged write in the file.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::migrations::{APPLICATION_ID, MIGRATIONS};
use calmdesk::store::{Access, IntegrityWatch, ReadOnlyReason, Searcher, Store, StoreError};
use chrono::{TimeZone as _, Utc};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap()
}

/// Every file under `dir`, with its size and a hash of its bytes (a link: where it points).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    let hash = |bytes: &[u8]| {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    raw_snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| (path, (bytes.len(), hash(&bytes))))
        .collect()
}

fn raw_snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            let kind = fs::symlink_metadata(&path).unwrap().file_type();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_symlink() {
                files.insert(
                    path.clone(),
                    fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A calmdesk database with one client and `entries` entries, closed (checkpointed).
fn calmdesk_file(path: &Path, entries: usize) -> Vec<String> {
    let mut store = Store::open(path).unwrap();
    let draft = ClientInput {
        name: "Acme".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&draft, now()).unwrap();
    let bodies: Vec<String> = (0..entries)
        .map(|index| format!("entry number {index} — запись номер {index}"))
        .collect();
    for body in &bodies {
        store.add_exchange(client_id, &entry(body), now()).unwrap();
    }
    bodies
}

fn entry(body: &str) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: now(),
        minutes: Minutes::new(5).unwrap(),
        body: body.into(),
    }
}

fn bodies_in(store: &Store) -> Vec<String> {
    store
        .client_overviews()
        .unwrap()
        .iter()
        .flat_map(|overview| store.exchanges_of(overview.client.client_id).unwrap())
        .map(|exchange| exchange.body)
        .collect()
}

/// A foreign SQLite file: `application_id` as given, and a table called `clients`.
fn foreign_file(path: &Path, application_id: i32) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO clients VALUES (1, 'theirs');")
        .unwrap();
    conn.pragma_update(None, "application_id", application_id)
        .unwrap();
}

/// Leaves `path` as a crash in rollback mode would: `setup` committed, then `unfinished` half
/// written into the file with its hot `-journal` beside it (a copy taken mid-transaction).
fn crashed_mid_transaction(path: &Path, setup: &str, unfinished: &str) {
    let scratch = path.with_file_name("scratch-before-crash.sqlite3");
    {
        let conn = rusqlite::Connection::open(&scratch).unwrap();
        let _: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
            .unwrap();
        conn.execute_batch(setup).unwrap();
        conn.pragma_update(None, "cache_size", 1).unwrap();
        conn.execute_batch(&format!("BEGIN; {unfinished}")).unwrap();
        let journal = side_file(&scratch, "-journal");
        assert!(journal.exists(), "the transaction spilled into the file");
        fs::copy(&scratch, path).unwrap();
        fs::copy(&journal, side_file(path, "-journal")).unwrap();
        conn.execute_batch("ROLLBACK;").unwrap();
    }
    for suffix in ["", "-journal"] {
        let _ = fs::remove_file(side_file(&scratch, suffix));
    }
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Makes the folder of `path` read-only (0500), as a mounted or shared folder may be.
fn read_only_folder(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let folder = path.parent().unwrap();
        fs::set_permissions(folder, fs::Permissions::from_mode(0o500)).unwrap();
    }
}

/// Gives the folder back to its owner, so the test can clean it up.
fn writable_folder(folder: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(folder, fs::Permissions::from_mode(0o700)).unwrap();
    }
}

/// Rows enough to spill a transaction out of a one-page cache.
const MANY_NOTES: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) \
     INSERT INTO notes SELECT i, printf('%.500c', 'x') FROM n;";

#[test]
fn bad_files_are_refused_with_their_reason_and_nothing_beside_them_changes() {
    type Make = fn(&Path);
    type Expect = fn(&StoreError) -> bool;
    let not_ours = "is not a SQLite database, or it is damaged. Nothing was changed.";
    let foreign = "is a SQLite database of another program, not calmdesk's. Nothing was changed.";
    let cases: Vec<(&str, Make, Expect, &str)> = vec![
        (
            "random bytes",
            |path| {
                fs::write(
                    path,
                    (0..5000u32)
                        .map(|i| (i * 7919 % 251) as u8)
                        .collect::<Vec<_>>(),
                )
                .unwrap();
            },
            |error| matches!(error, StoreError::NotADatabase { .. }),
            not_ours,
        ),
        (
            "a few bytes of text",
            |path| fs::write(path, b"hello").unwrap(),
            |error| matches!(error, StoreError::NotADatabase { .. }),
            not_ours,
        ),
        (
            "a SQLite header cut short",
            |path| fs::write(path, b"SQLite format 3\0\x10\x00\x01\x01").unwrap(),
            |error| matches!(error, StoreError::NotADatabase { .. }),
            not_ours,
        ),
        (
            "another program's database with a clients table",
            |path| foreign_file(path, 0),
            |error| matches!(error, StoreError::ForeignDatabase { .. }),
            foreign,
        ),
        (
            "another program's database with its own id",
            |path| foreign_file(path, 0x1234_5678),
            |error| matches!(error, StoreError::ForeignDatabase { .. }),
            foreign,
        ),
        (
            "another program's database with a hot journal",
            |path| {
                crashed_mid_transaction(
                    path,
                    &format!(
                        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); {MANY_NOTES}"
                    ),
                    "UPDATE notes SET text = text || ' changed';",
                );
            },
            |error| matches!(error, StoreError::ForeignDatabase { .. }),
            foreign,
        ),
        (
            "another program's database with a clients table and a hot journal",
            |path| {
                crashed_mid_transaction(
                    path,
                    &format!(
                        "CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT); \
                         CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); {MANY_NOTES}"
                    ),
                    "UPDATE notes SET text = text || ' changed';",
                );
            },
            |error| matches!(error, StoreError::ForeignDatabase { .. }),
            foreign,
        ),
        (
            "a database from a newer calmdesk",
            |path| {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.pragma_update(None, "application_id", APPLICATION_ID)
                    .unwrap();
                conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                    .unwrap();
            },
            |error| matches!(error, StoreError::NewerSchema { found: 99, .. }),
            "was written by a newer calmdesk (schema 99; this version reads up to",
        ),
        (
            "a folder",
            |path| fs::create_dir(path).unwrap(),
            |error| matches!(error, StoreError::Io { .. }),
            "this is a folder, not a file",
        ),
        (
            "a link to a calmdesk file",
            |path| {
                let real = path.with_file_name("real.sqlite3");
                calmdesk_file(&real, 2);
                #[cfg(unix)]
                std::os::unix::fs::symlink(&real, path).unwrap();
            },
            |error| matches!(error, StoreError::Io { .. }),
            "this is a link to another file; open the file itself",
        ),
        (
            "a calmdesk file cut short",
            |path| {
                calmdesk_file(path, 400);
                let bytes = fs::read(path).unwrap();
                fs::write(path, &bytes[..3 * 4096]).unwrap();
            },
            |error| matches!(error, StoreError::NotADatabase { .. }),
            not_ours,
        ),
        (
            "an empty file in a folder that cannot be written",
            |path| {
                fs::write(path, b"").unwrap();
                read_only_folder(path);
            },
            |error| matches!(error, StoreError::Io { .. }),
            "the file is empty and cannot be written",
        ),
    ];
    let mut tried = 0;
    for (name, make, expect, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calmdesk.sqlite3");
        make(&path);
        let before = snapshot(dir.path());
        let opened = Store::open(&path);
        let error = opened.err().unwrap_or_else(|| panic!("{name}: opened"));
        assert!(expect(&error), "{name}: {error:?}");
        let text = error.to_string();
        assert!(text.contains(says), "{name}: the message says so: {text}");
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{name}: nothing beside it changed"
        );
        writable_folder(dir.path());
        tried += 1;
    }
    assert_eq!(tried, 12);
}

/// `calmdesk --db /tmp/x.sqlite3` once made `/tmp` 0700 (found when `apt-get` could no longer
/// write its temporary files): a shared sticky folder keeps its mode; the file is still private.
#[cfg(unix)]
#[test]
fn a_shared_sticky_folder_is_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = ClientInput {
        name: "Acme".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let now = chrono::DateTime::from_timestamp(1_770_000_000, 0).unwrap();
    store.add_client(&client, now).unwrap();
    // Closed and opened again before any process can start holding its lock (see `STARTING`).
    let starting = no_process_starting();
    drop(store);
    drop(Store::open(&path).unwrap());
    drop(starting);
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode(dir.path()), 0o1777, "the shared folder");
    assert_eq!(mode(&path), 0o600, "the file in it");
}

#[test]
fn an_empty_file_becomes_a_private_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    fs::write(&path, b"").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.access(), &Access::ReadWrite);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "an existing file is made private too");
        assert_eq!(mode(dir.path()), 0o700, "and its folder");
        for side in ["-wal", "-shm", ".lock"] {
            let mut name = path.clone().into_os_string();
            name.push(side);
            let side = PathBuf::from(name);
            if side.exists() {
                assert_eq!(mode(&side), 0o600, "{}", side.display());
            }
        }
    }
}

#[test]
fn a_damaged_file_is_found_before_any_write_and_its_bytes_stay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    calmdesk_file(&path, 400);
    let mut bytes = fs::read(&path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 8 * page, "{}", bytes.len());
    for byte in &mut bytes[5 * page..7 * page] {
        *byte = 0xA5;
    }
    fs::write(&path, &bytes).unwrap();
    let mut watch = IntegrityWatch::spawn(&path);
    let verdict = watch.wait().clone();
    assert!(verdict.is_err(), "the overwritten pages are found");
    assert_eq!(fs::read(&path).unwrap(), bytes, "checking writes nothing");
}

#[test]
fn a_damaged_file_is_replaced_by_a_backup_and_kept_aside_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let bodies = calmdesk_file(&path, 400);
    let backup = Store::open(&path).unwrap().take_backup(now(), 10).unwrap();
    let mut damaged = fs::read(&path).unwrap();
    for byte in &mut damaged[5 * 4096..7 * 4096] {
        *byte = 0xA5;
    }
    fs::write(&path, &damaged).unwrap();
    // Something that is not a backup changes nothing.
    let stranger = dir.path().join("stranger.sqlite3");
    foreign_file(&stranger, 0);
    let before = raw_snapshot(dir.path());
    let refused = Store::restore_in_place_of(&path, &stranger, now());
    assert!(
        matches!(refused, Err(StoreError::ForeignDatabase { .. })),
        "{:?}",
        refused.err()
    );
    assert_eq!(
        raw_snapshot(dir.path()),
        before,
        "a refused restore changes nothing"
    );

    let later = Utc.with_ymd_and_hms(2026, 3, 13, 8, 0, 0).unwrap();
    let (store, aside) = Store::restore_in_place_of(&path, &backup.path, later).unwrap();
    assert_eq!(store.access(), &Access::ReadWrite);
    store.integrity_check().unwrap();
    assert_eq!(bodies_in(&store), bodies, "the backup's contents are back");
    assert_eq!(
        fs::read(&aside).unwrap(),
        damaged,
        "the damaged file is kept as it was"
    );
    assert!(
        aside.starts_with(dir.path().join("backups")),
        "{}",
        aside.display()
    );
    let after = raw_snapshot(dir.path());
    for (file, bytes) in &before {
        let kept = after.get(file) == Some(bytes) || (file == &path && &damaged == bytes);
        assert!(kept, "{} was changed or lost", file.display());
    }
    drop(store);
    assert!(
        !store_backups_of(&path).contains(&aside),
        "the damaged file is never taken for a backup (nor rotated out as one)"
    );
}

fn store_backups_of(path: &Path) -> Vec<PathBuf> {
    calmdesk::store::backups_beside(path)
        .unwrap()
        .into_iter()
        .map(|backup| backup.path)
        .collect()
}

#[test]
fn a_damaged_file_of_an_older_calmdesk_is_not_upgraded_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    older_database(&path);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for index in 0..400 {
            conn.execute(
                "INSERT INTO exchanges (client_id, direction, channel, occurred_at, body, created_at, updated_at) \
                 VALUES (1, 'from_client', 'email', '2026-01-01T09:00:00Z', ?1, '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z')",
                [format!("{index} {}", "old words ".repeat(20))],
            )
            .unwrap();
        }
        let _: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
            .unwrap();
    }
    let mut bytes = fs::read(&path).unwrap();
    assert!(bytes.len() > 12 * 4096, "{}", bytes.len());
    for byte in &mut bytes[6 * 4096..8 * 4096] {
        *byte = 0xA5;
    }
    fs::write(&path, &bytes).unwrap();
    let before = snapshot(dir.path());
    let opened = Store::open(&path);
    let error = opened.expect_err("a damaged file is not upgraded");
    assert!(
        matches!(&error, StoreError::DamagedFile { path: at, .. } if at == &path),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("it was not upgraded. Nothing was changed."),
        "{error}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "no backup, no migration, no lock, no mode"
    );
}

#[test]
fn a_hot_rollback_journal_is_rolled_back_not_reported_as_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let bodies = calmdesk_file(&path, 50);
    // A crash mid-transaction in rollback mode: the file half-written, its journal hot beside it.
    let crashed = dir.path().join("crashed.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let _: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
            .unwrap();
        conn.pragma_update(None, "cache_size", 1).unwrap();
        conn.execute_batch(
            "BEGIN; UPDATE exchanges SET body = body || ' changed but never committed';",
        )
        .unwrap();
        fs::copy(&path, &crashed).unwrap();
        let mut journal = path.clone().into_os_string();
        journal.push("-journal");
        let mut crashed_journal = crashed.clone().into_os_string();
        crashed_journal.push("-journal");
        assert!(
            Path::new(&journal).exists(),
            "the transaction spilled into the file and left a journal"
        );
        fs::copy(&journal, &crashed_journal).unwrap();
        conn.execute_batch("ROLLBACK;").unwrap();
    }
    let store = Store::open(&crashed).expect("a hot journal is recovered");
    assert_eq!(store.access(), &Access::ReadWrite);
    store.integrity_check().unwrap();
    assert_eq!(
        bodies_in(&store),
        bodies,
        "rolled back to what was committed"
    );
}

#[test]
fn a_crash_while_a_file_is_first_created_leaves_a_file_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    // The first transaction on an empty file, cut short after its pages (the header with them)
    // reached the file but before its journal was deleted: the journal says the file was empty.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "cache_size", 1).unwrap();
        conn.execute_batch(&format!(
            "BEGIN; CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); {MANY_NOTES}"
        ))
        .unwrap();
        let kept = dir.path().join("journal-mid-creation");
        fs::copy(side_file(&path, "-journal"), &kept).unwrap();
        conn.execute_batch("COMMIT;").unwrap();
        drop(conn);
        fs::rename(&kept, side_file(&path, "-journal")).unwrap();
    }
    let mut store = Store::open(&path).expect("a creation cut short is no one's file");
    assert_eq!(store.access(), &Access::ReadWrite);
    let draft = ClientInput {
        name: "Acme".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&draft, now()).unwrap();
    store
        .add_exchange(client_id, &entry("first"), now())
        .unwrap();
    store.integrity_check().unwrap();
    assert_eq!(bodies_in(&store), ["first"]);
}

#[test]
fn a_checkpoint_stopped_half_way_leaves_a_file_that_opens_with_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let bodies = calmdesk_file(&path, 3);
    // Writes that sit in the log only (no checkpoint), and a process that never closes.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    for index in 0..400 {
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)",
            rusqlite::params![format!("padding.{index}"), "x".repeat(2000)],
        )
        .unwrap();
    }
    std::mem::forget(conn);
    // What the checkpoint writes first: page 1, whose header counts every page, before the
    // file grows to hold them. The copy, checkpointed whole, has that page.
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("copy.sqlite3");
    fs::copy(&path, &copy).unwrap();
    fs::copy(side_file(&path, "-wal"), side_file(&copy, "-wal")).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let whole = fs::read(&copy).unwrap();
    let mut stopped = fs::read(&path).unwrap();
    assert!(
        stopped.len() < whole.len(),
        "the log holds pages the file does not"
    );
    let page = usize::from(u16::from_be_bytes([whole[16], whole[17]]));
    stopped[..page].copy_from_slice(&whole[..page]);
    fs::write(&path, &stopped).unwrap();

    let store = Store::open(&path).unwrap();
    store.integrity_check().unwrap();
    assert_eq!(bodies_in(&store), bodies);
    assert_eq!(
        store
            .setting("padding.399")
            .unwrap()
            .map(|value| value.len()),
        Some(2000)
    );
}

#[test]
fn a_read_only_file_opens_read_only_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let bodies = calmdesk_file(&path, 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    }
    let before = snapshot(dir.path());
    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.access(),
        &Access::ReadOnly(ReadOnlyReason::NotWritable)
    );
    assert_eq!(bodies_in(&store), bodies);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let refused = store.add_exchange(client_id, &entry("new"), now());
    assert!(matches!(refused, Err(StoreError::ReadOnly)), "{refused:?}");
    drop(store);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn the_file_alone_is_complete_after_a_search_and_a_normal_close() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let draft = ClientInput {
        name: "Acme".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&draft, now()).unwrap();
    let mut searcher = Searcher::spawn(&path, || {}).unwrap();
    for index in 0..30 {
        store
            .add_exchange(client_id, &entry(&format!("refund request {index}")), now())
            .unwrap();
    }
    searcher.request("refund".into(), SearchOrder::Newest, 10);
    let answer = searcher.wait_for_answer(Duration::from_secs(30)).unwrap();
    assert_eq!(answer.hits.unwrap().len(), 10);
    // The worst order: the app's connection closes while the reader is still open (the app
    // stops the reader first; this checks the checkpoint does not depend on it).
    drop(store);
    let copy_dir = tempfile::tempdir().unwrap();
    let early = copy_dir.path().join("early.sqlite3");
    fs::copy(&path, &early).unwrap();
    assert_eq!(
        bodies_in(&Store::open(&early).unwrap()).len(),
        30,
        "complete the moment the app's connection closes"
    );
    drop(searcher);
    let copy = copy_dir.path().join("copy.sqlite3");
    fs::copy(&path, &copy).unwrap();
    let copied = Store::open(&copy).expect("the file alone opens");
    assert_eq!(
        bodies_in(&copied).len(),
        30,
        "the file alone holds every entry"
    );
}

fn calmdesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_calmdesk"))
}

/// The tests of this file run on threads of one process, and some start processes. A process
/// being started holds a copy of every file this one has open until it runs its program — a
/// store's lock file too, whose lock then outlives the store's close for that moment. So every
/// start holds this, and a test that closes a store and takes its lock again holds it between.
static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn no_process_starting() -> std::sync::MutexGuard<'static, ()> {
    STARTING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `command` started while no store of this process changes hands (see [`STARTING`]).
fn started(command: &mut Command) -> Child {
    let _starting = no_process_starting();
    command.spawn().unwrap()
}

/// A writer process on `path`, its acknowledgements read as they come.
struct Writer {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Writer {
    fn start(path: &Path) -> Self {
        let mut child = started(
            calmdesk()
                .args(["__stress", "--db"])
                .arg(path)
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    /// Waits until the writer has said `what` (or ended).
    fn wait_for(&self, what: &str, seen: &mut Vec<String>) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.starts_with(what);
                    seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
    }

    fn signal(&self, signal: &str) {
        let status = started(Command::new("kill").args([signal, &self.child.id().to_string()]))
            .wait()
            .unwrap();
        assert!(status.success());
    }

    /// Ends the process and returns everything it acknowledged.
    fn finish(mut self, mut seen: Vec<String>) -> (std::process::ExitStatus, Vec<String>) {
        let status = self.child.wait().unwrap();
        seen.extend(self.lines.iter());
        (status, seen)
    }
}

/// One acknowledged write: the body it left, and whether it was an edit. (The writer edits an
/// entry at most once, so an acknowledged edit is final; an acknowledged entry may since have
/// been edited by a write that committed but died before it could say so.)
#[derive(Clone, Debug)]
struct Acked {
    body: String,
    is_edit: bool,
}

/// What the acknowledgements say the file must hold.
fn acknowledged(lines: &[String]) -> BTreeMap<i64, Acked> {
    let mut expected = BTreeMap::new();
    for line in lines {
        let mut parts = line.splitn(3, ' ');
        if let (Some(kind @ ("acked" | "edited")), Some(id), Some(body)) =
            (parts.next(), parts.next(), parts.next())
        {
            let acked = Acked {
                body: body.to_owned(),
                is_edit: kind == "edited",
            };
            expected.insert(id.parse().unwrap(), acked);
        }
    }
    expected
}

fn assert_holds(path: &Path, expected: &BTreeMap<i64, Acked>, context: &str) {
    let store = open_released(path).unwrap_or_else(|error| panic!("{context}: {error}"));
    store
        .integrity_check()
        .unwrap_or_else(|error| panic!("{context}: {error}"));
    // The evidence chain is written in each write's transaction: a crash never leaves it broken.
    for report in store
        .verify_chains()
        .unwrap_or_else(|error| panic!("{context}: {error}"))
    {
        assert!(
            report.result.is_ok(),
            "{context}: the chain of {} does not hold: {:?}",
            report.client_name,
            report.result
        );
    }
    for (id, acked) in expected {
        let found = store
            .exchange(calmdesk::domain::ExchangeId(*id))
            .unwrap_or_else(|error| panic!("{context}: entry {id} lost: {error}"));
        let later_edit = !acked.is_edit && found.body.starts_with("edited ");
        assert!(
            found.body == acked.body || later_edit,
            "{context}: entry {id}: {:?} instead of {:?}",
            found.body,
            acked.body
        );
    }
}

#[test]
fn after_sigterm_the_file_alone_holds_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let writer = Writer::start(&path);
    let mut seen = Vec::new();
    for _ in 0..25 {
        writer.wait_for("acked", &mut seen);
    }
    writer.signal("-TERM");
    let (status, seen) = writer.finish(seen);
    assert!(status.success(), "{status:?}");
    assert!(seen.iter().any(|line| line == "closed"), "{seen:?}");
    let expected = acknowledged(&seen);
    assert!(expected.len() >= 25);
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("alone.sqlite3");
    fs::copy(&path, &copy).unwrap();
    assert_holds(&copy, &expected, "the file alone after SIGTERM");
}

#[test]
fn a_second_process_is_told_the_file_is_in_use_and_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let writer = Writer::start(&path);
    let mut seen = Vec::new();
    writer.wait_for("acked", &mut seen);
    let second = Store::open(&path);
    assert!(
        matches!(second, Err(StoreError::Locked { .. })),
        "{second:?}"
    );
    let mut reader = Store::open_read_only(&path).unwrap();
    let client_id = reader.client_overviews().unwrap()[0].client.client_id;
    assert!(matches!(
        reader.add_exchange(client_id, &entry("from the second"), now()),
        Err(StoreError::ReadOnly)
    ));
    drop(reader);
    writer.signal("-TERM");
    let (status, seen) = writer.finish(seen);
    assert!(status.success());
    assert!(
        !bodies_in(&Store::open(&path).unwrap()).contains(&"from the second".to_owned()),
        "{seen:?}"
    );
}

#[test]
fn a_path_that_looks_like_a_sqlite_uri_is_only_a_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let status = started(
        calmdesk()
            .current_dir(dir.path())
            .args([
                "__stress",
                "--entries",
                "3",
                "--db",
                "file:journal.sqlite3?mode=memory",
            ])
            .stdout(Stdio::null()),
    )
    .wait()
    .unwrap();
    assert!(status.success());
    let literal = dir.path().join("file:journal.sqlite3?mode=memory");
    assert!(literal.exists(), "the file is named exactly as given");
    assert_eq!(bodies_in(&Store::open(&literal).unwrap()).len(), 3);
}

/// A small deterministic random source (the loop is the same on every run).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// `CALMDESK_CRASH_CYCLES` sets the number of cycles (the documented long run uses 1000).
fn crash_cycles() -> u64 {
    std::env::var("CALMDESK_CRASH_CYCLES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(60)
}

#[test]
fn a_writer_killed_at_random_moments_loses_no_acknowledged_write() {
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let cycles = crash_cycles();
    let dir = tempfile::tempdir().unwrap();
    let mut killed = 0;
    let mut acked_total = 0;
    for cycle in 0..cycles {
        // Every tenth cycle starts a new file: a crash during its first creation. Every tenth,
        // offset by five, starts from an older schema: a crash during the upgrade.
        let fresh = cycle % 10 == 0;
        let upgrade = cycle % 10 == 5;
        let path = dir.path().join(format!("db-{}.sqlite3", cycle / 10));
        let mut expected = if fresh {
            BTreeMap::new()
        } else {
            acknowledged_so_far(&path)
        };
        if upgrade {
            let older = dir.path().join(format!("old-{cycle}.sqlite3"));
            older_database(&older);
            expected = acknowledged_so_far(&older);
            fs::rename(&older, &path).unwrap();
            for side in ["-wal", "-shm"] {
                let mut name = path.clone().into_os_string();
                name.push(side);
                let _ = fs::remove_file(PathBuf::from(name));
            }
        }
        let writer = Writer::start(&path);
        let wait_ms = if fresh || upgrade {
            dice.roll(40)
        } else {
            dice.roll(250)
        };
        std::thread::sleep(Duration::from_millis(wait_ms));
        let _ = writer.child.id();
        let mut child = writer;
        let _ = child.child.kill();
        let (_, seen) = child.finish(Vec::new());
        killed += 1;
        let acked = acknowledged(&seen);
        acked_total += acked.len();
        expected.extend(acked);
        if path.exists() {
            assert_holds(&path, &expected, &format!("cycle {cycle}"));
        }
    }
    assert_eq!(killed, cycles);
    assert!(
        acked_total > 0,
        "the writers acknowledged writes before dying"
    );
    eprintln!("crash loop: {cycles} kills, {acked_total} acknowledged writes checked, none lost");
}

/// Opens a file a killed writer has let go of. A child that another test's thread is starting
/// holds a copy of this process's descriptors, the lock's among them, from its fork to its
/// exec; a lock this process has just released can be held that long (seen once under load:
/// `Locked` on the crash loop's file). Only `Locked` is tried again, for at most ten seconds.
fn open_released(path: &Path) -> Result<Store, StoreError> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Store::open(path) {
            Err(StoreError::Locked { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            opened => return opened,
        }
    }
}

/// What a database holds now (after a crash, as reopened): its entries, as final.
fn acknowledged_so_far(path: &Path) -> BTreeMap<i64, Acked> {
    if !path.exists() {
        return BTreeMap::new();
    }
    let store = open_released(path).unwrap();
    store
        .client_overviews()
        .unwrap()
        .iter()
        .flat_map(|overview| store.exchanges_of(overview.client.client_id).unwrap())
        .map(|exchange| {
            let acked = Acked {
                body: exchange.body,
                is_edit: true,
            };
            (exchange.exchange_id.0, acked)
        })
        .collect()
}

/// A database made by schema version 2, with a client and entries.
fn older_database(path: &Path) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    MIGRATIONS.to_version(&mut conn, 2).unwrap();
    conn.execute_batch(
        "INSERT INTO clients (client_id, name, created_at, updated_at) \
           VALUES (1, 'Old', '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z');",
    )
    .unwrap();
    for index in 0..20 {
        conn.execute(
            "INSERT INTO exchanges (client_id, direction, channel, occurred_at, body, created_at, updated_at) \
             VALUES (1, 'from_client', 'email', '2026-01-01T09:00:00Z', ?1, '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z')",
            [format!("old entry {index}")],
        )
        .unwrap();
    }
}

#[test]
fn check_changes_nothing_in_or_beside_any_file() {
    type Make = fn(&Path);
    let cases: Vec<(&str, Make, bool, &str)> = vec![
        (
            "a sound database",
            |path| drop(calmdesk_file(path, 5)),
            true,
            "ok: ",
        ),
        (
            "a database of an older calmdesk",
            older_database,
            true,
            "upgrades it to v",
        ),
        (
            "a database in rollback mode",
            |path| {
                calmdesk_file(path, 3);
                let conn = rusqlite::Connection::open(path).unwrap();
                let _: String = conn
                    .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
                    .unwrap();
            },
            true,
            "ok: ",
        ),
        (
            "a database with a hot rollback journal",
            |path| {
                let scratch = path.with_file_name("scratch.sqlite3");
                calmdesk_file(&scratch, 50);
                drop(
                    rusqlite::Connection::open(&scratch)
                        .unwrap()
                        .query_row("PRAGMA journal_mode = DELETE", [], |row| {
                            row.get::<_, String>(0)
                        })
                        .unwrap(),
                );
                let conn = rusqlite::Connection::open(&scratch).unwrap();
                conn.pragma_update(None, "cache_size", 1).unwrap();
                conn.execute_batch("BEGIN; UPDATE exchanges SET body = body || ' unfinished';")
                    .unwrap();
                fs::copy(&scratch, path).unwrap();
                fs::copy(side_file(&scratch, "-journal"), side_file(path, "-journal")).unwrap();
                conn.execute_batch("ROLLBACK;").unwrap();
                drop(conn);
                fs::remove_file(&scratch).unwrap();
            },
            false,
            "has an unfinished transaction",
        ),
        (
            "a database whose log has no index beside it",
            |path| {
                let scratch = path.with_file_name("scratch.sqlite3");
                calmdesk_file(&scratch, 3);
                let conn = rusqlite::Connection::open(&scratch).unwrap();
                conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
                conn.execute_batch("UPDATE exchanges SET body = body || ' in the log';")
                    .unwrap();
                fs::copy(&scratch, path).unwrap();
                fs::copy(side_file(&scratch, "-wal"), side_file(path, "-wal")).unwrap();
                drop(conn);
                fs::remove_file(&scratch).unwrap();
            },
            false,
            "without the log's index",
        ),
        (
            "an empty file",
            |path| fs::write(path, b"").unwrap(),
            false,
            "",
        ),
        (
            "random bytes",
            |path| fs::write(path, [7u8; 3000]).unwrap(),
            false,
            "",
        ),
        (
            "another program's database",
            |path| foreign_file(path, 0),
            false,
            "",
        ),
        (
            "a damaged database",
            |path| {
                calmdesk_file(path, 400);
                let mut bytes = fs::read(path).unwrap();
                for byte in &mut bytes[5 * 4096..7 * 4096] {
                    *byte = 0x5A;
                }
                fs::write(path, bytes).unwrap();
            },
            false,
            "",
        ),
    ];
    for (name, make, is_well, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calmdesk.sqlite3");
        make(&path);
        let before = snapshot(dir.path());
        let output = started(
            calmdesk()
                .args(["check", "--db"])
                .arg(&path)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        )
        .wait_with_output()
        .unwrap();
        assert_eq!(
            output.status.success(),
            is_well,
            "{name}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains(says), "{name}: {said}");
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{name}: check changed something"
        );
    }
}

#[test]
fn the_demo_is_not_reset_under_a_window_that_has_it_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = calmdesk::demo::demo_path(dir.path());
    let open_elsewhere =
        calmdesk::demo::create_demo_database(&path, now(), &chrono::Local).unwrap();
    let before = bodies_in(&open_elsewhere);
    let again = calmdesk::demo::create_demo_database(&path, now(), &chrono::Local);
    assert!(
        matches!(
            again,
            Err(calmdesk::demo::DemoError::Store(StoreError::Locked { .. }))
        ),
        "{:?}",
        again.err()
    );
    assert_eq!(
        bodies_in(&open_elsewhere),
        before,
        "the open demo keeps its data"
    );
    // Closed, and taken again before any process can start holding its lock (see `STARTING`).
    let _starting = no_process_starting();
    drop(open_elsewhere);
    calmdesk::demo::create_demo_database(&path, now(), &chrono::Local)
        .expect("once closed, the demo resets");
}
