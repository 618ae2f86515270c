//! Backups: consistent copies of the open database through SQLite's online backup API, in
//! `backups/` beside the database file (folder 0700, files 0600). A backup never overwrites a
//! file: each gets a new name from the time it was taken (`NAME-20260312-100000.sqlite3`, with
//! `-2`, `-3` … if that name exists). Only the last N are kept; older ones of this database are
//! removed, nothing else in the folder is touched.
//!
//! Restoring copies a backup into the open database with the same API, after the current
//! contents are set aside as a backup of their own (`NAME.before-restore-…`): nothing is deleted.
//! A damaged file is never opened to restore into: the backup takes its place on disk, and the
//! damaged file is moved into the folder as it was (`NAME.damaged-…`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use super::migrations::APPLICATION_ID;
use super::{Store, StoreError, StoreResult};
pub use crate::domain::backup::BackupInfo;

/// What a backup on start did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupOutcome {
    Taken(BackupInfo),
    /// The newest backup is less than a day old.
    NotDue,
}

const STAMP: &str = "%Y%m%d-%H%M%S";
const EXTENSION: &str = "sqlite3";

fn io_error(path: &Path) -> impl Fn(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Makes `dir` (and its parents) and sets it to 0700, also when it already existed.
fn private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Creates `path` new and empty, 0600; fails if it exists (a backup never overwrites).
fn new_private_file(path: &Path) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// The names a backup of `stem` taken at `at` may have, in order: `stem-STAMP.EXT`, then
/// `stem-STAMP-2.EXT`, `-3` …
fn backup_names(folder: &Path, stem: &str, at: DateTime<Utc>) -> impl Iterator<Item = PathBuf> {
    let stamp = at.format(STAMP).to_string();
    let (folder, stem) = (folder.to_owned(), stem.to_owned());
    (1..10_000).map(move |index| {
        folder.join(if index == 1 {
            format!("{stem}-{stamp}.{EXTENSION}")
        } else {
            format!("{stem}-{stamp}-{index}.{EXTENSION}")
        })
    })
}

fn names_taken() -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        "every backup name for this second is taken",
    )
}

/// The first name `stem-STAMP[-n].EXT` in `folder` that no file has. Nothing is created: the
/// copy is written beside it and linked in under the name only if the name is still free.
fn free_name(folder: &Path, stem: &str, at: DateTime<Utc>) -> io::Result<PathBuf> {
    for candidate in backup_names(folder, stem, at) {
        if !candidate.try_exists()? {
            return Ok(candidate);
        }
    }
    Err(names_taken())
}

/// The file a copy is written into before it is a backup: hidden, never listed as one, so a
/// copy cut short (the app killed mid-way) is never taken for a backup.
fn partial_name(folder: &Path, stem: &str) -> PathBuf {
    folder.join(format!(".{stem}.{EXTENSION}.partial"))
}

/// The first name `stem-STAMP[-n].EXT` in `folder` that does not exist, created empty.
fn claim_new_name(folder: &Path, stem: &str, at: DateTime<Utc>) -> io::Result<PathBuf> {
    for candidate in backup_names(folder, stem, at) {
        match new_private_file(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
    Err(names_taken())
}

/// When a backup named by [`claim_new_name`] for `stem` was taken; `None` for other files.
fn taken_at(name: &str, stem: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let rest = rest.strip_suffix(EXTENSION)?.strip_suffix('.')?;
    let stamp = rest.get(..15)?;
    let suffix = &rest[15..];
    let numbered = suffix.is_empty()
        || suffix
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !numbered {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|naive| naive.and_utc())
}

/// The name backups of the database at `path` start with (`calmdesk` in memory).
fn stem_of(path: Option<&Path>) -> String {
    path.and_then(Path::file_stem).map_or_else(
        || "calmdesk".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    )
}

/// `backups/` beside the database file at `path`.
pub fn backups_folder_of(path: &Path) -> PathBuf {
    let parent = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty());
    parent.unwrap_or(Path::new(".")).join("backups")
}

/// The backups of the database file at `path`, newest first, read without opening it (the
/// damage screen lists them for a file it will not open).
pub fn backups_beside(path: &Path) -> StoreResult<Vec<BackupInfo>> {
    list_backups(&backups_folder_of(path), &stem_of(Some(path)))
}

fn list_backups(folder: &Path, stem: &str) -> StoreResult<Vec<BackupInfo>> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error(folder)(error)),
    };
    let mut backups = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error(folder))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(taken_at) = taken_at(&name, stem).filter(|_| is_ours(&entry.path())) {
            let bytes = entry.metadata().map_or(0, |meta| meta.len());
            backups.push(BackupInfo {
                path: entry.path(),
                taken_at,
                bytes,
            });
        }
    }
    // The name orders backups of one second by their number.
    backups.sort_by(|a, b| {
        (
            b.taken_at,
            b.path.file_name().map(std::ffi::OsStr::len),
            b.path.clone(),
        )
            .cmp(&(
                a.taken_at,
                a.path.file_name().map(std::ffi::OsStr::len),
                a.path.clone(),
            ))
    });
    Ok(backups)
}

