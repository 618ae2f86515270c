//! The eframe application. Each frame the views draw from what the app has loaded and return
//! [`Action`]s; afterwards the app applies them — the work on the data through the egui-free
//! [`apply`], which answers with an [`Outcome`] saying what to re-read, what to say, what to put
//! on the clipboard — and turns every notice and error into words once, in the status line.
//!
//! The app is four parts: the open database ([`Data`]: store, search worker, loaded read
//! models), the views' state ([`Views`]), the status line, and the shell (clock, preferences,
//! language, window title).

mod apply;
mod backup;
mod export;
pub mod files;
mod import;
mod loaded;
mod outcome;
pub mod picture;
mod picture_worker;
mod shown;
mod upgrade;
mod words;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, Utc};
use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

pub use apply::{Env, apply, start_of_day};
pub use loaded::{
    BACKUPS_KEPT_SETTING, DEFAULT_BACKUPS_KEPT, Loaded, OpenCoolDown, Refresh, Settings, Undo,
    WAIT_MINUTES_SETTING,
};
pub use outcome::{AppError, Notice, Outcome, UndoChange, ViewChange};
pub use words::{
    chain_break_text, error_text, import_error_text, notice_text, record_document, store_error_text,
};

use crate::clock::Clock;
use crate::domain::CoolDownId;
use crate::domain::overview::CoolDownSummary;
use crate::signals::Termination;
use crate::store::{
    BackupOutcome, IndexTidy, IntegrityWatch, SearchAnswer, Searcher, Store, StoreError,
    StoreResult, UpgradeProgress,
};
use crate::ui::action::{Action, Command};
use crate::ui::client_form::ClientFormDialog;
use crate::ui::client_list::StatusFilter;
use crate::ui::cooldown::CoolDownModel;
use crate::ui::exchange_form::ExchangeFormDialog;
use crate::ui::ledger::LedgerData;
use crate::ui::search::{RESULT_LIMIT, SearchView};
use crate::ui::settings::SettingsValues;
use crate::ui::welcome::UpgradeStep;
use crate::ui::workspace::{self, Model, StatusLine, TopBar, Views};
use crate::ui::{Strings, UiLanguage};
pub use picture_worker::{PictureAnswer, PictureRequest, PictureWorker};

/// Everything the app needs to start, decided by `main` (or by a test).
pub struct Launch {
    /// The database, or why it could not be opened (shown to the user, never a panic), or an
    /// older file to open and upgrade while the window shows that it is working.
    pub store: Opening,
    pub clock: Arc<dyn Clock>,
    /// Where the demo database may be created; `None` hides "Open the demo".
    pub data_dir: Option<PathBuf>,
    pub is_demo: bool,
    /// Forces the interface language (tests); otherwise the saved choice or the system locale.
    pub language: Option<UiLanguage>,
    /// A request to end from outside (SIGTERM, SIGINT): the app closes as if its window were.
    pub termination: Termination,
}

/// What the window opens on.
pub enum Opening {
    /// Opened already (or why it could not be).
    Ready(Result<Store, StoreError>),
    /// A file from an older calmdesk (schema `from_version`), upgraded on a thread of its own.
    Upgrade { path: PathBuf, from_version: u32 },
}

impl From<Result<Store, StoreError>> for Opening {
    fn from(store: Result<Store, StoreError>) -> Self {
        Self::Ready(store)
    }
}

impl Opening {
    /// The file at `path` as the window should open it: an older file is upgraded in the
    /// window (which shows it working); any other is opened now.
    pub fn file(path: &std::path::Path) -> Self {
        match crate::store::upgrade_needed(path) {
            Some(from_version) => Self::Upgrade {
                path: path.to_path_buf(),
                from_version,
            },
            None => Self::Ready(Store::open(path)),
        }
    }
}

/// Preferences kept in eframe's storage between runs. The data itself lives only in SQLite.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Prefs {
    language: Option<UiLanguage>,
    /// The last selected client, per database file.
    last_client: HashMap<String, i64>,
    status_filter: StatusFilter,
    /// Dark, light, or the system's (egui's own memory is not persisted; see `persist_egui_memory`).
    theme: egui::ThemePreference,
}

/// An open database: the store, its search worker and what has been read from it. The worker
/// is declared first, so it is stopped (and its connection closed) before the store closes and
/// checkpoints: after any normal end the `.sqlite3` file alone is complete.
pub struct Data {
    /// Answers searches on its own thread and connection; `None` for in-memory stores.
    searcher: Option<Searcher>,
    /// Reads the selected client's Picture on its own thread and connection; `None` for
    /// in-memory stores (`Loaded` reads it inline then).
    picturer: Option<PictureWorker>,
    /// Merges the search index's pieces on its own thread and connection, once the file is
    /// known sound (`store::tidy`); stopped before the store closes.
    tidy: Option<IndexTidy>,
    /// Whether the index is still to be looked at for a tidy: on opening, after an import and
    /// a restore.
    tidy_pending: bool,
    pub store: Store,
    pub loaded: Loaded,
    /// Whether the file is sound (checked on the side; no write before the answer).
    integrity: IntegrityWatch,
    /// The frame during which the file was opened: the side check begins on a later one.
    opened_on_frame: u64,
}

/// Why no database is open.
#[derive(Debug)]
struct Failure {
    message: String,
    /// The file it is about, when there is one to open read-only.
    path: Option<PathBuf>,
    kind: FailureKind,
    /// A damaged file's backups (newest first), one of which can take its place.
    backups: Vec<crate::domain::backup::BackupInfo>,
    backups_folder: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FailureKind {
    /// Refused and untouched (not ours, newer, unreadable).
    Refused,
    /// Open in another calmdesk: it can be read here.
    Locked,
    /// Found damaged: nothing more is written; it can be read to copy things out.
    Damaged,
}

impl Failure {
    fn screen(&self) -> crate::ui::welcome::OpenFailure<'_> {
        crate::ui::welcome::OpenFailure {
            message: &self.message,
            is_damage: self.kind == FailureKind::Damaged,
            is_locked: self.kind == FailureKind::Locked,
            offers_read_only: self.path.is_some() && self.kind != FailureKind::Refused,
            backups: &self.backups,
            backups_folder: self.backups_folder.as_deref(),
        }
    }
}

/// What surrounds the data: time, preferences, language, the window.
struct Shell {
    egui_ctx: egui::Context,
    clock: Arc<dyn Clock>,
    data_dir: Option<PathBuf>,
    is_demo: bool,
    prefs: Prefs,
    language: UiLanguage,
    /// Why there is no database open, in words, and what the user may do.
    failure: Option<Failure>,
    title_shown: Option<String>,
    /// Cool-downs whose end of wait has already asked for the user's attention.
    attention_sent: HashSet<CoolDownId>,
    /// The local day the scheduled endings were last caught up for.
    endings_checked_on: Option<NaiveDate>,
    /// The backup on start waits for the side check to find the file sound.
    backup_pending: bool,
    /// The window was asked to close during an upgrade: it closes once the upgrade is done.
    close_after_upgrade: bool,
    /// Where the user picks files to save and open.
    picker: Box<dyn files::FilePicker>,
    /// When the next batch of heat marks may be read and kept.
    readings_due: Option<DateTime<Utc>>,
    termination: Termination,
}

