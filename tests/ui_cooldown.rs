//! The accountant's story from DOMAIN.md through the real app, by labels (egui_kittest): a hostile
//! message is logged, the cool-down starts, replying stays locked until the clock moves, she vents
//! and burns it, confirms the facts, copies a calm reply that lands in the journal as sent, and
//! parts ways with the client. And the vent pad's text never reaches any file.

use std::sync::Arc;

use calmdesk::app::{CalmdeskApp, Launch};
use calmdesk::clock::ManualClock;
use calmdesk::domain::cooldown::Step;
use calmdesk::domain::{ClientInput, ClientStatus, Direction};
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use chrono::{Duration, TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};

const HOSTILE: &str = "Вы меня обокрали! Я заплатил 6 000 ₽ за март, а декларация так и не сдана. \
Верните деньги до пятницы, иначе напишу отзыв на всех площадках и пожалуюсь в налоговую.";

struct Story {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    clock: ManualClock,
    harness: Harness<'static, CalmdeskApp>,
}

fn story() -> Story {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let client = ClientInput {
        name: "Кравцов".into(),
        contract_reference: "Договор № 17/2026".into(),
        refund: "п. 4.2 Возврат предоплаты только за неоказанные услуги текущего месяца".into(),
        termination: "п. 6.1 Расторжение с уведомлением за 30 дней".into(),
        notice_period_days: "30".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 4, 28, 9, 0, 0).unwrap();
    store.add_client(&client, start).unwrap();
    let clock = ManualClock::new(start);
    let launch = Launch {
        store: Ok(store),
        clock: Arc::new(clock.clone()),
        data_dir: Some(dir.path().to_path_buf()),
        is_demo: false,
        language: Some(UiLanguage::English),
    };
    let harness = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_max_steps(200)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    Story {
        dir,
        path,
        clock,
        harness,
    }
}

fn reopen(story: &Story) -> Store {
    Store::open(&story.path).unwrap()
}

fn is_enabled(harness: &Harness<'static, CalmdeskApp>, label: &str) -> bool {
    !harness
        .get(By::new().role(Role::Button).label(label))
        .accesskit_node()
        .is_disabled()
}

/// Logs the hostile message with "Save and cool down".
fn log_and_cool_down(story: &mut Story) {
    let harness = &mut story.harness;
    harness.run();
    harness
        .get(By::new().role(Role::Button).label("Кравцов"))
        .click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label("Text").type_text(HOSTILE);
    harness.run();
    harness.get_by_label("Save and cool down").click();
    harness.run();
}

