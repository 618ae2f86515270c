//! The cool-down before answering a hostile message, as a state machine:
//! Wait → Vent → Facts → Reply → Decide → Done (seed 003's routine, seed 001's five steps).
//!
//! One [`CoolDown`] holds everything collected so far, so going back loses nothing and the whole
//! session can be stored after every change and restored after a restart or a crash. The wait is
//! wall-clock time, never app uptime: `now` is always a parameter.
//!
//! The rules live here and nowhere else. The fields are private; a view reads them through
//! accessors and asks for a change with an [`Edit`], and [`CoolDown::apply`] is the only door in.
//! It checks every rule (the lock, the reason for an early unlock, the tone of the reply, the
//! decision) and answers with an [`Effect`] saying what else must be written with the session —
//! a journal note, a logged reply, the client's kind — so the app can write both in one
//! transaction. The same rule that enables a button ([`CoolDown::can_advance`]) is checked again
//! when the step is taken. The vent pad's text is deliberately not here: only the fact that the
//! user vented is kept.

mod facts;
pub mod record;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use facts::{
    EntityNote, FactsReview, ItemSuggestion, MAX_FACT_BYTES, MAX_FACTS, MAX_SUGGESTED_FACTS,
    MarkReason, SentenceReview, VerdictLeaning,
};

use super::client::{ClientKind, Contract};
use super::exchange::Minutes;
use super::ids::{ClientId, CoolDownId, ExchangeId};
use super::partways::{Offboarding, OffboardingTask, TaskState};
use crate::reading::{Item, Label, Verdict};

/// The steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Wait,
    Vent,
    Facts,
    Reply,
    Decide,
    Done,
}

impl Step {
    pub const ALL: [Self; 6] = [
        Self::Wait,
        Self::Vent,
        Self::Facts,
        Self::Reply,
        Self::Decide,
        Self::Done,
    ];

    /// The five steps the user walks through (Done is where they end).
    pub const WALKED: [Self; 5] = [
        Self::Wait,
        Self::Vent,
        Self::Facts,
        Self::Reply,
        Self::Decide,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wait => "wait",
            Self::Vent => "vent",
            Self::Facts => "facts",
            Self::Reply => "reply",
            Self::Decide => "decide",
            Self::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.as_str() == text)
    }

    fn next(self) -> Option<Self> {
        Self::ALL
            .iter()
            .position(|step| *step == self)
            .and_then(|index| Self::ALL.get(index + 1).copied())
    }

    fn previous(self) -> Option<Self> {
        Self::ALL
            .iter()
            .position(|step| *step == self)
            .and_then(|index| index.checked_sub(1))
            .map(|index| Self::ALL[index])
    }
}

/// How long replying stays locked: 5 to 120 minutes; 20 unless the user sets otherwise (seed 003:
/// "20–40 minutes are enough for me to come to myself").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WaitMinutes(u32);

impl WaitMinutes {
    pub const MIN: u32 = 5;
    pub const MAX: u32 = 120;
    pub const DEFAULT: Self = Self(20);

