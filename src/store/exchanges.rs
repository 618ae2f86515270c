//! Reads and writes of the journal (`exchanges`). The FTS index follows by triggers.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, Row, params};

use super::{Store, StoreError, StoreResult, chain, terms, time};
use crate::domain::exchange::preview_of;
use crate::domain::{
    Channel, ClientId, Direction, Exchange, ExchangeDraft, ExchangeId, ExchangeSummary, Minutes,
};

/// The columns [`exchange_from_row`] reads, in its order.
const EXCHANGE_COLUMNS: &str = "exchange_id, client_id, direction, channel, occurred_at, minutes, body, created_at, updated_at";

/// Characters kept for the list preview.
const PREVIEW_CHARS: usize = 240;

fn bad_value(index: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("unexpected {what} in the journal").into(),
    )
}

pub(super) fn direction_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Direction> {
    let text: String = row.get(index)?;
    Direction::parse(&text).ok_or_else(|| bad_value(index, "direction"))
}

pub(super) fn channel_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Channel> {
    let text: String = row.get(index)?;
    Channel::parse(&text).ok_or_else(|| bad_value(index, "channel"))
}

pub(super) fn minutes_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Minutes> {
    let value: u32 = row.get(index)?;
    Minutes::new(value).ok_or_else(|| bad_value(index, "minutes"))
}

/// An entry from a row whose first nine columns are the `exchanges` table's, in its order.
pub(super) fn exchange_from_row(row: &Row<'_>) -> rusqlite::Result<Exchange> {
    Ok(Exchange {
        exchange_id: ExchangeId(row.get(0)?),
        client_id: ClientId(row.get(1)?),
        direction: direction_at(row, 2)?,
        channel: channel_at(row, 3)?,
        occurred_at: time::column(row, 4)?,
        minutes: minutes_at(row, 5)?,
        body: row.get(6)?,
        created_at: time::column(row, 7)?,
        updated_at: time::column(row, 8)?,
    })
}

