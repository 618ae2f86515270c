//! Full-text search over every journal, through the FTS5 index.
//!
//! What the user types is never passed to FTS5 as syntax: it is cut into words and each word
//! becomes a group of quoted prefix terms, so `"` or `AND` in a search box cannot break the
//! query. A word finds its other forms: the group holds the word and its Snowball stem
//! (`reading::search_stem`), both as prefixes — «жалоба» finds «жалобу», «ноябрь» finds
//! «ноября», "invoice" finds "invoicing" — and, since the index keeps `ё` apart from `е`, each
//! spelling with one `ё` («еще» finds «ещё», and the reverse). The snippet highlights the words
//! as they are written.

use rusqlite::{OptionalExtension as _, params};

use super::{Store, StoreResult, terms, time};
use crate::domain::search::{
    RANKED_CANDIDATES, SearchHit, SearchOrder, SearchResults, SnippetPart,
};
use crate::domain::{ClientId, ClientStatus, Direction, ExchangeId};
use crate::reading::search_stem;

/// How many `е` of a word are tried as `ё` (one at a time): enough for any real word.
const YO_PLACES: usize = 6;

/// One term of the FTS5 query: a prefix, or one of the whole words a longer prefix starts
/// (looked up in the index's words, `store::terms`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Asked {
    Prefix(String),
    Word(String),
}

impl Asked {
    fn fts(&self) -> String {
        match self {
            Self::Prefix(prefix) => format!("{}*", terms::phrase(prefix)),
            Self::Word(word) => terms::phrase(word),
        }
    }
}

/// The FTS5 query for the typed words (see [`typed_terms`]): one group per word, all required.
/// `None` when there is no word to look for.
fn query_of(asked: &[Vec<Asked>]) -> Option<String> {
    let groups: Vec<String> = asked
        .iter()
        .map(|terms| {
            let quoted: Vec<String> = terms.iter().map(Asked::fts).collect();
            if quoted.len() == 1 {
                quoted[0].clone()
            } else {
                format!("({})", quoted.join(" OR "))
            }
        })
        .collect();
    // FTS5 takes a parenthesised group only after an explicit AND.
    (!groups.is_empty()).then(|| groups.join(" AND "))
}

/// The typed words' prefixes as they are, each asked as a prefix.
fn as_prefixes(terms: &[Vec<String>]) -> Vec<Vec<Asked>> {
    terms
        .iter()
        .map(|group| group.iter().cloned().map(Asked::Prefix).collect())
        .collect()
}

/// The longest prefix FTS5 answers from a prefix index of its own (`prefix = '2 3'`).
const INDEXED_PREFIX_CHARS: usize = 3;

/// A prefix that starts more words than this is asked as a prefix: that many whole words cost
/// about what one merge does.
const MAX_WORDS_PER_PREFIX: usize = 64;

/// For each typed word (at most 16), the prefixes that find it in any of its forms and spellings.
fn typed_terms(typed: &str) -> Vec<Vec<String>> {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(16)
        .map(word_terms)
        .collect()
}

/// The prefixes that find one typed word in any of its forms and spellings.
fn word_terms(word: &str) -> Vec<String> {
    let folded = word.to_lowercase().replace('ё', "е");
    let mut forms = Vec::new();
    match search_stem(&folded) {
        // The stem is where every form starts: it alone finds them all.
        Some(stem) if folded.starts_with(&stem) => forms.push(stem),
        // English sometimes rewrites an ending ("happy" -> "happi"): both, then.
        Some(stem) => forms.extend([folded, stem]),
        None => forms.push(folded),
    }
    let mut terms: Vec<String> = forms.iter().flat_map(|form| spellings(form)).collect();
    terms.dedup();
    terms
}

/// `form` as written with `е` only, and with each of its first `YO_PLACES` `е` as `ё`.
fn spellings(form: &str) -> Vec<String> {
    let mut out = vec![form.to_string()];
    for (at, _) in form.match_indices('е').take(YO_PLACES) {
        out.push(format!("{}ё{}", &form[..at], &form[at + 'е'.len_utf8()..]));
    }
    out
}

/// How many words a snippet shows, and how many of them before the first match.
const SNIPPET_WORDS: usize = 14;
const SNIPPET_LEAD: usize = 3;

