//! Step 2, Vent: write out how wrong the client is, then burn it (seed 003). The text lives only
//! in this struct, inside a `Zeroizing` buffer: it is never saved, logged or persisted, and its
//! memory is overwritten when it is burnt, when the cool-down is closed and when the app quits.
//! Only "vented: yes" is kept. egui's text field keeps an undo history of what is typed; that is
//! reset together with the buffer, so burning also empties Ctrl+Z.

use egui::{Color32, Id, RichText, TextEdit, Ui};
use zeroize::Zeroizing;

use super::edit_action;
use crate::domain::cooldown::{CoolDown, Edit};
use crate::ui::Strings;
use crate::ui::action::Action;

/// How long the burning takes, in seconds of frame time.
const BURN_SECONDS: f64 = 1.2;

#[derive(Default)]
pub struct VentPad {
    text: Zeroizing<String>,
    /// When the burning began (egui time), while it plays.
    burning_since: Option<f64>,
}

impl std::fmt::Debug for VentPad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the vent text, not even in a debug log.
        f.debug_struct("VentPad")
            .field("bytes", &self.text.len())
            .finish()
    }
}

fn field_id() -> Id {
    Id::unique("vent_pad_text")
}

impl VentPad {
    /// Overwrites the text in memory and forgets the field's undo history.
    pub fn wipe(&mut self) {
        // Zeroizing<String> zeroes the bytes on clear via its Zeroize impl.
        zeroize::Zeroize::zeroize(&mut *self.text);
        self.burning_since = None;
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, session: &CoolDown) -> Option<Action> {
        let mut action = None;
        ui.add_space(8.0);
        ui.label(RichText::new(tr.vent_title).size(20.0));
        ui.label(tr.vent_body);
        ui.add_space(8.0);
        let now = ui.input(|input| input.time);
        if let Some(since) = self.burning_since {
            let progress = ((now - since) / BURN_SECONDS).clamp(0.0, 1.0) as f32;
            let alpha = ((1.0 - progress) * 255.0) as u8;
            let flame = Color32::from_rgba_unmultiplied(0xe8, 0x6a, 0x1a, alpha);
            egui::Frame::group(ui.style())
                .fill(Color32::from_rgba_unmultiplied(0x40, 0x18, 0x08, alpha / 3))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.set_min_height(220.0 * (1.0 - progress) + 24.0);
                    ui.label(RichText::new("🔥🔥🔥").size(28.0).color(flame));
                    let visible: String = self.text.chars().take(600).collect();
                    ui.label(RichText::new(visible).color(flame));
                });
            if progress >= 1.0 {
                self.wipe();
                ui.ctx()
                    .data_mut(|data| data.remove::<egui::text_edit::TextEditState>(field_id()));
                action = Some(edit_action(Edit::Vented));
            } else {
                ui.ctx().request_repaint();
            }
            return action;
        }
        let label = ui.label(tr.vent_pad_label);
        ui.add(
            TextEdit::multiline(&mut *self.text)
                .id(field_id())
                .hint_text(crate::ui::widgets::hint(tr.vent_pad_hint))
                .desired_rows(14)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            let has_text = !self.text.trim().is_empty();
            if ui
                .add_enabled(
                    has_text,
                    egui::Button::new(RichText::new(tr.vent_burn_button).strong()),
                )
                .clicked()
            {
                self.burning_since = Some(now);
                ui.ctx().request_repaint();
            }
            ui.label(RichText::new(tr.vent_never_saved).small().weak());
        });
        if session.vented() {
            ui.label(RichText::new(tr.vent_burnt).italics());
        }
        action
    }
}