#[test]
fn the_accountants_whole_story() {
    let mut story = story();
    log_and_cool_down(&mut story);
    let harness = &mut story.harness;
    harness.get_by_label("Cool-down started. Don't answer yet.");
    harness.get_by_label("Don't answer yet.");
    harness.get_by_label("The client's message");
    let open = reopen(&story).open_cooldowns(None).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].step, Step::Wait);
    let cooldown_id = open[0].cooldown_id;

    // Wait → Vent: venting is allowed while replying is locked.
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Vent pad").focus();
    harness.run();
    harness
        .get_by_label("Vent pad")
        .type_text("He is impossible and I am furious");
    harness.run();
    harness.get_by_label("🔥 Burn it").click();
    harness.run_steps(120);
    harness.get_by_label("Burnt. Only the fact that you vented is kept.");
    assert_eq!(
        harness.get_by_label("Vent pad").value().as_deref(),
        Some(""),
        "the pad is empty after burning"
    );
    assert!(reopen(&story).cooldown(cooldown_id).unwrap().vented);

    // Vent → Facts; the reply stays locked until the wait is over.
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("What the client actually said");
    assert!(!is_enabled(harness, "Next →"), "replying is locked");
    harness.get_by_label("Replying is locked for 20 more min.");
    let facts_before = reopen(&story).cooldown(cooldown_id).unwrap().facts;
    assert!(
        facts_before.count(calmdesk::reading::Label::Insult) >= 1,
        "{facts_before:?}"
    );
    // The user corrects a mark: sentence 1 is not a fact.
    let harness = &mut story.harness;
    harness
        .get(By::new().role(Role::Button).label("Sentence 1: fact"))
        .click();
    harness.run();
    let after_toggle = reopen(&story).cooldown(cooldown_id).unwrap().facts;
    assert_ne!(
        after_toggle.sentences[0].labels, facts_before.sentences[0].labels,
        "the correction is stored"
    );

    story.clock.advance(Duration::minutes(20));
    let harness = &mut story.harness;
    harness.run();
    assert!(is_enabled(harness, "Next →"), "the wait is over");
    harness.get_by_label("Next →").click();
    harness.run();

    // Reply: built from the confirmed facts, citing the refund clause, clean tone.
    harness.get_by_label("Your reply");
    let draft = harness
        .get_by_label("Reply draft")
        .value()
        .unwrap_or_default();
    assert!(
        draft.contains("6 000 ₽"),
        "the confirmed fact is restated: {draft}"
    );
    assert!(
        draft.contains("п. 4.2"),
        "the refund clause is cited: {draft}"
    );
    assert!(
        draft.contains("оскорблений и угроз"),
        "the line is named: {draft}"
    );
    harness.get_by_label("✔ Tone check: nothing to fix.");
    harness
        .get_by_label("📋 Copy reply and log it as sent")
        .click();
    harness.run();
    harness.get_by_label("Reply copied to the clipboard and logged in the journal.");
    let store = reopen(&story);
    let session = store.cooldown(cooldown_id).unwrap();
    let sent = store
        .exchange(session.reply_exchange_id.expect("logged"))
        .unwrap();
    assert_eq!(sent.direction, Direction::ToClient);
    assert_eq!(sent.body, draft.trim_end());

    // Decide: part ways, tick the runbook, end the client, finish.
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Messages from this client: 1");
    harness.get_by_label("Part ways").click();
    harness.run();
    assert!(
        !is_enabled(harness, "End client"),
        "the client is ended only after the runbook"
    );
    for task in [
        "Check the termination clause and the notice period",
        "Refund any unused prepaid period",
        "Stop recurring billing",
        "Hand over documents and access",
        "Send the final invoice",
        "Send a polite closing letter",
        "Export the journal as a record",
    ] {
        harness.get_by_label(task).click();
        harness.run();
    }
    harness.get_by_label("Export the journal").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("Journal exported to")
            .next()
            .is_some()
    );
    harness.get_by_label("End client").click();
    harness.run();
    harness.get_by_label("Finish the cool-down").click();
    harness.run();

    let store = reopen(&story);
    let client = &store.client_overviews().unwrap()[0].client;
    assert_eq!(client.status, ClientStatus::Ended);
    assert!(
        client
            .ending
            .as_ref()
            .is_some_and(|ending| !ending.reason.is_empty())
    );
    assert!(
        store.open_cooldowns(None).unwrap().is_empty(),
        "the cool-down is finished"
    );
    assert_eq!(store.cooldown(cooldown_id).unwrap().step, Step::Done);
    let exported: Vec<_> = std::fs::read_dir(story.dir.path().join("exports"))
        .unwrap()
        .collect();
    assert_eq!(exported.len(), 1, "the journal was exported as a record");
}

#[test]
fn unlocking_early_needs_a_reason_which_goes_into_the_journal() {
    let mut story = story();
    log_and_cool_down(&mut story);
    let harness = &mut story.harness;
    harness.get_by_label("I have to answer now…").click();
    harness.run();
    harness.get_by_label("Unlock replying").click();
    harness.run();
    harness.get_by_label("Write a reason: it is kept in the journal.");
    harness.get_by_label("Why now").focus();
    harness.run();
    harness
        .get_by_label("Why now")
        .type_text("The tax office deadline is in an hour");
    harness.run();
    harness.get_by_label("Unlock replying").click();
    harness.run();
    harness.get_by_label("Replying unlocked; the reason is in the journal.");
    let store = reopen(&story);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let notes: Vec<_> = store
        .exchanges_of(client_id)
        .unwrap()
        .into_iter()
        .filter(|exchange| exchange.direction == Direction::Note)
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]
            .body
            .contains("The tax office deadline is in an hour")
    );
}

