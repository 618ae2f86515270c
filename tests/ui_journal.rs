//! The journal as a user drives it, through the real `eframe::App`, headless (egui_kittest).
//! Widgets are found by their visible labels — the same names a screen reader announces — and
//! every story checks both what is shown and what reached the database.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/launch.rs"]
mod launch;
#[path = "common/searching.rs"]
mod searching;

use std::sync::Arc;

use calmdesk::app::{CalmdeskApp, Launch};
use calmdesk::clock::ManualClock;
use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{
    Channel, ClientInput, ClientStatus, Direction, ExchangeDraft, Minutes, StatusChange,
};
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use chrono::{TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    harness: Harness<'static, CalmdeskApp>,
}

fn start(prepare: impl FnOnce(&mut Store)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    prepare(&mut store);
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap(),
    ));
    let launch = launch::launch(Ok(store), clock, dir.path(), UiLanguage::English);
    Fixture {
        _dir: dir,
        path,
        harness: harness_for(launch),
    }
}

/// The real app in a headless window of a laptop's size.
fn harness_for(launch: Launch) -> Harness<'static, CalmdeskApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(64)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch))
}

/// A second, independent connection (read-only: the app holds the file): what is really in it.
fn reopen(fixture: &Fixture) -> Store {
    Store::open_read_only(&fixture.path).unwrap()
}

fn add_client(store: &mut Store, name: &str) -> calmdesk::domain::ClientId {
    let draft = ClientInput {
        name: name.into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    store
        .add_client(&draft, Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap())
        .unwrap()
}

fn add_entry(store: &mut Store, client_id: calmdesk::domain::ClientId, body: &str) {
    let when = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
    let draft = ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: when,
        minutes: Minutes::new(5).unwrap(),
        body: body.into(),
    };
    store.add_exchange(client_id, &draft, when).unwrap();
}

fn type_into(harness: &mut Harness<'static, CalmdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn a_first_time_user_sees_what_to_do_and_adds_a_client_with_validation_in_words() {
    let mut fixture = start(|_| {});
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Welcome to calmdesk");
    harness.get_by_label("Open the demo");
    harness.get_by_label("+ Add your first client").click();
    harness.run();

    harness.get(By::new().role(Role::Dialog).label("New client"));
    type_into(harness, "Name", "ООО «Ромашка»");
    type_into(harness, "Fee", "six thousand");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label("• The fee must be a number, e.g. 1500 or 1500.50.");
    assert!(
        reopen(&fixture).client_overviews().unwrap().is_empty(),
        "nothing is saved while the form has errors"
    );

    let harness = &mut fixture.harness;
    harness.get_by_label("Fee").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Fee").type_text("6 000");
    type_into(harness, "Currency", "rub");
    type_into(
        harness,
        "Refund clause",
        "п. 4.2 Возврат предоплаты в течение 14 дней",
    );
    harness.get_by_label("Save").click();
    harness.run();

    harness.get_by_label("Client added.");
    assert!(
        harness.query_by_label("New client").is_none(),
        "the dialog closed"
    );
    let store = reopen(&fixture);
    let clients = store.client_overviews().unwrap();
    assert_eq!(clients.len(), 1);
    let client = &clients[0].client;
    assert_eq!(client.name, "ООО «Ромашка»");
    assert_eq!(
        client
            .fee
            .map(|fee| (fee.minor_units, fee.currency.to_string())),
        Some((600_000, "RUB".into()))
    );
    assert_eq!(
        client.contract.refund,
        "п. 4.2 Возврат предоплаты в течение 14 дней"
    );
    assert_eq!(
        fixture.harness.state().selected_client(),
        Some(client.client_id)
    );
}

