//! History, the evidence record, the archive and backups, against real files: edits keep their
//! versions, the trash survives a restart and emptying it takes the words out of the file's
//! bytes, tampering behind the app's back is named by `verify`, export → import → export gives
//! the same document, a broken file changes nothing, and backups rotate without overwriting.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

mod common;

use std::fs;
use std::path::Path;

use calmdesk::domain::archive::{self, ArchiveError};
use calmdesk::domain::cooldown::{CoolDown, Edit, StartingPoint, WaitMinutes};
use calmdesk::domain::evidence::ChainBreak;
use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{
    Channel, ClientId, ClientInput, Contract, Direction, ExchangeDraft, ExchangeId, Minutes,
    StatusChange,
};
use calmdesk::store::migrations::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};
use calmdesk::store::{ImportError, Store};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap() + Duration::minutes(minute)
}

fn entry(body: &str, minute: i64) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: at(minute),
        minutes: Minutes::new(10).unwrap(),
        body: body.into(),
    }
}

fn add_client(store: &mut Store, name: &str) -> ClientId {
    let draft = ClientInput {
        name: name.into(),
        contract_reference: "Договор № 17".into(),
        refund: "Refunds within 14 days of payment.".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    store.add_client(&draft, at(0)).unwrap()
}

fn all_hold(store: &Store) -> bool {
    store
        .verify_chains()
        .unwrap()
        .iter()
        .all(|report| report.result.is_ok())
}

/// A database with two clients, edits, a status change, a trashed entry, a cool-down.
fn sample(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    let anna = add_client(&mut store, "Анна Кравцова");
    let derek = add_client(&mut store, "Derek Hale");
    let first = store
        .add_exchange(anna, &entry("Где отчёт за февраль?", 1), at(1))
        .unwrap();
    store
        .add_exchange(anna, &entry("Вы обещали к пятнице.", 2), at(2))
        .unwrap();
    store
        .update_exchange(first, &entry("Где отчёт за февраль?!", 1), at(3))
        .unwrap();
    let message = store
        .add_exchange(
            derek,
            &entry("You people are scammers. Refund me by Friday.", 4),
            at(4),
        )
        .unwrap();
    let gone = store
        .add_exchange(derek, &entry("A note I regret", 5), at(5))
        .unwrap();
    store.delete_exchange(gone, at(6)).unwrap();
    store
        .change_client_status(
            derek,
            &StatusChange::End {
                reason: "Threats".into(),
            },
            at(7),
        )
        .unwrap();
    let mut cooldown = CoolDown::start(
        derek,
        message,
        "You people are scammers. Refund me by Friday.",
        at(4),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &Contract::default(),
        },
    );
    store.add_cooldown(&mut cooldown, at(4)).unwrap();
    let _ = cooldown.apply(Edit::Advance, at(30)).unwrap();
    store.save_cooldown(&cooldown, at(30)).unwrap();
    store.set_setting("cooldown.wait_minutes", "25").unwrap();
    store
}

#[test]
fn an_edit_keeps_what_the_entry_said_before_with_its_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Acme");
    let id = store
        .add_exchange(client, &entry("First words", 1), at(1))
        .unwrap();
    store
        .update_exchange(id, &entry("Second words", 2), at(2))
        .unwrap();
    store
        .update_exchange(id, &entry("Third words", 3), at(3))
        .unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.exchange(id).unwrap().body, "Third words");
    let versions = store.versions_of(id).unwrap();
    let bodies: Vec<&str> = versions
        .iter()
        .map(|version| version.body.as_str())
        .collect();
    assert_eq!(bodies, ["First words", "Second words"]);
    assert_eq!(versions[0].written_at, at(1));
    assert_eq!(versions[0].replaced_at, at(2));
    assert_eq!(versions[1].replaced_at, at(3));
    assert_eq!(versions[0].seq, 1);
    assert_eq!(versions[1].seq, 2);
    assert!(all_hold(&store));
    assert_eq!(
        store.verify_chains().unwrap()[0].result,
        Ok(3),
        "three links: the entry and its two edits"
    );
}

#[test]
fn an_unchanged_save_writes_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let client = add_client(&mut store, "Acme");
    let id = store
        .add_exchange(client, &entry("Same", 1), at(1))
        .unwrap();
    store.update_exchange(id, &entry("Same", 1), at(2)).unwrap();
    assert!(store.versions_of(id).unwrap().is_empty());
}

