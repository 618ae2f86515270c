//! The selected client's Picture read off the UI thread. The Picture walks a whole journal (every
//! entry's minutes, every message's mark, the reader on the next unread messages): 50–70 ms for
//! a client of 100 000 entries, too long for a frame and too long for a save to wait on while
//! the Picture is shown. It is read on a [`ReaderThread`] (a read-only connection of its own,
//! the newest request answered); the window goes on showing the Picture it has until the
//! answer comes.
//!
//! The marks the worker reads come back with its answer, for the window to keep
//! ([`Readings::absorb`]); an answer to an older request is dropped whole, marks and all, since
//! a text may have changed since it was read (`Loaded::accept_picture`).

use std::path::Path;
use std::time::Duration;

use crate::domain::Client;
use crate::domain::ledger::YearMonth;
use crate::store::{ReaderThread, StoreError, StoreResult};

use super::Settings;
use super::picture::{self, Picture, Readings};

/// What the worker needs to read one Picture: the client, the settings and month it is
/// counted with, and the marks read so far and not yet kept (so it does not read them again).
#[derive(Debug)]
pub struct PictureRequest {
    pub generation: u64,
    pub client: Client,
    pub settings: Settings,
    pub month: YearMonth,
    pub readings: Readings,
}

/// The worker's answer to one request: the Picture, and the readings with the marks it read.
#[derive(Debug)]
pub struct PictureAnswer {
    pub generation: u64,
    pub picture: StoreResult<Picture>,
    pub readings: Readings,
}

/// The app's handle on the Picture's worker; dropping it stops the worker and waits for it.
pub struct PictureWorker {
    thread: ReaderThread<PictureRequest, PictureAnswer>,
}

impl PictureWorker {
    /// Starts the worker on its own read-only connection to `path`. `on_answer` runs on the
    /// worker after each answer (the app asks egui to repaint).
    pub fn spawn(path: &Path, on_answer: impl Fn() + Send + 'static) -> StoreResult<Self> {
        let thread = ReaderThread::spawn(
            path,
            "calmdesk-picture",
            |store, mut request: PictureRequest| {
                let picture = picture::picture(
                    store,
                    &request.client,
                    &request.settings,
                    &mut request.readings,
                    request.month,
                );
                // Interrupted by a newer request (its answer follows) or by closing.
                if picture.as_ref().is_err_and(StoreError::is_interrupted) {
                    return None;
                }
                Some(PictureAnswer {
                    generation: request.generation,
                    picture,
                    readings: request.readings,
                })
            },
            on_answer,
        )?;
        Ok(Self { thread })
    }

    /// Asks for a Picture; a read still under way (for an older state) is interrupted. If the
    /// worker is gone no answer comes, and the Picture already shown stays.
    pub fn request(&mut self, request: PictureRequest) {
        self.thread.request(request);
    }

    /// The answers that have arrived, oldest first (the caller keeps the one it asked last).
    pub fn take_answers(&mut self) -> Vec<PictureAnswer> {
        self.thread.take_answers()
    }

    /// Waits for the next answer (for tests: a synchronisation, not a sleep).
    pub fn wait_for_answer(&mut self, timeout: Duration) -> Option<PictureAnswer> {
        self.thread.wait_for_answer(timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
    use crate::store::Store;
    use chrono::{TimeZone, Utc};

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    fn entry(day: u32, minutes: u32) -> ExchangeDraft {
        ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap(),
            minutes: Minutes::new(minutes).unwrap(),
            body: "Why is this still not done? I am very disappointed.".into(),
        }
    }

    fn request(generation: u64, client: &Client, settings: &Settings) -> PictureRequest {
        PictureRequest {
            generation,
            client: client.clone(),
            settings: settings.clone(),
            month: YearMonth::of_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
            readings: Readings::default(),
        }
    }

    #[test]
    fn the_worker_reads_the_picture_the_window_would_and_sees_new_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calmdesk.sqlite3");
        let mut store = Store::open(&path).unwrap();
        let input = ClientInput {
            name: "Acme".into(),
            ..ClientInput::default()
        };
        let client_id = store.add_client(&input.parse().unwrap(), now()).unwrap();
        store.add_exchange(client_id, &entry(3, 20), now()).unwrap();
        let client = store.client(client_id).unwrap();
        let settings = Settings::read(&store).unwrap();
        let mut worker = PictureWorker::spawn(&path, || {}).unwrap();

        worker.request(request(1, &client, &settings));
        let mut answer = worker.wait_for_answer(Duration::from_secs(30)).unwrap();
        let mut here = Readings::default();
        let month = request(0, &client, &settings).month;
        let inline = picture::picture(&store, &client, &settings, &mut here, month).unwrap();
        assert_eq!(answer.generation, 1);
        assert_eq!(
            answer.picture.unwrap(),
            inline,
            "the same Picture as read inline"
        );
        assert_eq!(
            answer.readings.take_pending().len(),
            1,
            "the mark read comes back"
        );

        store.add_exchange(client_id, &entry(4, 15), now()).unwrap();
        worker.request(request(2, &client, &settings));
        let answer = worker.wait_for_answer(Duration::from_secs(30)).unwrap();
        let picture = answer.picture.unwrap();
        assert_eq!(answer.generation, 2);
        assert_eq!(
            picture.ledger.this_month.minutes, 35,
            "the write since the first answer"
        );
        assert_eq!(picture.ledger.heat.len(), 2);
    }
}
