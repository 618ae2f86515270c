//! Sentence splitting that survives real mail. The sentences themselves come from `sentencex`
//! (Wikimedia's segmenter: abbreviations, initials, amounts, quotes and parentheses), with a thin
//! e-mail layer on top:
//!
//! - a line break ends a sentence unless the next line continues it (greetings, sign-offs,
//!   signatures and bullet lists end theirs; hard-wrapped lines that go on in lowercase do not);
//! - "!!!", "???", "…" and emoticons (")))") before a capital end a sentence, and so does an
//!   inline greeting ("Dear team, I...");
//! - extra Russian and English abbreviations (`abbreviation_ru`, `abbreviation_en` in
//!   `assets/reading/text.rules`) go through sentencex's extension point (its `Language` trait);
//! - quoted earlier mail ("> ..." lines, "On ... wrote:" and everything after it) is kept apart;
//! - chat typed without punctuation is cut into clauses (`run_on_cuts`).
//!
//! Every segment keeps the reason it ended ([`Boundary`]), so the UI can explain a split. The
//! segments always cover the input: the first starts at 0, each starts where the previous one
//! ends, and whitespace after a sentence belongs to that sentence. Every cut is on a char boundary.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use sentencex::languages::{English, Language as Segmenter, Russian};

use super::Boundary;
use super::lexicon::{LEXICON, SetName};

/// A run of the input that the reader treats as one sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: usize,
    pub end: usize,
    pub quoted: bool,
    /// Why the segment ends where it does.
    pub boundary: Boundary,
}

/// sentencex's Russian with the reader's extra abbreviations ("т.е.", "руб.", "ул.").
struct MailRussian;

static RU_ABBREVIATIONS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    let mut set = Russian {}.get_abbreviations().clone();
    set.extend(LEXICON.set(SetName::AbbreviationRu).iter().cloned());
    set
});

impl Segmenter for MailRussian {
    fn get_abbreviations(&self) -> &FxHashSet<String> {
        &RU_ABBREVIATIONS
    }

    fn continue_in_next_word(&self, text_after_boundary: &str) -> bool {
        text_after_boundary.chars().next().is_some_and(|c| {
            c.is_ascii_digit() || c.is_ascii_lowercase() || ('а'..='я').contains(&c) || c == 'ё'
        })
    }
}

/// Splits `text` into segments that cover it.
pub(crate) fn split(text: &str) -> Vec<Segment> {
    let mut segs = Vec::new();
    if text.is_empty() {
        return segs;
    }
    let mut quoted_rest = false;
    let mut region_start = 0;
    let mut region_quoted: Option<bool> = None;
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        let trimmed = text[line_start..line_end].trim();
        if !quoted_rest && is_reply_header(trimmed) {
            quoted_rest = true;
        }
        let quoted = if trimmed.is_empty() {
            region_quoted.unwrap_or(false)
        } else {
            quoted_rest || trimmed.starts_with('>')
        };
        match region_quoted {
            None => region_quoted = Some(quoted),
            Some(q) if q != quoted => {
                push_region(text, region_start, line_start, q, &mut segs);
                region_start = line_start;
                region_quoted = Some(quoted);
            }
            Some(_) => {}
        }
        line_start = line_end;
    }
    push_region(
        text,
        region_start,
        text.len(),
        region_quoted.unwrap_or(false),
        &mut segs,
    );
    // A segment followed by another region ends because the quoting starts or stops.
    for k in 1..segs.len() {
        if segs[k].quoted != segs[k - 1].quoted {
            segs[k - 1].boundary = Boundary::Quote;
        }
    }
    if let Some(last) = segs.last_mut() {
        last.boundary = Boundary::End;
    }
    segs
}

fn is_reply_header(line: &str) -> bool {
    if line.len() > 300 {
        return false;
    }
    let lower = line.to_lowercase();
    let lex = &LEXICON;
    let ends = lex.set(SetName::ReplyHeaderEnd).iter().any(|e| {
        lower.ends_with(e.as_str())
            // "Иван пишет:" is a header only with a date or time in it.
            && (e != "пишет:" || lower.chars().any(|c| c.is_ascii_digit()))
    });
    ends || lex
        .set(SetName::ReplyHeaderPhrase)
        .iter()
        .any(|p| lower.contains(p.replace('_', " ").as_str()))
}

