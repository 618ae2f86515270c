//! What the ledger keeps in the file: a client's billing kind and included support, and the
//! reader's marks of messages — kept per reader version, dropped when the text changes, gone
//! with their entry.

// Test code: an unwrap that fails is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use calmdesk::app::Settings;
use calmdesk::app::picture::{Readings, overview};
use calmdesk::domain::ledger::{CostPerMinute, HeatMark, YearMonth};
use calmdesk::domain::reply::ReplyLanguage;
use calmdesk::domain::{
    BillingPeriod, Channel, ClientDraft, ClientId, ClientInput, Direction, ExchangeDraft,
    ExchangeId, IncludedSupport, Minutes,
};
use calmdesk::store::Store;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};

const READER: &str = "test-reader-1";

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap()
}

fn client(billing_period: BillingPeriod, included_support: &str) -> ClientDraft {
    ClientInput {
        name: "Studio".into(),
        fee: "40".into(),
        currency: "EUR".into(),
        billing_period,
        included_support: included_support.into(),
        ..ClientInput::default()
    }
    .parse()
    .expect("valid client")
}

fn entry(direction: Direction, body: &str, day: u32, minutes: u32) -> ExchangeDraft {
    ExchangeDraft {
        direction,
        channel: Channel::Email,
        occurred_at: at(day),
        minutes: Minutes::new(minutes).unwrap(),
        body: body.into(),
    }
}

fn mark(exchange_id: ExchangeId, day: u32, heat: u8) -> HeatMark {
    HeatMark {
        exchange_id,
        at: at(day),
        heat,
        threatened: heat > 50,
        insulted: false,
        language: ReplyLanguage::Russian,
    }
}

/// A store with one client: two messages from the client and one reply.
fn journal() -> (Store, ClientId, [ExchangeId; 3]) {
    let mut store = Store::open_in_memory().unwrap();
    let client_id = store
        .add_client(&client(BillingPeriod::Month, ""), at(1))
        .unwrap();
    let ids = store
        .add_exchanges(
            client_id,
            &[
                entry(Direction::FromClient, "Where is my report?", 2, 5),
                entry(Direction::ToClient, "It is on its way.", 3, 15),
                entry(Direction::FromClient, "I will complain.", 4, 0),
            ],
            at(4),
        )
        .unwrap();
    (store, client_id, [ids[0], ids[1], ids[2]])
}

#[test]
fn billing_by_the_hour_or_project_and_included_support_are_kept() {
    let mut store = Store::open_in_memory().unwrap();
    for (period, included, minutes) in [
        (BillingPeriod::Hour, "", None),
        (BillingPeriod::Project, "", None),
        (BillingPeriod::Quarter, "3 h", Some(180)),
        (BillingPeriod::Month, "90", Some(90)),
    ] {
        let client_id = store.add_client(&client(period, included), at(1)).unwrap();
        let stored = store.client(client_id).unwrap();
        assert_eq!(stored.billing_period, period);
        assert_eq!(
            stored.included_support.map(IncludedSupport::minutes),
            minutes
        );
    }
}

#[test]
fn only_messages_from_the_client_are_read_and_minutes_of_every_entry_count() {
    let (store, client_id, [first, _, last]) = journal();
    let marks = store.heat_marks(client_id, READER).unwrap();
    assert!(marks.marked.is_empty());
    let unread: Vec<_> = marks.unread.iter().map(|u| u.exchange_id).collect();
    assert_eq!(unread, [first, last]);
    assert_eq!(
        store.message_text(marks.unread[0].exchange_id).unwrap(),
        "Where is my report?"
    );
    let mut minutes = store.entry_minutes(client_id).unwrap();
    minutes.sort();
    assert_eq!(
        minutes,
        [(at(2), 5), (at(3), 15)],
        "an entry of no minutes adds nothing"
    );
}

