//! The phrase rules, loaded from `assets/reading/*.rules` (embedded at build time), and the
//! matcher that runs them over a sentence's tokens.
//!
//! A rule line is `MARK RULE_ID [@flag ...] : PATTERN`. A pattern is a sequence of steps; each
//! step is one word given as alternatives `a|b|c`, where `word` matches by Snowball stem,
//! `word*` by prefix of the normalised word, `=word` exactly, and `$CLASS` expands a class.
//! Between two steps up to two other words may stand; `..` before a step allows six, `_` none.
//! `^` first means the pattern must start a clause. The format is documented for people who
//! extend it in `assets/reading/README.md`; `tests` below and the reader tests check that every
//! shipped file parses and every rule id has an explanation in both languages.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::draft::DraftFlagKind;
use super::tokens::{Token, mask_matches, stem_word};
use super::{Item, Label, Language};

const SOURCES: &[(&str, &str)] = &[
    ("en.rules", include_str!("../../assets/reading/en.rules")),
    ("ru.rules", include_str!("../../assets/reading/ru.rules")),
    (
        "explain.rules",
        include_str!("../../assets/reading/explain.rules"),
    ),
    (
        "text.rules",
        include_str!("../../assets/reading/text.rules"),
    ),
];

/// The word sets the code reads (`@set NAME words...`). A set name that is not one of these
/// fails the load, so a typo in an asset cannot silently empty a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SetName {
    Filler,
    Courtesy,
    Acronym,
    Hypothetical,
    Past,
    NotPast,
    State,
    NotImperative,
    Preposition,
    IndicativeCue,
    /// Russian abbreviations the segmenter must not end a sentence after (on top of its own).
    AbbreviationRu,
    /// English abbreviations the segmenter must not end a sentence after (on top of its own).
    AbbreviationEn,
    /// Everyday words sentencex's English list takes for abbreviations ("me", "no", "may"): in
    /// mail they end sentences ("Call me. I'm waiting.").
    NotAbbreviationEn,
    /// Abbreviations that close a list ("и т.д.", "etc."): before a capital they end the sentence.
    AbbreviationClosing,
    /// Words that open a greeting line or a greeting clause ("Dear", "Hi", "Здравствуйте").
    Greeting,
    /// Sign-off words ("Regards", "Thanks", "С уважением").
    SignOff,
    /// Endings of a line that introduces quoted earlier mail ("wrote:", "написал:").
    ReplyHeaderEnd,
    /// Phrases inside a line that introduces quoted or forwarded mail ("original message").
    ReplyHeaderPhrase,
    RunOnOpener,
    RunOnConjunction,
    RunOnPronoun,
    RunOnBinder,
    /// Words after "как" that make it open a clause in a run-on ("как можно", "как долго").
    RunOnAfterHow,
    /// Endings of the Russian plural/polite imperative ("-ите", "-йте", "-ьте").
    ImperativeSuffixRu,
    /// Words that negate a statement ("not", "never", "не", "никто"): a negated claim about the
    /// provider is a complaint.
    Negation,
    /// Words that address the provider ("you", "your", "вы", "ваш").
    Addressee,
    /// Words of thanks ("thanks", "спасибо"): a plain request that thanks is no complaint.
    Thanks,
    /// Words before a scare-quoted word (this "designer", ваш «сервис»).
    ScareQuoteCue,
    /// Question openers that complain rather than ask ("why", "почему", "how come").
    WhyOpener,
    /// Particles hyphenated onto a Russian word ("дайте-ка", "скажи-ка").
    ParticleSuffixRu,
    /// Endings of the Russian past tense after a vowel ("-л", "-ла", "-лся"...).
    PastSuffixRu,
    /// English past-tense ending and endings that only look like it ("ed" / "eed").
    PastSuffixEn,
    NotPastSuffixEn,
}

impl SetName {
    pub(crate) const ALL: [SetName; 33] = [
        SetName::Filler,
        SetName::Courtesy,
        SetName::Acronym,
        SetName::Hypothetical,
        SetName::Past,
        SetName::NotPast,
        SetName::State,
        SetName::NotImperative,
        SetName::Preposition,
        SetName::IndicativeCue,
        SetName::AbbreviationRu,
        SetName::AbbreviationEn,
        SetName::NotAbbreviationEn,
        SetName::AbbreviationClosing,
        SetName::Greeting,
        SetName::SignOff,
        SetName::ReplyHeaderEnd,
        SetName::ReplyHeaderPhrase,
        SetName::RunOnOpener,
        SetName::RunOnConjunction,
        SetName::RunOnPronoun,
        SetName::RunOnBinder,
        SetName::RunOnAfterHow,
        SetName::ImperativeSuffixRu,
        SetName::Negation,
        SetName::Addressee,
        SetName::WhyOpener,
        SetName::ScareQuoteCue,
        SetName::Thanks,
        SetName::ParticleSuffixRu,
        SetName::PastSuffixRu,
        SetName::PastSuffixEn,
        SetName::NotPastSuffixEn,
    ];

