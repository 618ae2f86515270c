//! The eframe application: owns the open store, the loaded data and every view's state; draws
//! the frame, collects the [`Action`]s the views return, and applies them afterwards — the only
//! place where the UI writes to the store. Each failure is put into words once, in the status line.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::domain::CoolDownId;
use crate::domain::reply::ReplyTemplate;
use crate::domain::{Client, ClientId, Exchange, ExchangeId, ExchangeSummary};
use crate::store::{ClientOverview, CoolDownSummary, SearchAnswer, Searcher, Store, StoreError};
use crate::ui::client_form::{ClientFormDialog, DialogResult};
use crate::ui::client_list::{ClientListView, StatusFilter};
use crate::ui::cooldown::CoolDownView;
use crate::ui::details::DetailsView;
use crate::ui::exchange_form::ExchangeFormDialog;
use crate::ui::journal::{JournalData, JournalView};
use crate::ui::search::{RESULT_LIMIT, SearchView};
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

mod cooldowns;
mod edits;

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
                actions.extend(cooldowns::open_cooldowns_ui(
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