#[test]
fn an_exchange_is_logged_with_its_minutes_and_shown_in_the_journal() {
    let mut fixture = start(|store| {
        add_client(store, "Derek Holloway");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Derek Holloway").click();
    harness.run();
    harness.get_by_label("No entries yet");
    harness
        .get_all_by_label("+ New entry")
        .next()
        .unwrap()
        .click();
    harness.run();

    harness.get(
        By::new()
            .role(Role::Dialog)
            .label("New entry — Derek Holloway"),
    );
    let email = "Hi Jordan,\nThe staging site is STILL not up. I want a refund for April.\nDerek";
    harness.get_by_label("Text").type_text(email);
    harness.run();
    type_into(harness, "Minutes spent", "1:15");
    harness.get_by_label("Save entry").click();
    harness.run();

    harness.get_by_label("Entry added.");
    harness.get(
        By::new()
            .role(Role::Button)
            .label_contains("The staging site is STILL not up"),
    );
    let store = reopen(&fixture);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let rows = store.exchange_summaries(client_id).unwrap();
    assert_eq!(rows.len(), 1);
    let stored = store.exchange(rows[0].exchange_id).unwrap();
    assert_eq!(stored.body, email);
    assert_eq!(stored.minutes.get(), 75);
    assert_eq!(stored.direction, Direction::FromClient);
    // The count itself ("1 entry" / «1 запись») waits for real plural rules (the language
    // issue); the total is what this story checks.
    fixture
        .harness
        .get_by_label_contains("1 h 15 min spent in total");
}

#[test]
fn an_empty_entry_is_refused_in_words_and_nothing_is_written() {
    let mut fixture = start(|store| {
        add_client(store, "Acme");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Acme").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    harness.get_by_label("• The text is empty: paste the message or write what was said.");
    let store = reopen(&fixture);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    assert!(store.exchange_summaries(client_id).unwrap().is_empty());
}

#[test]
fn a_long_russian_email_pasted_into_an_entry_is_stored_whole() {
    let mut fixture = start(|store| {
        add_client(store, "Кравцов");
    });
    let mut email = String::from("Добрый день, Анна!\n\n");
    while email.len() < 60 * 1024 {
        email.push_str("Я до сих пор не получил декларацию, хотя вы обещали сдать её к 20.04. Верните деньги за апрель.\n");
    }
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Кравцов").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label("Text").type_text(&email);
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    harness.get_by_label("Entry added.");
    let store = reopen(&fixture);
    let hits = store
        .search("декларацию", SearchOrder::BestMatch, 5)
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        store.exchange(hits[0].exchange_id).unwrap().body,
        email.trim_end()
    );
}

#[test]
fn search_answers_as_you_type_and_opens_the_client_at_the_entry() {
    let mut fixture = start(|store| {
        let ru = add_client(store, "Кравцов");
        add_entry(store, ru, "Верните деньги за подписку, иначе расскажу всем");
        let en = add_client(store, "Derek Holloway");
        add_entry(store, en, "Where is the invoice for March?");
        add_entry(store, en, "Thanks, the logo looks great.");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").type_text("деньг");
    // One frame sends the query; search runs on its own thread, so wait for its answer (a
    // synchronisation, not a sleep) before letting the UI settle.
    harness.step();
    harness.state_mut().wait_for_search();
    harness.run();

    harness.get_by_label("Search results");
    let hit = harness.get(By::new().role(Role::Button).label_contains("Кравцов ·"));
    hit.click();
    harness.run();

    assert!(
        harness.query_by_label("Search results").is_none(),
        "the results give way to the journal"
    );
    let app = harness.state();
    let store = app.store().unwrap();
    let kravtsov = store
        .client_overviews()
        .unwrap()
        .into_iter()
        .find(|o| o.client.name == "Кравцов")
        .unwrap();
    assert_eq!(app.selected_client(), Some(kravtsov.client.client_id));
    // The entry is open in the reader below the list, with its actions.
    harness.get_by_label("Copy text");
    harness.get_by_label("Верните деньги за подписку, иначе расскажу всем");
}

#[test]
fn search_that_finds_nothing_says_so() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Acme");
        add_entry(store, client_id, "hello");
    });
    let harness = &mut fixture.harness;
    harness.run();
    searching::search_for(harness, "Search", "zebra");
    harness.get_by_label("Nothing found in any journal.");
}

#[test]
fn a_deleted_entry_is_confirmed_first_and_can_be_undone() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Acme");
        add_entry(
            store,
            client_id,
            "An entry that will be deleted and restored",
        );
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Acme").click();
    harness.run();
    harness
        .get(
            By::new()
                .role(Role::Button)
                .label_contains("An entry that will be deleted"),
        )
        .click();
    harness.run();
    harness.get_by_label("🗑 Delete entry").click();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Delete this entry?"));
    harness.get_by_label("Delete").click();
    harness.run();

    harness.get_by_label("Entry moved to the trash.");
    let client_id = reopen(&fixture).client_overviews().unwrap()[0]
        .client
        .client_id;
    assert!(
        reopen(&fixture)
            .exchange_summaries(client_id)
            .unwrap()
            .is_empty()
    );

    let harness = &mut fixture.harness;
    harness.get_by_label("Undo").click();
    harness.run();
    harness.get_by_label("Undone.");
    let rows = reopen(&fixture).exchange_summaries(client_id).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].preview,
        "An entry that will be deleted and restored"
    );
}

