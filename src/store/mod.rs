//! The SQLite file: opening it safely, the schema, and every read and write of the data.
//!
//! Only this module knows SQL. Every write runs in one transaction, so a crash leaves either the
//! old or the new state, never half of one. Opening refuses — without changing a byte — a file
//! that is damaged, is not SQLite, belongs to another program, or was written by a newer calmdesk.

mod backups;
mod chain;
mod clients;
mod cooldowns;
mod exchanges;
pub mod migrations;
mod records;
mod search;
mod searcher;
mod time;
mod trash;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension as _};

pub use backups::{BackupInfo, BackupOutcome};
pub use chain::ChainReport;
pub use clients::ChangeStatusError;
pub use cooldowns::EntryLink;
pub use records::{ImportError, ImportReport};
pub use searcher::{SearchAnswer, Searcher};

use migrations::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};

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
    #[error("the record was not found (it may have been deleted)")]
    NotFound,
    #[error("the database is damaged: {0}")]
    Damaged(String),
    #[error("a stored cool-down cannot be read: {0}")]
    Record(#[from] crate::domain::cooldown::record::RecordError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not upgrade the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An open calmdesk database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What a file on disk turned out to be, read without writing to it.
#[derive(Debug, PartialEq, Eq)]
enum FileKind {
    /// Missing or zero bytes: a new database is made there.
    Empty,
    /// A calmdesk database at this schema version.
    Calmdesk { version: u32 },
}

impl Store {
    /// Opens (or creates) the database at `path`, upgrading its schema if it is older.
    ///
    /// Before an upgrade the old file is copied beside itself (`NAME.before-vN`), so an upgrade
    /// that goes wrong loses nothing.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let kind = inspect(path)?;
        if kind == FileKind::Empty && !path.exists() {
            create_private_file(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|error| classify_open_error(path, error))?;
        configure(&conn)?;
        let mut store = Self {
            conn,
            path: Some(path.to_owned()),
        };
        if let FileKind::Calmdesk { version } = kind
            && version > 0
            && version < LATEST_VERSION
        {
            store.backup_to(&backup_path(path, version))?;
        }
        store.migrate()?;
        Ok(store)
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> StoreResult<Self> {
        let conn = Connection::open_in_memory()?;
        configure(&conn)?;
        let mut store = Self { conn, path: None };
        store.migrate()?;
        Ok(store)
    }

    /// The file this store writes to; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
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

    /// Copies the whole database to `target` with SQLite's online backup.
    pub fn backup_to(&self, target: &Path) -> StoreResult<()> {
        if !target.exists() {
            create_private_file(target)?;
        }
        let mut destination = Connection::open(target)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut destination)?;
        backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
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

/// Pragmas are connection settings, so they are set on every open, outside the migrations.
fn configure(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // journal_mode answers with a row; "memory" for in-memory databases is fine.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A deleted entry is client mail the user chose to remove: overwrite it on disk too.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

/// Reads the file's header through a read-only connection: nothing is written to a file that
/// turns out not to be ours.
fn inspect(path: &Path) -> StoreResult<FileKind> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(FileKind::Empty),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    if metadata.is_dir() {
        return Err(StoreError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::IsADirectory, "this is a folder, not a file"),
        });
    }
    if metadata.len() == 0 {
        return Ok(FileKind::Empty);
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|error| classify_open_error(path, error))?;
    let read = || -> rusqlite::Result<(i32, u32, i64, bool)> {
        let application_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let objects: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
        let has_clients: bool = conn
            .query_row(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'clients'",
                [],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        Ok((application_id, version, objects, has_clients))
    };
    let (application_id, version, objects, has_clients) =
        read().map_err(|error| classify_open_error(path, error))?;
    match application_id {
        APPLICATION_ID if version > LATEST_VERSION => Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: LATEST_VERSION,
        }),
        APPLICATION_ID => Ok(FileKind::Calmdesk { version }),
        0 if objects == 0 => Ok(FileKind::Empty),
        // Migration 1 ran but the header id was not yet written (a crash in between).
        0 if has_clients && (1..=LATEST_VERSION).contains(&version) => {
            Ok(FileKind::Calmdesk { version })
        }
        _ => Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        }),
    }
}

fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            StoreError::NotADatabase {
                path: path.to_owned(),
            }
        }
        Some(
            rusqlite::ErrorCode::CannotOpen
            | rusqlite::ErrorCode::PermissionDenied
            | rusqlite::ErrorCode::ReadOnly,
        ) => StoreError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::PermissionDenied, error.to_string()),
        },
        _ => StoreError::Sqlite(error),
    }
}

/// Creates the file (and its folder) readable by the owner only: client mail is private.
fn create_private_file(path: &Path) -> StoreResult<()> {
    let io_error = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        create_private_dir(parent).map_err(io_error)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(io_error)
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// `calmdesk.sqlite3` → `calmdesk.sqlite3.before-v1`.
fn backup_path(path: &Path, version: u32) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(format!(".before-v{version}"));
    path.with_file_name(name)
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

    #[test]
    fn backup_names_keep_the_original_name() {
        assert_eq!(
            backup_path(Path::new("/data/calmdesk.sqlite3"), 1),
            PathBuf::from("/data/calmdesk.sqlite3.before-v1")
        );
    }
}
