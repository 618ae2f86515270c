//! Step 4, Reply: a draft built from the confirmed facts (five steps, BIFF) in the client's
//! language, citing the contract, signed with the user's name. She edits it freely and it is
//! saved as she types. Its tone is checked live. "Copy reply" asks the app, which checks the rule
//! (the wait is over, the tone is clean or overridden with a reason), logs the reply with the
//! minutes it took, and only then puts it on the clipboard.

use egui::{RichText, TextEdit, Ui};

use super::{CoolDownModel, edit_action, refusal_text};
use crate::domain::Minutes;
use crate::domain::cooldown::{CoolDown, Edit};
use crate::reading::{DraftCheck, DraftFlag, DraftFlagKind, Language};
use crate::ui::Strings;
use crate::ui::action::Action;
use crate::ui::widgets::SyncedText;

#[derive(Debug, Default)]
pub struct ReplyState {
    draft: SyncedText,
    override_reason: SyncedText,
    /// Minutes to log with the reply: the cool-down's time until the user changes it.
    minutes: Option<u32>,
    asking_to_rebuild: bool,
    /// The tone check of the draft it was computed for.
    check: Option<(String, DraftCheck)>,
}

/// The draft the facts give, with the user's templates and signature.
fn composed(model: &CoolDownModel<'_>) -> String {
    crate::domain::reply::draft_for(
        model.session,
        model.client,
        model.templates,
        model.signature,
    )
}

impl ReplyState {
    fn check_for(&mut self, draft: &str) -> &DraftCheck {
        if self
            .check
            .as_ref()
            .is_none_or(|(checked, _)| checked != draft)
        {
            self.check = Some((draft.to_owned(), crate::reading::analyze_draft(draft)));
        }
        &self.check.get_or_insert_with(Default::default).1
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, model: &CoolDownModel<'_>) -> Option<Action> {
        let session = model.session;
        let mut edit = None;
        self.draft.follow(session.draft());
        self.override_reason.follow(session.override_reason());
        let fresh = composed(model);
        let is_edited = session.draft() != fresh;

        ui.add_space(8.0);
        ui.label(RichText::new(tr.reply_title).size(20.0));
        ui.label(tr.reply_body);
        if model.signature.is_empty() {
            ui.label(RichText::new(tr.reply_no_signature).small().weak());
        }
        if model.client.contact_person.trim().is_empty() {
            ui.label(RichText::new(tr.reply_no_contact_person).small().weak());
        }
        ui.horizontal(|ui| {
            let mut escalate = session.escalate();
            if ui
                .checkbox(&mut escalate, tr.reply_escalate)
                .on_hover_text(tr.reply_escalate_hint)
                .changed()
            {
                edit = Some(Edit::SetEscalate(escalate));
            }
            if ui.button(tr.reply_rebuild).clicked() {
                if is_edited {
                    self.asking_to_rebuild = true;
                } else {
                    edit = Some(Edit::RebuildDraft(fresh.clone()));
                }
            }
        });
        if self.asking_to_rebuild {
            ui.horizontal(|ui| {
                ui.label(tr.reply_rebuild_question);
                if ui.button(tr.reply_rebuild_confirm).clicked() {
                    edit = Some(Edit::RebuildDraft(fresh.clone()));
                    self.asking_to_rebuild = false;
                }
                if ui.button(tr.cancel_button).clicked() {
                    self.asking_to_rebuild = false;
                }
            });
        }
        let draft_label = ui.label(RichText::new(tr.reply_draft_label).strong());
        let response = ui
            .add(
                TextEdit::multiline(self.draft.text_mut())
                    .desired_rows(14)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(draft_label.id);
        if response.changed() {
            edit = Some(Edit::SetDraft(self.draft.take_edit()));
        }

        if let Some(override_edit) = self.tone_ui(ui, tr, session.draft()) {
            edit = Some(override_edit);
        }

        ui.add_space(6.0);
        if let Some(copy) = self.copy_ui(ui, tr, session, model) {
            edit = Some(copy);
        }
        edit.map(edit_action)
    }

    /// The draft's own tone, with the words flagged and why; an override reason when flagged.
    fn tone_ui(&mut self, ui: &mut Ui, tr: &Strings, draft: &str) -> Option<Edit> {
        let mut edit = None;
        let explain_language = if tr.language == crate::ui::UiLanguage::Russian {
            Language::Ru
        } else {
            Language::En
        };
        let check = self.check_for(draft).clone();
        if check.is_clean() {
            ui.label(
                RichText::new(tr.reply_tone_clean).color(egui::Color32::from_rgb(0x3a, 0x9a, 0x5a)),
            );
        } else {
            ui.label(
                RichText::new(crate::ui::strings::fill(
                    tr.reply_tone_flags,
                    &[("count", &check.flags.len().to_string())],
                ))
                .color(ui.visuals().warn_fg_color),
            );
            for flag in &check.flags {
                ui.label(
                    RichText::new(format!(
                        "«{}» — {}",
                        flag.text,
                        flag_explanation(tr, flag, explain_language)
                    ))
                    .small(),
                );
            }
            let label = ui.label(tr.reply_override_label);
            let response = ui
                .add(
                    TextEdit::singleline(self.override_reason.text_mut())
                        .hint_text(crate::ui::widgets::hint(tr.reply_override_hint))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if response.changed() {
                edit = Some(Edit::SetOverrideReason(self.override_reason.take_edit()));
            }
        }
        edit
    }

    fn copy_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        session: &CoolDown,
        model: &CoolDownModel<'_>,
    ) -> Option<Edit> {
        let mut edit = None;
        let default_minutes = session.minutes_so_far(model.now).get();
        let minutes = self.minutes.get_or_insert(default_minutes);
        ui.horizontal(|ui| {
            let label = ui.label(tr.reply_minutes_label);
            ui.add(
                egui::DragValue::new(minutes)
                    .range(0..=Minutes::MAX)
                    .suffix(format!(" {}", tr.unit_min)),
            )
            .labelled_by(label.id)
            .on_hover_text(tr.reply_minutes_hint);
        });
        let allowed = session.can_copy_reply(model.now);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    allowed.is_ok(),
                    egui::Button::new(RichText::new(tr.reply_copy_button).strong()),
                )
                .clicked()
            {
                edit = Some(Edit::CopyReply {
                    minutes: Minutes::new(*minutes).unwrap_or_default(),
                });
            }
            if let Err(reason) = &allowed {
                ui.label(RichText::new(refusal_text(tr, reason)).weak());
            }
        });
        if session.is_draft_logged() {
            ui.label(RichText::new(tr.reply_logged).italics());
        } else if session.logged_reply().is_some() {
            ui.label(RichText::new(tr.reply_changed_since_logged).italics());
        }
        edit
    }
}

