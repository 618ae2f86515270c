//! The settings dialog: the interface language, and where the data lives.

use egui::{Id, Modal, RichText};

use super::{Action, Strings, UiLanguage};

#[derive(Debug, Default)]
pub struct SettingsDialog {
    pub is_open: bool,
}

impl SettingsDialog {
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        tr: &Strings,
        language: UiLanguage,
        database: &str,
    ) -> Option<Action> {
        if !self.is_open {
            return None;
        }
        let mut action = None;
        let modal = Modal::new(Id::unique("settings")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(tr.settings_title);
            ui.add_space(6.0);
            ui.label(RichText::new(tr.settings_language).strong());
            ui.horizontal(|ui| {
                for option in UiLanguage::ALL {
                    if ui.radio(language == option, option.native_name()).clicked()
                        && language != option
                    {
                        action = Some(Action::SetLanguage(option));
                    }
                }
            });
            ui.add_space(6.0);
            ui.label(RichText::new(tr.settings_theme).strong());
            ui.label(tr.settings_theme_body);
            egui::global_theme_preference_buttons(ui);
            ui.add_space(6.0);
            ui.label(RichText::new(tr.settings_data).strong());
            ui.add(
                egui::Label::new(RichText::new(database).monospace())
                    .selectable(true)
                    .wrap(),
            );
            ui.label(RichText::new(tr.settings_data_body).small().weak());
            ui.add_space(8.0);
            if ui.button(tr.close_button).clicked() {
                self.is_open = false;
            }
        });
        if modal.should_close() {
            self.is_open = false;
        }
        action
    }
}
