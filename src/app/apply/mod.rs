//! The app's work, without egui: [`apply`] takes one [`Command`], calls the domain's rules and
//! the store once, and says in an [`Outcome`] what changed. The window calls it after each frame;
//! tests call it directly. Nothing here draws or reads the wall clock.

mod cooldown;
mod journal;
pub(super) mod records;

use std::path::Path;

use chrono::{DateTime, Local, NaiveDate, TimeZone as _, Utc};

use super::loaded::WAIT_MINUTES_SETTING;
use super::loaded::{Loaded, Refresh};
use super::outcome::{AppError, Notice, Outcome, ViewChange};
use super::picture;
use crate::domain::cooldown::WaitMinutes;
use crate::domain::ledger::CostPerMinute;
use crate::domain::reply::{ReplyTemplate, Signature};
use crate::domain::{ClientId, ExchangeId};
use crate::store::Store;
use crate::ui::Strings;
use crate::ui::action::Command;

/// What applying needs besides the store and the loaded data.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub now: DateTime<Utc>,
    /// The words of journal notes the app writes (an early unlock's reason) and of exports.
    pub tr: &'static Strings,
    /// The data folder (where the demo goes).
    pub data_dir: Option<&'a Path>,
}

impl Env<'_> {
    /// Today in the user's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&Local).date_naive()
    }
}

/// The start of a local day, as a point in time.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}

/// Applies one command: the only path from the UI to the store.
pub fn apply(
    command: Command,
    store: &mut Store,
    loaded: &mut Loaded,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    match command {
        Command::SelectClient(client_id) => select(Selection::Client(client_id), store, loaded),
        Command::SelectExchange(exchange_id) => {
            select(Selection::Entry(exchange_id), store, loaded)
        }
        Command::ReadJournalRows(positions) => select(Selection::Rows(positions), store, loaded),
        Command::OpenSearchHit {
            client_id,
            exchange_id,
        } => select(
            Selection::SearchHit {
                client_id,
                exchange_id,
            },
            store,
            loaded,
        ),
        Command::SaveClient { original, draft } => {
            journal::save_client(store, loaded, original.as_deref(), &draft, env)
        }
        Command::ChangeStatus { client_id, change } => {
            journal::change_status(store, loaded, client_id, &change, env)
        }
        Command::SaveExchange {
            original,
            client_id,
            draft,
            then_cool_down,
        } => {
            let (saved_id, outcome) =
                journal::save_exchange(store, loaded, original.as_deref(), client_id, &draft, env)?;
            if then_cool_down {
                let started = cooldown::start(store, loaded, saved_id, env)?;
                Ok(outcome.then(started))
            } else {
                Ok(outcome)
            }
        }
        Command::DeleteExchange(exchange_id) => {
            journal::delete_exchange(store, loaded, exchange_id, env)
        }
        Command::Undo => journal::undo(store, loaded, env),
        Command::StartCoolDown(exchange_id) => cooldown::start(store, loaded, exchange_id, env),
        Command::OpenCoolDown(cooldown_id) => cooldown::open(store, loaded, cooldown_id, env),
        Command::CloseCoolDown => {
            loaded.cooldown = None;
            Ok(Outcome::refresh(Refresh::COOLDOWNS).with_view(ViewChange::CoolDownClosed))
        }
        Command::CoolDown(edit) => cooldown::edit(store, loaded, edit, env),
        Command::ExportRecord { .. }
        | Command::ExportArchive(_)
        | Command::RestoreFromTrash(_)
        | Command::EmptyTrash
        | Command::BackupNow
        | Command::RestoreBackup(_)
        | Command::SetBackupsKept(_) => records::apply(command, store, loaded, env),
        Command::EndClient { reason } => cooldown::end_client(store, loaded, &reason, env),
        Command::SetWaitMinutes(_)
        | Command::SaveTemplate { .. }
        | Command::ResetTemplate(_)
        | Command::SaveSignature(_)
        | Command::SaveCostPerMinute(_) => save_setting(command, store),
        Command::CatchUpEndings => catch_up_endings(store, loaded, env),
        Command::ShowLedger(month) => {
            loaded.ledger = Some(loaded.overview_of(store, month)?);
            Ok(Outcome::default())
        }
        Command::CloseLedger => {
            loaded.ledger = None;
            Ok(Outcome::default())
        }
        Command::CatchUpReadings => {
            picture::catch_up(store, &mut loaded.readings)?;
            Ok(Outcome::default())
        }
    }
}

