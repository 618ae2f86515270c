//! Reads and writes of cool-down sessions and of the user's settings. A session is stored whole
//! after every change, as its versioned record (`domain::cooldown::record`), so a restart (or a
//! crash) resumes it exactly where it was; what else a change needs — a journal entry, the
//! client's kind or status — is written in the same transaction.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, params};

use super::clients::{set_kind_in, set_status_in};
use super::{ChangeStatusError, Store, StoreError, StoreResult, time};
use crate::domain::cooldown::{CoolDown, PendingReply, Step, record};
use crate::domain::overview::CoolDownSummary;
use crate::domain::{ClientId, ClientKind, CoolDownId, ExchangeDraft, ExchangeId, StatusChange};

/// What a journal entry written with a session is to it.
#[derive(Debug)]
pub enum EntryLink {
    /// The reply the rules allowed to be logged: the session records the entry.
    Reply(PendingReply),
    /// A note (an early unlock's reason): nothing to record in the session.
    Note,
}

impl Store {
    /// Stores a new cool-down and sets its id.
    pub fn add_cooldown(
        &mut self,
        cooldown: &mut CoolDown,
        now: DateTime<Utc>,
    ) -> StoreResult<CoolDownId> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO cooldowns (client_id, exchange_id, step, started_at, wait_until, state, updated_at, uid) \
             VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6, lower(hex(randomblob(16))))",
            params![
                cooldown.client_id().0,
                cooldown.exchange_id().map(|id| id.0),
                cooldown.step().as_str(),
                time::to_sql(cooldown.started_at()),
                time::to_sql(cooldown.wait_until()),
                time::to_sql(now),
            ],
        )?;
        let cooldown_id = CoolDownId(tx.last_insert_rowid());
        cooldown.record_id(cooldown_id);
        write_cooldown(&tx, cooldown, now)?;
        tx.commit()?;
        Ok(cooldown_id)
    }

    /// Writes the whole session after a change.
    pub fn save_cooldown(&mut self, cooldown: &CoolDown, now: DateTime<Utc>) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        write_cooldown(&tx, cooldown, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Saves the session and logs a journal entry with it, in one transaction: the copied reply
    /// (to the client), or the reason for unlocking early (the user's note).
    pub fn save_cooldown_with_entry(
        &mut self,
        cooldown: &mut CoolDown,
        entry: &ExchangeDraft,
        link: EntryLink,
        now: DateTime<Utc>,
    ) -> StoreResult<ExchangeId> {
        let tx = self.conn.transaction()?;
        let exchange_id = super::exchanges::insert_exchange(&tx, cooldown.client_id(), entry, now)?;
        if let EntryLink::Reply(pending) = link {
            cooldown.record_logged_reply(pending, exchange_id);
        }
        write_cooldown(&tx, cooldown, now)?;
        tx.commit()?;
        Ok(exchange_id)
    }

    /// Saves the session and sets the client's kind (keeping the old one in its history), in one
    /// transaction.
    pub fn save_cooldown_and_kind(
        &mut self,
        cooldown: &CoolDown,
        kind: Option<ClientKind>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        set_kind_in(&tx, cooldown.client_id(), kind, now)?;
        write_cooldown(&tx, cooldown, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Saves the session and changes the client's status (if asked), in one transaction.
    pub fn save_cooldown_and_status(
        &mut self,
        cooldown: &CoolDown,
        change: Option<&StatusChange>,
        now: DateTime<Utc>,
    ) -> Result<(), ChangeStatusError> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        if let Some(change) = change {
            set_status_in(&tx, cooldown.client_id(), change, now)?;
        }
        write_cooldown(&tx, cooldown, now)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(())
    }

    pub fn cooldown(&self, cooldown_id: CoolDownId) -> StoreResult<CoolDown> {
        let (state, exchange_id): (String, Option<i64>) = self
            .conn
            .query_row(
                "SELECT state, exchange_id FROM cooldowns WHERE cooldown_id = ?1",
                [cooldown_id.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        decode(&state, cooldown_id, exchange_id)
    }

    /// Every session of a client whose facts the user reviewed, oldest first (for the evidence).
    pub fn reviewed_cooldowns(&self, client_id: ClientId) -> StoreResult<Vec<CoolDown>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT cooldown_id, state, exchange_id FROM cooldowns \
             WHERE client_id = ?1 AND exchange_id IS NOT NULL ORDER BY started_at, cooldown_id",
        )?;
        let rows = statement.query_map([client_id.0], |row| {
            Ok((
                CoolDownId(row.get(0)?),
                row.get::<_, String>(1)?,
                row.get::<_, Option<i64>>(2)?,
            ))
        })?;
        let mut sessions = Vec::new();
        for row in rows {
            let (cooldown_id, state, exchange_id) = row?;
            let session = decode(&state, cooldown_id, exchange_id)?;
            if session.facts_reviewed() {
                sessions.push(session);
            }
        }
        Ok(sessions)
    }

    /// Cool-downs not yet finished, oldest first; for one client or for all.
    pub fn open_cooldowns(&self, client_id: Option<ClientId>) -> StoreResult<Vec<CoolDownSummary>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT d.cooldown_id, d.client_id, c.name, d.step, d.started_at, d.wait_until, \
               coalesce(json_extract(d.state, '$.logged_reply'), \
                        json_extract(d.state, '$.reply_exchange_id')) IS NOT NULL, \
               d.exchange_id \
             FROM cooldowns d JOIN clients c ON c.client_id = d.client_id \
             WHERE d.finished_at IS NULL AND (?1 IS NULL OR d.client_id = ?1) ORDER BY d.started_at",
        )?;
        let rows = statement.query_map([client_id.map(|id| id.0)], |row| {
            let step: String = row.get(3)?;
            Ok(CoolDownSummary {
                cooldown_id: CoolDownId(row.get(0)?),
                client_id: ClientId(row.get(1)?),
                client_name: row.get(2)?,
                step: Step::parse(&step).unwrap_or(Step::Wait),
                started_at: time::column(row, 4)?,
                wait_until: time::column(row, 5)?,
                reply_logged: row.get(6)?,
                exchange_id: row.get::<_, Option<i64>>(7)?.map(ExchangeId),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many cool-downs this client has needed, finished or not.
    pub fn cooldown_count(&self, client_id: ClientId) -> StoreResult<usize> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM cooldowns WHERE client_id = ?1",
            [client_id.0],
            |row| row.get(0),
        )?;
        Ok(count.try_into().unwrap_or(0))
    }

    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub fn remove_setting(&mut self, key: &str) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.set_settings(&[(key, value)])
    }

    /// Sets several settings at once, in one transaction.
    pub fn set_settings(&mut self, pairs: &[(&str, &str)]) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for (key, value) in pairs {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Decodes a stored session. The row's `exchange_id` is the truth: if the message was deleted
/// (the foreign key set it to NULL), the session forgets it and keeps its pinned copy.
fn decode(state: &str, cooldown_id: CoolDownId, exchange_id: Option<i64>) -> StoreResult<CoolDown> {
    let mut cooldown = record::decode(state, cooldown_id)?;
    if exchange_id.is_none() {
        cooldown.forget_exchange();
    }
    Ok(cooldown)
}

fn write_cooldown(
    tx: &rusqlite::Transaction<'_>,
    cooldown: &CoolDown,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let cooldown_id = cooldown.cooldown_id().ok_or(StoreError::NotFound)?;
    // A message deleted since the session started is not written back: the row keeps NULL.
    let changed = tx.execute(
        "UPDATE cooldowns SET exchange_id = (SELECT exchange_id FROM exchanges WHERE exchange_id = ?2), \
         step = ?3, wait_until = ?4, finished_at = ?5, state = ?6, updated_at = ?7 WHERE cooldown_id = ?1",
        params![
            cooldown_id.0,
            cooldown.exchange_id().map(|id| id.0),
            cooldown.step().as_str(),
            time::to_sql(cooldown.lock_ends_at()),
            cooldown.finished_at().map(time::to_sql),
            record::encode(cooldown),
            time::to_sql(now),
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