/// Why a word of the draft is flagged, said about the draft and its reader. An insult or a threat
/// is found by the rules that read the client's mail, whose explanations speak of "you" (the
/// user): in her own draft they would tell her that she "calls you names", so those two kinds
/// have words of their own; the draft's own rules already speak about the draft.
fn flag_explanation(tr: &Strings, flag: &DraftFlag, language: Language) -> &'static str {
    match flag.kind {
        DraftFlagKind::Insult => tr.tone_flag_insult,
        DraftFlagKind::Threat => tr.tone_flag_threat,
        _ => flag.explanation(language).unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::UiLanguage;

    #[test]
    fn the_tone_check_speaks_about_the_draft_not_to_the_user() {
        for (language, draft, reading) in [
            (
                UiLanguage::English,
                "Honestly, you are an idiot.",
                Language::En,
            ),
            (UiLanguage::Russian, "Вы просто идиот.", Language::Ru),
        ] {
            let tr = language.strings();
            let check = crate::reading::analyze_draft(draft);
            let insult = check
                .flags
                .iter()
                .find(|flag| flag.kind == DraftFlagKind::Insult)
                .unwrap_or_else(|| panic!("{draft:?} is flagged: {:?}", check.flags));
            let said = flag_explanation(tr, insult, reading);
            assert_eq!(said, tr.tone_flag_insult, "{language:?}");
            assert!(
                !said.contains("calls you") && !said.contains("обзывает"),
                "{said}"
            );
        }
    }
}
