//! `calmdesk ledger [--db PATH] [--month YYYY-MM] [--json]`: the overview of all clients for
//! scripts and month-end billing — the same computation as the window's Ledger, on a file it
//! never writes to (messages without a kept mark are read in memory).

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::app::Settings;
use crate::app::picture::{Readings, overview};
use crate::domain::Money;
use crate::domain::ledger::{HeatTrend, LedgerColumn, LedgerRow, YearMonth, sort_rows};

/// An amount for scripts: exact minor units, the currency, and the amount as written.
#[derive(Debug, Serialize)]
struct Amount {
    minor_units: i64,
    currency: String,
    text: String,
}

impl From<Money> for Amount {
    fn from(money: Money) -> Self {
        Self {
            minor_units: money.minor_units,
            currency: money.currency.to_string(),
            text: money.to_string(),
        }
    }
}

/// One client's line of the overview.
#[derive(Debug, Serialize)]
struct ClientLine {
    client_id: i64,
    name: String,
    status: &'static str,
    kind: Option<&'static str>,
    fee: Option<Amount>,
    billing_period: &'static str,
    minutes: u64,
    allowance_minutes: Option<u64>,
    percent_of_allowance: Option<u64>,
    overrun_minutes: u64,
    overrun_value: Option<Amount>,
    value_of_time: Option<Amount>,
    /// A one-off project: all its minutes, those its fee pays for, and those past them.
    project_minutes: Option<u64>,
    project_budget_minutes: Option<u64>,
    project_over_minutes: Option<u64>,
    last_heat: Option<u8>,
    trend: &'static str,
    open_cooldowns: usize,
}

#[derive(Debug, Serialize)]
struct Report {
    month: String,
    cost_per_minute: Option<Amount>,
    /// Messages whose heat could not be read within this run's bound.
    unread_messages: usize,
    clients: Vec<ClientLine>,
}

fn trend_word(trend: HeatTrend) -> &'static str {
    match trend {
        HeatTrend::Rising { .. } => "rising",
        HeatTrend::Falling { .. } => "falling",
        HeatTrend::Steady { .. } => "steady",
        HeatTrend::TooFew => "too_few",
    }
}

fn line(row: &LedgerRow) -> ClientLine {
    let ledger = &row.ledger;
    let month = ledger.this_month;
    ClientLine {
        client_id: row.client.client_id.0,
        name: row.client.name.clone(),
        status: row.client.status.as_str(),
        kind: row.client.kind.map(crate::domain::ClientKind::as_str),
        fee: row.client.fee.map(Amount::from),
        billing_period: row.client.billing_period.as_str(),
        minutes: month.minutes,
        allowance_minutes: month.allowance.map(|allowance| allowance.minutes),
        percent_of_allowance: month.percent(),
        overrun_minutes: month.overrun(),
        overrun_value: ledger.overrun_value.map(Amount::from),
        value_of_time: ledger.this_month_value.map(Amount::from),
        project_minutes: ledger.project.map(|project| project.minutes),
        project_budget_minutes: ledger.project.and_then(|project| project.budget),
        project_over_minutes: ledger
            .project
            .filter(|project| project.budget.is_some())
            .map(|project| project.over()),
        last_heat: ledger.last_heat().map(|mark| mark.heat),
        trend: trend_word(ledger.trend),
        open_cooldowns: row.open_cooldowns,
    }
}

/// Reads the overview of `month` from the database at `path` and writes it to `out`.
pub fn run(path: &Path, month: YearMonth, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = super::open_for_reading(path, "run the ledger")?;
    let clients: Vec<_> = store
        .client_overviews()?
        .into_iter()
        .map(|overview| overview.client)
        .collect();
    let settings = Settings::read(&store)?;
    let open_cooldowns = store.open_cooldowns(None)?;
    let mut readings = Readings::default();
    let mut computed = overview(
        &store,
        &clients,
        &settings,
        &open_cooldowns,
        &mut readings,
        month,
        &chrono::Local,
    )?;
    sort_rows(&mut computed.rows, LedgerColumn::Percent, true);
    let report = Report {
        month: month.to_string(),
        cost_per_minute: settings
            .cost_per_minute
            .map(|cost| Amount::from(cost.money())),
        unread_messages: computed.unread,
        clients: computed.rows.iter().map(line).collect(),
    };
    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        write_table(&report, out)?;
    }
    Ok(())
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |value| value.to_string())
}

fn write_table(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let cost = report
        .cost_per_minute
        .as_ref()
        .map_or("not set (Settings → Support costs)", |cost| &cost.text);
    writeln!(
        out,
        "Ledger for {} — a support minute costs {cost}",
        report.month
    )?;
    writeln!(
        out,
        "{:<36} {:>16} {:>8} {:>9} {:>6} {:>14} {:>5} {:>8} {:>5}",
        "client", "fee", "minutes", "allowance", "%", "overrun value", "heat", "trend", "open"
    )?;
    for client in &report.clients {
        let name: String = client.name.chars().take(36).collect();
        let fee = client.fee.as_ref().map(|fee| &fee.text);
        let percent = client
            .percent_of_allowance
            .map(|percent| format!("{percent}%"));
        let overrun = client.overrun_value.as_ref().map(|value| &value.text);
        writeln!(
            out,
            "{name:<36} {:>16} {:>8} {:>9} {:>6} {:>14} {:>5} {:>8} {:>5}",
            or_dash(fee),
            client.minutes,
            or_dash(client.allowance_minutes),
            or_dash(percent),
            or_dash(overrun.filter(|_| client.overrun_minutes > 0)),
            or_dash(client.last_heat),
            client.trend,
            client.open_cooldowns,
        )?;
    }
    if report.unread_messages > 0 {
        writeln!(
            out,
            "({} messages not read yet: heat and trend leave them out)",
            report.unread_messages
        )?;
    }
    Ok(())
}
