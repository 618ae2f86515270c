//! What the ledger reads: the minutes of each entry, and the reader's marks of the messages from
//! clients (the `readings` table).
//!
//! Readings are derived data. A mark is kept with the reader's version; one that is missing or
//! was made by another version is returned as unread (with the message's text), for the caller
//! to read and, when the file may be written, to keep with [`Store::save_readings`]. Editing an
//! entry's text drops its mark (a trigger), and deleting the entry deletes it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Row, params};

use super::{Store, StoreResult, time};
use crate::domain::ledger::HeatMark;
use crate::domain::reply::ReplyLanguage;
use crate::domain::{ClientId, ExchangeId};

/// A message from a client with no current mark: to be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    pub client_id: ClientId,
    pub exchange_id: ExchangeId,
    pub at: DateTime<Utc>,
    /// Its text, when the reading carried it; `None` from [`Store::heat_marks`], which leaves
    /// a whole journal's texts in the file ([`Store::message_text`] reads one).
    pub body: Option<String>,
}

/// A client's messages as the ledger sees them: marked, or still to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    pub marked: Vec<HeatMark>,
    pub unread: Vec<Unread>,
}

const MARK_COLUMNS: &str = "e.client_id, e.exchange_id, e.occurred_at, r.heat, r.threatened, \
     r.insulted, r.language, CASE WHEN r.exchange_id IS NULL THEN e.body ELSE NULL END";

/// [`MARK_COLUMNS`] without the text of the messages not read yet: every column is in the
/// (client, time) index, so a whole journal's marks are read from the index alone, and the few
/// texts read at a time are looked up by row when they are (a journal never read has all its
/// texts unread: 50 MB at 100 000 entries, read again at every refresh of the Picture).
const MARK_COLUMNS_BUT_TEXT: &str = "e.client_id, e.exchange_id, e.occurred_at, r.heat, \
     r.threatened, r.insulted, r.language, NULL";

fn language_column(language: ReplyLanguage) -> &'static str {
    match language {
        ReplyLanguage::English => "en",
        ReplyLanguage::Russian => "ru",
    }
}

/// Sorts a row into `marks`: a mark when the reading is there, else the text to read.
fn push_row(marks: &mut Marks, row: &Row<'_>) -> rusqlite::Result<()> {
    let client_id = ClientId(row.get(0)?);
    let exchange_id = ExchangeId(row.get(1)?);
    let at = time::column(row, 2)?;
    match row.get::<_, Option<u8>>(3)? {
        Some(heat) => {
            let language: String = row.get(6)?;
            marks.marked.push(HeatMark {
                exchange_id,
                at,
                heat,
                threatened: row.get(4)?,
                insulted: row.get(5)?,
                language: if language == "ru" {
                    ReplyLanguage::Russian
                } else {
                    ReplyLanguage::English
                },
            });
        }
        None => marks.unread.push(Unread {
            client_id,
            exchange_id,
            at,
            body: row.get::<_, Option<String>>(7)?,
        }),
    }
    Ok(())
}

/// One client's entries of some minutes, `(when, minutes)`: the client's range of the
/// (client, time) index, which holds both.
const ENTRY_MINUTES: &str =
    "SELECT occurred_at, minutes FROM exchanges WHERE client_id = ?1 AND minutes > 0";

/// One client's messages with their readings by reader `?2`, oldest first: the client's range
/// of the (client, time) index, walked backwards, and a lookup of each reading.
fn heat_marks_sql() -> String {
    format!(
        "SELECT {MARK_COLUMNS_BUT_TEXT} FROM exchanges e \
         LEFT JOIN readings r ON r.exchange_id = e.exchange_id AND r.reader = ?2 \
         WHERE e.client_id = ?1 AND e.direction = 'from_client' \
         ORDER BY e.occurred_at, e.exchange_id"
    )
}

/// One client's entries of some minutes from `?2` on: a range of the (client, time) index.
const CLIENT_MINUTES_SINCE: &str = "SELECT occurred_at, minutes FROM exchanges \
     WHERE client_id = ?1 AND occurred_at >= ?2 AND minutes > 0";

