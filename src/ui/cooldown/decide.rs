//! Step 5, Decide: continue, pause, or part ways — with the journal's evidence as the user
//! confirmed it, and, when parting, the offboarding runbook: each step done, or marked as not
//! applying with the reason (the contract's or hers), the last working day from the notice
//! period, a closing letter that promises only what applies, the journal exported as a record,
//! and ending the client on that day.

use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};

use super::{CoolDownModel, edit_action};
use crate::domain::cooldown::{Decision, Edit, Feeling};
use crate::domain::ledger::HeatTrend;
use crate::domain::partways::{
    Evidence, ItemTally, NotApplicable, Offboarding, OffboardingTask, Overrun, TaskState,
};
use crate::domain::reply::{ClosingLetterInput, compose_closing_letter};
use crate::domain::{Client, ClientStatus};
use crate::reading::Item;
use crate::ui::action::{Action, Command};
use crate::ui::strings::fill;
use crate::ui::{Strings, format};

#[derive(Debug, Default)]
pub struct DecideState {
    closing_letter: String,
    end_reason: String,
    /// The task whose "does not apply" reason is being written, and the reason so far.
    not_applying: Option<(OffboardingTask, String)>,
}

/// A step marked as not applying: why, and a button to say it applies after all (`true`).
fn not_applying_line_ui(
    ui: &mut Ui,
    tr: &Strings,
    task: OffboardingTask,
    why: &NotApplicable,
) -> bool {
    ui.horizontal_wrapped(|ui| {
        let reason = match why {
            NotApplicable::NoRefundClause => tr.task_no_refund_clause.to_owned(),
            NotApplicable::Because(reason) => reason.clone(),
        };
        ui.label(
            RichText::new(fill(
                tr.task_not_applying,
                &[("task", task_name(tr, task)), ("reason", &reason)],
            ))
            .italics(),
        );
        let applies = ui.small_button(tr.task_applies_button);
        let spoken = fill(tr.task_applies_named, &[("task", task_name(tr, task))]);
        crate::ui::widgets::spoken_button_name(applies, &spoken).clicked()
    })
    .inner
}

impl DecideState {
    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, model: &CoolDownModel<'_>) -> Option<Action> {
        let session = model.session;
        let mut action = None;
        ui.add_space(8.0);
        ui.label(RichText::new(tr.decide_title).size(20.0));
        if let Some(evidence) = model.evidence {
            evidence_ui(ui, tr, evidence);
        }

        ui.add_space(8.0);
        let feeling_label = ui.label(tr.feeling_after_label);
        let mut level = session.feeling_after().map_or(5, Feeling::get);
        if crate::ui::widgets::feeling_slider_ui(ui, tr, &mut level, feeling_label.id).changed()
            && let Some(feeling) = Feeling::new(level)
        {
            action = Some(edit_action(Edit::FeelingAfter(feeling)));
        }
        if let Some(before) = session.feeling_before() {
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
            if ui
                .radio(session.decision() == Some(decision), name)
                .clicked()
                && session.decision() != Some(decision)
            {
                action = Some(edit_action(Edit::Decide(decision)));
            }
        }

