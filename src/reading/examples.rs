//! The rules' own example lines (`@ok RULE | text`, `@not RULE | text`, written next to each rule
//! in `assets/reading/`), run as a test: every rule fires on each of its `@ok` lines and on none
//! of its `@not` lines, and every rule id has at least one of each. And the stem lint: a Russian
//! word matched by a Snowball stem of five letters or fewer must be written exact (`=word`) or as
//! a prefix (`word*`), because such stems collide ("пожалуй" / "пожалуюсь", "суд" / "судя").

use std::collections::BTreeSet;

use super::lexicon::{LEXICON, Mark};
use super::marks::scan;
use super::sentences::split;
use super::{analyze, analyze_draft};

/// Rules the code applies itself (no phrase lines), which carry examples like the others.
const CODE_RULES: &[&str] = &[
    "question.mark",
    "demand.ru_imperative",
    "emotion.shouting",
    "emotion.exclamations",
    "emotion.exclamation",
    "fact.past",
    "fact.figure",
    "insult.masked",
    "insult.scare_quotes",
    "draft.shouting",
    "draft.exclamations",
];

/// Every rule id that fires on `text`: the marks, items and draft flags a reading reports, plus
/// the suppressors (`-threat`, `-item`, ...) whose words matched.
pub(crate) fn fired_rules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let reading = analyze(text);
    for s in &reading.sentences {
        out.extend(s.reasons.iter().map(|r| r.rule.clone()));
    }
    out.extend(reading.item_reasons.iter().map(|r| r.rule.clone()));
    out.extend(analyze_draft(text).flags.into_iter().map(|f| f.rule));
    for seg in split(text).iter().filter(|s| !s.quoted) {
        for h in scan(text, seg, true).hits {
            let rule = &LEXICON.rules[h.rule];
            if matches!(rule.mark, Mark::Suppress(_) | Mark::SuppressItem) {
                out.insert(rule.id.clone());
            }
        }
    }
    out
}

#[test]
fn every_rule_fires_on_its_ok_lines_and_on_none_of_its_not_lines() {
    let lex = &LEXICON;
    let mut ids: BTreeSet<&str> = lex.rules.iter().map(|r| r.id.as_str()).collect();
    ids.extend(CODE_RULES);
    let mut failures = Vec::new();
    for ex in &lex.examples {
        if !ids.contains(ex.rule.as_str()) {
            failures.push(format!("{}: unknown rule {}", ex.at, ex.rule));
            continue;
        }
        let fired = fired_rules(&ex.text);
        if ex.fires != fired.contains(&ex.rule) {
            failures.push(format!(
                "{}: {} {} on {:?} (fired: {fired:?})",
                ex.at,
                ex.rule,
                if ex.fires { "does not fire" } else { "fires" },
                ex.text
            ));
        }
    }
    for id in &ids {
        for (fires, tag) in [(true, "@ok"), (false, "@not")] {
            if !lex
                .examples
                .iter()
                .any(|e| e.rule == *id && e.fires == fires)
            {
                failures.push(format!("{id} has no {tag} line"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_example_test_would_catch_a_rule_that_stopped_firing() {
    // A line that cannot be true: "send" is no threat. The checker must see that it fails.
    assert!(!fired_rules("Please send the files.").contains("threat.legal"));
    assert!(fired_rules("I will sue you.").contains("threat.legal"));
    assert!(fired_rules("I'm not going to sue anyone.").contains("threat.negated"));
}

#[test]
fn russian_stems_of_five_letters_or_fewer_are_written_exact_or_as_prefixes() {
    let lex = &LEXICON;
    assert!(
        lex.short_stems.is_empty(),
        "write these as =word or prefix*:\n{}",
        lex.short_stems.join("\n")
    );
}
