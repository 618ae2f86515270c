#![allow(clippy::unwrap_used, clippy::too_many_lines)]
//! The journal read in pages: rows by position, an entry's position, and the totals the
//! triggers keep — each checked against the whole journal read the plain way.

use calmdesk::domain::{
    Channel, ClientDraft, ClientId, ClientInput, Direction, ExchangeDraft, ExchangeId, Minutes,
};
use calmdesk::store::Store;
use calmdesk::store::migrations::LATEST_VERSION;
use chrono::{DateTime, Duration, TimeZone, Utc};

#[path = "common/older.rs"]
mod older;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn client(name: &str) -> ClientDraft {
    ClientInput {
        name: name.into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap()
}

fn entry(body: &str, when: DateTime<Utc>, minutes: u32) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: when,
        minutes: Minutes::new(minutes).unwrap(),
        body: body.into(),
    }
}

/// A journal whose entries were not written in time order, with several at the same moment.
fn shuffled_journal(store: &mut Store) -> ClientId {
    let client_id = store.add_client(&client("Acme"), at(1, 9)).unwrap();
    let drafts: Vec<ExchangeDraft> = (0..300u32)
        .map(|index| {
            // 0, 7, 14, … modulo 300 visits every slot once; slots 0–9 share one moment.
            let slot = (index * 7) % 300;
            let when = at(1, 9) + Duration::minutes(i64::from(slot.max(10)));
            entry(&format!("entry {index}"), when, index % 30)
        })
        .collect();
    store.add_exchanges(client_id, &drafts, at(1, 9)).unwrap();
    let other = store.add_client(&client("Other"), at(1, 9)).unwrap();
    store
        .add_exchange(other, &entry("elsewhere", at(20, 9), 5), at(20, 9))
        .unwrap();
    client_id
}

#[test]
fn any_run_of_rows_is_the_same_run_of_the_whole_journal() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = shuffled_journal(&mut store);
    let whole = store.exchange_summaries(client_id).unwrap();
    assert_eq!(whole.len(), 300);
    // Newest first, ties by id: the order the list shows.
    assert!(whole.windows(2).all(|pair| {
        (pair[0].occurred_at, pair[0].exchange_id) > (pair[1].occurred_at, pair[1].exchange_id)
    }));
    for (start, end) in [(0, 1), (0, 60), (5, 17), (123, 260), (290, 300), (295, 400)] {
        let rows = store.journal_rows(client_id, start..end).unwrap();
        let expected = &whole[start as usize..(end as usize).min(whole.len())];
        assert_eq!(rows, expected, "rows {start}..{end}");
    }
    assert!(store.journal_rows(client_id, 300..360).unwrap().is_empty());
}

#[test]
fn an_entrys_position_is_where_the_whole_journal_has_it() {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = shuffled_journal(&mut store);
    let whole = store.exchange_summaries(client_id).unwrap();
    for (index, summary) in whole.iter().enumerate() {
        assert_eq!(
            store.journal_position(summary.exchange_id).unwrap(),
            index as u64,
            "{summary:?}"
        );
    }
    assert!(store.journal_position(ExchangeId(999_999)).is_err());
}

#[test]
fn the_kept_totals_follow_every_write_and_an_upgrade_sums_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let real_totals = |path: &std::path::Path, client_id: ClientId| -> (u64, u64) {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            "SELECT count(*), coalesce(sum(minutes), 0) FROM exchanges WHERE client_id = ?1",
            [client_id.0],
            |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64)),
        )
        .unwrap()
    };
    let (acme, other) = {
        let mut store = Store::open(&path).unwrap();
        let acme = shuffled_journal(&mut store);
        let other = ClientId(acme.0 + 1);
        let whole = store.exchange_summaries(acme).unwrap();
        // An edit of the minutes, a delete, a restore, the trash emptied.
        let first = store.exchange(whole[0].exchange_id).unwrap();
        let mut draft = first.draft();
        draft.minutes = Minutes::new(600).unwrap();
        store
            .update_exchange(first.exchange_id, &draft, at(21, 9))
            .unwrap();
        store
            .delete_exchange(whole[1].exchange_id, at(21, 9))
            .unwrap();
        store
            .delete_exchange(whole[2].exchange_id, at(21, 9))
            .unwrap();
        store.restore_from_trash(whole[2].exchange_id).unwrap();
        let _ = store.empty_trash(at(21, 10)).unwrap();
        assert_eq!(
            store.journal_totals(acme).unwrap(),
            real_totals(&path, acme)
        );
        assert_eq!(store.journal_totals(other).unwrap(), (1, 5));
        (acme, other)
    };
    // Another program moves an entry between clients and changes minutes: plain SQL triggers.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "UPDATE exchanges SET client_id = {}, minutes = 45 WHERE exchange_id = \
               (SELECT max(exchange_id) FROM exchanges WHERE client_id = {});
             UPDATE exchanges SET minutes = minutes + 1 WHERE client_id = {};",
            other.0, acme.0, acme.0
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    for client_id in [acme, other] {
        assert_eq!(
            store.journal_totals(client_id).unwrap(),
            real_totals(&path, client_id)
        );
    }
    assert_eq!(store.journal_totals(other).unwrap(), (2, 50));
    assert_eq!(store.journal_totals(ClientId(424_242)).unwrap(), (0, 0));
}

#[test]
fn a_file_from_before_the_kept_minutes_is_summed_on_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    older::schema_7_file(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(store.journal_totals(ClientId(1)).unwrap(), (2, 45));
}