impl Store {
    /// Adds an entry to a client's journal.
    pub fn add_exchange(
        &mut self,
        client_id: ClientId,
        draft: &ExchangeDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<ExchangeId> {
        let tx = self.conn.transaction()?;
        let exchange_id = insert_exchange(&tx, client_id, draft, now)?;
        terms::commit_entries(tx)?;
        Ok(exchange_id)
    }

    /// Adds many entries in one transaction (demo data, imports): all or nothing.
    pub fn add_exchanges(
        &mut self,
        client_id: ClientId,
        drafts: &[ExchangeDraft],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ExchangeId>> {
        let tx = self.conn.transaction()?;
        let ids = drafts
            .iter()
            .map(|draft| insert_exchange(&tx, client_id, draft, now))
            .collect::<StoreResult<Vec<_>>>()?;
        terms::commit_entries(tx)?;
        Ok(ids)
    }

    /// Replaces an entry's content. What it said before is kept as a version, with the link it
    /// had; the new content is the next link of the client's chain. One transaction.
    pub fn update_exchange(
        &mut self,
        exchange_id: ExchangeId,
        draft: &ExchangeDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        write_exchange(&tx, exchange_id, draft, now)?;
        terms::commit_entries(tx)?;
        Ok(())
    }

    /// Replaces an entry only if it is still as `original` (the form's starting point): a change
    /// made meanwhile is never reverted by a stale form. `StoreError::Conflict` otherwise, and
    /// nothing is written.
    pub fn update_exchange_if_unchanged(
        &mut self,
        original: &Exchange,
        draft: &ExchangeDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        if exchange_by_id(&tx, original.exchange_id)? != *original {
            return Err(StoreError::Conflict);
        }
        write_exchange(&tx, original.exchange_id, draft, now)?;
        terms::commit_entries(tx)?;
        Ok(())
    }

    /// Moves an entry to the trash (whole, with its versions and links) and returns it, so the
    /// caller can offer to undo. The sessions about it are remembered for a restore.
    pub fn delete_exchange(
        &mut self,
        exchange_id: ExchangeId,
        now: DateTime<Utc>,
    ) -> StoreResult<Exchange> {
        let tx = self.conn.transaction()?;
        let exchange = exchange_by_id(&tx, exchange_id)?;
        tx.execute(
            "INSERT INTO exchange_trash (exchange_id, client_id, direction, channel, occurred_at, \
             minutes, body, created_at, updated_at, uid, seq, prev_hash, hash, trashed_at, cooldowns) \
             SELECT exchange_id, client_id, direction, channel, occurred_at, minutes, body, created_at, \
             updated_at, uid, seq, prev_hash, hash, ?2, \
             (SELECT json_group_array(cooldown_id) FROM cooldowns WHERE exchange_id = ?1) \
             FROM exchanges WHERE exchange_id = ?1",
            params![exchange_id.0, time::to_sql(now)],
        )?;
        tx.execute(
            "DELETE FROM exchanges WHERE exchange_id = ?1",
            [exchange_id.0],
        )?;
        tx.commit()?;
        Ok(exchange)
    }

    /// Puts an entry from the trash back exactly as it was, under its old id, and links the
    /// sessions that were about it again.
    pub fn restore_exchange(&mut self, exchange: &Exchange) -> StoreResult<()> {
        self.restore_from_trash(exchange.exchange_id)
    }

    pub fn exchange(&self, exchange_id: ExchangeId) -> StoreResult<Exchange> {
        exchange_by_id(&self.conn, exchange_id)
    }

    /// A client's journal, newest first, as summaries (the list never loads whole texts).
    pub fn exchange_summaries(&self, client_id: ClientId) -> StoreResult<Vec<ExchangeSummary>> {
        self.journal_rows(client_id, 0..u64::MAX)
    }

    /// The summaries at `positions` of a client's journal, newest first (position 0 is the
    /// newest). The positions are counted on the (client, time) index, which holds no text;
    /// only the rows asked for are read from the table.
    pub fn journal_rows(
        &self,
        client_id: ClientId,
        positions: std::ops::Range<u64>,
    ) -> StoreResult<Vec<ExchangeSummary>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT exchange_id, client_id, direction, channel, occurred_at, minutes, \
             substr(body, 1, ?4), length(CAST(body AS BLOB)) \
             FROM exchanges WHERE exchange_id IN ( \
               SELECT exchange_id FROM exchanges WHERE client_id = ?1 \
               ORDER BY occurred_at DESC, exchange_id DESC LIMIT ?2 OFFSET ?3) \
             ORDER BY occurred_at DESC, exchange_id DESC",
        )?;
        let count = positions.end.saturating_sub(positions.start);
        let limit = i64::try_from(count).unwrap_or(i64::MAX);
        let offset = i64::try_from(positions.start).unwrap_or(i64::MAX);
        // substr counts characters; a few more than the preview keeps its cut honest.
        let head = PREVIEW_CHARS as i64 * 2;
        let rows = statement.query_map(params![client_id.0, limit, offset, head], |row| {
            let head: String = row.get(6)?;
            Ok(ExchangeSummary {
                exchange_id: ExchangeId(row.get(0)?),
                client_id: ClientId(row.get(1)?),
                direction: direction_at(row, 2)?,
                channel: channel_at(row, 3)?,
                occurred_at: time::column(row, 4)?,
                minutes: minutes_at(row, 5)?,
                preview: preview_of(&head, PREVIEW_CHARS),
                body_bytes: row.get::<_, i64>(7)?.try_into().unwrap_or(usize::MAX),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Where an entry stands in its client's journal, newest first (0 is the newest): the
    /// entries before it, counted on the (client, time) index.
    pub fn journal_position(&self, exchange_id: ExchangeId) -> StoreResult<u64> {
        let (client_id, occurred_at): (i64, String) = self
            .conn
            .prepare_cached("SELECT client_id, occurred_at FROM exchanges WHERE exchange_id = ?1")?
            .query_row([exchange_id.0], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let position: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM exchanges WHERE client_id = ?1 \
                   AND (occurred_at, exchange_id) > (?2, ?3)",
            )?
            .query_row(params![client_id, occurred_at, exchange_id.0], |row| {
                row.get(0)
            })?;
        Ok(position.try_into().unwrap_or(0))
    }

    /// How many entries a client's journal has and the minutes logged in them, as the triggers
    /// keep them (one row, whatever the journal's size).
    pub fn journal_totals(&self, client_id: ClientId) -> StoreResult<(u64, u64)> {
        let totals: Option<(i64, i64)> = self
            .conn
            .prepare_cached(
                "SELECT entries, minutes FROM client_entry_counts WHERE client_id = ?1",
            )?
            .query_row([client_id.0], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let (entries, minutes) = totals.unwrap_or((0, 0));
        Ok((
            entries.try_into().unwrap_or(0),
            minutes.try_into().unwrap_or(0),
        ))
    }

    /// A client's whole journal with full texts, oldest first (for export and evidence).
    pub fn exchanges_of(&self, client_id: ClientId) -> StoreResult<Vec<Exchange>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {EXCHANGE_COLUMNS} FROM exchanges WHERE client_id = ?1 ORDER BY occurred_at, exchange_id"
        ))?;
        let rows = statement.query_map([client_id.0], exchange_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The client's latest `limit` messages (from the client), oldest first (for the evidence).
    pub fn latest_from_client(
        &self,
        client_id: ClientId,
        limit: usize,
    ) -> StoreResult<Vec<Exchange>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT * FROM (SELECT {EXCHANGE_COLUMNS} FROM exchanges              WHERE client_id = ?1 AND direction = 'from_client'              ORDER BY occurred_at DESC, exchange_id DESC LIMIT ?2)              ORDER BY occurred_at, exchange_id"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![client_id.0, limit], exchange_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Total minutes logged for a client (kept by triggers beside the entry count).
    pub fn minutes_total(&self, client_id: ClientId) -> StoreResult<u64> {
        Ok(self.journal_totals(client_id)?.1)
    }
}

fn exchange_by_id(conn: &rusqlite::Connection, exchange_id: ExchangeId) -> StoreResult<Exchange> {
    conn.query_row(
        &format!("SELECT {EXCHANGE_COLUMNS} FROM exchanges WHERE exchange_id = ?1"),
        [exchange_id.0],
        exchange_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// Replaces an entry's content, keeping what it said before as a version with the link it had;
/// the new content is the next link of the client's chain. An unchanged draft writes nothing.
fn write_exchange(
    tx: &rusqlite::Transaction<'_>,
    exchange_id: ExchangeId,
    draft: &ExchangeDraft,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = linked_by_id(tx, exchange_id)?;
    if before.exchange.draft() == *draft {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO exchange_versions (exchange_id, client_id, direction, channel, occurred_at, \
         minutes, body, written_at, replaced_at, seq, prev_hash, hash) \
         SELECT exchange_id, client_id, direction, channel, occurred_at, minutes, body, \
         updated_at, ?2, seq, prev_hash, hash FROM exchanges WHERE exchange_id = ?1",
        params![exchange_id.0, time::to_sql(now)],
    )?;
    let client_id = before.exchange.client_id;
    let client_uid = chain::client_uid(tx, client_id)?.ok_or(StoreError::NotFound)?;
    let link = chain::append(tx, client_id, &client_uid, &before.uid, draft, now)?;
    tx.execute(
        "UPDATE exchanges SET direction = ?2, channel = ?3, occurred_at = ?4, minutes = ?5, \
         body = ?6, updated_at = ?7, seq = ?8, prev_hash = ?9, hash = ?10 WHERE exchange_id = ?1",
        params![
            exchange_id.0,
            draft.direction.as_str(),
            draft.channel.as_str(),
            time::to_sql(draft.occurred_at),
            draft.minutes.get(),
            draft.body,
            time::to_sql(now),
            link.seq,
            link.prev_hash,
            link.hash,
        ],
    )?;
    Ok(())
}

/// An entry with its stable id and its link, as read for a write that keeps history.
pub(super) struct LinkedExchange {
    pub exchange: Exchange,
    pub uid: String,
}

fn linked_by_id(
    conn: &rusqlite::Connection,
    exchange_id: ExchangeId,
) -> StoreResult<LinkedExchange> {
    conn.query_row(
        &format!("SELECT {EXCHANGE_COLUMNS}, uid FROM exchanges WHERE exchange_id = ?1"),
        [exchange_id.0],
        |row| {
            Ok(LinkedExchange {
                exchange: exchange_from_row(row)?,
                uid: row.get(9)?,
            })
        },
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// The next entry id: past every id in the journal, the trash and the erased links, so a new
/// entry never takes the id of one that can still be restored (or that the chain names).
pub(super) fn next_exchange_id(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM ( \
           SELECT max(exchange_id) AS id FROM exchanges \
           UNION ALL SELECT max(exchange_id) FROM exchange_trash \
           UNION ALL SELECT max(exchange_id) FROM chain_erased)",
        [],
        |row| row.get(0),
    )
}

/// Writes a new entry as the next link of its client's chain.
pub(super) fn insert_exchange(
    tx: &rusqlite::Transaction<'_>,
    client_id: ClientId,
    draft: &ExchangeDraft,
    now: DateTime<Utc>,
) -> StoreResult<ExchangeId> {
    // The client is gone (or never was).
    let client_uid = chain::client_uid(tx, client_id)?.ok_or(StoreError::NotFound)?;
    let exchange_id = next_exchange_id(tx)?;
    let uid = chain::new_uid(tx)?;
    let link = chain::append(tx, client_id, &client_uid, &uid, draft, now)?;
    tx.execute(
        "INSERT INTO exchanges (exchange_id, client_id, direction, channel, occurred_at, minutes, body, \
         created_at, updated_at, uid, seq, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12)",
        params![
            exchange_id,
            client_id.0,
            draft.direction.as_str(),
            draft.channel.as_str(),
            time::to_sql(draft.occurred_at),
            draft.minutes.get(),
            draft.body,
            time::to_sql(now),
            uid,
            link.seq,
            link.prev_hash,
            link.hash,
        ],
    )?;
    Ok(ExchangeId(exchange_id))
}