#[test]
fn the_trash_survives_a_restart_and_restores_the_entry_with_its_versions_and_its_cooldown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let (id, cooldown_id) = {
        let mut store = Store::open(&path).unwrap();
        let client = add_client(&mut store, "Derek");
        let id = store
            .add_exchange(client, &entry("Refund me now", 1), at(1))
            .unwrap();
        store
            .update_exchange(id, &entry("Refund me now!", 1), at(2))
            .unwrap();
        let mut cooldown = CoolDown::start(
            client,
            id,
            "Refund me now!",
            at(2),
            WaitMinutes::DEFAULT,
            StartingPoint {
                kind: None,
                contract: &Contract::default(),
            },
        );
        let cooldown_id = store.add_cooldown(&mut cooldown, at(2)).unwrap();
        store.delete_exchange(id, at(3)).unwrap();
        assert!(store.exchange_summaries(client).unwrap().is_empty());
        assert!(
            store
                .search("refund", SearchOrder::Newest, 10)
                .unwrap()
                .is_empty(),
            "a trashed entry is not found by search"
        );
        (id, cooldown_id)
    };

    let mut store = Store::open(&path).unwrap();
    let trash = store.trash().unwrap();
    assert_eq!(trash.len(), 1, "the trash survives a restart");
    assert_eq!(trash[0].exchange.body, "Refund me now!");
    assert_eq!(trash[0].trashed_at, at(3));
    assert_eq!(trash[0].versions, 1);
    assert_eq!(store.cooldown(cooldown_id).unwrap().exchange_id(), None);
    assert!(all_hold(&store), "a trashed entry keeps its links");

    // A new entry never takes the trashed one's id.
    let client = trash[0].exchange.client_id;
    let newer = store
        .add_exchange(client, &entry("Later", 4), at(4))
        .unwrap();
    assert!(newer.0 > id.0);

    store.restore_from_trash(id).unwrap();
    assert!(store.trash().unwrap().is_empty());
    assert_eq!(store.exchange(id).unwrap().body, "Refund me now!");
    assert_eq!(store.versions_of(id).unwrap().len(), 1);
    assert_eq!(
        store
            .search("refund", SearchOrder::Newest, 10)
            .unwrap()
            .len(),
        1,
        "a restored entry is found again"
    );
    let summary = store
        .open_cooldowns(None)
        .unwrap()
        .into_iter()
        .find(|summary| summary.cooldown_id == cooldown_id);
    assert!(summary.is_some());
    let linked: Option<i64> = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT exchange_id FROM cooldowns WHERE cooldown_id = ?1",
            [cooldown_id.0],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        linked,
        Some(id.0),
        "the cool-down is linked to its message again"
    );
    assert!(all_hold(&store));
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

fn bytes_beside(path: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(bytes) = fs::read(&name) {
            all.extend(bytes);
        }
    }
    all
}

#[test]
fn emptying_the_trash_takes_the_words_out_of_the_files_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let secret_en = "Quixotically-unforgettable-Zanzibar";
    let secret_ru = "Шушпанчиковедение";
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Derek");
    // Enough other text that the words share index pages with what stays.
    for index in 0..200 {
        store
            .add_exchange(
                client,
                &entry(
                    &format!("Ordinary message number {index} about the invoice"),
                    index,
                ),
                at(index),
            )
            .unwrap();
    }
    let id = store
        .add_exchange(
            client,
            &entry(&format!("First draft: {secret_en}"), 300),
            at(300),
        )
        .unwrap();
    store
        .update_exchange(
            id,
            &entry(
                &format!("{secret_en} and {secret_ru} — the second version"),
                300,
            ),
            at(301),
        )
        .unwrap();
    // A cool-down about the entry keeps its own copy of the message.
    let mut cooldown = CoolDown::start(
        client,
        id,
        &format!("{secret_en} and {secret_ru} — the second version"),
        at(301),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &Contract::default(),
        },
    );
    let cooldown_id = store.add_cooldown(&mut cooldown, at(301)).unwrap();
    assert!(contains(&bytes_beside(&path), secret_en));
    store.delete_exchange(id, at(302)).unwrap();
    assert_eq!(
        store.empty_trash(at(303)).unwrap(),
        (1, vec![cooldown_id]),
        "the entry and the cool-down about it"
    );
    assert!(
        store.cooldown(cooldown_id).is_err(),
        "the cool-down is erased"
    );
    assert!(store.trash().unwrap().is_empty());
    assert!(all_hold(&store), "the erased links keep the chain whole");
    assert!(
        !contains(&bytes_beside(&path), secret_en) && !contains(&bytes_beside(&path), secret_ru),
        "the words are gone from the file and its WAL while it is open"
    );
    drop(store);
    let bytes = bytes_beside(&path);
    assert!(!contains(&bytes, secret_en), "the English words are gone");
    assert!(!contains(&bytes, secret_ru), "the Russian words are gone");
    assert!(
        contains(&bytes, "Ordinary message number 7"),
        "the check reads the real text"
    );
}

