//! Cool-down sessions in the file: stored on every change, resumed after a restart at the same
//! step with the same content, logged replies and early-unlock reasons in the journal.

use calmdesk::domain::cooldown::{CoolDown, Decision, Feeling, Step, WaitMinutes};
use calmdesk::domain::{ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::{Store, reply_entry};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap() + Duration::minutes(minute)
}

const HOSTILE: &str = "You people are scammers. I paid $1,200 on March 1 and the site is still broken. \
                       Refund me by Friday or I'm leaving a one-star review everywhere.";

fn setup(path: &std::path::Path) -> (Store, CoolDown) {
    let mut store = Store::open(path).unwrap();
    let client = ClientInput {
        name: "Derek".into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap();
    let client_id = store.add_client(&client, at(0)).unwrap();
    let message = ExchangeDraft {
        direction: Direction::FromClient,
        channel: calmdesk::domain::Channel::Email,
        occurred_at: at(0),
        minutes: Minutes::new(5).unwrap(),
        body: HOSTILE.into(),
    };
    let exchange_id = store.add_exchange(client_id, &message, at(0)).unwrap();
    let cooldown = CoolDown::start(client_id, exchange_id, HOSTILE, at(0), WaitMinutes::DEFAULT);
    (store, cooldown)
}

#[test]
fn a_restart_mid_step_comes_back_to_the_same_step_with_the_same_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let cooldown_id = {
        let (mut store, mut cooldown) = setup(&path);
        let cooldown_id = store.add_cooldown(&mut cooldown, at(0)).unwrap();
        cooldown.feeling_before = Feeling::new(9);
        cooldown.advance(at(1)).unwrap();
        cooldown.vented = true;
        cooldown.advance(at(2)).unwrap();
        cooldown
            .facts
            .facts
            .push("The contact form on the site fails".into());
        store.save_cooldown(&cooldown, at(2)).unwrap();
        cooldown_id
    };
    let store = Store::open(&path).unwrap();
    let open = store.open_cooldowns(None).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].step, Step::Facts);
    assert_eq!(open[0].client_name, "Derek");
    assert_eq!(
        open[0].wait_until,
        at(20),
        "the wait is wall-clock time, kept across restarts"
    );
    let resumed = store.cooldown(cooldown_id).unwrap();
    assert_eq!(resumed.step, Step::Facts);
    assert!(resumed.vented);
    assert_eq!(resumed.feeling_before, Feeling::new(9));
    assert!(
        resumed
            .facts
            .facts
            .contains(&"The contact form on the site fails".to_owned())
    );
    assert!(resumed.is_locked(at(19)) && !resumed.is_locked(at(20)));
}

#[test]
fn a_copied_reply_is_logged_as_sent_with_the_session_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    store.add_cooldown(&mut cooldown, at(0)).unwrap();
    cooldown.draft = "Hello Derek,\n\nHere are the facts as I understand them.".into();
    let entry = reply_entry(&cooldown.draft, at(25));
    let exchange_id = store
        .save_cooldown_with_entry(&mut cooldown, &entry, at(25))
        .unwrap();
    assert_eq!(cooldown.reply_exchange_id, Some(exchange_id));
    let logged = store.exchange(exchange_id).unwrap();
    assert_eq!(logged.direction, Direction::ToClient);
    assert_eq!(logged.body, cooldown.draft);
    let stored = store.cooldown(cooldown.cooldown_id.unwrap()).unwrap();
    assert_eq!(stored.reply_exchange_id, Some(exchange_id));
}

#[test]
fn finished_cooldowns_leave_the_open_list_but_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    let client_id = cooldown.client_id;
    store.add_cooldown(&mut cooldown, at(0)).unwrap();
    for minute in [1, 2, 21, 22] {
        cooldown.advance(at(minute)).unwrap();
    }
    cooldown.decision = Some(Decision::Continue);
    cooldown.advance(at(23)).unwrap();
    store.save_cooldown(&cooldown, at(23)).unwrap();
    assert!(store.open_cooldowns(Some(client_id)).unwrap().is_empty());
    assert_eq!(store.cooldown_count(client_id).unwrap(), 1);
}

#[test]
fn deleting_the_message_keeps_the_cooldown_and_its_pinned_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    let cooldown_id = store.add_cooldown(&mut cooldown, at(0)).unwrap();
    store
        .delete_exchange(cooldown.exchange_id.unwrap())
        .unwrap();
    let stored = store.cooldown(cooldown_id).unwrap();
    assert_eq!(stored.message, HOSTILE);
    assert_eq!(store.open_cooldowns(None).unwrap().len(), 1);
}

#[test]
fn settings_are_kept_and_replaced() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.setting("wait_minutes").unwrap(), None);
    store.set_setting("wait_minutes", "30").unwrap();
    store.set_setting("wait_minutes", "40").unwrap();
    assert_eq!(
        store.setting("wait_minutes").unwrap().as_deref(),
        Some("40")
    );
}
