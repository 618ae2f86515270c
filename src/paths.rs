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
