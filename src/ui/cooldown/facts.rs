//! Step 3, Facts: what the client actually said. Each sentence with the reader's marks, the words
//! that caused them highlighted and explained; the user toggles marks, edits the list of facts the
//! reply will restate, ticks the seed-001 items and the verdict, and judges the kind of client.

use egui::text::LayoutJob;
use egui::{RichText, TextEdit, TextFormat, Ui};

use super::CoolDownAction;
use crate::domain::ClientKind;
use crate::domain::cooldown::CoolDown;
use crate::reading::{Item, Label, Language, Reading, Verdict};
use crate::ui::{Strings, format};

pub fn facts_ui(
    ui: &mut Ui,
    tr: &Strings,
    session: &mut CoolDown,
    reading: &Reading,
) -> Option<CoolDownAction> {
    let mut changed = false;
    let explain_language = if tr.language_code == "ru" {
        Language::Ru
    } else {
        Language::En
    };
    ui.add_space(8.0);
    ui.label(RichText::new(tr.facts_title).size(20.0));
    ui.label(tr.facts_body);
    ui.add_space(8.0);

    for (index, review) in session.facts.sentences.iter_mut().enumerate() {
        ui.push_id(("sentence", index), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let sentence = reading
                    .sentences
                    .iter()
                    .find(|sentence| sentence.start == review.start);
                ui.label(highlighted_job(ui, &review.text, review.start, sentence));
                ui.horizontal_wrapped(|ui| {
                    for label in Label::ALL {
                        let is_on = review.labels.contains(&label);
                        let name = mark_name(tr, label);
                        let text = if review.suggested.contains(&label) {
                            format!("{name} •")
                        } else {
                            name.to_owned()
                        };
                        let response = ui
                            .add(egui::Button::selectable(is_on, text))
                            .on_hover_text(tr.facts_toggle_hint);
                        let accessible = format!("{} {}: {name}", tr.facts_sentence, index + 1);
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::Button,
                                true,
                                is_on,
                                accessible.clone(),
                            )
                        });
                        if response.clicked() {
                            review.toggle(label);
                            changed = true;
                        }
                    }
                });
                if let Some(sentence) = sentence {
                    for reason in &sentence.reasons {
                        let words = sentence_slice(
                            &sentence.text,
                            reason.start - sentence.start,
                            reason.end - sentence.start,
                        );
                        let explanation =
                            crate::reading::rule_explanation(&reason.rule, explain_language)
                                .unwrap_or("");
                        ui.label(
                            RichText::new(format!(
                                "{} «{}» — {} ({})",
                                mark_name(tr, reason.label),
                                words,
                                explanation,
                                reason.rule
                            ))
                            .small()
                            .weak(),
                        );
                    }
                }
            });
        });
    }

    if !reading.entities.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new(tr.facts_entities).strong());
        let listed: Vec<String> = reading
            .entities
            .iter()
            .map(|entity| format!("{} ({})", entity.text, entity.kind.as_str()))
            .collect();
        ui.label(listed.join(" · "));
    }

    ui.add_space(10.0);
    ui.label(RichText::new(tr.facts_to_answer).strong());
    ui.label(RichText::new(tr.facts_to_answer_body).small().weak());
    let mut remove = None;
    for (index, fact) in session.facts.facts.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let label = ui.label(format!("{}.", index + 1));
            if ui
                .add(TextEdit::singleline(fact).desired_width(ui.available_width() - 90.0))
                .labelled_by(label.id)
                .changed()
            {
                changed = true;
            }
            if ui
                .small_button(tr.facts_remove)
                .on_hover_text(tr.facts_remove)
                .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        session.facts.facts.remove(index);
        changed = true;
    }
    if ui.button(tr.facts_add).clicked() {
        session.facts.facts.push(String::new());
        changed = true;
    }

    ui.add_space(10.0);
    ui.label(RichText::new(tr.facts_verdict).strong());
    ui.horizontal_wrapped(|ui| {
        for verdict in [
            Verdict::Legitimate,
            Verdict::Pressure,
            Verdict::Mixed,
            Verdict::Neutral,
        ] {
            let mut name = verdict_name(tr, verdict).to_owned();
            if verdict == session.facts.suggested_verdict {
                name.push_str(tr.facts_suggested_suffix);
            }
            if ui.radio(session.facts.verdict == verdict, name).clicked()
                && session.facts.verdict != verdict
            {
                session.facts.verdict = verdict;
                changed = true;
            }
        }
    });
    ui.label(RichText::new(tr.facts_items).strong());
    for item in Item::ALL {
        let mut is_ticked = session.facts.items.contains(&item);
        let mut name = item_name(tr, item).to_owned();
        if session.facts.suggested_items.contains(&item) {
            name.push_str(tr.facts_suggested_suffix);
        }
        if ui.checkbox(&mut is_ticked, name).changed() {
            if is_ticked {
                session.facts.items.push(item);
                session.facts.items.sort();
            } else {
                session.facts.items.retain(|existing| *existing != item);
            }
            changed = true;
        }
    }

    ui.add_space(10.0);
    let kind_label = ui.label(RichText::new(tr.field_kind).strong());
    egui::ComboBox::from_id_salt("cooldown_client_kind")
        .selected_text(format::kind(tr, session.client_kind))
        .width(280.0)
        .show_ui(ui, |ui| {
            for kind in [
                None,
                Some(ClientKind::BadDay),
                Some(ClientKind::LetDown),
                Some(ClientKind::Defects),
                Some(ClientKind::Lost),
            ] {
                if ui
                    .selectable_label(session.client_kind == kind, format::kind(tr, kind))
                    .on_hover_text(format::kind_explanation(tr, kind))
                    .clicked()
                {
                    session.client_kind = kind;
                    changed = true;
                }
            }
        })
        .response
        .labelled_by(kind_label.id);
    ui.label(
        RichText::new(format::kind_explanation(tr, session.client_kind))
            .small()
            .weak(),
    );

    changed.then_some(CoolDownAction::Save)
}

