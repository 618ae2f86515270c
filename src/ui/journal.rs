//! The centre: the selected client's journal, newest first, and the selected entry in full.
//!
//! The list is virtualised (`show_rows`): only the rows on screen are laid out, and only the rows
//! around them are held ([`JournalWindow`]); when the list scrolls past them it asks for more
//! (`Command::ReadJournalRows`), so a hundred thousand entries scroll as smoothly as ten. Rows
//! have one fixed height; the whole text is read in the pane below the list.

use egui::{Id, Modal, RichText, Role, Sense, Ui, WidgetInfo};

use super::action::{Action, Command};
use super::{Strings, format};
use crate::domain::history::EntryVersion;
use crate::domain::journal::JournalWindow;
use crate::domain::overview::CoolDownSummary;
use crate::domain::{Client, ClientStatus, Direction, Exchange, ExchangeId, ExchangeSummary};

const ROW_HEIGHT: f32 = 46.0;

#[derive(Debug, Default)]
pub struct JournalView {
    /// The position (0 = newest) to bring into view (after a search hit, after adding it).
    scroll_to: Option<u64>,
    asking_to_delete: Option<ExchangeId>,
}

pub struct JournalData<'a> {
    pub client: &'a Client,
    /// The totals, and the rows around what is on screen.
    pub journal: &'a JournalWindow,
    pub selected: Option<ExchangeId>,
    pub open_exchange: Option<&'a Exchange>,
    /// What the open entry said before each edit, oldest first.
    pub versions: &'a [EntryVersion],
    /// Cool-downs in progress (deleting the message one is about says so first).
    pub open_cooldowns: &'a [CoolDownSummary],
}

