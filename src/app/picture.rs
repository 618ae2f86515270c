//! The ledger as the app shows it, without egui: the selected client's Picture and the overview
//! of all clients, read from the store's minutes and marks through the domain's one computation
//! (`domain::ledger`), so the window and `calmdesk ledger` agree.
//!
//! A message the file holds no current mark for is read here, a bounded number per refresh, and
//! the marks are kept in memory ([`Readings`]) until `Command::CatchUpReadings` writes them. A
//! message the user reviewed in a cool-down is marked as she left it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Local, TimeZone, Utc};

use crate::domain::Client;
use crate::domain::ledger::{
    ClientLedger, HeatMark, LedgerRow, MonthUse, TREND_WINDOW, YearMonth, client_ledger,
};
use crate::domain::overview::CoolDownSummary;
use crate::domain::{ClientId, ExchangeId};
use crate::reading;
use crate::store::{Marks, Store, StoreResult, Unread};

use super::Settings;

/// Messages read on the spot for one picture or one overview; the rest wait for the catch-up.
pub const READ_PER_REFRESH: usize = 200;

/// Messages read and kept by one `Command::CatchUpReadings`.
pub const CATCH_UP_BATCH: usize = 32;

/// Marks read in memory and not yet kept in the file.
#[derive(Debug, Default)]
pub struct Readings {
    pending: HashMap<ExchangeId, HeatMark>,
    /// More messages than were read are still without a mark in the file.
    pub backlog: bool,
    /// Keeping marks failed once: no more tries until the file is opened again (the error was
    /// said once; the marks are read again when needed).
    halted: bool,
}

impl Readings {
    /// Whether a catch-up has work: marks to keep, or messages still to read.
    pub fn has_work(&self) -> bool {
        !self.halted && (self.backlog || !self.pending.is_empty())
    }

    /// The marks read so far and not kept, for a Picture read elsewhere (`picture_worker`),
    /// which reads only the messages these leave unread.
    pub fn known(&self) -> Self {
        Self {
            pending: self.pending.clone(),
            backlog: false,
            halted: false,
        }
    }

    /// Takes in the marks a Picture read elsewhere: to be kept by the catch-up as if read
    /// here. A mark already kept since is kept again, the same (the reader is the same).
    pub fn absorb(&mut self, other: Self) {
        self.pending.extend(other.pending);
        self.backlog |= other.backlog;
    }

    /// Forgets the mark read of a message whose text has just changed: the mark was of the
    /// text before (the file's own mark is dropped by a trigger; this one is not in the file).
    pub fn forget(&mut self, exchange_id: ExchangeId) {
        self.pending.remove(&exchange_id);
    }

    /// The marks read so far, handed over to be written.
    pub fn take_pending(&mut self) -> Vec<HeatMark> {
        self.pending.drain().map(|(_, mark)| mark).collect()
    }

    /// The mark of a message: as read before, or read now while `budget` lasts (its text from
    /// the file when the reading left it there).
    fn mark(
        &mut self,
        store: &Store,
        unread: &Unread,
        budget: &mut usize,
    ) -> StoreResult<Option<HeatMark>> {
        if let Some(mark) = self.pending.get(&unread.exchange_id) {
            return Ok(Some(*mark));
        }
        if *budget == 0 {
            self.backlog = true;
            return Ok(None);
        }
        *budget -= 1;
        let mark = mark_of(store, unread)?;
        self.pending.insert(unread.exchange_id, mark);
        Ok(Some(mark))
    }

    /// All of `marks` as marks: the kept ones and those read now, the newest first (the last
    /// heat and its trend are the newest messages'; the catch-up goes on from the newest too).
    /// How many were left unread.
    fn complete(
        &mut self,
        store: &Store,
        marks: Marks,
        budget: &mut usize,
    ) -> StoreResult<(Vec<HeatMark>, usize)> {
        let Marks { mut marked, unread } = marks;
        let mut left = 0;
        for message in unread.iter().rev() {
            match self.mark(store, message, budget)? {
                Some(mark) => marked.push(mark),
                None => left += 1,
            }
        }
        Ok((marked, left))
    }
}

/// The reader's mark of one message, its text read from the file when the reading left it there.
fn mark_of(store: &Store, unread: &Unread) -> StoreResult<HeatMark> {
    Ok(match &unread.body {
        Some(text) => read_mark(unread, text),
        None => read_mark(unread, &store.message_text(unread.exchange_id)?),
    })
}

/// The reader's mark of one message, whose text is `text`.
pub fn read_mark(unread: &Unread, text: &str) -> HeatMark {
    HeatMark::of_reading(unread.exchange_id, unread.at, &reading::analyze(text))
}

/// The selected client's page: the ledger, and how many messages are not in it yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    pub ledger: ClientLedger,
    pub unread: usize,
}

/// The month `now` falls in, where the user is.
pub fn this_month(now: DateTime<Utc>) -> YearMonth {
    YearMonth::of_instant(now, &Local)
}

