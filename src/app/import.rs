//! An import that runs off the UI thread: the store goes to a worker thread with the file, which
//! reads it, parses it (`domain::archive::parse`) and imports it in one transaction, telling its
//! progress as it goes; then the store comes back with the result. While it runs the window
//! shows the progress and takes no other work on the data.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use super::outcome::AppError;
use crate::store::{ImportReport, Store};

/// What the worker says.
enum Message {
    Progress {
        done: usize,
        total: usize,
    },
    Finished {
        store: Box<Store>,
        result: Result<ImportReport, AppError>,
    },
}

/// A running import.
pub struct ImportJob {
    receiver: Receiver<Message>,
    pub done: usize,
    /// 0 while the file is still being read and parsed.
    pub total: usize,
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
            let result = run(&mut store, &file, &mut |done, total| {
                // Every hundredth entry is enough for a progress bar.
                if done % 100 == 0 || done == total {
                    let _ = sender.send(Message::Progress { done, total });
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
            done: 0,
            total: 0,
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
            Message::Progress { done, total } => {
                self.done = done;
                self.total = total;
                None
            }
            Message::Finished { store, result } => Some(Finished {
                store: *store,
                result,
            }),
        }
    }
}

fn run(
    store: &mut Store,
    file: &std::path::Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, AppError> {
    let text = std::fs::read_to_string(file).map_err(|source| AppError::ReadFile {
        path: file.to_owned(),
        source,
    })?;
    let archive =
        crate::domain::archive::parse(&text).map_err(crate::store::ImportError::Archive)?;
    Ok(store.import_archive(&archive, progress)?)
}
