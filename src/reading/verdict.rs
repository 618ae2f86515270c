//! The message as a whole: the seed-001 items it matched, the verdict (legitimate / pressure /
//! mixed / neutral), whether the client crossed the line (threats or insults, seed 000), and a
//! heat score for the trend plot.
//!
//! Verdict: a real failure (a legitimate item) alone is `legitimate`; together with pressure
//! items, threats or insults it is `mixed`; pressure items, threats or insults without a failure
//! are `pressure`. A message that complains without naming an item (a demand, venting, a
//! negative claim about the work, a disputed charge, a warning to others) is never `neutral`:
//! the text cannot decide, so the reading says which way it leans and why ([`Leaning`]) —
//! towards `pressure` when the heat (venting, shouting, "!!!", urgency, dictated terms)
//! outweighs the checkable facts, towards `legitimate` otherwise — and the user confirms. A
//! message that crossed the line (threats, insults) and names no item but tells what went wrong
//! in three or more checkable facts leans to `mixed`. `neutral` is for messages with no
//! complaint at all. A failure claimed in the same sentence in which the client concedes the
//! agreed rules ("I understand the sales page says...") does not count.

use super::lexicon::{CUE_ADDRESSEE, CUE_NEGATION, CUE_THANKS, CUE_WHY};
use super::marks::ItemHit;
use super::{Item, ItemReason, Label, Leaning, Reason, Sentence, Verdict};

pub(crate) struct Summary {
    pub verdict: Verdict,
    pub heat: u8,
    pub items: Vec<Item>,
    pub crossed_line: bool,
    pub item_reasons: Vec<ItemReason>,
    pub leaning: Option<Leaning>,
}

/// The sentence (byte range) that holds `pos`.
fn sentence_of(sentences: &[Sentence], pos: usize) -> Option<(usize, usize)> {
    sentences
        .iter()
        .find(|s| s.start <= pos && pos < s.end.max(s.start + 1))
        .map(|s| (s.start, s.end))
}

/// A sentence that complains without naming an item: a "why" question, or a negated claim
/// aimed at the provider or about a past event ("you didn't clean the room", "так и не пришло").
/// `cues` are the sentence's `CUE_*` bits.
fn complains(s: &Sentence, cues: u8) -> bool {
    if s.quoted || s.labels.is_empty() {
        return false;
    }
    let why = cues & CUE_WHY != 0 && s.labels.contains(&Label::Question);
    let negated = cues & CUE_NEGATION != 0;
    let aimed = cues & CUE_ADDRESSEE != 0;
    let past = s.reasons.iter().any(|r| r.rule == "fact.past");
    why || (negated && (aimed || past) && s.labels.contains(&Label::Fact))
}

/// Words that make a message a complaint even when they name no seed-001 item.
fn is_complaint_word(reason: &Reason) -> bool {
    reason.label == Label::Demand
        || matches!(
            reason.rule.as_str(),
            "emotion.venting"
                | "emotion.shouting"
                | "emotion.exclamations"
                | "emotion.warns_others"
                | "fact.state"
                | "fact.dispute"
        )
}

/// A demand for money back, for speed, for a manager, for what is owed, or on the client's own
/// terms (a plain request, "Could you resend the invoice?", is none of these).
fn is_pressing(rule: &str) -> bool {
    matches!(
        rule,
        "demand.refund"
            | "demand.urgency"
            | "demand.terms"
            | "demand.manager"
            | "demand.obligation"
            | "demand.where"
    )
}

/// How many sentences stating facts make a message that crossed the line, naming no item, lean
/// to `mixed`: the client tells what went wrong and attacks as well.
const STORY_FACTS: usize = 3;

/// The seed-001 items the message names, with where: a concession of the agreed rules voids
/// the failure claims of its own sentence, and a claim of something not owed counts only when
/// nothing owed is missing.
fn kept_items<'a>(
    sentences: &[Sentence],
    hits: &'a [ItemHit],
) -> (Vec<&'a ItemHit>, Vec<Item>, Vec<ItemReason>) {
    // A sentence in which the client concedes the agreed rules ("I understand the sales page
    // says group calls only", "я понимаю, что в тарифе этого нет") is no evidence of a failure:
    // its own legitimate hits are dropped.
    let conceded: Vec<(usize, usize)> = hits
        .iter()
        .filter(|h| !h.unowed && matches!(h.item, Item::OutsideRules | Item::RedoDespiteBrief))
        .filter_map(|h| sentence_of(sentences, h.start))
        .collect();
    let hits: Vec<&ItemHit> = hits
        .iter()
        .filter(|h| {
            !h.item.is_legitimate()
                || !conceded
                    .iter()
                    .any(|&(s, e)| s <= h.start && h.start < e.max(s + 1))
        })
        .collect();
    let owed_missing = hits.iter().any(|h| h.item.is_legitimate() && !h.unowed);
    let mut item_reasons: Vec<ItemReason> = hits
        .iter()
        .filter(|h| !h.unowed || !owed_missing)
        .map(|h| ItemReason {
            item: h.item,
            start: h.start,
            end: h.end,
            rule: h.rule.to_string(),
        })
        .collect();
    item_reasons.sort_by_key(|r| (r.start, r.item));
    let mut items: Vec<Item> = item_reasons.iter().map(|r| r.item).collect();
    items.sort();
    items.dedup();

    (hits, items, item_reasons)
}

