//! The app's work without a window: `apply` on a real store, as the window would call it.

use chrono::{Duration, TimeZone as _, Utc};

use super::*;
use crate::domain::cooldown::{Decision, Edit, Step, WaitMinutes};
use crate::domain::partways::{NotApplicable, OffboardingTask, TaskState};
use crate::domain::{
    Channel, ClientInput, ClientKind, ClientStatus, Direction, ExchangeDraft, Minutes,
};
use crate::store::StoreError;
use crate::ui::UiLanguage;
use crate::ui::action::Command;

const HOSTILE: &str = "Вы меня обокрали! Я заплатил 6 000 ₽ за март, а декларация так и не сдана. \
Верните деньги до пятницы, иначе напишу отзыв на всех площадках.";

struct Desk {
    store: Store,
    loaded: Loaded,
    now: DateTime<Utc>,
}

impl Desk {
    fn new(notice_days: &str, refund: &str) -> Self {
        Self::on(Store::open_in_memory().unwrap(), notice_days, refund)
    }

    fn on(mut store: Store, notice_days: &str, refund: &str) -> Self {
        let now = Utc.with_ymd_and_hms(2026, 4, 28, 9, 0, 0).unwrap();
        let client = ClientInput {
            name: "ИП Кравцов".into(),
            contact_person: "Аркадий Семёнович".into(),
            refund: refund.into(),
            notice_period_days: notice_days.into(),
            kind: Some(ClientKind::Defects),
            ..ClientInput::default()
        }
        .parse()
        .unwrap();
        store.add_client(&client, now).unwrap();
        let loaded = Loaded::load(&store, crate::app::picture::this_month(now)).unwrap();
        Self { store, loaded, now }
    }

    fn client_id(&self) -> crate::domain::ClientId {
        self.loaded.clients[0].client.client_id
    }

    fn run(&mut self, command: Command) -> Result<Outcome, AppError> {
        let env = Env {
            now: self.now,
            tr: UiLanguage::English.strings(),
            data_dir: None,
        };
        let outcome = apply(command, &mut self.store, &mut self.loaded, &env)?;
        self.loaded.refresh(&self.store, outcome.refresh)?;
        Ok(outcome)
    }

    /// Saves a reply that took `minutes` of work, `ago` before now, as the entry form does.
    fn log_work(&mut self, minutes: u32, ago: Duration) {
        let work = ExchangeDraft {
            direction: Direction::ToClient,
            channel: Channel::Email,
            occurred_at: self.now - ago,
            minutes: Minutes::new(minutes).unwrap(),
            body: "The declaration is filed.".into(),
        };
        let _ = self
            .run(Command::SaveExchange {
                original: None,
                client_id: self.client_id(),
                draft: work,
                then_cool_down: false,
            })
            .unwrap();
    }

    /// Writes `drafts` to the client's journal in one go and selects the client.
    fn write_and_select(&mut self, drafts: &[ExchangeDraft]) {
        self.store
            .add_exchanges(self.client_id(), drafts, self.now)
            .unwrap();
        self.loaded.refresh(&self.store, Refresh::ALL).unwrap();
        let _ = self.run(Command::SelectClient(self.client_id())).unwrap();
    }

    fn edit(&mut self, edit: Edit) -> Result<Outcome, AppError> {
        self.run(Command::CoolDown(edit))
    }

    fn minutes(&mut self, minutes: i64) {
        self.now += Duration::minutes(minutes);
    }

    /// Logs the hostile message and starts a cool-down on it.
    fn cool_down(&mut self) {
        let draft = ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: self.now,
            minutes: Minutes::new(3).unwrap(),
            body: HOSTILE.into(),
        };
        let _ = self
            .run(Command::SaveExchange {
                original: None,
                client_id: self.client_id(),
                draft,
                then_cool_down: true,
            })
            .unwrap();
    }

    fn session(&self) -> &crate::domain::cooldown::CoolDown {
        &self.loaded.cooldown.as_ref().unwrap().session
    }

    fn journal(&self, direction: Direction) -> Vec<crate::domain::Exchange> {
        self.store
            .exchanges_of(self.client_id())
            .unwrap()
            .into_iter()
            .filter(|exchange| exchange.direction == direction)
            .collect()
    }

    fn walk_to_reply(&mut self) {
        let _ = self.edit(Edit::Advance).unwrap();
        let _ = self.edit(Edit::Advance).unwrap();
        self.minutes(20);
        let _ = self.edit(Edit::Advance).unwrap();
        assert_eq!(self.session().step(), Step::Reply);
    }
}

