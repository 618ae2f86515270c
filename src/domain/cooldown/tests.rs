use super::*;
use crate::domain::partways::NotApplicable;
use chrono::TimeZone;
use proptest::prelude::*;

const HOSTILE: &str = "Вы меня обокрали! Я заплатил 6 000 ₽ за март, а отчёт так и не сдан. \
                       Верните деньги до пятницы, иначе напишу отзыв на всех площадках.";

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap() + Duration::minutes(minute)
}

fn contract() -> Contract {
    Contract {
        refund: "п. 4.2 Возврат предоплаты за неоказанные услуги текущего месяца".into(),
        notice_period_days: Some(30),
        ..Contract::default()
    }
}

fn session_with(contract: &Contract, kind: Option<ClientKind>) -> CoolDown {
    CoolDown::start(
        ClientId(1),
        ExchangeId(7),
        HOSTILE,
        at(0),
        WaitMinutes::DEFAULT,
        StartingPoint { kind, contract },
    )
}

fn session() -> CoolDown {
    session_with(&contract(), None)
}

fn apply(cooldown: &mut CoolDown, edit: Edit, minute: i64) -> Result<Effect, CoolDownError> {
    cooldown.apply(edit, at(minute))
}

#[test]
fn replying_stays_locked_until_the_wait_ends() {
    let mut cooldown = session();
    assert_eq!(cooldown.step(), Step::Wait);
    assert_eq!(
        apply(&mut cooldown, Edit::Advance, 1),
        Ok(Effect::Stepped(Step::Vent)),
        "venting is allowed while waiting"
    );
    assert_eq!(
        apply(&mut cooldown, Edit::Advance, 2),
        Ok(Effect::Stepped(Step::Facts)),
        "so is reading the facts"
    );
    assert_eq!(
        cooldown.can_advance(at(5)),
        Err(CoolDownError::WaitNotOver { minutes_left: 15 })
    );
    assert_eq!(
        apply(&mut cooldown, Edit::Advance, 19),
        Err(CoolDownError::WaitNotOver { minutes_left: 1 })
    );
    assert_eq!(
        cooldown.step(),
        Step::Facts,
        "a refused step changes nothing"
    );
    assert_eq!(
        apply(&mut cooldown, Edit::Advance, 20),
        Ok(Effect::Stepped(Step::Reply))
    );
}

#[test]
fn the_last_seconds_of_the_wait_still_count_as_a_minute() {
    let cooldown = session();
    let almost = at(20) - Duration::milliseconds(300);
    assert!(cooldown.is_locked(almost));
    assert_eq!(
        cooldown.minutes_left(almost),
        1,
        "never 'locked for 0 more min'"
    );
    assert_eq!(cooldown.minutes_left(at(20)), 0);
}

#[test]
fn the_wait_can_be_lengthened_but_shortening_it_is_an_early_unlock() {
    let mut cooldown = session();
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::LengthenWait(WaitMinutes::new(40).unwrap()),
            3
        ),
        Ok(Effect::Changed)
    );
    assert_eq!(cooldown.wait_minutes(), 40);
    assert!(cooldown.is_locked(at(39)) && !cooldown.is_locked(at(40)));
    // At minute 6 of a 40-minute wait, asking for 5 must not unlock anything.
    let before = cooldown.clone();
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::LengthenWait(WaitMinutes::new(5).unwrap()),
            6
        ),
        Err(CoolDownError::WaitCannotShorten)
    );
    assert_eq!(cooldown, before, "a refused edit changes nothing");
    assert!(cooldown.is_locked(at(6)));
    assert!(cooldown.early_unlock().is_none());
}

#[test]
fn an_early_unlock_needs_a_reason_and_asks_for_a_journal_note() {
    let mut cooldown = session();
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::UnlockEarly {
                reason: "   ".into()
            },
            3
        ),
        Err(CoolDownError::ReasonRequired)
    );
    assert!(cooldown.is_locked(at(3)));
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::UnlockEarly {
                reason: " The client's site is down; they need an answer now ".into()
            },
            3
        ),
        Ok(Effect::UnlockedEarly {
            reason: "The client's site is down; they need an answer now".into()
        })
    );
    assert!(!cooldown.is_locked(at(3)));
    assert_eq!(cooldown.early_unlock().map(|unlock| unlock.at), Some(at(3)));
    for _ in 0..3 {
        let _ = apply(&mut cooldown, Edit::Advance, 3).unwrap();
    }
    assert_eq!(cooldown.step(), Step::Reply);
}

