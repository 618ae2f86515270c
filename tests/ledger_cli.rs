//! `calmdesk ledger`: the month's overview for scripts, with known numbers, and the promise that
//! it changes nothing in the file it reads (messages without a kept mark are read in memory).

// Test code: an unwrap that fails is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

mod common;

use calmdesk::domain::ledger::{CostPerMinute, YearMonth};
use calmdesk::domain::{BillingPeriod, Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use chrono::{TimeZone, Utc};

fn entry(direction: Direction, day: u32, minutes: u32, body: &str) -> ExchangeDraft {
    ExchangeDraft {
        direction,
        channel: Channel::Email,
        occurred_at: Utc.with_ymd_and_hms(2026, 5, day, 12, 0, 0).unwrap(),
        minutes: Minutes::new(minutes).unwrap(),
        body: body.into(),
    }
}

/// A $20 plan at 10 cents a minute (200 minutes) used for 260 minutes in May, an hourly client
/// at $90 an hour, and a client whose plan includes 3 hours.
fn database(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store
        .set_setting(CostPerMinute::SETTING_KEY, "10 USD")
        .unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    for (name, fee, period, included, entries) in [
        (
            "Brightside Yoga",
            "20",
            BillingPeriod::Month,
            "",
            vec![
                entry(Direction::FromClient, 3, 60, "Please fix the form."),
                entry(Direction::ToClient, 4, 200, "Fixed."),
                // April does not count in May.
                entry(Direction::ToClient, 30, 0, "Noted."),
            ],
        ),
        (
            "Hourly Studio",
            "90",
            BillingPeriod::Hour,
            "",
            vec![entry(Direction::ToClient, 10, 50, "Report sent.")],
        ),
        (
            "Retainer Ltd",
            "1000",
            BillingPeriod::Quarter,
            "3 h",
            vec![entry(Direction::FromClient, 12, 30, "Thanks!")],
        ),
    ] {
        let draft = ClientInput {
            name: name.into(),
            fee: fee.into(),
            currency: "USD".into(),
            billing_period: period,
            included_support: included.into(),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        let client_id = store.add_client(&draft, now).unwrap();
        store.add_exchanges(client_id, &entries, now).unwrap();
    }
    path
}

fn run(path: &std::path::Path, json: bool) -> String {
    let mut out = Vec::new();
    calmdesk::cli::ledger::run(path, YearMonth::parse("2026-05").unwrap(), json, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_json_overview_gives_minutes_allowance_and_overrun_in_minor_units() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let report: serde_json::Value = serde_json::from_str(&run(&path, true)).unwrap();
    assert_eq!(report["month"], "2026-05");
    assert_eq!(report["cost_per_minute"]["minor_units"], 10);
    let clients = report["clients"].as_array().unwrap();
    let names: Vec<&str> = clients
        .iter()
        .map(|client| client["name"].as_str().unwrap())
        .collect();
    // The most used share of the allowance first; no allowance last.
    assert_eq!(names, ["Brightside Yoga", "Retainer Ltd", "Hourly Studio"]);
    let yoga = &clients[0];
    assert_eq!(yoga["minutes"], 260);
    assert_eq!(yoga["allowance_minutes"], 200);
    assert_eq!(yoga["percent_of_allowance"], 130);
    assert_eq!(yoga["overrun_minutes"], 60);
    assert_eq!(yoga["overrun_value"]["minor_units"], 600);
    assert_eq!(yoga["overrun_value"]["currency"], "USD");
    assert_eq!(yoga["trend"], "too_few");
    let retainer = &clients[1];
    assert_eq!(retainer["allowance_minutes"], 180, "the plan's own 3 hours");
    assert_eq!(retainer["overrun_minutes"], 0);
    assert_eq!(retainer["overrun_value"]["minor_units"], 0);
    let hourly = &clients[2];
    assert!(hourly["allowance_minutes"].is_null());
    assert_eq!(
        hourly["value_of_time"]["minor_units"], 7500,
        "50 minutes at $90 an hour"
    );
}

#[test]
fn the_table_says_the_same_and_reading_the_ledger_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let listing = common::folder_listing;
    let before = listing(dir.path());
    let table = run(&path, false);
    assert!(table.starts_with("Ledger for 2026-05 — a support minute costs 0.10 USD"));
    let yoga = table
        .lines()
        .find(|line| line.starts_with("Brightside Yoga"))
        .unwrap();
    for figure in ["20 USD", "260", "200", "130%", "6 USD"] {
        assert!(yoga.contains(figure), "{figure} in {yoga:?}");
    }
    let after = listing(dir.path());
    let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(name, _)| name.clone()).collect()
    };
    assert_eq!(names(&after), names(&before), "no file created or removed");
    assert!(after == before, "no file in the folder is written");
}

#[test]
fn a_missing_file_is_an_error_not_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.sqlite3");
    let mut out = Vec::new();
    let result =
        calmdesk::cli::ledger::run(&path, YearMonth::parse("2026-05").unwrap(), true, &mut out);
    assert!(result.is_err());
    assert!(!path.exists());
}

#[test]
fn while_the_app_has_the_file_open_the_latest_entries_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    // The window holds the file and has just written an entry (still in its write-ahead log).
    let mut window = Store::open(&path).unwrap();
    let client_id = window
        .client_overviews()
        .unwrap()
        .into_iter()
        .find(|overview| overview.client.name == "Brightside Yoga")
        .unwrap()
        .client
        .client_id;
    window
        .add_exchange(
            client_id,
            &entry(Direction::ToClient, 20, 40, "One more call."),
            Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap(),
        )
        .unwrap();
    let report: serde_json::Value = serde_json::from_str(&run(&path, true)).unwrap();
    let line = report["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["name"] == "Brightside Yoga")
        .unwrap()
        .clone();
    assert_eq!(line["minutes"], 300, "260 before and the 40 just written");
}

#[test]
fn the_command_counts_each_entry_in_its_month_where_the_user_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    let draft = ClientInput {
        name: "Evening Studio".into(),
        fee: "20".into(),
        currency: "USD".into(),
        billing_period: BillingPeriod::Month,
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&draft, now).unwrap();
    // 23:30 on 31 May and 00:30 on 1 June, three hours east of UTC (20:30 and 21:30 in UTC).
    let entries: Vec<ExchangeDraft> = [(20, 10), (21, 20)]
        .into_iter()
        .map(|(hour, minutes)| ExchangeDraft {
            occurred_at: Utc.with_ymd_and_hms(2026, 5, 31, hour, 30, 0).unwrap(),
            ..entry(Direction::ToClient, 1, minutes, "Done.")
        })
        .collect();
    store.add_exchanges(client_id, &entries, now).unwrap();
    drop(store);
    let minutes = |month: &str| -> serde_json::Value {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_calmdesk"))
            // POSIX spells UTC+3 "GMT-3".
            .env("TZ", "Etc/GMT-3")
            .arg("--db")
            .arg(&path)
            .args(["ledger", "--month", month, "--json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["clients"][0]["minutes"].clone()
    };
    assert_eq!(minutes("2026-05"), 10, "23:30 on 31 May is May's");
    assert_eq!(minutes("2026-06"), 20, "00:30 on 1 June is June's");
}