#[test]
fn selecting_an_entry_reads_that_entry_and_nothing_else() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    let entry_id = desk.journal(Direction::FromClient)[0].exchange_id;
    let outcome = desk.run(Command::SelectExchange(entry_id)).unwrap();
    assert_eq!(outcome.refresh, Refresh::ENTRY);
    assert_eq!(
        desk.loaded
            .open_entry
            .as_ref()
            .map(|entry| entry.exchange_id),
        Some(entry_id)
    );
}

#[test]
fn shortening_the_wait_while_locked_is_refused_and_logs_nothing() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    desk.minutes(6);
    let refused = desk.edit(Edit::LengthenWait(WaitMinutes::new(5).unwrap()));
    assert!(
        matches!(
            refused,
            Err(AppError::Rule(
                crate::domain::cooldown::CoolDownError::WaitCannotShorten
            ))
        ),
        "{refused:?}"
    );
    let cooldown_id = desk.session().cooldown_id().unwrap();
    let stored = desk.store.cooldown(cooldown_id).unwrap();
    assert!(stored.is_locked(desk.now), "still locked in the file");
    assert!(
        desk.journal(Direction::Note).is_empty(),
        "no note was written"
    );
    let _ = desk
        .edit(Edit::LengthenWait(WaitMinutes::new(45).unwrap()))
        .unwrap();
    assert_eq!(desk.store.cooldown(cooldown_id).unwrap().wait_minutes(), 45);
}

#[test]
fn copying_twice_logs_the_reply_once_with_its_minutes() {
    let mut desk = Desk::new("", "п. 4.2 Возврат только за неоказанные услуги");
    desk.cool_down();
    desk.walk_to_reply();
    let draft = desk.session().draft().to_owned();
    assert!(
        draft.starts_with("Добрый день, Аркадий Семёнович!"),
        "{draft}"
    );
    let copy = Edit::CopyReply {
        minutes: Minutes::new(27).unwrap(),
    };
    let first = desk.edit(copy.clone()).unwrap();
    assert_eq!(first.notice, Some(Notice::ReplyLogged));
    assert_eq!(first.clipboard.as_deref(), Some(draft.trim_end()));
    let second = desk.edit(copy).unwrap();
    assert_eq!(second.notice, Some(Notice::ReplyAlreadyLogged));
    assert_eq!(second.clipboard.as_deref(), Some(draft.trim_end()));
    let sent = desk.journal(Direction::ToClient);
    assert_eq!(sent.len(), 1, "logged once");
    assert_eq!(sent[0].minutes.get(), 27);
    assert_eq!(sent[0].body, draft.trim_end());
}

#[test]
fn the_kind_judged_in_facts_updates_the_client_and_keeps_the_old_one_in_history() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    assert_eq!(desk.session().client_kind(), Some(ClientKind::Defects));
    let _ = desk
        .edit(Edit::SetClientKind(Some(ClientKind::Lost)))
        .unwrap();
    let client = desk.store.client(desk.client_id()).unwrap();
    assert_eq!(client.kind, Some(ClientKind::Lost));
    let history = desk.store.client_history(desk.client_id()).unwrap();
    assert_eq!(
        history[0].event,
        crate::domain::history::ClientEvent::KindChanged {
            from: Some(ClientKind::Defects),
            to: Some(ClientKind::Lost)
        }
    );
}

