//! Parting ways: the evidence from a client's journal for deciding whether to end the contract,
//! and the offboarding runbook the user ticks off if she does (seed 003: "if every reasonable way
//! has been tried, consider parting: you were not a fit").

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::reading::{Item, Label};

/// One message's heat, for the trend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatPoint {
    pub at: DateTime<Utc>,
    pub heat: u8,
}

/// Which way the client's temperature is going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    Rising,
    Steady,
    Falling,
    /// Fewer than four messages: no trend to speak of.
    TooFew,
}

/// What the journal says about a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub messages_from_client: usize,
    /// Sentences marked as threats, across the client's messages.
    pub threats: usize,
    pub insults: usize,
    /// Messages with a threat or an insult (seed 000: "crossed the line").
    pub messages_crossing_line: usize,
    /// How often each pressure demand appeared (seed 001).
    pub pressure_items: BTreeMap<Item, usize>,
    /// How often each legitimate complaint appeared: the user's own share of the trouble.
    pub legitimate_items: BTreeMap<Item, usize>,
    pub cooldowns: usize,
    /// Heat of each message, oldest first.
    pub heat: Vec<HeatPoint>,
    pub trend: Trend,
}

/// Reads every message the client sent and counts what crossed the line.
pub fn gather_evidence<'a>(
    messages_from_client: impl IntoIterator<Item = (DateTime<Utc>, &'a str)>,
    cooldowns: usize,
) -> Evidence {
    let mut evidence = Evidence {
        messages_from_client: 0,
        threats: 0,
        insults: 0,
        messages_crossing_line: 0,
        pressure_items: BTreeMap::new(),
        legitimate_items: BTreeMap::new(),
        cooldowns,
        heat: Vec::new(),
        trend: Trend::TooFew,
    };
    for (at, text) in messages_from_client {
        let reading = crate::reading::analyze(text);
        evidence.messages_from_client += 1;
        let count = |label: Label| {
            reading
                .sentences
                .iter()
                .filter(|sentence| !sentence.quoted && sentence.labels.contains(&label))
                .count()
        };
        let (threats, insults) = (count(Label::Threat), count(Label::Insult));
        evidence.threats += threats;
        evidence.insults += insults;
        if threats + insults > 0 {
            evidence.messages_crossing_line += 1;
        }
        for item in &reading.items {
            let tally = if item.is_legitimate() {
                &mut evidence.legitimate_items
            } else {
                &mut evidence.pressure_items
            };
            *tally.entry(*item).or_default() += 1;
        }
        evidence.heat.push(HeatPoint {
            at,
            heat: reading.heat,
        });
    }
    evidence.heat.sort_by_key(|point| point.at);
    evidence.trend = trend(&evidence.heat);
    evidence
}

/// Compares the average heat of the later half of the last ten messages with the earlier half.
fn trend(heat: &[HeatPoint]) -> Trend {
    let recent = &heat[heat.len().saturating_sub(10)..];
    if recent.len() < 4 {
        return Trend::TooFew;
    }
    let (earlier, later) = recent.split_at(recent.len() / 2);
    let mean = |points: &[HeatPoint]| {
        points
            .iter()
            .map(|point| f64::from(point.heat))
            .sum::<f64>()
            / points.len() as f64
    };
    let change = mean(later) - mean(earlier);
    if change > 10.0 {
        Trend::Rising
    } else if change < -10.0 {
        Trend::Falling
    } else {
        Trend::Steady
    }
}

/// The offboarding runbook, in the order it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffboardingTask {
    /// Read the termination clause and the notice period.
    CheckTermination,
    /// Refund any unused prepaid period.
    RefundUnused,
    StopRecurringBilling,
    /// Hand over documents and access.
    HandOver,
    FinalInvoice,
    /// A polite closing letter, drafted like the reply.
    ClosingLetter,
    /// Export the journal as the record of what happened.
    ExportJournal,
    /// End the client in calmdesk, with the reason.
    EndClient,
}