    /// The name written in the assets.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SetName::Filler => "filler",
            SetName::Courtesy => "courtesy",
            SetName::Acronym => "acronym",
            SetName::Hypothetical => "hypothetical",
            SetName::Past => "past",
            SetName::NotPast => "not_past",
            SetName::State => "state",
            SetName::NotImperative => "not_imperative",
            SetName::Preposition => "preposition",
            SetName::IndicativeCue => "indicative_cue",
            SetName::AbbreviationRu => "abbreviation_ru",
            SetName::AbbreviationEn => "abbreviation_en",
            SetName::NotAbbreviationEn => "not_abbreviation_en",
            SetName::AbbreviationClosing => "abbreviation_closing",
            SetName::Greeting => "greeting",
            SetName::SignOff => "sign_off",
            SetName::ReplyHeaderEnd => "reply_header_end",
            SetName::ReplyHeaderPhrase => "reply_header_phrase",
            SetName::RunOnOpener => "run_on_opener",
            SetName::RunOnConjunction => "run_on_conjunction",
            SetName::RunOnPronoun => "run_on_pronoun",
            SetName::RunOnBinder => "run_on_binder",
            SetName::RunOnAfterHow => "run_on_after_how",
            SetName::ImperativeSuffixRu => "imperative_suffix_ru",
            SetName::ParticleSuffixRu => "particle_suffix_ru",
            SetName::Negation => "negation",
            SetName::Addressee => "addressee",
            SetName::WhyOpener => "why_opener",
            SetName::ScareQuoteCue => "scare_quote_cue",
            SetName::Thanks => "thanks",
            SetName::PastSuffixRu => "past_suffix_ru",
            SetName::PastSuffixEn => "past_suffix_en",
            SetName::NotPastSuffixEn => "not_past_suffix_en",
        }
    }

    fn parse(name: &str) -> Option<SetName> {
        SetName::ALL.into_iter().find(|s| s.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Cue bits of a word (see `Lexicon::cues`).
pub(crate) const CUE_NEGATION: u8 = 1;
pub(crate) const CUE_ADDRESSEE: u8 = 2;
pub(crate) const CUE_WHY: u8 = 4;
pub(crate) const CUE_THANKS: u8 = 8;
pub(crate) const CUE_SCARE_QUOTE: u8 = 16;

/// An example line of a rule (`@ok RULE | text` or `@not RULE | text`), checked by a test.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Clone, Debug)]
pub(crate) struct Example {
    pub rule: String,
    /// `@ok`: the rule must fire on the text; `@not`: it must not.
    pub fires: bool,
    pub text: String,
    /// Where it is written ("ru.rules:120").
    pub at: String,
}

/// What a rule marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    Label(Label),
    Item(Item),
    Draft(DraftFlagKind),
    /// Removes hits of this label that overlap the match ("not going to sue").
    Suppress(Label),
    /// `-item`: removes item hits that overlap the match ("late fee").
    SuppressItem,
}

#[derive(Clone, Debug)]
enum Alt {
    Stem(String),
    Prefix(String),
    Exact(String),
    /// `~`: any word.
    Any,
}

/// An alternative of a step as the matcher compares it: stems and exact words by their id in
/// the lexicon's word table (`Lexicon::word_ids`), prefixes by theirs (`Lexicon::prefix_ids`),
/// so a comparison is one integer compare.
#[derive(Clone, Copy, Debug)]
enum Key {
    Stem(u32),
    Prefix(u32),
    Exact(u32),
    Any,
}

impl Key {
    /// The bit of this key in a word's or a step's signature (`WordFacts::sig`): a word can fit
    /// a step only when their signatures share a bit, so most misses cost one AND. Bit 0 is
    /// `~`'s: every word has it.
    fn sig(self) -> u64 {
        // Stems, exact words and prefixes hash apart, so one id in two roles sets two bits.
        let (id, salt) = match self {
            Key::Stem(id) => (id, 0x9E37_79B9_u32),
            Key::Exact(id) => (id, 0x85EB_CA6B),
            Key::Prefix(id) => (id, 0xC2B2_AE35),
            Key::Any => return SIG_ANY,
        };
        if id == NO_ID {
            return 0;
        }
        2 << ((id.wrapping_add(salt).wrapping_mul(0x9E37_79B1) >> 26) % 63)
    }
}

#[derive(Clone, Debug, Default)]
struct StepIndex {
    /// Every alternative's signature bit, OR-ed (all bits when `~` is one).
    sig: u64,
    /// Up to eight alternatives are compared one by one (cheaper than a search).
    small: Option<Vec<Key>>,
    /// Sorted ids.
    stems: Vec<u32>,
    exact: Vec<u32>,
    prefixes: Vec<u32>,
    any: bool,
}

/// The id of `word` in the lexicon's word table, a new one when it is not there yet.
fn intern(ids: &mut FxMap<String, u32>, word: &str) -> u32 {
    if let Some(&id) = ids.get(word) {
        return id;
    }
    // Fewer than `NO_ID` words: the table holds the lexicon's own words.
    let id = u32::try_from(ids.len()).unwrap_or(NO_ID);
    ids.insert(word.to_string(), id);
    id
}

/// The id of a word no rule names.
const NO_ID: u32 = u32::MAX;

/// The signature bit of `~` (any word), set in every word's signature.
const SIG_ANY: u64 = 1;

impl StepIndex {
    fn new(
        alts: &[Alt],
        ids: &mut FxMap<String, u32>,
        prefix_ids: &mut FxMap<String, u32>,
    ) -> StepIndex {
        let mut keys: Vec<Key> = alts
            .iter()
            .map(|a| match a {
                Alt::Stem(s) => Key::Stem(intern(ids, s)),
                Alt::Exact(w) => Key::Exact(intern(ids, w)),
                Alt::Prefix(p) => Key::Prefix(intern(prefix_ids, p)),
                Alt::Any => Key::Any,
            })
            .collect();
        let mut ix = StepIndex {
            sig: keys.iter().fold(0, |acc, &k| acc | k.sig()),
            ..StepIndex::default()
        };
        if keys.len() <= 8 {
            ix.small = Some(keys);
            return ix;
        }
        for k in keys.drain(..) {
            match k {
                Key::Stem(id) => ix.stems.push(id),
                Key::Exact(id) => ix.exact.push(id),
                Key::Prefix(p) => ix.prefixes.push(p),
                Key::Any => ix.any = true,
            }
        }
        ix.stems.sort_unstable();
        ix.stems.dedup();
        ix.exact.sort_unstable();
        ix.exact.dedup();
        ix.prefixes.sort_unstable();
        ix.prefixes.dedup();
        ix
    }

    /// Whether a word (its facts) fits the step.
    #[inline]
    fn matches(&self, f: &WordFacts) -> bool {
        f.sig & self.sig != 0 && self.matches_keys(f)
    }

    fn matches_keys(&self, f: &WordFacts) -> bool {
        if let Some(keys) = &self.small {
            return keys.iter().any(|k| match *k {
                Key::Stem(id) => f.stem_id == id,
                Key::Prefix(id) => f.prefixes.contains(&id),
                Key::Exact(id) => f.norm_id == id,
                Key::Any => true,
            });
        }
        self.any
            || (f.stem_id != NO_ID && self.stems.binary_search(&f.stem_id).is_ok())
            || (f.norm_id != NO_ID && self.exact.binary_search(&f.norm_id).is_ok())
            || f.prefixes
                .iter()
                .any(|id| self.prefixes.binary_search(id).is_ok())
    }
}

#[derive(Clone, Debug)]
struct Step {
    alts: Vec<Alt>,
    /// The same alternatives, indexed: a class can hold two hundred words.
    index: StepIndex,
    /// How many other words may stand before this step (after the previous one).
    gap: usize,
    /// `word?`: the step may be left out.
    optional: bool,
}

#[derive(Clone, Debug)]
struct Pattern {
    rule: usize,
    steps: Vec<Step>,
    anchored: bool,
    flags: Flags,
}

/// Per-pattern flags (written after the rule id).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Flags {
    /// `@open`: only in a sentence that does not end with "." or "!".
    pub open_only: bool,
    /// `@unowed`: an item that counts only when no legitimate item was found.
    pub unowed: bool,
    /// `@draft`: only when checking the user's own draft.
    pub draft_only: bool,
    /// `@cont`: the sentence must go on after the match in the same clause ("Look, ..." is no
    /// order, "Look at the logo" is).
    pub needs_more: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub id: String,
    pub mark: Mark,
}

