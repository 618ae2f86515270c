//! The message reader: reads a client's message (Russian, English or both) and says, sentence by
//! sentence, what is a fact, a question, a demand, a threat, an insult or plain emotion — each mark
//! with the words that caused it and the rule that fired — pulls out amounts, dates, deadlines,
//! contract references and percentages, and suggests whether the message is a legitimate complaint
//! or pressure (the seed-001 items it matched). The same engine checks the user's own draft reply.
//!
//! No egui, no I/O, no panics on any input. The phrase rules are data in `assets/reading/`,
//! embedded at build time (see `assets/reading/README.md` for how to extend them).
//!
//! Pipeline: [`sentences`] splits the text into segments that cover it; [`tokens`] turns each into
//! normalised, stemmed words; [`lexicon`] matches the phrase rules on them; [`entities`] finds
//! amounts and dates with regexes; [`marks`] decides each sentence's labels; [`verdict`] sums the
//! message up; [`draft`] and [`report`] are the two other faces of the same reading.

mod draft;
mod entities;
#[cfg(test)]
mod examples;
mod language;
mod lexicon;
mod marks;
mod report;
mod sentences;
mod tokens;
mod verdict;

use serde::{Deserialize, Serialize};

pub use draft::{DraftCheck, DraftFlag, DraftFlagKind, analyze_draft};
pub use report::report_text;

/// One of the six sentence marks (DOMAIN.md, "The six sentence marks").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Fact,
    Question,
    Demand,
    Threat,
    Insult,
    Emotion,
}

impl Label {
    pub const ALL: [Label; 6] = [
        Label::Fact,
        Label::Question,
        Label::Demand,
        Label::Threat,
        Label::Insult,
        Label::Emotion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Fact => "fact",
            Label::Question => "question",
            Label::Demand => "demand",
            Label::Threat => "threat",
            Label::Insult => "insult",
            Label::Emotion => "emotion",
        }
    }

    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The language of a message or a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ru,
    En,
    Mixed,
}

/// What the message is as a whole (DOMAIN.md, "legitimate complaint vs pressure").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Legitimate,
    Pressure,
    Mixed,
    Neutral,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Legitimate => "legitimate",
            Verdict::Pressure => "pressure",
            Verdict::Mixed => "mixed",
            Verdict::Neutral => "neutral",
        }
    }
}

/// The seed-001 items: seven legitimate triggers and five pressure demands, with stable ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Item {
    /// Delivered something other than what was promised.
    #[serde(rename = "legitimate.not_as_promised")]
    NotAsPromised,
    /// Did not fully answer a question within the scope of the service.
    #[serde(rename = "legitimate.unanswered_question")]
    UnansweredQuestion,
    /// Missed a promised deadline without warning.
    #[serde(rename = "legitimate.missed_deadline")]
    MissedDeadline,
    /// Removed access or a guarantee that should still be there.
    #[serde(rename = "legitimate.access_removed")]
    AccessRemoved,
    /// Was rude to the client.
    #[serde(rename = "legitimate.provider_rude")]
    ProviderRude,
    /// Delivered a defect and did not replace it.
    #[serde(rename = "legitimate.defect_not_replaced")]
    DefectNotReplaced,
    /// Left the product rough; the client suggests a fix.
    #[serde(rename = "legitimate.rough_with_fix")]
    RoughWithFix,
    /// Money back after the agreed term, or because they changed their mind.
    #[serde(rename = "pressure.refund_after_term")]
    RefundAfterTerm,
    /// A redo although there was a brief or a sample.
    #[serde(rename = "pressure.redo_despite_brief")]
    RedoDespiteBrief,
    /// More bonuses or personal time.
    #[serde(rename = "pressure.more_bonuses_or_time")]
    MoreBonusesOrTime,
    /// Personal attention in a group product.
    #[serde(rename = "pressure.personal_attention")]
    PersonalAttention,
    /// Work outside the rules agreed in advance.
    #[serde(rename = "pressure.outside_rules")]
    OutsideRules,
}

impl Item {
    pub const ALL: [Item; 12] = [
        Item::NotAsPromised,
        Item::UnansweredQuestion,
        Item::MissedDeadline,
        Item::AccessRemoved,
        Item::ProviderRude,
        Item::DefectNotReplaced,
        Item::RoughWithFix,
        Item::RefundAfterTerm,
        Item::RedoDespiteBrief,
        Item::MoreBonusesOrTime,
        Item::PersonalAttention,
        Item::OutsideRules,
    ];