pub struct CalmdeskApp {
    data: Option<Data>,
    views: Views,
    status: Option<StatusLine>,
    shell: Shell,
    /// An import or a restore running off the UI thread; it holds the store until it is done.
    store_job: Option<import::StoreJob>,
    /// A backup being put in a damaged file's place from the damage screen.
    damaged_restore: Option<import::DamagedRestore>,
    /// A whole-database export running off the UI thread, on a connection of its own.
    export: Option<export::ExportJob>,
    /// A backup being taken off the UI thread on a connection of its own: the one on start,
    /// or one the user asked for.
    backup: Option<backup::BackupJob>,
    /// "Back up now" was asked while another backup was being taken: it is taken after.
    backup_now_pending: bool,
    /// An older file being upgraded before the window can show it.
    upgrade: Option<upgrade::UpgradeJob>,
}

impl CalmdeskApp {
    pub fn new(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        crate::ui::fonts::install_fallback_fonts(&cc.egui_ctx);
        crate::ui::fonts::install_legible_sizes(&cc.egui_ctx);
        crate::ui::backdrop::install_see_through_panels(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        let language = launch
            .language
            .or(prefs.language)
            .unwrap_or_else(|| UiLanguage::from_locale(sys_locale::get_locale().as_deref()));
        cc.egui_ctx.set_theme(prefs.theme);
        let mut views = Views::default();
        views.client_list.status_filter = prefs.status_filter;
        let mut app = Self {
            data: None,
            views,
            status: None,
            shell: Shell {
                egui_ctx: cc.egui_ctx.clone(),
                clock: launch.clock,
                data_dir: launch.data_dir,
                is_demo: launch.is_demo,
                prefs,
                language,
                failure: None,
                title_shown: None,
                attention_sent: HashSet::new(),
                endings_checked_on: None,
                backup_pending: false,
                close_after_upgrade: false,
                picker: Box::new(files::NativePicker),
                readings_due: None,
                termination: launch.termination,
            },
            store_job: None,
            damaged_restore: None,
            export: None,
            backup: None,
            backup_now_pending: false,
            upgrade: None,
        };
        let wake = cc.egui_ctx.clone();
        app.shell
            .termination
            .on_request(move || wake.request_repaint());
        match launch.store {
            Opening::Ready(Ok(store)) => app.open_store(store),
            Opening::Ready(Err(error)) => app.fail(&error),
            Opening::Upgrade { path, from_version } => {
                let wake = cc.egui_ctx.clone();
                app.upgrade = Some(upgrade::UpgradeJob::start(path, from_version, move || {
                    wake.request_repaint();
                }));
            }
        }
        app
    }

    /// Takes in the upgraded file once it is open (or why it could not be opened).
    fn poll_upgrade(&mut self, ctx: &egui::Context) {
        let Some(finished) = self.upgrade.as_mut().and_then(upgrade::UpgradeJob::poll) else {
            return;
        };
        self.finish_upgrade(ctx, finished);
    }

    fn finish_upgrade(&mut self, ctx: &egui::Context, finished: StoreResult<Store>) {
        self.upgrade = None;
        match finished {
            Ok(store) => self.open_store(store),
            Err(error) => self.fail(&error),
        }
        if std::mem::take(&mut self.shell.close_after_upgrade) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn upgrading_ui(&self, ui: &mut egui::Ui, tr: &Strings, job: &upgrade::UpgradeJob) {
        let file = job
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let copy = format!("{file}.before-v{}", job.from_version);
        let screen = crate::ui::welcome::Upgrading {
            file: &file,
            copy: &copy,
            seconds: job.elapsed().as_secs(),
            step: job.progress().map(|progress| {
                let (step, done, total) = match progress {
                    UpgradeProgress::Backup { done, total } => (UpgradeStep::Copy, done, total),
                    UpgradeProgress::SearchIndex { done, total } => {
                        (UpgradeStep::SearchIndex, done, total)
                    }
                };
                (step, done as f32 / total.max(1) as f32)
            }),
            is_closing: self.shell.close_after_upgrade,
        };
        workspace::upgrading_ui(ui, tr, &screen);
        // The time on screen goes on while the upgrade does.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
    }

    /// Waits until a running upgrade is done and opens its file. For tests.
    pub fn wait_for_upgrade(&mut self) {
        if let Some(finished) = self.upgrade.as_mut().and_then(upgrade::UpgradeJob::wait) {
            let ctx = self.shell.egui_ctx.clone();
            self.finish_upgrade(&ctx, finished);
        }
    }

    /// Answers the file dialogs with `picker` instead of asking the user (tests).
    pub fn set_file_picker(&mut self, picker: Box<dyn files::FilePicker>) {
        self.shell.picker = picker;
    }

    /// Waits until a running import or restore is finished and takes in its result. For tests.
    pub fn wait_for_store_job(&mut self) {
        let finished = self
            .store_job
            .as_mut()
            .and_then(|job| job.wait(std::time::Duration::from_secs(120)));
        if let Some(finished) = finished {
            self.store_job = None;
            self.finish_store_job(finished);
        }
    }

    /// Waits until a running export's worker is done, leaving its result for the frames to
    /// take in as they would. For tests of an export quicker than a frame.
    pub fn wait_for_export_worker(&mut self) {
        if let Some(job) = &mut self.export {
            job.wait(std::time::Duration::from_secs(120));
        }
    }

    /// The open store, for tests that check what was written.
    pub fn store(&self) -> Option<&Store> {
        self.data.as_ref().map(|data| &data.store)
    }

    /// What the app has loaded, for tests.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.data.as_ref().map(|data| &data.loaded)
    }

    pub fn selected_client(&self) -> Option<crate::domain::ClientId> {
        self.loaded().and_then(|loaded| loaded.selected_client)
    }

    pub fn language(&self) -> UiLanguage {
        self.shell.language
    }

    fn tr(&self) -> &'static Strings {
        self.shell.language.strings()
    }

    fn database_key(store: &Store) -> String {
        store
            .path()
            .map(|path| path.display().to_string())
            .unwrap_or_default()
    }

