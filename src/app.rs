//! The eframe application: owns the open store, the loaded data and every view's state; draws
//! the frame, collects the [`Action`]s the views return, and applies them afterwards — the only
//! place where the UI writes to the store. Each failure is put into words once, in the status line.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Local;
use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::demo;
use crate::domain::cooldown::{CoolDown, Decision, Step, WaitMinutes};
use crate::domain::reply::{ReplyLanguage, ReplyTemplate};
use crate::domain::{
    Client, ClientDraft, ClientId, ClientInput, Exchange, ExchangeId, ExchangeSummary, StatusChange,
};
use crate::domain::{CoolDownId, Direction};
use crate::store::{
    ChangeStatusError, ClientOverview, CoolDownSummary, SearchAnswer, Searcher, Store, StoreError,
    reply_entry,
};
use crate::ui::client_form::{ClientFormDialog, DialogResult};
use crate::ui::client_list::{ClientListView, StatusFilter};
use crate::ui::cooldown::reply::Templates;
use crate::ui::cooldown::{CoolDownAction, CoolDownView};
use crate::ui::details::DetailsView;
use crate::ui::exchange_form::ExchangeFormDialog;
use crate::ui::journal::{JournalData, JournalView};
use crate::ui::search::{RESULT_LIMIT, SearchView};
use crate::ui::settings::CoolDownSettings;
use crate::ui::settings::SettingsDialog;
use crate::ui::strings::fill;
use crate::ui::{Action, Strings, UiLanguage, welcome};

/// Everything the app needs to start, decided by `main` (or by a test).
pub struct Launch {
    /// The database, or why it could not be opened (shown to the user, never a panic).
    pub store: Result<Store, StoreError>,
    pub clock: Arc<dyn Clock>,
    /// Where the demo database may be created; `None` hides "Open the demo".
    pub data_dir: Option<PathBuf>,
    pub is_demo: bool,
    /// Forces the interface language (tests); otherwise the saved choice or the system locale.
    pub language: Option<UiLanguage>,
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

/// A line at the bottom: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq)]
struct StatusLine {
    text: String,
    is_error: bool,
}

/// The last change that can be taken back.
#[derive(Debug)]
enum Undo {
    AddedExchange(ExchangeId),
    EditedExchange(Box<Exchange>),
    DeletedExchange(Box<Exchange>),
    EditedClient(Box<Client>),
}

pub struct CalmdeskApp {
    store: Option<Store>,
    /// Answers searches on its own thread and connection; `None` for in-memory stores.
    searcher: Option<Searcher>,
    egui_ctx: egui::Context,
    open_error: Option<String>,
    clock: Arc<dyn Clock>,
    data_dir: Option<PathBuf>,
    is_demo: bool,
    prefs: Prefs,
    language: UiLanguage,

    clients: Vec<ClientOverview>,
    selected_client: Option<ClientId>,
    journal_rows: Vec<ExchangeSummary>,
    open_exchange: Option<Exchange>,
    minutes_total: u64,

    client_list: ClientListView,
    journal: JournalView,
    details: DetailsView,
    search: SearchView,
    settings: SettingsDialog,
    client_form: Option<ClientFormDialog>,
    exchange_form: Option<ExchangeFormDialog>,
    status: Option<StatusLine>,
    undo: Option<Undo>,
    title_shown: Option<String>,

    /// The cool-down on screen, if one is open.
    cooldown: Option<CoolDownView>,
    /// Every unfinished cool-down, for the list on the left and the details panel.
    open_cooldowns: Vec<CoolDownSummary>,
    /// Cool-downs whose end of wait has already asked for the user's attention.
    attention_sent: std::collections::HashSet<CoolDownId>,
}

/// The settings key for the default wait length.
const WAIT_MINUTES_SETTING: &str = "cooldown.wait_minutes";

impl CalmdeskApp {
    pub fn new(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        crate::ui::fonts::install_fallback_fonts(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        let language = launch
            .language
            .or(prefs.language)
            .unwrap_or_else(|| UiLanguage::from_locale(sys_locale::get_locale().as_deref()));
        cc.egui_ctx.set_theme(prefs.theme);
        let (store, open_error) = match launch.store {
            Ok(store) => (Some(store), None),
            Err(error) => (None, Some(store_error_text(language.strings(), &error))),
        };
        let mut app = Self {
            store,
            searcher: None,
            egui_ctx: cc.egui_ctx.clone(),
            open_error,
            clock: launch.clock,
            data_dir: launch.data_dir,
            is_demo: launch.is_demo,
            client_list: ClientListView {
                status_filter: prefs.status_filter,
                ..ClientListView::default()
            },
            prefs,
            language,
            clients: Vec::new(),
            selected_client: None,
            journal_rows: Vec::new(),
            open_exchange: None,
            minutes_total: 0,
            journal: JournalView::default(),
            details: DetailsView::default(),
            search: SearchView::default(),
            settings: SettingsDialog::default(),
            client_form: None,
            exchange_form: None,
            status: None,
            undo: None,
            title_shown: None,
            cooldown: None,
            open_cooldowns: Vec::new(),
            attention_sent: std::collections::HashSet::new(),
        };
        app.after_store_opened();
        app
    }

    /// The open store, for tests that check what was written.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    pub fn selected_client(&self) -> Option<ClientId> {
        self.selected_client
    }

