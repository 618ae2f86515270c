//! Reading an archive as it comes, so that importing a file of any size holds one client at a
//! time, not the whole text and then the whole archive (3.3 GB for a million entries). Each
//! client is checked (`validate_client`, [`Checks`]) and handed on as soon as its closing brace
//! is read; what the file says it is (`format`, `version`) is checked before the first client,
//! so a foreign file or a newer version is refused before anything is handed on.
//! [`super::parse`] reads a text through the same code, so the rules and the messages are one.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher as _, Hasher as _};
use std::io::Read;

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{ArchiveError, ClientRecord, FORMAT, VERSION, strip_position, validate_client};

/// What an archive says besides its clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rest {
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub settings: BTreeMap<String, String>,
}

/// Why reading stopped: the file, or what was done with a client.
#[derive(Debug)]
pub enum ReadError<E> {
    Archive(ArchiveError),
    Client(E),
}

/// Reads the archive that `open` gives, calling `each_client(index, client)` for every client
/// in the file's order once it is read and checked; an error from it ends the reading. Returns
/// the rest of the document once it is all read and well-formed.
///
/// calmdesk writes what a file is (`format`, `version`) before its clients, and such a file is
/// read once. A file whose fields were put in another order (a tool that sorts keys writes
/// `clients` first) stops being read where its clients begin, is read for those two fields
/// alone, skipping the clients without holding them, then read again; `open` is called once
/// for each reading, so three times for such a file.
pub fn read_streamed<R: Read, E>(
    mut open: impl FnMut() -> std::io::Result<R>,
    each_client: &mut dyn FnMut(usize, ClientRecord) -> Result<(), E>,
) -> Result<Rest, ReadError<E>> {
    let mut reading = |mode: Mode, each_client: EachClient<'_, E>| {
        let reader = open().map_err(|error| {
            Halt::Read(ReadError::Archive(ArchiveError::Unreadable {
                message: error.to_string(),
            }))
        })?;
        read_once(reader, mode, each_client)
    };
    let found = match reading(Mode::Stream, each_client) {
        Err(Halt::HeaderAfterClients) => {
            let header = reading(Mode::HeaderOnly, &mut |_, _| Ok(()))
                .map_err(Halt::into_read_error)?
                .header;
            if let Some(refusal) = header.refusal() {
                return Err(ReadError::Archive(refusal));
            }
            header.known().map_err(ReadError::Archive)?;
            reading(Mode::Known(header), each_client)
        }
        other => other,
    }
    .map_err(Halt::into_read_error)?;
    Ok(found.rest)
}

/// How one reading goes.
enum Mode {
    /// Clients handed on as they come, the header having come first.
    Stream,
    /// Only `format` and `version`: everything else skipped.
    HeaderOnly,
    /// Clients handed on as they come, the header known from a reading before.
    Known(Header),
}

/// Why one reading stopped.
enum Halt<E> {
    Read(ReadError<E>),
    /// The clients came before the file said what it is: read it for that first.
    HeaderAfterClients,
}

impl<E> Halt<E> {
    fn into_read_error(self) -> ReadError<E> {
        match self {
            Self::Read(error) => error,
            // Only a streaming reading stops so, and it is read again as known.
            Self::HeaderAfterClients => ReadError::Archive(ArchiveError::Foreign { found: None }),
        }
    }
}

/// What one reading found.
struct Found {
    header: Header,
    rest: Rest,
}

fn read_once<R: Read, E>(
    reader: R,
    mode: Mode,
    each_client: EachClient<'_, E>,
) -> Result<Found, Halt<E>> {
    let failure = RefCell::new(None);
    let document = DocumentSeed {
        mode,
        each_client,
        failure: &failure,
    };
    let mut deserializer =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let mut track = serde_path_to_error::Track::new();
    let read = document
        .deserialize(serde_path_to_error::Deserializer::new(
            &mut deserializer,
            &mut track,
        ))
        .and_then(|found| deserializer.end().map(|()| found));
    match (read, failure.into_inner()) {
        (_, Some(halt)) => Err(halt),
        (Ok(found), None) => Ok(found),
        (Err(error), None) if error.is_io() => {
            Err(Halt::Read(ReadError::Archive(ArchiveError::Unreadable {
                message: strip_position(&error.to_string()),
            })))
        }
        (Err(error), None) => {
            let path = track.path().to_string();
            Err(Halt::Read(ReadError::Archive(ArchiveError::Malformed {
                line: error.line(),
                column: error.column(),
                path: if path.is_empty() { ".".into() } else { path },
                message: strip_position(&error.to_string()),
            })))
        }
    }
}