fn conn(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn first_break(path: &Path) -> ChainBreak {
    let store = Store::open(path).unwrap();
    store
        .verify_chains()
        .unwrap()
        .into_iter()
        .find_map(|report| report.result.err())
        .expect("the tampering is found")
}

/// A client with five entries; returns the database path and the entry ids, oldest first.
fn five_entries(dir: &Path) -> (std::path::PathBuf, Vec<ExchangeId>) {
    let path = dir.join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Кравцов");
    let ids = (1..=5)
        .map(|n| {
            store
                .add_exchange(client, &entry(&format!("Message {n}"), n), at(n))
                .unwrap()
        })
        .collect();
    assert!(all_hold(&store));
    (path, ids)
}

/// What is changed, how (plain SQL behind the app's back), and which entry verify must name.
type TamperCase = (
    &'static str,
    Box<dyn Fn(&rusqlite::Connection, &[ExchangeId])>,
    usize,
);

#[test]
fn tampering_with_text_time_direction_or_order_is_named_by_verify() {
    let cases: Vec<TamperCase> = vec![
        (
            "text",
            Box::new(|c, ids| {
                c.execute(
                    "UPDATE exchanges SET body = 'Message 3 (I never said that)' WHERE exchange_id = ?1",
                    [ids[2].0],
                )
                .unwrap();
            }),
            2,
        ),
        (
            "time",
            Box::new(|c, ids| {
                c.execute(
                    "UPDATE exchanges SET occurred_at = '2026-01-01T00:00:00Z' WHERE exchange_id = ?1",
                    [ids[1].0],
                )
                .unwrap();
            }),
            1,
        ),
        (
            "direction",
            Box::new(|c, ids| {
                c.execute(
                    "UPDATE exchanges SET direction = 'to_client' WHERE exchange_id = ?1",
                    [ids[3].0],
                )
                .unwrap();
            }),
            3,
        ),
        (
            "minutes",
            Box::new(|c, ids| {
                c.execute(
                    "UPDATE exchanges SET minutes = 0 WHERE exchange_id = ?1",
                    [ids[0].0],
                )
                .unwrap();
            }),
            0,
        ),
        (
            "order: two links swapped",
            Box::new(|c, ids| {
                c.execute_batch(&format!(
                    "UPDATE exchanges SET seq = 100 WHERE exchange_id = {a}; \
                     UPDATE exchanges SET seq = 2 WHERE exchange_id = {b}; \
                     UPDATE exchanges SET seq = 3 WHERE exchange_id = {a};",
                    a = ids[1].0,
                    b = ids[2].0
                ))
                .unwrap();
            }),
            2,
        ),
        (
            "an entry removed",
            Box::new(|c, ids| {
                c.execute("DELETE FROM exchanges WHERE exchange_id = ?1", [ids[1].0])
                    .unwrap();
            }),
            2,
        ),
        (
            "the last entry removed",
            Box::new(|c, ids| {
                c.execute("DELETE FROM exchanges WHERE exchange_id = ?1", [ids[4].0])
                    .unwrap();
            }),
            5,
        ),
        (
            "the record of the last link removed",
            Box::new(|c, _ids| {
                c.execute("DELETE FROM chain_heads", []).unwrap();
            }),
            5,
        ),
        (
            "the last entry removed, and the record of the last link with it",
            Box::new(|c, ids| {
                c.execute_batch(&format!(
                    "DELETE FROM exchanges WHERE exchange_id = {}; DELETE FROM chain_heads;",
                    ids[4].0
                ))
                .unwrap();
            }),
            5,
        ),
        (
            "moved to another client",
            Box::new(|c, ids| {
                c.execute_batch(&format!(
                    "INSERT INTO clients (name, created_at, updated_at, uid) VALUES \
                     ('Other', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'ffffffffffffffffffffffffffffffff'); \
                     UPDATE exchanges SET client_id = last_insert_rowid() WHERE exchange_id = {};",
                    ids[4].0
                ))
                .unwrap();
            }),
            5,
        ),
    ];
    let count = cases.len();
    for (what, tamper, index) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (path, ids) = five_entries(dir.path());
        tamper(&conn(&path), &ids);
        let broken = first_break(&path);
        let named = match broken {
            ChainBreak::ContentChanged { exchange_id, .. }
            | ChainBreak::OrderChanged { exchange_id, .. }
            | ChainBreak::Numbering { exchange_id, .. } => Some(exchange_id),
            ChainBreak::Truncated { .. } | ChainBreak::HeadMissing { .. } => None,
        };
        match named {
            Some(exchange_id) => assert_eq!(
                exchange_id, ids[index].0,
                "{what}: verify names the first entry that no longer matches ({broken})"
            ),
            None => assert_eq!(
                index, 5,
                "{what}: only a cut-off end is named by its length"
            ),
        }
        let mut report = Vec::new();
        let holds = calmdesk::cli::records::verify(&path, &mut report).expect("verify runs");
        assert!(!holds, "{what}: verify fails");
        let report = String::from_utf8(report).unwrap();
        assert!(report.contains("BROKEN: Кравцов"), "{what}: {report}");
    }
    assert_eq!(count, 10);
}

