//! Opening a file safely, and closing it complete.
//!
//! Before SQLite writes anything, the file's first 100 bytes are read as plain bytes: a file is
//! calmdesk's only when it is SQLite and carries calmdesk's `application_id`; anything else is
//! refused untouched. Only a file known to be ours is opened read-write — which is also what
//! rolls back a hot journal left by a crash, so such a file opens instead of looking "read-only"
//! forever. Paths are never read as SQLite URIs. One calmdesk writes to a file at a time: an OS
//! lock on `NAME.lock` beside it. A file that cannot be written opens read-only. Files and
//! folders calmdesk makes or uses are private (0600 / 0700).
//!
//! Closing: the main connection checkpoints the WAL into the file (`wal_checkpoint(TRUNCATE)`)
//! when it is dropped, after every reader has gone, so the `.sqlite3` file alone holds everything.

use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::migrations::{APPLICATION_ID, LATEST_VERSION};
use super::{StoreError, StoreResult};

/// The SQLite file header's first bytes.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What a file on disk turned out to be, read without writing to it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum FileKind {
    /// Missing or zero bytes: a new database is made there.
    Empty,
    /// A calmdesk database; `version` as the header (or, in WAL mode, the log) says.
    Calmdesk { version: u32 },
}

/// How a store may be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// Reading only, and why.
    ReadOnly(ReadOnlyReason),
}

/// Why a store is read-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// The user asked for it (the file is open in another window, or damaged).
    Asked,
    /// The file or its folder cannot be written.
    NotWritable,
}

/// The exclusive lock beside a database; released when dropped (and by the OS if the process
/// dies).
#[derive(Debug)]
pub(super) struct FileLock {
    _file: fs::File,
}

/// `calmdesk.sqlite3` → `calmdesk.sqlite3.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

/// A file beside `path` whose name is `path`'s with `suffix` added.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Whether another calmdesk holds the file's lock right now.
pub fn is_in_use(path: &Path) -> bool {
    let Ok(file) = fs::File::open(lock_path(path)) else {
        return false;
    };
    matches!(file.try_lock(), Err(fs::TryLockError::WouldBlock))
}

/// Takes the file's lock, or says it is open elsewhere. A folder that cannot hold the lock file
/// (read-only) gets no lock: the store is read-only there anyway.
pub(super) fn take_lock(path: &Path) -> StoreResult<Option<FileLock>> {
    let lock = lock_path(path);
    let file = match private_options(false).read(true).write(true).open(&lock) {
        Ok(file) => file,
        Err(error) if is_not_writable(&error) => return Ok(None),
        Err(source) => return Err(StoreError::Io { path: lock, source }),
    };
    make_private(&lock, false);
    match file.try_lock() {
        Ok(()) => Ok(Some(FileLock { _file: file })),
        Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            path: path.to_owned(),
        }),
        Err(fs::TryLockError::Error(source)) => Err(StoreError::Io { path: lock, source }),
    }
}

