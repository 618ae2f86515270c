//! The cool-down before answering a hostile message, as a state machine:
//! Wait → Vent → Facts → Reply → Decide → Done (seed 003's routine, seed 001's five steps).
//!
//! One [`CoolDown`] holds everything collected so far, so going back loses nothing and the whole
//! session can be stored after every change and restored after a restart or a crash. The wait is
//! wall-clock time (`wait_until`), never app uptime: `now` is always a parameter. The same rule
//! that enables a button ([`CoolDown::can_advance`]) is checked again when the step is taken
//! ([`CoolDown::advance`]), so the UI cannot slip past it. The vent pad's text is deliberately not
//! here: only the fact that the user vented is kept.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::client::ClientKind;
use super::ids::{ClientId, CoolDownId, ExchangeId};
use super::partways::Offboarding;
use crate::reading::{DraftCheck, Item, Label, Language, Reading, Verdict};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyUnlock {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// One sentence of the client's message with the reader's marks and the user's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceReview {
    /// Byte offsets into the message.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// What the reader suggested.
    pub suggested: Vec<Label>,
    /// What the user confirmed (starts as the suggestion).
    pub labels: Vec<Label>,
}

impl SentenceReview {
    /// Adds or removes a mark.
    pub fn toggle(&mut self, label: Label) {
        if let Some(position) = self.labels.iter().position(|existing| *existing == label) {
            self.labels.remove(position);
        } else {
            self.labels.push(label);
            self.labels.sort();
        }
    }
}

/// How many facts the reply restates at first; the user can add more.
pub const MAX_SUGGESTED_FACTS: usize = 6;

/// The Facts step: what the client actually said, as the user confirms it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactsReview {
    pub language: Language,
    pub sentences: Vec<SentenceReview>,
    /// The facts the reply will restate, editable by the user.
    pub facts: Vec<String>,
    pub suggested_verdict: Verdict,
    pub verdict: Verdict,
    pub suggested_items: Vec<Item>,
    pub items: Vec<Item>,
    /// The client asks for money back or compensation (the reply then cites the refund clause).
    #[serde(default)]
    pub money_demanded: bool,
}

impl FactsReview {
    /// The reader's suggestion, before the user has changed anything. Quoted earlier mail is
    /// left out: it is not what the client says now.
    pub fn from_reading(reading: &Reading) -> Self {
        let sentences: Vec<SentenceReview> = reading
            .sentences
            .iter()
            .filter(|sentence| !sentence.quoted && !sentence.text.trim().is_empty())
            .map(|sentence| SentenceReview {
                start: sentence.start,
                end: sentence.end,
                // Only the end is trimmed, so offsets from the sentence start still index the text.
                text: sentence.text.trim_end().to_owned(),
                suggested: sentence.labels.clone(),
                labels: sentence.labels.clone(),
            })
            .collect();
        // The reply restates only plain facts, briefly (BIFF): sentences marked as nothing but
        // a fact, with words in them (not a signature's phone number), at most six. An insult or
        // a threat is never restated, even when it claims something ("You robbed me!"), nor is a
        // demand or a question: those are answered, not repeated. The user can add any sentence.
        let facts = sentences
            .iter()
            .filter(|sentence| sentence.labels == [Label::Fact])
            .filter(|sentence| {
                sentence
                    .text
                    .split_whitespace()
                    .filter(|word| word.chars().any(char::is_alphabetic))
                    .count()
                    >= 3
            })
            .map(|sentence| sentence.text.clone())
            .take(MAX_SUGGESTED_FACTS)
            .collect();
        let money_demanded = reading
            .sentences
            .iter()
            .flat_map(|sentence| &sentence.reasons)
            .any(|reason| reason.rule == "demand.refund");
        Self {
            language: reading.language,
            sentences,
            facts,
            suggested_verdict: reading.verdict,
            verdict: reading.verdict,
            suggested_items: reading.items.clone(),
            items: reading.items.clone(),
            money_demanded,
        }
    }

    /// How many sentences the user left with this mark.
    pub fn count(&self, label: Label) -> usize {
        self.sentences
            .iter()
            .filter(|sentence| sentence.labels.contains(&label))
            .count()
    }

