//! Newest-first search is the search index's own order (migration 9: its rowid is each entry's
//! time above its id). These tests hold it to the journal's order — (time desc, id desc) — through
//! everything that moves an entry in time or in and out of the index: imports of old mail under
//! new ids, edited dates, the trash and its restore, an upgrade of an older file; and they check
//! that emptying the trash still takes the words out of the file.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/drafts.rs"]
mod drafts;

use std::cell::RefCell;
use std::rc::Rc;

use calmdesk::domain::search::{RANKED_CANDIDATES, SearchOrder};
use calmdesk::domain::{ClientId, ExchangeId};
use calmdesk::store::migrations::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};
use calmdesk::store::{Store, UpgradeProgress};
use chrono::{DateTime, TimeZone, Utc};
use drafts::{client, entry};

fn at(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, 0, 0).unwrap()
}

/// The ids of every entry whose text has `word`, in the journal's order: time desc, id desc.
fn journal_order(store: &Store, clients: &[ClientId], word: &str) -> Vec<ExchangeId> {
    let mut entries: Vec<_> = clients
        .iter()
        .flat_map(|&client_id| store.exchanges_of(client_id).unwrap())
        .filter(|exchange| exchange.body.contains(word))
        .map(|exchange| (exchange.occurred_at, exchange.exchange_id))
        .collect();
    entries.sort_by(|a, b| b.cmp(a));
    entries.into_iter().map(|(_, id)| id).collect()
}

fn newest(store: &Store, query: &str, limit: usize) -> Vec<ExchangeId> {
    store
        .search(query, SearchOrder::Newest, limit)
        .unwrap()
        .iter()
        .map(|hit| hit.exchange_id)
        .collect()
}

/// Newest first is exactly the journal's order, whole and cut at any limit, and best match
/// finds the same entries.
fn assert_in_journal_order(store: &Store, clients: &[ClientId], word: &str) {
    let expected = journal_order(store, clients, word);
    assert!(!expected.is_empty());
    assert_eq!(newest(store, word, expected.len() + 10), expected);
    for limit in [1, 2, 5] {
        assert_eq!(
            newest(store, word, limit),
            expected[..limit.min(expected.len())]
        );
    }
    // Best match ranks every match, or the newest `RANKED_CANDIDATES` and says so.
    let results = store
        .search_results(word, SearchOrder::BestMatch, expected.len() + 10)
        .unwrap();
    let mut ranked: Vec<ExchangeId> = results.hits.iter().map(|hit| hit.exchange_id).collect();
    ranked.sort();
    let mut candidates = expected[..expected.len().min(RANKED_CANDIDATES)].to_vec();
    candidates.sort();
    assert_eq!(ranked, candidates, "best match ranks the newest matches");
    assert_eq!(
        results.ranked_within,
        (expected.len() > RANKED_CANDIDATES).then_some(RANKED_CANDIDATES)
    );
}

