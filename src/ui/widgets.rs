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
    let enabled = response.enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    response
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

/// A date picker button for a chrono date (egui_extras works on jiff dates; we convert here, at
/// the edge, and keep chrono everywhere else).
/// The button is named by `label` and the date it holds ("Date: 30 November 2026"), so a listener
/// hears which date is set.
pub fn date_picker_ui(
    ui: &mut Ui,
    tr: &Strings,
    label: &str,
    id_salt: &str,
    date: &mut NaiveDate,
) -> Response {
    let mut picked = to_jiff(*date);
    let response = ui.add(
        egui_extras::DatePickerButton::new(&mut picked)
            .id_salt(id_salt)
            .calendar_week(true)
            .format(tr.date_pattern),
    );
    if let Some(changed) = from_jiff(picked) {
        *date = changed;
    }
    let spoken = format!("{label}: {}", super::format::long_day(tr, *date));
    spoken_button_name(response, &spoken)
}

fn to_jiff(date: NaiveDate) -> jiff::civil::Date {
    let year = i16::try_from(date.year()).unwrap_or(2000);
    // Month and day always fit in i8.
    jiff::civil::Date::new(year, date.month() as i8, date.day() as i8).unwrap_or_default()
}

fn from_jiff(date: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
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

    #[test]
    fn dates_cross_the_jiff_edge_unchanged() {
        let date = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(from_jiff(to_jiff(date)), Some(date));
    }
}
