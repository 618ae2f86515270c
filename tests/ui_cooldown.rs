//! The accountant's story from DOMAIN.md through the real app, by labels (egui_kittest): a hostile
//! message is logged, the cool-down starts, replying stays locked until the clock moves (and no
//! control shortens the wait), she vents and burns it, confirms the facts and the kind of client,
//! copies a calm reply in her own voice that lands in the journal once, and parts ways honestly:
//! no refund promised where the contract has none, the client ending on the last day of notice.
//! And the vent pad's text never reaches any file.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/launch.rs"]
mod launch;

use std::sync::Arc;

use calmdesk::app::CalmdeskApp;
use calmdesk::clock::ManualClock;
use calmdesk::domain::cooldown::Step;
use calmdesk::domain::{ClientInput, ClientKind, ClientStatus, Direction};
use calmdesk::reading::Label;
use calmdesk::store::Store;
use calmdesk::ui::UiLanguage;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use egui::accesskit::{Role, Toggled};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};

const HOSTILE: &str = "Вы меня обокрали! Я заплатил 6 000 ₽ за март, а декларация так и не сдана. \
Верните деньги до пятницы, иначе напишу отзыв на всех площадках и пожалуюсь в налоговую.";

const HOSTILE_EN: &str = "Hi Anna. I just got a penalty letter from HMRC for the late VAT return. \
This is the second time you have messed up. I want the fee for this quarter back or I will \
report you to the ICAEW.";

/// Answers every file dialog with one path.
struct SaveBeside(std::path::PathBuf);

impl calmdesk::app::files::FilePicker for SaveBeside {
    fn save(&self, _: &str, _: &str, _: &str) -> Option<std::path::PathBuf> {
        Some(self.0.clone())
    }
    fn open(&self, _: &str, _: &str) -> Option<std::path::PathBuf> {
        None
    }
}

struct Story {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    clock: ManualClock,
    harness: Harness<'static, CalmdeskApp>,
}

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 28, 9, 0, 0).unwrap()
}

fn story_with(client: &ClientInput, language: UiLanguage) -> Story {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.add_client(&client.parse().unwrap(), start()).unwrap();
    let clock = ManualClock::new(start());
    let launch = launch::launch(Ok(store), Arc::new(clock.clone()), dir.path(), language);
    let mut harness = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_max_steps(200)
        .build_eframe(move |cc| CalmdeskApp::new(cc, launch));
    // The save dialog, answered as a user would: the record goes beside the database.
    harness
        .state_mut()
        .set_file_picker(Box::new(SaveBeside(dir.path().join("record.html"))));
    Story {
        dir,
        path,
        clock,
        harness,
    }
}

/// The Russian client: no refund clause, 30 days' notice, judged "hit too many problems".
fn story() -> Story {
    story_with(
        &ClientInput {
            name: "Кравцов".into(),
            contact_person: "Аркадий Семёнович".into(),
            contract_reference: "Договор № 17/2026".into(),
            termination: "п. 6.1 Расторжение с уведомлением за 30 дней".into(),
            notice_period_days: "30".into(),
            kind: Some(ClientKind::Defects),
            ..ClientInput::default()
        },
        UiLanguage::English,
    )
}

fn reopen(story: &Story) -> Store {
    Store::open_read_only(&story.path).unwrap()
}

fn is_enabled(harness: &Harness<'static, CalmdeskApp>, label: &str) -> bool {
    !harness
        .get(By::new().role(Role::Button).label(label))
        .accesskit_node()
        .is_disabled()
}

/// Logs the message with "Save and cool down" (labels in `language`).
fn log_and_cool_down(story: &mut Story, client: &str, message: &str, language: UiLanguage) {
    let (text, save) = match language {
        UiLanguage::English => ("Text", "Save and cool down"),
        UiLanguage::Russian => ("Текст", "Сохранить и остыть"),
    };
    let harness = &mut story.harness;
    harness.run();
    harness
        .get(By::new().role(Role::Button).label(client))
        .click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label(text).type_text(message);
    harness.run();
    harness.get_by_label(save).click();
    harness.run();
}