    /// Starts on a store: reads what the first frame needs and re-selects the last client.
    fn open_store(&mut self, store: Store) {
        self.close_cooldown_view();
        self.views.journal.clear();
        self.views.search.clear();
        let repaint = self.shell.egui_ctx.clone();
        // Without a worker (in-memory store, or a failure to start one) search runs inline.
        let searcher = store
            .path()
            .and_then(|path| Searcher::spawn(path, move || repaint.request_repaint()).ok());
        let repaint = self.shell.egui_ctx.clone();
        let picturer = store
            .path()
            .and_then(|path| PictureWorker::spawn(path, move || repaint.request_repaint()).ok());
        let month = picture::this_month(self.shell.clock.now());
        let mut loaded = match Loaded::load(&store, month) {
            Ok(loaded) => loaded,
            Err(error) => {
                self.fail(&error);
                return;
            }
        };
        if picturer.is_some() {
            loaded.read_pictures_by_worker();
        }
        // Waits that ended while the app was closed are shown as ready, without a nudge.
        let now = self.shell.clock.now();
        self.shell.attention_sent = loaded
            .open_cooldowns
            .iter()
            .filter(|summary| summary.wait_until <= now)
            .map(|summary| summary.cooldown_id)
            .collect();
        let remembered = self
            .shell
            .prefs
            .last_client
            .get(&Self::database_key(&store))
            .copied()
            .map(crate::domain::ClientId);
        let first_current = loaded
            .clients
            .iter()
            .find(|overview| overview.client.status != crate::domain::ClientStatus::Ended)
            .map(|overview| overview.client.client_id);
        let pick = remembered
            .filter(|client_id| loaded.overview(*client_id).is_some())
            .or(if self.shell.is_demo {
                first_current
            } else {
                None
            });
        self.shell.failure = None;
        // A read-write file is checked for damage on the side; nothing is written before the
        // answer. A read-only one is only read.
        let integrity = match store.path() {
            Some(path) if !store.is_read_only() => {
                let wake = self.shell.egui_ctx.clone();
                IntegrityWatch::spawn_held(path, move || wake.request_repaint())
            }
            _ => IntegrityWatch::known(Ok(())),
        };
        self.shell.endings_checked_on = None;
        self.shell.backup_pending = true;
        self.data = Some(Data {
            opened_on_frame: self.shell.egui_ctx.cumulative_frame_nr(),
            searcher,
            picturer,
            tidy: None,
            tidy_pending: true,
            store,
            loaded,
            integrity,
        });
        self.run_start_chores();
        if let Some(client_id) = pick {
            self.run_command(Command::SelectClient(client_id));
        }
    }

    /// What start-up writes — the backup on start, the endings caught up — once the side check
    /// has found the file sound, and not before: a damaged file is never backed up (rotating
    /// good backups out) nor written to. Until then the window shows the data, read only.
    fn run_start_chores(&mut self) {
        let now = self.shell.clock.now();
        let Some(data) = &mut self.data else { return };
        if !matches!(data.integrity.poll(), Some(Ok(()))) {
            return;
        }
        if std::mem::take(&mut self.shell.backup_pending) {
            self.backup_on_start(now);
        }
        self.catch_up_endings();
        self.start_tidy();
    }

    /// Starts merging the search index's pieces when it is in several, once the file is known
    /// sound and the backup on start has read it (a tidy writing beside a whole-file read would
    /// only grow the log). A store in memory or read only is never tidied.
    fn start_tidy(&mut self) {
        let is_backing_up = self.backup.is_some() || self.store_job.is_some();
        let Some(data) = &mut self.data else { return };
        let is_sound = matches!(data.integrity.poll(), Some(Ok(())));
        if !is_sound || is_backing_up || !data.tidy_pending || data.store.is_read_only() {
            return;
        }
        data.tidy_pending = false;
        if let Some(path) = data.store.path() {
            data.tidy = IndexTidy::start_if_needed(path);
        }
    }

    /// Waits until a running tidy of the search index has ended. For tests.
    pub fn wait_for_tidy(&mut self) {
        if let Some(tidy) = self.data.as_mut().and_then(|data| data.tidy.take()) {
            let _ = tidy.wait();
        }
    }

    /// Waits for the side check's answer and does what waited for it. For tests, which must
    /// not race the check's thread.
    pub fn wait_for_integrity(&mut self) {
        let damage = self
            .data
            .as_mut()
            .and_then(|data| data.integrity.wait().clone().err());
        match damage {
            Some(reason) => self.fail_damaged(&reason),
            None => self.run_start_chores(),
        }
        self.wait_for_backup();
        self.start_tidy();
    }

    /// Waits until a backup's worker is done, leaving its result for the frames to take in as
    /// they would. For tests of a backup quicker than a frame.
    pub fn wait_for_backup_worker(&mut self) {
        if let Some(job) = &mut self.backup {
            job.wait_for_worker();
        }
    }

    /// Waits until a backup being taken is done, and takes in what it did. For tests.
    pub fn wait_for_backup(&mut self) {
        if let Some(job) = self.backup.as_mut() {
            let kind = job.kind();
            let finished = job.wait();
            self.backup = None;
            if let Some(finished) = finished {
                self.finish_backup(kind, finished);
            }
        }
    }

    /// A backup when the window opens a database, at most once a day (never of the demo, nor
    /// of a file open read-only: it may be the damaged one).
    fn backup_on_start(&mut self, now: DateTime<Utc>) {
        if self.shell.is_demo {
            return;
        }
        let Some(data) = &self.data else { return };
        if data.store.is_read_only() {
            return;
        }
        let Some(path) = data.store.path() else {
            return;
        };
        let database = path.to_path_buf();
        self.start_backup(database, backup::BackupKind::IfDue, now);
    }

    /// "Back up now": on a worker when the file can be read by another connection (a store
    /// in memory has no backups, and says so as before), after the side check has found the
    /// file sound (a damaged file's copy would rotate a good backup out), and after a backup
    /// already being taken.
    fn back_up_now(&mut self, now: DateTime<Utc>) {
        if self.store_job.is_some() {
            return;
        }
        let Some(data) = &mut self.data else { return };
        let Some(database) = data.store.path().map(Path::to_path_buf) else {
            return self.run_command(Command::BackupNow);
        };
        if let Err(reason) = data.integrity.wait().clone() {
            return self.fail_damaged(&reason);
        }
        if self.backup.is_some() {
            self.backup_now_pending = true;
            return;
        }
        self.start_backup(database, backup::BackupKind::Now, now);
    }

    /// One backup at a time: a second copy would take the first's partial file. The backup on
    /// start is not needed behind one the user asked for (that one is today's).
    fn start_backup(&mut self, database: PathBuf, kind: backup::BackupKind, now: DateTime<Utc>) {
        if self.backup.is_some() {
            return;
        }
        let Some(data) = &self.data else { return };
        let kept = data.loaded.settings.backups_kept as usize;
        let wake = self.shell.egui_ctx.clone();
        self.backup = Some(backup::BackupJob::start(
            database,
            kind,
            now,
            kept,
            move || wake.request_repaint(),
        ));
    }

    fn poll_backup(&mut self) {
        let Some(job) = self.backup.as_mut() else {
            return;
        };
        let kind = job.kind();
        if let Some(finished) = job.poll() {
            self.backup = None;
            self.finish_backup(kind, finished);
        }
    }

