//! Every notice and error of the app, in the user's language: the one place where what happened
//! becomes words.

use super::outcome::{AppError, Notice};
use crate::domain::StatusChangeError;
use crate::store::StoreError;
use crate::ui::Strings;
use crate::ui::strings::fill;

pub fn notice_text(tr: &Strings, notice: &Notice) -> String {
    let day = |date: &chrono::NaiveDate| crate::ui::format::day(*date);
    match notice {
        Notice::ClientAdded => tr.status_client_added.to_owned(),
        Notice::ClientSaved => tr.status_client_saved.to_owned(),
        Notice::ClientPaused => tr.status_client_paused.to_owned(),
        Notice::ClientResumed => tr.status_client_resumed.to_owned(),
        Notice::ClientEnded => tr.status_client_ended.to_owned(),
        Notice::ClientEnding(on) => fill(tr.status_client_ending, &[("date", &day(on))]),
        Notice::ClientEndCancelled => tr.status_client_end_cancelled.to_owned(),
        Notice::ClientReopened => tr.status_client_reopened.to_owned(),
        Notice::EntryAdded => tr.status_entry_added.to_owned(),
        Notice::EntrySaved => tr.status_entry_saved.to_owned(),
        Notice::EntryDeleted => tr.status_entry_deleted.to_owned(),
        Notice::Undone => tr.status_undone.to_owned(),
        Notice::NothingToUndo => tr.status_nothing_to_undo.to_owned(),
        Notice::DemoOpened => tr.status_demo_opened.to_owned(),
        Notice::CoolDownStarted => tr.status_cooldown_started.to_owned(),
        Notice::UnlockedEarly => tr.status_unlocked.to_owned(),
        Notice::ReplyLogged => tr.status_reply_logged.to_owned(),
        Notice::ReplyAlreadyLogged => tr.status_reply_already_logged.to_owned(),
        Notice::KindSaved => tr.status_kind_saved.to_owned(),
        Notice::Exported(path) => {
            fill(tr.status_exported, &[("path", &path.display().to_string())])
        }
        Notice::WaitSaved(minutes) => {
            fill(tr.status_wait_saved, &[("minutes", &minutes.to_string())])
        }
        Notice::TemplateSaved => tr.status_template_saved.to_owned(),
        Notice::SignatureSaved => tr.status_signature_saved.to_owned(),
        Notice::CostSaved => tr.status_cost_saved.to_owned(),
        Notice::Copied => tr.status_copied.to_owned(),
        Notice::CostCleared => tr.status_cost_cleared.to_owned(),
        Notice::EndingsCompleted(count) => {
            fill(tr.status_endings_completed, &[("n", &count.to_string())])
        }
    }
}

pub fn error_text(tr: &Strings, error: &AppError) -> String {
    match error {
        AppError::Store(error) => store_error_text(tr, error),
        AppError::Rule(refusal) => crate::ui::cooldown::refusal_text(tr, refusal),
        AppError::Status(StatusChangeError::ReasonRequired) => {
            tr.error_end_reason_required.to_owned()
        }
        AppError::Status(_) => tr.error_status_not_allowed.to_owned(),
        AppError::Export { path, source } => fill(
            tr.error_export,
            &[
                ("path", &path.display().to_string()),
                ("reason", &source.to_string()),
            ],
        ),
        AppError::NoCoolDown | AppError::NoClient => tr.error_not_found.to_owned(),
    }
}

/// A store error in the user's language.
pub fn store_error_text(tr: &Strings, error: &StoreError) -> String {
    match error {
        StoreError::NotADatabase { path } => fill(
            tr.error_not_a_database,
            &[("path", &path.display().to_string())],
        ),
        StoreError::ForeignDatabase { path } => fill(
            tr.error_foreign_database,
            &[("path", &path.display().to_string())],
        ),
        StoreError::NewerSchema { path, found, known } => fill(
            tr.error_newer_schema,
            &[
                ("path", &path.display().to_string()),
                ("found", &found.to_string()),
                ("known", &known.to_string()),
            ],
        ),
        StoreError::Io { path, source } => fill(
            tr.error_cannot_open,
            &[
                ("path", &path.display().to_string()),
                ("reason", &source.to_string()),
            ],
        ),
        StoreError::Locked { path } => {
            fill(tr.error_locked, &[("path", &path.display().to_string())])
        }
        StoreError::NeedsUpgrade { path, .. } => fill(
            tr.error_needs_upgrade,
            &[("path", &path.display().to_string())],
        ),
        StoreError::ReadOnly => tr.error_read_only.to_owned(),
        StoreError::Conflict => tr.error_conflict.to_owned(),
        StoreError::NotFound => tr.error_not_found.to_owned(),
        StoreError::Damaged(reason) => fill(tr.error_damaged, &[("reason", reason)]),
        StoreError::Record(error) => fill(tr.error_damaged, &[("reason", &error.to_string())]),
        StoreError::Sqlite(_) | StoreError::Migration(_) => {
            fill(tr.error_storage, &[("reason", &error.to_string())])
        }
    }
}
