//! Newtype ids, so a client id can never be passed where an exchange id is expected.

use serde::{Deserialize, Serialize};

/// The id of a client (the SQLite rowid of `clients`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClientId(pub i64);

/// The id of one journal entry (the SQLite rowid of `exchanges`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExchangeId(pub i64);

/// The id of a cool-down session (the SQLite rowid of `cooldowns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CoolDownId(pub i64);
