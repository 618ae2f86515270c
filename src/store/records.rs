//! The whole database as an archive (`domain::archive`) and back: export reads every client with
//! its entries, versions, erased links, history and cool-downs, and the settings; import writes
//! a file in one transaction — into an empty database, or merged into one that holds part of it,
//! by stable ids, without duplicates — and checks every chain it touched before committing, so
//! a file that is broken anywhere changes nothing.
//!
//! Merging a client that exists on both sides: when the local chain is the start of the file's
//! (the same links, the file has more), the file's new links are written as they are; when the
//! two have diverged, the file's new entries are chained anew after the local ones (their hashes
//! then differ from the file's, and the report counts them).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension as _, Transaction, params};

use super::chain;
use super::exchanges::{channel_at, direction_at, minutes_at, next_exchange_id};
use super::{Store, StoreError, terms, time};
use crate::domain::archive::{
    Archive, ArchiveError, ChainHead, ClientRecord, CoolDownArchived, EntryRecord, ErasedLink,
    FORMAT, HistoryRecord, ReadError, VERSION, VersionRecord, read_streamed,
};
use crate::domain::cooldown::record;
use crate::domain::evidence::ChainBreak;
use crate::domain::{ClientId, CoolDownId, ExchangeDraft, Minutes};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub clients_added: usize,
    pub clients_merged: usize,
    pub entries_added: usize,
    /// Entries already in the database (same stable id): left as they are.
    pub entries_skipped: usize,
    /// New entries of a client whose chain had diverged: chained anew after the local ones.
    pub entries_rechained: usize,
    pub versions_added: usize,
    pub cooldowns_added: usize,
    pub history_added: usize,
    pub settings_added: usize,
    /// Settings present on both sides: the database's value is kept.
    pub settings_kept: usize,
}

/// Why an import changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(
        "the chain of client {client:?} in the file does not hold: {broken}. The file was changed after it was exported."
    )]
    ChainBroken { client: String, broken: ChainBreak },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(error))
    }
}

fn invalid(path: String, message: impl Into<String>) -> ImportError {
    ImportError::Archive(ArchiveError::Invalid {
        path,
        message: message.into(),
    })
}

impl Store {
    /// Every client (ordered by stable id), entry, version, erased link, history row, cool-down
    /// and setting, in memory: what an imported file is compared with. The app and the command
    /// line write an archive with [`Store::write_archive`], which holds one entry at a time and
    /// writes the same bytes. One read transaction: another connection writing meanwhile never
    /// makes a mixed picture.
    pub fn export_archive(&self, now: DateTime<Utc>) -> Result<Archive, StoreError> {
        let snapshot = self.conn.unchecked_transaction()?;
        let clients = read_clients(&snapshot)?;
        let mut records = Vec::with_capacity(clients.len());
        for (client_id, mut client) in clients {
            client.entries = read_entries(&snapshot, client_id)?;
            client.erased = read_erased(&snapshot, client_id)?;
            client.history = read_history(&snapshot, client_id)?;
            client.cooldowns = read_cooldowns(&snapshot, client_id)?;
            records.push(client);
        }
        let settings = read_settings(&snapshot)?;
        drop(snapshot);
        Ok(Archive {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: now,
            clients: records,
            settings,
        })
    }

