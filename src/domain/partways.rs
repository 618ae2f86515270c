//! Parting ways: the evidence from a client's journal for deciding whether to end the contract,
//! and the offboarding runbook the user works through if she does (seed 003: "if every
//! reasonable way has been tried, consider parting: you were not a fit").
//!
//! The evidence counts what the user confirmed, not what the reader guessed: a message she
//! reviewed in a cool-down counts with the marks and items as she left them; a message never
//! reviewed is read by the reader and counted apart, so the screen can say which is which.
//!
//! The runbook is honest: each step is done, or marked as not applying with the reason (the
//! contract has no refund clause → no refund step, and the closing letter promises none).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::client::Contract;
use super::cooldown::{CoolDownError, FactsReview};
use super::ledger::{ClientLedger, HeatTrend, MonthUse, TREND_WINDOW, heat_trend};
use super::money::Money;
use crate::reading::{Item, Label, Reading};

/// One message's heat, for the trend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatPoint {
    pub at: DateTime<Utc>,
    pub heat: u8,
}

/// The client's support time against the allowance, for the evidence (seed 002: a client far
/// over what they pay for is a reason to renegotiate or part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overrun {
    pub this_month: MonthUse,
    /// What the minutes over this month's allowance are worth.
    pub value: Option<Money>,
    /// Months over the allowance, of `months` counted since the first entry.
    pub months_over: usize,
    pub months: usize,
}

impl Overrun {
    /// The overrun part of a client's ledger, when the fee buys an allowance.
    pub fn of_ledger(ledger: &ClientLedger) -> Option<Self> {
        ledger.allowance?;
        Some(Self {
            this_month: ledger.this_month,
            value: ledger.overrun_value,
            months_over: ledger.months_over(),
            months: ledger.months.len(),
        })
    }
}

/// How a message is known: as the user confirmed it in a cool-down, or as the reader read it.
#[derive(Clone, Debug)]
pub enum MessageReading<'a> {
    Confirmed(&'a FactsReview),
    ReaderOnly(Reading),
}

/// How often an item came up, and how the user judged it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemTally {
    /// The user ticked it in a cool-down.
    pub confirmed: usize,
    /// The reader suggested it and the user left it unticked.
    pub unticked: usize,
    /// The reader found it in a message nobody reviewed.
    pub unreviewed: usize,
}

impl ItemTally {
    /// Counts towards the evidence: confirmed, or found in an unreviewed message.
    pub fn counted(&self) -> usize {
        self.confirmed + self.unreviewed
    }
}

/// What the journal says about a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub messages_from_client: usize,
    /// Of those, reviewed by the user in a cool-down.
    pub reviewed: usize,
    /// Sentences marked as threats, across the client's messages.
    pub threats: usize,
    pub insults: usize,
    /// Messages with a threat or an insult (seed 000: "crossed the line").
    pub messages_crossing_line: usize,
    /// Demands made in the same message as a threat: leverage, the shape of pressure.
    pub demands_backed_by_threats: usize,
    /// Each pressure demand (seed 001) and how it was judged.
    pub pressure_items: BTreeMap<Item, ItemTally>,
    /// Each legitimate complaint: the user's own share of the trouble.
    pub legitimate_items: BTreeMap<Item, ItemTally>,
    pub cooldowns: usize,
    /// Heat of each message, oldest first.
    pub heat: Vec<HeatPoint>,
    pub trend: HeatTrend,
    /// Support time against the allowance, when the fee buys one (set by the app from the
    /// client's ledger).
    pub overrun: Option<Overrun>,
}

impl Evidence {
    #[must_use]
    pub fn with_overrun(mut self, overrun: Option<Overrun>) -> Self {
        self.overrun = overrun;
        self
    }

    /// Pressure shows in the journal: a pressure item counted, or a demand backed by a threat.
    pub fn shows_pressure(&self) -> bool {
        self.demands_backed_by_threats > 0
            || self
                .pressure_items
                .values()
                .any(|tally| tally.counted() > 0)
    }
}

