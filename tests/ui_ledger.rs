//! The ledger as a user drives it, through the real `eframe::App`, headless (egui_kittest): the
//! cost of a minute set in Settings, a client's Picture with its overrun and the three ways on,
//! the overview of all clients sorted by its columns, and a message opened from its heat.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/launch.rs"]
mod launch;

use std::sync::Arc;

use calmdesk::app::CalmdeskApp;
use calmdesk::clock::ManualClock;
use calmdesk::domain::ledger::{CostPerMinute, HeatMark};
use calmdesk::domain::{
    BillingPeriod, Channel, ClientId, ClientInput, ClientKind, ClientStatus, Direction,
    ExchangeDraft, ExchangeId, Minutes,
};
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use calmdesk::ui::picture::{heat_plot_id, minutes_plot_id};
use chrono::{DateTime, TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use egui_plot::{PlotMemory, PlotPoint, PlotTransform};

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    harness: Harness<'static, CalmdeskApp>,
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap()
}

fn day(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, day, hour, 0, 0).unwrap()
}

fn add_client(store: &mut Store, name: &str, fee: &str, period: BillingPeriod) -> ClientId {
    let draft = ClientInput {
        name: name.into(),
        contact_person: "Maya".into(),
        fee: fee.into(),
        currency: "USD".into(),
        billing_period: period,
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    store.add_client(&draft, day(1, 9)).unwrap()
}

fn add_entry(
    store: &mut Store,
    client_id: ClientId,
    direction: Direction,
    when: DateTime<Utc>,
    minutes: u32,
    body: &str,
) {
    let draft = ExchangeDraft {
        direction,
        channel: Channel::Email,
        occurred_at: when,
        minutes: Minutes::new(minutes).unwrap(),
        body: body.into(),
    };
    store.add_exchange(client_id, &draft, when).unwrap();
}

/// Two clients at 10 cents a minute: a $20 plan (200 minutes) used for 260 minutes this month,
/// and a $1,200 plan used for 30.
fn start(with_cost: bool) -> Fixture {
    start_with(with_cost, |_| {})
}

/// [`start`], with more written to the file before the window opens it.
fn start_with(with_cost: bool, more: impl FnOnce(&mut Store)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    if with_cost {
        store
            .set_setting(CostPerMinute::SETTING_KEY, "10 USD")
            .unwrap();
    }
    let small = add_client(&mut store, "Brightside Yoga", "20", BillingPeriod::Month);
    add_entry(
        &mut store,
        small,
        Direction::FromClient,
        day(4, 9),
        20,
        "Could you update the class times, please?",
    );
    add_entry(
        &mut store,
        small,
        Direction::ToClient,
        day(5, 9),
        200,
        "Done, and the booking form is fixed.",
    );
    add_entry(
        &mut store,
        small,
        Direction::FromClient,
        day(18, 22),
        40,
        "This is useless!!! If the site breaks again I will post a review telling everyone.",
    );
    let big = add_client(&mut store, "Holloway Heating", "1200", BillingPeriod::Month);
    add_entry(
        &mut store,
        big,
        Direction::FromClient,
        day(6, 9),
        30,
        "Thanks, the new page looks great.",
    );
    more(&mut store);
    let launch = launch::launch(
        Ok(store),
        Arc::new(ManualClock::new(now())),
        dir.path(),
        UiLanguage::English,
    );
    let harness = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_max_steps(64)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    Fixture {
        _dir: dir,
        path,
        harness,
    }
}

fn reopen(fixture: &Fixture) -> Store {
    Store::open_read_only(&fixture.path).unwrap()
}

fn open_picture(harness: &mut Harness<'static, CalmdeskApp>, client: &str) {
    ask_for_the_picture(harness, client);
    harness.run();
}

/// Selects `client`, opens its Picture tab and takes in the worker's answer, with no frame
/// drawn after it (the window settles on it at the next frames).
fn ask_for_the_picture(harness: &mut Harness<'static, CalmdeskApp>, client: &str) {
    harness
        .get(By::new().role(Role::Button).label(client))
        .click();
    harness.run();
    harness.get_by_label("Picture").click();
    harness.step();
    harness.state_mut().wait_for_picture();
}

#[test]
fn the_cost_of_a_minute_is_set_in_settings_and_gives_the_allowance() {
    let mut fixture = start(false);
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Brightside Yoga");
    harness.get_by_label_contains("No monthly allowance");
    assert!(
        harness
            .query_by_label_contains("Over the allowance")
            .is_none()
    );

    harness.get_by_label("⚙ Settings").click();
    harness.run();
    harness.get_by_label("One minute costs").focus();
    harness.run();
    harness.get_by_label("One minute costs").type_text("ten");
    harness.get_by_label("Currency").focus();
    harness.run();
    harness.get_by_label("Currency").type_text("USD");
    harness.run();
    harness.get_by_label("Save cost").click_accesskit();
    harness.run();
    harness.get_by_label_contains("The cost must be an amount above zero");
    assert_eq!(
        reopen(&fixture)
            .setting(CostPerMinute::SETTING_KEY)
            .unwrap(),
        None,
        "a cost that is not a number is not saved"
    );

    let harness = &mut fixture.harness;
    harness.get_by_label("One minute costs").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("One minute costs").type_text("0.10");
    harness.run();
    harness.get_by_label("Save cost").click_accesskit();
    harness.run();
    assert_eq!(
        reopen(&fixture)
            .setting(CostPerMinute::SETTING_KEY)
            .unwrap()
            .as_deref(),
        Some("10 USD")
    );
    let harness = &mut fixture.harness;
    harness.get_by_label("Close").click_accesskit();
    harness.run();
    harness.get_by_label("4 h 20 min of 3 h 20 min included (130%)");
    harness.get_by_label("Over the allowance by 1 h this month.");
}

#[test]
fn over_the_allowance_the_picture_offers_an_invoice_note_a_bigger_plan_and_parting_ways() {
    let mut fixture = start(true);
    let harness = &mut fixture.harness;
    harness.run();
    harness
        .get(By::new().label("Brightside Yoga").role(Role::Button))
        .click();
    harness.run();
    harness.get_by_label_contains("Over this month's allowance by 1 h");
    harness.get_by_label("Picture").click();
    harness.step();
    harness.state_mut().wait_for_picture();
    harness.run();
    harness.get_by_label("At your cost of a minute that is 6 USD of your time unpaid.");

    harness.get_by_label("Bill the extra time").click();
    harness.run();
    harness.get(
        By::new()
            .role(Role::Dialog)
            .label("Invoice note for the extra time"),
    );
    let note = harness
        .get(By::new().role(Role::MultilineTextInput))
        .accesskit_node()
        .value()
        .unwrap();
    assert!(
        note.contains("May 2026: 60 min × 0.10 USD = 6 USD (260 min used of the 200 min included)"),
        "{note}"
    );
    harness.get_by_label("Copy").click();
    harness.run();
    harness.get_by_label("Copied to the clipboard.");

    harness.get_by_label("Propose a bigger plan").click();
    harness.run();
    let letter = harness
        .get(By::new().role(Role::MultilineTextInput))
        .accesskit_node()
        .value()
        .unwrap();
    assert!(letter.starts_with("Hello Maya,"), "{letter}");
    assert!(
        letter.contains("4 h 30 min of support a month for 27 USD a month"),
        "{letter}"
    );
    harness.get_by_label("Close").click();
    harness.run();

    assert_eq!(reopen(&fixture).open_cooldowns(None).unwrap().len(), 0);
    let harness = &mut fixture.harness;
    harness.get_by_label("Consider parting ways").click();
    harness.run();
    let cooldowns = reopen(&fixture).open_cooldowns(None).unwrap();
    assert_eq!(cooldowns.len(), 1, "a cool-down on the last message");
    let cooldown = reopen(&fixture).cooldown(cooldowns[0].cooldown_id).unwrap();
    assert!(cooldown.message().starts_with("This is useless!!!"));
}

#[test]
fn a_client_within_the_allowance_is_not_warned_and_a_heat_row_opens_its_message() {
    let mut fixture = start(true);
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Holloway Heating");
    harness.get_by_label_contains("30 min of 200 h included (0%)");
    assert!(
        harness
            .query_by_label_contains("Over the allowance")
            .is_none()
    );
    assert!(harness.query_by_label("Bill the extra time").is_none());

    open_picture(harness, "Brightside Yoga");
    harness.get_by_label("Minutes per month");
    harness.get_by_label("Heat of the client's messages");
    harness.get_by_label("Too few messages yet to tell a trend.");
    // The plots' tables, for the keyboard and screen readers.
    assert_eq!(harness.query_all_by_label("As a table").count(), 2);
    harness
        .query_all_by_label("As a table")
        .last()
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label_contains("4 May 2026 — heat");
    let hot = harness.get_by_label_contains("18 May 2026 — heat");
    assert!(hot.accesskit_node().label().unwrap().contains("threat"));
    hot.click();
    harness.run();
    // The journal, on that message.
    harness.get_by_label("Copy text");
    assert!(
        harness
            .query_all_by_label_contains("If the site breaks again")
            .count()
            >= 2,
        "listed and open in the reader"
    );
}

#[test]
fn the_ledger_lists_every_client_sorted_by_the_column_clicked() {
    let mut fixture = start(true);
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Ledger").click();
    harness.run();
    harness.get_by_label("Ledger — May 2026");
    let names = |harness: &Harness<'static, CalmdeskApp>| -> Vec<String> {
        harness
            .query_all(By::new().role(Role::Link))
            .filter_map(|node| node.accesskit_node().label())
            .collect()
    };
    // By share of the allowance, the most used first: who costs the most for the money.
    assert_eq!(names(harness), ["Brightside Yoga", "Holloway Heating"]);
    harness.get_by_label("130%");
    harness.get_by_label("6 USD");
    harness.get_by_label("Client").click();
    harness.run();
    assert_eq!(names(harness), ["Brightside Yoga", "Holloway Heating"]);
    harness.get_by_label("Client").click();
    harness.run();
    assert_eq!(names(harness), ["Holloway Heating", "Brightside Yoga"]);
    harness.get_by_label("Last heat").click();
    harness.run();
    assert_eq!(names(harness), ["Brightside Yoga", "Holloway Heating"]);

    harness.get_by_label("◀ Previous month").click();
    harness.run();
    harness.get_by_label("Ledger — April 2026");
    assert!(harness.query_by_label("130%").is_none(), "nothing in April");

    harness.get_by_label("Next month ▶").click();
    harness.run();
    harness
        .get(By::new().role(Role::Link).label("Holloway Heating"))
        .click();
    harness.run();
    // The client's Picture, the ledger closed.
    harness.get_by_label("The picture: Holloway Heating");
    assert!(harness.query_by_label_contains("Ledger —").is_none());
}

