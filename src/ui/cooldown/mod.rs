//! The cool-down screen: one step at a time (Wait → Vent → Facts → Reply → Decide), with the
//! client's message pinned beside every step. The view edits its copy of the session and asks the
//! app to save it ([`CoolDownAction::Save`]) after every change; steps that have rules (advancing,
//! unlocking early, copying the reply) are asked for as actions, and the app applies the domain's
//! rule with the clock.

mod decide;
mod facts;
pub mod reply;
mod vent;
mod wait;

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::{Action, Strings};
use crate::domain::cooldown::{CoolDown, Step};
use crate::domain::partways::Evidence;
use crate::domain::{Client, CoolDownId};
use crate::reading::Reading;

/// What the cool-down screen asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoolDownAction {
    /// Store the session as the view now holds it.
    Save,
    Advance,
    Back,
    UnlockEarly(String),
    /// Put the draft on the clipboard and log it in the journal as sent.
    CopyReply,
    ExportJournal,
    EndClient(String),
    Close,
}

/// The open cool-down and everything its screen needs.
pub struct CoolDownView {
    pub session: CoolDown,
    pub client: Client,
    /// The pinned message read again, for the reasons behind each mark and the entities.
    reading: Reading,
    pub evidence: Option<Evidence>,
    vent: vent::VentPad,
    wait: wait::WaitState,
    reply: reply::ReplyState,
    decide: decide::DecideState,
    /// Shown after an export: where the file went.
    pub export_note: Option<String>,
    pub templates: reply::Templates,
}

impl CoolDownView {
    pub fn new(session: CoolDown, client: Client) -> Self {
        let reading = crate::reading::analyze(&session.message);
        Self {
            session,
            client,
            reading,
            evidence: None,
            vent: vent::VentPad::default(),
            wait: wait::WaitState::default(),
            reply: reply::ReplyState::default(),
            decide: decide::DecideState::default(),
            export_note: None,
            templates: reply::Templates::default(),
        }
    }

    pub fn cooldown_id(&self) -> Option<CoolDownId> {
        self.session.cooldown_id
    }

    /// Wipes the vent pad (on close and on quit).
    pub fn wipe_vent(&mut self) {
        self.vent.wipe();
    }

    /// The right panel while a cool-down is open: the client's message, always in view.
    pub fn pinned_message_ui(&self, ui: &mut Ui, tr: &Strings) {
        ui.heading(tr.cooldown_pinned_heading);
        ui.label(RichText::new(&self.client.name).strong());
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("pinned_message")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add(
                    egui::Label::new(&self.session.message)
                        .selectable(true)
                        .wrap(),
                );
            });
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, now: DateTime<Utc>) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(format!("{} — {}", tr.cooldown_heading, self.client.name));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(tr.cooldown_close_button)
                    .on_hover_text(tr.cooldown_close_hint)
                    .clicked()
                {
                    action = Some(CoolDownAction::Close);
                }
            });
        });
        step_bar_ui(ui, tr, self.session.step);
        ui.separator();
        // Back and Next stay in view at the bottom, however long the step is.
        egui::Panel::bottom("cooldown_navigation").show(ui, |ui| {
            ui.add_space(4.0);
            if let Some(nav_action) = self.navigation_ui(ui, tr, now) {
                action = Some(nav_action);
            }
            ui.add_space(2.0);
        });

        let step_action = egui::ScrollArea::vertical()
            .id_salt("cooldown_step")
            .auto_shrink([false, false])
            .show(ui, |ui| match self.session.step {
                Step::Wait => self.wait.ui(ui, tr, &mut self.session, now),
                Step::Vent => self.vent.ui(ui, tr, &mut self.session),
                Step::Facts => facts::facts_ui(ui, tr, &mut self.session, &self.reading),
                Step::Reply => self.reply.ui(
                    ui,
                    tr,
                    &mut self.session,
                    &self.client,
                    &self.templates,
                    now,
                ),
                Step::Decide => {
                    let context = decide::DecideContext {
                        client: &self.client,
                        evidence: self.evidence.as_ref(),
                        export_note: self.export_note.as_deref(),
                        now,
                        templates: &self.templates,
                    };
                    self.decide.ui(ui, tr, &mut self.session, &context)
                }
                Step::Done => {
                    ui.label(RichText::new(tr.cooldown_done).size(16.0));
                    None
                }
            });
        action = action.or(step_action.inner);
        action.map(Action::CoolDown)
    }

    fn navigation_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        now: DateTime<Utc>,
    ) -> Option<CoolDownAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            let can_go_back = !matches!(self.session.step, Step::Wait | Step::Done);
            if ui
                .add_enabled(can_go_back, egui::Button::new(tr.cooldown_back_button))
                .clicked()
            {
                action = Some(CoolDownAction::Back);
            }
            if self.session.step == Step::Done {
                return;
            }
            let next_label = match self.session.step {
                Step::Decide => tr.cooldown_finish_button,
                _ => tr.cooldown_next_button,
            };
            let allowed = self.session.can_advance(now);
            let response = ui.add_enabled(
                allowed.is_ok(),
                egui::Button::new(RichText::new(next_label).strong()),
            );
            if let Err(reason) = &allowed {
                ui.label(RichText::new(refusal_text(tr, reason)).weak());
            }
            if response.clicked() {
                action = Some(CoolDownAction::Advance);
            }
        });
        action
    }
}

/// The five steps in a row, the current one highlighted.
fn step_bar_ui(ui: &mut Ui, tr: &Strings, current: Step) {
    ui.horizontal(|ui| {
        for (index, step) in [
            Step::Wait,
            Step::Vent,
            Step::Facts,
            Step::Reply,
            Step::Decide,
        ]
        .into_iter()
        .enumerate()
        {
            if index > 0 {
                ui.label(RichText::new("›").weak());
            }
            let name = format!("{}. {}", index + 1, step_name(tr, step));
            let text = if step == current {
                RichText::new(name)
                    .strong()
                    .color(ui.visuals().strong_text_color())
                    .underline()
            } else if step < current {
                RichText::new(name)
            } else {
                RichText::new(name).weak()
            };
            ui.label(text);
        }
    });
}

pub fn step_name(tr: &Strings, step: Step) -> &'static str {
    match step {
        Step::Wait => tr.step_wait,
        Step::Vent => tr.step_vent,
        Step::Facts => tr.step_facts,
        Step::Reply => tr.step_reply,
        Step::Decide => tr.step_decide,
        Step::Done => tr.step_done,
    }
}

/// Why a step cannot be taken, in words.
pub fn refusal_text(tr: &Strings, error: &crate::domain::cooldown::CoolDownError) -> String {
    use crate::domain::cooldown::CoolDownError;
    match error {
        CoolDownError::WaitNotOver { minutes_left } => super::strings::fill(
            tr.cooldown_locked_for,
            &[("minutes", &minutes_left.to_string())],
        ),
        CoolDownError::ReasonRequired => tr.cooldown_reason_required.to_owned(),
        CoolDownError::DraftEmpty => tr.cooldown_draft_empty.to_owned(),
        CoolDownError::DraftFlagged(count) => {
            super::strings::fill(tr.cooldown_draft_flagged, &[("count", &count.to_string())])
        }
        CoolDownError::DecisionRequired => tr.cooldown_decision_required.to_owned(),
        CoolDownError::Finished => tr.cooldown_done.to_owned(),
    }
}
