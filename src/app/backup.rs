//! Backups off the UI thread — the daily one on start and the one the user asks for: a copy of
//! a big file takes seconds (7 s for a million entries), and the window must not wait for it.
//! The worker copies through a read-only connection of its own in one read (a consistent
//! picture while the window goes on writing); the copy becomes a backup only when it is whole
//! (`Store::take_backup`). One runs at a time (a second copy would take the first's partial
//! file); closing the window waits for it.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};

use crate::store::{BackupOutcome, Store, StoreResult};

/// Which backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupKind {
    /// On start, if the newest is a day old or there is none.
    IfDue,
    /// Now: the user asked for it.
    Now,
}

/// A backup that is being taken.
pub struct BackupJob {
    kind: BackupKind,
    receiver: Receiver<StoreResult<BackupOutcome>>,
    /// What the worker said, held until it may be taken in.
    finished: Option<StoreResult<BackupOutcome>>,
    /// Whether the progress of a backup the user asked for has been on screen yet.
    is_shown: bool,
    thread: Option<JoinHandle<()>>,
}

impl BackupJob {
    /// Takes a backup of the database at `database` on a thread of its own, keeping the
    /// newest `keep`; `wake` is called when it is done, so the window hears of it.
    pub fn start(
        database: PathBuf,
        kind: BackupKind,
        now: DateTime<Utc>,
        keep: usize,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let result = Store::open_reader(&database).and_then(|store| match kind {
                BackupKind::IfDue => store.backup_if_due(now, keep),
                BackupKind::Now => store.take_backup(now, keep).map(BackupOutcome::Taken),
            });
            let _ = sender.send(result);
            wake();
        });
        Self {
            kind,
            receiver,
            finished: None,
            is_shown: false,
            thread: Some(thread),
        }
    }

    /// Which backup this is.
    pub fn kind(&self) -> BackupKind {
        self.kind
    }

    /// The window has put the progress on screen; whether this is the first time.
    pub fn mark_shown(&mut self) -> bool {
        !std::mem::replace(&mut self.is_shown, true)
    }

    /// What the backup did, once it is done — for one the user asked for, once its progress
    /// has been on screen too, so that a quick one still shows that something happened.
    pub fn poll(&mut self) -> Option<StoreResult<BackupOutcome>> {
        if self.finished.is_none() {
            self.finished = self.receiver.try_recv().ok();
        }
        if self.kind == BackupKind::IfDue || self.is_shown {
            self.finished.take()
        } else {
            None
        }
    }

    /// Waits until the worker is done, leaving what it did for [`Self::poll`]. For tests.
    pub fn wait_for_worker(&mut self) {
        if self.finished.is_none() {
            self.finished = self.receiver.recv().ok();
        }
    }

    /// Waits until the backup is done and gives what it did (closing the window, and tests).
    pub fn wait(&mut self) -> Option<StoreResult<BackupOutcome>> {
        self.wait_for_worker();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.finished.take()
    }
}
