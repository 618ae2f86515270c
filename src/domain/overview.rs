//! Read models: what the lists show about clients and cool-downs. The store fills them, the views
//! draw them; both may use them, so they live here and not in either.

use chrono::{DateTime, Utc};

use super::client::Client;
use super::cooldown::Step;
use super::ids::{ClientId, CoolDownId, ExchangeId};

/// A client with what the list shows beside the name.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientOverview {
    pub client: Client,
    pub exchange_count: u64,
    pub last_exchange_at: Option<DateTime<Utc>>,
}

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
    /// A reply from this cool-down is already in the journal.
    pub reply_logged: bool,
    /// The message it is about, while that is in the journal.
    pub exchange_id: Option<ExchangeId>,
}
