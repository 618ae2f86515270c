//! What the app has read from the store for the views, and what it keeps between actions (the
//! selection, the last undo, the open cool-down, the settings). No egui here: [`Loaded::refresh`]
//! re-reads exactly what an [`Outcome`](super::Outcome) names, and tests drive it directly.

use crate::domain::cooldown::{CoolDown, WaitMinutes};
use crate::domain::history::{EntryVersion, HistoryEntry, TrashedEntry};
use chrono::Local;

use super::picture::{self, Overview, Picture, Readings};
use super::picture_worker::{PictureAnswer, PictureRequest};
use crate::domain::journal::JournalWindow;
use crate::domain::ledger::{CostPerMinute, MonthUse, YearMonth};
use crate::domain::overview::{ClientOverview, CoolDownSummary};
use crate::domain::partways::Evidence;
use crate::domain::reply::{ReplyLanguage, ReplyTemplate, Signature, Templates};
use crate::domain::{Client, ClientId, Exchange, ExchangeId};
use crate::store::{BackupInfo, Store, StoreResult};

/// Rows of a journal read when it is first shown: more than any screen holds.
const JOURNAL_FIRST_ROWS: u64 = 60;

/// The settings key for the default wait length.
pub const WAIT_MINUTES_SETTING: &str = "cooldown.wait_minutes";
/// The settings key for how many backups are kept.
pub const BACKUPS_KEPT_SETTING: &str = "backup.keep";
/// Backups kept when the user has not said.
pub const DEFAULT_BACKUPS_KEPT: u32 = 10;

/// Where the selected client's Picture is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PictureReads {
    /// Here, as it is asked for (an in-memory store: no second connection can see it).
    Here,
    /// By the app's worker (`picture_worker`), off the UI thread.
    Worker {
        /// A read is asked for and not handed to the worker yet.
        due: bool,
        /// The requests handed to the worker: an answer to any but the last is stale.
        asked: u64,
        /// The last request's answer has not been taken in.
        awaited: bool,
        /// The last answer taken in was an error (said once): not asked again until a change.
        failed: bool,
    },
}

impl PictureReads {
    /// The Picture is not wanted any more: nothing due, and no answer to take in.
    fn forget(&mut self) {
        if let Self::Worker { due, awaited, .. } = self {
            *due = false;
            *awaited = false;
        }
    }
}

/// What to read again after an action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct Refresh {
    /// The client list (names, counts, statuses).
    pub clients: bool,
    /// The selected client's journal list and its totals.
    pub journal: bool,
    /// The one entry open in the reader.
    pub entry: bool,
    /// The list of unfinished cool-downs.
    pub cooldowns: bool,
    /// The settings (wait, templates, signature).
    pub settings: bool,
    /// The trash and the backups (what the Data dialog shows).
    pub data: bool,
}

impl Refresh {
    pub const NOTHING: Self = Self {
        clients: false,
        journal: false,
        entry: false,
        cooldowns: false,
        settings: false,
        data: false,
    };
    pub const ENTRY: Self = Self {
        entry: true,
        ..Self::NOTHING
    };
    pub const COOLDOWNS: Self = Self {
        cooldowns: true,
        ..Self::NOTHING
    };
    pub const SETTINGS: Self = Self {
        settings: true,
        ..Self::NOTHING
    };
    pub const DATA: Self = Self {
        data: true,
        ..Self::NOTHING
    };
    /// A journal write: the list, its counts on the left, and the entry.
    pub const JOURNAL: Self = Self {
        clients: true,
        journal: true,
        entry: true,
        cooldowns: false,
        settings: false,
        data: false,
    };
    pub const CLIENTS: Self = Self {
        clients: true,
        ..Self::NOTHING
    };
    pub const ALL: Self = Self {
        clients: true,
        journal: true,
        entry: true,
        cooldowns: true,
        settings: true,
        data: true,
    };

    pub fn and(self, other: Self) -> Self {
        Self {
            clients: self.clients || other.clients,
            journal: self.journal || other.journal,
            entry: self.entry || other.entry,
            cooldowns: self.cooldowns || other.cooldowns,
            settings: self.settings || other.settings,
            data: self.data || other.data,
        }
    }
}

/// The cool-down on screen: the session (whose rules the domain keeps) and what it is about.
#[derive(Clone, Debug)]
pub struct OpenCoolDown {
    pub session: CoolDown,
    pub client: Client,
    /// The journal's evidence, once the Decide step is reached.
    pub evidence: Option<Evidence>,
    /// Where the last export of the journal went.
    pub export_note: Option<std::path::PathBuf>,
}

