//! The SQLite file: opening it safely, the schema, and every read and write of the data.
//!
//! Only this module knows SQL. Every write runs in one transaction, so a crash leaves either the
//! old or the new state, never half of one. Opening refuses — without changing a byte — a file
//! that is damaged, is not SQLite, belongs to another program, or was written by a newer calmdesk.

mod archive_out;
mod backups;
mod bulk;
mod chain;
mod clients;
mod cooldowns;
mod exchanges;
mod integrity;
mod ledger;
pub mod migrations;
mod open;
mod reader_thread;
mod records;
mod search;
mod searcher;
mod terms;
mod tidy;
mod time;
mod trash;
mod upgrade;

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use archive_out::ArchiveWriteError;
pub use backups::{BackupInfo, BackupOutcome, backups_beside, backups_folder_of};
pub use bulk::NewEntry;
pub use chain::ChainReport;
pub use clients::ChangeStatusError;
pub use cooldowns::EntryLink;
pub use integrity::IntegrityWatch;
pub use ledger::{Marks, Unread};
pub use open::{
    Access, ReadOnlyReason, Unsettled, create_private_dir, is_in_use, lock_path, unsettled,
};
pub use reader_thread::ReaderThread;
pub use records::{ImportError, ImportReport};
pub use search::fts_query_of;
pub use searcher::{SearchAnswer, Searcher};
pub use tidy::{IndexShape, IndexTidy, MAX_SEGMENTS, TidyPlan};
pub use upgrade::UpgradeProgress;

use migrations::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};
use open::FileKind;

/// Everything that can go wrong in the store, in terms the UI can put into words.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a SQLite database, or it is damaged. Nothing was changed.")]
    NotADatabase { path: PathBuf },
    #[error("{path} is a SQLite database of another program, not calmdesk's. Nothing was changed.")]
    ForeignDatabase { path: PathBuf },
    #[error(
        "{path} was written by a newer calmdesk (schema {found}; this version reads up to {known}). Nothing was changed."
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("cannot open {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{path} is open in another calmdesk window; close it there first, or open this one read-only."
    )]
    Locked { path: PathBuf },
    #[error(
        "{path} was written by an older calmdesk (schema {found}) and must be upgraded, which reading only cannot do."
    )]
    NeedsUpgrade { path: PathBuf, found: u32 },
    #[error("this file is open read-only: nothing can be saved")]
    ReadOnly,
    #[error("this was changed elsewhere since the form was opened; nothing was overwritten")]
    Conflict,
    #[error("the record was not found (it may have been deleted)")]
    NotFound,
    #[error("the database is damaged: {0}")]
    Damaged(String),
    #[error("{path} is damaged ({reason}), so it was not upgraded. Nothing was changed.")]
    DamagedFile { path: PathBuf, reason: String },
    #[error("a stored cool-down cannot be read: {0}")]
    Record(#[from] crate::domain::cooldown::record::RecordError),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("could not upgrade the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// A write refused because the connection is read-only is said as such, not as a failure.
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ReadOnly) => Self::ReadOnly,
            _ => Self::Sqlite(error),
        }
    }
}

