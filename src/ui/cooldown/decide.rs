//! Step 5, Decide: continue, pause, or part ways — with the evidence from the journal, and, when
//! parting, the offboarding runbook (termination clause and notice, refund, billing, hand-over,
//! final invoice, a polite closing letter, the journal exported as a record, ending the client).

use chrono::{DateTime, Local, Utc};
use egui::{RichText, TextEdit, Ui};

use super::CoolDownAction;
use crate::domain::cooldown::{CoolDown, Decision, Feeling};
use crate::domain::partways::{Evidence, OffboardingTask, Trend};
use crate::domain::reply::compose_closing_letter;
use crate::domain::{Client, ClientStatus};
use crate::ui::Strings;

/// What the Decide step shows besides the session.
#[derive(Clone, Copy)]
pub struct DecideContext<'a> {
    pub client: &'a Client,
    pub evidence: Option<&'a Evidence>,
    /// Where the last export went.
    pub export_note: Option<&'a str>,
    pub now: DateTime<Utc>,
    pub templates: &'a super::reply::Templates,
}

#[derive(Debug, Default)]
pub struct DecideState {
    closing_letter: String,
    end_reason: String,
}

impl DecideState {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        session: &mut CoolDown,
        context: &DecideContext<'_>,
    ) -> Option<CoolDownAction> {
        let evidence = context.evidence;
        let mut action = None;
        ui.add_space(8.0);
        ui.label(RichText::new(tr.decide_title).size(20.0));
        if let Some(evidence) = evidence {
            evidence_ui(ui, tr, evidence);
        }

        ui.add_space(8.0);
        let feeling_label = ui.label(tr.feeling_after_label);
        let mut level = session.feeling_after.map_or(5, Feeling::get);
        if ui
            .add(egui::Slider::new(&mut level, 0..=10).text(tr.feeling_scale))
            .labelled_by(feeling_label.id)
            .changed()
        {
            session.feeling_after = Feeling::new(level);
            action = Some(CoolDownAction::Save);
        }
        if let Some(before) = session.feeling_before {
            ui.label(
                RichText::new(format!("{} {}", tr.feeling_before_was, before.get()))
                    .small()
                    .weak(),
            );
        }

        ui.add_space(8.0);
        ui.label(RichText::new(tr.decide_question).strong());
        for (decision, name) in [
            (Decision::Continue, tr.decide_continue),
            (Decision::Pause, tr.decide_pause),
            (Decision::PartWays, tr.decide_part_ways),
        ] {
            if ui.radio(session.decision == Some(decision), name).clicked()
                && session.decision != Some(decision)
            {
                session.decision = Some(decision);
                action = Some(CoolDownAction::Save);
            }
        }

        if session.decision == Some(Decision::PartWays)
            && let Some(part_action) = self.part_ways_ui(ui, tr, session, context)
        {
            action = Some(part_action);
        }
        action
    }

    fn part_ways_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        session: &mut CoolDown,
        context: &DecideContext<'_>,
    ) -> Option<CoolDownAction> {
        let DecideContext {
            client,
            export_note,
            now,
            templates,
            ..
        } = *context;
        let mut action = None;
        ui.add_space(8.0);
        ui.label(RichText::new(tr.offboarding_title).strong());
        for task in OffboardingTask::ALL {
            if task == OffboardingTask::EndClient {
                continue;
            }
            let mut is_done = session.offboarding.is_done(task);
            if ui.checkbox(&mut is_done, task_name(tr, task)).changed() {
                session.offboarding.set_done(task, is_done);
                action = Some(CoolDownAction::Save);
            }
            let detail = match task {
                OffboardingTask::CheckTermination => {
                    let notice = client
                        .contract
                        .notice_period_days
                        .map(|days| format!("{}: {days} {}. ", tr.field_notice_days, tr.unit_days))
                        .unwrap_or_default();
                    let clause = if client.contract.termination.is_empty() {
                        tr.not_set
                    } else {
                        &client.contract.termination
                    };
                    Some(format!("{notice}{clause}"))
                }
                OffboardingTask::RefundUnused => {
                    (!client.contract.refund.is_empty()).then(|| client.contract.refund.clone())
                }
                _ => None,
            };
            if let Some(detail) = detail {
                ui.indent(("detail", task as u8), |ui| {
                    ui.label(RichText::new(detail).small().weak())
                });
            }
            if task == OffboardingTask::ClosingLetter {
                ui.indent("closing_letter", |ui| {
                    if ui.button(tr.closing_letter_draft).clicked() {
                        let language =
                            super::reply::reply_language(session, session.facts.language);
                        let today = now.with_timezone(&Local).date_naive();
                        self.closing_letter = compose_closing_letter(
                            templates.get(language),
                            &client.name,
                            &client.contract,
                            today,
                        );
                    }
                    if !self.closing_letter.is_empty() {
                        let label = ui.label(tr.closing_letter_label);
                        ui.add(
                            TextEdit::multiline(&mut self.closing_letter)
                                .desired_rows(8)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                        if ui.button(tr.closing_letter_copy).clicked() {
                            ui.ctx().copy_text(self.closing_letter.clone());
                        }
                    }
                });
            }
            if task == OffboardingTask::ExportJournal {
                ui.indent("export", |ui| {
                    if ui.button(tr.export_button).clicked() {
                        action = Some(CoolDownAction::ExportJournal);
                    }
                    if let Some(note) = export_note {
                        ui.label(RichText::new(note).small());
                    }
                });
            }
        }
        ui.add_space(6.0);
        if client.status == ClientStatus::Ended {
            ui.label(RichText::new(tr.status_client_ended).italics());
            return action;
        }
        let reason_label = ui.label(tr.end_reason_label);
        if self.end_reason.is_empty() {
            self.end_reason = tr.end_reason_after_cooldown.to_owned();
        }
        ui.add(TextEdit::singleline(&mut self.end_reason).desired_width(f32::INFINITY))
            .labelled_by(reason_label.id);
        let is_ready = session.offboarding.is_ready_to_end();
        let button = ui.add_enabled(
            is_ready,
            egui::Button::new(RichText::new(tr.end_confirm_button).strong()),
        );
        if !is_ready {
            ui.label(RichText::new(tr.offboarding_not_ready).small().weak());
        }
        if button.clicked() && !self.end_reason.trim().is_empty() {
            session
                .offboarding
                .set_done(OffboardingTask::EndClient, true);
            action = Some(CoolDownAction::EndClient(self.end_reason.clone()));
        }
        action
    }
}