impl OffboardingTask {
    pub const ALL: [Self; 8] = [
        Self::CheckTermination,
        Self::RefundUnused,
        Self::StopRecurringBilling,
        Self::HandOver,
        Self::FinalInvoice,
        Self::ClosingLetter,
        Self::ExportJournal,
        Self::EndClient,
    ];
}

/// Which offboarding tasks are done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offboarding {
    done: BTreeSet<OffboardingTask>,
}

impl Offboarding {
    pub fn is_done(&self, task: OffboardingTask) -> bool {
        self.done.contains(&task)
    }

    pub fn set_done(&mut self, task: OffboardingTask, is_done: bool) {
        if is_done {
            self.done.insert(task);
        } else {
            self.done.remove(&task);
        }
    }

    /// Everything before ending the client is ticked.
    pub fn is_ready_to_end(&self) -> bool {
        OffboardingTask::ALL
            .into_iter()
            .filter(|task| *task != OffboardingTask::EndClient)
            .all(|task| self.is_done(task))
    }

    pub fn done_count(&self) -> usize {
        self.done.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap() + Duration::days(n)
    }

    #[test]
    fn evidence_counts_threats_insults_and_pressure_across_the_journal() {
        let messages = [
            (
                day(0),
                "Добрый день! Пришлите, пожалуйста, акт сверки за февраль.",
            ),
            (day(3), "Спасибо, получил."),
            (
                day(9),
                "Почему отчёт до сих пор не готов? Вы же обещали к пятнице.",
            ),
            (
                day(14),
                "Вы меня обокрали! Верните деньги за март, иначе напишу отзыв на всех площадках.",
            ),
            (day(15), "Вы мошенники!!! Я пожалуюсь в налоговую."),
        ];
        let evidence = gather_evidence(messages.iter().map(|(at, text)| (*at, *text)), 2);
        assert_eq!(evidence.messages_from_client, 5);
        assert_eq!(evidence.cooldowns, 2);
        assert!(evidence.threats >= 2, "{evidence:?}");
        assert!(evidence.insults >= 2, "{evidence:?}");
        assert_eq!(evidence.messages_crossing_line, 2, "{evidence:?}");
        assert!(
            evidence.pressure_items.contains_key(&Item::RefundAfterTerm),
            "{evidence:?}"
        );
        assert_eq!(evidence.trend, Trend::Rising, "{:?}", evidence.heat);
        assert!(
            evidence
                .heat
                .windows(2)
                .all(|pair| pair[0].at <= pair[1].at)
        );
    }

    #[test]
    fn a_calm_client_shows_nothing_alarming() {
        let messages = [
            (day(0), "Hi Anna, attached are the receipts for October."),
            (
                day(5),
                "Thanks for the reminder, I will send the bank statement tomorrow.",
            ),
            (day(9), "Could you send me the invoice for November?"),
            (day(12), "Thank you, all received. Have a nice weekend!"),
        ];
        let evidence = gather_evidence(messages.iter().map(|(at, text)| (*at, *text)), 0);
        assert_eq!(
            (
                evidence.threats,
                evidence.insults,
                evidence.messages_crossing_line
            ),
            (0, 0, 0)
        );
        assert!(evidence.pressure_items.is_empty());
        assert_ne!(evidence.trend, Trend::Rising);
    }

    #[test]
    fn too_few_messages_have_no_trend() {
        let evidence = gather_evidence([(day(0), "Hello"), (day(1), "Thanks")], 0);
        assert_eq!(evidence.trend, Trend::TooFew);
    }

    #[test]
    fn the_client_can_be_ended_once_every_other_task_is_ticked() {
        let mut offboarding = Offboarding::default();
        assert!(!offboarding.is_ready_to_end());
        for task in OffboardingTask::ALL {
            if task != OffboardingTask::EndClient {
                offboarding.set_done(task, true);
            }
        }
        assert!(offboarding.is_ready_to_end());
        offboarding.set_done(OffboardingTask::HandOver, false);
        assert!(!offboarding.is_ready_to_end());
        assert_eq!(offboarding.done_count(), 6);
    }
}