    /// A backup taken is listed in the Data dialog, and said when the user asked for it; one
    /// that failed is said. A "Back up now" that waited for it goes next.
    fn finish_backup(&mut self, kind: backup::BackupKind, finished: StoreResult<BackupOutcome>) {
        match finished {
            Ok(BackupOutcome::Taken(taken)) => {
                if let Some(data) = &mut self.data
                    && let Err(error) = data.loaded.refresh(&data.store, Refresh::DATA)
                {
                    self.report(&AppError::Store(error));
                } else if kind == backup::BackupKind::Now {
                    self.say(&Notice::BackupTaken(taken.path), false);
                }
            }
            Ok(BackupOutcome::NotDue) => {}
            Err(error) => self.report(&AppError::Store(error)),
        }
        if std::mem::take(&mut self.backup_now_pending) {
            let now = self.shell.clock.now();
            self.back_up_now(now);
        }
    }

    /// Ends the clients whose notice period ran out, once a day (and at start).
    fn catch_up_endings(&mut self) {
        let today = self.shell.clock.now().with_timezone(&Local).date_naive();
        if self.data.is_some() && self.shell.endings_checked_on != Some(today) {
            self.shell.endings_checked_on = Some(today);
            self.run_command(Command::CatchUpEndings);
        }
    }

    /// Keeps the heat marks read for the screen and reads the journal's unread messages, a
    /// batch a second, once the file is known sound and may be written.
    fn catch_up_readings(&mut self, ctx: &egui::Context) {
        let now = self.shell.clock.now();
        let Some(data) = &mut self.data else { return };
        let is_sound = matches!(data.integrity.poll(), Some(Ok(())));
        if data.store.is_read_only() || !is_sound || !data.loaded.readings.has_work() {
            return;
        }
        let pause = std::time::Duration::from_secs(1);
        if self.shell.readings_due.is_some_and(|due| now < due) {
            ctx.request_repaint_after(pause);
            return;
        }
        self.shell.readings_due = Some(now + chrono::Duration::seconds(1));
        self.run_command(Command::CatchUpReadings);
        if let Some(data) = &mut self.data {
            data.loaded.read_picture_again_while_filling();
        }
        ctx.request_repaint_after(pause);
    }

    /// No database is open: say why, and keep the file's path if it can be opened read-only.
    fn fail(&mut self, error: &StoreError) {
        let (kind, path) = match error {
            StoreError::Locked { path } => (FailureKind::Locked, Some(path.clone())),
            StoreError::DamagedFile { path, reason } => {
                // Found before an upgrade: the same screen as damage found on the side.
                return self.show_damage(Some(path.clone()), reason);
            }
            _ => (FailureKind::Refused, None),
        };
        self.shell.failure = Some(Failure {
            message: store_error_text(self.tr(), error),
            path,
            kind,
            backups: Vec::new(),
            backups_folder: None,
        });
    }

    /// The integrity check found damage: close the file for writing and say so.
    fn fail_damaged(&mut self, reason: &str) {
        let path = self
            .data
            .take()
            .and_then(|data| data.store.path().map(Path::to_path_buf));
        self.close_cooldown_view();
        self.show_damage(path, reason);
    }

    /// The damage screen for the file at `path`, with its backups.
    fn show_damage(&mut self, path: Option<PathBuf>, reason: &str) {
        // Listed from the folder, without opening the damaged file again.
        let backups = path
            .as_deref()
            .and_then(|path| crate::store::backups_beside(path).ok())
            .unwrap_or_default();
        self.shell.failure = Some(Failure {
            message: store_error_text(self.tr(), &StoreError::Damaged(reason.to_owned())),
            backups_folder: path.as_deref().map(crate::store::backups_folder_of),
            path,
            kind: FailureKind::Damaged,
            backups,
        });
    }

    /// Puts a backup in the place of the damaged file on the failure screen (the damaged file
    /// is moved aside, never deleted), on a thread of its own, behind a modal; the file is
    /// opened when it is done.
    fn restore_over_damaged(&mut self, backup: &Path, now: DateTime<Utc>) {
        if self.damaged_restore.is_some() {
            return;
        }
        let Some(path) = self
            .shell
            .failure
            .as_ref()
            .filter(|failure| failure.kind == FailureKind::Damaged)
            .and_then(|failure| failure.path.clone())
        else {
            return;
        };
        let repaint = self.shell.egui_ctx.clone();
        self.damaged_restore = Some(import::DamagedRestore::start(
            path,
            backup.to_owned(),
            now,
            move || repaint.request_repaint(),
        ));
    }

    fn poll_damaged_restore(&mut self) {
        if let Some(restored) = self
            .damaged_restore
            .as_mut()
            .and_then(import::DamagedRestore::poll)
        {
            self.damaged_restore = None;
            self.finish_damaged_restore(restored);
        }
    }

    fn finish_damaged_restore(&mut self, restored: StoreResult<(Store, PathBuf)>) {
        match restored {
            Ok((store, aside)) => {
                self.open_store(store);
                self.say(&Notice::BackupRestored(aside), false);
            }
            Err(error) => self.report(&AppError::Store(error)),
        }
    }

    /// Waits until the worker putting a backup in a damaged file's place is done, leaving
    /// what it did for the frames to take in as they would. For tests.
    pub fn wait_for_damaged_restore_worker(&mut self) {
        if let Some(job) = self.damaged_restore.as_mut() {
            job.wait_for_worker(std::time::Duration::from_secs(120));
        }
    }

    /// Opens the file of the failure screen for reading only.
    fn open_read_only(&mut self) {
        let Some(path) = self
            .shell
            .failure
            .as_ref()
            .and_then(|failure| failure.path.clone())
        else {
            return;
        };
        match Store::open_read_only(&path) {
            Ok(store) => self.open_store(store),
            Err(error) => self.fail(&error),
        }
    }

    /// Lets the side check begin once a frame has been painted with the file open, and shows
    /// the damage screen as soon as it finds damage.
    fn watch_integrity(&mut self, ctx: &egui::Context) {
        let frame = ctx.cumulative_frame_nr();
        let damage = self
            .data
            .as_mut()
            .and_then(|data| {
                if frame > data.opened_on_frame {
                    data.integrity.release();
                }
                data.integrity.poll().cloned()
            })
            .and_then(Result::err);
        if let Some(reason) = damage {
            self.fail_damaged(&reason);
        }
    }

    fn say(&mut self, notice: &Notice, offers_undo: bool) {
        self.status = Some(StatusLine {
            text: notice_text(self.tr(), notice),
            is_error: false,
            offers_undo,
            about: self.selected_client(),
        });
    }

    /// A line about another client's journal ("Reply copied…") expires when the user turns to
    /// another client: it is never shown beside a journal it is not about.
    fn expire_status(&mut self) {
        let selected = self.selected_client();
        if self
            .status
            .as_ref()
            .is_some_and(|status| !status.is_about(selected))
        {
            self.status = None;
        }
    }

    fn report(&mut self, error: &AppError) {
        self.status = Some(StatusLine {
            text: error_text(self.tr(), error),
            is_error: true,
            offers_undo: false,
            about: self.selected_client(),
        });
    }

    fn close_cooldown_view(&mut self) {
        self.views.cooldown.wipe();
    }

