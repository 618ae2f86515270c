#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use super::*;
use crate::domain::client::{Client, ClientKind, ClientStatus, Contract, Ending};
use crate::domain::ids::{ClientId, ExchangeId};
use crate::domain::ledger::picture::{LedgerColumn, LedgerRow, sort_rows};
use crate::domain::reply::ReplyLanguage;
use chrono::{Duration, FixedOffset};

fn eur(minor_units: i64) -> Money {
    Money {
        minor_units,
        currency: Currency::parse("EUR").unwrap(),
    }
}

fn cost(minor_units: i64) -> Option<CostPerMinute> {
    CostPerMinute::new(eur(minor_units))
}

#[test]
fn ten_dollars_a_month_at_ten_cents_a_minute_buys_a_hundred_minutes() {
    let usd = |minor_units| Money {
        minor_units,
        currency: Currency::parse("USD").unwrap(),
    };
    let allowance = monthly_allowance(
        Billing::Recurring {
            fee: usd(1000),
            months: 1,
        },
        CostPerMinute::new(usd(10)),
        None,
    );
    assert_eq!(
        allowance,
        Some(Allowance {
            minutes: 100,
            source: AllowanceSource::Fee
        })
    );
}

#[test]
fn quarterly_and_yearly_fees_are_brought_to_a_month_and_part_minutes_are_not_bought() {
    let quarterly = Billing::Recurring {
        fee: eur(30_000),
        months: 3,
    };
    assert_eq!(
        monthly_allowance(quarterly, cost(10), None).map(|a| a.minutes),
        Some(1000)
    );
    let yearly = Billing::Recurring {
        fee: eur(100_000),
        months: 12,
    };
    // 1000 € a year = 83.33 € a month = 833.3 minutes at 10 cents: 833.
    assert_eq!(
        monthly_allowance(yearly, cost(10), None).map(|a| a.minutes),
        Some(833)
    );
}

#[test]
fn an_override_wins_and_nothing_is_guessed_without_a_fee_or_a_cost() {
    let monthly = Billing::Recurring {
        fee: eur(1000),
        months: 1,
    };
    assert_eq!(
        monthly_allowance(monthly, cost(10), IncludedSupport::new(180)),
        Some(Allowance {
            minutes: 180,
            source: AllowanceSource::Override
        }),
        "seed 002's three hours a month"
    );
    assert_eq!(monthly_allowance(Billing::Unpriced, cost(10), None), None);
    assert_eq!(monthly_allowance(monthly, None, None), None);
    let roubles = Billing::Recurring {
        fee: Money {
            minor_units: 600_000,
            currency: Currency::parse("RUB").unwrap(),
        },
        months: 1,
    };
    assert_eq!(
        monthly_allowance(roubles, cost(10), None),
        None,
        "a fee in roubles is not divided by a cost in euros"
    );
    assert!(CostPerMinute::new(eur(0)).is_none());
}

#[test]
fn an_overrun_is_counted_in_minutes_and_valued_in_minor_units() {
    let month = MonthUse {
        month: YearMonth {
            year: 2026,
            month: 5,
        },
        minutes: 260,
        allowance: Some(Allowance {
            minutes: 100,
            source: AllowanceSource::Fee,
        }),
    };
    assert_eq!(month.percent(), Some(260));
    assert_eq!(month.overrun(), 160);
    assert!(month.is_over());
    assert_eq!(month.overrun_value(cost(10)), Some(eur(1600)));
    let within = MonthUse {
        minutes: 40,
        ..month
    };
    assert_eq!((within.overrun(), within.percent()), (0, Some(40)));
}

#[test]
fn an_entry_at_half_past_eleven_on_the_last_day_belongs_to_that_month_where_the_user_is() {
    let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
    let new_york = FixedOffset::west_opt(4 * 3600).unwrap();
    // 31 May 23:30 in New York is 1 June 03:30 UTC.
    let late = Utc.with_ymd_and_hms(2026, 6, 1, 3, 30, 0).unwrap();
    assert_eq!(
        YearMonth::of_instant(late, &new_york),
        YearMonth {
            year: 2026,
            month: 5
        }
    );
    // 31 May 23:30 UTC is 1 June 02:30 in Moscow.
    let late_utc = Utc.with_ymd_and_hms(2026, 5, 31, 23, 30, 0).unwrap();
    assert_eq!(
        YearMonth::of_instant(late_utc, &moscow),
        YearMonth {
            year: 2026,
            month: 6
        }
    );
    let months = minutes_by_month(
        [(late, 30), (late + Duration::days(40), 15)],
        &new_york,
        YearMonth {
            year: 2026,
            month: 8,
        },
    );
    let listed: Vec<(String, u64)> = months
        .iter()
        .map(|(month, minutes)| (month.to_string(), *minutes))
        .collect();
    assert_eq!(
        listed,
        [
            ("2026-05".to_owned(), 30),
            ("2026-06".to_owned(), 0),
            ("2026-07".to_owned(), 15),
            ("2026-08".to_owned(), 0)
        ],
        "empty months appear as zero"
    );
}