    pub fn language(&self) -> UiLanguage {
        self.language
    }

    fn tr(&self) -> &'static Strings {
        self.language.strings()
    }

    fn database_key(&self) -> String {
        self.store
            .as_ref()
            .and_then(Store::path)
            .map(|path| path.display().to_string())
            .unwrap_or_default()
    }

    /// Loads the client list and re-selects the last client used with this file.
    fn after_store_opened(&mut self) {
        let repaint = self.egui_ctx.clone();
        // Without a worker (in-memory store, or a failure to start one) search runs inline.
        self.searcher = self
            .store
            .as_ref()
            .and_then(Store::path)
            .and_then(|path| Searcher::spawn(path, move || repaint.request_repaint()).ok());
        self.selected_client = None;
        self.journal.clear();
        self.search.clear();
        self.undo = None;
        self.close_cooldown();
        self.reload();
        // Waits that ended while the app was closed are shown as ready, without a nudge.
        let now = self.clock.now();
        self.attention_sent = self
            .open_cooldowns
            .iter()
            .filter(|summary| summary.wait_until <= now)
            .map(|summary| summary.cooldown_id)
            .collect();
        let remembered = self
            .prefs
            .last_client
            .get(&self.database_key())
            .copied()
            .map(ClientId);
        let first_current = self
            .clients
            .iter()
            .find(|overview| overview.client.status != crate::domain::ClientStatus::Ended)
            .map(|overview| overview.client.client_id);
        let pick = remembered
            .filter(|client_id| {
                self.clients
                    .iter()
                    .any(|overview| overview.client.client_id == *client_id)
            })
            .or(if self.is_demo { first_current } else { None });
        if let Some(client_id) = pick {
            self.select_client(client_id);
        }
    }

    fn select_client(&mut self, client_id: ClientId) {
        if self.selected_client != Some(client_id) {
            self.journal.clear();
            self.open_exchange = None;
        }
        self.selected_client = Some(client_id);
        let key = self.database_key();
        self.prefs.last_client.insert(key, client_id.0);
        self.reload();
    }

    /// Re-reads what the views show. Called after every write; errors go to the status line.
    fn reload(&mut self) {
        if let Err(error) = self.try_reload() {
            self.report(&error);
        }
    }

