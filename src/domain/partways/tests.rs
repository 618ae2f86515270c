use super::*;
use crate::domain::cooldown::{CoolDown, Edit, StartingPoint, WaitMinutes};
use crate::domain::ids::{ClientId, ExchangeId};
use chrono::{Duration, TimeZone};

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap() + Duration::days(n)
}

fn unreviewed(text: &str) -> MessageReading<'static> {
    MessageReading::ReaderOnly(crate::reading::analyze(text))
}

/// A session on `message` as the user left it after `edits` in the Facts step.
fn reviewed(message: &str, edits: Vec<Edit>) -> CoolDown {
    let contract = Contract::default();
    let mut cooldown = CoolDown::start(
        ClientId(1),
        ExchangeId(1),
        message,
        day(0),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract: &contract,
        },
    );
    let _ = cooldown.apply(Edit::Advance, day(0)).unwrap();
    let _ = cooldown.apply(Edit::Advance, day(0)).unwrap();
    for edit in edits {
        let _ = cooldown.apply(edit, day(0)).unwrap();
    }
    cooldown
}

#[test]
fn evidence_counts_threats_insults_and_pressure_across_the_journal() {
    let messages = [
        (
            day(0),
            "Добрый день! Пришлите, пожалуйста, акт сверки за февраль.",
        ),
        (day(3), "Спасибо, получил."),
        (
            day(9),
            "Почему отчёт до сих пор не готов? Вы же обещали к пятнице.",
        ),
        (
            day(14),
            "Вы меня обокрали! Верните деньги за март, иначе напишу отзыв на всех площадках.",
        ),
        (day(15), "Вы мошенники!!! Я пожалуюсь в налоговую."),
    ];
    let evidence = gather_evidence(messages.iter().map(|(at, text)| (*at, unreviewed(text))), 2);
    assert_eq!(evidence.messages_from_client, 5);
    assert_eq!(evidence.reviewed, 0);
    assert_eq!(evidence.cooldowns, 2);
    assert!(evidence.threats >= 2, "{evidence:?}");
    assert!(evidence.insults >= 2, "{evidence:?}");
    assert_eq!(evidence.messages_crossing_line, 2, "{evidence:?}");
    assert!(evidence.shows_pressure(), "{evidence:?}");
    assert!(evidence.trend.is_rising(), "{:?}", evidence.heat);
    assert!(
        evidence
            .heat
            .windows(2)
            .all(|pair| pair[0].at <= pair[1].at)
    );
}

#[test]
fn a_refund_demand_backed_by_a_threat_is_pressure_even_when_no_item_is_ticked() {
    let session = reviewed(
        "Верните деньги за март до пятницы, иначе я подам в суд.",
        Vec::new(),
    );
    assert!(session.facts().count(crate::reading::Label::Threat) > 0);
    let evidence = gather_evidence([(day(1), MessageReading::Confirmed(session.facts()))], 1);
    assert_eq!(evidence.reviewed, 1);
    assert!(evidence.demands_backed_by_threats >= 1, "{evidence:?}");
    assert!(evidence.shows_pressure());
}

#[test]
fn the_evidence_counts_what_the_user_confirmed_not_what_the_reader_guessed() {
    let message = "The VAT return was due on 7 May and you filed it on 20 May, \
                   you idiots. I will sue you.";
    let session = reviewed(message, Vec::new());
    let suggested: Vec<Item> = session
        .facts()
        .suggested_items()
        .iter()
        .map(|suggestion| suggestion.item)
        .collect();
    assert!(!suggested.is_empty(), "the reader suggests an item here");
    // The user unticks nothing (nothing is ticked) and removes the threat mark.
    let threat_sentence = session
        .facts()
        .sentences()
        .iter()
        .position(|sentence| sentence.has(crate::reading::Label::Threat))
        .expect("a threat was read");
    let mut corrected = session.clone();
    let _ = corrected
        .apply(
            Edit::ToggleMark {
                sentence: threat_sentence,
                label: crate::reading::Label::Threat,
            },
            day(0),
        )
        .unwrap();
    let from_reader = gather_evidence([(day(1), unreviewed(message))], 0);
    let from_user = gather_evidence([(day(1), MessageReading::Confirmed(corrected.facts()))], 0);
    assert!(
        from_reader.threats > from_user.threats,
        "the removed mark is not counted"
    );
    for item in &suggested {
        let tallies = if item.is_legitimate() {
            &from_user.legitimate_items
        } else {
            &from_user.pressure_items
        };
        let tally = tallies.get(item).copied().unwrap_or_default();
        assert_eq!(tally.unticked, 1, "{item:?} is listed as unticked");
        assert_eq!(tally.counted(), 0, "{item:?} does not count");
    }
}

#[test]
fn a_calm_client_shows_nothing_alarming() {
    let messages = [
        (day(0), "Hi Anna, attached are the receipts for October."),
        (
            day(5),
            "Thanks for the reminder, I will send the bank statement tomorrow.",
        ),
        (day(9), "Could you send me the invoice for November?"),
        (day(12), "Thank you, all received. Have a nice weekend!"),
    ];
    let evidence = gather_evidence(messages.iter().map(|(at, text)| (*at, unreviewed(text))), 0);
    assert_eq!(
        (
            evidence.threats,
            evidence.insults,
            evidence.messages_crossing_line
        ),
        (0, 0, 0)
    );
    assert!(!evidence.shows_pressure());
    assert!(!evidence.trend.is_rising());
}

#[test]
fn too_few_messages_have_no_trend() {
    let evidence = gather_evidence(
        [
            (day(0), unreviewed("Hello")),
            (day(1), unreviewed("Thanks")),
        ],
        0,
    );
    assert_eq!(evidence.trend, HeatTrend::TooFew);
}

#[test]
fn the_notice_period_gives_the_last_day() {
    let contract = Contract {
        notice_period_days: Some(30),
        ..Contract::default()
    };
    let today = NaiveDate::from_ymd_opt(2026, 4, 28).unwrap();
    assert_eq!(
        Offboarding::notice_end(&contract, today),
        NaiveDate::from_ymd_opt(2026, 5, 28)
    );
    assert_eq!(Offboarding::notice_end(&Contract::default(), today), None);
}