    /// Insults or threats confirmed: the reply names the line (seed 000).
    pub fn crossed_line(&self) -> bool {
        self.count(Label::Insult) > 0 || self.count(Label::Threat) > 0
    }
}

/// What the user decides at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Continue,
    Pause,
    PartWays,
}

/// Why a step cannot be taken now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CoolDownError {
    #[error("replying is locked for {minutes_left} more minutes")]
    WaitNotOver { minutes_left: i64 },
    #[error("unlocking early needs a written reason")]
    ReasonRequired,
    #[error("the reply draft is empty")]
    DraftEmpty,
    #[error("the draft has {0} tone flags; fix them or give a reason to override")]
    DraftFlagged(usize),
    #[error("choose continue, pause or part ways first")]
    DecisionRequired,
    #[error("the cool-down is finished")]
    Finished,
}

/// A cool-down session: everything collected so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoolDown {
    /// `None` until stored.
    pub cooldown_id: Option<CoolDownId>,
    pub client_id: ClientId,
    /// The client's message; `None` if that journal entry was later deleted.
    pub exchange_id: Option<ExchangeId>,
    /// The message as it was when the cool-down started, pinned beside every step.
    pub message: String,
    pub started_at: DateTime<Utc>,
    pub wait_until: DateTime<Utc>,
    pub early_unlock: Option<EarlyUnlock>,
    pub step: Step,
    pub feeling_before: Option<Feeling>,
    pub feeling_after: Option<Feeling>,
    /// The user wrote on the vent pad and burnt it. The text itself is never kept.
    pub vented: bool,
    pub facts: FactsReview,
    pub client_kind: Option<ClientKind>,
    /// Move the exchange to formal ground (seed 001, step 5).
    pub escalate: bool,
    pub draft: String,
    /// Why the user copied a draft that still had tone flags.
    pub override_reason: Option<String>,
    /// The journal entry the copied reply was logged as.
    pub reply_exchange_id: Option<ExchangeId>,
    pub decision: Option<Decision>,
    /// The part-ways runbook's progress, when the decision is to part ways.
    #[serde(default)]
    pub offboarding: Offboarding,
    pub finished_at: Option<DateTime<Utc>>,
}

impl CoolDown {
    /// Starts a cool-down on a client's message, reading it at once.
    pub fn start(
        client_id: ClientId,
        exchange_id: ExchangeId,
        message: &str,
        now: DateTime<Utc>,
        wait: WaitMinutes,
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
            facts: FactsReview::from_reading(&reading),
            client_kind: None,
            escalate: false,
            draft: String::new(),
            override_reason: None,
            reply_exchange_id: None,
            decision: None,
            offboarding: Offboarding::default(),
            finished_at: None,
        }
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

    /// The wait has just ended on its own (the moment to ask for the user's attention).
    pub fn wait_is_over(&self, now: DateTime<Utc>) -> bool {
        now >= self.wait_until
    }

    /// Changes the length of this session's wait (counted from its start). Once replying has
    /// been unlocked early the wait no longer matters and is left alone.
    pub fn set_wait(&mut self, wait: WaitMinutes) {
        if self.early_unlock.is_none() {
            self.wait_until = self.started_at + Duration::minutes(i64::from(wait.get()));
        }
    }

    /// The session's wait length in minutes.
    pub fn wait_minutes(&self) -> u32 {
        u32::try_from((self.wait_until - self.started_at).num_minutes()).unwrap_or(0)
    }

