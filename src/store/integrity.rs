//! Finding damage without making start-up wait for it: `PRAGMA quick_check` reads the whole file,
//! so it runs on a connection of its own, on a thread, while the window already shows the data.
//! The app lets no write through before the answer (it waits for it at the first write), and
//! shows the damage screen if the file is not sound.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use super::{Store, StoreError, StoreResult};

/// The answer of one integrity check, coming or come.
#[derive(Debug)]
pub struct IntegrityWatch {
    answer: Option<Receiver<StoreResult<()>>>,
    result: Option<Result<(), String>>,
    /// Held while the check waits to begin (see [`IntegrityWatch::spawn_held`]); dropped, it
    /// lets the check read.
    hold: Option<Sender<()>>,
}

impl IntegrityWatch {
    /// Starts checking the file at `path` on a reader connection of its own.
    pub fn spawn(path: &Path) -> Self {
        Self::spawn_then(path, || {})
    }

    /// Starts checking, and calls `wake` when the answer is there (the window redraws to act
    /// on it).
    pub fn spawn_then(path: &Path, wake: impl Fn() + Send + 'static) -> Self {
        let mut watch = Self::spawn_held(path, wake);
        watch.release();
        watch
    }

    /// [`IntegrityWatch::spawn_then`], but the check begins only at [`IntegrityWatch::release`]
    /// (or at [`IntegrityWatch::wait`]): the window paints its first frame first, instead of
    /// sharing the processor with a read of the whole file.
    pub fn spawn_held(path: &Path, wake: impl Fn() + Send + 'static) -> Self {
        let (sender, receiver) = mpsc::channel();
        let (hold, held) = mpsc::channel::<()>();
        let path = path.to_owned();
        let started = thread::Builder::new()
            .name("calmdesk-check".into())
            .spawn(move || {
                // Returns once the hold is dropped.
                let _ = held.recv();
                let result = Store::open_reader(&path).and_then(|store| store.quick_check());
                let _ = sender.send(result);
                wake();
            });
        match started {
            Ok(_) => Self {
                answer: Some(receiver),
                result: None,
                hold: Some(hold),
            },
            Err(error) => Self::known(Err(error.to_string())),
        }
    }

    /// Lets a held check begin; nothing if it has begun.
    pub fn release(&mut self) {
        self.hold = None;
    }

    /// A check whose answer is already known (a store in memory is sound).
    pub fn known(result: Result<(), String>) -> Self {
        Self {
            answer: None,
            result: Some(result),
            hold: None,
        }
    }

    /// The answer if it has arrived: `Some(Ok)` sound, `Some(Err)` damaged, `None` still checking.
    pub fn poll(&mut self) -> Option<&Result<(), String>> {
        if self.result.is_none()
            && let Some(answer) = &self.answer
            && let Ok(result) = answer.try_recv()
        {
            self.result = Some(result.map_err(|error| damage_text(&error)));
            self.answer = None;
        }
        self.result.as_ref()
    }

    /// Waits for the answer (at the first write: nothing is written before the file is known
    /// to be sound).
    pub fn wait(&mut self) -> &Result<(), String> {
        self.release();
        if self.result.is_none() {
            let result = self
                .answer
                .take()
                .and_then(|answer| answer.recv().ok())
                .unwrap_or_else(|| Err(StoreError::Damaged("the check did not finish".into())));
            self.result = Some(result.map_err(|error| damage_text(&error)));
        }
        self.result.get_or_insert(Ok(()))
    }
}

fn damage_text(error: &StoreError) -> String {
    match error {
        StoreError::Damaged(reason) => reason.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_check_answers_nothing_until_released_and_a_wait_releases_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = dir.path().join("calmdesk.sqlite3");
        drop(Store::open(&path).unwrap_or_else(|error| panic!("{error}")));

        let mut held = IntegrityWatch::spawn_held(&path, || {});
        // Held, the thread has not opened the file: no answer can have come.
        for _ in 0..100 {
            assert!(held.poll().is_none());
            std::thread::yield_now();
        }
        // A write waits for the answer: waiting lets the check begin, it never hangs.
        assert_eq!(held.wait(), &Ok(()));

        let mut released = IntegrityWatch::spawn_held(&path, || {});
        released.release();
        assert_eq!(released.wait(), &Ok(()));
        assert_eq!(released.poll(), Some(&Ok(())));
    }
}