/// Waits out the 20 minutes and walks to the Reply step (Russian interface): the draft.
fn russian_draft_after_the_wait(story: &mut Story) -> String {
    story.clock.advance(Duration::minutes(20));
    let harness = &mut story.harness;
    harness.run();
    for _ in 0..3 {
        harness.get_by_label("Дальше →").click();
        harness.run();
    }
    harness
        .get_by_label("Черновик ответа")
        .value()
        .unwrap_or_default()
}

fn only_cooldown(story: &Story) -> calmdesk::domain::cooldown::CoolDown {
    let store = reopen(story);
    let open = store.open_cooldowns(None).unwrap();
    assert_eq!(open.len(), 1);
    store.cooldown(open[0].cooldown_id).unwrap()
}

fn notes(story: &Story) -> usize {
    let store = reopen(story);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    store
        .exchanges_of(client_id)
        .unwrap()
        .iter()
        .filter(|exchange| exchange.direction == Direction::Note)
        .count()
}

#[test]
fn the_accountants_whole_story() {
    let mut story = story();
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::English);
    let harness = &mut story.harness;
    harness.get_by_label("Cool-down started. Don't answer yet.");
    harness.get_by_label("Don't answer yet.");
    harness.get_by_label("The client's message");
    assert_eq!(only_cooldown(&story).step(), Step::Wait);

    // At minute 6 of the 20, asking for a 5-minute wait must not lift the lock.
    story.clock.advance(Duration::minutes(6));
    let harness = &mut story.harness;
    harness.get_by_label("Wait for").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Wait for").type_text("5");
    harness.key_press(egui::Key::Enter);
    harness.run();
    let session = only_cooldown(&story);
    assert!(
        session.is_locked(start() + Duration::minutes(6)),
        "still locked"
    );
    assert_eq!(session.wait_minutes(), 20);
    assert_eq!(notes(&story), 0, "no early unlock was logged");

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
    assert!(only_cooldown(&story).vented());

    // Vent → Facts; the reply stays locked until the wait is over.
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("What the client actually said");
    assert!(!is_enabled(harness, "Next →"), "replying is locked");
    harness.get_by_label("Replying is locked for 14 more min.");
    // The kind starts from the client's record.
    harness.get_by_label("A pile-up of defects; worth winning back with a concrete plan.");
    let before = only_cooldown(&story).facts().clone();
    let harness = &mut story.harness;
    assert!(before.count(Label::Insult) >= 1, "{before:?}");
    assert!(before.items().is_empty(), "nothing is ticked for the user");
    for suggestion in before.suggested_items() {
        let name = format!(
            "{} (suggested)",
            calmdesk::ui::cooldown::item_name(UiLanguage::English.strings(), suggestion.item)
        );
        let checkbox = harness.get(By::new().role(Role::CheckBox).label(&name));
        assert_eq!(
            checkbox.accesskit_node().toggled(),
            Some(Toggled::False),
            "{name} is shown unticked"
        );
    }
    // The user corrects a mark: sentence 1 is not an insult after all? She says it is a fact too.
    harness
        .get(By::new().role(Role::CheckBox).label("Sentence 2: emotion"))
        .click();
    harness.run();
    let after = only_cooldown(&story).facts().clone();
    assert_ne!(
        after.sentences()[1].labels(),
        before.sentences()[1].labels(),
        "the correction is stored"
    );

    // The wait ends with no input at all: the screen says so by itself.
    story.clock.advance(Duration::minutes(14));
    let harness = &mut story.harness;
    harness.run();
    assert!(is_enabled(harness, "Next →"), "the wait is over");
    harness.get_by_label("Next →").click();
    harness.run();

    // Reply: in the client's language, in the user's own voice, greeting the contact person.
    harness.get_by_label("Your reply");
    let draft = harness
        .get_by_label("Reply draft")
        .value()
        .unwrap_or_default();
    assert!(
        draft.starts_with("Добрый день, Аркадий Семёнович!"),
        "{draft}"
    );
    assert!(
        draft.contains("Вы заплатили 6 000 ₽"),
        "said back as his: {draft}"
    );
    assert!(
        !draft.contains("Я заплатил"),
        "never in the client's voice: {draft}"
    );
    assert!(!draft.contains("обокрали"), "{draft}");
    assert!(
        draft.contains("оскорблений и угроз"),
        "the line is named: {draft}"
    );
    assert!(
        !draft.contains("Вы правы"),
        "no admission she did not tick: {draft}"
    );
    harness.get_by_label("✔ Tone check: nothing to fix.");
    harness
        .get_by_label("📋 Copy reply and log it as sent")
        .click();
    harness.run();
    harness.get_by_label("Reply copied to the clipboard and logged in the journal.");
    harness
        .get_by_label("📋 Copy reply and log it as sent")
        .click();
    harness.run();
    harness.get_by_label_contains("already in the journal");
    let store = reopen(&story);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let sent: Vec<_> = store
        .exchanges_of(client_id)
        .unwrap()
        .into_iter()
        .filter(|exchange| exchange.direction == Direction::ToClient)
        .collect();
    assert_eq!(sent.len(), 1, "Copy twice logs once");
    assert_eq!(sent[0].body, draft.trim_end());
    assert_eq!(sent[0].minutes.get(), 20, "the minutes the cool-down took");

    // Decide: evidence as she confirmed it; part ways honestly.
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Messages from this client: 1");
    harness.get_by_label_contains("1 of 1 reviewed by you");
    harness.get_by_label("Part ways").click();
    harness.run();
    harness.get_by_label(
        "Refund any unused prepaid period — does not apply: the contract has no refund clause",
    );
    assert!(!is_enabled(harness, "End client on 28 May 2026"));
    for task in [
        "Check the termination clause and the notice period",
        "Stop recurring billing",
        "Hand over documents and access",
        "Send the final invoice",
        "Send a polite closing letter",
        "Export the journal as a record",
    ] {
        // Further down the step: clicked the way a screen reader does, wherever it is scrolled.
        harness.get_by_label(task).click_accesskit();
        harness.run();
    }
    harness
        .get_by_label("Draft the closing letter")
        .click_accesskit();
    harness.run();
    let letter = harness
        .get_by_label("Closing letter")
        .value()
        .unwrap_or_default();
    assert!(
        letter.contains("28.05.2026"),
        "the last day of notice: {letter}"
    );
    assert!(
        !letter.contains("предоплат"),
        "no refund promised: {letter}"
    );
    harness.get_by_label("Export the journal").click_accesskit();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("Journal exported to")
            .next()
            .is_some()
    );
    harness
        .get_by_label("End client on 28 May 2026")
        .click_accesskit();
    harness.run();
    harness.get_by_label_contains("set to end on 28 May 2026");
    harness
        .get_by_label("Finish the cool-down")
        .click_accesskit();
    harness.run();

    let store = reopen(&story);
    let client = store.client(client_id).unwrap();
    assert_eq!(
        client.status,
        ClientStatus::Active,
        "work goes on until the date"
    );
    assert_eq!(
        client.scheduled_end.map(|end| end.on),
        NaiveDate::from_ymd_opt(2026, 5, 28)
    );
    assert!(store.open_cooldowns(None).unwrap().is_empty(), "finished");
    let record = std::fs::read_to_string(story.dir.path().join("record.html")).unwrap();
    assert!(
        record.contains("Кравцов") && record.contains("The chain holds"),
        "the journal was exported as a record where the user chose"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let file = story.dir.path().join("record.html");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the record is private");
    }
}