fn part_ways(desk: &mut Desk) {
    desk.walk_to_reply();
    let _ = desk.edit(Edit::Advance).unwrap();
    let _ = desk.edit(Edit::Decide(Decision::PartWays)).unwrap();
    for task in OffboardingTask::BEFORE_ENDING {
        if desk.session().offboarding().state(task) == &TaskState::Open {
            let _ = desk
                .edit(Edit::SetTask {
                    task,
                    state: TaskState::Done,
                })
                .unwrap();
        }
    }
}

#[test]
fn ending_with_a_30_day_notice_leaves_the_client_ending_until_the_date() {
    let mut desk = Desk::new("30", "");
    desk.cool_down();
    part_ways(&mut desk);
    assert_eq!(
        desk.session()
            .offboarding()
            .state(OffboardingTask::RefundUnused),
        &TaskState::NotApplicable(NotApplicable::NoRefundClause),
        "no refund clause: no refund step"
    );
    let outcome = desk
        .run(Command::EndClient {
            reason: "Threats and insults".into(),
        })
        .unwrap();
    let client = desk.store.client(desk.client_id()).unwrap();
    let end = client.scheduled_end.clone().expect("set to end");
    assert_eq!(outcome.notice, Some(Notice::ClientEnding(end.on)));
    assert_eq!(
        client.status,
        ClientStatus::Active,
        "still a client until then"
    );
    assert_eq!((end.on - desk.now.date_naive()).num_days(), 30);

    desk.now += Duration::days(29);
    let _ = desk.run(Command::CatchUpEndings).unwrap();
    assert_eq!(
        desk.store.client(desk.client_id()).unwrap().status,
        ClientStatus::Active,
        "the day before: still active"
    );
    desk.now += Duration::days(1);
    let _ = desk.run(Command::CatchUpEndings).unwrap();
    let client = desk.store.client(desk.client_id()).unwrap();
    assert_eq!(client.status, ClientStatus::Ended, "ended on the date");
    assert_eq!(
        client.ending.as_ref().map(|ending| ending.reason.as_str()),
        Some("Threats and insults")
    );
    assert_eq!(
        client
            .ending
            .map(|ending| ending.at.with_timezone(&Local).date_naive()),
        Some(end.on)
    );
}

#[test]
fn the_client_cannot_be_ended_from_a_cooldown_before_the_runbook_is_done() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    desk.walk_to_reply();
    let _ = desk.edit(Edit::Advance).unwrap();
    let _ = desk.edit(Edit::Decide(Decision::PartWays)).unwrap();
    let refused = desk.run(Command::EndClient {
        reason: "Enough".into(),
    });
    assert!(refused.is_err());
    assert_eq!(
        desk.store.client(desk.client_id()).unwrap().status,
        ClientStatus::Active
    );
}

#[test]
fn an_escalation_rebuilds_an_untouched_draft_but_not_an_edited_one() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    desk.walk_to_reply();
    let untouched = desk.session().draft().to_owned();
    let _ = desk.edit(Edit::SetEscalate(true)).unwrap();
    assert_ne!(
        desk.session().draft(),
        untouched,
        "the untouched draft follows"
    );
    let _ = desk.edit(Edit::SetDraft("My own words.".into())).unwrap();
    let _ = desk.edit(Edit::SetEscalate(false)).unwrap();
    assert_eq!(desk.session().draft(), "My own words.");
}

#[test]
fn the_screen_wakes_up_just_after_the_next_wait_ends() {
    let now = Utc.with_ymd_and_hms(2026, 4, 28, 9, 0, 0).unwrap();
    let summary = |minutes: i64, id: i64| CoolDownSummary {
        cooldown_id: CoolDownId(id),
        client_id: crate::domain::ClientId(1),
        client_name: "A".into(),
        step: Step::Facts,
        started_at: now,
        wait_until: now + Duration::minutes(minutes),
        reply_logged: false,
        exchange_id: None,
    };
    assert_eq!(next_wake(&[], now), None);
    assert_eq!(
        next_wake(&[summary(-5, 1)], now),
        None,
        "an ended wait wakes nothing"
    );
    let wake = next_wake(&[summary(20, 1), summary(7, 2)], now).unwrap();
    assert!(wake > std::time::Duration::from_secs(7 * 60), "{wake:?}");
    assert!(
        wake < std::time::Duration::from_secs(7 * 60 + 1),
        "{wake:?}"
    );
}

