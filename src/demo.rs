//! The sample data behind `--demo`: realistic difficult clients (one Russian, one English) and a
//! calm one, loaded from `assets/demo/demo.json` into a database of its own.
//!
//! Dates in the file are relative ("days_ago"), so the demo always looks recent. `generate`
//! makes a large database instead, for measuring (`calmdesk gen-demo`).

pub mod generate;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde::Deserialize;

use crate::domain::ledger::CostPerMinute;
use crate::domain::{
    BillingPeriod, Channel, ClientDraft, ClientId, ClientKind, ClientStatus, Contract, Currency,
    Direction, ExchangeDraft, IncludedSupport, Minutes, Money, StatusChange, money::parse_amount,
};
use crate::store::{Store, StoreError};

const DEMO_JSON: &str = include_str!("../assets/demo/demo.json");

/// What a support minute costs in the demo, as the setting holds it.
pub const DEMO_COST_PER_MINUTE: &str = "10 USD";

#[derive(Debug, Deserialize)]
struct DemoFile {
    clients: Vec<DemoClient>,
}

#[derive(Debug, Deserialize)]
struct DemoClient {
    name: String,
    contact: String,
    #[serde(default)]
    contact_person: String,
    contract_ref: String,
    clause_scope: String,
    clause_terms: String,
    clause_refund: String,
    clause_termination: String,
    notice_period_days: Option<u32>,
    fee: Option<String>,
    currency: Currency,
    billing_period: BillingPeriod,
    /// Support included a month, as typed in the form ("3 h").
    #[serde(default)]
    included_support: Option<String>,
    status: ClientStatus,
    ended_reason: Option<String>,
    kind: Option<ClientKind>,
    notes: String,
    exchanges: Vec<DemoExchange>,
}

#[derive(Debug, Deserialize)]
struct DemoExchange {
    days_ago: i64,
    time: String,
    direction: Direction,
    channel: Channel,
    minutes: u32,
    text: String,
}

/// Why the demo could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the built-in demo data is malformed: {0}")]
    Malformed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where the demo database lives: beside the real one, under its own name.
pub fn demo_path(data_dir: &Path) -> PathBuf {
    data_dir.join("calmdesk-demo.sqlite3")
}

/// Makes a fresh demo database at `path`, replacing an earlier demo there. Only ever called on
/// the demo path, never on the user's own database.
pub fn create_demo_database<Tz: TimeZone>(
    path: &Path,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Store, DemoError> {
    // A demo open in another window is not pulled from under it.
    if crate::store::is_in_use(path) {
        return Err(StoreError::Locked {
            path: path.to_owned(),
        }
        .into());
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_owned(),
                    source,
                }
                .into());
            }
        }
    }
    let mut store = Store::open(path)?;
    fill(&mut store, now, tz)?;
    Ok(store)
}

/// Adds the demo clients and their journals to `store`.
pub fn fill<Tz: TimeZone>(
    store: &mut Store,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<ClientId>, DemoError> {
    let file: DemoFile =
        serde_json::from_str(DEMO_JSON).map_err(|error| DemoError::Malformed(error.to_string()))?;
    let today = now.with_timezone(tz).date_naive();
    // Seed 002's figure: 10 cents a minute, so a $20 plan buys 200 minutes a month.
    store.set_setting(CostPerMinute::SETTING_KEY, DEMO_COST_PER_MINUTE)?;
    let mut client_ids = Vec::new();
    for demo_client in file.clients {
        let fee = match demo_client.fee.as_deref() {
            Some(text) => Some(Money {
                minor_units: parse_amount(text)
                    .map_err(|error| DemoError::Malformed(error.to_string()))?,
                currency: demo_client.currency,
            }),
            None => None,
        };
        let draft =
            ClientDraft {
                name: demo_client.name,
                contact: demo_client.contact,
                contact_person: demo_client.contact_person,
                contract: Contract {
                    reference: demo_client.contract_ref,
                    scope: demo_client.clause_scope,
                    terms: demo_client.clause_terms,
                    refund: demo_client.clause_refund,
                    termination: demo_client.clause_termination,
                    notice_period_days: demo_client.notice_period_days,
                },
                fee,
                billing_period: demo_client.billing_period,
                included_support: match demo_client.included_support.as_deref() {
                    Some(text) => Some(IncludedSupport::parse(text).ok_or_else(|| {
                        DemoError::Malformed(format!("included support {text:?}"))
                    })?),
                    None => None,
                },
                kind: demo_client.kind,
                notes: demo_client.notes,
            };
        let mut exchanges = Vec::new();
        for demo_exchange in demo_client.exchanges {
            let time =
                NaiveTime::parse_from_str(&demo_exchange.time, "%H:%M").map_err(|error| {
                    DemoError::Malformed(format!("time {:?}: {error}", demo_exchange.time))
                })?;
            let day = today - Duration::days(demo_exchange.days_ago);
            let local = tz
                .from_local_datetime(&day.and_time(time))
                .earliest()
                .ok_or_else(|| DemoError::Malformed("a time skipped by a clock change".into()))?;
            // Today's entries never lie in the future.
            let occurred_at = local.with_timezone(&Utc).min(now);
            exchanges.push(ExchangeDraft {
                direction: demo_exchange.direction,
                channel: demo_exchange.channel,
                occurred_at,
                minutes: Minutes::new(demo_exchange.minutes)
                    .ok_or_else(|| DemoError::Malformed("minutes over a day".into()))?,
                body: demo_exchange.text,
            });
        }
        let client_id = store.add_client(&draft, now)?;
        store.add_exchanges(client_id, &exchanges, now)?;
        let change = match demo_client.status {
            ClientStatus::Active => None,
            ClientStatus::Paused => Some(StatusChange::Pause),
            ClientStatus::Ended => Some(StatusChange::End {
                reason: demo_client.ended_reason.unwrap_or_else(|| "—".into()),
            }),
        };
        if let Some(change) = change {
            store
                .change_client_status(client_id, &change, now)
                .map_err(|error| DemoError::Malformed(error.to_string()))?;
        }
        client_ids.push(client_id);
    }
    Ok(client_ids)
}