        if session.decision() == Some(Decision::PartWays)
            && let Some(part_action) = self.part_ways_ui(ui, tr, model)
        {
            action = Some(part_action);
        }
        action
    }

    fn part_ways_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        model: &CoolDownModel<'_>,
    ) -> Option<Action> {
        let client = model.client;
        let offboarding = model.session.offboarding();
        let mut action = None;
        ui.add_space(8.0);
        ui.label(RichText::new(tr.offboarding_title).strong());
        ui.label(RichText::new(tr.offboarding_body).small().weak());
        let last_day = offboarding.effective_ending(&client.contract, model.today);
        for task in OffboardingTask::BEFORE_ENDING {
            ui.push_id(("task", task.as_str()), |ui| {
                if let Some(task_action) = self.task_ui(ui, tr, task, model) {
                    action = Some(task_action);
                }
                if let Some(detail_action) = self.task_detail_ui(ui, tr, task, model, last_day) {
                    action = Some(detail_action);
                }
            });
        }
        ui.add_space(6.0);
        if let Some(end_action) = self.end_ui(ui, tr, model, last_day) {
            action = Some(end_action);
        }
        action
    }

    /// One runbook step: done, or not applying with a reason.
    fn task_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        task: OffboardingTask,
        model: &CoolDownModel<'_>,
    ) -> Option<Action> {
        let offboarding = model.session.offboarding();
        let mut edit = None;
        let set = |state| Edit::SetTask { task, state };
        match offboarding.state(task) {
            TaskState::NotApplicable(why) => {
                if not_applying_line_ui(ui, tr, task, why) {
                    edit = Some(set(TaskState::Open));
                }
            }
            state => {
                ui.horizontal_wrapped(|ui| {
                    let mut is_done = *state == TaskState::Done;
                    if ui.checkbox(&mut is_done, task_name(tr, task)).changed() {
                        edit = Some(set(if is_done {
                            TaskState::Done
                        } else {
                            TaskState::Open
                        }));
                    }
                    let writing = self
                        .not_applying
                        .as_ref()
                        .is_some_and(|(writing, _)| *writing == task);
                    if !is_done && !writing {
                        let button = ui.small_button(tr.task_not_applying_button);
                        let spoken =
                            fill(tr.task_not_applying_named, &[("task", task_name(tr, task))]);
                        if crate::ui::widgets::spoken_button_name(button, &spoken).clicked() {
                            self.not_applying = Some((task, String::new()));
                        }
                    }
                });
                let mut cancelled = false;
                if let Some((writing, reason)) = &mut self.not_applying
                    && *writing == task
                {
                    ui.indent("reason", |ui| {
                        let label = ui.label(tr.task_reason_label);
                        ui.add(
                            TextEdit::singleline(reason)
                                .hint_text(crate::ui::widgets::hint(tr.task_reason_hint))
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                        ui.horizontal(|ui| {
                            if ui
                                .add_enabled(
                                    !reason.trim().is_empty(),
                                    egui::Button::new(tr.task_mark_not_applying),
                                )
                                .clicked()
                            {
                                edit = Some(set(TaskState::NotApplicable(NotApplicable::Because(
                                    reason.trim().to_owned(),
                                ))));
                            }
                            if ui.button(tr.cancel_button).clicked() {
                                cancelled = true;
                            }
                        });
                    });
                }
                if cancelled || edit.is_some() {
                    self.not_applying = None;
                }
            }
        }
        edit.map(edit_action)
    }

    /// What a step rests on: the clauses, the last day, the letter, the export.
    fn task_detail_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        task: OffboardingTask,
        model: &CoolDownModel<'_>,
        last_day: Option<NaiveDate>,
    ) -> Option<Action> {
        let client = model.client;
        let mut action = None;
        ui.indent("detail", |ui| match task {
            OffboardingTask::CheckTermination => {
                let clause = if client.contract.termination.is_empty() {
                    tr.not_set
                } else {
                    &client.contract.termination
                };
                ui.label(RichText::new(clause).small().weak());
                if let Some(edit) = last_day_ui(ui, tr, client, model.today, last_day) {
                    action = Some(edit_action(edit));
                }
            }
            OffboardingTask::RefundUnused if !client.contract.refund.is_empty() => {
                ui.label(RichText::new(&client.contract.refund).small().weak());
            }
            OffboardingTask::ClosingLetter => self.closing_letter_ui(ui, tr, model, last_day),
            OffboardingTask::ExportJournal => {
                if ui
                    .button(tr.export_button)
                    .on_hover_text(tr.export_record_hint)
                    .clicked()
                {
                    action = Some(Action::ChooseRecordFile {
                        client_id: client.client_id,
                        format: crate::domain::export::DocumentFormat::Html,
                    });
                }
                if let Some(path) = model.export_note {
                    ui.label(
                        RichText::new(fill(
                            tr.status_exported,
                            &[("path", &path.display().to_string())],
                        ))
                        .small(),
                    );
                }
            }
            _ => {}
        });
        action
    }

    fn closing_letter_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        model: &CoolDownModel<'_>,
        last_day: Option<NaiveDate>,
    ) {
        if ui.button(tr.closing_letter_draft).clicked() {
            let language = model.session.facts().reply_language();
            self.closing_letter = compose_closing_letter(
                model.templates.get(language),
                &ClosingLetterInput {
                    language,
                    contact_person: &model.client.contact_person,
                    contract: &model.client.contract,
                    offboarding: model.session.offboarding(),
                    last_day,
                    today: model.today,
                    signature: model.signature,
                },
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
    }

    fn end_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        model: &CoolDownModel<'_>,
        last_day: Option<NaiveDate>,
    ) -> Option<Action> {
        let client = model.client;
        if client.status == ClientStatus::Ended {
            ui.label(RichText::new(tr.status_client_ended).italics());
            return None;
        }
        if let Some(end) = &client.scheduled_end {
            ui.label(
                RichText::new(fill(
                    tr.client_ending_on,
                    &[("date", &crate::ui::format::day(tr, end.on))],
                ))
                .italics(),
            );
            return None;
        }
        let reason_label = ui.label(tr.end_reason_label);
        if self.end_reason.is_empty() {
            self.end_reason = tr.end_reason_after_cooldown.to_owned();
        }
        ui.add(TextEdit::singleline(&mut self.end_reason).desired_width(f32::INFINITY))
            .labelled_by(reason_label.id);
        let is_ready = model.session.can_end_client().is_ok() && !self.end_reason.trim().is_empty();
        let label = match last_day.filter(|day| *day > model.today) {
            Some(day) => fill(
                tr.end_on_button,
                &[("date", &crate::ui::format::day(tr, day))],
            ),
            None => tr.end_now_button.to_owned(),
        };
        let button = ui.add_enabled(is_ready, egui::Button::new(RichText::new(label).strong()));
        if !is_ready {
            ui.label(RichText::new(tr.offboarding_not_ready).small().weak());
        }
        button.clicked().then(|| {
            Action::Do(Command::EndClient {
                reason: self.end_reason.trim().to_owned(),
            })
        })
    }
}