    /// Applies one command to the data and takes in its outcome.
    fn run_command(&mut self, command: Command) {
        if self.store_job.is_some() {
            // The store is with the import; nothing else touches the data until it is back.
            return;
        }
        let now = self.shell.clock.now();
        let tr = self.tr();
        let Some(data) = &mut self.data else { return };
        if command.writes()
            && let Err(reason) = data.integrity.wait().clone()
        {
            self.fail_damaged(&reason);
            return;
        }
        let Some(data) = &mut self.data else { return };
        if matches!(command, Command::RestoreBackup(_)) {
            // A restore writes the whole file: the tidy stops first, and looks again after.
            data.tidy = None;
            data.tidy_pending = true;
        }
        let env = Env {
            now,
            tr,
            data_dir: self.shell.data_dir.as_deref(),
        };
        let result = apply(command, &mut data.store, &mut data.loaded, &env).and_then(|outcome| {
            data.loaded.refresh(&data.store, outcome.refresh)?;
            Ok(outcome)
        });
        match result {
            Ok(outcome) => self.absorb(outcome),
            Err(error) => {
                self.report(&error);
                // Show what is in the file after a failed write.
                if let Some(data) = &mut self.data
                    && let Err(error) = data.loaded.refresh(&data.store, Refresh::ALL)
                {
                    self.report(&AppError::Store(error));
                }
            }
        }
    }

    fn absorb(&mut self, outcome: Outcome) {
        let Outcome {
            notice,
            undo,
            clipboard,
            views,
            ..
        } = outcome;
        let offers_undo = matches!(undo, UndoChange::Set(_));
        if let Some(data) = &mut self.data {
            match undo {
                UndoChange::Keep => {}
                UndoChange::Set(undo) => data.loaded.undo = Some(undo),
                UndoChange::Clear => data.loaded.undo = None,
            }
            if let Some(client_id) = data.loaded.selected_client {
                let key = Self::database_key(&data.store);
                self.shell.prefs.last_client.insert(key, client_id.0);
            }
        }
        if let Some(text) = clipboard {
            self.shell.egui_ctx.copy_text(text);
        }
        for change in views {
            match change {
                ViewChange::CloseClientForm => self.views.client_form = None,
                ViewChange::CloseExchangeForm => self.views.exchange_form = None,
                ViewChange::ShowEntry(exchange_id) => self.show_entry(exchange_id),
                ViewChange::CoolDownOpened | ViewChange::CoolDownClosed => {
                    self.close_cooldown_view();
                    self.views.search.clear();
                }
            }
        }
        if let Some(notice) = notice {
            self.say(&notice, offers_undo);
        }
    }

    /// Brings an entry of the selected journal into view: its position, and the rows around
    /// it read, so the list scrolls straight to it however long the journal is.
    fn show_entry(&mut self, exchange_id: crate::domain::ExchangeId) {
        let Some(data) = &mut self.data else { return };
        let shown = match data.store.journal_position(exchange_id) {
            Ok(position) => data
                .loaded
                .read_journal_rows(&data.store, position..position + 1)
                .map(|()| position),
            Err(error) => Err(error),
        };
        match shown {
            Ok(position) => self.views.journal.scroll_to(position),
            // A deleted entry is no longer there to show.
            Err(crate::store::StoreError::NotFound) => {}
            Err(error) => self.report(&AppError::Store(error)),
        }
    }

    /// Reads the selected client's Picture when its tab is on screen, and drops it when not;
    /// hands a read that is due to the worker and takes in its answer.
    fn sync_picture(&mut self, ctx: &egui::Context) {
        let Some(data) = &mut self.data else { return };
        // What the layout drew: search results, a cool-down and the ledger take the centre.
        let shown = self.views.picture.is_on_screen();
        let was_read = data.loaded.picture.is_some();
        if let Err(error) = data.loaded.set_picture_shown(&data.store, shown) {
            self.report(&AppError::Store(error));
            return;
        }
        if data.loaded.picture.is_some() != was_read {
            ctx.request_repaint();
        }
        let Some(picturer) = &mut data.picturer else {
            return;
        };
        if let Some(request) = data.loaded.take_picture_request() {
            picturer.request(request);
        }
        let mut failure = None;
        for answer in picturer.take_answers() {
            match data.loaded.accept_picture(answer) {
                Ok(true) => ctx.request_repaint(),
                Ok(false) => {}
                Err(error) => failure = Some(error),
            }
        }
        if let Some(error) = failure {
            self.report(&AppError::Store(error));
        }
    }

    /// Waits until the worker has answered the Picture's last read and takes the answer in.
    /// For tests, which must not race the worker thread.
    pub fn wait_for_picture(&mut self) {
        let Some(data) = &mut self.data else { return };
        let Some(picturer) = &mut data.picturer else {
            return;
        };
        if let Some(request) = data.loaded.take_picture_request() {
            picturer.request(request);
        }
        while data.loaded.is_picture_awaited() {
            let Some(answer) = picturer.wait_for_answer(std::time::Duration::from_secs(60)) else {
                return;
            };
            if let Err(error) = data.loaded.accept_picture(answer) {
                self.report(&AppError::Store(error));
                return;
            }
        }
    }

    /// Opens the settings dialog on the values as stored.
    fn open_settings(&mut self) {
        if let Some(data) = &self.data {
            let settings = &data.loaded.settings;
            self.views.settings.open(SettingsValues {
                wait_minutes: settings.wait.get(),
                template_en: settings.template_text(crate::domain::reply::ReplyLanguage::English),
                template_ru: settings.template_text(crate::domain::reply::ReplyLanguage::Russian),
                signature: settings.signature.clone(),
                cost_amount: settings
                    .cost_per_minute
                    .map(|cost| cost.money().amount_text())
                    .unwrap_or_default(),
                cost_currency: settings
                    .cost_per_minute
                    .map(|cost| cost.currency().to_string())
                    .unwrap_or_default(),
            });
        }
    }

