//! The client's Picture, the centre's second tab: this month's minutes against the allowance,
//! what to do when the client goes over it (seed 002), the minutes of every month and the heat
//! of every message as plots, and the trend in words. Each plot has a table beside it for the
//! keyboard and screen readers; a heat point opens its message in the journal.

use egui::accesskit::Role;
use egui::{Color32, Id, Modal, ProgressBar, RichText, TextEdit, Ui, WidgetInfo};
use egui_plot::{
    Bar, BarChart, Corner, HLine, Legend, MarkerShape, Plot, PlotPoint, PlotTransform, Points,
};

/// Months within the allowance and messages that crossed no line.
const CALM_COLOUR: Color32 = Color32::from_rgb(90, 150, 220);
const ALLOWANCE_COLOUR: Color32 = Color32::from_rgb(120, 200, 120);

use super::action::{Action, Command};
use super::strings::fill;
use super::{Strings, format};
use crate::domain::journal::JournalWindow;
use crate::domain::ledger::letters::{
    BiggerPlan, ExtraTime, ProposalInput, invoice_note, plan_proposal,
};
use crate::domain::ledger::{
    AllowanceSource, Billing, ClientLedger, CostPerMinute, HeatMark, HeatTrend,
};
use crate::domain::reply::{ReplyLanguage, Signature, Templates};
use crate::domain::{Client, ClientId, ClientKind, CoolDownId, ExchangeId};

/// Where egui_plot keeps a client's minutes plot between frames (its bounds and where it was
/// drawn); a test finds a bar or a point on screen through it.
pub fn minutes_plot_id(client_id: ClientId) -> Id {
    Id::unique(("minutes_plot", client_id.0))
}

/// Where egui_plot keeps a client's heat plot between frames.
pub fn heat_plot_id(client_id: ClientId) -> Id {
    Id::unique(("heat_plot", client_id.0))
}

/// Names a plot for screen readers (a plot is otherwise a nameless area).
fn name_plot(response: &egui::Response, name: &str) {
    response.widget_info(|| WidgetInfo::labeled(Role::Image, true, name));
}

/// Which of the centre's two pages shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CentreTab {
    #[default]
    Journal,
    Picture,
}

/// A letter drafted from the ledger, edited before it is copied.
#[derive(Debug)]
struct Letter {
    title: &'static str,
    text: String,
}

#[derive(Debug, Default)]
pub struct PictureView {
    pub tab: CentreTab,
    letter: Option<Letter>,
    /// The page (or its place, while it is read) was drawn on the last frame.
    on_screen: bool,
}

/// What the page shows.
pub struct PictureData<'a> {
    pub client: &'a Client,
    pub ledger: &'a ClientLedger,
    /// Messages not in the heat plot yet (still being read).
    pub unread: usize,
    /// The journal rows held (a hovered point shows the start of its message when held).
    pub journal: &'a JournalWindow,
    pub cost: Option<CostPerMinute>,
    pub templates: &'a Templates,
    pub signature: &'a Signature,
    /// The client's cool-down in progress, if there is one.
    pub open_cooldown: Option<CoolDownId>,
}

impl PictureView {
    /// Whether the last frame drew the page or its place: the app reads the ledger behind it
    /// only then, and drops it once something else takes the centre.
    pub fn is_on_screen(&self) -> bool {
        self.on_screen
    }

    /// Set by the layout as it draws the centre (false at the start of each frame).
    pub(super) fn set_on_screen(&mut self, on_screen: bool) {
        self.on_screen = on_screen;
    }

