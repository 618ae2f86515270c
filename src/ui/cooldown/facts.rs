//! Step 3, Facts: what the client actually said. Each sentence with the reader's marks and the
//! words that caused them, highlighted and explained; the user toggles marks, edits the facts the
//! reply will say back (already in her voice), ticks the complaint items she accepts (the reader's
//! suggestions start unticked: ticking one is an admission), picks the verdict, and judges the
//! kind of client (which updates the client's record).

use egui::text::LayoutJob;
use egui::{RichText, TextEdit, TextFormat, Ui};

use super::edit_action;
use crate::domain::ClientKind;
use crate::domain::cooldown::{CoolDown, Edit, FactsReview, SentenceReview};
use crate::reading::{Item, Label, Language, Verdict};
use crate::ui::action::Action;
use crate::ui::widgets::SyncedText;
use crate::ui::{Strings, format};

/// The fact lines as the text fields hold them.
#[derive(Debug, Default)]
pub struct FactsState {
    facts: Vec<SyncedText>,
}

impl FactsState {
    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, session: &CoolDown) -> Option<Action> {
        let review = session.facts();
        let mut edit = None;
        let explain_language = if tr.language == crate::ui::UiLanguage::Russian {
            Language::Ru
        } else {
            Language::En
        };
        ui.add_space(8.0);
        ui.label(RichText::new(tr.facts_title).size(20.0));
        ui.label(tr.facts_body);
        if let Some(read_up_to) = review.read_up_to() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                crate::ui::strings::fill(
                    tr.facts_read_partly,
                    &[("kilobytes", &(read_up_to / 1024).to_string())],
                ),
            );
        }
        ui.add_space(8.0);

        if let Some(mark) = sentences_ui(ui, tr, review.sentences(), explain_language) {
            edit = Some(mark);
        }

        if !review.entities().is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new(tr.facts_entities).strong());
            let listed: Vec<&str> = review
                .entities()
                .iter()
                .map(|entity| entity.text.as_str())
                .collect();
            ui.label(listed.join(" · "));
        }

        ui.add_space(10.0);
        ui.label(RichText::new(tr.facts_to_answer).strong());
        ui.label(RichText::new(tr.facts_to_answer_body).small().weak());
        if let Some(fact_edit) = self.fact_list_ui(ui, tr, session) {
            edit = Some(fact_edit);
        }

        if let Some(judged) = verdict_and_items_ui(ui, tr, review) {
            edit = Some(judged);
        }

        ui.add_space(10.0);
        if let Some(kind) = kind_ui(ui, tr, session.client_kind()) {
            edit = Some(Edit::SetClientKind(kind));
        }
        edit.map(edit_action)
    }

    fn fact_list_ui(&mut self, ui: &mut Ui, tr: &Strings, session: &CoolDown) -> Option<Edit> {
        let facts = session.facts().facts();
        self.facts.resize_with(facts.len(), SyncedText::default);
        let mut edit = None;
        for (index, (buffer, fact)) in self.facts.iter_mut().zip(facts).enumerate() {
            buffer.follow(fact);
            ui.horizontal(|ui| {
                let label = ui.label(crate::ui::strings::fill(
                    tr.facts_fact_label,
                    &[("n", &(index + 1).to_string())],
                ));
                let response = ui
                    .add(
                        TextEdit::singleline(buffer.text_mut())
                            .desired_width(ui.available_width() - 110.0),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    edit = Some(Edit::SetFact {
                        index,
                        text: buffer.take_edit(),
                    });
                }
                let remove = crate::ui::strings::fill(
                    tr.facts_remove_numbered,
                    &[("n", &(index + 1).to_string())],
                );
                let button = ui.small_button(tr.facts_remove).on_hover_text(&remove);
                if crate::ui::widgets::spoken_button_name(button, &remove).clicked() {
                    edit = Some(Edit::RemoveFact(index));
                }
            });
        }
        if ui.button(tr.facts_add).clicked() {
            edit = Some(Edit::AddFact);
        }
        edit
    }
}

/// Each sentence with its marks, the words behind them and why; returns a mark the user toggled.
fn sentences_ui(
    ui: &mut Ui,
    tr: &Strings,
    sentences: &[SentenceReview],
    explain_language: Language,
) -> Option<Edit> {
    let mut edit = None;
    for (index, sentence) in sentences.iter().enumerate() {
        ui.push_id(("sentence", index), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(highlighted_job(ui, sentence));
                if let Some(label) = marks_ui(ui, tr, index, sentence) {
                    edit = Some(Edit::ToggleMark {
                        sentence: index,
                        label,
                    });
                }
                for reason in sentence.reasons() {
                    let explanation =
                        crate::reading::rule_explanation(&reason.rule, explain_language)
                            .unwrap_or("");
                    ui.label(
                        RichText::new(format!(
                            "{} «{}» — {explanation}",
                            mark_name(tr, reason.label),
                            sentence.words_of(reason),
                        ))
                        .small()
                        .weak(),
                    );
                }
            });
        });
    }
    edit
}