/// The user's settings as the drafts and new cool-downs use them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub wait: WaitMinutes,
    pub templates: Templates,
    pub signature: Signature,
    /// The user's own template texts as saved (for the editor), if any.
    pub saved_templates: [Option<String>; 2],
    /// How many backups are kept.
    pub backups_kept: u32,
    /// What one minute of support costs the user (seed 002); `None` until she says.
    pub cost_per_minute: Option<CostPerMinute>,
}

impl Settings {
    pub fn read(store: &Store) -> StoreResult<Self> {
        let wait = store
            .setting(WAIT_MINUTES_SETTING)?
            .and_then(|text| text.parse().ok())
            .and_then(WaitMinutes::new)
            .unwrap_or_default();
        let english = store.setting(ReplyTemplate::setting_key(ReplyLanguage::English))?;
        let russian = store.setting(ReplyTemplate::setting_key(ReplyLanguage::Russian))?;
        let templates = Templates {
            english: ReplyTemplate::user_or_builtin(ReplyLanguage::English, english.as_deref()),
            russian: ReplyTemplate::user_or_builtin(ReplyLanguage::Russian, russian.as_deref()),
        };
        let signature = Signature {
            name: store.setting(Signature::NAME_KEY)?.unwrap_or_default(),
            business: store.setting(Signature::BUSINESS_KEY)?.unwrap_or_default(),
        };
        let backups_kept = store
            .setting(BACKUPS_KEPT_SETTING)?
            .and_then(|text| text.parse().ok())
            .filter(|kept| (1..=1000).contains(kept))
            .unwrap_or(DEFAULT_BACKUPS_KEPT);
        let cost_per_minute = store
            .setting(CostPerMinute::SETTING_KEY)?
            .as_deref()
            .and_then(CostPerMinute::parse_setting);
        Ok(Self {
            wait,
            templates,
            signature,
            saved_templates: [english, russian],
            backups_kept,
            cost_per_minute,
        })
    }

    /// The template text the editor starts from: the user's own, or calmdesk's.
    pub fn template_text(&self, language: ReplyLanguage) -> String {
        let saved = match language {
            ReplyLanguage::English => &self.saved_templates[0],
            ReplyLanguage::Russian => &self.saved_templates[1],
        };
        saved
            .clone()
            .unwrap_or_else(|| ReplyTemplate::builtin_text(language).to_owned())
    }
}

/// The last change that can be taken back.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    AddedExchange(ExchangeId),
    EditedExchange(Box<Exchange>),
    DeletedExchange(Box<Exchange>),
    EditedClient(Box<Client>),
}

/// Everything read for the views, and the state between actions.
#[derive(Debug)]
pub struct Loaded {
    pub clients: Vec<ClientOverview>,
    pub selected_client: Option<ClientId>,
    /// The selected client's journal: its totals and the rows around what is on screen.
    pub journal: JournalWindow,
    pub selected_entry: Option<ExchangeId>,
    pub open_entry: Option<Exchange>,
    /// What the open entry said before each edit, oldest first.
    pub open_entry_versions: Vec<EntryVersion>,
    /// The selected client's history of kinds and statuses, newest first.
    pub history: Vec<HistoryEntry>,
    pub open_cooldowns: Vec<CoolDownSummary>,
    pub cooldown: Option<OpenCoolDown>,
    pub undo: Option<Undo>,
    pub settings: Settings,
    /// Deleted entries, newest first, and the backups (read when the Data dialog asks).
    pub trash: Vec<TrashedEntry>,
    pub backups: Vec<BackupInfo>,
    /// The month the ledger counts as this one (the user's, moved on by `CatchUpEndings`).
    pub month: YearMonth,
    /// The selected client's ledger, recomputed with its journal while it is shown.
    pub picture: Option<Picture>,
    /// Whether the Picture is on screen (the app says so from the view's tab).
    picture_shown: bool,
    /// Where the Picture is read: here, or by the app's worker, off the UI thread.
    picture_reads: PictureReads,
    /// The selected client's use of this month, read with its journal (the details pane's
    /// warning of an overrun), whether or not the Picture is shown.
    pub month_use: Option<MonthUse>,
    /// The overview of all clients, while it is open.
    pub ledger: Option<Overview>,
    /// Marks read and not yet kept in the file.
    pub readings: Readings,
}

impl Loaded {
    /// Reads what the first frame needs: the client list, the open cool-downs, the settings.
    pub fn load(store: &Store, month: YearMonth) -> StoreResult<Self> {
        Ok(Self {
            clients: store.client_overviews()?,
            selected_client: None,
            journal: JournalWindow::default(),
            selected_entry: None,
            open_entry: None,
            open_entry_versions: Vec::new(),
            history: Vec::new(),
            open_cooldowns: store.open_cooldowns(None)?,
            cooldown: None,
            undo: None,
            settings: Settings::read(store)?,
            trash: Vec::new(),
            backups: Vec::new(),
            month,
            picture: None,
            picture_shown: false,
            picture_reads: PictureReads::Here,
            month_use: None,
            ledger: None,
            readings: Readings::default(),
        })
    }