    /// Applies one action: view changes here, work on the data through [`apply`].
    fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        let now = self.shell.clock.now();
        match action {
            Action::Do(Command::SelectClient(client_id)) => {
                // Picking a client in the list leaves the search and the cool-down.
                self.views.search.clear();
                if self
                    .data
                    .as_ref()
                    .is_some_and(|data| data.loaded.cooldown.is_some())
                {
                    self.run_command(Command::CloseCoolDown);
                }
                self.run_command(Command::SelectClient(client_id));
            }
            Action::Do(command @ Command::OpenSearchHit { .. }) => {
                // The results give way to the journal at that entry.
                self.views.search.clear();
                self.run_command(command);
            }
            Action::Do(Command::RestoreBackup(backup)) if self.data.is_none() => {
                // No file is open: the damage screen restores in the damaged file's place.
                self.restore_over_damaged(&backup, now);
            }
            Action::Do(Command::BackupNow) => self.back_up_now(now),
            Action::Do(Command::RestoreBackup(backup)) => {
                self.start_store_job(import::StoreWork::Restore { backup, now });
            }
            Action::Do(command) => self.run_command(command),
            Action::NewClient => self.views.client_form = Some(ClientFormDialog::new_client()),
            Action::EditClient(client_id) => {
                if let Some(overview) = self
                    .data
                    .as_ref()
                    .and_then(|data| data.loaded.overview(client_id))
                {
                    self.views.client_form = Some(ClientFormDialog::edit(&overview.client));
                }
            }
            Action::NewExchange => {
                if let Some(overview) = self
                    .data
                    .as_ref()
                    .and_then(|data| data.loaded.selected_overview())
                {
                    self.views.exchange_form = Some(ExchangeFormDialog::new_entry(
                        overview.client.client_id,
                        &overview.client.name,
                        now,
                    ));
                }
            }
            Action::EditExchange(exchange_id) => self.edit_exchange(exchange_id),
            Action::Search { query, order } => self.search(query, order),
            Action::OpenDemo => self.open_demo(now),
            Action::OpenSettings => self.open_settings(),
            Action::SetLanguage(language) => {
                self.shell.language = language;
                self.shell.prefs.language = Some(language);
            }
            Action::OpenData => self.open_data(),
            Action::ChooseRecordFile { client_id, format } => {
                self.choose_record_file(client_id, format, now);
            }
            Action::ChooseArchiveFile => {
                let name = format!("calmdesk-all-{}.json", now.format("%Y-%m-%d"));
                if let Some(path) = self.shell.picker.save(&name, "JSON", "json") {
                    self.start_export(path, export::ExportKind::Archive, now);
                }
            }
            Action::ChooseImportFile => {
                if let Some(path) = self.shell.picker.open("JSON", "json") {
                    self.start_store_job(import::StoreWork::Import(path));
                }
            }
            Action::DismissStatus => self.status = None,
            Action::OpenReadOnly => self.open_read_only(),
            Action::Copy(text) => {
                self.shell.egui_ctx.copy_text(text);
                self.say(&Notice::Copied, false);
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Opens the Data dialog on the trash and backups as they are now.
    fn open_data(&mut self) {
        if let Some(data) = &mut self.data {
            match data.loaded.refresh(&data.store, Refresh::DATA) {
                Ok(()) => self.views.data.open(),
                Err(error) => self.report(&AppError::Store(error)),
            }
        }
    }

    /// Opens the entry dialog on the entry being read, if it is the one asked for.
    fn edit_exchange(&mut self, exchange_id: crate::domain::ExchangeId) {
        if let Some(data) = &self.data
            && let Some(exchange) = data
                .loaded
                .open_entry
                .as_ref()
                .filter(|entry| entry.exchange_id == exchange_id)
        {
            let name = data
                .loaded
                .overview(exchange.client_id)
                .map(|overview| overview.client.name.clone())
                .unwrap_or_default();
            self.views.exchange_form = Some(ExchangeFormDialog::edit(exchange, &name));
        }
    }

    fn choose_record_file(
        &mut self,
        client_id: crate::domain::ClientId,
        format: crate::domain::export::DocumentFormat,
        now: DateTime<Utc>,
    ) {
        let Some(overview) = self.loaded().and_then(|loaded| loaded.overview(client_id)) else {
            return;
        };
        let name = crate::domain::export::export_file_name(&overview.client.name, now, format);
        let kind = match format {
            crate::domain::export::DocumentFormat::Html => "HTML",
            crate::domain::export::DocumentFormat::Markdown => "Markdown",
        };
        if let Some(path) = self.shell.picker.save(&name, kind, format.extension()) {
            let tr = self.tr();
            self.start_export(
                path,
                export::ExportKind::Record {
                    client_id,
                    format,
                    tr,
                },
                now,
            );
        }
    }

    /// Hands the store to a worker for an import or a restore; a placeholder in memory stands
    /// in, untouched, until it comes back.
    fn start_store_job(&mut self, work: import::StoreWork) {
        if self.store_job.is_some() {
            return;
        }
        let Some(data) = &mut self.data else { return };
        if let Err(reason) = data.integrity.wait().clone() {
            // Both write: never into a damaged file.
            return self.fail_damaged(&reason);
        }
        let Some(data) = &mut self.data else { return };
        let placeholder = match Store::open_in_memory() {
            Ok(placeholder) => placeholder,
            Err(error) => return self.report(&AppError::Store(error)),
        };
        if matches!(work, import::StoreWork::Import(_)) {
            self.views.data.is_open = false;
        }
        let store = std::mem::replace(&mut data.store, placeholder);
        // Both write the file in one long go: the tidy stops, and looks again after.
        data.tidy = None;
        data.tidy_pending = true;
        let repaint = self.shell.egui_ctx.clone();
        self.store_job = Some(import::StoreJob::start(store, work, move || {
            repaint.request_repaint();
        }));
    }

    /// Exports on a worker with its own connection; a store in memory (no file for a second
    /// connection) is exported here.
    fn start_export(&mut self, target: PathBuf, kind: export::ExportKind, now: DateTime<Utc>) {
        if self.export.is_some() {
            return;
        }
        let Some(database) = self.store().and_then(Store::path).map(Path::to_path_buf) else {
            return self.run_command(match kind {
                export::ExportKind::Archive => Command::ExportArchive(target),
                export::ExportKind::Record {
                    client_id, format, ..
                } => Command::ExportRecord {
                    client_id,
                    format,
                    path: target,
                },
            });
        };
        let repaint = self.shell.egui_ctx.clone();
        self.export = Some(export::ExportJob::start(
            database,
            target,
            kind,
            now,
            move || repaint.request_repaint(),
        ));
    }

    fn poll_export(&mut self) {
        let Some(job) = self.export.as_mut() else {
            return;
        };
        let kind = job.kind();
        if let Some(finished) = job.poll() {
            self.export = None;
            self.finish_export(kind, finished);
        }
    }

    fn finish_export(&mut self, kind: export::ExportKind, finished: Result<PathBuf, AppError>) {
        match (finished, kind) {
            (Ok(path), export::ExportKind::Archive) => {
                self.say(&Notice::ArchiveExported(path), false);
            }
            (Ok(path), export::ExportKind::Record { client_id, .. }) => {
                if let Some(data) = &mut self.data {
                    apply::records::note_record_exported(&mut data.loaded, client_id, &path);
                }
                self.say(&Notice::Exported(path), false);
            }
            (Err(error), _) => self.report(&error),
        }
    }

    fn poll_store_job(&mut self) {
        if let Some(finished) = self.store_job.as_mut().and_then(import::StoreJob::poll) {
            self.store_job = None;
            self.finish_store_job(finished);
        }
    }

    /// The store is back: read everything again and say what the import or restore did.
    fn finish_store_job(&mut self, finished: import::Finished) {
        let Some(data) = &mut self.data else { return };
        data.store = finished.store;
        let outcome = match finished.result {
            Ok(import::Done::Imported(report)) => {
                Outcome::refresh(Refresh::ALL).with_notice(Notice::Imported(report))
            }
            Ok(import::Done::Restored(aside)) => apply::records::restored(&mut data.loaded, aside),
            Err(error) => {
                if let Err(error) = data.loaded.refresh(&data.store, Refresh::ALL) {
                    self.report(&AppError::Store(error));
                }
                return self.report(&error);
            }
        };
        match data.loaded.refresh(&data.store, outcome.refresh) {
            Ok(()) => self.absorb(outcome),
            Err(error) => self.report(&AppError::Store(error)),
        }
    }

    fn search(&mut self, query: String, order: crate::domain::search::SearchOrder) {
        let Some(data) = &mut self.data else { return };
        if let Some(searcher) = &mut data.searcher {
            self.views.search.set_pending(query.clone(), order);
            searcher.request(query, order, RESULT_LIMIT);
        } else {
            let results = data.store.search_results(&query, order, RESULT_LIMIT);
            let ranked_within = results
                .as_ref()
                .ok()
                .and_then(|results| results.ranked_within);
            self.apply_search_answer(SearchAnswer {
                generation: 0,
                query,
                order,
                hits: results.map(|results| results.hits),
                ranked_within,
            });
        }
    }

    fn apply_search_answer(&mut self, answer: SearchAnswer) {
        match answer.hits {
            Ok(hits) => {
                self.views.search.set_answer(
                    answer.query,
                    answer.order,
                    hits,
                    answer.ranked_within,
                );
            }
            Err(error) => {
                // Answer this query once, with nothing, so a failing search is not retried every frame.
                self.views
                    .search
                    .set_results(answer.query, answer.order, Vec::new());
                self.report(&AppError::Store(error));
            }
        }
    }

    fn poll_search(&mut self) {
        let answer = self
            .data
            .as_mut()
            .and_then(|data| data.searcher.as_mut())
            .and_then(Searcher::take_answer);
        if let Some(answer) = answer {
            self.apply_search_answer(answer);
        }
    }

    /// Waits until the search worker has answered the newest query and shows the answer.
    /// For tests, which must not race the worker thread.
    pub fn wait_for_search(&mut self) {
        if !self.views.search.is_pending() {
            return;
        }
        let answer = self
            .data
            .as_mut()
            .and_then(|data| data.searcher.as_mut())
            .and_then(|searcher| searcher.wait_for_answer(std::time::Duration::from_secs(30)));
        if let Some(answer) = answer {
            self.apply_search_answer(answer);
        }
    }

    fn open_demo(&mut self, now: DateTime<Utc>) {
        let Some(data_dir) = self.shell.data_dir.clone() else {
            return;
        };
        match crate::demo::create_demo_database(&crate::demo::demo_path(&data_dir), now, &Local) {
            Ok(store) => {
                self.shell.is_demo = true;
                self.data = None;
                self.open_store(store);
                self.say(&Notice::DemoOpened, false);
            }
            Err(crate::demo::DemoError::Store(error)) => self.report(&AppError::Store(error)),
            Err(crate::demo::DemoError::Malformed(reason)) => {
                self.status = Some(StatusLine {
                    text: words::demo_broken_text(self.tr(), &reason),
                    is_error: true,
                    offers_undo: false,
                    about: None,
                });
            }
        }
    }

    /// Asks for the user's attention once when a wait ends, and wakes the app up for the next.
    fn watch_waits(&mut self, ctx: &egui::Context) {
        let now = self.shell.clock.now();
        let Some(data) = &self.data else { return };
        for summary in &data.loaded.open_cooldowns {
            if summary.wait_until <= now && self.shell.attention_sent.insert(summary.cooldown_id) {
                ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                    egui::UserAttentionType::Informational,
                ));
            }
        }
        if let Some(left) = next_wake(&data.loaded.open_cooldowns, now) {
            ctx.request_repaint_after(left);
        }
    }

    fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let new_entry = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let quit = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
        if ctx.input_mut(|input| input.consume_shortcut(&quit)) {
            actions.push(Action::Quit);
        }
        let Some(data) = &self.data else { return };
        if self.views.any_dialog_open() {
            return;
        }
        if ctx.input_mut(|input| input.consume_shortcut(&new_entry))
            && data.loaded.selected_client.is_some()
        {
            actions.push(Action::NewExchange);
        }
        if ctx.input_mut(|input| input.consume_shortcut(&find)) {
            ctx.memory_mut(|memory| memory.request_focus(SearchView::box_id()));
        }
        // In a text field Ctrl+Z belongs to the field's own undo.
        let is_typing = ctx.memory(|memory| memory.focused().is_some());
        if !is_typing && ctx.input_mut(|input| input.consume_shortcut(&undo)) {
            actions.push(Action::Do(Command::Undo));
        }
    }

    /// Closing the window with an unsaved form open asks first, like Cancel does: typed text is
    /// never lost silently.
    fn guard_close(&mut self, ctx: &egui::Context) {
        let asked = ctx.input(|input| input.viewport().close_requested());
        if self.upgrade.is_some() && (asked || self.shell.termination.requested()) {
            // Stopped half-way the upgrade would be undone and start over next time: the
            // window says so and closes when it is done.
            self.shell.close_after_upgrade = true;
            if asked {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            return;
        }
        if self.shell.termination.requested() {
            // The system is ending the app (logout, shutdown): close now, without asking.
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if !asked {
            return;
        }
        let mut keep_open = false;
        if let Some(form) = self
            .views
            .client_form
            .as_mut()
            .filter(|form| form.is_dirty())
        {
            form.ask_to_discard();
            keep_open = true;
        }
        if let Some(form) = self
            .views
            .exchange_form
            .as_mut()
            .filter(|form| form.is_dirty())
        {
            form.ask_to_discard();
            keep_open = true;
        }
        if keep_open {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let mut title = self.tr().app_title.to_owned();
        if let Some(path) = self.store().and_then(Store::path) {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            title = format!("{title} — {name}");
        }
        if self.shell.title_shown.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shell.title_shown = Some(title);
        }
    }

    /// Draws the frame and collects what the user asked for.
    /// The banner of a file open for reading only, and why.
    fn read_only_note(&self) -> Option<&'static str> {
        let tr = self.tr();
        self.data
            .as_ref()
            .and_then(|data| match data.store.access() {
                crate::store::Access::ReadWrite => None,
                crate::store::Access::ReadOnly(crate::store::ReadOnlyReason::Asked) => {
                    Some(tr.read_only_banner)
                }
                crate::store::Access::ReadOnly(crate::store::ReadOnlyReason::NotWritable) => {
                    Some(tr.read_only_not_writable_banner)
                }
            })
    }

    /// No file is open: why (the failure screen, a restore over a damaged file under way), or
    /// an older file being upgraded.
    fn no_file_ui(&mut self, ui: &mut egui::Ui, tr: &'static Strings, actions: &mut Vec<Action>) {
        if let Some(failure) = &self.shell.failure {
            actions.extend(workspace::open_failed_ui(ui, tr, &failure.screen()));
        }
        if let Some(job) = &mut self.damaged_restore
            && crate::ui::data::restore_progress_ui(ui.ctx(), tr, tr.restore_over_damaged_copying)
            && job.mark_shown()
        {
            // A result that came in before the modal was seen is taken in on the next frame.
            ui.ctx().request_repaint();
        }
        if let Some(job) = &self.upgrade {
            self.upgrading_ui(ui, tr, job);
        }
    }

    fn frame_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let tr = self.tr();
        let ctx = ui.ctx().clone();
        let now = self.shell.clock.now();
        let bar = TopBar {
            ledger: self
                .data
                .as_ref()
                .map(|data| (data.loaded.month, data.loaded.ledger.is_some())),
            is_demo: self.shell.is_demo,
            read_only_note: self.read_only_note(),
        };
        actions.extend(workspace::top_bar_ui(ui, tr, &mut self.views, bar));
        self.expire_status();
        actions.extend(workspace::status_bar_ui(ui, tr, self.status.as_ref()));
        let Some(data) = &self.data else {
            return self.no_file_ui(ui, tr, actions);
        };
        let loaded = &data.loaded;
        let settings = &loaded.settings;
        let today = now.with_timezone(&Local).date_naive();
        let model = Model {
            clients: &loaded.clients,
            selected_client: loaded.selected_client,
            journal: &loaded.journal,
            selected_entry: loaded.selected_entry,
            open_entry: loaded.open_entry.as_ref(),
            open_entry_versions: &loaded.open_entry_versions,
            history: &loaded.history,
            open_cooldowns: &loaded.open_cooldowns,
            cooldown: loaded.cooldown.as_ref().map(|open| CoolDownModel {
                session: &open.session,
                client: &open.client,
                evidence: open.evidence.as_ref(),
                export_note: open.export_note.as_deref(),
                templates: &settings.templates,
                signature: &settings.signature,
                now,
                today,
            }),
            is_demo: self.shell.is_demo,
            can_open_demo: !self.shell.is_demo && self.shell.data_dir.is_some(),
            language: self.shell.language,
            now,
            today,
            picture: loaded
                .picture
                .as_ref()
                .map(|picture| (&picture.ledger, picture.unread)),
            month_use: loaded.month_use,
            ledger: loaded.ledger.as_ref().map(|overview| LedgerData {
                month: overview.month,
                rows: &overview.rows,
                unread: overview.unread,
                has_cost: settings.cost_per_minute.is_some(),
            }),
            cost: settings.cost_per_minute,
            templates: &settings.templates,
            signature: &settings.signature,
        };
        workspace::workspace_ui(ui, tr, &mut self.views, &model, actions);
        let database = data
            .store
            .path()
            .map(|path| path.display().to_string())
            .unwrap_or_default();
        workspace::dialogs_ui(
            &ctx,
            tr,
            &mut self.views,
            &database,
            self.shell.language,
            actions,
        );
        self.data_dialog_ui(&ctx, actions);
    }

    /// The Data dialog (trash, backups, export and import) and a running import's progress.
    fn data_dialog_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let tr = self.tr();
        if let Some(data) = &self.data {
            let loaded = &data.loaded;
            let backups_folder = data.store.backups_folder();
            let data_model = crate::ui::data::DataModel {
                trash: &loaded.trash,
                backups: &loaded.backups,
                backups_kept: loaded.settings.backups_kept,
                backups_folder: backups_folder.as_deref(),
            };
            actions.extend(self.views.data.ui(ctx, tr, &data_model));
        }
        if let Some(job) = &self.store_job {
            if job.is_restore {
                let _shown = crate::ui::data::restore_progress_ui(ctx, tr, tr.restore_copying);
            } else {
                crate::ui::data::import_progress_ui(ctx, tr, job.entries, job.share);
            }
        }
        // Also while the backup on start is being taken and the one asked for waits for it.
        let is_asked = self.backup_now_pending;
        if let Some(job) = &mut self.backup
            && (is_asked || job.kind() == backup::BackupKind::Now)
            && crate::ui::data::backup_progress_ui(ctx, tr)
            && job.mark_shown()
        {
            // A result that came in before the modal was seen is taken in on the next frame.
            ctx.request_repaint();
        }
        if let Some(job) = &mut self.export
            && match job.kind() {
                export::ExportKind::Archive => {
                    crate::ui::data::export_progress_ui(ctx, tr, job.done, job.total)
                }
                export::ExportKind::Record { .. } => {
                    crate::ui::data::record_export_progress_ui(ctx, tr)
                }
            }
            && job.mark_shown()
        {
            // A result that came in before the bar was seen is taken in on the next frame.
            ctx.request_repaint();
        }
    }
}