    /// The Journal | Picture switch above the centre.
    pub fn tabs_ui(&mut self, ui: &mut Ui, tr: &Strings) {
        ui.horizontal(|ui| {
            for (tab, name) in [
                (CentreTab::Journal, tr.tab_journal),
                (CentreTab::Picture, tr.tab_picture),
            ] {
                ui.selectable_value(&mut self.tab, tab, name);
            }
        });
        ui.separator();
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, data: &PictureData<'_>) -> Option<Action> {
        let mut action = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(fill(tr.picture_heading, &[("client", &data.client.name)]));
                kind_ui(ui, tr, data.client.kind);
                ui.add_space(6.0);
                this_month_ui(ui, tr, data.ledger);
                let over = if data.ledger.is_over() {
                    self.over_ui(ui, tr, data)
                } else {
                    None
                };
                ui.add_space(8.0);
                minutes_plot_ui(ui, tr, data.ledger);
                ui.add_space(8.0);
                over.or(heat_plot_ui(ui, tr, data))
            })
            .inner;
        if let Some(copy) = self.letter_ui(ui.ctx(), tr) {
            action = Some(copy);
        }
        if matches!(action, Some(Action::Do(Command::OpenSearchHit { .. }))) {
            self.tab = CentreTab::Journal;
        }
        action
    }

    /// Over the allowance: by how much, what it is worth, and seed 002's three ways on.
    fn over_ui(&mut self, ui: &mut Ui, tr: &Strings, data: &PictureData<'_>) -> Option<Action> {
        let ledger = data.ledger;
        let mut action = None;
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.0, ui.visuals().warn_fg_color))
            .show(ui, |ui| {
                over_summary_ui(ui, tr, ledger);
                if ledger.project.is_some() {
                    // A one-off fee has no plan: nothing to bill beyond or to enlarge.
                    ui.label(tr.picture_project_options);
                    action = part_ways_ui(ui, tr, data);
                    return;
                }
                ui.label(tr.picture_options);
                let extra = ExtraTime::of(ledger.this_month, data.cost);
                let language = ledger
                    .last_heat()
                    .map_or(ReplyLanguage::English, |mark| mark.language);
                ui.horizontal_wrapped(|ui| {
                    let can_bill = extra.is_some();
                    let bill = ui.add_enabled(can_bill, egui::Button::new(tr.picture_bill_extra));
                    if bill.on_disabled_hover_text(tr.letter_no_cost).clicked()
                        && let Some(extra) = &extra
                    {
                        self.letter = Some(Letter {
                            title: tr.letter_invoice_title,
                            text: invoice_note(language, extra),
                        });
                    }
                    let propose =
                        ui.add_enabled(can_bill, egui::Button::new(tr.picture_propose_plan));
                    if propose.on_disabled_hover_text(tr.letter_no_cost).clicked()
                        && let Some(extra) = &extra
                    {
                        self.letter = Some(Letter {
                            title: tr.letter_plan_title,
                            text: proposal_text(data, extra, language),
                        });
                    }
                    action = part_ways_ui(ui, tr, data);
                });
            });
        action
    }

    /// The drafted letter: editable, copied with one click.
    fn letter_ui(&mut self, ctx: &egui::Context, tr: &Strings) -> Option<Action> {
        let letter = self.letter.as_mut()?;
        let mut action = None;
        let mut close = false;
        let modal = Modal::new(Id::unique("ledger_letter")).show(ctx, |ui| {
            ui.set_width(560.0);
            let heading = super::widgets::dialog_heading_ui(ui, letter.title);
            ui.label(RichText::new(tr.letter_body).small().weak());
            ui.add(
                TextEdit::multiline(&mut letter.text)
                    .desired_rows(10)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(heading.id);
            ui.horizontal(|ui| {
                if ui.button(tr.letter_copy).clicked() {
                    action = Some(Action::Copy(letter.text.clone()));
                    close = true;
                }
                if ui.button(tr.close_button).clicked() {
                    close = true;
                }
            });
        });
        if close || modal.should_close() {
            self.letter = None;
        }
        action
    }
}

fn proposal_text(data: &PictureData<'_>, extra: &ExtraTime, language: ReplyLanguage) -> String {
    plan_proposal(&ProposalInput {
        language,
        contact_person: &data.client.contact_person,
        extra,
        plan: BiggerPlan::for_usage(extra, data.client.billing_period),
        template: data.templates.get(language),
        signature: data.signature,
    })
}

