//! Exports off the UI thread: the whole database, or one client's evidence document (at a
//! million entries the big client's record is 160 MB of HTML and seconds of work, which on the
//! UI thread froze the window). The worker reads on a connection of its own (read-only, in one
//! read transaction: a consistent picture while the window goes on writing). The archive is
//! written entry by entry as it is read, with its progress in entries; the record is made whole,
//! then written. Either goes into a temporary file beside the target, renamed over it once whole
//! (0600). The window shows the progress at least once before it takes in the result, so a
//! quick export still shows that something happened. Quitting stops the worker (the archive
//! after the entry it is on, the record before it is written) and removes the temporary file:
//! nothing half-written is left where the user chose.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::outcome::AppError;
use super::shown::HeldUntilShown;
use crate::domain::ClientId;
use crate::domain::export::DocumentFormat;
use crate::store::{ArchiveWriteError, Store};
use crate::ui::Strings;

/// What an export writes.
#[derive(Clone, Copy, Debug)]
pub enum ExportKind {
    /// Everything, as the JSON archive.
    Archive,
    /// One client's evidence document, in the words of `tr`.
    Record {
        client_id: ClientId,
        format: DocumentFormat,
        tr: &'static Strings,
    },
}

enum Message {
    Progress { done: usize, total: usize },
    Finished(Result<PathBuf, AppError>),
}

/// A running export.
pub struct ExportJob {
    kind: ExportKind,
    receiver: Receiver<Message>,
    pub done: usize,
    /// 0 while the database is still being opened.
    pub total: usize,
    /// What the worker finished with, held until the progress has been on screen.
    finished: HeldUntilShown<Result<PathBuf, AppError>>,
    /// Cleared to stop the worker after the entry it is writing.
    keep_going: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl ExportJob {
    /// Exports `kind` of the database at `database` into `target` on a thread of its own;
    /// `wake` is called after each message, so the window redraws.
    pub fn start(
        database: PathBuf,
        target: PathBuf,
        kind: ExportKind,
        now: DateTime<Utc>,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let keep_going = Arc::new(AtomicBool::new(true));
        let worker_keeps_going = Arc::clone(&keep_going);
        let worker = std::thread::spawn(move || {
            let mut last_sent = 0;
            let mut progress = |done, total| {
                // Every hundredth entry or so is enough for a progress bar.
                if done == total || done >= last_sent + 100 {
                    last_sent = done;
                    let _ = sender.send(Message::Progress { done, total });
                    wake();
                }
            };
            let keep_going = || worker_keeps_going.load(Ordering::SeqCst);
            // Stopped, it has nothing to say: the window is closing.
            let job = Job {
                database: &database,
                target: &target,
                kind,
                now,
            };
            if let Some(result) = job.run(&mut progress, &keep_going) {
                let _ = sender.send(Message::Finished(result.map(|()| target)));
                wake();
            }
        });
        Self {
            kind,
            receiver,
            done: 0,
            total: 0,
            finished: HeldUntilShown::new(false),
            keep_going,
            worker: Some(worker),
        }
    }

    /// What this export writes.
    pub fn kind(&self) -> ExportKind {
        self.kind
    }

    /// Asks the worker to stop after the entry it is writing; [`Self::stop`] also waits.
    pub fn ask_to_stop(&self) {
        self.keep_going.store(false, Ordering::SeqCst);
    }

    /// The app is quitting: stops the worker and waits until it has removed its temporary
    /// file, so no part of the export is left behind (a file already whole is kept).
    pub fn stop(&mut self) {
        self.ask_to_stop();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }

    /// The window has put the progress on screen; whether this is the first time.
    pub fn mark_shown(&mut self) -> bool {
        self.finished.mark_shown()
    }

    /// Takes in what the worker said; `Some` once it is finished and its progress was shown.
    pub fn poll(&mut self) -> Option<Result<PathBuf, AppError>> {
        while !self.finished.is_finished() {
            match self.receiver.try_recv() {
                Ok(message) => self.take(message),
                Err(_) => break,
            }
        }
        self.finished.take()
    }

    /// Waits (at most `limit`) until the worker has finished, and holds its result for
    /// [`Self::poll`]. For tests.
    pub fn wait(&mut self, limit: Duration) {
        while !self.finished.is_finished() {
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
            Message::Finished(result) => self.finished.finish(result),
        }
    }
}

/// One export, as the worker runs it.
struct Job<'a> {
    database: &'a Path,
    target: &'a Path,
    kind: ExportKind,
    now: DateTime<Utc>,
}