    /// The stable id, e.g. `"pressure.refund_after_term"`.
    pub fn id(self) -> &'static str {
        match self {
            Item::NotAsPromised => "legitimate.not_as_promised",
            Item::UnansweredQuestion => "legitimate.unanswered_question",
            Item::MissedDeadline => "legitimate.missed_deadline",
            Item::AccessRemoved => "legitimate.access_removed",
            Item::ProviderRude => "legitimate.provider_rude",
            Item::DefectNotReplaced => "legitimate.defect_not_replaced",
            Item::RoughWithFix => "legitimate.rough_with_fix",
            Item::RefundAfterTerm => "pressure.refund_after_term",
            Item::RedoDespiteBrief => "pressure.redo_despite_brief",
            Item::MoreBonusesOrTime => "pressure.more_bonuses_or_time",
            Item::PersonalAttention => "pressure.personal_attention",
            Item::OutsideRules => "pressure.outside_rules",
        }
    }

    pub fn from_id(id: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.id() == id)
    }

    pub fn is_legitimate(self) -> bool {
        self.id().starts_with("legitimate.")
    }
}

/// Why a sentence carries a label: the matched words (byte offsets into the input) and the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub label: Label,
    pub start: usize,
    pub end: usize,
    pub rule: String,
}

/// Why a sentence ends where it does (what the splitter saw), so the UI can explain a split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// The end of the text read.
    #[default]
    End,
    /// A full stop, "?", "!" or "…" (found by the segmenter, sentencex).
    Punctuation,
    /// "!!!", "???", "…" before a capital, or "?"/"!" glued to the capital after it.
    Emphatic,
    /// ")))" or an emoji before a capital: the chat's full stop.
    Emoticon,
    /// A line break that ends the line's sentence (a short line, or one ending in a mark).
    LineBreak,
    /// A blank line.
    Paragraph,
    /// The next line is a bullet or a numbered item.
    ListItem,
    /// A greeting ("Hi Anna,", "Здравствуйте!") ends here.
    Greeting,
    /// A sign-off ("Regards,", "С уважением,") ends here; the name follows.
    SignOff,
    /// Quoted earlier mail starts or stops here.
    Quote,
    /// Chat typed without punctuation: a new clause opens here ("...today im not paying").
    RunOn,
}

/// One sentence. The sentences of a reading cover the input: the first starts at 0, each starts
/// where the previous ended, the last ends at the input's length (trailing whitespace belongs to
/// the sentence before it). `text` is the sentence without that trailing whitespace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub language: Language,
    pub labels: Vec<Label>,
    pub reasons: Vec<Reason>,
    /// Quoted earlier mail ("> ..." lines, "On ... wrote:" and what follows): never marked.
    #[serde(default)]
    pub quoted: bool,
    /// Why the sentence ends here.
    #[serde(default)]
    pub boundary: Boundary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Money,
    Date,
    Deadline,
    ContractRef,
    Percent,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Money => "money",
            EntityKind::Date => "date",
            EntityKind::Deadline => "deadline",
            EntityKind::ContractRef => "contract_ref",
            EntityKind::Percent => "percent",
        }
    }
}

/// An amount, date, deadline, contract reference or percentage, with its span in the input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Money and percentages: the number (e.g. 1200.5 for "€1,200.50").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Money: ISO 4217 code ("USD", "RUB", "EUR", "GBP", ...), when the text names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A seed-001 item found in the message, with the words that matched it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemReason {
    pub item: Item,
    pub start: usize,
    pub end: usize,
    pub rule: String,
}

/// When the text alone cannot decide the verdict (a complaint that names no seed-001 item):
/// which way the reading leans, and the words that tipped it. The
/// user confirms against the contract and the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaning {
    /// What the verdict leans to (`legitimate`, `pressure` or `mixed`); `Reading.verdict` is
    /// the same.
    pub toward: Verdict,
    /// `verdict.leans_legitimate`, `verdict.leans_pressure` or `verdict.leans_mixed` (explained
    /// by `rule_explanation`).
    pub rule: String,
    /// The sentence reasons that tipped it (facts and plain demands, or heat).
    pub reasons: Vec<Reason>,
}

/// What the reader makes of one message. Serialises to the JSON shape of issue 3.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub language: Language,
    pub verdict: Verdict,
    /// 0–100: insults, threats, shouting, "!!!", urgency.
    pub heat: u8,
    pub items: Vec<Item>,
    /// Threats or insults: the client crossed the line (seed 000).
    pub crossed_line: bool,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    /// Where each item was found.
    #[serde(default)]
    pub item_reasons: Vec<ItemReason>,
    /// Set when the verdict is a guess: which way it leans and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaning: Option<Leaning>,
    /// Set when the input was longer than the reader reads ([`MAX_READ`] bytes): the byte offset
    /// where reading stopped. The sentences cover `text[..truncated_at]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated_at: Option<usize>,
}

impl Reading {
    /// Every reason of every sentence with the given label.
    pub fn reasons_for(&self, label: Label) -> impl Iterator<Item = &Reason> {
        self.sentences
            .iter()
            .flat_map(|s| s.reasons.iter())
            .filter(move |r| r.label == label)
    }

