//! The whole database as one JSON document (`calmdesk export --all --json`), for backup and for
//! moving machines; `docs/FORMAT.md` describes it field by field. These are the stored form's
//! own types, with a `version`: the database's row numbers never appear, only stable ids
//! (`uid`), so a file can be imported into a database that already holds some of it without
//! duplicates, and every link of the evidence chain keeps its hash.
//!
//! [`parse`] reads a file and says what is wrong and where: the line and column, and the path of
//! the field (`clients[2].entries[5].minutes`). A file of another program, or of a newer
//! calmdesk, is told apart before any of its clients is read.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::client::{BillingPeriod, ClientKind, ClientStatus};
use super::exchange::{Channel, Direction};

mod read;
mod stream;
use read::Checks;
pub use read::{ReadError, Rest, read_streamed};
pub use stream::{SourceFailed, write_streamed};

/// The `format` of every calmdesk archive.
pub const FORMAT: &str = "calmdesk-archive";
/// The version this build writes, and the newest it reads.
pub const VERSION: u32 = 1;

/// A whole archive in memory: what [`parse`] gives and [`to_text`] writes. It is read through
/// [`read_streamed`], which checks its fields itself (`read.rs`), so it has no derived reader.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Archive {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// Every client, ordered by `uid`.
    pub clients: Vec<ClientRecord>,
    /// Every setting (the wait, the templates, the signature, the backups kept), by key.
    pub settings: BTreeMap<String, String>,
}

/// One client and everything of theirs. `Entries` is the list as read from a file; an export
/// writing as it reads ([`write_streamed`]) puts in its place something that writes the
/// entries one by one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRecord<Entries = Vec<EntryRecord>> {
    pub uid: String,
    pub name: String,
    pub contact: String,
    pub contact_person: String,
    pub contract_reference: String,
    pub clause_scope: String,
    pub clause_terms: String,
    pub clause_refund: String,
    pub clause_termination: String,
    pub notice_period_days: Option<u32>,
    pub fee_minor_units: Option<i64>,
    pub currency: String,
    /// What the fee is for: a month, quarter or year, an hour, or the whole project.
    pub billing_period: BillingPeriod,
    /// The support the fee includes each month, in minutes, when the user set it.
    pub included_minutes: Option<u32>,
    pub status: ClientStatus,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_reason: Option<String>,
    pub end_on: Option<NaiveDate>,
    pub end_on_reason: Option<String>,
    pub kind: Option<ClientKind>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The last link written to the client's chain.
    pub chain_head: Option<ChainHead>,
    /// Every entry, the trashed ones too, in chain order (by `seq`).
    pub entries: Entries,
    /// Links whose words were erased for good.
    pub erased: Vec<ErasedLink>,
    /// Every change of kind and status, oldest first.
    pub history: Vec<HistoryRecord>,
    /// Every cool-down, oldest first.
    pub cooldowns: Vec<CoolDownArchived>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRecord {
    pub uid: String,
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: u32,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// When the current content was written (the last edit, or the creation).
    pub written_at: DateTime<Utc>,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    /// Set when the entry is in the trash.
    pub trashed_at: Option<DateTime<Utc>>,
    /// What the entry said before each edit, oldest first.
    pub versions: Vec<VersionRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionRecord {
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: u32,
    pub body: String,
    pub written_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasedLink {
    pub seq: i64,
    pub entry_uid: String,
    pub prev_hash: String,
    pub hash: String,
    pub erased_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRecord {
    pub at: DateTime<Utc>,
    /// "kind", "status", "end_scheduled" or "end_cancelled".
    pub what: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: String,
}

/// A cool-down: its stored record as the database keeps it (`domain::cooldown::record`, whose
/// own `version` says how to read it), with the row numbers inside it replaced by stable ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoolDownArchived {
    pub uid: String,
    /// The message it is about, if it is still in the journal (or the trash).
    pub entry_uid: Option<String>,
    /// The reply it logged, if any.
    pub reply_entry_uid: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// The session record; its `client_id`, `exchange_id` and `logged_reply.exchange_id` are 0
    /// or null here and are set to the importing database's rows.
    pub record: serde_json::Value,
}

/// A file that cannot be imported, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    #[error("line {line}, column {column}, at {path}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        /// The field, as `clients[0].entries[3].minutes`; "." for the document itself.
        path: String,
        message: String,
    },
    #[error("the file could not be read: {message}")]
    Unreadable { message: String },
    #[error("this is not a calmdesk archive (its \"format\" is {found:?})")]
    Foreign { found: Option<String> },
    #[error("this archive has version {found}, newer than this calmdesk reads ({VERSION})")]
    NewerVersion { found: u64 },
    #[error("at {path}: {message}")]
    Invalid { path: String, message: String },
}

