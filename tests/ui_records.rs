//! The record as a user keeps it, through the real `eframe::App`, headless (egui_kittest): a
//! deleted entry waits in the trash and comes back; emptying the trash asks first; an edited
//! entry shows its earlier version; the record and the whole database are saved where the user
//! picks (a test picker answers the dialogs); an import runs with a progress bar and merges;
//! a backup is taken on start and on demand, and restoring one asks first.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/launch.rs"]
mod launch;
#[path = "common/modal.rs"]
mod modal;

use std::path::PathBuf;
use std::sync::Arc;

use calmdesk::app::CalmdeskApp;
use calmdesk::app::files::FilePicker;
use calmdesk::clock::ManualClock;
use calmdesk::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use chrono::{TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use modal::modal_seen_before_result;

/// Answers every save dialog with `save` and every open dialog with `open`.
struct TestPicker {
    save: PathBuf,
    open: PathBuf,
}

impl FilePicker for TestPicker {
    fn save(&self, _suggested: &str, _kind: &str, _extension: &str) -> Option<PathBuf> {
        Some(self.save.clone())
    }
    fn open(&self, _kind: &str, _extension: &str) -> Option<PathBuf> {
        Some(self.open.clone())
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    path: PathBuf,
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
    let save = dir.path().join("saved.out");
    let open = dir.path().join("to-import.json");
    let mut harness = Harness::builder()
        .with_size([1280.0, 900.0])
        .with_max_steps(64)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    harness
        .state_mut()
        .set_file_picker(Box::new(TestPicker { save, open }));
    Fixture { dir, path, harness }
}

fn add_client_with(store: &mut Store, name: &str, bodies: &[&str]) -> calmdesk::domain::ClientId {
    let draft = ClientInput {
        name: name.into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let when = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
    let client_id = store.add_client(&draft, when).unwrap();
    for body in bodies {
        let entry = ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: when,
            minutes: Minutes::new(5).unwrap(),
            body: (*body).into(),
        };
        store.add_exchange(client_id, &entry, when).unwrap();
    }
    client_id
}

fn open_entry(harness: &mut Harness<'static, CalmdeskApp>, client: &str, text: &str) {
    // The client in the list (a lone client is also named in the details panel).
    harness
        .get(By::new().role(Role::Button).label(client))
        .click();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label_contains(text))
        .click();
    harness.run();
}

#[test]
fn a_deleted_entry_waits_in_the_trash_comes_back_and_is_erased_only_when_asked() {
    let mut fixture = start(|store| {
        add_client_with(store, "Acme", &["Please send the March invoice again"]);
    });
    let harness = &mut fixture.harness;
    harness.run();
    open_entry(harness, "Acme", "March invoice");
    harness.get_by_label("🗑 Delete entry").click();
    harness.run();
    harness.get_by_label("Delete").click();
    harness.run();
    harness.get_by_label("Entry moved to the trash.");

    harness.get_by_label("🗄 Data").click();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Your data"));
    harness.get(By::new().label_contains("Please send the March invoice again"));
    harness.get_by_label("Restore").click_accesskit();
    harness.run();
    harness.get_by_label("Entry restored from the trash.");
    let store = Store::open_read_only(&fixture.path).unwrap();
    assert!(store.trash().unwrap().is_empty());
    assert_eq!(store.client_overviews().unwrap()[0].exchange_count, 1);
    drop(store);

    // Delete again and empty the trash: it asks first.
    let harness = &mut fixture.harness;
    harness.get_by_label("Close").click_accesskit();
    harness.run();
    open_entry(harness, "Acme", "March invoice");
    harness.get_by_label("🗑 Delete entry").click();
    harness.run();
    harness.get_by_label("Delete").click();
    harness.run();
    harness.get_by_label("🗄 Data").click();
    harness.run();
    harness.get_by_label("Empty the trash…").click_accesskit();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Empty the trash?"));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(
        Store::open_read_only(&fixture.path)
            .unwrap()
            .trash()
            .unwrap()
            .len(),
        1
    );
    let harness = &mut fixture.harness;
    harness.get_by_label("Empty the trash…").click_accesskit();
    harness.run();
    harness.get_by_label("Erase for good").click();
    harness.run();
    harness.get_by_label("Erased for good: 1.");
    harness.get_by_label("The trash is empty.");
    let store = Store::open_read_only(&fixture.path).unwrap();
    assert!(store.trash().unwrap().is_empty());
    assert!(store.verify_chains().unwrap()[0].result.is_ok());
}

#[test]
fn an_edited_entry_shows_what_it_said_before() {
    let mut fixture = start(|store| {
        let client = add_client_with(store, "Acme", &["The first wording"]);
        let id = store.exchange_summaries(client).unwrap()[0].exchange_id;
        let mut edited = store.exchange(id).unwrap().draft();
        edited.body = "The second wording".into();
        store
            .update_exchange(
                id,
                &edited,
                Utc.with_ymd_and_hms(2026, 3, 11, 9, 0, 0).unwrap(),
            )
            .unwrap();
    });
    let harness = &mut fixture.harness;
    harness.run();
    open_entry(harness, "Acme", "The second wording");
    harness.get_by_label("Earlier versions (1)").click();
    harness.run();
    harness.get_by_label("The first wording");
}