/// A rule that matched tokens `first..=last` of a sentence.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub rule: usize,
    pub flags: Flags,
    pub first: usize,
    pub last: usize,
}

/// What the lexicon says of one normalised word (`Lexicon::facts`): worked out when the word is
/// first seen and kept with it, so the matcher and the marks read fields instead of sets.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct WordFacts {
    /// One bit per `SetName`: the sets that hold the word.
    sets: u64,
    /// `CUE_*` bits: negation, addressee, "why", thanks, scare-quote.
    pub cues: u8,
    /// A Cyrillic word of Russian plural or polite imperative form (`is_ru_imperative_form`).
    pub ru_imperative: bool,
    /// A past-tense form (`is_past_form`).
    pub past: bool,
    /// The ids of its stem and of the word itself in `Lexicon::word_ids` (`NO_ID`: none).
    stem_id: u32,
    norm_id: u32,
    /// The ids of the rule prefixes (`word*`) it starts with, in `Lexicon::prefix_ids`.
    prefixes: Box<[u32]>,
    /// The signature bits of its stem, itself and its prefixes (`Key::sig`).
    sig: u64,
    /// The patterns whose first step it fits, in the order the scan tries them.
    starts: Box<[u32]>,
}

impl WordFacts {
    pub(crate) fn in_set(&self, set: SetName) -> bool {
        self.sets & (1 << set.index()) != 0
    }
}