fn push_region(text: &str, start: usize, end: usize, quoted: bool, segs: &mut Vec<Segment>) {
    if start >= end {
        return;
    }
    if quoted {
        segs.push(Segment {
            start,
            end,
            quoted,
            boundary: Boundary::Quote,
        });
        return;
    }
    let region = &text[start..end];
    let mut cuts = cuts_in(region);
    // Chat-style run-ons: lines typed without punctuation and joined by spaces.
    let mut extra = Vec::new();
    let mut prev = 0;
    for &(at, _) in cuts
        .iter()
        .chain(std::iter::once(&(region.len(), Boundary::End)))
    {
        extra.extend(run_on_cuts(&region[prev..at]).map(|c| (prev + c, Boundary::RunOn)));
        prev = at;
    }
    if !extra.is_empty() {
        cuts.extend(extra);
        cuts.sort_by_key(|c| c.0);
        cuts.dedup_by_key(|c| c.0);
    }
    let mut prev = start;
    for (cut, why) in cuts {
        let at = start + cut;
        if at > prev && at < end {
            segs.push(Segment {
                start: prev,
                end: at,
                quoted: false,
                boundary: why,
            });
            prev = at;
        }
    }
    segs.push(Segment {
        start: prev,
        end,
        quoted: false,
        boundary: Boundary::End,
    });
}

fn in_set(set: SetName, w: &str) -> bool {
    LEXICON.in_set(set, w)
}

/// Cuts (byte offsets into `s`) inside a long sentence typed without punctuation: before a word
/// that opens a clause, when nothing binds it to the word before. Only for runs of ten words or
/// more that do not end with a full stop (written mail keeps its sentences).
fn run_on_cuts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let trimmed = s.trim_end();
    // Written mail keeps its sentences: only a run that ends without any terminal mark.
    let eligible = !trimmed.ends_with(is_terminal)
        && !trimmed.contains('\n')
        && s.split_whitespace().nth(9).is_some();
    let words: Vec<(usize, &str)> = if eligible {
        s.split_whitespace()
            .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
            .collect()
    } else {
        Vec::new()
    };
    let clean = |w: &str| -> String {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .to_lowercase()
            .replace('’', "'")
    };
    let mut out = Vec::new();
    let mut last = 0usize;
    if eligible {
        for i in 2..words.len().saturating_sub(1) {
            if i - last < 2 {
                continue;
            }
            let (_, prev) = words[i - 1];
            if prev
                .chars()
                .last()
                .is_some_and(|c| matches!(c, ',' | ';' | ':' | '-' | '—' | '–' | '(' | '"' | '«'))
            {
                continue;
            }
            let p = clean(prev);
            // Nor right after another opener ("иначе я", "otherwise i").
            if in_set(SetName::RunOnBinder, &p) || in_set(SetName::RunOnOpener, &p) {
                continue;
            }
            let w = clean(words[i].1);
            let next = clean(words[i + 1].1);
            let opens = in_set(SetName::RunOnOpener, &w)
                || (in_set(SetName::RunOnConjunction, &w) && in_set(SetName::RunOnPronoun, &next))
                || (w == "как" && in_set(SetName::RunOnAfterHow, &next))
                || (w.chars().count() >= 6 && LEXICON.is_ru_imperative_form(&w));
            if opens {
                out.push(words[i].0);
                last = i;
            }
        }
    }
    out.into_iter()
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁉')
}

/// Cuts inside one unquoted region: offsets (into `s`) where a new sentence starts, each with the
/// reason the sentence before it ended. Lines first (the e-mail layer), then sentencex inside
/// each block of lines that belong together, then the marks sentencex leaves joined.
fn cuts_in(s: &str) -> Vec<(usize, Boundary)> {
    let mut cuts: Vec<(usize, Boundary)> = Vec::new();
    let mut block_start = 0;
    let mut line_start = 0;
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < s.len() {
        if bytes[i] != b'\n' {
            i += 1;
            continue;
        }
        let prev_line = &s[line_start..i];
        let k = skip_ws(s, i);
        if k >= s.len() {
            break;
        }
        let newlines = s[i..k].matches('\n').count();
        let why = if newlines >= 2 {
            Some(Boundary::Paragraph)
        } else {
            line_break_reason(prev_line, &s[k..])
        };
        if let Some(why) = why {
            block_cuts(s, block_start, k, &mut cuts);
            cuts.push((k, why));
            block_start = k;
        }
        line_start = s[..k].rfind('\n').map_or(k, |p| p + 1);
        i = k;
    }
    block_cuts(s, block_start, s.len(), &mut cuts);
    cuts.retain(|&(at, _)| at > 0 && at < s.len());
    cuts.dedup_by_key(|c| c.0);
    cuts
}

