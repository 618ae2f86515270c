//! Full-text search over every journal, through the FTS5 index.
//!
//! What the user types is never passed to FTS5 as syntax: it is cut into words and each word
//! becomes a quoted prefix term, so `"` or `AND` in a search box cannot break the query, and
//! Russian stems match their endings ("деньг" finds "деньги", "деньгами").

use rusqlite::params;

use super::{Store, StoreResult, time};
use crate::domain::search::{SearchHit, SearchOrder, SnippetPart};
use crate::domain::{ClientId, ClientStatus, Direction, ExchangeId};

const MATCH_START: char = '\u{2}';
const MATCH_END: char = '\u{3}';

/// Turns typed text into an FTS5 query of quoted prefix terms, all required.
/// `None` when there is no word to look for.
pub fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(16)
        .map(|word| format!("\"{word}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
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
            Some("\"верните\"* \"деньги\"*".into())
        );
        assert_eq!(
            fts_query("\"refund\" AND (lawyer"),
            Some("\"refund\"* \"AND\"* \"lawyer\"*".into())
        );
        assert_eq!(fts_query("  ?!  "), None);
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
