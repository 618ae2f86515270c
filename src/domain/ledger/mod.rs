//! The ledger: the support minutes a client takes against what the client pays (seed 002: "at
//! 10 cents a minute, a client paying $10 a month has 100 minutes"), month by month in the user's
//! time zone, and how heated their messages run over time.
//!
//! All money is integer minor units; minutes are whole minutes. A recurring fee is brought to a
//! month (a quarter's fee over three, a year's over twelve) and divided by what one support
//! minute costs; a per-client override in minutes stands in for that. Hourly and one-off work has
//! no monthly allowance: the ledger shows its time and what that time is worth instead.
//!
//! [`heat`] is the temperature of a client's messages over time; [`picture`] puts a client's
//! months and messages together, as the Picture page and the overview show them.

pub mod heat;
pub mod letters;
pub mod picture;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike as _, NaiveDate, TimeZone, Utc};

use super::client::{BillingPeriod, Client, IncludedSupport};
use super::money::{Currency, Money, parse_amount};

pub use heat::{HeatMark, HeatTrend, TREND_WINDOW, heat_trend};
pub use picture::{
    ClientLedger, LedgerColumn, LedgerRow, ProjectUse, client_ledger, compare_rows, sort_rows,
};

/// A calendar month, in the user's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl YearMonth {
    pub fn of_date(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The month an instant falls in, in the time zone `tz` (an entry at 23:30 on the last day
    /// belongs to that day's month wherever the clock in UTC stands).
    pub fn of_instant<Tz: TimeZone>(instant: DateTime<Utc>, tz: &Tz) -> Self {
        Self::of_date(instant.with_timezone(tz).date_naive())
    }

    /// "2026-05" → May 2026.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Self { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What one minute of support costs the user, in minor units of a currency (0.10 € = 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostPerMinute(Money);

impl CostPerMinute {
    /// The settings key it is kept under, as [`Self::setting_text`].
    pub const SETTING_KEY: &str = "ledger.cost_per_minute";

    /// A positive cost; `None` for zero or less (a minute that costs nothing buys no allowance).
    pub fn new(cost: Money) -> Option<Self> {
        (cost.minor_units > 0).then_some(Self(cost))
    }

    /// The cost as the user types it: an amount ("0.10", "0,1") and a currency code (empty: the
    /// default currency). `None` when either is not understood or the amount is not above zero.
    pub fn parse(amount: &str, currency: &str) -> Option<Self> {
        let currency = if currency.trim().is_empty() {
            Currency::default()
        } else {
            Currency::parse(currency)?
        };
        Self::new(Money {
            minor_units: parse_amount(amount).ok()?,
            currency,
        })
    }

    /// The stored setting, "10 EUR" (minor units and code), as written by [`Self::setting_text`].
    pub fn parse_setting(text: &str) -> Option<Self> {
        let (minor_units, currency) = text.trim().split_once(' ')?;
        Self::new(Money {
            minor_units: minor_units.parse().ok()?,
            currency: Currency::parse(currency)?,
        })
    }

    pub fn setting_text(self) -> String {
        format!("{} {}", self.0.minor_units, self.0.currency)
    }

    pub fn money(self) -> Money {
        self.0
    }

    pub fn currency(self) -> Currency {
        self.0.currency
    }

    /// What `minutes` of support are worth.
    pub fn value_of(self, minutes: u64) -> Money {
        Money {
            minor_units: self
                .0
                .minor_units
                .saturating_mul(i64::try_from(minutes).unwrap_or(i64::MAX)),
            currency: self.0.currency,
        }
    }
}

/// How a client pays, as the ledger needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Billing {
    /// A fee every month, quarter or year: a subscription with support included.
    Recurring { fee: Money, months: u32 },
    /// By the hour: time is billed at this rate.
    Hourly { rate: Money },
    /// One fee for the whole project.
    Project { fee: Money },
    /// No fee set: nothing to weigh the time against.
    Unpriced,
}

impl Billing {
    pub fn new(fee: Option<Money>, period: BillingPeriod) -> Self {
        let Some(fee) = fee.filter(|fee| fee.minor_units > 0) else {
            return Self::Unpriced;
        };
        match (period, period.months()) {
            (_, Some(months)) => Self::Recurring { fee, months },
            (BillingPeriod::Hour, None) => Self::Hourly { rate: fee },
            (_, None) => Self::Project { fee },
        }
    }

    pub fn of(client: &Client) -> Self {
        Self::new(client.fee, client.billing_period)
    }

    /// Whether the fee buys support by the month (only then is there an allowance).
    pub fn is_recurring(self) -> bool {
        matches!(self, Self::Recurring { .. })
    }

    /// What `minutes` of the user's time are worth: at the hourly rate for hourly work (rounded
    /// to the nearest minor unit), otherwise at what a minute costs her.
    pub fn value_of_time(self, minutes: u64, cost: Option<CostPerMinute>) -> Option<Money> {
        match self {
            Self::Hourly { rate } => {
                let minutes = i64::try_from(minutes).unwrap_or(i64::MAX);
                let value = rate.minor_units.saturating_mul(minutes).saturating_add(30) / 60;
                Some(Money {
                    minor_units: value,
                    currency: rate.currency,
                })
            }
            _ => cost.map(|cost| cost.value_of(minutes)),
        }
    }
}

/// Where a month's allowance comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowanceSource {
    /// The fee divided by the cost of a minute.
    Fee,
    /// The user's own figure for this client (seed 002's "3 hours a month").
    Override,
}