fn skip_ws(s: &str, from: usize) -> usize {
    from + (s[from..].len() - s[from..].trim_start().len())
}

/// The cuts inside a block of lines that read as one run of text.
fn block_cuts(s: &str, from: usize, to: usize, cuts: &mut Vec<(usize, Boundary)>) {
    let block = &s[from..to];
    if block.trim().is_empty() {
        return;
    }
    let (cyr, lat) = super::language::counts(block);
    let found = if cyr >= lat {
        MailRussian.get_sentence_boundaries(block)
    } else {
        English {}.get_sentence_boundaries(block)
    };
    let mut mine: Vec<(usize, Boundary)> = found
        .iter()
        .skip(1)
        .map(|b| skip_ws(block, b.start_byte.min(block.len())))
        .filter(|&at| !after_abbreviation(&block[..at], &block[at..]))
        .map(|at| (from + at, Boundary::Punctuation))
        .collect();
    mine.extend(emphatic_cuts(block).map(|(at, why)| (from + at, why)));
    mine.extend(closing_abbreviation_cuts(block).map(|at| (from + at, Boundary::Punctuation)));
    if let Some(at) = inline_greeting_cut(block) {
        mine.push((from + at, Boundary::Greeting));
    }
    mine.extend(inline_list_cuts(block).map(|at| (from + at, Boundary::ListItem)));
    mine.sort_by_key(|c| c.0);
    mine.dedup_by_key(|c| c.0);
    // No cut right after a list marker ("1.", "2.)", "b.") that opens its item.
    let mut prev = from;
    mine.retain(|&(at, _)| {
        let keep = !is_list_marker(s[prev..at].trim());
        if keep {
            prev = at;
        }
        keep
    });
    cuts.extend(mine.into_iter().filter(|&(at, _)| at > from && at < to));
}

/// The marker of a numbered or lettered list item: "1.", "12)", "2.)", "b.", "⁃9.".
fn list_marker_len(s: &str) -> Option<(usize, char)> {
    let body = s.trim_start_matches(['⁃', '•', '-', '*']);
    let lead = s.len() - body.len();
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let (key, rest) = if (1..=3).contains(&digits) {
        (
            body[..digits]
                .parse::<u32>()
                .ok()
                .and_then(|n| char::from_digit(n % 36, 36))?,
            &body[digits..],
        )
    } else {
        let c = body.chars().next()?;
        if !c.is_ascii_lowercase() {
            return None;
        }
        (c, &body[1..])
    };
    let after = match rest.strip_prefix(".)") {
        Some(r) => r,
        None => rest.strip_prefix(['.', ')'])?,
    };
    Some((lead + body.len() - after.len(), key))
}

fn is_list_marker(s: &str) -> bool {
    list_marker_len(s).is_some_and(|(n, _)| n == s.len())
}

/// "1. The first item 2. The second item": a block that opens with a list marker is cut before
/// each later marker of the same list written inline (the next number or letter).
fn inline_list_cuts(block: &str) -> impl Iterator<Item = usize> + '_ {
    let lead = skip_ws(block, 0);
    let mut out = Vec::new();
    if let Some((_, mut key)) = list_marker_len(&block[lead..]) {
        for (i, _) in block.match_indices(' ').skip(1) {
            let at = skip_ws(block, i);
            let Some((len, k)) = list_marker_len(&block[at..]) else {
                continue;
            };
            let next = char::from_digit(key.to_digit(36).unwrap_or(0) + 1, 36);
            if Some(k) == next && block[at + len..].starts_with(' ') {
                out.push(at);
                key = k;
            }
        }
    }
    out.into_iter()
}

/// Whether a cut between `head` and `tail` falls right after one of the reader's own
/// abbreviations ("т.е.", "руб.", "incl.") with the sentence going on in lowercase or a number.
fn after_abbreviation(head: &str, tail: &str) -> bool {
    let continues = tail
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
    let head = head.trim_end();
    let Some(word) = head.strip_suffix('.') else {
        return false;
    };
    let word = word
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '«' | '"'))
        .next()
        .unwrap_or("")
        .to_lowercase();
    continues && (in_set(SetName::AbbreviationRu, &word) || in_set(SetName::AbbreviationEn, &word))
}