fn client_id(fixture: &Fixture, name: &str) -> ClientId {
    reopen(fixture)
        .client_overviews()
        .unwrap()
        .into_iter()
        .find(|overview| overview.client.name == name)
        .unwrap()
        .client
        .client_id
}

/// Where egui_plot drew a client's plot, and how it maps values to the screen.
fn plot_transform(harness: &Harness<'static, CalmdeskApp>, id: egui::Id) -> PlotTransform {
    PlotMemory::load(&harness.ctx, id)
        .expect("the plot was drawn")
        .transform()
}

#[test]
fn the_plots_are_drawn_and_a_click_on_a_heat_point_opens_its_message() {
    let mut fixture = start(true);
    let yoga = client_id(&fixture, "Brightside Yoga");
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Brightside Yoga");

    // The minutes plot, named for screen readers, drawn over May's 260 minutes and the
    // allowance's 200.
    let minutes_plot =
        harness.get_by_label("Plot of the minutes of each month, the allowance as a line");
    let transform = plot_transform(harness, minutes_plot_id(yoga));
    let frame = *transform.frame();
    assert!(frame.width() > 100.0 && frame.height() > 100.0, "{frame:?}");
    assert!(minutes_plot.rect().contains(frame.center()));
    let bounds = transform.bounds();
    assert!(
        bounds.min()[1] <= 0.0 && bounds.max()[1] >= 260.0,
        "{bounds:?}"
    );
    assert!(
        bounds.min()[0] < 0.0 && bounds.max()[0] > 0.0,
        "May's bar at 0: {bounds:?}"
    );

    // The heat plot: the 18 May message (a threat) is a point where its time and heat fall.
    let heat_plot = harness.get_by_label(
        "Plot of the heat of each message: point at one to read it, click to open it",
    );
    let body = "This is useless!!! If the site breaks again I will post a review telling everyone.";
    let heat = HeatMark::of_reading(
        ExchangeId(0),
        day(18, 22),
        &calmdesk::reading::analyze(body),
    );
    assert!(heat.threatened);
    #[expect(clippy::cast_precision_loss, reason = "days on the plot's axis")]
    let x = day(18, 22).timestamp() as f64 / 86_400.0;
    let transform = plot_transform(harness, heat_plot_id(yoga));
    let point = transform.position_from_point(&PlotPoint::new(x, f64::from(heat.heat)));
    assert!(heat_plot.rect().contains(point), "{point:?} in the plot");
    assert!(
        harness
            .query_by_label_contains("18 May 2026 — heat")
            .is_none()
    );

    // Pointing at it shows the message...
    harness.hover_at(point);
    harness.run();
    let tip = harness.get_by_label_contains("18 May 2026 — heat");
    assert!(tip.accesskit_node().value().unwrap().contains("threat"));
    harness.get_by_label_contains("If the site breaks again");
    // ... and clicking it opens it in the journal.
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: point,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
    harness.remove_cursor();
    harness.run();
    assert!(
        harness
            .query_by_label("Heat of the client's messages")
            .is_none(),
        "the journal shows"
    );
    harness.get_by_label("Copy text");
    assert!(
        harness
            .query_all_by_label_contains("If the site breaks again")
            .count()
            >= 2,
        "listed and open in the reader"
    );
}