/// `text[start..end]` by byte offsets, clamped to char boundaries (the sentence text is trimmed).
fn sentence_slice(text: &str, start: usize, end: usize) -> &str {
    let clamp = |mut index: usize| {
        index = index.min(text.len());
        while !text.is_char_boundary(index) {
            index -= 1;
        }
        index
    };
    &text[clamp(start)..clamp(end.max(start))]
}

/// The sentence with the words behind its marks highlighted.
fn highlighted_job(
    ui: &Ui,
    text: &str,
    offset: usize,
    sentence: Option<&crate::reading::Sentence>,
) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let normal = TextFormat {
        font_id: font.clone(),
        color: ui.visuals().text_color(),
        ..TextFormat::default()
    };
    let marked = TextFormat {
        font_id: font,
        color: ui.visuals().strong_text_color(),
        background: ui.visuals().selection.bg_fill.gamma_multiply(0.6),
        ..TextFormat::default()
    };
    let mut is_marked = vec![false; text.len()];
    if let Some(sentence) = sentence {
        for reason in &sentence.reasons {
            let start = reason.start.saturating_sub(offset).min(text.len());
            let end = reason.end.saturating_sub(offset).min(text.len());
            for flag in &mut is_marked[start..end] {
                *flag = true;
            }
        }
    }
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    let mut run_start = 0;
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(index, _)| index)
        .chain([text.len()])
        .collect();
    for pair in boundaries.windows(2) {
        let (here, next) = (pair[0], pair[1]);
        if next == text.len() || is_marked[here] != is_marked[next] {
            let format = if is_marked[here] {
                marked.clone()
            } else {
                normal.clone()
            };
            job.append(&text[run_start..next], 0.0, format);
            run_start = next;
        }
    }
    job
}

pub fn mark_name(tr: &Strings, label: Label) -> &'static str {
    match label {
        Label::Fact => tr.mark_fact,
        Label::Question => tr.mark_question,
        Label::Demand => tr.mark_demand,
        Label::Threat => tr.mark_threat,
        Label::Insult => tr.mark_insult,
        Label::Emotion => tr.mark_emotion,
    }
}

pub fn verdict_name(tr: &Strings, verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Legitimate => tr.verdict_legitimate,
        Verdict::Pressure => tr.verdict_pressure,
        Verdict::Mixed => tr.verdict_mixed,
        Verdict::Neutral => tr.verdict_neutral,
    }
}

pub fn item_name(tr: &Strings, item: Item) -> &'static str {
    match item {
        Item::NotAsPromised => tr.item_not_as_promised,
        Item::UnansweredQuestion => tr.item_unanswered_question,
        Item::MissedDeadline => tr.item_missed_deadline,
        Item::AccessRemoved => tr.item_access_removed,
        Item::ProviderRude => tr.item_provider_rude,
        Item::DefectNotReplaced => tr.item_defect_not_replaced,
        Item::RoughWithFix => tr.item_rough_with_fix,
        Item::RefundAfterTerm => tr.item_refund_after_term,
        Item::RedoDespiteBrief => tr.item_redo_despite_brief,
        Item::MoreBonusesOrTime => tr.item_more_bonuses_or_time,
        Item::PersonalAttention => tr.item_personal_attention,
        Item::OutsideRules => tr.item_outside_rules,
    }
}
