//! Scores the reader on the hand-labelled corpus in `tests/data/corpus/` (see its README):
//! per-mark precision, recall and F1, and verdict accuracy. Fails below 0.8 F1 on demand, threat,
//! insult or question, or below 0.7 verdict accuracy.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::collections::BTreeMap;

use calmdesk::reading::{Label, analyze};

struct Gold {
    id: String,
    verdict: String,
    text: String,
    /// (start, end, labels) per gold sentence.
    sentences: Vec<(usize, usize, Vec<Label>)>,
}

fn parse(src: &str) -> Vec<Gold> {
    let mut out: Vec<Gold> = Vec::new();
    for line in src.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(head) = line.strip_prefix("=== ") {
            let mut parts = head.split_whitespace();
            let id = parts.next().expect("id").to_string();
            let verdict = parts.next().expect("verdict").to_string();
            out.push(Gold {
                id,
                verdict,
                text: String::new(),
                sentences: Vec::new(),
            });
            continue;
        }
        let (labels, sentence) = line.split_once(" | ").expect("LABELS | SENTENCE");
        let sentence = sentence.replace("\\n", "\n");
        let msg = out.last_mut().expect("a message header first");
        if !msg.text.is_empty() && !sentence.starts_with('\n') {
            msg.text.push(' ');
        }
        let start = msg.text.len();
        msg.text.push_str(&sentence);
        let labels: Vec<Label> = labels
            .split(',')
            .map(str::trim)
            .filter(|l| *l != "-")
            .map(|l| Label::parse(l).unwrap_or_else(|| panic!("unknown label {l}")))
            .collect();
        msg.sentences.push((start, msg.text.len(), labels));
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn f1(c: Counts) -> (f64, f64, f64) {
    let p = if c.tp + c.fp == 0 {
        1.0
    } else {
        c.tp as f64 / (c.tp + c.fp) as f64
    };
    let r = if c.tp + c.fn_ == 0 {
        1.0
    } else {
        c.tp as f64 / (c.tp + c.fn_) as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

struct Scores {
    counts: BTreeMap<Label, Counts>,
    accuracy: f64,
    macro_f1: f64,
}

fn score(name: &str, messages: &[Gold]) -> Scores {
    let verbose = std::env::var("READER_VERBOSE").is_ok();
    let mut counts: BTreeMap<Label, Counts> = BTreeMap::new();
    let mut verdict_ok = 0;
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    for m in messages {
        let reading = analyze(&m.text);
        // Each predicted sentence gives its labels to the gold sentence it overlaps most.
        let mut predicted: Vec<Vec<Label>> = vec![Vec::new(); m.sentences.len()];
        for s in &reading.sentences {
            let best = m
                .sentences
                .iter()
                .enumerate()
                .map(|(i, &(gs, ge, _))| (i, ge.min(s.end).saturating_sub(gs.max(s.start))))
                .max_by_key(|&(_, overlap)| overlap);
            if let Some((i, overlap)) = best
                && overlap > 0
            {
                predicted[i].extend(s.labels.iter().copied());
            }
        }
        for (i, (gs, ge, gold)) in m.sentences.iter().enumerate() {
            for label in Label::ALL {
                let g = gold.contains(&label);
                let p = predicted[i].contains(&label);
                let c = counts.entry(label).or_default();
                match (g, p) {
                    (true, true) => c.tp += 1,
                    (false, true) => c.fp += 1,
                    (true, false) => c.fn_ += 1,
                    (false, false) => {}
                }
                if verbose && g != p && label != Label::Fact && label != Label::Emotion {
                    println!(
                        "{} {} {:?}: «{}»",
                        m.id,
                        if p { "FP" } else { "FN" },
                        label,
                        m.text[*gs..*ge].trim()
                    );
                }
            }
        }
        let got = reading.verdict.as_str().to_string();
        if got == m.verdict {
            verdict_ok += 1;
        } else if verbose {
            println!(
                "{} verdict gold {} got {} items {:?}",
                m.id, m.verdict, got, reading.items
            );
        }
        *confusion.entry((m.verdict.clone(), got)).or_default() += 1;
    }
    let en = messages.iter().filter(|m| m.id.contains("en-")).count();
    println!(
        "\n{name}: {} messages ({en} en, {} ru)",
        messages.len(),
        messages.len() - en
    );
    println!(
        "{:<10} {:>9} {:>7} {:>7}",
        "mark", "precision", "recall", "F1"
    );
    for (label, c) in &counts {
        let (p, r, f) = f1(*c);
        println!(
            "{:<10} {p:>9.3} {r:>7.3} {f:>7.3}   (tp {} fp {} fn {})",
            label.as_str(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    let macro_f1: f64 = [Label::Demand, Label::Threat, Label::Insult, Label::Question]
        .iter()
        .map(|l| f1(counts.get(l).copied().unwrap_or_default()).2)
        .sum::<f64>()
        / 4.0;
    let accuracy = verdict_ok as f64 / messages.len() as f64;
    println!("macro-F1 (demand, threat, insult, question): {macro_f1:.3}");
    println!(
        "verdict accuracy: {accuracy:.3} ({verdict_ok}/{})",
        messages.len()
    );
    println!("verdict confusion (gold, got): {confusion:?}");
    Scores {
        counts,
        accuracy,
        macro_f1,
    }
}

#[test]
fn corpus_scores() {
    let mut messages = parse(include_str!("data/corpus/en.txt"));
    messages.extend(parse(include_str!("data/corpus/ru.txt")));
    let en = messages.iter().filter(|m| m.id.starts_with("en")).count();
    let ru = messages.len() - en;
    assert!(en >= 40 && ru >= 40, "corpus too small: {en} en, {ru} ru");
    let s = score("Reader corpus", &messages);
    for label in [Label::Demand, Label::Threat, Label::Insult, Label::Question] {
        let f = f1(s.counts[&label]).2;
        assert!(f >= 0.8, "{} F1 {f:.3} is below 0.8", label.as_str());
    }
    assert!(s.accuracy >= 0.7, "verdict accuracy below 0.7");
}

/// Messages written after the rules, never tuned on: an honest estimate of how the rules
/// generalise. The floor is the held-out bar of issue 3 (macro-F1 0.70).
#[test]
fn dev_set_scores() {
    let mut messages = parse(include_str!("data/dev/en.txt"));
    messages.extend(parse(include_str!("data/dev/ru.txt")));
    let s = score("Development set", &messages);
    assert!(
        s.macro_f1 >= 0.7,
        "dev macro-F1 {:.3} below 0.70",
        s.macro_f1
    );
}

/// A second set written after the first round of tuning (its first, untuned run is in the
/// corpus README); same 0.70 floor.
#[test]
fn holdout_scores() {
    let mut messages = parse(include_str!("data/holdout/en.txt"));
    messages.extend(parse(include_str!("data/holdout/ru.txt")));
    let s = score("Second development set", &messages);
    assert!(
        s.macro_f1 >= 0.7,
        "holdout macro-F1 {:.3} below 0.70",
        s.macro_f1
    );
}

/// A third set written blind by another author who never saw the rules (its first, untuned run
/// is in the corpus README: macro-F1 0.614); the same 0.70 floor.
#[test]
fn blind_set_scores() {
    let mut messages = parse(include_str!("data/blind/en.txt"));
    messages.extend(parse(include_str!("data/blind/ru.txt")));
    let s = score("Blind development set", &messages);
    assert!(
        s.macro_f1 >= 0.7,
        "blind macro-F1 {:.3} below 0.70",
        s.macro_f1
    );
}

/// A second blind set, written by a third author who saw neither the rules nor the other sets,
/// and never used to change a rule: the honest estimate of how the reader does on unseen mail.
/// Its scores are recorded in `data/corpus/README.md`; the floor is issue 3's held-out bar.
#[test]
fn second_blind_set_scores() {
    let mut messages = parse(include_str!("data/blind2/en.txt"));
    messages.extend(parse(include_str!("data/blind2/ru.txt")));
    let s = score("Second blind set (never tuned on)", &messages);
    assert!(
        s.macro_f1 >= 0.7,
        "second blind set macro-F1 {:.3} below 0.70",
        s.macro_f1
    );
}