    /// Writes an archive in one transaction; nothing is written unless all of it is.
    /// `progress(done, total)` is called after each entry.
    pub fn import_archive(
        &mut self,
        archive: &Archive,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport, ImportError> {
        let total = archive
            .clients
            .iter()
            .map(|client| client.entries.len())
            .sum();
        let mut done = 0;
        let mut report = ImportReport::default();
        let tx = self.conn.transaction()?;
        for (index, client) in archive.clients.iter().enumerate() {
            import_one(&tx, index, client, &mut report, &mut |step| {
                done += step;
                progress(done, total);
            })?;
        }
        import_settings(&tx, &archive.settings, &mut report)?;
        terms::commit_entries(tx)?;
        Ok(report)
    }

    /// Imports the archive file that `open` gives as it is read, one client at a time (a
    /// million entries in the memory of the biggest client), in one transaction: nothing is
    /// written unless all of it is. `open` is called once, or three times for a file whose clients
    /// come before its format (`domain::archive::read_streamed`); `progress(done)` is called
    /// with the entries imported so far.
    pub fn import_from<R: std::io::Read>(
        &mut self,
        open: impl FnMut() -> std::io::Result<R>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport, ImportError> {
        let mut done = 0;
        let mut report = ImportReport::default();
        let tx = self.conn.transaction()?;
        let rest = read_streamed(open, &mut |index, client| {
            import_one(&tx, index, &client, &mut report, &mut |step| {
                done += step;
                progress(done);
            })
        })
        .map_err(|error| match error {
            ReadError::Archive(error) => ImportError::Archive(error),
            ReadError::Client(error) => error,
        })?;
        import_settings(&tx, &rest.settings, &mut report)?;
        terms::commit_entries(tx)?;
        Ok(report)
    }
}

// ---- export ------------------------------------------------------------------------------

fn day_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    row.get::<_, Option<String>>(index)?
        .map(|text| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(
                    index,
                    rusqlite::types::Type::Text,
                    Box::new(error),
                )
            })
        })
        .transpose()
}

fn optional_time(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get_ref(index)?.as_str_or_null()? {
        Some(_) => time::column(row, index).map(Some),
        None => Ok(None),
    }
}

fn parse_column<T>(
    row: &rusqlite::Row<'_>,
    index: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unexpected value {text:?}").into(),
        )
    })
}