impl JournalView {
    /// Brings the entry at `position` (0 = newest) into view on the next frame.
    pub fn scroll_to(&mut self, position: u64) {
        self.scroll_to = Some(position);
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, data: &JournalData<'_>) -> Option<Action> {
        let mut action = header_ui(ui, tr, data);
        if data.journal.is_empty() {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new(tr.journal_empty_title).size(18.0));
                ui.label(tr.journal_empty_body);
                ui.add_space(8.0);
                if ui.button(tr.new_entry_button).clicked() {
                    action = Some(Action::NewExchange);
                }
            });
            return action;
        }

        if let Some(exchange) = data
            .open_exchange
            .filter(|open| Some(open.exchange_id) == data.selected)
        {
            egui::Panel::bottom("entry_reader")
                .resizable(true)
                .default_size(ui.available_height() * 0.55)
                .size_range(120.0..=ui.available_height() * 0.85)
                .show(ui, |ui| {
                    if let Some(reader_action) = self.reader_ui(ui, tr, exchange, data.versions) {
                        action = Some(reader_action);
                    }
                });
        }

        let spacing = ui.spacing().item_spacing.y;
        let mut scroll_area = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .id_salt("journal_rows");
        if let Some(position) = self.scroll_to.take() {
            let offset =
                (position as f32 * (ROW_HEIGHT + spacing) - ui.available_height() / 3.0).max(0.0);
            scroll_area = scroll_area.vertical_scroll_offset(offset);
        }
        let entries = usize::try_from(data.journal.entries).unwrap_or(usize::MAX);
        scroll_area.show_rows(ui, ROW_HEIGHT, entries, |ui, rows| {
            let shown = rows.start as u64..rows.end as u64;
            for position in shown.clone() {
                let Some(summary) = data.journal.row(position) else {
                    unread_row_ui(ui);
                    continue;
                };
                if row_ui(ui, tr, summary, data.selected == Some(summary.exchange_id)).clicked() {
                    action = Some(Action::Do(Command::SelectExchange(summary.exchange_id)));
                }
            }
            if action.is_none()
                && let Some(positions) = data.journal.rows_to_read(shown)
            {
                action = Some(Action::Do(Command::ReadJournalRows(positions)));
            }
        });

        if let Some(exchange_id) = self.asking_to_delete
            && let Some(confirm_action) = self.delete_confirmation_ui(
                ui.ctx(),
                tr,
                exchange_id,
                data.open_cooldowns
                    .iter()
                    .any(|summary| summary.exchange_id == Some(exchange_id)),
            )
        {
            action = Some(confirm_action);
        }
        action
    }

    fn reader_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        exchange: &Exchange,
        versions: &[EntryVersion],
    ) -> Option<Action> {
        let mut action = None;
        ui.add_space(4.0);
        // The entry's direction, date, channel and minutes wrap beside its buttons instead of
        // running under them.
        egui::Sides::new().shrink_left().wrap().show(
            ui,
            |ui| {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        format::direction_icon(exchange.direction),
                        format::direction(tr, exchange.direction)
                    ))
                    .strong(),
                );
                ui.label(format!(
                    "· {} · {} · {}",
                    format::date_time(tr, exchange.occurred_at),
                    format::channel(tr, exchange.channel),
                    format::minutes(tr, u64::from(exchange.minutes.get()))
                ));
            },
            |ui| {
                if ui.button(tr.delete_entry_button).clicked() {
                    self.asking_to_delete = Some(exchange.exchange_id);
                }
                if ui.button(tr.edit_entry_button).clicked() {
                    action = Some(Action::EditExchange(exchange.exchange_id));
                }
                if exchange.direction == Direction::FromClient
                    && ui
                        .button(RichText::new(tr.cooldown_start_button).strong())
                        .on_hover_text(tr.cooldown_start_hint)
                        .clicked()
                {
                    action = Some(Action::Do(Command::StartCoolDown(exchange.exchange_id)));
                }
                if ui
                    .button(tr.copy_text_button)
                    .on_hover_text(tr.copy_text_hint)
                    .clicked()
                {
                    ui.ctx().copy_text(exchange.body.clone());
                }
            },
        );
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("entry_text")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add(egui::Label::new(&exchange.body).selectable(true).wrap());
                versions_ui(ui, tr, versions);
            });
        action
    }

    fn delete_confirmation_ui(
        &mut self,
        ctx: &egui::Context,
        tr: &Strings,
        exchange_id: ExchangeId,
        has_open_cooldown: bool,
    ) -> Option<Action> {
        let mut action = None;
        let modal = Modal::new(Id::unique("confirm_delete_entry")).show(ctx, |ui| {
            ui.set_width(380.0);
            super::widgets::dialog_heading_ui(ui, tr.delete_entry_title);
            ui.label(tr.delete_entry_body);
            if has_open_cooldown {
                ui.label(RichText::new(tr.delete_entry_cooldown).color(ui.visuals().warn_fg_color));
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button(
                        RichText::new(tr.delete_confirm_button).color(ui.visuals().error_fg_color),
                    )
                    .clicked()
                {
                    action = Some(Action::Do(Command::DeleteExchange(exchange_id)));
                    self.asking_to_delete = None;
                }
                if ui.button(tr.cancel_button).clicked() {
                    self.asking_to_delete = None;
                }
            });
        });
        if modal.should_close() {
            self.asking_to_delete = None;
        }
        action
    }
}

/// An edited entry's earlier versions, newest first: the history an edit never erases.
fn versions_ui(ui: &mut Ui, tr: &Strings, versions: &[EntryVersion]) {
    if versions.is_empty() {
        return;
    }
    ui.add_space(8.0);
    let heading = super::strings::fill(
        tr.entry_versions_heading,
        &[("n", &versions.len().to_string())],
    );
    egui::CollapsingHeader::new(heading)
        .id_salt("entry_versions")
        .show(ui, |ui| {
            for version in versions.iter().rev() {
                ui.label(
                    RichText::new(super::strings::fill(
                        tr.entry_version_line,
                        &[
                            ("replaced", &format::date_time(tr, version.replaced_at)),
                            ("written", &format::date_time(tr, version.written_at)),
                        ],
                    ))
                    .small()
                    .strong(),
                );
                ui.label(
                    RichText::new(format!(
                        "{} · {} · {} · {}",
                        format::direction(tr, version.direction),
                        format::date_time(tr, version.occurred_at),
                        format::channel(tr, version.channel),
                        format::minutes(tr, u64::from(version.minutes.get()))
                    ))
                    .small()
                    .weak(),
                );
                ui.add(egui::Label::new(&version.body).selectable(true).wrap());
                ui.add_space(4.0);
            }
        });
}

