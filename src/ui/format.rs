//! How dates, durations and enum values are shown, in the user's time zone and language.

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};

use super::Strings;
use super::strings::fill;
use crate::domain::ledger::YearMonth;
use crate::domain::{BillingPeriod, Channel, ClientKind, ClientStatus, Direction};

/// "12 Mar 2026, 14:05" / "12.03.2026 14:05" in local time, as the interface language writes it.
pub fn date_time(tr: &Strings, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&Local)
        .format_localized(tr.date_time_pattern, tr.language.chrono_locale())
        .to_string()
}

/// "12 Mar 2026" / "12.03.2026": the local calendar day of an instant.
pub fn date(tr: &Strings, instant: DateTime<Utc>) -> String {
    day(tr, instant.with_timezone(&Local).date_naive())
}

/// A calendar day, in the same form as [`date`].
pub fn day(tr: &Strings, day: NaiveDate) -> String {
    day.format_localized(tr.date_pattern, tr.language.chrono_locale())
        .to_string()
}

/// "30 November 2026" / "30 ноября 2026": a day written out, for names read aloud.
pub fn long_day(tr: &Strings, day: NaiveDate) -> String {
    day.format_localized(tr.long_date_pattern, tr.language.chrono_locale())
        .to_string()
}

/// "November 2026" / "ноябрь 2026" (the standalone month name, not the genitive of a date).
pub fn month(tr: &Strings, month: YearMonth) -> String {
    let day = month.first_day();
    format!("{} {}", tr.month_name(day.month()), day.year())
}

/// "Nov 2026" / "ноя 2026": a month where space is short (a plot's axis).
pub fn short_month(tr: &Strings, month: YearMonth) -> String {
    month
        .first_day()
        .format_localized("%b %Y", tr.language.chrono_locale())
        .to_string()
}

/// "1 h 30 min" / "1 ч 30 мин"
pub fn minutes(tr: &Strings, total: u64) -> String {
    let hours = total / 60;
    let rest = total % 60;
    match (hours, rest) {
        (0, rest) => format!("{rest} {}", tr.unit_min),
        (hours, 0) => format!("{hours} {}", tr.unit_hour),
        (hours, rest) => format!("{hours} {} {rest} {}", tr.unit_hour, tr.unit_min),
    }
}

pub fn direction(tr: &Strings, direction: Direction) -> &'static str {
    match direction {
        Direction::FromClient => tr.direction_from_client,
        Direction::ToClient => tr.direction_to_client,
        Direction::Note => tr.direction_note,
    }
}

/// A short arrow that tells direction at a glance in the list.
pub fn direction_icon(direction: Direction) -> &'static str {
    match direction {
        Direction::FromClient => "⬅",
        Direction::ToClient => "➡",
        Direction::Note => "✏",
    }
}

pub fn channel(tr: &Strings, channel: Channel) -> &'static str {
    match channel {
        Channel::Email => tr.channel_email,
        Channel::Phone => tr.channel_phone,
        Channel::Messenger => tr.channel_messenger,
        Channel::Meeting => tr.channel_meeting,
        Channel::Other => tr.channel_other,
    }
}

pub fn status(tr: &Strings, status: ClientStatus) -> &'static str {
    match status {
        ClientStatus::Active => tr.status_active,
        ClientStatus::Paused => tr.status_paused,
        ClientStatus::Ended => tr.status_ended,
    }
}

pub fn kind(tr: &Strings, kind: Option<ClientKind>) -> &'static str {
    match kind {
        None => tr.kind_unjudged,
        Some(ClientKind::BadDay) => tr.kind_bad_day,
        Some(ClientKind::LetDown) => tr.kind_let_down,
        Some(ClientKind::Defects) => tr.kind_defects,
        Some(ClientKind::Lost) => tr.kind_lost,
    }
}

pub fn kind_explanation(tr: &Strings, kind: Option<ClientKind>) -> &'static str {
    match kind {
        None => tr.kind_unjudged_explanation,
        Some(ClientKind::BadDay) => tr.kind_bad_day_explanation,
        Some(ClientKind::LetDown) => tr.kind_let_down_explanation,
        Some(ClientKind::Defects) => tr.kind_defects_explanation,
        Some(ClientKind::Lost) => tr.kind_lost_explanation,
    }
}

pub fn billing_period(tr: &Strings, period: BillingPeriod) -> &'static str {
    match period {
        BillingPeriod::Month => tr.period_month,
        BillingPeriod::Quarter => tr.period_quarter,
        BillingPeriod::Year => tr.period_year,
        BillingPeriod::Hour => tr.period_hour,
        BillingPeriod::Project => tr.period_project,
    }
}

/// A size in the language's units and decimal mark: "12 KB", "3.2 MB"; «12 КБ», «3,2 МБ».
pub fn size(tr: &Strings, bytes: u64) -> String {
    let (number, unit) = if bytes < 1024 {
        (bytes.to_string(), tr.size_bytes)
    } else if bytes < 1024 * 1024 {
        (bytes.div_ceil(1024).to_string(), tr.size_kilobytes)
    } else {
        let tenths = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        (tenths.replace('.', tr.decimal_mark), tr.size_megabytes)
    };
    fill(unit, &[("n", &number)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::UiLanguage;

    #[test]
    fn a_size_is_said_in_the_languages_units_and_decimal_mark() {
        let en = UiLanguage::English.strings();
        let ru = UiLanguage::Russian.strings();
        let sizes = [0, 1023, 1024, 12_000, 1_048_576, 3_330_850_816];
        let said = |tr| sizes.map(|bytes| size(tr, bytes));
        assert_eq!(
            said(en),
            ["0 B", "1023 B", "1 KB", "12 KB", "1.0 MB", "3176.5 MB"]
        );
        assert_eq!(
            said(ru),
            ["0 Б", "1023 Б", "1 КБ", "12 КБ", "1,0 МБ", "3176,5 МБ"]
        );
    }
}
