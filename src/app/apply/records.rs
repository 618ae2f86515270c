//! Commands on the record as a whole: the trash (restore, empty), the evidence document of a
//! client and the whole-database archive written where the user chose, and backups (now, on
//! start, restore, how many are kept). Each is one store call; files are written 0600 in one
//! piece (`paths::write_private`).

use std::path::Path;

use super::Env;
use crate::app::loaded::{BACKUPS_KEPT_SETTING, Loaded, Refresh};
use crate::app::outcome::{AppError, Notice, Outcome, UndoChange, ViewChange};
use crate::domain::export::DocumentFormat;
use crate::domain::{ClientId, ExchangeId};
use crate::store::Store;
use crate::ui::action::Command;

/// The commands on the record as a whole (the others are not this module's: nothing to do).
pub fn apply(
    command: Command,
    store: &mut Store,
    loaded: &mut Loaded,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    match command {
        Command::ExportRecord {
            client_id,
            format,
            path,
        } => export_record(store, loaded, client_id, format, &path, env),
        Command::ExportArchive(path) => export_archive(store, &path, env),
        Command::RestoreFromTrash(exchange_id) => restore_from_trash(store, loaded, exchange_id),
        Command::EmptyTrash => empty_trash(store, loaded, env),
        Command::BackupNow => backup_now(store, loaded, env),
        Command::RestoreBackup(path) => restore_backup(store, loaded, &path, env),
        Command::SetBackupsKept(kept) => set_backups_kept(store, kept),
        _ => Ok(Outcome::default()),
    }
}

pub fn restore_from_trash(
    store: &mut Store,
    loaded: &mut Loaded,
    exchange_id: ExchangeId,
) -> Result<Outcome, AppError> {
    let client_id = store
        .trash()?
        .into_iter()
        .find(|trashed| trashed.exchange.exchange_id == exchange_id)
        .map(|trashed| trashed.exchange.client_id)
        .ok_or(crate::store::StoreError::NotFound)?;
    store.restore_from_trash(exchange_id)?;
    let refresh = loaded.select_client(client_id);
    loaded.selected_entry = Some(exchange_id);
    // The undo slot may hold this very delete: it is done now, by the trash.
    let undo = match &loaded.undo {
        Some(crate::app::loaded::Undo::DeletedExchange(deleted))
            if deleted.exchange_id == exchange_id =>
        {
            UndoChange::Clear
        }
        _ => UndoChange::Keep,
    };
    Ok(
        Outcome::refresh(refresh.and(Refresh::JOURNAL).and(Refresh::DATA))
            .with_notice(Notice::EntryRestored)
            .with_undo(undo)
            .with_view(ViewChange::ShowEntry(exchange_id)),
    )
}

pub fn empty_trash(
    store: &mut Store,
    loaded: &mut Loaded,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let (erased, cooldowns) = store.empty_trash(env.now)?;
    // A session about an erased message is erased with it: it cannot stay open.
    if loaded
        .cooldown
        .as_ref()
        .and_then(|open| open.session.cooldown_id())
        .is_some_and(|open| cooldowns.contains(&open))
    {
        loaded.cooldown = None;
    }
    // An undo of a delete would look in the trash, which is empty now.
    let undo = if matches!(
        loaded.undo,
        Some(
            crate::app::loaded::Undo::DeletedExchange(_)
                | crate::app::loaded::Undo::AddedExchange(_)
        )
    ) {
        UndoChange::Clear
    } else {
        UndoChange::Keep
    };
    Ok(Outcome::refresh(Refresh::DATA.and(Refresh::COOLDOWNS))
        .with_notice(Notice::TrashEmptied(erased))
        .with_undo(undo))
}

/// A client's evidence document, to `path`.
pub fn export_record(
    store: &Store,
    loaded: &mut Loaded,
    client_id: ClientId,
    format: DocumentFormat,
    path: &Path,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let text = crate::app::words::record_document(store, client_id, format, env.tr, env.now)?;
    crate::paths::write_private(path, text.as_bytes()).map_err(|source| AppError::Export {
        path: path.to_owned(),
        source,
    })?;
    note_record_exported(loaded, client_id, path);
    Ok(Outcome::default().with_notice(Notice::Exported(path.to_owned())))
}

/// A client's record was written to `path`: a cool-down open on that client says where.
pub fn note_record_exported(loaded: &mut Loaded, client_id: ClientId, path: &Path) {
    if let Some(open) = loaded
        .cooldown
        .as_mut()
        .filter(|open| open.client.client_id == client_id)
    {
        open.export_note = Some(path.to_owned());
    }
}

/// The whole database as an archive, to `path`.
pub fn export_archive(store: &Store, path: &Path, env: &Env<'_>) -> Result<Outcome, AppError> {
    crate::paths::write_private_with(path, |file| {
        store.write_archive(env.now, file, &mut |_, _| {}, &|| true)
    })
    .map_err(|error| AppError::from_archive_write(error, path))?;
    Ok(Outcome::default().with_notice(Notice::ArchiveExported(path.to_owned())))
}

pub fn backup_now(store: &Store, loaded: &Loaded, env: &Env<'_>) -> Result<Outcome, AppError> {
    let taken = store.take_backup(env.now, loaded.settings.backups_kept as usize)?;
    Ok(Outcome::refresh(Refresh::DATA).with_notice(Notice::BackupTaken(taken.path)))
}

pub fn restore_backup(
    store: &mut Store,
    loaded: &mut Loaded,
    backup: &Path,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let aside = store.restore_backup(backup, env.now)?;
    Ok(restored(loaded, aside))
}

/// The backup is in, the contents before it set aside at `aside`: everything on screen came
/// from the contents just replaced.
pub fn restored(loaded: &mut Loaded, aside: std::path::PathBuf) -> Outcome {
    loaded.cooldown = None;
    loaded.selected_entry = None;
    loaded.selected_client = None;
    Outcome::refresh(Refresh::ALL)
        .with_notice(Notice::BackupRestored(aside))
        .with_undo(UndoChange::Clear)
        .with_view(ViewChange::CoolDownClosed)
}

pub fn set_backups_kept(store: &mut Store, kept: u32) -> Result<Outcome, AppError> {
    let kept = kept.clamp(1, 1000);
    store.set_setting(BACKUPS_KEPT_SETTING, &kept.to_string())?;
    Ok(Outcome::refresh(Refresh::SETTINGS).with_notice(Notice::BackupsKept(kept)))
}
