//! The stored form of a cool-down: a record with a `version` and explicit names, converted to and
//! from [`CoolDown`]. Renaming a field of the domain type, or of the reader's types, never breaks
//! a user's saved session: only this file maps between the two, and every enum is stored as its
//! stable name. Sessions written before records had a version (calmdesk 0.1's whole-struct JSON,
//! "version 0") still load; `tests/data/cooldown/` keeps frozen copies of each format.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    CoolDown, Decision, EarlyUnlock, EntityNote, FactsReview, Feeling, ItemSuggestion, LoggedReply,
    MarkReason, SentenceReview, Step, VerdictLeaning,
};
use crate::domain::client::ClientKind;
use crate::domain::ids::{ClientId, CoolDownId, ExchangeId};
use crate::domain::partways::{NotApplicable, Offboarding, OffboardingTask, TaskState};
use crate::reading::{EntityKind, Item, Label, Language, Verdict};

/// The version this build writes.
pub const CURRENT_VERSION: u32 = 1;

/// A stored session could not be read back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("the cool-down record is not valid JSON of a known shape: {0}")]
    Malformed(String),
    #[error(
        "the cool-down record has version {0}, newer than this calmdesk reads ({CURRENT_VERSION})"
    )]
    NewerVersion(u32),
    #[error("the cool-down record has an unknown {field}: {value:?}")]
    UnknownValue { field: &'static str, value: String },
}

/// Encodes a session for the database.
pub fn encode(cooldown: &CoolDown) -> String {
    let record = CoolDownRecord::from(cooldown);
    // A record of strings, numbers and dates always serialises.
    serde_json::to_string(&record).unwrap_or_default()
}

/// Decodes a stored session of any known version.
pub fn decode(text: &str, cooldown_id: CoolDownId) -> Result<CoolDown, RecordError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| RecordError::Malformed(error.to_string()))?;
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    let mut cooldown = match version {
        None => {
            let legacy: legacy::V0 = serde_json::from_value(value)
                .map_err(|error| RecordError::Malformed(error.to_string()))?;
            legacy.into_domain()?
        }
        Some(1) => {
            let record: CoolDownRecord = serde_json::from_value(value)
                .map_err(|error| RecordError::Malformed(error.to_string()))?;
            record.into_domain()?
        }
        Some(newer) => {
            return Err(RecordError::NewerVersion(
                u32::try_from(newer).unwrap_or(u32::MAX),
            ));
        }
    };
    cooldown.cooldown_id = Some(cooldown_id);
    Ok(cooldown)
}

