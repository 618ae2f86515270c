//! What a first-time user sees instead of an empty pane, and the screen shown when the database
//! could not be opened.

use egui::{RichText, Ui};

use super::{Action, Strings};

/// No clients yet: say what the app is for and offer the two ways in.
pub fn welcome_ui(ui: &mut Ui, tr: &Strings, is_demo: bool) -> Option<Action> {
    let mut action = None;
    ui.add_space(ui.available_height() * 0.15);
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0);
        ui.label(RichText::new(tr.welcome_title).size(26.0).strong());
        ui.add_space(8.0);
        ui.label(tr.welcome_body);
        ui.add_space(16.0);
        if ui
            .button(RichText::new(tr.welcome_add_client).size(16.0).strong())
            .clicked()
        {
            action = Some(Action::NewClient);
        }
        ui.add_space(6.0);
        if !is_demo
            && ui
                .button(tr.welcome_open_demo)
                .on_hover_text(tr.welcome_open_demo_hint)
                .clicked()
        {
            action = Some(Action::OpenDemo);
        }
        ui.add_space(16.0);
        ui.label(RichText::new(tr.welcome_privacy).small().weak());
    });
    action
}

/// A client list exists but none is selected.
pub fn pick_client_ui(ui: &mut Ui, tr: &Strings) {
    ui.centered_and_justified(|ui| {
        ui.label(RichText::new(tr.pick_client).weak());
    });
}

/// Why no database is open, as the screen tells it.
#[derive(Clone, Copy, Debug)]
pub struct OpenFailure<'a> {
    pub message: &'a str,
    /// The file was found damaged (not refused at the door).
    pub is_damage: bool,
    /// The file is open in another calmdesk window.
    pub is_locked: bool,
    /// It can be opened read-only, to look or to copy things out.
    pub offers_read_only: bool,
}

/// The database could not be opened: say why, say what was (not) changed, offer a way on.
pub fn open_failed_ui(ui: &mut Ui, tr: &Strings, failure: &OpenFailure<'_>) -> Option<Action> {
    let mut action = None;
    let (title, body) = if failure.is_damage {
        (tr.damaged_title, tr.damaged_body)
    } else if failure.is_locked {
        (tr.locked_title, tr.locked_body)
    } else {
        (tr.open_failed_title, tr.open_failed_body)
    };
    ui.add_space(ui.available_height() * 0.15);
    ui.vertical_centered(|ui| {
        ui.set_max_width(620.0);
        ui.label(RichText::new(title).size(22.0).strong());
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(RichText::new(failure.message).color(ui.visuals().error_fg_color))
                .wrap()
                .selectable(true),
        );
        ui.add_space(8.0);
        ui.label(body);
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if failure.offers_read_only && ui.button(tr.open_read_only_button).clicked() {
                action = Some(Action::OpenReadOnly);
            }
            if !failure.is_damage && ui.button(tr.welcome_open_demo).clicked() {
                action = Some(Action::OpenDemo);
            }
            if ui.button(tr.quit_button).clicked() {
                action = Some(Action::Quit);
            }
        });
    });
    action
}