#[test]
fn newest_first_follows_time_through_imports_edits_and_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let now = at(2026, 3, 1, 9);
    let mut store = Store::open(&dir.path().join("calmdesk.sqlite3")).unwrap();
    let acme = store.add_client(&client("Acme"), now).unwrap();
    let romashka = store.add_client(&client("Ромашка"), now).unwrap();
    // Acme's entries go back in time as their ids grow; Ромашка's interleave with them, two of
    // them in the same second as one of Acme's (then the higher id is the newer).
    let mut acme_ids = Vec::new();
    for day in (10..20).rev() {
        acme_ids.push(
            store
                .add_exchange(
                    acme,
                    &entry(&format!("refund day {day}"), at(2026, 2, day, 9)),
                    now,
                )
                .unwrap(),
        );
    }
    for day in [12, 15, 15, 18] {
        store
            .add_exchange(
                romashka,
                &entry("верните деньги, refund", at(2026, 2, day, 9)),
                now,
            )
            .unwrap();
    }
    let clients = [acme, romashka];
    assert_in_journal_order(&store, &clients, "refund");

    // An import brings years-old mail under the newest ids.
    let mut old = Store::open(&dir.path().join("old.sqlite3")).unwrap();
    let old_client = old.add_client(&client("Old Ltd"), now).unwrap();
    for year in [2019, 2021, 2026] {
        old.add_exchange(
            old_client,
            &entry("refund from the archive", at(year, 2, 15, 9)),
            now,
        )
        .unwrap();
    }
    let archive = old.export_archive(now).unwrap();
    store.import_archive(&archive, &mut |_, _| {}).unwrap();
    let imported = store
        .client_overviews()
        .unwrap()
        .into_iter()
        .find(|overview| overview.client.name == "Old Ltd")
        .unwrap()
        .client
        .client_id;
    let clients = [acme, romashka, imported];
    let order = journal_order(&store, &clients, "refund");
    assert_eq!(order.len(), 17);
    assert_in_journal_order(&store, &clients, "refund");
    // The 2026-02-15 import sits between entries with lower ids, not at the top.
    assert_ne!(newest(&store, "refund", 1), newest(&store, "archive", 1));

    // An edited date moves the entry: the oldest becomes the newest, and back.
    let oldest = *acme_ids.last().unwrap();
    store
        .update_exchange(oldest, &entry("refund day 10", at(2026, 2, 28, 9)), now)
        .unwrap();
    assert_eq!(newest(&store, "refund", 1), [oldest]);
    assert_in_journal_order(&store, &clients, "refund");
    store
        .update_exchange(oldest, &entry("refund day 10", at(2018, 1, 1, 9)), now)
        .unwrap();
    assert_eq!(newest(&store, "refund", 1_000).last(), Some(&oldest));
    assert_in_journal_order(&store, &clients, "refund");
    // A new text under the same date: found by the new words only, in the same place.
    store
        .update_exchange(
            acme_ids[3],
            &entry("lawyer day 16", at(2026, 2, 16, 9)),
            now,
        )
        .unwrap();
    assert_eq!(newest(&store, "lawyer", 10), [acme_ids[3]]);
    assert!(!newest(&store, "refund", 1_000).contains(&acme_ids[3]));
    assert_in_journal_order(&store, &clients, "refund");

    // The trash: out of the results, back in its place on restore.
    let trashed = acme_ids[1];
    store.delete_exchange(trashed, now).unwrap();
    assert!(!newest(&store, "refund", 1_000).contains(&trashed));
    assert_in_journal_order(&store, &clients, "refund");
    store.restore_from_trash(trashed).unwrap();
    assert!(newest(&store, "refund", 1_000).contains(&trashed));
    assert_in_journal_order(&store, &clients, "refund");
    store.delete_exchange(trashed, now).unwrap();
    let _ = store.empty_trash(now).unwrap();
    assert_in_journal_order(&store, &clients, "refund");
    assert_eq!(journal_order(&store, &clients, "refund").len(), 15);
}

/// Every byte of the file, after the log is folded back into it.
fn file_after_checkpoint(store: &Store) -> Vec<u8> {
    let path = store.path().unwrap().to_owned();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    std::fs::read(path).unwrap()
}

fn holds(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|window| window == needle)
}

#[test]
fn emptying_the_trash_takes_an_entrys_words_out_of_the_index_after_its_date_moved() {
    let dir = tempfile::tempdir().unwrap();
    let now = at(2026, 3, 1, 9);
    let mut store = Store::open(&dir.path().join("calmdesk.sqlite3")).unwrap();
    let acme = store.add_client(&client("Acme"), now).unwrap();
    store
        .add_exchange(acme, &entry("an ordinary refund", at(2026, 2, 1, 9)), now)
        .unwrap();
    // The index keeps the words folded to lower case: that is the form looked for in the file.
    let secret = store
        .add_exchange(
            acme,
            &entry("Qzxwvkj private matter", at(2026, 2, 2, 9)),
            now,
        )
        .unwrap();
    // Re-dated twice: the index row moves under new keys each time.
    for day in [20, 5] {
        store
            .update_exchange(
                secret,
                &entry("Qzxwvkj private matter", at(2026, 2, day, 9)),
                now,
            )
            .unwrap();
    }
    assert_eq!(newest(&store, "qzxw", 10), [secret]);
    assert!(holds(&file_after_checkpoint(&store), b"qzxwvkj"));

    store.delete_exchange(secret, now).unwrap();
    let _ = store.empty_trash(now).unwrap();
    let bytes = file_after_checkpoint(&store);
    assert!(!holds(&bytes, b"qzxwvkj"), "the index's copy of the word");
    assert!(!holds(&bytes, b"Qzxwvkj"), "the text");
    assert!(newest(&store, "qzxw", 10).is_empty());
    assert_eq!(newest(&store, "refund", 10).len(), 1);
    store.integrity_check().unwrap();
}

