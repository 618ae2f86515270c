//! Where the data lives by default: the platform's data folder (on Linux
//! `~/.local/share/calmdesk/`), found with the `directories` crate.

use std::io::Write;
use std::path::PathBuf;

/// The folder for calmdesk's files, or `None` when the platform has no home folder.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "calmdesk").map(|dirs| dirs.data_dir().to_path_buf())
}

/// The user's own database file.
pub fn default_database(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("calmdesk.sqlite3")
}

/// Writes `bytes` to `path`, readable by the owner only (0600): client mail is private. Written
/// beside the target under a temporary name, flushed to disk, then renamed over it, so a crash
/// leaves either the old file or the whole new one — never half of it. The folder is not
/// changed: it is where the user chose to save.
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_private_with(path, |file| file.write_all(bytes))
}

/// [`write_private`] for a file written piece by piece: `write` gets the temporary file
/// (buffered); only when it returns `Ok` is the file flushed, synced and renamed over `path`.
/// On an error the temporary file is removed and `path` is left as it was.
pub fn write_private_with<E: From<std::io::Error>>(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    let temporary = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options.open(&temporary)?;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, file);
    let written = write(&mut buffered).and_then(|()| {
        let file = buffered
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        Ok(std::fs::rename(&temporary, path)?)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Opens `path` now, so that a file that cannot be read is said at once, and returns what
/// hands out that file first and opens it anew after: for readers that may go through a file
/// more than once (`domain::archive::read_streamed`).
pub fn reopenable(
    path: &std::path::Path,
) -> std::io::Result<impl FnMut() -> std::io::Result<std::fs::File> + '_> {
    let mut first = Some(std::fs::File::open(path)?);
    Ok(move || first.take().map_or_else(|| std::fs::File::open(path), Ok))
}

/// The names in `folder`, sorted: what a test of files written there looks at.
#[cfg(test)]
pub fn names_in(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_in_pieces_is_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.json");
        write_private_with(&path, |file| {
            (0..1000).try_for_each(|n| write!(file, "{n},"))
        })
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("0,1,2,") && text.ends_with("998,999,"));
        assert_eq!(names_in(dir.path()), ["all.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.json");
        std::fs::write(&path, "the export of last week").unwrap();
        let failed = write_private_with(&path, |file| {
            // More than the buffer holds, so part of it reached the temporary file.
            file.write_all(&[b'x'; 200_000])?;
            Err(std::io::Error::other("the disk is full"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "the disk is full");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the export of last week"
        );
        assert_eq!(names_in(dir.path()), ["all.json"]);
    }
}
