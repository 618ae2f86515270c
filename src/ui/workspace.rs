//! The window's layout: the top bar (search, settings), the status line, the clients on the
//! left (with the cool-downs in progress above them), the journal or the cool-down in the centre,
//! the client's details or the pinned message on the right, and the dialogs. It draws from a
//! read-only [`Model`] and the views' own state, and returns what the user asked for.

use chrono::{DateTime, NaiveDate, Utc};
use egui::{RichText, Ui};

use super::action::{Action, Command};
use super::client_form::{ClientFormDialog, DialogResult};
use super::client_list::ClientListView;
use super::cooldown::{CoolDownModel, CoolDownView, step_name};
use super::data::DataDialog;
use super::details::DetailsView;
use super::exchange_form::ExchangeFormDialog;
use super::journal::{JournalData, JournalView};
use super::ledger::{LedgerData, LedgerView};
use super::picture::{CentreTab, PictureData, PictureView};
use super::search::SearchView;
use super::settings::SettingsDialog;
use super::strings::fill;
use super::{Strings, UiLanguage, welcome};
use crate::domain::history::{EntryVersion, HistoryEntry};
use crate::domain::journal::JournalWindow;
use crate::domain::ledger::{ClientLedger, CostPerMinute, MonthUse, YearMonth};
use crate::domain::overview::{ClientOverview, CoolDownSummary};
use crate::domain::reply::{Signature, Templates};
use crate::domain::{Client, ClientId, CoolDownId, Exchange, ExchangeId};

/// What the window shows this frame, borrowed from what the app has loaded.
#[derive(Clone, Copy)]
pub struct Model<'a> {
    pub clients: &'a [ClientOverview],
    pub selected_client: Option<ClientId>,
    /// The selected journal's totals and the rows around what is on screen.
    pub journal: &'a JournalWindow,
    pub selected_entry: Option<ExchangeId>,
    pub open_entry: Option<&'a Exchange>,
    /// What the open entry said before each edit.
    pub open_entry_versions: &'a [EntryVersion],
    pub history: &'a [HistoryEntry],
    pub open_cooldowns: &'a [CoolDownSummary],
    pub cooldown: Option<CoolDownModel<'a>>,
    pub is_demo: bool,
    /// "Open the demo" is offered (there is a data folder to put it in).
    pub can_open_demo: bool,
    pub language: UiLanguage,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    /// The selected client's ledger, and how many of its messages are still being read.
    pub picture: Option<(&'a ClientLedger, usize)>,
    /// The selected client's use of this month (shown whichever page is open).
    pub month_use: Option<MonthUse>,
    /// The overview of all clients, while it is open.
    pub ledger: Option<LedgerData<'a>>,
    pub cost: Option<CostPerMinute>,
    pub templates: &'a Templates,
    pub signature: &'a Signature,
}

/// A line at the bottom: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub is_error: bool,
    /// The change it reports can be taken back.
    pub offers_undo: bool,
    /// The client it is about (the one selected when it was said): it is not shown beside
    /// another client's journal.
    pub about: Option<crate::domain::ClientId>,
}

impl StatusLine {
    /// Whether the line still describes what is on screen, with `selected` the client shown.
    pub fn is_about(&self, selected: Option<crate::domain::ClientId>) -> bool {
        self.about.is_none() || self.about == selected
    }
}

/// Every view's own state.
#[derive(Debug, Default)]
pub struct Views {
    pub client_list: ClientListView,
    pub journal: JournalView,
    pub details: DetailsView,
    pub search: SearchView,
    pub settings: SettingsDialog,
    pub client_form: Option<ClientFormDialog>,
    pub exchange_form: Option<ExchangeFormDialog>,
    pub cooldown: CoolDownView,
    pub data: DataDialog,
    pub picture: PictureView,
    pub ledger: LedgerView,
}

impl Views {
    pub fn any_dialog_open(&self) -> bool {
        self.client_form.is_some()
            || self.exchange_form.is_some()
            || self.settings.is_open
            || self.data.is_open
    }
}

/// What the top bar shows besides the search box.
#[derive(Clone, Copy)]
pub struct TopBar<'a> {
    /// The ledger's month when a database is open (the Ledger button is there), and whether
    /// the ledger is open.
    pub ledger: Option<(YearMonth, bool)>,
    pub is_demo: bool,
    pub read_only_note: Option<&'a str>,
}