/// "Consider parting ways": the client's cool-down in progress, or a new one on the last message.
fn part_ways_ui(ui: &mut Ui, tr: &Strings, data: &PictureData<'_>) -> Option<Action> {
    let last_message = data.ledger.last_heat().map(|mark| mark.exchange_id);
    let command = match (data.open_cooldown, last_message) {
        (Some(cooldown_id), _) => Some(Command::OpenCoolDown(cooldown_id)),
        (None, Some(exchange_id)) => Some(Command::StartCoolDown(exchange_id)),
        (None, None) => None,
    };
    let button = ui
        .add_enabled(command.is_some(), egui::Button::new(tr.picture_part_ways))
        .on_hover_text(tr.picture_part_ways_hint)
        .on_disabled_hover_text(tr.picture_no_message);
    button
        .clicked()
        .then_some(command)
        .flatten()
        .map(Action::Do)
}

fn kind_ui(ui: &mut Ui, tr: &Strings, kind: Option<ClientKind>) {
    ui.horizontal_wrapped(|ui| {
        let badge = RichText::new(format::kind(tr, kind)).strong();
        let badge = if kind == Some(ClientKind::Lost) {
            badge.color(ui.visuals().warn_fg_color)
        } else {
            badge
        };
        ui.label(badge);
        ui.label(format::kind_explanation(tr, kind));
        match kind {
            Some(ClientKind::Lost) => {
                ui.label(RichText::new(tr.picture_kind_guidance_part).strong());
            }
            Some(_) => {
                ui.label(RichText::new(tr.picture_kind_guidance_keep).strong());
            }
            None => {}
        }
    });
}

/// This month's bar: minutes against the allowance, or the time and its value where the fee
/// buys no allowance.
fn this_month_ui(ui: &mut Ui, tr: &Strings, ledger: &ClientLedger) {
    let month = ledger.this_month;
    ui.label(
        RichText::new(fill(
            tr.picture_this_month,
            &[("month", &format::month(tr, month.month))],
        ))
        .strong(),
    );
    let used = format::minutes(tr, month.minutes);
    match (month.allowance, ledger.billing) {
        (Some(allowance), _) => {
            let percent = month.percent().map_or_else(String::new, |p| p.to_string());
            let text = fill(
                tr.picture_used_of,
                &[
                    ("used", &used),
                    ("allowance", &format::minutes(tr, allowance.minutes)),
                    ("percent", &percent),
                ],
            );
            usage_bar_ui(ui, month.minutes, allowance.minutes, text);
            ui.label(
                RichText::new(match allowance.source {
                    AllowanceSource::Fee => tr.picture_allowance_from_fee,
                    AllowanceSource::Override => tr.picture_allowance_set,
                })
                .small()
                .weak(),
            );
        }
        (None, Billing::Hourly { .. }) => {
            ui.label(fill(tr.picture_used, &[("used", &used)]));
            if let Some(value) = ledger.this_month_value {
                ui.label(fill(tr.picture_hourly, &[("value", &value.to_string())]));
            }
        }
        (None, Billing::Project { .. }) => project_ui(ui, tr, ledger),
        (None, _) => {
            ui.label(fill(tr.picture_used, &[("used", &used)]));
            ui.label(RichText::new(tr.picture_no_allowance).small().weak());
        }
    }
}

fn project_ui(ui: &mut Ui, tr: &Strings, ledger: &ClientLedger) {
    let Some(project) = ledger.project else {
        return;
    };
    let used = format::minutes(tr, project.minutes);
    match project.budget {
        Some(budget) => {
            let text = fill(
                tr.picture_project,
                &[("used", &used), ("budget", &format::minutes(tr, budget))],
            );
            usage_bar_ui(ui, project.minutes, budget, text);
        }
        None => {
            ui.label(fill(tr.picture_project_no_budget, &[("used", &used)]));
        }
    }
    if let Some(value) = project.value {
        ui.label(fill(tr.picture_worth, &[("value", &value.to_string())]));
    }
}

