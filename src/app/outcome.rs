//! What applying a command changed, so the app re-reads only that, says it once, and updates
//! the views: the [`Outcome`], its [`Notice`] (turned into words in `words.rs`), and the
//! [`AppError`] for what went wrong.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::loaded::{Refresh, Undo};
use crate::domain::cooldown::CoolDownError;
use crate::domain::{ExchangeId, StatusChangeError};
use crate::store::StoreError;

/// What happened, in the app's terms (the words are chosen when it is shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    ClientAdded,
    ClientSaved,
    ClientPaused,
    ClientResumed,
    ClientEnded,
    ClientEnding(NaiveDate),
    ClientEndCancelled,
    ClientReopened,
    EntryAdded,
    EntrySaved,
    EntryDeleted,
    Undone,
    NothingToUndo,
    DemoOpened,
    CoolDownStarted,
    UnlockedEarly,
    ReplyLogged,
    ReplyAlreadyLogged,
    KindSaved,
    Exported(PathBuf),
    WaitSaved(u32),
    TemplateSaved,
    SignatureSaved,
    CostSaved,
    /// A drafted text is on the clipboard.
    Copied,
    CostCleared,
    /// Clients whose notice period ran out today.
    EndingsCompleted(usize),
    EntryRestored,
    TrashEmptied(usize),
    BackupTaken(PathBuf),
    /// Restored; the previous contents were set aside here.
    BackupRestored(PathBuf),
    ArchiveExported(PathBuf),
    Imported(crate::store::ImportReport),
    BackupsKept(u32),
}

/// A change to the views' own state the app makes after applying a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewChange {
    CloseClientForm,
    CloseExchangeForm,
    /// Scroll the journal to this entry.
    ShowEntry(ExchangeId),
    /// A (new or other) cool-down is on screen: start its screen afresh.
    CoolDownOpened,
    /// The cool-down screen closed: wipe its vent pad.
    CoolDownClosed,
}

/// What to do with the undo slot.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum UndoChange {
    #[default]
    Keep,
    Set(Undo),
    Clear,
}

/// What one command changed.
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct Outcome {
    pub refresh: Refresh,
    pub notice: Option<Notice>,
    pub undo: UndoChange,
    /// Text to put on the clipboard (a reply, once it is logged).
    pub clipboard: Option<String>,
    pub views: Vec<ViewChange>,
}

impl Outcome {
    pub fn refresh(refresh: Refresh) -> Self {
        Self {
            refresh,
            ..Self::default()
        }
    }

    pub fn with_notice(mut self, notice: Notice) -> Self {
        self.notice = Some(notice);
        self
    }

    pub fn with_view(mut self, change: ViewChange) -> Self {
        self.views.push(change);
        self
    }

    pub fn with_undo(mut self, undo: UndoChange) -> Self {
        self.undo = undo;
        self
    }

    /// Both outcomes: a save followed by starting a cool-down on what was saved.
    pub fn then(mut self, next: Self) -> Self {
        self.refresh = self.refresh.and(next.refresh);
        self.notice = next.notice.or(self.notice);
        if next.undo != UndoChange::Keep {
            self.undo = next.undo;
        }
        self.clipboard = next.clipboard.or(self.clipboard);
        self.views.extend(next.views);
        self
    }
}

/// What can go wrong applying a command. Each is said once, in words, by `words::error_text`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A cool-down rule refused the change.
    #[error(transparent)]
    Rule(#[from] CoolDownError),
    #[error("this status change is not allowed: {0}")]
    Status(#[from] StatusChangeError),
    #[error("could not write {path}: {source}")]
    Export {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not read {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An import file that changed nothing, and why.
    #[error(transparent)]
    Import(#[from] crate::store::ImportError),
    #[error("no cool-down is open")]
    NoCoolDown,
    #[error("no client is selected")]
    NoClient,
}

impl AppError {
    /// An archive that was not written to `path`, and why.
    pub fn from_archive_write(error: crate::store::ArchiveWriteError, path: &Path) -> Self {
        use crate::store::ArchiveWriteError;
        match error {
            ArchiveWriteError::Store(error) => Self::Store(error),
            ArchiveWriteError::Write(source) => Self::Export {
                path: path.to_owned(),
                source,
            },
            ArchiveWriteError::Stopped => Self::Export {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::Interrupted, error.to_string()),
            },
        }
    }
}

impl From<crate::store::ChangeStatusError> for AppError {
    fn from(error: crate::store::ChangeStatusError) -> Self {
        match error {
            crate::store::ChangeStatusError::Rule(rule) => Self::Status(rule),
            crate::store::ChangeStatusError::Store(error) => Self::Store(error),
        }
    }
}
