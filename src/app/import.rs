//! Work that holds the store off the UI thread: an import or the restore of a backup. The
//! store goes to a worker thread, which imports the file as it reads it (`Store::import_from`:
//! one client in memory at a time, one transaction), telling how far into the file it is and
//! how many entries it has taken in, or restores the backup (the current contents copied aside,
//! then the backup's copied in: 3.3 GB each way for a million entries); then the store comes
//! back with the result. While it runs the window shows the progress and takes no other work on
//! the data. A backup put in a damaged file's place from the damage screen (no store open) runs
//! on a thread the same way ([`DamagedRestore`]): the copy in is as long.

use std::cell::Cell;
use std::io::Read;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::outcome::AppError;
use super::shown::HeldUntilShown;
use crate::store::{ImportReport, Store, StoreResult};

/// What the worker does with the store.
#[derive(Clone, Debug)]
pub enum StoreWork {
    /// Import this file.
    Import(PathBuf),
    /// Restore this backup, as of `now`.
    Restore { backup: PathBuf, now: DateTime<Utc> },
}

/// What the work did.
#[derive(Debug)]
pub enum Done {
    Imported(ImportReport),
    /// Restored; the contents before, set aside here.
    Restored(PathBuf),
}

/// What the worker says.
enum Message {
    Progress {
        entries: usize,
        share: f32,
    },
    Finished {
        store: Box<Store>,
        result: Result<Done, AppError>,
    },
}

/// A running import or restore.
pub struct StoreJob {
    /// Whether it is a restore (else an import).
    pub is_restore: bool,
    receiver: Receiver<Message>,
    /// Entries taken in so far.
    pub entries: usize,
    /// How much of the file is read, 0 to 1; `None` until the first entries are in.
    pub share: Option<f32>,
}

/// What a finished job hands back.
pub struct Finished {
    pub store: Store,
    pub result: Result<Done, AppError>,
}

impl StoreJob {
    /// Starts `work` on `store` on a thread of its own; `wake` is called after each message,
    /// so the window redraws.
    pub fn start(mut store: Store, work: StoreWork, wake: impl Fn() + Send + 'static) -> Self {
        let (sender, receiver) = mpsc::channel();
        let is_restore = matches!(work, StoreWork::Restore { .. });
        std::thread::spawn(move || {
            let result = match work {
                StoreWork::Import(file) => run(&mut store, &file, &mut |entries, share| {
                    // Every hundredth entry is enough for a progress bar.
                    if entries % 100 == 1 {
                        let _ = sender.send(Message::Progress { entries, share });
                        wake();
                    }
                })
                .map(Done::Imported),
                StoreWork::Restore { backup, now } => store
                    .restore_backup(&backup, now)
                    .map(Done::Restored)
                    .map_err(AppError::from),
            };
            let _ = sender.send(Message::Finished {
                store: Box::new(store),
                result,
            });
            wake();
        });
        Self {
            is_restore,
            receiver,
            entries: 0,
            share: None,
        }
    }

    /// Takes in what the worker said; `Some` once it is finished.
    pub fn poll(&mut self) -> Option<Finished> {
        loop {
            match self.receiver.try_recv() {
                Ok(message) => {
                    if let Some(finished) = self.take(message) {
                        return Some(finished);
                    }
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return None,
            }
        }
    }

    /// Waits (at most `limit`) until the work is finished. For tests.
    pub fn wait(&mut self, limit: Duration) -> Option<Finished> {
        loop {
            let message = self.receiver.recv_timeout(limit).ok()?;
            if let Some(finished) = self.take(message) {
                return Some(finished);
            }
        }
    }

    fn take(&mut self, message: Message) -> Option<Finished> {
        match message {
            Message::Progress { entries, share } => {
                self.entries = entries;
                self.share = Some(share);
                None
            }
            Message::Finished { store, result } => Some(Finished {
                store: *store,
                result,
            }),
        }
    }
}

/// A backup being put in the place of a damaged file (`Store::restore_in_place_of`: copied in
/// beside it, the damaged file moved aside, never deleted), then opened.
pub struct DamagedRestore {
    receiver: Receiver<StoreResult<(Store, PathBuf)>>,
    /// What the worker said, held until its progress has been on screen.
    finished: HeldUntilShown<StoreResult<(Store, PathBuf)>>,
}

impl DamagedRestore {
    /// Starts the restore of `backup` over the damaged file at `path` on a thread of its own;
    /// `wake` is called when it is done.
    pub fn start(
        path: PathBuf,
        backup: PathBuf,
        now: DateTime<Utc>,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(Store::restore_in_place_of(&path, &backup, now));
            wake();
        });
        Self {
            receiver,
            finished: HeldUntilShown::new(false),
        }
    }

    /// The window has put the progress on screen; whether this is the first time.
    pub fn mark_shown(&mut self) -> bool {
        self.finished.mark_shown()
    }

    /// The restored file, opened, and where the damaged one was set aside: once it is done and
    /// its progress has been on screen, so that a quick one still shows what happened.
    pub fn poll(&mut self) -> Option<StoreResult<(Store, PathBuf)>> {
        if !self.finished.is_finished()
            && let Ok(result) = self.receiver.try_recv()
        {
            self.finished.finish(result);
        }
        self.finished.take()
    }

    /// Waits (at most `limit`) until the worker is done, leaving what it did for
    /// [`Self::poll`] (tests), or to be dropped (closing the window: the file is whole).
    pub fn wait_for_worker(&mut self, limit: Duration) {
        if !self.finished.is_finished()
            && let Ok(result) = self.receiver.recv_timeout(limit)
        {
            self.finished.finish(result);
        }
    }
}

/// Imports `file`, calling `progress(entries, share)` after each entry with the share of the
/// file read so far.
fn run(
    store: &mut Store,
    file: &std::path::Path,
    progress: &mut dyn FnMut(usize, f32),
) -> Result<ImportReport, AppError> {
    let unreadable = |source| AppError::ReadFile {
        path: file.to_owned(),
        source,
    };
    let size = std::fs::metadata(file).map_err(unreadable)?.len();
    let mut reopen = crate::paths::reopenable(file).map_err(unreadable)?;
    let read = Rc::new(Cell::new(0));
    let open = || {
        let file = reopen()?;
        read.set(0);
        Ok(Counted {
            file,
            read: Rc::clone(&read),
        })
    };
    let share = || read.get() as f32 / size.max(1) as f32;
    Ok(store.import_from(open, &mut |entries| {
        progress(entries, share().min(1.0));
    })?)
}

/// A file that counts what was read of it.
struct Counted {
    file: std::fs::File,
    read: Rc<Cell<u64>>,
}

impl Read for Counted {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = self.file.read(buffer)?;
        self.read.set(self.read.get() + count as u64);
        Ok(count)
    }
}