/// Reads a whole archive from its text: [`read_streamed`] with every client kept.
pub fn parse(text: &str) -> Result<Archive, ArchiveError> {
    let mut clients = Vec::new();
    let rest = read_streamed(|| Ok(text.as_bytes()), &mut |_, client| {
        clients.push(client);
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(|error| match error {
        ReadError::Archive(error) => error,
        ReadError::Client(never) => match never {},
    })?;
    Ok(Archive {
        format: FORMAT.to_owned(),
        version: rest.version,
        exported_at: rest.exported_at,
        clients,
        settings: rest.settings,
    })
}

/// serde_json ends its messages with " at line L column C"; the error says that itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn invalid(path: String, message: &str) -> ArchiveError {
    ArchiveError::Invalid {
        path,
        message: message.to_owned(),
    }
}

fn is_uid(text: &str) -> bool {
    (8..=64).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_hexdigit() || byte == b'-')
}

fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// The rules the database's constraints would enforce, for one client (its place in the file
/// is `index`), checked first so a refusal names the field instead of a constraint.
fn validate_client(
    client: &ClientRecord,
    index: usize,
    checks: &mut Checks,
) -> Result<(), ArchiveError> {
    let at = format!("clients[{index}]");
    let repeated = |at: String| invalid(format!("{at}.uid"), "missing, malformed or repeated id");
    if !checks.is_new_uid(&client.uid) {
        return Err(repeated(at));
    }
    validate_client_fields(client, &at)?;
    for (number, entry) in client.entries.iter().enumerate() {
        let at = format!("{at}.entries[{number}]");
        if !checks.is_new_uid(&entry.uid) {
            return Err(repeated(at));
        }
        validate_entry(entry, &at)?;
    }
    for (number, cooldown) in client.cooldowns.iter().enumerate() {
        let at = format!("{at}.cooldowns[{number}]");
        if !checks.is_new_uid(&cooldown.uid) {
            return Err(repeated(at));
        }
        if !cooldown.record.is_object() {
            return Err(invalid(
                format!("{at}.record"),
                "a cool-down record is an object",
            ));
        }
    }
    for (number, event) in client.history.iter().enumerate() {
        if !["kind", "status", "end_scheduled", "end_cancelled"].contains(&event.what.as_str()) {
            return Err(invalid(
                format!("{at}.history[{number}].what"),
                "unknown kind of history event",
            ));
        }
    }
    Ok(())
}

