//! The six marks of one sentence and their reasons. Phrase rules come from the lexicon; the
//! marks that depend on the shape of the sentence are decided here: a question mark, Russian
//! imperative morphology (-ите/-йте/-ьте), shouting in capitals, "!!!", a bare exclamation, and
//! facts (dates, amounts, past-tense statements, stated circumstances).

use super::lexicon::{CUE_SCARE_QUOTE, Hit, LEXICON, Lexicon, Mark, SetName};
use super::sentences::Segment;
use super::tokens::{Token, tokenize};
use super::{Entity, EntityKind, Item, Label, Reason};

/// A sentence read by the phrase rules: its tokens and the hits.
pub(crate) struct Scan {
    pub toks: Vec<Token>,
    pub hits: Vec<Hit>,
    /// Byte range of the sentence without trailing whitespace.
    pub start: usize,
    pub end: usize,
}

/// An item found in a sentence.
pub(crate) struct ItemHit {
    pub item: Item,
    pub start: usize,
    pub end: usize,
    pub rule: &'static str,
    pub unowed: bool,
}

pub(crate) struct Marked {
    pub labels: Vec<Label>,
    pub reasons: Vec<Reason>,
    pub items: Vec<ItemHit>,
    /// The `CUE_*` bits of all its words, for the verdict.
    pub cues: u8,
}

pub(crate) fn scan(text: &str, seg: &Segment, draft: bool) -> Scan {
    let lex: &Lexicon = &LEXICON;
    let slice = &text[seg.start..seg.end];
    let trimmed = slice.trim_end();
    let end = seg.start + trimmed.len();
    let toks = tokenize(text, seg.start, end);
    let last = trimmed
        .chars()
        .rev()
        .find(|c| c.is_alphanumeric() || matches!(c, '.' | '!' | '?' | '…'));
    let open = !matches!(last, Some('.' | '!' | '…'));
    let hits = lex.scan(&toks, open, draft);
    Scan {
        toks,
        hits,
        start: seg.start,
        end,
    }
}

fn reason(label: Label, start: usize, end: usize, rule: &str) -> Reason {
    Reason {
        label,
        start,
        end,
        rule: rule.to_string(),
    }
}

/// What the phrase rules say of the sentence: marks (facts apart, which count only in a calm
/// sentence) and seed-001 items, with the rules' suppressions applied.
fn lexicon_marks(lex: &'static Lexicon, sc: &Scan) -> (Vec<Reason>, Vec<Reason>, Vec<ItemHit>) {
    let toks = &sc.toks;
    let mut reasons: Vec<Reason> = Vec::new();
    let mut suppress: Vec<(Label, usize, usize)> = Vec::new();
    let mut items: Vec<ItemHit> = Vec::new();
    let mut item_suppress: Vec<(usize, usize)> = Vec::new();
    let mut lexicon_facts: Vec<Reason> = Vec::new();

    for h in &sc.hits {
        let rule = &lex.rules[h.rule];
        let (s, e) = (toks[h.first].start, toks[h.last].end);
        if h.flags.needs_more && toks.get(h.last + 1).is_none_or(|t| t.clause_start) {
            continue;
        }
        match rule.mark {
            Mark::Label(Label::Fact) => lexicon_facts.push(reason(Label::Fact, s, e, &rule.id)),
            Mark::Label(l) => reasons.push(reason(l, s, e, &rule.id)),
            Mark::Suppress(l) => suppress.push((l, s, e)),
            Mark::SuppressItem => item_suppress.push((s, e)),
            Mark::Item(item) => items.push(ItemHit {
                item,
                start: s,
                end: e,
                rule: rule.id.as_str(),
                unowed: h.flags.unowed,
            }),
            Mark::Draft(_) => {}
        }
    }
    items.retain(|h| !item_suppress.iter().any(|&(s, e)| h.start < e && s < h.end));
    let kept = |r: &Reason| {
        !suppress
            .iter()
            .any(|&(l, s, e)| l == r.label && r.start < e && s < r.end)
    };
    reasons.retain(kept);
    lexicon_facts.retain(kept);

    (reasons, lexicon_facts, items)
}

