//! The evidence chain in the file: each client's links (an entry's current content in
//! `exchanges`, its past contents in `exchange_versions`, a deleted entry in `exchange_trash`,
//! erased words in `chain_erased`) and the head, written in the same transaction as the write
//! they record. The hashing rules are the domain's (`domain::evidence`); this module only reads
//! and writes them, and reads every link back for `calmdesk verify`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension as _, Transaction, params};

use super::exchanges::{channel_at, direction_at, minutes_at};
use super::{Store, StoreResult, time};
use crate::domain::evidence::{
    ChainBreak, GENESIS, LinkContent, OwnedContent, StoredLink, check_chain, check_links_in_order,
    link_hash,
};
use crate::domain::{ClientId, ExchangeDraft};

/// A new link, ready to be written with the content it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct NewLink {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// A fresh stable id (128 random bits from SQLite's own generator, as hex).
pub(super) fn new_uid(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT lower(hex(randomblob(16)))", [], |row| row.get(0))
}

pub(super) fn client_uid(
    conn: &Connection,
    client_id: ClientId,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT uid FROM clients WHERE client_id = ?1",
        [client_id.0],
        |row| row.get(0),
    )
    .optional()
    .map(Option::flatten)
}

pub(super) fn head(
    conn: &Connection,
    client_id: ClientId,
) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT seq, hash FROM chain_heads WHERE client_id = ?1",
        [client_id.0],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// Computes the next link of the client's chain for `draft` written at `written_at`, and moves
/// the head to it. The caller writes the link's columns with the content, in the same
/// transaction.
pub(super) fn append(
    tx: &Transaction<'_>,
    client_id: ClientId,
    client_uid: &str,
    entry_uid: &str,
    draft: &ExchangeDraft,
    written_at: DateTime<Utc>,
) -> rusqlite::Result<NewLink> {
    let link = next_link(
        head(tx, client_id)?,
        client_uid,
        entry_uid,
        draft,
        written_at,
    );
    set_head(tx, client_id, link.seq, &link.hash)?;
    Ok(link)
}

/// The link after `head` (the client's last link, `None` before the first) for `draft` written
/// at `written_at`. Only computes; the caller writes it and moves the head.
pub(super) fn next_link(
    head: Option<(i64, String)>,
    client_uid: &str,
    entry_uid: &str,
    draft: &ExchangeDraft,
    written_at: DateTime<Utc>,
) -> NewLink {
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let hash = link_hash(
        &prev_hash,
        &LinkContent {
            client_uid,
            entry_uid,
            seq,
            direction: draft.direction,
            channel: draft.channel,
            occurred_at: draft.occurred_at,
            minutes: draft.minutes,
            written_at,
            body: &draft.body,
        },
    );
    NewLink {
        seq,
        prev_hash,
        hash,
    }
}

pub(super) fn set_head(
    tx: &Transaction<'_>,
    client_id: ClientId,
    seq: i64,
    hash: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO chain_heads (client_id, seq, hash) VALUES (?1, ?2, ?3) \
         ON CONFLICT (client_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        params![client_id.0, seq, hash],
    )?;
    Ok(())
}

/// Migration 5's hook: chains every entry already in the file, per client, oldest first
/// (by when it was written, then by row), covering its content as it is now.
pub(super) fn chain_existing_entries(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let clients: Vec<(i64, String)> = {
        let mut statement = tx.prepare("SELECT client_id, uid FROM clients ORDER BY client_id")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (client_id, client_uid) in clients {
        let rows: Vec<(i64, String, ExchangeDraft, DateTime<Utc>)> = {
            let mut statement = tx.prepare(
                "SELECT exchange_id, uid, direction, channel, occurred_at, minutes, body, updated_at \
                 FROM exchanges WHERE client_id = ?1 ORDER BY created_at, exchange_id",
            )?;
            statement
                .query_map([client_id], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        ExchangeDraft {
                            direction: direction_at(row, 2)?,
                            channel: channel_at(row, 3)?,
                            occurred_at: time::column(row, 4)?,
                            minutes: minutes_at(row, 5)?,
                            body: row.get(6)?,
                        },
                        time::column(row, 7)?,
                    ))
                })?
                .collect::<Result<_, _>>()?
        };
        for (exchange_id, uid, draft, written_at) in rows {
            let link = append(
                tx,
                ClientId(client_id),
                &client_uid,
                &uid,
                &draft,
                written_at,
            )?;
            tx.execute(
                "UPDATE exchanges SET seq = ?2, prev_hash = ?3, hash = ?4 WHERE exchange_id = ?1",
                params![exchange_id, link.seq, link.prev_hash, link.hash],
            )?;
        }
    }
    Ok(())
}