impl StoreError {
    /// Whether a read was stopped by [`Store::interrupt_handle`]'s handle (a worker's read
    /// overtaken by a newer request, or the window closing).
    pub fn is_interrupted(&self) -> bool {
        matches!(self, Self::Sqlite(inner) if inner.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// How much a database holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub clients: u64,
    pub entries: u64,
    pub cooldowns: u64,
}

/// An open calmdesk database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    access: Access,
    /// Held while this store may write to the file; `None` in memory, read-only, or for readers.
    _lock: Option<open::FileLock>,
    /// The app's own connection checkpoints on close; a reader beside it never does.
    is_main: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

impl Drop for Store {
    /// Closing the app's connection folds the WAL back into the file, so the `.sqlite3` file
    /// alone is complete after any normal end (readers must be gone first: see `Searcher`).
    fn drop(&mut self) {
        if self.is_main && self.access == Access::ReadWrite && self.path.is_some() {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

/// The schema version of an older calmdesk file at `path`, which opening it would upgrade;
/// `None` for a current, new or foreign file (opening it says what is wrong, if anything).
/// Reads only the header (and the log's version), never writes.
pub fn upgrade_needed(path: &Path) -> Option<u32> {
    let path = open::plain_path(path).ok()?;
    match open::inspect(&path) {
        Ok(FileKind::Calmdesk { version }) if version > 0 && version < LATEST_VERSION => {
            Some(version)
        }
        _ => None,
    }
}

impl Store {
    /// A handle that stops this connection's statement under way, from another thread.
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Opens (or creates) the database at `path`, upgrading its schema if it is older. A file
    /// that cannot be written opens read-only (see [`Store::access`]); a file open in another
    /// calmdesk is refused (`StoreError::Locked`).
    ///
    /// Before an upgrade the old file is copied beside itself (`NAME.before-vN`, never over an
    /// earlier one), so an upgrade that goes wrong loses nothing.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let path = &open::plain_path(path)?;
        let kind = open::inspect(path)?;
        if kind == FileKind::Empty && !path.exists() {
            open::create_private_file(path)?;
        }
        if !open::is_writable(path) {
            if kind == FileKind::Empty {
                return Err(StoreError::Io {
                    path: path.to_owned(),
                    source: io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        "the file is empty and cannot be written",
                    ),
                });
            }
            return Self::open_read_only_as(path, ReadOnlyReason::NotWritable);
        }
        let had_lock_file = open::lock_path(path).exists();
        let lock = open::take_lock(path)?;
        let opened = Self::open_locked(path, &kind, lock);
        if opened.is_err() && !had_lock_file {
            // A file refused here is left as it was found, without a lock file beside it.
            let _ = std::fs::remove_file(open::lock_path(path));
        }
        opened
    }

    /// [`Store::open`], telling `listener` how far an upgrade of an older file is (the copy of
    /// the old file, then the search index: on a million entries each takes a while). The
    /// listener runs on this thread, during this call only; a file that needs no upgrade never
    /// calls it.
    pub fn open_with_progress(
        path: &Path,
        listener: impl FnMut(UpgradeProgress) + 'static,
    ) -> StoreResult<Self> {
        let _listening = upgrade::Listening::new(listener);
        Self::open(path)
    }

    /// The rest of [`Store::open`], under the file's lock.
    fn open_locked(
        path: &Path,
        kind: &FileKind,
        lock: Option<open::FileLock>,
    ) -> StoreResult<Self> {
        let mut conn = open::connect(path, &Access::ReadWrite)
            .map_err(|error| open::classify_open_error(path, error))?;
        if let FileKind::Calmdesk { version } = *kind
            && version > 0
            && version < LATEST_VERSION
        {
            // An upgrade writes all through the file: never into damage. Checked before the
            // WAL switch, the modes or the backup touch anything.
            check_before_upgrade(&conn, path)?;
        }
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            open::make_private(parent, true);
        }
        configure(&mut conn).map_err(|error| open::classify_store_error(path, error))?;
        open::make_files_private(path);
        let mut store = Self {
            conn,
            path: Some(path.to_owned()),
            access: Access::ReadWrite,
            _lock: lock,
            is_main: true,
        };
        // The read-write open rolled back any hot journal: read the version again from SQLite.
        let version = store.schema_version()?;
        open::refuse_newer(path, version)?;
        if matches!(kind, FileKind::Calmdesk { .. }) && version > 0 && version < LATEST_VERSION {
            store.backup_with(
                &open::backup_path(path, version),
                Some(upgrade::report_backup),
            )?;
        }
        store.migrate()?;
        if *kind == FileKind::Empty {
            // The header with calmdesk's id goes into the file itself at once, not only the log:
            // the file says whose it is from its first second.
            store
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(store)
    }

    /// Opens an existing calmdesk database for reading only, as the user asked (it is open in
    /// another window, or damaged and she wants to copy things out). Never migrates or writes.
    pub fn open_read_only(path: &Path) -> StoreResult<Self> {
        let path = &open::plain_path(path)?;
        match open::inspect(path)? {
            FileKind::Empty => Err(StoreError::NotADatabase {
                path: path.to_owned(),
            }),
            FileKind::Calmdesk { .. } => Self::open_read_only_as(path, ReadOnlyReason::Asked),
        }
    }

    fn open_read_only_as(path: &Path, reason: ReadOnlyReason) -> StoreResult<Self> {
        // A file that cannot be written is read `immutable` where that is safe (no log beside
        // it): SQLite then leaves no side file in the folder. A file open in another window is
        // being written there: it is read as a reader, seeing the log.
        let conn = if reason == ReadOnlyReason::NotWritable {
            open::connect_untouched(path)?
        } else {
            let conn = open::connect(path, &Access::ReadOnly(reason.clone()))
                .map_err(|error| open::classify_open_error(path, error))?;
            conn.pragma_update(None, "query_only", "ON")?;
            conn
        };
        let access = Access::ReadOnly(reason);
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let store = Self {
            conn,
            path: Some(path.to_owned()),
            access,
            _lock: None,
            is_main: false,
        };
        let version = store
            .schema_version()
            .map_err(|_| StoreError::NotADatabase {
                path: path.to_owned(),
            })?;
        open::refuse_newer(path, version)?;
        if version < LATEST_VERSION {
            // An older file cannot be read by this schema without upgrading it, which is a write.
            return Err(StoreError::NeedsUpgrade {
                path: path.to_owned(),
                found: version,
            });
        }
        Ok(store)
    }

    /// A reader beside the app's own connection (the search worker): read-only, never
    /// checkpoints, never locks.
    pub(crate) fn open_reader(path: &Path) -> StoreResult<Self> {
        let path = &open::plain_path(path)?;
        let mut store = Self::open_read_only_as(path, ReadOnlyReason::Asked)?;
        store.is_main = false;
        Ok(store)
    }

    /// Opens a file for `calmdesk check`: nothing is written to it or beside it, ever — no
    /// migration, no WAL switch, no side files, no lock.
    pub fn open_untouched(path: &Path) -> StoreResult<Self> {
        let path = &open::plain_path(path)?;
        if open::inspect_header(path)? == FileKind::Empty {
            return Err(StoreError::NotADatabase {
                path: path.to_owned(),
            });
        }
        let conn = open::connect_untouched(path)?;
        let store = Self {
            conn,
            path: Some(path.to_owned()),
            access: Access::ReadOnly(ReadOnlyReason::Asked),
            _lock: None,
            is_main: false,
        };
        let version = store.schema_version()?;
        open::refuse_newer(path, version)?;
        Ok(store)
    }

    /// How much the file holds, for `calmdesk check`: clients, journal entries, cool-downs.
    pub fn counts(&self) -> StoreResult<Counts> {
        let count = |table: &str| -> StoreResult<u64> {
            let sql = format!("SELECT count(*) FROM {table}");
            let value: i64 = self.conn.query_row(&sql, [], |row| row.get(0))?;
            Ok(value.try_into().unwrap_or(0))
        };
        let has_cooldowns = self.schema_version()? >= 2;
        Ok(Counts {
            clients: count("clients")?,
            entries: count("exchanges")?,
            cooldowns: if has_cooldowns {
                count("cooldowns")?
            } else {
                0
            },
        })
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> StoreResult<Self> {
        let mut conn = Connection::open_in_memory()?;
        configure(&mut conn)?;
        let mut store = Self {
            conn,
            path: None,
            access: Access::ReadWrite,
            _lock: None,
            is_main: true,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The file this store writes to; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether this store may write, and if not, why.
    pub fn access(&self) -> &Access {
        &self.access
    }

    pub fn is_read_only(&self) -> bool {
        self.access != Access::ReadWrite
    }

    fn migrate(&mut self) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let application_id: i32 = tx.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        if application_id == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.commit()?;
        MIGRATIONS.to_latest(&mut self.conn)?;
        Ok(())
    }

    /// `PRAGMA quick_check`: the B-tree structure is sound (what a few overwritten pages break).
    /// Linear in the file's size; the app runs it on a second connection (see `IntegrityWatch`).
    pub fn quick_check(&self) -> StoreResult<()> {
        let mut statement = self.conn.prepare("PRAGMA quick_check")?;
        let problems: Vec<String> = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        if problems == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Damaged(problems.join("; ")))
        }
    }

    /// Copies the whole database to `target` with SQLite's online backup.
    pub fn backup_to(&self, target: &Path) -> StoreResult<()> {
        self.backup_with(target, None)
    }

    /// [`Store::backup_to`], telling `progress` after each step.
    fn backup_with(
        &self,
        target: &Path,
        progress: Option<fn(rusqlite::backup::Progress)>,
    ) -> StoreResult<()> {
        let target = &open::plain_path(target)?;
        if !target.exists() {
            open::create_private_file(target)?;
        }
        open::make_private(target, false);
        let mut destination = Connection::open(target)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut destination)?;
        backup.run_to_completion(256, std::time::Duration::ZERO, progress)?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `Ok` when SQLite finds the file sound.
    pub fn integrity_check(&self) -> StoreResult<()> {
        let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
        let problems: Vec<String> = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        if problems == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Damaged(problems.join("; ")))
        }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> StoreResult<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// `quick_check` on a file about to be upgraded (it reads the whole file, but an upgrade is
/// rare and writes all through it); damage refuses the upgrade.
fn check_before_upgrade(conn: &Connection, path: &Path) -> StoreResult<()> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect()
        })
        .map_err(|error| match error.sqlite_error_code() {
            // Damage bad enough that the check itself stops is damage all the same.
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::DamagedFile {
                path: path.to_owned(),
                reason: error.to_string(),
            },
            _ => open::classify_open_error(path, error),
        })?;
    if problems == ["ok"] {
        return Ok(());
    }
    Err(StoreError::DamagedFile {
        path: path.to_owned(),
        reason: problems.join("; "),
    })
}

/// Pragmas are connection settings, so they are set on every open, outside the migrations.
fn configure(conn: &mut Connection) -> StoreResult<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Every transaction takes the write lock when it begins, so a write behind another
    // connection's (the index tidy's, `store::tidy`) waits for it under the busy timeout. A
    // deferred one that read first and then wrote would be refused at once (SQLite cannot
    // wait there without risking a deadlock), and the save with it.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    // journal_mode answers with a row; "memory" for in-memory databases is fine.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A deleted entry is client mail the user chose to remove: overwrite it on disk too.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Scratch tables (the words of texts being written or erased, `terms`) stay in memory.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS
            .validate()
            .expect("the migration list must apply cleanly");
    }
}