/// Every edit a view can send that is not an early unlock with a reason.
fn any_edit_but_unlock() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u8..=10).prop_map(|level| Edit::FeelingBefore(Feeling::new(level).unwrap())),
        (0u8..=10).prop_map(|level| Edit::FeelingAfter(Feeling::new(level).unwrap())),
        (WaitMinutes::MIN..=WaitMinutes::MAX)
            .prop_map(|minutes| Edit::LengthenWait(WaitMinutes::new(minutes).unwrap())),
        Just(Edit::UnlockEarly {
            reason: String::new()
        }),
        Just(Edit::Vented),
        (0usize..6, 0usize..6).prop_map(|(sentence, label)| Edit::ToggleMark {
            sentence,
            label: Label::ALL[label]
        }),
        (0usize..8, ".{0,20}").prop_map(|(index, text)| Edit::SetFact { index, text }),
        Just(Edit::AddFact),
        (0usize..8).prop_map(Edit::RemoveFact),
        (0usize..12).prop_map(|index| Edit::ToggleItem(Item::ALL[index])),
        Just(Edit::SetClientKind(Some(ClientKind::Lost))),
        any::<bool>().prop_map(Edit::SetEscalate),
        ".{0,40}".prop_map(Edit::SetDraft),
        ".{0,40}".prop_map(Edit::RebuildDraft),
        ".{0,10}".prop_map(Edit::SetOverrideReason),
        (0u32..60).prop_map(|minutes| Edit::CopyReply {
            minutes: Minutes::new(minutes).unwrap()
        }),
        Just(Edit::Decide(Decision::PartWays)),
        Just(Edit::SetTask {
            task: OffboardingTask::HandOver,
            state: TaskState::Done
        }),
        Just(Edit::ClientEnded),
        Just(Edit::Advance),
        Just(Edit::Back),
    ]
}

proptest! {
    /// The promise of the Wait step: while the wait runs, nothing but an early unlock with a
    /// written reason lifts the lock, reaches the Reply step or logs a reply.
    #[test]
    fn no_sequence_of_edits_lifts_the_lock_without_a_reason(
        edits in proptest::collection::vec((any_edit_but_unlock(), 0i64..20), 0..40)
    ) {
        let mut cooldown = session();
        let mut minute = 0;
        for (edit, step) in edits {
            minute = (minute + step / 4).min(19);
            let effect = cooldown.apply(edit, at(minute));
            prop_assert!(cooldown.is_locked(at(minute)), "unlocked at minute {minute}");
            prop_assert!(cooldown.step() < Step::Reply, "reached {:?}", cooldown.step());
            let logged = matches!(effect, Ok(Effect::LogReply(_) | Effect::UnlockedEarly { .. }));
            prop_assert!(!logged, "a reply or an unlock was let through: {:?}", effect);
        }
    }
}

#[test]
fn going_back_loses_nothing() {
    let mut cooldown = session();
    let _ = apply(
        &mut cooldown,
        Edit::FeelingBefore(Feeling::new(8).unwrap()),
        0,
    )
    .unwrap();
    let _ = apply(&mut cooldown, Edit::Advance, 1).unwrap();
    let _ = apply(&mut cooldown, Edit::Vented, 1).unwrap();
    let _ = apply(&mut cooldown, Edit::Advance, 2).unwrap();
    let _ = apply(&mut cooldown, Edit::AddFact, 2).unwrap();
    let last = cooldown.facts().facts().len() - 1;
    let _ = apply(
        &mut cooldown,
        Edit::SetFact {
            index: last,
            text: "The March report is not filed".into(),
        },
        2,
    )
    .unwrap();
    let before = cooldown.clone();
    assert_eq!(
        apply(&mut cooldown, Edit::Back, 3),
        Ok(Effect::Stepped(Step::Vent))
    );
    assert_eq!(
        apply(&mut cooldown, Edit::Back, 3),
        Ok(Effect::Stepped(Step::Wait))
    );
    assert_eq!(apply(&mut cooldown, Edit::Back, 3), Ok(Effect::Unchanged));
    let _ = apply(&mut cooldown, Edit::Advance, 3).unwrap();
    let _ = apply(&mut cooldown, Edit::Advance, 3).unwrap();
    assert_eq!(cooldown, before);
}

fn at_reply(cooldown: &mut CoolDown) {
    for minute in [1, 2, 21] {
        let _ = apply(cooldown, Edit::Advance, minute).unwrap();
    }
    assert_eq!(cooldown.step(), Step::Reply);
}

