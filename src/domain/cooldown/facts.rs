//! The Facts step's data: the client's message sentence by sentence with the reader's marks and
//! the user's, the words behind each mark, the facts the reply will restate (in the user's voice),
//! the verdict and the seed-001 items. The reader only suggests: marks start as its suggestion
//! (the user corrects them), but items start unticked, because a ticked complaint item becomes an
//! admission in the reply and only the user may make one.
//!
//! Everything the screen shows is kept here, reasons included, so a session resumed after the
//! reader's rules changed still shows what the user reviewed.

use crate::reading::{EntityKind, Item, Label, Language, Reading, Verdict};

use super::super::reply::{ReplyLanguage, voice};
use super::{CoolDownError, Effect};

/// How many facts the reply restates at first (BIFF: brief); the user can add more.
pub const MAX_SUGGESTED_FACTS: usize = 6;
/// Longest fact line accepted: a fact is a sentence, not a pasted letter.
pub const MAX_FACT_BYTES: usize = 2_000;
/// At most this many fact lines.
pub const MAX_FACTS: usize = 40;

/// Why the reader put a mark on a sentence: the words (byte offsets into the message) and the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkReason {
    pub label: Label,
    pub start: usize,
    pub end: usize,
    pub rule: String,
}

impl From<&crate::reading::Reason> for MarkReason {
    fn from(reason: &crate::reading::Reason) -> Self {
        Self {
            label: reason.label,
            start: reason.start,
            end: reason.end,
            rule: reason.rule.clone(),
        }
    }
}

/// One sentence of the client's message with the reader's marks and the user's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceReview {
    /// Byte offsets into the message.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: String,
    /// What the reader suggested.
    pub(super) suggested: Vec<Label>,
    /// What the user confirmed (starts as the suggestion).
    pub(super) labels: Vec<Label>,
    pub(super) reasons: Vec<MarkReason>,
}

impl SentenceReview {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn suggested(&self) -> &[Label] {
        &self.suggested
    }

    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    pub fn has(&self, label: Label) -> bool {
        self.labels.contains(&label)
    }

    pub fn reasons(&self) -> &[MarkReason] {
        &self.reasons
    }

    /// The words a reason points at, taken from this sentence's own text.
    pub fn words_of(&self, reason: &MarkReason) -> &str {
        let clamp = |index: usize| {
            let mut index = index.saturating_sub(self.start).min(self.text.len());
            while !self.text.is_char_boundary(index) {
                index -= 1;
            }
            index
        };
        let (start, end) = (clamp(reason.start), clamp(reason.end.max(reason.start)));
        &self.text[start..end]
    }

    pub(super) fn toggle(&mut self, label: Label) {
        if let Some(position) = self.labels.iter().position(|existing| *existing == label) {
            self.labels.remove(position);
        } else {
            self.labels.push(label);
            self.labels.sort();
        }
    }
}

/// An amount, date, deadline or contract reference the reader found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityNote {
    pub kind: EntityKind,
    pub text: String,
}

impl From<&crate::reading::Entity> for EntityNote {
    fn from(entity: &crate::reading::Entity) -> Self {
        Self {
            kind: entity.kind,
            text: entity.text.clone(),
        }
    }
}

/// When the text alone cannot decide the verdict: which way it leans, and the words that tip it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictLeaning {
    pub toward: Verdict,
    /// The reader's rule ("verdict.leans_pressure"), for its explanation.
    pub rule: String,
    /// The words that tipped it, as they stand in the message.
    pub words: Vec<String>,
}

/// A seed-001 item the reader suggested, with the words that matched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemSuggestion {
    pub item: Item,
    pub words: String,
}

