//! The store against real files: creating, refusing foreign or damaged files without touching
//! them, upgrading old schemas with a backup, and every read and write of clients and journals.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::fs;
use std::path::Path;

use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{
    BillingPeriod, Channel, ClientDraft, ClientInput, ClientStatus, Contract, Direction,
    ExchangeDraft, Minutes, StatusChange,
};
use calmdesk::store::migrations::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};
use calmdesk::store::{ChangeStatusError, Store, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn client(name: &str) -> ClientDraft {
    ClientInput {
        name: name.into(),
        fee: "6000".into(),
        currency: "RUB".into(),
        ..ClientInput::default()
    }
    .parse()
    .expect("valid client")
}

fn entry(body: &str, when: DateTime<Utc>) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: when,
        minutes: Minutes::new(10).unwrap(),
        body: body.into(),
    }
}

fn file_bytes(path: &Path) -> Vec<u8> {
    fs::read(path).expect("file readable")
}

#[test]
fn a_new_database_is_created_private_with_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/calmdesk.sqlite3");
    let store = Store::open(&path).expect("created");
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    store.integrity_check().expect("sound");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the database must be readable by its owner only"
        );
        let folder_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(folder_mode, 0o700);
    }
}

#[test]
fn data_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let client_id = {
        let mut store = Store::open(&path).unwrap();
        let client_id = store
            .add_client(&client("ООО «Ромашка»"), at(1, 9))
            .unwrap();
        store
            .add_exchange(
                client_id,
                &entry("Где отчёт за март?", at(2, 10)),
                at(2, 10),
            )
            .unwrap();
        client_id
    };
    let store = Store::open(&path).unwrap();
    let overviews = store.client_overviews().unwrap();
    assert_eq!(overviews.len(), 1);
    assert_eq!(overviews[0].client.name, "ООО «Ромашка»");
    assert_eq!(overviews[0].exchange_count, 1);
    assert_eq!(
        store.exchange_summaries(client_id).unwrap()[0].preview,
        "Где отчёт за март?"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite3");
    fs::write(&path, "These are my notes, not a database.\n".repeat(200)).unwrap();
    let before = file_bytes(&path);
    let error = Store::open(&path).expect_err("must refuse");
    assert!(
        matches!(error, StoreError::NotADatabase { .. }),
        "{error:?}"
    );
    assert_eq!(file_bytes(&path), before);
    assert!(!dir.path().join("notes.sqlite3-wal").exists());
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('borscht');",
        )
        .unwrap();
    }
    let before = file_bytes(&path);
    let error = Store::open(&path).expect_err("must refuse");
    assert!(
        matches!(error, StoreError::ForeignDatabase { .. }),
        "{error:?}"
    );
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_damaged_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
        store
            .add_exchange(client_id, &entry("hello", at(1, 9)), at(1, 9))
            .unwrap();
    }
    // Overwrite the header's magic string: the file is no longer a readable database.
    let mut bytes = file_bytes(&path);
    bytes[..16].copy_from_slice(b"garbage garbage!");
    fs::write(&path, &bytes).unwrap();
    let error = Store::open(&path).expect_err("must refuse");
    assert!(
        matches!(error, StoreError::NotADatabase { .. }),
        "{error:?}"
    );
    assert_eq!(file_bytes(&path), bytes);
}

