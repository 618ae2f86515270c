//! One journal entry: a message from the client, a reply to the client, or the user's own note,
//! with when it happened, over which channel, and how many minutes it cost.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ClientId, ExchangeId};

/// Who spoke.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    FromClient,
    ToClient,
    /// The user's own note: a call summary, a thought, a decision.
    Note,
}

impl Direction {
    pub const ALL: [Self; 3] = [Self::FromClient, Self::ToClient, Self::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FromClient => "from_client",
            Self::ToClient => "to_client",
            Self::Note => "note",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|direction| direction.as_str() == text)
    }
}

/// How it was said.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Email,
    Phone,
    Messenger,
    Meeting,
    Other,
}

impl Channel {
    pub const ALL: [Self; 5] = [
        Self::Email,
        Self::Phone,
        Self::Messenger,
        Self::Meeting,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Messenger => "messenger",
            Self::Meeting => "meeting",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == text)
    }
}

/// Minutes spent on an exchange; at most a day.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Minutes(u32);

impl Minutes {
    pub const MAX: u32 = 24 * 60;

    pub fn new(minutes: u32) -> Option<Self> {
        (minutes <= Self::MAX).then_some(Self(minutes))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// "45", "1:30" (hours:minutes), "1h30", "1 ч 30 мин", "90 min".
    pub fn parse(text: &str) -> Option<Self> {
        let trimmed = text.trim().to_lowercase();
        if trimmed.is_empty() {
            return Some(Self(0));
        }
        if let Some((hours, minutes)) = trimmed.split_once(':') {
            let hours: u32 = hours.trim().parse().ok()?;
            let minutes: u32 = minutes.trim().parse().ok()?;
            return (minutes < 60)
                .then(|| Self::new(hours * 60 + minutes))
                .flatten();
        }
        let mut total = 0u32;
        let mut number = String::new();
        let mut saw_unit = false;
        let mut chars = trimmed.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                number.push(c);
            } else if c.is_whitespace() {
                continue;
            } else {
                let mut unit = String::from(c);
                while let Some(next) = chars
                    .peek()
                    .copied()
                    .filter(|n| n.is_alphabetic() || *n == '.')
                {
                    unit.push(next);
                    chars.next();
                }
                let value: u32 = number.parse().ok()?;
                number.clear();
                saw_unit = true;
                let unit = unit.trim_end_matches('.');
                total += match unit {
                    "h" | "hr" | "hrs" | "hour" | "hours" | "ч" | "час" | "часа" | "часов" => {
                        value.checked_mul(60)?
                    }
                    "m" | "min" | "mins" | "minute" | "minutes" | "м" | "мин" | "минут"
                    | "минуты" | "минута" => value,
                    _ => return None,
                };
            }
        }
        if !number.is_empty() {
            let value: u32 = number.parse().ok()?;
            total = total.checked_add(value)?;
        } else if !saw_unit {
            return None;
        }
        Self::new(total)
    }
}

/// The largest text accepted for one entry. A long email thread is ~50–200 KB; past a megabyte
/// the paste is almost certainly a mistake (a whole mailbox, a binary file).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A journal entry as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub exchange_id: ExchangeId,
    pub client_id: ClientId,
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: Minutes,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Exchange {
    pub fn draft(&self) -> ExchangeDraft {
        ExchangeDraft {
            direction: self.direction,
            channel: self.channel,
            occurred_at: self.occurred_at,
            minutes: self.minutes,
            body: self.body.clone(),
        }
    }
}

/// What the journal list shows for one entry, without loading the whole text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeSummary {
    pub exchange_id: ExchangeId,
    pub client_id: ClientId,
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: Minutes,
    /// The first few hundred characters, whitespace folded.
    pub preview: String,
    pub body_bytes: usize,
}

/// A valid entry, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeDraft {
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: Minutes,
    pub body: String,
}

/// The entry form as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeInput {
    pub direction: Direction,
    pub channel: Channel,
    pub date: NaiveDate,
    /// "14:05"
    pub time: String,
    pub minutes: String,
    pub body: String,
}

/// A field of the entry form that needs fixing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeFieldError {
    #[error("the text is empty: paste the message or write what was said")]
    BodyRequired,
    #[error("the text is {0} KB; one entry holds at most 1 MB")]
    BodyTooLarge(usize),
    #[error("the time must look like 14:05")]
    TimeInvalid,
    #[error("that time does not exist on that day in your time zone (a clock change)")]
    TimeSkipped,
    #[error("minutes must be a number such as 15 or 1:30, at most a day")]
    MinutesInvalid,
}

impl ExchangeInput {
    /// A blank form for a new entry at `now`, shown in `tz`.
    pub fn new_at<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> Self {
        let local = now.with_timezone(tz).naive_local();
        Self {
            direction: Direction::FromClient,
            channel: Channel::Email,
            date: local.date(),
            time: local.time().format("%H:%M").to_string(),
            minutes: String::new(),
            body: String::new(),
        }
    }