/// The Facts step: what the client actually said, as the user confirms it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactsReview {
    pub(super) language: Language,
    pub(super) sentences: Vec<SentenceReview>,
    /// The facts the reply will restate, in the user's voice, editable by the user.
    pub(super) facts: Vec<String>,
    pub(super) suggested_verdict: Verdict,
    /// Why the suggestion is only a leaning, when it is one.
    pub(super) leaning: Option<VerdictLeaning>,
    pub(super) verdict: Verdict,
    pub(super) suggested_items: Vec<ItemSuggestion>,
    /// Ticked by the user only.
    pub(super) items: Vec<Item>,
    /// The client asks for money back or compensation (the reply then cites the refund clause).
    pub(super) money_demanded: bool,
    pub(super) entities: Vec<EntityNote>,
    /// How heated the message read, 0–100.
    pub(super) heat: u8,
    /// Where the reader stopped on a huge paste (byte offset), if it did.
    pub(super) read_up_to: Option<usize>,
}

/// Whether a demand asks for money (a refund, compensation, a discount): by the reader's rule,
/// or by the words of the sentence. The reply then cites the refund clause.
fn asks_for_money(sentence: &SentenceReview) -> bool {
    const RULE_WORDS: [&str; 5] = ["refund", "money", "compensat", "discount", "chargeback"];
    const TEXT_WORDS: [&str; 17] = [
        "refund",
        "money back",
        "my money",
        "fee back",
        "fees back",
        "payment back",
        "reimburs",
        "compensat",
        "discount",
        "chargeback",
        "деньги",
        "денег",
        "возврат",
        "вернуть оплату",
        "компенсац",
        "скидк",
        "предоплат",
    ];
    const PAID_WORDS: [&str; 5] = ["fee", "money", "payment", "deposit", "paid"];
    let text = sentence.text.to_lowercase();
    // "I want the fee for this quarter back", "give me my money back".
    let wants_paid_back =
        text.contains("back") && PAID_WORDS.iter().any(|word| text.contains(word));
    sentence.has(Label::Demand)
        && (wants_paid_back
            || sentence
                .reasons
                .iter()
                .any(|reason| RULE_WORDS.iter().any(|word| reason.rule.contains(word)))
            || TEXT_WORDS.iter().any(|word| text.contains(word)))
}