#[test]
fn a_stale_client_form_never_reverts_a_change_made_meanwhile() {
    let mut desk = Desk::new("", "");
    let original = desk.store.client(desk.client_id()).unwrap();
    desk.cool_down();
    let _ = desk
        .edit(Edit::SetClientKind(Some(ClientKind::Lost)))
        .unwrap();
    let mut form = ClientInput::from_client(&original);
    form.notes = "Typed in a form opened before the cool-down".into();
    let refused = desk.run(Command::SaveClient {
        original: Some(Box::new(original)),
        draft: Box::new(form.parse().unwrap()),
    });
    assert!(
        matches!(refused, Err(AppError::Store(StoreError::Conflict))),
        "{refused:?}"
    );
    let client = desk.store.client(desk.client_id()).unwrap();
    assert_eq!(
        client.kind,
        Some(ClientKind::Lost),
        "the newer change stays"
    );
    assert!(
        client.notes.is_empty(),
        "nothing of the stale form was written"
    );
}

/// A message read for the Picture and edited before its mark was kept: the mark kept is of the
/// text as edited, never of the text before (which the catch-up would otherwise write, since
/// the file's trigger drops only marks already in the file). Undoing the edit is an edit too.
#[test]
fn a_mark_read_before_an_edit_is_not_kept_for_the_edited_text() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    let _ = desk.run(Command::CloseCoolDown).unwrap();
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    let hostile = desk.journal(Direction::FromClient)[0].clone();
    let read_hot = desk.loaded.picture.clone().unwrap().ledger.heat[0];
    assert!(read_hot.heat > 0, "read for the screen, not kept yet");
    let kept = |desk: &Desk| {
        desk.store
            .heat_marks(desk.client_id(), crate::reading::VERSION)
            .unwrap()
            .marked
    };
    assert!(kept(&desk).is_empty());

    let mut calm = hostile.draft();
    calm.body = "Thank you, the declaration arrived.".into();
    let saved = desk
        .run(Command::SaveExchange {
            original: Some(Box::new(hostile.clone())),
            client_id: desk.client_id(),
            draft: calm.clone(),
            then_cool_down: false,
        })
        .unwrap();
    let UndoChange::Set(undo) = saved.undo else {
        panic!("an edit can be undone")
    };
    // As the app keeps it from the outcome.
    desk.loaded.undo = Some(undo);
    let _ = desk.run(Command::CatchUpReadings).unwrap();
    let unread = crate::store::Unread {
        client_id: desk.client_id(),
        exchange_id: hostile.exchange_id,
        at: hostile.occurred_at,
        body: None,
    };
    let of_calm = picture::read_mark(&unread, &calm.body);
    assert_ne!(of_calm.heat, read_hot.heat);
    assert_eq!(kept(&desk), [of_calm], "the edited text's mark");
    assert_eq!(desk.loaded.picture.clone().unwrap().ledger.heat, [of_calm]);

    // Undo puts the hostile text back: its mark is read again, not the calm one kept.
    let undone = desk.run(Command::Undo).unwrap();
    assert_eq!(undone.notice, Some(Notice::Undone));
    let _ = desk.run(Command::CatchUpReadings).unwrap();
    assert_eq!(kept(&desk), [read_hot], "the text as it is again");
}

#[test]
fn a_stale_entry_form_never_reverts_an_edit_made_meanwhile() {
    let mut desk = Desk::new("", "");
    desk.cool_down();
    let original = desk.journal(Direction::FromClient)[0].clone();
    let mut newer = original.draft();
    newer.body = "Corrected text".into();
    desk.store
        .update_exchange(original.exchange_id, &newer, desk.now)
        .unwrap();
    let mut stale = original.draft();
    stale.body = "Stale text".into();
    let refused = desk.run(Command::SaveExchange {
        original: Some(Box::new(original.clone())),
        client_id: desk.client_id(),
        draft: stale,
        then_cool_down: false,
    });
    assert!(matches!(
        refused,
        Err(AppError::Store(StoreError::Conflict))
    ));
    assert_eq!(
        desk.store.exchange(original.exchange_id).unwrap().body,
        "Corrected text"
    );
}