/// Every repaint the app asks egui for from now on, with its delay.
fn watch_repaints(
    harness: &Harness<'static, CalmdeskApp>,
) -> Arc<std::sync::Mutex<Vec<std::time::Duration>>> {
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    harness
        .ctx
        .set_repaint_observer(move |info| seen.lock().unwrap().push(info.delay));
    requests
}

/// The same story in the Russian interface, with a contract that refunds unused months: the
/// wait holds, the screen wakes itself when it ends, a suggestion the user ticked and then
/// unticked is listed as unticked, Copy twice logs once, a step is marked as not applying with
/// her own reason, and the client ends when the 14 days' notice runs out.
#[test]
fn the_accountants_story_in_the_russian_interface() {
    let mut story = story_with(
        &ClientInput {
            name: "Кравцов".into(),
            contact_person: "Аркадий Семёнович".into(),
            refund: "п. 5.2 Неиспользованная предоплата возвращается".into(),
            termination: "п. 6.1 Расторжение с уведомлением за 14 дней".into(),
            notice_period_days: "14".into(),
            ..ClientInput::default()
        },
        UiLanguage::Russian,
    );
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::Russian);
    let harness = &mut story.harness;
    harness.get_by_label("Охлаждение началось. Пока не отвечайте.");

    // At minute 6 of the 20, asking for 5 minutes does not lift the lock.
    story.clock.advance(Duration::minutes(6));
    let harness = &mut story.harness;
    harness.get_by_label("Ждать").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Ждать").type_text("5");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(only_cooldown(&story).wait_minutes(), 20);
    assert!(only_cooldown(&story).is_locked(start() + Duration::minutes(6)));

    // Wait → Vent → Facts, still locked.
    let harness = &mut story.harness;
    for _ in 0..2 {
        harness.get_by_label("Дальше →").click();
        harness.run();
    }
    harness.get_by_label("Ответ заблокирован ещё на 14 мин.");
    assert!(!is_enabled(harness, "Дальше →"), "replying is locked");

    // A suggestion ticked, then unticked again: the user's last word is what counts.
    let suggestion = only_cooldown(&story).facts().suggested_items()[0].item;
    let name = format!(
        "{} (предложено)",
        calmdesk::ui::cooldown::item_name(UiLanguage::Russian.strings(), suggestion)
    );
    let harness = &mut story.harness;
    for _ in 0..2 {
        harness
            .get(By::new().role(Role::CheckBox).label(&name))
            .click();
        harness.run();
    }
    assert!(
        only_cooldown(&story).facts().items().is_empty(),
        "unticked again"
    );

    // The app asks to be woken when the lock ends: the screen says so with no input at all.
    let harness = &mut story.harness;
    let repaints = watch_repaints(harness);
    harness.run();
    let left = std::time::Duration::from_secs(14 * 60);
    assert!(
        repaints
            .lock()
            .unwrap()
            .iter()
            .any(|delay| *delay >= left && *delay <= left + std::time::Duration::from_secs(2)),
        "a wake-up when the wait ends: {:?}",
        repaints.lock().unwrap()
    );
    story.clock.advance(Duration::minutes(14));
    let harness = &mut story.harness;
    harness.run();
    assert!(is_enabled(harness, "Дальше →"), "the wait is over");
    harness.get_by_label("Дальше →").click();
    harness.run();

    // Reply: to the contact person; Copy twice logs once.
    let draft = harness
        .get_by_label("Черновик ответа")
        .value()
        .unwrap_or_default();
    assert!(
        draft.starts_with("Добрый день, Аркадий Семёнович!"),
        "{draft}"
    );
    harness.get_by_label("✔ Проверка тона: всё в порядке.");
    for _ in 0..2 {
        harness
            .get_by_label("📋 Скопировать ответ и записать как отправленный")
            .click();
        harness.run();
    }
    harness.get_by_label("Этот ответ уже в журнале; скопирован снова, второй раз не записан.");
    let store = reopen(&story);
    let client_id = store.client_overviews().unwrap()[0].client.client_id;
    let sent = store
        .exchanges_of(client_id)
        .unwrap()
        .into_iter()
        .filter(|exchange| exchange.direction == Direction::ToClient)
        .count();
    assert_eq!(sent, 1, "Copy twice logs once");

    // Decide: the unticked suggestion is listed as unticked.
    let harness = &mut story.harness;
    harness.get_by_label("Дальше →").click();
    harness.run();
    harness.get_by_label("Сообщений от клиента: 1");
    harness.get_by_label_contains("1 из 1 проверены вами");
    harness.get_by_label_contains("Предложено, но не отмечено вами:");
    harness.get_by_label("Расстаться").click();
    harness.run();

    // The refund step applies (the contract has a refund clause) until she says why it does not.
    harness
        .get_by_label("Не нужно: Вернуть неиспользованную предоплату")
        .click_accesskit();
    harness.run();
    harness.get_by_label("Почему").focus();
    harness.run();
    harness
        .get_by_label("Почему")
        .type_text("Предоплаты за будущие месяцы не было");
    harness.run();
    harness
        .get_by_label("Отметить как ненужное")
        .click_accesskit();
    harness.run();
    harness.get_by_label(
        "Вернуть неиспользованную предоплату — не нужно: Предоплаты за будущие месяцы не было",
    );
    for task in [
        "Проверить условия расторжения и срок уведомления",
        "Остановить регулярные счета",
        "Передать документы и доступы",
        "Выставить итоговый счёт",
        "Отправить вежливое письмо о завершении",
        "Выгрузить журнал как запись",
    ] {
        harness.get_by_label(task).click_accesskit();
        harness.run();
    }
    harness
        .get_by_label("Составить письмо о завершении")
        .click_accesskit();
    harness.run();
    let letter = harness
        .get_by_label("Письмо о завершении")
        .value()
        .unwrap_or_default();
    assert!(
        letter.contains("12.05.2026"),
        "the last day of notice: {letter}"
    );
    assert!(
        letter.contains("за 14 дней"),
        "the notice period in words: {letter}"
    );
    assert!(
        !letter.contains("предоплат"),
        "no refund promised: {letter}"
    );
    harness
        .get_by_label("Завершить 12.05.2026")
        .click_accesskit();
    harness.run();
    harness.get_by_label_contains("Клиент будет завершён 12.05.2026");

    let store = reopen(&story);
    let client = store.client(client_id).unwrap();
    assert_eq!(
        client.status,
        ClientStatus::Active,
        "work goes on until the date"
    );
    assert_eq!(
        client.scheduled_end.map(|end| end.on),
        NaiveDate::from_ymd_opt(2026, 5, 12)
    );
}

