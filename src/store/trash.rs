//! The trash and the versions: a deleted entry waits here whole (its versions and links too)
//! until the user restores it or empties the trash. Emptying erases the words for good — the
//! rows are deleted with `secure_delete` on and the FTS index in `secure-delete` mode, then the
//! WAL is checkpointed — and keeps only each link's hashes in `chain_erased`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, params};

use super::exchanges::{channel_at, direction_at, exchange_from_row, minutes_at};
use super::{Store, StoreError, StoreResult, terms, time};
use crate::domain::history::{EntryVersion, TrashedEntry};
use crate::domain::{CoolDownId, ExchangeId};

impl Store {
    /// Puts an entry from the trash back under its old id, with the sessions that were about it.
    pub fn restore_from_trash(&mut self, exchange_id: ExchangeId) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let cooldowns: Option<String> = tx
            .query_row(
                "SELECT cooldowns FROM exchange_trash WHERE exchange_id = ?1",
                [exchange_id.0],
                |row| row.get(0),
            )
            .optional()?;
        let cooldowns = cooldowns.ok_or(StoreError::NotFound)?;
        tx.execute(
            "INSERT INTO exchanges (exchange_id, client_id, direction, channel, occurred_at, minutes, \
             body, created_at, updated_at, uid, seq, prev_hash, hash) \
             SELECT exchange_id, client_id, direction, channel, occurred_at, minutes, body, \
             created_at, updated_at, uid, seq, prev_hash, hash FROM exchange_trash WHERE exchange_id = ?1",
            [exchange_id.0],
        )?;
        tx.execute(
            "UPDATE cooldowns SET exchange_id = ?1 WHERE exchange_id IS NULL \
             AND cooldown_id IN (SELECT value FROM json_each(?2))",
            params![exchange_id.0, cooldowns],
        )?;
        tx.execute(
            "DELETE FROM exchange_trash WHERE exchange_id = ?1",
            [exchange_id.0],
        )?;
        terms::commit_entries(tx)?;
        Ok(())
    }

    /// Everything in the trash, most recently deleted first.
    pub fn trash(&self) -> StoreResult<Vec<TrashedEntry>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT t.exchange_id, t.client_id, t.direction, t.channel, t.occurred_at, t.minutes, \
             t.body, t.created_at, t.updated_at, c.name, t.trashed_at, \
             (SELECT count(*) FROM exchange_versions v WHERE v.exchange_id = t.exchange_id) \
             FROM exchange_trash t JOIN clients c ON c.client_id = t.client_id \
             ORDER BY t.trashed_at DESC, t.exchange_id DESC",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(TrashedEntry {
                exchange: exchange_from_row(row)?,
                client_name: row.get(9)?,
                trashed_at: time::column(row, 10)?,
                versions: row.get::<_, i64>(11)?.try_into().unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Erases everything in the trash for good; returns how many entries, and the cool-downs
    /// that were about them (erased too: each kept a copy of the message). Their links' hashes
    /// stay in the chain (`chain_erased`), their words leave the file.
    pub fn empty_trash(&mut self, now: DateTime<Utc>) -> StoreResult<(usize, Vec<CoolDownId>)> {
        let tx = self.conn.transaction()?;
        let cooldowns: Vec<CoolDownId> = {
            let mut statement = tx.prepare(
                "SELECT c.cooldown_id FROM cooldowns c WHERE c.exchange_id IS NULL AND c.cooldown_id \
                 IN (SELECT j.value FROM exchange_trash t, json_each(t.cooldowns) j)",
            )?;
            statement
                .query_map([], |row| row.get(0).map(CoolDownId))?
                .collect::<Result<_, _>>()?
        };
        for cooldown_id in &cooldowns {
            tx.execute(
                "DELETE FROM cooldowns WHERE cooldown_id = ?1",
                [cooldown_id.0],
            )?;
        }
        tx.execute(
            "INSERT INTO chain_erased (client_id, seq, exchange_id, entry_uid, prev_hash, hash, erased_at) \
             SELECT client_id, seq, exchange_id, uid, prev_hash, hash, ?1 FROM exchange_trash \
             UNION ALL \
             SELECT v.client_id, v.seq, v.exchange_id, t.uid, v.prev_hash, v.hash, ?1 \
               FROM exchange_versions v JOIN exchange_trash t ON t.exchange_id = v.exchange_id",
            [time::to_sql(now)],
        )?;
        // The trash and its versions are not in the index: what it no longer has of their
        // words leaves the list of the index's words.
        terms::forget_words_of_trash(&tx)?;
        tx.execute(
            "DELETE FROM exchange_versions WHERE exchange_id IN (SELECT exchange_id FROM exchange_trash)",
            [],
        )?;
        let erased = tx.execute("DELETE FROM exchange_trash", [])?;
        tx.commit()?;
        self.flush_erased_pages();
        Ok((erased, cooldowns))
    }

    /// The words deleted by a commit are still in the WAL's old page images until a checkpoint:
    /// copy the pages back and cut the WAL to nothing. A reader holding the WAL (the search
    /// worker, mid-query) only delays this to the next checkpoint, so a busy answer is no error.
    fn flush_erased_pages(&self) {
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }

    /// What an entry said before each edit, oldest first.
    pub fn versions_of(&self, exchange_id: ExchangeId) -> StoreResult<Vec<EntryVersion>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT exchange_id, direction, channel, occurred_at, minutes, body, written_at, \
             replaced_at, seq, hash FROM exchange_versions WHERE exchange_id = ?1 ORDER BY seq",
        )?;
        let rows = statement.query_map([exchange_id.0], version_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many entries wait in the trash.
    pub fn trash_count(&self) -> StoreResult<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM exchange_trash", [], |row| row.get(0))?;
        Ok(count.try_into().unwrap_or(0))
    }
}

pub(super) fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntryVersion> {
    Ok(EntryVersion {
        exchange_id: ExchangeId(row.get(0)?),
        direction: direction_at(row, 1)?,
        channel: channel_at(row, 2)?,
        occurred_at: time::column(row, 3)?,
        minutes: minutes_at(row, 4)?,
        body: row.get(5)?,
        written_at: time::column(row, 6)?,
        replaced_at: time::column(row, 7)?,
        seq: row.get(8)?,
        hash: row.get(9)?,
    })
}