pub(crate) fn summarize(sentences: &[Sentence], cues: &[u8], hits: &[ItemHit]) -> Summary {
    let (hits, items, item_reasons) = kept_items(sentences, hits);
    let count = |l: Label| -> usize {
        sentences
            .iter()
            .flat_map(|s| s.reasons.iter())
            .filter(|r| r.label == l)
            .count()
    };
    let threats = count(Label::Threat);
    let insults = count(Label::Insult);
    let demands = count(Label::Demand);
    let crossed_line = threats + insults > 0;
    let legit = items.iter().any(|i| i.is_legitimate());
    let pressure = items.iter().any(|i| !i.is_legitimate());

    // Words that make a message a complaint even when they name no seed-001 item.
    let all = || sentences.iter().flat_map(|s| s.reasons.iter());
    let complaint_words: Vec<&Reason> = all().filter(|r| is_complaint_word(r)).collect();
    let failure_claims = sentences
        .iter()
        .zip(cues)
        .filter(|&(s, &c)| complains(s, c))
        .count();
    let negative_claim = !hits.is_empty() || failure_claims > 0;
    // A plain request ("Could you resend the invoice?") is no complaint; a demand for money
    // back, for speed, for a manager, for what is owed, or on the client's own terms is.
    let pressing_demands = all().filter(|r| is_pressing(&r.rule)).count();
    // A request that thanks ("Thanks!", "Спасибо") asks as a client in good standing does.
    let thanks = cues.iter().any(|c| c & CUE_THANKS != 0);
    let fact_sentences = sentences
        .iter()
        .filter(|s| s.labels.contains(&Label::Fact))
        .count();
    let mut leaning = None;
    let verdict = if legit && (pressure || crossed_line) {
        Verdict::Mixed
    } else if legit {
        Verdict::Legitimate
    } else if crossed_line && !pressure && fact_sentences >= STORY_FACTS {
        // Threats or insults around a story of what went wrong (three or more checkable facts)
        // that names no item: a complaint wrapped in abuse, as far as the text tells.
        let reasons: Vec<Reason> = all().filter(|r| r.label == Label::Fact).cloned().collect();
        leaning = Some(Leaning {
            toward: Verdict::Mixed,
            rule: "verdict.leans_mixed".to_string(),
            reasons,
        });
        Verdict::Mixed
    } else if pressure || crossed_line {
        Verdict::Pressure
    } else if negative_claim
        || pressing_demands > 0
        || (demands > 0 && !thanks)
        // Any other complaint word: venting, shouting, "!!!", a warning to others, a dispute.
        // Demands are weighed just above; a stated state alone ("I am a client") is none.
        || complaint_words
            .iter()
            .any(|r| r.label != Label::Demand && r.rule != "fact.state")
    {
        let lean = lean_by_heat(sentences, &complaint_words);
        let toward = lean.toward;
        leaning = Some(lean);
        toward
    } else {
        Verdict::Neutral
    };

    Summary {
        verdict,
        heat: heat_of(sentences),
        items,
        crossed_line,
        item_reasons,
        leaning,
    }
}

/// A complaint that names no item leans by heat against checkable facts.
fn lean_by_heat(sentences: &[Sentence], complaint_words: &[&Reason]) -> Leaning {
    let all = || sentences.iter().flat_map(|s| s.reasons.iter());
    // A complaint that names no item: lean by heat against checkable facts. Orders given
    // without a single checkable fact say nothing about what went wrong: heat too.
    let fact_words: Vec<&Reason> = all().filter(|r| r.label == Label::Fact).collect();
    let heat_words: Vec<&Reason> = all()
        .filter(|r| {
            matches!(
                r.rule.as_str(),
                "emotion.venting"
                    | "emotion.shouting"
                    | "emotion.exclamations"
                    | "emotion.exclamation"
                    | "demand.urgency"
                    | "demand.terms"
                    | "demand.manager"
            ) || (fact_words.is_empty()
                && matches!(
                    r.rule.as_str(),
                    "demand.imperative" | "demand.ru_imperative" | "demand.obligation"
                ))
        })
        .collect();
    let (toward, rule, why) = if heat_words.len() > fact_words.len() {
        (Verdict::Pressure, "verdict.leans_pressure", heat_words)
    } else {
        let mut why = fact_words;
        why.extend(complaint_words.iter().filter(|r| r.label == Label::Demand));
        (Verdict::Legitimate, "verdict.leans_legitimate", why)
    };
    let mut reasons: Vec<Reason> = why.into_iter().cloned().collect();
    reasons.sort_by_key(|r| (r.start, r.end));
    Leaning {
        toward,
        rule: rule.to_string(),
        reasons,
    }
}

/// 0–100: insults, threats, shouting, "!!!", urgency, demands and venting, each capped.
fn heat_of(sentences: &[Sentence]) -> u8 {
    let all = || sentences.iter().flat_map(|s| s.reasons.iter());
    let count = |label: Label| all().filter(|r| r.label == label).count();
    let count_rule = |rule: &str| all().filter(|r| r.rule == rule).count();
    let (threats, insults) = (count(Label::Threat), count(Label::Insult));
    let (demands, emotions) = (count(Label::Demand), count(Label::Emotion));
    let shouting = count_rule("emotion.shouting");
    let bangs = count_rule("emotion.exclamations");
    let urgency = count_rule("demand.urgency");
    let heat = (insults * 25).min(50)
        + (threats * 20).min(40)
        + (shouting * 10).min(20)
        + (bangs * 8).min(16)
        + (urgency * 6).min(12)
        + (demands * 3).min(12)
        + (emotions.saturating_sub(shouting + bangs) * 4).min(12);
    u8::try_from(heat.min(100)).unwrap_or(100)
}
