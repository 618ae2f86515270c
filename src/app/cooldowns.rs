//! The cool-down side of the app: opening, resuming and closing cool-downs, applying what the
//! cool-down screen asks for through the domain's rules, nudging the user when a wait ends, and
//! the reply templates and settings the screens use.

use std::path::PathBuf;

use chrono::Local;
use egui::RichText;

use super::{CalmdeskApp, StatusLine, WAIT_MINUTES_SETTING};
use crate::domain::cooldown::{CoolDown, Decision, Step, WaitMinutes};
use crate::domain::reply::{ReplyLanguage, ReplyTemplate};
use crate::domain::{ClientId, CoolDownId, Direction, ExchangeId, StatusChange};
use crate::store::{ChangeStatusError, CoolDownSummary, StoreError, reply_entry};
use crate::ui::cooldown::reply::Templates;
use crate::ui::cooldown::{CoolDownAction, CoolDownView};
use crate::ui::settings::CoolDownSettings;
use crate::ui::strings::fill;
use crate::ui::{Action, Strings};

impl CalmdeskApp {
    /// Asks for the user's attention once when a wait ends, and wakes the app up for the next.
    pub(super) fn watch_waits(&mut self, ctx: &egui::Context) {
        let now = self.clock.now();
        let mut next_end: Option<chrono::Duration> = None;
        for summary in &self.open_cooldowns {
            if summary.step != Step::Wait && summary.wait_until <= now {
                continue;
            }
            if summary.wait_until <= now {
                if self.attention_sent.insert(summary.cooldown_id) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ));
                }
            } else {
                let left = summary.wait_until - now;
                next_end = Some(next_end.map_or(left, |earliest| earliest.min(left)));
            }
        }
        if let Some(left) = next_end.and_then(|left| left.to_std().ok()) {
            ctx.request_repaint_after(left);
        }
    }

    pub(super) fn close_cooldown(&mut self) {
        if let Some(mut view) = self.cooldown.take() {
            view.wipe_vent();
        }
    }

    pub(super) fn open_cooldown(&mut self, cooldown_id: CoolDownId) {
        let Some(store) = &self.store else { return };
        let opened = store.cooldown(cooldown_id).and_then(|session| {
            store
                .client(session.client_id)
                .map(|client| (session, client))
        });
        match opened {
            Ok((session, client)) => {
                self.close_cooldown();
                self.search.clear();
                let client_id = client.client_id;
                let mut view = CoolDownView::new(session, client);
                view.templates = self.templates();
                if view.session.step == Step::Decide {
                    view.evidence = self.evidence_for(client_id);
                }
                self.cooldown = Some(view);
                self.select_client(client_id);
            }
            Err(error) => self.report(&error),
        }
    }

    /// What the settings dialog edits, as stored (or the defaults).
    pub(super) fn cooldown_settings(&self) -> CoolDownSettings {
        let setting = |key: &str| {
            self.store
                .as_ref()
                .and_then(|store| store.setting(key).ok().flatten())
        };
        let template = |language| {
            setting(ReplyTemplate::setting_key(language))
                .unwrap_or_else(|| ReplyTemplate::builtin_text(language).to_owned())
        };
        CoolDownSettings {
            wait_minutes: setting(WAIT_MINUTES_SETTING)
                .and_then(|text| text.parse().ok())
                .and_then(WaitMinutes::new)
                .unwrap_or_default()
                .get(),
            template_en: template(ReplyLanguage::English),
            template_ru: template(ReplyLanguage::Russian),
        }
    }

    /// The reply templates in use: the user's where saved, else calmdesk's.
    pub(super) fn templates(&self) -> Templates {
        let setting = |language| {
            self.store.as_ref().and_then(|store| {
                store
                    .setting(ReplyTemplate::setting_key(language))
                    .ok()
                    .flatten()
            })
        };
        Templates {
            english: ReplyTemplate::user_or_builtin(
                ReplyLanguage::English,
                setting(ReplyLanguage::English).as_deref(),
            ),
            russian: ReplyTemplate::user_or_builtin(
                ReplyLanguage::Russian,
                setting(ReplyLanguage::Russian).as_deref(),
            ),
        }
    }

    /// The part-ways evidence: the client's last 200 messages, read again.
    pub(super) fn evidence_for(
        &self,
        client_id: ClientId,
    ) -> Option<crate::domain::partways::Evidence> {
        let store = self.store.as_ref()?;
        let exchanges = store.exchanges_of(client_id).ok()?;
        let cooldowns = store.cooldown_count(client_id).ok()?;
        let from_client: Vec<_> = exchanges
            .iter()
            .filter(|exchange| exchange.direction == Direction::FromClient)
            .collect();
        let recent = &from_client[from_client.len().saturating_sub(200)..];
        Some(crate::domain::partways::gather_evidence(
            recent
                .iter()
                .map(|exchange| (exchange.occurred_at, exchange.body.as_str())),
            cooldowns,
        ))
    }

    pub(super) fn start_cooldown(
        &mut self,
        exchange_id: ExchangeId,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let tr = self.tr();
        let Some(store) = &mut self.store else { return };
        let wait = store
            .setting(WAIT_MINUTES_SETTING)
            .ok()
            .flatten()
            .and_then(|text| text.parse().ok())
            .and_then(WaitMinutes::new)
            .unwrap_or_default();
        let started = store.exchange(exchange_id).and_then(|exchange| {
            let mut session =
                CoolDown::start(exchange.client_id, exchange_id, &exchange.body, now, wait);
            store.add_cooldown(&mut session, now)
        });
        match started {
            Ok(cooldown_id) => {
                self.reload();
                self.open_cooldown(cooldown_id);
                self.say(tr.status_cooldown_started);
            }
            Err(error) => self.report(&error),
        }
    }

    /// Applies what the cool-down screen asked for, through the domain's rules, and stores it.
    pub(super) fn run_cooldown_action(
        &mut self,
        action: CoolDownAction,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let tr = self.tr();
        if action == CoolDownAction::Close {
            self.close_cooldown();
            self.reload();
            return;
        }
        let (Some(store), Some(view)) = (&mut self.store, &mut self.cooldown) else {
            return;
        };
        let outcome: Result<Option<&'static str>, AppError> = match action {
            CoolDownAction::Close => Ok(None),
            CoolDownAction::Save => store
                .save_cooldown(&view.session, now)
                .map(|()| None)
                .map_err(AppError::Store),
            CoolDownAction::Back => {
                view.session.go_back();
                store
                    .save_cooldown(&view.session, now)
                    .map(|()| None)
                    .map_err(AppError::Store)
            }
            CoolDownAction::Advance => match view.session.advance(now) {
                Err(refusal) => Err(AppError::CoolDown(refusal)),
                Ok(step) => {
                    let saved = store
                        .save_cooldown(&view.session, now)
                        .map_err(AppError::Store);
                    if saved.is_ok()
                        && step == Step::Done
                        && view.session.decision == Some(Decision::Pause)
                    {
                        let client_id = view.session.client_id;
                        // Pausing an already paused or ended client is no error.
                        let _ = store.change_client_status(client_id, &StatusChange::Pause, now);
                    }
                    saved.map(|()| None)
                }
            },
            CoolDownAction::UnlockEarly(reason) => match view.session.unlock_early(&reason, now) {
                Err(refusal) => Err(AppError::CoolDown(refusal)),
                Ok(()) => {
                    let note = crate::domain::ExchangeDraft {
                        direction: Direction::Note,
                        channel: crate::domain::Channel::Other,
                        occurred_at: now,
                        minutes: crate::domain::Minutes::default(),
                        body: fill(tr.cooldown_unlock_note, &[("reason", reason.trim())]),
                    };
                    store
                        .save_cooldown_with_entry(&mut view.session, &note, now)
                        .map(|_| Some(tr.status_unlocked))
                        .map_err(AppError::Store)
                }
            },
            CoolDownAction::CopyReply => {
                let check = crate::reading::analyze_draft(&view.session.draft);
                match view.session.can_copy_reply(now, &check) {
                    Err(refusal) => Err(AppError::CoolDown(refusal)),
                    Ok(()) => {
                        let entry = reply_entry(&view.session.draft, now);
                        store
                            .save_cooldown_with_entry(&mut view.session, &entry, now)
                            .map(|_| Some(tr.status_reply_logged))
                            .map_err(AppError::Store)
                    }
                }
            }
            CoolDownAction::ExportJournal => {
                let exported = store
                    .exchanges_of(view.client.client_id)
                    .map_err(AppError::Store)
                    .and_then(|exchanges| {
                        let words = crate::domain::export::ExportWords {
                            title: tr.export_title,
                            exported: tr.export_exported,
                            contract: tr.field_contract_reference,
                            from_client: tr.direction_from_client,
                            to_client: tr.direction_to_client,
                            note: tr.direction_note,
                            minutes: tr.unit_min,
                            total: tr.export_total,
                        };
                        let text = crate::domain::export::journal_as_markdown(
                            &view.client,
                            &exchanges,
                            &words,
                            now,
                            &Local,
                        );
                        let folder = self
                            .data_dir
                            .clone()
                            .unwrap_or_else(std::env::temp_dir)
                            .join("exports");
                        let name = crate::domain::export::export_file_name(&view.client.name, now);
                        write_new_file(&folder, &name, &text)
                            .map_err(|(path, error)| AppError::Export(path, error))
                    });
                match exported {
                    Ok(path) => {
                        let note =
                            fill(tr.status_exported, &[("path", &path.display().to_string())]);
                        view.export_note = Some(note.clone());
                        self.status = Some(StatusLine {
                            text: note,
                            is_error: false,
                        });
                        Ok(None)
                    }
                    Err(error) => Err(error),
                }
            }
            CoolDownAction::EndClient(reason) => {
                let client_id = view.session.client_id;
                let saved = store.save_cooldown(&view.session, now);
                match saved.map_err(AppError::Store).and_then(|()| {
                    store
                        .change_client_status(client_id, &StatusChange::End { reason }, now)
                        .map_err(|error| match error {
                            ChangeStatusError::Rule(_) => {
                                AppError::Text(tr.error_status_not_allowed.to_owned())
                            }
                            ChangeStatusError::Store(error) => AppError::Store(error),
                        })
                }) {
                    Ok(_) => {
                        if let Ok(client) = store.client(client_id) {
                            view.client = client;
                        }
                        Ok(Some(tr.status_client_ended))
                    }
                    Err(error) => Err(error),
                }
            }
        };
        if let Some(view) = &mut self.cooldown
            && view.session.step == Step::Decide
            && view.evidence.is_none()
        {
            let client_id = view.session.client_id;
            let evidence = self.evidence_for(client_id);
            if let Some(view) = &mut self.cooldown {
                view.evidence = evidence;
            }
        }
        match outcome {
            Ok(Some(message)) => self.say(message),
            Ok(None) => {}
            Err(AppError::Store(error)) => self.report(&error),
            Err(AppError::CoolDown(refusal)) => {
                let text = crate::ui::cooldown::refusal_text(tr, &refusal);
                self.status = Some(StatusLine {
                    text,
                    is_error: true,
                });
            }
            Err(AppError::Export(path, error)) => {
                let text = fill(
                    tr.error_export,
                    &[
                        ("path", &path.display().to_string()),
                        ("reason", &error.to_string()),
                    ],
                );
                self.status = Some(StatusLine {
                    text,
                    is_error: true,
                });
            }
            Err(AppError::Text(text)) => {
                self.status = Some(StatusLine {
                    text,
                    is_error: true,
                })
            }
        }
        self.reload();
    }
}

