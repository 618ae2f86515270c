//! Every screen as a screen reader meets it: a walk of the whole accessibility tree (the one
//! AccessKit publishes over AT-SPI) that fails on an interactive node without a name, a name with
//! no letter in it (an icon alone: "✖", "💻"), or two interactive nodes of one role and one name on
//! one screen, which a listener could not tell apart.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/launch.rs"]
mod launch;
#[path = "common/searching.rs"]
mod searching;

use std::collections::BTreeMap;
use std::sync::Arc;

use calmdesk::app::CalmdeskApp;
use calmdesk::clock::ManualClock;
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use chrono::{TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};

/// Roles a user acts on: each must be named so it can be found and told apart by ear.
fn is_interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::ComboBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::SearchInput
            | Role::SpinButton
            | Role::Slider
            | Role::RadioButton
            | Role::Tab
            | Role::Link
            | Role::MenuItem
            | Role::Switch
            | Role::DateInput
    )
}

/// What a listener would trip on in the tree as it is now.
fn problems(harness: &Harness<'static, CalmdeskApp>) -> Vec<String> {
    let mut found = Vec::new();
    if harness
        .root()
        .accesskit_node()
        .label()
        .unwrap_or_default()
        .trim()
        .is_empty()
    {
        found.push("the window has no name".to_owned());
    }
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for node in harness.root().children_recursive() {
        let node = node.accesskit_node();
        if node.is_hidden() {
            continue;
        }
        let role = format!("{:?}", node.role());
        let name = node.label().unwrap_or_default();
        let name = name.trim().to_owned();
        if matches!(node.role(), Role::Window | Role::Dialog | Role::AlertDialog) && name.is_empty()
        {
            found.push(format!("an unnamed {role}"));
        }
        if !is_interactive(node.role()) {
            continue;
        }
        if node.role() == Role::ComboBox && node.value().unwrap_or_default().trim().is_empty() {
            found.push(format!("the ComboBox {name:?} does not say what is chosen"));
        }
        if name.is_empty() {
            let value = node.value().unwrap_or_default();
            found.push(format!("an unnamed {role} (value {value:?})"));
            continue;
        }
        if !name.chars().any(char::is_alphabetic) {
            found.push(format!("a {role} named {name:?}, which has no word in it"));
        }
        *seen.entry((role, name)).or_default() += 1;
    }
    for ((role, name), count) in seen {
        if count > 1 {
            found.push(format!("{count} {role}s all named {name:?}"));
        }
    }
    found
}

struct Tour {
    _dir: tempfile::TempDir,
    clock: ManualClock,
    harness: Harness<'static, CalmdeskApp>,
    found: Vec<String>,
    screens: usize,
}

impl Tour {
    fn start(language: UiLanguage, with_demo: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calmdesk.sqlite3");
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let mut store = Store::open(&path).unwrap();
        if with_demo {
            calmdesk::demo::fill(&mut store, now, &Utc).unwrap();
        }
        let clock = ManualClock::new(now);
        let launch = launch::launch(Ok(store), Arc::new(clock.clone()), dir.path(), language);
        let mut harness = Harness::builder()
            .with_size([1280.0, 860.0])
            .with_max_steps(64)
            .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
        harness.run();
        Self {
            _dir: dir,
            clock,
            harness,
            found: Vec::new(),
            screens: 0,
        }
    }

    /// Walks the tree as it is now and notes what a listener would trip on.
    fn listen(&mut self, screen: &str) {
        self.screens += 1;
        if std::env::var_os("CALMDESK_DUMP_TREE").is_some() {
            println!("== {screen}");
            for node in self.harness.root().children_recursive() {
                let node = node.accesskit_node();
                if is_interactive(node.role()) && !node.is_hidden() {
                    println!(
                        "   {:?} {:?} value={:?}",
                        node.role(),
                        node.label(),
                        node.value()
                    );
                }
            }
        }
        for problem in problems(&self.harness) {
            self.found.push(format!("{screen}: {problem}"));
        }
    }

