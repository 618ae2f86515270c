//! What the user asked for during a frame. Views return an [`Action`]; the app applies it after
//! drawing, once, and reports any error once. A [`Command`] is work on the data, applied by the
//! egui-free `app::apply`; the other actions change only what is on screen.

use std::path::PathBuf;

use crate::domain::cooldown::Edit;
use crate::domain::export::DocumentFormat;
use crate::domain::ledger::{CostPerMinute, YearMonth};
use crate::domain::reply::{ReplyLanguage, Signature};
use crate::domain::search::SearchOrder;
use crate::domain::{
    Client, ClientDraft, ClientId, CoolDownId, Exchange, ExchangeDraft, ExchangeId, StatusChange,
};
use crate::ui::UiLanguage;

#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Work on the data.
    Do(Command),
    NewClient,
    EditClient(ClientId),
    NewExchange,
    EditExchange(ExchangeId),
    Search {
        query: String,
        order: SearchOrder,
    },
    OpenDemo,
    OpenSettings,
    /// The Data dialog: trash, backups, export and import.
    OpenData,
    /// Ask where to save a client's record (a save dialog), then export it there.
    ChooseRecordFile {
        client_id: ClientId,
        format: DocumentFormat,
    },
    /// Ask where to save the whole database as JSON, then export it there.
    ChooseArchiveFile,
    /// Ask which archive to import, then import it off the UI thread.
    ChooseImportFile,
    SetLanguage(UiLanguage),
    DismissStatus,
    /// Put a text the user drafted on the clipboard (an invoice note, a letter).
    Copy(String),
    /// Open the file the failure screen is about, for reading only.
    OpenReadOnly,
    Quit,
}

/// Work on the data, applied by `app::apply` through the domain's rules.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SelectClient(ClientId),
    SaveClient {
        /// The client as the form found it; `None` for a new client.
        original: Option<Box<Client>>,
        draft: Box<ClientDraft>,
    },
    ChangeStatus {
        client_id: ClientId,
        change: StatusChange,
    },
    SaveExchange {
        /// The entry as the form found it; `None` for a new entry.
        original: Option<Box<Exchange>>,
        client_id: ClientId,
        draft: ExchangeDraft,
        /// Start a cool-down on it once saved ("Save and cool down").
        then_cool_down: bool,
    },
    /// Delete after the user confirmed.
    DeleteExchange(ExchangeId),
    SelectExchange(ExchangeId),
    /// Read the selected journal's rows at these positions (0 = newest): the list scrolled to
    /// rows that are not held.
    ReadJournalRows(std::ops::Range<u64>),
    OpenSearchHit {
        client_id: ClientId,
        exchange_id: ExchangeId,
    },
    Undo,
    /// Start a cool-down on a message from the client.
    StartCoolDown(ExchangeId),
    OpenCoolDown(CoolDownId),
    CloseCoolDown,
    /// A change to the open cool-down, checked by its rules.
    CoolDown(Edit),
    /// Write a client's evidence document (HTML or Markdown) to a file the user picked.
    ExportRecord {
        client_id: ClientId,
        format: DocumentFormat,
        path: PathBuf,
    },
    /// Write the whole database as an archive (JSON) to a file the user picked.
    ExportArchive(PathBuf),
    /// Put a deleted entry back from the trash.
    RestoreFromTrash(ExchangeId),
    /// Erase everything in the trash for good (after the user confirmed).
    EmptyTrash,
    BackupNow,
    /// Replace the database with this backup (after the user confirmed); the current contents
    /// are set aside first.
    RestoreBackup(PathBuf),
    /// How many backups to keep.
    SetBackupsKept(u32),
    /// End the open cool-down's client (on the runbook's ending date), with the reason.
    EndClient {
        reason: String,
    },
    /// The default wait of new cool-downs, in minutes.
    SetWaitMinutes(u32),
    SaveTemplate {
        language: ReplyLanguage,
        text: String,
    },
    ResetTemplate(ReplyLanguage),
    SaveSignature(Signature),
    /// What one support minute costs; `None` clears it (the ledger then counts time only).
    SaveCostPerMinute(Option<CostPerMinute>),
    /// End the clients whose notice period has run out (at start and when the day changes).
    CatchUpEndings,
    /// Open (or move) the overview of all clients to a month.
    ShowLedger(YearMonth),
    CloseLedger,
    /// Keep the heat marks read so far and read the next few messages (while there are any).
    CatchUpReadings,
}

impl Command {
    /// Whether it writes to the file (and so must wait until the file is known to be sound).
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            Self::SelectClient(_)
                | Self::SelectExchange(_)
                | Self::ReadJournalRows(_)
                | Self::OpenSearchHit { .. }
                | Self::OpenCoolDown(_)
                | Self::CloseCoolDown
                | Self::ShowLedger(_)
                | Self::CloseLedger
        )
    }
}

impl From<Command> for Action {
    fn from(command: Command) -> Self {
        Self::Do(command)
    }
}
