//! Reads and writes of the `clients` table and of each client's history. A change of kind or
//! status writes a history row in the same transaction, so nothing the user once decided about a
//! client is overwritten without a trace.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension as _, Row, named_params, params};

use super::{Store, StoreError, StoreResult, time};
use crate::domain::history::{ClientEvent, HistoryEntry};
use crate::domain::overview::ClientOverview;
use crate::domain::{
    BillingPeriod, Client, ClientDraft, ClientId, ClientKind, ClientStatus, Contract, Currency,
    Ending, IncludedSupport, Money, ScheduledEnd, StatusChange,
};

const CLIENT_COLUMNS: &str = "client_id, name, contact, contract_reference, clause_scope, clause_terms, \
     clause_refund, clause_termination, notice_period_days, fee_minor_units, currency, billing_period, \
     status, ended_at, ended_reason, kind, notes, created_at, updated_at, contact_person, end_on, \
     end_on_reason, fee_per, included_minutes";

const UPDATE_CLIENT_SQL: &str = "UPDATE clients SET name = :name, contact = :contact, \
     contact_person = :contact_person, contract_reference = :reference, clause_scope = :scope, \
     clause_terms = :terms, clause_refund = :refund, clause_termination = :termination, \
     notice_period_days = :notice, fee_minor_units = :fee, currency = :currency, \
     billing_period = :period, fee_per = :fee_per, included_minutes = :included, kind = :kind, \
     notes = :notes, updated_at = :now \
     WHERE client_id = :client_id";

/// How many columns [`CLIENT_COLUMNS`] has (the overview's extra columns come after).
const CLIENT_COLUMN_COUNT: usize = 24;

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
            ":contact_person": draft.contact_person,
            ":reference": draft.contract.reference,
            ":scope": draft.contract.scope,
            ":terms": draft.contract.terms,
            ":refund": draft.contract.refund,
            ":termination": draft.contract.termination,
            ":notice": draft.contract.notice_period_days,
            ":fee": draft.fee.map(|fee| fee.minor_units),
            ":currency": draft.fee.map(|fee| fee.currency).unwrap_or_default().code(),
            ":period": period_column(draft.billing_period),
            ":fee_per": fee_per_column(draft.billing_period),
            ":included": draft.included_support.map(IncludedSupport::minutes),
            ":kind": draft.kind.map(ClientKind::as_str),
            ":notes": draft.notes,
            ":now": time::to_sql(now),
        },
    )
}

/// `billing_period` holds a month, quarter or year; an hourly or one-off fee is in `fee_per`
/// (added later, so the old column's rule still holds: those keep 'month' there).
pub(super) fn period_column(period: BillingPeriod) -> &'static str {
    match period {
        BillingPeriod::Hour | BillingPeriod::Project => BillingPeriod::Month.as_str(),
        BillingPeriod::Month | BillingPeriod::Quarter | BillingPeriod::Year => period.as_str(),
    }
}

pub(super) fn fee_per_column(period: BillingPeriod) -> Option<&'static str> {
    matches!(period, BillingPeriod::Hour | BillingPeriod::Project).then(|| period.as_str())
}