/// Every setting, by key.
pub(super) fn read_settings(
    conn: &rusqlite::Connection,
) -> rusqlite::Result<std::collections::BTreeMap<String, String>> {
    conn.prepare_cached("SELECT key, value FROM settings ORDER BY key")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

pub(super) fn read_clients(
    conn: &rusqlite::Connection,
) -> rusqlite::Result<Vec<(ClientId, ClientRecord)>> {
    let mut statement = conn.prepare(
        "SELECT c.client_id, c.uid, c.name, c.contact, c.contact_person, c.contract_reference, \
         c.clause_scope, c.clause_terms, c.clause_refund, c.clause_termination, c.notice_period_days, \
         c.fee_minor_units, c.currency, c.billing_period, c.status, c.ended_at, c.ended_reason, \
         c.end_on, c.end_on_reason, c.kind, c.notes, c.created_at, c.updated_at, h.seq, h.hash, \
         c.fee_per, c.included_minutes \
         FROM clients c LEFT JOIN chain_heads h ON h.client_id = c.client_id ORDER BY c.uid",
    )?;
    let rows = statement.query_map([], |row| {
        let kind: Option<String> = row.get(19)?;
        let head_seq: Option<i64> = row.get(23)?;
        Ok((
            ClientId(row.get(0)?),
            ClientRecord {
                uid: row.get(1)?,
                name: row.get(2)?,
                contact: row.get(3)?,
                contact_person: row.get(4)?,
                contract_reference: row.get(5)?,
                clause_scope: row.get(6)?,
                clause_terms: row.get(7)?,
                clause_refund: row.get(8)?,
                clause_termination: row.get(9)?,
                notice_period_days: row.get(10)?,
                fee_minor_units: row.get(11)?,
                currency: row.get(12)?,
                // An hourly or one-off fee is in `fee_per`; the archive has one field.
                billing_period: match row.get::<_, Option<String>>(25)? {
                    Some(_) => parse_column(row, 25, crate::domain::BillingPeriod::parse)?,
                    None => parse_column(row, 13, crate::domain::BillingPeriod::parse)?,
                },
                included_minutes: row.get(26)?,
                status: parse_column(row, 14, crate::domain::ClientStatus::parse)?,
                ended_at: optional_time(row, 15)?,
                ended_reason: row.get(16)?,
                end_on: day_at(row, 17)?,
                end_on_reason: row.get(18)?,
                kind: kind.as_deref().and_then(crate::domain::ClientKind::parse),
                notes: row.get(20)?,
                created_at: time::column(row, 21)?,
                updated_at: time::column(row, 22)?,
                chain_head: match head_seq {
                    Some(seq) => Some(ChainHead {
                        seq,
                        hash: row.get(24)?,
                    }),
                    None => None,
                },
                entries: Vec::new(),
                erased: Vec::new(),
                history: Vec::new(),
                cooldowns: Vec::new(),
            },
        ))
    })?;
    rows.collect()
}

/// The columns [`entry_at`] reads, but for the last (`trashed_at`, NULL in the journal).
macro_rules! entry_columns {
    () => {
        "exchange_id, uid, direction, channel, occurred_at, minutes, body, created_at, \
         updated_at, seq, prev_hash, hash"
    };
}

/// Where each of a client's entries is, kept or in the trash, in chain order. Only these are
/// sorted (there is no index by `seq`: sorting whole entries held the biggest client's text in
/// SQLite's sorter, 170 MB for 100 000 entries); each entry is then read by its row.
const ENTRY_ORDER_SQL: &str = "SELECT seq, exchange_id, 0 FROM exchanges WHERE client_id = ?1 \
     UNION ALL SELECT seq, exchange_id, 1 FROM exchange_trash WHERE client_id = ?1 ORDER BY 1";
const KEPT_ENTRY_SQL: &str = concat!(
    "SELECT ",
    entry_columns!(),
    ", NULL FROM exchanges WHERE exchange_id = ?1"
);
const TRASHED_ENTRY_SQL: &str = concat!(
    "SELECT ",
    entry_columns!(),
    ", trashed_at FROM exchange_trash WHERE exchange_id = ?1"
);

/// A client's entries, kept and trashed, in chain order, each read with its versions when it is
/// its turn: a journal of any length in the memory of its row numbers.
pub(super) fn entries_in_order(
    conn: &rusqlite::Connection,
    client_id: ClientId,
) -> rusqlite::Result<impl Iterator<Item = rusqlite::Result<EntryRecord>> + '_> {
    let order: Vec<(i64, bool)> = conn
        .prepare_cached(ENTRY_ORDER_SQL)?
        .query_map([client_id.0], |row| Ok((row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut kept = conn.prepare_cached(KEPT_ENTRY_SQL)?;
    let mut trashed = conn.prepare_cached(TRASHED_ENTRY_SQL)?;
    Ok(order.into_iter().map(move |(exchange_id, is_trashed)| {
        let statement = if is_trashed { &mut trashed } else { &mut kept };
        let (_, mut entry) = statement.query_row([exchange_id], entry_at)?;
        entry.versions = read_versions(conn, exchange_id)?;
        Ok(entry)
    }))
}

/// One row of the entry queries: the entry's row number and its record (without its versions).
fn entry_at(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, EntryRecord)> {
    Ok((
        row.get::<_, i64>(0)?,
        EntryRecord {
            uid: row.get(1)?,
            direction: direction_at(row, 2)?,
            channel: channel_at(row, 3)?,
            occurred_at: time::column(row, 4)?,
            minutes: minutes_at(row, 5)?.get(),
            body: row.get(6)?,
            created_at: time::column(row, 7)?,
            written_at: time::column(row, 8)?,
            seq: row.get(9)?,
            prev_hash: row.get(10)?,
            hash: row.get(11)?,
            trashed_at: optional_time(row, 12)?,
            versions: Vec::new(),
        },
    ))
}

fn read_entries(
    conn: &rusqlite::Connection,
    client_id: ClientId,
) -> rusqlite::Result<Vec<EntryRecord>> {
    entries_in_order(conn, client_id)?.collect()
}

pub(super) fn read_versions(
    conn: &rusqlite::Connection,
    exchange_id: i64,
) -> rusqlite::Result<Vec<VersionRecord>> {
    let mut statement = conn.prepare_cached(
        "SELECT direction, channel, occurred_at, minutes, body, written_at, replaced_at, seq, \
         prev_hash, hash FROM exchange_versions WHERE exchange_id = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map([exchange_id], |row| {
        Ok(VersionRecord {
            direction: direction_at(row, 0)?,
            channel: channel_at(row, 1)?,
            occurred_at: time::column(row, 2)?,
            minutes: minutes_at(row, 3)?.get(),
            body: row.get(4)?,
            written_at: time::column(row, 5)?,
            replaced_at: time::column(row, 6)?,
            seq: row.get(7)?,
            prev_hash: row.get(8)?,
            hash: row.get(9)?,
        })
    })?;
    rows.collect()
}

pub(super) fn read_erased(
    conn: &rusqlite::Connection,
    client_id: ClientId,
) -> rusqlite::Result<Vec<ErasedLink>> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, entry_uid, prev_hash, hash, erased_at FROM chain_erased \
         WHERE client_id = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map([client_id.0], |row| {
        Ok(ErasedLink {
            seq: row.get(0)?,
            entry_uid: row.get(1)?,
            prev_hash: row.get(2)?,
            hash: row.get(3)?,
            erased_at: time::column(row, 4)?,
        })
    })?;
    rows.collect()
}

pub(super) fn read_history(
    conn: &rusqlite::Connection,
    client_id: ClientId,
) -> rusqlite::Result<Vec<HistoryRecord>> {
    let mut statement = conn.prepare_cached(
        "SELECT at, what, old_value, new_value, note FROM client_history \
         WHERE client_id = ?1 ORDER BY at, event_id",
    )?;
    let rows = statement.query_map([client_id.0], |row| {
        Ok(HistoryRecord {
            at: time::column(row, 0)?,
            what: row.get(1)?,
            old_value: row.get(2)?,
            new_value: row.get(3)?,
            note: row.get(4)?,
        })
    })?;
    rows.collect()
}

/// The stable id of an entry in the journal or the trash, by row.
fn entry_uid_of(conn: &rusqlite::Connection, exchange_id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT uid FROM exchanges WHERE exchange_id = ?1 \
         UNION ALL SELECT uid FROM exchange_trash WHERE exchange_id = ?1",
        [exchange_id],
        |row| row.get(0),
    )
    .optional()
}

