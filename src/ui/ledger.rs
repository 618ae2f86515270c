//! The overview of all clients, "who costs me the most for the money?": one row per client with
//! the fee, this month's minutes, the share of the allowance, what the overrun is worth, the
//! last heat and its trend, open cool-downs, kind and status. Every column sorts; an overrun
//! and a rising heat stand out. Months step back and forth.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::action::{Action, Command};
use super::strings::fill;
use super::{Strings, format};
use crate::domain::ledger::{
    Billing, ClientLedger, HeatMark, HeatTrend, LedgerColumn, LedgerRow, YearMonth, compare_rows,
};

/// What the overview shows: a month's rows, as the app computed them.
#[derive(Clone, Copy)]
pub struct LedgerData<'a> {
    pub month: YearMonth,
    pub rows: &'a [LedgerRow],
    /// Messages whose heat is not counted yet.
    pub unread: usize,
    pub has_cost: bool,
}

#[derive(Debug, Default)]
pub struct LedgerView {
    sort: LedgerColumn,
    ascending: bool,
}

fn column_name(tr: &Strings, column: LedgerColumn) -> &'static str {
    match column {
        LedgerColumn::Name => tr.ledger_col_name,
        LedgerColumn::Fee => tr.ledger_col_fee,
        LedgerColumn::Minutes => tr.ledger_col_minutes,
        LedgerColumn::Percent => tr.ledger_col_percent,
        LedgerColumn::Overrun => tr.ledger_col_overrun,
        LedgerColumn::Heat => tr.ledger_col_heat,
        LedgerColumn::Trend => tr.ledger_col_trend,
        LedgerColumn::CoolDowns => tr.ledger_col_cooldowns,
        LedgerColumn::Kind => tr.ledger_col_kind,
        LedgerColumn::Status => tr.ledger_col_status,
    }
}

/// One cell's text; the second value says whether it should stand out.
fn cell_text(tr: &Strings, row: &LedgerRow, column: LedgerColumn) -> (String, bool) {
    let ledger = &row.ledger;
    let none = || tr.ledger_none.to_owned();
    match column {
        LedgerColumn::Name => (row.client.name.clone(), false),
        LedgerColumn::Fee => (
            row.client.fee.map_or_else(none, |fee| {
                format!(
                    "{fee} / {}",
                    format::billing_period(tr, row.client.billing_period)
                )
            }),
            false,
        ),
        LedgerColumn::Minutes => minutes_cell(tr, ledger),
        LedgerColumn::Percent => (
            ledger
                .this_month
                .percent()
                .map_or_else(none, |percent| format!("{percent}%")),
            ledger.this_month.is_over(),
        ),
        LedgerColumn::Overrun => match ledger.overrun_value {
            Some(value) if ledger.this_month.is_over() => (value.to_string(), true),
            _ if ledger.this_month.is_over() => {
                (format::minutes(tr, ledger.this_month.overrun()), true)
            }
            _ => (none(), false),
        },
        LedgerColumn::Heat => (
            ledger
                .last_heat()
                .map_or_else(none, |mark| mark.heat.to_string()),
            ledger.last_heat().is_some_and(HeatMark::crossed_line),
        ),
        LedgerColumn::Trend => (
            match ledger.trend {
                HeatTrend::Rising { .. } => tr.trend_rising,
                HeatTrend::Falling { .. } => tr.trend_falling,
                HeatTrend::Steady { .. } => tr.trend_steady,
                HeatTrend::TooFew => tr.ledger_none,
            }
            .to_owned(),
            ledger.trend.is_rising(),
        ),
        LedgerColumn::CoolDowns => (row.open_cooldowns.to_string(), false),
        LedgerColumn::Kind => (format::kind(tr, row.client.kind).to_owned(), false),
        LedgerColumn::Status => (format::status(tr, row.client.status).to_owned(), false),
    }
}

/// The month's minutes; for hourly and one-off work, which have no allowance to weigh them
/// against, what they are worth too. A project past its budget stands out.
fn minutes_cell(tr: &Strings, ledger: &ClientLedger) -> (String, bool) {
    let minutes = format::minutes(tr, ledger.this_month.minutes);
    let text = match (ledger.billing, ledger.this_month_value) {
        (Billing::Hourly { .. } | Billing::Project { .. }, Some(value)) => fill(
            tr.ledger_minutes_worth,
            &[("minutes", &minutes), ("value", &value.to_string())],
        ),
        _ => minutes,
    };
    (
        text,
        ledger.project.is_some_and(|project| project.is_over()),
    )
}

impl LedgerView {
    pub fn ui(&mut self, ui: &mut Ui, tr: &Strings, data: &LedgerData<'_>) -> Option<Action> {
        let mut action = Self::header_ui(ui, tr, data);
        if data.rows.is_empty() {
            ui.label(tr.ledger_no_clients);
            return action;
        }
        let mut order: Vec<&LedgerRow> = data.rows.iter().collect();
        let descending = !self.ascending;
        order.sort_by(|left, right| compare_rows(left, right, self.sort, descending));
        let warn = ui.visuals().warn_fg_color;
        egui::ScrollArea::horizontal().show(ui, |ui| {
            self.table_ui(ui, tr, &order, warn, &mut action);
        });
        action
    }

