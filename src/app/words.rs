//! Every notice and error of the app, in the user's language: the one place where what happened
//! becomes words.

use chrono::{DateTime, Utc};

use super::outcome::{AppError, Notice};
use crate::domain::ClientId;
use crate::domain::StatusChangeError;
use crate::domain::evidence::ChainBreak;
use crate::domain::export::{DocumentFormat, ExportWords};
use crate::store::StoreError;
use crate::store::{ImportError, Store};
use crate::ui::Strings;
use crate::ui::strings::fill;

pub fn notice_text(tr: &Strings, notice: &Notice) -> String {
    let day = |date: &chrono::NaiveDate| crate::ui::format::day(tr, *date);
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
        Notice::EntryRestored => tr.status_entry_restored.to_owned(),
        Notice::TrashEmptied(count) => fill(tr.status_trash_emptied, &[("n", &count.to_string())]),
        Notice::BackupTaken(path) => fill(
            tr.status_backup_taken,
            &[("path", &path.display().to_string())],
        ),
        Notice::BackupRestored(path) => fill(
            tr.status_backup_restored,
            &[("path", &path.display().to_string())],
        ),
        Notice::ArchiveExported(path) => fill(
            tr.status_archive_exported,
            &[("path", &path.display().to_string())],
        ),
        Notice::Imported(report) => fill(
            tr.status_imported,
            &[
                ("clients", &report.clients_added.to_string()),
                ("entries", &report.entries_added.to_string()),
                ("skipped", &report.entries_skipped.to_string()),
            ],
        ),
        Notice::BackupsKept(kept) => fill(tr.status_backups_kept, &[("n", &kept.to_string())]),
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
        AppError::ReadFile { path, source } => fill(
            tr.error_cannot_open,
            &[
                ("path", &path.display().to_string()),
                ("reason", &source.to_string()),
            ],
        ),
        AppError::Import(error) => fill(
            tr.error_import,
            &[("reason", &import_error_text(tr, error))],
        ),
        AppError::NoCoolDown | AppError::NoClient => tr.error_not_found.to_owned(),
    }
}

/// Why an import changed nothing. The file's own faults (line, field) are said as the parser
/// found them; a broken chain in the user's words.
pub fn import_error_text(tr: &Strings, error: &ImportError) -> String {
    match error {
        ImportError::Store(error) => store_error_text(tr, error),
        ImportError::ChainBroken { client, broken } => {
            format!("{client}: {}", chain_break_text(tr, broken))
        }
        ImportError::Archive(error) => archive_error_text(tr, error),
    }
}

/// What is wrong with a file offered for import, in the user's language; the parser's own
/// message (serde's, in English) is kept only as the detail after the line and the field.
fn archive_error_text(tr: &Strings, error: &crate::domain::archive::ArchiveError) -> String {
    use crate::domain::archive::{ArchiveError, VERSION};
    match error {
        ArchiveError::Malformed {
            line,
            column,
            path,
            message,
        } => fill(
            tr.archive_malformed,
            &[
                ("line", &line.to_string()),
                ("column", &column.to_string()),
                ("path", path),
                ("message", message),
            ],
        ),
        ArchiveError::Foreign { found } => fill(
            tr.archive_foreign,
            &[("found", found.as_deref().unwrap_or("—"))],
        ),
        ArchiveError::NewerVersion { found } => fill(
            tr.archive_newer,
            &[
                ("found", &found.to_string()),
                ("known", &VERSION.to_string()),
            ],
        ),
        ArchiveError::Invalid { path, message } => {
            fill(tr.archive_invalid, &[("path", path), ("message", message)])
        }
        ArchiveError::Unreadable { message } => {
            fill(tr.archive_unreadable, &[("message", message)])
        }
    }
}

/// The sample data bundled with calmdesk could not be read: the user's own data is not involved.
pub fn demo_broken_text(tr: &Strings, reason: &str) -> String {
    fill(tr.error_demo_broken, &[("reason", reason)])
}

/// Where a chain breaks, in words.
pub fn chain_break_text(tr: &Strings, broken: &ChainBreak) -> String {
    match broken {
        ChainBreak::ContentChanged { exchange_id, seq } => fill(
            tr.chain_content_changed,
            &[("id", &exchange_id.to_string()), ("seq", &seq.to_string())],
        ),
        ChainBreak::OrderChanged { exchange_id, seq } => fill(
            tr.chain_order_changed,
            &[("id", &exchange_id.to_string()), ("seq", &seq.to_string())],
        ),
        ChainBreak::Numbering {
            exchange_id,
            seq,
            expected,
        } => fill(
            tr.chain_numbering,
            &[
                ("id", &exchange_id.to_string()),
                ("seq", &seq.to_string()),
                ("expected", &expected.to_string()),
            ],
        ),
        ChainBreak::Truncated { found, expected } => fill(
            tr.chain_truncated,
            &[
                ("found", &found.to_string()),
                ("expected", &expected.to_string()),
            ],
        ),
        ChainBreak::HeadMissing { found } => {
            fill(tr.chain_head_missing, &[("found", &found.to_string())])
        }
    }
}

/// A client's evidence document in `format`, in the user's language and time zone.
pub fn record_document(
    store: &Store,
    client_id: ClientId,
    format: DocumentFormat,
    tr: &'static Strings,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    use crate::ui::format as shown;
    let record = store.journal_record(client_id)?;
    let direction = |direction: crate::domain::Direction| shown::direction(tr, direction);
    let channel = |channel: crate::domain::Channel| shown::channel(tr, channel);
    let mark = |label: crate::reading::Label| crate::ui::cooldown::mark_name(tr, label);
    let verdict = |verdict: crate::reading::Verdict| crate::ui::cooldown::verdict_name(tr, verdict);
    let chain_break = |broken: &ChainBreak| chain_break_text(tr, broken);
    let words = ExportWords {
        title: tr.export_title,
        exported: tr.export_exported,
        details: tr.export_details,
        name: tr.field_name,
        contact_person: tr.field_contact_person,
        contact: tr.field_contact,
        contract: tr.field_contract_reference,
        scope: tr.field_scope,
        terms: tr.field_terms,
        refund: tr.field_refund,
        termination: tr.field_termination,
        notice_days: tr.field_notice_days,
        fee: tr.field_fee,
        status: tr.field_status,
        status_value: shown::status(tr, record.client.status),
        kind: tr.field_kind,
        kind_value: shown::kind(tr, record.client.kind),
        notes: tr.field_notes,
        entries: tr.export_entries,
        total: tr.export_total,
        minutes: tr.unit_min,
        direction: &direction,
        channel: &channel,
        mark: &mark,
        verdict: &verdict,
        version: tr.export_version,
        reviewed: tr.export_reviewed,
        verdict_label: tr.export_verdict,
        chain: tr.export_chain,
        chain_body: tr.export_chain_body,
        chain_holds: tr.export_chain_holds,
        chain_broken: tr.export_chain_broken,
        chain_break: &chain_break,
        link: tr.export_link,
        deleted: tr.export_deleted,
        erased: tr.export_erased,
        empty: tr.export_empty,
    };
    Ok(crate::domain::export::render(
        &record,
        format,
        &words,
        now,
        &chrono::Local,
    ))
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
        StoreError::Damaged(reason) | StoreError::DamagedFile { reason, .. } => {
            fill(tr.error_damaged, &[("reason", reason)])
        }
        StoreError::Record(error) => fill(tr.error_damaged, &[("reason", &error.to_string())]),
        StoreError::Sqlite(_) | StoreError::Migration(_) => {
            fill(tr.error_storage, &[("reason", &error.to_string())])
        }
    }
}