#[test]
fn a_database_from_a_newer_calmdesk_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = file_bytes(&path);
    match Store::open(&path).expect_err("must refuse") {
        StoreError::NewerSchema { found, known, .. } => {
            assert_eq!(found, LATEST_VERSION + 1);
            assert_eq!(known, LATEST_VERSION);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_database_made_by_migration_one_upgrades_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        MIGRATIONS.to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO clients (name, created_at, updated_at) VALUES ('Old client', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO exchanges (client_id, direction, channel, occurred_at, body, created_at, updated_at) \
             VALUES (1, 'from_client', 'email', '2025-01-02T10:00:00Z', 'Please send the invoice', '2025-01-02T10:00:00Z', '2025-01-02T10:00:00Z')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).expect("upgraded");
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let overviews = store.client_overviews().unwrap();
    assert_eq!(overviews[0].client.name, "Old client");
    assert_eq!(
        store
            .search("invoice", SearchOrder::BestMatch, 10)
            .unwrap()
            .len(),
        1
    );
    if LATEST_VERSION > 1 {
        assert!(
            dir.path().join("calmdesk.sqlite3.before-v1").exists(),
            "the old file is kept before an upgrade"
        );
    }
}

#[test]
fn the_migration_list_is_valid() {
    MIGRATIONS.validate().unwrap();
}

#[test]
fn a_second_window_on_a_file_in_use_is_told_and_can_only_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut first = Store::open(&path).unwrap();
    first.add_client(&client("Acme"), at(1, 9)).unwrap();
    let second = Store::open(&path);
    assert!(
        matches!(second, Err(StoreError::Locked { .. })),
        "{second:?}"
    );
    let mut reader = Store::open_read_only(&path).expect("read-only is offered");
    assert_eq!(reader.client_overviews().unwrap().len(), 1);
    let write = reader.add_client(&client("Beta"), at(1, 10));
    assert!(matches!(write, Err(StoreError::ReadOnly)), "{write:?}");
    drop(reader);
    drop(first);
    let again = Store::open(&path).expect("once the first is closed, it opens");
    assert_eq!(again.client_overviews().unwrap().len(), 1);
}

#[test]
fn clients_are_edited_paused_ended_with_a_reason_and_reopened_never_deleted() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    let mut draft = client("Acme Ltd");
    draft.contract = Contract {
        reference: "SA-7".into(),
        scope: "Bookkeeping".into(),
        terms: "Net 15".into(),
        refund: "Unused months".into(),
        termination: "30 days notice".into(),
        notice_period_days: Some(30),
    };
    draft.billing_period = BillingPeriod::Quarter;
    store.update_client(client_id, &draft, at(2, 9)).unwrap();
    let stored = store.client(client_id).unwrap();
    assert_eq!(stored.name, "Acme Ltd");
    assert_eq!(stored.contract.notice_period_days, Some(30));
    assert_eq!(stored.billing_period, BillingPeriod::Quarter);
    assert_eq!(stored.fee.unwrap().minor_units, 600_000);

    assert_eq!(
        store
            .change_client_status(client_id, &StatusChange::Pause, at(3, 9))
            .unwrap(),
        ClientStatus::Paused
    );
    let refused = store.change_client_status(
        client_id,
        &StatusChange::End {
            reason: "  ".into(),
        },
        at(4, 9),
    );
    assert!(matches!(refused, Err(ChangeStatusError::Rule(_))));
    store
        .change_client_status(
            client_id,
            &StatusChange::End {
                reason: "Threats and insults".into(),
            },
            at(4, 9),
        )
        .unwrap();
    let ended = store.client(client_id).unwrap();
    assert_eq!(ended.status, ClientStatus::Ended);
    let ending = ended.ending.expect("ending recorded");
    assert_eq!(ending.reason, "Threats and insults");
    assert_eq!(ending.at, at(4, 9));
    assert_eq!(
        store.client_overviews().unwrap().len(),
        1,
        "an ended client is archived, not deleted"
    );

    store
        .change_client_status(client_id, &StatusChange::Reopen, at(5, 9))
        .unwrap();
    let reopened = store.client(client_id).unwrap();
    assert_eq!(reopened.status, ClientStatus::Active);
    assert_eq!(reopened.ending, None);
}

#[test]
fn the_journal_is_newest_first_and_edits_and_deletes_can_be_undone() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    let older = store
        .add_exchange(client_id, &entry("first", at(2, 9)), at(2, 9))
        .unwrap();
    let newer = store
        .add_exchange(client_id, &entry("second", at(3, 9)), at(3, 9))
        .unwrap();
    let ids: Vec<_> = store
        .exchange_summaries(client_id)
        .unwrap()
        .iter()
        .map(|row| row.exchange_id)
        .collect();
    assert_eq!(ids, vec![newer, older]);

    let mut edited = entry("second, corrected", at(3, 9));
    edited.minutes = Minutes::new(45).unwrap();
    store.update_exchange(newer, &edited, at(4, 9)).unwrap();
    assert_eq!(store.exchange(newer).unwrap().body, "second, corrected");
    assert_eq!(store.minutes_total(client_id).unwrap(), 55);

    let deleted = store.delete_exchange(older, at(4, 10)).unwrap();
    assert!(matches!(store.exchange(older), Err(StoreError::NotFound)));
    assert!(
        store
            .search("first", SearchOrder::BestMatch, 10)
            .unwrap()
            .is_empty(),
        "the index forgets deleted text"
    );
    store.restore_exchange(&deleted).unwrap();
    assert_eq!(
        store.exchange(older).unwrap(),
        deleted,
        "restored exactly, under the same id"
    );
    assert_eq!(
        store.search("first", SearchOrder::BestMatch, 10).unwrap()[0].exchange_id,
        older
    );
}

