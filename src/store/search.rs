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

use super::{Store, StoreResult, time};
use crate::domain::search::{SearchHit, SearchOrder, SnippetPart};
use crate::domain::{ClientId, ClientStatus, Direction, ExchangeId};
use crate::reading::search_stem;

/// How many `е` of a word are tried as `ё` (one at a time): enough for any real word.
const YO_PLACES: usize = 6;

/// The FTS5 query for the typed words' prefix terms (see [`typed_terms`]): one group per word,
/// all required. `None` when there is no word to look for.
fn query_of(terms: &[Vec<String>]) -> Option<String> {
    let groups: Vec<String> = terms
        .iter()
        .map(|terms| {
            let quoted: Vec<String> = terms.iter().map(|term| format!("\"{term}\"*")).collect();
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
        let (start, _) = chars.find(|&(_, c)| c.is_alphanumeric())?;
        let mut end = body.len();
        while let Some(&(at, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = at;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// A few words of `body` around its first match (all of a short text), with every word any of
/// `terms` starts highlighted as it is written; "…" where the body goes on. Line breaks read as
/// spaces. Words are read only up to the end of the window, however long the text.
fn snippet_of(body: &str, terms: &[Vec<String>]) -> Vec<SnippetPart> {
    let matches = |word: &str| {
        let lower = word.to_lowercase();
        terms
            .iter()
            .flatten()
            .any(|term| lower.starts_with(term.as_str()))
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

/// The ids of the best or newest matches of `?1`, at most `?2`.
fn ids_sql(order: SearchOrder) -> String {
    let order_by = match order {
        SearchOrder::BestMatch => "exchanges_fts.rank",
        SearchOrder::Newest => "e.occurred_at DESC, e.exchange_id DESC",
    };
    // Each match's time comes from the small (id, time) index (migration 6), not from the
    // table's leaves that hold the texts; without statistics SQLite would pick the table.
    format!(
        "SELECT e.exchange_id FROM exchanges_fts \
         JOIN exchanges e INDEXED BY exchanges_time_by_id ON e.exchange_id = exchanges_fts.rowid \
         WHERE exchanges_fts MATCH ?1 ORDER BY {order_by} LIMIT ?2"
    )
}

impl Store {
    /// Entries of every client whose text contains all the typed words (in any of their forms).
    ///
    /// Two steps: the ids of the `limit` best (or newest) matches, then those entries and
    /// their snippets. One query that also read the texts would read every match's text
    /// before the sort and the limit: at a million entries a common word has a hundred thousand.
    pub fn search(
        &self,
        typed: &str,
        order: SearchOrder,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        let terms = typed_terms(typed);
        let Some(query) = query_of(&terms) else {
            return Ok(Vec::new());
        };
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(&ids_sql(order))?
            .query_map(params![query, limit as i64], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
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
                let body: String = row.get(6)?;
                Ok(SearchHit {
                    exchange_id: ExchangeId(row.get(0)?),
                    client_id: ClientId(row.get(1)?),
                    client_name: row.get(2)?,
                    client_status: ClientStatus::parse(&status).unwrap_or(ClientStatus::Active),
                    direction: Direction::parse(&direction).unwrap_or_default(),
                    occurred_at: time::column(row, 5)?,
                    snippet: snippet_of(&body, &terms),
                })
            });
            // An entry deleted between the two steps (another window wrote) is left out
            // rather than failing the search.
            if let Some(hit) = hit.optional()? {
                hits.push(hit);
            }
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts_query(typed: &str) -> Option<String> {
        query_of(&typed_terms(typed))
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
    fn newest_first_reads_each_matchs_time_from_the_small_index_not_the_texts() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN {}",
                ids_sql(SearchOrder::Newest)
            ))
            .unwrap()
            .query_map(params!["\"de\"*", 100], |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("COVERING INDEX exchanges_time_by_id")),
            "{plan:?}"
        );
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
