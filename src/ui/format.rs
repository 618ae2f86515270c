//! How dates, durations and enum values are shown, in the user's time zone and language.

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::Strings;
use crate::domain::{BillingPeriod, Channel, ClientKind, ClientStatus, Direction};

/// "2026-03-12 14:05" in local time: unambiguous in both languages.
pub fn date_time(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub fn date(instant: DateTime<Utc>) -> String {
    instant.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

/// A calendar day, in the same form as [`date`].
pub fn day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
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

/// "12 KB" for a text's size.
pub fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}