#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub rules: Vec<Rule>,
    patterns: Vec<Pattern>,
    by_stem: FxMap<String, Vec<u32>>,
    by_exact: FxMap<String, Vec<u32>>,
    /// Prefix patterns keyed by their first three letters (or two, for two-letter prefixes).
    by_prefix: FxMap<String, Vec<u32>>,
    sets: Vec<FxSet<String>>,
    masks: Vec<String>,
    explanations: HashMap<String, (String, String)>,
    /// Look-alike letters (`@lookalike`): Latin letters read as Cyrillic inside a Cyrillic word,
    /// and the reverse.
    pub to_cyrillic: FxMap<char, char>,
    pub to_latin: FxMap<char, char>,
    /// `@ok` / `@not` example lines.
    pub examples: Vec<Example>,
    /// Every word set folded into one map (word → one bit per `SetName`): a word's sets are
    /// found in one lookup when the word is first seen (`facts`).
    set_bits: FxMap<String, u64>,
    /// The stems and exact words the patterns name, each with an id (`Key`).
    word_ids: FxMap<String, u32>,
    /// The prefixes (`word*`) the patterns name, each with an id (`Key`).
    prefix_ids: FxMap<String, u32>,
    /// Russian words matched by their Snowball stem whose stem has five letters or fewer
    /// ("file:line word stem"): the stem lint refuses them (write `=word` or `prefix*`).
    pub short_stems: Vec<String>,
}

// The assets are compiled in and checked by `assets_parse` below, so parsing cannot fail in a
// tested build; were it to, the reader runs with no rules rather than panic.
pub(crate) static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(SOURCES).unwrap_or_default());

/// The hasher rustc uses for short keys: the rule maps are read for every word of every message
/// and SipHash showed up in profiles. The keys are the lexicon's own words, not attacker-chosen
/// map contents, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FxSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

fn norm_word(w: &str) -> String {
    w.to_lowercase().replace('ё', "е")
}