    /// Presses the button (or tab) with this exact name, as a screen reader does, and waits
    /// for a Picture it asks for (read on the side).
    fn press(&mut self, name: &str) {
        self.harness.get_by_label(name).click_accesskit();
        self.harness.step();
        self.harness.state_mut().wait_for_picture();
        self.harness.run();
    }

    /// Opens the demo's newest message, Кравцов's claim ("ПРЕТЕНЗИЯ"), by its row's name.
    fn open_newest_claim(&mut self) {
        let newest = self
            .harness
            .query_all(By::new().role(Role::Button).label_contains("ПРЕТЕНЗИЯ"))
            .next()
            .unwrap()
            .accesskit_node()
            .label()
            .unwrap();
        self.press(&newest);
    }

    fn escape(&mut self) {
        self.harness.key_press(egui::Key::Escape);
        self.harness.run();
    }
}

fn tour_every_screen(language: UiLanguage) -> Tour {
    let tr = language.strings();
    let mut welcome = Tour::start(language, false);
    welcome.listen("the welcome screen");
    let mut tour = Tour::start(language, true);
    tour.found.append(&mut welcome.found);
    tour.screens += welcome.screens;
    tour.listen("the client list");
    tour.press("Кравцов Аркадий Семёнович — ИП, магазин «Стройдвор»");
    tour.listen("a client's journal");
    tour.open_newest_claim();
    tour.listen("an entry opened");
    tour.press(tr.delete_entry_button);
    tour.listen("deleting an entry");
    tour.escape();
    tour.press(tr.tab_picture);
    tour.listen("the client's Picture");
    tour.press("Maya Collins — Brightside Yoga Studio");
    tour.listen("a Picture over the allowance");
    tour.press(tr.picture_bill_extra);
    tour.listen("the invoice note");
    tour.escape();
    tour.press(tr.tab_journal);
    searching::search_for(&mut tour.harness, tr.search_label, "деклар");
    tour.listen("search results");
    tour.escape();
    tour.press("Кравцов Аркадий Семёнович — ИП, магазин «Стройдвор»");
    tour.open_newest_claim();
    tour.press(tr.ledger_button);
    tour.listen("the Ledger");
    tour.press(tr.ledger_close);
    tour.press(tr.settings_button);
    tour.listen("Settings");
    tour.escape();
    tour.press(tr.data_button);
    tour.listen("Data");
    tour.escape();
    tour.press(tr.new_client_button);
    tour.listen("the new-client form");
    tour.escape();
    tour.press(tr.edit_client_button);
    tour.listen("the client form");
    tour.escape();
    tour.press(tr.end_client_button);
    tour.listen("ending a client");
    tour.escape();
    tour.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    tour.harness.run();
    tour.listen("the new-entry form");
    // The text's size, in the language's units and decimal mark.
    tour.harness.get_by_label(match language {
        UiLanguage::English => "0 B / 1.0 MB",
        UiLanguage::Russian => "0 Б / 1,0 МБ",
    });
    tour.press(&format!("{}: {}", tr.field_date, tr.date_month));
    tour.listen("the date's month list");
    tour.escape();
    tour.escape();
    tour.press(tr.cooldown_start_button);
    tour.listen("the cool-down's Wait step");
    for step in ["Vent", "Facts"] {
        tour.press(tr.cooldown_next_button);
        tour.listen(&format!("the cool-down's {step} step"));
    }
    tour.clock.advance(chrono::Duration::hours(2));
    tour.harness.run();
    tour.press(tr.cooldown_next_button);
    tour.listen("the cool-down's Reply step");
    tour.press(tr.cooldown_next_button);
    tour.listen("the cool-down's Decide step");
    tour.press(tr.decide_part_ways);
    tour.listen("parting ways");
    tour
}

