//! Sentence splitting that survives real mail: abbreviations ("т.е.", "e.g.", "No. 17"), amounts
//! ("$4.50"), runs like "?!" and "...", line breaks and bullet lists, greetings on their own line,
//! quoted earlier mail ("> ..." lines, "On ... wrote:" and everything after it) and emoji.
//!
//! The segments always cover the input: the first starts at 0, each starts where the previous one
//! ends, and whitespace after a sentence belongs to that sentence. Every cut is on a char boundary.

/// A run of the input that the reader treats as one sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: usize,
    pub end: usize,
    pub quoted: bool,
}

/// Abbreviations after which a period never ends a sentence (lowercase, inner dots kept).
const NEVER_END: &[&str] = &[
    "т.е", "т.к", "т.н", "e.g", "i.e", "mr", "mrs", "ms", "dr", "vs", "cf", "approx", "incl",
    "напр", "см", "ул", "им", "ср", "п", "пп", "ст", "ч", "стр", "тел", "tel", "ph", "no", "nos",
    "art", "sec", "p", "pp", "min", "мин", "д", "кв",
];
/// Abbreviations that end a sentence only when the next word starts with a capital letter.
const END_IF_CAPITAL: &[&str] = &[
    "etc", "т.д", "т.п", "др", "руб", "р", "коп", "тыс", "млн", "млрд", "г", "гг", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co",
    "corp",
];

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
    segs
}

fn is_reply_header(line: &str) -> bool {
    if line.len() > 300 {
        return false;
    }
    let lower = line.to_lowercase();
    (lower.starts_with("on ") && lower.ends_with("wrote:"))
        || lower.ends_with("написал:")
        || lower.ends_with("написала:")
        || lower.ends_with("написал(а):")
        || (lower.ends_with("пишет:") && lower.chars().any(|c| c.is_ascii_digit()))
        || lower.contains("original message")
        || lower.contains("forwarded message")
        || lower.contains("пересылаемое сообщение")
        || lower.contains("исходное сообщение")
}

fn push_region(text: &str, start: usize, end: usize, quoted: bool, segs: &mut Vec<Segment>) {
    if start >= end {
        return;
    }
    if quoted {
        segs.push(Segment { start, end, quoted });
        return;
    }
    let mut cuts = cuts_in(&text[start..end]);
    // Chat-style run-ons: lines typed without punctuation and joined by spaces.
    let mut bounds = cuts.clone();
    bounds.insert(0, 0);
    bounds.push(end - start);
    let mut extra = Vec::new();
    for w in bounds.windows(2) {
        extra.extend(run_on_cuts(&text[start + w[0]..start + w[1]]).map(|c| w[0] + c));
    }
    if !extra.is_empty() {
        cuts.extend(extra);
        cuts.sort_unstable();
        cuts.dedup();
    }
    let mut prev = start;
    for cut in cuts {
        let at = start + cut;
        if at > prev && at < end {
            segs.push(Segment {
                start: prev,
                end: at,
                quoted: false,
            });
            prev = at;
        }
    }
    segs.push(Segment {
        start: prev,
        end,
        quoted: false,
    });
}

