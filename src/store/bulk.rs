//! Many entries at once, for generated data (`calmdesk gen-demo`): one transaction per batch,
//! prepared statements, and each client's chain head kept in memory and written once per batch.
//! Every entry is linked exactly as `add_exchange` links it, so `calmdesk verify` holds.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Store, StoreError, StoreResult, chain, exchanges, terms, time};
use crate::domain::{ClientId, ExchangeDraft};

/// One entry for [`Store::append_entries`]: whose it is, what it says, and when it was written
/// down (its `created_at`, which the link covers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    pub client_id: ClientId,
    pub draft: ExchangeDraft,
    pub written_at: DateTime<Utc>,
}

/// A client's chain while a batch is written: its stable id and its last link.
struct Chain {
    client_uid: String,
    head: Option<(i64, String)>,
    moved: bool,
}

impl Store {
    /// Appends `entries` in their order, each as the next link of its client's chain, in one
    /// transaction: all of them or none.
    pub fn append_entries(&mut self, entries: &[NewEntry]) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let mut next_id = exchanges::next_exchange_id(&tx)?;
        let mut chains: HashMap<i64, Chain> = HashMap::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO exchanges (exchange_id, client_id, direction, channel, occurred_at, \
                 minutes, body, created_at, updated_at, uid, seq, prev_hash, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut new_uid = tx.prepare_cached("SELECT lower(hex(randomblob(16)))")?;
            for entry in entries {
                let client_id = entry.client_id;
                let chain = match chains.entry(client_id.0) {
                    std::collections::hash_map::Entry::Occupied(slot) => slot.into_mut(),
                    std::collections::hash_map::Entry::Vacant(slot) => slot.insert(Chain {
                        client_uid: chain::client_uid(&tx, client_id)?
                            .ok_or(StoreError::NotFound)?,
                        head: chain::head(&tx, client_id)?,
                        moved: false,
                    }),
                };
                let uid: String = new_uid.query_row([], |row| row.get(0))?;
                let link = chain::next_link(
                    chain.head.take(),
                    &chain.client_uid,
                    &uid,
                    &entry.draft,
                    entry.written_at,
                );
                insert.execute(params![
                    next_id,
                    client_id.0,
                    entry.draft.direction.as_str(),
                    entry.draft.channel.as_str(),
                    time::to_sql(entry.draft.occurred_at),
                    entry.draft.minutes.get(),
                    entry.draft.body,
                    time::to_sql(entry.written_at),
                    uid,
                    link.seq,
                    link.prev_hash,
                    link.hash,
                ])?;
                chain.head = Some((link.seq, link.hash));
                chain.moved = true;
                next_id += 1;
            }
        }
        for (client_id, chain) in &chains {
            if let (true, Some((seq, hash))) = (chain.moved, &chain.head) {
                chain::set_head(&tx, ClientId(*client_id), *seq, hash)?;
            }
        }
        terms::commit_entries(tx)?;
        Ok(())
    }
}