/// Shouting in capitals and runs of "!!!".
fn emotion_marks(sc: &Scan, body: &str, reasons: &mut Vec<Reason>) {
    let toks = &sc.toks;
    let mut shout = toks
        .iter()
        .filter(|t| t.word.upper && !t.word.digit && !t.word.lex.in_set(SetName::Acronym));
    // The first shouted word of four letters or more, else the first of two or more.
    let first = shout.next();
    let second = first.and_then(|_| shout.next());
    let long_shout = first
        .into_iter()
        .chain(second)
        .chain(shout)
        .find(|t| t.word.norm.chars().count() >= 4);
    if let Some(t) = long_shout.or(second.and(first)) {
        reasons.push(reason(Label::Emotion, t.start, t.end, "emotion.shouting"));
    }
    if let Some((s, e)) = exclamation_run(body) {
        reasons.push(reason(
            Label::Emotion,
            sc.start + s,
            sc.start + e,
            "emotion.exclamations",
        ));
    }
}

/// Marks one (unquoted) sentence.
pub(crate) fn mark_sentence(text: &str, seg: &Segment, entities: &[Entity]) -> Marked {
    let lex: &'static Lexicon = &LEXICON;
    let sc = scan(text, seg, false);
    let toks = &sc.toks;
    let body = &text[sc.start..sc.end];
    let (mut reasons, lexicon_facts, items) = lexicon_marks(lex, &sc);

    // A question mark anywhere (rhetorical questions included).
    if let Some(q) = body.rfind('?') {
        let at = sc.start + q;
        reasons.push(reason(Label::Question, at, at + 1, "question.mark"));
    }

    // Russian imperative morphology: "верните", "сделайте", "исправьте".
    for (i, t) in toks.iter().enumerate() {
        if is_ru_imperative(toks, i) {
            reasons.push(reason(
                Label::Demand,
                t.start,
                t.end,
                "demand.ru_imperative",
            ));
        }
    }

    // Scare quotes: one or two words in quotation marks right after "this", "your", "ваш"...
    // (this "designer", ваш «сервис»): mockery of what the provider calls itself.
    if let Some((s, e)) = scare_quotes(toks, text) {
        reasons.push(reason(Label::Insult, s, e, "insult.scare_quotes"));
    }

    // A masked word the lists do not know ("о#$ели"): letters hidden on purpose are a swear word.
    if let Some(t) = toks.iter().find(|t| t.word.hidden) {
        reasons.push(reason(Label::Insult, t.start, t.end, "insult.masked"));
    }

    emotion_marks(&sc, body, &mut reasons);
    let has = |rs: &[Reason], l: Label| rs.iter().any(|r| r.label == l);
    let courtesy = toks.iter().any(|t| t.word.lex.in_set(SetName::Courtesy));
    if body.trim_end().ends_with('!')
        && !courtesy
        && !has(&reasons, Label::Emotion)
        && !Label::ALL[1..5].iter().any(|&l| has(&reasons, l))
        && let Some(p) = body.rfind('!')
    {
        let at = sc.start + p;
        reasons.push(reason(Label::Emotion, at, at + 1, "emotion.exclamation"));
    }

    // Facts: a stated circumstance from the phrase rules counts in a calm sentence; in a
    // demand, threat or insult only a past-tense statement does.
    let pushy = reasons
        .iter()
        .any(|r| matches!(r.label, Label::Demand | Label::Threat | Label::Insult));
    let hypothetical = toks
        .first()
        .is_some_and(|t| t.word.lex.in_set(SetName::Hypothetical));
    if let Some(r) = fact_reason(&sc, entities, &reasons) {
        reasons.push(r);
    } else if !pushy && !hypothetical && !has(&reasons, Label::Question) {
        reasons.extend(lexicon_facts);
    }

    reasons.sort_by_key(|r| (r.start, r.end, r.label));
    reasons.dedup_by(|a, b| a.label == b.label && a.rule == b.rule && a.start < b.end);
    let mut labels: Vec<Label> = reasons.iter().map(|r| r.label).collect();
    labels.sort();
    labels.dedup();
    let cues = toks.iter().fold(0, |acc, t| acc | t.word.lex.cues);
    Marked {
        labels,
        reasons,
        items,
        cues,
    }
}