#[test]
fn the_record_is_saved_where_the_user_picks_as_html() {
    let mut fixture = start(|store| {
        add_client_with(store, "ИП Кравцов", &["Где отчёт за февраль?"]);
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("ИП Кравцов").click();
    harness.run();
    harness.get_by_label("HTML (to print)").click_accesskit();
    // Made on a worker (a big client's record takes seconds), with a modal the window shows
    // at least once: here the worker is done before the frame after the click is drawn, and
    // still the modal is on screen before the result is said.
    harness.step();
    harness.state_mut().wait_for_export_worker();
    assert!(
        modal_seen_before_result(harness, "Exporting the journal", "Journal exported to"),
        "the export's modal is shown before its result"
    );
    harness.run();
    let saved = fixture.dir.path().join("saved.out");
    harness.get_by_label(&format!("Journal exported to {}", saved.display()));
    assert!(
        harness
            .query(By::new().role(Role::Dialog).label("Exporting the journal"))
            .is_none()
    );
    let html = std::fs::read_to_string(&saved).unwrap();
    assert!(html.contains("Где отчёт за февраль?"));
    assert!(html.contains("The chain holds"));
}

#[test]
fn quitting_during_an_export_leaves_no_half_file_where_the_user_chose() {
    let mut fixture = start(|store| {
        let client_id = add_client_with(store, "Acme", &[]);
        let when = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        let entries: Vec<calmdesk::store::NewEntry> = (0..5000)
            .map(|n| calmdesk::store::NewEntry {
                client_id,
                draft: ExchangeDraft {
                    direction: Direction::FromClient,
                    channel: Channel::Email,
                    occurred_at: when,
                    minutes: Minutes::new(5).unwrap(),
                    body: format!("Где отчёт номер {n}? {}", "Слово ".repeat(40)),
                },
                written_at: when,
            })
            .collect();
        store.append_entries(&entries).unwrap();
    });
    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("🗄 Data").click();
    harness.run();
    harness.get_by_label("Export everything…").click_accesskit();
    harness.step();
    let beside = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("saved.out"))
            .collect()
    };
    // The window closes while the worker writes: once its temporary file is there (or, on a
    // machine quicker than this test, once the export is whole).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while beside(fixture.dir.path()).is_empty() && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    eframe::App::on_exit(fixture.harness.state_mut(), None);
    match beside(fixture.dir.path()).as_slice() {
        [] => {}
        [name] if name == "saved.out" => {
            // Finished before the stop: then it is whole.
            let text = std::fs::read_to_string(fixture.dir.path().join(name)).unwrap();
            assert_eq!(
                calmdesk::domain::archive::parse(&text).unwrap().clients[0]
                    .entries
                    .len(),
                5000
            );
        }
        other => panic!("left beside the target: {other:?}"),
    }
}