#[test]
fn finishing_needs_a_decision_and_a_finished_cooldown_takes_no_edits() {
    let mut cooldown = session();
    at_reply(&mut cooldown);
    let _ = apply(&mut cooldown, Edit::Advance, 22).unwrap();
    assert_eq!(cooldown.step(), Step::Decide);
    assert_eq!(
        apply(&mut cooldown, Edit::Advance, 23),
        Err(CoolDownError::DecisionRequired)
    );
    let _ = apply(&mut cooldown, Edit::Decide(Decision::Continue), 23).unwrap();
    assert_eq!(
        apply(&mut cooldown, Edit::Advance, 23),
        Ok(Effect::Stepped(Step::Done))
    );
    assert_eq!(cooldown.finished_at(), Some(at(23)));
    assert_eq!(
        apply(&mut cooldown, Edit::Back, 24),
        Err(CoolDownError::Finished),
        "a finished cool-down stays finished"
    );
}

#[test]
fn the_facts_start_from_the_readers_marks_but_no_item_is_ticked_for_the_user() {
    let cooldown = session();
    let facts = cooldown.facts();
    assert!(
        facts.count(Label::Insult) >= 1,
        "«Вы меня обокрали»: {facts:?}"
    );
    assert!(
        facts.count(Label::Threat) >= 1,
        "a public review threat: {facts:?}"
    );
    assert!(facts.crossed_line());
    assert!(facts.items().is_empty(), "suggested items start unticked");
    assert!(
        facts.facts().iter().all(|fact| !fact.contains("обокрали")),
        "an insult is never a fact to restate: {:?}",
        facts.facts()
    );
    let first = facts.sentences()[0].clone();
    let mut cooldown = cooldown;
    let label = Label::Insult;
    let _ = apply(&mut cooldown, Edit::ToggleMark { sentence: 0, label }, 1).unwrap();
    assert_ne!(cooldown.facts().sentences()[0].labels(), first.labels());
    let _ = apply(&mut cooldown, Edit::ToggleMark { sentence: 0, label }, 1).unwrap();
    assert_eq!(cooldown.facts().sentences()[0].labels(), first.labels());
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::ToggleMark {
                sentence: 99,
                label
            },
            1
        ),
        Err(CoolDownError::NoSuchPart)
    );
}

#[test]
fn the_clients_kind_starts_from_the_record_and_a_change_goes_back_to_it() {
    let mut cooldown = session_with(&contract(), Some(ClientKind::Defects));
    assert_eq!(cooldown.client_kind(), Some(ClientKind::Defects));
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::SetClientKind(Some(ClientKind::Lost)),
            1
        ),
        Ok(Effect::KindChanged(Some(ClientKind::Lost)))
    );
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::SetClientKind(Some(ClientKind::Lost)),
            1
        ),
        Ok(Effect::Unchanged)
    );
}

#[test]
fn a_reply_is_copied_only_after_the_wait_when_clean_or_overridden() {
    let mut cooldown = session();
    let copy = Edit::CopyReply {
        minutes: Minutes::new(25).unwrap(),
    };
    let _ = apply(&mut cooldown, Edit::Advance, 1).unwrap();
    let _ = apply(&mut cooldown, Edit::Advance, 1).unwrap();
    let _ = apply(
        &mut cooldown,
        Edit::UnlockEarly {
            reason: "deadline".into(),
        },
        2,
    )
    .unwrap();
    let _ = apply(&mut cooldown, Edit::Advance, 2).unwrap();
    assert_eq!(
        apply(&mut cooldown, copy.clone(), 21),
        Err(CoolDownError::DraftEmpty)
    );
    let _ = apply(
        &mut cooldown,
        Edit::SetDraft("As I already said, you FAILED to send the documents!!!".into()),
        21,
    )
    .unwrap();
    assert!(matches!(
        apply(&mut cooldown, copy.clone(), 21),
        Err(CoolDownError::DraftFlagged(_))
    ));
    let _ = apply(
        &mut cooldown,
        Edit::SetOverrideReason("This client only reads bold statements".into()),
        21,
    )
    .unwrap();
    assert!(matches!(
        apply(&mut cooldown, copy, 21),
        Ok(Effect::LogReply(_))
    ));
}

#[test]
fn copying_the_same_draft_twice_logs_it_once() {
    let mut cooldown = session();
    at_reply(&mut cooldown);
    let _ = apply(
        &mut cooldown,
        Edit::SetDraft("Hello. Here are the facts as I understand them.\n".into()),
        21,
    )
    .unwrap();
    let copy = Edit::CopyReply {
        minutes: Minutes::new(25).unwrap(),
    };
    let Ok(Effect::LogReply(pending)) = apply(&mut cooldown, copy.clone(), 21) else {
        panic!("the first copy logs the reply");
    };
    assert_eq!(pending.minutes(), Minutes::new(25).unwrap());
    cooldown.record_logged_reply(pending, ExchangeId(99));
    assert!(cooldown.is_draft_logged());
    assert_eq!(
        apply(&mut cooldown, copy.clone(), 22),
        Ok(Effect::AlreadyLogged {
            text: "Hello. Here are the facts as I understand them.".into()
        })
    );
    let _ = apply(
        &mut cooldown,
        Edit::SetDraft("Hello. A corrected reply.".into()),
        23,
    )
    .unwrap();
    assert!(
        matches!(apply(&mut cooldown, copy, 23), Ok(Effect::LogReply(_))),
        "an edited draft is a new reply"
    );
}