/// "и т.д. Потом", "etc. Then": an abbreviation that closes a list ends the sentence when a
/// capital follows (`abbreviation_closing` in text.rules), although it ends none before lowercase.
/// So does an everyday word the segmenter takes for an abbreviation ("Call me. I'm waiting.",
/// `not_abbreviation_en`).
fn closing_abbreviation_cuts(block: &str) -> impl Iterator<Item = usize> + '_ {
    block.match_indices(". ").filter_map(move |(i, _)| {
        let next = skip_ws(block, i + 1);
        let upper = block[next..].chars().next().is_some_and(char::is_uppercase);
        let word = block[..i]
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .to_lowercase();
        let ends = in_set(SetName::AbbreviationClosing, &word)
            || in_set(SetName::NotAbbreviationEn, &word);
        (upper && ends).then_some(next)
    })
}

/// "!!!", "???", "?!", "…", "..." and emoticons (")))", an emoji) before a capital letter end a
/// sentence; so does "?" or "!" glued to the capital that follows it ("понятно?Больше").
fn emphatic_cuts(block: &str) -> impl Iterator<Item = (usize, Boundary)> + '_ {
    let mut out = Vec::new();
    let bytes = block.as_bytes();
    let mut from = 0;
    while from < bytes.len() {
        // Only ".", "!", "?", ")" and characters of three or four bytes (from U+2000: "…",
        // "‼", "⁉", the emoji) can open a run; other bytes are passed over undecoded.
        let b = bytes[from];
        if !(matches!(b, b'.' | b'!' | b'?' | b')') || b >= 0xE2) {
            from += 1;
            continue;
        }
        let at = from;
        let Some(c) = block[at..].chars().next() else {
            break;
        };
        from = at + c.len_utf8();
        let emoticon = c == ')' || is_emoji(c);
        if !(is_terminal(c) || emoticon) {
            continue;
        }
        let mut end = from;
        let mut run = 1;
        let mut all_emoticon = emoticon;
        for d in block[end..].chars() {
            if is_terminal(d) || d == ')' || is_emoji(d) || d == '\u{fe0f}' {
                all_emoticon &= !is_terminal(d);
                end += d.len_utf8();
                run += 1;
            } else {
                break;
            }
        }
        from = end;
        let next = skip_ws(block, end);
        let Some(n) = block[next..].chars().next() else {
            continue;
        };
        if !n.is_uppercase() {
            continue;
        }
        let glued = next == end;
        let run_text = &block[at..end];
        if glued {
            // "понятно?Больше": a question or exclamation mark glued to a capital.
            if !all_emoticon
                && (run_text.contains('?') || run_text.contains('!'))
                && !run_text.contains('.')
            {
                out.push((next, Boundary::Emphatic));
            }
            continue;
        }
        let emphatic = run >= 2 || c == '…';
        if all_emoticon {
            // ")))" or an emoji after a word: the chat's full stop. One ")" closes a bracket.
            if run >= 2 || is_emoji(c) {
                out.push((next, Boundary::Emoticon));
            }
        } else if emphatic {
            out.push((next, Boundary::Emphatic));
        }
    }
    out.into_iter()
}

fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

/// "Dear team, I write..." / "Здравствуйте, вы..." / "Hi Anna! I...": a greeting that opens the
/// block and ends at the first comma, colon or "!" within five words, before a capital.
fn inline_greeting_cut(block: &str) -> Option<usize> {
    let lead = block.trim_start();
    let offset = block.len() - lead.len();
    let first: String = lead
        .split(|c: char| !c.is_alphanumeric())
        .next()?
        .to_lowercase();
    if !in_set(SetName::Greeting, &first) {
        return None;
    }
    // "Здравствуйте, Ирина! ..." ends at the "!", "Dear team, I..." at the comma.
    let within = || {
        lead.char_indices()
            .take_while(|&(i, _)| lead[..i].split_whitespace().count() <= 5)
    };
    let end = within()
        .find(|&(_, c)| matches!(c, ':' | '!'))
        .or_else(|| within().find(|&(_, c)| c == ','))
        .map(|(i, c)| i + c.len_utf8())?;
    let next = skip_ws(lead, end);
    (next > end && lead[next..].chars().next().is_some_and(char::is_uppercase))
        .then_some(offset + next)
}