impl Store {
    fn stem(&self) -> String {
        stem_of(self.path.as_deref())
    }

    /// `backups/` beside the database; `None` in memory.
    pub fn backups_folder(&self) -> Option<PathBuf> {
        self.path.as_deref().map(backups_folder_of)
    }

    /// This database's backups, newest first.
    pub fn backups(&self) -> StoreResult<Vec<BackupInfo>> {
        match self.backups_folder() {
            Some(folder) => list_backups(&folder, &self.stem()),
            None => Ok(Vec::new()),
        }
    }

    /// Takes a backup now, then keeps only the newest `keep` (at least one: the new one). The
    /// copy is written to a hidden file first and becomes the backup (a hard link under its
    /// name, which never replaces a file) only when it is whole.
    pub fn take_backup(&self, now: DateTime<Utc>, keep: usize) -> StoreResult<BackupInfo> {
        let folder = self.backups_folder().ok_or(StoreError::NotFound)?;
        private_dir(&folder).map_err(io_error(&folder))?;
        let partial = partial_name(&folder, &self.stem());
        // Left by a copy cut short: never a backup, and only one copy runs at a time.
        match fs::remove_file(&partial) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                return Err(io_error(&partial)(error));
            }
            _ => {}
        }
        new_private_file(&partial).map_err(io_error(&partial))?;
        let copied = self.copy_into(&partial).and_then(|()| {
            let target = free_name(&folder, &self.stem(), now).map_err(io_error(&folder))?;
            // A file system without hard links (a FAT drive) gets the copy renamed instead.
            fs::hard_link(&partial, &target)
                .or_else(|error| match error.kind() {
                    io::ErrorKind::AlreadyExists => Err(error),
                    _ => fs::rename(&partial, &target),
                })
                .map_err(io_error(&target))?;
            Ok(target)
        });
        let _ = fs::remove_file(&partial);
        let target = copied?;
        let bytes = fs::metadata(&target).map_or(0, |meta| meta.len());
        let taken = BackupInfo {
            path: target,
            taken_at: now,
            bytes,
        };
        for old in self.backups()?.into_iter().skip(keep.max(1)) {
            if old.path != taken.path {
                fs::remove_file(&old.path).map_err(io_error(&old.path))?;
            }
        }
        Ok(taken)
    }

    /// A backup on start: taken when the newest is a day old or there is none.
    pub fn backup_if_due(&self, now: DateTime<Utc>, keep: usize) -> StoreResult<BackupOutcome> {
        if self.path.is_none() {
            return Ok(BackupOutcome::NotDue);
        }
        let newest = self.backups()?.into_iter().next();
        match newest {
            Some(backup) if now - backup.taken_at < Duration::days(1) && backup.taken_at <= now => {
                Ok(BackupOutcome::NotDue)
            }
            _ => self.take_backup(now, keep).map(BackupOutcome::Taken),
        }
    }

    /// The online backup into an existing empty file.
    fn copy_into(&self, target: &Path) -> StoreResult<()> {
        let mut destination = Connection::open_with_flags(
            target,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            // In one step, one read of the source: a write from another connection between
            // steps would start the copy over (the app writes while its worker copies).
            // (A WAL reader blocks no writer.) Busy or locked is passing: try again.
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut destination)?;
            while backup.step(-1)? != rusqlite::backup::StepResult::Done {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        // The copy carries the source's WAL mode in its header; in rollback mode a backup is
        // one file, and opening it read-only (to list, check or restore it) makes no `-wal` or
        // `-shm` beside it.
        let _mode: String =
            destination.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
        Ok(())
    }

    /// Replaces the open database's contents with a backup's. The current contents are copied
    /// aside first (returned: `NAME.before-restore-STAMP.sqlite3` in the backups folder); a file
    /// that is not a calmdesk backup this version can read changes nothing.
    pub fn restore_backup(&mut self, backup: &Path, now: DateTime<Utc>) -> StoreResult<PathBuf> {
        let source = check_backup(backup)?;
        let folder = self.backups_folder().ok_or(StoreError::NotFound)?;
        private_dir(&folder).map_err(io_error(&folder))?;
        let stem = format!("{}.before-restore", self.stem());
        let aside = claim_new_name(&folder, &stem, now).map_err(io_error(&folder))?;
        self.copy_into(&aside)?;
        {
            let restore = rusqlite::backup::Backup::new(&source, &mut self.conn)?;
            restore.run_to_completion(256, std::time::Duration::ZERO, None)?;
        }
        drop(source);
        super::configure(&mut self.conn)?;
        self.migrate()?;
        Ok(aside)
    }
}

