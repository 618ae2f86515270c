//! What the user sees when the file is not simply there to write: open in another window, found
//! damaged, read-only. Through the real app, headless (egui_kittest), by labels.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/filled.rs"]
mod filled;
#[path = "common/launch.rs"]
mod launch;
#[path = "common/modal.rs"]
mod modal;
#[path = "common/searching.rs"]
mod searching;

use std::sync::Arc;

use filled::{client_with_entries, file_in_pieces, segments};
use modal::modal_seen_before_result;

use calmdesk::app::CalmdeskApp;
use calmdesk::clock::ManualClock;
use calmdesk::store::{Store, StoreError};
use calmdesk::ui::UiLanguage;
use chrono::{TimeZone as _, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap()
}

fn app(store: Result<Store, StoreError>, dir: &std::path::Path) -> Harness<'static, CalmdeskApp> {
    let launch = launch::launch(
        store,
        Arc::new(ManualClock::new(now())),
        dir,
        UiLanguage::English,
    );
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(64)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch))
}

#[test]
fn a_file_open_in_another_window_can_be_read_here_but_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    client_with_entries(&path, 2);
    let other_window = Store::open(&path).unwrap();
    let mut harness = app(Store::open(&path), dir.path());
    harness.run();
    harness.get_by_label("This file is open in another window");
    harness.get_by_label("Open read-only").click();
    harness.run();
    harness.get_by_label("🔒 Read-only: changes are not saved");
    harness
        .get(By::new().role(Role::Button).label("Acme"))
        .click();
    harness.run();
    harness.get_by_label_contains(": message 1");
    // Ending the client would be a write: it is refused in words, and nothing changes.
    harness.get_by_label("⏸ Pause").click();
    harness.run();
    harness.get_by_label_contains("open read-only: nothing can be saved");
    drop(harness);
    let client = &other_window.client_overviews().unwrap()[0].client;
    assert_eq!(client.status, calmdesk::domain::ClientStatus::Active);
}

#[test]
fn a_damaged_file_gets_its_own_screen_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    client_with_entries(&path, 400);
    let mut bytes = std::fs::read(&path).unwrap();
    for byte in &mut bytes[5 * 4096..7 * 4096] {
        *byte = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let store = Store::open(&path);
    let mut harness = app(store, dir.path());
    harness.run();
    // Whether the side check has answered yet or not, a write waits for it. The answer may
    // come at any frame: each step only while the screen has not come yet.
    let steps: [(&str, Option<&str>); 3] = [
        ("+ New client", None),
        ("Name", Some("Someone new")),
        ("Save", None),
    ];
    for (label, text) in steps {
        if harness.query_by_label("This file is damaged").is_some() {
            break;
        }
        match text {
            Some(text) => harness.get_by_label(label).type_text(text),
            None => harness.get_by_label(label).click(),
        }
        harness.run();
    }
    harness.get_by_label("This file is damaged");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing was written");
    harness.get_by_label("Open read-only").click();
    harness.run();
    harness.get_by_label("🔒 Read-only: changes are not saved");
    drop(harness);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// Overwrites two pages in the middle of the file, as a disk or sync fault would.
fn damage(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    for byte in &mut bytes[5 * 4096..7 * 4096] {
        *byte = 0xA5;
    }
    std::fs::write(path, &bytes).unwrap();
    bytes
}

/// Opens the damaged file in the app and waits for the damage screen: the side check's answer
/// is waited for (a synchronisation, not a sleep), so no dialog is left open behind the screen
/// by a step taken before the answer came.
fn damage_screen(path: &std::path::Path, dir: &std::path::Path) -> Harness<'static, CalmdeskApp> {
    let mut harness = app(Store::open(path), dir);
    harness.run();
    harness.state_mut().wait_for_integrity();
    harness.run();
    harness.get_by_label("This file is damaged");
    harness
}

