#![allow(clippy::unwrap_used, clippy::too_many_lines)]
//! A file from an older calmdesk opened in the window: upgraded on a thread of its own while
//! the window says so, then shown as it was, with the copy of the old file beside it.

#[path = "common/launch.rs"]
mod launch;

use std::sync::Arc;

use calmdesk::app::{CalmdeskApp, Opening};
use calmdesk::clock::ManualClock;
use calmdesk::store::Store;
use calmdesk::store::migrations::LATEST_VERSION;
use calmdesk::ui::UiLanguage;
use calmdesk::ui::welcome::{UpgradeStep, Upgrading, upgrading_ui};
use chrono::{TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};

#[path = "common/older.rs"]
mod older;

#[test]
fn an_older_file_is_upgraded_in_the_window_and_shown_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    older::schema_7_file(&path);
    assert_eq!(calmdesk::store::upgrade_needed(&path), Some(7));
    let opening = Opening::file(&path);
    assert!(matches!(
        opening,
        Opening::Upgrade {
            from_version: 7,
            ..
        }
    ));
    let launch = launch::launch(
        opening,
        Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap(),
        )),
        dir.path(),
        UiLanguage::English,
    );
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(8)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    harness.step();
    harness.state_mut().wait_for_upgrade();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label_contains("Acme"))
        .click();
    harness.run();
    harness.get_by_label_contains("2 entries · 45 min spent in total");
    harness.get_by_label_contains(&format!(": {}", older::BODIES[1]));
    assert_eq!(
        harness.state().store().unwrap().schema_version().unwrap(),
        LATEST_VERSION
    );
    drop(harness);
    // The file as it was, beside it.
    let copy = Store::open_read_only(&dir.path().join("calmdesk.sqlite3.before-v7"));
    assert!(
        matches!(
            copy,
            Err(calmdesk::store::StoreError::NeedsUpgrade { found: 7, .. })
        ),
        "{copy:?}"
    );
    // A current file is opened at once.
    assert_eq!(calmdesk::store::upgrade_needed(&path), None);
    assert!(matches!(Opening::file(&path), Opening::Ready(Ok(_))));
}

#[test]
fn the_upgrade_screen_says_what_happens_and_that_it_is_working_in_both_languages() {
    for (language, title, working, step, closing) in [
        (
            UiLanguage::English,
            "Upgrading your file",
            "Working: 1:05",
            "Rebuilding the search index · 42 %",
            "The window closes as soon as the upgrade is done.",
        ),
        (
            UiLanguage::Russian,
            "Обновляем файл",
            "Идёт работа: 1:05",
            "Перестраиваем поисковый индекс · 42 %",
            "Окно закроется, как только обновление закончится.",
        ),
    ] {
        let tr = language.strings();
        let harness = Harness::new_ui(|ui| {
            upgrading_ui(
                ui,
                tr,
                &Upgrading {
                    file: "calmdesk.sqlite3",
                    copy: "calmdesk.sqlite3.before-v7",
                    seconds: 65,
                    step: Some((UpgradeStep::SearchIndex, 0.42)),
                    is_closing: true,
                },
            );
        });
        harness.get_by_label(title);
        harness.get_by_label(working);
        harness.get_by_label_contains(step);
        harness.get_by_label(closing);
        harness.get_by_label_contains("calmdesk.sqlite3.before-v7");
    }
}