/// A cool-down row as read for the archive: id, uid, the entry it is about, state, updated.
type CoolDownRow = (i64, String, Option<i64>, String, DateTime<Utc>);

pub(super) fn read_cooldowns(
    conn: &rusqlite::Connection,
    client_id: ClientId,
) -> Result<Vec<CoolDownArchived>, StoreError> {
    let rows: Vec<CoolDownRow> = {
        let mut statement = conn.prepare_cached(
            "SELECT cooldown_id, uid, exchange_id, state, updated_at FROM cooldowns \
             WHERE client_id = ?1 ORDER BY started_at, cooldown_id",
        )?;
        statement
            .query_map([client_id.0], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    time::column(row, 4)?,
                ))
            })?
            .collect::<Result<_, _>>()?
    };
    let mut archived = Vec::with_capacity(rows.len());
    for (cooldown_id, uid, exchange_id, state, updated_at) in rows {
        // Read in any known version and written in the current one: the archive holds one.
        let session = record::decode(&state, CoolDownId(cooldown_id))?;
        let mut value: serde_json::Value =
            serde_json::from_str(&record::encode(&session)).unwrap_or_default();
        let reply_id = session.logged_reply().map(|logged| logged.exchange_id.0);
        value["client_id"] = 0.into();
        value["exchange_id"] = serde_json::Value::Null;
        if let Some(logged) = value
            .get_mut("logged_reply")
            .filter(|logged| logged.is_object())
        {
            logged["exchange_id"] = 0.into();
        }
        archived.push(CoolDownArchived {
            uid,
            entry_uid: match exchange_id {
                Some(id) => entry_uid_of(conn, id)?,
                None => None,
            },
            reply_entry_uid: match reply_id {
                Some(id) => entry_uid_of(conn, id)?,
                None => None,
            },
            updated_at,
            record: value,
        });
    }
    Ok(archived)
}

