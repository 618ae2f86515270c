//! Writing an archive as it is read, so that exporting a database of any size holds one entry
//! at a time, not the whole file twice over (the records, then their text). The bytes are
//! [`super::to_text`]'s: the same serde derive writes each client, and the document around
//! them is written here field for field as `Archive` declares it (a test holds the two equal).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::ser::{Error as _, SerializeSeq as _, SerializeStruct as _};
use serde::{Serialize, Serializer};

use super::{ClientRecord, FORMAT, VERSION};

/// The source of the clients could not give the next one; it keeps the cause itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceFailed;

impl<A> ClientRecord<A> {
    /// The same client with `entries` in place of its list.
    pub fn with_entries<B>(self, entries: B) -> ClientRecord<B> {
        let Self {
            uid,
            name,
            contact,
            contact_person,
            contract_reference,
            clause_scope,
            clause_terms,
            clause_refund,
            clause_termination,
            notice_period_days,
            fee_minor_units,
            currency,
            billing_period,
            included_minutes,
            status,
            ended_at,
            ended_reason,
            end_on,
            end_on_reason,
            kind,
            notes,
            created_at,
            updated_at,
            chain_head,
            entries: _,
            erased,
            history,
            cooldowns,
        } = self;
        ClientRecord {
            uid,
            name,
            contact,
            contact_person,
            contract_reference,
            clause_scope,
            clause_terms,
            clause_refund,
            clause_termination,
            notice_period_days,
            fee_minor_units,
            currency,
            billing_period,
            included_minutes,
            status,
            ended_at,
            ended_reason,
            end_on,
            end_on_reason,
            kind,
            notes,
            created_at,
            updated_at,
            chain_head,
            entries,
            erased,
            history,
            cooldowns,
        }
    }
}

/// Writes the archive [`super::to_text`] would write for these clients and settings, asking
/// `clients` for each client only when it is its turn. An `Err(SourceFailed)` from `clients`,
/// or an error from an `Entries` writing itself, ends the writing with an error: a file cut
/// short is never made to look whole.
pub fn write_streamed<Entries, Clients>(
    exported_at: DateTime<Utc>,
    clients: Clients,
    settings: &BTreeMap<String, String>,
    mut writer: impl Write,
) -> std::io::Result<()>
where
    Entries: Serialize,
    Clients: Iterator<Item = Result<ClientRecord<Entries>, SourceFailed>>,
{
    let document = Document {
        exported_at,
        clients: RefCell::new(Some(clients)),
        settings,
    };
    serde_json::to_writer_pretty(&mut writer, &document)?;
    writer.write_all(b"\n")
}

struct Document<'a, Clients> {
    exported_at: DateTime<Utc>,
    /// Taken when the list is written: an iterator goes through once.
    clients: RefCell<Option<Clients>>,
    settings: &'a BTreeMap<String, String>,
}

impl<Entries, Clients> Serialize for Document<'_, Clients>
where
    Entries: Serialize,
    Clients: Iterator<Item = Result<ClientRecord<Entries>, SourceFailed>>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("Archive", 5)?;
        document.serialize_field("format", FORMAT)?;
        document.serialize_field("version", &VERSION)?;
        document.serialize_field("exported_at", &self.exported_at)?;
        document.serialize_field("clients", &ClientList(&self.clients))?;
        document.serialize_field("settings", self.settings)?;
        document.end()
    }
}

struct ClientList<'a, Clients>(&'a RefCell<Option<Clients>>);

