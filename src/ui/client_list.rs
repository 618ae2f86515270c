//! The left panel: every client, filtered by status and by a typed word, with the selected one
//! highlighted. The list is virtualised (`show_rows`, rows of one height): only the rows on
//! screen are laid out, so a list of hundreds of clients costs a frame what a short one does.

use egui::{RichText, TextEdit, Ui};

use super::action::{Action, Command};
use super::{Strings, format};
use crate::domain::overview::ClientOverview;
use crate::domain::{ClientId, ClientStatus};

/// Which clients the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StatusFilter {
    /// Active and paused: everyone the user still works with.
    #[default]
    Current,
    Active,
    Paused,
    Ended,
    All,
}

impl StatusFilter {
    const ALL: [Self; 5] = [
        Self::Current,
        Self::Active,
        Self::Paused,
        Self::Ended,
        Self::All,
    ];

    fn admits(self, status: ClientStatus) -> bool {
        match self {
            Self::Current => status != ClientStatus::Ended,
            Self::Active => status == ClientStatus::Active,
            Self::Paused => status == ClientStatus::Paused,
            Self::Ended => status == ClientStatus::Ended,
            Self::All => true,
        }
    }

    fn label(self, tr: &Strings) -> &'static str {
        match self {
            Self::Current => tr.filter_current,
            Self::Active => tr.status_active,
            Self::Paused => tr.status_paused,
            Self::Ended => tr.status_ended,
            Self::All => tr.filter_all,
        }
    }
}

#[derive(Debug, Default)]
pub struct ClientListView {
    pub status_filter: StatusFilter,
    pub name_filter: String,
}

impl ClientListView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        clients: &[ClientOverview],
        selected: Option<ClientId>,
    ) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(tr.clients_heading);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(tr.new_client_button)
                    .on_hover_text(tr.new_client_hint)
                    .clicked()
                {
                    action = Some(Action::NewClient);
                }
            });
        });
        let filter_label = ui.label(tr.filter_clients_label);
        ui.add(
            TextEdit::singleline(&mut self.name_filter)
                .hint_text(crate::ui::widgets::hint(tr.filter_clients_hint))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(filter_label.id);
        let show_label = ui.label(tr.show_label);
        egui::ComboBox::from_id_salt("client_status_filter")
            .selected_text(self.status_filter.label(tr))
            .width(ui.available_width())
            .show_ui(ui, |ui| {
                for filter in StatusFilter::ALL {
                    let chosen = self.status_filter == filter;
                    if super::widgets::combo_option_ui(ui, chosen, filter.label(tr)).clicked() {
                        self.status_filter = filter;
                    }
                }
            })
            .response
            .labelled_by(show_label.id);
        ui.separator();

        let needle = self.name_filter.trim().to_lowercase();
        let visible: Vec<&ClientOverview> = clients
            .iter()
            .filter(|overview| self.status_filter.admits(overview.client.status))
            .filter(|overview| {
                needle.is_empty()
                    || overview.client.name.to_lowercase().contains(&needle)
                    || overview.client.contact.to_lowercase().contains(&needle)
            })
            .collect();

        if visible.is_empty() && !clients.is_empty() {
            // Nothing typed: it is the status filter that hides them, and it says how to undo it.
            ui.weak(if needle.is_empty() {
                tr.no_clients_with_status
            } else {
                tr.no_clients_match
            });
        }
        let row_height = row_height(ui);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, visible.len(), |ui, rows| {
                for overview in visible.get(rows).unwrap_or_default() {
                    let is_selected = selected == Some(overview.client.client_id);
                    let row = ui.allocate_ui_with_layout(
                        egui::vec2(ui.available_width(), row_height),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_min_height(row_height);
                            client_row_ui(ui, tr, overview, is_selected)
                        },
                    );
                    if row.inner.clicked() {
                        action = Some(Action::Do(Command::SelectClient(overview.client.client_id)));
                    }
                }
            });
        action
    }
}

/// The height of one client's row: its name on a button, the line under it, a little air.
fn row_height(ui: &Ui) -> f32 {
    let spacing = ui.spacing();
    let button = (ui.text_style_height(&egui::TextStyle::Button) + 2.0 * spacing.button_padding.y)
        .max(spacing.interact_size.y);
    let line = ui.text_style_height(&egui::TextStyle::Small);
    button + spacing.item_spacing.y + line + ROW_GAP
}

/// The space between one client's row and the next, beyond the usual spacing.
const ROW_GAP: f32 = 4.0;

/// One client: the name (struck through once ended) and a line with where it stands.
fn client_row_ui(
    ui: &mut Ui,
    tr: &Strings,
    overview: &ClientOverview,
    is_selected: bool,
) -> egui::Response {
    let client = &overview.client;
    let standing = match &client.scheduled_end {
        Some(end) => {
            super::strings::fill(tr.client_ending_on, &[("date", &format::day(tr, end.on))])
        }
        None => format::status(tr, client.status).to_owned(),
    };
    let detail = match overview.last_exchange_at {
        Some(last) => format!(
            "{standing} · {} · {}",
            tr.count(tr.entries_count, overview.exchange_count),
            format::date(tr, last)
        ),
        None => format!("{standing} · {}", tr.no_entries_yet),
    };
    let name = if client.status == ClientStatus::Ended {
        RichText::new(&client.name).strikethrough()
    } else {
        RichText::new(&client.name).strong()
    };
    // One line each, cut with "…" when too long (the row's height is fixed); the hover shows
    // both whole, and a screen reader reads the name and the line whole.
    let response = ui
        .add(
            egui::Button::selectable(is_selected, name)
                .truncate()
                .min_size(egui::vec2(ui.available_width(), 0.0)),
        )
        .on_hover_text(format!("{}\n{detail}", client.name));
    ui.add(egui::Label::new(RichText::new(detail).small().weak()).truncate());
    response
}
