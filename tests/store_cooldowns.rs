//! Cool-down sessions in the file: stored on every change as a versioned record, resumed after a
//! restart at the same step with the same content (sentences, marks and the reasons for them),
//! sessions written by calmdesk 0.1 still loading, logged replies and early-unlock reasons in the
//! journal in the same transaction, and a deleted message never breaking its cool-down.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use calmdesk::domain::Contract;
use calmdesk::domain::cooldown::{
    CoolDown, Decision, Edit, Effect, Feeling, StartingPoint, Step, WaitMinutes, record,
};
use calmdesk::domain::{
    Channel, ClientInput, ClientKind, CoolDownId, Direction, ExchangeDraft, Minutes,
};
use calmdesk::store::migrations::MIGRATIONS;
use calmdesk::store::{EntryLink, Store};
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
        channel: Channel::Email,
        occurred_at: at(0),
        minutes: Minutes::new(5).unwrap(),
        body: HOSTILE.into(),
    };
    let exchange_id = store.add_exchange(client_id, &message, at(0)).unwrap();
    let cooldown = CoolDown::start(
        client_id,
        exchange_id,
        HOSTILE,
        at(0),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &Contract::default(),
        },
    );
    (store, cooldown)
}

fn edit(cooldown: &mut CoolDown, edit: Edit, minute: i64) -> Effect {
    cooldown.apply(edit, at(minute)).unwrap()
}

#[test]
fn a_restart_mid_step_comes_back_to_the_same_step_with_the_same_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let (cooldown_id, before) = {
        let (mut store, mut cooldown) = setup(&path);
        let cooldown_id = store.add_cooldown(&mut cooldown, at(0)).unwrap();
        let _ = edit(
            &mut cooldown,
            Edit::FeelingBefore(Feeling::new(9).unwrap()),
            0,
        );
        let _ = edit(&mut cooldown, Edit::Advance, 1);
        let _ = edit(&mut cooldown, Edit::Vented, 1);
        let _ = edit(&mut cooldown, Edit::Advance, 2);
        let _ = edit(&mut cooldown, Edit::AddFact, 2);
        let last = cooldown.facts().facts().len() - 1;
        let _ = edit(
            &mut cooldown,
            Edit::SetFact {
                index: last,
                text: "The contact form on the site fails".into(),
            },
            2,
        );
        store.save_cooldown(&cooldown, at(2)).unwrap();
        (cooldown_id, cooldown)
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
    assert_eq!(resumed, before, "everything comes back, reasons included");
    assert!(resumed.is_locked(at(19)) && !resumed.is_locked(at(20)));
}

#[test]
fn a_resumed_session_keeps_the_marks_and_reasons_it_was_read_with() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    let cooldown_id = store.add_cooldown(&mut cooldown, at(0)).unwrap();
    // Pretend the reader of a later calmdesk reads differently: the record, not a new reading,
    // is what the session shows. Change a stored reason's rule and see it come back.
    let encoded = record::encode(&cooldown);
    assert!(encoded.contains("\"version\":1"), "{encoded}");
    let first_rule = cooldown
        .facts()
        .sentences()
        .iter()
        .flat_map(calmdesk::domain::cooldown::SentenceReview::reasons)
        .next()
        .expect("the reader marked something")
        .rule
        .clone();
    let changed = encoded.replacen(&first_rule, "insult.retired_rule_name", 1);
    let decoded = record::decode(&changed, cooldown_id).unwrap();
    assert!(
        decoded
            .facts()
            .sentences()
            .iter()
            .flat_map(calmdesk::domain::cooldown::SentenceReview::reasons)
            .any(|reason| reason.rule == "insult.retired_rule_name"),
        "the stored reason is shown, not a fresh reading"
    );
    drop(store);
}

#[test]
fn sessions_written_by_calmdesk_0_1_still_load() {
    for (file, step) in [
        ("tests/data/cooldown/v0-facts-ru.json", Step::Facts),
        ("tests/data/cooldown/v0-decide-en.json", Step::Decide),
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        let session = record::decode(&text, CoolDownId(3)).unwrap_or_else(|error| {
            panic!("{file}: {error}");
        });
        assert_eq!(session.step(), step, "{file}");
        assert!(!session.facts().sentences().is_empty(), "{file}");
        assert!(
            session
                .facts()
                .sentences()
                .iter()
                .any(|sentence| !sentence.reasons().is_empty()),
            "{file}: version 0 kept no reasons; they are read once more"
        );
        // Round trip through today's format changes nothing.
        let again = record::decode(&record::encode(&session), CoolDownId(3)).unwrap();
        assert_eq!(again, session, "{file}");
    }
    let decide = record::decode(
        &std::fs::read_to_string("tests/data/cooldown/v0-decide-en.json").unwrap(),
        CoolDownId(5),
    )
    .unwrap();
    assert_eq!(decide.decision(), Some(Decision::PartWays));
    assert!(decide.early_unlock().is_some());
    assert_eq!(decide.override_reason(), "Checked it myself");
    assert!(decide.logged_reply().is_some());
    assert!(decide.is_draft_logged(), "copying again logs nothing new");
    let facts = record::decode(
        &std::fs::read_to_string("tests/data/cooldown/v0-facts-ru.json").unwrap(),
        CoolDownId(3),
    )
    .unwrap();
    assert_eq!(facts.client_kind(), Some(ClientKind::Lost));
    assert!(
        facts
            .facts()
            .is_ticked(calmdesk::reading::Item::MissedDeadline),
        "an item the user ticked herself stays ticked"
    );
}

