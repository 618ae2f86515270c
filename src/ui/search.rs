//! Search across every journal, answered as the user types: FTS5 prefix matches with the
//! matching words highlighted. Clicking a result opens that client at that entry.

use egui::text::LayoutJob;
use egui::{Id, RichText, TextEdit, TextFormat, Ui};

use super::action::{Action, Command};
use super::{Strings, format};
use crate::domain::search::{SearchHit, SearchOrder, is_specific_enough};

/// How many results are shown; a broader query asks the user to type more.
pub const RESULT_LIMIT: usize = 100;

#[derive(Debug, Default)]
pub struct SearchView {
    pub query: String,
    pub order: SearchOrder,
    pub hits: Vec<SearchHit>,
    /// The best matches were chosen among this many newest (there were more matches).
    ranked_within: Option<usize>,
    /// The query the hits answer, so a changed box triggers a new search.
    answered: Option<(String, SearchOrder)>,
    /// A short query (one or two letters) the user asked for with Enter.
    confirmed_short: Option<String>,
    /// A query has been sent and its answer has not arrived yet.
    is_pending: bool,
}

impl SearchView {
    pub fn box_id() -> Id {
        Id::unique("global_search_box")
    }

    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty()
    }

    /// Long enough to search as the user types, or confirmed with Enter.
    fn is_ready(&self) -> bool {
        let query = self.query.trim();
        is_specific_enough(query) || self.confirmed_short.as_deref() == Some(query)
    }

    pub fn set_results(&mut self, query: String, order: SearchOrder, hits: Vec<SearchHit>) {
        self.set_answer(query, order, hits, None);
    }

    /// [`SearchView::set_results`] with the worker's `ranked_within` (`SearchAnswer`), which
    /// the results then say in a line of their own.
    pub fn set_answer(
        &mut self,
        query: String,
        order: SearchOrder,
        hits: Vec<SearchHit>,
        ranked_within: Option<usize>,
    ) {
        // A late answer to a query the user has already changed is not shown.
        if self
            .answered
            .as_ref()
            .is_none_or(|answered| *answered == (query.clone(), order))
        {
            self.answered = Some((query, order));
            self.hits = hits;
            self.ranked_within = ranked_within;
            self.is_pending = false;
        }
    }

    pub fn is_pending(&self) -> bool {
        self.is_pending
    }

    /// The query has been handed to the search worker.
    pub fn set_pending(&mut self, query: String, order: SearchOrder) {
        self.answered = Some((query, order));
        self.is_pending = true;
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The search box in the top bar.
    pub fn box_ui(&mut self, ui: &mut Ui, tr: &Strings) -> Option<Action> {
        let label = ui.label(tr.search_label);
        let response = ui
            .add(
                TextEdit::singleline(&mut self.query)
                    .id(Self::box_id())
                    .hint_text(crate::ui::widgets::hint(tr.search_hint))
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
        if response.has_focus() && ui.input(|input| input.key_pressed(egui::Key::Escape)) {
            self.clear();
            response.surrender_focus();
        }
        if response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
            self.confirmed_short = Some(self.query.trim().to_owned());
            response.request_focus();
        }
        if self.is_active()
            && super::widgets::spoken_button_name(ui.small_button("✖"), tr.search_clear)
                .on_hover_text(tr.search_clear)
                .clicked()
        {
            self.clear();
        }
        let wanted = (self.query.trim().to_owned(), self.order);
        if !self.is_ready() {
            return None;
        }
        let is_unanswered = self.is_active() && self.answered.as_ref() != Some(&wanted);
        is_unanswered.then_some(Action::Search {
            query: wanted.0,
            order: wanted.1,
        })
    }

    /// The results, in the centre while a search is active.
    pub fn results_ui(&mut self, ui: &mut Ui, tr: &Strings) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(tr.search_results_heading);
            ui.label(RichText::new(format!("({})", self.hits.len())).weak());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.selectable_value(&mut self.order, SearchOrder::Newest, tr.search_order_newest);
                ui.selectable_value(
                    &mut self.order,
                    SearchOrder::BestMatch,
                    tr.search_order_best,
                );
            });
        });
        ui.separator();
        if !self.is_ready() {
            ui.label(tr.search_type_more);
            return None;
        }
        if self.is_pending {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(tr.search_searching).weak());
            });
        }
        if self.hits.is_empty() {
            if !self.is_pending {
                ui.label(tr.search_nothing_found);
            }
            return None;
        }
        if self.hits.len() >= RESULT_LIMIT {
            ui.label(RichText::new(tr.search_too_many).weak());
        }
        if let Some(within) = self
            .ranked_within
            .filter(|_| self.order == SearchOrder::BestMatch)
        {
            ui.label(RichText::new(tr.count(tr.search_ranked_within, within as u64)).weak());
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for hit in &self.hits {
                    let header = format!(
                        "{} · {} {} · {}",
                        hit.client_name,
                        format::direction_icon(hit.direction),
                        format::direction(tr, hit.direction),
                        format::date_time(tr, hit.occurred_at),
                    );
                    let snippet_text: String =
                        hit.snippet.iter().map(|part| part.text.as_str()).collect();
                    let frame = egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&header).strong());
                        ui.label(snippet_job(ui, hit));
                    });
                    let response = ui
                        .interact(
                            frame.response.rect,
                            Id::unique(("search_hit", hit.exchange_id.0)),
                            egui::Sense::click(),
                        )
                        .on_hover_cursor(egui::CursorIcon::PointingHand);
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("{header}: {snippet_text}"),
                        )
                    });
                    if response.clicked() {
                        action = Some(Action::Do(Command::OpenSearchHit {
                            client_id: hit.client_id,
                            exchange_id: hit.exchange_id,
                        }));
                    }
                }
            });
        action
    }
}

fn snippet_job(ui: &Ui, hit: &SearchHit) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let normal = TextFormat {
        font_id: font.clone(),
        color: ui.visuals().text_color(),
        ..TextFormat::default()
    };
    let highlighted = TextFormat {
        font_id: font,
        color: ui.visuals().strong_text_color(),
        background: ui.visuals().selection.bg_fill,
        ..TextFormat::default()
    };
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    for part in &hit.snippet {
        job.append(
            &part.text,
            0.0,
            if part.is_match {
                highlighted.clone()
            } else {
                normal.clone()
            },
        );
    }
    job
}