/// A bar filled to the share used, red past the allowance, with the figures written on it.
fn usage_bar_ui(ui: &mut Ui, used: u64, allowance: u64, text: String) {
    #[expect(
        clippy::cast_precision_loss,
        reason = "a bar's fill: a ratio of minutes"
    )]
    let share = if allowance == 0 {
        1.0
    } else {
        (used as f32 / allowance as f32).min(1.0)
    };
    let colour = if used > allowance {
        ui.visuals().error_fg_color
    } else {
        ui.visuals().selection.bg_fill
    };
    ui.add(
        ProgressBar::new(share)
            .desired_width(360.0)
            .fill(colour)
            .text(text),
    );
}

fn over_summary_ui(ui: &mut Ui, tr: &Strings, ledger: &ClientLedger) {
    let warn = ui.visuals().warn_fg_color;
    if let Some(project) = ledger.project {
        let over = project.over();
        let text = fill(
            tr.picture_project_over,
            &[("minutes", &format::minutes(tr, over))],
        );
        ui.label(RichText::new(text).strong().color(warn));
        return;
    }
    let text = fill(
        tr.picture_over,
        &[("minutes", &format::minutes(tr, ledger.this_month.overrun()))],
    );
    ui.label(RichText::new(text).strong().color(warn));
    if let Some(value) = ledger.overrun_value {
        ui.label(fill(
            tr.picture_over_value,
            &[("value", &value.to_string())],
        ));
    }
    let total = ledger.months.len().to_string();
    ui.label(fill(
        tr.picture_months_over,
        &[
            ("count", &ledger.months_over().to_string()),
            ("total", &total),
        ],
    ));
}

/// Minutes per month over the contract, with the allowance as a line, and the same as a table.
fn minutes_plot_ui(ui: &mut Ui, tr: &Strings, ledger: &ClientLedger) {
    ui.label(RichText::new(tr.picture_minutes_plot).strong());
    let allowance = ledger.allowance.map(|allowance| allowance.minutes);
    let (within, over) = (CALM_COLOUR, ui.visuals().error_fg_color);
    let bars: Vec<Bar> = ledger
        .months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            #[expect(clippy::cast_precision_loss, reason = "plot coordinates")]
            let bar =
                Bar::new(index as f64, month.minutes as f64).name(format::month(tr, month.month));
            let colour = if allowance.is_some_and(|allowance| month.minutes > allowance) {
                over
            } else {
                within
            };
            bar.fill(colour).stroke(egui::Stroke::new(1.0, colour))
        })
        .collect();
    let labels: Vec<String> = ledger
        .months
        .iter()
        .map(|m| format::short_month(tr, m.month))
        .collect();
    let response = Plot::new("minutes_plot")
        .id(minutes_plot_id(ledger.client_id))
        .height(180.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            usize::try_from(mark.value.round() as i64)
                .ok()
                .filter(|_| (mark.value - mark.value.round()).abs() < f64::EPSILON)
                .and_then(|index| labels.get(index).cloned())
                .unwrap_or_default()
        })
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(tr.picture_minutes_series, bars)
                    .width(0.6)
                    .color(within),
            );
            if let Some(allowance) = allowance {
                #[expect(clippy::cast_precision_loss, reason = "plot coordinates")]
                let line = HLine::new(tr.picture_allowance_line, allowance as f64)
                    .color(ALLOWANCE_COLOUR)
                    .width(2.0);
                plot.hline(line);
            }
        });
    name_plot(&response.response, tr.picture_minutes_plot_name);
    egui::CollapsingHeader::new(tr.picture_as_table)
        .id_salt("minutes_table")
        .show(ui, |ui| {
            for month in ledger.months.iter().rev() {
                ui.label(fill(
                    tr.picture_month_row,
                    &[
                        ("month", &format::month(tr, month.month)),
                        ("used", &format::minutes(tr, month.minutes)),
                    ],
                ));
            }
        });
}