/// The checks a whole file needs beyond one client's: every id once in the whole file.
#[derive(Default)]
pub(super) struct Checks {
    /// Ids seen so far, each as a 128-bit digest (a million ids in about 32 MB, where the ids
    /// themselves would take 80; two ids of one digest, a false "repeated", is about one
    /// chance in 10^26 for a million).
    ids: HashSet<u128>,
    hasher: std::hash::RandomState,
}

impl Checks {
    /// Whether `uid` is well-formed and was not seen before.
    pub(super) fn is_new_uid(&mut self, uid: &str) -> bool {
        let half = |salt: u8| {
            let mut hasher = self.hasher.build_hasher();
            hasher.write_u8(salt);
            hasher.write(uid.as_bytes());
            hasher.finish()
        };
        let digest = (u128::from(half(0)) << 64) | u128::from(half(1));
        super::is_uid(uid) && self.ids.insert(digest)
    }
}

type EachClient<'a, E> = &'a mut dyn FnMut(usize, ClientRecord) -> Result<(), E>;

struct DocumentSeed<'a, E> {
    mode: Mode,
    each_client: EachClient<'a, E>,
    failure: &'a RefCell<Option<Halt<E>>>,
}

const FIELDS: &[&str] = &["format", "version", "exported_at", "clients", "settings"];

/// What the file said about itself.
#[derive(Default)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
    /// The first field no archive has.
    unknown: Option<String>,
}

impl Header {
    /// The file is foreign or newer: said as soon as it is known, before anything else.
    fn refusal(&self) -> Option<ArchiveError> {
        if let Some(format) = &self.format
            && format.as_str() != Some(FORMAT)
        {
            return Some(ArchiveError::Foreign {
                found: Some(match format {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                }),
            });
        }
        match self.version.as_ref().and_then(serde_json::Value::as_u64) {
            Some(found) if found > u64::from(VERSION) => Some(ArchiveError::NewerVersion { found }),
            _ => None,
        }
    }

    /// Whether the file said it is an archive, of which version (once [`Self::refusal`] is
    /// `None`).
    fn known(&self) -> Result<u32, ArchiveError> {
        if self.format.is_none() {
            return Err(ArchiveError::Foreign { found: None });
        }
        let version = self
            .version
            .as_ref()
            .and_then(serde_json::Value::as_u64)
            .and_then(|version| u32::try_from(version).ok());
        match version {
            Some(0) => Err(ArchiveError::Invalid {
                path: "version".into(),
                message: "version 0 does not exist".into(),
            }),
            Some(version) => Ok(version),
            None => Err(ArchiveError::Invalid {
                path: "version".into(),
                message: "an archive says its version, a whole number".into(),
            }),
        }
    }

    fn is_complete(&self) -> bool {
        self.format.is_some() && self.version.is_some()
    }
}

impl<'de, E> DeserializeSeed<'de> for DocumentSeed<'_, E> {
    type Value = Found;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Found, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<E> DocumentSeed<'_, E> {
    fn halt<Error: de::Error>(&self, halt: Halt<E>) -> Error {
        self.failure.replace(Some(halt));
        Error::custom("stopped")
    }

    fn refuse<Error: de::Error>(&self, error: ArchiveError) -> Error {
        self.halt(Halt::Read(ReadError::Archive(error)))
    }

    /// The clients have come: whether to read them now, skip them, or read the header first.
    fn clients_now<'de, A: MapAccess<'de>>(
        &mut self,
        header: &Header,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let known = match &self.mode {
            Mode::HeaderOnly => {
                map.next_value::<IgnoredAny>()?;
                return Ok(false);
            }
            Mode::Stream if !header.is_complete() => {
                return Err(self.halt(Halt::HeaderAfterClients));
            }
            Mode::Stream => header,
            Mode::Known(known) => known,
        };
        if let Some(refusal) = known.refusal() {
            return Err(self.refuse(refusal));
        }
        known.known().map_err(|error| self.refuse(error))?;
        if let Some(unknown) = &header.unknown {
            return Err(de::Error::unknown_field(unknown, FIELDS));
        }
        map.next_value_seed(ClientsSeed {
            each_client: &mut *self.each_client,
            failure: self.failure,
        })?;
        Ok(true)
    }
}

