//! Database files filled for a test: a client's journal, and one whose search index is in one
//! piece per saved entry, as a file written in many batches is.

use calmdesk::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use chrono::{TimeZone as _, Utc};

/// When the entries were written and say they happened.
fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap()
}

/// Adds the client Acme to the file at `path` with `count` messages: "message 0", "message 1"…
pub fn client_with_entries(path: &std::path::Path, count: usize) {
    let mut store = Store::open(path).unwrap();
    let draft = ClientInput {
        name: "Acme".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&draft, at()).unwrap();
    for index in 0..count {
        let entry = ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: at(),
            minutes: Minutes::new(5).unwrap(),
            body: format!("message {index}"),
        };
        store.add_exchange(client_id, &entry, at()).unwrap();
    }
}

/// A file whose search index is in one piece per saved entry (FTS5's own merging switched off
/// on it): [`client_with_entries`] of `count`. FTS5 still merges a level of 16 pieces whatever
/// its settings.
pub fn file_in_pieces(path: &std::path::Path, count: usize) {
    drop(Store::open(path).unwrap());
    rusqlite::Connection::open(path)
        .unwrap()
        .execute(
            "INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('automerge', 0)",
            [],
        )
        .unwrap();
    client_with_entries(path, count);
}

/// The segments of the file's search index.
pub fn segments(path: &std::path::Path) -> usize {
    Store::open_read_only(path)
        .unwrap()
        .index_shape()
        .unwrap()
        .unwrap()
        .segments
}