impl Store {
    /// Puts a backup in the place of the file at `path`, which is not open (the damage screen:
    /// the damaged file is never opened for writing). The backup is checked and copied beside
    /// the file first; then the file — its side files first, so no log is left to be replayed
    /// into the copy — is moved into the backups folder as `NAME.damaged-STAMP.sqlite3`, kept
    /// byte for byte, never deleted; then the copy takes its name, and is opened. Returns the
    /// open store and where the old file went.
    pub fn restore_in_place_of(
        path: &Path,
        backup: &Path,
        now: DateTime<Utc>,
    ) -> StoreResult<(Self, PathBuf)> {
        let path = &super::open::plain_path(path)?;
        let source = check_backup(backup)?;
        let lock = super::open::take_lock(path)?;
        let folder = backups_folder_of(path);
        private_dir(&folder).map_err(io_error(&folder))?;
        let copy = super::open::sibling(path, &format!(".restoring-{}", std::process::id()));
        if let Err(error) = copy_backup_to(&source, &copy) {
            let _ = fs::remove_file(&copy);
            return Err(error);
        }
        drop(source);
        let stem = format!("{}.damaged", stem_of(Some(path)));
        let aside = claim_new_name(&folder, &stem, now).map_err(io_error(&folder))?;
        for suffix in ["-wal", "-journal", "-shm"] {
            let side = super::open::sibling(path, suffix);
            if side.exists() {
                let kept = super::open::sibling(&aside, suffix);
                fs::rename(&side, &kept).map_err(io_error(&side))?;
            }
        }
        if path.exists() {
            // Over the empty name just claimed for it: nothing of anyone's is replaced.
            fs::rename(path, &aside).map_err(io_error(path))?;
        }
        fs::rename(&copy, path).map_err(io_error(path))?;
        drop(lock);
        Ok((Self::open(path)?, aside))
    }
}

/// The online backup of `source` into a new private file at `target`, in rollback mode (one
/// file) and on disk when it returns.
fn copy_backup_to(source: &Connection, target: &Path) -> StoreResult<()> {
    new_private_file(target).map_err(io_error(target))?;
    let mut destination = Connection::open_with_flags(
        target,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    {
        let backup = rusqlite::backup::Backup::new(source, &mut destination)?;
        backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
    }
    let _mode: String =
        destination.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
    drop(destination);
    fs::File::open(target)
        .and_then(|file| file.sync_all())
        .map_err(io_error(target))
}

/// Whether the file's header says it is a calmdesk database ("SQLite format 3", then our
/// `application_id` at byte 68): rotation removes only files that are really our backups.
fn is_ours(path: &Path) -> bool {
    use std::io::Read as _;
    let mut header = [0u8; 72];
    fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[68..72] == APPLICATION_ID.to_be_bytes()
}

/// Opens a backup read-only and checks it is calmdesk's, sound, and not from a newer version.
fn check_backup(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| StoreError::NotADatabase {
        path: path.to_owned(),
    })?;
    let header = || -> rusqlite::Result<(i32, u32, String)> {
        Ok((
            conn.query_row("PRAGMA application_id", [], |row| row.get(0))?,
            conn.query_row("PRAGMA user_version", [], |row| row.get(0))?,
            conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?,
        ))
    };
    let (application_id, version, check) = header().map_err(|_| StoreError::NotADatabase {
        path: path.to_owned(),
    })?;
    if application_id != APPLICATION_ID {
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        });
    }
    super::open::refuse_newer(path, version)?;
    if check != "ok" {
        return Err(StoreError::Damaged(check));
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_are_read_back_and_other_files_are_not_backups() {
        let at = taken_at("calmdesk-20260312-100000.sqlite3", "calmdesk").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-03-12T10:00:00+00:00");
        assert!(taken_at("calmdesk-20260312-100000-2.sqlite3", "calmdesk").is_some());
        assert!(taken_at("calmdesk-20260312-100000-x.sqlite3", "calmdesk").is_none());
        assert!(taken_at("calmdesk-demo-20260312-100000.sqlite3", "calmdesk").is_none());
        assert!(taken_at("notes.txt", "calmdesk").is_none());
    }
}
