//! Reads and writes of cool-down sessions and of the user's settings. A session is stored whole
//! after every change, so a restart (or a crash) resumes it exactly where it was.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, params};

use super::{Store, StoreError, StoreResult, time};
use crate::domain::cooldown::{CoolDown, Step};
use crate::domain::{Channel, ClientId, CoolDownId, Direction, ExchangeDraft, ExchangeId, Minutes};

/// What the lists of open cool-downs show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoolDownSummary {
    pub cooldown_id: CoolDownId,
    pub client_id: ClientId,
    pub client_name: String,
    pub step: Step,
    pub started_at: DateTime<Utc>,
    /// When replying unlocks: the end of the wait, or an early unlock.
    pub wait_until: DateTime<Utc>,
}

fn state_json(cooldown: &CoolDown) -> StoreResult<String> {
    serde_json::to_string(cooldown)
        .map_err(|error| StoreError::Damaged(format!("cannot encode a cool-down: {error}")))
}

impl Store {
    /// Stores a new cool-down and returns its id (also set on `cooldown`).
    pub fn add_cooldown(
        &mut self,
        cooldown: &mut CoolDown,
        now: DateTime<Utc>,
    ) -> StoreResult<CoolDownId> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO cooldowns (client_id, exchange_id, step, started_at, wait_until, state, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6)",
            params![
                cooldown.client_id.0,
                cooldown.exchange_id.map(|id| id.0),
                cooldown.step.as_str(),
                time::to_sql(cooldown.started_at),
                time::to_sql(cooldown.wait_until),
                time::to_sql(now),
            ],
        )?;
        let cooldown_id = CoolDownId(tx.last_insert_rowid());
        cooldown.cooldown_id = Some(cooldown_id);
        tx.execute(
            "UPDATE cooldowns SET state = ?2 WHERE cooldown_id = ?1",
            params![cooldown_id.0, state_json(cooldown)?],
        )?;
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
        now: DateTime<Utc>,
    ) -> StoreResult<ExchangeId> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO exchanges (client_id, direction, channel, occurred_at, minutes, body, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                cooldown.client_id.0,
                entry.direction.as_str(),
                entry.channel.as_str(),
                time::to_sql(entry.occurred_at),
                entry.minutes.get(),
                entry.body,
                time::to_sql(now),
            ],
        )?;
        let exchange_id = ExchangeId(tx.last_insert_rowid());
        if entry.direction == Direction::ToClient {
            cooldown.reply_exchange_id = Some(exchange_id);
        }
        write_cooldown(&tx, cooldown, now)?;
        tx.commit()?;
        Ok(exchange_id)
    }

    pub fn cooldown(&self, cooldown_id: CoolDownId) -> StoreResult<CoolDown> {
        let state: String = self
            .conn
            .query_row(
                "SELECT state FROM cooldowns WHERE cooldown_id = ?1",
                [cooldown_id.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let mut cooldown: CoolDown = serde_json::from_str(&state).map_err(|error| {
            StoreError::Damaged(format!("cool-down {}: {error}", cooldown_id.0))
        })?;
        cooldown.cooldown_id = Some(cooldown_id);
        Ok(cooldown)
    }

    /// Cool-downs not yet finished, oldest first; for one client or for all.
    pub fn open_cooldowns(&self, client_id: Option<ClientId>) -> StoreResult<Vec<CoolDownSummary>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT d.cooldown_id, d.client_id, c.name, d.step, d.started_at, d.wait_until \
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
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        tx.commit()?;
        Ok(())
    }
}

fn write_cooldown(
    tx: &rusqlite::Transaction<'_>,
    cooldown: &CoolDown,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let cooldown_id = cooldown.cooldown_id.ok_or(StoreError::NotFound)?;
    let changed = tx.execute(
        "UPDATE cooldowns SET exchange_id = ?2, step = ?3, wait_until = ?4, finished_at = ?5, state = ?6, \
         updated_at = ?7 WHERE cooldown_id = ?1",
        params![
            cooldown_id.0,
            cooldown.exchange_id.map(|id| id.0),
            cooldown.step.as_str(),
            time::to_sql(cooldown.lock_ends_at()),
            cooldown.finished_at.map(time::to_sql),
            state_json(cooldown)?,
            time::to_sql(now),
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The journal entry for a reply copied from a cool-down.
pub fn reply_entry(body: &str, now: DateTime<Utc>) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::ToClient,
        channel: Channel::Email,
        occurred_at: now,
        minutes: Minutes::default(),
        body: body.trim_end().to_owned(),
    }
}