/// Counts what crossed the line in every message the client sent.
pub fn gather_evidence<'a>(
    messages_from_client: impl IntoIterator<Item = (DateTime<Utc>, MessageReading<'a>)>,
    cooldowns: usize,
) -> Evidence {
    let mut evidence = Evidence {
        messages_from_client: 0,
        reviewed: 0,
        threats: 0,
        insults: 0,
        messages_crossing_line: 0,
        demands_backed_by_threats: 0,
        pressure_items: BTreeMap::new(),
        legitimate_items: BTreeMap::new(),
        cooldowns,
        heat: Vec::new(),
        trend: HeatTrend::TooFew,
        overrun: None,
    };
    for (at, reading) in messages_from_client {
        evidence.messages_from_client += 1;
        let counts = match &reading {
            MessageReading::Confirmed(review) => {
                evidence.reviewed += 1;
                for item in Item::ALL {
                    let tally = tally_for(&mut evidence, item);
                    if review.is_ticked(item) {
                        tally.confirmed += 1;
                    } else if review.is_suggested(item) {
                        tally.unticked += 1;
                    }
                }
                Counts {
                    threats: review.count(Label::Threat),
                    insults: review.count(Label::Insult),
                    demands: review.count(Label::Demand),
                    heat: review.heat(),
                }
            }
            MessageReading::ReaderOnly(reading) => {
                for item in &reading.items {
                    tally_for(&mut evidence, *item).unreviewed += 1;
                }
                let count = |label: Label| {
                    reading
                        .sentences
                        .iter()
                        .filter(|sentence| !sentence.quoted && sentence.labels.contains(&label))
                        .count()
                };
                Counts {
                    threats: count(Label::Threat),
                    insults: count(Label::Insult),
                    demands: count(Label::Demand),
                    heat: reading.heat,
                }
            }
        };
        evidence.threats += counts.threats;
        evidence.insults += counts.insults;
        if counts.threats + counts.insults > 0 {
            evidence.messages_crossing_line += 1;
        }
        if counts.threats > 0 {
            evidence.demands_backed_by_threats += counts.demands;
        }
        evidence.heat.push(HeatPoint {
            at,
            heat: counts.heat,
        });
    }
    // Items nobody suggested or ticked are not evidence of anything.
    evidence
        .pressure_items
        .retain(|_, tally| *tally != ItemTally::default());
    evidence
        .legitimate_items
        .retain(|_, tally| *tally != ItemTally::default());
    evidence.heat.sort_by_key(|point| point.at);
    let heats: Vec<u8> = evidence.heat.iter().map(|point| point.heat).collect();
    evidence.trend = heat_trend(&heats, TREND_WINDOW);
    evidence
}

struct Counts {
    threats: usize,
    insults: usize,
    demands: usize,
    heat: u8,
}

fn tally_for(evidence: &mut Evidence, item: Item) -> &mut ItemTally {
    let tallies = if item.is_legitimate() {
        &mut evidence.legitimate_items
    } else {
        &mut evidence.pressure_items
    };
    tallies.entry(item).or_default()
}

/// The offboarding runbook, in the order it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

    /// The steps before ending the client.
    pub const BEFORE_ENDING: [Self; 7] = [
        Self::CheckTermination,
        Self::RefundUnused,
        Self::StopRecurringBilling,
        Self::HandOver,
        Self::FinalInvoice,
        Self::ClosingLetter,
        Self::ExportJournal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CheckTermination => "check_termination",
            Self::RefundUnused => "refund_unused",
            Self::StopRecurringBilling => "stop_recurring_billing",
            Self::HandOver => "hand_over",
            Self::FinalInvoice => "final_invoice",
            Self::ClosingLetter => "closing_letter",
            Self::ExportJournal => "export_journal",
            Self::EndClient => "end_client",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|task| task.as_str() == text)
    }
}