/// Words that open a new clause in chat typed without punctuation ("...since 6am i need it",
/// "...не отправили теперь у меня"). A cut is made before one only when the word before it binds
/// nothing to it (no preposition, conjunction or auxiliary).
#[rustfmt::skip]
const RUN_ON_OPENERS: &[&str] = &[
    "i", "i'm", "im", "i'll", "ill", "i'd", "i've", "ive", "we", "we're", "we'll", "we'd", "we've",
    "my", "our", "thats", "that's", "honestly", "otherwise", "please", "pls", "btw", "seriously",
    "я", "мы", "мне", "нам", "ему", "ей", "теперь", "иначе", "если", "чтоб", "надо", "нужно", "но",
    "да", "давайте", "короче", "кстати", "пусть", "честно", "жду", "ждём", "ждем", "вы", "ты",
    "можете", "сможете", "можно",
];
/// Conjunctions that open a new clause when a pronoun follows ("and you owe us", "или я").
#[rustfmt::skip]
const RUN_ON_CONJUNCTIONS: &[&str] = &[
    "and", "or", "but", "plus", "so", "и", "а", "или", "либо",
];
#[rustfmt::skip]
const RUN_ON_PRONOUNS: &[&str] = &[
    "i", "i'm", "im", "i'll", "ill", "you", "u", "we", "we're", "we'll", "my", "your", "я", "вы",
    "ты", "мы", "мне", "вам", "нам", "ещё", "еще", "то", "потом", "теперь",
];
/// Words after which no cut is made: they bind the next word ("to my", "am I", "что я", "в мой").
#[rustfmt::skip]
const RUN_ON_BINDERS: &[&str] = &[
    "a", "an", "the", "to", "with", "in", "on", "at", "for", "of", "from", "by", "about", "into",
    "than", "like", "as", "and", "or", "but", "if", "that", "what", "which", "who", "how", "when",
    "where", "why", "whether", "because", "since", "so", "am", "is", "are", "was", "were", "do",
    "does", "did", "have", "has", "had", "will", "would", "can", "could", "should", "shall", "may",
    "might", "must", "let", "let's", "not", "dont", "don't", "please", "тоже", "в", "во", "на",
    "с", "со", "к", "ко", "по", "о", "об", "от", "до", "из", "за", "для", "у", "без", "про", "при",
    "над", "под", "через", "и", "а", "но", "что", "чтобы", "если", "когда", "как", "ли", "или",
    "не", "ни", "же", "бы", "то", "это", "так", "уже", "все", "всё", "да", "вы", "ты", "мы", "я",
];

/// Cuts (byte offsets into `s`) inside a long sentence typed without punctuation: before a word
/// that opens a clause, when nothing binds it to the word before. Only for runs of ten words or
/// more that do not end with a full stop (written mail keeps its sentences).
fn run_on_cuts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let trimmed = s.trim_end();
    let eligible =
        !trimmed.ends_with('.') && !trimmed.contains('\n') && s.split_whitespace().nth(9).is_some();
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
            if RUN_ON_BINDERS.contains(&p.as_str()) || RUN_ON_OPENERS.contains(&p.as_str()) {
                continue;
            }
            let w = clean(words[i].1);
            let next = clean(words[i + 1].1);
            let opens = RUN_ON_OPENERS.contains(&w.as_str())
                || (RUN_ON_CONJUNCTIONS.contains(&w.as_str())
                    && RUN_ON_PRONOUNS.contains(&next.as_str()))
                || (w == "как" && ["можно", "так", "вы", "ты", "долго"].contains(&next.as_str()))
                || is_ru_plural_imperative(&w);
            if opens {
                out.push(words[i].0);
                last = i;
            }
        }
    }
    out.into_iter()
}

/// "верните", "возвращайте", "исправьте": a Russian plural imperative opens a clause.
fn is_ru_plural_imperative(w: &str) -> bool {
    w.chars().count() >= 6
        && w.chars().all(|c| matches!(c, 'а'..='я' | 'ё'))
        && (w.ends_with("ите") || w.ends_with("йте") || w.ends_with("ьте"))
        && ![
            "хотите",
            "видите",
            "говорите",
            "смотрите",
            "знаете",
            "извините",
            "простите",
        ]
        .contains(&w)
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁉')
}

fn is_closer(c: char) -> bool {
    matches!(c, ')' | '»' | '"' | '\'' | '”' | '’' | ']' | '“')
}