#[test]
fn the_minutes_of_a_reply_are_the_time_the_cooldown_took_within_reason() {
    let cooldown = session();
    assert_eq!(cooldown.minutes_so_far(at(0)).get(), 1);
    assert_eq!(cooldown.minutes_so_far(at(34)).get(), 34);
    assert_eq!(cooldown.minutes_so_far(at(60 * 24)).get(), 120);
}

fn at_decide_parting(contract: &Contract) -> CoolDown {
    let mut cooldown = session_with(contract, None);
    at_reply(&mut cooldown);
    let _ = apply(&mut cooldown, Edit::Advance, 22).unwrap();
    let _ = apply(&mut cooldown, Edit::Decide(Decision::PartWays), 22).unwrap();
    cooldown
}

#[test]
fn a_contract_without_a_refund_clause_has_no_refund_step() {
    let no_refund = Contract::default();
    let cooldown = at_decide_parting(&no_refund);
    assert_eq!(
        cooldown.offboarding().state(OffboardingTask::RefundUnused),
        &TaskState::NotApplicable(NotApplicable::NoRefundClause)
    );
    let with_refund = at_decide_parting(&contract());
    assert_eq!(
        with_refund
            .offboarding()
            .state(OffboardingTask::RefundUnused),
        &TaskState::Open
    );
}

#[test]
fn the_client_is_ended_only_when_every_step_is_done_or_does_not_apply() {
    let mut cooldown = at_decide_parting(&contract());
    assert_eq!(
        apply(&mut cooldown, Edit::ClientEnded, 23),
        Err(CoolDownError::RunbookOpen)
    );
    assert_eq!(
        apply(
            &mut cooldown,
            Edit::SetTask {
                task: OffboardingTask::RefundUnused,
                state: TaskState::NotApplicable(NotApplicable::Because(" ".into())),
            },
            23
        ),
        Err(CoolDownError::NotApplicableNeedsReason)
    );
    for task in OffboardingTask::BEFORE_ENDING {
        let state = if task == OffboardingTask::RefundUnused {
            TaskState::NotApplicable(NotApplicable::Because("Paid monthly in arrears".into()))
        } else {
            TaskState::Done
        };
        let _ = apply(&mut cooldown, Edit::SetTask { task, state }, 23).unwrap();
    }
    assert_eq!(
        apply(&mut cooldown, Edit::ClientEnded, 23),
        Ok(Effect::Changed)
    );
    assert!(cooldown.offboarding().is_done(OffboardingTask::EndClient));
}

#[test]
fn a_verdict_the_text_cannot_decide_keeps_its_leaning_and_words_through_the_record() {
    let mut cooldown = CoolDown::start(
        ClientId(1),
        ExchangeId(7),
        "Send me everything today. I want it now!!!",
        at(0),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &contract(),
        },
    );
    let leaning = cooldown
        .facts()
        .leaning()
        .expect("no item named: the suggestion only leans")
        .clone();
    assert_eq!(leaning.toward, cooldown.facts().suggested_verdict());
    assert!(!leaning.words.is_empty(), "{leaning:?}");
    cooldown.record_id(crate::domain::CoolDownId(4));
    let decoded = record::decode(&record::encode(&cooldown), crate::domain::CoolDownId(4)).unwrap();
    assert_eq!(decoded.facts().leaning(), Some(&leaning));
}

#[test]
fn a_huge_paste_is_read_in_part_and_says_where_reading_stopped() {
    let paragraph = "Я заплатил 6 000 ₽ за март. Верните деньги до пятницы!\n";
    let message = paragraph.repeat(crate::reading::MAX_READ / paragraph.len() + 200);
    let cooldown = CoolDown::start(
        ClientId(1),
        ExchangeId(7),
        &message,
        at(0),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &contract(),
        },
    );
    let read_up_to = cooldown.facts().read_up_to().expect("read in part");
    assert!(read_up_to <= crate::reading::MAX_READ && read_up_to < message.len());
    assert!(
        cooldown
            .facts()
            .sentences()
            .iter()
            .all(|sentence| sentence.end() <= read_up_to)
    );
    assert_eq!(
        cooldown.message(),
        message,
        "the pinned message is kept whole"
    );
}
