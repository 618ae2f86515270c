//! The readable report `calmdesk analyze` prints: the verdict and why, then each sentence with
//! its marks, the words that caused each mark and what the rule means, then the entities.
//! Explanations are in the message's language (Russian for Russian mail, English otherwise).

use std::fmt::Write as _;

use unicode_segmentation::UnicodeSegmentation;

use super::{Language, Reading, rule_explanation};

fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Cut on grapheme clusters so an emoji or an accented letter is never split.
    if one_line.graphemes(true).nth(160).is_some() {
        let cut: String = one_line.graphemes(true).take(157).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// Renders `reading` (made from `text`) as plain text.
pub fn report_text(text: &str, reading: &Reading) -> String {
    let lang = reading.language;
    let ru = lang == Language::Ru;
    let explain = |rule: &str| rule_explanation(rule, lang).unwrap_or("");
    let mut out = String::new();
    let language = match lang {
        Language::Ru => "Russian",
        Language::En => "English",
        Language::Mixed => "mixed Russian and English",
    };
    let _ = writeln!(out, "Language: {language}");
    let _ = write!(out, "Verdict:  {}", reading.verdict.as_str());
    if reading.crossed_line {
        let _ = write!(
            out,
            "{}",
            if ru {
                " — клиент перешёл черту (угрозы или оскорбления)"
            } else {
                " — the client crossed the line (threats or insults)"
            }
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Heat:     {}/100", reading.heat);
    if !reading.items.is_empty() {
        let _ = writeln!(out, "\nItems (seed 001):");
        for item in &reading.items {
            let _ = writeln!(out, "  {} — {}", item.id(), explain(item.id()));
            for r in reading.item_reasons.iter().filter(|r| r.item == *item) {
                if let Some(words) = text.get(r.start..r.end) {
                    let _ = writeln!(out, "      «{}»", quote(words));
                }
            }
        }
    }
    let _ = writeln!(out, "\nSentences:");
    for (n, s) in reading.sentences.iter().enumerate() {
        if s.text.trim().is_empty() {
            continue;
        }
        let labels: Vec<&str> = s.labels.iter().map(|l| l.as_str()).collect();
        let tag = if s.quoted {
            "quoted".to_string()
        } else if labels.is_empty() {
            "-".to_string()
        } else {
            labels.join(", ")
        };
        let _ = writeln!(out, "{:>3}. [{tag}] {}", n + 1, quote(&s.text));
        for r in &s.reasons {
            let words = text.get(r.start..r.end).unwrap_or("");
            let _ = writeln!(
                out,
                "       {:<8} «{}» — {} ({})",
                r.label.as_str(),
                quote(words),
                explain(&r.rule),
                r.rule
            );
        }
    }
    if !reading.entities.is_empty() {
        let _ = writeln!(out, "\nEntities:");
        for e in &reading.entities {
            let mut extra = String::new();
            if let Some(a) = e.amount {
                let _ = write!(extra, " = {a}");
            }
            if let Some(c) = &e.currency {
                let _ = write!(extra, " {c}");
            }
            let _ = writeln!(out, "  {:<12} «{}»{extra}", e.kind.as_str(), e.text);
        }
    }
    out
}
