//! The right panel: the selected client's contract and status, with the buttons that change it,
//! and the client's history. Ending a client asks for a reason, which is kept with the client as
//! the record of why; a client set to end on a later day (the notice period) says so.

use egui::{Id, Modal, RichText, TextEdit, Ui};

use super::action::{Action, Command};
use super::strings::fill;
use super::{Strings, format};
use crate::domain::history::{ClientEvent, HistoryEntry};
use crate::domain::overview::CoolDownSummary;
use crate::domain::{Client, ClientStatus, StatusChange};

#[derive(Debug, Default)]
pub struct DetailsView {
    ending: Option<EndDialog>,
}

#[derive(Debug, Default)]
struct EndDialog {
    reason: String,
    show_reason_required: bool,
}

impl DetailsView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        client: &Client,
        open_cooldowns: &[CoolDownSummary],
        history: &[HistoryEntry],
        over_allowance_by: Option<u64>,
    ) -> Option<Action> {
        let mut action = None;
        let client_id = client.client_id;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(tr.details_heading);
                ui.add_space(4.0);
                summary_ui(ui, tr, client);
                if let Some(minutes) = over_allowance_by {
                    let text = fill(
                        tr.details_over_allowance,
                        &[("minutes", &format::minutes(tr, minutes))],
                    );
                    ui.label(RichText::new(text).color(ui.visuals().warn_fg_color));
                }

                ui.add_space(6.0);
                if let Some(button) = self.status_buttons_ui(ui, tr, client) {
                    action = Some(button);
                }
                for summary in open_cooldowns
                    .iter()
                    .filter(|summary| summary.client_id == client_id)
                {
                    let text = format!(
                        "❄ {} — {}",
                        tr.cooldown_resume,
                        super::cooldown::step_name(tr, summary.step)
                    );
                    if ui.button(text).clicked() {
                        action = Some(Action::Do(Command::OpenCoolDown(summary.cooldown_id)));
                    }
                }

                ui.add_space(8.0);
                ui.separator();
                contract_ui(ui, tr, client);
                if !client.notes.is_empty() {
                    ui.separator();
                    ui.label(RichText::new(tr.field_notes).strong());
                    ui.add(egui::Label::new(&client.notes).selectable(true).wrap());
                }
                if !history.is_empty() {
                    ui.separator();
                    history_ui(ui, tr, history);
                }
                ui.separator();
                if let Some(export) = export_ui(ui, tr, client_id) {
                    action = Some(export);
                }
            });

        if let Some(end_action) = self.end_dialog_ui(ui.ctx(), tr, client) {
            action = Some(end_action);
        }
        action
    }

    /// Edit, pause or resume, end (or call off a scheduled end), reopen.
    fn status_buttons_ui(&mut self, ui: &mut Ui, tr: &Strings, client: &Client) -> Option<Action> {
        let client_id = client.client_id;
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr.edit_client_button).clicked() {
                action = Some(Action::EditClient(client_id));
            }
            match client.status {
                ClientStatus::Active => {
                    if ui
                        .button(tr.pause_client_button)
                        .on_hover_text(tr.pause_client_hint)
                        .clicked()
                    {
                        action = Some(Action::Do(Command::ChangeStatus {
                            client_id,
                            change: StatusChange::Pause,
                        }));
                    }
                }
                ClientStatus::Paused => {
                    if ui.button(tr.resume_client_button).clicked() {
                        action = Some(Action::Do(Command::ChangeStatus {
                            client_id,
                            change: StatusChange::Resume,
                        }));
                    }
                }
                ClientStatus::Ended => {
                    if ui.button(tr.reopen_client_button).clicked() {
                        action = Some(Action::Do(Command::ChangeStatus {
                            client_id,
                            change: StatusChange::Reopen,
                        }));
                    }
                }
            }
            if client.scheduled_end.is_some() {
                if ui.button(tr.cancel_end_button).clicked() {
                    action = Some(Action::Do(Command::ChangeStatus {
                        client_id,
                        change: StatusChange::CancelEnd,
                    }));
                }
            } else if client.status != ClientStatus::Ended
                && ui.button(tr.end_client_button).clicked()
            {
                self.ending = Some(EndDialog::default());
            }
        });
        action
    }

    fn end_dialog_ui(
        &mut self,
        ctx: &egui::Context,
        tr: &Strings,
        client: &Client,
    ) -> Option<Action> {
        let dialog = self.ending.as_mut()?;
        let mut action = None;
        let mut close = false;
        let modal = Modal::new(Id::unique("end_client")).show(ctx, |ui| {
            ui.set_width(440.0);
            super::widgets::dialog_heading_ui(
                ui,
                format!("{} — {}", tr.end_client_title, client.name),
            );
            ui.label(tr.end_client_body);
            ui.add_space(6.0);
            let reason_label = ui.label(tr.end_reason_label);
            ui.add(
                TextEdit::multiline(&mut dialog.reason)
                    .hint_text(crate::ui::widgets::hint(tr.end_reason_hint))
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(reason_label.id);
            if dialog.show_reason_required {
                ui.colored_label(ui.visuals().error_fg_color, tr.error_end_reason_required);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(tr.end_confirm_button).strong())
                    .clicked()
                {
                    let change = StatusChange::End {
                        reason: dialog.reason.clone(),
                    };
                    if change.apply(client.status).is_ok() {
                        action = Some(Action::Do(Command::ChangeStatus {
                            client_id: client.client_id,
                            change,
                        }));
                        close = true;
                    } else {
                        dialog.show_reason_required = true;
                    }
                }
                if ui.button(tr.cancel_button).clicked() {
                    close = true;
                }
            });
        });
        if close || (modal.should_close() && dialog.reason.trim().is_empty()) {
            self.ending = None;
        }
        action
    }
}

