//! Where the user picks files: native save and open dialogs (rfd; on Linux the desktop portal).
//! The app asks through [`FilePicker`], so tests can answer for the user.

use std::path::PathBuf;

/// Asks the user for a file.
pub trait FilePicker {
    /// Where to save a file; `suggested` is the proposed name, `kind` and `extension` its filter.
    fn save(&self, suggested: &str, kind: &str, extension: &str) -> Option<PathBuf>;
    /// Which file to open.
    fn open(&self, kind: &str, extension: &str) -> Option<PathBuf>;
}

/// The system's own dialogs, starting in the user's documents folder.
#[derive(Clone, Copy, Debug, Default)]
pub struct NativePicker;

fn documents() -> Option<PathBuf> {
    directories::UserDirs::new().and_then(|dirs| {
        dirs.document_dir()
            .map(std::path::Path::to_path_buf)
            .or_else(|| Some(dirs.home_dir().to_path_buf()))
    })
}

impl FilePicker for NativePicker {
    fn save(&self, suggested: &str, kind: &str, extension: &str) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new()
            .set_file_name(suggested)
            .add_filter(kind, &[extension]);
        if let Some(folder) = documents() {
            dialog = dialog.set_directory(folder);
        }
        dialog.save_file()
    }

    fn open(&self, kind: &str, extension: &str) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new().add_filter(kind, &[extension]);
        if let Some(folder) = documents() {
            dialog = dialog.set_directory(folder);
        }
        dialog.pick_file()
    }
}