/// Replaces the reader's marks of messages the user reviewed in a cool-down with her review.
fn apply_reviews(store: &Store, client_id: ClientId, heat: &mut [HeatMark]) -> StoreResult<()> {
    for cooldown in store.reviewed_cooldowns(client_id)? {
        if let Some(exchange_id) = cooldown.exchange_id()
            && let Some(mark) = heat.iter_mut().find(|mark| mark.exchange_id == exchange_id)
        {
            *mark = HeatMark::of_review(exchange_id, mark.at, cooldown.facts());
        }
    }
    Ok(())
}

/// One client's Picture up to `month`, over the whole journal.
pub fn picture(
    store: &Store,
    client: &Client,
    settings: &Settings,
    readings: &mut Readings,
    month: YearMonth,
) -> StoreResult<Picture> {
    let entries = store.entry_minutes(client.client_id)?;
    let marks = store.heat_marks(client.client_id, reading::VERSION)?;
    let mut budget = READ_PER_REFRESH;
    let (mut heat, unread) = readings.complete(store, marks, &mut budget)?;
    apply_reviews(store, client.client_id, &mut heat)?;
    let ledger = client_ledger(
        client,
        entries,
        heat,
        settings.cost_per_minute,
        &Local,
        month,
    );
    Ok(Picture { ledger, unread })
}

/// Where `month` begins in time zone `tz`, as a point in time.
fn month_start<Tz: TimeZone>(month: YearMonth, tz: &Tz) -> DateTime<Utc> {
    let midnight = month.first_day().and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |start| start.with_timezone(&Utc))
}

/// A client's use of `month` (its minutes against the allowance), from that month's entries
/// only: what the details pane warns of, cheap however long the journal. The same computation
/// as the Picture's, so the two agree.
pub fn month_use(
    store: &Store,
    client: &Client,
    settings: &Settings,
    month: YearMonth,
) -> StoreResult<MonthUse> {
    let entries = store.client_minutes_since(client.client_id, month_start(month, &Local))?;
    let ledger = client_ledger(
        client,
        entries,
        Vec::new(),
        settings.cost_per_minute,
        &Local,
        month,
    );
    Ok(ledger.this_month)
}

/// The overview of all clients for `month`.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub month: YearMonth,
    pub rows: Vec<LedgerRow>,
    /// Messages whose heat is not in the last-heat and trend columns yet.
    pub unread: usize,
}

/// The overview of `clients` for `month` in time zone `tz`: each client's minutes that month,
/// and the heat of its last messages (as many as the trend compares).
pub fn overview<Tz: TimeZone>(
    store: &Store,
    clients: &[Client],
    settings: &Settings,
    open_cooldowns: &[CoolDownSummary],
    readings: &mut Readings,
    month: YearMonth,
    tz: &Tz,
) -> StoreResult<Overview> {
    let start = month_start(month, tz);
    let mut minutes: HashMap<ClientId, Vec<(DateTime<Utc>, u32)>> = HashMap::new();
    for (client_id, at, entry_minutes) in store.entry_minutes_since(start)? {
        minutes
            .entry(client_id)
            .or_default()
            .push((at, entry_minutes));
    }
    let mut marks = store.latest_heat_marks(reading::VERSION, TREND_WINDOW * 2)?;
    let mut budget = READ_PER_REFRESH;
    let mut unread = 0;
    let mut rows = Vec::with_capacity(clients.len());
    for client in clients {
        let client_marks = marks.remove(&client.client_id).unwrap_or_default();
        let (mut heat, left) = readings.complete(store, client_marks, &mut budget)?;
        unread += left;
        apply_reviews(store, client.client_id, &mut heat)?;
        let entries = minutes.remove(&client.client_id).unwrap_or_default();
        rows.push(LedgerRow {
            client: client.clone(),
            ledger: client_ledger(client, entries, heat, settings.cost_per_minute, tz, month),
            open_cooldowns: open_cooldowns
                .iter()
                .filter(|summary| summary.client_id == client.client_id)
                .count(),
        });
    }
    Ok(Overview {
        month,
        rows,
        unread,
    })
}

/// Keeps the marks read so far and reads (and keeps) the next batch of unread messages, in one
/// transaction. Returns how many marks were written.
pub fn catch_up(store: &mut Store, readings: &mut Readings) -> StoreResult<usize> {
    let mut marks = readings.take_pending();
    let batch = store.unread_messages(reading::VERSION, CATCH_UP_BATCH + marks.len())?;
    let known: HashSet<ExchangeId> = marks.iter().map(|mark| mark.exchange_id).collect();
    let fresh: Vec<&Unread> = batch
        .iter()
        .filter(|message| !known.contains(&message.exchange_id))
        .take(CATCH_UP_BATCH)
        .collect();
    readings.backlog = fresh.len() == CATCH_UP_BATCH;
    for message in fresh {
        marks.push(mark_of(store, message)?);
    }
    if marks.is_empty() {
        return Ok(0);
    }
    match store.save_readings(reading::VERSION, &marks) {
        Ok(kept) => Ok(kept),
        Err(error) => {
            readings.halted = true;
            Err(error)
        }
    }
}