// ---- import ------------------------------------------------------------------------------

/// How a client's entries are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// The links as they are in the file (a new client, or a local chain the file extends).
    AsIs,
    /// New links after the local ones (the two chains diverged).
    Rechain,
}

fn local_client(tx: &Transaction<'_>, uid: &str) -> rusqlite::Result<Option<ClientId>> {
    tx.query_row(
        "SELECT client_id FROM clients WHERE uid = ?1",
        [uid],
        |row| row.get(0).map(ClientId),
    )
    .optional()
}

/// One client of a file (the `index`th), then the check that its chain holds.
fn import_one(
    tx: &Transaction<'_>,
    index: usize,
    client: &ClientRecord,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(usize),
) -> Result<(), ImportError> {
    let client_id = import_client(tx, client, &format!("clients[{index}]"), report, progress)?;
    check_imported_chain(tx, client_id, client)
}

fn import_client(
    tx: &Transaction<'_>,
    client: &ClientRecord,
    at: &str,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(usize),
) -> Result<ClientId, ImportError> {
    let (client_id, mode) = match local_client(tx, &client.uid)? {
        Some(client_id) => {
            report.clients_merged += 1;
            (client_id, merge_mode(tx, client_id, client)?)
        }
        None => {
            report.clients_added += 1;
            (insert_client(tx, client)?, Mode::AsIs)
        }
    };
    for (number, entry) in client.entries.iter().enumerate() {
        let path = format!("{at}.entries[{number}]");
        import_entry(tx, client_id, &client.uid, entry, mode, &path, report)?;
        progress(1);
    }
    if mode == Mode::AsIs {
        import_erased(tx, client_id, &client.erased)?;
        if let Some(head) = &client.chain_head {
            let local_seq: Option<i64> = tx
                .query_row(
                    "SELECT seq FROM chain_heads WHERE client_id = ?1",
                    [client_id.0],
                    |row| row.get(0),
                )
                .optional()?;
            if local_seq.is_none_or(|seq| seq < head.seq) {
                chain::set_head(tx, client_id, head.seq, &head.hash)?;
            }
        }
    }
    import_history(tx, client_id, &client.history, report)?;
    for (number, cooldown) in client.cooldowns.iter().enumerate() {
        let path = format!("{at}.cooldowns[{number}]");
        import_cooldown(tx, client_id, cooldown, &path, report)?;
    }
    Ok(client_id)
}

/// A client on both sides: as is when every local link is in the file with the same hash.
fn merge_mode(
    tx: &Transaction<'_>,
    client_id: ClientId,
    client: &ClientRecord,
) -> Result<Mode, ImportError> {
    let file_links: HashMap<i64, &str> = client
        .entries
        .iter()
        .flat_map(|entry| {
            std::iter::once((entry.seq, entry.hash.as_str())).chain(
                entry
                    .versions
                    .iter()
                    .map(|version| (version.seq, version.hash.as_str())),
            )
        })
        .chain(
            client
                .erased
                .iter()
                .map(|link| (link.seq, link.hash.as_str())),
        )
        .collect();
    let local = chain::links_of(tx, client_id)?;
    let extends = local
        .iter()
        .all(|link| file_links.get(&link.seq) == Some(&link.hash.as_str()));
    Ok(if extends { Mode::AsIs } else { Mode::Rechain })
}