#[test]
fn the_kind_changed_in_facts_is_saved_on_the_client() {
    let mut story = story();
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::English);
    let harness = &mut story.harness;
    harness.get_by_label("Next →").click();
    harness.run();
    harness.get_by_label("Next →").click();
    harness.run();
    harness
        .get(By::new().role(Role::ComboBox).label("Kind of client"))
        .click_accesskit();
    harness.run();
    harness.get_by_label("Lost all adequacy").click();
    harness.run();
    let store = reopen(&story);
    let client = &store.client_overviews().unwrap()[0].client;
    assert_eq!(client.kind, Some(ClientKind::Lost));
    assert_eq!(store.client_history(client.client_id).unwrap().len(), 1);
}

#[test]
fn an_english_client_gets_an_english_reply_in_the_users_voice_with_a_russian_interface() {
    let mut story = story_with(
        &ClientInput {
            name: "Holloway Heating".into(),
            contact_person: "Derek".into(),
            refund: "§5 Fees for months not yet started are refunded".into(),
            ..ClientInput::default()
        },
        UiLanguage::Russian,
    );
    log_and_cool_down(
        &mut story,
        "Holloway Heating",
        HOSTILE_EN,
        UiLanguage::Russian,
    );
    let draft = russian_draft_after_the_wait(&mut story);
    assert!(draft.starts_with("Hello Derek,"), "{draft}");
    assert!(
        draft.contains("You just got a penalty letter from HMRC"),
        "{draft}"
    );
    assert!(
        !draft.contains("messed up"),
        "an accusation is not restated: {draft}"
    );
    assert!(!draft.contains("I just got"), "{draft}");
    assert!(
        draft.contains("§5 Fees"),
        "the refund clause is cited: {draft}"
    );
    story
        .harness
        .get_by_label("✔ Проверка тона: всё в порядке.");
}