/// The heat of every message over time, threats and insults marked; pointing at a point shows
/// the message, clicking opens it. Below: the trend in words, and the same as a list.
/// The most the heat table takes of the Picture's height; it scrolls within.
const HEAT_TABLE_HEIGHT: f32 = 320.0;

fn heat_plot_ui(ui: &mut Ui, tr: &Strings, data: &PictureData<'_>) -> Option<Action> {
    let ledger = data.ledger;
    ui.label(RichText::new(tr.picture_heat_plot).strong());
    ui.label(trend_text(tr, ledger.trend));
    if data.unread > 0 {
        ui.label(RichText::new(tr.count(tr.picture_unread, data.unread as u64)).weak());
    }
    if ledger.heat.is_empty() {
        ui.label(tr.picture_no_messages);
        return None;
    }
    ui.label(RichText::new(tr.picture_heat_hint).small().weak());
    let mut action = heat_points_ui(ui, tr, data);
    egui::CollapsingHeader::new(tr.picture_as_table)
        .id_salt("heat_table")
        .show(ui, |ui| {
            // Newest first, and only the rows on screen laid out: a journal of years has tens
            // of thousands of messages.
            let row_height =
                ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
            let count = ledger.heat.len();
            egui::ScrollArea::vertical()
                .id_salt("heat_table_rows")
                .max_height(HEAT_TABLE_HEIGHT)
                .auto_shrink([false, true])
                .show_rows(ui, row_height, count, |ui, rows| {
                    for mark in rows.map(|row| &ledger.heat[count - 1 - row]) {
                        if ui.link(heat_row_text(tr, mark)).clicked() {
                            action = Some(open_entry(data, mark.exchange_id));
                        }
                    }
                });
        });
    action
}

fn open_entry(data: &PictureData<'_>, exchange_id: ExchangeId) -> Action {
    Action::Do(Command::OpenSearchHit {
        client_id: data.client.client_id,
        exchange_id,
    })
}

fn heat_row_text(tr: &Strings, mark: &HeatMark) -> String {
    let mut text = fill(
        tr.picture_heat_row,
        &[
            ("date", &format::date(tr, mark.at)),
            ("heat", &mark.heat.to_string()),
        ],
    );
    for (flag, word) in [
        (mark.threatened, tr.picture_threat),
        (mark.insulted, tr.picture_insult),
    ] {
        if flag {
            text.push_str(", ");
            text.push_str(word);
        }
    }
    text
}

fn plot_x(mark: &HeatMark) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "days on a plot axis")]
    let days = mark.at.timestamp() as f64 / 86_400.0;
    days
}

fn heat_points_ui(ui: &mut Ui, tr: &Strings, data: &PictureData<'_>) -> Option<Action> {
    let heat = &data.ledger.heat;
    let series = |keep: fn(&HeatMark) -> bool| -> Vec<[f64; 2]> {
        heat.iter()
            .filter(|mark| keep(mark))
            .map(|mark| [plot_x(mark), f64::from(mark.heat)])
            .collect()
    };
    let calm = series(|mark| !mark.crossed_line());
    let threats = series(|mark| mark.threatened);
    let insults = series(|mark| mark.insulted && !mark.threatened);
    let (red, orange) = (ui.visuals().error_fg_color, Color32::from_rgb(230, 140, 30));
    let response = Plot::new("heat_plot")
        .id(heat_plot_id(data.ledger.client_id))
        .height(200.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .include_y(0.0)
        .include_y(100.0)
        .allow_scroll(false)
        .x_axis_formatter(|mark, _| {
            chrono::DateTime::from_timestamp((mark.value * 86_400.0) as i64, 0)
                .map(|instant| format::date(tr, instant))
                .unwrap_or_default()
        })
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.points(
                Points::new(tr.picture_heat_series, calm)
                    .radius(4.0)
                    .color(CALM_COLOUR),
            );
            plot.points(
                Points::new(tr.picture_threats_series, threats)
                    .radius(6.0)
                    .shape(MarkerShape::Diamond)
                    .color(red),
            );
            plot.points(
                Points::new(tr.picture_insults_series, insults)
                    .radius(6.0)
                    .shape(MarkerShape::Square)
                    .color(orange),
            );
        });
    name_plot(&response.response, tr.picture_heat_plot_name);
    let pointer = response.response.hover_pos()?;
    let nearest = nearest_mark(heat, &response.transform, pointer)?;
    let preview = data
        .journal
        .position_of(nearest.exchange_id)
        .and_then(|position| data.journal.row(position))
        .map(|summary| summary.preview.chars().take(160).collect::<String>());
    let clicked = response.response.clicked();
    response.response.on_hover_ui_at_pointer(|ui| {
        ui.label(RichText::new(heat_row_text(tr, nearest)).strong());
        if let Some(preview) = preview {
            ui.label(preview);
        }
    });
    clicked.then(|| open_entry(data, nearest.exchange_id))
}