/// A figure the screen writes as "4 h 20 min", in minutes.
fn screen_minutes(text: &str) -> u64 {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .chunks(2)
        .map(|pair| {
            let number: u64 = pair[0].parse().unwrap();
            match pair[1] {
                "h" => number * 60,
                "min" => number,
                unit => panic!("unit {unit:?} in {text:?}"),
            }
        })
        .sum()
}

/// The texts of a row of the ledger on screen, left to right after the client's name.
fn row_cells(harness: &Harness<'static, CalmdeskApp>, name: &str) -> Vec<String> {
    let link = harness.get(By::new().role(Role::Link).label(name)).rect();
    let mut cells: Vec<(f32, String)> = harness
        .query_all(By::new().role(Role::Label))
        .filter(|node| {
            let rect = node.rect();
            (rect.center().y - link.center().y).abs() < link.height() / 2.0
                && rect.min.x >= link.max.x
        })
        .map(|node| {
            let text = node.accesskit_node().value().unwrap_or_default();
            (node.rect().min.x, text)
        })
        .collect();
    cells.sort_by(|left, right| left.0.total_cmp(&right.0));
    cells.into_iter().map(|(_, text)| text).collect()
}

fn dash_or(value: &serde_json::Value, text: impl FnOnce(&serde_json::Value) -> String) -> String {
    if value.is_null() {
        "—".to_owned()
    } else {
        text(value)
    }
}