impl Job<'_> {
    /// The export, or `None` when it was stopped.
    fn run(
        &self,
        progress: &mut dyn FnMut(usize, usize),
        keep_going: &dyn Fn() -> bool,
    ) -> Option<Result<(), AppError>> {
        let store = match Store::open_reader(self.database) {
            Ok(store) => store,
            Err(error) => return Some(Err(error.into())),
        };
        match self.kind {
            ExportKind::Archive => self.archive(&store, progress, keep_going),
            ExportKind::Record {
                client_id,
                format,
                tr,
            } => {
                let document =
                    super::words::record_document(&store, client_id, format, tr, self.now);
                let document = match document {
                    Ok(document) => document,
                    Err(error) => return Some(Err(error.into())),
                };
                // Made whole while the window was closing: nothing is written.
                if !keep_going() {
                    return None;
                }
                let written = crate::paths::write_private(self.target, document.as_bytes());
                Some(written.map_err(|source| AppError::Export {
                    path: self.target.to_owned(),
                    source,
                }))
            }
        }
    }

    fn archive(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(usize, usize),
        keep_going: &dyn Fn() -> bool,
    ) -> Option<Result<(), AppError>> {
        let written = crate::paths::write_private_with(self.target, |file| {
            store.write_archive(self.now, file, progress, keep_going)
        });
        match written {
            Ok(()) => Some(Ok(())),
            Err(ArchiveWriteError::Stopped) => None,
            Err(error) => Some(Err(AppError::from_archive_write(error, self.target))),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use chrono::TimeZone as _;

    use super::*;
    use crate::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
    use crate::paths::names_in;
    use crate::store::NewEntry;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap() + chrono::Duration::minutes(minute)
    }

    /// A database of 250 entries, in a folder of its own.
    fn database(dir: &Path) -> PathBuf {
        let path = dir.join("calmdesk.sqlite3");
        let mut store = Store::open(&path).unwrap();
        let draft = ClientInput {
            name: "Анна Кравцова".into(),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        let client_id = store.add_client(&draft, at(0)).unwrap();
        let entries: Vec<NewEntry> = (0..250)
            .map(|n| NewEntry {
                client_id,
                draft: ExchangeDraft {
                    direction: Direction::FromClient,
                    channel: Channel::Email,
                    occurred_at: at(n),
                    minutes: Minutes::new(5).unwrap(),
                    body: format!("Где отчёт номер {n}?"),
                },
                written_at: at(n),
            })
            .collect();
        store.append_entries(&entries).unwrap();
        path
    }

    #[test]
    fn an_export_is_written_whole_under_its_name_and_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("all.json");
        let mut job = ExportJob::start(
            database(dir.path()),
            target.clone(),
            ExportKind::Archive,
            at(300),
            || {},
        );
        job.wait(Duration::from_secs(60));
        assert!(job.mark_shown());
        assert_eq!(job.poll().unwrap().unwrap(), target);
        assert_eq!((job.done, job.total), (250, 250));
        let archive = crate::domain::archive::parse(&std::fs::read_to_string(&target).unwrap());
        assert_eq!(archive.unwrap().clients[0].entries.len(), 250);
        assert_eq!(names_in(out.path()), ["all.json"]);
    }

    fn record_of_the_first_client(dir: &Path) -> (PathBuf, ExportKind) {
        let database = database(dir);
        let client_id = Store::open_read_only(&database)
            .unwrap()
            .client_overviews()
            .unwrap()[0]
            .client
            .client_id;
        let kind = ExportKind::Record {
            client_id,
            format: DocumentFormat::Markdown,
            tr: crate::ui::UiLanguage::Russian.strings(),
        };
        (database, kind)
    }

    #[test]
    fn a_clients_record_is_made_on_the_worker_and_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("record.md");
        let (database, kind) = record_of_the_first_client(dir.path());
        let mut job = ExportJob::start(database.clone(), target.clone(), kind, at(300), || {});
        job.wait(Duration::from_secs(60));
        assert!(job.mark_shown());
        assert_eq!(job.poll().unwrap().unwrap(), target);
        let written = std::fs::read_to_string(&target).unwrap();
        let ExportKind::Record {
            client_id,
            format,
            tr,
        } = kind
        else {
            unreachable!("made as a record above")
        };
        let store = Store::open_read_only(&database).unwrap();
        let expected = crate::app::words::record_document(&store, client_id, format, tr, at(300));
        assert_eq!(written, expected.unwrap());
        assert!(written.contains("Где отчёт номер 249?"));
        assert_eq!(names_in(out.path()), ["record.md"]);
    }

    #[test]
    fn a_record_made_while_the_window_closes_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("record.md");
        let (database, kind) = record_of_the_first_client(dir.path());
        let job = Job {
            database: &database,
            target: &target,
            kind,
            now: at(300),
        };
        assert!(job.run(&mut |_, _| {}, &|| false).is_none());
        assert!(names_in(out.path()).is_empty());
    }

    #[test]
    fn quitting_midway_leaves_neither_the_file_nor_its_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("all.json");
        // The worker is held at its first progress (100 of 250 entries written), so the app
        // quits while the temporary file is there and half full.
        let (entered, is_entered) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let released = Mutex::new(released);
        let mut job = ExportJob::start(
            database(dir.path()),
            target.clone(),
            ExportKind::Archive,
            at(300),
            move || {
                if entered.send(()).is_ok() {
                    // Bounded, so that a worker that ignored the stop fails the test, not hangs it.
                    let _ = released
                        .lock()
                        .unwrap()
                        .recv_timeout(Duration::from_secs(30));
                }
            },
        );
        is_entered.recv_timeout(Duration::from_secs(60)).unwrap();
        drop(is_entered);
        assert_eq!(names_in(out.path()).len(), 1, "the temporary file is there");
        job.ask_to_stop();
        release.send(()).unwrap();
        job.stop();
        assert!(
            names_in(out.path()).is_empty(),
            "{:?}",
            names_in(out.path())
        );
        assert!(job.mark_shown());
        assert!(job.poll().is_none(), "a stopped export reports nothing");
    }
}