    pub fn selected_overview(&self) -> Option<&ClientOverview> {
        let client_id = self.selected_client?;
        self.overview(client_id)
    }

    pub fn overview(&self, client_id: ClientId) -> Option<&ClientOverview> {
        self.clients
            .iter()
            .find(|overview| overview.client.client_id == client_id)
    }

    /// Selects a client; a different client clears the entry selection.
    pub fn select_client(&mut self, client_id: ClientId) -> Refresh {
        if self.selected_client == Some(client_id) {
            return Refresh::NOTHING;
        }
        self.selected_client = Some(client_id);
        self.journal = JournalWindow::default();
        self.selected_entry = None;
        self.open_entry = None;
        self.open_entry_versions.clear();
        Refresh {
            journal: true,
            entry: true,
            ..Refresh::NOTHING
        }
    }

    /// Re-reads what `refresh` names, and nothing else.
    pub fn refresh(&mut self, store: &Store, refresh: Refresh) -> StoreResult<()> {
        if refresh.settings {
            self.settings = Settings::read(store)?;
        }
        if refresh.clients {
            self.clients = store.client_overviews()?;
            if let Some(client_id) = self.selected_client
                && self.overview(client_id).is_none()
            {
                self.selected_client = None;
            }
        }
        if refresh.cooldowns {
            self.open_cooldowns = store.open_cooldowns(None)?;
        }
        if refresh.data {
            self.trash = store.trash()?;
            self.backups = store.backups()?;
        }
        if refresh.journal {
            // The rows where the list stands now, read again (a new client starts at the top).
            let held = self.journal.held();
            let end = held.end.max(held.start + JOURNAL_FIRST_ROWS);
            self.read_journal_window(store, |entries| held.start.min(entries)..end.min(entries))?;
        }
        if refresh.clients || refresh.journal {
            self.history = match self.selected_client {
                Some(client_id) => store.client_history(client_id)?,
                None => Vec::new(),
            };
        }
        if refresh.entry || refresh.journal {
            self.read_entry(store, refresh.entry)?;
        }
        if refresh.journal || refresh.settings || refresh.clients {
            self.read_picture(store)?;
        }
        if let Some(ledger) = &self.ledger
            && (refresh.journal || refresh.settings || refresh.clients || refresh.cooldowns)
        {
            self.ledger = Some(self.overview_of(store, ledger.month)?);
        }
        Ok(())
    }

    /// Shows or hides the selected client's Picture: it is read (over the whole journal) only
    /// while it is on screen, so selecting a client with years of entries reads only its list.
    pub fn set_picture_shown(&mut self, store: &Store, shown: bool) -> StoreResult<()> {
        if self.picture_shown == shown {
            return Ok(());
        }
        self.picture_shown = shown;
        self.read_picture(store)
    }

    fn read_picture(&mut self, store: &Store) -> StoreResult<()> {
        self.month_use = match self.selected_overview() {
            Some(overview) => Some(picture::month_use(
                store,
                &overview.client,
                &self.settings,
                self.month,
            )?),
            None => None,
        };
        let client = self
            .selected_overview()
            .filter(|_| self.picture_shown)
            .map(|overview| overview.client.clone());
        match (client, &mut self.picture_reads) {
            (None, reads) => {
                self.picture = None;
                reads.forget();
            }
            (Some(client), PictureReads::Here) => {
                self.picture = Some(picture::picture(
                    store,
                    &client,
                    &self.settings,
                    &mut self.readings,
                    self.month,
                )?);
            }
            (Some(client), PictureReads::Worker { due, .. }) => {
                // Another client's Picture is not shown meanwhile; this one's is, until the
                // answer replaces it.
                if self
                    .picture
                    .as_ref()
                    .is_some_and(|shown| shown.ledger.client_id != client.client_id)
                {
                    self.picture = None;
                }
                *due = true;
            }
        }
        Ok(())
    }

    /// From now on the Picture is read by the app's worker: [`Loaded::refresh`] only notes that
    /// it is due, and the app hands [`Loaded::take_picture_request`] to the worker.
    pub fn read_pictures_by_worker(&mut self) {
        self.picture_reads = PictureReads::Worker {
            due: self.picture_shown,
            asked: 0,
            awaited: false,
            failed: false,
        };
    }