/// The client's name, status, "New entry", and the journal's totals.
fn header_ui(ui: &mut Ui, tr: &Strings, data: &JournalData<'_>) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading(&data.client.name);
        if data.client.status != ClientStatus::Active {
            ui.label(
                RichText::new(format::status(tr, data.client.status))
                    .italics()
                    .weak(),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(RichText::new(tr.new_entry_button).strong())
                .on_hover_text(tr.new_entry_hint)
                .clicked()
            {
                action = Some(Action::NewExchange);
            }
        });
    });
    ui.label(
        RichText::new(format!(
            "{} · {} {}",
            tr.count(tr.entries_count, data.journal.entries),
            format::minutes(tr, data.journal.minutes_total),
            tr.spent_in_total
        ))
        .weak(),
    );
    ui.separator();
    action
}

/// A row not read yet (the list was scrolled far; it is read for the next frame): its place,
/// faintly, so the list keeps its length and its scroll bar.
fn unread_row_ui(ui: &mut Ui) {
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), Sense::hover());
    if ui.is_rect_visible(rect) {
        let fill = ui.visuals().faint_bg_color;
        ui.painter()
            .rect_filled(rect.shrink2(egui::vec2(0.0, 4.0)), 4.0, fill);
    }
}

/// One row of the list: direction, when, channel, minutes, and the start of the text.
fn row_ui(
    ui: &mut Ui,
    tr: &Strings,
    summary: &ExchangeSummary,
    is_selected: bool,
) -> egui::Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), Sense::click());
    let header = format!(
        "{} {} · {} · {} · {}",
        format::direction_icon(summary.direction),
        format::direction(tr, summary.direction),
        format::date_time(tr, summary.occurred_at),
        format::channel(tr, summary.channel),
        format::minutes(tr, u64::from(summary.minutes.get())),
    );
    let accessible_name = format!("{header}: {}", summary.preview);
    response.widget_info(|| {
        WidgetInfo::selected(Role::Button, true, is_selected, accessible_name.clone())
    });
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&response, is_selected);
        let fill = if is_selected || response.hovered() {
            visuals.weak_bg_fill
        } else {
            egui::Color32::TRANSPARENT
        };
        ui.painter().rect_filled(rect, 4.0, fill);
        let accent = match summary.direction {
            Direction::FromClient => egui::Color32::from_rgb(0xd0, 0x8a, 0x3a),
            Direction::ToClient => egui::Color32::from_rgb(0x4a, 0x9a, 0x6a),
            Direction::Note => egui::Color32::from_rgb(0x7a, 0x86, 0xb8),
        };
        ui.painter().rect_filled(
            egui::Rect::from_min_size(rect.min, egui::vec2(3.0, rect.height())),
            1.0,
            accent,
        );
        // Painted, not added as labels: the row is one widget with one accessible name.
        let text_rect = rect.shrink2(egui::vec2(10.0, 5.0));
        let header_galley = egui::WidgetText::from(RichText::new(&header).small()).into_galley(
            ui,
            Some(egui::TextWrapMode::Truncate),
            text_rect.width(),
            egui::TextStyle::Small,
        );
        let preview_galley = egui::WidgetText::from(RichText::new(&summary.preview)).into_galley(
            ui,
            Some(egui::TextWrapMode::Truncate),
            text_rect.width(),
            egui::TextStyle::Body,
        );
        let preview_top = text_rect.bottom() - preview_galley.size().y;
        ui.painter()
            .galley(text_rect.min, header_galley, visuals.text_color());
        ui.painter().galley(
            egui::pos2(text_rect.left(), preview_top),
            preview_galley,
            visuals.text_color(),
        );
    }
    response
}