pub fn top_bar_ui(ui: &mut Ui, tr: &Strings, views: &mut Views, bar: TopBar<'_>) -> Option<Action> {
    let TopBar {
        ledger,
        is_demo,
        read_only_note,
    } = bar;
    let has_store = ledger.is_some();
    let mut action = None;
    // The window itself is named for screen readers (egui leaves its root node unnamed, so
    // AT-SPI listed an unnamed frame).
    ui.ctx()
        .accesskit_node_builder(egui::accesskit_root_id(), |node| {
            node.set_label(tr.app_title);
        });
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(tr.app_title).size(18.0).strong());
            if is_demo {
                ui.label(
                    RichText::new(tr.demo_badge)
                        .small()
                        .color(ui.visuals().warn_fg_color),
                );
            }
            if let Some(note) = read_only_note {
                ui.label(
                    RichText::new(format!("🔒 {note}"))
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                );
            }
            ui.separator();
            if has_store && let Some(search) = views.search.box_ui(ui, tr) {
                action = Some(search);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(tr.settings_button)
                    .on_hover_text(tr.settings_hint)
                    .clicked()
                {
                    action = Some(Action::OpenSettings);
                }
                if has_store
                    && ui
                        .button(tr.data_button)
                        .on_hover_text(tr.data_hint)
                        .clicked()
                {
                    action = Some(Action::OpenData);
                }
                if let Some((month, is_open)) = ledger {
                    let button = ui
                        .selectable_label(is_open, tr.ledger_button)
                        .on_hover_text(tr.ledger_hint);
                    if button.clicked() {
                        action = Some(Action::Do(if is_open {
                            Command::CloseLedger
                        } else {
                            Command::ShowLedger(month)
                        }));
                    }
                }
            });
        });
        ui.add_space(2.0);
    });
    action
}

pub fn status_bar_ui(ui: &mut Ui, tr: &Strings, status: Option<&StatusLine>) -> Option<Action> {
    let status = status?;
    let mut action = None;
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let colour = if status.is_error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(&status.text).color(colour));
            if status.offers_undo && ui.button(tr.undo_button).clicked() {
                action = Some(Action::Do(Command::Undo));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button(tr.dismiss_button).clicked() {
                    action = Some(Action::DismissStatus);
                }
            });
        });
    });
    action
}

/// The whole window when the database could not be opened: what went wrong, and the way out.
pub fn open_failed_ui(
    ui: &mut Ui,
    tr: &Strings,
    failure: &welcome::OpenFailure<'_>,
) -> Option<Action> {
    egui::CentralPanel::default()
        .show(ui, |ui| welcome::open_failed_ui(ui, tr, failure))
        .inner
}

/// The screen while an older file is upgraded.
pub fn upgrading_ui(ui: &mut Ui, tr: &Strings, upgrading: &welcome::Upgrading<'_>) {
    egui::CentralPanel::default().show(ui, |ui| welcome::upgrading_ui(ui, tr, upgrading));
}

/// The three panels of an open database.
pub fn workspace_ui(
    ui: &mut Ui,
    tr: &Strings,
    views: &mut Views,
    model: &Model<'_>,
    actions: &mut Vec<Action>,
) {
    views.picture.set_on_screen(false);
    let selected = model.selected_client.and_then(|client_id| {
        model
            .clients
            .iter()
            .find(|overview| overview.client.client_id == client_id)
    });
    egui::Panel::left("clients_panel")
        .resizable(true)
        .default_size(250.0)
        .size_range(180.0..=420.0)
        .show(ui, |ui| {
            ui.add_space(4.0);
            let current = model
                .cooldown
                .and_then(|cooldown| cooldown.session.cooldown_id());
            actions.extend(open_cooldowns_ui(
                ui,
                tr,
                model.open_cooldowns,
                current,
                model.now,
            ));
            actions.extend(
                views
                    .client_list
                    .ui(ui, tr, model.clients, model.selected_client),
            );
        });
    if let Some(cooldown) = &model.cooldown {
        egui::Panel::right("pinned_panel")
            .resizable(true)
            .default_size(340.0)
            .size_range(240.0..=560.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                CoolDownView::pinned_message_ui(ui, tr, cooldown);
            });
    } else if let Some(overview) = selected.filter(|_| model.ledger.is_none()) {
        egui::Panel::right("details_panel")
            .resizable(true)
            .default_size(290.0)
            .size_range(220.0..=480.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                actions.extend(
                    views.details.ui(
                        ui,
                        tr,
                        &overview.client,
                        model.open_cooldowns,
                        model.history,
                        model
                            .month_use
                            .filter(MonthUse::is_over)
                            .map(|month| month.overrun()),
                    ),
                );
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        actions.extend(centre_ui(ui, tr, views, model, selected));
    });
}

