//! Small reusable widgets. Every text field is labelled, so screen readers (and the tests, which
//! find widgets by label) know what it is for.

use super::Strings;
use chrono::{Datelike as _, NaiveDate};
use egui::{Response, TextEdit, Ui};

/// A label and a one-line field beside it (for use inside a two-column `Grid`).
pub fn grid_singleline_ui(ui: &mut Ui, label: &str, value: &mut String, hint: &str) -> Response {
    let label_response = ui.label(label);
    let response = ui
        .add(
            TextEdit::singleline(value)
                .hint_text(self::hint(hint))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label_response.id);
    ui.end_row();
    response
}

/// A label and a multi-line field beside it (for use inside a two-column `Grid`).
pub fn grid_multiline_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    rows: usize,
) -> Response {
    let label_response = ui.label(label);
    let response = ui
        .add(
            TextEdit::multiline(value)
                .hint_text(self::hint(hint))
                .desired_rows(rows)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label_response.id);
    ui.end_row();
    response
}

/// A label and a drop-down of the values of a small enum, linked for screen readers.
pub fn labelled_choice_ui<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    id_salt: &str,
    value: &mut T,
    options: &[T],
    name: impl Fn(T) -> &'static str,
) -> Response {
    let label_response = ui.label(label);
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(name(*value))
        .show_ui(ui, |ui| {
            for option in options {
                if combo_option_ui(ui, *value == *option, name(*option)).clicked() {
                    *value = *option;
                }
            }
        })
        .response
        .labelled_by(label_response.id)
}

/// One option in a combo box's list. Picking it closes the list, also when a screen reader picks
/// it (egui closes the list on a pointer click only, so it stayed open after an AT-SPI "click").
pub fn combo_option_ui(ui: &mut Ui, selected: bool, text: impl Into<egui::WidgetText>) -> Response {
    let response = ui.selectable_label(selected, text);
    if response.clicked() {
        ui.close();
    }
    response
}

/// A field's hint, drawn so it cannot pass for a value already typed: lighter (egui's hint
/// colour) and in italics.
pub fn hint(text: &str) -> egui::RichText {
    egui::RichText::new(text).italics()
}

/// A hint that shows the expected form by example: "e.g. 1500.00" / «напр. 1500.00».
pub fn example_hint(tr: &Strings, example: &str) -> egui::RichText {
    hint(&super::strings::fill(
        tr.example_hint,
        &[("example", example)],
    ))
}

/// Gives a button the name a screen reader says when its visible text alone would not tell it
/// apart: an icon, or one of several "Does not apply…" buttons on one screen. The eye still sees
/// the short text.
pub fn spoken_button_name(response: Response, name: &str) -> Response {
    spoken_name(&response, egui::Role::Button, name);
    response
}

/// Sets the name a screen reader says for a widget of `role`, keeping the value it already says.
fn spoken_name(response: &Response, role: egui::Role, name: &str) {
    let enabled = response.enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(role, enabled, name));
}

/// A dialog's heading, which also names the dialog for a screen reader (egui's modals have no
/// name of their own): the listener hears "New client, dialog", not "dialog".
pub fn dialog_heading_ui(ui: &mut Ui, heading: impl Into<egui::RichText>) -> Response {
    let heading: egui::RichText = heading.into();
    let name = heading.text().to_owned();
    let response = ui.heading(heading);
    let dialog = ui
        .stack()
        .iter()
        .find(|frame| frame.kind() == Some(egui::UiKind::Modal))
        .map(|frame| frame.unique_id);
    if let Some(dialog) = dialog {
        ui.ctx()
            .accesskit_node_builder(dialog, |node| node.set_label(name));
    }
    response
}

/// How heated the user feels, 0 to 10: the slider is named by its question (`label`) alone, and
/// the scale is said beside it, so a listener hears the question, then the value.
pub fn feeling_slider_ui(ui: &mut Ui, tr: &Strings, level: &mut u8, label: egui::Id) -> Response {
    ui.horizontal(|ui| {
        let slider = ui
            .add(egui::Slider::new(level, 0..=10).show_value(false))
            .labelled_by(label);
        ui.label(format!("{level}"));
        ui.label(egui::RichText::new(tr.feeling_scale).weak());
        slider
    })
    .inner
}