fn parse_day(text: &str, index: usize) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad_value(index, "date"))
}

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<Client> {
    let status_text: String = row.get(12)?;
    let status = ClientStatus::parse(&status_text).ok_or_else(|| bad_value(12, "status"))?;
    let period_text = row
        .get::<_, Option<String>>(22)?
        .map_or_else(|| row.get::<_, String>(11), Ok)?;
    let billing_period =
        BillingPeriod::parse(&period_text).ok_or_else(|| bad_value(11, "billing period"))?;
    let included_support = match row.get::<_, Option<u32>>(23)? {
        Some(minutes) => {
            Some(IncludedSupport::new(minutes).ok_or_else(|| bad_value(23, "included support"))?)
        }
        None => None,
    };
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
    let scheduled_end = match row.get::<_, Option<String>>(20)? {
        Some(day) => Some(ScheduledEnd {
            on: parse_day(&day, 20)?,
            reason: row.get::<_, Option<String>>(21)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Client {
        client_id: ClientId(row.get(0)?),
        name: row.get(1)?,
        contact: row.get(2)?,
        contact_person: row.get(19)?,
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
        included_support,
        status,
        ending,
        scheduled_end,
        kind,
        notes: row.get(16)?,
        created_at: time::column(row, 17)?,
        updated_at: time::column(row, 18)?,
    })
}

fn client_in(tx: &rusqlite::Connection, client_id: ClientId) -> StoreResult<Client> {
    tx.query_row(
        &format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE client_id = ?1"),
        [client_id.0],
        client_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// One history row, in the same transaction as the change it records.
fn record_event(
    tx: &rusqlite::Transaction<'_>,
    client_id: ClientId,
    event: &ClientEvent,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let (what, old, new, note) = match event {
        ClientEvent::KindChanged { from, to } => (
            "kind",
            from.map(ClientKind::as_str).map(str::to_owned),
            to.map(ClientKind::as_str).map(str::to_owned),
            String::new(),
        ),
        ClientEvent::StatusChanged { from, to, reason } => (
            "status",
            Some(from.as_str().to_owned()),
            Some(to.as_str().to_owned()),
            reason.clone(),
        ),
        ClientEvent::EndScheduled { on, reason } => (
            "end_scheduled",
            None,
            Some(on.format("%Y-%m-%d").to_string()),
            reason.clone(),
        ),
        ClientEvent::EndCancelled { on } => (
            "end_cancelled",
            Some(on.format("%Y-%m-%d").to_string()),
            None,
            String::new(),
        ),
    };
    tx.execute(
        "INSERT INTO client_history (client_id, at, what, old_value, new_value, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![client_id.0, time::to_sql(now), what, old, new, note],
    )?;
    Ok(())
}

/// Sets a client's kind and records the change (nothing when it is the same).
pub(super) fn set_kind_in(
    tx: &rusqlite::Transaction<'_>,
    client_id: ClientId,
    kind: Option<ClientKind>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = client_in(tx, client_id)?;
    if before.kind == kind {
        return Ok(());
    }
    tx.execute(
        "UPDATE clients SET kind = ?2, updated_at = ?3 WHERE client_id = ?1",
        params![client_id.0, kind.map(ClientKind::as_str), time::to_sql(now)],
    )?;
    record_event(
        tx,
        client_id,
        &ClientEvent::KindChanged {
            from: before.kind,
            to: kind,
        },
        now,
    )?;
    Ok(())
}

/// Applies a status change inside a transaction: the domain decides whether it is allowed from
/// the status read in the same transaction, so two windows cannot race past the rule.
pub(super) fn set_status_in(
    tx: &rusqlite::Transaction<'_>,
    client_id: ClientId,
    change: &StatusChange,
    now: DateTime<Utc>,
) -> Result<ClientStatus, ChangeStatusError> {
    let before = client_in(tx, client_id)?;
    let next = change.apply(before.status)?;
    match change {
        StatusChange::EndOn { on, reason } => schedule_end_in(tx, client_id, *on, reason, now)?,
        StatusChange::CancelEnd => {
            let scheduled = before
                .scheduled_end
                .ok_or(crate::domain::StatusChangeError::NotAllowed)?;
            cancel_end_in(tx, client_id, scheduled.on, now)?;
        }
        _ => {
            let (ended_at, ended_reason) = match change {
                StatusChange::End { reason } => {
                    (Some(time::to_sql(now)), Some(reason.trim().to_owned()))
                }
                _ => (None, None),
            };
            // Ending or reopening settles any scheduled end; pausing or resuming keeps it.
            let settles_schedule =
                matches!(change, StatusChange::End { .. } | StatusChange::Reopen);
            tx.execute(
                "UPDATE clients SET status = ?2, ended_at = ?3, ended_reason = ?4, updated_at = ?5, \
                 end_on = CASE WHEN ?6 THEN NULL ELSE end_on END, \
                 end_on_reason = CASE WHEN ?6 THEN NULL ELSE end_on_reason END \
                 WHERE client_id = ?1",
                params![
                    client_id.0,
                    next.as_str(),
                    ended_at,
                    ended_reason,
                    time::to_sql(now),
                    settles_schedule
                ],
            )
            .map_err(StoreError::from)?;
            let reason = match change {
                StatusChange::End { reason } => reason.trim().to_owned(),
                // Reopening keeps why the client was ended in the history.
                StatusChange::Reopen => before
                    .ending
                    .map(|ending| ending.reason)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let event = ClientEvent::StatusChanged {
                from: before.status,
                to: next,
                reason,
            };
            record_event(tx, client_id, &event, now).map_err(StoreError::from)?;
        }
    }
    Ok(next)
}

fn schedule_end_in(
    tx: &rusqlite::Transaction<'_>,
    client_id: ClientId,
    on: NaiveDate,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE clients SET end_on = ?2, end_on_reason = ?3, updated_at = ?4 WHERE client_id = ?1",
        params![
            client_id.0,
            on.format("%Y-%m-%d").to_string(),
            reason.trim(),
            time::to_sql(now)
        ],
    )?;
    let event = ClientEvent::EndScheduled {
        on,
        reason: reason.trim().to_owned(),
    };
    record_event(tx, client_id, &event, now)?;
    Ok(())
}

fn cancel_end_in(
    tx: &rusqlite::Transaction<'_>,
    client_id: ClientId,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE clients SET end_on = NULL, end_on_reason = NULL, updated_at = ?2 WHERE client_id = ?1",
        params![client_id.0, time::to_sql(now)],
    )?;
    record_event(tx, client_id, &ClientEvent::EndCancelled { on }, now)?;
    Ok(())
}

impl Store {
    /// Adds a client; returns its id.
    pub fn add_client(&mut self, draft: &ClientDraft, now: DateTime<Utc>) -> StoreResult<ClientId> {
        let tx = self.conn.transaction()?;
        write_client(
            &tx,
            "INSERT INTO clients (client_id, name, contact, contact_person, contract_reference, \
             clause_scope, clause_terms, clause_refund, clause_termination, notice_period_days, \
             fee_minor_units, currency, billing_period, fee_per, included_minutes, kind, notes, \
             created_at, updated_at, uid) \
             VALUES (:client_id, :name, :contact, :contact_person, :reference, :scope, :terms, \
             :refund, :termination, :notice, :fee, :currency, :period, :fee_per, :included, :kind, \
             :notes, :now, :now, lower(hex(randomblob(16))))",
            None,
            draft,
            now,
        )?;
        let client_id = ClientId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(client_id)
    }

    /// Replaces a client's details (not its status); a new kind goes into the history.
    pub fn update_client(
        &mut self,
        client_id: ClientId,
        draft: &ClientDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        set_kind_in(&tx, client_id, draft.kind, now)?;
        let changed = write_client(&tx, UPDATE_CLIENT_SQL, Some(client_id), draft, now)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces a client's details only if the client is still as `original` (the form's
    /// starting point): a change made meanwhile (in a cool-down, by undo) is never reverted by a
    /// stale form. `StoreError::Conflict` otherwise, and nothing is written.
    pub fn update_client_if_unchanged(
        &mut self,
        original: &Client,
        draft: &ClientDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        if client_in(&tx, original.client_id)? != *original {
            return Err(StoreError::Conflict);
        }
        set_kind_in(&tx, original.client_id, draft.kind, now)?;
        let changed = write_client(&tx, UPDATE_CLIENT_SQL, Some(original.client_id), draft, now)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit()?;
        Ok(())
    }

    /// Pauses, resumes, ends (archives, with the reason and date), schedules an end, calls a
    /// scheduled end off, or reopens a client — and records it in the client's history.
    pub fn change_client_status(
        &mut self,
        client_id: ClientId,
        change: &StatusChange,
        now: DateTime<Utc>,
    ) -> Result<ClientStatus, ChangeStatusError> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let next = set_status_in(&tx, client_id, change, now)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(next)
    }

    /// Ends every client whose scheduled end has come (`end_on` is `today` or earlier), as of
    /// the start of that day; returns who was ended. One transaction.
    pub fn end_due_clients(
        &mut self,
        today: NaiveDate,
        start_of_day: impl Fn(NaiveDate) -> DateTime<Utc>,
    ) -> StoreResult<Vec<ClientId>> {
        let tx = self.conn.transaction()?;
        let due: Vec<(ClientId, String, String)> = {
            let mut statement = tx.prepare(
                "SELECT client_id, end_on, coalesce(end_on_reason, '') FROM clients \
                 WHERE end_on IS NOT NULL AND end_on <= ?1 AND status != 'ended'",
            )?;
            let rows = statement.query_map([today.format("%Y-%m-%d").to_string()], |row| {
                Ok((ClientId(row.get(0)?), row.get(1)?, row.get(2)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        for (client_id, day, reason) in &due {
            let at = start_of_day(parse_day(day, 1)?);
            set_status_in(
                &tx,
                *client_id,
                &StatusChange::End {
                    reason: reason.clone(),
                },
                at,
            )
            .map_err(|error| match error {
                ChangeStatusError::Store(error) => error,
                ChangeStatusError::Rule(rule) => StoreError::Damaged(rule.to_string()),
            })?;
        }
        tx.commit()?;
        Ok(due.into_iter().map(|(client_id, _, _)| client_id).collect())
    }

    pub fn client(&self, client_id: ClientId) -> StoreResult<Client> {
        client_in(&self.conn, client_id)
    }

    /// A client's history, newest first.
    pub fn client_history(&self, client_id: ClientId) -> StoreResult<Vec<HistoryEntry>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT at, what, old_value, new_value, note FROM client_history \
             WHERE client_id = ?1 ORDER BY at DESC, event_id DESC",
        )?;
        let rows = statement.query_map([client_id.0], |row| {
            let what: String = row.get(1)?;
            let old: Option<String> = row.get(2)?;
            let new: Option<String> = row.get(3)?;
            let note: String = row.get(4)?;
            let kind = |value: &Option<String>| -> rusqlite::Result<Option<ClientKind>> {
                value
                    .as_deref()
                    .map(|text| ClientKind::parse(text).ok_or_else(|| bad_value(2, "kind")))
                    .transpose()
            };
            let status = |value: &Option<String>| -> rusqlite::Result<ClientStatus> {
                value
                    .as_deref()
                    .and_then(ClientStatus::parse)
                    .ok_or_else(|| bad_value(2, "status"))
            };
            let day = |value: &Option<String>| -> rusqlite::Result<NaiveDate> {
                parse_day(value.as_deref().unwrap_or_default(), 3)
            };
            let event = match what.as_str() {
                "kind" => ClientEvent::KindChanged {
                    from: kind(&old)?,
                    to: kind(&new)?,
                },
                "status" => ClientEvent::StatusChanged {
                    from: status(&old)?,
                    to: status(&new)?,
                    reason: note,
                },
                "end_scheduled" => ClientEvent::EndScheduled {
                    on: day(&new)?,
                    reason: note,
                },
                "end_cancelled" => ClientEvent::EndCancelled { on: day(&old)? },
                _ => return Err(bad_value(1, "history entry")),
            };
            Ok(HistoryEntry {
                at: time::column(row, 0)?,
                event,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// All clients with their journal counts, ordered by name (case-insensitively).
    pub fn client_overviews(&self) -> StoreResult<Vec<ClientOverview>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS}, \
               coalesce((SELECT entries FROM client_entry_counts n \
                         WHERE n.client_id = c.client_id), 0), \
               (SELECT max(occurred_at) FROM exchanges e WHERE e.client_id = c.client_id) \
             FROM clients c ORDER BY lower(name), client_id"
        ))?;
        let rows = statement.query_map([], |row| {
            let last_exchange_at = match row.get_ref(CLIENT_COLUMN_COUNT + 1)?.as_str_or_null()? {
                Some(_) => Some(time::column(row, CLIENT_COLUMN_COUNT + 1)?),
                None => None,
            };
            Ok(ClientOverview {
                client: client_from_row(row)?,
                exchange_count: row
                    .get::<_, i64>(CLIENT_COLUMN_COUNT)?
                    .try_into()
                    .unwrap_or(0),
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