/// What can go wrong while applying a cool-down action, each said once in the status line.
#[derive(Debug)]
enum AppError {
    Store(StoreError),
    CoolDown(crate::domain::cooldown::CoolDownError),
    Export(PathBuf, std::io::Error),
    Text(String),
}

/// The list of unfinished cool-downs at the top of the left panel.
pub(super) fn open_cooldowns_ui(
    ui: &mut egui::Ui,
    tr: &Strings,
    open: &[CoolDownSummary],
    current: Option<CoolDownId>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Action> {
    if open.is_empty() {
        return None;
    }
    let mut action = None;
    ui.label(RichText::new(tr.open_cooldowns_heading).strong());
    for summary in open {
        let state = if summary.wait_until > now {
            let minutes = ((summary.wait_until - now).num_seconds() + 59) / 60;
            fill(
                tr.cooldown_minutes_left,
                &[("minutes", &minutes.to_string())],
            )
        } else {
            tr.cooldown_ready.to_owned()
        };
        let text = format!(
            "❄ {} — {} · {}",
            summary.client_name,
            crate::ui::cooldown::step_name(tr, summary.step),
            state
        );
        let is_current = current == Some(summary.cooldown_id);
        if ui
            .add(
                egui::Button::selectable(is_current, text)
                    .min_size(egui::vec2(ui.available_width(), 0.0)),
            )
            .on_hover_text(tr.cooldown_resume)
            .clicked()
        {
            action = Some(Action::OpenCoolDown(summary.cooldown_id));
        }
    }
    ui.separator();
    action
}

/// Writes `text` to a new file in `folder` (never over an existing one): `name`, or `name` with
/// a number added. Written to a temporary name first and renamed, so no half file is left.
fn write_new_file(
    folder: &std::path::Path,
    name: &str,
    text: &str,
) -> Result<PathBuf, (PathBuf, std::io::Error)> {
    std::fs::create_dir_all(folder).map_err(|error| (folder.to_owned(), error))?;
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, "md"));
    let target = (1..1000)
        .map(|index| {
            if index == 1 {
                folder.join(name)
            } else {
                folder.join(format!("{stem}-{index}.{extension}"))
            }
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| folder.join(format!("{stem}-{}.{extension}", std::process::id())));
    let temporary = target.with_extension("partial");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, &target))
        .map_err(|error| (target.clone(), error))?;
    Ok(target)
}