/// A date as three parts a screen reader can name and set one by one: the day and the year as
/// numbers, the month by its name in the interface's language ("Date: day", "Date: month",
/// "Date: year"), in the order the language writes a date. (egui_extras' date picker popup had
/// unnamed year, month and day boxes and buttons named "<<" and "‹".) A day past the end of the
/// month is brought back to its last day.
pub fn date_picker_ui(
    ui: &mut Ui,
    tr: &Strings,
    label: &str,
    id_salt: &str,
    date: &mut NaiveDate,
) -> Response {
    let mut day = date.day();
    let mut month = date.month();
    let mut year = date.year();
    let response = ui
        .horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            let day_ui = |ui: &mut Ui, day: &mut u32| {
                let response = ui.add(egui::DragValue::new(day).range(1..=31).speed(0.2));
                name_part(&response, egui::Role::SpinButton, label, tr.date_day);
            };
            let month_ui = |ui: &mut Ui, month: &mut u32| {
                let response = egui::ComboBox::from_id_salt((id_salt, "month"))
                    .selected_text(tr.month_name(*month))
                    .width(110.0)
                    .show_ui(ui, |ui| {
                        for index in 1..=12 {
                            let name = tr.month_name(index);
                            if combo_option_ui(ui, *month == index, name).clicked() {
                                *month = index;
                            }
                        }
                    })
                    .response;
                name_part(&response, egui::Role::ComboBox, label, tr.date_month);
            };
            day_ui(ui, &mut day);
            month_ui(ui, &mut month);
            let response = ui.add(
                egui::DragValue::new(&mut year)
                    .range(1970..=2100)
                    .speed(0.1),
            );
            name_part(&response, egui::Role::SpinButton, label, tr.date_year);
        })
        .response;
    if let Some(picked) = valid_day(year, month, day)
        && picked != *date
    {
        *date = picked;
    }
    response
}

/// Names one part of a date for a screen reader ("Date: month"), keeping the value it says.
fn name_part(response: &Response, role: egui::Role, label: &str, part: &str) {
    spoken_name(response, role, &format!("{label}: {part}"));
}

/// The date, or the month's last day when the day is past it (31 February → 28 or 29).
fn valid_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    (1..=day)
        .rev()
        .find_map(|day| NaiveDate::from_ymd_opt(year, month, day))
}

/// A text field's own copy of a text the domain owns. egui edits a `String` in place; the
/// domain's value changes only through its rules. So the field keeps this copy, follows the
/// domain's value whenever it changes there (a rebuilt draft, a refused edit), and hands over what
/// the user typed as the new value to ask for.
#[derive(Debug, Default)]
pub struct SyncedText {
    text: String,
    /// The domain's value this copy last followed or handed over.
    seen: String,
}

impl SyncedText {
    /// Takes the domain's value if it changed since last seen.
    pub fn follow(&mut self, value: &str) {
        if self.seen != value {
            value.clone_into(&mut self.text);
            value.clone_into(&mut self.seen);
        }
    }

    pub fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }

    /// What the user typed, to ask the domain for; remembered as seen.
    pub fn take_edit(&mut self) -> String {
        self.seen.clone_from(&self.text);
        self.text.clone()
    }
}

/// What the footer of a form dialog was asked for this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FooterChoice {
    Nothing,
    Save,
    /// The second save button, when the dialog has one ("Save and cool down").
    SaveAlternative,
    Cancel,
    Discard,
}

/// The footer of a form dialog: Save and Cancel, or — once the user cancelled a changed form —
/// the "discard changes?" question with its two answers. `asking_to_discard` is the dialog's flag.
pub fn form_footer_ui(
    ui: &mut Ui,
    tr: &super::Strings,
    save_label: &str,
    alternative_label: Option<&str>,
    asking_to_discard: &mut bool,
) -> FooterChoice {
    let mut choice = FooterChoice::Nothing;
    ui.separator();
    if *asking_to_discard {
        ui.label(tr.discard_changes_question);
        ui.horizontal(|ui| {
            if ui.button(tr.discard_button).clicked() {
                choice = FooterChoice::Discard;
            }
            if ui.button(tr.keep_editing_button).clicked() {
                *asking_to_discard = false;
            }
        });
    } else {
        ui.horizontal(|ui| {
            if ui
                .button(egui::RichText::new(save_label).strong())
                .clicked()
            {
                choice = FooterChoice::Save;
            }
            if let Some(label) = alternative_label
                && ui.button(label).clicked()
            {
                choice = FooterChoice::SaveAlternative;
            }
            if ui.button(tr.cancel_button).clicked() {
                choice = FooterChoice::Cancel;
            }
        });
    }
    choice
}

/// Errors under a form, one per line, in the error colour.
pub fn error_list_ui(ui: &mut Ui, messages: &[String]) {
    for message in messages {
        ui.colored_label(ui.visuals().error_fg_color, format!("• {message}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synced_field_follows_the_domain_and_hands_over_typing() {
        let mut field = SyncedText::default();
        field.follow("draft one");
        assert_eq!(field.text_mut(), "draft one");
        field.text_mut().push_str(" and more");
        assert_eq!(field.take_edit(), "draft one and more");
        // The domain accepted it: nothing to follow.
        field.follow("draft one and more");
        assert_eq!(field.text_mut(), "draft one and more");
        // The domain refused it or rebuilt the draft: the field shows the domain's value.
        field.follow("rebuilt");
        assert_eq!(field.text_mut(), "rebuilt");
    }
}

#[cfg(test)]
mod date_tests {
    use super::valid_day;
    use chrono::NaiveDate;

    #[test]
    fn a_day_past_the_end_of_its_month_becomes_the_last_day() {
        assert_eq!(valid_day(2026, 2, 31), NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(valid_day(2028, 2, 30), NaiveDate::from_ymd_opt(2028, 2, 29));
        assert_eq!(
            valid_day(2026, 11, 31),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
        assert_eq!(
            valid_day(2026, 12, 31),
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );
    }
}
