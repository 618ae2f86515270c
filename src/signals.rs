//! A request to end, from outside: SIGTERM (logout, shutdown), SIGINT (Ctrl+C in a terminal),
//! SIGHUP (the terminal closed). Without this the process would die at once and leave the
//! journal in `NAME-wal`; with it, the app closes as if its window were closed, the database
//! checkpoints, and the `.sqlite3` file alone is complete.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

type Waker = Box<dyn Fn() + Send>;

/// Whether the process was asked to end. Clones share the same request.
#[derive(Clone)]
pub struct Termination {
    requested: Arc<AtomicBool>,
    waker: Arc<Mutex<Option<Waker>>>,
}

impl std::fmt::Debug for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Termination")
            .field("requested", &self.requested())
            .finish_non_exhaustive()
    }
}

impl Termination {
    /// Starts listening for SIGTERM, SIGINT and SIGHUP on a thread of its own.
    pub fn listen() -> io::Result<Self> {
        let termination = Self::unheard();
        let mut signals = Signals::new([SIGTERM, SIGINT, SIGHUP])?;
        let heard = termination.clone();
        std::thread::Builder::new()
            .name("calmdesk-signals".into())
            .spawn(move || {
                if signals.forever().next().is_some() {
                    heard.request();
                }
            })?;
        Ok(termination)
    }

    /// A termination that no signal reaches (tests, and when signals cannot be listened to).
    pub fn unheard() -> Self {
        Self {
            requested: Arc::new(AtomicBool::new(false)),
            waker: Arc::new(Mutex::new(None)),
        }
    }

    /// Asks to end, and wakes whoever waits for it.
    pub fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
        let waker = self.waker.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(wake) = waker.as_ref() {
            wake();
        }
    }

    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// Called on the signal's thread when the request comes (the app asks egui for a frame).
    pub fn on_request(&self, wake: impl Fn() + Send + 'static) {
        *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(wake));
    }
}
