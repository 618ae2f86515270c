//! Words of a sentence, normalised so that rules match real mail: lowercase, "ё" as "е", Latin
//! look-alikes inside Cyrillic words ("pyкa") and the reverse, masking characters ("н@хер",
//! "г0вно", "$hit"), stretched letters ("sooooo"), then stemmed with the Snowball stemmers
//! (Russian for Cyrillic words, English otherwise) so "верните/вернёте/вернуть" share a stem.
//! Words masked with stars ("г*вно", "f***") are resolved against the lexicon's `@mask` list.
//!
//! A word is a run of letters, digits, masking characters and inner apostrophes or hyphens, so
//! "г*вно", "н@хер", "don't" and "SMM-коммьюнити" stay whole.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use super::lexicon::{FxMap, LEXICON};
use rust_stemmers::{Algorithm, Stemmer};

static RU: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static EN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// One word of a sentence. Offsets are bytes into the whole input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    /// Normalised word (lowercase, de-masked).
    pub norm: String,
    /// Snowball stem of `norm` (shared with the stem cache).
    pub stem: Rc<str>,
    pub cyrillic: bool,
    /// All letters upper case, at least two of them.
    pub upper: bool,
    /// First word of a clause: sentence start, after `,;:—(` or a line break, or after fillers.
    pub clause_start: bool,
    /// The word had masking characters (`*`, `@`, `0` inside letters, ...).
    pub masked: bool,
    /// Letters hidden by `*`, `#` or `%` between two letters that no `@mask` root explains
    /// ("о#$ели", "b*tch"): a masked swear word the lists do not know.
    pub hidden: bool,
}

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// `char::is_alphabetic` with fast paths for ASCII and Cyrillic (the slow Unicode table lookup
/// showed up in profiles of Russian mail).
pub(crate) fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || is_cyrillic(c) || (!c.is_ascii() && c.is_alphabetic())
}

/// `char::is_alphanumeric` with the same fast paths.
pub(crate) fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_cyrillic(c) || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_mask_char(c: char) -> bool {
    matches!(c, '*' | '@' | '#' | '$' | '%')
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐')
}

thread_local! {
    /// Stems of words seen on this thread: mail repeats its words, and stemming is the single
    /// largest cost per word. Cleared when it grows past `STEM_CACHE_MAX` entries.
    static STEM_CACHE: RefCell<FxMap<String, Rc<str>>> = RefCell::new(FxMap::default());
}
const STEM_CACHE_MAX: usize = 50_000;

/// Stems one normalised word with the stemmer of its script.
pub(crate) fn stem_word(norm: &str) -> Rc<str> {
    let cached = STEM_CACHE.with(|c| c.borrow().get(norm).cloned());
    if let Some(stem) = cached {
        return stem;
    }
    let stem: Rc<str> = if norm.chars().any(is_cyrillic) {
        Rc::from(RU.stem(norm).as_ref())
    } else {
        Rc::from(EN.stem(norm).as_ref())
    };
    STEM_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= STEM_CACHE_MAX {
            c.clear();
        }
        c.insert(norm.to_string(), stem.clone());
    });
    stem
}

