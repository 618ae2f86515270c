//! The whole-database export off the UI thread. The worker reads on a connection of its own
//! (read-only, in one read transaction: a consistent picture while the window goes on
//! writing), tells its progress in entries, and writes the file 0600 in one piece where the
//! user chose. The window shows the progress at least once before it takes in the result, so
//! a quick export still shows that something happened.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::outcome::AppError;
use crate::store::Store;

enum Message {
    Progress { done: usize, total: usize },
    Finished(Result<PathBuf, AppError>),
}

/// A running export.
pub struct ExportJob {
    receiver: Receiver<Message>,
    pub done: usize,
    /// 0 while the database is still being opened.
    pub total: usize,
    /// Whether the progress has been on screen yet.
    is_shown: bool,
    finished: Option<Result<PathBuf, AppError>>,
}

impl ExportJob {
    /// Exports the database at `database` into `target` on a thread of its own; `wake` is
    /// called after each message, so the window redraws.
    pub fn start(
        database: PathBuf,
        target: PathBuf,
        now: DateTime<Utc>,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut last_sent = 0;
            let result = run(&database, &target, now, &mut |done, total| {
                // Every hundredth entry or so is enough for a progress bar.
                if done == total || done >= last_sent + 100 {
                    last_sent = done;
                    let _ = sender.send(Message::Progress { done, total });
                    wake();
                }
            });
            let _ = sender.send(Message::Finished(result.map(|()| target)));
            wake();
        });
        Self {
            receiver,
            done: 0,
            total: 0,
            is_shown: false,
            finished: None,
        }
    }

    /// The window has put the progress on screen; whether this is the first time.
    pub fn mark_shown(&mut self) -> bool {
        !std::mem::replace(&mut self.is_shown, true)
    }

    /// Takes in what the worker said; `Some` once it is finished and its progress was shown.
    pub fn poll(&mut self) -> Option<Result<PathBuf, AppError>> {
        while self.finished.is_none() {
            match self.receiver.try_recv() {
                Ok(message) => self.take(message),
                Err(_) => break,
            }
        }
        if self.is_shown {
            self.finished.take()
        } else {
            None
        }
    }

    /// Waits (at most `limit`) until the worker has finished, and holds its result for
    /// [`Self::poll`]. For tests.
    pub fn wait(&mut self, limit: Duration) {
        while self.finished.is_none() {
            let Ok(message) = self.receiver.recv_timeout(limit) else {
                return;
            };
            self.take(message);
        }
    }

    fn take(&mut self, message: Message) {
        match message {
            Message::Progress { done, total } => {
                self.done = done;
                self.total = total;
            }
            Message::Finished(result) => self.finished = Some(result),
        }
    }
}

fn run(
    database: &Path,
    target: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(), AppError> {
    let store = Store::open_reader(database)?;
    let archive = store.export_archive_with(now, progress)?;
    drop(store);
    let text = crate::domain::archive::to_text(&archive);
    crate::paths::write_private(target, text.as_bytes()).map_err(|source| AppError::Export {
        path: target.to_owned(),
        source,
    })
}
