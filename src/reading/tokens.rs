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

use super::lexicon::{FxMap, LEXICON, Lexicon, SetName, WordFacts};
use rust_stemmers::{Algorithm, Stemmer};

static RU: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static EN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// One word of a sentence. Offsets are bytes into the whole input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    /// First word of a clause: sentence start, after `,;:—(` or a line break, or after fillers.
    pub clause_start: bool,
    /// What the word is, whatever its place (shared with every other token of the same word).
    pub word: Rc<Word>,
}

/// What the reader knows of one written word ("Верните", "г*вно", "SOOOO"), whatever its place:
/// worked out once per thread (`WORD_CACHE`) and shared by every token that writes it so.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Normalised word (lowercase, de-masked).
    pub norm: String,
    /// Snowball stem of `norm` (shared with the stem cache).
    pub stem: Rc<str>,
    pub cyrillic: bool,
    /// All letters upper case, at least two of them.
    pub upper: bool,
    /// The word had masking characters (`*`, `@`, `0` inside letters, ...).
    pub masked: bool,
    /// Letters hidden by `*`, `#` or `%` between two letters that no `@mask` root explains
    /// ("о#$ели", "b*tch"): a masked swear word the lists do not know.
    pub hidden: bool,
    /// Holds an ASCII digit.
    pub digit: bool,
    /// What the lexicon says of `norm` (its sets, cues, forms and the rules it may start).
    pub lex: WordFacts,
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

/// Whether an ASCII byte belongs to a word: a letter, a digit, a masking character
/// (`*@#$%`), an apostrophe, a hyphen or `_` (`is_joiner` holds the non-ASCII joiners).
fn is_ascii_wordish(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'@' | b'#' | b'$' | b'%' | b'\'' | b'-' | b'_')
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

thread_local! {
    /// Every written word seen on this thread, read once (`read_word`): mail repeats its words,
    /// and normalising, stemming and looking a word up in the lexicon cost more than finding
    /// it here. Cleared when it grows past `WORD_CACHE_MAX` entries.
    static WORD_CACHE: RefCell<FxMap<String, Rc<Word>>> = RefCell::new(FxMap::default());
}
const WORD_CACHE_MAX: usize = 50_000;

/// Reads one written word (joiners and leading masks already trimmed): its normal form, stem,
/// shape and what the lexicon says of it.
fn read_word(raw: &str) -> Word {
    let lex: &Lexicon = &LEXICON;
    let (mut norm, mut masked) = normalize(raw);
    let mut hidden = false;
    if norm.contains('*') {
        match lex.unmask(&norm) {
            Some(real) => {
                norm = real;
                masked = true;
            }
            None => {
                let cs: Vec<char> = norm.chars().collect();
                hidden = cs
                    .windows(3)
                    .any(|w| is_letter(w[0]) && w[1] == '*' && (is_letter(w[2]) || w[2] == '*'))
                    && cs.iter().filter(|c| is_letter(**c)).count() >= 2;
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
    let cyrillic = norm.chars().any(is_cyrillic);
    let facts = lex.facts(&norm, &stem, cyrillic);
    Word {
        digit: norm.chars().any(|c| c.is_ascii_digit()),
        norm,
        stem,
        cyrillic,
        upper: upper && letters >= 2,
        masked,
        hidden,
        lex: facts,
    }
}

/// The word written `raw`, from the cache or read now.
fn word_of(cache: &mut FxMap<String, Rc<Word>>, raw: &str) -> Rc<Word> {
    if let Some(w) = cache.get(raw) {
        return Rc::clone(w);
    }
    let w = Rc::new(read_word(raw));
    if cache.len() >= WORD_CACHE_MAX {
        cache.clear();
    }
    cache.insert(raw.to_string(), Rc::clone(&w));
    w
}

/// Splits `text[start..end]` into tokens.
pub(crate) fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let slice = &text[start..end];
    let mut out: Vec<Token> = Vec::with_capacity(slice.len() / 5 + 1);
    WORD_CACHE.with(|cache| {
        let cache = &mut cache.borrow_mut();
        let mut prev_end = start;
        // Words are runs of letters, digits, masking characters and inner apostrophes or
        // hyphens. (A plain scan: UAX #29 word bounds cost a fifth of the reader's time and
        // every piece had to be glued back anyway.) The end of the text closes the last one.
        let mut cur: Option<usize> = None;
        let bytes = slice.as_bytes();
        let mut off = 0;
        while off <= bytes.len() {
            // ASCII is read byte by byte; other characters are decoded (masks and `_` are ASCII).
            let (wordish, len) = match bytes.get(off) {
                None => (false, 1),
                Some(&b) if b.is_ascii() => (is_ascii_wordish(b), 1),
                Some(_) => {
                    let c = slice[off..].chars().next().unwrap_or(' ');
                    (is_alnum(c) || is_joiner(c), c.len_utf8())
                }
            };
            off += len;
            let off = off - len;
            match (wordish, cur) {
                (true, None) => cur = Some(start + off),
                (false, Some(s)) => {
                    cur = None;
                    let Some((s, e)) = trim_word(text, s, start + off) else {
                        continue;
                    };
                    let between = &text[prev_end..s];
                    let clause_start = match out.last() {
                        None => true,
                        Some(last) => {
                            between.contains([',', ';', ':', '—', '–', '(', '\n', '"', '«', '“'])
                                // (A one-space gap, the usual one, holds no " - ".)
                                || (between.len() >= 3 && between.contains(" - "))
                                || (last.clause_start && last.word.lex.in_set(SetName::Filler))
                        }
                    };
                    out.push(Token {
                        start: s,
                        end: e,
                        clause_start,
                        word: word_of(cache, &text[s..e]),
                    });
                    prev_end = e;
                }
                _ => {}
            }
        }
    });
    out
}

/// A run of word characters `s0..e0` without its joiners and leading masks (trailing stars stay:
/// "f***"); `None` when no letter or digit is left.
fn trim_word(text: &str, s0: usize, e0: usize) -> Option<(usize, usize)> {
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
    (s < e && text[s..e].chars().any(is_alnum)).then_some((s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token> {
        tokenize(s, 0, s.len())
    }

    #[test]
    fn masks_and_lookalikes_are_undone() {
        let t = toks("Вы г*вно, н@хер, f***, pyкa, ГОВНО");
        let norms: Vec<&str> = t.iter().map(|t| t.word.norm.as_str()).collect();
        assert!(norms[1].starts_with("говн"), "{norms:?}");
        assert_eq!(norms[2], "нахер");
        assert!(norms[3].starts_with("fuck"));
        assert_eq!(norms[4], "рука");
        assert!(t[5].word.upper);
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
