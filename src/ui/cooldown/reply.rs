//! Step 4, Reply: a draft built from the confirmed facts (five steps, BIFF), in the client's
//! language, citing the contract. The user edits it freely and it is saved as she types. Its own
//! tone is checked live; "Copy reply" works only after the wait and with no flags (or with a
//! reason to send it anyway), and copying logs it in the journal as sent.

use chrono::{DateTime, Utc};
use egui::{RichText, TextEdit, Ui};

use super::CoolDownAction;
use crate::domain::Client;
use crate::domain::cooldown::CoolDown;
use crate::domain::reply::{ReplyInput, ReplyLanguage, ReplyTemplate, compose_reply};
use crate::reading::{DraftCheck, Language};
use crate::ui::Strings;

#[derive(Debug, Default)]
pub struct ReplyState {
    /// The draft as last composed, to tell whether the user has edited it.
    composed: String,
    asking_to_rebuild: bool,
    /// The tone check of the draft it was computed for.
    check: Option<(String, DraftCheck)>,
}

/// The language to answer in: the client's; for a mixed message, the one most sentences use.
pub fn reply_language(session: &CoolDown, reading_language: Language) -> ReplyLanguage {
    let russian = session
        .facts
        .sentences
        .iter()
        .filter(|sentence| {
            sentence
                .text
                .chars()
                .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
        })
        .count();
    let share = russian as f32 / session.facts.sentences.len().max(1) as f32;
    ReplyLanguage::of_message(reading_language, share)
}

/// The reply templates in use: the user's own where she saved them, else calmdesk's.
#[derive(Clone, Debug)]
pub struct Templates {
    pub english: ReplyTemplate,
    pub russian: ReplyTemplate,
}

impl Default for Templates {
    fn default() -> Self {
        Self {
            english: ReplyTemplate::builtin(ReplyLanguage::English),
            russian: ReplyTemplate::builtin(ReplyLanguage::Russian),
        }
    }
}

impl Templates {
    pub fn get(&self, language: ReplyLanguage) -> &ReplyTemplate {
        match language {
            ReplyLanguage::English => &self.english,
            ReplyLanguage::Russian => &self.russian,
        }
    }
}

/// Composes the draft from the session's confirmed facts.
pub fn compose_for(session: &CoolDown, client: &Client, templates: &Templates) -> String {
    let language = reply_language(session, session.facts.language);
    let input = ReplyInput {
        language,
        client_name: &client.name,
        facts: &session.facts,
        contract: &client.contract,
        escalate: session.escalate,
    };
    compose_reply(templates.get(language), &input)
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
        &self.check.as_ref().expect("just computed").1
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        session: &mut CoolDown,
        client: &Client,
        templates: &Templates,
        now: DateTime<Utc>,
    ) -> Option<CoolDownAction> {
        let mut action = None;
        if session.draft.is_empty() {
            session.draft = compose_for(session, client, templates);
            self.composed = session.draft.clone();
            action = Some(CoolDownAction::Save);
        } else if self.composed.is_empty() {
            self.composed = compose_for(session, client, templates);
        }
        ui.add_space(8.0);
        ui.label(RichText::new(tr.reply_title).size(20.0));
        ui.label(tr.reply_body);
        ui.horizontal(|ui| {
            if ui
                .checkbox(&mut session.escalate, tr.reply_escalate)
                .on_hover_text(tr.reply_escalate_hint)
                .changed()
            {
                action = Some(CoolDownAction::Save);
            }
            if ui.button(tr.reply_rebuild).clicked() {
                if session.draft == self.composed {
                    session.draft = compose_for(session, client, templates);
                    self.composed = session.draft.clone();
                    action = Some(CoolDownAction::Save);
                } else {
                    self.asking_to_rebuild = true;
                }
            }
        });
        if self.asking_to_rebuild {
            ui.horizontal(|ui| {
                ui.label(tr.reply_rebuild_question);
                if ui.button(tr.reply_rebuild_confirm).clicked() {
                    session.draft = compose_for(session, client, templates);
                    self.composed = session.draft.clone();
                    self.asking_to_rebuild = false;
                    action = Some(CoolDownAction::Save);
                }
                if ui.button(tr.keep_editing_button).clicked() {
                    self.asking_to_rebuild = false;
                }
            });
        }
        let draft_label = ui.label(tr.reply_draft_label);
        let edited = ui
            .add(
                TextEdit::multiline(&mut session.draft)
                    .desired_rows(14)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(draft_label.id)
            .changed();
        if edited {
            action = Some(CoolDownAction::Save);
        }

        let explain_language = if tr.language_code == "ru" {
            Language::Ru
        } else {
            Language::En
        };
        let check = self.check_for(&session.draft).clone();
        ui.add_space(6.0);
        if check.is_clean() {
            ui.label(
                RichText::new(tr.reply_tone_clean).color(egui::Color32::from_rgb(0x4a, 0x9a, 0x6a)),
            );
        } else {
            ui.label(
                RichText::new(tr.reply_tone_flags)
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
            for flag in &check.flags {
                let explanation = flag.explanation(explain_language).unwrap_or("");
                ui.label(format!("«{}» — {} ({})", flag.text, explanation, flag.rule));
            }
            let override_label = ui.label(tr.reply_override_label);
            let mut reason = session.override_reason.clone().unwrap_or_default();
            if ui
                .add(
                    TextEdit::singleline(&mut reason)
                        .hint_text(tr.reply_override_hint)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(override_label.id)
                .changed()
            {
                session.override_reason = (!reason.trim().is_empty()).then_some(reason);
                action = Some(CoolDownAction::Save);
            }
        }
        ui.add_space(6.0);
        let allowed = session.can_copy_reply(now, &check);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    allowed.is_ok(),
                    egui::Button::new(RichText::new(tr.reply_copy_button).strong()),
                )
                .clicked()
            {
                ui.ctx().copy_text(session.draft.clone());
                action = Some(CoolDownAction::CopyReply);
            }
            if let Err(reason) = &allowed {
                ui.label(RichText::new(super::refusal_text(tr, reason)).weak());
            }
        });
        if session.reply_exchange_id.is_some() {
            ui.label(RichText::new(tr.reply_logged).italics());
        }
        action
    }
}
