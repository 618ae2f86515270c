//! The message as a whole: the seed-001 items it matched, the verdict (legitimate / pressure /
//! mixed / neutral), whether the client crossed the line (threats or insults, seed 000), and a
//! heat score for the trend plot.
//!
//! Verdict: a real failure (a legitimate item) alone is `legitimate`; together with pressure
//! items, threats or insults it is `mixed`; pressure items, threats or insults without a failure
//! are `pressure`; an upset demand that names no item is taken as `legitimate` (a complaint the
//! user must check against the contract; a lone cheerful "!" is not upset); anything else is
//! `neutral`. A failure claimed in the same sentence in which the client concedes the agreed
//! rules ("I understand the sales page says...") does not count.

use super::marks::ItemHit;
use super::{Item, ItemReason, Label, Sentence, Verdict};

pub(crate) struct Summary {
    pub verdict: Verdict,
    pub heat: u8,
    pub items: Vec<Item>,
    pub crossed_line: bool,
    pub item_reasons: Vec<ItemReason>,
}

/// The sentence (byte range) that holds `pos`.
fn sentence_of(sentences: &[Sentence], pos: usize) -> Option<(usize, usize)> {
    sentences
        .iter()
        .find(|s| s.start <= pos && pos < s.end.max(s.start + 1))
        .map(|s| (s.start, s.end))
}

pub(crate) fn summarize(sentences: &[Sentence], hits: &[ItemHit]) -> Summary {
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

    let count = |l: Label| -> usize {
        sentences
            .iter()
            .flat_map(|s| s.reasons.iter())
            .filter(|r| r.label == l)
            .count()
    };
    let count_rule = |rule: &str| -> usize {
        sentences
            .iter()
            .flat_map(|s| s.reasons.iter())
            .filter(|r| r.rule == rule)
            .count()
    };
    let threats = count(Label::Threat);
    let insults = count(Label::Insult);
    let demands = count(Label::Demand);
    let emotions = count(Label::Emotion);
    let crossed_line = threats + insults > 0;
    let legit = items.iter().any(|i| i.is_legitimate());
    let pressure = items.iter().any(|i| !i.is_legitimate());

    let verdict = if legit && (pressure || crossed_line) {
        Verdict::Mixed
    } else if legit {
        Verdict::Legitimate
    } else if pressure || crossed_line {
        Verdict::Pressure
    } else if demands > 0 && emotions > count_rule("emotion.exclamation") {
        Verdict::Legitimate
    } else {
        Verdict::Neutral
    };

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
    Summary {
        verdict,
        heat: u8::try_from(heat.min(100)).unwrap_or(100),
        items,
        crossed_line,
        item_reasons,
    }
}