/// Why a step does not apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotApplicable {
    /// The contract has no refund clause: nothing is promised back.
    NoRefundClause,
    /// The user's own reason.
    Because(String),
}

/// Where a runbook step stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TaskState {
    #[default]
    Open,
    Done,
    NotApplicable(NotApplicable),
}

/// The runbook's progress and the day the work ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offboarding {
    tasks: BTreeMap<OffboardingTask, TaskState>,
    /// The last day of work, from the notice period (editable). `None`: end at once.
    ending_on: Option<NaiveDate>,
}

impl Offboarding {
    /// A runbook for this contract: what the contract rules out is marked as not applying.
    pub fn for_contract(contract: &Contract) -> Self {
        let mut offboarding = Self::default();
        if contract.refund.trim().is_empty() {
            offboarding.tasks.insert(
                OffboardingTask::RefundUnused,
                TaskState::NotApplicable(NotApplicable::NoRefundClause),
            );
        }
        offboarding
    }

    /// Rebuilds a runbook from its stored parts.
    pub fn from_parts(
        tasks: impl IntoIterator<Item = (OffboardingTask, TaskState)>,
        ending_on: Option<NaiveDate>,
    ) -> Self {
        Self {
            tasks: tasks
                .into_iter()
                .filter(|(_, state)| *state != TaskState::Open)
                .collect(),
            ending_on,
        }
    }

    pub fn state(&self, task: OffboardingTask) -> &TaskState {
        const OPEN: &TaskState = &TaskState::Open;
        self.tasks.get(&task).unwrap_or(OPEN)
    }

    pub fn is_done(&self, task: OffboardingTask) -> bool {
        *self.state(task) == TaskState::Done
    }

    /// The step applies: it is not marked as not applying.
    pub fn applies(&self, task: OffboardingTask) -> bool {
        !matches!(self.state(task), TaskState::NotApplicable(_))
    }

    /// Every step that is not open, for storing.
    pub fn settled(&self) -> impl Iterator<Item = (OffboardingTask, &TaskState)> {
        self.tasks.iter().map(|(task, state)| (*task, state))
    }

    pub fn ending_on(&self) -> Option<NaiveDate> {
        self.ending_on
    }

    /// The last working day: the one the user set, else the one the notice period gives.
    pub fn effective_ending(&self, contract: &Contract, today: NaiveDate) -> Option<NaiveDate> {
        self.ending_on.or_else(|| Self::notice_end(contract, today))
    }

    /// The last working day the notice period gives, counted from `today`.
    pub fn notice_end(contract: &Contract, today: NaiveDate) -> Option<NaiveDate> {
        contract
            .notice_period_days
            .filter(|days| *days > 0)
            .and_then(|days| today.checked_add_days(chrono::Days::new(u64::from(days))))
    }

    pub(super) fn set(
        &mut self,
        task: OffboardingTask,
        state: TaskState,
    ) -> Result<(), CoolDownError> {
        if let TaskState::NotApplicable(NotApplicable::Because(reason)) = &state
            && reason.trim().is_empty()
        {
            return Err(CoolDownError::NotApplicableNeedsReason);
        }
        if state == TaskState::Open {
            self.tasks.remove(&task);
        } else {
            self.tasks.insert(task, state);
        }
        Ok(())
    }

    pub(super) fn set_ending_on(&mut self, date: NaiveDate) {
        self.ending_on = Some(date);
    }

    /// Every step before ending the client is done or marked as not applying.
    pub fn is_ready_to_end(&self) -> bool {
        OffboardingTask::BEFORE_ENDING
            .into_iter()
            .all(|task| *self.state(task) != TaskState::Open)
    }

    /// The steps still open.
    pub fn open_tasks(&self) -> BTreeSet<OffboardingTask> {
        OffboardingTask::BEFORE_ENDING
            .into_iter()
            .filter(|task| *self.state(*task) == TaskState::Open)
            .collect()
    }
}

#[cfg(test)]
mod tests;