/// The verdict and the complaint items, the reader's suggestions marked; returns a choice.
fn verdict_and_items_ui(ui: &mut Ui, tr: &Strings, review: &FactsReview) -> Option<Edit> {
    let mut edit = None;
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
            if verdict == review.suggested_verdict() {
                name.push_str(tr.facts_suggested_suffix);
            }
            if ui.radio(review.verdict() == verdict, name).clicked() && review.verdict() != verdict
            {
                edit = Some(Edit::SetVerdict(verdict));
            }
        }
    });
    if let Some(leaning) = review.leaning() {
        let language = if tr.language == crate::ui::UiLanguage::Russian {
            Language::Ru
        } else {
            Language::En
        };
        let why = crate::reading::rule_explanation(&leaning.rule, language).unwrap_or("");
        let words: Vec<String> = leaning
            .words
            .iter()
            .map(|word| format!("«{word}»"))
            .collect();
        ui.label(
            RichText::new(crate::ui::strings::fill(
                tr.facts_leans,
                &[("verdict", verdict_name(tr, leaning.toward)), ("why", why)],
            ))
            .small(),
        );
        if !words.is_empty() {
            ui.label(RichText::new(words.join(" · ")).small().weak());
        }
    }
    ui.label(RichText::new(tr.facts_items).strong());
    ui.label(RichText::new(tr.facts_items_body).small().weak());
    for item in Item::ALL {
        let mut is_ticked = review.is_ticked(item);
        let mut name = item_name(tr, item).to_owned();
        if review.is_suggested(item) {
            name.push_str(tr.facts_suggested_suffix);
        }
        if ui.checkbox(&mut is_ticked, name).changed() {
            edit = Some(Edit::ToggleItem(item));
        }
        if let Some(suggestion) = review
            .suggested_items()
            .iter()
            .find(|suggestion| suggestion.item == item && !suggestion.words.is_empty())
        {
            ui.indent(("item_words", item.id()), |ui| {
                ui.label(
                    RichText::new(format!("«{}»", suggestion.words))
                        .small()
                        .weak(),
                );
            });
        }
    }
    edit
}

/// The six mark chips of one sentence; returns the one clicked.
fn marks_ui(ui: &mut Ui, tr: &Strings, index: usize, sentence: &SentenceReview) -> Option<Label> {
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        for label in Label::ALL {
            let is_on = sentence.has(label);
            let name = mark_name(tr, label);
            let text = if sentence.suggested().contains(&label) {
                format!("{name} •")
            } else {
                name.to_owned()
            };
            let response = ui
                .add(egui::Button::selectable(is_on, text))
                .on_hover_text(tr.facts_toggle_hint);
            let accessible = format!("{} {}: {name}", tr.facts_sentence, index + 1);
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::CheckBox, true, is_on, accessible.clone())
            });
            if response.clicked() {
                clicked = Some(label);
            }
        }
    });
    clicked
}

/// The kind of client (seed 000), from the client's record; returns a new choice.
fn kind_ui(ui: &mut Ui, tr: &Strings, current: Option<ClientKind>) -> Option<Option<ClientKind>> {
    let mut chosen = None;
    let kind_label = ui.label(RichText::new(tr.field_kind).strong());
    egui::ComboBox::from_id_salt("cooldown_client_kind")
        .selected_text(format::kind(tr, current))
        .width(280.0)
        .show_ui(ui, |ui| {
            for kind in [
                None,
                Some(ClientKind::BadDay),
                Some(ClientKind::LetDown),
                Some(ClientKind::Defects),
                Some(ClientKind::Lost),
            ] {
                if crate::ui::widgets::combo_option_ui(ui, current == kind, format::kind(tr, kind))
                    .on_hover_text(format::kind_explanation(tr, kind))
                    .clicked()
                    && current != kind
                {
                    chosen = Some(kind);
                }
            }
        })
        .response
        .labelled_by(kind_label.id);
    ui.label(
        RichText::new(format::kind_explanation(tr, current))
            .small()
            .weak(),
    );
    ui.label(RichText::new(tr.facts_kind_saved_hint).small().weak());
    chosen
}

/// The sentence with the words behind its marks highlighted.
fn highlighted_job(ui: &Ui, sentence: &SentenceReview) -> LayoutJob {
    let text = sentence.text();
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
    let offset = sentence.start();
    let mut is_marked = vec![false; text.len()];
    for reason in sentence.reasons() {
        let start = reason.start.saturating_sub(offset).min(text.len());
        let end = reason.end.saturating_sub(offset).min(text.len());
        for flag in &mut is_marked[start..end.max(start)] {
            *flag = true;
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