    pub fn new(minutes: u32) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&minutes)
            .then_some(Self(minutes))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for WaitMinutes {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How heated the user feels, 0 (calm) to 10 (boiling).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Feeling(u8);

impl Feeling {
    pub fn new(level: u8) -> Option<Self> {
        (level <= 10).then_some(Self(level))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Replying was unlocked before the wait ended, and why (kept in the journal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlyUnlock {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A reply that was copied and logged in the journal as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedReply {
    pub exchange_id: ExchangeId,
    /// The text as logged, to tell a second press of Copy from a new reply.
    pub text: String,
}

/// What the user decides at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Continue,
    Pause,
    PartWays,
}

/// Longest draft accepted: a reply is a letter, not a paste of a whole mailbox.
pub const MAX_DRAFT_BYTES: usize = 64 * 1024;
/// Longest reason (for an early unlock or a tone override).
pub const MAX_REASON_BYTES: usize = 4 * 1024;

/// Why a change cannot be made now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CoolDownError {
    #[error("replying is locked for {minutes_left} more minutes")]
    WaitNotOver { minutes_left: i64 },
    #[error("the wait can only be made longer; to shorten it, unlock early with a reason")]
    WaitCannotShorten,
    #[error("the wait is over; its length no longer matters")]
    WaitAlreadyOver,
    #[error("unlocking early needs a written reason")]
    ReasonRequired,
    #[error("the reply draft is empty")]
    DraftEmpty,
    #[error("the draft has {0} tone flags; fix them or give a reason to override")]
    DraftFlagged(usize),
    #[error("the text is too long")]
    TooLong,
    #[error("there is no such sentence or fact")]
    NoSuchPart,
    #[error("choose continue, pause or part ways first")]
    DecisionRequired,
    #[error("every part-ways step must be done or marked as not applying, with a reason")]
    RunbookOpen,
    #[error("a step marked as not applying needs a reason")]
    NotApplicableNeedsReason,
    #[error("this is not possible at this step")]
    WrongStep,
    #[error("the cool-down is finished")]
    Finished,
}

/// A change the user asks for. The only way in: [`CoolDown::apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    FeelingBefore(Feeling),
    FeelingAfter(Feeling),
    /// Makes the wait longer (counted from the start). Shortening it is an early unlock.
    LengthenWait(WaitMinutes),
    UnlockEarly {
        reason: String,
    },
    /// The vent pad was written on and burnt.
    Vented,
    ToggleMark {
        sentence: usize,
        label: Label,
    },
    SetFact {
        index: usize,
        text: String,
    },
    AddFact,
    RemoveFact(usize),
    SetVerdict(Verdict),
    ToggleItem(Item),
    SetClientKind(Option<ClientKind>),
    SetEscalate(bool),
    SetDraft(String),
    /// Replaces the draft with a freshly composed one (the app composes it from the facts).
    RebuildDraft(String),
    SetOverrideReason(String),
    /// Copy the reply and log it in the journal as sent, with the minutes it took.
    CopyReply {
        minutes: Minutes,
    },
    Decide(Decision),
    SetTask {
        task: OffboardingTask,
        state: TaskState,
    },
    SetEndingDate(NaiveDate),
    /// The client was ended (or set to end) in the journal: the runbook's last step.
    ClientEnded,
    Advance,
    Back,
}

/// What else must happen with the session, decided by the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum Effect {
    /// Nothing changed: no write.
    Unchanged,
    /// Store the session.
    Changed,
    /// Store the session with a note in the journal giving the reason, in one transaction.
    UnlockedEarly { reason: String },
    /// Log this reply as sent (to the client, `minutes` spent) with the session, in one
    /// transaction, then record the entry with [`CoolDown::record_logged_reply`].
    LogReply(PendingReply),
    /// This exact draft was logged already: copy it again, log nothing new.
    AlreadyLogged { text: String },
    /// The client's kind changed: update the client's record (keeping the old kind in its
    /// history) with the session.
    KindChanged(Option<ClientKind>),
    /// The step changed; `Done` with a decision to pause means the client is paused too.
    Stepped(Step),
}

/// A reply the rules allowed to be logged. Only [`CoolDown::apply`] makes one, so the record of
/// a logged reply cannot be written past the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingReply {
    text: String,
    minutes: Minutes,
}

impl PendingReply {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn minutes(&self) -> Minutes {
        self.minutes
    }
}

/// A cool-down session: everything collected so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoolDown {
    /// `None` until stored.
    cooldown_id: Option<CoolDownId>,
    client_id: ClientId,
    /// The client's message; `None` if that journal entry was later deleted.
    exchange_id: Option<ExchangeId>,
    /// The message as it was when the cool-down started, pinned beside every step.
    message: String,
    started_at: DateTime<Utc>,
    wait_until: DateTime<Utc>,
    early_unlock: Option<EarlyUnlock>,
    step: Step,
    feeling_before: Option<Feeling>,
    feeling_after: Option<Feeling>,
    /// The user wrote on the vent pad and burnt it. The text itself is never kept.
    vented: bool,
    facts: FactsReview,
    /// When the user went past the Facts step: from then on the facts are hers, not the reader's.
    facts_reviewed_at: Option<DateTime<Utc>>,
    client_kind: Option<ClientKind>,
    /// Move the exchange to formal ground (seed 001, step 5).
    escalate: bool,
    draft: String,
    /// Why the user copies a draft that still has tone flags (empty: no override).
    override_reason: String,
    logged_reply: Option<LoggedReply>,
    decision: Option<Decision>,
    /// The part-ways runbook's progress, when the decision is to part ways.
    offboarding: Offboarding,
    finished_at: Option<DateTime<Utc>>,
}

