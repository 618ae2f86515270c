//! What the user can send when a client goes over the allowance (seed 002: "bill the extra, or
//! move them to a bigger plan"): an invoice line for the minutes over, and a letter proposing a
//! plan that covers what the client actually uses. Both in the client's language, with every
//! figure from the ledger — minutes, rate and amount in minor units, never a float.

use super::{CostPerMinute, MonthUse};
use crate::domain::client::BillingPeriod;
use crate::domain::money::Money;
use crate::domain::reply::{ENGLISH_MONTHS, ReplyLanguage, ReplyTemplate, Signature};

const RUSSIAN_MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// The extra time of a month, as it is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtraTime {
    pub usage: MonthUse,
    pub cost: CostPerMinute,
}

impl ExtraTime {
    /// The month's extra time, if it went over the allowance.
    pub fn of(usage: MonthUse, cost: Option<CostPerMinute>) -> Option<Self> {
        let cost = cost?;
        usage.is_over().then_some(Self { usage, cost })
    }

    pub fn minutes(&self) -> u64 {
        self.usage.overrun()
    }

    pub fn amount(&self) -> Money {
        self.cost.value_of(self.minutes())
    }
}

fn month_name(language: ReplyLanguage, usage: &MonthUse) -> String {
    let index = usize::try_from(usage.month.month.clamp(1, 12) - 1).unwrap_or(0);
    match language {
        ReplyLanguage::English => format!("{} {}", ENGLISH_MONTHS[index], usage.month.year),
        ReplyLanguage::Russian => format!("{} {}", RUSSIAN_MONTHS[index], usage.month.year),
    }
}

/// One invoice line: "Support beyond the plan, May 2026: 140 min × 0.10 EUR = 14.00 EUR (240 of
/// the 100 min included used)."
pub fn invoice_note(language: ReplyLanguage, extra: &ExtraTime) -> String {
    let month = month_name(language, &extra.usage);
    let included = extra
        .usage
        .allowance
        .map_or(0, |allowance| allowance.minutes);
    let (minutes, rate, amount, used) = (
        extra.minutes(),
        extra.cost.money(),
        extra.amount(),
        extra.usage.minutes,
    );
    match language {
        ReplyLanguage::English => format!(
            "Support beyond the plan, {month}: {minutes} min × {rate} = {amount} \
             ({used} min used of the {included} min included)."
        ),
        ReplyLanguage::Russian => format!(
            "Поддержка сверх тарифа, {month}: {minutes} мин × {rate} = {amount} \
             (использовано {used} мин из {included} мин, включённых в тариф)."
        ),
    }
}

/// A plan that covers what the client used: the minutes rounded up to the next half hour, and
/// the fee they cost at the price of a minute, for the client's billing period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BiggerPlan {
    pub minutes: u64,
    pub fee: Money,
    pub period: BillingPeriod,
}

impl BiggerPlan {
    pub fn for_usage(extra: &ExtraTime, period: BillingPeriod) -> Self {
        let minutes = extra.usage.minutes.div_ceil(30) * 30;
        let months = u64::from(period.months().unwrap_or(1));
        let period = if period.months().is_some() {
            period
        } else {
            BillingPeriod::Month
        };
        Self {
            minutes,
            fee: extra.cost.value_of(minutes.saturating_mul(months)),
            period,
        }
    }
}

/// What the proposal letter says, and to whom.
#[derive(Clone, Copy, Debug)]
pub struct ProposalInput<'a> {
    pub language: ReplyLanguage,
    pub contact_person: &'a str,
    pub extra: &'a ExtraTime,
    pub plan: BiggerPlan,
    pub template: &'a ReplyTemplate,
    pub signature: &'a Signature,
}

fn hours_text(language: ReplyLanguage, minutes: u64) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (language, rest) {
        (ReplyLanguage::English, 0) => format!("{hours} h"),
        (ReplyLanguage::English, _) => format!("{hours} h {rest} min"),
        (ReplyLanguage::Russian, 0) => format!("{hours} ч"),
        (ReplyLanguage::Russian, _) => format!("{hours} ч {rest} мин"),
    }
}

fn period_text(language: ReplyLanguage, period: BillingPeriod) -> &'static str {
    match (language, period) {
        (ReplyLanguage::English, BillingPeriod::Quarter) => "a quarter",
        (ReplyLanguage::English, BillingPeriod::Year) => "a year",
        (ReplyLanguage::English, _) => "a month",
        (ReplyLanguage::Russian, BillingPeriod::Quarter) => "в квартал",
        (ReplyLanguage::Russian, BillingPeriod::Year) => "в год",
        (ReplyLanguage::Russian, _) => "в месяц",
    }
}