    /// The read of the Picture that is due, if any, for the worker; asking it makes any
    /// answer to an earlier one stale.
    pub fn take_picture_request(&mut self) -> Option<PictureRequest> {
        let PictureReads::Worker { due: true, .. } = self.picture_reads else {
            return None;
        };
        let client = self
            .selected_overview()
            .filter(|_| self.picture_shown)
            .map(|overview| overview.client.clone());
        let PictureReads::Worker {
            due,
            asked,
            awaited,
            ..
        } = &mut self.picture_reads
        else {
            return None;
        };
        *due = false;
        let client = client?;
        *asked += 1;
        *awaited = true;
        Some(PictureRequest {
            generation: *asked,
            client,
            settings: self.settings.clone(),
            month: self.month,
            readings: self.readings.known(),
        })
    }

    /// Takes in the worker's answer: the Picture and the marks read for it, when it answers
    /// the last request; a stale answer is dropped whole. Whether it was taken.
    pub fn accept_picture(&mut self, answer: PictureAnswer) -> StoreResult<bool> {
        let PictureReads::Worker {
            asked,
            awaited,
            failed,
            ..
        } = &mut self.picture_reads
        else {
            return Ok(false);
        };
        if answer.generation != *asked || !*awaited {
            return Ok(false);
        }
        *awaited = false;
        *failed = answer.picture.is_err();
        self.readings.absorb(answer.readings);
        self.picture = Some(answer.picture?);
        Ok(true)
    }

    /// While the Picture shown still has messages to read, asks the worker for it again (after
    /// a catch-up has kept more marks): it fills in as they are read, and each read reads the
    /// next few on the worker. Read here, the Picture waits for the next change instead: a
    /// whole journal read every second would hold up the frames.
    pub fn read_picture_again_while_filling(&mut self) {
        let filling = self.picture.as_ref().is_some_and(|shown| shown.unread > 0);
        if let PictureReads::Worker {
            due,
            awaited,
            failed,
            ..
        } = &mut self.picture_reads
            && filling
            && self.picture_shown
            && !*awaited
            && !*failed
        {
            *due = true;
        }
    }

    /// Whether the Picture is read by the app's worker (a file is open) rather than here.
    pub fn reads_pictures_by_worker(&self) -> bool {
        matches!(self.picture_reads, PictureReads::Worker { .. })
    }

    /// Whether a read of the Picture is due or with the worker (for tests, which wait for it).
    pub fn is_picture_awaited(&self) -> bool {
        matches!(
            self.picture_reads,
            PictureReads::Worker { due: true, .. } | PictureReads::Worker { awaited: true, .. }
        )
    }

    /// The overview of all clients for `month`, where the user is.
    pub fn overview_of(&mut self, store: &Store, month: YearMonth) -> StoreResult<Overview> {
        let clients: Vec<Client> = self
            .clients
            .iter()
            .map(|overview| overview.client.clone())
            .collect();
        picture::overview(
            store,
            &clients,
            &self.settings,
            &self.open_cooldowns,
            &mut self.readings,
            month,
            &Local,
        )
    }

    /// Reads the selected client's totals and the journal rows at `positions` (with the rows
    /// around them), replacing those held; nothing without a selected client.
    pub fn read_journal_rows(
        &mut self,
        store: &Store,
        positions: std::ops::Range<u64>,
    ) -> StoreResult<()> {
        self.read_journal_window(store, |entries| JournalWindow::around(positions, entries))
    }

    /// Reads the selected client's totals and the rows `positions` picks for a journal of
    /// that many entries.
    fn read_journal_window(
        &mut self,
        store: &Store,
        positions: impl FnOnce(u64) -> std::ops::Range<u64>,
    ) -> StoreResult<()> {
        let Some(client_id) = self.selected_client else {
            self.journal = JournalWindow::default();
            return Ok(());
        };
        let (entries, minutes_total) = store.journal_totals(client_id)?;
        let positions = positions(entries);
        let rows = store.journal_rows(client_id, positions.clone())?;
        self.journal = JournalWindow::new(entries, minutes_total, positions.start, rows);
        Ok(())
    }

    /// Reads the selected entry (one row). After a journal refresh the entry must still be
    /// there, in this client's journal; a plain entry refresh reads it again only if asked.
    fn read_entry(&mut self, store: &Store, reread: bool) -> StoreResult<()> {
        if let (Some(entry_id), Some(client_id)) = (self.selected_entry, self.selected_client) {
            let is_loaded = self
                .open_entry
                .as_ref()
                .is_some_and(|entry| entry.exchange_id == entry_id);
            if is_loaded && !reread {
                return Ok(());
            }
            match store.exchange(entry_id) {
                Ok(entry) if entry.client_id == client_id => {
                    self.open_entry_versions = store.versions_of(entry_id)?;
                    self.open_entry = Some(entry);
                    return Ok(());
                }
                Ok(_) | Err(crate::store::StoreError::NotFound) => {}
                Err(error) => return Err(error),
            }
        }
        self.selected_entry = None;
        self.open_entry = None;
        self.open_entry_versions.clear();
        Ok(())
    }
}