#[test]
fn a_sound_database_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    drop(sample(&path));
    let mut report = Vec::new();
    assert!(calmdesk::cli::records::verify(&path, &mut report).unwrap());
    let report = String::from_utf8(report).unwrap();
    assert!(report.contains("every chain holds (2 clients)"), "{report}");
}

#[test]
fn a_version_3_database_gets_its_chain_oldest_first_in_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        MIGRATIONS.to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO clients (name, created_at, updated_at) VALUES ('Old', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             INSERT INTO exchanges (client_id, direction, channel, occurred_at, body, created_at, updated_at)
               VALUES (1, 'from_client', 'email', '2025-01-05T10:00:00Z', 'Written second', '2025-01-05T10:00:00Z', '2025-01-05T10:00:00Z');
             INSERT INTO exchanges (client_id, direction, channel, occurred_at, body, created_at, updated_at)
               VALUES (1, 'to_client', 'email', '2025-01-02T10:00:00Z', 'Written first', '2025-01-02T10:00:00Z', '2025-01-06T10:00:00Z');
             DELETE FROM exchanges WHERE exchange_id = 99;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(store.verify_chains().unwrap()[0].result, Ok(2));
    let seqs: Vec<(String, i64)> = {
        let c = conn(&path);
        let mut statement = c
            .prepare("SELECT body, seq FROM exchanges ORDER BY seq")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        seqs,
        [
            ("Written first".to_owned(), 1),
            ("Written second".to_owned(), 2)
        ]
    );
    // New writes continue the chain.
    let client = store.client_overviews().unwrap()[0].client.client_id;
    store
        .add_exchange(client, &entry("Third", 9), at(9))
        .unwrap();
    assert_eq!(store.verify_chains().unwrap()[0].result, Ok(3));
    assert_eq!(
        store
            .search("written", SearchOrder::Newest, 10)
            .unwrap()
            .len(),
        2
    );
}

fn export_text(store: &Store) -> String {
    archive::to_text(&store.export_archive(at(100)).unwrap())
}

#[test]
fn export_import_export_gives_the_same_document_and_a_second_import_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = sample(&dir.path().join("first.sqlite3"));
    let text = export_text(&first);
    assert!(text.contains("\"format\": \"calmdesk-archive\""));
    assert!(text.contains("Где отчёт за февраль?!"));
    assert!(
        text.contains("A note I regret"),
        "the trash is exported too"
    );

    let mut second = Store::open(&dir.path().join("second.sqlite3")).unwrap();
    let parsed = archive::parse(&text).unwrap();
    let report = second.import_archive(&parsed, &mut |_, _| {}).unwrap();
    assert_eq!(report.clients_added, 2);
    assert_eq!(report.entries_added, 4);
    assert_eq!(report.versions_added, 1);
    assert_eq!(report.cooldowns_added, 1);
    assert_eq!(report.entries_rechained, 0);
    assert_eq!(
        export_text(&second),
        text,
        "export → import → export is the same"
    );
    assert!(all_hold(&second));
    assert_eq!(second.trash().unwrap().len(), 1);

    let again = second.import_archive(&parsed, &mut |_, _| {}).unwrap();
    assert_eq!(again.clients_added, 0);
    assert_eq!(again.entries_added, 0);
    assert_eq!(again.entries_skipped, 4);
    assert_eq!(again.cooldowns_added, 0);
    assert_eq!(again.history_added, 0);
    assert_eq!(export_text(&second), text, "nothing is duplicated");
}

/// The sample with what it lacks for the archive's every shape: an erased link (the trash
/// emptied, then a second entry trashed and kept there) and a client with no entries.
fn sample_in_full(path: &Path) -> Store {
    let mut store = sample(path);
    store.empty_trash(at(40)).unwrap();
    let derek = store.client_named("Derek Hale").unwrap().unwrap();
    let kept = store
        .add_exchange(derek, &entry("Trashed, not emptied", 41), at(41))
        .unwrap();
    store.delete_exchange(kept, at(42)).unwrap();
    add_client(&mut store, "Empty Co");
    store
}