#[test]
fn a_kept_mark_is_read_back_until_the_text_changes_or_the_reader_does() {
    let (mut store, client_id, [first, reply, last]) = journal();
    let kept = store
        .save_readings(
            READER,
            &[mark(first, 2, 20), mark(reply, 3, 90), mark(last, 4, 70)],
        )
        .unwrap();
    assert_eq!(kept, 2, "a reply to the client is not a message to mark");
    let marks = store.heat_marks(client_id, READER).unwrap();
    assert_eq!(marks.marked, [mark(first, 2, 20), mark(last, 4, 70)]);
    assert!(marks.unread.is_empty());

    let other_version = store.heat_marks(client_id, "test-reader-2").unwrap();
    assert_eq!(other_version.unread.len(), 2, "a new reader reads again");

    store
        .update_exchange(
            last,
            &entry(Direction::FromClient, "Thank you!", 4, 0),
            at(5),
        )
        .unwrap();
    let marks = store.heat_marks(client_id, READER).unwrap();
    assert_eq!(marks.marked, [mark(first, 2, 20)]);
    assert_eq!(marks.unread[0].exchange_id, last);
    assert_eq!(
        store.message_text(marks.unread[0].exchange_id).unwrap(),
        "Thank you!"
    );

    store.delete_exchange(first, at(6)).unwrap();
    let marks = store.heat_marks(client_id, READER).unwrap();
    assert!(marks.marked.is_empty(), "the mark went with its entry");
    assert_eq!(store.unread_messages(READER, 10).unwrap().len(), 1);
}

#[test]
fn the_overview_reads_only_each_clients_latest_messages() {
    let (mut store, client_id, [first, _, last]) = journal();
    store
        .save_readings(READER, &[mark(first, 2, 20), mark(last, 4, 70)])
        .unwrap();
    let latest = store.latest_heat_marks(READER, 1).unwrap();
    assert_eq!(latest[&client_id].marked, [mark(last, 4, 70)]);
    let newest_unread = store.unread_messages("test-reader-2", 1).unwrap();
    assert_eq!(newest_unread[0].exchange_id, last);
}

#[test]
fn the_overview_counts_each_entry_in_its_month_where_the_user_is() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .set_setting(CostPerMinute::SETTING_KEY, "10 EUR")
        .unwrap();
    let client_id = store
        .add_client(&client(BillingPeriod::Month, ""), at(1))
        .unwrap();
    // Three hours east of UTC.
    let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
    let local = |month: u32, day: u32, hour: u32, minute: u32| {
        moscow
            .with_ymd_and_hms(2026, month, day, hour, minute, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    for (occurred_at, minutes) in [
        // 30 April 21:30 in UTC, already 1 May where the user is.
        (local(5, 1, 0, 30), 40),
        // The last evening of May: 20:30 in UTC.
        (local(5, 31, 23, 30), 10),
        // 31 May 21:30 in UTC, already June where the user is.
        (local(6, 1, 0, 30), 20),
    ] {
        let draft = ExchangeDraft {
            direction: Direction::ToClient,
            channel: Channel::Email,
            occurred_at,
            minutes: Minutes::new(minutes).unwrap(),
            body: "Done.".into(),
        };
        store.add_exchange(client_id, &draft, occurred_at).unwrap();
    }
    let clients: Vec<_> = store
        .client_overviews()
        .unwrap()
        .into_iter()
        .map(|overview| overview.client)
        .collect();
    let settings = Settings::read(&store).unwrap();
    let minutes_in = |month: &str, tz: &FixedOffset| {
        let overview = overview(
            &store,
            &clients,
            &settings,
            &[],
            &mut Readings::default(),
            YearMonth::parse(month).unwrap(),
            tz,
        )
        .unwrap();
        overview.rows[0].ledger.this_month.minutes
    };
    assert_eq!(minutes_in("2026-04", &moscow), 0);
    assert_eq!(
        minutes_in("2026-05", &moscow),
        50,
        "1 May 00:30 and 31 May 23:30"
    );
    assert_eq!(minutes_in("2026-06", &moscow), 20, "1 June 00:30");
    // The same entries by the clock in UTC fall otherwise: the zone is what decides.
    let utc = FixedOffset::east_opt(0).unwrap();
    assert_eq!(minutes_in("2026-04", &utc), 40);
    assert_eq!(minutes_in("2026-05", &utc), 30);
    assert_eq!(minutes_in("2026-06", &utc), 0);
}