    /// Unlocks replying before the wait ends; the reason is required and kept.
    pub fn unlock_early(&mut self, reason: &str, now: DateTime<Utc>) -> Result<(), CoolDownError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(CoolDownError::ReasonRequired);
        }
        if self.is_locked(now) {
            self.early_unlock = Some(EarlyUnlock {
                at: now,
                reason: reason.to_owned(),
            });
        }
        Ok(())
    }

    /// Whether the next step may be taken now, and if not, why.
    pub fn can_advance(&self, now: DateTime<Utc>) -> Result<Step, CoolDownError> {
        let next = self.step.next().ok_or(CoolDownError::Finished)?;
        match next {
            Step::Reply if self.is_locked(now) => Err(CoolDownError::WaitNotOver {
                minutes_left: (self.remaining(now).num_seconds() + 59) / 60,
            }),
            Step::Done if self.decision.is_none() => Err(CoolDownError::DecisionRequired),
            _ => Ok(next),
        }
    }

    /// Takes the next step (checking the same rule as [`Self::can_advance`]).
    pub fn advance(&mut self, now: DateTime<Utc>) -> Result<Step, CoolDownError> {
        let next = self.can_advance(now)?;
        self.step = next;
        if next == Step::Done {
            self.finished_at = Some(now);
        }
        Ok(next)
    }

    /// Goes back one step; nothing collected is lost.
    pub fn go_back(&mut self) -> Step {
        if self.step != Step::Done
            && let Some(previous) = self.step.previous()
        {
            self.step = previous;
        }
        self.step
    }

    /// The reply may be copied (and logged as sent): the wait is over, the draft is not empty,
    /// and its tone check is clean or overridden with a reason.
    pub fn can_copy_reply(
        &self,
        now: DateTime<Utc>,
        check: &DraftCheck,
    ) -> Result<(), CoolDownError> {
        if self.is_locked(now) {
            return Err(CoolDownError::WaitNotOver {
                minutes_left: (self.remaining(now).num_seconds() + 59) / 60,
            });
        }
        if self.draft.trim().is_empty() {
            return Err(CoolDownError::DraftEmpty);
        }
        let overridden = self
            .override_reason
            .as_deref()
            .is_some_and(|reason| !reason.trim().is_empty());
        if !check.is_clean() && !overridden {
            return Err(CoolDownError::DraftFlagged(check.flags.len()));
        }
        Ok(())
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const HOSTILE: &str = "Вы меня обокрали! Я заплатил 6 000 ₽ за март, а отчёт так и не сдан. \
                           Верните деньги до пятницы, иначе напишу отзыв на всех площадках.";

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn session() -> CoolDown {
        CoolDown::start(
            ClientId(1),
            ExchangeId(7),
            HOSTILE,
            at(0),
            WaitMinutes::DEFAULT,
        )
    }

    #[test]
    fn replying_stays_locked_until_the_wait_ends() {
        let mut cooldown = session();
        assert_eq!(cooldown.step, Step::Wait);
        assert_eq!(
            cooldown.advance(at(1)),
            Ok(Step::Vent),
            "venting is allowed while waiting"
        );
        assert_eq!(
            cooldown.advance(at(2)),
            Ok(Step::Facts),
            "so is reading the facts"
        );
        assert_eq!(
            cooldown.can_advance(at(5)),
            Err(CoolDownError::WaitNotOver { minutes_left: 15 })
        );
        assert_eq!(
            cooldown.advance(at(19)),
            Err(CoolDownError::WaitNotOver { minutes_left: 1 })
        );
        assert_eq!(cooldown.step, Step::Facts, "a refused step changes nothing");
        assert_eq!(cooldown.advance(at(20)), Ok(Step::Reply));
    }

    #[test]
    fn an_early_unlock_needs_a_reason_and_keeps_it() {
        let mut cooldown = session();
        assert_eq!(
            cooldown.unlock_early("   ", at(3)),
            Err(CoolDownError::ReasonRequired)
        );
        assert!(cooldown.is_locked(at(3)));
        cooldown
            .unlock_early("The client's site is down; they need an answer now", at(3))
            .unwrap();
        assert!(!cooldown.is_locked(at(3)));
        assert_eq!(
            cooldown.early_unlock.as_ref().map(|unlock| unlock.at),
            Some(at(3))
        );
        cooldown.advance(at(3)).unwrap();
        cooldown.advance(at(3)).unwrap();
        assert_eq!(cooldown.advance(at(3)), Ok(Step::Reply));
    }

    #[test]
    fn the_wait_can_be_lengthened_or_shortened_from_its_start() {
        let mut cooldown = session();
        cooldown.set_wait(WaitMinutes::new(40).unwrap());
        assert_eq!(cooldown.wait_minutes(), 40);
        assert!(cooldown.is_locked(at(39)) && !cooldown.is_locked(at(40)));
        cooldown.set_wait(WaitMinutes::new(5).unwrap());
        assert!(!cooldown.is_locked(at(5)));
    }

    #[test]
    fn going_back_loses_nothing() {
        let mut cooldown = session();
        cooldown.feeling_before = Feeling::new(8);
        cooldown.advance(at(1)).unwrap();
        cooldown.vented = true;
        cooldown.advance(at(2)).unwrap();
        cooldown
            .facts
            .facts
            .push("The March report is not filed".into());
        let before = cooldown.clone();
        assert_eq!(cooldown.go_back(), Step::Vent);
        assert_eq!(cooldown.go_back(), Step::Wait);
        assert_eq!(cooldown.go_back(), Step::Wait);
        cooldown.advance(at(3)).unwrap();
        cooldown.advance(at(3)).unwrap();
        assert_eq!(cooldown, before);
    }

    #[test]
    fn finishing_needs_a_decision() {
        let mut cooldown = session();
        for minute in [1, 2, 21, 22] {
            cooldown.advance(at(minute)).unwrap();
        }
        assert_eq!(cooldown.step, Step::Decide);
        assert_eq!(
            cooldown.advance(at(23)),
            Err(CoolDownError::DecisionRequired)
        );
        cooldown.decision = Some(Decision::PartWays);
        assert_eq!(cooldown.advance(at(23)), Ok(Step::Done));
        assert_eq!(cooldown.finished_at, Some(at(23)));
        assert_eq!(cooldown.advance(at(24)), Err(CoolDownError::Finished));
        assert_eq!(
            cooldown.go_back(),
            Step::Done,
            "a finished cool-down stays finished"
        );
    }

    #[test]
    fn the_facts_start_from_the_readers_suggestion() {
        let cooldown = session();
        let facts = &cooldown.facts;
        assert_eq!(facts.language, Language::Ru);
        assert!(
            facts.count(Label::Insult) >= 1,
            "«Вы меня обокрали» is an insult: {facts:?}"
        );
        assert!(
            facts.count(Label::Threat) >= 1,
            "a public review threat: {facts:?}"
        );
        assert!(facts.crossed_line());
        assert!(
            facts.facts.iter().any(|fact| fact.contains("6 000 ₽")),
            "{:?}",
            facts.facts
        );
        let mut review = facts.sentences[0].clone();
        review.toggle(Label::Insult);
        assert!(
            !review.labels.contains(&Label::Insult),
            "the user removes a mark"
        );
        review.toggle(Label::Insult);
        assert!(review.labels.contains(&Label::Insult), "and puts it back");
    }

    #[test]
    fn a_reply_is_copied_only_after_the_wait_when_clean_or_overridden() {
        let mut cooldown = session();
        let clean = DraftCheck { flags: Vec::new() };
        let flagged =
            crate::reading::analyze_draft("As I already said, you FAILED to send the documents!!!");
        assert!(
            !flagged.is_clean(),
            "the tone check flags sarcasm, blame and shouting"
        );
        cooldown.draft = "Hello. Here are the facts as I understand them.".into();
        assert!(matches!(
            cooldown.can_copy_reply(at(10), &clean),
            Err(CoolDownError::WaitNotOver { .. })
        ));
        assert_eq!(cooldown.can_copy_reply(at(20), &clean), Ok(()));
        assert_eq!(
            cooldown.can_copy_reply(at(20), &flagged),
            Err(CoolDownError::DraftFlagged(flagged.flags.len()))
        );
        cooldown.override_reason = Some("This client only reads bold statements".into());
        assert_eq!(cooldown.can_copy_reply(at(20), &flagged), Ok(()));
        cooldown.draft = "  ".into();
        assert_eq!(
            cooldown.can_copy_reply(at(20), &clean),
            Err(CoolDownError::DraftEmpty)
        );
    }

    #[test]
    fn a_session_survives_a_round_trip_through_json() {
        let mut cooldown = session();
        cooldown.advance(at(1)).unwrap();
        cooldown.feeling_before = Feeling::new(9);
        let text = serde_json::to_string(&cooldown).unwrap();
        let restored: CoolDown = serde_json::from_str(&text).unwrap();
        assert_eq!(restored, cooldown);
    }

    #[test]
    fn wait_lengths_and_feelings_stay_in_range() {
        assert_eq!(WaitMinutes::new(4), None);
        assert_eq!(WaitMinutes::new(121), None);
        assert_eq!(WaitMinutes::new(45).map(WaitMinutes::get), Some(45));
        assert_eq!(Feeling::new(11), None);
        assert_eq!(Feeling::new(0).map(Feeling::get), Some(0));
    }
}