fn is_bullet_start(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '–' | '—' | '·' | '▪' | '►' | '✓' | '✔') => true,
        Some(c) if c.is_ascii_digit() => {
            let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ") || rest.starts_with('.')
        }
        _ => false,
    }
}

/// Whether a single line break between `prev_line` and `next` ends a sentence, and why. Long lines
/// that end mid-sentence and continue in lowercase are hard-wrapped mail: no cut.
fn line_break_reason(prev_line: &str, next: &str) -> Option<Boundary> {
    if is_bullet_start(next) {
        return Some(Boundary::ListItem);
    }
    let prev = prev_line.trim();
    let words = prev.split_whitespace().count();
    let first: String = prev
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if words <= 6 && in_set(SetName::Greeting, &first) {
        return Some(Boundary::Greeting);
    }
    if words <= 4 && in_set(SetName::SignOff, &first) {
        return Some(Boundary::SignOff);
    }
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    if prev.ends_with(|c| is_terminal(c) || matches!(c, ':' | ';')) {
        return Some(Boundary::LineBreak);
    }
    if prev.ends_with(',') {
        // A hard-wrapped clause goes on in lowercase; a short line is a line of its own.
        return (!next_lower || prev.chars().count() < 50).then_some(Boundary::LineBreak);
    }
    if prev.chars().count() < 50 || !next_lower {
        return Some(Boundary::LineBreak);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        split(s)
            .iter()
            .map(|g| s[g.start..g.end].trim_end())
            .collect()
    }

    #[test]
    fn everyday_words_the_segmenter_knows_as_abbreviations_still_end_sentences() {
        assert_eq!(
            texts("Please call me. I am at the office until six."),
            vec!["Please call me.", "I am at the office until six."]
        );
        assert_eq!(
            texts("The answer is no. I will not sign it."),
            vec!["The answer is no.", "I will not sign it."]
        );
        assert_eq!(
            texts("The return was due on 7 May. I got the penalty in June."),
            vec!["The return was due on 7 May.", "I got the penalty in June."]
        );
        assert_eq!(
            texts("Invoice No. 12 is unpaid."),
            vec!["Invoice No. 12 is unpaid."],
            "before a number it is still the abbreviation"
        );
    }

    #[test]
    fn abbreviations_and_amounts_do_not_split() {
        assert_eq!(
            texts("Макет до пятницы, т.е. до 14 числа. Сегодня 17-е."),
            vec!["Макет до пятницы, т.е. до 14 числа.", "Сегодня 17-е."]
        );
        assert_eq!(
            texts("It costs $4.50 per page, e.g. the cover. See contract No. 17 for details."),
            vec![
                "It costs $4.50 per page, e.g. the cover.",
                "See contract No. 17 for details."
            ]
        );
        assert_eq!(
            texts("Are you serious?! I waited... and waited. Fine"),
            vec!["Are you serious?!", "I waited... and waited.", "Fine"]
        );
    }

    #[test]
    fn lines_bullets_and_quotes() {
        let s = "Hi Anna,\nPlease fix:\n- the logo\n- the footer\n\n> On Monday you wrote\n> ok\nThanks";
        let segs = split(s);
        let t: Vec<_> = segs.iter().map(|g| s[g.start..g.end].trim_end()).collect();
        assert_eq!(
            t,
            vec![
                "Hi Anna,",
                "Please fix:",
                "- the logo",
                "- the footer",
                "> On Monday you wrote\n> ok",
                "Thanks"
            ]
        );
        assert!(segs[4].quoted);
        assert!(!segs[5].quoted);
    }

    #[test]
    fn hard_wrapped_lines_stay_together() {
        let s = "I have been waiting for the corrected version of the report since\nlast Monday and nobody answers.";
        assert_eq!(split(s).len(), 1);
    }

    #[test]
    fn segments_cover_input() {
        for s in [
            "",
            "  ",
            "a",
            "Hi! 😀 ok.\n\n\n",
            "?!?!",
            "1. 2. 3.",
            "\n\n>",
        ] {
            let segs = split(s);
            let mut at = 0;
            for g in &segs {
                assert_eq!(g.start, at);
                assert!(g.end > g.start);
                at = g.end;
            }
            assert_eq!(at, s.len());
        }
    }
}