#[test]
fn everything_is_exported_and_imported_with_a_progress_bar_off_the_ui_thread() {
    let mut fixture = start(|store| {
        add_client_with(store, "Acme", &["Already here"]);
    });
    // The file to import: another database's export, with one client this one lacks.
    let other_dir = tempfile::tempdir().unwrap();
    let mut other = Store::open(&other_dir.path().join("other.sqlite3")).unwrap();
    let bodies: Vec<String> = (0..250).map(|n| format!("Imported message {n}")).collect();
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    add_client_with(&mut other, "Globex", &refs);
    let archive = other
        .export_archive(Utc.with_ymd_and_hms(2026, 3, 12, 9, 0, 0).unwrap())
        .unwrap();
    std::fs::write(
        fixture.dir.path().join("to-import.json"),
        calmdesk::domain::archive::to_text(&archive),
    )
    .unwrap();

    let harness = &mut fixture.harness;
    harness.run();
    harness.get_by_label("🗄 Data").click();
    harness.run();
    harness.get_by_label("Export everything…").click_accesskit();
    // Off the UI thread, with a bar the window shows at least once, however quick: here the
    // worker is done before the frame after the click is drawn, and still, frame by frame,
    // the bar is on screen before the result is said.
    harness.step();
    harness.state_mut().wait_for_export_worker();
    assert!(
        modal_seen_before_result(harness, "Exporting everything", "Everything exported to"),
        "the export's progress is shown before its result"
    );
    harness.run();
    harness.get_by_label_contains("Everything exported to");
    assert!(
        harness
            .query(By::new().role(Role::Dialog).label("Exporting everything"))
            .is_none()
    );
    let saved = fixture.dir.path().join("saved.out");
    assert!(
        std::fs::read_to_string(&saved)
            .unwrap()
            .contains("Already here")
    );

    // The dialog stays open after an export.
    harness.get_by_label("Import a file…").click_accesskit();
    harness.step();
    harness.state_mut().wait_for_store_job();
    harness.run();
    harness.get_by_label("Imported. New clients: 1, new entries: 250, already here: 0.");
    harness.get_by_label("Globex");
    let store = Store::open_read_only(&fixture.path).unwrap();
    assert_eq!(store.client_overviews().unwrap().len(), 2);
    assert!(
        store
            .verify_chains()
            .unwrap()
            .iter()
            .all(|r| r.result.is_ok())
    );

    // A broken file: said in words, nothing changed.
    std::fs::write(
        fixture.dir.path().join("to-import.json"),
        "{\"format\": \"calmdesk-archive\"",
    )
    .unwrap();
    let harness = &mut fixture.harness;
    harness.get_by_label("🗄 Data").click();
    harness.run();
    harness.get_by_label("Import a file…").click_accesskit();
    harness.step();
    harness.state_mut().wait_for_store_job();
    harness.run();
    harness.get(By::new().label_contains("Nothing was imported: the file is broken at line 1"));
    assert_eq!(
        Store::open_read_only(&fixture.path)
            .unwrap()
            .client_overviews()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_backup_is_taken_on_start_and_on_demand_and_restoring_asks_first() {
    let mut fixture = start(|store| {
        add_client_with(store, "Acme", &["Before the backup"]);
    });
    let harness = &mut fixture.harness;
    harness.run();
    // The backup on start waits for the side check to find the file sound.
    harness.state_mut().wait_for_integrity();
    harness.run();
    let backups = fixture.dir.path().join("backups");
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        1,
        "a backup on start"
    );
    // Something written after it, through the window (the app holds the file's lock).
    let client = Store::open_read_only(&fixture.path)
        .unwrap()
        .client_overviews()
        .unwrap()[0]
        .client
        .client_id;
    let harness = &mut fixture.harness;
    harness
        .get(By::new().role(Role::Button).label("Acme"))
        .click();
    harness.run();
    harness
        .get_all_by_label("+ New entry")
        .next()
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label("Text").focus();
    harness.run();
    harness.get_by_label("Text").type_text("After the backup");
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    harness.get_by_label("Entry added.");

    let harness = &mut fixture.harness;
    harness.get_by_label("🗄 Data").click();
    harness.run();
    harness.get_by_label("Back up now").click_accesskit();
    // Copied on a worker (a big file takes seconds), behind a modal the window shows at least
    // once: here the copy is done before the frame after the click, and still the modal is
    // on screen before the result is said.
    harness.step();
    harness.state_mut().wait_for_backup_worker();
    assert!(
        modal_seen_before_result(harness, "Backing up", "Backup saved: "),
        "the backup's modal is shown before its result"
    );
    harness.run();
    harness.get(By::new().label_contains("Backup saved: "));
    assert!(
        harness
            .query(By::new().role(Role::Dialog).label("Backing up"))
            .is_none()
    );
    assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 2);

    // The dialog stays open, listing the new backup first and the older one last.
    let restore_buttons = harness.query_all_by_label("Restore…").count();
    assert_eq!(restore_buttons, 2);
    harness
        .query_all_by_label("Restore…")
        .last()
        .unwrap()
        .click_accesskit();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Restore this backup?"));
    harness.get_by_label("Restore").click();
    // Off the UI thread (a million entries are 3.3 GB to copy each way): once the click is
    // taken in, the store is with the worker and a placeholder in memory stands in.
    harness.step();
    assert!(
        harness.state().store().unwrap().path().is_none(),
        "the store is with the restore's worker"
    );
    harness.state_mut().wait_for_store_job();
    harness.run();
    harness.get(By::new().label_contains("Backup restored."));
    assert_eq!(
        harness.state().store().unwrap().path(),
        Some(&*fixture.path)
    );
    let store = Store::open_read_only(&fixture.path).unwrap();
    let bodies: Vec<String> = store
        .exchanges_of(client)
        .unwrap()
        .into_iter()
        .map(|exchange| exchange.body)
        .collect();
    assert_eq!(bodies, ["Before the backup"]);
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        3,
        "the contents before the restore are kept beside the backups"
    );
}

#[test]
fn the_imports_bar_says_how_far_into_the_file_it_is_and_the_entries_taken_in() {
    for (language, title, counted) in [
        (
            UiLanguage::English,
            "Import a file",
            "Importing… 1234 entries taken in",
        ),
        (
            UiLanguage::Russian,
            "Импортировать файл",
            "Импорт… перенесено записей: 1234",
        ),
    ] {
        let tr = language.strings();
        let harness = Harness::new_ui(|ui| {
            calmdesk::ui::data::import_progress_ui(ui.ctx(), tr, 1234, Some(0.5));
        });
        harness.get(By::new().role(Role::Dialog).label(title));
        let bar = harness.get(By::new().role(Role::ProgressIndicator));
        assert_eq!(bar.accesskit_node().numeric_value(), Some(50.0), "per cent");
        harness.get_by_label_contains(counted);
        // Before the first entries: what it is doing, and no count.
        let waiting = Harness::new_ui(|ui| {
            calmdesk::ui::data::import_progress_ui(ui.ctx(), tr, 0, None);
        });
        assert!(waiting.query_by_label_contains(counted).is_none());
        assert!(waiting.query_by_label_contains("1234").is_none());
    }
}
