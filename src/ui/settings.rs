//! The settings dialog: the interface language and theme, the cool-down's default wait, the name
//! and business that sign every draft, the reply templates (the user's own words for the drafts,
//! checked before they are saved), and where the data lives.

use egui::{Id, Modal, RichText, TextEdit, Ui};

use super::action::{Action, Command};
use super::{Strings, UiLanguage};
use crate::domain::cooldown::WaitMinutes;
use crate::domain::ledger::CostPerMinute;
use crate::domain::reply::{ReplyLanguage, ReplyTemplate, Signature, TemplateError};

/// What the dialog edits, as stored when it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsValues {
    pub wait_minutes: u32,
    pub template_en: String,
    pub template_ru: String,
    pub signature: Signature,
    /// What one support minute costs, as typed ("0.10"), and its currency ("EUR").
    pub cost_amount: String,
    pub cost_currency: String,
}

#[derive(Debug, Default)]
pub struct SettingsDialog {
    pub is_open: bool,
    values: Option<SettingsValues>,
    template_language: Option<ReplyLanguage>,
    template_error: Option<TemplateError>,
    cost_invalid: bool,
}

impl SettingsDialog {
    pub fn open(&mut self, values: SettingsValues) {
        self.is_open = true;
        self.values = Some(values);
        self.template_error = None;
        self.cost_invalid = false;
    }

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
            ui.set_width(620.0);
            super::widgets::dialog_heading_ui(ui, tr.settings_title);
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.75)
                .show(ui, |ui| {
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
                    theme_ui(ui, tr);
                    if let Some(values) = &mut self.values {
                        ui.add_space(6.0);
                        ui.label(RichText::new(tr.settings_cooldown).strong());
                        ui.horizontal(|ui| {
                            let label = ui.label(tr.settings_wait_default);
                            let response = ui
                                .add(
                                    egui::DragValue::new(&mut values.wait_minutes)
                                        .range(WaitMinutes::MIN..=WaitMinutes::MAX)
                                        .suffix(format!(" {}", tr.unit_min)),
                                )
                                .labelled_by(label.id);
                            if response.changed() {
                                action =
                                    Some(Action::Do(Command::SetWaitMinutes(values.wait_minutes)));
                            }
                        });
                        ui.add_space(6.0);
                        if let Some(signature_action) = signature_ui(ui, tr, &mut values.signature)
                        {
                            action = Some(signature_action);
                        }
                        ui.add_space(6.0);
                        if let Some(cost_action) = cost_ui(ui, tr, &mut self.cost_invalid, values) {
                            action = Some(cost_action);
                        }
                        ui.add_space(6.0);
                        if let Some(template_action) = templates_ui(
                            ui,
                            tr,
                            &mut self.template_language,
                            &mut self.template_error,
                            values,
                        ) {
                            action = Some(template_action);
                        }
                    }
                    ui.add_space(6.0);
                    ui.label(RichText::new(tr.settings_data).strong());
                    ui.add(
                        egui::Label::new(RichText::new(database).monospace())
                            .selectable(true)
                            .wrap(),
                    );
                    ui.label(RichText::new(tr.settings_data_body).small().weak());
                });
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

/// The name and business under every draft.
fn signature_ui(ui: &mut egui::Ui, tr: &Strings, signature: &mut Signature) -> Option<Action> {
    ui.label(RichText::new(tr.settings_signature).strong());
    ui.label(RichText::new(tr.settings_signature_body).small().weak());
    egui::Grid::new("signature_grid")
        .num_columns(2)
        .show(ui, |ui| {
            super::widgets::grid_singleline_ui(
                ui,
                tr.settings_signature_name,
                &mut signature.name,
                tr.settings_signature_name_hint,
            );
            super::widgets::grid_singleline_ui(
                ui,
                tr.settings_signature_business,
                &mut signature.business,
                tr.settings_signature_business_hint,
            );
        });
    ui.button(tr.settings_signature_save)
        .clicked()
        .then(|| Action::Do(Command::SaveSignature(signature.clone())))
}