#[test]
fn every_control_of_every_screen_has_a_name_a_listener_can_tell_apart() {
    for language in UiLanguage::ALL {
        let tour = tour_every_screen(language);
        assert!(tour.screens >= 23, "the tour saw {} screens", tour.screens);
        assert!(
            tour.found.is_empty(),
            "{language:?}, what a listener trips on:\n  {}",
            tour.found.join("\n  ")
        );
    }
}

/// The cool-down's steps are a tab list with the current step selected, and a date's day, month
/// and year are each named and say their value.
#[test]
fn the_steps_are_tabs_and_a_date_is_named_part_by_part() {
    let mut tour = Tour::start(UiLanguage::English, true);
    let tr = UiLanguage::English.strings();
    tour.press("Кравцов Аркадий Семёнович — ИП, магазин «Стройдвор»");
    tour.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    tour.harness.run();
    let part = |tour: &Tour, role: Role, name: &str| {
        tour.harness
            .get(By::new().role(role).label(name))
            .accesskit_node()
            .value()
    };
    assert_eq!(
        part(&tour, Role::SpinButton, "Date: day").as_deref(),
        Some("1")
    );
    assert_eq!(
        part(&tour, Role::ComboBox, "Date: month").as_deref(),
        Some("December")
    );
    assert_eq!(
        part(&tour, Role::SpinButton, "Date: year").as_deref(),
        Some("2026")
    );
    tour.escape();
    tour.open_newest_claim();
    tour.press(tr.cooldown_start_button);
    tour.harness
        .get(By::new().role(Role::TabList).label("Cool-down steps"));
    let selected = |tour: &Tour, name: &str| {
        tour.harness
            .get(By::new().role(Role::Tab).label(name))
            .accesskit_node()
            .toggled()
    };
    assert_eq!(
        selected(&tour, "1. Wait"),
        Some(egui::accesskit::Toggled::True)
    );
    assert_eq!(
        selected(&tour, "2. Vent"),
        Some(egui::accesskit::Toggled::False)
    );
    tour.press(tr.cooldown_next_button);
    assert_eq!(
        selected(&tour, "1. Wait"),
        Some(egui::accesskit::Toggled::False)
    );
    assert_eq!(
        selected(&tour, "2. Vent"),
        Some(egui::accesskit::Toggled::True)
    );
    // No separator is read aloud between the steps.
    assert!(tour.harness.query_by_label("›").is_none());
}

/// Captions are legible: the smallest text style is at most one step below the body text.
#[test]
fn captions_are_one_step_below_the_body_text() {
    let tour = Tour::start(UiLanguage::English, true);
    let style = tour.harness.ctx.global_style();
    let size = |text_style: egui::TextStyle| style.text_styles[&text_style].size;
    assert!(
        size(egui::TextStyle::Small) >= size(egui::TextStyle::Body) - 1.5,
        "captions {} pt against body {} pt",
        size(egui::TextStyle::Small),
        size(egui::TextStyle::Body)
    );
}

/// A combo box says what is chosen, and its list closes once a screen reader picks an option.
#[test]
fn a_combo_box_says_its_value_and_closes_when_an_option_is_picked() {
    let mut tour = Tour::start(UiLanguage::English, true);
    let show = |tour: &Tour| {
        tour.harness
            .get(By::new().role(Role::ComboBox).label("Show"))
            .accesskit_node()
            .value()
    };
    assert_eq!(show(&tour).as_deref(), Some("Active and paused"));
    tour.harness
        .get(By::new().role(Role::ComboBox).label("Show"))
        .click_accesskit();
    tour.harness.run();
    tour.harness.get_by_label("All clients").click_accesskit();
    tour.harness.run();
    assert_eq!(show(&tour).as_deref(), Some("All clients"));
    assert!(
        tour.harness.query_by_label("Active and paused").is_none(),
        "the list closed after the choice"
    );
}
