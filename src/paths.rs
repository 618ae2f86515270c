//! Where the data lives by default: the platform's data folder (on Linux
//! `~/.local/share/calmdesk/`), found with the `directories` crate.

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
    use std::io::Write as _;
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
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    Ok(())
}
