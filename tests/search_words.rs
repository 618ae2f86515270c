//! The index's words (`store::terms`, migration 10): a typed prefix of four or more letters is
//! asked as the whole words it starts. These tests hold the promises that makes safe: the list
//! has every word of the index after every kind of write and after an upgrade; whole words find
//! exactly what the prefixes find, in Russian and English, with `ё`, capitals and accents; a text
//! written by another program is found before its words are listed; and the words of texts
//! erased for good leave the list.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/older.rs"]
mod older;

#[path = "common/drafts.rs"]
mod drafts;

use std::path::Path;

use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{ClientId, ExchangeId};
use calmdesk::store::{NewEntry, Store, fts_query_of};
use chrono::{DateTime, Duration, TimeZone, Utc};
use drafts::{client, entry};
use rusqlite::Connection;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

/// A second connection on the file, as another program would open it.
fn beside(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_words \
         USING fts5vocab(main, exchanges_fts, row);",
    )
    .unwrap();
    conn
}

/// Words of the index missing from the list, and how many entries wait to have theirs added.
fn unlisted(path: &Path) -> (Vec<String>, i64) {
    let conn = beside(path);
    let missing = conn
        .prepare("SELECT term FROM temp.index_words EXCEPT SELECT term FROM search_terms")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let waiting = conn
        .query_row("SELECT count(*) FROM search_terms_pending", [], |row| {
            row.get(0)
        })
        .unwrap();
    (missing, waiting)
}

fn assert_listed(path: &Path, after: &str) {
    assert_eq!(unlisted(path), (Vec::new(), 0), "after {after}");
}

fn listed(path: &Path, word: &str) -> bool {
    beside(path)
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM search_terms WHERE term = ?1)",
            [word],
            |row| row.get(0),
        )
        .unwrap()
}

fn newest(store: &Store, typed: &str) -> Vec<ExchangeId> {
    store
        .search(typed, SearchOrder::Newest, 1_000)
        .unwrap()
        .iter()
        .map(|hit| hit.exchange_id)
        .collect()
}

/// What the typed prefixes find straight on FTS5, newest first: the reference.
fn by_prefixes(store: &Store, typed: &str) -> Vec<ExchangeId> {
    let query = fts_query_of(typed).unwrap();
    store
        .raw_fts_rowids(&query, SearchOrder::Newest, 1_000)
        .unwrap()
        .into_iter()
        .map(|key| ExchangeId(key & 0x7FFF_FFFF))
        .collect()
}

#[test]
fn every_kind_of_write_lists_its_words_in_the_same_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let now = at(1, 9);
    let mut store = Store::open(&path).unwrap();
    let acme = store.add_client(&client("Acme"), now).unwrap();
    assert_listed(&path, "a new file");

    let first = store
        .add_exchange(
            acme,
            &entry("Претензию получили, invoice attached", at(2, 9)),
            now,
        )
        .unwrap();
    assert_listed(&path, "add_exchange");
    assert!(listed(&path, "претензию") && listed(&path, "invoice"));

    store
        .add_exchanges(
            acme,
            &[
                entry("Верните деньги за ноябрь", at(3, 9)),
                entry("Refunds are processed weekly", at(4, 9)),
            ],
            now,
        )
        .unwrap();
    assert_listed(&path, "add_exchanges");

    store
        .update_exchange(first, &entry("Претензиями не занимаемся", at(2, 9)), now)
        .unwrap();
    assert_listed(&path, "update_exchange");
    assert!(listed(&path, "претензиями"));

    let original = store.exchange(first).unwrap();
    store
        .update_exchange_if_unchanged(&original, &entry("Жалобу передали юристу", at(2, 9)), now)
        .unwrap();
    assert_listed(&path, "update_exchange_if_unchanged");

    let trashed = store
        .add_exchange(acme, &entry("Декларацию подали вовремя", at(5, 9)), now)
        .unwrap();
    store.delete_exchange(trashed, now).unwrap();
    store.restore_from_trash(trashed).unwrap();
    assert_listed(&path, "restore_from_trash");

    let mut other = Store::open(&dir.path().join("other.sqlite3")).unwrap();
    let other_client = other.add_client(&client("Ромашка"), now).unwrap();
    other
        .add_exchange(
            other_client,
            &entry("Счёт-фактура приложена", at(6, 9)),
            now,
        )
        .unwrap();
    let archive = other.export_archive(now).unwrap();
    store.import_archive(&archive, &mut |_, _| {}).unwrap();
    assert_listed(&path, "import_archive");
    assert!(listed(&path, "фактура"));

    let entries: Vec<NewEntry> = (0..5)
        .map(|index| NewEntry {
            client_id: acme,
            draft: entry(
                &format!("Квартальный отчёт {index}, deadline Friday"),
                at(7, 9) + Duration::minutes(index),
            ),
            written_at: now,
        })
        .collect();
    store.append_entries(&entries).unwrap();
    assert_listed(&path, "append_entries");
    assert!(listed(&path, "квартальный") && listed(&path, "deadline"));
}

/// Russian and English mail in many forms, with capitals, `ё` and accents.
const TEXTS: &[&str] = &[
    "Мы получили вашу претензию и ответим до пятницы.",
    "ПРЕТЕНЗИЯ по договору № 14: верните деньги.",
    "Претензии принимаются только письменно.",
    "По претензиям клиента: вернём деньгами или услугой?",
    "Декларацию за ноябрь подали, декларации за декабрь ждём.",
    "Ещё раз напоминаю про счёт. Еще один счет придёт позже.",
    "Вы обещали вернуть предоплату, верните её.",
    "The lawyer's letter is attached; our lawyers will reply.",
    "Invoices for November are overdue, the invoice is attached.",
    "A refund was promised. Refunded? Refunding takes a week.",
    "Meeting at the café on Monday: deadline moved to Friday.",
    "The CAFE bill and the deadlines for the résumé review.",
    "Report 2026-03 v2 and report2 are ready.",
];