    /// A form filled from a stored entry, for editing.
    pub fn from_exchange<Tz: TimeZone>(exchange: &Exchange, tz: &Tz) -> Self {
        let local = exchange.occurred_at.with_timezone(tz).naive_local();
        Self {
            direction: exchange.direction,
            channel: exchange.channel,
            date: local.date(),
            time: local.time().format("%H:%M").to_string(),
            minutes: exchange.minutes.get().to_string(),
            body: exchange.body.clone(),
        }
    }

    /// Parses the form; the date and time are read in `tz` (the user's local zone).
    pub fn parse<Tz: TimeZone>(&self, tz: &Tz) -> Result<ExchangeDraft, Vec<ExchangeFieldError>> {
        let mut errors = Vec::new();
        if self.body.trim().is_empty() {
            errors.push(ExchangeFieldError::BodyRequired);
        } else if self.body.len() > MAX_BODY_BYTES {
            errors.push(ExchangeFieldError::BodyTooLarge(self.body.len() / 1024));
        }
        let occurred_at = match parse_time(&self.time) {
            None => {
                errors.push(ExchangeFieldError::TimeInvalid);
                None
            }
            Some(time) => match tz.from_local_datetime(&self.date.and_time(time)).earliest() {
                Some(local) => Some(local.with_timezone(&Utc)),
                None => {
                    errors.push(ExchangeFieldError::TimeSkipped);
                    None
                }
            },
        };
        let minutes = Minutes::parse(&self.minutes);
        if minutes.is_none() {
            errors.push(ExchangeFieldError::MinutesInvalid);
        }
        match (occurred_at, minutes) {
            (Some(occurred_at), Some(minutes)) if errors.is_empty() => Ok(ExchangeDraft {
                direction: self.direction,
                channel: self.channel,
                occurred_at,
                minutes,
                body: normalize_newlines(&self.body),
            }),
            _ => Err(errors),
        }
    }
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let trimmed = text.trim();
    NaiveTime::parse_from_str(trimmed, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(trimmed, "%H.%M"))
        .or_else(|_| NaiveTime::parse_from_str(trimmed, "%H:%M:%S"))
        .ok()
}

/// Pasted mail often carries `\r\n`; the journal keeps `\n` only, and no trailing blank lines.
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_owned()
}

/// The first `max_chars` characters with runs of whitespace folded to one space.
pub fn preview_of(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(max_chars.min(text.len()) + 4);
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            if count == max_chars {
                out.push('…');
                return out;
            }
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count == max_chars {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn form(body: &str, time: &str, minutes: &str) -> ExchangeInput {
        ExchangeInput {
            direction: Direction::FromClient,
            channel: Channel::Email,
            date: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
            time: time.into(),
            minutes: minutes.into(),
            body: body.into(),
        }
    }

    #[test]
    fn minutes_parse_the_ways_people_write_them() {
        assert_eq!(Minutes::parse("45").map(Minutes::get), Some(45));
        assert_eq!(Minutes::parse("1:30").map(Minutes::get), Some(90));
        assert_eq!(Minutes::parse("1h30").map(Minutes::get), Some(90));
        assert_eq!(Minutes::parse("1 ч 15 мин").map(Minutes::get), Some(75));
        assert_eq!(Minutes::parse("90 min").map(Minutes::get), Some(90));
        assert_eq!(Minutes::parse("").map(Minutes::get), Some(0));
        assert_eq!(Minutes::parse("a while"), None);
        assert_eq!(Minutes::parse("25:00"), None);
        assert_eq!(Minutes::parse("1:75"), None);
    }

    #[test]
    fn the_form_reads_local_time_and_stores_utc() {
        let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
        let draft = form("Где отчёт?\r\n", "14:05", "10")
            .parse(&moscow)
            .expect("valid");
        assert_eq!(
            draft.occurred_at,
            Utc.with_ymd_and_hms(2026, 3, 12, 11, 5, 0).unwrap()
        );
        assert_eq!(draft.body, "Где отчёт?");
        assert_eq!(draft.minutes.get(), 10);
    }

    #[test]
    fn empty_text_bad_time_and_bad_minutes_are_all_reported() {
        let errors = form("  ", "25:99", "lots").parse(&Utc).unwrap_err();
        assert_eq!(
            errors,
            vec![
                ExchangeFieldError::BodyRequired,
                ExchangeFieldError::TimeInvalid,
                ExchangeFieldError::MinutesInvalid
            ]
        );
    }

    #[test]
    fn a_huge_paste_is_refused_with_its_size() {
        let body = "x".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(
            form(&body, "10:00", "").parse(&Utc),
            Err(vec![ExchangeFieldError::BodyTooLarge(1024)])
        );
        let long_email = "Dear team, ".repeat(5_000);
        assert!(form(&long_email, "10:00", "").parse(&Utc).is_ok());
    }

    #[test]
    fn previews_fold_whitespace_and_cut() {
        assert_eq!(preview_of("Hello\n\n  world", 50), "Hello world");
        assert_eq!(preview_of("Привет мир как дела", 6), "Привет…");
        assert_eq!(preview_of("Привет мир", 10), "Привет мир");
        assert_eq!(preview_of("Привет мир", 7), "Привет …");
        assert_eq!(preview_of("  ", 5), "");
    }
}