fn insert_client(tx: &Transaction<'_>, client: &ClientRecord) -> Result<ClientId, ImportError> {
    tx.execute(
        "INSERT INTO clients (uid, name, contact, contact_person, contract_reference, clause_scope, \
         clause_terms, clause_refund, clause_termination, notice_period_days, fee_minor_units, \
         currency, billing_period, status, ended_at, ended_reason, end_on, end_on_reason, kind, \
         notes, created_at, updated_at, fee_per, included_minutes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24)",
        params![
            client.uid,
            client.name,
            client.contact,
            client.contact_person,
            client.contract_reference,
            client.clause_scope,
            client.clause_terms,
            client.clause_refund,
            client.clause_termination,
            client.notice_period_days,
            client.fee_minor_units,
            client.currency.to_uppercase(),
            super::clients::period_column(client.billing_period),
            client.status.as_str(),
            client.ended_at.map(time::to_sql),
            client.ended_reason,
            client.end_on.map(|day| day.format("%Y-%m-%d").to_string()),
            client.end_on_reason,
            client.kind.map(crate::domain::ClientKind::as_str),
            client.notes,
            time::to_sql(client.created_at),
            time::to_sql(client.updated_at),
            super::clients::fee_per_column(client.billing_period),
            client.included_minutes,
        ],
    )?;
    Ok(ClientId(tx.last_insert_rowid()))
}

