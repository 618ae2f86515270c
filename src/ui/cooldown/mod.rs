//! The cool-down screen: one step at a time (Wait → Vent → Facts → Reply → Decide), with the
//! client's message pinned beside every step.
//!
//! The screen reads the session (`&CoolDown`) and never changes it: every change is returned as
//! an [`Edit`] that the app applies through the domain's rules. The screen's own state is only
//! what egui's text fields need (buffers that follow the session) and the vent pad, whose text
//! never leaves this module.

mod decide;
mod facts;
mod reply;
mod vent;
mod wait;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use egui::{RichText, Ui};

use super::Strings;
use super::action::{Action, Command};
use crate::domain::Client;
use crate::domain::cooldown::{CoolDown, CoolDownError, Edit, Step};
use crate::domain::partways::Evidence;
use crate::domain::reply::{Signature, Templates};

pub use facts::{item_name, mark_name, verdict_name};

/// What the screen shows: the session and what it is about, read-only.
#[derive(Clone, Copy)]
pub struct CoolDownModel<'a> {
    pub session: &'a CoolDown,
    pub client: &'a Client,
    pub evidence: Option<&'a Evidence>,
    pub export_note: Option<&'a Path>,
    pub templates: &'a Templates,
    pub signature: &'a Signature,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

/// The screen's own state: text buffers and the vent pad.
#[derive(Debug, Default)]
pub struct CoolDownView {
    vent: vent::VentPad,
    wait: wait::WaitState,
    facts: facts::FactsState,
    reply: reply::ReplyState,
    decide: decide::DecideState,
}

impl CoolDownView {
    /// Wipes the vent pad (on close and on quit) and forgets every buffer.
    pub fn wipe(&mut self) {
        self.vent.wipe();
        *self = Self::default();
    }

    /// The right panel while a cool-down is open: the client's message, always in view.
    pub fn pinned_message_ui(ui: &mut Ui, tr: &Strings, model: &CoolDownModel<'_>) {
        ui.heading(tr.cooldown_pinned_heading);
        ui.label(RichText::new(&model.client.name).strong());
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("pinned_message")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add(
                    egui::Label::new(model.session.message())
                        .selectable(true)
                        .wrap(),
                );
            });
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, model: &CoolDownModel<'_>) -> Option<Action> {
        let session = model.session;
        let mut action = None;
        // A long client name wraps beside the Close button instead of running under it.
        egui::Sides::new().shrink_left().wrap().show(
            ui,
            |ui| ui.heading(format!("{} — {}", tr.cooldown_heading, model.client.name)),
            |ui| {
                if ui
                    .button(tr.cooldown_close_button)
                    .on_hover_text(tr.cooldown_close_hint)
                    .clicked()
                {
                    action = Some(Action::Do(Command::CloseCoolDown));
                }
            },
        );
        step_bar_ui(ui, tr, session.step());
        ui.separator();
        // While replying is locked, wake up when the lock ends, so the screen (and the
        // accessibility tree) says so without waiting for the mouse to move.
        if session.is_locked(model.now)
            && let Ok(left) = session.remaining(model.now).to_std()
        {
            ui.ctx()
                .request_repaint_after(left + std::time::Duration::from_millis(20));
        }
        // Back and Next stay in view at the bottom, however long the step is.
        egui::Panel::bottom("cooldown_navigation").show(ui, |ui| {
            ui.add_space(4.0);
            if let Some(edit) = navigation_ui(ui, tr, session, model.now) {
                action = Some(edit_action(edit));
            }
            ui.add_space(2.0);
        });

        let step_action = egui::ScrollArea::vertical()
            .id_salt("cooldown_step")
            .auto_shrink([false, false])
            .show(ui, |ui| match session.step() {
                Step::Wait => self.wait.ui(ui, tr, session, model.now),
                Step::Vent => self.vent.ui(ui, tr, session),
                Step::Facts => self.facts.ui(ui, tr, session),
                Step::Reply => self.reply.ui(ui, tr, model),
                Step::Decide => self.decide.ui(ui, tr, model),
                Step::Done => {
                    ui.label(RichText::new(tr.cooldown_done).size(16.0));
                    None
                }
            });
        action.or(step_action.inner)
    }
}