#[derive(Debug, Serialize, Deserialize)]
struct CoolDownRecord {
    version: u32,
    client_id: i64,
    exchange_id: Option<i64>,
    message: String,
    started_at: DateTime<Utc>,
    wait_until: DateTime<Utc>,
    early_unlock: Option<EarlyUnlockRecord>,
    step: String,
    feeling_before: Option<u8>,
    feeling_after: Option<u8>,
    vented: bool,
    facts: FactsRecord,
    facts_reviewed_at: Option<DateTime<Utc>>,
    client_kind: Option<String>,
    escalate: bool,
    draft: String,
    override_reason: String,
    logged_reply: Option<LoggedReplyRecord>,
    decision: Option<String>,
    offboarding: OffboardingRecord,
    finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EarlyUnlockRecord {
    at: DateTime<Utc>,
    reason: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct LoggedReplyRecord {
    exchange_id: i64,
    text: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct FactsRecord {
    language: String,
    sentences: Vec<SentenceRecord>,
    facts: Vec<String>,
    suggested_verdict: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    leaning: Option<LeaningRecord>,
    verdict: String,
    suggested_items: Vec<ItemSuggestionRecord>,
    items: Vec<String>,
    money_demanded: bool,
    entities: Vec<EntityRecord>,
    heat: u8,
    read_up_to: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LeaningRecord {
    toward: String,
    rule: String,
    words: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SentenceRecord {
    start: usize,
    end: usize,
    text: String,
    suggested: Vec<String>,
    labels: Vec<String>,
    reasons: Vec<ReasonRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReasonRecord {
    label: String,
    start: usize,
    end: usize,
    rule: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ItemSuggestionRecord {
    item: String,
    words: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct EntityRecord {
    kind: String,
    text: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct OffboardingRecord {
    tasks: Vec<TaskRecord>,
    ending_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TaskRecord {
    task: String,
    /// "open", "done", "not_applicable" (with `reason`) or "no_refund_clause".
    state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn unknown(field: &'static str, value: &str) -> RecordError {
    RecordError::UnknownValue {
        field,
        value: value.to_owned(),
    }
}

fn label(text: &str) -> Result<Label, RecordError> {
    Label::parse(text).ok_or_else(|| unknown("mark", text))
}

fn labels(texts: &[String]) -> Result<Vec<Label>, RecordError> {
    texts.iter().map(|text| label(text)).collect()
}

fn item(text: &str) -> Result<Item, RecordError> {
    Item::from_id(text).ok_or_else(|| unknown("item", text))
}

/// The value among `values` whose stable name is `text`.
fn by_name<T: Copy>(
    values: &[T],
    name: impl Fn(T) -> &'static str,
    text: &str,
    field: &'static str,
) -> Result<T, RecordError> {
    values
        .iter()
        .copied()
        .find(|value| name(*value) == text)
        .ok_or_else(|| unknown(field, text))
}

const VERDICTS: [Verdict; 4] = [
    Verdict::Legitimate,
    Verdict::Pressure,
    Verdict::Mixed,
    Verdict::Neutral,
];

fn verdict(text: &str) -> Result<Verdict, RecordError> {
    by_name(&VERDICTS, Verdict::as_str, text, "verdict")
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Ru => "ru",
        Language::En => "en",
        Language::Mixed => "mixed",
    }
}

fn language(text: &str) -> Result<Language, RecordError> {
    by_name(
        &[Language::Ru, Language::En, Language::Mixed],
        language_name,
        text,
        "language",
    )
}

fn entity_kind(text: &str) -> Result<EntityKind, RecordError> {
    let kinds = [
        EntityKind::Money,
        EntityKind::Date,
        EntityKind::Deadline,
        EntityKind::ContractRef,
        EntityKind::Percent,
    ];
    by_name(&kinds, EntityKind::as_str, text, "entity kind")
}

fn step(text: &str) -> Result<Step, RecordError> {
    by_name(&Step::ALL, Step::as_str, text, "step")
}

fn decision_name(decision: Decision) -> &'static str {
    match decision {
        Decision::Continue => "continue",
        Decision::Pause => "pause",
        Decision::PartWays => "part_ways",
    }
}

fn decision(text: &str) -> Result<Decision, RecordError> {
    let decisions = [Decision::Continue, Decision::Pause, Decision::PartWays];
    by_name(&decisions, decision_name, text, "decision")
}

fn kind(text: &str) -> Result<ClientKind, RecordError> {
    ClientKind::parse(text).ok_or_else(|| unknown("client kind", text))
}

fn feeling(level: Option<u8>) -> Result<Option<Feeling>, RecordError> {
    level
        .map(|level| Feeling::new(level).ok_or_else(|| unknown("feeling", &level.to_string())))
        .transpose()
}

fn task(text: &str) -> Result<OffboardingTask, RecordError> {
    OffboardingTask::parse(text).ok_or_else(|| unknown("runbook step", text))
}

impl From<&CoolDown> for CoolDownRecord {
    // A field-by-field mapping: long, flat, and clearer in one piece than split.
    #[allow(clippy::too_many_lines)]
    fn from(cooldown: &CoolDown) -> Self {
        let facts = &cooldown.facts;
        Self {
            version: CURRENT_VERSION,
            client_id: cooldown.client_id.0,
            exchange_id: cooldown.exchange_id.map(|id| id.0),
            message: cooldown.message.clone(),
            started_at: cooldown.started_at,
            wait_until: cooldown.wait_until,
            early_unlock: cooldown
                .early_unlock
                .as_ref()
                .map(|unlock| EarlyUnlockRecord {
                    at: unlock.at,
                    reason: unlock.reason.clone(),
                }),
            step: cooldown.step.as_str().to_owned(),
            feeling_before: cooldown.feeling_before.map(Feeling::get),
            feeling_after: cooldown.feeling_after.map(Feeling::get),
            vented: cooldown.vented,
            facts: FactsRecord {
                language: language_name(facts.language).to_owned(),
                sentences: facts
                    .sentences
                    .iter()
                    .map(|sentence| SentenceRecord {
                        start: sentence.start,
                        end: sentence.end,
                        text: sentence.text.clone(),
                        suggested: names(&sentence.suggested),
                        labels: names(&sentence.labels),
                        reasons: sentence
                            .reasons
                            .iter()
                            .map(|reason| ReasonRecord {
                                label: reason.label.as_str().to_owned(),
                                start: reason.start,
                                end: reason.end,
                                rule: reason.rule.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
                facts: facts.facts.clone(),
                suggested_verdict: facts.suggested_verdict.as_str().to_owned(),
                leaning: facts.leaning.as_ref().map(|leaning| LeaningRecord {
                    toward: leaning.toward.as_str().to_owned(),
                    rule: leaning.rule.clone(),
                    words: leaning.words.clone(),
                }),
                verdict: facts.verdict.as_str().to_owned(),
                suggested_items: facts
                    .suggested_items
                    .iter()
                    .map(|suggestion| ItemSuggestionRecord {
                        item: suggestion.item.id().to_owned(),
                        words: suggestion.words.clone(),
                    })
                    .collect(),
                items: facts
                    .items
                    .iter()
                    .map(|item| item.id().to_owned())
                    .collect(),
                money_demanded: facts.money_demanded,
                entities: facts
                    .entities
                    .iter()
                    .map(|entity| EntityRecord {
                        kind: entity.kind.as_str().to_owned(),
                        text: entity.text.clone(),
                    })
                    .collect(),
                heat: facts.heat,
                read_up_to: facts.read_up_to,
            },
            facts_reviewed_at: cooldown.facts_reviewed_at,
            client_kind: cooldown.client_kind.map(|kind| kind.as_str().to_owned()),
            escalate: cooldown.escalate,
            draft: cooldown.draft.clone(),
            override_reason: cooldown.override_reason.clone(),
            logged_reply: cooldown
                .logged_reply
                .as_ref()
                .map(|logged| LoggedReplyRecord {
                    exchange_id: logged.exchange_id.0,
                    text: logged.text.clone(),
                }),
            decision: cooldown
                .decision
                .map(|decision| decision_name(decision).to_owned()),
            offboarding: OffboardingRecord {
                tasks: cooldown
                    .offboarding
                    .settled()
                    .map(|(task, state)| {
                        let (state, reason) = match state {
                            TaskState::Open => ("open", None),
                            TaskState::Done => ("done", None),
                            TaskState::NotApplicable(NotApplicable::NoRefundClause) => {
                                ("no_refund_clause", None)
                            }
                            TaskState::NotApplicable(NotApplicable::Because(reason)) => {
                                ("not_applicable", Some(reason.clone()))
                            }
                        };
                        TaskRecord {
                            task: task.as_str().to_owned(),
                            state: state.to_owned(),
                            reason,
                        }
                    })
                    .collect(),
                ending_on: cooldown.offboarding.ending_on(),
            },
            finished_at: cooldown.finished_at,
        }
    }
}

fn names(labels: &[Label]) -> Vec<String> {
    labels
        .iter()
        .map(|label| label.as_str().to_owned())
        .collect()
}

impl CoolDownRecord {
    // A field-by-field mapping: long, flat, and clearer in one piece than split.
    #[allow(clippy::too_many_lines)]
    fn into_domain(self) -> Result<CoolDown, RecordError> {
        let facts = self.facts;
        let sentences = facts
            .sentences
            .into_iter()
            .map(|sentence| {
                Ok(SentenceReview {
                    start: sentence.start,
                    end: sentence.end,
                    text: sentence.text,
                    suggested: labels(&sentence.suggested)?,
                    labels: labels(&sentence.labels)?,
                    reasons: sentence
                        .reasons
                        .into_iter()
                        .map(|reason| {
                            Ok(MarkReason {
                                label: label(&reason.label)?,
                                start: reason.start,
                                end: reason.end,
                                rule: reason.rule,
                            })
                        })
                        .collect::<Result<_, RecordError>>()?,
                })
            })
            .collect::<Result<_, RecordError>>()?;
        let review = FactsReview {
            language: language(&facts.language)?,
            sentences,
            facts: facts.facts,
            suggested_verdict: verdict(&facts.suggested_verdict)?,
            leaning: facts
                .leaning
                .map(|leaning| {
                    Ok::<_, RecordError>(VerdictLeaning {
                        toward: verdict(&leaning.toward)?,
                        rule: leaning.rule,
                        words: leaning.words,
                    })
                })
                .transpose()?,
            verdict: verdict(&facts.verdict)?,
            suggested_items: facts
                .suggested_items
                .into_iter()
                .map(|suggestion| {
                    Ok(ItemSuggestion {
                        item: item(&suggestion.item)?,
                        words: suggestion.words,
                    })
                })
                .collect::<Result<_, RecordError>>()?,
            items: facts
                .items
                .iter()
                .map(|text| item(text))
                .collect::<Result<_, _>>()?,
            money_demanded: facts.money_demanded,
            entities: facts
                .entities
                .into_iter()
                .map(|entity| {
                    Ok(EntityNote {
                        kind: entity_kind(&entity.kind)?,
                        text: entity.text,
                    })
                })
                .collect::<Result<_, RecordError>>()?,
            heat: facts.heat,
            read_up_to: facts.read_up_to,
        };
        let tasks = self
            .offboarding
            .tasks
            .into_iter()
            .map(|record| {
                let state = match (record.state.as_str(), record.reason) {
                    ("open", _) => TaskState::Open,
                    ("done", _) => TaskState::Done,
                    ("no_refund_clause", _) => {
                        TaskState::NotApplicable(NotApplicable::NoRefundClause)
                    }
                    ("not_applicable", Some(reason)) => {
                        TaskState::NotApplicable(NotApplicable::Because(reason))
                    }
                    (other, _) => return Err(unknown("runbook state", other)),
                };
                Ok((task(&record.task)?, state))
            })
            .collect::<Result<Vec<_>, RecordError>>()?;
        Ok(CoolDown {
            cooldown_id: None,
            client_id: ClientId(self.client_id),
            exchange_id: self.exchange_id.map(ExchangeId),
            message: self.message,
            started_at: self.started_at,
            wait_until: self.wait_until,
            early_unlock: self.early_unlock.map(|unlock| EarlyUnlock {
                at: unlock.at,
                reason: unlock.reason,
            }),
            step: step(&self.step)?,
            feeling_before: feeling(self.feeling_before)?,
            feeling_after: feeling(self.feeling_after)?,
            vented: self.vented,
            facts: review,
            facts_reviewed_at: self.facts_reviewed_at,
            client_kind: self.client_kind.as_deref().map(kind).transpose()?,
            escalate: self.escalate,
            draft: self.draft,
            override_reason: self.override_reason,
            logged_reply: self.logged_reply.map(|logged| LoggedReply {
                exchange_id: ExchangeId(logged.exchange_id),
                text: logged.text,
            }),
            decision: self.decision.as_deref().map(decision).transpose()?,
            offboarding: Offboarding::from_parts(tasks, self.offboarding.ending_on),
            finished_at: self.finished_at,
        })
    }
}

/// Calmdesk 0.1 stored the domain struct itself, without a version. Its names are frozen here.
mod legacy {
    use chrono::{DateTime, Utc};
    use serde::Deserialize;

    use super::{
        RecordError, decision, feeling, item, kind, labels, language, step, task, verdict,
    };
    use crate::domain::cooldown::{
        CoolDown, EarlyUnlock, EntityNote, FactsReview, ItemSuggestion, LoggedReply, MarkReason,
        SentenceReview, Step,
    };
    use crate::domain::ids::{ClientId, ExchangeId};
    use crate::domain::partways::{Offboarding, TaskState};
    use crate::reading::Item;

    #[derive(Deserialize)]
    pub(super) struct V0 {
        client_id: i64,
        exchange_id: Option<i64>,
        message: String,
        started_at: DateTime<Utc>,
        wait_until: DateTime<Utc>,
        early_unlock: Option<EarlyUnlockV0>,
        step: String,
        feeling_before: Option<u8>,
        feeling_after: Option<u8>,
        vented: bool,
        facts: FactsV0,
        client_kind: Option<String>,
        escalate: bool,
        draft: String,
        override_reason: Option<String>,
        reply_exchange_id: Option<i64>,
        decision: Option<String>,
        #[serde(default)]
        offboarding: OffboardingV0,
        finished_at: Option<DateTime<Utc>>,
    }

    #[derive(Deserialize)]
    struct EarlyUnlockV0 {
        at: DateTime<Utc>,
        reason: String,
    }

    #[derive(Deserialize)]
    struct FactsV0 {
        language: String,
        sentences: Vec<SentenceV0>,
        facts: Vec<String>,
        suggested_verdict: String,
        verdict: String,
        suggested_items: Vec<String>,
        items: Vec<String>,
        #[serde(default)]
        money_demanded: bool,
    }

    #[derive(Deserialize)]
    struct SentenceV0 {
        start: usize,
        end: usize,
        text: String,
        suggested: Vec<String>,
        labels: Vec<String>,
    }

    #[derive(Deserialize, Default)]
    struct OffboardingV0 {
        done: Vec<String>,
    }

    impl V0 {
        /// Version 0 kept no reasons, entities or heat: the screen read the message again each
        /// time. They are read once more here, and from now on kept with the session.
        #[allow(clippy::too_many_lines)] // a field-by-field mapping, as above
        pub(super) fn into_domain(self) -> Result<CoolDown, RecordError> {
            let reading = crate::reading::analyze(&self.message);
            let sentences = self
                .facts
                .sentences
                .into_iter()
                .map(|sentence| {
                    let reasons = reading
                        .sentences
                        .iter()
                        .find(|read| read.start == sentence.start)
                        .map(|read| read.reasons.iter().map(MarkReason::from).collect())
                        .unwrap_or_default();
                    Ok(SentenceReview {
                        start: sentence.start,
                        end: sentence.end,
                        text: sentence.text,
                        suggested: labels(&sentence.suggested)?,
                        labels: labels(&sentence.labels)?,
                        reasons,
                    })
                })
                .collect::<Result<_, RecordError>>()?;
            let suggested: Vec<Item> = self
                .facts
                .suggested_items
                .iter()
                .map(|text| item(text))
                .collect::<Result<_, _>>()?;
            let ticked: Vec<Item> = self
                .facts
                .items
                .iter()
                .map(|text| item(text))
                .collect::<Result<_, _>>()?;
            // Version 0 ticked every suggested item for the user. Left untouched, they were the
            // reader's guess, not her admission: they start unticked now. A list she changed is
            // kept as hers.
            let items = if ticked == suggested {
                Vec::new()
            } else {
                ticked
            };
            let step = step(&self.step)?;
            let facts = FactsReview {
                language: language(&self.facts.language)?,
                sentences,
                facts: self.facts.facts,
                suggested_verdict: verdict(&self.facts.suggested_verdict)?,
                leaning: None,
                verdict: verdict(&self.facts.verdict)?,
                suggested_items: suggested
                    .into_iter()
                    .map(|item| ItemSuggestion {
                        item,
                        words: String::new(),
                    })
                    .collect(),
                items,
                money_demanded: self.facts.money_demanded,
                entities: reading.entities.iter().map(EntityNote::from).collect(),
                heat: reading.heat,
                read_up_to: None,
            };
            let done = self
                .offboarding
                .done
                .iter()
                .map(|text| Ok((task(text)?, TaskState::Done)))
                .collect::<Result<Vec<_>, RecordError>>()?;
            Ok(CoolDown {
                cooldown_id: None,
                client_id: ClientId(self.client_id),
                exchange_id: self.exchange_id.map(ExchangeId),
                message: self.message,
                started_at: self.started_at,
                wait_until: self.wait_until,
                early_unlock: self.early_unlock.map(|unlock| EarlyUnlock {
                    at: unlock.at,
                    reason: unlock.reason,
                }),
                step,
                feeling_before: feeling(self.feeling_before)?,
                feeling_after: feeling(self.feeling_after)?,
                vented: self.vented,
                facts,
                // Past the Facts step, the facts were the user's.
                facts_reviewed_at: (step > Step::Facts).then_some(self.started_at),
                client_kind: self.client_kind.as_deref().map(kind).transpose()?,
                escalate: self.escalate,
                logged_reply: self.reply_exchange_id.map(|exchange_id| LoggedReply {
                    exchange_id: ExchangeId(exchange_id),
                    text: self.draft.trim_end().to_owned(),
                }),
                draft: self.draft,
                override_reason: self.override_reason.unwrap_or_default(),
                decision: self.decision.as_deref().map(decision).transpose()?,
                offboarding: Offboarding::from_parts(done, None),
                finished_at: self.finished_at,
            })
        }
    }
}