#[test]
fn ending_a_client_needs_a_reason_and_archives_it() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Derek Holloway");
        add_entry(
            store,
            client_id,
            "You will regret this, I'm calling my lawyer",
        );
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Derek Holloway").click();
    harness.run();
    harness.get_by_label("End client…").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "End client")
        .click();
    harness.run();
    harness.get_by_label("Write a reason: it is the record of why you parted.");
    assert_eq!(
        reopen(&fixture).client_overviews().unwrap()[0]
            .client
            .status,
        ClientStatus::Active
    );

    let harness = &mut fixture.harness;
    type_into(harness, "Reason", "Threats; no fit");
    harness
        .get_by_role_and_label(Role::Button, "End client")
        .click();
    harness.run();
    harness.get_by_label("Client ended and archived. The journal is kept.");

    let store = reopen(&fixture);
    let overview = &store.client_overviews().unwrap()[0];
    assert_eq!(overview.client.status, ClientStatus::Ended);
    assert_eq!(
        overview
            .client
            .ending
            .as_ref()
            .map(|ending| ending.reason.as_str()),
        Some("Threats; no fit")
    );
    assert_eq!(overview.exchange_count, 1, "the journal is kept");
    fixture.harness.get_by_label("↺ Reopen");
}

#[test]
fn the_interface_switches_to_russian_in_settings() {
    let mut fixture = start(|store| {
        add_client(store, "Acme");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Clients");
    harness.get_by_label("⚙ Settings").click();
    harness.run();
    // By the accessibility action: the dialog settles its size over its first frames.
    harness.get_by_label("Русский").click_accesskit();
    harness.run();
    assert_eq!(harness.state().language(), UiLanguage::Russian);
    harness.get(By::new().role(Role::Dialog).label("Настройки"));
    harness.get_by_label("Закрыть").click();
    harness.run();
    harness.get_by_label("Клиенты");
    harness.get_by_label("+ Новый клиент");
    assert!(harness.query_by_label("Clients").is_none());
}

#[test]
fn escape_closes_an_untouched_dialog_but_asks_before_discarding_typed_text() {
    let mut fixture = start(|store| {
        add_client(store, "Acme");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Acme").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("New entry — Acme"));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("New entry — Acme").is_none());

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label("Text").type_text("half-written note");
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("You have changes that are not saved. Discard them?");
    harness.get_by_label("Keep editing").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Text").value().as_deref(),
        Some("half-written note")
    );
}

#[test]
fn a_database_that_cannot_be_opened_is_explained_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database at all, just text".repeat(100),
    )
    .unwrap();
    let store = Store::open(&path);
    assert!(store.is_err());
    let launch = launch::launch(
        store,
        Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap(),
        )),
        dir.path(),
        UiLanguage::English,
    );
    let mut harness = harness_for(launch);
    harness.run();
    harness.get_by_label("The database could not be opened");
    harness.get_by_label_contains(
        "is not a calmdesk database, or it is damaged. Nothing was changed.",
    );

    // The way on: the demo, in its own file; the broken file stays as it was.
    harness.get_by_label("Open the demo").click();
    harness.run();
    harness.get_by_label_contains("DEMO");
    assert!(
        harness
            .state()
            .store()
            .unwrap()
            .client_overviews()
            .unwrap()
            .len()
            >= 2
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not a database at all, just text".repeat(100)
    );
}

