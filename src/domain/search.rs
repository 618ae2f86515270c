//! Search across every journal as the views and the store both see it: the order, one result
//! with its highlighted snippet, and the rule for when typing is specific enough to search on
//! every keystroke. How a query becomes FTS5 syntax is the store's business.

use chrono::{DateTime, Utc};

use super::client::ClientStatus;
use super::exchange::Direction;
use super::ids::{ClientId, ExchangeId};

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SearchOrder {
    /// bm25 relevance, best first.
    #[default]
    BestMatch,
    /// Most recent first.
    Newest,
}

/// A piece of a result's snippet; `is_match` marks the words that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub is_match: bool,
}

/// One journal entry that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    pub exchange_id: ExchangeId,
    pub client_id: ClientId,
    pub client_name: String,
    pub client_status: ClientStatus,
    pub direction: Direction,
    pub occurred_at: DateTime<Utc>,
    pub snippet: Vec<SnippetPart>,
}

/// How many of the newest matches a best-match search ranks at most. bm25 is worked out for
/// each candidate; over a million entries a broad prefix matches hundreds of thousands, so the
/// best are chosen among the newest this many (docs/PERFORMANCE.md has the times).
pub const RANKED_CANDIDATES: usize = 5_000;

/// What a search found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// `Some(n)` when the best matches were chosen among the newest `n` because there were
    /// more matches than that (`RANKED_CANDIDATES`); `None` when every match was considered.
    pub ranked_within: Option<usize>,
}

/// Whether a query is narrow enough to run on every keystroke: some word has 3 or more letters.
/// One- and two-letter prefixes match much of a large journal (tens of milliseconds at 100 000
/// entries, see docs/PERFORMANCE.md), so those run only when the user presses Enter.
pub fn is_specific_enough(typed: &str) -> bool {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_prefixes_wait_for_enter() {
        assert!(!is_specific_enough("ип"));
        assert!(!is_specific_enough("a b"));
        assert!(is_specific_enough("акт"));
        assert!(is_specific_enough("ип акт"));
    }
}
