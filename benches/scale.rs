//! The journal at a size no test builds: a database given in `CALMDESK_BENCH_DB` (a million
//! entries from `calmdesk gen-demo`, say), copied to a temporary folder first so the file is
//! never changed. What the window does at that size: open and read the first frame's data, the
//! client list, select the biggest client, read the rows in the middle of its journal, select
//! one of its entries, and write one entry there (a durable commit and what the app re-reads);
//! its Picture (read by the worker: the read alone, a save while it is shown, and a save until
//! the Picture is shown again), and the overview of all clients.
//!
//! `CALMDESK_BENCH_DB=/path/big.sqlite3 cargo bench --bench scale`. Without the variable there
//! is nothing to measure at scale and the bench says so (`benches/journal.rs` builds its own
//! 100 000 entries).

#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::time::Duration;

use calmdesk::app::{Env, Loaded, PictureWorker, apply};
use calmdesk::domain::{Channel, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use calmdesk::ui::{Command, UiLanguage};
use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

fn scale(c: &mut Criterion) {
    let Ok(source) = std::env::var("CALMDESK_BENCH_DB") else {
        eprintln!("scale: set CALMDESK_BENCH_DB to a calmdesk database to measure at its size");
        return;
    };
    let dir = tempfile::tempdir_in(
        std::path::Path::new(&source)
            .parent()
            .unwrap_or(std::path::Path::new(".")),
    )
    .unwrap();
    let path = dir.path().join("bench.sqlite3");
    std::fs::copy(&source, &path).unwrap();
    // The first open upgrades an older file; the bench measures the opens after it.
    drop(Store::open(&path).unwrap());
    let env = Env {
        now: Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
        tr: UiLanguage::English.strings(),
        data_dir: None,
    };
    let month = calmdesk::app::picture::this_month(env.now);

    let mut group = c.benchmark_group("scale");
    group.sample_size(20);
    group.bench_function("open_and_first_frame_data", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            Loaded::load(&store, month).unwrap()
        });
    });
    let mut store = Store::open(&path).unwrap();
    let mut loaded = Loaded::load(&store, month).unwrap();
    let biggest = loaded
        .clients
        .iter()
        .max_by_key(|overview| overview.exchange_count)
        .unwrap()
        .client
        .client_id;
    eprintln!(
        "scale: {} clients, the biggest with {} entries",
        loaded.clients.len(),
        loaded.overview(biggest).unwrap().exchange_count
    );
    group.bench_function("client_list", |b| {
        b.iter(|| store.client_overviews().unwrap());
    });
    let select_biggest = |store: &mut Store, loaded: &mut Loaded| {
        loaded.selected_client = None;
        let outcome = apply(Command::SelectClient(biggest), store, loaded, &env).unwrap();
        loaded.refresh(store, outcome.refresh).unwrap();
    };
    group.bench_function("select_biggest_client", |b| {
        b.iter(|| select_biggest(&mut store, &mut loaded));
    });
    // Selected here too, so that what follows measures the same when run alone (a filter that
    // leaves the selection out would otherwise read the rows of no journal).
    select_biggest(&mut store, &mut loaded);
    let middle = loaded.journal.entries / 2;
    assert!(middle > 0, "the biggest journal is selected");
    group.bench_function("rows_in_the_middle_of_the_biggest_journal", |b| {
        b.iter(|| {
            let outcome = apply(
                Command::ReadJournalRows(middle..middle + 20),
                &mut store,
                &mut loaded,
                &env,
            )
            .unwrap();
            loaded.refresh(&store, outcome.refresh).unwrap();
        });
    });
    let entries: Vec<_> = store
        .journal_rows(biggest, middle..middle + 50)
        .unwrap()
        .iter()
        .map(|summary| summary.exchange_id)
        .collect();
    group.bench_function("select_an_entry_of_the_biggest_journal", |b| {
        let mut next = entries.iter().cycle();
        b.iter(|| {
            let outcome = apply(
                Command::SelectExchange(*next.next().unwrap()),
                &mut store,
                &mut loaded,
                &env,
            )
            .unwrap();
            loaded.refresh(&store, outcome.refresh).unwrap();
        });
    });
    let note = ExchangeDraft {
        direction: Direction::Note,
        channel: Channel::Other,
        occurred_at: env.now,
        minutes: Minutes::new(1).unwrap(),
        body: "Called back; the invoice is on its way.".into(),
    };
    // The write alone (a durable commit, the index and the chain in its transaction), beside
    // what the app does for it (the write, then what it re-reads).
    // Each written on an earlier day, as a journal grows (thousands of entries on one day
    // would make this month's use, which a save re-reads, unlike any real journal's).
    let mut day = 0;
    let mut earlier = move || {
        day += 1;
        let mut draft = note.clone();
        draft.occurred_at = env.now - chrono::Duration::days(day % 3650 + 40);
        draft
    };
    // A save as the app does it: the write, then what it re-reads.
    let save = |store: &mut Store, loaded: &mut Loaded, draft: ExchangeDraft| {
        let command = Command::SaveExchange {
            original: None,
            client_id: biggest,
            draft,
            then_cool_down: false,
        };
        let outcome = apply(command, store, loaded, &env).unwrap();
        loaded.refresh(store, outcome.refresh).unwrap();
    };
    group.bench_function("durable_write_alone", |b| {
        b.iter(|| store.add_exchange(biggest, &earlier(), env.now).unwrap());
    });
    group.bench_function("save_an_entry_in_the_biggest_journal", |b| {
        b.iter(|| save(&mut store, &mut loaded, earlier()));
    });
    // The Picture tab of the biggest client (its minutes and heat over the whole journal):
    // the read itself, as the worker does it off the UI thread (here inline, on the bench's
    // thread, to time it alone).
    group.bench_function("show_the_picture_of_the_biggest_client", |b| {
        b.iter(|| {
            loaded.set_picture_shown(&store, false).unwrap();
            loaded.set_picture_shown(&store, true).unwrap();
        });
    });
    // The overview of all clients (the Ledger): this month's minutes and the last heats of
    // each, read on the UI thread when it opens and after each change while it is open.
    group.bench_function("show_the_ledger", |b| {
        b.iter(|| {
            let _ = apply(Command::ShowLedger(month), &mut store, &mut loaded, &env).unwrap();
            let _ = apply(Command::CloseLedger, &mut store, &mut loaded, &env).unwrap();
        });
    });
    // As the app does it with a file: the Picture shown and read by the worker. A save is the
    // UI thread's share (the write, the re-read, the request handed over); then, the whole
    // way to the Picture shown again, the save and the worker's answer taken in.
    let mut worker = PictureWorker::spawn(&path, || {}).unwrap();
    loaded.read_pictures_by_worker();
    let mut answer_taken_in = |loaded: &mut Loaded| {
        while loaded.is_picture_awaited() {
            if let Some(request) = loaded.take_picture_request() {
                worker.request(request);
            }
            let answer = worker.wait_for_answer(Duration::from_secs(60)).unwrap();
            let _ = loaded.accept_picture(answer).unwrap();
        }
    };
    answer_taken_in(&mut loaded);
    group.bench_function("save_an_entry_with_the_picture_shown", |b| {
        b.iter(|| {
            save(&mut store, &mut loaded, earlier());
            loaded.take_picture_request().unwrap()
        });
    });
    group.bench_function("save_then_the_picture_shown_again", |b| {
        b.iter(|| {
            save(&mut store, &mut loaded, earlier());
            answer_taken_in(&mut loaded);
        });
    });
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