/// The span of a scare-quoted word: a cue word, then one or two words wrapped in quotes.
fn scare_quotes(toks: &[Token], text: &str) -> Option<(usize, usize)> {
    let opens = |c: char| matches!(c, '"' | '«' | '“' | '„');
    let closes = |c: char| matches!(c, '"' | '»' | '”' | '“');
    for (i, cue) in toks.iter().enumerate() {
        if cue.word.lex.cues & CUE_SCARE_QUOTE == 0 {
            continue;
        }
        let Some(first) = toks.get(i + 1) else {
            continue;
        };
        if !text[cue.end..first.start].trim_end().ends_with(opens) {
            continue;
        }
        for last in toks.iter().skip(i + 1).take(2) {
            let after = text[last.end..].chars().next();
            if after.is_some_and(closes) {
                let inside = &text[first.start..last.end];
                if !inside.contains(|c: char| opens(c) || closes(c)) {
                    return Some((first.start, last.end));
                }
            }
        }
    }
    None
}

/// "!!", "!!!", "?!", "!?" and longer runs, relative to `body`.
fn exclamation_run(body: &str) -> Option<(usize, usize)> {
    let bytes = body.as_bytes();
    // Every run counted holds a "!" (most sentences have none: one fast search).
    if !bytes.contains(&b'!') {
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'!' || bytes[i] == b'?' {
            let s = i;
            while i < bytes.len() && (bytes[i] == b'!' || bytes[i] == b'?') {
                i += 1;
            }
            let run = &body[s..i];
            if run.len() >= 2 && run.contains('!') {
                return Some((s, i));
            }
        } else {
            i += 1;
        }
    }
    None
}

fn is_ru_imperative(toks: &[Token], i: usize) -> bool {
    let t = &toks[i];
    if !t.word.lex.ru_imperative {
        return false;
    }
    if i > 0 && toks[i - 1].word.lex.in_set(SetName::Preposition) {
        return false;
    }
    // "вы всё равно не получите": a negated -ите form with "вы" before it is the future.
    if i > 0
        && toks[i - 1].word.norm == "не"
        && toks[i.saturating_sub(5)..i - 1]
            .iter()
            .any(|p| p.word.lex.in_set(SetName::Addressee))
    {
        return false;
    }
    // "вы говорите", "если хотите", "когда пришлите": indicative.
    let from = i.saturating_sub(2);
    !toks[from..i]
        .iter()
        .any(|p| p.word.lex.in_set(SetName::IndicativeCue))
}

fn fact_reason(sc: &Scan, entities: &[Entity], reasons: &[Reason]) -> Option<Reason> {
    let toks = &sc.toks;
    if toks.len() < 2 || toks.iter().all(|t| t.word.lex.in_set(SetName::Courtesy)) {
        return None;
    }
    let body_has_q = reasons.iter().any(|r| r.rule == "question.mark");
    if body_has_q {
        return None;
    }
    if toks
        .first()
        .is_some_and(|t| t.word.lex.in_set(SetName::Hypothetical))
    {
        return None;
    }
    let pushy = reasons
        .iter()
        .any(|r| matches!(r.label, Label::Demand | Label::Threat | Label::Insult));
    if let Some(t) = toks.iter().find(|t| t.word.lex.past) {
        return Some(reason(Label::Fact, t.start, t.end, "fact.past"));
    }
    if pushy {
        return None;
    }
    // Entities are sorted by start: jump to this sentence's first one.
    let first = entities.partition_point(|e| e.start < sc.start);
    let ent = entities[first..]
        .iter()
        .take_while(|e| e.start < sc.end)
        .find(|e| e.end <= sc.end && e.kind != EntityKind::Deadline);
    if let Some(e) = ent {
        return Some(reason(Label::Fact, e.start, e.end, "fact.figure"));
    }
    if let Some(t) = toks.iter().find(|t| t.word.digit) {
        return Some(reason(Label::Fact, t.start, t.end, "fact.figure"));
    }
    if let Some(t) = toks.iter().find(|t| t.word.lex.in_set(SetName::State)) {
        return Some(reason(Label::Fact, t.start, t.end, "fact.state"));
    }
    None
}