/// How near the pointer must be to a point, in points, for it to be the one meant.
const POINT_REACH: f32 = 10.0;

/// The message whose point is nearest the pointer, if one is within reach.
fn nearest_mark<'a>(
    heat: &'a [HeatMark],
    transform: &PlotTransform,
    pointer: egui::Pos2,
) -> Option<&'a HeatMark> {
    heat.iter()
        .map(|mark| {
            let at =
                transform.position_from_point(&PlotPoint::new(plot_x(mark), f64::from(mark.heat)));
            (mark, at.distance(pointer))
        })
        .filter(|(_, distance)| *distance < POINT_REACH)
        .min_by(|left, right| left.1.total_cmp(&right.1))
        .map(|(mark, _)| mark)
}

/// The trend said in words (seed 003: "the last few messages are hotter than before").
pub fn trend_text(tr: &Strings, trend: HeatTrend) -> String {
    let (template, window) = match trend {
        HeatTrend::Rising { window } => (tr.picture_trend_rising, window),
        HeatTrend::Falling { window } => (tr.picture_trend_falling, window),
        HeatTrend::Steady { window } => (tr.picture_trend_steady, window),
        HeatTrend::TooFew => return tr.picture_trend_too_few.to_owned(),
    };
    tr.count(template, window as u64)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};
    use egui_plot::PlotBounds;

    use super::*;

    fn mark(exchange_id: i64, day: u32, heat: u8) -> HeatMark {
        HeatMark {
            exchange_id: ExchangeId(exchange_id),
            at: Utc.with_ymd_and_hms(2026, 5, day, 0, 0, 0).unwrap(),
            heat,
            threatened: false,
            insulted: false,
            language: ReplyLanguage::English,
        }
    }

    #[test]
    fn the_point_under_the_pointer_is_the_message_opened_and_empty_space_opens_nothing() {
        let heat = [mark(1, 1, 10), mark(2, 11, 90), mark(3, 12, 20)];
        // 1 May to 21 May across 200 points, heat 0–100 across 100 points (y grows upwards).
        let (first, last) = (plot_x(&heat[0]), plot_x(&heat[0]) + 20.0);
        let frame = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(200.0, 100.0));
        let transform = PlotTransform::new(
            frame,
            PlotBounds::from_min_max([first, 0.0], [last, 100.0]),
            false,
        );
        // 11 May is x = 100; heat 90 is y = 10.
        let hit = nearest_mark(&heat, &transform, egui::pos2(103.0, 12.0)).unwrap();
        assert_eq!(hit.exchange_id, ExchangeId(2));
        // Between two points, the nearer wins: 12 May, heat 20 is (110, 80).
        let hit = nearest_mark(&heat, &transform, egui::pos2(108.0, 78.0)).unwrap();
        assert_eq!(hit.exchange_id, ExchangeId(3));
        assert!(nearest_mark(&heat, &transform, egui::pos2(50.0, 50.0)).is_none());
    }
}
