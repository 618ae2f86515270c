//! The files embedded from `assets/`: the icon decodes, and the demo data makes the database the
//! README promises (a Russian and an English difficult client with weeks of exchanges ending in a
//! hostile message, and a calm ended client).

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{ClientStatus, Direction};
use calmdesk::store::Store;
use chrono::{TimeZone, Utc};

#[test]
fn the_embedded_icon_decodes() {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png"))
        .expect("a valid PNG");
    assert_eq!((icon.width, icon.height), (256, 256));
}

#[test]
fn the_demo_has_difficult_clients_with_weeks_of_mail_and_a_calm_ended_one() {
    let now = Utc.with_ymd_and_hms(2026, 4, 28, 12, 0, 0).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    calmdesk::demo::fill(&mut store, now, &Utc).unwrap();
    let overviews = store.client_overviews().unwrap();
    assert_eq!(overviews.len(), 4);
    let difficult: Vec<_> = overviews
        .iter()
        .filter(|o| o.client.status == ClientStatus::Active)
        .collect();
    assert_eq!(difficult.len(), 3);
    let cyrillic = |text: &str| {
        text.chars()
            .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
    };
    assert!(
        difficult.iter().any(|o| cyrillic(&o.client.name)),
        "one Russian client"
    );
    assert!(
        difficult.iter().any(|o| !cyrillic(&o.client.name)),
        "one English client"
    );
    for overview in &difficult {
        let client = &overview.client;
        assert!(
            overview.exchange_count >= 12,
            "{}: a dozen exchanges",
            client.name
        );
        assert!(!client.contract.refund.is_empty() && !client.contract.termination.is_empty());
        assert!(client.fee.is_some());
        let journal = store.exchange_summaries(client.client_id).unwrap();
        let span = journal.first().unwrap().occurred_at - journal.last().unwrap().occurred_at;
        assert!(span.num_days() >= 21, "{}: several weeks", client.name);
        assert_eq!(
            journal[0].direction,
            Direction::FromClient,
            "{}: ends with the client's message",
            client.name
        );
        assert!(
            journal.iter().all(|entry| entry.occurred_at <= now),
            "nothing in the future"
        );
    }
    let ended = overviews
        .iter()
        .find(|o| o.client.status == ClientStatus::Ended)
        .unwrap();
    assert!(
        ended
            .client
            .ending
            .as_ref()
            .is_some_and(|ending| !ending.reason.is_empty())
    );
    assert!(
        !store
            .search("отзыв", SearchOrder::BestMatch, 5)
            .unwrap()
            .is_empty()
    );
}

/// The demo's ledger, as the window and `calmdesk ledger` compute it, on a given day.
fn demo_ledger(
    now: chrono::DateTime<Utc>,
) -> (
    Store,
    calmdesk::app::Settings,
    Vec<calmdesk::domain::ledger::LedgerRow>,
) {
    let mut store = Store::open_in_memory().unwrap();
    calmdesk::demo::fill(&mut store, now, &Utc).unwrap();
    let clients: Vec<_> = store
        .client_overviews()
        .unwrap()
        .into_iter()
        .map(|overview| overview.client)
        .collect();
    let settings = calmdesk::app::Settings::read(&store).unwrap();
    let month = calmdesk::domain::ledger::YearMonth::of_instant(now, &Utc);
    let rows = calmdesk::app::picture::overview(
        &store,
        &clients,
        &settings,
        &[],
        &mut calmdesk::app::picture::Readings::default(),
        month,
        &Utc,
    )
    .unwrap()
    .rows;
    (store, settings, rows)
}

#[test]
fn a_newcomer_sees_a_client_far_over_a_small_fee_whatever_the_day() {
    // The first of a month (only today's entries count), the middle, and the last day.
    for (month, day) in [(12, 1), (5, 15), (1, 31)] {
        let now = Utc.with_ymd_and_hms(2026, month, day, 12, 0, 0).unwrap();
        let (store, settings, rows) = demo_ledger(now);
        let smallest_fee = rows
            .iter()
            .filter(|row| row.ledger.billing.is_recurring())
            .min_by_key(|row| row.client.fee.unwrap().minor_units)
            .unwrap();
        let ledger = &smallest_fee.ledger;
        assert!(
            ledger.is_over(),
            "{now}: the smallest fee is over its allowance"
        );
        let allowance = ledger.allowance.unwrap().minutes;
        assert_eq!(allowance, 200, "$20 a month at 10 cents a minute");
        assert!(
            ledger.this_month.minutes >= allowance * 5 / 4,
            "{now}: far over ({} of {allowance} min)",
            ledger.this_month.minutes
        );
        assert!(ledger.overrun_value.unwrap().minor_units > 0);
        assert!(ledger.trend.is_rising(), "{now}: and getting hotter");
        let picture = calmdesk::app::picture::picture(
            &store,
            &smallest_fee.client,
            &settings,
            &mut calmdesk::app::picture::Readings::default(),
            ledger.this_month.month,
        )
        .unwrap();
        assert!(
            picture.ledger.months_over() >= 2,
            "{now}: and not for the first time"
        );
        assert_eq!(picture.ledger.this_month, ledger.this_month);
    }
}