impl<'de, E> Visitor<'de> for DocumentSeed<'_, E> {
    type Value = Found;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a calmdesk archive")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Found, A::Error> {
        let header_only = matches!(self.mode, Mode::HeaderOnly);
        let mut header = Header::default();
        let (mut exported_at, mut settings, mut clients_read) = (None, None, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => header.format = Some(map.next_value()?),
                "version" => header.version = Some(map.next_value()?),
                "clients" => clients_read |= self.clients_now(&header, &mut map)?,
                "exported_at" if !header_only => exported_at = Some(map.next_value()?),
                "settings" if !header_only => settings = Some(map.next_value()?),
                "exported_at" | "settings" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    header.unknown.get_or_insert(key);
                    map.next_value::<IgnoredAny>()?;
                }
            }
            if !header_only && let Some(refusal) = header.refusal() {
                return Err(self.refuse(refusal));
            }
        }
        if header_only {
            let rest = Rest {
                version: 0,
                exported_at: DateTime::<Utc>::MIN_UTC,
                settings: BTreeMap::new(),
            };
            return Ok(Found { header, rest });
        }
        let version = header.known().map_err(|error| self.refuse(error))?;
        if let Some(unknown) = &header.unknown {
            return Err(de::Error::unknown_field(unknown, FIELDS));
        }
        if !clients_read {
            return Err(de::Error::missing_field("clients"));
        }
        let rest = Rest {
            version,
            exported_at: exported_at.ok_or_else(|| de::Error::missing_field("exported_at"))?,
            settings: settings.ok_or_else(|| de::Error::missing_field("settings"))?,
        };
        Ok(Found { header, rest })
    }
}

struct ClientsSeed<'a, E> {
    each_client: EachClient<'a, E>,
    failure: &'a RefCell<Option<Halt<E>>>,
}