/// The words of `body` (runs of letters and digits, as FTS5's `unicode61` reads them), as byte
/// ranges.
fn words(body: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = body.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|&(_, c)| is_word_char(c))?;
        let mut end = body.len();
        while let Some(&(at, c)) = chars.peek() {
            if !is_word_char(c) {
                end = at;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// Whether `word`, lower-cased, starts with `prefix` (lower case already): char by char, without
/// lower-casing the whole word into a new string (the snippet asks it of every word it reads).
fn starts_with_lowered(word: &str, prefix: &str) -> bool {
    let mut expected = prefix.chars();
    for c in word.chars() {
        let mut lowered = [c; 3];
        let lowered: &[char] = match simple_lower(c) {
            Some(lower) => {
                lowered[0] = lower;
                &lowered[..1]
            }
            None => {
                let mut count = 0;
                for lower in c.to_lowercase() {
                    lowered[count] = lower;
                    count += 1;
                }
                &lowered[..count]
            }
        };
        for &lower in lowered {
            match expected.next() {
                None => return true,
                Some(wanted) if wanted == lower => {}
                Some(_) => return false,
            }
        }
    }
    expected.next().is_none()
}

/// The lower case of an ASCII or a basic Cyrillic letter (most of what mail is written in),
/// without the Unicode tables; `None` for any other character.
fn simple_lower(c: char) -> Option<char> {
    match c {
        'A'..='Z' | 'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'Ё' => Some('ё'),
        c if c.is_ascii() || ('а'..='я').contains(&c) || c == 'ё' => Some(c),
        _ => None,
    }
}

/// Whether FTS5's `unicode61` reads `c` as part of a word: letters and digits. ASCII and the
/// basic Cyrillic letters without the Unicode tables (the snippet asks it of every character
/// up to the first match).
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | 'А'..='я' | 'ё' | 'Ё' => true,
        c if c.is_ascii() => false,
        c => c.is_alphanumeric(),
    }
}

/// A few words of `body` around its first match (all of a short text), with every word any of
/// `terms` starts highlighted as it is written; "…" where the body goes on. Line breaks read as
/// spaces. Words are read only up to the end of the window, however long the text.
fn snippet_of(body: &str, terms: &[Vec<String>]) -> Vec<SnippetPart> {
    // Most words start with a letter no term starts with: one lowered letter tells.
    let firsts: Vec<char> = terms
        .iter()
        .flatten()
        .filter_map(|term| term.chars().next())
        .collect();
    let matches = |word: &str| {
        let first = word
            .chars()
            .next()
            .and_then(|c| simple_lower(c).or_else(|| c.to_lowercase().next()));
        first.is_some_and(|first| firsts.contains(&first))
            && terms
                .iter()
                .flatten()
                .any(|term| starts_with_lowered(word, term))
    };
    // Each word with whether it matched, up to a window's worth past the first match.
    let mut words = words(body);
    let mut seen: Vec<(usize, usize, bool)> = Vec::new();
    let mut first = None;
    for (s, e) in words.by_ref() {
        let is_match = matches(&body[s..e]);
        seen.push((s, e, is_match));
        if is_match && first.is_none() {
            first = Some(seen.len() - 1);
        }
        if first.is_some_and(|first| seen.len() >= first + SNIPPET_WORDS) {
            break;
        }
    }
    let more = words.next().is_some();
    // A few words before the first match, and no fewer words shown near the end of the text.
    let mut from = first.unwrap_or(0).saturating_sub(SNIPPET_LEAD);
    if !more {
        from = from.min(seen.len().saturating_sub(SNIPPET_WORDS));
    }
    let shown = &seen[from..seen.len().min(from + SNIPPET_WORDS)];
    let (Some(&(start, _, _)), Some(&(_, last_end, _))) = (shown.first(), shown.last()) else {
        return Vec::new();
    };
    let end = if !more && from + SNIPPET_WORDS >= seen.len() {
        body.len()
    } else {
        last_end
    };
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |text: &str, is_match: bool| {
        let text = text.replace(['\n', '\r', '\t'], " ");
        match parts.last_mut() {
            Some(last) if last.is_match == is_match && !is_match => last.text.push_str(&text),
            _ if text.is_empty() => {}
            _ => parts.push(SnippetPart { text, is_match }),
        }
    };
    if from > 0 {
        push("…", false);
    }
    let mut at = start;
    for &(s, e, is_match) in shown {
        push(&body[at..s], false);
        push(&body[s..e], is_match);
        at = e;
    }
    push(&body[at..end], false);
    if end < body.len() {
        push("…", false);
    }
    parts
}

