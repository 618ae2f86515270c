//! Opening a file from an older calmdesk, off the UI thread. The upgrade checks the file, copies
//! it aside as it was (`NAME.before-vN`) and rebuilds what the new schema keeps: on a journal of
//! years that is many seconds, and the window shows that it is working instead of not opening.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::store::{Store, StoreResult, UpgradeProgress};

/// An older file being opened and upgraded.
pub struct UpgradeJob {
    receiver: Receiver<StoreResult<Store>>,
    /// The file, for the screen.
    pub path: PathBuf,
    /// The schema version the file had.
    pub from_version: u32,
    started: Instant,
    /// The step under way and how far it is, as the upgrade last told.
    progress: Arc<Mutex<Option<UpgradeProgress>>>,
}

impl UpgradeJob {
    /// Opens (and so upgrades) the file at `path` on a thread of its own; `wake` is called
    /// when it is done, so the window takes it in.
    pub fn start(
        path: PathBuf,
        from_version: u32,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let opened = path.clone();
        let progress = Arc::new(Mutex::new(None));
        let told = Arc::clone(&progress);
        let wake = Arc::new(wake);
        std::thread::spawn(move || {
            let woken = Arc::clone(&wake);
            let store = Store::open_with_progress(&opened, move |step| {
                if let Ok(mut last) = told.lock() {
                    *last = Some(step);
                }
                woken();
            });
            let _ = sender.send(store);
            wake();
        });
        Self {
            receiver,
            path,
            from_version,
            started: Instant::now(),
            progress,
        }
    }

    /// The step under way and how far it is (`None` while the file is being checked).
    pub fn progress(&self) -> Option<UpgradeProgress> {
        self.progress.lock().ok().and_then(|last| *last)
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
