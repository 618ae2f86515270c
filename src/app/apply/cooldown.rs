//! Cool-down commands: starting and opening a session, applying an edit through the domain's
//! rules and writing what its [`Effect`] asks for with the session in one transaction, the
//! part-ways evidence and ending the client.
//!
//! An edit is applied to a copy of the session; the copy replaces the open one only once it is
//! stored. A failed write leaves the screen showing exactly what is in the file.

use super::Env;
use crate::app::loaded::{Loaded, OpenCoolDown, Refresh, Settings};
use crate::app::outcome::{AppError, Notice, Outcome, ViewChange};
use crate::domain::cooldown::{CoolDown, Decision, Edit, Effect, StartingPoint, Step};
use chrono::Local;

use crate::app::picture::this_month;
use crate::domain::ledger::client_ledger;
use crate::domain::partways::{Evidence, MessageReading, Overrun, gather_evidence};
use crate::domain::{
    Channel, Client, CoolDownId, Direction, ExchangeDraft, ExchangeId, Minutes, StatusChange,
};
use crate::store::{EntryLink, Store};
use crate::ui::strings::fill;

/// How many of the client's latest messages the evidence reads.
const EVIDENCE_MESSAGES: usize = 200;

pub fn start(
    store: &mut Store,
    loaded: &mut Loaded,
    exchange_id: ExchangeId,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let exchange = store.exchange(exchange_id)?;
    let client = store.client(exchange.client_id)?;
    let mut session = CoolDown::start(
        exchange.client_id,
        exchange_id,
        &exchange.body,
        env.now,
        loaded.settings.wait,
        StartingPoint {
            kind: client.kind,
            contract: &client.contract,
        },
    );
    store.add_cooldown(&mut session, env.now)?;
    let refresh = loaded.select_client(client.client_id);
    loaded.cooldown = Some(OpenCoolDown {
        session,
        client,
        evidence: None,
        export_note: None,
    });
    Ok(Outcome::refresh(refresh.and(Refresh::COOLDOWNS))
        .with_notice(Notice::CoolDownStarted)
        .with_view(ViewChange::CoolDownOpened))
}

pub fn open(
    store: &Store,
    loaded: &mut Loaded,
    cooldown_id: CoolDownId,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let session = store.cooldown(cooldown_id)?;
    let client = store.client(session.client_id())?;
    let evidence = if session.step() >= Step::Decide {
        Some(evidence_for(store, &client, &loaded.settings, env)?)
    } else {
        None
    };
    let refresh = loaded.select_client(client.client_id);
    loaded.cooldown = Some(OpenCoolDown {
        session,
        client,
        evidence,
        export_note: None,
    });
    Ok(Outcome::refresh(refresh).with_view(ViewChange::CoolDownOpened))
}

/// The part-ways evidence: the client's latest messages, each as the user confirmed it in a
/// cool-down, or as the reader reads it when she never reviewed it.
pub fn evidence_for(
    store: &Store,
    client: &Client,
    settings: &Settings,
    env: &Env<'_>,
) -> Result<Evidence, AppError> {
    let client_id = client.client_id;
    let messages = store.latest_from_client(client_id, EVIDENCE_MESSAGES)?;
    let reviews = store.reviewed_cooldowns(client_id)?;
    let cooldowns = store.cooldown_count(client_id)?;
    let review_of = |exchange_id: ExchangeId| {
        // The newest review of a message is what the user last confirmed.
        reviews
            .iter()
            .rev()
            .find(|session| session.exchange_id() == Some(exchange_id))
    };
    Ok(gather_evidence(
        messages.iter().map(|exchange| {
            let reading = match review_of(exchange.exchange_id) {
                Some(session) => MessageReading::Confirmed(session.facts()),
                None => MessageReading::ReaderOnly(crate::reading::analyze(&exchange.body)),
            };
            (exchange.occurred_at, reading)
        }),
        cooldowns,
    )
    .with_overrun(overrun_of(store, client, settings, env)?))
}

/// The client's support time against the allowance, this month and every month so far.
fn overrun_of(
    store: &Store,
    client: &Client,
    settings: &Settings,
    env: &Env<'_>,
) -> Result<Option<Overrun>, AppError> {
    let ledger = client_ledger(
        client,
        store.entry_minutes(client.client_id)?,
        Vec::new(),
        settings.cost_per_minute,
        &Local,
        this_month(env.now),
    );
    Ok(Overrun::of_ledger(&ledger))
}