/// A change to the session, as the action the app applies.
pub fn edit_action(edit: Edit) -> Action {
    Action::Do(Command::CoolDown(edit))
}

fn navigation_ui(
    ui: &mut Ui,
    tr: &Strings,
    session: &CoolDown,
    now: DateTime<Utc>,
) -> Option<Edit> {
    let mut edit = None;
    ui.horizontal(|ui| {
        let can_go_back = !matches!(session.step(), Step::Wait | Step::Done);
        if ui
            .add_enabled(can_go_back, egui::Button::new(tr.cooldown_back_button))
            .clicked()
        {
            edit = Some(Edit::Back);
        }
        if session.step() == Step::Done {
            return;
        }
        let next_label = match session.step() {
            Step::Decide => tr.cooldown_finish_button,
            _ => tr.cooldown_next_button,
        };
        let allowed = session.can_advance(now);
        let response = ui.add_enabled(
            allowed.is_ok(),
            egui::Button::new(RichText::new(next_label).strong()),
        );
        if let Err(reason) = &allowed {
            ui.label(RichText::new(refusal_text(tr, reason)).weak());
        }
        if response.clicked() {
            edit = Some(Edit::Advance);
        }
    });
    edit
}

/// The five steps in a row, the current one highlighted.
/// Where the user is in the cool-down. For a screen reader it is a tab list named "Cool-down
/// steps", each step a tab and the current one selected; the "›" between them is drawn, not said.
fn step_bar_ui(ui: &mut Ui, tr: &Strings, current: Step) {
    let bar = ui.horizontal(|ui| {
        for (index, step) in Step::WALKED.into_iter().enumerate() {
            if index > 0 {
                let height = ui.text_style_height(&egui::TextStyle::Body);
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(12.0, height), egui::Sense::hover());
                ui.painter().text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    "›",
                    egui::TextStyle::Body.resolve(ui.style()),
                    ui.visuals().weak_text_color(),
                );
            }
            let name = format!("{}. {}", index + 1, step_name(tr, step));
            let text = if step == current {
                RichText::new(&name)
                    .strong()
                    .color(ui.visuals().strong_text_color())
                    .underline()
            } else if step < current {
                RichText::new(&name)
            } else {
                RichText::new(&name).weak()
            };
            let response = ui.label(text);
            let is_current = step == current;
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Tab, true, is_current, &name)
            });
        }
    });
    bar.response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TabList, true, tr.steps_label));
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

/// Why a change cannot be made, in words.
pub fn refusal_text(tr: &Strings, error: &CoolDownError) -> String {
    use super::strings::fill;
    match error {
        CoolDownError::WaitNotOver { minutes_left } => fill(
            tr.cooldown_locked_for,
            &[("minutes", &minutes_left.to_string())],
        ),
        CoolDownError::WaitCannotShorten => tr.cooldown_wait_cannot_shorten.to_owned(),
        CoolDownError::WaitAlreadyOver => tr.wait_over.to_owned(),
        CoolDownError::ReasonRequired => tr.cooldown_reason_required.to_owned(),
        CoolDownError::DraftEmpty => tr.cooldown_draft_empty.to_owned(),
        CoolDownError::DraftFlagged(count) => tr.count(tr.cooldown_draft_flagged, *count as u64),
        CoolDownError::TooLong => tr.cooldown_too_long.to_owned(),
        CoolDownError::NoSuchPart | CoolDownError::WrongStep => tr.cooldown_not_possible.to_owned(),
        CoolDownError::DecisionRequired => tr.cooldown_decision_required.to_owned(),
        CoolDownError::RunbookOpen => tr.offboarding_not_ready.to_owned(),
        CoolDownError::NotApplicableNeedsReason => tr.task_reason_required.to_owned(),
        CoolDownError::Finished => tr.cooldown_done.to_owned(),
    }
}
