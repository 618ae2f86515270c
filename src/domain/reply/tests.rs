use super::*;
use crate::domain::cooldown::{CoolDown, Edit, StartingPoint, WaitMinutes};
use crate::domain::ids::{ClientId, ExchangeId};
use crate::domain::partways::{NotApplicable, TaskState};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 28, 9, 0, 0).unwrap() + Duration::minutes(minute)
}

fn russian_contract() -> Contract {
    Contract {
        reference: "Договор № 17/2026".into(),
        scope: "п. 1.1 Бухгалтерский учёт ИП на УСН".into(),
        terms: "п. 2.6 Ответ в течение одного рабочего дня".into(),
        refund: "п. 4.2 Возврат предоплаты за неоказанные услуги текущего месяца".into(),
        termination: "п. 6.1 Расторжение с уведомлением за 30 дней".into(),
        notice_period_days: Some(30),
    }
}

/// A session on `message`, with `edits` applied after the wait (at the Facts step).
fn reviewed(message: &str, contract: &Contract, edits: Vec<Edit>) -> CoolDown {
    let mut cooldown = CoolDown::start(
        ClientId(1),
        ExchangeId(1),
        message,
        at(0),
        WaitMinutes::DEFAULT,
        StartingPoint {
            kind: None,
            contract,
        },
    );
    let _ = cooldown.apply(Edit::Advance, at(1)).unwrap();
    let _ = cooldown.apply(Edit::Advance, at(1)).unwrap();
    for edit in edits {
        let _ = cooldown.apply(edit, at(2)).unwrap();
    }
    cooldown
}

fn signature() -> Signature {
    Signature {
        name: "Анна Смирнова".into(),
        business: "ИП Смирнова А. В.".into(),
    }
}

const RUSSIAN: &str = "Вы меня обокрали! Я заплатил 6 000 ₽ за март, а декларация так и не сдана. \
                       Верните деньги до пятницы, иначе напишу отзыв на всех площадках.";

#[test]
fn both_builtin_templates_parse_and_have_every_part() {
    for language in ReplyLanguage::ALL {
        let template = ReplyTemplate::parse(ReplyTemplate::builtin_text(language))
            .expect("the shipped template parses");
        assert_eq!(template.missing_parts(), Vec::<&str>::new(), "{language:?}");
        for item in Item::ALL.into_iter().filter(|item| item.is_legitimate()) {
            assert!(
                !template.part(&format!("point.{}", item.id())).is_empty(),
                "{language:?} names {item:?}"
            );
        }
    }
}

#[test]
fn the_shipped_templates_show_the_user_no_paths_or_internal_names() {
    for language in ReplyLanguage::ALL {
        let text = ReplyTemplate::builtin_text(language);
        assert!(!text.contains(".rs"), "{language:?}: {text}");
        assert!(!text.contains("src/"), "{language:?}");
        assert!(!text.contains("seed"), "{language:?}");
    }
}

#[test]
fn a_broken_template_is_refused_with_the_line() {
    assert_eq!(
        ReplyTemplate::parse("no equals sign"),
        Err(TemplateError::Malformed(1))
    );
    assert_eq!(
        ReplyTemplate::parse("# note\ngreting = Hi {name}"),
        Err(TemplateError::UnknownPart {
            line: 2,
            name: "greting".into()
        })
    );
    assert_eq!(
        ReplyTemplate::parse("greeting = Hi {nmae}"),
        Err(TemplateError::UnknownPlaceholder {
            line: 1,
            placeholder: "nmae".into()
        })
    );
}

#[test]
fn a_users_partial_template_keeps_calmdesks_wording_for_the_rest() {
    let template =
        ReplyTemplate::user_or_builtin(ReplyLanguage::English, Some("closing = Best wishes,"));
    assert_eq!(template.part("closing"), "Best wishes,");
    assert_eq!(template.part("greeting_anonymous"), "Hello,");
    assert!(template.missing_parts().is_empty());
}