impl CoolDown {
    /// Starts a cool-down on a client's message, reading it at once. The client's kind and
    /// contract start the session: the kind as the user last judged it, the runbook with the
    /// steps the contract rules out (no refund clause: no refund) already marked.
    pub fn start(
        client_id: ClientId,
        exchange_id: ExchangeId,
        message: &str,
        now: DateTime<Utc>,
        wait: WaitMinutes,
        client: StartingPoint<'_>,
    ) -> Self {
        let reading = crate::reading::analyze(message);
        Self {
            cooldown_id: None,
            client_id,
            exchange_id: Some(exchange_id),
            message: message.to_owned(),
            started_at: now,
            wait_until: now + Duration::minutes(i64::from(wait.get())),
            early_unlock: None,
            step: Step::Wait,
            feeling_before: None,
            feeling_after: None,
            vented: false,
            facts: FactsReview::from_reading(&reading, message),
            facts_reviewed_at: None,
            client_kind: client.kind,
            escalate: false,
            draft: String::new(),
            override_reason: String::new(),
            logged_reply: None,
            decision: None,
            offboarding: Offboarding::for_contract(client.contract),
            finished_at: None,
        }
    }

    pub fn cooldown_id(&self) -> Option<CoolDownId> {
        self.cooldown_id
    }

    pub fn client_id(&self) -> ClientId {
        self.client_id
    }

    pub fn exchange_id(&self) -> Option<ExchangeId> {
        self.exchange_id
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }

    pub fn wait_until(&self) -> DateTime<Utc> {
        self.wait_until
    }

    pub fn early_unlock(&self) -> Option<&EarlyUnlock> {
        self.early_unlock.as_ref()
    }

    pub fn step(&self) -> Step {
        self.step
    }

    pub fn feeling_before(&self) -> Option<Feeling> {
        self.feeling_before
    }

    pub fn feeling_after(&self) -> Option<Feeling> {
        self.feeling_after
    }

    pub fn vented(&self) -> bool {
        self.vented
    }

    pub fn facts(&self) -> &FactsReview {
        &self.facts
    }

    /// The facts are the user's: she went past the Facts step.
    pub fn facts_reviewed(&self) -> bool {
        self.facts_reviewed_at.is_some()
    }

    pub fn client_kind(&self) -> Option<ClientKind> {
        self.client_kind
    }

    pub fn escalate(&self) -> bool {
        self.escalate
    }

    pub fn draft(&self) -> &str {
        &self.draft
    }

    pub fn override_reason(&self) -> &str {
        &self.override_reason
    }

    pub fn logged_reply(&self) -> Option<&LoggedReply> {
        self.logged_reply.as_ref()
    }

    /// The current draft is the one already logged.
    pub fn is_draft_logged(&self) -> bool {
        self.logged_reply
            .as_ref()
            .is_some_and(|logged| logged.text == self.draft.trim_end())
    }

    pub fn decision(&self) -> Option<Decision> {
        self.decision
    }

    pub fn offboarding(&self) -> &Offboarding {
        &self.offboarding
    }