/// How long until the next open cool-down's wait ends (and the screen must change by itself).
/// A little after the end, so the frame drawn then already sees it over.
pub fn next_wake(
    open_cooldowns: &[CoolDownSummary],
    now: DateTime<Utc>,
) -> Option<std::time::Duration> {
    open_cooldowns
        .iter()
        .filter(|summary| summary.wait_until > now)
        .map(|summary| summary.wait_until - now)
        .min()
        .and_then(|left| left.to_std().ok())
        .map(|left| left + std::time::Duration::from_millis(20))
}

impl eframe::App for CalmdeskApp {
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        crate::ui::backdrop::colour(visuals).to_normalized_gamma_f32()
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        crate::ui::fonts::cap_atlas_side(raw_input);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        self.update_title(&ctx);
        self.watch_integrity(&ctx);
        self.run_start_chores();
        self.catch_up_readings(&ctx);
        self.poll_search();
        self.poll_store_job();
        self.poll_damaged_restore();
        self.poll_export();
        self.poll_backup();
        self.poll_upgrade(&ctx);
        self.watch_waits(&ctx);
        self.shortcuts(&ctx, &mut actions);
        self.frame_ui(ui, &mut actions);
        self.guard_close(&ctx);
        for action in actions {
            // Rows read for the list are drawn on the next frame, without waiting for input.
            if matches!(action, Action::Do(Command::ReadJournalRows(_))) {
                ctx.request_repaint();
            }
            self.run_action(&ctx, action);
        }
        self.sync_picture(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.shell.prefs.status_filter = self.views.client_list.status_filter;
        self.shell.prefs.theme = self
            .shell
            .egui_ctx
            .options(|options| options.theme_preference);
        eframe::set_value(storage, eframe::APP_KEY, &self.shell.prefs);
    }

    /// The vent pad is wiped from memory when the app quits.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.close_cooldown_view();
        // A backup half taken is no backup: let it finish; an upgrade too (the system ends
        // the app: stopped, the upgrade would be undone and start over next time).
        if let Some(backup) = self.backup.as_mut() {
            let _ = backup.wait();
        }
        if let Some(job) = self.upgrade.as_mut() {
            let _ = job.wait();
        }
        // A backup half copied into a damaged file's place is finished, then opened no more.
        if let Some(job) = self.damaged_restore.as_mut() {
            job.wait_for_worker(std::time::Duration::from_secs(3600));
        }
        // An export is given up, not finished: it stops after the entry it is on and takes
        // its temporary file away, so nothing half-written is left where the user chose.
        if let Some(job) = self.export.as_mut() {
            job.stop();
        }
    }

    /// egui's memory would carry text-field contents (their undo history) into the preferences
    /// file. Client mail belongs in the database only, so egui's memory is not persisted.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests;
