//! Reads and writes of the `clients` table.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, Row, named_params, params};

use super::{Store, StoreError, StoreResult, time};
use crate::domain::{
    BillingPeriod, Client, ClientDraft, ClientId, ClientKind, ClientStatus, Contract, Currency,
    Ending, Money, StatusChange,
};

const CLIENT_COLUMNS: &str = "client_id, name, contact, contract_reference, clause_scope, clause_terms, \
     clause_refund, clause_termination, notice_period_days, fee_minor_units, currency, billing_period, \
     status, ended_at, ended_reason, kind, notes, created_at, updated_at";

/// A client with what the list shows beside the name.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientOverview {
    pub client: Client,
    pub exchange_count: u64,
    pub last_exchange_at: Option<DateTime<Utc>>,
}

fn bad_value(index: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("unexpected {what} in the clients table").into(),
    )
}

/// Runs an INSERT or UPDATE of a client's details, binding the draft's values by name.
fn write_client(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    client_id: Option<ClientId>,
    draft: &ClientDraft,
    now: DateTime<Utc>,
) -> rusqlite::Result<usize> {
    tx.execute(
        sql,
        named_params! {
            ":client_id": client_id.map(|id| id.0),
            ":name": draft.name,
            ":contact": draft.contact,
            ":reference": draft.contract.reference,
            ":scope": draft.contract.scope,
            ":terms": draft.contract.terms,
            ":refund": draft.contract.refund,
            ":termination": draft.contract.termination,
            ":notice": draft.contract.notice_period_days,
            ":fee": draft.fee.map(|fee| fee.minor_units),
            ":currency": draft.fee.map(|fee| fee.currency).unwrap_or_default().code(),
            ":period": draft.billing_period.as_str(),
            ":kind": draft.kind.map(ClientKind::as_str),
            ":notes": draft.notes,
            ":now": time::to_sql(now),
        },
    )
}

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<Client> {
    let status_text: String = row.get(12)?;
    let status = ClientStatus::parse(&status_text).ok_or_else(|| bad_value(12, "status"))?;
    let period_text: String = row.get(11)?;
    let billing_period =
        BillingPeriod::parse(&period_text).ok_or_else(|| bad_value(11, "billing period"))?;
    let kind = match row.get::<_, Option<String>>(15)? {
        Some(text) => Some(ClientKind::parse(&text).ok_or_else(|| bad_value(15, "kind"))?),
        None => None,
    };
    let currency_text: String = row.get(10)?;
    let currency = Currency::parse(&currency_text).ok_or_else(|| bad_value(10, "currency"))?;
    let fee = row.get::<_, Option<i64>>(9)?.map(|minor_units| Money {
        minor_units,
        currency,
    });
    let ending = match row.get_ref(13)?.as_str_or_null()? {
        Some(_) => Some(Ending {
            at: time::column(row, 13)?,
            reason: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Client {
        client_id: ClientId(row.get(0)?),
        name: row.get(1)?,
        contact: row.get(2)?,
        contract: Contract {
            reference: row.get(3)?,
            scope: row.get(4)?,
            terms: row.get(5)?,
            refund: row.get(6)?,
            termination: row.get(7)?,
            notice_period_days: row.get(8)?,
        },
        fee,
        billing_period,
        status,
        ending,
        kind,
        notes: row.get(16)?,
        created_at: time::column(row, 17)?,
        updated_at: time::column(row, 18)?,
    })
}

impl Store {
    /// Adds a client; returns its id.
    pub fn add_client(&mut self, draft: &ClientDraft, now: DateTime<Utc>) -> StoreResult<ClientId> {
        let tx = self.conn.transaction()?;
        write_client(
            &tx,
            "INSERT INTO clients (client_id, name, contact, contract_reference, clause_scope, \
             clause_terms, clause_refund, clause_termination, notice_period_days, fee_minor_units, \
             currency, billing_period, kind, notes, created_at, updated_at) \
             VALUES (:client_id, :name, :contact, :reference, :scope, :terms, :refund, :termination, \
             :notice, :fee, :currency, :period, :kind, :notes, :now, :now)",
            None,
            draft,
            now,
        )?;
        let client_id = ClientId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(client_id)
    }

    /// Replaces a client's details (not its status).
    pub fn update_client(
        &mut self,
        client_id: ClientId,
        draft: &ClientDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let changed = write_client(
            &tx,
            "UPDATE clients SET name = :name, contact = :contact, contract_reference = :reference, \
             clause_scope = :scope, clause_terms = :terms, clause_refund = :refund, \
             clause_termination = :termination, notice_period_days = :notice, fee_minor_units = :fee, \
             currency = :currency, billing_period = :period, kind = :kind, notes = :notes, \
             updated_at = :now WHERE client_id = :client_id",
            Some(client_id),
            draft,
            now,
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit()?;
        Ok(())
    }

    /// Pauses, resumes, ends (archives, with the reason and date) or reopens a client.
    /// The domain decides whether the change is allowed; the old status is read in the same
    /// transaction, so two windows cannot race past the rule.
    pub fn change_client_status(
        &mut self,
        client_id: ClientId,
        change: &StatusChange,
        now: DateTime<Utc>,
    ) -> Result<ClientStatus, ChangeStatusError> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let current: String = tx
            .query_row(
                "SELECT status FROM clients WHERE client_id = ?1",
                [client_id.0],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::from)?
            .ok_or(StoreError::NotFound)?;
        let current = ClientStatus::parse(&current).ok_or(StoreError::NotFound)?;
        let next = change.apply(current)?;
        let (ended_at, ended_reason) = match change {
            StatusChange::End { reason } => {
                (Some(time::to_sql(now)), Some(reason.trim().to_owned()))
            }
            _ => (None, None),
        };
        tx.execute(
            "UPDATE clients SET status = ?2, ended_at = ?3, ended_reason = ?4, updated_at = ?5 \
             WHERE client_id = ?1",
            params![
                client_id.0,
                next.as_str(),
                ended_at,
                ended_reason,
                time::to_sql(now)
            ],
        )
        .map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(next)
    }

    pub fn client(&self, client_id: ClientId) -> StoreResult<Client> {
        self.conn
            .query_row(
                &format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE client_id = ?1"),
                [client_id.0],
                client_from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// All clients with their journal counts, ordered by name (case-insensitively).
    pub fn client_overviews(&self) -> StoreResult<Vec<ClientOverview>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS}, \
               (SELECT count(*) FROM exchanges e WHERE e.client_id = c.client_id), \
               (SELECT max(occurred_at) FROM exchanges e WHERE e.client_id = c.client_id) \
             FROM clients c ORDER BY lower(name), client_id"
        ))?;
        let rows = statement.query_map([], |row| {
            let last_exchange_at = match row.get_ref(20)?.as_str_or_null()? {
                Some(_) => Some(time::column(row, 20)?),
                None => None,
            };
            Ok(ClientOverview {
                client: client_from_row(row)?,
                exchange_count: row.get::<_, i64>(19)?.try_into().unwrap_or(0),
                last_exchange_at,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A status change refused by the rules, or a storage failure.
#[derive(Debug, thiserror::Error)]
pub enum ChangeStatusError {
    #[error(transparent)]
    Rule(#[from] crate::domain::StatusChangeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
