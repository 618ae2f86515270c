//! A long journal as a user meets it in the window: its count at once, the rows on screen read
//! as the list scrolls, an old entry opened from search shown in its place; and a long client
//! list, laid out only where it is seen. Through the real `eframe::App`, headless
//! (egui_kittest), found by label.

#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/launch.rs"]
mod launch;
#[path = "common/searching.rs"]
mod searching;

use std::sync::Arc;

use calmdesk::app::CalmdeskApp;
use calmdesk::clock::ManualClock;
use calmdesk::domain::{Channel, ClientId, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use chrono::{Duration, TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};

const ENTRIES: u32 = 3000;

/// The test's moment.
fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap()
}

/// A new file in `dir` with one client, "Acme".
fn acme_store(dir: &std::path::Path) -> (Store, ClientId) {
    let mut store = Store::open(&dir.join("calmdesk.sqlite3")).unwrap();
    let client = ClientInput {
        name: "Acme".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&client, now()).unwrap();
    (store, client_id)
}

/// A client whose journal holds `ENTRIES` notes an hour apart: "note 0" the oldest, one entry
/// with a word of its own far down the list.
fn long_journal(dir: &std::path::Path) -> Harness<'static, CalmdeskApp> {
    let (mut store, client_id) = acme_store(dir);
    let now = now();
    let drafts: Vec<ExchangeDraft> = (0..ENTRIES)
        .map(|index| ExchangeDraft {
            direction: Direction::Note,
            channel: Channel::Other,
            occurred_at: now - Duration::hours(i64::from(ENTRIES - index)),
            minutes: Minutes::new(2).unwrap(),
            body: if index == 40 {
                "note 40 about the quarterly declaration".into()
            } else {
                format!("note {index}")
            },
        })
        .collect();
    store.add_exchanges(client_id, &drafts, now).unwrap();
    let mut harness = window_on(store, dir, now);
    harness.run();
    harness
        .get(By::new().role(Role::Button).label_contains("Acme"))
        .click();
    harness.run();
    harness
}

/// The real app in a headless window of a laptop's size, on `store`.
fn window_on(
    store: Store,
    dir: &std::path::Path,
    now: chrono::DateTime<Utc>,
) -> Harness<'static, CalmdeskApp> {
    let launch = launch::launch(
        Ok(store),
        Arc::new(ManualClock::new(now)),
        dir,
        UiLanguage::English,
    );
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(64)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch))
}

/// The journal rows on screen, by the note number each row's name ends with.
fn notes_shown(harness: &Harness<'static, CalmdeskApp>) -> Vec<u32> {
    harness
        .query_all(By::new().role(Role::Button).label_contains(": note "))
        .filter_map(|row| {
            let label = row.accesskit_node().label()?;
            let (_, number) = label.rsplit_once(": note ")?;
            number.split_whitespace().next()?.parse().ok()
        })
        .collect()
}

/// Turns the mouse wheel `steps` times over the first button whose name holds `label`, a frame
/// each, then lets the window settle.
fn scroll_down(harness: &mut Harness<'static, CalmdeskApp>, label: &str, steps: usize) {
    for _ in 0..steps {
        harness
            .query_all(By::new().role(Role::Button).label_contains(label))
            .next()
            .unwrap()
            .scroll_down();
        harness.step();
    }
    harness.run();
}

fn held(harness: &Harness<'static, CalmdeskApp>) -> std::ops::Range<u64> {
    harness.state().loaded().unwrap().journal.held()
}

#[test]
fn a_long_journal_shows_its_count_and_newest_rows_without_reading_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let harness = long_journal(dir.path());
    // The header counts the whole journal (its minutes kept beside the count).
    harness.get_by_label_contains("3,000 entries · 100 h spent in total");
    let shown = notes_shown(&harness);
    assert_eq!(shown.first(), Some(&(ENTRIES - 1)), "{shown:?}");
    assert!(
        shown.windows(2).all(|pair| pair[0] == pair[1] + 1),
        "{shown:?}"
    );
    let held = held(&harness);
    assert_eq!(held.start, 0);
    assert!(held.end < 300, "only the rows around the screen: {held:?}");
}

#[test]
fn scrolling_far_down_reads_the_rows_that_come_into_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = long_journal(dir.path());
    let first_held = held(&harness);
    scroll_down(&mut harness, ": note ", 300);
    let shown = notes_shown(&harness);
    // Far past the rows first read: every row on screen read since, in order.
    assert!(!shown.is_empty());
    let top = u64::from(ENTRIES - 1 - shown[0]);
    assert!(top > first_held.end, "{top} is past {first_held:?}");
    assert!(
        shown.windows(2).all(|pair| pair[0] == pair[1] + 1),
        "{shown:?}"
    );
    let held = held(&harness);
    assert!(held.start > 0, "the top is no longer held: {held:?}");
    assert!(held.contains(&top), "{held:?} holds what is shown ({top})");
}