#[test]
fn the_demo_shows_every_client_and_every_glyph_of_their_mail() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 4, 28, 12, 0, 0).unwrap();
    let store =
        calmdesk::demo::create_demo_database(&calmdesk::demo::demo_path(dir.path()), now, &Utc)
            .unwrap();
    let names: Vec<String> = store
        .client_overviews()
        .unwrap()
        .into_iter()
        .map(|overview| overview.client.name)
        .collect();
    assert_eq!(
        names.len(),
        4,
        "three difficult clients and a calm ended one"
    );
    let launch = Launch {
        is_demo: true,
        ..launch::launch(
            Ok(store),
            Arc::new(ManualClock::new(now)),
            dir.path(),
            UiLanguage::Russian,
        )
    };
    // kittest refuses to lay out a glyph that no font has: every name, clause and message of the
    // demo is drawn below, so a "₽" or "№" without a font fails here rather than as a box on screen.
    let mut harness = harness_for(launch);
    harness.run();
    harness.get_by_label("Показать").click();
    harness.run();
    harness.get_by_label("Все клиенты").click();
    harness.run();
    for name in &names {
        harness
            .get(By::new().role(Role::Button).label(name))
            .click();
        harness.run();
        let rows: Vec<String> = harness
            .query_all(By::new().role(Role::Button).label_contains(" · "))
            .filter_map(|node| node.accesskit_node().label())
            .filter(|label| label.contains(": "))
            .collect();
        assert!(rows.len() >= 4, "{name}: the journal lists its entries");
        harness
            .get(By::new().role(Role::Button).label(&rows[0]))
            .click();
        harness.run();
        harness.get_by_label("Копировать текст");
    }
}

#[test]
fn a_short_word_is_searched_on_enter_not_on_every_keystroke() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Кравцов");
        add_entry(store, client_id, "Пришлите акт сверки по ИП жены");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Search").focus();
    harness.run();
    harness.get_by_label("Search").type_text("ИП");
    harness.run();
    harness.get_by_label("Type at least 3 letters, or press Enter to look for a shorter word.");
    harness.key_press(egui::Key::Enter);
    harness.step();
    harness.state_mut().wait_for_search();
    harness.run();
    harness.get(
        By::new()
            .role(Role::Button)
            .label_contains("Пришлите акт сверки"),
    );
}

#[test]
fn an_entry_is_edited_in_place_and_the_edit_can_be_undone() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Acme");
        add_entry(store, client_id, "Call about the March invoice");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness
        .get(By::new().role(Role::Button).label("Acme"))
        .click();
    harness.run();
    harness
        .get(
            By::new()
                .role(Role::Button)
                .label_contains("Call about the March invoice"),
        )
        .click();
    harness.run();
    harness.get_by_label("✏ Edit entry").click();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Edit entry — Acme"));
    harness.get_by_label("My note").click();
    harness.get_by_label("Text").focus();
    harness.run();
    harness.key_press(egui::Key::End);
    harness
        .get_by_label("Text")
        .type_text(" (40 minutes, he shouted)");
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    harness.get_by_label("Entry saved.");

    let store = reopen(&fixture);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let row = &store.exchange_summaries(client_id).unwrap()[0];
    let edited = store.exchange(row.exchange_id).unwrap();
    assert_eq!(
        edited.body,
        "Call about the March invoice (40 minutes, he shouted)"
    );
    assert_eq!(edited.direction, Direction::Note);

    let harness = &mut fixture.harness;
    harness.get_by_label("Undo").click();
    harness.run();
    let restored = reopen(&fixture).exchange(row.exchange_id).unwrap();
    assert_eq!(restored.body, "Call about the March invoice");
    assert_eq!(restored.direction, Direction::FromClient);
}