    fn try_reload(&mut self) -> Result<(), StoreError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        self.clients = store.client_overviews()?;
        self.open_cooldowns = store.open_cooldowns(None)?;
        if let Some(client_id) = self.selected_client
            && !self
                .clients
                .iter()
                .any(|overview| overview.client.client_id == client_id)
        {
            self.selected_client = None;
        }
        match self.selected_client {
            Some(client_id) => {
                self.journal_rows = store.exchange_summaries(client_id)?;
                self.minutes_total = store.minutes_total(client_id)?;
                self.open_exchange = match self.journal.selected {
                    Some(exchange_id)
                        if self
                            .journal_rows
                            .iter()
                            .any(|row| row.exchange_id == exchange_id) =>
                    {
                        Some(store.exchange(exchange_id)?)
                    }
                    _ => None,
                };
            }
            None => {
                self.journal_rows.clear();
                self.open_exchange = None;
                self.minutes_total = 0;
            }
        }
        Ok(())
    }

    fn selected_overview(&self) -> Option<&ClientOverview> {
        let client_id = self.selected_client?;
        self.clients
            .iter()
            .find(|overview| overview.client.client_id == client_id)
    }

    fn say(&mut self, text: &str) {
        self.status = Some(StatusLine {
            text: text.to_owned(),
            is_error: false,
        });
    }

    fn report(&mut self, error: &StoreError) {
        let text = store_error_text(self.tr(), error);
        self.status = Some(StatusLine {
            text,
            is_error: true,
        });
    }

    fn any_dialog_open(&self) -> bool {
        self.client_form.is_some() || self.exchange_form.is_some() || self.settings.is_open
    }

    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let new_entry = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let quit = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
        if ctx.input_mut(|input| input.consume_shortcut(&quit)) {
            actions.push(Action::Quit);
        }
        if self.any_dialog_open() || self.store.is_none() {
            return;
        }
        if ctx.input_mut(|input| input.consume_shortcut(&new_entry))
            && self.selected_client.is_some()
        {
            actions.push(Action::NewExchange);
        }
        if ctx.input_mut(|input| input.consume_shortcut(&find)) {
            ctx.memory_mut(|memory| memory.request_focus(SearchView::box_id()));
        }
        // In a text field Ctrl+Z belongs to the field's own undo.
        let is_typing = ctx.memory(|memory| memory.focused().is_some());
        if !is_typing && ctx.input_mut(|input| input.consume_shortcut(&undo)) {
            actions.push(Action::Undo);
        }
    }

    /// Closing the window with an unsaved form open asks first, like Cancel does: typed text is
    /// never lost silently.
    fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|input| input.viewport().close_requested()) {
            return;
        }
        let mut keep_open = false;
        if let Some(form) = self.client_form.as_mut().filter(|form| form.is_dirty()) {
            form.ask_to_discard();
            keep_open = true;
        }
        if let Some(form) = self.exchange_form.as_mut().filter(|form| form.is_dirty()) {
            form.ask_to_discard();
            keep_open = true;
        }
        if keep_open {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let tr = self.tr();
        let mut title = tr.app_title.to_owned();
        if let Some(path) = self.store.as_ref().and_then(Store::path) {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            title = format!("{title} — {name}");
        }
        if self.title_shown.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = Some(title);
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let tr = self.tr();
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new(tr.app_title).size(18.0).strong());
                if self.is_demo {
                    ui.label(
                        RichText::new(tr.demo_badge)
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
                ui.separator();
                if self.store.is_some()
                    && let Some(action) = self.search.box_ui(ui, tr)
                {
                    actions.push(action);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(tr.settings_button)
                        .on_hover_text(tr.settings_hint)
                        .clicked()
                    {
                        actions.push(Action::OpenSettings);
                    }
                });
            });
            ui.add_space(2.0);
        });
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let tr = self.tr();
        let Some(status) = &self.status else {
            return;
        };
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                let colour = if status.is_error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.label(RichText::new(&status.text).color(colour));
                if self.undo.is_some() && ui.button(tr.undo_button).clicked() {
                    actions.push(Action::Undo);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button(tr.dismiss_button).clicked() {
                        actions.push(Action::DismissStatus);
                    }
                });
            });
        });
    }

    fn workspace_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let tr = self.tr();
        let now = self.clock.now();
        egui::Panel::left("clients_panel")
            .resizable(true)
            .default_size(250.0)
            .size_range(180.0..=420.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                let current = self.cooldown.as_ref().and_then(CoolDownView::cooldown_id);
                actions.extend(open_cooldowns_ui(
                    ui,
                    tr,
                    &self.open_cooldowns,
                    current,
                    now,
                ));
                if let Some(action) =
                    self.client_list
                        .ui(ui, tr, &self.clients, self.selected_client)
                {
                    actions.push(action);
                }
            });
        let selected = self.selected_client.and_then(|client_id| {
            self.clients
                .iter()
                .find(|overview| overview.client.client_id == client_id)
        });
        if let Some(view) = &self.cooldown {
            egui::Panel::right("pinned_panel")
                .resizable(true)
                .default_size(340.0)
                .size_range(240.0..=560.0)
                .show(ui, |ui| {
                    ui.add_space(4.0);
                    view.pinned_message_ui(ui, tr);
                });
        } else if let Some(overview) = selected {
            egui::Panel::right("details_panel")
                .resizable(true)
                .default_size(290.0)
                .size_range(220.0..=480.0)
                .show(ui, |ui| {
                    ui.add_space(4.0);
                    if let Some(action) =
                        self.details
                            .ui(ui, tr, &overview.client, &self.open_cooldowns)
                    {
                        actions.push(action);
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let action = if self.search.is_active() {
                self.search.results_ui(ui, tr)
            } else if let Some(view) = &mut self.cooldown {
                view.ui(ui, tr, now)
            } else if let Some(overview) = selected {
                let data = JournalData {
                    client: &overview.client,
                    summaries: &self.journal_rows,
                    open_exchange: self.open_exchange.as_ref(),
                    minutes_total: self.minutes_total,
                };
                self.journal.ui(ui, tr, &data)
            } else if self.clients.is_empty() {
                welcome::welcome_ui(ui, tr, self.is_demo || self.data_dir.is_none())
            } else {
                welcome::pick_client_ui(ui, tr);
                None
            };
            actions.extend(action);
        });
    }

    /// Asks for the user's attention once when a wait ends, and wakes the app up for the next.
    fn watch_waits(&mut self, ctx: &egui::Context) {
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

    fn close_cooldown(&mut self) {
        if let Some(mut view) = self.cooldown.take() {
            view.wipe_vent();
        }
    }

    fn open_cooldown(&mut self, cooldown_id: CoolDownId) {
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
    fn cooldown_settings(&self) -> CoolDownSettings {
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
    fn templates(&self) -> Templates {
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
    fn evidence_for(&self, client_id: ClientId) -> Option<crate::domain::partways::Evidence> {
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

    fn start_cooldown(&mut self, exchange_id: ExchangeId, now: chrono::DateTime<chrono::Utc>) {
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
    fn run_cooldown_action(&mut self, action: CoolDownAction, now: chrono::DateTime<chrono::Utc>) {
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

    fn dialogs_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let tr = self.tr();
        if let Some(form) = &mut self.client_form {
            match form.ui(ctx, tr) {
                DialogResult::Open => {}
                DialogResult::Closed => self.client_form = None,
                DialogResult::Submit(action) => actions.push(*action),
            }
        }
        if let Some(form) = &mut self.exchange_form {
            match form.ui(ctx, tr) {
                DialogResult::Open => {}
                DialogResult::Closed => self.exchange_form = None,
                DialogResult::Submit(action) => actions.push(*action),
            }
        }
        let database = self
            .store
            .as_ref()
            .and_then(Store::path)
            .map(|path| path.display().to_string())
            .unwrap_or_default();
        if let Some(action) = self.settings.ui(ctx, tr, self.language, &database) {
            actions.push(action);
        }
    }

    /// Applies one action: the only path from the UI to the store.
    fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        let now = self.clock.now();
        let tr = self.tr();
        match action {
            Action::SelectClient(client_id) => {
                self.search.clear();
                self.close_cooldown();
                self.select_client(client_id);
            }
            Action::NewClient => self.client_form = Some(ClientFormDialog::new_client()),
            Action::EditClient(client_id) => {
                if let Some(overview) = self
                    .clients
                    .iter()
                    .find(|overview| overview.client.client_id == client_id)
                {
                    self.client_form = Some(ClientFormDialog::edit(&overview.client));
                }
            }
            Action::SaveClient { client_id, draft } => self.save_client(client_id, &draft, now),
            Action::ChangeStatus { client_id, change } => {
                self.change_status(client_id, &change, now)
            }
            Action::NewExchange => {
                if let Some(overview) = self.selected_overview() {
                    let form = ExchangeFormDialog::new_entry(
                        overview.client.client_id,
                        &overview.client.name,
                        now,
                    );
                    self.exchange_form = Some(form);
                }
            }
            Action::EditExchange(exchange_id) => {
                let name = self
                    .selected_overview()
                    .map(|overview| overview.client.name.clone())
                    .unwrap_or_default();
                match self.store.as_ref().map(|store| store.exchange(exchange_id)) {
                    Some(Ok(exchange)) => {
                        self.exchange_form = Some(ExchangeFormDialog::edit(&exchange, &name))
                    }
                    Some(Err(error)) => self.report(&error),
                    None => {}
                }
            }
            Action::SaveExchange {
                exchange_id,
                client_id,
                draft,
                then_cool_down,
            } => {
                if let Some(saved_id) = self.save_exchange(exchange_id, client_id, &draft, now)
                    && then_cool_down
                {
                    self.start_cooldown(saved_id, now);
                }
            }
            Action::StartCoolDown(exchange_id) => self.start_cooldown(exchange_id, now),
            Action::OpenCoolDown(cooldown_id) => self.open_cooldown(cooldown_id),
            Action::CoolDown(cooldown_action) => self.run_cooldown_action(cooldown_action, now),
            Action::DeleteExchange(exchange_id) => {
                let Some(store) = &mut self.store else { return };
                match store.delete_exchange(exchange_id) {
                    Ok(deleted) => {
                        self.undo = Some(Undo::DeletedExchange(Box::new(deleted)));
                        self.journal.selected = None;
                        self.say(tr.status_entry_deleted);
                        self.reload();
                    }
                    Err(error) => self.report(&error),
                }
            }
            Action::SelectExchange(exchange_id) => {
                self.journal.selected = Some(exchange_id);
                self.reload();
            }
            Action::Undo => self.undo_last(now),
            Action::Search { query, order } => {
                if let Some(searcher) = &mut self.searcher {
                    self.search.set_pending(query.clone(), order);
                    searcher.request(query, order, RESULT_LIMIT);
                } else if let Some(store) = &self.store {
                    let hits = store.search(&query, order, RESULT_LIMIT);
                    self.apply_search_answer(SearchAnswer {
                        generation: 0,
                        query,
                        order,
                        hits,
                    });
                }
            }
            Action::OpenSearchHit {
                client_id,
                exchange_id,
            } => {
                self.search.clear();
                self.select_client(client_id);
                self.journal.select(exchange_id);
                self.reload();
            }
            Action::SetLanguage(language) => {
                self.language = language;
                self.prefs.language = Some(language);
            }
            Action::OpenDemo => self.open_demo(now),
            Action::OpenSettings => {
                let values = self.cooldown_settings();
                self.settings.open(values);
            }
            Action::SetWaitMinutes(minutes) => {
                let Some(store) = &mut self.store else { return };
                match store.set_setting(WAIT_MINUTES_SETTING, &minutes.to_string()) {
                    Ok(()) => self.say(&fill(
                        tr.status_wait_saved,
                        &[("minutes", &minutes.to_string())],
                    )),
                    Err(error) => self.report(&error),
                }
            }
            Action::SaveTemplate { language, text } => {
                let Some(store) = &mut self.store else { return };
                match store.set_setting(ReplyTemplate::setting_key(language), &text) {
                    Ok(()) => self.say(tr.status_template_saved),
                    Err(error) => self.report(&error),
                }
            }
            Action::ResetTemplate(language) => {
                let Some(store) = &mut self.store else { return };
                match store.remove_setting(ReplyTemplate::setting_key(language)) {
                    Ok(()) => self.say(tr.status_template_saved),
                    Err(error) => self.report(&error),
                }
            }
            Action::DismissStatus => {
                self.status = None;
                self.undo = None;
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn apply_search_answer(&mut self, answer: SearchAnswer) {
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

    fn poll_search(&mut self) {
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

    fn save_client(
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

    fn change_status(
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

    fn save_exchange(
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

    fn undo_last(&mut self, now: chrono::DateTime<chrono::Utc>) {
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

    fn open_demo(&mut self, now: chrono::DateTime<chrono::Utc>) {
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

impl eframe::App for CalmdeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        self.update_title(&ctx);
        self.poll_search();
        self.watch_waits(&ctx);
        self.shortcuts(&ctx, &mut actions);
        self.top_bar_ui(ui, &mut actions);
        self.status_bar_ui(ui, &mut actions);
        if self.store.is_some() {
            self.workspace_ui(ui, &mut actions);
        } else {
            let tr = self.tr();
            let message = self.open_error.clone().unwrap_or_default();
            egui::CentralPanel::default().show(ui, |ui| {
                actions.extend(welcome::open_failed_ui(ui, tr, &message));
            });
        }
        self.dialogs_ui(&ctx, &mut actions);
        self.guard_close(&ctx);
        for action in actions {
            self.run_action(&ctx, action);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.status_filter = self.client_list.status_filter;
        self.prefs.theme = self.egui_ctx.options(|options| options.theme_preference);
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }

    /// The vent pad is wiped from memory when the app quits.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.close_cooldown();
    }

    /// egui's memory would carry text-field contents (their undo history) into the preferences
    /// file. Client mail belongs in the database only, so egui's memory is not persisted.
    fn persist_egui_memory(&self) -> bool {
        false
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
fn open_cooldowns_ui(
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
        StoreError::NotFound => tr.error_not_found.to_owned(),
        StoreError::Damaged(reason) => fill(tr.error_damaged, &[("reason", reason)]),
        StoreError::Sqlite(_) | StoreError::Migration(_) => {
            fill(tr.error_storage, &[("reason", &error.to_string())])
        }
    }
}