/// Normalises a raw word: lowercase, ё→е, look-alikes mapped to the word's main script, mask
/// characters to letters (`*` is kept), runs of three or more equal letters collapsed.
pub(crate) fn normalize(raw: &str) -> (String, bool) {
    // Fast path: a plain lowercase word in one script, no "ё", no stretched letters.
    let mut plain = true;
    let (mut cyr, mut lat) = (false, false);
    let (mut p1, mut p2) = ('\0', '\0');
    for c in raw.chars() {
        let ok = if c.is_ascii_lowercase() {
            lat = true;
            true
        } else if ('а'..='я').contains(&c) {
            cyr = true;
            true
        } else {
            c == '\'' || c == '-'
        };
        if !ok || (c == p1 && c == p2) {
            plain = false;
            break;
        }
        p2 = p1;
        p1 = c;
    }
    if plain && !(cyr && lat) {
        return (raw.to_string(), false);
    }
    let lower = raw.to_lowercase();
    let cyr = lower.chars().filter(|&c| is_cyrillic(c)).count();
    let lat = lower.chars().filter(char::is_ascii_alphabetic).count();
    let letters = cyr + lat;
    // Cyrillic when most letters are, or when every Latin letter is a Cyrillic look-alike
    // ("pyкa" is "рука" typed on the wrong layout or disguised).
    let to_cyr = cyr > 0
        && (cyr >= lat
            || lower
                .chars()
                .filter(char::is_ascii_alphabetic)
                .all(|c| latin_to_cyrillic(c) != c));
    let mut masked = false;
    let mut mapped: Vec<char> = Vec::with_capacity(lower.len());
    for c in lower.chars() {
        let m = match c {
            'ё' => 'е',
            '’' | 'ʼ' | '`' => '\'',
            '@' if letters > 0 => {
                masked = true;
                if to_cyr { 'а' } else { 'a' }
            }
            '0' if letters > 0 => {
                masked = true;
                if to_cyr { 'о' } else { 'o' }
            }
            '$' if letters > 0 => {
                masked = true;
                if to_cyr { 'с' } else { 's' }
            }
            '*' | '#' | '%' if letters > 0 => {
                masked = true;
                '*'
            }
            c if to_cyr && lat > 0 => latin_to_cyrillic(c),
            c if !to_cyr && cyr > 0 => cyrillic_to_latin(c),
            c => c,
        };
        mapped.push(m);
    }
    // Runs of three or more equal letters collapse to one ("sooooo" → "so"); doubles stay.
    let mut out = String::with_capacity(lower.len());
    let mut i = 0;
    while i < mapped.len() {
        let c = mapped[i];
        let mut j = i;
        while j < mapped.len() && mapped[j] == c {
            j += 1;
        }
        let n = j - i;
        let keep = if n >= 3 && is_letter(c) { 1 } else { n };
        for _ in 0..keep {
            out.push(c);
        }
        i = j;
    }
    (out, masked)
}

/// The look-alike letters come from `assets/reading/text.rules` (`@lookalike`).
fn latin_to_cyrillic(c: char) -> char {
    LEXICON.to_cyrillic.get(&c).copied().unwrap_or(c)
}

fn cyrillic_to_latin(c: char) -> char {
    LEXICON.to_latin.get(&c).copied().unwrap_or(c)
}

