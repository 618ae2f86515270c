//! One client's ledger as the Picture page and the overview show it: the months of the contract
//! with their minutes against the allowance, what the time is worth, and the heat of the
//! client's messages with its trend. Built from plain rows, so the numbers on screen, in
//! `calmdesk ledger` and in the tests are one computation.

use std::cmp::Ordering;

use chrono::{DateTime, TimeZone, Utc};

use super::heat::{HeatMark, HeatTrend, TREND_WINDOW, heat_trend};
use super::{
    Allowance, Billing, CostPerMinute, MonthUse, YearMonth, minutes_by_month, monthly_allowance,
    project_budget,
};
use crate::domain::client::{Client, ClientKind, ClientStatus};
use crate::domain::ids::ClientId;
use crate::domain::money::Money;

/// A one-off project's time against what its fee pays for, over the whole contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProjectUse {
    pub minutes: u64,
    /// Minutes the fee pays for at the cost of a minute (`None` without a cost to divide by).
    pub budget: Option<u64>,
    /// What all its time is worth at the cost of a minute (`None` without a cost).
    pub value: Option<Money>,
}

impl ProjectUse {
    /// Minutes past the budget (zero within it, or without a budget).
    pub fn over(&self) -> u64 {
        self.budget
            .map_or(0, |budget| self.minutes.saturating_sub(budget))
    }

    pub fn is_over(&self) -> bool {
        self.over() > 0
    }
}

/// One client's ledger up to a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientLedger {
    pub client_id: ClientId,
    pub billing: Billing,
    pub allowance: Option<Allowance>,
    /// Every month from the first entry given to the ledger's month (or the month the client
    /// ended), oldest first, empty months included.
    pub months: Vec<MonthUse>,
    /// The ledger's month (the current one, on screen).
    pub this_month: MonthUse,
    /// What this month's time is worth: at the hourly rate, or at what a minute costs.
    pub this_month_value: Option<Money>,
    /// What the minutes over the allowance are worth at the cost of a minute.
    pub overrun_value: Option<Money>,
    /// For a one-off project: all its time against its budget.
    pub project: Option<ProjectUse>,
    /// The heat of each message from the client, oldest first.
    pub heat: Vec<HeatMark>,
    pub trend: HeatTrend,
}

impl ClientLedger {
    pub fn last_heat(&self) -> Option<&HeatMark> {
        self.heat.last()
    }

    /// Months (of those shown) that went over the allowance.
    pub fn months_over(&self) -> usize {
        self.months.iter().filter(|month| month.is_over()).count()
    }

    /// Over the allowance this month, or a project over its budget: the app says so and
    /// offers seed 002's options.
    pub fn is_over(&self) -> bool {
        self.this_month.is_over() || self.project.is_some_and(|project| project.is_over())
    }
}

/// The ledger of `client` up to `month`, in the time zone `tz`, from its entries' `(when,
/// minutes)` and its messages' heat marks.
pub fn client_ledger<Tz: TimeZone>(
    client: &Client,
    entries: impl IntoIterator<Item = (DateTime<Utc>, u32)>,
    mut heat: Vec<HeatMark>,
    cost: Option<CostPerMinute>,
    tz: &Tz,
    month: YearMonth,
) -> ClientLedger {
    let billing = Billing::of(client);
    let allowance = monthly_allowance(billing, cost, client.included_support);
    let last_month = client.ending.as_ref().map_or(month, |ending| {
        YearMonth::of_instant(ending.at, tz).min(month)
    });
    let entries: Vec<(DateTime<Utc>, u32)> = entries.into_iter().collect();
    let all_minutes: u64 = entries.iter().map(|(_, minutes)| u64::from(*minutes)).sum();
    let mut by_month = minutes_by_month(entries, tz, last_month);
    by_month.retain(|each, _| *each <= last_month);
    let months: Vec<MonthUse> = by_month
        .into_iter()
        .map(|(each, minutes)| MonthUse {
            month: each,
            minutes,
            allowance,
        })
        .collect();
    let this_month = months
        .iter()
        .find(|each| each.month == month)
        .copied()
        .unwrap_or(MonthUse {
            month,
            minutes: 0,
            allowance,
        });
    heat.sort_by_key(|mark| (mark.at, mark.exchange_id));
    let heats: Vec<u8> = heat.iter().map(|mark| mark.heat).collect();
    ClientLedger {
        client_id: client.client_id,
        billing,
        allowance,
        months,
        this_month,
        this_month_value: billing.value_of_time(this_month.minutes, cost),
        overrun_value: this_month.overrun_value(cost),
        project: matches!(billing, Billing::Project { .. }).then(|| ProjectUse {
            minutes: all_minutes,
            budget: project_budget(billing, cost),
            value: cost.map(|cost| cost.value_of(all_minutes)),
        }),
        trend: heat_trend(&heats, TREND_WINDOW),
        heat,
    }
}

