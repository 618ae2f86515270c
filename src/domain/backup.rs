//! A backup of the database as the app lists it: where it is, when it was taken, how big.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

/// A backup on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub taken_at: DateTime<Utc>,
    pub bytes: u64,
}