/// Whether a word masked with stars ("f***", "г*вно", "a**hole") can be `root` followed by
/// anything: each star stands for one letter, and stars left over when the root ends are fine.
pub(crate) fn mask_matches(masked: &str, root: &str) -> bool {
    let mut m = masked.chars();
    let mut r = root.chars();
    let mut first = true;
    loop {
        match (m.next(), r.next()) {
            (_, None) => return true,
            (None, Some(_)) => return false,
            (Some('*'), Some(_)) if !first => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
        first = false;
    }
}

/// Splits `text[start..end]` into tokens. `unmask` resolves a starred word to a real one.
// One scan with a case per kind of character: clearer in one piece than split.
#[allow(clippy::too_many_lines)]
pub(crate) fn tokenize(
    text: &str,
    start: usize,
    end: usize,
    unmask: &dyn Fn(&str) -> Option<String>,
    is_filler: &dyn Fn(&str) -> bool,
) -> Vec<Token> {
    let slice = &text[start..end];
    // Words are runs of letters, digits, masking characters and inner apostrophes or hyphens.
    // (A plain scan: UAX #29 word bounds cost a fifth of the reader's time and every piece
    // had to be glued back anyway.)
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<usize> = None;
    for (off, c) in slice.char_indices() {
        let wordish = is_alnum(c) || is_mask_char(c) || is_joiner(c) || c == '_';
        let at = start + off;
        match (wordish, cur) {
            (true, None) => cur = Some(at),
            (false, Some(s)) => {
                spans.push((s, at));
                cur = None;
            }
            _ => {}
        }
    }
    if let Some(s) = cur {
        spans.push((s, end));
    }
    let mut out: Vec<Token> = Vec::with_capacity(spans.len());
    let mut prev_end = start;
    for (s0, e0) in spans {
        // Trim joiners and leading masks; keep trailing stars ("f***").
        let raw_full = &text[s0..e0];
        let lead = raw_full.len()
            - raw_full
                .trim_start_matches(|c: char| is_joiner(c) || c == '*' || c == '#' || c == '%')
                .len();
        let s = s0 + lead;
        let trail = text[s..e0].len()
            - text[s..e0]
                .trim_end_matches(|c: char| is_joiner(c) || c == '@' || c == '$')
                .len();
        let e = e0 - trail;
        if s >= e {
            continue;
        }
        let raw = &text[s..e];
        if !raw.chars().any(is_alnum) {
            continue;
        }
        let (mut norm, mut masked) = normalize(raw);
        let mut hidden = false;
        if norm.contains('*') {
            match unmask(&norm) {
                Some(real) => {
                    norm = real;
                    masked = true;
                }
                None => {
                    let cs: Vec<char> = norm.chars().collect();
                    hidden = cs.windows(3).any(|w| {
                        is_letter(w[0]) && w[1] == '*' && (is_letter(w[2]) || w[2] == '*')
                    }) && cs.iter().filter(|c| is_letter(**c)).count() >= 2;
                    norm.retain(|c| c != '*');
                }
            }
        }
        let stem = stem_word(&norm);
        let mut letters = 0;
        let mut upper = true;
        for c in raw.chars().filter(|&c| is_letter(c)) {
            letters += 1;
            upper &= c.is_uppercase();
        }
        let upper = upper && letters >= 2;
        let between = &text[prev_end..s];
        let clause_start = match out.last() {
            None => true,
            Some(last) => {
                between.contains([',', ';', ':', '—', '–', '(', '\n', '"', '«', '“'])
                    || between.contains(" - ")
                    || (last.clause_start && is_filler(&last.norm))
            }
        };
        out.push(Token {
            start: s,
            end: e,
            cyrillic: norm.chars().any(is_cyrillic),
            norm,
            stem,
            upper,
            clause_start,
            masked,
            hidden,
        });
        prev_end = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token> {
        let roots = ["говн", "fuck", "hell", "блят"];
        tokenize(
            s,
            0,
            s.len(),
            &|m: &str| {
                roots.iter().find(|r| mask_matches(m, r)).map(|r| {
                    let rest: String = m.chars().skip(r.chars().count()).collect();
                    format!("{r}{}", rest.replace('*', ""))
                })
            },
            &|w: &str| w == "please",
        )
    }

    #[test]
    fn masks_and_lookalikes_are_undone() {
        let t = toks("Вы г*вно, н@хер, f***, pyкa, ГОВНО");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert!(norms[1].starts_with("говн"), "{norms:?}");
        assert_eq!(norms[2], "нахер");
        assert!(norms[3].starts_with("fuck"));
        assert_eq!(norms[4], "рука");
        assert!(t[5].upper);
    }

    #[test]
    fn stems_share_inflections() {
        assert_eq!(stem_word("деньги"), stem_word("деньгами"));
        assert_eq!(stem_word("жалоба"), stem_word("жалобу"));
        assert_eq!(stem_word("refunded"), stem_word("refund"));
    }

    #[test]
    fn clause_starts() {
        let t = toks("Ok, please send it now");
        assert!(t[0].clause_start && t[1].clause_start && t[2].clause_start);
        assert!(!t[3].clause_start);
    }

    #[test]
    fn stretched_letters() {
        assert_eq!(normalize("sooooo").0, "so");
        assert_eq!(normalize("book").0, "book");
    }
}