/// Byte offsets (into `s`) where a new sentence starts.
fn cuts_in(s: &str) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::new();
    let push = |cuts: &mut Vec<usize>, at: usize| {
        if at < s.len() && cuts.last().is_none_or(|&l| at > l) && at > 0 {
            cuts.push(at);
        }
    };
    let mut line_start = 0;
    let mut i = 0;
    while i < s.len() {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if is_terminal(c) {
            let run_start = i;
            let mut j = i;
            for ch in s[i..].chars() {
                if is_terminal(ch) {
                    j += ch.len_utf8();
                } else {
                    break;
                }
            }
            let run_end = j;
            for ch in s[j..].chars() {
                if is_closer(ch) {
                    j += ch.len_utf8();
                } else {
                    break;
                }
            }
            let next = s[j..].chars().next();
            if next.is_some_and(char::is_whitespace) {
                let k = skip_ws(s, j);
                if k < s.len() && is_boundary(s, line_start, run_start, run_end, k) {
                    push(&mut cuts, k);
                }
            }
            i = j;
            continue;
        }
        if c == '\n' {
            let prev_line = &s[line_start..i];
            let k = skip_ws(s, i);
            let newlines = s[i..k].matches('\n').count();
            if k >= s.len() {
                break;
            }
            if newlines >= 2 || line_break_splits(prev_line, &s[k..]) {
                push(&mut cuts, k);
            }
            // The new line starts after the last newline in the whitespace run.
            line_start = s[..k].rfind('\n').map_or(k, |p| p + 1);
            i = k;
            continue;
        }
        i += c.len_utf8();
    }
    cuts
}

fn skip_ws(s: &str, from: usize) -> usize {
    let mut k = from;
    for ch in s[from..].chars() {
        if ch.is_whitespace() {
            k += ch.len_utf8();
        } else {
            break;
        }
    }
    k
}

/// Whether the punctuation run `s[run_start..run_end]` ends the sentence; `next` is where the
/// next non-space character is.
fn is_boundary(s: &str, line_start: usize, run_start: usize, run_end: usize, next: usize) -> bool {
    let run = &s[run_start..run_end];
    let next_char = s[next..].chars().next();
    let next_upper = next_char.is_some_and(char::is_uppercase);
    let next_lower = next_char.is_some_and(char::is_lowercase);
    let next_digit = next_char.is_some_and(|c| c.is_ascii_digit());
    if run != "." {
        // "...", "…": a pause when the sentence goes on in lowercase.
        let only_dots = run.chars().all(|c| c == '.' || c == '…');
        return !(only_dots && next_lower);
    }
    // The word before the period, with inner dots ("т.е", "e.g").
    let before = &s[..run_start];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(run_start, |(i, _)| i);
    let word = before[word_start..].trim_start_matches('.');
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    if word.chars().all(|c| c.is_ascii_digit()) {
        // "1. " at the start of a line is list numbering.
        let line_prefix = &s[line_start..word_start];
        return !line_prefix.trim().is_empty() || word.len() > 3;
    }
    if matches!(
        lower.as_str(),
        "no" | "nos" | "п" | "пп" | "ст" | "art" | "p" | "pp" | "sec" | "ч" | "д" | "кв"
    ) {
        // "No. 17", "п. 4.2", "ст. 13": a reference; "I said no. Then..." ends.
        return !next_digit;
    }
    if NEVER_END.contains(&lower.as_str()) {
        return false;
    }
    if END_IF_CAPITAL.contains(&lower.as_str()) {
        return next_upper;
    }
    let mut chars = word.chars();
    if let (Some(first), None) = (chars.next(), chars.next()) {
        // "J. Smith": an initial.
        if first.is_uppercase() && next_upper {
            return false;
        }
    }
    true
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

/// Whether a single line break between `prev_line` and `next` starts a new sentence. Long lines
/// that end mid-sentence and continue in lowercase are hard-wrapped mail: no cut.
fn line_break_splits(prev_line: &str, next: &str) -> bool {
    if is_bullet_start(next) {
        return true;
    }
    let prev = prev_line.trim_end();
    if prev
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | ','))
    {
        return true;
    }
    if prev.chars().count() < 50 {
        return true;
    }
    !next.chars().next().is_some_and(char::is_lowercase)
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