/// A desk whose client pays $20 a month, at 10 cents a minute: 200 minutes of support.
fn desk_on_a_small_plan() -> Desk {
    let mut desk = Desk::new("", "");
    let client_id = desk.client_id();
    let mut client = desk.store.client(client_id).unwrap();
    client.fee = Some(crate::domain::Money {
        minor_units: 2000,
        currency: crate::domain::Currency::parse("USD").unwrap(),
    });
    let draft = ClientInput::from_client(&client).parse().unwrap();
    desk.store
        .update_client(client_id, &draft, desk.now)
        .unwrap();
    desk.store
        .set_setting(crate::domain::ledger::CostPerMinute::SETTING_KEY, "10 USD")
        .unwrap();
    desk.loaded.refresh(&desk.store, Refresh::ALL).unwrap();
    desk
}

#[test]
fn the_part_ways_evidence_counts_the_minutes_over_the_allowance() {
    let mut desk = desk_on_a_small_plan();
    let reply = ExchangeDraft {
        direction: Direction::ToClient,
        channel: Channel::Email,
        occurred_at: desk.now - Duration::days(2),
        minutes: Minutes::new(250).unwrap(),
        body: "The declaration is filed.".into(),
    };
    desk.store
        .add_exchange(desk.client_id(), &reply, desk.now)
        .unwrap();
    desk.cool_down();
    desk.walk_to_reply();
    let _ = desk.edit(Edit::Advance).unwrap();
    assert_eq!(desk.session().step(), Step::Decide);
    let evidence = desk
        .loaded
        .cooldown
        .as_ref()
        .unwrap()
        .evidence
        .clone()
        .unwrap();
    let overrun = evidence.overrun.expect("the fee buys an allowance");
    // 250 minutes of work, 3 of reading the message, the cool-down's own time not yet logged.
    assert_eq!(overrun.this_month.allowance.unwrap().minutes, 200);
    assert_eq!(overrun.this_month.minutes, 253);
    assert_eq!(overrun.this_month.overrun(), 53);
    assert_eq!(overrun.value.unwrap().minor_units, 530);
    assert_eq!((overrun.months_over, overrun.months), (1, 1));
}

#[test]
fn marks_read_for_the_picture_are_kept_as_shown_by_the_catch_up() {
    let mut desk = desk_on_a_small_plan();
    desk.cool_down();
    let _ = desk.run(Command::CloseCoolDown).unwrap();
    // The Picture is read when its tab opens, not with every selection.
    assert!(desk.loaded.picture.is_none());
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    let picture = desk.loaded.picture.clone().unwrap();
    assert_eq!(
        picture.ledger.heat.len(),
        1,
        "the message, read for the screen"
    );
    assert!(picture.ledger.heat[0].heat > 0);
    let client_id = desk.client_id();
    let in_file = desk
        .store
        .heat_marks(client_id, crate::reading::VERSION)
        .unwrap();
    assert_eq!((in_file.marked.len(), in_file.unread.len()), (0, 1));

    let _ = desk.run(Command::CatchUpReadings).unwrap();
    let in_file = desk
        .store
        .heat_marks(client_id, crate::reading::VERSION)
        .unwrap();
    assert_eq!(in_file.marked, picture.ledger.heat, "kept as shown");
    assert!(in_file.unread.is_empty());
    assert!(!desk.loaded.readings.has_work());
}

#[test]
fn the_details_warning_reads_this_months_use_without_the_picture_and_agrees_with_it() {
    let mut desk = desk_on_a_small_plan();
    desk.log_work(250, Duration::days(1));
    assert!(desk.loaded.picture.is_none(), "not read while not shown");
    let month_use = desk.loaded.month_use.expect("this month's use");
    assert_eq!((month_use.minutes, month_use.overrun()), (250, 50));
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    let picture = desk.loaded.picture.clone().unwrap();
    assert_eq!(picture.ledger.this_month, month_use);
    // Closing the tab drops the Picture, not the warning.
    desk.loaded.set_picture_shown(&desk.store, false).unwrap();
    assert!(desk.loaded.picture.is_none());
    assert_eq!(desk.loaded.month_use, Some(month_use));
}

