//! Speed of the journal at the scale DOMAIN.md asks for: 100 000 entries across 40 clients
//! (one of them with 10 000), Russian and English. Measures search as you type (ranked and
//! newest-first; one word, two words, 2- and 3-letter prefixes, Russian and English; each beside
//! the same query straight on FTS5), loading a 10 000-entry journal, the client list, a click on
//! one entry of the 10 000-entry journal (what the app re-reads), and one whole UI frame of that
//! journal (egui_kittest, headless).
//!
//! At other sizes (docs/PERFORMANCE.md): `CALMDESK_BENCH_ENTRIES=N` builds N entries (the first
//! client a tenth of them); `CALMDESK_BENCH_DB=PATH` keeps the database at PATH — built there
//! if the file does not exist, opened (and upgraded, timed) if it does, so a million entries are
//! built once. `CALMDESK_BENCH_SEARCH_ONLY=1` stops after the search group;
//! `CALMDESK_BENCH_TAILS=1` prints p50/p95 of each search and of typing through the worker.

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

/// How many entries the bench builds: `CALMDESK_BENCH_ENTRIES`, 100 000 unless set.
fn entries_wanted() -> usize {
    std::env::var("CALMDESK_BENCH_ENTRIES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(100_000)
}

/// 40 clients; the first holds a tenth of the entries, the others share the rest.
fn build_store(path: &std::path::Path) -> (Store, ClientId) {
    let total = entries_wanted();
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
        let entries = if client_index == 0 {
            total / 10
        } else {
            (total - total / 10) / 39
        };
        let entries = u32::try_from(entries).unwrap();
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
    // As the app leaves a file after a large write: its search index merged (`store::tidy`).
    store.tidy_index(|_| {}, || true).unwrap();
    (store, big_client.unwrap())
}

/// The search cases: each typed query in both orders.
const SEARCHES: &[(&str, &str)] = &[
    ("one_word_ru", "претензия"),
    ("one_word_en", "lawyer"),
    ("two_words_ru", "верните деньги"),
    ("two_words_en", "refund lawyer"),
    ("prefix_2_ru", "де"),
    ("prefix_2_en", "de"),
    ("prefix_3_ru", "вен"),
    ("prefix_3_en", "ven"),
];

/// Each search as the app runs it (100 hits with their snippets) beside the same FTS5 query
/// straight on FTS5 on the same connection (rowids only): `search/<case>_<order>` and
/// `search/<case>_<order>_raw`. Ranked raw is bm25 over every match, as search did before it
/// ranked a bounded set. Then p50/p95 of each, and of as-you-type prefixes through the
/// worker, printed (criterion reports medians, not tails).
fn search(c: &mut Criterion, store: &Store) {
    let mut group = c.benchmark_group("search");
    group.sample_size(30);
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(3));
    for &(name, typed) in SEARCHES {
        let query = calmdesk::store::fts_query_of(typed).unwrap();
        for (order_name, order) in [
            ("newest", SearchOrder::Newest),
            ("ranked", SearchOrder::BestMatch),
        ] {
            group.bench_function(format!("{name}_{order_name}"), |b| {
                b.iter(|| store.search(typed, order, 100).unwrap());
            });
            group.bench_function(format!("{name}_{order_name}_raw"), |b| {
                b.iter(|| store.raw_fts_rowids(&query, order, 100).unwrap());
            });
        }
    }
    group.finish();
    if std::env::var_os("CALMDESK_BENCH_TAILS").is_some() {
        tails(store);
    }
}

/// p50 and p95 in milliseconds of up to `runs` calls of `work` (fewer, but at least 20, when
/// they take more than 5 s together).
fn percentiles(runs: usize, mut work: impl FnMut()) -> (f64, f64) {
    let budget = std::time::Instant::now();
    let mut times: Vec<f64> = Vec::with_capacity(runs);
    while times.len() < runs && (times.len() < 20 || budget.elapsed().as_secs() < 5) {
        let started = std::time::Instant::now();
        work();
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

/// `CALMDESK_BENCH_TAILS=1`: p50/p95 of each search and its raw query, and as-you-type through
/// the search worker (its own read-only connection): each prefix of a word typed, one request
/// after the other, timed from the request to the answer.
fn tails(store: &Store) {
    eprintln!("case order: p50 / p95 ms (raw p50 / p95 ms) ratio of p50, of p95");
    for &(name, typed) in SEARCHES {
        let query = calmdesk::store::fts_query_of(typed).unwrap();
        for order in [SearchOrder::Newest, SearchOrder::BestMatch] {
            let (p50, p95) = percentiles(200, || {
                store.search(typed, order, 100).unwrap();
            });
            let (raw50, raw95) = percentiles(200, || {
                store.raw_fts_rowids(&query, order, 100).unwrap();
            });
            let ranked_within = store
                .search_results(typed, order, 100)
                .unwrap()
                .ranked_within;
            eprintln!(
                "{name} {order:?}: {p50:.2} / {p95:.2} ({raw50:.2} / {raw95:.2}) {:.2}x {:.2}x within {ranked_within:?}",
                p50 / raw50,
                p95 / raw95
            );
        }
    }
    let Some(path) = store.path() else { return };
    let mut searcher = calmdesk::store::Searcher::spawn(path, || {}).unwrap();
    for word in ["декларация", "invoice", "понедельник", "deadline"] {
        for order in [SearchOrder::Newest, SearchOrder::BestMatch] {
            let prefixes: Vec<String> = (2..=word.chars().count())
                .map(|n| word.chars().take(n).collect())
                .collect();
            let mut next = prefixes.iter().cycle();
            let (p50, p95) = percentiles(200, || {
                searcher.request(next.next().unwrap().clone(), order, 100);
                searcher
                    .wait_for_answer(std::time::Duration::from_secs(60))
                    .unwrap()
                    .hits
                    .unwrap();
            });
            eprintln!("worker, typing {word} {order:?}: {p50:.2} / {p95:.2}");
        }
    }
}

fn journal(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, big_client) = match std::env::var_os("CALMDESK_BENCH_DB") {
        Some(path) if std::path::Path::new(&path).exists() => {
            let started = std::time::Instant::now();
            let store = Store::open(std::path::Path::new(&path)).unwrap();
            eprintln!("opened {} in {:?}", path.display(), started.elapsed());
            let big = store
                .client_overviews()
                .unwrap()
                .into_iter()
                .max_by_key(|overview| overview.exchange_count)
                .unwrap()
                .client
                .client_id;
            (store, big)
        }
        Some(path) => build_store(std::path::Path::new(&path)),
        None => build_store(&dir.path().join("bench.sqlite3")),
    };

    search(c, &store);
    if std::env::var_os("CALMDESK_BENCH_SEARCH_ONLY").is_some() {
        return;
    }

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
        .map(|message| {
            let text = store.message_text(message.exchange_id).unwrap();
            calmdesk::app::picture::read_mark(message, &text)
        })
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