#[test]
fn a_russian_reply_speaks_in_the_users_voice_names_the_line_and_cites_the_refund_clause() {
    let contract = russian_contract();
    let session = reviewed(RUSSIAN, &contract, Vec::new());
    let input = ReplyInput {
        language: ReplyLanguage::Russian,
        contact_person: "Аркадий Семёнович",
        facts: session.facts(),
        contract: &contract,
        escalate: false,
        signature: &signature(),
    };
    let reply = compose_reply(&ReplyTemplate::builtin(ReplyLanguage::Russian), &input);
    assert!(
        reply.starts_with("Добрый день, Аркадий Семёнович!"),
        "{reply}"
    );
    assert!(
        reply.contains("— Вы заплатили 6 000 ₽ за март"),
        "the client's payment said back as his: {reply}"
    );
    assert!(
        !reply.contains("Я заплатил"),
        "the client's first person is never the user's: {reply}"
    );
    assert!(
        !reply.contains("обокрали"),
        "insults are not repeated back: {reply}"
    );
    assert!(
        reply.contains("оскорблений и угроз"),
        "the line is named: {reply}"
    );
    assert!(
        reply.contains("(Договор № 17/2026)") && reply.contains("п. 4.2 Возврат предоплаты"),
        "{reply}"
    );
    assert!(
        reply.contains("что именно не так"),
        "asks for specifics: {reply}"
    );
    assert!(
        !reply.contains("Вы правы"),
        "nothing admitted that she did not tick: {reply}"
    );
    assert!(
        reply.ends_with("С уважением,\nАнна Смирнова\nИП Смирнова А. В."),
        "signed: {reply}"
    );
    assert!(!reply.contains('{'), "every placeholder filled: {reply}");
    assert!(
        reply.contains("месяца»."),
        "the clause is quoted once, with one full stop: {reply}"
    );
    let check = crate::reading::analyze_draft(&reply);
    assert!(check.is_clean(), "{:?}\n{reply}", check.flags);
}

#[test]
fn only_items_the_user_ticked_become_admissions() {
    let message = "The VAT return was due on 7 May and it was filed on 20 May. \
                   I got a penalty letter from HMRC. Please tell me how this will be fixed.";
    let contract = Contract::default();
    let untouched = reviewed(message, &contract, Vec::new());
    let ticked = reviewed(
        message,
        &contract,
        vec![Edit::ToggleItem(Item::MissedDeadline)],
    );
    let reply_for = |session: &CoolDown| {
        compose_reply(
            &ReplyTemplate::builtin(ReplyLanguage::English),
            &ReplyInput {
                language: ReplyLanguage::English,
                contact_person: "Derek",
                facts: session.facts(),
                contract: &contract,
                escalate: false,
                signature: &Signature::default(),
            },
        )
    };
    let untouched_reply = reply_for(&untouched);
    assert!(
        !untouched_reply.contains("You are right"),
        "{untouched_reply}"
    );
    let ticked_reply = reply_for(&ticked);
    assert!(
        ticked_reply.contains("You are right about the missed deadline."),
        "{ticked_reply}"
    );
    assert!(ticked_reply.starts_with("Hello Derek,"), "{ticked_reply}");
    assert!(
        ticked_reply.contains("- You got a penalty letter from HMRC."),
        "{ticked_reply}"
    );
}

#[test]
fn the_untouched_drafts_pass_the_tone_check_in_both_languages_with_every_part() {
    // Every optional part at once: facts, an admission, specifics, the boundary, a clause,
    // formal ground, a signature.
    let cases = [
        (
            ReplyLanguage::English,
            "I paid £1,200 on 1 March. The report was not filed by 31 March. \
             You are a fraud and I will report you to the ICAEW unless you refund me.",
        ),
        (ReplyLanguage::Russian, RUSSIAN),
    ];
    for (language, message) in cases {
        let contract = russian_contract();
        let session = reviewed(
            message,
            &contract,
            vec![
                Edit::ToggleItem(Item::MissedDeadline),
                Edit::ToggleItem(Item::DefectNotReplaced),
                Edit::ToggleItem(Item::ProviderRude),
            ],
        );
        assert!(session.facts().crossed_line(), "{language:?}");
        let template = ReplyTemplate::builtin(language);
        let reply = compose_reply(
            &template,
            &ReplyInput {
                language,
                contact_person: "Derek",
                facts: session.facts(),
                contract: &contract,
                escalate: true,
                signature: &signature(),
            },
        );
        let check = crate::reading::analyze_draft(&reply);
        assert!(check.is_clean(), "{language:?}: {:?}\n{reply}", check.flags);
        assert!(!reply.contains('{'), "{reply}");
        // No internal name reaches the client: no template part ("point.…"), no item or rule id
        // ("legitimate.missed_deadline", "insult.name_calling"), no snake_case word.
        let internal = reply.split_whitespace().find(|word| {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '.');
            word.starts_with("point.")
                || Item::ALL.iter().any(|item| word.contains(item.id()))
                || (word.contains('_')
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'))
        });
        assert_eq!(internal, None, "{language:?}: {reply}");
    }
}

