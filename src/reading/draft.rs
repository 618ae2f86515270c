//! The reader turned on the user's own reply: insults, threats, shouting, "!!!", sarcasm, blame,
//! admissions of fault and new promises, each with the words and the rule. The cool-down will
//! refuse to copy a draft with flags unless the user overrides (BIFF: brief, informative,
//! friendly, firm — no admissions, no sarcasm).

use serde::{Deserialize, Serialize};

use super::lexicon::{LEXICON, Lexicon, Mark};
use super::marks::{mark_sentence, scan};
use super::sentences::split;
use super::{Label, Language, rule_explanation};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftFlagKind {
    Insult,
    Threat,
    Shouting,
    Exclamation,
    Sarcasm,
    Blame,
    Admission,
    Promise,
}

/// One problem in the draft, with the words (byte offsets into the draft) and the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFlag {
    pub kind: DraftFlagKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rule: String,
}

impl DraftFlag {
    pub fn explanation(&self, lang: Language) -> Option<&'static str> {
        rule_explanation(&self.rule, lang)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftCheck {
    pub flags: Vec<DraftFlag>,
}

impl DraftCheck {
    /// No flags: the draft may be copied without an override.
    pub fn is_clean(&self) -> bool {
        self.flags.is_empty()
    }
}

/// Checks the user's own draft reply.
pub fn analyze_draft(text: &str) -> DraftCheck {
    let lex: &'static Lexicon = &LEXICON;
    let mut flags = Vec::new();
    let mut push = |kind, start: usize, end: usize, rule: &str| {
        flags.push(DraftFlag {
            kind,
            start,
            end,
            text: text[start..end].to_string(),
            rule: rule.to_string(),
        });
    };
    for seg in split(text).iter().filter(|s| !s.quoted) {
        let marked = mark_sentence(text, seg, &[]);
        for r in &marked.reasons {
            match (r.label, r.rule.as_str()) {
                (Label::Insult, rule) => push(DraftFlagKind::Insult, r.start, r.end, rule),
                (Label::Threat, rule) => push(DraftFlagKind::Threat, r.start, r.end, rule),
                (_, "emotion.shouting") => {
                    push(DraftFlagKind::Shouting, r.start, r.end, "draft.shouting");
                }
                (_, "emotion.exclamations") => {
                    push(
                        DraftFlagKind::Exclamation,
                        r.start,
                        r.end,
                        "draft.exclamations",
                    );
                }
                _ => {}
            }
        }
        // The draft's own rules (sarcasm, blame, admission, promise): label suppressors such as
        // "feel free" belong to the client's marks and do not silence these.
        let sc = scan(text, seg, true);
        for h in &sc.hits {
            let rule = &lex.rules[h.rule];
            if let Mark::Draft(kind) = rule.mark {
                let (s, e) = (sc.toks[h.first].start, sc.toks[h.last].end);
                push(kind, s, e, rule.id.as_str());
            }
        }
    }
    // Words inside quotation marks are someone else's: a cited contract clause («…», "…", “…”)
    // or the client's own words. Their capitals or promises are not the user's tone.
    let quoted = quoted_ranges(text);
    flags.retain(|flag| {
        !quoted
            .iter()
            .any(|&(start, end)| flag.start >= start && flag.end <= end)
    });
    flags.sort_by_key(|f| (f.start, f.end));
    DraftCheck { flags }
}

/// Byte ranges between paired quotation marks: «…», “…”, „…“ and straight "…".
fn quoted_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (index, c) in text.char_indices() {
        match (open, c) {
            (None, '«' | '“' | '„' | '"') => open = Some((index + c.len_utf8(), c)),
            (Some((start, '«')), '»')
            | (Some((start, '“' | '„')), '”' | '“')
            | (Some((start, '"')), '"') => {
                ranges.push((start, index));
                open = None;
            }
            // A quotation never runs across a paragraph.
            (Some(_), '\n') if text[index + 1..].starts_with('\n') => open = None,
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_clauses_and_client_words_are_not_the_users_tone() {
        let draft = "По договору: «п. 4.3 Штрафы, подтверждённые требованием ИФНС, возмещает Исполнитель». \
                     You wrote: \"I WILL NEVER PAY\".";
        assert!(
            analyze_draft(draft).is_clean(),
            "{:?}",
            analyze_draft(draft).flags
        );
        assert!(!analyze_draft("I WILL NEVER DO THAT AGAIN, this is ABSURD").is_clean());
    }

    #[test]
    fn a_past_promise_of_the_client_is_not_a_new_promise_of_the_user() {
        assert!(analyze_draft("Вы пишете, что я обещала черновик к 20.04.").is_clean());
        assert!(!analyze_draft("Обещаю сделать всё к пятнице.").is_clean());
    }
}