impl<'de, E> DeserializeSeed<'de> for ClientsSeed<'_, E> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, E> Visitor<'de> for ClientsSeed<'_, E> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a list of clients")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut checks = Checks::default();
        let mut index = 0;
        while let Some(client) = seq.next_element::<ClientRecord>()? {
            let outcome = validate_client(&client, index, &mut checks)
                .map_err(ReadError::Archive)
                .and_then(|()| (self.each_client)(index, client).map_err(ReadError::Client));
            if let Err(failure) = outcome {
                self.failure.replace(Some(Halt::Read(failure)));
                return Err(de::Error::custom("stopped"));
            }
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::domain::archive::stream::tests::sample_archive;
    use crate::domain::archive::{Archive, parse, to_text};

    /// Reads `text` through `read_streamed`, counting the readings and keeping the clients.
    fn streamed(text: &str) -> (Result<Rest, ReadError<()>>, Vec<ClientRecord>, usize) {
        let readings = Cell::new(0);
        let mut clients = Vec::new();
        let rest = read_streamed(
            || {
                readings.set(readings.get() + 1);
                Ok(text.as_bytes())
            },
            &mut |index, client| {
                assert_eq!(index, clients.len());
                clients.push(client);
                Ok(())
            },
        );
        (rest, clients, readings.get())
    }

    /// The archive's text with its keys in alphabetical order, `clients` first, as a tool
    /// that sorts them writes it.
    fn sorted(archive: &Archive) -> String {
        let value: serde_json::Value = serde_json::to_value(archive).unwrap();
        serde_json::to_string_pretty(&value).unwrap()
    }

    #[test]
    fn a_file_as_calmdesk_writes_it_is_read_once_and_gives_every_client_in_order() {
        let archive = sample_archive();
        let (rest, clients, readings) = streamed(&to_text(&archive));
        let rest = rest.unwrap();
        assert_eq!(readings, 1);
        assert_eq!(clients, archive.clients);
        assert_eq!(rest.settings, archive.settings);
        assert_eq!(rest.exported_at, archive.exported_at);
        assert_eq!(parse(&to_text(&archive)).unwrap(), archive);
    }

    #[test]
    fn a_file_with_its_keys_sorted_is_read_again_and_gives_the_same() {
        let archive = sample_archive();
        let text = sorted(&archive);
        assert!(text.find("\"clients\"") < text.find("\"format\""));
        let (rest, clients, readings) = streamed(&text);
        assert_eq!(readings, 3, "up to the clients, for the header, then whole");
        assert_eq!(clients, archive.clients);
        assert_eq!(rest.unwrap().settings, archive.settings);
    }

    #[test]
    fn a_newer_or_foreign_file_is_refused_before_any_client_whatever_its_order() {
        let mut archive = sample_archive();
        archive.version = VERSION + 1;
        for text in [to_text(&archive), sorted(&archive)] {
            let (rest, clients, _) = streamed(&text);
            assert!(
                matches!(rest, Err(ReadError::Archive(ArchiveError::NewerVersion { found })) if found == u64::from(VERSION) + 1),
                "{rest:?}"
            );
            assert!(clients.is_empty());
        }
        let mut foreign = serde_json::to_value(sample_archive()).unwrap();
        foreign["format"] = "not-calmdesk".into();
        let (rest, clients, _) = streamed(&foreign.to_string());
        assert!(matches!(
            rest,
            Err(ReadError::Archive(ArchiveError::Foreign { found: Some(found) })) if found == "not-calmdesk"
        ));
        assert!(clients.is_empty());
        foreign.as_object_mut().unwrap().remove("format");
        let (rest, _, _) = streamed(&foreign.to_string());
        assert!(matches!(
            rest,
            Err(ReadError::Archive(ArchiveError::Foreign { found: None }))
        ));
    }

    /// A file that breaks off after `whole` bytes, as a disk or a network share can.
    struct BreaksOff<'a> {
        text: &'a [u8],
        whole: usize,
    }

    impl Read for BreaksOff<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            if self.whole == 0 {
                return Err(std::io::Error::other("the device went away"));
            }
            let count = buffer.len().min(self.whole).min(self.text.len());
            buffer[..count].copy_from_slice(&self.text[..count]);
            self.text = &self.text[count..];
            self.whole -= count;
            Ok(count)
        }
    }

    #[test]
    fn each_client_is_handed_on_before_the_next_is_read() {
        let archive = sample_archive();
        let text = to_text(&archive);
        // The file breaks off inside the second client: the first was handed on already.
        let second = text
            .find(&format!("\"uid\": \"{}\"", archive.clients[1].uid))
            .unwrap();
        let mut handed = Vec::new();
        let read = read_streamed(
            || {
                Ok(BreaksOff {
                    text: text.as_bytes(),
                    whole: second,
                })
            },
            &mut |_, client: ClientRecord| {
                handed.push(client.uid);
                Ok::<(), ()>(())
            },
        );
        assert_eq!(handed, [archive.clients[0].uid.clone()]);
        match read {
            Err(ReadError::Archive(ArchiveError::Unreadable { message })) => {
                assert!(message.contains("the device went away"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_error_from_a_client_ends_the_reading_with_that_error() {
        let archive = sample_archive();
        let text = to_text(&archive);
        let mut calls = 0;
        let read = read_streamed(|| Ok(text.as_bytes()), &mut |_, _| {
            calls += 1;
            Err("the database is full")
        });
        assert_eq!(calls, 1);
        assert!(matches!(
            read,
            Err(ReadError::Client("the database is full"))
        ));
    }

    #[test]
    fn an_id_repeated_in_another_client_is_refused_where_it_is() {
        let mut archive = sample_archive();
        archive.clients[1].entries = vec![archive.clients[0].entries[0].clone()];
        let error = parse(&to_text(&archive)).unwrap_err();
        assert_eq!(
            error,
            ArchiveError::Invalid {
                path: "clients[1].entries[0].uid".into(),
                message: "missing, malformed or repeated id".into()
            }
        );
    }
}