fn is_not_writable(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Whether the file (and its folder, for the WAL's side files) can be written. A file or folder
/// the user marked read-only counts as such even where the system would let us write (root).
pub(super) fn is_writable(path: &Path) -> bool {
    let marked_writable =
        |path: &Path| fs::metadata(path).is_ok_and(|metadata| !metadata.permissions().readonly());
    let file_ok = marked_writable(path) && fs::OpenOptions::new().write(true).open(path).is_ok();
    let folder = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder_ok = marked_writable(folder) && probe_folder(folder);
    file_ok && folder_ok
}

/// Whether a file can be created in `folder` (permissions alone do not tell for root or ACLs).
fn probe_folder(folder: &Path) -> bool {
    let probe = folder.join(format!(".calmdesk-probe-{}", std::process::id()));
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => fs::remove_file(&probe).is_ok(),
        Err(_) => false,
    }
}

/// Reads the file's header as plain bytes, and only when it is ours, its schema version through
/// SQLite (a read-only connection sees what the WAL holds).
pub(super) fn inspect(path: &Path) -> StoreResult<FileKind> {
    match inspect_header(path)? {
        FileKind::Empty => Ok(FileKind::Empty),
        FileKind::Calmdesk {
            version: header_version,
        } => {
            // In WAL mode the newest version may sit in the log: ask SQLite, read-only. A hot
            // journal makes a read-only connection fail; the header is then the truth until the
            // read-write open rolls it back.
            let version = read_version(path).unwrap_or(header_version);
            refuse_newer(path, version)?;
            Ok(FileKind::Calmdesk { version })
        }
    }
}

/// What the file's first 100 bytes say, read as plain bytes: no SQLite, no side file, no write.
/// The version is the header's (the WAL may hold a newer one).
pub(super) fn inspect_header(path: &Path) -> StoreResult<FileKind> {
    let io_error = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(FileKind::Empty),
        Err(source) => return Err(io_error(source)),
    };
    if metadata.is_dir() {
        return Err(io_error(io::Error::new(
            io::ErrorKind::IsADirectory,
            "this is a folder, not a file",
        )));
    }
    if metadata.file_type().is_symlink() {
        // A link could point anywhere; calmdesk opens the file itself.
        return Err(io_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "this is a link to another file; open the file itself",
        )));
    }
    if metadata.len() == 0 {
        return Ok(FileKind::Empty);
    }
    let mut header = [0u8; 100];
    let read = fs::File::open(path)
        .and_then(|mut file| {
            let mut total = 0;
            while total < header.len() {
                match file.read(&mut header[total..])? {
                    0 => break,
                    count => total += count,
                }
            }
            Ok(total)
        })
        .map_err(io_error)?;
    if read < header.len() || header[..16] != SQLITE_MAGIC[..] {
        return Err(StoreError::NotADatabase {
            path: path.to_owned(),
        });
    }
    // With a log beside it, a file shorter than its header is what a checkpoint stopped
    // half-way leaves (page 1 is written first, the file grows after): the log still holds
    // every page, and SQLite finishes the checkpoint. Only a file without one is cut short.
    if is_cut_short(&header, metadata.len()) && !has_log(path) {
        return Err(StoreError::NotADatabase {
            path: path.to_owned(),
        });
    }
    let mut application_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    let mut version = u32::from_be_bytes([header[60], header[61], header[62], header[63]]);
    // In WAL mode the header page may still sit in the log (a session that ended before its
    // first checkpoint): the log, read by SQLite, is then the truth.
    if application_id != APPLICATION_ID
        && sibling(path, "-wal").exists()
        && let Ok((logged_id, logged_version)) = read_header_fields(path)
    {
        application_id = logged_id;
        version = logged_version;
    }
    if application_id != APPLICATION_ID {
        // A database with nothing in it at all is no one's: what a crash leaves while calmdesk
        // first creates a file (before its id is committed). Anything with content is foreign.
        if application_id == 0 && holds_nothing(path) {
            return Ok(FileKind::Empty);
        }
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        });
    }
    refuse_newer(path, version)?;
    Ok(FileKind::Calmdesk { version })
}

/// Side files that say the file is not at rest, found without opening it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsettled {
    /// A hot rollback journal: a transaction cut short, undone only by a read-write open.
    HotJournal(PathBuf),
    /// A log with changes in it but no `-shm` beside it: reading the log would make one.
    LogWithoutIndex(PathBuf),
}

/// Whether side files beside `path` mean it cannot be read as it is without writing (rolling
/// back a journal, or making the log's index): `calmdesk check` reports it instead.
pub fn unsettled(path: &Path) -> Option<Unsettled> {
    let journal = sibling(path, "-journal");
    if journal_start_size(path).is_some() {
        return Some(Unsettled::HotJournal(journal));
    }
    let log = sibling(path, "-wal");
    if has_log(path) && !sibling(path, "-shm").exists() {
        return Some(Unsettled::LogWithoutIndex(log));
    }
    None
}

