//! Writes to the client list and the journal, and undo: each one store call in one transaction,
//! answered with what to re-read.

use super::Env;
use crate::app::loaded::{Loaded, Refresh, Undo};
use crate::app::outcome::{AppError, Notice, Outcome, UndoChange, ViewChange};
use crate::domain::{
    Client, ClientDraft, ClientId, ClientInput, Exchange, ExchangeDraft, ExchangeId, StatusChange,
};
use crate::store::Store;

pub fn save_client(
    store: &mut Store,
    loaded: &mut Loaded,
    original: Option<&Client>,
    draft: &ClientDraft,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    match original {
        None => {
            let new_id = store.add_client(draft, env.now)?;
            let refresh = loaded.select_client(new_id);
            Ok(Outcome::refresh(Refresh::CLIENTS.and(refresh))
                .with_notice(Notice::ClientAdded)
                .with_undo(UndoChange::Clear)
                .with_view(ViewChange::CloseClientForm))
        }
        Some(original) => {
            let client_id = original.client_id;
            store.update_client_if_unchanged(original, draft, env.now)?;
            refresh_open_cooldown_client(store, loaded, client_id)?;
            Ok(Outcome::refresh(Refresh::CLIENTS)
                .with_notice(Notice::ClientSaved)
                .with_undo(UndoChange::Set(Undo::EditedClient(Box::new(
                    original.clone(),
                ))))
                .with_view(ViewChange::CloseClientForm))
        }
    }
}

/// The open cool-down shows the client's contract and kind: read them again after a change.
fn refresh_open_cooldown_client(
    store: &Store,
    loaded: &mut Loaded,
    client_id: ClientId,
) -> Result<(), AppError> {
    if let Some(open) = loaded
        .cooldown
        .as_mut()
        .filter(|open| open.client.client_id == client_id)
    {
        open.client = store.client(client_id)?;
    }
    Ok(())
}

pub fn change_status(
    store: &mut Store,
    loaded: &mut Loaded,
    client_id: ClientId,
    change: &StatusChange,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    store.change_client_status(client_id, change, env.now)?;
    refresh_open_cooldown_client(store, loaded, client_id)?;
    let notice = match change {
        StatusChange::Pause => Notice::ClientPaused,
        StatusChange::Resume => Notice::ClientResumed,
        StatusChange::End { .. } => Notice::ClientEnded,
        StatusChange::EndOn { on, .. } => Notice::ClientEnding(*on),
        StatusChange::CancelEnd => Notice::ClientEndCancelled,
        StatusChange::Reopen => Notice::ClientReopened,
    };
    Ok(Outcome::refresh(Refresh::CLIENTS)
        .with_notice(notice)
        .with_undo(UndoChange::Clear))
}

/// Saves a new or edited entry and selects it. Returns its id, for "Save and cool down".
pub fn save_exchange(
    store: &mut Store,
    loaded: &mut Loaded,
    original: Option<&Exchange>,
    client_id: ClientId,
    draft: &ExchangeDraft,
    env: &Env<'_>,
) -> Result<(ExchangeId, Outcome), AppError> {
    let (saved_id, undo, notice) = match original {
        None => {
            let new_id = store.add_exchange(client_id, draft, env.now)?;
            (new_id, Undo::AddedExchange(new_id), Notice::EntryAdded)
        }
        Some(original) => {
            store.update_exchange_if_unchanged(original, draft, env.now)?;
            loaded.readings.forget(original.exchange_id);
            (
                original.exchange_id,
                Undo::EditedExchange(Box::new(original.clone())),
                Notice::EntrySaved,
            )
        }
    };
    let _ = loaded.select_client(client_id);
    loaded.selected_entry = Some(saved_id);
    let outcome = Outcome::refresh(Refresh::JOURNAL)
        .with_notice(notice)
        .with_undo(UndoChange::Set(undo))
        .with_view(ViewChange::CloseExchangeForm)
        .with_view(ViewChange::ShowEntry(saved_id));
    Ok((saved_id, outcome))
}

/// Moves an entry to the trash; undo (or the trash) puts it back.
pub fn delete_exchange(
    store: &mut Store,
    loaded: &mut Loaded,
    exchange_id: ExchangeId,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let deleted = store.delete_exchange(exchange_id, env.now)?;
    if loaded.selected_entry == Some(exchange_id) {
        loaded.selected_entry = None;
    }
    if let Some(open) = loaded
        .cooldown
        .as_mut()
        .filter(|open| open.session.exchange_id() == Some(exchange_id))
    {
        open.session.forget_exchange();
    }
    Ok(Outcome::refresh(Refresh::JOURNAL)
        .with_notice(Notice::EntryDeleted)
        .with_undo(UndoChange::Set(Undo::DeletedExchange(Box::new(deleted)))))
}

pub fn undo(store: &mut Store, loaded: &mut Loaded, env: &Env<'_>) -> Result<Outcome, AppError> {
    let Some(undo) = loaded.undo.clone() else {
        return Ok(Outcome::default().with_notice(Notice::NothingToUndo));
    };
    let mut refresh = Refresh::JOURNAL;
    match &undo {
        // Taking back an addition moves the entry to the trash: its link stays in the chain.
        Undo::AddedExchange(exchange_id) => {
            store.delete_exchange(*exchange_id, env.now)?;
        }
        // Taking back an edit is an edit: the undone text is kept as a version too.
        Undo::EditedExchange(before) => {
            store.update_exchange(before.exchange_id, &before.draft(), env.now)?;
            loaded.readings.forget(before.exchange_id);
        }
        // Taking back a delete restores the entry from the trash.
        Undo::DeletedExchange(deleted) => {
            store.restore_exchange(deleted)?;
            refresh = refresh.and(loaded.select_client(deleted.client_id));
            loaded.selected_entry = Some(deleted.exchange_id);
        }
        Undo::EditedClient(before) => {
            // The stored client parses: it was written from a parsed draft.
            let draft = ClientInput::from_client(before)
                .parse()
                .map_err(|_| AppError::Store(crate::store::StoreError::NotFound))?;
            store.update_client(before.client_id, &draft, env.now)?;
            refresh_open_cooldown_client(store, loaded, before.client_id)?;
        }
    }
    let mut outcome = Outcome::refresh(refresh)
        .with_notice(Notice::Undone)
        .with_undo(UndoChange::Clear);
    if let Undo::DeletedExchange(deleted) = &undo {
        outcome = outcome.with_view(ViewChange::ShowEntry(deleted.exchange_id));
    }
    Ok(outcome)
}