#[test]
fn unlocking_early_needs_a_reason_which_goes_into_the_journal() {
    let mut story = story();
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::English);
    let harness = &mut story.harness;
    harness.get_by_label("I have to answer now…").click();
    harness.run();
    harness.get_by_label("Unlock replying").click();
    harness.run();
    harness.get_by_label("Write a reason: it is kept in the journal.");
    assert!(only_cooldown(&story).is_locked(start()));
    let harness = &mut story.harness;
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
    assert!(!only_cooldown(&story).is_locked(start()));
}

#[test]
fn a_restart_brings_the_user_back_to_the_same_step() {
    let mut story = story();
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::English);
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

    let launch = launch::launch(
        Ok(Store::open(&path).unwrap()),
        Arc::new(clock.clone()),
        dir.path(),
        UiLanguage::English,
    );
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
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::English);
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
        .get(By::new().role(Role::CheckBox).label("Sentence 1: fact"))
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
fn the_users_own_template_and_signature_shape_new_drafts() {
    let mut story = story();
    let harness = &mut story.harness;
    harness.run();
    harness.get_by_label("⚙ Settings").click();
    harness.run();
    harness.get_by_label("Русский").click_accesskit();
    harness.run();
    // The interface switched to Russian. The signature first.
    harness.get_by_label("Ваше имя").focus();
    harness.run();
    harness.get_by_label("Ваше имя").type_text("Анна Смирнова");
    harness.run();
    harness.get_by_label("Сохранить подпись").click_accesskit();
    harness.run();
    assert_eq!(
        reopen(&story).setting("signature.name").unwrap().as_deref(),
        Some("Анна Смирнова")
    );
    // The template editor is per reply language.
    let harness = &mut story.harness;
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
    harness.get_by_label("Сохранить шаблон").click_accesskit();
    harness.run();
    harness.get_by_label("Шаблон сохранён: новые черновики будут по нему.");
    let saved = reopen(&story)
        .setting("reply_template.ru")
        .unwrap()
        .unwrap_or_default();
    assert!(saved.ends_with("closing = Всего доброго,"), "{saved}");

    // A template with a misspelt part is refused in words and not saved.
    let harness = &mut story.harness;
    harness.get_by_label("Шаблон").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Шаблон").type_text("greting = Привет");
    harness.run();
    harness.get_by_label("Сохранить шаблон").click_accesskit();
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

    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::Russian);
    let draft = russian_draft_after_the_wait(&mut story);
    assert!(
        draft.trim_end().ends_with("Всего доброго,\nАнна Смирнова"),
        "the user's closing and signature: {draft}"
    );
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
    log_and_cool_down(&mut story, "Кравцов", HOSTILE, UiLanguage::English);
    let session = only_cooldown(&story);
    assert_eq!(session.wait_minutes(), 45);
    assert!(session.is_locked(start() + Duration::minutes(44)));
    assert!(!session.is_locked(start() + Duration::minutes(45)));
    let until = (start() + Duration::minutes(45))
        .with_timezone(&chrono::Local)
        .format("%H:%M");
    story
        .harness
        .get_by_label(&format!("Replying is locked until {until}."));
}