/// Whether a `-wal` with something in it is beside the file (an empty one holds nothing).
fn has_log(path: &Path) -> bool {
    fs::metadata(sibling(path, "-wal")).is_ok_and(|metadata| metadata.len() > 0)
}

/// Whether the file is shorter than its own header says: the header's page count (valid when
/// the "version-valid-for" number matches the change counter) times its page size. A file cut
/// short (a copy or a sync that stopped) is refused before anything opens it.
fn is_cut_short(header: &[u8; 100], length: u64) -> bool {
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    let pages = u64::from(be32(28));
    be32(24) == be32(92) && pages > 0 && length < pages * page_size
}

/// A connection that cannot change the file or leave anything beside it, for `calmdesk check`.
/// With no `-wal` beside the file, SQLite opens it `immutable` (it creates no side file and takes
/// no lock); with one, it opens read-only, so it sees what the log holds (the side files already
/// exist).
pub(super) fn connect_untouched(path: &Path) -> StoreResult<Connection> {
    let result = if has_log(path) {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    } else {
        let absolute = fs::canonicalize(path).map_err(|source| StoreError::Io {
            path: path.to_owned(),
            source,
        })?;
        let uri = format!("file:{}?immutable=1", percent_encode(&absolute));
        Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    };
    let conn = result.map_err(|error| classify_open_error(path, error))?;
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(conn)
}