#[test]
fn an_entry_for_a_missing_client_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let result = store.add_exchange(
        calmdesk::domain::ClientId(999),
        &entry("orphan", at(1, 9)),
        at(1, 9),
    );
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
}

#[test]
fn a_failed_batch_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let client_id = {
        let mut store = Store::open(&path).unwrap();
        let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
        store
            .add_exchange(client_id, &entry("kept", at(1, 9)), at(1, 9))
            .unwrap();
        client_id
    };
    // The middle row of the batch fails (a trigger stands in for a full disk or a broken row):
    // the rows before it must not stay behind.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER fail_on_b BEFORE INSERT ON exchanges WHEN new.body = 'b' \
             BEGIN SELECT RAISE(ABORT, 'the second row fails'); END;",
        )
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    let result = store.add_exchanges(
        client_id,
        &[
            entry("a", at(2, 9)),
            entry("b", at(2, 9)),
            entry("c", at(2, 9)),
        ],
        at(2, 9),
    );
    assert!(result.is_err());
    let bodies: Vec<String> = store
        .exchanges_of(client_id)
        .unwrap()
        .into_iter()
        .map(|exchange| exchange.body)
        .collect();
    assert_eq!(bodies, ["kept"], "all or nothing");
    assert!(
        store
            .search("kept", SearchOrder::BestMatch, 10)
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn search_finds_russian_and_english_across_clients_with_highlights() {
    let mut store = Store::open_in_memory().unwrap();
    let ru = store.add_client(&client("Кравцов"), at(1, 9)).unwrap();
    let en = store.add_client(&client("Derek"), at(1, 9)).unwrap();
    store
        .add_exchange(
            ru,
            &entry("Верните деньги за март, иначе напишу отзыв", at(2, 9)),
            at(2, 9),
        )
        .unwrap();
    store
        .add_exchange(ru, &entry("Спасибо, всё получил", at(3, 9)), at(3, 9))
        .unwrap();
    store
        .add_exchange(
            en,
            &entry("I want a REFUND for March or I call my lawyer", at(4, 9)),
            at(4, 9),
        )
        .unwrap();

    let hits = store.search("деньг", SearchOrder::BestMatch, 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client_name, "Кравцов");
    let highlighted: Vec<_> = hits[0]
        .snippet
        .iter()
        .filter(|part| part.is_match)
        .map(|part| part.text.as_str())
        .collect();
    assert_eq!(highlighted, vec!["деньги"]);

    let hits = store
        .search("refund march", SearchOrder::BestMatch, 10)
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client_id, en);

    assert!(
        store
            .search("ВЕРНИТЕ", SearchOrder::Newest, 10)
            .unwrap()
            .len()
            == 1,
        "case folds in Cyrillic too"
    );
    assert!(
        store
            .search("\"); DROP TABLE clients; --", SearchOrder::BestMatch, 10)
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.client_overviews().unwrap().len(), 2);
}

#[test]
fn search_orders_by_recency_when_asked() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    for day in 1..=5 {
        store
            .add_exchange(
                client_id,
                &entry(&format!("invoice number {day}"), at(day, 9)),
                at(day, 9),
            )
            .unwrap();
    }
    let hits = store.search("invoice", SearchOrder::Newest, 3).unwrap();
    let days: Vec<_> = hits.iter().map(|hit| hit.occurred_at).collect();
    assert_eq!(days, vec![at(5, 9), at(4, 9), at(3, 9)]);
}