    fn table_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Strings,
        order: &[&LedgerRow],
        warn: egui::Color32,
        action: &mut Option<Action>,
    ) {
        TableBuilder::new(ui)
            .striped(true)
            .resizable(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(220.0).at_least(120.0).clip(true))
            .columns(Column::auto().at_least(50.0), LedgerColumn::ALL.len() - 1)
            .header(24.0, |mut header| {
                for column in LedgerColumn::ALL {
                    header.col(|ui| self.column_header_ui(ui, tr, column));
                }
            })
            .body(|mut body| {
                for row in order {
                    body.row(22.0, |mut table_row| {
                        for column in LedgerColumn::ALL {
                            table_row.col(|ui| {
                                let (text, stands_out) = cell_text(tr, row, column);
                                if column == LedgerColumn::Name {
                                    let open = ui.link(text).on_hover_text(fill(
                                        tr.ledger_open_client,
                                        &[("client", &row.client.name)],
                                    ));
                                    if open.clicked() {
                                        *action = Some(Action::Do(Command::SelectClient(
                                            row.client.client_id,
                                        )));
                                    }
                                } else if stands_out {
                                    ui.label(RichText::new(text).strong().color(warn));
                                } else {
                                    ui.label(text);
                                }
                            });
                        }
                    });
                }
            });
    }

    /// The month with its arrows, the way back, and what is not counted yet.
    fn header_ui(ui: &mut Ui, tr: &Strings, data: &LedgerData<'_>) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            if ui
                .button(format!("◀ {}", tr.ledger_previous_month))
                .clicked()
            {
                action = Some(Action::Do(Command::ShowLedger(data.month.previous())));
            }
            ui.heading(fill(
                tr.ledger_heading,
                &[("month", &format::month(tr, data.month))],
            ));
            if ui.button(format!("{} ▶", tr.ledger_next_month)).clicked() {
                action = Some(Action::Do(Command::ShowLedger(data.month.next())));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(tr.ledger_close).clicked() {
                    action = Some(Action::Do(Command::CloseLedger));
                }
            });
        });
        ui.label(RichText::new(tr.ledger_intro).weak());
        if !data.has_cost {
            ui.label(RichText::new(tr.ledger_no_cost).color(ui.visuals().warn_fg_color));
        }
        if data.unread > 0 {
            ui.label(RichText::new(tr.count(tr.ledger_unread, data.unread as u64)).weak());
        }
        ui.add_space(4.0);
        action
    }

    /// A column's header: a button that sorts by it, again to turn the order round.
    fn column_header_ui(&mut self, ui: &mut Ui, tr: &Strings, column: LedgerColumn) {
        let name = column_name(tr, column);
        let button = ui
            .add(egui::Button::new(RichText::new(name).strong()).frame(false))
            .on_hover_text(fill(tr.ledger_sorted_by, &[("column", name)]));
        if self.sort == column {
            ui.label(if self.ascending { "⏶" } else { "⏷" });
        }
        if button.clicked() {
            if self.sort == column {
                self.ascending = !self.ascending;
            } else {
                self.sort = column;
                self.ascending = column == LedgerColumn::Name;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};

    use super::*;
    use crate::domain::ledger::{CostPerMinute, client_ledger};
    use crate::domain::{BillingPeriod, Client, ClientId, ClientStatus, Contract, Money};
    use crate::ui::UiLanguage;

    fn ledger(fee: i64, period: BillingPeriod, minutes: u32) -> ClientLedger {
        let at = Utc.with_ymd_and_hms(2026, 5, 2, 12, 0, 0).unwrap();
        let usd = crate::domain::Currency::parse("USD").unwrap();
        let client = Client {
            client_id: ClientId(1),
            name: "Studio".into(),
            contact: String::new(),
            contact_person: String::new(),
            contract: Contract::default(),
            fee: Some(Money {
                minor_units: fee,
                currency: usd,
            }),
            billing_period: period,
            included_support: None,
            status: ClientStatus::Active,
            ending: None,
            scheduled_end: None,
            kind: None,
            notes: String::new(),
            created_at: at,
            updated_at: at,
        };
        let cost = CostPerMinute::parse("0.10", "USD");
        let month = YearMonth::of_instant(at, &Utc);
        client_ledger(&client, [(at, minutes)], Vec::new(), cost, &Utc, month)
    }

    #[test]
    fn the_minutes_of_hourly_and_one_off_work_say_their_worth_and_a_project_over_stands_out() {
        let tr = UiLanguage::English.strings();
        let within = ledger(3000, BillingPeriod::Project, 280);
        assert_eq!(
            minutes_cell(tr, &within),
            ("4 h 40 min, worth 28 USD".to_owned(), false)
        );
        let over = ledger(3000, BillingPeriod::Project, 320);
        assert_eq!(
            minutes_cell(tr, &over),
            ("5 h 20 min, worth 32 USD".to_owned(), true)
        );
        let hourly = ledger(9000, BillingPeriod::Hour, 50);
        assert_eq!(
            minutes_cell(tr, &hourly),
            ("50 min, worth 75 USD".to_owned(), false)
        );
        let monthly = ledger(2000, BillingPeriod::Month, 260);
        assert_eq!(minutes_cell(tr, &monthly), ("4 h 20 min".to_owned(), false));
    }
}