/// A path as a `file:` URI path: everything but unreserved characters and `/` percent-encoded,
/// so `?`, `#` or `%` in a file name stay part of the name.
fn percent_encode(path: &Path) -> String {
    let mut encoded = String::new();
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Whether a SQLite file without calmdesk's id holds no table, index or version at all. With a
/// hot journal beside it, the journal decides: it records how big the file was before the
/// transaction it would undo, and only a file that was empty then (a creation cut short, which
/// rolls back to nothing) is no one's. Another program's file in the middle of its own
/// transaction stays foreign, untouched.
fn holds_nothing(path: &Path) -> bool {
    match journal_start_size(path) {
        Some(pages) => return pages == 0,
        None if sibling(path, "-journal").exists() && !journal_is_readable(path) => return false,
        None => {}
    }
    let Ok(conn) = connect_untouched(path) else {
        return false;
    };
    let objects: rusqlite::Result<(i64, u32)> = conn.query_row(
        "SELECT (SELECT count(*) FROM sqlite_schema), (SELECT user_version FROM pragma_user_version)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    );
    objects.is_ok_and(|(count, version)| count == 0 && version == 0)
}

/// The rollback journal's first bytes: its magic, then (big-endian) the page count of the first
/// segment, the checksum nonce, and the database's size in pages before the transaction began
/// (<https://www.sqlite.org/fileformat.html>, "The Rollback Journal").
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
const JOURNAL_START_SIZE_AT: usize = 16;

/// The size in pages the file had before the transaction a hot `-journal` beside it would undo;
/// `None` when there is no journal or it is not hot (no magic: SQLite ignores it).
fn journal_start_size(path: &Path) -> Option<u32> {
    let mut header = [0u8; JOURNAL_START_SIZE_AT + 4];
    fs::File::open(sibling(path, "-journal"))
        .and_then(|mut file| file.read_exact(&mut header))
        .ok()?;
    if header[..8] != JOURNAL_MAGIC {
        return None;
    }
    let at = JOURNAL_START_SIZE_AT;
    Some(u32::from_be_bytes([
        header[at],
        header[at + 1],
        header[at + 2],
        header[at + 3],
    ]))
}

/// Whether a `-journal` beside the file can be read at all (one that cannot might be hot: the
/// file is then not known to hold nothing).
fn journal_is_readable(path: &Path) -> bool {
    fs::File::open(sibling(path, "-journal")).is_ok()
}

fn read_header_fields(path: &Path) -> StoreResult<(i32, u32)> {
    let conn = connect_untouched(path)?;
    let application_id = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    Ok((application_id, version))
}

/// The schema version as SQLite sees it (the log included), without leaving anything beside
/// the file.
fn read_version(path: &Path) -> StoreResult<u32> {
    let conn = connect_untouched(path)?;
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// The path made absolute. SQLite is built to read a name that starts with `file:` as a URI
/// (`file:x?mode=memory` would be a database in memory that silently loses every write); an
/// absolute path never starts so, so every path calmdesk hands SQLite is a plain file name.
pub fn plain_path(path: &Path) -> StoreResult<PathBuf> {
    std::path::absolute(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Opens a connection on a plain file name (see [`plain_path`]).
pub(super) fn connect(path: &Path, access: &Access) -> rusqlite::Result<Connection> {
    let flags = match access {
        Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
        Access::ReadOnly(_) => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags)
}

pub(super) fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
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

/// A store error met while first talking to a file: one SQLite cannot read is said as such.
pub(super) fn classify_store_error(path: &Path, error: StoreError) -> StoreError {
    match error {
        StoreError::Sqlite(error) => classify_open_error(path, error),
        other => other,
    }
}

fn private_options(create_new: bool) -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    if create_new {
        options.write(true).create_new(true);
    } else {
        options.create(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
}

/// Creates the file (and its folder) readable by the owner only: client mail is private.
pub(super) fn create_private_file(path: &Path) -> StoreResult<()> {
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
    private_options(true).open(path).map(drop).map_err(io_error)
}

/// Makes (or, if it exists, narrows) a folder to the owner only.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt as _;
            builder.mode(0o700);
        }
        builder.create(dir)?;
    }
    make_private(dir, true);
    Ok(())
}

/// Narrows an existing file (0600) or folder (0700) to the owner. Best effort: a file the user
/// does not own keeps its mode (and is then read-only to us anyway).
pub(super) fn make_private(path: &Path, is_folder: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = if is_folder { 0o700 } else { 0o600 };
        // A sticky folder (`/tmp`, `/var/tmp`, `/dev/shm`) is shared on purpose: made 0700 it
        // would lock every other user and service out of it. The file in it is private anyway.
        const STICKY: u32 = 0o1000;
        if let Ok(metadata) = fs::metadata(path)
            && metadata.permissions().mode() & 0o777 != mode
            && !(is_folder && metadata.permissions().mode() & STICKY != 0)
        {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, is_folder);
}

/// The database and its side files, private.
pub(super) fn make_files_private(path: &Path) {
    make_private(path, false);
    for suffix in ["-wal", "-shm"] {
        let side = sibling(path, suffix);
        if side.exists() {
            make_private(&side, false);
        }
    }
}

/// `calmdesk.sqlite3` → `calmdesk.sqlite3.before-v1`, or `.before-v1.2`, `.before-v1.3`… when
/// an earlier upgrade left one: a backup never overwrites another.
pub(super) fn backup_path(path: &Path, version: u32) -> PathBuf {
    let first = sibling(path, &format!(".before-v{version}"));
    if !first.exists() {
        return first;
    }
    (2u32..)
        .map(|index| sibling(path, &format!(".before-v{version}.{index}")))
        .find(|candidate| !candidate.exists())
        .unwrap_or(first)
}

/// A file written by a newer calmdesk is refused, whichever way it is opened: this schema cannot
/// read it safely, and nothing here may downgrade it.
pub(super) fn refuse_newer(path: &Path, version: u32) -> StoreResult<()> {
    if version > LATEST_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: LATEST_VERSION,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_keep_the_original_name_and_never_repeat() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calmdesk.sqlite3");
        let first = backup_path(&path, 1);
        assert_eq!(first, dir.path().join("calmdesk.sqlite3.before-v1"));
        fs::write(&first, b"old").unwrap();
        assert_eq!(
            backup_path(&path, 1),
            dir.path().join("calmdesk.sqlite3.before-v1.2")
        );
    }
}
