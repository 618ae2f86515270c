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

use super::shown::HeldUntilShown;
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
    /// What the worker said, held (for a backup the user asked for) until its progress has
    /// been on screen.
    finished: HeldUntilShown<StoreResult<BackupOutcome>>,
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
            // The backup on start shows no progress.
            finished: HeldUntilShown::new(kind == BackupKind::IfDue),
            thread: Some(thread),
        }
    }

    /// Which backup this is.
    pub fn kind(&self) -> BackupKind {
        self.kind
    }

    /// The window has put the progress on screen; whether this is the first time.
    pub fn mark_shown(&mut self) -> bool {
        self.finished.mark_shown()
    }

    /// What the backup did, once it is done — for one the user asked for, once its progress
    /// has been on screen too, so that a quick one still shows that something happened.
    pub fn poll(&mut self) -> Option<StoreResult<BackupOutcome>> {
        if !self.finished.is_finished()
            && let Ok(result) = self.receiver.try_recv()
        {
            self.finished.finish(result);
        }
        self.finished.take()
    }

    /// Waits until the worker is done, leaving what it did for [`Self::poll`]. For tests.
    pub fn wait_for_worker(&mut self) {
        if !self.finished.is_finished()
            && let Ok(result) = self.receiver.recv()
        {
            self.finished.finish(result);
        }
    }

    /// Waits until the backup is done and gives what it did (closing the window, and tests).
    pub fn wait(&mut self) -> Option<StoreResult<BackupOutcome>> {
        self.wait_for_worker();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.finished.take_unshown()
    }
}