impl FactsReview {
    /// The reader's suggestion, before the user has changed anything. Quoted earlier mail is left
    /// out: it is not what the client says now.
    pub fn from_reading(reading: &Reading, message: &str) -> Self {
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
                reasons: sentence.reasons.iter().map(MarkReason::from).collect(),
            })
            .collect();
        let language = ReplyLanguage::of_message(reading.language, russian_share(&sentences));
        let facts = suggested_facts(&sentences, language);
        let money_demanded = sentences.iter().any(asks_for_money);
        let suggested_items = reading
            .items
            .iter()
            .map(|item| ItemSuggestion {
                item: *item,
                words: reading
                    .item_reasons
                    .iter()
                    .find(|reason| reason.item == *item)
                    .and_then(|reason| message.get(reason.start..reason.end))
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect();
        Self {
            language: reading.language,
            sentences,
            facts,
            suggested_verdict: reading.verdict,
            leaning: reading.leaning.as_ref().map(|leaning| VerdictLeaning {
                toward: leaning.toward,
                rule: leaning.rule.clone(),
                words: leaning
                    .reasons
                    .iter()
                    .filter_map(|reason| message.get(reason.start..reason.end))
                    .map(str::to_owned)
                    .take(6)
                    .collect(),
            }),
            verdict: reading.verdict,
            suggested_items,
            items: Vec::new(),
            money_demanded,
            entities: reading.entities.iter().map(EntityNote::from).collect(),
            heat: reading.heat,
            read_up_to: reading.truncated_at,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The language to answer in: the client's; for a mixed message, the one most sentences use.
    pub fn reply_language(&self) -> ReplyLanguage {
        ReplyLanguage::of_message(self.language, russian_share(&self.sentences))
    }

    pub fn sentences(&self) -> &[SentenceReview] {
        &self.sentences
    }

    pub fn facts(&self) -> &[String] {
        &self.facts
    }

    pub fn suggested_verdict(&self) -> Verdict {
        self.suggested_verdict
    }

    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Why the suggested verdict is only a leaning, when it is one.
    pub fn leaning(&self) -> Option<&VerdictLeaning> {
        self.leaning.as_ref()
    }

    pub fn suggested_items(&self) -> &[ItemSuggestion] {
        &self.suggested_items
    }

    pub fn is_suggested(&self, item: Item) -> bool {
        self.suggested_items
            .iter()
            .any(|suggestion| suggestion.item == item)
    }

    /// The items the user ticked.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn is_ticked(&self, item: Item) -> bool {
        self.items.contains(&item)
    }

    pub fn money_demanded(&self) -> bool {
        self.money_demanded
    }

    pub fn entities(&self) -> &[EntityNote] {
        &self.entities
    }

    pub fn heat(&self) -> u8 {
        self.heat
    }

    /// Where the reader stopped on a huge paste, if it did (the rest was not marked).
    pub fn read_up_to(&self) -> Option<usize> {
        self.read_up_to
    }

    /// How many sentences the user left with this mark.
    pub fn count(&self, label: Label) -> usize {
        self.sentences
            .iter()
            .filter(|sentence| sentence.has(label))
            .count()
    }

    /// Insults or threats confirmed: the reply names the line (seed 000).
    pub fn crossed_line(&self) -> bool {
        self.count(Label::Insult) > 0 || self.count(Label::Threat) > 0
    }

    /// Demands the user confirmed in a message where she also confirmed a threat: leverage, the
    /// shape of pressure (seed 001) whatever the demand is.
    pub fn demands_backed_by_threats(&self) -> usize {
        if self.count(Label::Threat) == 0 {
            0
        } else {
            self.count(Label::Demand)
        }
    }

    pub(super) fn toggle_mark(
        &mut self,
        sentence: usize,
        label: Label,
    ) -> Result<Effect, CoolDownError> {
        let review = self
            .sentences
            .get_mut(sentence)
            .ok_or(CoolDownError::NoSuchPart)?;
        review.toggle(label);
        Ok(Effect::Changed)
    }

    pub(super) fn set_fact(&mut self, index: usize, text: String) -> Result<Effect, CoolDownError> {
        if text.len() > MAX_FACT_BYTES {
            return Err(CoolDownError::TooLong);
        }
        let fact = self.facts.get_mut(index).ok_or(CoolDownError::NoSuchPart)?;
        if *fact == text {
            return Ok(Effect::Unchanged);
        }
        *fact = text;
        Ok(Effect::Changed)
    }

    pub(super) fn add_fact(&mut self) -> Result<Effect, CoolDownError> {
        if self.facts.len() >= MAX_FACTS {
            return Err(CoolDownError::TooLong);
        }
        self.facts.push(String::new());
        Ok(Effect::Changed)
    }

    pub(super) fn remove_fact(&mut self, index: usize) -> Result<Effect, CoolDownError> {
        if index >= self.facts.len() {
            return Err(CoolDownError::NoSuchPart);
        }
        self.facts.remove(index);
        Ok(Effect::Changed)
    }

    pub(super) fn toggle_item(&mut self, item: Item) -> Effect {
        if let Some(position) = self.items.iter().position(|ticked| *ticked == item) {
            self.items.remove(position);
        } else {
            self.items.push(item);
            self.items.sort();
        }
        Effect::Changed
    }
}

/// The share of sentences written in Cyrillic.
fn russian_share(sentences: &[SentenceReview]) -> f32 {
    let russian = sentences
        .iter()
        .filter(|sentence| {
            sentence
                .text
                .chars()
                .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
        })
        .count();
    #[allow(clippy::cast_precision_loss)]
    let share = russian as f32 / sentences.len().max(1) as f32;
    share
}

/// The reply restates only plain facts, briefly (BIFF), and in the user's voice: sentences the
/// reader marked as nothing but a fact, with words in them (not a signature's phone number), that
/// can be said back without passing the client's accusation off as the user's own (see
/// [`voice::restate`]). At most six. The user can add any sentence herself.
fn suggested_facts(sentences: &[SentenceReview], language: ReplyLanguage) -> Vec<String> {
    sentences
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
        .filter_map(|sentence| voice::restate(&sentence.text, language))
        .take(MAX_SUGGESTED_FACTS)
        .collect()
}
