//! The part of a client's journal the app holds: how many entries and minutes it has, and the
//! rows around what is on screen. A journal of a hundred thousand entries is never read whole;
//! the list asks for the rows it shows ([`JournalWindow::rows_to_read`]) and the app reads them.

use std::ops::Range;

use super::{ExchangeId, ExchangeSummary};

/// Rows read beyond each side of what is on screen, so a scroll rarely waits for a read.
pub const ROWS_AROUND: u64 = 80;

/// How near the edge of the rows held the screen may come before more are read.
const ROWS_MARGIN: u64 = 20;

/// A client's journal as held: the totals and one run of rows, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalWindow {
    /// How many entries the journal has.
    pub entries: u64,
    /// The minutes logged in all of them.
    pub minutes_total: u64,
    /// The position (0 = newest) of the first row held.
    first: u64,
    rows: Vec<ExchangeSummary>,
}

impl JournalWindow {
    /// The totals with the rows read from position `first` on.
    pub fn new(entries: u64, minutes_total: u64, first: u64, rows: Vec<ExchangeSummary>) -> Self {
        Self {
            entries,
            minutes_total,
            first,
            rows,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The row at `position` (0 = newest), if it is held.
    pub fn row(&self, position: u64) -> Option<&ExchangeSummary> {
        let offset = usize::try_from(position.checked_sub(self.first)?).ok()?;
        self.rows.get(offset)
    }

    /// The positions held.
    pub fn held(&self) -> Range<u64> {
        self.first..self.first + self.rows.len() as u64
    }

    /// Where a held entry is in the list.
    pub fn position_of(&self, exchange_id: ExchangeId) -> Option<u64> {
        self.rows
            .iter()
            .position(|row| row.exchange_id == exchange_id)
            .map(|offset| self.first + offset as u64)
    }

    /// The rows to read so that `shown` (positions on screen) and a margin around it are held:
    /// `None` while what is held covers them.
    pub fn rows_to_read(&self, shown: Range<u64>) -> Option<Range<u64>> {
        let shown = shown.start.min(self.entries)..shown.end.min(self.entries);
        let wanted_start = shown.start.saturating_sub(ROWS_MARGIN);
        let wanted_end = (shown.end + ROWS_MARGIN).min(self.entries);
        let held = self.held();
        let covered = held.start <= wanted_start && wanted_end <= held.end;
        (!covered).then(|| Self::around(shown, self.entries))
    }

    /// The positions read for `shown`: it and [`ROWS_AROUND`] rows on each side, within the list.
    pub fn around(shown: Range<u64>, entries: u64) -> Range<u64> {
        let start = shown.start.min(entries).saturating_sub(ROWS_AROUND);
        let end = (shown.end + ROWS_AROUND).min(entries);
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};

    use super::*;
    use crate::domain::{Channel, ClientId, Direction, Minutes};

    fn summary(exchange_id: i64) -> ExchangeSummary {
        ExchangeSummary {
            exchange_id: ExchangeId(exchange_id),
            client_id: ClientId(1),
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
            minutes: Minutes::new(0).unwrap(),
            preview: String::new(),
            body_bytes: 0,
        }
    }

    #[test]
    fn rows_are_found_by_their_position_in_the_whole_list() {
        let window = JournalWindow::new(1000, 0, 500, (0..3).map(summary).collect());
        assert_eq!(window.held(), 500..503);
        assert_eq!(window.row(499), None);
        assert_eq!(window.row(501).unwrap().exchange_id, ExchangeId(1));
        assert_eq!(window.row(503), None);
        assert_eq!(window.position_of(ExchangeId(2)), Some(502));
        assert_eq!(window.position_of(ExchangeId(9)), None);
    }

    #[test]
    fn more_rows_are_read_only_when_the_screen_nears_the_edge_of_what_is_held() {
        let window = JournalWindow::new(
            10_000,
            0,
            1000,
            (0..200).map(|index| summary(index as i64)).collect(),
        );
        // Well inside: nothing to read.
        assert_eq!(window.rows_to_read(1050..1070), None);
        // Near the end of what is held: the screen and rows around it.
        assert_eq!(
            window.rows_to_read(1170..1190),
            Some(1170 - ROWS_AROUND..1190 + ROWS_AROUND)
        );
        // A jump far away.
        assert_eq!(
            window.rows_to_read(5000..5020),
            Some(5000 - ROWS_AROUND..5020 + ROWS_AROUND)
        );
        // The list's own ends bound what is asked for.
        assert_eq!(JournalWindow::around(0..20, 10_000), 0..20 + ROWS_AROUND);
        assert_eq!(
            JournalWindow::around(9990..10_000, 10_000),
            9990 - ROWS_AROUND..10_000
        );
    }

    #[test]
    fn a_short_journal_held_whole_never_asks_for_more() {
        let window = JournalWindow::new(3, 0, 0, (0..3).map(summary).collect());
        assert_eq!(window.rows_to_read(0..3), None);
        assert_eq!(window.rows_to_read(0..40), None);
        let empty = JournalWindow::default();
        assert!(empty.is_empty());
        assert_eq!(empty.rows_to_read(0..20), None);
    }
}