#[test]
fn months_parse_as_written() {
    assert_eq!(
        YearMonth::parse("2026-05"),
        Some(YearMonth {
            year: 2026,
            month: 5
        })
    );
    assert_eq!(YearMonth::parse("2026-13"), None);
    assert_eq!(YearMonth::parse("May"), None);
    let january = YearMonth::parse("2027-01").unwrap();
    assert_eq!(january.previous().to_string(), "2026-12");
    assert_eq!(january.previous().next(), january);
}

fn marks(heats: &[u8]) -> Vec<HeatMark> {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    heats
        .iter()
        .enumerate()
        .map(|(index, heat)| HeatMark {
            exchange_id: ExchangeId(i64::try_from(index).unwrap() + 1),
            at: start + Duration::days(i64::try_from(index).unwrap()),
            heat: *heat,
            threatened: false,
            insulted: false,
            language: ReplyLanguage::English,
        })
        .collect()
}

#[test]
fn the_last_five_messages_hotter_than_the_five_before_is_a_rising_trend() {
    assert_eq!(
        heat_trend(&[5, 10, 0, 5, 10, 40, 60, 55, 70, 45], 5),
        HeatTrend::Rising { window: 5 }
    );
    assert_eq!(
        heat_trend(&[60, 70, 5, 0], 5),
        HeatTrend::Falling { window: 2 }
    );
    assert_eq!(
        heat_trend(&[20, 25, 22, 18, 21, 24], 5),
        HeatTrend::Steady { window: 3 }
    );
    assert_eq!(heat_trend(&[90, 10, 5], 5), HeatTrend::TooFew);
}

fn client(fee: Option<Money>, period: BillingPeriod) -> Client {
    let created = Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap();
    Client {
        client_id: ClientId(1),
        name: "Ромашка".into(),
        contact: String::new(),
        contact_person: String::new(),
        contract: Contract::default(),
        fee,
        billing_period: period,
        included_support: None,
        status: ClientStatus::Active,
        ending: None,
        scheduled_end: None,
        kind: None,
        notes: String::new(),
        created_at: created,
        updated_at: created,
    }
}

fn may() -> YearMonth {
    YearMonth {
        year: 2026,
        month: 5,
    }
}

#[test]
fn hourly_time_is_worth_the_rate_and_a_project_has_a_budget_not_an_allowance() {
    let hourly = Billing::new(Some(eur(6000)), BillingPeriod::Hour);
    assert_eq!(hourly, Billing::Hourly { rate: eur(6000) });
    // 25 minutes at 60 € an hour: 25.00 €; 1 minute at 0.50 € an hour rounds to 0.01 €.
    assert_eq!(hourly.value_of_time(25, cost(10)), Some(eur(2500)));
    assert_eq!(
        Billing::new(Some(eur(50)), BillingPeriod::Hour).value_of_time(1, None),
        Some(eur(1))
    );
    assert_eq!(
        monthly_allowance(hourly, cost(10), IncludedSupport::new(180)),
        None,
        "hourly work includes no support, whatever was typed"
    );
    let project = Billing::new(Some(eur(50_000)), BillingPeriod::Project);
    assert_eq!(monthly_allowance(project, cost(10), None), None);
    assert_eq!(project_budget(project, cost(10)), Some(5000));
    assert_eq!(project.value_of_time(90, cost(10)), Some(eur(900)));
    assert_eq!(
        Billing::new(Some(eur(0)), BillingPeriod::Month),
        Billing::Unpriced
    );
    assert_eq!(Billing::new(None, BillingPeriod::Year), Billing::Unpriced);
}