#[test]
fn search_finds_another_form_of_the_typed_word_and_opens_it() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Кравцов");
        add_entry(
            store,
            client_id,
            "Ещё раз: жалобу в налоговую я уже отправил",
        );
        add_entry(store, client_id, "Спасибо, акт получил");
    });
    let harness = &mut fixture.harness;
    harness.run();
    searching::search_for(harness, "Search", "жалоба еще");
    let hits: Vec<String> = harness
        .query_all(By::new().role(Role::Button).label_contains("налоговую"))
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0].contains("жалобу") && hits[0].contains("Ещё"),
        "{}",
        hits[0]
    );
    assert!(
        harness
            .query(By::new().role(Role::Button).label_contains("акт получил"))
            .is_none(),
        "an entry without the words is not a hit"
    );
}

#[test]
fn a_list_emptied_by_the_status_filter_says_so_and_not_that_a_name_did_not_match() {
    let mut fixture = start(|store| {
        let client_id = add_client(store, "Acme");
        store
            .change_client_status(
                client_id,
                &StatusChange::End {
                    reason: "Moved on".into(),
                },
                Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap(),
            )
            .unwrap();
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label(
        "No client has this status. Choose “All clients” under Show to see the others.",
    );
    assert!(harness.query_by_label("No client matches.").is_none());
    type_into(harness, "Filter clients", "zzz");
    harness.run();
    harness.get_by_label("No client matches.");
}

/// A status line belongs to the client it is about: "Entry added." for one client is gone when
/// the user turns to another, and does not come back with the first.
#[test]
fn a_status_line_about_one_client_is_not_shown_beside_another() {
    let mut fixture = start(|store| {
        add_client(store, "Derek Holloway");
        add_client(store, "Maya Collins");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Derek Holloway").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness
        .get_by_label("Text")
        .type_text("Please send the March invoice again.");
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    harness.get_by_label("Entry added.");
    harness.get_by_label("Maya Collins").click();
    harness.run();
    assert!(
        harness.query_by_label("Entry added.").is_none(),
        "Derek's notice is not shown beside Maya's journal"
    );
    harness.get_by_label("Derek Holloway").click();
    harness.run();
    assert!(
        harness.query_by_label("Entry added.").is_none(),
        "it expired"
    );
}

/// An entry's date is set part by part, the way a screen reader reaches it: the month picked by
/// its name is the month stored.
#[test]
fn an_entrys_date_is_set_by_its_named_parts() {
    let mut fixture = start(|store| {
        add_client(store, "Derek Holloway");
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Derek Holloway").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness
        .get(By::new().role(Role::ComboBox).label("Date: month"))
        .click_accesskit();
    harness.run();
    harness.get_by_label("February").click_accesskit();
    harness.run();
    assert_eq!(
        harness
            .get(By::new().role(Role::ComboBox).label("Date: month"))
            .value()
            .as_deref(),
        Some("February")
    );
    harness
        .get_by_label("Text")
        .type_text("Where is the February report?");
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    let store = reopen(&fixture);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let stored = &store.exchanges_of(client_id).unwrap()[0];
    assert_eq!(
        stored.occurred_at.date_naive(),
        chrono::NaiveDate::from_ymd_opt(2026, 2, 12).unwrap()
    );
}

/// The real window learns the driver's texture limit from eframe's first raw input; the app's
/// hook caps it, so egui's glyph atlas is made no wider (docs/PERFORMANCE.md, "The glyph atlas").
#[test]
fn the_app_caps_the_texture_side_egui_makes_its_glyph_atlas_for() {
    let mut fixture = start(|_| {});
    let harness = &mut fixture.harness;
    harness.run();
    let ctx = harness.ctx.clone();
    let mut first = egui::RawInput {
        max_texture_side: Some(16_384),
        ..egui::RawInput::default()
    };
    eframe::App::raw_input_hook(harness.state_mut(), &ctx, &mut first);
    assert_eq!(
        first.max_texture_side,
        Some(calmdesk::ui::fonts::ATLAS_SIDE)
    );
}