#[test]
fn calmdesk_ledger_says_what_the_window_shows_row_by_row() {
    let mut fixture = start_with(true, |store| {
        let hourly = add_client(store, "Hourly Studio", "90", BillingPeriod::Hour);
        add_entry(
            store,
            hourly,
            Direction::ToClient,
            day(10, 9),
            50,
            "Report sent.",
        );
        let project = add_client(store, "Launch Project", "30", BillingPeriod::Project);
        add_entry(
            store,
            project,
            Direction::ToClient,
            day(11, 9),
            320,
            "Launched.",
        );
        let quarter = add_client(store, "Quarterly Care", "90", BillingPeriod::Quarter);
        add_entry(
            store,
            quarter,
            Direction::FromClient,
            day(12, 9),
            45,
            "Thank you!",
        );
        add_client(store, "No Fee Friends", "", BillingPeriod::Month);
    });
    let mut out = Vec::new();
    calmdesk::cli::ledger::run(
        &fixture.path,
        calmdesk::app::picture::this_month(now()),
        true,
        &mut out,
    )
    .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let lines = report["clients"].as_array().unwrap();
    assert_eq!(lines.len(), 6);

    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("Ledger").click();
    harness.run();
    harness.get_by_label(&format!(
        "Ledger — {}",
        calmdesk::ui::format::month(
            UiLanguage::English.strings(),
            calmdesk::app::picture::this_month(now())
        )
    ));
    let tr = UiLanguage::English.strings();
    for line in lines {
        let name = line["name"].as_str().unwrap();
        let cells = row_cells(harness, name);
        assert_eq!(cells.len(), 9, "{name}: {cells:?}");
        let [
            fee,
            minutes,
            percent,
            overrun,
            heat,
            trend,
            cooldowns,
            kind,
            status,
        ] = <[String; 9]>::try_from(cells).unwrap();
        let fee_text = dash_or(&line["fee"], |fee| fee["text"].as_str().unwrap().to_owned());
        assert!(fee.starts_with(&fee_text), "{name}: {fee} / {fee_text}");
        let (used, worth) = match minutes.split_once(", worth ") {
            Some((used, worth)) => (used, Some(worth.to_owned())),
            None => (minutes.as_str(), None),
        };
        assert_eq!(
            screen_minutes(used),
            line["minutes"].as_u64().unwrap(),
            "{name}"
        );
        let value_of_time = line["value_of_time"]["text"].as_str().map(str::to_owned);
        match line["billing_period"].as_str().unwrap() {
            "hour" | "project" => assert_eq!(worth, value_of_time, "{name}: worth"),
            _ => assert_eq!(worth, None, "{name}: an allowance, no worth"),
        }
        let percent_text = dash_or(&line["percent_of_allowance"], |percent| {
            format!("{percent}%")
        });
        assert_eq!(percent, percent_text, "{name}: %");
        let overrun_text = if line["overrun_minutes"].as_u64().unwrap() > 0 {
            line["overrun_value"]["text"].as_str().unwrap().to_owned()
        } else {
            "—".to_owned()
        };
        assert_eq!(overrun, overrun_text, "{name}: overrun");
        assert_eq!(
            heat,
            dash_or(&line["last_heat"], ToString::to_string),
            "{name}: heat"
        );
        let trend_text = match line["trend"].as_str().unwrap() {
            "rising" => tr.trend_rising,
            "falling" => tr.trend_falling,
            "steady" => tr.trend_steady,
            _ => "—",
        };
        assert_eq!(trend, trend_text, "{name}: trend");
        assert_eq!(cooldowns, line["open_cooldowns"].to_string(), "{name}");
        let kind_word = line["kind"].as_str().and_then(ClientKind::parse);
        assert_eq!(kind, calmdesk::ui::format::kind(tr, kind_word), "{name}");
        let status_word = ClientStatus::parse(line["status"].as_str().unwrap()).unwrap();
        assert_eq!(
            status,
            calmdesk::ui::format::status(tr, status_word),
            "{name}"
        );
    }
    // A project past its budget: the CLI says by how much, the screen's cell stands out.
    let project = lines
        .iter()
        .find(|line| line["name"] == "Launch Project")
        .unwrap();
    assert_eq!(
        (
            &project["project_minutes"],
            &project["project_budget_minutes"],
            &project["project_over_minutes"]
        ),
        (&320.into(), &300.into(), &20.into())
    );
    assert!(
        lines
            .iter()
            .all(|line| line["billing_period"] == "project" || line["project_minutes"].is_null())
    );
    // The worth of hourly and one-off time is on screen, not only in the CLI.
    assert_eq!(
        row_cells(harness, "Hourly Studio")[1],
        "50 min, worth 75 USD"
    );
}