impl Store {
    /// Every entry's `(when, minutes)` for one client, entries of no minutes left out.
    pub fn entry_minutes(&self, client_id: ClientId) -> StoreResult<Vec<(DateTime<Utc>, u32)>> {
        let mut statement = self.conn.prepare_cached(ENTRY_MINUTES)?;
        let rows = statement.query_map([client_id.0], |row| {
            Ok((time::column(row, 0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One client's entries from `since` on, as `(when, minutes)`, entries of no minutes left
    /// out: a range of the (client, time) index, however long the journal.
    pub fn client_minutes_since(
        &self,
        client_id: ClientId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, u32)>> {
        let mut statement = self.conn.prepare_cached(CLIENT_MINUTES_SINCE)?;
        let rows = statement.query_map(params![client_id.0, time::to_sql(since)], |row| {
            Ok((time::column(row, 0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every client's entries from `since` on, as `(client, when, minutes)`: one range of the
    /// (client, time) index per client, never a walk of the whole table (at a million entries
    /// that walk took 3 s for a month's thousand entries).
    pub fn entry_minutes_since(
        &self,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(ClientId, DateTime<Utc>, u32)>> {
        let client_ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT client_id FROM clients")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut entries = Vec::new();
        for client_id in client_ids {
            let client_id = ClientId(client_id);
            entries.extend(
                self.client_minutes_since(client_id, since)?
                    .into_iter()
                    .map(|(at, minutes)| (client_id, at, minutes)),
            );
        }
        Ok(entries)
    }

    /// The marks of all of a client's messages, as read by reader `reader`.
    pub fn heat_marks(&self, client_id: ClientId, reader: &str) -> StoreResult<Marks> {
        let mut statement = self.conn.prepare_cached(&heat_marks_sql())?;
        let mut rows = statement.query(params![client_id.0, reader])?;
        let mut marks = Marks::default();
        while let Some(row) = rows.next()? {
            push_row(&mut marks, row)?;
        }
        Ok(marks)
    }

    /// The text of one entry, by its row.
    pub fn message_text(&self, exchange_id: ExchangeId) -> StoreResult<String> {
        Ok(self
            .conn
            .prepare_cached("SELECT body FROM exchanges WHERE exchange_id = ?1")?
            .query_row([exchange_id.0], |row| row.get(0))?)
    }

    /// The marks of each client's last `per_client` messages (for the overview's last heat and
    /// trend), by client: one short walk of the client-and-time index per client.
    pub fn latest_heat_marks(
        &self,
        reader: &str,
        per_client: usize,
    ) -> StoreResult<HashMap<ClientId, Marks>> {
        let mut clients = self.conn.prepare_cached("SELECT client_id FROM clients")?;
        let client_ids = clients
            .query_map([], |row| row.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {MARK_COLUMNS} FROM ( \
                 SELECT * FROM exchanges \
                 WHERE client_id = ?1 AND direction = 'from_client' \
                 ORDER BY occurred_at DESC, exchange_id DESC LIMIT ?3) e \
             LEFT JOIN readings r ON r.exchange_id = e.exchange_id AND r.reader = ?2 \
             ORDER BY e.occurred_at, e.exchange_id"
        ))?;
        let limit = i64::try_from(per_client).unwrap_or(i64::MAX);
        let mut by_client = HashMap::with_capacity(client_ids.len());
        for client_id in client_ids {
            let mut rows = statement.query(params![client_id, reader, limit])?;
            let mut marks = Marks::default();
            while let Some(row) = rows.next()? {
                push_row(&mut marks, row)?;
            }
            by_client.insert(ClientId(client_id), marks);
        }
        Ok(by_client)
    }

    /// Up to `limit` messages from clients with no mark by reader `reader`, newest first.
    pub fn unread_messages(&self, reader: &str, limit: usize) -> StoreResult<Vec<Unread>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {MARK_COLUMNS} FROM exchanges e \
             LEFT JOIN readings r ON r.exchange_id = e.exchange_id AND r.reader = ?1 \
             WHERE e.direction = 'from_client' AND r.exchange_id IS NULL \
             ORDER BY e.occurred_at DESC, e.exchange_id DESC LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = statement.query(params![reader, limit])?;
        let mut marks = Marks::default();
        while let Some(row) = rows.next()? {
            push_row(&mut marks, row)?;
        }
        Ok(marks.unread)
    }

    /// Keeps the marks of reader `reader`, in one transaction. A mark whose entry is gone or is
    /// no longer a message from the client is dropped; returns how many were kept.
    pub fn save_readings(&mut self, reader: &str, marks: &[HeatMark]) -> StoreResult<usize> {
        let tx = self.conn.transaction()?;
        let mut kept = 0;
        {
            let mut statement = tx.prepare_cached(
                "INSERT OR REPLACE INTO readings \
                 (exchange_id, reader, heat, threatened, insulted, language) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS ( \
                     SELECT 1 FROM exchanges WHERE exchange_id = ?1 AND direction = 'from_client')",
            )?;
            for mark in marks {
                kept += statement.execute(params![
                    mark.exchange_id.0,
                    reader,
                    mark.heat.min(100),
                    mark.threatened,
                    mark.insulted,
                    language_column(mark.language),
                ])?;
            }
        }
        tx.commit()?;
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone as _};

    use super::*;
    use crate::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};

    fn plan(store: &Store, sql: &str, bound: &[&dyn rusqlite::ToSql]) -> Vec<String> {
        let mut statement = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        statement
            .query_map(bound, |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_whole_journals_minutes_and_marks_are_read_from_the_index_alone() {
        // The Picture reads these for the selected client, again after every save while it
        // is shown: a lookup of each entry's row was 0.6 s at 100 000 entries.
        let store = Store::open_in_memory().unwrap();
        let minutes = plan(&store, ENTRY_MINUTES, &[&1]);
        assert_eq!(
            minutes,
            ["SEARCH exchanges USING COVERING INDEX exchanges_by_client_time (client_id=?)"]
        );
        let marks = plan(&store, &heat_marks_sql(), &[&1, &"reader"]);
        assert!(
            marks[0].starts_with("SEARCH e USING COVERING INDEX exchanges_by_client_time"),
            "{marks:?}"
        );
        assert!(
            marks.iter().all(|step| !step.contains("TEMP B-TREE")),
            "no sort: {marks:?}"
        );
    }

    #[test]
    fn the_texts_of_messages_not_read_yet_are_read_one_by_one_when_asked() {
        let mut store = Store::open_in_memory().unwrap();
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let draft = ClientInput {
            name: "Acme".into(),
            ..ClientInput::default()
        };
        let client_id = store.add_client(&draft.parse().unwrap(), at).unwrap();
        for (index, text) in ["You never answer.", "Refund me now!"].iter().enumerate() {
            let entry = ExchangeDraft {
                direction: Direction::FromClient,
                channel: Channel::Email,
                occurred_at: at + Duration::minutes(i64::try_from(index).unwrap()),
                minutes: Minutes::new(1).unwrap(),
                body: (*text).into(),
            };
            store.add_exchange(client_id, &entry, at).unwrap();
        }
        let marks = store.heat_marks(client_id, "reader").unwrap();
        assert!(marks.unread.iter().all(|unread| unread.body.is_none()));
        let bodies: Vec<String> = marks
            .unread
            .iter()
            .map(|unread| store.message_text(unread.exchange_id).unwrap())
            .collect();
        assert_eq!(bodies, ["You never answer.", "Refund me now!"]);
    }

    #[test]
    fn a_months_minutes_are_read_from_each_clients_range_of_the_index_and_are_all_of_them() {
        let mut store = Store::open_in_memory().unwrap();
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let mut clients = Vec::new();
        for name in ["Acme", "Ромашка", "Quiet"] {
            let draft = ClientInput {
                name: name.into(),
                ..ClientInput::default()
            }
            .parse()
            .unwrap();
            clients.push(store.add_client(&draft, start).unwrap());
        }
        for (index, client_id) in clients.iter().take(2).enumerate() {
            let drafts: Vec<ExchangeDraft> = (0..60u32)
                .map(|day| ExchangeDraft {
                    direction: Direction::ToClient,
                    channel: Channel::Email,
                    occurred_at: start + Duration::days(i64::from(day)),
                    minutes: Minutes::new((day + index as u32) % 4 * 5).unwrap(),
                    body: format!("day {day}"),
                })
                .collect();
            store.add_exchanges(*client_id, &drafts, start).unwrap();
        }
        let since = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        let mut read = store.entry_minutes_since(since).unwrap();
        read.sort();
        // What a walk of the whole table finds.
        let mut walked: Vec<(ClientId, DateTime<Utc>, u32)> = store
            .conn
            .prepare("SELECT client_id, occurred_at, minutes FROM exchanges WHERE minutes > 0")
            .unwrap()
            .query_map([], |row| {
                Ok((ClientId(row.get(0)?), time::column(row, 1)?, row.get(2)?))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .into_iter()
            .filter(|(_, at, _)| *at >= since)
            .collect();
        walked.sort();
        assert!(!read.is_empty());
        assert_eq!(read, walked);

        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {CLIENT_MINUTES_SINCE}"))
            .unwrap()
            .query_map(params![1, "2026-02-01T00:00:00Z"], |row| {
                row.get::<_, String>(3)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("INDEX exchanges_by_client_time")),
            "{plan:?}"
        );
    }
}