#[test]
fn an_old_entry_opened_from_search_is_shown_in_its_place_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = long_journal(dir.path());
    searching::search_for(&mut harness, "Search", "quarterly");
    harness
        .get(By::new().role(Role::Button).label_contains("Acme ·"))
        .click();
    harness.run();
    // Its row is on screen and selected; the reader below shows its whole text.
    let row = harness.get(
        By::new()
            .role(Role::Button)
            .label_contains(": note 40 about the quarterly declaration"),
    );
    assert_eq!(
        row.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    harness.get_by_label("note 40 about the quarterly declaration");
    assert!(held(&harness).contains(&u64::from(ENTRIES - 1 - 40)));
}

#[test]
fn best_match_over_more_matches_than_it_ranks_says_it_ranked_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, client_id) = acme_store(dir.path());
    let now = now();
    let many = calmdesk::domain::search::RANKED_CANDIDATES + 1;
    let drafts: Vec<ExchangeDraft> = (0..many)
        .map(|index| ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: now - Duration::minutes(index as i64),
            minutes: Minutes::new(0).unwrap(),
            body: format!("invoice number {index}"),
        })
        .collect();
    store.add_exchanges(client_id, &drafts, now).unwrap();
    let mut harness = window_on(store, dir.path(), now);
    harness.run();
    searching::search_for(&mut harness, "Search", "invoice");
    // Best match (the default) ranked the newest of more matches than it ranks, and says so.
    harness.get_by_label("Best matches among the 5,000 newest matches");
    // Newest first is the index's own order: nothing to say.
    harness.get_by_label("Newest").click();
    harness.step();
    harness.state_mut().wait_for_search();
    harness.run();
    harness.get_by_label_contains(": invoice number 0");
    assert!(harness.query_by_label_contains("newest matches").is_none());
}

/// The client buttons on screen, by the number each name ends with.
fn clients_shown(harness: &Harness<'static, CalmdeskApp>) -> Vec<u32> {
    harness
        .query_all(By::new().role(Role::Button).label_contains("Client "))
        .filter_map(|row| {
            let label = row.accesskit_node().label()?;
            label.strip_prefix("Client ")?.parse().ok()
        })
        .collect()
}

#[test]
fn a_long_client_list_lays_out_the_rows_on_screen_and_scrolls_to_the_last_one() {
    const CLIENTS: u32 = 300;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("calmdesk.sqlite3")).unwrap();
    for number in 0..CLIENTS {
        let client = ClientInput {
            name: format!("Client {number:03}"),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        store.add_client(&client, now()).unwrap();
    }
    // A name too long for the panel: cut on screen, whole for a screen reader.
    let long_name =
        "Aardvark Accounting and Bookkeeping Services of the Northern Districts, Limited";
    let client = ClientInput {
        name: long_name.into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    store.add_client(&client, now()).unwrap();
    let mut harness = window_on(store, dir.path(), now());
    harness.run();
    let long_row = harness
        .get(By::new().role(Role::Button).label(long_name))
        .rect();
    let short_row = harness
        .get(By::new().role(Role::Button).label("Client 000"))
        .rect();
    assert_eq!(
        long_row.height(),
        short_row.height(),
        "one line, as every row"
    );
    let shown = clients_shown(&harness);
    // The first rows, in order, and not the three hundred: the rest are not laid out.
    assert_eq!(shown.first(), Some(&0), "{shown:?}");
    assert!(
        shown.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "{shown:?}"
    );
    assert!(shown.len() < 40, "only the rows on screen: {}", shown.len());
    let panel_bottom = harness.ctx.content_rect().bottom();
    // Scrolled until the list stops moving: its end.
    let mut top = shown[0];
    for _ in 0..100 {
        scroll_down(&mut harness, "Client ", 20);
        let now_top = clients_shown(&harness)[0];
        if now_top == top {
            break;
        }
        top = now_top;
    }
    // At the end of the list the last client is there whole, each row below the one before.
    let shown = clients_shown(&harness);
    assert_eq!(shown.last(), Some(&(CLIENTS - 1)), "{shown:?}");
    assert!(
        shown.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "{shown:?}"
    );
    let last = harness.get(By::new().role(Role::Button).label("Client 299"));
    let bounds = last.rect();
    assert!(
        bounds.bottom() <= panel_bottom,
        "the last row ends at {} inside the window ({panel_bottom})",
        bounds.bottom()
    );
    // And a click on it selects it.
    last.click();
    harness.run();
    let selected = harness.state().loaded().unwrap().selected_client;
    let last_id = harness
        .state()
        .loaded()
        .unwrap()
        .clients
        .iter()
        .find(|overview| overview.client.name == "Client 299")
        .map(|overview| overview.client.client_id);
    assert!(selected.is_some());
    assert_eq!(selected, last_id);
}