#[test]
fn a_project_over_its_budget_says_what_its_time_is_worth_and_offers_no_plan_to_bill_beyond() {
    let mut fixture = start_with(true, |store| {
        let project = add_client(store, "Launch Project", "30", BillingPeriod::Project);
        add_entry(
            store,
            project,
            Direction::FromClient,
            day(11, 9),
            320,
            "When will it launch?",
        );
    });
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Launch Project");
    // 30 USD at 10 cents a minute pays for 300 minutes.
    harness.get_by_label("A one-off project: 5 h 20 min in all, of the 5 h its fee pays for.");
    harness.get_by_label("Worth 32 USD.");
    harness.get_by_label("Over the project's budget by 20 min.");
    harness.get_by_label_contains("A one-off fee has no plan to bill beyond");
    // No button offered only to be refused for a reason that is not the real one.
    assert!(harness.query_by_label("Bill the extra time").is_none());
    assert!(harness.query_by_label("Propose a bigger plan").is_none());
    assert!(
        harness
            .query_by_label_contains("Set what a support minute costs")
            .is_none()
    );
    harness.get_by_label("Consider parting ways");
}

/// The Picture is read while it is on screen, not while search results, a cool-down or the
/// ledger cover the centre with its tab still chosen underneath.
#[test]
fn the_picture_is_read_only_while_nothing_covers_it() {
    let mut fixture = start(false);
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Brightside Yoga");
    let picture_read = |harness: &Harness<'static, CalmdeskApp>| {
        harness.state().loaded().unwrap().picture.is_some()
    };
    assert!(picture_read(harness), "shown");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").type_text("class");
    harness.step();
    harness.state_mut().wait_for_search();
    harness.run();
    harness.get_by_label("Search results");
    assert!(!picture_read(harness), "covered by the search results");

    harness.get_by_label("Clear the search (Esc)").click();
    harness.step();
    assert!(harness.query_by_label("Search results").is_none());
    harness.state_mut().wait_for_picture();
    assert!(picture_read(harness), "shown again, read again");
}