/// The centre: search results, the cool-down, the ledger, or the selected client's pages.
fn centre_ui(
    ui: &mut Ui,
    tr: &Strings,
    views: &mut Views,
    model: &Model<'_>,
    selected: Option<&ClientOverview>,
) -> Option<Action> {
    if views.search.is_active() {
        views.search.results_ui(ui, tr)
    } else if let Some(cooldown) = &model.cooldown {
        views.cooldown.ui(ui, tr, cooldown)
    } else if let Some(ledger) = &model.ledger {
        let action = views.ledger.ui(ui, tr, ledger);
        if matches!(action, Some(Action::Do(Command::SelectClient(_)))) {
            views.picture.tab = CentreTab::Picture;
        }
        action
    } else if let Some(overview) = selected {
        client_centre_ui(ui, tr, views, model, &overview.client)
    } else if model.clients.is_empty() {
        welcome::welcome_ui(ui, tr, !model.can_open_demo)
    } else {
        welcome::pick_client_ui(ui, tr);
        None
    }
}

/// A client's centre: the journal or the Picture, under their tabs.
fn client_centre_ui(
    ui: &mut Ui,
    tr: &Strings,
    views: &mut Views,
    model: &Model<'_>,
    client: &Client,
) -> Option<Action> {
    views.picture.tabs_ui(ui, tr);
    views
        .picture
        .set_on_screen(views.picture.tab == CentreTab::Picture);
    match (views.picture.tab, model.picture) {
        (CentreTab::Picture, Some((ledger, unread))) => {
            let data = PictureData {
                client,
                ledger,
                unread,
                journal: model.journal,
                cost: model.cost,
                templates: model.templates,
                signature: model.signature,
                open_cooldown: model
                    .open_cooldowns
                    .iter()
                    .find(|summary| summary.client_id == client.client_id)
                    .map(|summary| summary.cooldown_id),
            };
            views.picture.ui(ui, tr, &data)
        }
        // Read after this frame (the Picture is read only while its tab is open).
        (CentreTab::Picture, None) => {
            ui.add_space(24.0);
            ui.vertical_centered(Ui::spinner);
            None
        }
        (CentreTab::Journal, _) => {
            let data = JournalData {
                client,
                journal: model.journal,
                selected: model.selected_entry,
                open_exchange: model.open_entry,
                versions: model.open_entry_versions,
                open_cooldowns: model.open_cooldowns,
            };
            views.journal.ui(ui, tr, &data)
        }
    }
}

/// The dialogs over the window: the client form, the entry form, the settings.
pub fn dialogs_ui(
    ctx: &egui::Context,
    tr: &Strings,
    views: &mut Views,
    database: &str,
    language: UiLanguage,
    actions: &mut Vec<Action>,
) {
    if let Some(form) = &mut views.client_form {
        match form.ui(ctx, tr) {
            DialogResult::Open => {}
            DialogResult::Closed => views.client_form = None,
            DialogResult::Submit(action) => actions.push(*action),
        }
    }
    if let Some(form) = &mut views.exchange_form {
        match form.ui(ctx, tr) {
            DialogResult::Open => {}
            DialogResult::Closed => views.exchange_form = None,
            DialogResult::Submit(action) => actions.push(*action),
        }
    }
    actions.extend(views.settings.ui(ctx, tr, language, database));
}

/// The list of unfinished cool-downs at the top of the left panel.
fn open_cooldowns_ui(
    ui: &mut Ui,
    tr: &Strings,
    open: &[CoolDownSummary],
    current: Option<CoolDownId>,
    now: DateTime<Utc>,
) -> Option<Action> {
    if open.is_empty() {
        return None;
    }
    let mut action = None;
    ui.label(RichText::new(tr.open_cooldowns_heading).strong());
    for summary in open {
        let state = if summary.reply_logged {
            tr.cooldown_reply_sent.to_owned()
        } else if summary.wait_until > now {
            let minutes = ((summary.wait_until - now).num_milliseconds() + 59_999) / 60_000;
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
            step_name(tr, summary.step),
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
            action = Some(Action::Do(Command::OpenCoolDown(summary.cooldown_id)));
        }
    }
    ui.separator();
    action
}