#[test]
fn a_long_pasted_email_is_stored_and_found_whole() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    let mut body = String::new();
    while body.len() < 50 * 1024 {
        body.push_str("Уважаемая Анна, напоминаю о сроках сдачи отчётности. Regards, Bob.\n");
    }
    body.push_str("уникальнослово");
    let exchange_id = store
        .add_exchange(client_id, &entry(&body, at(2, 9)), at(2, 9))
        .unwrap();
    assert_eq!(store.exchange(exchange_id).unwrap().body, body);
    assert_eq!(
        store
            .search("уникальнослово", SearchOrder::BestMatch, 10)
            .unwrap()
            .len(),
        1
    );
    let summary = &store.exchange_summaries(client_id).unwrap()[0];
    assert_eq!(summary.body_bytes, body.len());
    assert!(summary.preview.chars().count() <= 241);
}

#[test]
fn backups_are_complete_copies() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.sqlite3")).unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    store
        .add_exchange(client_id, &entry("backed up text", at(1, 9)), at(1, 9))
        .unwrap();
    let copy = dir.path().join("copy.sqlite3");
    store.backup_to(&copy).unwrap();
    let reopened = Store::open(&copy).unwrap();
    reopened.integrity_check().unwrap();
    assert_eq!(
        reopened
            .search("backed", SearchOrder::BestMatch, 5)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_clock_of_an_entry_is_kept_to_the_second() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    let when = at(2, 9) + Duration::seconds(37);
    let exchange_id = store
        .add_exchange(client_id, &entry("x", when), when)
        .unwrap();
    assert_eq!(store.exchange(exchange_id).unwrap().occurred_at, when);
}

