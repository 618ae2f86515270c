//! The journal-entry dialog: who spoke, over which channel, when, how long it took, and the
//! text (a pasted email of any realistic length, Russian or English).

use chrono::{DateTime, Local, Utc};
use egui::{Id, Modal, RichText, TextEdit, Ui};

use super::action::{Action, Command};
use super::client_form::{DialogResult, close_or_ask};
use super::widgets::{
    FooterChoice, date_picker_ui, error_list_ui, form_footer_ui, labelled_choice_ui,
};
use super::{Strings, format};
use crate::domain::{
    Channel, ClientId, Direction, Exchange, ExchangeFieldError, ExchangeInput, MAX_BODY_BYTES,
};

#[derive(Debug)]
pub struct ExchangeFormDialog {
    client_id: ClientId,
    client_name: String,
    /// The entry as it was when the form opened (`None`: a new entry). Saving checks that
    /// nothing changed it meanwhile.
    editing: Option<Box<Exchange>>,
    input: ExchangeInput,
    original: ExchangeInput,
    errors: Vec<ExchangeFieldError>,
    asking_to_discard: bool,
    /// The text field takes the keyboard focus once, when the dialog opens.
    focus_pending: bool,
}

impl ExchangeFormDialog {
    pub fn new_entry(client_id: ClientId, client_name: &str, now: DateTime<Utc>) -> Self {
        let input = ExchangeInput::new_at(now, &Local);
        Self {
            client_id,
            client_name: client_name.to_owned(),
            editing: None,
            original: input.clone(),
            input,
            errors: Vec::new(),
            asking_to_discard: false,
            focus_pending: true,
        }
    }

    pub fn edit(exchange: &Exchange, client_name: &str) -> Self {
        let input = ExchangeInput::from_exchange(exchange, &Local);
        Self {
            client_id: exchange.client_id,
            client_name: client_name.to_owned(),
            editing: Some(Box::new(exchange.clone())),
            original: input.clone(),
            input,
            errors: Vec::new(),
            asking_to_discard: false,
            focus_pending: true,
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, tr: &Strings) -> DialogResult {
        let mut result = DialogResult::Open;
        let max_height = ctx.content_rect().height() * 0.85;
        let modal = Modal::new(Id::unique("exchange_form")).show(ctx, |ui| {
            ui.set_width(640.0_f32.min(ctx.content_rect().width() - 48.0));
            ui.set_max_height(max_height);
            let title = if self.editing.is_some() {
                tr.edit_entry_title
            } else {
                tr.new_entry_title
            };
            super::widgets::dialog_heading_ui(ui, format!("{title} — {}", self.client_name));
            ui.add_space(6.0);
            self.fields_ui(ui, tr);
            let messages: Vec<String> = self
                .errors
                .iter()
                .map(|error| field_error_text(tr, *error))
                .collect();
            error_list_ui(ui, &messages);
            let alternative = (self.input.direction == Direction::FromClient)
                .then_some(tr.save_and_cooldown_button);
            let choice = form_footer_ui(
                ui,
                tr,
                tr.save_entry_button,
                alternative,
                &mut self.asking_to_discard,
            );
            match choice {
                FooterChoice::Save | FooterChoice::SaveAlternative => {
                    match self.input.parse(&Local) {
                        Ok(draft) => {
                            self.errors.clear();
                            result =
                                DialogResult::Submit(Box::new(Action::Do(Command::SaveExchange {
                                    original: self.editing.clone(),
                                    client_id: self.client_id,
                                    draft,
                                    then_cool_down: choice == FooterChoice::SaveAlternative,
                                })));
                        }
                        Err(errors) => self.errors = errors,
                    }
                }
                FooterChoice::Cancel => result = self.close_or_ask(),
                FooterChoice::Discard => result = DialogResult::Closed,
                FooterChoice::Nothing => {}
            }
        });
        if modal.should_close() && result == DialogResult::Open {
            result = self.close_or_ask();
        }
        result
    }

    pub fn is_dirty(&self) -> bool {
        self.input != self.original
    }

    /// Shows the "discard changes?" question (the window is being closed).
    pub fn ask_to_discard(&mut self) {
        self.asking_to_discard = true;
    }

    fn close_or_ask(&mut self) -> DialogResult {
        close_or_ask(self.is_dirty(), &mut self.asking_to_discard)
    }

    fn fields_ui(&mut self, ui: &mut Ui, tr: &Strings) {
        let input = &mut self.input;
        ui.horizontal(|ui| {
            for direction in Direction::ALL {
                ui.radio_value(
                    &mut input.direction,
                    direction,
                    format::direction(tr, direction),
                );
            }
        });
        // Channel, date and time on one line; the minutes on their own below, so no language's
        // longer words squeeze a field.
        ui.horizontal(|ui| {
            labelled_choice_ui(
                ui,
                tr.field_channel,
                "exchange_channel",
                &mut input.channel,
                &Channel::ALL,
                |channel| format::channel(tr, channel),
            );
            ui.separator();
            ui.label(tr.field_date);
            date_picker_ui(ui, tr, tr.field_date, "exchange_date", &mut input.date);
            let time_label = ui.label(tr.field_time);
            ui.add(
                TextEdit::singleline(&mut input.time)
                    .hint_text(crate::ui::widgets::example_hint(tr, "14:05"))
                    .desired_width(52.0),
            )
            .labelled_by(time_label.id);
        });
        ui.horizontal(|ui| {
            let minutes_label = ui.label(tr.field_minutes);
            ui.add(
                TextEdit::singleline(&mut input.minutes)
                    .hint_text(crate::ui::widgets::example_hint(tr, "15"))
                    .desired_width(72.0),
            )
            .labelled_by(minutes_label.id)
            .on_hover_text(tr.field_minutes_hint);
        });
        ui.add_space(4.0);
        let text_label = ui.label(tr.field_text);
        let size_text = format!(
            "{} / {}",
            format::size(tr, input.body.len() as u64),
            format::size(tr, MAX_BODY_BYTES as u64)
        );
        egui::ScrollArea::vertical()
            .max_height(ui.available_height().max(200.0) - 80.0)
            .min_scrolled_height(220.0)
            .show(ui, |ui| {
                let response = ui
                    .add(
                        TextEdit::multiline(&mut input.body)
                            .hint_text(crate::ui::widgets::hint(tr.field_text_hint))
                            .desired_rows(14)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(text_label.id);
                if std::mem::take(&mut self.focus_pending) {
                    response.request_focus();
                }
            });
        let colour = if input.body.len() > MAX_BODY_BYTES {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().weak_text_color()
        };
        ui.label(RichText::new(size_text).small().color(colour));
    }
}

pub fn field_error_text(tr: &Strings, error: ExchangeFieldError) -> String {
    match error {
        ExchangeFieldError::BodyRequired => tr.error_body_required.to_owned(),
        ExchangeFieldError::BodyTooLarge(kilobytes) => tr
            .error_body_too_large
            .replace("{size}", &format!("{kilobytes} KB")),
        ExchangeFieldError::TimeInvalid => tr.error_time.to_owned(),
        ExchangeFieldError::TimeSkipped => tr.error_time_skipped.to_owned(),
        ExchangeFieldError::MinutesInvalid => tr.error_minutes.to_owned(),
    }
}
