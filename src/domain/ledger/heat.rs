//! The temperature of a client's messages over time: one mark per message from the client (its
//! heat, and whether it threatened or insulted), and which way the last few go.
//!
//! A mark comes from the reader, or — for a message the user reviewed in a cool-down — from her
//! review, which wins: the picture shows what she confirmed, as the part-ways evidence does.

use chrono::{DateTime, Utc};

use crate::domain::cooldown::FactsReview;
use crate::domain::ids::ExchangeId;
use crate::domain::reply::ReplyLanguage;
use crate::reading::{Label, Reading};

/// How many messages each side of a trend compares (seed 003's "the last few messages").
pub const TREND_WINDOW: usize = 5;

/// One message's heat (0–100), with whether it threatened or insulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatMark {
    pub exchange_id: ExchangeId,
    pub at: DateTime<Utc>,
    pub heat: u8,
    pub threatened: bool,
    pub insulted: bool,
    /// The language a reply to it would be written in.
    pub language: ReplyLanguage,
}

impl HeatMark {
    /// The reader's mark of a message (quoted earlier mail does not count).
    pub fn of_reading(exchange_id: ExchangeId, at: DateTime<Utc>, reading: &Reading) -> Self {
        let has = |label: Label| {
            reading
                .sentences
                .iter()
                .any(|sentence| !sentence.quoted && sentence.labels.contains(&label))
        };
        Self {
            exchange_id,
            at,
            heat: reading.heat,
            threatened: has(Label::Threat),
            insulted: has(Label::Insult),
            language: ReplyLanguage::of_reading(reading),
        }
    }

    /// The mark as the user left it when she reviewed the message in a cool-down.
    pub fn of_review(exchange_id: ExchangeId, at: DateTime<Utc>, review: &FactsReview) -> Self {
        Self {
            exchange_id,
            at,
            heat: review.heat(),
            threatened: review.count(Label::Threat) > 0,
            insulted: review.count(Label::Insult) > 0,
            language: review.reply_language(),
        }
    }

    pub fn crossed_line(&self) -> bool {
        self.threatened || self.insulted
    }
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
    /// Fewer than four messages: no trend to speak of.
    TooFew,
}

impl HeatTrend {
    pub fn is_rising(self) -> bool {
        matches!(self, Self::Rising { .. })
    }
}

/// Compares the mean heat of the last `window` messages with the `window` before them (heats
/// oldest first); a change of more than ten points is a trend. With fewer than two full windows,
/// the two halves of what there is, from four messages on.
pub fn heat_trend(heats_oldest_first: &[u8], window: usize) -> HeatTrend {
    let window = window.min(heats_oldest_first.len() / 2);
    if window < 2 {
        return HeatTrend::TooFew;
    }
    let count = heats_oldest_first.len();
    let later = &heats_oldest_first[count - window..];
    let earlier = &heats_oldest_first[count - 2 * window..count - window];
    let total = |heats: &[u8]| -> i64 { heats.iter().map(|heat| i64::from(*heat)).sum() };
    // Both sides have `window` messages: compare the sums, ten points a message apart.
    let change = total(later) - total(earlier);
    let threshold = 10 * i64::try_from(window).unwrap_or(i64::MAX);
    if change > threshold {
        HeatTrend::Rising { window }
    } else if change < -threshold {
        HeatTrend::Falling { window }
    } else {
        HeatTrend::Steady { window }
    }
}
