//! `calmdesk search`: the window's search for scripts — word forms in both languages, both
//! orders, the limit, JSON — and the promise that searching changes nothing in the folder.

// Test code: an unwrap that fails is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

mod common;

use calmdesk::domain::search::SearchOrder;
use calmdesk::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use chrono::{TimeZone, Utc};

fn entry(day: u32, body: &str) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: Utc.with_ymd_and_hms(2026, 5, day, 12, 0, 0).unwrap(),
        minutes: Minutes::new(5).unwrap(),
        body: body.into(),
    }
}

fn database(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    for (name, entries) in [
        (
            "ООО Ромашка",
            vec![
                entry(3, "Подаём жалобу в налоговую, если акт не придёт."),
                entry(9, "Жалобы больше не будет, спасибо за акт."),
            ],
        ),
        (
            "Brightside Yoga",
            vec![entry(6, "The invoices for April are wrong again.")],
        ),
    ] {
        let draft = ClientInput {
            name: name.into(),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        let client_id = store.add_client(&draft, now).unwrap();
        store.add_exchanges(client_id, &entries, now).unwrap();
    }
    path
}

fn run(
    path: &std::path::Path,
    typed: &str,
    order: SearchOrder,
    limit: usize,
    json: bool,
) -> String {
    let mut out = Vec::new();
    calmdesk::cli::search::run(path, typed, order, limit, json, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn lines_give_date_client_direction_and_the_matched_words_in_brackets_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let lines = run(&path, "жалоба", SearchOrder::Newest, 20, false);
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("2026-05-09 12:00 UTC  ООО Ромашка  from_client  "));
    assert!(lines[0].contains("[Жалобы]"), "{}", lines[0]);
    assert!(lines[1].starts_with("2026-05-03"));
    assert!(lines[1].contains("[жалобу]"), "{}", lines[1]);
    // The limit holds; nothing found says so.
    assert_eq!(
        run(&path, "жалоба", SearchOrder::Newest, 1, false)
            .lines()
            .count(),
        1
    );
    assert_eq!(
        run(&path, "refund", SearchOrder::Newest, 20, false).trim(),
        "No entry contains \"refund\"."
    );
}

#[test]
fn json_lists_hits_with_their_matched_words_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    for order in [SearchOrder::Newest, SearchOrder::BestMatch] {
        let hits: serde_json::Value =
            serde_json::from_str(&run(&path, "invoice april", order, 20, true)).unwrap();
        let hits = hits.as_array().unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0]["client"], "Brightside Yoga");
        assert_eq!(hits[0]["direction"], "from_client");
        assert_eq!(hits[0]["occurred_at"], "2026-05-06T12:00:00+00:00");
        assert_eq!(hits[0]["matched"], serde_json::json!(["invoices", "April"]));
    }
}

#[test]
fn searching_changes_nothing_in_the_folder_and_a_missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let listing = common::folder_listing;
    let before = listing(dir.path());
    assert!(!run(&path, "акт", SearchOrder::BestMatch, 20, false).is_empty());
    assert!(
        listing(dir.path()) == before,
        "no file in the folder is written"
    );

    let missing = dir.path().join("nothing.sqlite3");
    let mut out = Vec::new();
    let result =
        calmdesk::cli::search::run(&missing, "акт", SearchOrder::Newest, 5, true, &mut out);
    assert!(result.is_err());
    assert!(!missing.exists());
}

#[test]
fn with_demo_a_command_reads_the_demo_database_not_the_users_own() {
    let home = tempfile::tempdir().unwrap();
    // The platform's data folder under XDG_DATA_HOME, as `directories` finds it on Linux.
    let folder = home.path().join("calmdesk");
    std::fs::create_dir_all(&folder).unwrap();
    let demo = database(&folder);
    std::fs::rename(&demo, calmdesk::demo::demo_path(&folder)).unwrap();
    let search = |demo_flag: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_calmdesk"));
        command.env("XDG_DATA_HOME", home.path());
        if demo_flag {
            command.arg("--demo");
        }
        command
            .args(["search", "жалоба", "--json"])
            .output()
            .unwrap()
    };
    let with_demo = search(true);
    assert!(with_demo.status.success(), "{with_demo:?}");
    let hits: serde_json::Value = serde_json::from_slice(&with_demo.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    // Without --demo the user's own file is meant, and there is none here: an error, and
    // nothing is created.
    let own = search(false);
    assert!(!own.status.success());
    assert!(!calmdesk::paths::default_database(&folder).exists());
}
