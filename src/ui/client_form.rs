//! The client dialog: name, contact, the contract's clauses, fee, and the user's judgement of
//! the client. Parsed by the domain on Save; problems are listed in words, all at once.

use egui::{Id, Modal, RichText, TextEdit, Ui};

use super::action::{Action, Command};
use super::widgets::{
    FooterChoice, error_list_ui, form_footer_ui, grid_multiline_ui, grid_singleline_ui,
    labelled_choice_ui,
};
use super::{Strings, format};
use crate::domain::client::ClientFieldError;
use crate::domain::money::{AmountError, COMMON_CURRENCIES};
use crate::domain::{BillingPeriod, Client, ClientInput, ClientKind};

/// What a dialog wants after a frame.
#[must_use]
#[derive(Debug, PartialEq)]
pub enum DialogResult {
    Open,
    Closed,
    Submit(Box<Action>),
}

/// Cancel, Esc or a click outside a form dialog: close at once when nothing was changed,
/// otherwise ask before discarding what was typed.
pub(super) fn close_or_ask(is_dirty: bool, asking_to_discard: &mut bool) -> DialogResult {
    if is_dirty {
        *asking_to_discard = true;
        DialogResult::Open
    } else {
        DialogResult::Closed
    }
}

#[derive(Debug)]
pub struct ClientFormDialog {
    /// The client as it was when the form opened (`None`: a new client). Saving checks that
    /// nothing changed it meanwhile.
    editing: Option<Box<Client>>,
    input: ClientInput,
    original: ClientInput,
    errors: Vec<ClientFieldError>,
    asking_to_discard: bool,
    /// The name field takes the keyboard focus once, when the dialog opens.
    focus_pending: bool,
}

impl ClientFormDialog {
    pub fn new_client() -> Self {
        let input = ClientInput::default();
        Self {
            editing: None,
            original: input.clone(),
            input,
            errors: Vec::new(),
            asking_to_discard: false,
            focus_pending: true,
        }
    }