/// A desk on a file whose Picture is read by a worker, as the app's is; `more` writes to it
/// before the worker starts.
fn desk_with_a_picture_worker(
    more: impl FnOnce(&mut Desk),
) -> (tempfile::TempDir, Desk, PictureWorker) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calmdesk.sqlite3");
    let mut desk = Desk::on(Store::open(&path).unwrap(), "", "");
    more(&mut desk);
    let worker = PictureWorker::spawn(&path, || {}).unwrap();
    desk.loaded.read_pictures_by_worker();
    (dir, desk, worker)
}

/// Hands the read that is due to the worker (once), waits for its answer and takes it in: the
/// Picture shown then.
fn answer_the_picture(desk: &mut Desk, worker: &mut PictureWorker) -> picture::Picture {
    let request = desk.loaded.take_picture_request().expect("a read is due");
    assert!(desk.loaded.take_picture_request().is_none(), "asked once");
    worker.request(request);
    let answer = worker
        .wait_for_answer(std::time::Duration::from_secs(60))
        .unwrap();
    assert!(desk.loaded.accept_picture(answer).unwrap());
    assert!(!desk.loaded.is_picture_awaited());
    desk.loaded.picture.clone().unwrap()
}

/// With a file, the Picture is read by the worker: a save while it is shown re-reads the
/// journal's rows and this month's use, and leaves the Picture to the worker, which the save
/// does not wait for; the Picture shown meanwhile is the one before, then the worker's answer.
#[test]
fn a_save_with_the_picture_shown_leaves_the_picture_to_the_worker_and_its_answer_shows_it() {
    let (_dir, mut desk, mut worker) = desk_with_a_picture_worker(|_| {});
    let _ = desk.run(Command::SelectClient(desk.client_id())).unwrap();
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    assert!(desk.loaded.picture.is_none(), "not read on the UI thread");
    let before = answer_the_picture(&mut desk, &mut worker);
    assert_eq!(before.ledger.this_month.minutes, 0);

    desk.log_work(40, Duration::hours(1));
    assert_eq!(desk.loaded.journal.entries, 1, "the list is read at once");
    assert_eq!(
        desk.loaded.month_use.unwrap().minutes,
        40,
        "and the warning"
    );
    assert!(desk.loaded.is_picture_awaited());
    assert_eq!(
        desk.loaded.picture.as_ref(),
        Some(&before),
        "the Picture before"
    );
    let after = answer_the_picture(&mut desk, &mut worker);
    assert_eq!(after.ledger.this_month.minutes, 40, "the worker's answer");
    assert_eq!(after.ledger.client_id, desk.client_id());
}

/// A desk whose Picture is shown, read by the worker, with five messages still to read.
fn a_picture_still_filling() -> (tempfile::TempDir, Desk, PictureWorker) {
    let (dir, mut desk, mut worker) = desk_with_a_picture_worker(|desk| {
        let _ = write_a_backlog(desk);
    });
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    assert_eq!(answer_the_picture(&mut desk, &mut worker).unread, 5);
    (dir, desk, worker)
}

/// A Picture with messages still to read is asked for again after each catch-up, and fills in;
/// once all are read, it is not.
#[test]
fn a_picture_still_filling_is_read_again_on_the_worker_until_it_is_whole() {
    let (_dir, mut desk, mut worker) = a_picture_still_filling();
    desk.loaded.read_picture_again_while_filling();
    let _ = desk.run(Command::CatchUpReadings).unwrap();
    let picture = answer_the_picture(&mut desk, &mut worker);
    assert_eq!(picture.unread, 0, "filled in");
    assert_eq!(picture.ledger.heat.len(), picture::READ_PER_REFRESH + 5);
    desk.loaded.read_picture_again_while_filling();
    assert!(
        desk.loaded.take_picture_request().is_none(),
        "whole: not read again"
    );
}

