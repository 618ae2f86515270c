//! Full-text search over every journal, through the FTS5 index.
//!
//! What the user types is never passed to FTS5 as syntax: it is cut into words and each word
//! becomes a group of quoted prefix terms, so `"` or `AND` in a search box cannot break the
//! query. A word finds its other forms: the group holds the word and its Snowball stem
//! (`reading::search_stem`), both as prefixes — «жалоба» finds «жалобу», «ноябрь» finds
//! «ноября», "invoice" finds "invoicing" — and, since the index keeps `ё` apart from `е`, each
//! spelling with one `ё` («еще» finds «ещё», and the reverse). The snippet highlights the words
//! as they are written.

use rusqlite::params;

use super::{Store, StoreResult, time};
use crate::domain::search::{SearchHit, SearchOrder, SnippetPart};
use crate::domain::{ClientId, ClientStatus, Direction, ExchangeId};
use crate::reading::search_stem;

const MATCH_START: char = '\u{2}';
const MATCH_END: char = '\u{3}';

/// How many `е` of a word are tried as `ё` (one at a time): enough for any real word.
const YO_PLACES: usize = 6;

/// Turns typed text into an FTS5 query: one group per word, all required.
/// `None` when there is no word to look for.
pub fn fts_query(typed: &str) -> Option<String> {
    let groups: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(16)
        .map(word_group)
        .collect();
    // FTS5 takes a parenthesised group only after an explicit AND.
    (!groups.is_empty()).then(|| groups.join(" AND "))
}

/// The prefix terms that find one typed word in any of its forms and spellings.
fn word_group(word: &str) -> String {
    let folded = word.to_lowercase().replace('ё', "е");
    let mut forms = Vec::new();
    match search_stem(&folded) {
        // The stem is where every form starts: it alone finds them all.
        Some(stem) if folded.starts_with(&stem) => forms.push(stem),
        // English sometimes rewrites an ending ("happy" -> "happi"): both, then.
        Some(stem) => forms.extend([folded, stem]),
        None => forms.push(folded),
    }
    let mut terms: Vec<String> = forms
        .iter()
        .flat_map(|form| spellings(form))
        .map(|spelling| format!("\"{spelling}\"*"))
        .collect();
    terms.dedup();
    if terms.len() == 1 {
        terms.remove(0)
    } else {
        format!("({})", terms.join(" OR "))
    }
}

/// `form` as written with `е` only, and with each of its first `YO_PLACES` `е` as `ё`.
fn spellings(form: &str) -> Vec<String> {
    let mut out = vec![form.to_string()];
    for (at, _) in form.match_indices('е').take(YO_PLACES) {
        out.push(format!("{}ё{}", &form[..at], &form[at + 'е'.len_utf8()..]));
    }
    out
}

fn parse_snippet(raw: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut is_match = false;
    for c in raw.chars() {
        if c == MATCH_START || c == MATCH_END {
            if !current.is_empty() {
                parts.push(SnippetPart {
                    text: std::mem::take(&mut current),
                    is_match,
                });
            }
            is_match = c == MATCH_START;
        } else if c == '\n' || c == '\r' || c == '\t' {
            current.push(' ');
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart {
            text: current,
            is_match,
        });
    }
    parts
}

impl Store {
    /// Entries of every client whose text contains all the typed words (as prefixes).
    pub fn search(
        &self,
        typed: &str,
        order: SearchOrder,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        let Some(query) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        let order_by = match order {
            SearchOrder::BestMatch => "exchanges_fts.rank",
            SearchOrder::Newest => "e.occurred_at DESC, e.exchange_id DESC",
        };
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT e.exchange_id, e.client_id, c.name, c.status, e.direction, e.occurred_at, \
               snippet(exchanges_fts, 0, char(2), char(3), '…', 14) \
             FROM exchanges_fts \
             JOIN exchanges e ON e.exchange_id = exchanges_fts.rowid \
             JOIN clients c ON c.client_id = e.client_id \
             WHERE exchanges_fts MATCH ?1 ORDER BY {order_by} LIMIT ?2"
        ))?;
        let rows = statement.query_map(params![query, limit as i64], |row| {
            let status: String = row.get(3)?;
            let direction: String = row.get(4)?;
            let snippet: String = row.get(6)?;
            Ok(SearchHit {
                exchange_id: ExchangeId(row.get(0)?),
                client_id: ClientId(row.get(1)?),
                client_name: row.get(2)?,
                client_status: ClientStatus::parse(&status).unwrap_or(ClientStatus::Active),
                direction: Direction::parse(&direction).unwrap_or_default(),
                occurred_at: time::column(row, 5)?,
                snippet: parse_snippet(&snippet),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn snippets_split_into_marked_parts() {
        let parts = parse_snippet("…we want a \u{2}refund\u{3} now\n");
        assert_eq!(
            parts,
            vec![
                SnippetPart {
                    text: "…we want a ".into(),
                    is_match: false
                },
                SnippetPart {
                    text: "refund".into(),
                    is_match: true
                },
                SnippetPart {
                    text: " now ".into(),
                    is_match: false
                },
            ]
        );
    }
}