#[test]
fn a_record_from_a_newer_calmdesk_is_refused_not_misread() {
    let error = record::decode(r#"{"version": 9}"#, CoolDownId(1)).unwrap_err();
    assert_eq!(error, record::RecordError::NewerVersion(9));
    assert!(matches!(
        record::decode("{not json", CoolDownId(1)),
        Err(record::RecordError::Malformed(_))
    ));
}

#[test]
fn a_version_2_database_with_an_old_session_upgrades_and_resumes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", 0x4341_4C4D)
            .unwrap();
        MIGRATIONS.to_version(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO clients (client_id, name, created_at, updated_at) \
               VALUES (2, 'Derek', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z');
             INSERT INTO exchanges (exchange_id, client_id, direction, channel, occurred_at, body, created_at, updated_at) \
               VALUES (40, 2, 'from_client', 'email', '2026-11-20T09:29:00Z', 'Hi Anna.', '2026-11-20T09:29:00Z', '2026-11-20T09:29:00Z');",
        )
        .unwrap();
        let state = std::fs::read_to_string("tests/data/cooldown/v0-decide-en.json").unwrap();
        conn.execute(
            "INSERT INTO cooldowns (cooldown_id, client_id, exchange_id, step, started_at, wait_until, state, updated_at) \
             VALUES (5, 2, 40, 'decide', '2026-11-20T09:30:00Z', '2026-11-20T09:36:00Z', ?1, '2026-11-20T09:40:00Z')",
            [state],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert!(dir.path().join("calmdesk.sqlite3.before-v2").exists());
    let open = store.open_cooldowns(None).unwrap();
    assert_eq!(open.len(), 1);
    assert!(
        open[0].reply_logged,
        "the old format's logged reply is seen"
    );
    let mut session = store.cooldown(CoolDownId(5)).unwrap();
    let _ = edit(
        &mut session,
        Edit::FeelingAfter(Feeling::new(2).unwrap()),
        0,
    );
    store.save_cooldown(&session, at(0)).unwrap();
    assert_eq!(store.cooldown(CoolDownId(5)).unwrap(), session);
}

#[test]
fn a_copied_reply_is_logged_as_sent_with_the_session_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    store.add_cooldown(&mut cooldown, at(0)).unwrap();
    for minute in [1, 2, 21] {
        let _ = edit(&mut cooldown, Edit::Advance, minute);
    }
    let _ = edit(
        &mut cooldown,
        Edit::SetDraft("Hello Derek,\n\nHere are the facts as I understand them.".into()),
        22,
    );
    let Effect::LogReply(pending) = edit(
        &mut cooldown,
        Edit::CopyReply {
            minutes: Minutes::new(12).unwrap(),
        },
        25,
    ) else {
        panic!("the rules allow the copy");
    };
    let entry = ExchangeDraft {
        direction: Direction::ToClient,
        channel: Channel::Email,
        occurred_at: at(25),
        minutes: pending.minutes(),
        body: pending.text().to_owned(),
    };
    let exchange_id = store
        .save_cooldown_with_entry(&mut cooldown, &entry, EntryLink::Reply(pending), at(25))
        .unwrap();
    assert_eq!(
        cooldown.logged_reply().map(|logged| logged.exchange_id),
        Some(exchange_id)
    );
    let logged = store.exchange(exchange_id).unwrap();
    assert_eq!(logged.direction, Direction::ToClient);
    assert_eq!(logged.body, cooldown.draft());
    assert_eq!(logged.minutes.get(), 12);
    let stored = store.cooldown(cooldown.cooldown_id().unwrap()).unwrap();
    assert!(stored.is_draft_logged());
}

#[test]
fn finished_cooldowns_leave_the_open_list_but_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    let client_id = cooldown.client_id();
    store.add_cooldown(&mut cooldown, at(0)).unwrap();
    for minute in [1, 2, 21, 22] {
        let _ = edit(&mut cooldown, Edit::Advance, minute);
    }
    let _ = edit(&mut cooldown, Edit::Decide(Decision::Continue), 23);
    let _ = edit(&mut cooldown, Edit::Advance, 23);
    store.save_cooldown(&cooldown, at(23)).unwrap();
    assert!(store.open_cooldowns(Some(client_id)).unwrap().is_empty());
    assert_eq!(store.cooldown_count(client_id).unwrap(), 1);
}

#[test]
fn deleting_the_message_keeps_the_cooldown_its_pinned_copy_and_its_saves() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut cooldown) = setup(&dir.path().join("calmdesk.sqlite3"));
    let cooldown_id = store.add_cooldown(&mut cooldown, at(0)).unwrap();
    store
        .delete_exchange(cooldown.exchange_id().unwrap(), at(0))
        .unwrap();
    let stored = store.cooldown(cooldown_id).unwrap();
    assert_eq!(stored.message(), HOSTILE);
    assert_eq!(
        stored.exchange_id(),
        None,
        "the session knows its message is gone"
    );
    assert_eq!(store.open_cooldowns(None).unwrap().len(), 1);
    // The copy on screen still names the deleted message: saving it must not fail.
    let _ = edit(&mut cooldown, Edit::Advance, 1);
    store
        .save_cooldown(&cooldown, at(1))
        .expect("a session whose message was deleted still saves");
    assert_eq!(store.cooldown(cooldown_id).unwrap().step(), Step::Vent);
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
