//! A client's history: every change of kind and status, with when and why, so that reopening a
//! client or judging it again never erases what was there before.

use chrono::{DateTime, NaiveDate, Utc};

use super::client::{ClientKind, ClientStatus};

/// One change to a client's standing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// The user judged the client as another kind (seed 000), in the form or in a cool-down.
    KindChanged {
        from: Option<ClientKind>,
        to: Option<ClientKind>,
    },
    /// Paused, resumed, ended or reopened; `reason` is the ending's reason.
    StatusChanged {
        from: ClientStatus,
        to: ClientStatus,
        reason: String,
    },
    /// Set to end on a day, honouring the notice period.
    EndScheduled { on: NaiveDate, reason: String },
    /// A scheduled end was called off.
    EndCancelled { on: NaiveDate },
}

/// When it happened, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub event: ClientEvent,
}

/// What a journal entry said before an edit: the version the edit replaced, with its link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryVersion {
    pub exchange_id: super::ids::ExchangeId,
    pub direction: super::exchange::Direction,
    pub channel: super::exchange::Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: super::exchange::Minutes,
    pub body: String,
    /// When this content was written.
    pub written_at: DateTime<Utc>,
    /// When the edit replaced it.
    pub replaced_at: DateTime<Utc>,
    pub seq: i64,
    pub hash: String,
}

/// A deleted entry waiting in the trash: restorable until the trash is emptied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrashedEntry {
    pub exchange: super::exchange::Exchange,
    pub client_name: String,
    pub trashed_at: DateTime<Utc>,
    /// How many earlier versions go with it.
    pub versions: usize,
}