/// The last working day: from the notice period, or the one the user picked.
fn last_day_ui(
    ui: &mut Ui,
    tr: &Strings,
    client: &Client,
    today: NaiveDate,
    last_day: Option<NaiveDate>,
) -> Option<Edit> {
    let notice = client.contract.notice_period_days.map_or_else(
        || tr.notice_none.to_owned(),
        |days| tr.count(tr.notice_days_value, u64::from(days)),
    );
    ui.label(RichText::new(notice).small().weak());
    let mut day = last_day.unwrap_or(today);
    let before = day;
    ui.horizontal(|ui| {
        ui.label(tr.last_day_label);
        crate::ui::widgets::date_picker_ui(ui, tr, tr.last_day_label, "last_working_day", &mut day);
    });
    let edit = (day != before).then_some(Edit::SetEndingDate(day));
    if Offboarding::notice_end(&client.contract, today).is_some_and(|end| day < end) {
        ui.colored_label(ui.visuals().warn_fg_color, tr.last_day_before_notice);
    }
    edit
}

/// "Crossed the line in 3 of them (2 threats, 1 insult)".
fn crossed_line_text(tr: &Strings, evidence: &Evidence) -> String {
    fill(
        tr.evidence_crossed,
        &[
            ("n", &evidence.messages_crossing_line.to_string()),
            (
                "threats",
                &tr.count(tr.threats_count, evidence.threats as u64),
            ),
            (
                "insults",
                &tr.count(tr.insults_count, evidence.insults as u64),
            ),
        ],
    )
}

fn evidence_ui(ui: &mut Ui, tr: &Strings, evidence: &Evidence) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(tr.evidence_title).strong());
        let count = |template: &str, value: usize| fill(template, &[("n", &value.to_string())]);
        ui.label(count(tr.evidence_messages, evidence.messages_from_client));
        ui.label(
            RichText::new(fill(
                tr.evidence_reviewed,
                &[
                    ("reviewed", &evidence.reviewed.to_string()),
                    ("total", &evidence.messages_from_client.to_string()),
                ],
            ))
            .small()
            .weak(),
        );
        ui.label(crossed_line_text(tr, evidence));
        if evidence.demands_backed_by_threats > 0 {
            ui.label(count(
                tr.evidence_backed,
                evidence.demands_backed_by_threats,
            ));
        }
        let counted = |tallies: &std::collections::BTreeMap<Item, ItemTally>| -> Vec<String> {
            tallies
                .iter()
                .filter(|(_, tally)| tally.counted() > 0)
                .map(|(item, tally)| {
                    format!("{} ×{}", super::item_name(tr, *item), tally.counted())
                })
                .collect()
        };
        let pressure = counted(&evidence.pressure_items);
        if !evidence.shows_pressure() {
            ui.label(tr.evidence_no_pressure);
        } else if !pressure.is_empty() {
            ui.label(format!("{} {}", tr.evidence_pressure, pressure.join(", ")));
        }
        let legitimate = counted(&evidence.legitimate_items);
        if !legitimate.is_empty() {
            ui.label(format!(
                "{} {}",
                tr.evidence_legitimate,
                legitimate.join(", ")
            ));
        }
        let unticked: Vec<&str> = evidence
            .pressure_items
            .iter()
            .chain(&evidence.legitimate_items)
            .filter(|(_, tally)| tally.unticked > 0)
            .map(|(item, _)| super::item_name(tr, *item))
            .collect();
        if !unticked.is_empty() {
            ui.label(
                RichText::new(format!("{} {}", tr.evidence_unticked, unticked.join(", "))).weak(),
            );
        }
        ui.label(count(tr.evidence_cooldowns, evidence.cooldowns));
        let trend = match evidence.trend {
            HeatTrend::Rising { .. } => tr.trend_rising,
            HeatTrend::Steady { .. } => tr.trend_steady,
            HeatTrend::Falling { .. } => tr.trend_falling,
            HeatTrend::TooFew => tr.trend_too_few,
        };
        ui.label(format!("{} {trend}", tr.evidence_trend));
        if let Some(overrun) = &evidence.overrun {
            overrun_ui(ui, tr, overrun);
        }
    });
}

/// The support time against the allowance (seed 002), part of the evidence.
fn overrun_ui(ui: &mut Ui, tr: &Strings, overrun: &Overrun) {
    if overrun.this_month.is_over() {
        let minutes = format::minutes(tr, overrun.this_month.overrun());
        ui.label(fill(tr.picture_over, &[("minutes", &minutes)]));
        if let Some(value) = overrun.value {
            ui.label(fill(
                tr.picture_over_value,
                &[("value", &value.to_string())],
            ));
        }
    }
    if overrun.months_over > 0 {
        ui.label(fill(
            tr.picture_months_over,
            &[
                ("count", &overrun.months_over.to_string()),
                ("total", &overrun.months.to_string()),
            ],
        ));
    }
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
        OffboardingTask::EndClient => tr.end_now_button,
    }
}