const TYPED: &[&str] = &[
    "претензия",
    "претенз",
    "прет",
    "ПРЕТЕНЗИЯМИ",
    "декларация",
    "еще",
    "ещё",
    "счет",
    "верните деньги",
    "вернуть",
    "lawyer",
    "lawy",
    "invoice",
    "refund",
    "refunding",
    "cafe",
    "café",
    "résumé",
    "deadline friday",
    "report2",
    "2026",
    "nothing here",
    "претензия lawyer",
];

fn filled(path: &Path) -> (Store, ClientId) {
    let now = at(1, 9);
    let mut store = Store::open(path).unwrap();
    let acme = store.add_client(&client("Acme"), now).unwrap();
    for (index, text) in TEXTS.iter().enumerate() {
        let hour = u32::try_from(index).unwrap();
        store
            .add_exchange(acme, &entry(text, at(2, hour)), now)
            .unwrap();
    }
    (store, acme)
}

#[test]
fn whole_words_find_exactly_what_the_prefixes_find() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let (store, _) = filled(&path);
    for typed in TYPED {
        let expected = by_prefixes(&store, typed);
        assert_eq!(newest(&store, typed), expected, "{typed}");
        let mut ranked: Vec<ExchangeId> = store
            .search(typed, SearchOrder::BestMatch, 1_000)
            .unwrap()
            .iter()
            .map(|hit| hit.exchange_id)
            .collect();
        ranked.sort();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort();
        assert_eq!(ranked, expected_sorted, "{typed}, best match");
    }
    // The cases above are not all empty, and the long prefixes were asked as whole words.
    assert_eq!(newest(&store, "претензия").len(), 4);
    assert_eq!(newest(&store, "прет").len(), 4);
    assert_eq!(newest(&store, "ещё").len(), 1);
    assert_eq!(newest(&store, "cafe").len(), 2);
    let asked = store.asked_query("претензия lawyer").unwrap().unwrap();
    assert!(
        asked.contains("\"претензию\"") && asked.contains("\"lawyers\""),
        "{asked}"
    );
    assert!(!asked.contains("\"претенз\"*"), "{asked}");
    // A prefix of two or three letters has FTS5's own index (each spelling with `ё` too).
    assert_eq!(
        store.asked_query("пре").unwrap().unwrap(),
        "(\"пре\"* OR \"прё\"*)"
    );
}

#[test]
fn a_text_written_by_another_program_is_found_before_its_words_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let (mut store, acme) = filled(&path);
    let target = newest(&store, "lawyer")[0];
    // Another program changes a text to a form of the word nobody wrote before.
    beside(&path)
        .execute(
            "UPDATE exchanges SET body = 'С претензиями разберёмся' WHERE exchange_id = ?1",
            [target.0],
        )
        .unwrap();
    assert!(!listed(&path, "претензиями"));
    assert!(newest(&store, "претензия").contains(&target));
    assert_eq!(
        newest(&store, "претензия"),
        by_prefixes(&store, "претензия")
    );
    let asked = store.asked_query("претензия").unwrap().unwrap();
    assert!(asked.starts_with("(\"претенз\"*"), "{asked}");

    // The app's next write lists it, and whole words are asked again.
    store
        .add_exchange(acme, &entry("Созвон в среду", at(9, 9)), at(9, 9))
        .unwrap();
    assert!(listed(&path, "претензиями"));
    assert!(newest(&store, "претензия").contains(&target));
    let asked = store.asked_query("претензия").unwrap().unwrap();
    assert!(asked.starts_with("(\"претензии\" OR "), "{asked}");
    assert!(
        asked.contains("\"претензиями\"") && !asked.contains("\"претенз\"*"),
        "{asked}"
    );
}

#[test]
fn emptying_the_trash_forgets_the_words_no_entry_still_has() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let (mut store, acme) = filled(&path);
    let now = at(9, 9);
    let secret = store
        .add_exchange(acme, &entry("Qzxwvkj said the invoice", at(9, 9)), now)
        .unwrap();
    store
        .update_exchange(secret, &entry("Vbnmzxq said the invoice", at(9, 9)), now)
        .unwrap();
    assert!(listed(&path, "qzxwvkj") && listed(&path, "vbnmzxq"));
    store.delete_exchange(secret, now).unwrap();
    // In the trash the text is still in the file, and its words still listed.
    assert!(listed(&path, "vbnmzxq"));
    store.empty_trash(now).unwrap();
    assert!(!listed(&path, "vbnmzxq"), "the last text's words");
    assert!(!listed(&path, "qzxwvkj"), "an earlier version's words");
    assert!(listed(&path, "invoice"), "a word other entries still have");
    assert!(!listed(&path, "said"), "a word only the erased entry had");
    assert_listed(&path, "empty_trash");
}

#[test]
fn an_upgraded_file_lists_the_words_it_already_had() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    older::schema_7_file(&path);
    let store = Store::open(&path).unwrap();
    assert_listed(&path, "the upgrade");
    assert!(listed(&path, "report") && listed(&path, "figures"));
    let asked = store.asked_query("figures").unwrap().unwrap();
    assert_eq!(asked, "\"figures\"");
    assert_eq!(newest(&store, "figures").len(), 1);
}