#[test]
fn a_client_ledger_counts_each_month_where_the_user_is_and_values_the_overrun() {
    let new_york = FixedOffset::west_opt(4 * 3600).unwrap();
    let ten_a_month = client(Some(eur(1000)), BillingPeriod::Month);
    // 31 May 23:30 in New York (1 June UTC) counts for May; March is empty but shown.
    let entries = [
        (Utc.with_ymd_and_hms(2026, 2, 3, 12, 0, 0).unwrap(), 40),
        (Utc.with_ymd_and_hms(2026, 5, 2, 12, 0, 0).unwrap(), 90),
        (Utc.with_ymd_and_hms(2026, 6, 1, 3, 30, 0).unwrap(), 60),
        (Utc.with_ymd_and_hms(2026, 6, 20, 12, 0, 0).unwrap(), 500),
    ];
    let ledger = client_ledger(
        &ten_a_month,
        entries,
        marks(&[10, 80]),
        cost(10),
        &new_york,
        may(),
    );
    let months: Vec<(u32, u64)> = ledger
        .months
        .iter()
        .map(|each| (each.month.month, each.minutes))
        .collect();
    assert_eq!(
        months,
        [(2, 40), (3, 0), (4, 0), (5, 150)],
        "June is after the ledger's month"
    );
    assert_eq!(ledger.this_month.minutes, 150);
    assert_eq!(ledger.this_month.percent(), Some(150));
    assert_eq!(ledger.overrun_value, Some(eur(500)));
    assert_eq!(ledger.this_month_value, Some(eur(1500)));
    assert_eq!(ledger.months_over(), 1);
    assert!(ledger.is_over());
    assert_eq!(ledger.last_heat().map(|mark| mark.heat), Some(80));

    let mut ended = ten_a_month.clone();
    ended.status = ClientStatus::Ended;
    ended.ending = Some(Ending {
        at: Utc.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap(),
        reason: "parted".into(),
    });
    let ledger = client_ledger(&ended, entries, Vec::new(), cost(10), &new_york, may());
    assert_eq!(
        ledger.months.len(),
        2,
        "the contract's life ends with the client"
    );
    assert_eq!(ledger.this_month.minutes, 0);
    assert!(!ledger.is_over());
}

#[test]
fn a_project_over_its_budget_is_over_and_an_unpriced_client_never_is() {
    let utc = Utc;
    let entries = [(Utc.with_ymd_and_hms(2026, 5, 2, 12, 0, 0).unwrap(), 700)];
    let project = client(Some(eur(6000)), BillingPeriod::Project);
    let ledger = client_ledger(&project, entries, Vec::new(), cost(10), &utc, may());
    assert_eq!(
        ledger.project,
        Some(ProjectUse {
            minutes: 700,
            budget: Some(600),
            value: Some(eur(7000)),
        })
    );
    assert_eq!(ledger.project.map(|project| project.over()), Some(100));
    assert!(ledger.is_over());
    let unpriced = client(None, BillingPeriod::Month);
    let ledger = client_ledger(&unpriced, entries, Vec::new(), cost(10), &utc, may());
    assert_eq!(
        (ledger.allowance, ledger.overrun_value),
        (None, Some(eur(0)))
    );
    assert!(!ledger.is_over());
}

#[test]
fn the_overview_sorts_by_any_column_with_empty_values_last() {
    let utc = Utc;
    let row = |name: &str, fee: Option<i64>, minutes: u32| {
        let mut each = client(fee.map(eur), BillingPeriod::Month);
        each.name = name.into();
        let entries = [(Utc.with_ymd_and_hms(2026, 5, 2, 12, 0, 0).unwrap(), minutes)];
        LedgerRow {
            ledger: client_ledger(&each, entries, Vec::new(), cost(10), &utc, may()),
            client: each,
            open_cooldowns: 0,
        }
    };
    let mut rows = vec![
        row("Альфа", Some(100_000), 300),
        row("Beta", Some(1000), 250),
        row("gamma", None, 900),
    ];
    sort_rows(&mut rows, LedgerColumn::Percent, true);
    let names = |rows: &[LedgerRow]| -> Vec<String> {
        rows.iter().map(|row| row.client.name.clone()).collect()
    };
    // Beta uses 250 % of 100 minutes; Альфа 30 % of 10 000; gamma has no allowance.
    assert_eq!(names(&rows), ["Beta", "Альфа", "gamma"]);
    sort_rows(&mut rows, LedgerColumn::Percent, false);
    assert_eq!(names(&rows), ["Альфа", "Beta", "gamma"]);
    sort_rows(&mut rows, LedgerColumn::Minutes, true);
    assert_eq!(names(&rows), ["gamma", "Альфа", "Beta"]);
    sort_rows(&mut rows, LedgerColumn::Name, false);
    assert_eq!(names(&rows), ["Beta", "gamma", "Альфа"]);
    let mut kinds = rows.clone();
    kinds[2].client.kind = Some(ClientKind::Lost);
    sort_rows(&mut kinds, LedgerColumn::Kind, true);
    assert_eq!(kinds[0].client.name, "Альфа");
}

#[test]
fn the_cost_of_a_minute_is_read_as_typed_and_kept_exactly() {
    let cost = CostPerMinute::parse("0,10", "eur").unwrap();
    assert_eq!(cost.money().minor_units, 10);
    assert_eq!(cost.currency().code(), "EUR");
    assert_eq!(
        CostPerMinute::parse_setting(&cost.setting_text()),
        Some(cost)
    );
    assert_eq!(
        CostPerMinute::parse("0", "EUR"),
        None,
        "a free minute buys nothing"
    );
    assert_eq!(CostPerMinute::parse("ten", "EUR"), None);
    assert_eq!(CostPerMinute::parse("0.10", "euro"), None);
    assert_eq!(CostPerMinute::parse_setting("10"), None);
}
