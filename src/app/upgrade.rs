//! Opening a file from an older calmdesk, off the UI thread. The upgrade checks the file, copies
//! it aside as it was (`NAME.before-vN`) and rebuilds what the new schema keeps: on a journal of
//! years that is many seconds, and the window shows that it is working instead of not opening.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::store::{Store, StoreResult};

/// An older file being opened and upgraded.
pub struct UpgradeJob {
    receiver: Receiver<StoreResult<Store>>,
    /// The file, for the screen.
    pub path: PathBuf,
    /// The schema version the file had.
    pub from_version: u32,
    started: Instant,
}

impl UpgradeJob {
    /// Opens (and so upgrades) the file at `path` on a thread of its own; `wake` is called
    /// when it is done, so the window takes it in.
    pub fn start(path: PathBuf, from_version: u32, wake: impl Fn() + Send + 'static) -> Self {
        let (sender, receiver) = mpsc::channel();
        let opened = path.clone();
        std::thread::spawn(move || {
            let _ = sender.send(Store::open(&opened));
            wake();
        });
        Self {
            receiver,
            path,
            from_version,
            started: Instant::now(),
        }
    }

    /// How long the upgrade has been running (for the screen; not a clock of the domain).
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The opened store (or why it could not be opened), once the upgrade is done.
    pub fn poll(&mut self) -> Option<StoreResult<Store>> {
        self.receiver.try_recv().ok()
    }

    /// Waits until the upgrade is done (closing the window, and tests).
    pub fn wait(&mut self) -> Option<StoreResult<Store>> {
        self.receiver.recv().ok()
    }
}