/// The minutes of support a client's fee buys each month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowance {
    pub minutes: u64,
    pub source: AllowanceSource,
}

/// The monthly allowance of a subscription: the user's own figure if she set one, else the fee
/// brought to a month and divided by the cost of a minute (rounded down: a part-minute is not
/// bought). `None` when neither tells (no fee, no cost, a fee in another currency than the
/// cost), and always for hourly and one-off work, which include no support.
pub fn monthly_allowance(
    billing: Billing,
    cost: Option<CostPerMinute>,
    included: Option<IncludedSupport>,
) -> Option<Allowance> {
    let Billing::Recurring { fee, months } = billing else {
        return None;
    };
    if let Some(included) = included {
        return Some(Allowance {
            minutes: u64::from(included.minutes()),
            source: AllowanceSource::Override,
        });
    }
    let cost = cost?;
    if fee.currency != cost.currency() {
        return None;
    }
    let per_month = i64::from(months) * cost.money().minor_units;
    let minutes = u64::try_from(fee.minor_units / per_month).unwrap_or(0);
    Some(Allowance {
        minutes,
        source: AllowanceSource::Fee,
    })
}

/// How many minutes a one-off fee pays for at the cost of a minute (the project's budget of
/// time, for the whole contract).
pub fn project_budget(billing: Billing, cost: Option<CostPerMinute>) -> Option<u64> {
    let (Billing::Project { fee }, Some(cost)) = (billing, cost) else {
        return None;
    };
    (fee.currency == cost.currency())
        .then(|| u64::try_from(fee.minor_units / cost.money().minor_units).unwrap_or(0))
}

/// One client's month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthUse {
    pub month: YearMonth,
    pub minutes: u64,
    pub allowance: Option<Allowance>,
}

impl MonthUse {
    /// Minutes used as a share of the allowance, in whole percent (`None` without an allowance,
    /// or with an allowance of zero).
    pub fn percent(&self) -> Option<u64> {
        let allowance = self.allowance?.minutes;
        (allowance > 0).then(|| self.minutes * 100 / allowance)
    }

    /// Minutes over the allowance (zero when within it).
    pub fn overrun(&self) -> u64 {
        self.allowance.map_or(0, |allowance| {
            self.minutes.saturating_sub(allowance.minutes)
        })
    }

    pub fn is_over(&self) -> bool {
        self.overrun() > 0
    }

    /// What the minutes over the allowance are worth at the cost of a minute.
    pub fn overrun_value(&self, cost: Option<CostPerMinute>) -> Option<Money> {
        cost.map(|cost| cost.value_of(self.overrun()))
    }
}

/// Minutes per month from `(when, minutes)` pairs, in the time zone `tz`; every month from the
/// first to `until` appears, empty ones with zero.
pub fn minutes_by_month<Tz: TimeZone>(
    entries: impl IntoIterator<Item = (DateTime<Utc>, u32)>,
    tz: &Tz,
    until: YearMonth,
) -> BTreeMap<YearMonth, u64> {
    let mut months: BTreeMap<YearMonth, u64> = BTreeMap::new();
    for (at, minutes) in entries {
        *months.entry(YearMonth::of_instant(at, tz)).or_default() += u64::from(minutes);
    }
    if let Some(first) = months.keys().next().copied() {
        let mut month = first;
        while month <= until {
            months.entry(month).or_default();
            month = month.next();
        }
    }
    months
}