/// The first `n` characters of `s` (all of it when shorter).
fn first_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl Lexicon {
    // One case per kind of line in the rule files: clearer in one piece than split.
    #[allow(clippy::too_many_lines)]
    pub(crate) fn parse(sources: &[(&str, &str)]) -> Result<Lexicon, String> {
        let mut lex = Lexicon {
            sets: vec![FxSet::default(); SetName::ALL.len()],
            ..Lexicon::default()
        };
        let mut classes: HashMap<String, Vec<String>> = HashMap::new();
        let mut rule_ids: HashMap<String, usize> = HashMap::new();
        for (file, src) in sources {
            for (n, line) in src.lines().enumerate() {
                let at = || format!("{file}:{}", n + 1);
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(rest) = line.strip_prefix("@class ") {
                    let (name, alts) = rest
                        .split_once('=')
                        .ok_or_else(|| format!("{}: @class NAME = words", at()))?;
                    classes
                        .entry(name.trim().to_string())
                        .or_default()
                        .extend(alts.split_whitespace().map(str::to_string));
                } else if let Some(rest) = line.strip_prefix("@set ") {
                    let mut words = rest.split_whitespace();
                    let name = words
                        .next()
                        .ok_or_else(|| format!("{}: @set NAME words", at()))?;
                    let set = SetName::parse(name)
                        .ok_or_else(|| format!("{}: unknown set {name}", at()))?;
                    lex.sets[set.index()].extend(words.map(norm_word));
                } else if let Some(rest) = line.strip_prefix("@lookalike ") {
                    for pair in rest.split_whitespace() {
                        let mut cs = pair.chars();
                        let (Some(from), Some('>'), Some(to), None) =
                            (cs.next(), cs.next(), cs.next(), cs.next())
                        else {
                            return Err(format!("{}: @lookalike a>а pairs", at()));
                        };
                        if super::tokens::is_cyrillic(from) {
                            lex.to_latin.insert(from, to);
                        } else {
                            lex.to_cyrillic.insert(from, to);
                        }
                    }
                } else if let Some((fires, rest)) = line
                    .strip_prefix("@ok ")
                    .map(|r| (true, r))
                    .or_else(|| line.strip_prefix("@not ").map(|r| (false, r)))
                {
                    let (rule, text) = rest
                        .split_once(" | ")
                        .ok_or_else(|| format!("{}: @ok RULE | text", at()))?;
                    lex.examples.push(Example {
                        rule: rule.trim().to_string(),
                        fires,
                        text: text.trim().replace("\\n", "\n"),
                        at: at(),
                    });
                } else if let Some(rest) = line.strip_prefix("@mask ") {
                    lex.masks.extend(rest.split_whitespace().map(norm_word));
                } else if let Some(rest) = line.strip_prefix("@explain ") {
                    let parts: Vec<&str> = rest.split('|').map(str::trim).collect();
                    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
                        return Err(format!("{}: @explain RULE | english | russian", at()));
                    }
                    lex.explanations.insert(
                        parts[0].to_string(),
                        (parts[1].to_string(), parts[2].to_string()),
                    );
                } else {
                    let short = lex
                        .parse_rule(line, &classes, &mut rule_ids)
                        .map_err(|e| format!("{}: {e}", at()))?;
                    lex.short_stems
                        .extend(short.into_iter().map(|w| format!("{}: {w}", at())));
                }
            }
        }
        for set in SetName::ALL {
            for w in &lex.sets[set.index()] {
                *lex.set_bits.entry(w.clone()).or_default() |= 1 << set.index();
            }
        }
        // Longer mask roots first, so "fucking" wins over "fuck" where both fit.
        lex.masks
            .sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
        Ok(lex)
    }

    // One rule line: its mark, its id, its steps; a case per part of the syntax, in order.
    #[allow(clippy::too_many_lines)]
    fn parse_rule(
        &mut self,
        line: &str,
        classes: &HashMap<String, Vec<String>>,
        rule_ids: &mut HashMap<String, usize>,
    ) -> Result<Vec<String>, String> {
        let mut short_stems = Vec::new();
        let (head, pattern) = line
            .split_once(" : ")
            .ok_or("a rule is `MARK RULE_ID [@flags] : PATTERN`")?;
        let mut head_words = head.split_whitespace();
        let mark_s = head_words.next().ok_or("missing mark")?;
        let id = head_words.next().ok_or("missing rule id")?;
        let flags: Vec<&str> = head_words.collect();
        let mark = parse_mark(mark_s, id)?;
        let rule = match rule_ids.get(id) {
            Some(&r) => r,
            None => {
                self.rules.push(Rule {
                    id: id.to_string(),
                    mark,
                });
                rule_ids.insert(id.to_string(), self.rules.len() - 1);
                self.rules.len() - 1
            }
        };
        if self.rules[rule].mark != mark {
            return Err(format!("rule {id} used with two different marks"));
        }
        for f in &flags {
            if !matches!(*f, "@open" | "@unowed" | "@draft" | "@cont") {
                return Err(format!("unknown flag {f}"));
            }
        }
        let mut steps: Vec<Step> = Vec::new();
        let mut anchored = false;
        let mut gap = 2;
        for (k, w) in pattern.split_whitespace().enumerate() {
            match w {
                "^" if k == 0 => anchored = true,
                ".." => gap = 6,
                "_" => gap = 0,
                _ => {
                    let (w, optional) = match w.strip_suffix('?') {
                        Some(inner) if !inner.is_empty() => (inner, true),
                        _ => (w, false),
                    };
                    if optional && steps.is_empty() {
                        return Err("the first step cannot be optional".into());
                    }
                    let mut alts = Vec::new();
                    for a in w.split('|') {
                        if is_short_ru_stem(a) {
                            short_stems.push(a.to_string());
                        }
                        if let Some(name) = a.strip_prefix('$') {
                            let class = classes
                                .get(name)
                                .ok_or_else(|| format!("unknown class ${name}"))?;
                            for c in class {
                                alts.push(parse_alt(c)?);
                            }
                        } else {
                            alts.push(parse_alt(a)?);
                        }
                    }
                    steps.push(Step {
                        index: StepIndex::new(&alts, &mut self.word_ids, &mut self.prefix_ids),
                        alts,
                        gap: if steps.is_empty() { 0 } else { gap },
                        optional,
                    });
                    gap = 2;
                }
            }
        }
        if steps.is_empty() {
            return Err("empty pattern".into());
        }
        let idx = u32::try_from(self.patterns.len()).map_err(|_| "too many patterns")?;
        for alt in &steps[0].alts {
            let (map, key) = match alt {
                Alt::Stem(s) => (&mut self.by_stem, s.clone()),
                Alt::Exact(w) => (&mut self.by_exact, w.clone()),
                Alt::Prefix(p) => (&mut self.by_prefix, first_chars(p, 3).to_string()),
                Alt::Any => return Err("a pattern cannot start with `~`".into()),
            };
            let v = map.entry(key).or_default();
            if v.last() != Some(&idx) {
                v.push(idx);
            }
        }
        self.patterns.push(Pattern {
            rule,
            steps,
            anchored,
            flags: Flags {
                open_only: flags.contains(&"@open"),
                unowed: flags.contains(&"@unowed"),
                draft_only: flags.contains(&"@draft"),
                needs_more: flags.contains(&"@cont"),
            },
        });
        Ok(short_stems)
    }

    /// The patterns a word may start, in the order the scan tries them: those whose first step
    /// names its stem or the word itself, and the prefix patterns whose first step it fits.
    fn starts(&self, norm: &str, stem: &str, facts: &WordFacts) -> Box<[u32]> {
        // (pattern, whether the index lookup already proved the first step matches).
        let mut cands: Vec<(u32, bool)> = Vec::new();
        let mut sources = 0;
        if let Some(v) = self.by_stem.get(stem) {
            cands.extend(v.iter().map(|&p| (p, true)));
            sources += 1;
        }
        if let Some(v) = self.by_exact.get(norm) {
            cands.extend(v.iter().map(|&p| (p, true)));
            sources += 1;
        }
        let key2 = first_chars(norm, 2);
        if let Some(v) = self.by_prefix.get(key2) {
            cands.extend(v.iter().map(|&p| (p, false)));
            sources += 1;
        }
        let key3 = first_chars(norm, 3);
        if key3.len() > key2.len()
            && let Some(v) = self.by_prefix.get(key3)
        {
            cands.extend(v.iter().map(|&p| (p, false)));
            sources += 1;
        }
        // Verified entries sort first for each pattern and survive the dedup. One source
        // lists each pattern once at most (repeats would be dropped with the hits below).
        if sources > 1 {
            cands.sort_unstable_by_key(|&(p, verified)| (p, !verified));
            cands.dedup_by_key(|c| c.0);
        }
        cands
            .into_iter()
            .filter(|&(p, verified)| {
                verified || self.patterns[p as usize].steps[0].index.matches(facts)
            })
            .map(|(p, _)| p)
            .collect()
    }

    /// What the lexicon says of a normalised word, its stem and its script: looked up once per
    /// distinct word (the tokenizer's word cache keeps it).
    pub(crate) fn facts(&self, norm: &str, stem: &str, cyrillic: bool) -> WordFacts {
        let sets = self.set_bits.get(norm).copied().unwrap_or(0);
        let has = |set: SetName| sets & (1 << set.index()) != 0;
        let cues = [
            (SetName::Negation, CUE_NEGATION),
            (SetName::Addressee, CUE_ADDRESSEE),
            (SetName::WhyOpener, CUE_WHY),
            (SetName::Thanks, CUE_THANKS),
            (SetName::ScareQuoteCue, CUE_SCARE_QUOTE),
        ]
        .into_iter()
        .filter(|&(set, _)| has(set))
        .fold(0, |acc, (_, bit)| acc | bit);
        let stem_id = self.word_ids.get(stem).copied().unwrap_or(NO_ID);
        let norm_id = self.word_ids.get(norm).copied().unwrap_or(NO_ID);
        // Every rule prefix the word starts with (the word itself included).
        let prefixes: Box<[u32]> = norm
            .char_indices()
            .skip(1)
            .map(|(i, _)| &norm[..i])
            .chain(std::iter::once(norm))
            .filter_map(|p| self.prefix_ids.get(p).copied())
            .collect();
        let sig = prefixes.iter().fold(
            SIG_ANY | Key::Stem(stem_id).sig() | Key::Exact(norm_id).sig(),
            |acc, &id| acc | Key::Prefix(id).sig(),
        );
        let mut facts = WordFacts {
            sets,
            cues,
            ru_imperative: cyrillic && self.is_ru_imperative_form(norm),
            past: self.is_past_form(norm, cyrillic),
            stem_id,
            norm_id,
            prefixes,
            sig,
            starts: Box::default(),
        };
        facts.starts = self.starts(norm, stem, &facts);
        facts
    }

    /// Runs every rule over the tokens of one sentence. `open`: the sentence does not end with
    /// "." or "!". `draft`: rules marked `@draft` take part.
    pub(crate) fn scan(&self, toks: &[Token], open: bool, draft: bool) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            for &p in &t.word.lex.starts {
                let pat = &self.patterns[p as usize];
                if (pat.anchored && !t.clause_start)
                    || (pat.flags.open_only && !open)
                    || (pat.flags.draft_only && !draft)
                {
                    continue;
                }
                if let Some(last) = match_rest(&pat.steps, 1, i, toks, 0) {
                    // `@cont`: the clause must go on after the match ("Look at", not "Look,").
                    if pat.flags.needs_more && toks.get(last + 1).is_none_or(|t| t.clause_start) {
                        continue;
                    }
                    hits.push(Hit {
                        rule: pat.rule,
                        flags: pat.flags,
                        first: i,
                        last,
                    });
                }
            }
        }
        // One hit per rule and place.
        hits.sort_by_key(|h| (h.rule, h.first, h.last));
        // `dedup_by` compares each hit with the last one kept.
        hits.dedup_by(|h, prev| prev.rule == h.rule && h.first <= prev.last);
        hits.sort_by_key(|h| (h.first, h.rule));
        hits
    }

    pub(crate) fn in_set(&self, set: SetName, word: &str) -> bool {
        self.set(set).contains(word)
    }

    /// A word set, to look words up without finding the set again for each word.
    pub(crate) fn set(&self, name: SetName) -> &FxSet<String> {
        static EMPTY: LazyLock<FxSet<String>> = LazyLock::new(FxSet::default);
        self.sets.get(name.index()).unwrap_or(&EMPTY)
    }

    /// Whether `word` (normalised) ends with one of the endings in `set`; the ending found.
    pub(crate) fn suffix_in(&self, set: SetName, word: &str) -> Option<&str> {
        self.set(set)
            .iter()
            .filter(|e| word.ends_with(e.as_str()))
            .max_by_key(|e| e.len())
            .map(String::as_str)
    }

    /// A Russian plural or polite imperative by its form ("верните", "сделайте", "исправьте"),
    /// not one of the listed look-alikes ("хотите", "сайте", "извините"). The one detector of
    /// the reader: sentence marks add their context checks on top; run-on splitting uses it as is.
    pub(crate) fn is_ru_imperative_form(&self, norm: &str) -> bool {
        let norm = self
            .suffix_in(SetName::ParticleSuffixRu, norm)
            .map_or(norm, |p| &norm[..norm.len() - p.len()]);
        norm.chars().count() >= 5
            && norm.chars().all(|c| matches!(c, 'а'..='я' | '-'))
            && self.suffix_in(SetName::ImperativeSuffixRu, norm).is_some()
            && !self.in_set(SetName::NotImperative, norm)
    }

    /// A past-tense form: "обещали", "прислал", "пропало" (the ending after a vowel, in a word of
    /// four letters or more: "была", not "был"), "delivered", or a listed English past form.
    pub(crate) fn is_past_form(&self, n: &str, cyrillic: bool) -> bool {
        let morph = if cyrillic {
            n.chars().count() >= 4
                && self.suffix_in(SetName::PastSuffixRu, n).is_some_and(|e| {
                    let stem: Vec<char> = n[..n.len() - e.len()].chars().collect();
                    stem.len() >= 2 && stem.last().is_some_and(|&c| "аеиоуыэюя".contains(c))
                })
        } else {
            n.len() >= 5
                && self.suffix_in(SetName::PastSuffixEn, n).is_some()
                && self.suffix_in(SetName::NotPastSuffixEn, n).is_none()
        };
        if morph {
            return !self.in_set(SetName::NotPast, n);
        }
        !cyrillic && self.in_set(SetName::Past, n)
    }

    /// "г*вно" → "говно": the first `@mask` root the starred word fits, plus its own ending.
    pub(crate) fn unmask(&self, masked: &str) -> Option<String> {
        let letters = masked.chars().filter(|&c| c != '*').count();
        if letters == 0 || masked.starts_with('*') {
            return None;
        }
        self.masks
            .iter()
            .find(|r| mask_matches(masked, r))
            .map(|r| {
                let rest: String = masked
                    .chars()
                    .skip(r.chars().count())
                    .filter(|&c| c != '*')
                    .collect();
                format!("{r}{rest}")
            })
    }
}