/// Every link of one client, from the four places links live, unsorted.
/// Every link of a client, in chain order.
pub(super) fn links_of(
    conn: &Connection,
    client_id: ClientId,
) -> rusqlite::Result<Vec<StoredLink>> {
    links_in_order(conn, client_id)?.collect()
}

/// A row of the link queries: seq, entry row, entry uid, the content (NULL when erased),
/// prev_hash, hash.
fn link_at(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredLink> {
    let content = match row.get_ref(3)?.as_str_or_null()? {
        None => None,
        Some(_) => Some(OwnedContent {
            direction: direction_at(row, 3)?,
            channel: channel_at(row, 4)?,
            occurred_at: time::column(row, 5)?,
            minutes: minutes_at(row, 6)?,
            written_at: time::column(row, 7)?,
            body: row.get(8)?,
        }),
    };
    Ok(StoredLink {
        seq: row.get::<_, Option<i64>>(0)?.unwrap_or(0),
        exchange_id: row.get(1)?,
        entry_uid: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
        content,
        prev_hash: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
        hash: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
    })
}

/// Where each of a client's links is, in chain order: the table (an index into
/// [`LINK_BY_PLACE`]) and the row. Only these are sorted; there is no index by `seq`, and
/// sorting the links themselves held a whole journal's text in SQLite's sorter.
const LINK_ORDER_SQL: &str = "SELECT seq, 0, exchange_id FROM exchanges WHERE client_id = ?1 \
     UNION ALL SELECT seq, 1, version_id FROM exchange_versions WHERE client_id = ?1 \
     UNION ALL SELECT seq, 2, exchange_id FROM exchange_trash WHERE client_id = ?1 \
     UNION ALL SELECT seq, 3, seq FROM chain_erased WHERE client_id = ?1 ORDER BY 1";

/// One link by its place, as [`link_at`] reads it: `?1` the client, `?2` the row.
const LINK_BY_PLACE: [&str; 4] = [
    "SELECT seq, exchange_id, uid, direction, channel, occurred_at, minutes, updated_at, body, \
            prev_hash, hash FROM exchanges WHERE client_id = ?1 AND exchange_id = ?2",
    "SELECT v.seq, v.exchange_id, coalesce(e.uid, t.uid, ''), v.direction, v.channel, \
            v.occurred_at, v.minutes, v.written_at, v.body, v.prev_hash, v.hash \
       FROM exchange_versions v \
       LEFT JOIN exchanges e ON e.exchange_id = v.exchange_id \
       LEFT JOIN exchange_trash t ON t.exchange_id = v.exchange_id \
      WHERE v.client_id = ?1 AND v.version_id = ?2",
    "SELECT seq, exchange_id, uid, direction, channel, occurred_at, minutes, updated_at, body, \
            prev_hash, hash FROM exchange_trash WHERE client_id = ?1 AND exchange_id = ?2",
    "SELECT seq, exchange_id, entry_uid, NULL, NULL, NULL, NULL, NULL, NULL, prev_hash, hash \
       FROM chain_erased WHERE client_id = ?1 AND seq = ?2",
];

/// A client's links in chain order, each read by its place when it is its turn: a chain of any
/// length is gone through in the memory of its row numbers.
fn links_in_order(
    conn: &Connection,
    client_id: ClientId,
) -> rusqlite::Result<impl Iterator<Item = rusqlite::Result<StoredLink>> + '_> {
    let places: Vec<(u8, i64)> = conn
        .prepare_cached(LINK_ORDER_SQL)?
        .query_map([client_id.0], |row| Ok((row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut by_place = Vec::with_capacity(LINK_BY_PLACE.len());
    for sql in LINK_BY_PLACE {
        by_place.push(conn.prepare_cached(sql)?);
    }
    Ok(places.into_iter().map(move |(place, row_id)| {
        by_place
            .get_mut(usize::from(place))
            .ok_or(rusqlite::Error::InvalidColumnIndex(1))?
            .query_row(params![client_id.0, row_id], link_at)
    }))
}

/// Checks a client's chain reading one link at a time in order (`calmdesk verify`, an
/// import's check).
pub(super) fn check_client_chain(
    conn: &Connection,
    client_id: ClientId,
    client_uid: &str,
) -> rusqlite::Result<Result<usize, ChainBreak>> {
    let head = head(conn, client_id)?;
    let links = links_in_order(conn, client_id)?;
    check_links_in_order(
        client_uid,
        links,
        head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
    )
}

/// One client's chain, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub client_id: ClientId,
    pub client_name: String,
    /// How many links hold, or where the chain first breaks.
    pub result: Result<usize, ChainBreak>,
}

impl Store {
    /// Recomputes every client's chain from what is in the file now.
    pub fn verify_chains(&self) -> StoreResult<Vec<ChainReport>> {
        let clients: Vec<(ClientId, String, String)> = {
            let mut statement = self.conn.prepare(
                "SELECT client_id, name, coalesce(uid, '') FROM clients ORDER BY client_id",
            )?;
            statement
                .query_map([], |row| {
                    Ok((ClientId(row.get(0)?), row.get(1)?, row.get(2)?))
                })?
                .collect::<Result<_, _>>()?
        };
        let mut reports = Vec::with_capacity(clients.len());
        for (client_id, client_name, uid) in clients {
            let result = check_client_chain(&self.conn, client_id, &uid)?;
            reports.push(ChainReport {
                client_id,
                client_name,
                result,
            });
        }
        Ok(reports)
    }
}

impl Store {
    /// A client's journal as the evidence document shows it: every entry oldest first with its
    /// link, versions and confirmed cool-down marks; the links of deleted and erased entries;
    /// the head; and whether the chain holds.
    pub fn journal_record(
        &self,
        client_id: ClientId,
    ) -> StoreResult<crate::domain::export::JournalRecord> {
        use crate::domain::export::{AbsentLink, JournalRecord, RecordedEntry};
        let client = self.client(client_id)?;
        let reviews = self.reviewed_cooldowns(client_id)?;
        let mut entries = Vec::new();
        for exchange in self.exchanges_of(client_id)? {
            let (seq, hash): (i64, String) = self.conn.query_row(
                "SELECT seq, hash FROM exchanges WHERE exchange_id = ?1",
                [exchange.exchange_id.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let versions = self.versions_of(exchange.exchange_id)?;
            let reviews = reviews
                .iter()
                .filter(|session| session.exchange_id() == Some(exchange.exchange_id))
                .map(|session| (session.started_at(), session.facts().clone()))
                .collect();
            entries.push(RecordedEntry {
                exchange,
                seq,
                hash,
                versions,
                reviews,
            });
        }
        let absent = {
            let mut statement = self.conn.prepare_cached(
                "SELECT seq, hash, trashed_at, 0 FROM exchange_trash WHERE client_id = ?1 \
                 UNION ALL SELECT v.seq, v.hash, t.trashed_at, 0 FROM exchange_versions v \
                   JOIN exchange_trash t ON t.exchange_id = v.exchange_id WHERE v.client_id = ?1 \
                 UNION ALL SELECT seq, hash, erased_at, 1 FROM chain_erased WHERE client_id = ?1 \
                 ORDER BY 1",
            )?;
            let rows = statement.query_map([client_id.0], |row| {
                Ok(AbsentLink {
                    seq: row.get(0)?,
                    hash: row.get(1)?,
                    at: time::column(row, 2)?,
                    erased: row.get(3)?,
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let uid = client_uid(&self.conn, client_id)?.unwrap_or_default();
        let head = head(&self.conn, client_id)?;
        let mut links = links_of(&self.conn, client_id)?;
        let chain = check_chain(
            &uid,
            &mut links,
            head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
        );
        Ok(JournalRecord {
            client,
            entries,
            absent,
            head,
            chain,
        })
    }

    /// The client with this name (exactly, or ignoring case when only one matches).
    pub fn client_named(&self, name: &str) -> StoreResult<Option<ClientId>> {
        let mut statement = self
            .conn
            .prepare("SELECT client_id, name FROM clients ORDER BY client_id")?;
        let all: Vec<(i64, String)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if let Some((client_id, _)) = all.iter().find(|(_, candidate)| candidate == name) {
            return Ok(Some(ClientId(*client_id)));
        }
        let folded: Vec<_> = all
            .iter()
            .filter(|(_, candidate)| candidate.to_lowercase() == name.to_lowercase())
            .collect();
        Ok(match folded.as_slice() {
            [(client_id, _)] => Some(ClientId(*client_id)),
            _ => None,
        })
    }
}