fn validate_client_fields(client: &ClientRecord, at: &str) -> Result<(), ArchiveError> {
    if client.name.trim().is_empty() {
        return Err(invalid(format!("{at}.name"), "a client needs a name"));
    }
    if super::money::Currency::parse(&client.currency).is_none() {
        return Err(invalid(
            format!("{at}.currency"),
            "not a three-letter currency code",
        ));
    }
    if client.fee_minor_units.is_some_and(|fee| fee < 0) {
        return Err(invalid(
            format!("{at}.fee_minor_units"),
            "a fee cannot be negative",
        ));
    }
    if client
        .included_minutes
        .is_some_and(|minutes| super::client::IncludedSupport::new(minutes).is_none())
    {
        return Err(invalid(
            format!("{at}.included_minutes"),
            "at most 31 days of minutes a month",
        ));
    }
    if (client.status == ClientStatus::Ended) != client.ended_at.is_some() {
        return Err(invalid(
            format!("{at}.ended_at"),
            "an ended client has an end time, and only an ended one",
        ));
    }
    let mut seqs = std::collections::HashSet::new();
    let links = client
        .entries
        .iter()
        .flat_map(|entry| {
            std::iter::once((entry.seq, &entry.prev_hash, &entry.hash)).chain(
                entry
                    .versions
                    .iter()
                    .map(|version| (version.seq, &version.prev_hash, &version.hash)),
            )
        })
        .chain(
            client
                .erased
                .iter()
                .map(|link| (link.seq, &link.prev_hash, &link.hash)),
        );
    for (seq, prev_hash, hash) in links {
        if seq < 1 || !seqs.insert(seq) || !is_hash(prev_hash) || !is_hash(hash) {
            return Err(invalid(
                format!("{at}.entries"),
                &format!("link {seq} is repeated, out of range, or has a malformed hash"),
            ));
        }
    }
    Ok(())
}

fn validate_entry(entry: &EntryRecord, at: &str) -> Result<(), ArchiveError> {
    let texts = std::iter::once((entry.minutes, entry.body.as_str(), at.to_owned())).chain(
        entry.versions.iter().enumerate().map(|(number, version)| {
            (
                version.minutes,
                version.body.as_str(),
                format!("{at}.versions[{number}]"),
            )
        }),
    );
    for (minutes, body, path) in texts {
        if super::exchange::Minutes::new(minutes).is_none() {
            return Err(invalid(
                format!("{path}.minutes"),
                "at most 1440 minutes (a day)",
            ));
        }
        if body.trim().is_empty() {
            return Err(invalid(
                format!("{path}.body"),
                "an entry's text cannot be empty",
            ));
        }
        if body.len() > super::exchange::MAX_BODY_BYTES {
            return Err(invalid(
                format!("{path}.body"),
                "an entry holds at most 1 MB",
            ));
        }
    }
    Ok(())
}

/// Writes an archive as the file holds it: pretty JSON, one field per line, ending in a newline.
pub fn to_text(archive: &Archive) -> String {
    // Strings, numbers, dates and JSON values always serialise.
    let mut text = serde_json::to_string_pretty(archive).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_the_database_names() {
        for direction in Direction::ALL {
            assert_eq!(
                serde_json::to_value(direction).unwrap(),
                serde_json::Value::from(direction.as_str())
            );
        }
        for channel in Channel::ALL {
            assert_eq!(
                serde_json::to_value(channel).unwrap(),
                serde_json::Value::from(channel.as_str())
            );
        }
        for status in ClientStatus::ALL {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::Value::from(status.as_str())
            );
        }
        for kind in ClientKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.as_str())
            );
        }
        for period in BillingPeriod::ALL {
            assert_eq!(
                serde_json::to_value(period).unwrap(),
                serde_json::Value::from(period.as_str())
            );
        }
    }

    #[test]
    fn foreign_future_and_broken_files_are_told_apart() {
        assert!(matches!(
            parse(r#"{"name": "package.json"}"#),
            Err(ArchiveError::Foreign { found: None })
        ));
        assert!(matches!(
            parse(r#"{"format": "calmdesk-archive", "version": 7, "whatever": 1}"#),
            Err(ArchiveError::NewerVersion { found: 7 })
        ));
        let truncated =
            "{\n  \"format\": \"calmdesk-archive\",\n  \"version\": 1,\n  \"clients\": [";
        match parse(truncated) {
            Err(ArchiveError::Malformed { line, .. }) => assert_eq!(line, 4),
            other => panic!("{other:?}"),
        }
        let wrong_field = "{\"format\": \"calmdesk-archive\", \"version\": 1,\n\"exported_at\": \"2026-03-01T00:00:00Z\",\n\"clients\": [], \"settings\": {\"a\": 5}}";
        match parse(wrong_field) {
            Err(ArchiveError::Malformed { line, path, .. }) => {
                assert_eq!(line, 3);
                assert_eq!(path, "settings.a");
            }
            other => panic!("{other:?}"),
        }
    }
}