    pub fn has_label(&self, label: Label) -> bool {
        self.sentences.iter().any(|s| s.labels.contains(&label))
    }
}

/// The most the reader reads of one message, in bytes (a long e-mail thread is ~50 KB). A longer
/// paste is read up to a sentence or line end before this (`Reading.truncated_at`), so time and
/// memory stay bounded whatever is pasted.
pub const MAX_READ: usize = 200 * 1024;

/// The reader's version, kept with every stored mark of a message (the `readings` table): a
/// change to what the reader finds must change it, so stored marks are read again.
pub const VERSION: &str = "2026-12.1";

/// Where to stop reading a text longer than [`MAX_READ`]: the last paragraph, line or sentence
/// end in the final 4 KB before the limit, or the limit itself (on a char boundary).
fn read_limit(text: &str) -> Option<usize> {
    if text.len() <= MAX_READ {
        return None;
    }
    let mut cut = MAX_READ;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut window_start = cut.saturating_sub(4096);
    while !text.is_char_boundary(window_start) {
        window_start += 1;
    }
    let window = &text[window_start..cut];
    let at = window
        .rfind("\n\n")
        .map(|i| i + 2)
        .or_else(|| window.rfind('\n').map(|i| i + 1))
        .or_else(|| {
            window
                .rfind(['.', '!', '?', '…'])
                .map(|i| i + window[i..].chars().next().map_or(1, char::len_utf8))
        })
        .map_or(cut, |i| window_start + i);
    Some(if at == 0 { cut } else { at })
}

/// Reads a client's message. Never panics; the sentences cover `text`, or its first
/// `truncated_at` bytes when it is longer than [`MAX_READ`].
pub fn analyze(text: &str) -> Reading {
    let truncated_at = read_limit(text);
    let text = &text[..truncated_at.unwrap_or(text.len())];
    let segments = sentences::split(text);
    let entities = entities::find(text);
    let mut out = Vec::with_capacity(segments.len());
    let mut item_hits = Vec::new();
    let mut cues = Vec::with_capacity(segments.len());
    let mut letters = Vec::with_capacity(segments.len());
    for seg in &segments {
        let slice = &text[seg.start..seg.end];
        let (labels, reasons) = if seg.quoted {
            cues.push(0);
            (Vec::new(), Vec::new())
        } else {
            let marked = marks::mark_sentence(text, seg, &entities);
            item_hits.extend(marked.items);
            cues.push(marked.cues);
            (marked.labels, marked.reasons)
        };
        let (cyr, lat) = language::counts(slice);
        letters.push((cyr, lat));
        out.push(Sentence {
            start: seg.start,
            end: seg.end,
            text: slice.trim_end().to_string(),
            language: language::of_counted(cyr, lat, slice).unwrap_or(Language::Mixed),
            labels,
            reasons,
            quoted: seg.quoted,
            boundary: seg.boundary,
        });
    }
    let language = language::of_message(text, &out, &letters);
    // Sentences without letters ("!!!", "12.03") take the message's language. `of_sentence`
    // never answers `Mixed` for a sentence with fewer than four letters of each script, so a
    // letterless sentence is the only `Mixed` one without letters; check that cheaply.
    for s in &mut out {
        if s.language == Language::Mixed && !s.text.chars().any(char::is_alphabetic) {
            s.language = language;
        }
    }
    let summary = verdict::summarize(&out, &cues, &item_hits);
    Reading {
        language,
        verdict: summary.verdict,
        heat: summary.heat,
        items: summary.items,
        crossed_line: summary.crossed_line,
        sentences: out,
        entities,
        item_reasons: summary.item_reasons,
        leaning: summary.leaning,
        truncated_at,
    }
}

/// A short explanation of a rule id (sentence rules, item ids, draft rules) in English or Russian
/// (`Mixed` gives English). `None` for an unknown id.
pub fn rule_explanation(rule: &str, lang: Language) -> Option<&'static str> {
    lexicon::explanation(rule, lang)
}

/// Every rule id the reader can emit that has an explanation (for tests and the UI's legend).
pub fn known_rules() -> Vec<&'static str> {
    lexicon::explained_rules()
}

/// The stem a search looks for when the user types `word`: lowercase, `ё` read as `е`, the
/// Snowball stem of the word's script. Both stemmers only take endings off, so every form of a
/// Russian word starts with its stem («жалоб» for «жалоба», «жалобу», «жалобой»), and so do
/// most English ones ("invoic" for "invoice", "invoices", "invoiced"). `None` for a word with
/// digits or marks in it, or whose stem would be shorter than three letters.
pub fn search_stem(word: &str) -> Option<String> {
    if word.is_empty() || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let lower = word.to_lowercase().replace('ё', "е");
    let stem = tokens::stem_word(&lower);
    (stem.chars().count() >= 3).then(|| stem.to_string())
}