fn local_entry(tx: &Transaction<'_>, uid: &str) -> rusqlite::Result<Option<(i64, i64)>> {
    tx.query_row(
        "SELECT exchange_id, seq FROM exchanges WHERE uid = ?1 \
         UNION ALL SELECT exchange_id, seq FROM exchange_trash WHERE uid = ?1",
        [uid],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// One entry: skipped when its id is known (its newer versions taken when the file extends the
/// local chain), else written as is or chained anew.
fn import_entry(
    tx: &Transaction<'_>,
    client_id: ClientId,
    client_uid: &str,
    entry: &EntryRecord,
    mode: Mode,
    path: &str,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    if let Some((exchange_id, local_seq)) = local_entry(tx, &entry.uid)? {
        report.entries_skipped += 1;
        if mode == Mode::AsIs && entry.seq > local_seq {
            extend_entry(tx, exchange_id, entry, report)?;
        }
        return Ok(());
    }
    let exchange_id = next_exchange_id(tx)?;
    let mut current = (entry.seq, entry.prev_hash.clone(), entry.hash.clone());
    for version in &entry.versions {
        let link = match mode {
            Mode::AsIs => (version.seq, version.prev_hash.clone(), version.hash.clone()),
            Mode::Rechain => {
                let draft = version_draft(version, path)?;
                let link = chain::append(
                    tx,
                    client_id,
                    client_uid,
                    &entry.uid,
                    &draft,
                    version.written_at,
                )?;
                (link.seq, link.prev_hash, link.hash)
            }
        };
        insert_version(tx, exchange_id, client_id, version, &link)?;
        report.versions_added += 1;
    }
    if mode == Mode::Rechain {
        let draft = entry_draft(entry, path)?;
        let link = chain::append(
            tx,
            client_id,
            client_uid,
            &entry.uid,
            &draft,
            entry.written_at,
        )?;
        current = (link.seq, link.prev_hash, link.hash);
        report.entries_rechained += 1;
    }
    insert_entry_row(tx, exchange_id, client_id, entry, &current)?;
    report.entries_added += 1;
    Ok(())
}

fn entry_draft(entry: &EntryRecord, path: &str) -> Result<ExchangeDraft, ImportError> {
    Ok(ExchangeDraft {
        direction: entry.direction,
        channel: entry.channel,
        occurred_at: entry.occurred_at,
        minutes: Minutes::new(entry.minutes)
            .ok_or_else(|| invalid(format!("{path}.minutes"), "at most 1440 minutes"))?,
        body: entry.body.clone(),
    })
}

fn version_draft(version: &VersionRecord, path: &str) -> Result<ExchangeDraft, ImportError> {
    Ok(ExchangeDraft {
        direction: version.direction,
        channel: version.channel,
        occurred_at: version.occurred_at,
        minutes: Minutes::new(version.minutes)
            .ok_or_else(|| invalid(format!("{path}.versions.minutes"), "at most 1440 minutes"))?,
        body: version.body.clone(),
    })
}

fn insert_entry_row(
    tx: &Transaction<'_>,
    exchange_id: i64,
    client_id: ClientId,
    entry: &EntryRecord,
    link: &(i64, String, String),
) -> rusqlite::Result<()> {
    // An entry in the trash goes back to the trash, with when it was deleted.
    let (table, extra_column, extra_value) = match entry.trashed_at {
        Some(_) => ("exchange_trash", ", trashed_at", ", ?14"),
        None => ("exchanges", "", ""),
    };
    let mut statement = tx.prepare(&format!(
        "INSERT INTO {table} (exchange_id, client_id, direction, channel, occurred_at, minutes, \
         body, created_at, updated_at, uid, seq, prev_hash, hash{extra_column}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13{extra_value})"
    ))?;
    let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![
        Box::new(exchange_id),
        Box::new(client_id.0),
        Box::new(entry.direction.as_str()),
        Box::new(entry.channel.as_str()),
        Box::new(time::to_sql(entry.occurred_at)),
        Box::new(entry.minutes),
        Box::new(entry.body.clone()),
        Box::new(time::to_sql(entry.created_at)),
        Box::new(time::to_sql(entry.written_at)),
        Box::new(entry.uid.clone()),
        Box::new(link.0),
        Box::new(link.1.clone()),
        Box::new(link.2.clone()),
    ];
    if let Some(at) = entry.trashed_at {
        values.push(Box::new(time::to_sql(at)));
    }
    statement.execute(rusqlite::params_from_iter(values.iter()))?;
    Ok(())
}

fn insert_version(
    tx: &Transaction<'_>,
    exchange_id: i64,
    client_id: ClientId,
    version: &VersionRecord,
    link: &(i64, String, String),
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO exchange_versions (exchange_id, client_id, direction, channel, occurred_at, \
         minutes, body, written_at, replaced_at, seq, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            exchange_id,
            client_id.0,
            version.direction.as_str(),
            version.channel.as_str(),
            time::to_sql(version.occurred_at),
            version.minutes,
            version.body,
            time::to_sql(version.written_at),
            time::to_sql(version.replaced_at),
            link.0,
            link.1,
            link.2,
        ],
    )?;
    Ok(())
}

/// The file holds later edits of an entry the database has: its versions the database lacks,
/// and its current content.
fn extend_entry(
    tx: &Transaction<'_>,
    exchange_id: i64,
    entry: &EntryRecord,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let client_id: i64 = tx.query_row(
        "SELECT client_id FROM exchanges WHERE exchange_id = ?1 \
         UNION ALL SELECT client_id FROM exchange_trash WHERE exchange_id = ?1",
        [exchange_id],
        |row| row.get(0),
    )?;
    let known: HashSet<i64> = {
        let mut statement =
            tx.prepare("SELECT seq FROM exchange_versions WHERE exchange_id = ?1")?;
        statement
            .query_map([exchange_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?
    };
    for version in entry
        .versions
        .iter()
        .filter(|version| !known.contains(&version.seq))
    {
        let link = (version.seq, version.prev_hash.clone(), version.hash.clone());
        insert_version(tx, exchange_id, ClientId(client_id), version, &link)?;
        report.versions_added += 1;
    }
    for table in ["exchanges", "exchange_trash"] {
        tx.execute(
            &format!(
                "UPDATE {table} SET direction = ?2, channel = ?3, occurred_at = ?4, minutes = ?5, \
                 body = ?6, updated_at = ?7, seq = ?8, prev_hash = ?9, hash = ?10 WHERE exchange_id = ?1"
            ),
            params![
                exchange_id,
                entry.direction.as_str(),
                entry.channel.as_str(),
                time::to_sql(entry.occurred_at),
                entry.minutes,
                entry.body,
                time::to_sql(entry.written_at),
                entry.seq,
                entry.prev_hash,
                entry.hash,
            ],
        )?;
    }
    Ok(())
}

fn import_erased(
    tx: &Transaction<'_>,
    client_id: ClientId,
    erased: &[ErasedLink],
) -> rusqlite::Result<()> {
    for link in erased {
        tx.execute(
            "INSERT OR IGNORE INTO chain_erased (client_id, seq, exchange_id, entry_uid, prev_hash, \
             hash, erased_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6)",
            params![
                client_id.0,
                link.seq,
                link.entry_uid,
                link.prev_hash,
                link.hash,
                time::to_sql(link.erased_at)
            ],
        )?;
    }
    Ok(())
}

fn import_history(
    tx: &Transaction<'_>,
    client_id: ClientId,
    history: &[HistoryRecord],
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    for event in history {
        let added = tx.execute(
            "INSERT INTO client_history (client_id, at, what, old_value, new_value, note) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM client_history \
             WHERE client_id = ?1 AND at = ?2 AND what = ?3 AND old_value IS ?4 \
             AND new_value IS ?5 AND note = ?6)",
            params![
                client_id.0,
                time::to_sql(event.at),
                event.what,
                event.old_value,
                event.new_value,
                event.note
            ],
        )?;
        report.history_added += added;
    }
    Ok(())
}

fn local_row_of(tx: &Transaction<'_>, uid: Option<&str>) -> rusqlite::Result<Option<i64>> {
    match uid {
        Some(uid) => tx
            .query_row(
                "SELECT exchange_id FROM exchanges WHERE uid = ?1",
                [uid],
                |row| row.get(0),
            )
            .optional(),
        None => Ok(None),
    }
}

fn import_cooldown(
    tx: &Transaction<'_>,
    client_id: ClientId,
    cooldown: &CoolDownArchived,
    path: &str,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let known: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM cooldowns WHERE uid = ?1",
            [&cooldown.uid],
            |row| row.get(0),
        )
        .optional()?;
    if known.is_some() {
        return Ok(());
    }
    let exchange_id = local_row_of(tx, cooldown.entry_uid.as_deref())?;
    let reply_id = local_row_of(tx, cooldown.reply_entry_uid.as_deref())?;
    let mut value = cooldown.record.clone();
    value["client_id"] = client_id.0.into();
    value["exchange_id"] = exchange_id.map_or(serde_json::Value::Null, Into::into);
    if let Some(logged) = value
        .get_mut("logged_reply")
        .filter(|logged| logged.is_object())
    {
        logged["exchange_id"] = reply_id.unwrap_or(0).into();
    }
    tx.execute(
        "INSERT INTO cooldowns (client_id, exchange_id, step, started_at, wait_until, state, \
         updated_at, uid) VALUES (?1, ?2, 'wait', '', '', '{}', ?3, ?4)",
        params![
            client_id.0,
            exchange_id,
            time::to_sql(cooldown.updated_at),
            cooldown.uid
        ],
    )?;
    let cooldown_id = CoolDownId(tx.last_insert_rowid());
    let session = record::decode(&value.to_string(), cooldown_id)
        .map_err(|error| invalid(format!("{path}.record"), error.to_string()))?;
    tx.execute(
        "UPDATE cooldowns SET step = ?2, started_at = ?3, wait_until = ?4, finished_at = ?5, \
         state = ?6 WHERE cooldown_id = ?1",
        params![
            cooldown_id.0,
            session.step().as_str(),
            time::to_sql(session.started_at()),
            time::to_sql(session.lock_ends_at()),
            session.finished_at().map(time::to_sql),
            record::encode(&session),
        ],
    )?;
    report.cooldowns_added += 1;
    Ok(())
}

fn import_settings(
    tx: &Transaction<'_>,
    settings: &std::collections::BTreeMap<String, String>,
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    for (key, value) in settings {
        let added = tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            params![key, value],
        )?;
        if added == 1 {
            report.settings_added += 1;
        } else {
            report.settings_kept += 1;
        }
    }
    Ok(())
}

/// Every imported client's chain must hold in the database before anything is committed.
fn check_imported_chain(
    tx: &Transaction<'_>,
    client_id: ClientId,
    client: &ClientRecord,
) -> Result<(), ImportError> {
    chain::check_client_chain(tx, client_id, &client.uid)?
        .map(drop)
        .map_err(|broken| ImportError::ChainBroken {
            client: client.name.clone(),
            broken,
        })
}