fn match_rest(
    steps: &[Step],
    k: usize,
    prev: usize,
    toks: &[Token],
    extra_gap: usize,
) -> Option<usize> {
    let Some(step) = steps.get(k) else {
        return Some(prev);
    };
    let from = prev + 1;
    let to = (from + step.gap + extra_gap + 1).min(toks.len());
    let window = toks.get(from..to).unwrap_or_default();
    for (off, t) in window.iter().enumerate() {
        if step.index.matches(&t.word.lex)
            && let Some(last) = match_rest(steps, k + 1, from + off, toks, 0)
        {
            return Some(last);
        }
    }
    if step.optional {
        return match_rest(steps, k + 1, prev, toks, extra_gap + step.gap + 1);
    }
    None
}

/// A Russian word matched by its Snowball stem (no `=`, no `*`) whose stem has five letters or
/// fewer: such stems collide ("пожалуй" and "пожалуюсь", "суд" and "судя").
fn is_short_ru_stem(a: &str) -> bool {
    if a.starts_with(['=', '$', '~'])
        || a.ends_with('*')
        || !a.chars().any(super::tokens::is_cyrillic)
    {
        return false;
    }
    let w = norm_word(a);
    !w.chars().any(|c| c.is_ascii_alphabetic()) && stem_word(&w).chars().count() <= 5
}