#[test]
fn the_damage_screen_restores_a_backup_in_the_files_place_and_keeps_the_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    client_with_entries(&path, 400);
    Store::open(&path).unwrap().take_backup(now(), 10).unwrap();
    let damaged = damage(&path);
    let mut harness = damage_screen(&path, dir.path());
    harness.get_by_label("Restore a backup…").click();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Restore a backup"));
    harness.get_by_label("Restore…").click_accesskit();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Restore this backup?"));
    harness.get_by_label("Restore").click_accesskit();
    // Off the UI thread (a million entries are 3.3 GB to copy): once the click is taken in,
    // the copy runs on its own thread and the window has no file open until it is in.
    harness.step();
    assert!(harness.state().store().is_none(), "restored on the side");
    // Here the copy is done before the next frame, and still its modal is on screen before
    // the result is said.
    harness.state_mut().wait_for_damaged_restore_worker();
    assert!(
        modal_seen_before_result(&mut harness, "Restoring the backup", "Backup restored."),
        "the restore's modal is shown before its result"
    );
    harness.run();
    harness.get_by_label_contains("Backup restored.");
    assert!(harness.query_by_label("This file is damaged").is_none());
    harness
        .get(By::new().role(Role::Button).label("Acme"))
        .click();
    harness.run();
    harness.get_by_label_contains(": message 399");
    let store = harness.state().store().unwrap();
    assert!(!store.is_read_only(), "the restored file is written again");
    store.integrity_check().unwrap();
    drop(harness);
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains(".damaged-"))
        .map(|entry| std::fs::read(entry.path()).unwrap())
        .collect();
    assert_eq!(kept, [damaged], "the damaged file is kept aside, as it was");
}

#[test]
fn a_damaged_file_is_not_backed_up_on_start_so_its_good_backups_stay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    client_with_entries(&path, 400);
    {
        let mut store = Store::open(&path).unwrap();
        // One backup kept: a backup of the damaged file would rotate the good one out.
        store
            .set_setting(calmdesk::app::BACKUPS_KEPT_SETTING, "1")
            .unwrap();
        let two_days_before = Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap();
        store.take_backup(two_days_before, 1).unwrap();
    }
    let backups = dir.path().join("backups");
    let good: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|entry| (entry.path(), std::fs::read(entry.path()).unwrap()))
        .collect();
    damage(&path);
    let mut harness = app(Store::open(&path), dir.path());
    harness.run();
    harness.state_mut().wait_for_integrity();
    harness.run();
    harness.get_by_label("This file is damaged");
    // The damage screen lists the good backup to restore.
    harness.get_by_label("Restore a backup…").click();
    harness.run();
    harness.get_by_label("Restore…");
    drop(harness);
    let now_there: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|entry| (entry.path(), std::fs::read(entry.path()).unwrap()))
        .collect();
    assert_eq!(
        now_there, good,
        "no backup of the damaged file, the good one kept"
    );
}

#[test]
fn a_search_index_in_pieces_is_merged_once_the_file_is_sound_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    file_in_pieces(&path, 30);
    assert!(segments(&path) > calmdesk::store::MAX_SEGMENTS);
    let mut harness = app(Store::open(&path), dir.path());
    harness.run();
    harness.state_mut().wait_for_integrity();
    harness.state_mut().wait_for_tidy();
    harness.run();
    // The window works on as before: a search finds the entries.
    searching::search_for(&mut harness, "Search", "message");
    assert!(harness.query_all_by_label_contains("message 29").count() > 0);
    drop(harness);
    assert_eq!(segments(&path), 1);
    let store = Store::open_read_only(&path).unwrap();
    let hits = store
        .search(
            "message",
            calmdesk::domain::search::SearchOrder::Newest,
            100,
        )
        .unwrap();
    assert_eq!(hits.len(), 30);
}

#[test]
fn a_file_open_read_only_or_found_damaged_is_never_tidied() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    file_in_pieces(&path, 30);
    let pieces = segments(&path);
    let before = std::fs::read(&path).unwrap();
    let mut harness = app(Store::open_read_only(&path), dir.path());
    harness.run();
    harness.state_mut().wait_for_integrity();
    harness.state_mut().wait_for_tidy();
    harness.run();
    drop(harness);
    // Neither into the file nor into its log (a read-only window cannot fold a log back).
    assert!(std::fs::read(&path).unwrap() == before, "nothing written");
    assert_eq!(segments(&path), pieces, "nothing written");

    // Damage the index's word list, not the index: a tidy would still find work to do.
    let page: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT pageno FROM dbstat WHERE name = 'search_terms' AND pagetype = 'leaf'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let mut damaged = std::fs::read(&path).unwrap();
    let at = usize::try_from(page - 1).unwrap() * 4096;
    damaged[at..at + 4096].fill(0xA5);
    std::fs::write(&path, &damaged).unwrap();
    let mut harness = app(Store::open(&path), dir.path());
    harness.run();
    harness.state_mut().wait_for_integrity();
    harness.state_mut().wait_for_tidy();
    harness.run();
    harness.get_by_label("This file is damaged");
    drop(harness);
    assert!(std::fs::read(&path).unwrap() == damaged, "nothing written");
    let log = std::fs::metadata(dir.path().join("calmdesk.sqlite3-wal")).map_or(0, |log| log.len());
    assert_eq!(log, 0, "nothing written into the log either");
}