/// What a support minute costs (seed 002): the ledger's allowances are counted from it.
fn cost_ui(
    ui: &mut egui::Ui,
    tr: &Strings,
    cost_invalid: &mut bool,
    values: &mut SettingsValues,
) -> Option<Action> {
    ui.label(RichText::new(tr.settings_support_cost).strong());
    for line in [
        tr.settings_support_cost_body,
        tr.settings_support_cost_example,
    ] {
        ui.label(RichText::new(line).small().weak());
    }
    ui.horizontal(|ui| {
        let amount = ui.label(tr.settings_cost_amount);
        ui.add(
            TextEdit::singleline(&mut values.cost_amount)
                .hint_text(crate::ui::widgets::hint(tr.settings_cost_amount_hint))
                .desired_width(90.0),
        )
        .labelled_by(amount.id);
        let currency = ui.label(tr.settings_cost_currency);
        ui.add(
            TextEdit::singleline(&mut values.cost_currency)
                .hint_text(crate::ui::widgets::example_hint(tr, "EUR"))
                .desired_width(50.0),
        )
        .labelled_by(currency.id);
    });
    if *cost_invalid {
        ui.colored_label(ui.visuals().error_fg_color, tr.settings_cost_invalid);
    }
    if !ui.button(tr.settings_cost_save).clicked() {
        return None;
    }
    let cost = parse_cost(&values.cost_amount, &values.cost_currency);
    *cost_invalid = cost.is_none();
    cost.map(|cost| Action::Do(Command::SaveCostPerMinute(cost)))
}

/// The cost as typed: empty is no cost (`Some(None)`); `None` when it is not understood.
fn parse_cost(amount: &str, currency: &str) -> Option<Option<CostPerMinute>> {
    if amount.trim().is_empty() {
        Some(None)
    } else {
        CostPerMinute::parse(amount, currency).map(Some)
    }
}

/// The reply templates, one per language: edited, checked before they are saved, or reset.
fn templates_ui(
    ui: &mut egui::Ui,
    tr: &Strings,
    template_language: &mut Option<ReplyLanguage>,
    template_error: &mut Option<TemplateError>,
    values: &mut SettingsValues,
) -> Option<Action> {
    let mut action = None;
    ui.label(RichText::new(tr.settings_templates).strong());
    ui.label(RichText::new(tr.settings_templates_body).small().weak());
    ui.horizontal(|ui| {
        for (option, name) in [
            (ReplyLanguage::English, tr.settings_template_en),
            (ReplyLanguage::Russian, tr.settings_template_ru),
        ] {
            if ui
                .selectable_label(*template_language == Some(option), name)
                .clicked()
            {
                *template_language = Some(option);
                *template_error = None;
            }
        }
    });
    if let Some(template_language) = *template_language {
        let text = match template_language {
            ReplyLanguage::English => &mut values.template_en,
            ReplyLanguage::Russian => &mut values.template_ru,
        };
        let label = ui.label(tr.settings_template_label);
        ui.add(
            TextEdit::multiline(text)
                .code_editor()
                .desired_rows(12)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if let Some(error) = &*template_error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("{}: {error}", tr.settings_template_invalid),
            );
        }
        ui.horizontal(|ui| {
            if ui.button(tr.settings_template_save).clicked() {
                match ReplyTemplate::parse(text) {
                    Ok(_) => {
                        *template_error = None;
                        action = Some(Action::Do(Command::SaveTemplate {
                            language: template_language,
                            text: text.clone(),
                        }));
                    }
                    Err(error) => *template_error = Some(error),
                }
            }
            if ui.button(tr.settings_template_reset).clicked() {
                *text = ReplyTemplate::builtin_text(template_language).to_owned();
                *template_error = None;
                action = Some(Action::Do(Command::ResetTemplate(template_language)));
            }
        });
    }
    action
}

/// System, light or dark, each named in words (egui's own buttons are named by their icons).
fn theme_ui(ui: &mut Ui, tr: &Strings) {
    let current = ui.ctx().options(|options| options.theme_preference);
    ui.horizontal(|ui| {
        for (preference, name) in [
            (egui::ThemePreference::System, tr.theme_system),
            (egui::ThemePreference::Light, tr.theme_light),
            (egui::ThemePreference::Dark, tr.theme_dark),
        ] {
            if ui.radio(current == preference, name).clicked() && current != preference {
                ui.ctx().set_theme(preference);
            }
        }
    });
}