#[test]
fn a_restart_brings_the_user_back_to_the_same_step() {
    let mut story = story();
    log_and_cool_down(&mut story);
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("What the client actually said");
    let Story {
        dir,
        path,
        clock,
        harness,
    } = story;
    drop(harness);

    let launch = Launch {
        store: Ok(Store::open(&path).unwrap()),
        clock: Arc::new(clock.clone()),
        data_dir: Some(dir.path().to_path_buf()),
        is_demo: false,
        language: Some(UiLanguage::English),
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_max_steps(200)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    harness.run();
    harness.get_by_label("Cool-downs in progress");
    harness
        .get(
            By::new()
                .role(Role::Button)
                .label_contains("Кравцов — Facts"),
        )
        .click();
    harness.run();
    harness.get_by_label("What the client actually said");
    harness.get_by_label("Replying is locked for 20 more min.");
}

/// Every byte of every file under `dir`, as one buffer per file.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn the_vent_pad_never_reaches_any_file() {
    const MARKER: &str = "VENTMARKER-7f3a9c-ПАР";
    let mut story = story();
    log_and_cool_down(&mut story);
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Vent pad").focus();
    harness.run();
    harness
        .get_by_label("Vent pad")
        .type_text(&format!("first {MARKER} and more"));
    harness.run();
    // Everything else that saves: feelings and steps, back and forth, with the text still typed.
    harness.get_by_label("← Back").click();
    harness.run();
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Next →").click();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label("Sentence 1: fact"))
        .click();
    harness.run();
    harness.get_by_label("← Back").click();
    harness.run();
    // While it is still on the pad, with the app running: not in the database, its WAL, anywhere.
    for (path, bytes) in files_under(story.dir.path()) {
        assert!(
            !contains(&bytes, MARKER.as_bytes()),
            "the vent text reached {}",
            path.display()
        );
    }
    let harness = &mut story.harness;
    // And then burn it.
    harness.get_by_label("🔥 Burn it").click();
    harness.run_steps(120);
    harness.get_by_label("Burnt. Only the fact that you vented is kept.");

    let Story { dir, harness, .. } = story;
    drop(harness);
    let files = files_under(dir.path());
    assert!(
        files
            .iter()
            .any(|(path, _)| path.extension().is_some_and(|ext| ext == "sqlite3"))
    );
    for (path, bytes) in &files {
        assert!(
            !contains(bytes, MARKER.as_bytes()),
            "the vent text reached {}",
            path.display()
        );
    }
}

#[test]
fn the_users_own_template_and_default_wait_shape_new_cooldowns() {
    let mut story = story();
    let harness = &mut story.harness;
    harness.run();
    harness.get_by_label("⚙ Settings").click();
    harness.run();
    harness.get_by_label("Русский").click();
    harness.run();
    // The interface switched to Russian; the template editor is per reply language.
    harness.get_by_label("Шаблоны ответа");
    harness.get_by_label("Ответы на русском").click();
    harness.run();
    harness.get_by_label("Шаблон").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    harness
        .get_by_label("Шаблон")
        .type_text("\nclosing = Всего доброго,");
    harness.run();
    harness.get_by_label("Сохранить шаблон").click();
    harness.run();
    harness.get_by_label("Шаблон сохранён: новые черновики будут по нему.");
    let saved = reopen(&story)
        .setting("reply_template.ru")
        .unwrap()
        .unwrap_or_default();
    assert!(saved.ends_with("closing = Всего доброго,"), "{saved}");

    // A broken template is refused in words and not saved.
    let harness = &mut story.harness;
    harness.get_by_label("Шаблон").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Шаблон")
        .type_text("greeting = Привет");
    harness.run();
    harness.get_by_label("Сохранить шаблон").click();
    harness.run();
    harness.get_by_label_contains("Не сохранено");
    assert_eq!(
        reopen(&story)
            .setting("reply_template.ru")
            .unwrap()
            .unwrap_or_default(),
        saved
    );
    let harness = &mut story.harness;
    harness.get_by_label("Закрыть").click();
    harness.run();

    log_and_cool_down_in_russian(&mut story);
    let store = reopen(&story);
    let open = store.open_cooldowns(None).unwrap();
    story.clock.advance(Duration::minutes(20));
    let harness = &mut story.harness;
    harness.run();
    for _ in 0..3 {
        harness.get_by_label("Дальше →").click();
        harness.run();
    }
    let draft = harness
        .get_by_label("Черновик ответа")
        .value()
        .unwrap_or_default();
    assert!(
        draft.trim_end().ends_with("Всего доброго,"),
        "the user's closing is used: {draft}"
    );
    assert_eq!(open.len(), 1);
}

/// Logs the hostile message with the Russian interface.
fn log_and_cool_down_in_russian(story: &mut Story) {
    let harness = &mut story.harness;
    harness
        .get(By::new().role(Role::Button).label("Кравцов"))
        .click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label("Текст").type_text(HOSTILE);
    harness.run();
    harness.get_by_label("Сохранить и остыть").click();
    harness.run();
}

#[test]
fn the_default_wait_applies_to_new_cooldowns() {
    let mut story = story();
    let harness = &mut story.harness;
    harness.run();
    harness.get_by_label("⚙ Settings").click();
    harness.run();
    harness
        .get_by_label("Wait before replying (new cool-downs)")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Wait before replying (new cool-downs)")
        .type_text("45");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        reopen(&story)
            .setting("cooldown.wait_minutes")
            .unwrap()
            .as_deref(),
        Some("45")
    );
    story.harness.get_by_label("Close").click();
    story.harness.run();
    log_and_cool_down(&mut story);
    let open = reopen(&story).open_cooldowns(None).unwrap();
    assert_eq!(
        open[0].wait_until - open[0].started_at,
        Duration::minutes(45)
    );
}
