//! The domain: the types and rules of calmdesk, free of egui and of SQLite.
//!
//! Everything here is plain data plus the rules that decide what is valid. Raw text typed by the
//! user (`*Input`) is parsed once into drafts (`*Draft`) that can only hold valid values, so the
//! store and the UI never re-check what the domain already decided.

pub mod archive;
pub mod backup;
pub mod client;
pub mod cooldown;
pub mod evidence;
pub mod exchange;
pub mod export;
pub mod history;
pub mod ids;
pub mod journal;
pub mod ledger;
pub mod money;
pub mod overview;
pub mod partways;
pub mod plural;
pub mod reply;
pub mod search;

pub use client::{
    BillingPeriod, Client, ClientDraft, ClientFieldError, ClientInput, ClientKind, ClientStatus,
    Contract, Ending, IncludedSupport, ScheduledEnd, StatusChange, StatusChangeError,
};
pub use exchange::{
    Channel, Direction, Exchange, ExchangeDraft, ExchangeFieldError, ExchangeInput,
    ExchangeSummary, MAX_BODY_BYTES, Minutes,
};
pub use ids::{ClientId, CoolDownId, ExchangeId};
pub use money::{AmountError, Currency, Money};
