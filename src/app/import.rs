//! An import that runs off the UI thread: the store goes to a worker thread with the file, which
//! imports it as it reads it (`Store::import_from`: one client in memory at a time, one
//! transaction), telling how far into the file it is and how many entries it has taken in; then
//! the store comes back with the result. While it runs the window shows the progress and takes
//! no other work on the data.

use std::cell::Cell;
use std::io::Read;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use super::outcome::AppError;
use crate::store::{ImportReport, Store};

/// What the worker says.
enum Message {
    Progress {
        entries: usize,
        share: f32,
    },
    Finished {
        store: Box<Store>,
        result: Result<ImportReport, AppError>,
    },
}

/// A running import.
pub struct ImportJob {
    receiver: Receiver<Message>,
    /// Entries taken in so far.
    pub entries: usize,
    /// How much of the file is read, 0 to 1; `None` until the first entries are in.
    pub share: Option<f32>,
}

/// What a finished import hands back.
pub struct Finished {
    pub store: Store,
    pub result: Result<ImportReport, AppError>,
}

impl ImportJob {
    /// Starts importing `file` into `store` on a thread of its own; `wake` is called after each
    /// message, so the window redraws.
    pub fn start(mut store: Store, file: PathBuf, wake: impl Fn() + Send + 'static) -> Self {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let result = run(&mut store, &file, &mut |entries, share| {
                // Every hundredth entry is enough for a progress bar.
                if entries % 100 == 1 {
                    let _ = sender.send(Message::Progress { entries, share });
                    wake();
                }
            });
            let _ = sender.send(Message::Finished {
                store: Box::new(store),
                result,
            });
            wake();
        });
        Self {
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

    /// Waits (at most `limit`) until the import is finished. For tests.
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