#[test]
fn deleting_the_message_of_a_cool_down_in_progress_says_so_first_and_keeps_the_cool_down() {
    let mut story = story();
    log_and_cool_down(
        &mut story,
        "Кравцов",
        "Вы меня обокрали! Верните деньги до пятницы.",
        UiLanguage::English,
    );
    let harness = &mut story.harness;
    harness.get_by_label("Close").click();
    harness.run();
    harness
        .get(
            By::new()
                .role(Role::Button)
                .label_contains("Вы меня обокрали"),
        )
        .click();
    harness.run();
    harness.get_by_label("🗑 Delete entry").click();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Delete this entry?"));
    harness.get_by_label_contains("A cool-down in progress is about this message.");
    harness.get_by_label("Delete").click();
    harness.run();
    let store = reopen(&story);
    let open = store.open_cooldowns(None).unwrap();
    assert_eq!(open.len(), 1, "the cool-down stays open");
    assert_eq!(
        open[0].exchange_id, None,
        "no longer linked to the deleted entry"
    );
    assert!(store.exchanges_of(open[0].client_id).unwrap().is_empty());
}

#[test]
fn deleting_a_message_no_cool_down_is_about_says_nothing_of_cool_downs() {
    let mut story = story();
    log_and_cool_down(
        &mut story,
        "Кравцов",
        "Вы меня обокрали! Верните деньги до пятницы.",
        UiLanguage::English,
    );
    let harness = &mut story.harness;
    harness.get_by_label("Close").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness
        .get_by_label("Text")
        .type_text("Звонил, договорились на пятницу.");
    harness.run();
    harness.get_by_label("Save entry").click();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label_contains("Звонил"))
        .click();
    harness.run();
    harness.get_by_label("🗑 Delete entry").click();
    harness.run();
    harness.get(By::new().role(Role::Dialog).label("Delete this entry?"));
    assert!(
        harness
            .query_by_label_contains("A cool-down in progress")
            .is_none()
    );
}