fn parse_alt(a: &str) -> Result<Alt, String> {
    if a.is_empty() {
        return Err("empty alternative".into());
    }
    if a == "~" {
        return Ok(Alt::Any);
    }
    if let Some(w) = a.strip_prefix('=') {
        return Ok(Alt::Exact(norm_word(w)));
    }
    if let Some(p) = a.strip_suffix('*') {
        if p.chars().count() < 2 {
            return Err(format!("prefix {a} is shorter than two letters"));
        }
        return Ok(Alt::Prefix(norm_word(p)));
    }
    Ok(Alt::Stem(stem_word(&norm_word(a)).to_string()))
}

fn parse_mark(mark: &str, id: &str) -> Result<Mark, String> {
    if mark == "-item" {
        return Ok(Mark::SuppressItem);
    }
    if let Some(l) = mark.strip_prefix('-') {
        return Label::parse(l)
            .map(Mark::Suppress)
            .ok_or_else(|| format!("unknown label {l}"));
    }
    if let Some(l) = Label::parse(mark) {
        return Ok(Mark::Label(l));
    }
    match mark {
        "item" => Item::from_id(id)
            .map(Mark::Item)
            .ok_or_else(|| format!("unknown item id {id}")),
        "sarcasm" => Ok(Mark::Draft(DraftFlagKind::Sarcasm)),
        "blame" => Ok(Mark::Draft(DraftFlagKind::Blame)),
        "admission" => Ok(Mark::Draft(DraftFlagKind::Admission)),
        "promise" => Ok(Mark::Draft(DraftFlagKind::Promise)),
        _ => Err(format!("unknown mark {mark}")),
    }
}