fn written_archive(
    store: &Store,
    progress: &mut dyn FnMut(usize, usize),
    keep_going: &dyn Fn() -> bool,
) -> (Result<(), calmdesk::store::ArchiveWriteError>, String) {
    let mut out = Vec::new();
    let written = store.write_archive(at(100), &mut out, progress, keep_going);
    (written, String::from_utf8(out).unwrap())
}

#[test]
fn the_archive_written_as_it_is_read_is_the_archive_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_in_full(&dir.path().join("full.sqlite3"));
    let whole = store.export_archive(at(100)).unwrap();
    assert!(whole.clients.iter().any(|client| client.entries.is_empty()));
    assert!(whole.clients.iter().any(|client| !client.erased.is_empty()));
    assert!(
        whole
            .clients
            .iter()
            .flat_map(|client| &client.entries)
            .any(|entry| entry.trashed_at.is_some())
    );

    let mut told = Vec::new();
    let (written, text) =
        written_archive(&store, &mut |done, total| told.push((done, total)), &|| {
            true
        });
    written.unwrap();
    assert_eq!(text, archive::to_text(&whole));
    let entries = whole
        .clients
        .iter()
        .map(|client| client.entries.len())
        .sum();
    assert_eq!(told.len(), entries, "once an entry");
    assert_eq!(told.last(), Some(&(entries, entries)));
    assert!(
        told.windows(2).all(|pair| pair[0].0 < pair[1].0),
        "{told:?}"
    );
}

#[test]
fn an_archive_told_to_stop_stops_at_once_and_says_it_is_not_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_in_full(&dir.path().join("full.sqlite3"));
    let told = std::cell::Cell::new(0);
    let (written, text) =
        written_archive(&store, &mut |done, _| told.set(done), &|| told.get() < 2);
    assert!(matches!(
        written,
        Err(calmdesk::store::ArchiveWriteError::Stopped)
    ));
    assert_eq!(told.get(), 2, "no entry read after the stop");
    assert!(
        archive::parse(&text).is_err(),
        "what was written is no archive"
    );
}