/// A save while the Picture is shown: the entry is in the file, and the Picture, read on the
/// side (the worker's connection), shows it.
#[test]
fn a_save_while_the_picture_is_shown_is_in_it_read_on_the_worker() {
    let mut fixture = start(true);
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Brightside Yoga");
    harness.get_by_label("At your cost of a minute that is 6 USD of your time unpaid.");
    // With a file the Picture is read on the worker: a save only asks for it (what a save
    // then re-reads on the UI thread is held by the app's own tests, without a window).
    assert!(harness.state().loaded().unwrap().reads_pictures_by_worker());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get(
        By::new()
            .role(Role::Dialog)
            .label("New entry — Brightside Yoga"),
    );
    harness
        .get_by_label("Text")
        .type_text("Called about the booking form.");
    harness.run();
    harness.get_by_label("Minutes spent").focus();
    harness.run();
    harness.get_by_label("Minutes spent").type_text("40");
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.step();
    let client_id = client_id(&fixture, "Brightside Yoga");
    let stored = reopen(&fixture).exchange_summaries(client_id).unwrap();
    assert_eq!(stored.len(), 4, "the entry is in the file");

    let harness = &mut fixture.harness;
    harness.state_mut().wait_for_picture();
    harness.run();
    harness.get_by_label("At your cost of a minute that is 10 USD of your time unpaid.");
}