/// The search keys of the newest matches of `?1`, at most `?2`, newest first: the index's own
/// order read backwards (its rowid is each entry's search key, migration 9), so FTS5 stops at
/// the limit instead of sorting every match.
const NEWEST_SQL: &str = "SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?1 \
     ORDER BY rowid DESC LIMIT ?2";

/// The newest matches of `?1` (at most `?2`) with their bm25 score (lower is better).
const CANDIDATES_SQL: &str = "SELECT rowid, bm25(exchanges_fts) FROM exchanges_fts \
     WHERE exchanges_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2";

/// The FTS5 query [`Store::search`] runs for `typed`; `None` when there is no word in it. For
/// benchmarks that time the same query straight on FTS5.
#[doc(hidden)]
pub fn fts_query_of(typed: &str) -> Option<String> {
    query_of(&as_prefixes(&typed_terms(typed)))
}

/// The entry a search key names: its low 31 bits (see migration 9).
fn id_of_key(key: i64) -> i64 {
    key & 0x7FFF_FFFF
}

impl Store {
    /// What to ask FTS5 for each typed prefix: a prefix longer than FTS5's own prefix indexes
    /// becomes the whole words it starts when the index's words are complete (no entry waits to
    /// have its words added) and they are few; otherwise the prefix itself. A prefix that
    /// starts no listed word stays a prefix too: a prefix the tokenizer would write differently
    /// (a letter it folds) can start no listed word, since every listed word is the tokenizer's
    /// own output — FTS5 then folds it as it reads the query.
    fn asked_terms(&self, terms: &[Vec<String>]) -> StoreResult<Vec<Vec<Asked>>> {
        if terms::words_waiting(&self.conn)? {
            return Ok(as_prefixes(terms));
        }
        let mut words = self.conn.prepare_cached(
            "SELECT term FROM search_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3",
        )?;
        let cap = i64::try_from(MAX_WORDS_PER_PREFIX + 1).unwrap_or(i64::MAX);
        let mut asked = Vec::with_capacity(terms.len());
        for group in terms {
            let mut group_asked = Vec::new();
            for prefix in group {
                if prefix.chars().count() <= INDEXED_PREFIX_CHARS {
                    group_asked.push(Asked::Prefix(prefix.clone()));
                    continue;
                }
                // Every word that starts with `prefix` sorts from it up to it followed by the
                // last code point (a non-character, never part of a word).
                let upper = format!("{prefix}\u{10FFFF}");
                let found: Vec<String> = words
                    .query_map(params![prefix, upper, cap], |row| row.get(0))?
                    .collect::<Result<_, _>>()?;
                if found.is_empty() || found.len() > MAX_WORDS_PER_PREFIX {
                    group_asked.push(Asked::Prefix(prefix.clone()));
                } else {
                    group_asked.extend(found.into_iter().map(Asked::Word));
                }
            }
            asked.push(group_asked);
        }
        Ok(asked)
    }

    /// The FTS5 query [`Store::search`] asks for `typed` on this file now (whole words where
    /// the index's words allow, see `asked_terms`); `None` when there is no word in it. For
    /// tests that hold it to the prefixes' matches.
    #[doc(hidden)]
    pub fn asked_query(&self, typed: &str) -> StoreResult<Option<String>> {
        Ok(query_of(&self.asked_terms(&typed_terms(typed))?))
    }