#[test]
fn with_no_facts_and_no_contract_the_reply_asks_for_specifics() {
    let contract = Contract::default();
    let session = reviewed("This is unacceptable!!!", &contract, Vec::new());
    let reply = compose_reply(
        &ReplyTemplate::builtin(ReplyLanguage::English),
        &ReplyInput {
            language: ReplyLanguage::English,
            contact_person: "",
            facts: session.facts(),
            contract: &contract,
            escalate: true,
            signature: &Signature::default(),
        },
    );
    assert!(
        reply.starts_with("Hello,\n\nThank you for your message.\n\nSo that I can look into this"),
        "{reply}"
    );
    assert!(!reply.contains("Under our agreement"), "{reply}");
    assert!(
        reply.contains("under the terms of the contract."),
        "{reply}"
    );
    assert!(reply.ends_with("Kind regards,"), "{reply}");
}

fn letter(contract: &Contract, offboarding: &Offboarding, language: ReplyLanguage) -> String {
    let today = NaiveDate::from_ymd_opt(2026, 4, 28).unwrap();
    compose_closing_letter(
        &ReplyTemplate::builtin(language),
        &ClosingLetterInput {
            language,
            contact_person: "Ирина",
            contract,
            offboarding,
            last_day: offboarding.ending_on(),
            today,
            signature: &signature(),
        },
    )
}

#[test]
fn the_closing_letter_gives_the_notice_and_the_last_day_the_runbook_set() {
    let contract = russian_contract();
    let mut offboarding = Offboarding::for_contract(&contract);
    offboarding.set_ending_on(NaiveDate::from_ymd_opt(2026, 5, 28).unwrap());
    let text = letter(&contract, &offboarding, ReplyLanguage::Russian);
    assert!(text.starts_with("Добрый день, Ирина!"), "{text}");
    assert!(
        text.contains("за 30 дней") && text.contains("28.05.2026"),
        "{text}"
    );
    assert!(text.contains("п. 6.1 Расторжение"), "{text}");
    assert!(text.contains("документы и доступы"), "{text}");
    assert!(text.contains("предоплата будет возвращена"), "{text}");
    assert!(!text.contains('{'), "{text}");
    let english = letter(&contract, &offboarding, ReplyLanguage::English);
    assert!(english.contains("28 May 2026"), "{english}");
}

#[test]
fn a_contract_without_a_refund_clause_yields_no_refund_promise() {
    let contract = Contract {
        refund: String::new(),
        ..russian_contract()
    };
    let offboarding = Offboarding::for_contract(&contract);
    for language in ReplyLanguage::ALL {
        let text = letter(&contract, &offboarding, language);
        assert!(!text.contains("возвращ"), "{text}");
        assert!(
            !text.contains("refund") && !text.contains("returned"),
            "{text}"
        );
    }
}

#[test]
fn the_letter_promises_nothing_the_user_marked_as_not_applying() {
    let contract = russian_contract();
    let mut offboarding = Offboarding::for_contract(&contract);
    let not_applying =
        |reason: &str| TaskState::NotApplicable(NotApplicable::Because(reason.into()));
    offboarding
        .set(
            OffboardingTask::RefundUnused,
            not_applying("Nothing prepaid"),
        )
        .unwrap();
    offboarding
        .set(
            OffboardingTask::HandOver,
            not_applying("She holds everything"),
        )
        .unwrap();
    let text = letter(&contract, &offboarding, ReplyLanguage::English);
    assert!(!text.contains("returned"), "{text}");
    assert!(!text.contains("handed over"), "{text}");
    assert!(text.contains("final invoice"), "{text}");
    assert!(
        !text.contains("last working day"),
        "no ending date set: the letter names none: {text}"
    );
}

#[test]
fn a_mixed_message_is_answered_in_its_main_language() {
    assert_eq!(
        ReplyLanguage::of_message(Language::Mixed, 0.7),
        ReplyLanguage::Russian
    );
    assert_eq!(
        ReplyLanguage::of_message(Language::Mixed, 0.2),
        ReplyLanguage::English
    );
    assert_eq!(
        ReplyLanguage::of_message(Language::En, 0.9),
        ReplyLanguage::English
    );
}
