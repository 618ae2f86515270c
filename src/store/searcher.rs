//! Search off the UI thread, on a [`ReaderThread`]: a second, read-only connection to the same
//! file that answers the newest query only; a query overtaken by a keystroke is interrupted
//! rather than finished. A broad three-letter prefix over 100 000 entries takes tens of
//! milliseconds; here it never holds up a frame.

use std::path::Path;
use std::time::Duration;

use super::reader_thread::ReaderThread;
use super::{StoreError, StoreResult};
use crate::domain::search::{SearchHit, SearchOrder};

struct Request {
    generation: u64,
    query: String,
    order: SearchOrder,
    limit: usize,
}

/// The answer to one query.
#[derive(Debug)]
pub struct SearchAnswer {
    pub generation: u64,
    pub query: String,
    pub order: SearchOrder,
    pub hits: StoreResult<Vec<SearchHit>>,
    /// For best-match answers, `Some(n)` when the hits are the best among the newest `n`
    /// matches because there were more (`SearchResults::ranked_within`).
    pub ranked_within: Option<usize>,
}

/// The app's handle on the search worker. Dropping it stops the worker and waits for it, so
/// its connection is closed before the app's own one closes (and checkpoints) after it.
pub struct Searcher {
    thread: ReaderThread<Request, SearchAnswer>,
    latest: u64,
}

impl Searcher {
    /// Starts the worker on its own read-only connection to `path`. `on_answer` runs on the
    /// worker after each answer (the app asks egui to repaint).
    pub fn spawn(path: &Path, on_answer: impl Fn() + Send + 'static) -> StoreResult<Self> {
        let thread = ReaderThread::spawn(
            path,
            "calmdesk-search",
            |store, request: Request| {
                let results = store.search_results(&request.query, request.order, request.limit);
                if results.as_ref().is_err_and(StoreError::is_interrupted) {
                    return None;
                }
                let (hits, ranked_within) = match results {
                    Ok(results) => (Ok(results.hits), results.ranked_within),
                    Err(error) => (Err(error), None),
                };
                Some(SearchAnswer {
                    generation: request.generation,
                    query: request.query,
                    order: request.order,
                    hits,
                    ranked_within,
                })
            },
            on_answer,
        )?;
        Ok(Self { thread, latest: 0 })
    }

    /// Asks for a search; any query still running is interrupted.
    pub fn request(&mut self, query: String, order: SearchOrder, limit: usize) {
        self.latest += 1;
        self.thread.request(Request {
            generation: self.latest,
            query,
            order,
            limit,
        });
    }

    /// The answer to the newest query, if it has arrived; older answers are dropped.
    pub fn take_answer(&mut self) -> Option<SearchAnswer> {
        let latest = self.latest;
        self.thread
            .take_answers()
            .into_iter()
            .rfind(|answer| answer.generation == latest)
    }

    /// Waits for the answer to the newest query (for tests: a synchronisation, not a sleep).
    pub fn wait_for_answer(&mut self, timeout: Duration) -> Option<SearchAnswer> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            let answer = self.thread.wait_for_answer(left)?;
            if answer.generation == self.latest {
                return Some(answer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
    use crate::store::Store;
    use chrono::{TimeZone, Utc};
    use std::time::Duration;

    #[test]
    fn the_worker_answers_the_newest_query_and_sees_new_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calmdesk.sqlite3");
        let mut store = Store::open(&path).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let client_id = store
            .add_client(
                &ClientInput {
                    name: "Acme".into(),
                    ..ClientInput::default()
                }
                .parse()
                .unwrap(),
                now,
            )
            .unwrap();
        let mut searcher = Searcher::spawn(&path, || {}).unwrap();
        let entry = |body: &str| ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: now,
            minutes: Minutes::new(1).unwrap(),
            body: body.into(),
        };
        store
            .add_exchange(client_id, &entry("refund please"), now)
            .unwrap();
        searcher.request("ref".into(), SearchOrder::BestMatch, 10);
        searcher.request("refund".into(), SearchOrder::Newest, 10);
        let answer = searcher
            .wait_for_answer(Duration::from_secs(10))
            .expect("answered");
        assert_eq!(answer.query, "refund");
        assert_eq!(answer.order, SearchOrder::Newest);
        assert_eq!(answer.hits.unwrap().len(), 1);

        store
            .add_exchange(client_id, &entry("another refund"), now)
            .unwrap();
        searcher.request("refund".into(), SearchOrder::BestMatch, 10);
        let answer = searcher
            .wait_for_answer(Duration::from_secs(10))
            .expect("answered");
        assert_eq!(
            answer.hits.unwrap().len(),
            2,
            "the reader sees what the app wrote"
        );
    }
}