#[test]
fn a_deleted_entry_leaves_no_trace_of_its_text_in_the_file_once_the_trash_is_emptied() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
        store
            .add_exchange(client_id, &entry("keep this one", at(1, 9)), at(1, 9))
            .unwrap();
        let secret = store
            .add_exchange(
                client_id,
                &entry("SECRETWORD-91c2 private details", at(2, 9)),
                at(2, 9),
            )
            .unwrap();
        store.delete_exchange(secret, at(2, 10)).unwrap();
        // Deleting moves it to the trash; emptying the trash erases it.
        let _ = store.empty_trash(at(2, 11)).unwrap();
    }
    let bytes = fs::read(&path).unwrap();
    let needle = b"SECRETWORD-91c2";
    assert!(
        !bytes.windows(needle.len()).any(|window| window == needle),
        "deleted text must be overwritten (secure_delete), including in the search index"
    );
    assert!(
        Store::open(&path)
            .unwrap()
            .search("keep", SearchOrder::BestMatch, 5)
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn every_change_of_kind_and_status_is_kept_in_the_history() {
    use calmdesk::domain::ClientKind;
    use calmdesk::domain::history::ClientEvent;
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    let judged = ClientDraft {
        kind: Some(ClientKind::Lost),
        ..client("Acme")
    };
    store.update_client(client_id, &judged, at(2, 9)).unwrap();
    store
        .change_client_status(
            client_id,
            &StatusChange::End {
                reason: "Threats".into(),
            },
            at(3, 9),
        )
        .unwrap();
    store
        .change_client_status(client_id, &StatusChange::Reopen, at(4, 9))
        .unwrap();
    let reopened = store.client(client_id).unwrap();
    assert_eq!(reopened.status, ClientStatus::Active);
    assert!(reopened.ending.is_none());
    let history: Vec<ClientEvent> = store
        .client_history(client_id)
        .unwrap()
        .into_iter()
        .map(|entry| entry.event)
        .collect();
    assert_eq!(
        history,
        [
            ClientEvent::StatusChanged {
                from: ClientStatus::Ended,
                to: ClientStatus::Active,
                reason: "Threats".into(),
            },
            ClientEvent::StatusChanged {
                from: ClientStatus::Active,
                to: ClientStatus::Ended,
                reason: "Threats".into(),
            },
            ClientEvent::KindChanged {
                from: None,
                to: Some(ClientKind::Lost),
            },
        ],
        "newest first; reopening keeps why the client was ended"
    );
}

#[test]
fn a_word_finds_its_other_forms_and_spellings_and_the_words_as_written_are_highlighted() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store.add_client(&client("Кравцов"), at(1, 9)).unwrap();
    for (day, text) in [
        (2, "Я уже отправила жалобу в инспекцию."),
        (3, "Декларацию подали 3 ноября, а не в октябре."),
        (4, "Ещё раз прошу прислать акт."),
        (5, "The invoices were paid twice, happily refunded."),
        (6, "Встреча переносится, спасибо."),
    ] {
        store
            .add_exchange(client_id, &entry(text, at(day, 9)), at(day, 9))
            .unwrap();
    }
    let highlighted = |typed: &str| -> Vec<String> {
        let hits = store.search(typed, SearchOrder::BestMatch, 10).unwrap();
        assert_eq!(hits.len(), 1, "{typed} finds one entry");
        hits[0]
            .snippet
            .iter()
            .filter(|part| part.is_match)
            .map(|part| part.text.clone())
            .collect()
    };
    assert_eq!(highlighted("жалоба"), ["жалобу"]);
    assert_eq!(highlighted("жалобами"), ["жалобу"]);
    assert_eq!(highlighted("декларация"), ["Декларацию"]);
    assert_eq!(highlighted("ноябрь"), ["ноября"]);
    assert_eq!(highlighted("еще"), ["Ещё"]);
    assert_eq!(highlighted("invoice"), ["invoices"]);
    assert_eq!(highlighted("happy"), ["happily"]);
    // Two words: both in one entry, in any of their forms.
    assert_eq!(highlighted("подать декларации"), ["Декларацию", "подали"]);
    // A form of a word the journal does not hold finds nothing.
    assert!(
        store
            .search("жалобщик", SearchOrder::Newest, 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_kept_entry_counts_follow_every_write_and_an_upgrade_counts_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let real_counts = |path: &std::path::Path| -> Vec<(i64, i64)> {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.prepare("SELECT client_id, count(*) FROM exchanges GROUP BY client_id ORDER BY 1")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let shown = |store: &Store| -> Vec<(i64, i64)> {
        store
            .client_overviews()
            .unwrap()
            .iter()
            .filter(|overview| overview.exchange_count > 0)
            .map(|overview| {
                (
                    overview.client.client_id.0,
                    i64::try_from(overview.exchange_count).unwrap(),
                )
            })
            .collect()
    };
    let (acme, ramashka) = {
        let mut store = Store::open(&path).unwrap();
        let acme = store.add_client(&client("Acme"), at(1, 9)).unwrap();
        let ramashka = store.add_client(&client("Ромашка"), at(1, 9)).unwrap();
        let mut ids = Vec::new();
        for day in 2..8 {
            ids.push(
                store
                    .add_exchange(acme, &entry("Where is the report?", at(day, 9)), at(day, 9))
                    .unwrap(),
            );
        }
        store
            .add_exchange(ramashka, &entry("Спасибо!", at(3, 9)), at(3, 9))
            .unwrap();
        // Deleted, restored, deleted again and the trash emptied: each step counts.
        store.delete_exchange(ids[0], at(9, 9)).unwrap();
        store.delete_exchange(ids[1], at(9, 9)).unwrap();
        assert_eq!(shown(&store), [(acme.0, 4), (ramashka.0, 1)]);
        let trash = store.trash().unwrap();
        store
            .restore_from_trash(trash[0].exchange.exchange_id)
            .unwrap();
        assert_eq!(shown(&store), [(acme.0, 5), (ramashka.0, 1)]);
        let _ = store.empty_trash(at(9, 11)).unwrap();
        (acme, ramashka)
    };
    // Another program moves an entry and adds one: the counts follow (plain SQL triggers).
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "UPDATE exchanges SET client_id = {} WHERE exchange_id = \
               (SELECT max(exchange_id) FROM exchanges WHERE client_id = {});",
            ramashka.0, acme.0
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(shown(&store), real_counts(&path));
    assert_eq!(shown(&store), [(acme.0, 4), (ramashka.0, 2)]);
    drop(store);

    // A file from before the kept counts: the upgrade counts what it holds.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER client_entry_counts_insert; DROP TRIGGER client_entry_counts_delete; \
             DROP TRIGGER client_entry_counts_move; DROP TRIGGER client_entry_counts_client_gone; \
             DROP TABLE client_entry_counts; PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(shown(&store), real_counts(&path));
}
