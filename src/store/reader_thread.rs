//! A thread that reads for the window: it owns a read-only connection of its own to the file
//! (WAL lets it read what the window has committed while the window writes) and answers the
//! newest of the requests sent to it. A request overtaken by a newer one is interrupted
//! (`sqlite3_interrupt`) rather than finished, and requests that queued up meanwhile are
//! skipped for the last. Search (`searcher.rs`) and the Picture (`app/picture_worker.rs`) read
//! this way, so neither holds up a frame.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use rusqlite::InterruptHandle;

use super::{Store, StoreError, StoreResult};

/// The handle on one reading thread. Dropping it stops the thread (a read under way is
/// interrupted) and waits for it, so its connection is closed before the window's own one
/// closes and checkpoints.
pub struct ReaderThread<Request, Answer> {
    requests: Option<Sender<Request>>,
    answers: Receiver<Answer>,
    interrupt: InterruptHandle,
    thread: Option<thread::JoinHandle<()>>,
}

impl<Request, Answer> Drop for ReaderThread<Request, Answer> {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop; a read under way is interrupted.
        self.requests = None;
        self.interrupt.interrupt();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl<Request: Send + 'static, Answer: Send + 'static> ReaderThread<Request, Answer> {
    /// Starts a thread named `name` on its own read-only connection to `path`. It answers each
    /// newest request with `answer`, which gives `None` for a read interrupted by a newer
    /// request (whose answer follows) or by the handle's drop; `on_answer` runs after each
    /// answer is sent (the app asks egui to repaint).
    pub fn spawn(
        path: &Path,
        name: &str,
        mut answer: impl FnMut(&Store, Request) -> Option<Answer> + Send + 'static,
        on_answer: impl Fn() + Send + 'static,
    ) -> StoreResult<Self> {
        let store = Store::open_reader(path)?;
        let interrupt = store.interrupt_handle();
        let (request_sender, request_receiver) = mpsc::channel::<Request>();
        let (answer_sender, answer_receiver) = mpsc::channel();
        let thread = thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                while let Ok(mut request) = request_receiver.recv() {
                    // Only the newest request matters.
                    while let Ok(newer) = request_receiver.try_recv() {
                        request = newer;
                    }
                    let Some(answered) = answer(&store, request) else {
                        continue;
                    };
                    if answer_sender.send(answered).is_err() {
                        break;
                    }
                    on_answer();
                }
            })
            .map_err(|source| StoreError::Io {
                path: path.to_owned(),
                source,
            })?;
        Ok(Self {
            requests: Some(request_sender),
            answers: answer_receiver,
            interrupt,
            thread: Some(thread),
        })
    }

    /// Sends a request; a read still under way (for an older one) is interrupted.
    pub fn request(&mut self, request: Request) {
        self.interrupt.interrupt();
        // A send fails only if the thread is gone; no answer comes then.
        if let Some(requests) = &self.requests {
            let _ = requests.send(request);
        }
    }

    /// The answers that have arrived, oldest first.
    pub fn take_answers(&mut self) -> Vec<Answer> {
        self.answers.try_iter().collect()
    }

    /// Waits (at most `timeout`) for the next answer (for tests: a synchronisation, not a sleep).
    pub fn wait_for_answer(&mut self, timeout: Duration) -> Option<Answer> {
        self.answers.recv_timeout(timeout).ok()
    }
}
