//! Step 1, Wait: don't answer at once. A countdown to the end of the lock, the "it's just work"
//! reminder, a switch-off suggestion, how heated the user feels, a longer wait if she wants one,
//! and an early unlock that needs a written reason. The wait can only be made longer here:
//! shortening it would be an unlock without a reason.

use chrono::{DateTime, Local, Utc};
use egui::{RichText, TextEdit, Ui};

use super::edit_action;
use crate::domain::cooldown::{CoolDown, Edit, Feeling, WaitMinutes};
use crate::ui::Strings;
use crate::ui::action::Action;
use crate::ui::strings::fill;

#[derive(Debug, Default)]
pub struct WaitState {
    unlock_reason: String,
    show_reason_required: bool,
}

impl WaitState {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        session: &CoolDown,
        now: DateTime<Utc>,
    ) -> Option<Action> {
        let mut edit = None;
        countdown_ui(ui, tr, session, now);
        ui.add_space(12.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(tr.wait_reminder_title).strong());
            ui.label(tr.wait_reminder);
            ui.add_space(4.0);
            ui.label(RichText::new(tr.wait_switch_off_title).strong());
            ui.label(tr.wait_switch_off);
        });
        ui.add_space(12.0);

        let feeling_label = ui.label(tr.feeling_before_label);
        let mut level = session.feeling_before().map_or(5, Feeling::get);
        let slider = crate::ui::widgets::feeling_slider_ui(ui, tr, &mut level, feeling_label.id);
        if (slider.changed() || (slider.drag_stopped() && session.feeling_before().is_none()))
            && let Some(feeling) = Feeling::new(level)
        {
            edit = Some(Edit::FeelingBefore(feeling));
        }

        if session.is_locked(now) {
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let length_label = ui.label(tr.wait_length_label);
                let current = session.wait_minutes();
                let mut minutes = current;
                let response = ui
                    .add(
                        egui::DragValue::new(&mut minutes)
                            .range(current.max(WaitMinutes::MIN)..=WaitMinutes::MAX)
                            .suffix(format!(" {}", tr.unit_min)),
                    )
                    .labelled_by(length_label.id)
                    .on_hover_text(tr.wait_length_hint);
                if response.changed()
                    && minutes > current
                    && let Some(wait) = WaitMinutes::new(minutes)
                {
                    edit = Some(Edit::LengthenWait(wait));
                }
            });
            ui.label(RichText::new(tr.wait_length_hint).small().weak());
            ui.add_space(12.0);
            if let Some(unlock) = self.unlock_ui(ui, tr) {
                edit = Some(unlock);
            }
        }
        edit.map(edit_action)
    }

    /// "I have to answer now…": unlocking early, only with a written reason.
    fn unlock_ui(&mut self, ui: &mut Ui, tr: &Strings) -> Option<Edit> {
        let mut edit = None;
        egui::CollapsingHeader::new(tr.unlock_heading)
            .id_salt("unlock_early")
            .show(ui, |ui| {
                ui.label(tr.unlock_body);
                let reason_label = ui.label(tr.unlock_reason_label);
                ui.add(
                    TextEdit::multiline(&mut self.unlock_reason)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY)
                        .hint_text(crate::ui::widgets::hint(tr.unlock_reason_hint)),
                )
                .labelled_by(reason_label.id);
                if self.show_reason_required {
                    ui.colored_label(ui.visuals().error_fg_color, tr.cooldown_reason_required);
                }
                if ui.button(tr.unlock_button).clicked() {
                    if self.unlock_reason.trim().is_empty() {
                        self.show_reason_required = true;
                    } else {
                        self.show_reason_required = false;
                        edit = Some(Edit::UnlockEarly {
                            reason: std::mem::take(&mut self.unlock_reason),
                        });
                    }
                }
            });
        edit
    }
}

/// The countdown to the end of the lock, or that the wait is over.
fn countdown_ui(ui: &mut Ui, tr: &Strings, session: &CoolDown, now: DateTime<Utc>) {
    ui.add_space(8.0);
    if session.is_locked(now) {
        let left = session.remaining(now).num_seconds().max(0);
        ui.label(RichText::new(tr.wait_title).size(20.0));
        ui.label(
            RichText::new(format!("{:02}:{:02}", left / 60, left % 60))
                .size(48.0)
                .strong()
                .monospace(),
        );
        let until = session
            .wait_until()
            .with_timezone(&Local)
            .format("%H:%M")
            .to_string();
        ui.label(fill(tr.wait_locked_until, &[("time", &until)]));
        // The countdown moves once a second; nothing else needs the frame.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs(1));
    } else {
        ui.label(RichText::new(tr.wait_over).size(20.0).strong());
        if let Some(unlock) = session.early_unlock() {
            ui.label(
                RichText::new(format!("{} {}", tr.wait_unlocked_early, unlock.reason)).italics(),
            );
        }
    }
}
