//! Scores the reader on the hand-labelled sets in `tests/data/` (format: `tuned/corpus/README.md`)
//! and holds each score to its floor in `tests/data/reader_scores.toml`, the ratchet: per set,
//! per mark (demand, threat, insult, question), macro-F1 and verdict accuracy. A score below its
//! floor fails; a score more than 0.04 above it fails too, asking for the floor to be raised to
//! the new score minus 0.02, so scores can only go up.
//!
//! The sets by role: `tuned/*` were used to write and change rules; `untouched/*` were never
//! used to change a rule (never read their misses to write one) and are the honest estimate.

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

/// The sets, by role and name: `(key in reader_scores.toml, English file, Russian file)`.
const SETS: &[(&str, &str, &str)] = &[
    (
        "tuned.corpus",
        include_str!("data/tuned/corpus/en.txt"),
        include_str!("data/tuned/corpus/ru.txt"),
    ),
    (
        "tuned.dev",
        include_str!("data/tuned/dev/en.txt"),
        include_str!("data/tuned/dev/ru.txt"),
    ),
    (
        "tuned.holdout",
        include_str!("data/tuned/holdout/en.txt"),
        include_str!("data/tuned/holdout/ru.txt"),
    ),
    (
        "tuned.blind",
        include_str!("data/tuned/blind/en.txt"),
        include_str!("data/tuned/blind/ru.txt"),
    ),
    (
        "untouched.blind2",
        include_str!("data/untouched/blind2/en.txt"),
        include_str!("data/untouched/blind2/ru.txt"),
    ),
    (
        "untouched.fresh",
        include_str!("data/untouched/fresh/en.txt"),
        include_str!("data/untouched/fresh/ru.txt"),
    ),
];

const KEYS: [&str; 6] = [
    "demand", "threat", "insult", "question", "macro_f1", "verdict",
];

/// How far a score may rise above its floor before the ratchet asks for the floor to be raised.
const SLACK: f64 = 0.04;

/// `[set]` sections of `key = number` lines (a TOML subset: comments, blank lines).
fn parse_floors(src: &str) -> BTreeMap<String, BTreeMap<String, f64>> {
    let mut out: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut section = String::new();
    for (n, line) in src.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
            out.entry(section.clone()).or_default();
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("reader_scores.toml:{}: key = value", n + 1));
        let v: f64 = v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("reader_scores.toml:{}: not a number", n + 1));
        assert!(
            !section.is_empty(),
            "reader_scores.toml:{}: no [set]",
            n + 1
        );
        out.entry(section.clone())
            .or_default()
            .insert(k.trim().to_string(), v);
    }
    out
}

fn value(s: &Scores, key: &str) -> f64 {
    match key {
        "macro_f1" => s.macro_f1,
        "verdict" => s.accuracy,
        mark => f1(s.counts[&Label::parse(mark).expect("a mark")]).2,
    }
}

/// What is wrong with `scores` against `floors`: below a floor, or risen well above it.
fn ratchet_failures(set: &str, scores: &Scores, floors: &BTreeMap<String, f64>) -> Vec<String> {
    let mut out = Vec::new();
    for key in KEYS {
        let got = value(scores, key);
        let Some(&floor) = floors.get(key) else {
            out.push(format!(
                "{set}: no floor for {key} (add {key} = {:.2})",
                got - 0.02
            ));
            continue;
        };
        if got + 1e-9 < floor {
            out.push(format!(
                "{set}: {key} {got:.3} is below its floor {floor:.2}"
            ));
        } else if got > floor + SLACK {
            out.push(format!(
                "{set}: {key} rose to {got:.3}: raise its floor in tests/data/reader_scores.toml \
                 from {floor:.2} to {:.2}",
                ((got - 0.02) * 100.0).floor() / 100.0
            ));
        }
    }
    out
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
fn scores_hold_their_floors() {
    let floors = parse_floors(include_str!("data/reader_scores.toml"));
    let mut failures = Vec::new();
    for &(name, en, ru) in SETS {
        let mut messages = parse(en);
        messages.extend(parse(ru));
        assert!(
            messages.len() >= 20,
            "{name}: only {} messages",
            messages.len()
        );
        let s = score(name, &messages);
        let Some(set_floors) = floors.get(name) else {
            failures.push(format!("{name}: no [{name}] section in reader_scores.toml"));
            continue;
        };
        failures.extend(ratchet_failures(name, &s, set_floors));
    }
    for name in floors.keys() {
        assert!(
            SETS.iter().any(|s| s.0 == name),
            "reader_scores.toml names an unknown set [{name}]"
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_main_corpus_is_large_enough_in_both_languages() {
    let mut messages = parse(SETS[0].1);
    messages.extend(parse(SETS[0].2));
    let en = messages.iter().filter(|m| m.id.starts_with("en")).count();
    let ru = messages.len() - en;
    assert!(en >= 40 && ru >= 40, "corpus too small: {en} en, {ru} ru");
}

#[test]
fn the_ratchet_fails_below_a_floor_and_asks_to_raise_a_risen_one() {
    let mut counts = BTreeMap::new();
    for (label, tp) in [
        (Label::Demand, 8),
        (Label::Threat, 5),
        (Label::Insult, 9),
        (Label::Question, 10),
    ] {
        counts.insert(label, Counts { tp, fp: 1, fn_: 1 });
    }
    let s = Scores {
        counts,
        accuracy: 0.8,
        macro_f1: 0.85,
    };
    let threat = value(&s, "threat");
    let floors = |threat_floor: f64| -> BTreeMap<String, f64> {
        KEYS.iter()
            .map(|k| (k.to_string(), value(&s, k) - 0.02))
            .chain(std::iter::once(("threat".to_string(), threat_floor)))
            .collect()
    };
    assert!(ratchet_failures("x", &s, &floors(threat - 0.02)).is_empty());
    let below = ratchet_failures("x", &s, &floors(threat + 0.01));
    assert!(below.len() == 1 && below[0].contains("below"), "{below:?}");
    let risen = ratchet_failures("x", &s, &floors(threat - 0.10));
    assert!(risen.len() == 1 && risen[0].contains("raise"), "{risen:?}");
    let parsed = parse_floors("# c\n[a.b]\nthreat = 0.5 # note\n\n[c]\nverdict=0.25\n");
    assert_eq!(parsed["a.b"]["threat"], 0.5);
    assert_eq!(parsed["c"]["verdict"], 0.25);
}