#[test]
fn how_a_fee_is_billed_and_the_support_it_includes_travel_with_the_archive() {
    use calmdesk::domain::BillingPeriod;
    let dir = tempfile::tempdir().unwrap();
    let mut source = Store::open(&dir.path().join("source.sqlite3")).unwrap();
    let mut add = |name: &str, period: BillingPeriod, included: &str| {
        let draft = ClientInput {
            name: name.into(),
            billing_period: period,
            included_support: included.into(),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        source.add_client(&draft, at(0)).unwrap()
    };
    add("By the hour", BillingPeriod::Hour, "");
    add("One project", BillingPeriod::Project, "");
    add("Monthly plan", BillingPeriod::Month, "3 h");
    let text = export_text(&source);
    assert!(text.contains("\"billing_period\": \"hour\""), "{text}");
    assert!(text.contains("\"included_minutes\": 180"), "{text}");

    let mut target = Store::open(&dir.path().join("target.sqlite3")).unwrap();
    target
        .import_archive(&archive::parse(&text).unwrap(), &mut |_, _| {})
        .unwrap();
    let client = |name: &str| {
        let client_id = target.client_named(name).unwrap().unwrap();
        target.client(client_id).unwrap()
    };
    assert_eq!(client("By the hour").billing_period, BillingPeriod::Hour);
    assert_eq!(client("One project").billing_period, BillingPeriod::Project);
    let plan = client("Monthly plan");
    assert_eq!(plan.billing_period, BillingPeriod::Month);
    assert_eq!(
        plan.included_support
            .map(calmdesk::domain::IncludedSupport::minutes),
        Some(180)
    );
    assert_eq!(client("By the hour").included_support, None);
    assert_eq!(
        export_text(&target),
        text,
        "export → import → export is the same"
    );

    // More support than a month holds is refused by its field.
    let too_much = text.replace("\"included_minutes\": 180", "\"included_minutes\": 50000");
    match archive::parse(&too_much) {
        Err(ArchiveError::Invalid { path, .. }) => assert!(path.ends_with(".included_minutes")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_import_into_a_database_that_moved_on_merges_and_chains_the_new_entries_after_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let mut laptop = sample(&dir.path().join("laptop.sqlite3"));
    let mut desktop = Store::open(&dir.path().join("desktop.sqlite3")).unwrap();
    desktop
        .import_archive(
            &archive::parse(&export_text(&laptop)).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
    let anna_laptop = laptop.client_named("Анна Кравцова").unwrap().unwrap();
    let anna_desktop = desktop.client_named("Анна Кравцова").unwrap().unwrap();
    laptop
        .add_exchange(anna_laptop, &entry("Written on the laptop", 50), at(50))
        .unwrap();
    // First the desktop only lags behind: the laptop's new link is taken as it is.
    let report = desktop
        .import_archive(
            &archive::parse(&export_text(&laptop)).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!((report.entries_added, report.entries_rechained), (1, 0));
    assert!(all_hold(&desktop));

    // Then both write: the chains diverge.
    desktop
        .add_exchange(anna_desktop, &entry("Written on the desktop", 60), at(60))
        .unwrap();
    laptop
        .add_exchange(anna_laptop, &entry("Laptop again", 61), at(61))
        .unwrap();
    let report = desktop
        .import_archive(
            &archive::parse(&export_text(&laptop)).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!((report.entries_added, report.entries_rechained), (1, 1));
    assert!(all_hold(&desktop), "the merged chain holds");
    let bodies: Vec<String> = desktop
        .exchanges_of(anna_desktop)
        .unwrap()
        .into_iter()
        .map(|exchange| exchange.body)
        .collect();
    assert!(bodies.contains(&"Laptop again".to_owned()));
    assert!(bodies.contains(&"Written on the desktop".to_owned()));
    assert_eq!(bodies.len(), 5);
}

fn import_refused(store: &mut Store, text: &str) -> ImportError {
    let before = export_text(store);
    let error = match archive::parse(text) {
        Err(error) => ImportError::Archive(error),
        Ok(parsed) => store
            .import_archive(&parsed, &mut |_, _| {})
            .expect_err("the file is refused"),
    };
    assert_eq!(export_text(store), before, "a refused file changes nothing");
    error
}

#[test]
fn broken_foreign_and_future_files_change_nothing_and_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let source = sample(&dir.path().join("source.sqlite3"));
    let text = export_text(&source);
    let mut target = Store::open(&dir.path().join("target.sqlite3")).unwrap();
    let own = add_client(&mut target, "Already here");
    target.add_exchange(own, &entry("Kept", 1), at(1)).unwrap();

    let truncated = &text[..text.len() / 2];
    match import_refused(&mut target, truncated) {
        ImportError::Archive(ArchiveError::Malformed { line, .. }) => {
            assert_eq!(line, truncated.lines().count(), "the line where it ends");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        import_refused(&mut target, "{\"dependencies\": {}}"),
        ImportError::Archive(ArchiveError::Foreign { .. })
    ));
    assert!(matches!(
        import_refused(
            &mut target,
            &text.replace("\"version\": 1,", "\"version\": 2,")
        ),
        ImportError::Archive(ArchiveError::NewerVersion { found: 2 })
    ));
    let wrong_type = text.replacen("\"minutes\": 10", "\"minutes\": \"ten\"", 1);
    let wrong_line = wrong_type
        .lines()
        .position(|line| line.contains("\"ten\""))
        .unwrap()
        + 1;
    match import_refused(&mut target, &wrong_type) {
        ImportError::Archive(ArchiveError::Malformed { line, path, .. }) => {
            assert_eq!(line, wrong_line);
            assert!(path.ends_with(".minutes"), "{path}");
            assert!(path.starts_with("clients["), "{path}");
        }
        other => panic!("{other:?}"),
    }
    match import_refused(
        &mut target,
        &text.replacen("\"minutes\": 10", "\"minutes\": 5000", 1),
    ) {
        ImportError::Archive(ArchiveError::Invalid { path, .. }) => {
            assert!(path.ends_with(".minutes"), "{path}");
        }
        other => panic!("{other:?}"),
    }
    // A text changed in the file breaks its chain: refused, with the client named.
    match import_refused(
        &mut target,
        &text.replace("Вы обещали к пятнице.", "Я ничего не обещал."),
    ) {
        ImportError::ChainBroken { client, .. } => assert_eq!(client, "Анна Кравцова"),
        other => panic!("{other:?}"),
    }
    // The last client is broken: the first ones are not imported either.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The client with a cool-down goes last (clients are ordered by their random ids).
    let clients = value["clients"].as_array_mut().unwrap();
    let with_cooldown = clients
        .iter()
        .position(|client| !client["cooldowns"].as_array().unwrap().is_empty())
        .unwrap();
    let moved = clients.remove(with_cooldown);
    clients.push(moved);
    let last = clients.len() - 1;
    assert!(last > 0, "a client before the broken one");
    value["clients"][last]["cooldowns"][0]["record"]["step"] = "sideways".into();
    let error = import_refused(&mut target, &serde_json::to_string_pretty(&value).unwrap());
    assert!(error.to_string().contains("cooldowns[0].record"), "{error}");
    assert_eq!(target.client_overviews().unwrap().len(), 1);
}

#[test]
fn backups_rotate_never_overwrite_and_stay_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Acme");
    let folder = store.backups_folder().unwrap();
    assert_eq!(folder, dir.path().join("backups"));
    fs::create_dir(&folder).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    // A file already holding the first backup's name is never overwritten.
    let squatter = folder.join("calmdesk-20260312-100000.sqlite3");
    fs::write(&squatter, b"not mine").unwrap();
    let unrelated = folder.join("notes.txt");
    fs::write(&unrelated, b"keep me").unwrap();

    let first = store.take_backup(at(0), 3).unwrap();
    assert_eq!(
        first.path,
        folder.join("calmdesk-20260312-100000-2.sqlite3")
    );
    assert_eq!(fs::read(&squatter).unwrap(), b"not mine");
    assert_eq!(
        fs::metadata(&folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        fs::metadata(&first.path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    for day in 1..=4 {
        store
            .add_exchange(client, &entry(&format!("Day {day}"), day), at(day * 1440))
            .unwrap();
        store.take_backup(at(day * 1440), 3).unwrap();
    }
    let kept = store.backups().unwrap();
    assert_eq!(kept.len(), 3, "only the last three are kept");
    assert_eq!(kept[0].taken_at, at(4 * 1440), "newest first");
    assert!(
        unrelated.exists(),
        "other files in the folder are left alone"
    );
    assert_eq!(
        fs::read(&squatter).unwrap(),
        b"not mine",
        "a file with a backup's name that is no backup is never removed"
    );

    // Each backup is a whole, sound database with what was there when it was taken.
    let newest = Store::open(&kept[0].path).unwrap();
    newest.integrity_check().unwrap();
    assert_eq!(newest.exchanges_of(client).unwrap().len(), 4);
    drop(newest);

    // On start: at most daily.
    assert_eq!(
        store.backup_if_due(at(4 * 1440 + 60), 3).unwrap(),
        calmdesk::store::BackupOutcome::NotDue
    );
    assert!(matches!(
        store.backup_if_due(at(5 * 1440 + 1), 3).unwrap(),
        calmdesk::store::BackupOutcome::Taken(_)
    ));
}

#[test]
fn a_backup_taken_beside_the_open_app_holds_what_it_wrote_and_a_cut_copy_is_never_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Acme");
    for minute in 0..3 {
        store
            .add_exchange(
                client,
                &entry(&format!("entry {minute}"), minute),
                at(minute),
            )
            .unwrap();
    }
    let folder = store.backups_folder().unwrap();
    fs::create_dir_all(&folder).unwrap();
    // What a copy killed half-way leaves: hidden, never listed, cleared by the next backup.
    let cut = folder.join(".calmdesk.sqlite3.partial");
    fs::write(&cut, b"SQLite format 3\0 and then nothing").unwrap();
    assert!(store.backups().unwrap().is_empty());

    // The start's backup runs on a read-only connection of its own while the app holds the
    // file (its last writes still in the write-ahead log).
    let beside = Store::open_read_only(&path).unwrap();
    let taken = beside.take_backup(at(10), 3).unwrap();
    drop(beside);
    assert!(!cut.exists(), "the cut copy is gone");
    let listed = store.backups().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].path, taken.path);
    let copy = Store::open_read_only(&taken.path).unwrap();
    copy.integrity_check().unwrap();
    assert_eq!(copy.exchanges_of(client).unwrap().len(), 3);
    // The app goes on writing; the next backup has that too.
    store
        .add_exchange(client, &entry("entry 3", 20), at(20))
        .unwrap();
    let next = store.take_backup(at(1440 + 30), 3).unwrap();
    let copy = Store::open_read_only(&next.path).unwrap();
    assert_eq!(copy.exchanges_of(client).unwrap().len(), 4);
    let names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|name| !name.ends_with(".partial")),
        "{names:?}"
    );
}

#[test]
fn restoring_a_backup_sets_the_current_contents_aside_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Acme");
    store
        .add_exchange(client, &entry("Before the backup", 1), at(1))
        .unwrap();
    let backup = store.take_backup(at(2), 10).unwrap();
    store
        .add_exchange(client, &entry("After the backup", 3), at(3))
        .unwrap();

    let aside = store.restore_backup(&backup.path, at(4)).unwrap();
    let bodies: Vec<String> = store
        .exchanges_of(client)
        .unwrap()
        .into_iter()
        .map(|exchange| exchange.body)
        .collect();
    assert_eq!(bodies, ["Before the backup"]);
    assert!(all_hold(&store));
    let set_aside = Store::open(&aside).unwrap();
    assert_eq!(
        set_aside.exchanges_of(client).unwrap().len(),
        2,
        "what was there before the restore is kept"
    );
    drop(set_aside);
    drop(store);
    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.exchanges_of(client).unwrap().len(), 1);

    // A file that is not a calmdesk backup changes nothing.
    let mut store = reopened;
    let foreign = dir.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(store.restore_backup(&foreign, at(5)).is_err());
    assert_eq!(store.exchanges_of(client).unwrap().len(), 1);
}

