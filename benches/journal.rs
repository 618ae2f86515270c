//! Speed of the journal at the scale DOMAIN.md asks for: 100 000 entries across 40 clients
//! (one of them with 10 000), Russian and English. Measures search as you type (ranked and
//! newest-first, one word, a two-letter prefix, two words), loading a 10 000-entry journal,
//! the client list, a click on one entry of the 10 000-entry journal (what the app re-reads),
//! and one whole UI frame of that journal (egui_kittest, headless).

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::sync::Arc;

use calmdesk::app::{CalmdeskApp, Env, Launch, Loaded, apply};
use calmdesk::clock::ManualClock;
use calmdesk::demo::generate::Text;
use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{Channel, ClientId, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use calmdesk::ui::Command;
use calmdesk::ui::UiLanguage;
use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

fn build_store(path: &std::path::Path) -> (Store, ClientId) {
    let mut store = Store::open(path).unwrap();
    let start = Utc.with_ymd_and_hms(2020, 1, 1, 9, 0, 0).unwrap();
    let mut text = Text::new();
    let mut big_client = None;
    for client_index in 0..40 {
        let draft = ClientInput {
            name: format!("Client {client_index:02}"),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        let client_id = store.add_client(&draft, start).unwrap();
        let entries = if client_index == 0 { 10_000 } else { 2_308 };
        let drafts: Vec<ExchangeDraft> = (0..entries)
            .map(|index| ExchangeDraft {
                direction: if index % 3 == 0 {
                    Direction::ToClient
                } else {
                    Direction::FromClient
                },
                channel: Channel::Email,
                occurred_at: start + Duration::minutes(i64::from(index) * 37),
                minutes: Minutes::new(index % 60).unwrap(),
                body: text.message(client_index % 2 == 0),
            })
            .collect();
        store.add_exchanges(client_id, &drafts, start).unwrap();
        big_client.get_or_insert(client_id);
    }
    (store, big_client.unwrap())
}

fn journal(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let (mut store, big_client) = build_store(&path);

    let mut group = c.benchmark_group("search");
    group.sample_size(30);
    for (name, query, order) in [
        ("one_word_ranked", "претензия", SearchOrder::BestMatch),
        ("one_word_newest", "lawyer", SearchOrder::Newest),
        ("prefix_2_ranked", "де", SearchOrder::BestMatch),
        ("prefix_2_newest", "de", SearchOrder::Newest),
        ("prefix_3_ranked", "вен", SearchOrder::BestMatch),
        ("prefix_3_newest", "ven", SearchOrder::Newest),
        ("two_words_ranked", "refund lawyer", SearchOrder::BestMatch),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| store.search(query, order, 100).unwrap());
        });
    }
    group.finish();

    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    group.bench_function("journal_10k_summaries", |b| {
        b.iter(|| store.exchange_summaries(big_client).unwrap());
    });
    group.bench_function("client_list_40", |b| {
        b.iter(|| store.client_overviews().unwrap());
    });
    // What the list reads when it is scrolled to the middle: the rows around the screen.
    group.bench_function("journal_rows_middle_10k", |b| {
        b.iter(|| store.journal_rows(big_client, 4920..5100).unwrap());
    });
    group.finish();

    // What a click on one entry costs: the app re-reads that entry only (`Refresh::ENTRY`).
    // Beside it, what every click cost before the app said what to re-read: everything.
    let env = Env {
        now: Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap(),
        tr: UiLanguage::English.strings(),
        data_dir: None,
    };
    let mut loaded = Loaded::load(&store, calmdesk::app::picture::this_month(env.now)).unwrap();
    let selected = apply(
        Command::SelectClient(big_client),
        &mut store,
        &mut loaded,
        &env,
    )
    .unwrap();
    loaded.refresh(&store, selected.refresh).unwrap();
    let entries: Vec<_> = store
        .journal_rows(big_client, 0..50)
        .unwrap()
        .iter()
        .map(|summary| summary.exchange_id)
        .collect();
    let mut group = c.benchmark_group("click");
    group.sample_size(50);
    group.bench_function("select_entry_10k_journal", |b| {
        let mut next = entries.iter().cycle();
        b.iter(|| {
            let entry = *next.next().unwrap();
            let outcome = apply(
                Command::SelectExchange(entry),
                &mut store,
                &mut loaded,
                &env,
            )
            .unwrap();
            loaded.refresh(&store, outcome.refresh).unwrap();
        });
    });
    // Selecting the big client: its totals and the first screen of rows (the Picture is read
    // only when its tab is open).
    group.bench_function("select_client_10k_journal", |b| {
        b.iter(|| {
            loaded.selected_client = None;
            let outcome = apply(
                Command::SelectClient(big_client),
                &mut store,
                &mut loaded,
                &env,
            )
            .unwrap();
            loaded.refresh(&store, outcome.refresh).unwrap();
        });
    });
    group.bench_function("reread_everything_10k_journal", |b| {
        b.iter(|| {
            store.client_overviews().unwrap();
            store.open_cooldowns(None).unwrap();
            store.exchange_summaries(big_client).unwrap();
            store.minutes_total(big_client).unwrap();
            store.exchange(entries[0]).unwrap();
        });
    });
    group.finish();

    // The ledger on the big client, its marks kept in the file (as they are once read).
    let big = store.client(big_client).unwrap();
    let unread = store
        .heat_marks(big_client, calmdesk::reading::VERSION)
        .unwrap()
        .unread;
    let marks: Vec<_> = unread
        .iter()
        .map(calmdesk::app::picture::read_mark)
        .collect();
    store
        .save_readings(calmdesk::reading::VERSION, &marks)
        .unwrap();
    let clients: Vec<_> = store
        .client_overviews()
        .unwrap()
        .into_iter()
        .map(|overview| overview.client)
        .collect();
    let settings = calmdesk::app::Settings::read(&store).unwrap();
    let month = calmdesk::app::picture::this_month(env.now);
    let mut readings = calmdesk::app::picture::Readings::default();
    let mut group = c.benchmark_group("ledger");
    group.sample_size(20);
    group.bench_function("picture_10k_journal", |b| {
        b.iter(|| {
            calmdesk::app::picture::picture(&store, &big, &settings, &mut readings, month).unwrap()
        });
    });
    group.bench_function("overview_40_clients", |b| {
        b.iter(|| {
            calmdesk::app::picture::overview(
                &store,
                &clients,
                &settings,
                &[],
                &mut readings,
                month,
                &chrono::Local,
            )
            .unwrap()
        });
    });
    group.finish();

    let launch = Launch {
        store: Ok(store).into(),
        clock: Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap(),
        )),
        data_dir: None,
        is_demo: false,
        language: Some(UiLanguage::English),
        termination: calmdesk::signals::Termination::unheard(),
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(64)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    harness.run();
    {
        use egui_kittest::kittest::Queryable as _;
        harness.get_by_label("Client 00").click();
    }
    harness.run();
    let mut group = c.benchmark_group("ui");
    group.sample_size(30);
    group.bench_function("frame_with_10k_entry_journal", |b| {
        b.iter(|| harness.step());
    });
    // Scrolled to the middle (about 5 000 rows down, 100 points a step): the rows there read
    // once, then each frame draws from what is held.
    {
        use egui_kittest::kittest::{By, Queryable as _};
        for _ in 0..2_500 {
            harness
                .query_all(
                    By::new()
                        .role(egui::accesskit::Role::Button)
                        .label_contains(" · Email · "),
                )
                .next()
                .unwrap()
                .scroll_down();
            harness.step();
        }
    }
    harness.run();
    eprintln!(
        "journal rows held after scrolling: {:?}",
        harness.state().loaded().map(|loaded| loaded.journal.held())
    );
    group.bench_function("frame_with_10k_entry_journal_scrolled_to_middle", |b| {
        b.iter(|| harness.step());
    });
    group.finish();
}

criterion_group!(benches, journal);
criterion_main!(benches);