/// A letter proposing the bigger plan: the month's figures, the plan, and the choice the client
/// has — in the greeting and sign-off of the user's own reply template.
pub fn plan_proposal(input: &ProposalInput<'_>) -> String {
    let language = input.language;
    let usage = &input.extra.usage;
    let month = month_name(language, usage);
    let used = hours_text(language, usage.minutes);
    let included = hours_text(
        language,
        usage.allowance.map_or(0, |allowance| allowance.minutes),
    );
    let plan = hours_text(language, input.plan.minutes);
    let fee = input.plan.fee;
    let period = period_text(language, input.plan.period);
    let extra = input.extra.amount();
    let body = match language {
        ReplyLanguage::English => [
            format!(
                "In {month} your support took {used}, while your plan includes {included} a month."
            ),
            format!(
                "So that I can keep answering as quickly and as carefully, I suggest a plan that \
                 covers what you actually use: {plan} of support a month for {fee} {period}."
            ),
            format!(
                "If you would rather keep the current plan, the time beyond it will be billed \
                 separately: for {month} that is {extra}. Please let me know which suits you."
            ),
        ],
        ReplyLanguage::Russian => [
            format!("За {month} поддержка заняла {used}, а ваш тариф включает {included} в месяц."),
            format!(
                "Чтобы и дальше отвечать вам так же быстро и внимательно, предлагаю тариф, который \
                 покрывает ваш реальный объём: {plan} поддержки в месяц за {fee} {period}."
            ),
            format!(
                "Если удобнее остаться на текущем тарифе, время сверх него будет оплачиваться \
                 отдельно: за {month} это {extra}. Напишите, пожалуйста, какой вариант вам подходит."
            ),
        ],
    };
    let mut paragraphs = vec![input.template.greeting(input.contact_person)];
    paragraphs.extend(body);
    paragraphs.push(input.template.sign_off(input.signature));
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ledger::{Allowance, AllowanceSource, YearMonth};
    use crate::domain::money::Currency;

    fn eur(minor_units: i64) -> Money {
        Money {
            minor_units,
            currency: Currency::parse("EUR").unwrap(),
        }
    }

    fn may(minutes: u64, allowance: u64) -> MonthUse {
        MonthUse {
            month: YearMonth {
                year: 2026,
                month: 5,
            },
            minutes,
            allowance: Some(Allowance {
                minutes: allowance,
                source: AllowanceSource::Fee,
            }),
        }
    }

    #[test]
    fn the_invoice_line_bills_the_minutes_over_at_the_cost_of_a_minute() {
        let cost = CostPerMinute::new(eur(10));
        assert_eq!(ExtraTime::of(may(90, 100), cost), None, "within the plan");
        let extra = ExtraTime::of(may(240, 100), cost).unwrap();
        assert_eq!((extra.minutes(), extra.amount()), (140, eur(1400)));
        assert_eq!(
            invoice_note(ReplyLanguage::English, &extra),
            "Support beyond the plan, May 2026: 140 min × 0.10 EUR = 14 EUR \
             (240 min used of the 100 min included)."
        );
        let russian = invoice_note(ReplyLanguage::Russian, &extra);
        assert!(
            russian.starts_with("Поддержка сверх тарифа, май 2026: 140 мин"),
            "{russian}"
        );
    }

    #[test]
    fn the_bigger_plan_covers_the_use_rounded_up_to_half_an_hour_for_the_clients_period() {
        let cost = CostPerMinute::new(eur(10));
        let extra = ExtraTime::of(may(241, 100), cost).unwrap();
        let monthly = BiggerPlan::for_usage(&extra, BillingPeriod::Month);
        assert_eq!((monthly.minutes, monthly.fee), (270, eur(2700)));
        let quarterly = BiggerPlan::for_usage(&extra, BillingPeriod::Quarter);
        assert_eq!(
            (quarterly.fee, quarterly.period),
            (eur(8100), BillingPeriod::Quarter)
        );
        let template = ReplyTemplate::builtin(ReplyLanguage::Russian);
        let signature = Signature {
            name: "Анна".into(),
            business: String::new(),
        };
        let letter = plan_proposal(&ProposalInput {
            language: ReplyLanguage::Russian,
            contact_person: "Ольга",
            extra: &extra,
            plan: quarterly,
            template: &template,
            signature: &signature,
        });
        assert!(letter.contains("Ольга"), "{letter}");
        assert!(letter.contains("4 ч 1 мин"), "used: {letter}");
        assert!(letter.contains("1 ч 40 мин"), "included: {letter}");
        assert!(
            letter.contains("4 ч 30 мин поддержки в месяц за 81 EUR в квартал"),
            "{letter}"
        );
        assert!(
            letter.contains("14.10 EUR"),
            "the extra if they stay: {letter}"
        );
        assert!(letter.trim_end().ends_with("Анна"), "{letter}");
    }
}