    /// The ids of the `limit` newest or best matches of `query`, and for the best ones, how many
    /// newest matches they were chosen from when there were more.
    fn search_ids(
        &self,
        query: &str,
        order: SearchOrder,
        limit: usize,
    ) -> StoreResult<(Vec<i64>, Option<usize>)> {
        let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
        if order == SearchOrder::Newest {
            let ids = self
                .conn
                .prepare_cached(NEWEST_SQL)?
                .query_map(params![query, limit_sql], |row| row.get(0).map(id_of_key))?
                .collect::<Result<_, _>>()?;
            return Ok((ids, None));
        }
        // bm25 for every match of a broad prefix (hundreds of thousands at a million entries)
        // costs seconds: the newest `RANKED_CANDIDATES` are ranked, and the answer says so when
        // there were more.
        let wanted = i64::try_from(RANKED_CANDIDATES + 1).unwrap_or(i64::MAX);
        let mut candidates: Vec<(i64, f64)> = self
            .conn
            .prepare_cached(CANDIDATES_SQL)?
            .query_map(params![query, wanted], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let ranked_within = (candidates.len() > RANKED_CANDIDATES).then(|| {
            candidates.truncate(RANKED_CANDIDATES);
            RANKED_CANDIDATES
        });
        // Best first; equally good ones newest first.
        candidates.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let ids = candidates
            .iter()
            .take(limit)
            .map(|&(key, _)| id_of_key(key))
            .collect();
        Ok((ids, ranked_within))
    }

    /// The reference a benchmark measures search against: `query` (FTS5 syntax) straight on
    /// FTS5 on this connection, its rowids only — newest first by rowid, or best first by
    /// bm25 over every match — with none of the search's own work.
    #[doc(hidden)]
    pub fn raw_fts_rowids(
        &self,
        query: &str,
        order: SearchOrder,
        limit: usize,
    ) -> StoreResult<Vec<i64>> {
        let sql = match order {
            SearchOrder::Newest => NEWEST_SQL,
            SearchOrder::BestMatch => {
                "SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?1 \
                 ORDER BY rank LIMIT ?2"
            }
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rowids = self
            .conn
            .prepare_cached(sql)?
            .query_map(params![query, limit], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rowids)
    }

    /// Entries of every client whose text contains all the typed words (in any of their forms):
    /// the hits of [`Store::search_results`].
    pub fn search(
        &self,
        typed: &str,
        order: SearchOrder,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        Ok(self.search_results(typed, order, limit)?.hits)
    }

    /// Entries of every client whose text contains all the typed words (in any of their forms),
    /// the `limit` newest, or the `limit` best among the newest `RANKED_CANDIDATES` matches
    /// (`ranked_within` says when there were more).
    ///
    /// Two steps: the ids of the hits, then those entries and their snippets. One query that
    /// also read the texts would read every match's text before the sort and the limit.
    pub fn search_results(
        &self,
        typed: &str,
        order: SearchOrder,
        limit: usize,
    ) -> StoreResult<SearchResults> {
        let terms = typed_terms(typed);
        // One snapshot for the words looked up and the matches: a write in between cannot
        // bring an entry whose words the lookup did not see.
        let _snapshot = self.conn.unchecked_transaction()?;
        let Some(query) = query_of(&self.asked_terms(&terms)?) else {
            return Ok(SearchResults::default());
        };
        let (ids, ranked_within) = self.search_ids(&query, order, limit)?;
        let mut statement = self.conn.prepare_cached(
            "SELECT e.exchange_id, e.client_id, c.name, c.status, e.direction, e.occurred_at, \
               e.body \
             FROM exchanges e JOIN clients c ON c.client_id = e.client_id \
             WHERE e.exchange_id = ?1",
        )?;
        let mut hits = Vec::with_capacity(ids.len());
        for exchange_id in ids {
            let hit = statement.query_row(params![exchange_id], |row| {
                let status: String = row.get(3)?;
                let direction: String = row.get(4)?;
                // Read in place, not copied out: only the snippet is kept.
                let body = row.get_ref(6)?.as_str().map_err(|error| {
                    rusqlite::Error::FromSqlConversionFailure(
                        6,
                        rusqlite::types::Type::Text,
                        Box::new(error),
                    )
                })?;
                Ok(SearchHit {
                    exchange_id: ExchangeId(row.get(0)?),
                    client_id: ClientId(row.get(1)?),
                    client_name: row.get(2)?,
                    client_status: ClientStatus::parse(&status).unwrap_or(ClientStatus::Active),
                    direction: Direction::parse(&direction).unwrap_or_default(),
                    occurred_at: time::column(row, 5)?,
                    snippet: snippet_of(body, &terms),
                })
            });
            // An entry deleted between the two steps (another window wrote) is left out
            // rather than failing the search.
            if let Some(hit) = hit.optional()? {
                hits.push(hit);
            }
        }
        Ok(SearchResults {
            hits,
            ranked_within,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts_query(typed: &str) -> Option<String> {
        query_of(&as_prefixes(&typed_terms(typed)))
    }

    #[test]
    fn the_quick_letter_checks_agree_with_unicode() {
        for c in (0..0x2000).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            if let Some(lower) = simple_lower(c) {
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [lower], "{c:?}");
            }
        }
        assert!(starts_with_lowered("ПРЕТЕНЗИЮ", "претенз"));
        assert!(starts_with_lowered("İstanbul", "i\u{307}st"));
        assert!(!starts_with_lowered("претензия", "претенз\u{44f}я"));
        assert!(starts_with_lowered("Ёлка", "ёл"));
        assert!(!starts_with_lowered("ел", "ело"));
    }

    #[test]
    fn typed_text_becomes_safe_prefix_terms() {
        assert_eq!(
            fts_query("верните деньги"),
            Some("(\"верн\"* OR \"вёрн\"*) AND (\"деньг\"* OR \"дёньг\"*)".into())
        );
        assert_eq!(
            fts_query("\"refund\" AND (lawyer"),
            Some("\"refund\"* AND \"and\"* AND \"lawyer\"*".into())
        );
        assert_eq!(fts_query("  ?!  "), None);
    }

    #[test]
    fn a_word_is_looked_for_in_its_forms_and_spellings() {
        // A Russian word: its stem, which every form starts with.
        assert_eq!(fts_query("жалоба"), Some("\"жалоб\"*".into()));
        // An English ending Snowball rewrites: the word and the stem.
        assert_eq!(
            fts_query("happy"),
            Some("(\"happy\"* OR \"happi\"*)".into())
        );
        // ё and е are one letter to the reader, two to the index: each spelling.
        assert_eq!(fts_query("ещё"), fts_query("еще"));
        assert_eq!(
            fts_query("еще"),
            Some("(\"еще\"* OR \"ёще\"* OR \"ещё\"*)".into())
        );
        // Numbers and short words are looked for as typed.
        assert_eq!(fts_query("2026"), Some("\"2026\"*".into()));
        assert_eq!(fts_query("of"), Some("\"of\"*".into()));
    }

    #[test]
    fn newest_first_is_the_index_order_read_backwards_without_a_sort() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {NEWEST_SQL}"))
            .unwrap()
            .query_map(params!["\"de\"*", 100], |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().all(|step| !step.contains("TEMP B-TREE")),
            "{plan:?}"
        );
        assert_eq!(id_of_key((1_700_000_000 << 31) | 42), 42);
    }

    #[test]
    fn a_snippet_shows_words_around_the_first_match_with_every_match_as_written() {
        let terms = typed_terms("refund");
        let parts = snippet_of("We want a\nRefund now, the refund.", &terms);
        let text: String = parts.iter().map(|part| part.text.as_str()).collect();
        assert_eq!(text, "We want a Refund now, the refund.");
        let matched: Vec<&str> = parts
            .iter()
            .filter(|part| part.is_match)
            .map(|part| part.text.as_str())
            .collect();
        assert_eq!(matched, ["Refund", "refund"]);

        // A long text: a few words before the first match, "…" on both sides.
        let long = format!("{}деньги {}", "слово ".repeat(40), "ещё ".repeat(40));
        let parts = snippet_of(&long, &typed_terms("деньгами"));
        let text: String = parts.iter().map(|part| part.text.as_str()).collect();
        assert!(text.starts_with("…слово слово слово деньги ещё"), "{text}");
        assert!(text.ends_with('…'), "{text}");
        assert_eq!(text.split_whitespace().count(), SNIPPET_WORDS);
        assert_eq!(parts.iter().filter(|part| part.is_match).count(), 1);

        // A match near the end of a long text: a full window, ending where the text ends.
        let late = format!("{}деньги ещё.", "слово ".repeat(40));
        let parts = snippet_of(&late, &typed_terms("деньгами"));
        let text: String = parts.iter().map(|part| part.text.as_str()).collect();
        assert!(
            text.starts_with('…') && text.ends_with("деньги ещё."),
            "{text}"
        );
        assert_eq!(text.split_whitespace().count(), SNIPPET_WORDS);
    }
}