/// A row of the overview of all clients.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerRow {
    pub client: Client,
    pub ledger: ClientLedger,
    pub open_cooldowns: usize,
}

/// The overview's columns, each sortable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LedgerColumn {
    Name,
    Fee,
    Minutes,
    /// "Who costs me the most for the money": the share of the allowance used.
    #[default]
    Percent,
    Overrun,
    Heat,
    Trend,
    CoolDowns,
    Kind,
    Status,
}

impl LedgerColumn {
    pub const ALL: [Self; 10] = [
        Self::Name,
        Self::Fee,
        Self::Minutes,
        Self::Percent,
        Self::Overrun,
        Self::Heat,
        Self::Trend,
        Self::CoolDowns,
        Self::Kind,
        Self::Status,
    ];
}

/// Sorts the overview by a column; ties keep the name order. Rows without a value (no fee, no
/// allowance, no message yet) go last either way.
pub fn sort_rows(rows: &mut [LedgerRow], column: LedgerColumn, descending: bool) {
    rows.sort_by(|left, right| compare_rows(left, right, column, descending));
}

/// The order [`sort_rows`] puts two rows in (for a view that sorts its own list of rows).
pub fn compare_rows(
    left: &LedgerRow,
    right: &LedgerRow,
    column: LedgerColumn,
    descending: bool,
) -> Ordering {
    let order = match (sort_key(left, column), sort_key(right, column)) {
        (Some(left_key), Some(right_key)) => {
            let order = left_key.cmp(&right_key);
            if descending { order.reverse() } else { order }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    order.then_with(|| {
        left.client
            .name
            .to_lowercase()
            .cmp(&right.client.name.to_lowercase())
    })
}

/// The value a row sorts by: text for names, numbers otherwise.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(i64),
    Text(String),
}

fn sort_key(row: &LedgerRow, column: LedgerColumn) -> Option<SortKey> {
    let ledger = &row.ledger;
    let number = |value: u64| SortKey::Number(i64::try_from(value).unwrap_or(i64::MAX));
    match column {
        LedgerColumn::Name => Some(SortKey::Text(row.client.name.to_lowercase())),
        LedgerColumn::Fee => row.client.fee.map(|fee| SortKey::Number(fee.minor_units)),
        LedgerColumn::Minutes => Some(number(ledger.this_month.minutes)),
        LedgerColumn::Percent => ledger.this_month.percent().map(number),
        LedgerColumn::Overrun => Some(number(ledger.this_month.overrun())),
        LedgerColumn::Heat => ledger.last_heat().map(|mark| number(u64::from(mark.heat))),
        LedgerColumn::Trend => match ledger.trend {
            HeatTrend::Rising { .. } => Some(SortKey::Number(2)),
            HeatTrend::Steady { .. } => Some(SortKey::Number(1)),
            HeatTrend::Falling { .. } => Some(SortKey::Number(0)),
            HeatTrend::TooFew => None,
        },
        LedgerColumn::CoolDowns => Some(number(row.open_cooldowns as u64)),
        LedgerColumn::Kind => row.client.kind.map(|kind| {
            SortKey::Number(match kind {
                ClientKind::BadDay => 0,
                ClientKind::LetDown => 1,
                ClientKind::Defects => 2,
                ClientKind::Lost => 3,
            })
        }),
        LedgerColumn::Status => Some(SortKey::Number(match row.client.status {
            ClientStatus::Active => 0,
            ClientStatus::Paused => 1,
            ClientStatus::Ended => 2,
        })),
    }
}