#[test]
fn an_older_file_is_reindexed_in_time_order_and_the_upgrade_tells_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        MIGRATIONS.to_version(&mut conn, 7).unwrap();
        conn.execute(
            "INSERT INTO clients (name, created_at, updated_at, uid) \
             VALUES ('Old client', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'c1')",
            [],
        )
        .unwrap();
        // Ids against time: the highest id is the oldest, and 30 share one second.
        let tx = conn.transaction().unwrap();
        for id in 1..=12_000_i64 {
            let when = if id % 400 == 0 {
                "2025-06-01T12:00:00Z".to_owned()
            } else {
                let seconds = 1_900_000_000 - id * 600;
                DateTime::from_timestamp(seconds, 0)
                    .unwrap()
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
            };
            tx.execute(
                "INSERT INTO exchanges (exchange_id, client_id, direction, channel, occurred_at, \
                 body, created_at, updated_at, uid) \
                 VALUES (?1, 1, 'from_client', 'email', ?2, ?3, ?2, ?2, ?4)",
                rusqlite::params![id, when, format!("invoice number {id}"), format!("e{id}")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let heard = Rc::new(RefCell::new(Vec::new()));
    let store = Store::open_with_progress(&path, {
        let heard = Rc::clone(&heard);
        move |progress| heard.borrow_mut().push(progress)
    })
    .unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let heard = heard.borrow();
    assert!(
        heard
            .iter()
            .any(|progress| matches!(progress, UpgradeProgress::Backup { done, total } if done == total && *total > 0)),
        "{heard:?}"
    );
    let index: Vec<(u64, u64)> = heard
        .iter()
        .filter_map(|progress| match *progress {
            UpgradeProgress::SearchIndex { done, total } => Some((done, total)),
            UpgradeProgress::Backup { .. } => None,
        })
        .collect();
    assert_eq!(index.first(), Some(&(0, 12_000)));
    assert_eq!(index.last(), Some(&(12_000, 12_000)));
    assert!(index.len() > 2, "told along the way: {index:?}");
    assert!(index.windows(2).all(|pair| pair[0].0 < pair[1].0));

    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    assert_in_journal_order(&store, &[client_id], "invoice");
    assert_eq!(newest(&store, "invoice", 3).len(), 3);
    // The same second: the higher id first.
    let noon: Vec<ExchangeId> = journal_order(&store, &[client_id], "invoice")
        .into_iter()
        .filter(|id| id.0 % 400 == 0)
        .collect();
    assert_eq!(noon.first(), Some(&ExchangeId(12_000)));
    drop(store);

    // A file that needs no upgrade is opened without a word.
    let quiet = Rc::new(RefCell::new(0));
    let _store = Store::open_with_progress(&path, {
        let quiet = Rc::clone(&quiet);
        move |_| *quiet.borrow_mut() += 1
    })
    .unwrap();
    assert_eq!(*quiet.borrow(), 0);
}

#[test]
fn a_date_changed_by_another_program_moves_the_entry_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let now = at(2026, 3, 1, 9);
    let (acme, first) = {
        let mut store = Store::open(&path).unwrap();
        let acme = store.add_client(&client("Acme"), now).unwrap();
        let first = store
            .add_exchange(acme, &entry("refund one", at(2026, 2, 1, 9)), now)
            .unwrap();
        store
            .add_exchange(acme, &entry("refund two", at(2026, 2, 2, 9)), now)
            .unwrap();
        assert_eq!(newest(&store, "refund", 1), [ExchangeId(first.0 + 1)]);
        (acme, first)
    };
    // Only the date, in plain SQL: the index's triggers follow it.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE exchanges SET occurred_at = '2026-02-03T09:00:00Z' WHERE exchange_id = ?1",
            [first.0],
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(newest(&store, "refund", 1), [first]);
    assert_in_journal_order(&store, &[acme], "refund");
    store.integrity_check().unwrap();
}