impl<Entries, Clients> Serialize for ClientList<'_, Clients>
where
    Entries: Serialize,
    Clients: Iterator<Item = Result<ClientRecord<Entries>, SourceFailed>>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(clients) = self.0.borrow_mut().take() else {
            return Err(S::Error::custom("the clients were written already"));
        };
        let mut list = serializer.serialize_seq(None)?;
        for client in clients {
            let Ok(client) = client else {
                return Err(S::Error::custom("the clients could not be read"));
            };
            list.serialize_element(&client)?;
        }
        list.end()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::archive::{
        Archive, ChainHead, CoolDownArchived, EntryRecord, ErasedLink, HistoryRecord,
        VersionRecord, to_text,
    };
    use crate::domain::client::{BillingPeriod, ClientKind, ClientStatus};
    use crate::domain::exchange::{Channel, Direction};
    use chrono::TimeZone as _;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 9, 30, 0).unwrap()
    }

    fn entry(uid: &str, body: &str, seq: i64, trashed: bool) -> EntryRecord {
        EntryRecord {
            uid: uid.to_owned(),
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: at(2),
            minutes: 15,
            body: body.to_owned(),
            created_at: at(2),
            written_at: at(3),
            seq,
            prev_hash: "a".repeat(64),
            hash: "b".repeat(64),
            trashed_at: trashed.then(|| at(4)),
            versions: vec![VersionRecord {
                direction: Direction::Note,
                channel: Channel::Phone,
                occurred_at: at(2),
                minutes: 5,
                body: "«было» \"quoted\"\n".to_owned(),
                written_at: at(2),
                replaced_at: at(3),
                seq: seq - 1,
                prev_hash: "0".repeat(64),
                hash: "a".repeat(64),
            }],
        }
    }

    fn client(uid: &str, cooldown_uid: &str, entries: Vec<EntryRecord>) -> ClientRecord {
        ClientRecord {
            uid: uid.to_owned(),
            name: "ООО «Ромашка»".to_owned(),
            contact: "a@example.com".to_owned(),
            contact_person: String::new(),
            contract_reference: "SA-1".to_owned(),
            clause_scope: "Support".to_owned(),
            clause_terms: String::new(),
            clause_refund: String::new(),
            clause_termination: String::new(),
            notice_period_days: Some(30),
            fee_minor_units: Some(2_500_000),
            currency: "RUB".to_owned(),
            billing_period: BillingPeriod::Month,
            included_minutes: None,
            status: ClientStatus::Ended,
            ended_at: Some(at(5)),
            ended_reason: Some("moved on".to_owned()),
            end_on: None,
            end_on_reason: None,
            kind: Some(ClientKind::LetDown),
            notes: "line one\nline two".to_owned(),
            created_at: at(1),
            updated_at: at(5),
            chain_head: Some(ChainHead {
                seq: 2,
                hash: "b".repeat(64),
            }),
            entries,
            erased: vec![ErasedLink {
                seq: 5,
                entry_uid: "000000e3-0003".to_owned(),
                prev_hash: "b".repeat(64),
                hash: "c".repeat(64),
                erased_at: at(6),
            }],
            history: vec![HistoryRecord {
                at: at(5),
                what: "status".to_owned(),
                old_value: Some("active".to_owned()),
                new_value: Some("ended".to_owned()),
                note: String::new(),
            }],
            cooldowns: vec![CoolDownArchived {
                uid: cooldown_uid.to_owned(),
                entry_uid: Some("000000e1-0001".to_owned()),
                reply_entry_uid: None,
                updated_at: at(4),
                record: serde_json::json!({"version": 1, "steps": [1, 2], "note": null}),
            }],
        }
    }

    pub(in crate::domain::archive) fn sample_archive() -> Archive {
        Archive {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: at(7),
            clients: vec![
                client(
                    "0000000a-0001",
                    "000000c1-0001",
                    vec![
                        entry("000000e1-0001", "Здравствуйте", 2, false),
                        entry("000000e2-0002", "Удалено", 4, true),
                    ],
                ),
                client("0000000b-0002", "000000c2-0002", Vec::new()),
            ],
            settings: [("wait_minutes", "20"), ("signature", "— Ирина")]
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
        }
    }

    #[test]
    fn an_archive_written_as_it_is_read_is_the_text_of_the_whole() {
        // The archive's own tests build a full one; here, every shape of list: none, one, two.
        let whole = sample_archive();
        for count in 0..=whole.clients.len() {
            let archive = Archive {
                clients: whole.clients[..count].to_vec(),
                ..whole.clone()
            };
            let mut streamed = Vec::new();
            write_streamed(
                archive.exported_at,
                archive.clients.clone().into_iter().map(Ok),
                &archive.settings,
                &mut streamed,
            )
            .unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), to_text(&archive));
        }
    }

    #[test]
    fn a_client_that_cannot_be_read_ends_the_file_with_an_error() {
        let whole = sample_archive();
        let first = whole.clients[0].clone();
        let clients = [Ok(first), Err(SourceFailed)].into_iter();
        let mut streamed = Vec::new();
        let written = write_streamed(whole.exported_at, clients, &whole.settings, &mut streamed);
        assert!(written.is_err());
        assert!(crate::domain::archive::parse(&String::from_utf8_lossy(&streamed)).is_err());
    }

    /// Entries that fail while they are written, as a database read can.
    struct Failing;

    impl Serialize for Failing {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(S::Error::custom("gone"))
        }
    }

    #[test]
    fn entries_that_fail_while_written_end_the_file_with_an_error() {
        let whole = sample_archive();
        let client = whole.clients[0].clone().with_entries(Failing);
        let mut streamed = Vec::new();
        let written = write_streamed(
            whole.exported_at,
            [Ok(client)].into_iter(),
            &whole.settings,
            &mut streamed,
        );
        assert!(written.is_err());
    }
}