/// A read of the Picture that fails is said once: a Picture still filling is not asked for again
/// after each catch-up (the same error every second), only after the next change.
#[test]
fn a_failed_read_of_a_filling_picture_is_not_asked_again_every_second() {
    let (_dir, mut desk, mut worker) = a_picture_still_filling();
    desk.loaded.read_picture_again_while_filling();
    let request = desk.loaded.take_picture_request().expect("asked again");
    let failed = PictureAnswer {
        generation: request.generation,
        picture: Err(StoreError::Damaged("a test".into())),
        readings: request.readings,
    };
    assert!(desk.loaded.accept_picture(failed).is_err(), "said");
    desk.loaded.read_picture_again_while_filling();
    assert!(desk.loaded.take_picture_request().is_none(), "not again");
    assert_eq!(
        desk.loaded.picture.as_ref().unwrap().unread,
        5,
        "the one before"
    );

    desk.loaded.refresh(&desk.store, Refresh::JOURNAL).unwrap();
    assert!(
        answer_the_picture(&mut desk, &mut worker).unread < 5,
        "after a change"
    );
}

/// An answer to a read the window no longer wants is dropped: a newer read was asked, or the
/// Picture was hidden.
#[test]
fn a_stale_answer_from_the_picture_worker_is_dropped() {
    let (_dir, mut desk, mut worker) = desk_with_a_picture_worker(|_| {});
    let _ = desk.run(Command::SelectClient(desk.client_id())).unwrap();
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    let mut answer_to = |request| {
        worker.request(request);
        worker
            .wait_for_answer(std::time::Duration::from_secs(60))
            .unwrap()
    };
    let first = answer_to(desk.loaded.take_picture_request().unwrap());
    desk.loaded.refresh(&desk.store, Refresh::JOURNAL).unwrap();
    let second = answer_to(desk.loaded.take_picture_request().unwrap());
    assert!(!desk.loaded.accept_picture(first).unwrap(), "overtaken");
    assert!(desk.loaded.picture.is_none());
    assert!(desk.loaded.is_picture_awaited());

    desk.loaded.set_picture_shown(&desk.store, false).unwrap();
    assert!(
        !desk.loaded.accept_picture(second).unwrap(),
        "no longer shown"
    );
    assert!(desk.loaded.picture.is_none());
    assert!(!desk.loaded.is_picture_awaited());
    assert!(desk.loaded.take_picture_request().is_none());
}

/// A client with `entries` entries an hour apart, the newest first in the list.
fn desk_with_a_long_journal(entries: u32) -> Desk {
    let mut desk = Desk::new("", "");
    let drafts: Vec<ExchangeDraft> = (0..entries)
        .map(|index| ExchangeDraft {
            direction: Direction::Note,
            channel: Channel::Other,
            occurred_at: desk.now - Duration::hours(i64::from(entries - index)),
            minutes: Minutes::new(1).unwrap(),
            body: format!("note {index}"),
        })
        .collect();
    desk.write_and_select(&drafts);
    desk
}

/// Writes five more messages from the client than one refresh of the Picture reads, an hour
/// apart, the newest a hostile one; selects the client.
fn write_a_backlog(desk: &mut Desk) -> Vec<ExchangeDraft> {
    let messages = u32::try_from(picture::READ_PER_REFRESH).unwrap() + 5;
    let drafts: Vec<ExchangeDraft> = (0..messages)
        .map(|index| ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: desk.now - Duration::hours(i64::from(messages - index)),
            minutes: Minutes::new(1).unwrap(),
            body: if index + 1 == messages {
                HOSTILE.to_owned()
            } else {
                format!("Спасибо, всё получили, письмо {index}.")
            },
        })
        .collect();
    desk.write_and_select(&drafts);
    drafts
}

