//! The app's writes to the journal and the client list, undo, search answers and the demo:
//! each applies one action to the store and puts the outcome into words once.

use chrono::Local;

use super::{CalmdeskApp, StatusLine, Undo};
use crate::demo;
use crate::domain::{ClientDraft, ClientId, ClientInput, ExchangeId, StatusChange};
use crate::store::{ChangeStatusError, SearchAnswer, Searcher, StoreError};

impl CalmdeskApp {
    pub(super) fn apply_search_answer(&mut self, answer: SearchAnswer) {
        match answer.hits {
            Ok(hits) => self.search.set_results(answer.query, answer.order, hits),
            Err(error) => {
                // Answer this query once, with nothing, so a failing search is not retried every frame.
                self.search
                    .set_results(answer.query, answer.order, Vec::new());
                self.report(&error);
            }
        }
    }

    pub(super) fn poll_search(&mut self) {
        if let Some(answer) = self.searcher.as_mut().and_then(Searcher::take_answer) {
            self.apply_search_answer(answer);
        }
    }

    /// Waits until the search worker has answered the newest query and shows the answer.
    /// For tests, which must not race the worker thread.
    pub fn wait_for_search(&mut self) {
        if !self.search.is_pending() {
            return;
        }
        let answer = self
            .searcher
            .as_mut()
            .and_then(|searcher| searcher.wait_for_answer(std::time::Duration::from_secs(30)));
        if let Some(answer) = answer {
            self.apply_search_answer(answer);
        }
    }

    pub(super) fn save_client(
        &mut self,
        client_id: Option<ClientId>,
        draft: &ClientDraft,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let tr = self.tr();
        let Some(store) = &mut self.store else { return };
        match client_id {
            None => match store.add_client(draft, now) {
                Ok(new_id) => {
                    self.client_form = None;
                    self.undo = None;
                    self.say(tr.status_client_added);
                    self.select_client(new_id);
                }
                Err(error) => self.report(&error),
            },
            Some(client_id) => {
                let before = store.client(client_id);
                match before
                    .and_then(|before| store.update_client(client_id, draft, now).map(|()| before))
                {
                    Ok(before) => {
                        self.client_form = None;
                        self.undo = Some(Undo::EditedClient(Box::new(before)));
                        self.say(tr.status_client_saved);
                        self.reload();
                    }
                    Err(error) => self.report(&error),
                }
            }
        }
    }

    pub(super) fn change_status(
        &mut self,
        client_id: ClientId,
        change: &StatusChange,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let tr = self.tr();
        let Some(store) = &mut self.store else { return };
        match store.change_client_status(client_id, change, now) {
            Ok(_) => {
                self.undo = None;
                let message = match change {
                    StatusChange::Pause => tr.status_client_paused,
                    StatusChange::Resume => tr.status_client_resumed,
                    StatusChange::End { .. } => tr.status_client_ended,
                    StatusChange::Reopen => tr.status_client_reopened,
                };
                self.say(message);
                self.reload();
            }
            Err(ChangeStatusError::Rule(_)) => {
                self.status = Some(StatusLine {
                    text: tr.error_status_not_allowed.to_owned(),
                    is_error: true,
                });
            }
            Err(ChangeStatusError::Store(error)) => self.report(&error),
        }
    }

    pub(super) fn save_exchange(
        &mut self,
        exchange_id: Option<ExchangeId>,
        client_id: ClientId,
        draft: &crate::domain::ExchangeDraft,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<ExchangeId> {
        let tr = self.tr();
        let store = self.store.as_mut()?;
        let outcome = match exchange_id {
            None => store
                .add_exchange(client_id, draft, now)
                .map(|new_id| (new_id, Undo::AddedExchange(new_id))),
            Some(exchange_id) => store
                .exchange(exchange_id)
                .and_then(|before| {
                    store
                        .update_exchange(exchange_id, draft, now)
                        .map(|()| before)
                })
                .map(|before| (exchange_id, Undo::EditedExchange(Box::new(before)))),
        };
        match outcome {
            Ok((saved_id, undo)) => {
                self.exchange_form = None;
                self.undo = Some(undo);
                self.say(if exchange_id.is_some() {
                    tr.status_entry_saved
                } else {
                    tr.status_entry_added
                });
                self.select_client(client_id);
                self.journal.select(saved_id);
                self.reload();
                Some(saved_id)
            }
            Err(error) => {
                self.report(&error);
                None
            }
        }
    }

    pub(super) fn undo_last(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let tr = self.tr();
        let Some(undo) = self.undo.take() else {
            self.say(tr.status_nothing_to_undo);
            return;
        };
        let Some(store) = &mut self.store else { return };
        let result = match &undo {
            Undo::AddedExchange(exchange_id) => store.delete_exchange(*exchange_id).map(drop),
            Undo::EditedExchange(before) => {
                store.update_exchange(before.exchange_id, &before.draft(), now)
            }
            Undo::DeletedExchange(deleted) => store.restore_exchange(deleted),
            Undo::EditedClient(before) => {
                let input = ClientInput::from_client(before);
                match input.parse() {
                    Ok(draft) => store.update_client(before.client_id, &draft, now),
                    Err(_) => Err(StoreError::NotFound),
                }
            }
        };
        match result {
            Ok(()) => {
                if let Undo::DeletedExchange(deleted) = &undo {
                    self.select_client(deleted.client_id);
                    self.journal.select(deleted.exchange_id);
                }
                self.say(tr.status_undone);
                self.reload();
            }
            Err(error) => self.report(&error),
        }
    }

    pub(super) fn open_demo(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let tr = self.tr();
        let Some(data_dir) = &self.data_dir else {
            return;
        };
        match demo::create_demo_database(&demo::demo_path(data_dir), now, &Local) {
            Ok(store) => {
                self.store = Some(store);
                self.open_error = None;
                self.is_demo = true;
                self.after_store_opened();
                self.say(tr.status_demo_opened);
            }
            Err(demo::DemoError::Store(error)) => self.report(&error),
            Err(error @ demo::DemoError::Malformed(_)) => {
                self.status = Some(StatusLine {
                    text: error.to_string(),
                    is_error: true,
                });
            }
        }
    }
}