/// The commands that only change what the user looks at.
enum Selection {
    Client(ClientId),
    Entry(ExchangeId),
    Rows(std::ops::Range<u64>),
    SearchHit {
        client_id: ClientId,
        exchange_id: ExchangeId,
    },
}

/// What the user looks at: a client, an entry, rows of the journal, a search hit. Reads only.
fn select(selection: Selection, store: &Store, loaded: &mut Loaded) -> Result<Outcome, AppError> {
    match selection {
        Selection::Client(client_id) => {
            loaded.ledger = None;
            let refresh = loaded.select_client(client_id);
            Ok(Outcome::refresh(refresh))
        }
        Selection::Entry(exchange_id) => {
            loaded.selected_entry = Some(exchange_id);
            Ok(Outcome::refresh(Refresh::ENTRY))
        }
        Selection::Rows(positions) => {
            loaded.read_journal_rows(store, positions)?;
            Ok(Outcome::default())
        }
        Selection::SearchHit {
            client_id,
            exchange_id,
        } => {
            let refresh = loaded.select_client(client_id);
            loaded.selected_entry = Some(exchange_id);
            Ok(Outcome::refresh(refresh.and(Refresh::ENTRY))
                .with_view(ViewChange::ShowEntry(exchange_id)))
        }
    }
}

/// A new day: end the clients whose notice ran out, and move the ledger's month on.
fn catch_up_endings(
    store: &mut Store,
    loaded: &mut Loaded,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let ended = store.end_due_clients(env.today(), start_of_day)?;
    let month = picture::this_month(env.now);
    let month_changed = loaded.month != month;
    loaded.month = month;
    let refresh = Refresh {
        clients: !ended.is_empty() || month_changed,
        ..Refresh::NOTHING
    };
    let outcome = Outcome::refresh(refresh);
    if ended.is_empty() {
        Ok(outcome)
    } else {
        Ok(outcome.with_notice(Notice::EndingsCompleted(ended.len())))
    }
}

/// The user's settings: the default wait, the reply templates, the signature.
fn save_setting(command: Command, store: &mut Store) -> Result<Outcome, AppError> {
    let notice = match command {
        Command::SetWaitMinutes(minutes) => {
            let wait = WaitMinutes::new(minutes).unwrap_or_default().get();
            store.set_setting(WAIT_MINUTES_SETTING, &wait.to_string())?;
            Notice::WaitSaved(wait)
        }
        Command::SaveTemplate { language, text } => {
            store.set_setting(ReplyTemplate::setting_key(language), &text)?;
            Notice::TemplateSaved
        }
        Command::ResetTemplate(language) => {
            store.remove_setting(ReplyTemplate::setting_key(language))?;
            Notice::TemplateSaved
        }
        Command::SaveSignature(signature) => {
            store.set_settings(&[
                (Signature::NAME_KEY, signature.name.trim()),
                (Signature::BUSINESS_KEY, signature.business.trim()),
            ])?;
            Notice::SignatureSaved
        }
        Command::SaveCostPerMinute(Some(cost)) => {
            store.set_setting(CostPerMinute::SETTING_KEY, &cost.setting_text())?;
            Notice::CostSaved
        }
        Command::SaveCostPerMinute(None) => {
            store.remove_setting(CostPerMinute::SETTING_KEY)?;
            Notice::CostCleared
        }
        _ => return Ok(Outcome::default()),
    };
    Ok(Outcome::refresh(Refresh::SETTINGS).with_notice(notice))
}
