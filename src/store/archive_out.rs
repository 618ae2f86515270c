//! The whole database written out as an archive while it is read (the window's export and
//! `calmdesk export --all --json`). One read transaction, so the file is one moment of the
//! database however long the writing takes; one entry in memory at a time (and the row numbers
//! of one client's), so a million entries export in 18 MB (docs/PERFORMANCE.md, "The export
//! written as it is read"); the bytes are those of [`crate::domain::archive::to_text`] of
//! [`Store::export_archive`].

use std::cell::RefCell;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::ser::SerializeSeq as _;
use serde::{Serialize, Serializer};

use super::records::{
    entries_in_order, read_clients, read_cooldowns, read_erased, read_history, read_settings,
};
use super::{Store, StoreError};
use crate::domain::ClientId;
use crate::domain::archive::{ClientRecord, SourceFailed, write_streamed};

/// Why an archive was not written whole.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveWriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the archive: {0}")]
    Write(#[from] std::io::Error),
    /// `keep_going` said to stop.
    #[error("the export was stopped")]
    Stopped,
}

impl Store {
    /// Writes every client, entry, version, erased link, history row, cool-down and setting to
    /// `out` as the archive file holds them, calling `progress(done, total)` in entries (kept
    /// and in the trash) after each entry, and stopping with [`ArchiveWriteError::Stopped`] as
    /// soon as `keep_going` says so (checked after every entry). On any error what was written
    /// is not an archive: write into a temporary file and keep it only on `Ok`.
    pub fn write_archive(
        &self,
        now: DateTime<Utc>,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(usize, usize),
        keep_going: &dyn Fn() -> bool,
    ) -> Result<(), ArchiveWriteError> {
        let snapshot = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let total: i64 = snapshot
            .query_row(
                "SELECT (SELECT count(*) FROM exchanges) + (SELECT count(*) FROM exchange_trash)",
                [],
                |row| row.get(0),
            )
            .map_err(StoreError::from)?;
        let settings = read_settings(&snapshot).map_err(StoreError::from)?;
        let clients = read_clients(&snapshot).map_err(StoreError::from)?;
        let reading = RefCell::new(Reading {
            done: 0,
            total: usize::try_from(total).unwrap_or(0),
            progress,
            keep_going,
            failure: None,
        });
        let records = clients.into_iter().map(|(client_id, client)| {
            let rest = read_erased(&snapshot, client_id)
                .map_err(StoreError::from)
                .and_then(|erased| Ok((erased, read_history(&snapshot, client_id)?)))
                .and_then(|(erased, history)| {
                    Ok((erased, history, read_cooldowns(&snapshot, client_id)?))
                });
            match rest {
                Ok((erased, history, cooldowns)) => Ok(ClientRecord {
                    erased,
                    history,
                    cooldowns,
                    ..client
                }
                .with_entries(Entries {
                    conn: &snapshot,
                    client_id,
                    reading: &reading,
                })),
                Err(error) => Err(reading.borrow_mut().fail(error.into())),
            }
        });
        let written = write_streamed(now, records, &settings, &mut *out).and_then(|()| out.flush());
        match (reading.into_inner().failure, written) {
            (Some(failure), _) => Err(failure),
            (None, Err(error)) => Err(ArchiveWriteError::Write(error)),
            (None, Ok(())) => Ok(()),
        }
    }
}

/// What the writing shares between the clients and their entries.
struct Reading<'a> {
    done: usize,
    total: usize,
    progress: &'a mut dyn FnMut(usize, usize),
    keep_going: &'a dyn Fn() -> bool,
    /// The first cause the writing stopped for; the serialiser itself only hears "failed".
    failure: Option<ArchiveWriteError>,
}

impl Reading<'_> {
    fn fail(&mut self, failure: ArchiveWriteError) -> SourceFailed {
        self.failure.get_or_insert(failure);
        SourceFailed
    }

    /// One entry more is written: tells the progress, and whether to go on.
    fn written_one(&mut self) -> bool {
        self.done += 1;
        (self.progress)(self.done.min(self.total), self.total);
        (self.keep_going)()
    }
}

/// A client's entries, read from the database as the file writes them.
struct Entries<'a, 'r> {
    conn: &'a rusqlite::Connection,
    client_id: ClientId,
    reading: &'r RefCell<Reading<'a>>,
}

impl Entries<'_, '_> {
    fn failed<E: serde::ser::Error>(&self, failure: ArchiveWriteError) -> E {
        self.reading.borrow_mut().fail(failure);
        E::custom("the entries could not be read")
    }
}

impl Serialize for Entries<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sqlite = |error: rusqlite::Error| self.failed(StoreError::from(error).into());
        let mut list = serializer.serialize_seq(None)?;
        for entry in entries_in_order(self.conn, self.client_id).map_err(sqlite)? {
            list.serialize_element(&entry.map_err(sqlite)?)?;
            if !self.reading.borrow_mut().written_one() {
                return Err(self.failed(ArchiveWriteError::Stopped));
            }
        }
        list.end()
    }
}