    pub fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.finished_at
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Done
    }

    /// Replying is locked: the wait has not ended and was not unlocked early.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.early_unlock.is_none() && now < self.wait_until
    }

    /// When replying stops being locked: the end of the wait, or the early unlock if sooner.
    pub fn lock_ends_at(&self) -> DateTime<Utc> {
        self.early_unlock
            .as_ref()
            .map_or(self.wait_until, |unlock| unlock.at.min(self.wait_until))
    }

    /// Time left on the wait (zero once it is over).
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        if self.is_locked(now) {
            self.wait_until - now
        } else {
            Duration::zero()
        }
    }

    /// Whole minutes left, rounded up: "1 more minute" until the very last second.
    pub fn minutes_left(&self, now: DateTime<Utc>) -> i64 {
        let millis = self.remaining(now).num_milliseconds();
        (millis + 59_999) / 60_000
    }

    /// The session's wait length in minutes.
    pub fn wait_minutes(&self) -> u32 {
        u32::try_from((self.wait_until - self.started_at).num_minutes()).unwrap_or(0)
    }

    /// Minutes from the start to `now`, for the journal entry of the reply: at least one, at most
    /// two hours (a session left open overnight did not take all night).
    pub fn minutes_so_far(&self, now: DateTime<Utc>) -> Minutes {
        let elapsed = (now - self.started_at).num_minutes().clamp(1, 120);
        Minutes::new(u32::try_from(elapsed).unwrap_or(1)).unwrap_or_default()
    }

    fn wait_refusal(&self, now: DateTime<Utc>) -> CoolDownError {
        CoolDownError::WaitNotOver {
            minutes_left: self.minutes_left(now),
        }
    }

    /// Whether the next step may be taken now, and if not, why.
    pub fn can_advance(&self, now: DateTime<Utc>) -> Result<Step, CoolDownError> {
        let next = self.step.next().ok_or(CoolDownError::Finished)?;
        match next {
            Step::Reply if self.is_locked(now) => Err(self.wait_refusal(now)),
            Step::Done if self.decision.is_none() => Err(CoolDownError::DecisionRequired),
            _ => Ok(next),
        }
    }

    /// The reply may be copied (and logged as sent): the wait is over, the draft is not empty,
    /// and its tone check is clean or overridden with a reason.
    pub fn can_copy_reply(&self, now: DateTime<Utc>) -> Result<(), CoolDownError> {
        if self.is_locked(now) {
            return Err(self.wait_refusal(now));
        }
        if self.draft.trim().is_empty() {
            return Err(CoolDownError::DraftEmpty);
        }
        let check = crate::reading::analyze_draft(&self.draft);
        if !check.is_clean() && self.override_reason.trim().is_empty() {
            return Err(CoolDownError::DraftFlagged(check.flags.len()));
        }
        Ok(())
    }

    /// The client may be ended: parting ways, and every runbook step done or not applying.
    pub fn can_end_client(&self) -> Result<(), CoolDownError> {
        if self.decision != Some(Decision::PartWays) {
            return Err(CoolDownError::DecisionRequired);
        }
        if self.offboarding.is_ready_to_end() {
            Ok(())
        } else {
            Err(CoolDownError::RunbookOpen)
        }
    }

    /// Applies one edit, checking every rule. On a refusal nothing has changed.
    pub fn apply(&mut self, edit: Edit, now: DateTime<Utc>) -> Result<Effect, CoolDownError> {
        if self.is_finished() {
            return Err(CoolDownError::Finished);
        }
        match edit {
            Edit::FeelingBefore(feeling) => Ok(self.set(|session| {
                session.feeling_before = Some(feeling);
            })),
            Edit::FeelingAfter(feeling) => Ok(self.set(|session| {
                session.feeling_after = Some(feeling);
            })),
            Edit::LengthenWait(wait) => self.lengthen_wait(wait, now),
            Edit::UnlockEarly { reason } => self.unlock_early(&reason, now),
            Edit::Vented => Ok(self.set(|session| session.vented = true)),
            Edit::ToggleMark { sentence, label } => self.facts.toggle_mark(sentence, label),
            Edit::SetFact { index, text } => self.facts.set_fact(index, text),
            Edit::AddFact => self.facts.add_fact(),
            Edit::RemoveFact(index) => self.facts.remove_fact(index),
            Edit::SetVerdict(verdict) => Ok(self.set(|session| session.facts.verdict = verdict)),
            Edit::ToggleItem(item) => Ok(self.facts.toggle_item(item)),
            Edit::SetClientKind(kind) => Ok(self.set_client_kind(kind)),
            Edit::SetEscalate(escalate) => Ok(self.set(|session| session.escalate = escalate)),
            Edit::SetDraft(text) | Edit::RebuildDraft(text) => self.set_draft(text),
            Edit::SetOverrideReason(reason) => self.set_override_reason(reason),
            Edit::CopyReply { minutes } => self.copy_reply(minutes, now),
            Edit::Decide(decision) => Ok(self.set(|session| session.decision = Some(decision))),
            Edit::SetTask { task, state } => self.set_task(task, state),
            Edit::SetEndingDate(date) => Ok(self.set(|session| {
                session.offboarding.set_ending_on(date);
            })),
            Edit::ClientEnded => {
                self.can_end_client()?;
                self.set_task(OffboardingTask::EndClient, TaskState::Done)
            }
            Edit::Advance => self.advance(now),
            Edit::Back => Ok(self.back()),
        }
    }

    fn set_client_kind(&mut self, kind: Option<ClientKind>) -> Effect {
        if self.client_kind == kind {
            return Effect::Unchanged;
        }
        self.client_kind = kind;
        Effect::KindChanged(kind)
    }

    fn set_draft(&mut self, text: String) -> Result<Effect, CoolDownError> {
        if text.len() > MAX_DRAFT_BYTES {
            return Err(CoolDownError::TooLong);
        }
        Ok(self.set(|session| session.draft = text))
    }

    fn set_override_reason(&mut self, reason: String) -> Result<Effect, CoolDownError> {
        if reason.len() > MAX_REASON_BYTES {
            return Err(CoolDownError::TooLong);
        }
        Ok(self.set(|session| session.override_reason = reason))
    }

    fn set_task(
        &mut self,
        task: OffboardingTask,
        state: TaskState,
    ) -> Result<Effect, CoolDownError> {
        if self.decision != Some(Decision::PartWays) {
            return Err(CoolDownError::DecisionRequired);
        }
        self.offboarding.set(task, state)?;
        Ok(Effect::Changed)
    }

    fn advance(&mut self, now: DateTime<Utc>) -> Result<Effect, CoolDownError> {
        let next = self.can_advance(now)?;
        if self.step == Step::Facts && self.facts_reviewed_at.is_none() {
            self.facts_reviewed_at = Some(now);
        }
        self.step = next;
        if next == Step::Done {
            self.finished_at = Some(now);
        }
        Ok(Effect::Stepped(next))
    }

    fn back(&mut self) -> Effect {
        match self.step.previous() {
            Some(previous) => {
                self.step = previous;
                Effect::Stepped(previous)
            }
            None => Effect::Unchanged,
        }
    }

    /// Records the journal entry a [`PendingReply`] was logged as (called by the store in the
    /// same transaction that writes the entry).
    pub fn record_logged_reply(&mut self, pending: PendingReply, exchange_id: ExchangeId) {
        self.logged_reply = Some(LoggedReply {
            exchange_id,
            text: pending.text,
        });
    }

    /// Sets the id once the session is stored.
    pub fn record_id(&mut self, cooldown_id: CoolDownId) {
        self.cooldown_id = Some(cooldown_id);
    }

    /// The message's journal entry was deleted: the session keeps its pinned copy.
    pub fn forget_exchange(&mut self) {
        self.exchange_id = None;
    }

    fn set(&mut self, change: impl FnOnce(&mut Self)) -> Effect {
        let before = self.clone();
        change(self);
        if *self == before {
            Effect::Unchanged
        } else {
            Effect::Changed
        }
    }

    fn lengthen_wait(
        &mut self,
        wait: WaitMinutes,
        now: DateTime<Utc>,
    ) -> Result<Effect, CoolDownError> {
        if !self.is_locked(now) {
            return Err(CoolDownError::WaitAlreadyOver);
        }
        let until = self.started_at + Duration::minutes(i64::from(wait.get()));
        if until < self.wait_until {
            return Err(CoolDownError::WaitCannotShorten);
        }
        if until == self.wait_until {
            return Ok(Effect::Unchanged);
        }
        self.wait_until = until;
        Ok(Effect::Changed)
    }

    fn unlock_early(&mut self, reason: &str, now: DateTime<Utc>) -> Result<Effect, CoolDownError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(CoolDownError::ReasonRequired);
        }
        if reason.len() > MAX_REASON_BYTES {
            return Err(CoolDownError::TooLong);
        }
        if !self.is_locked(now) {
            return Ok(Effect::Unchanged);
        }
        self.early_unlock = Some(EarlyUnlock {
            at: now,
            reason: reason.to_owned(),
        });
        Ok(Effect::UnlockedEarly {
            reason: reason.to_owned(),
        })
    }

    fn copy_reply(
        &mut self,
        minutes: Minutes,
        now: DateTime<Utc>,
    ) -> Result<Effect, CoolDownError> {
        if self.step != Step::Reply {
            return Err(CoolDownError::WrongStep);
        }
        self.can_copy_reply(now)?;
        let text = self.draft.trim_end().to_owned();
        if self.is_draft_logged() {
            return Ok(Effect::AlreadyLogged { text });
        }
        Ok(Effect::LogReply(PendingReply { text, minutes }))
    }
}

/// What a new session takes from the client's record.
#[derive(Clone, Copy, Debug)]
pub struct StartingPoint<'a> {
    pub kind: Option<ClientKind>,
    pub contract: &'a Contract,
}

#[cfg(test)]
mod tests;
