//! The daily backup on start, off the UI thread: a copy of a big file takes seconds, and the
//! window must not wait for it. The worker copies through a read-only connection of its own in
//! one read (a consistent picture while the window goes on writing); the copy becomes a
//! backup only when it is whole (`Store::take_backup`). Closing the window waits for it.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};

use crate::store::{BackupOutcome, Store, StoreResult};

/// A backup on start that is being taken.
pub struct StartBackup {
    receiver: Receiver<StoreResult<BackupOutcome>>,
    thread: Option<JoinHandle<()>>,
}

impl StartBackup {
    /// Takes a backup of the database at `database` if one is due, on a thread of its own;
    /// `wake` is called when it is done, so the window hears of it.
    pub fn start(
        database: PathBuf,
        now: DateTime<Utc>,
        keep: usize,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let result =
                Store::open_reader(&database).and_then(|store| store.backup_if_due(now, keep));
            let _ = sender.send(result);
            wake();
        });
        Self {
            receiver,
            thread: Some(thread),
        }
    }

    /// What the backup did, once it is done.
    pub fn poll(&mut self) -> Option<StoreResult<BackupOutcome>> {
        self.receiver.try_recv().ok()
    }

    /// Waits until the backup is done (closing the window, and tests).
    pub fn wait(&mut self) -> Option<StoreResult<BackupOutcome>> {
        let result = self.receiver.recv().ok();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        result
    }
}