/// A client whose messages are not all read yet: the Picture says how many are left, and fills
/// in as the catch-up reads and keeps them, without being opened again.
#[test]
fn a_picture_still_being_read_fills_in_as_the_messages_are_read() {
    let backlog = calmdesk::app::picture::READ_PER_REFRESH + 5;
    let mut fixture = start_with(false, |store| {
        let client_id = add_client(store, "Northwind Tours", "500", BillingPeriod::Month);
        let drafts: Vec<ExchangeDraft> = (0..backlog)
            .map(|index| ExchangeDraft {
                direction: Direction::FromClient,
                channel: Channel::Email,
                occurred_at: day(2, 9) + chrono::Duration::minutes(index as i64),
                minutes: Minutes::new(1).unwrap(),
                body: format!("Message {index}: when will the itinerary be ready?"),
            })
            .collect();
        store.add_exchanges(client_id, &drafts, day(2, 9)).unwrap();
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.state_mut().wait_for_integrity();
    harness.run();
    ask_for_the_picture(harness, "Northwind Tours");
    // This frame draws the Picture as answered; the catch-up before it keeps what was read
    // and asks for the Picture again.
    harness.step();
    harness
        .get_by_label("5 older messages are still being read; the picture fills in as they are.");
    harness.state_mut().wait_for_picture();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("older messages are still being read")
            .is_none(),
        "filled in"
    );
    let client_id = client_id(&fixture, "Northwind Tours");
    let kept = reopen(&fixture)
        .heat_marks(client_id, calmdesk::reading::VERSION)
        .unwrap();
    assert_eq!((kept.marked.len(), kept.unread.len()), (backlog, 0));
}

/// A client of years: the heat table lists its messages newest first and lays out only the
/// rows on screen (3 000 links in one frame would be a frame of tens of milliseconds).
#[test]
fn the_heat_table_of_a_long_journal_lays_out_only_the_rows_on_screen() {
    let messages = 3_000;
    let mut fixture = start_with(false, |store| {
        let client_id = add_client(store, "Northwind Tours", "500", BillingPeriod::Month);
        let drafts: Vec<ExchangeDraft> = (0..messages)
            .map(|index| ExchangeDraft {
                direction: Direction::FromClient,
                channel: Channel::Email,
                occurred_at: day(1, 0) - chrono::Duration::hours(messages - index),
                minutes: Minutes::new(1).unwrap(),
                body: format!("Message {index}."),
            })
            .collect();
        let ids = store.add_exchanges(client_id, &drafts, day(1, 0)).unwrap();
        // Already read, as after months of use: the Picture reads none on the spot.
        let marks: Vec<HeatMark> = ids
            .iter()
            .zip(&drafts)
            .map(|(exchange_id, draft)| HeatMark {
                exchange_id: *exchange_id,
                at: draft.occurred_at,
                heat: 10,
                threatened: false,
                insulted: false,
                language: calmdesk::domain::reply::ReplyLanguage::English,
            })
            .collect();
        store
            .save_readings(calmdesk::reading::VERSION, &marks)
            .unwrap();
    });
    let harness = &mut fixture.harness;
    harness.run();
    open_picture(harness, "Northwind Tours");
    harness
        .query_all_by_label("As a table")
        .last()
        .unwrap()
        .click();
    harness.run();
    let rows: Vec<String> = harness
        .query_all_by_label_contains("— heat")
        .map(|row| row.accesskit_node().label().unwrap_or_default())
        .collect();
    assert!(
        rows.len() > 5 && rows.len() < 60,
        "{} rows laid out of {messages}",
        rows.len()
    );
    // The newest first: the messages just before the 1st of May.
    assert!(rows[0].starts_with("30 Apr 2026"), "{rows:?}");
}