/// More unread messages than one refresh reads: those read on the spot are the newest, so the
/// last heat and the trend are the latest messages', and the rest are said to be unread.
#[test]
fn a_picture_with_a_backlog_reads_the_newest_messages_first() {
    let mut desk = Desk::new("", "");
    let drafts = write_a_backlog(&mut desk);
    desk.loaded.set_picture_shown(&desk.store, true).unwrap();
    let picture = desk.loaded.picture.clone().unwrap();
    assert_eq!(picture.unread, 5);
    let heat = &picture.ledger.heat;
    assert_eq!(heat.len(), picture::READ_PER_REFRESH);
    assert_eq!(
        heat.first().unwrap().at,
        drafts[5].occurred_at,
        "the oldest left"
    );
    let newest = heat.last().unwrap();
    assert_eq!(newest.at, drafts.last().unwrap().occurred_at);
    assert!(
        newest.heat > 0,
        "the hostile newest message is among those read"
    );
    assert_eq!(picture.ledger.last_heat(), Some(newest));
}

#[test]
fn a_long_journal_is_held_only_around_what_is_on_screen() {
    let mut desk = desk_with_a_long_journal(2000);
    let journal = &desk.loaded.journal;
    assert_eq!((journal.entries, journal.minutes_total), (2000, 2000));
    let held = journal.held();
    assert_eq!(held.start, 0);
    assert!(held.end < 200, "{held:?}");
    assert_eq!(journal.row(0).unwrap().preview, "note 1999");

    // The list scrolled to the middle asks for those rows; they are the journal's rows there.
    let _ = desk.run(Command::ReadJournalRows(1000..1020)).unwrap();
    let journal = &desk.loaded.journal;
    assert!(journal.held().contains(&1000) && journal.held().contains(&1019));
    assert!(journal.held().end - journal.held().start < 200);
    assert_eq!(journal.row(1000).unwrap().preview, "note 999");
    assert!(journal.row(0).is_none());

    // A write keeps the list where it stands, with the totals read again.
    let _ = desk
        .run(Command::SaveExchange {
            original: None,
            client_id: desk.client_id(),
            draft: ExchangeDraft {
                direction: Direction::Note,
                channel: Channel::Other,
                occurred_at: desk.now,
                minutes: Minutes::new(30).unwrap(),
                body: "the newest".into(),
            },
            then_cool_down: false,
        })
        .unwrap();
    let journal = &desk.loaded.journal;
    assert_eq!((journal.entries, journal.minutes_total), (2001, 2030));
    assert_eq!(journal.row(1001).unwrap().preview, "note 999");

    // Write after write, what is held stays the same rows: it never grows with each re-read.
    let held = desk.loaded.journal.held();
    for _ in 0..5 {
        let _ = desk
            .run(Command::SelectExchange(
                desk.loaded.journal.row(1001).unwrap().exchange_id,
            ))
            .unwrap();
        desk.loaded.refresh(&desk.store, Refresh::JOURNAL).unwrap();
    }
    assert_eq!(desk.loaded.journal.held(), held);
}

#[test]
fn an_old_entry_opened_from_search_is_read_with_the_rows_around_it() {
    let mut desk = desk_with_a_long_journal(2000);
    let old = desk
        .store
        .search("note 17", crate::domain::search::SearchOrder::Newest, 200)
        .unwrap()
        .into_iter()
        .find(|hit| hit.snippet.iter().any(|part| part.text == "17"))
        .unwrap();
    let outcome = desk
        .run(Command::OpenSearchHit {
            client_id: old.client_id,
            exchange_id: old.exchange_id,
        })
        .unwrap();
    assert!(
        outcome
            .views
            .contains(&ViewChange::ShowEntry(old.exchange_id))
    );
    assert_eq!(
        desk.loaded.open_entry.as_ref().unwrap().exchange_id,
        old.exchange_id
    );
    // What the window does with ShowEntry: the entry's place, and the rows there.
    let position = desk.store.journal_position(old.exchange_id).unwrap();
    assert_eq!(position, 1982);
    desk.loaded
        .read_journal_rows(&desk.store, position..position + 1)
        .unwrap();
    assert_eq!(
        desk.loaded.journal.row(position).unwrap().exchange_id,
        old.exchange_id
    );
}