/// An earlier version of an edited entry is evidence too: rewriting what it said, behind the
/// app's back, is named by verify like a change to the entry itself.
#[test]
fn tampering_with_an_earlier_version_of_an_entry_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = five_entries(dir.path());
    {
        let mut store = Store::open(&path).unwrap();
        store
            .update_exchange(ids[2], &entry("Message 3, corrected", 3), at(6))
            .unwrap();
        assert!(all_hold(&store), "an honest edit keeps the chain");
    }
    let changed = conn(&path)
        .execute(
            "UPDATE exchange_versions SET body = 'Message 3 (never written)' WHERE exchange_id = ?1",
            [ids[2].0],
        )
        .unwrap();
    assert_eq!(changed, 1, "the edit left one earlier version");
    let mut report = Vec::new();
    let holds = calmdesk::cli::records::verify(&path, &mut report).expect("verify runs");
    let report = String::from_utf8(report).unwrap();
    assert!(!holds, "verify fails: {report}");
    assert!(report.contains("BROKEN: Кравцов"), "{report}");
}

/// The exported record carries the marks as the user confirmed them in a cool-down: a mark she
/// added herself to a sentence is there beside that sentence's words.
#[test]
fn the_record_carries_the_marks_the_user_confirmed() {
    use calmdesk::domain::export::DocumentFormat;
    use calmdesk::reading::Label;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = add_client(&mut store, "Derek Hale");
    let text = "You people are scammers. Refund me by Friday.";
    let message = store.add_exchange(client, &entry(text, 1), at(1)).unwrap();
    let mut cooldown = CoolDown::start(
        client,
        message,
        text,
        at(1),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &Contract::default(),
        },
    );
    store.add_cooldown(&mut cooldown, at(1)).unwrap();
    let tr = calmdesk::ui::UiLanguage::English.strings();
    let document = |store: &Store| {
        calmdesk::app::record_document(store, client, DocumentFormat::Markdown, tr, at(5)).unwrap()
    };
    let line_of = |document: &str| -> String {
        document
            .lines()
            .find(|line| line.starts_with("- **") && line.contains("You people are scammers."))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        line_of(&document(&store)),
        "",
        "no confirmed reading before the cool-down reviewed it"
    );
    let _ = cooldown
        .apply(
            Edit::ToggleMark {
                sentence: 0,
                label: Label::Question,
            },
            at(2),
        )
        .unwrap();
    // Past the wait, through Vent and Facts: the reading is now what she confirmed.
    let later = at(1) + Duration::minutes(25);
    for _ in 0..3 {
        let _ = cooldown.apply(Edit::Advance, later).unwrap();
    }
    assert!(cooldown.facts_reviewed());
    store.save_cooldown(&cooldown, later).unwrap();
    let confirmed = document(&store);
    let line = line_of(&confirmed);
    assert!(
        line.contains(tr.mark_question),
        "the user's own mark: {confirmed}"
    );
    assert!(
        line.contains(tr.mark_insult),
        "the reader's mark she kept: {confirmed}"
    );
}

/// verify only reads: the folder holds exactly the same files, byte for byte, afterwards (no lock,
/// no log, no upgrade).
#[test]
fn verify_changes_nothing_in_or_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    drop(sample(&path));
    // A folder the user keeps open to others: opening the file to write would make it 0700.
    #[cfg(unix)]
    let folder_mode = || {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let before = common::folder_listing(dir.path());
    let mut report = Vec::new();
    assert!(calmdesk::cli::records::verify(&path, &mut report).unwrap());
    assert_eq!(common::folder_listing(dir.path()), before);
    #[cfg(unix)]
    assert_eq!(folder_mode(), 0o755, "the folder's mode is left as it was");
}