pub(crate) fn explanation(rule: &str, lang: Language) -> Option<&'static str> {
    let lex: &'static Lexicon = &LEXICON;
    lex.explanations.get(rule).map(|(en, ru)| match lang {
        Language::Ru => ru.as_str(),
        Language::En | Language::Mixed => en.as_str(),
    })
}

pub(crate) fn explained_rules() -> Vec<&'static str> {
    let lex: &'static Lexicon = &LEXICON;
    let mut v: Vec<&'static str> = lex.explanations.keys().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// The ids of all phrase rules (for the test that each has an explanation).
#[cfg(test)]
pub(crate) fn rule_ids() -> Vec<&'static str> {
    let lex: &'static Lexicon = &LEXICON;
    lex.rules.iter().map(|r| r.id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_parse() {
        let lex = Lexicon::parse(SOURCES).unwrap_or_else(|e| panic!("asset error: {e}"));
        assert!(lex.rules.len() > 40 && lex.patterns.len() > 300);
    }

    #[test]
    fn every_rule_is_explained_in_both_languages() {
        for id in rule_ids() {
            assert!(
                explanation(id, Language::En).is_some() && explanation(id, Language::Ru).is_some(),
                "no @explain for {id}"
            );
        }
    }

    #[test]
    fn bad_lines_are_reported_with_their_place() {
        let err = Lexicon::parse(&[("x.rules", "threat t.x : $NOPE")]).unwrap_err();
        assert!(err.contains("x.rules:1"), "{err}");
        assert!(Lexicon::parse(&[("x.rules", "threat t.x sue")]).is_err());
    }
}