    pub fn edit(client: &Client) -> Self {
        let input = ClientInput::from_client(client);
        Self {
            editing: Some(Box::new(client.clone())),
            original: input.clone(),
            input,
            errors: Vec::new(),
            asking_to_discard: false,
            focus_pending: true,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.input != self.original
    }

    /// Shows the "discard changes?" question (the window is being closed).
    pub fn ask_to_discard(&mut self) {
        self.asking_to_discard = true;
    }

    pub fn ui(&mut self, ctx: &egui::Context, tr: &Strings) -> DialogResult {
        let mut result = DialogResult::Open;
        let modal = Modal::new(Id::unique("client_form")).show(ctx, |ui| {
            ui.set_width(560.0);
            super::widgets::dialog_heading_ui(
                ui,
                if self.editing.is_some() {
                    tr.edit_client_title
                } else {
                    tr.new_client_title
                },
            );
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .max_height(ui.ctx().content_rect().height() * 0.7)
                .show(ui, |ui| {
                    self.fields_ui(ui, tr);
                });
            ui.add_space(6.0);
            let messages: Vec<String> = self
                .errors
                .iter()
                .map(|error| field_error_text(tr, *error))
                .collect();
            error_list_ui(ui, &messages);
            match form_footer_ui(ui, tr, tr.save_button, None, &mut self.asking_to_discard) {
                FooterChoice::Save | FooterChoice::SaveAlternative => match self.input.parse() {
                    Ok(draft) => {
                        self.errors.clear();
                        result = DialogResult::Submit(Box::new(Action::Do(Command::SaveClient {
                            original: self.editing.clone(),
                            draft: Box::new(draft),
                        })));
                    }
                    Err(errors) => self.errors = errors,
                },
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

    fn close_or_ask(&mut self) -> DialogResult {
        close_or_ask(self.is_dirty(), &mut self.asking_to_discard)
    }

    fn fields_ui(&mut self, ui: &mut Ui, tr: &Strings) {
        let input = &mut self.input;
        egui::Grid::new("client_form_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .striped(false)
            .show(ui, |ui| {
                let name =
                    grid_singleline_ui(ui, tr.field_name, &mut input.name, tr.field_name_hint);
                if std::mem::take(&mut self.focus_pending) {
                    name.request_focus();
                }
                grid_singleline_ui(
                    ui,
                    tr.field_contact_person,
                    &mut input.contact_person,
                    tr.field_contact_person_hint,
                );
                grid_singleline_ui(
                    ui,
                    tr.field_contact,
                    &mut input.contact,
                    tr.field_contact_hint,
                );
                grid_singleline_ui(
                    ui,
                    tr.field_contract_reference,
                    &mut input.contract_reference,
                    tr.field_contract_reference_hint,
                );
                grid_multiline_ui(ui, tr.field_scope, &mut input.scope, tr.field_scope_hint, 2);
                grid_multiline_ui(ui, tr.field_terms, &mut input.terms, tr.field_terms_hint, 2);
                grid_multiline_ui(
                    ui,
                    tr.field_refund,
                    &mut input.refund,
                    tr.field_refund_hint,
                    2,
                );
                grid_multiline_ui(
                    ui,
                    tr.field_termination,
                    &mut input.termination,
                    tr.field_termination_hint,
                    2,
                );
                grid_singleline_ui(
                    ui,
                    tr.field_notice_days,
                    &mut input.notice_period_days,
                    "14",
                );

                fee_row_ui(ui, tr, input);
                included_support_row_ui(ui, tr, input);
                kind_row_ui(ui, tr, input);
                grid_multiline_ui(ui, tr.field_notes, &mut input.notes, tr.field_notes_hint, 3);
            });
    }
}

/// The fee, its currency and what it pays for, on one grid row.
fn fee_row_ui(ui: &mut Ui, tr: &Strings, input: &mut ClientInput) {
    let fee_label = ui.label(tr.field_fee);
    ui.horizontal(|ui| {
        ui.add(
            TextEdit::singleline(&mut input.fee)
                .hint_text(crate::ui::widgets::example_hint(tr, "1500.00"))
                .desired_width(120.0),
        )
        .labelled_by(fee_label.id);
        let currency_label = ui.label(tr.field_currency);
        ui.add(
            TextEdit::singleline(&mut input.currency)
                .hint_text(crate::ui::widgets::example_hint(tr, "EUR"))
                .desired_width(48.0),
        )
        .labelled_by(currency_label.id);
        let picked = COMMON_CURRENCIES
            .iter()
            .find(|code| input.currency.trim().eq_ignore_ascii_case(code))
            .copied()
            .unwrap_or("…");
        egui::ComboBox::from_id_salt("currency_pick")
            .selected_text(picked)
            .width(44.0)
            .show_ui(ui, |ui| {
                for code in COMMON_CURRENCIES {
                    if super::widgets::combo_option_ui(
                        ui,
                        input.currency.eq_ignore_ascii_case(code),
                        code,
                    )
                    .clicked()
                    {
                        input.currency = code.to_owned();
                    }
                }
            })
            .response
            .on_hover_text(tr.field_currency_pick);
        labelled_choice_ui(
            ui,
            tr.field_per,
            "billing_period",
            &mut input.billing_period,
            &BillingPeriod::ALL,
            |period| format::billing_period(tr, period),
        );
    });
    ui.end_row();
}

/// The support a subscription includes each month, when the user says so (seed 002).
fn included_support_row_ui(ui: &mut Ui, tr: &Strings, input: &mut ClientInput) {
    let label = ui.label(tr.field_included_support);
    ui.vertical(|ui| {
        if input.billing_period.months().is_some() {
            ui.add(
                TextEdit::singleline(&mut input.included_support)
                    .hint_text(crate::ui::widgets::hint(tr.field_included_support_hint))
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
            ui.label(RichText::new(tr.field_included_support_note).small().weak());
        } else {
            ui.label(RichText::new(tr.field_included_support_none).small().weak());
        }
    });
    ui.end_row();
}

/// The kind of client (seed 000) with its explanation, on one grid row.
fn kind_row_ui(ui: &mut Ui, tr: &Strings, input: &mut ClientInput) {
    let kind_label = ui.label(tr.field_kind);
    ui.vertical(|ui| {
        egui::ComboBox::from_id_salt("client_kind")
            .selected_text(format::kind(tr, input.kind))
            .width(260.0)
            .show_ui(ui, |ui| {
                for kind in std::iter::once(None).chain(ClientKind::ALL.map(Some)) {
                    let chosen = input.kind == kind;
                    if super::widgets::combo_option_ui(ui, chosen, format::kind(tr, kind))
                        .on_hover_text(format::kind_explanation(tr, kind))
                        .clicked()
                    {
                        input.kind = kind;
                    }
                }
            })
            .response
            .labelled_by(kind_label.id);
        ui.label(
            RichText::new(format::kind_explanation(tr, input.kind))
                .small()
                .weak(),
        );
    });
    ui.end_row();
}

pub fn field_error_text(tr: &Strings, error: ClientFieldError) -> String {
    match error {
        ClientFieldError::NameRequired => tr.error_name_required.to_owned(),
        ClientFieldError::NameTooLong => tr.error_name_too_long.to_owned(),
        ClientFieldError::ContactPersonTooLong => tr.error_contact_person_too_long.to_owned(),
        ClientFieldError::Fee(AmountError::NotANumber) => tr.error_fee_not_a_number.to_owned(),
        ClientFieldError::Fee(AmountError::Negative) => tr.error_fee_negative.to_owned(),
        ClientFieldError::Fee(AmountError::TooLarge) => tr.error_fee_too_large.to_owned(),
        ClientFieldError::CurrencyInvalid => tr.error_currency.to_owned(),
        ClientFieldError::NoticeNotANumber => tr.error_notice.to_owned(),
        ClientFieldError::IncludedSupportInvalid => tr.error_included_support.to_owned(),
        ClientFieldError::TextTooLong => tr.error_client_text_too_long.to_owned(),
    }
}