/// Who the client is and where the relationship stands.
fn summary_ui(ui: &mut Ui, tr: &Strings, client: &Client) {
    ui.label(RichText::new(&client.name).strong().size(16.0));
    if !client.contact.is_empty() {
        ui.add(egui::Label::new(&client.contact).selectable(true));
    }
    if !client.contact_person.is_empty() {
        ui.label(format!(
            "{}: {}",
            tr.field_contact_person, client.contact_person
        ));
    }
    ui.label(format!(
        "{}: {}",
        tr.field_status,
        format::status(tr, client.status)
    ));
    if let Some(ending) = &client.ending {
        ui.label(
            RichText::new(format!(
                "{} {} — {}",
                tr.ended_on,
                format::date(tr, ending.at),
                ending.reason
            ))
            .italics(),
        );
    }
    if let Some(end) = &client.scheduled_end {
        ui.label(
            RichText::new(fill(
                tr.client_ending_on,
                &[("date", &format::day(tr, end.on))],
            ))
            .strong(),
        );
        if !end.reason.is_empty() {
            ui.label(RichText::new(&end.reason).italics());
        }
    }
    ui.label(format!(
        "{}: {}",
        tr.field_kind,
        format::kind(tr, client.kind)
    ))
    .on_hover_text(format::kind_explanation(tr, client.kind));
    let fee_text = match client.fee {
        Some(fee) => format!(
            "{fee} / {}",
            format::billing_period(tr, client.billing_period)
        ),
        None => tr.not_set.to_owned(),
    };
    ui.label(format!("{}: {fee_text}", tr.field_fee));
}

/// The contract's reference and key clauses, as the replies cite them.
fn contract_ui(ui: &mut Ui, tr: &Strings, client: &Client) {
    ui.label(RichText::new(tr.contract_heading).strong());
    clause_ui(
        ui,
        tr,
        tr.field_contract_reference,
        &client.contract.reference,
    );
    clause_ui(ui, tr, tr.field_scope, &client.contract.scope);
    clause_ui(ui, tr, tr.field_terms, &client.contract.terms);
    clause_ui(ui, tr, tr.field_refund, &client.contract.refund);
    clause_ui(ui, tr, tr.field_termination, &client.contract.termination);
    let notice = client
        .contract
        .notice_period_days
        .map(|days| tr.count(tr.days_count, u64::from(days)))
        .unwrap_or_default();
    clause_ui(ui, tr, tr.field_notice_days, &notice);
}

fn clause_ui(ui: &mut Ui, tr: &Strings, label: &str, text: &str) {
    ui.add_space(4.0);
    ui.label(RichText::new(label).small().weak());
    if text.trim().is_empty() {
        ui.label(RichText::new(tr.not_set).italics().weak());
    } else {
        ui.add(egui::Label::new(text).selectable(true).wrap());
    }
}

/// What changed about the client, newest first: kinds, statuses, scheduled ends, with why.
fn history_ui(ui: &mut Ui, tr: &Strings, history: &[HistoryEntry]) {
    ui.label(RichText::new(tr.history_heading).strong());
    for entry in history {
        let when = format::date(tr, entry.at);
        let text = match &entry.event {
            ClientEvent::KindChanged { from, to } => fill(
                tr.history_kind,
                &[
                    ("from", format::kind(tr, *from)),
                    ("to", format::kind(tr, *to)),
                ],
            ),
            ClientEvent::StatusChanged { from, to, reason } => {
                let mut text = fill(
                    tr.history_status,
                    &[
                        ("from", format::status(tr, *from)),
                        ("to", format::status(tr, *to)),
                    ],
                );
                if !reason.is_empty() {
                    text = format!("{text} — {reason}");
                }
                text
            }
            ClientEvent::EndScheduled { on, reason } => {
                let text = fill(tr.history_end_scheduled, &[("date", &format::day(tr, *on))]);
                if reason.is_empty() {
                    text
                } else {
                    format!("{text} — {reason}")
                }
            }
            ClientEvent::EndCancelled { on } => {
                fill(tr.history_end_cancelled, &[("date", &format::day(tr, *on))])
            }
        };
        ui.label(RichText::new(format!("{when} · {text}")).small());
    }
}

/// "Export the record…": the journal as a document for a dispute, in either format.
fn export_ui(ui: &mut Ui, tr: &Strings, client_id: crate::domain::ClientId) -> Option<Action> {
    use crate::domain::export::DocumentFormat;
    let mut action = None;
    ui.label(RichText::new(tr.export_record_button).strong())
        .on_hover_text(tr.export_record_hint);
    ui.horizontal_wrapped(|ui| {
        for (format, name) in [
            (DocumentFormat::Html, tr.export_record_html),
            (DocumentFormat::Markdown, tr.export_record_markdown),
        ] {
            if ui
                .button(name)
                .on_hover_text(tr.export_record_hint)
                .clicked()
            {
                action = Some(Action::ChooseRecordFile { client_id, format });
            }
        }
    });
    action
}
