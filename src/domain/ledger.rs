//! The ledger: the support minutes a client takes against what the client pays (seed 002: "at
//! 10 cents a minute, a client paying $10 a month has 100 minutes"), month by month in the user's
//! time zone, and how heated their messages run over time.
//!
//! All money is integer minor units; minutes are whole minutes. A recurring fee is brought to a
//! month (a quarter's fee over three, a year's over twelve) and divided by what one support
//! minute costs; a per-client override in minutes stands in for that. Hourly and one-off work has
//! no monthly allowance: the ledger shows its time and what that time is worth instead.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike as _, NaiveDate, TimeZone, Utc};

use super::client::BillingPeriod;
use super::money::{Currency, Money};

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
    /// A positive cost; `None` for zero or less (a minute that costs nothing buys no allowance).
    pub fn new(cost: Money) -> Option<Self> {
        (cost.minor_units > 0).then_some(Self(cost))
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
    /// A fee every month, quarter or year.
    Recurring { fee: Money, period: BillingPeriod },
    /// No fee set: nothing to weigh the time against.
    Unpriced,
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

/// The monthly allowance: the override if the user set one, else the fee brought to a month and
/// divided by the cost of a minute (rounded down: a part-minute is not bought). `None` when
/// neither tells (no fee, no cost, or a fee in another currency than the cost).
pub fn monthly_allowance(
    billing: Billing,
    cost: Option<CostPerMinute>,
    override_minutes: Option<u32>,
) -> Option<Allowance> {
    if let Some(minutes) = override_minutes {
        return Some(Allowance {
            minutes: u64::from(minutes),
            source: AllowanceSource::Override,
        });
    }
    let (Billing::Recurring { fee, period }, Some(cost)) = (billing, cost) else {
        return None;
    };
    if fee.currency != cost.currency() || fee.minor_units <= 0 {
        return None;
    }
    let per_month = i64::from(period.months()) * cost.money().minor_units;
    let minutes = u64::try_from(fee.minor_units / per_month).unwrap_or(0);
    Some(Allowance {
        minutes,
        source: AllowanceSource::Fee,
    })
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

/// One message's heat (0–100), with whether it threatened or insulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatMark {
    pub at: DateTime<Utc>,
    pub heat: u8,
    pub threatened: bool,
    pub insulted: bool,
}

/// Which way a client's temperature goes, said in words by the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatTrend {
    /// The last `window` messages are hotter than the `window` before them.
    Rising {
        window: usize,
    },
    Falling {
        window: usize,
    },
    Steady {
        window: usize,
    },
    /// Too few messages to compare.
    TooFew,
}

/// Compares the mean heat of the last `window` messages with the `window` before them; a change
/// of more than ten points is a trend. With fewer than two windows, the halves of what there is
/// (at least four messages).
pub fn heat_trend(marks: &[HeatMark], window: usize) -> HeatTrend {
    let window = window.min(marks.len() / 2);
    if window < 2 {
        return HeatTrend::TooFew;
    }
    let mut sorted: Vec<&HeatMark> = marks.iter().collect();
    sorted.sort_by_key(|mark| mark.at);
    let later = &sorted[sorted.len() - window..];
    let earlier = &sorted[sorted.len() - 2 * window..sorted.len() - window];
    let mean = |marks: &[&HeatMark]| -> i64 {
        let total: i64 = marks.iter().map(|mark| i64::from(mark.heat)).sum();
        total / i64::try_from(marks.len()).unwrap_or(1)
    };
    let change = mean(later) - mean(earlier);
    if change > 10 {
        HeatTrend::Rising { window }
    } else if change < -10 {
        HeatTrend::Falling { window }
    } else {
        HeatTrend::Steady { window }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
                period: BillingPeriod::Month,
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
            period: BillingPeriod::Quarter,
        };
        assert_eq!(
            monthly_allowance(quarterly, cost(10), None).map(|a| a.minutes),
            Some(1000)
        );
        let yearly = Billing::Recurring {
            fee: eur(100_000),
            period: BillingPeriod::Year,
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
            period: BillingPeriod::Month,
        };
        assert_eq!(
            monthly_allowance(monthly, cost(10), Some(180)),
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
            period: BillingPeriod::Month,
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
    }

    fn marks(heats: &[u8]) -> Vec<HeatMark> {
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        heats
            .iter()
            .enumerate()
            .map(|(index, heat)| HeatMark {
                at: start + Duration::days(i64::try_from(index).unwrap()),
                heat: *heat,
                threatened: false,
                insulted: false,
            })
            .collect()
    }

    #[test]
    fn the_last_five_messages_hotter_than_the_five_before_is_a_rising_trend() {
        assert_eq!(
            heat_trend(&marks(&[5, 10, 0, 5, 10, 40, 60, 55, 70, 45]), 5),
            HeatTrend::Rising { window: 5 }
        );
        assert_eq!(
            heat_trend(&marks(&[60, 70, 5, 0]), 5),
            HeatTrend::Falling { window: 2 }
        );
        assert_eq!(
            heat_trend(&marks(&[20, 25, 22, 18, 21, 24]), 5),
            HeatTrend::Steady { window: 3 }
        );
        assert_eq!(heat_trend(&marks(&[90, 10, 5]), 5), HeatTrend::TooFew);
    }
}