fn evidence_ui(ui: &mut Ui, tr: &Strings, evidence: &Evidence) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(tr.evidence_title).strong());
        let fill = |template: &str, value: usize| {
            crate::ui::strings::fill(template, &[("n", &value.to_string())])
        };
        ui.label(fill(tr.evidence_messages, evidence.messages_from_client));
        ui.label(crate::ui::strings::fill(
            tr.evidence_crossed,
            &[
                ("n", &evidence.messages_crossing_line.to_string()),
                ("threats", &evidence.threats.to_string()),
                ("insults", &evidence.insults.to_string()),
            ],
        ));
        if evidence.pressure_items.is_empty() {
            ui.label(tr.evidence_no_pressure);
        } else {
            let items: Vec<String> = evidence
                .pressure_items
                .iter()
                .map(|(item, count)| format!("{} ×{count}", super::facts::item_name(tr, *item)))
                .collect();
            ui.label(format!("{} {}", tr.evidence_pressure, items.join(", ")));
        }
        if !evidence.legitimate_items.is_empty() {
            let items: Vec<String> = evidence
                .legitimate_items
                .iter()
                .map(|(item, count)| format!("{} ×{count}", super::facts::item_name(tr, *item)))
                .collect();
            ui.label(format!("{} {}", tr.evidence_legitimate, items.join(", ")));
        }
        ui.label(fill(tr.evidence_cooldowns, evidence.cooldowns));
        let trend = match evidence.trend {
            Trend::Rising => tr.trend_rising,
            Trend::Steady => tr.trend_steady,
            Trend::Falling => tr.trend_falling,
            Trend::TooFew => tr.trend_too_few,
        };
        ui.label(format!("{} {trend}", tr.evidence_trend));
    });
}

fn task_name(tr: &Strings, task: OffboardingTask) -> &'static str {
    match task {
        OffboardingTask::CheckTermination => tr.task_check_termination,
        OffboardingTask::RefundUnused => tr.task_refund_unused,
        OffboardingTask::StopRecurringBilling => tr.task_stop_billing,
        OffboardingTask::HandOver => tr.task_hand_over,
        OffboardingTask::FinalInvoice => tr.task_final_invoice,
        OffboardingTask::ClosingLetter => tr.task_closing_letter,
        OffboardingTask::ExportJournal => tr.task_export_journal,
        OffboardingTask::EndClient => tr.end_confirm_button,
    }
}