pub fn edit(
    store: &mut Store,
    loaded: &mut Loaded,
    edit: Edit,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let Loaded {
        cooldown, settings, ..
    } = loaded;
    let open = cooldown.as_mut().ok_or(AppError::NoCoolDown)?;
    let mut next = open.session.clone();
    // An untouched draft follows the choice to escalate; an edited one is the user's.
    let draft_follows = matches!(edit, Edit::SetEscalate(_))
        && open.session.draft() == compose_draft(&open.session, &open.client, settings);
    let effect = next.apply(edit, env.now)?;
    let mut outcome = Outcome::default();
    match effect {
        Effect::Unchanged => return Ok(outcome),
        Effect::Changed => {
            if draft_follows {
                let draft = compose_draft(&next, &open.client, settings);
                let _ = next.apply(Edit::RebuildDraft(draft), env.now)?;
            }
            store.save_cooldown(&next, env.now)?;
        }
        Effect::UnlockedEarly { reason } => {
            let note = ExchangeDraft {
                direction: Direction::Note,
                channel: Channel::Other,
                occurred_at: env.now,
                minutes: Minutes::default(),
                body: fill(env.tr.cooldown_unlock_note, &[("reason", &reason)]),
            };
            store.save_cooldown_with_entry(&mut next, &note, EntryLink::Note, env.now)?;
            outcome = Outcome::refresh(Refresh::JOURNAL.and(Refresh::COOLDOWNS))
                .with_notice(Notice::UnlockedEarly);
        }
        Effect::LogReply(pending) => {
            let text = pending.text().to_owned();
            let entry = ExchangeDraft {
                direction: Direction::ToClient,
                channel: Channel::Email,
                occurred_at: env.now,
                minutes: pending.minutes(),
                body: text.clone(),
            };
            store.save_cooldown_with_entry(
                &mut next,
                &entry,
                EntryLink::Reply(pending),
                env.now,
            )?;
            outcome = Outcome::refresh(Refresh::JOURNAL.and(Refresh::COOLDOWNS))
                .with_notice(Notice::ReplyLogged);
            outcome.clipboard = Some(text);
        }
        Effect::AlreadyLogged { text } => {
            outcome = outcome.with_notice(Notice::ReplyAlreadyLogged);
            outcome.clipboard = Some(text);
        }
        Effect::KindChanged(kind) => {
            store.save_cooldown_and_kind(&next, kind, env.now)?;
            open.client = store.client(next.client_id())?;
            outcome = Outcome::refresh(Refresh::CLIENTS).with_notice(Notice::KindSaved);
        }
        Effect::Stepped(step) => {
            outcome = stepped(store, open, &mut next, step, settings, env)?;
        }
    }
    open.session = next;
    Ok(outcome)
}

/// After a step: the first draft is composed on reaching Reply, the evidence read on reaching
/// Decide, and a decision to pause pauses the client when the cool-down is finished.
fn stepped(
    store: &mut Store,
    open: &mut OpenCoolDown,
    next: &mut CoolDown,
    step: Step,
    settings: &Settings,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    if step == Step::Reply && next.draft().is_empty() {
        let draft = compose_draft(next, &open.client, settings);
        let _ = next.apply(Edit::RebuildDraft(draft), env.now)?;
    }
    if step == Step::Done && next.decision() == Some(Decision::Pause) {
        // Pausing a paused or ended client is no error: the decision is recorded either way.
        let pause = StatusChange::Pause.apply(open.client.status).is_ok();
        store.save_cooldown_and_status(next, pause.then_some(&StatusChange::Pause), env.now)?;
        open.client = store.client(next.client_id())?;
        return Ok(Outcome::refresh(Refresh::CLIENTS.and(Refresh::COOLDOWNS))
            .with_notice(Notice::ClientPaused));
    }
    store.save_cooldown(next, env.now)?;
    if step >= Step::Decide && open.evidence.is_none() {
        open.evidence = Some(evidence_for(store, &open.client, settings, env)?);
    }
    Ok(Outcome::refresh(Refresh::COOLDOWNS))
}

fn compose_draft(
    session: &CoolDown,
    client: &crate::domain::Client,
    settings: &Settings,
) -> String {
    crate::domain::reply::draft_for(session, client, &settings.templates, &settings.signature)
}

/// Ends the open cool-down's client, honouring the notice period: on the runbook's ending date
/// when it lies ahead ("ending on DATE"), today otherwise. The runbook must be complete.
pub fn end_client(
    store: &mut Store,
    loaded: &mut Loaded,
    reason: &str,
    env: &Env<'_>,
) -> Result<Outcome, AppError> {
    let open = loaded.cooldown.as_mut().ok_or(AppError::NoCoolDown)?;
    let mut next = open.session.clone();
    let _ = next.apply(Edit::ClientEnded, env.now)?;
    let today = env.today();
    let ending = next
        .offboarding()
        .effective_ending(&open.client.contract, today);
    let change = match ending {
        Some(on) if on > today => StatusChange::EndOn {
            on,
            reason: reason.to_owned(),
        },
        _ => StatusChange::End {
            reason: reason.to_owned(),
        },
    };
    change.apply(open.client.status)?;
    store.save_cooldown_and_status(&next, Some(&change), env.now)?;
    open.client = store.client(next.client_id())?;
    open.session = next;
    let notice = match change {
        StatusChange::EndOn { on, .. } => Notice::ClientEnding(on),
        _ => Notice::ClientEnded,
    };
    Ok(Outcome::refresh(Refresh::CLIENTS).with_notice(notice))
}
