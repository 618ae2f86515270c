//! Behaviour of the reader on single messages: false alarms that cost trust, Russian morphology,
//! masked obscenity, entities, verdicts, the draft check and the explanations.

// Test code: an unwrap that fails is a failed test with its message; stories run long.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use calmdesk::reading::{
    DraftFlagKind, EntityKind, Item, Label, Language, Verdict, analyze, analyze_draft, known_rules,
    report_text, rule_explanation,
};

fn labels_of(text: &str) -> Vec<Label> {
    let r = analyze(text);
    let mut v: Vec<Label> = r.sentences.iter().flat_map(|s| s.labels.clone()).collect();
    v.sort();
    v.dedup();
    v
}

fn has(text: &str, label: Label) -> bool {
    labels_of(text).contains(&label)
}

#[test]
fn calm_polite_messages_carry_no_threat_or_insult() {
    let calm = [
        "Thank you, the report is great! We'll send the next batch on Monday.",
        "I'd like to discuss the contract, in particular clause 4.2, when you have time.",
        "Hi Anna, attached are the receipts for October. Best regards, Helen",
        "Our lawyer reviewed the draft and suggests a small change to the payment terms.",
        "You said the deadline was Friday, so I planned the review for Monday.",
        "Could you send the invoice again? The first one went to spam. Thanks!",
        "I regret to say I can't make it on Tuesday, can we move the lesson?",
        "We're very happy with the course, I will leave a great review.",
        "Здравствуйте! Спасибо, отчёт отличный, руководству понравился.",
        "Добрый день, пересылаю письмо от нашего юриста по поводу пункта 4.2 договора.",
        "Судя по всему, всё пришло. Хороших выходных!",
        "Подскажите, пожалуйста, когда будет следующий поток? Заранее спасибо.",
        "Я сдам отчёт в налоговую сама, не беспокойтесь.",
        "Please take the file and start whenever suits you.",
        "Спасибо, что так быстро ответили на мой вопрос.",
        "My lawyer asked for the invoice for last quarter, could you resend it?",
        "I went to the bank this morning and the transfer should reach you tomorrow.",
        "We love the new site and will post a review on Google this week, thank you!",
        "Could you tell the other designers on the team that the files are in the shared folder?",
        "Any student can access the recordings after the lesson, right?",
        "I'd like to share my experience with the course at our next meeting.",
        "Оставлю отличный отзыв, спасибо за работу!",
        "Налоговая прислала требование, помогите, пожалуйста, ответить.",
        "Наш юрист попросил копию договора, пришлите, пожалуйста.",
        "Напишу в чат курса, если будут вопросы.",
        "Каждый студент получает доступ к записям, это удобно.",
        "До пятницы я в отъезде, отвечу в понедельник.",
        "В группе будет пять человек, у меня много знакомых, которым интересно, я им расскажу про курс.",
    ];
    for text in calm {
        let l = labels_of(text);
        assert!(
            !l.contains(&Label::Threat) && !l.contains(&Label::Insult),
            "false alarm in {text:?}: {l:?}"
        );
        let r = analyze(text);
        assert!(!r.crossed_line, "{text}");
        assert!(r.heat < 20, "{text}: heat {}", r.heat);
    }
}

#[test]
fn courtesy_formulas_are_not_demands() {
    for t in [
        "Please find attached the signed contract.",
        "Let me know if you have any questions.",
        "Please note that our office is closed on Friday.",
        "Прошу прощения за задержку с ответом.",
        "Имейте в виду, я буду в отпуске до 10-го.",
    ] {
        assert!(!has(t, Label::Demand), "{t}: {:?}", labels_of(t));
    }
}

#[test]
fn quoting_what_was_said_is_not_a_demand() {
    assert!(!has("You said the deadline was Friday.", Label::Demand));
    assert!(!has("Вы говорили, что срок в пятницу.", Label::Demand));
}

#[test]
fn russian_inflections_match() {
    for t in [
        "Верните деньги.",
        "Вы вернёте деньги или нет?",
        "Я требую вернуть деньги.",
    ] {
        assert!(has(t, Label::Demand), "{t}");
    }
    for t in [
        "Я пожалуюсь на вас.",
        "Напишу жалобу в Роспотребнадзор.",
        "Буду жаловаться на бирже, пожаловаться есть куда.",
    ] {
        assert!(has(t, Label::Threat), "{t}");
    }
}

#[test]
fn masked_obscenity_is_an_insult() {
    for t in [
        "Что за г*вно вы прислали?",
        "Идите н@хер.",
        "This is f***ing useless.",
        "Go to h*** with your terms.",
        "вы г0вно",
        "Вы мошенники!",
        "This is a scam!",
    ] {
        assert!(has(t, Label::Insult), "{t}");
    }
}

#[test]
fn threats_of_each_kind() {
    for t in [
        "I will sue you.",
        "This is a breach of contract.",
        "I won't pay for this.",
        "I'll leave a one-star review on Google.",
        "I'm reporting you to the Better Business Bureau.",
        "I want to speak to your manager, and I'll contact corporate.",
        "I'll take my business elsewhere.",
        "You'll regret this.",
        "Увидимся в суде.",
        "Не заплачу ни копейки.",
        "Расскажу всем знакомым, какой вы сервис.",
        "Уйду к конкурентам.",
        "Вы пожалеете.",
        "Я стану вашим кошмаром.",
        "If this isn't fixed, I'll have no choice but to escalate this.",
        "Иначе буду вынуждена принять меры.",
        "Вы ещё ответите за это.",
    ] {
        assert!(has(t, Label::Threat), "{t}");
    }
}

#[test]
fn questions_with_and_without_marks() {
    assert!(has(
        "How can you people get away with this?",
        Label::Question
    ));
    assert!(has("why is nobody answering", Label::Question));
    assert!(has("Почему нет ответа", Label::Question));
    let r = analyze("Can you send me the file?");
    assert!(r.sentences[0].labels.contains(&Label::Question));
    assert!(r.sentences[0].labels.contains(&Label::Demand));
}

#[test]
fn every_reason_names_words_and_a_rule_with_an_explanation() {
    let text = "You missed the deadline AGAIN!!! Refund me now or I'll sue. Вы воры!";
    let r = analyze(text);
    let mut n = 0;
    for s in &r.sentences {
        for reason in &s.reasons {
            n += 1;
            assert!(!text[reason.start..reason.end].trim().is_empty());
            assert!(
                rule_explanation(&reason.rule, Language::En).is_some()
                    && rule_explanation(&reason.rule, Language::Ru).is_some(),
                "no explanation for {}",
                reason.rule
            );
        }
    }
    assert!(n >= 5);
    assert_eq!(
        rule_explanation("threat.public_review", Language::En),
        Some("threatens a public bad review or shaming")
    );
    assert!(known_rules().contains(&"pressure.refund_after_term"));
    for item in Item::ALL {
        assert!(
            rule_explanation(item.id(), Language::Ru).is_some(),
            "{}",
            item.id()
        );
    }
}

#[test]
fn entities_and_language() {
    let r = analyze("Я оплатила 5 000 ₽ 12.03.2025 по договору № 17. Верните к утру.");
    assert_eq!(r.language, Language::Ru);
    let kinds: Vec<EntityKind> = r.entities.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&EntityKind::Money));
    assert!(kinds.contains(&EntityKind::Date));
    assert!(kinds.contains(&EntityKind::ContractRef));
    assert!(kinds.contains(&EntityKind::Deadline));
    let r = analyze("Please refund the $400. Верните деньги, пожалуйста, я жду уже две недели.");
    assert_eq!(r.language, Language::Mixed);
    assert_eq!(r.sentences[0].language, Language::En);
    assert_eq!(r.sentences[1].language, Language::Ru);
}

#[test]
fn verdicts() {
    let legit = "You promised the files by March 20 and I still have nothing. Please send them.";
    assert_eq!(analyze(legit).verdict, Verdict::Legitimate);
    let pressure =
        "I changed my mind about the course. Refund me or I'll post a bad review everywhere.";
    let r = analyze(pressure);
    assert_eq!(r.verdict, Verdict::Pressure);
    assert!(r.items.contains(&Item::RefundAfterTerm));
    assert!(r.crossed_line);
    let mixed = "The site doesn't work on mobile. Fix it by tomorrow, you idiots, or I'll sue.";
    assert_eq!(analyze(mixed).verdict, Verdict::Mixed);
    let neutral = "Hi! Attached are the receipts for October. Thanks!";
    assert_eq!(analyze(neutral).verdict, Verdict::Neutral);
}

#[test]
fn heat_rises_with_abuse() {
    let calm = analyze("Could you resend the invoice, please?").heat;
    let hot = analyze("YOU ARE THIEVES!!! I WILL SUE YOU!!! Refund immediately!!!").heat;
    assert!(calm < 15 && hot > 60, "calm {calm} hot {hot}");
}

#[test]
fn json_has_the_issue_shape() {
    let r = analyze("Refund the $400 now!!! Or I'll sue.");
    let v = serde_json::to_value(&r).expect("json");
    for key in [
        "language",
        "verdict",
        "heat",
        "items",
        "sentences",
        "entities",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let s0 = &v["sentences"][0];
    for key in ["start", "end", "text", "labels", "reasons"] {
        assert!(s0.get(key).is_some(), "missing sentence.{key}");
    }
    let reason = &s0["reasons"][0];
    for key in ["label", "start", "end", "rule"] {
        assert!(reason.get(key).is_some(), "missing reason.{key}");
    }
    assert_eq!(v["entities"][0]["kind"], "money");
    assert_eq!(v["entities"][0]["text"], "$400");
    assert!(v["verdict"].is_string() && v["language"] == "en");
}

#[test]
fn draft_flags_are_explained() {
    let draft = "As I already said, you failed to send the brief. It was my mistake to wait. \
                 I will redo it for free!!! Obviously you never read my emails, idiot.";
    let check = analyze_draft(draft);
    let kinds: Vec<DraftFlagKind> = check.flags.iter().map(|f| f.kind).collect();
    for k in [
        DraftFlagKind::Sarcasm,
        DraftFlagKind::Blame,
        DraftFlagKind::Admission,
        DraftFlagKind::Promise,
        DraftFlagKind::Exclamation,
        DraftFlagKind::Insult,
    ] {
        assert!(kinds.contains(&k), "missing {k:?} in {kinds:?}");
    }
    for f in &check.flags {
        assert_eq!(f.text, &draft[f.start..f.end]);
        assert!(f.explanation(Language::En).is_some(), "{}", f.rule);
    }
    let ru =
        analyze_draft("Как я уже писала, вы не удосужились прислать документы. Я ВАМ ОБЪЯСНЯЮ.");
    let kinds: Vec<DraftFlagKind> = ru.flags.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&DraftFlagKind::Sarcasm));
    assert!(kinds.contains(&DraftFlagKind::Blame));
    assert!(kinds.contains(&DraftFlagKind::Shouting));
    let calm = analyze_draft(
        "Thank you for your message. According to clause 4.2, the files are due on Friday. \
         Could you send examples of the pages that look wrong?",
    );
    assert!(calm.is_clean(), "{:?}", calm.flags);
}

#[test]
fn report_shows_words_and_explanations() {
    let text = "Верните деньги, иначе я напишу отзыв везде!";
    let r = analyze(text);
    let report = report_text(text, &r);
    assert!(report.contains("Verdict:"));
    assert!(report.contains("«Верните»"), "{report}");
    assert!(report.contains("threat.public_review"), "{report}");
}

#[test]
fn chat_run_ons_are_split_into_clauses() {
    // Chat lines typed without punctuation, joined by spaces.
    let text = "you didnt show up again today thats the second time this month my son sat in \
                front of the laptop for 40 min waiting im not paying for this month at all and \
                you owe us next month free too";
    let r = analyze(text);
    assert!(
        r.sentences.len() >= 3,
        "{:?}",
        r.sentences.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    let ru = "мне сейчас позвонили из банка вы не отправили уведомление по налогу теперь у меня \
              пени капают верните деньги за обслуживание за весь год";
    assert!(analyze(ru).sentences.len() >= 3);
    // Written mail keeps its sentences.
    let mail =
        "On May 20 I received a notice from the IRS stating that no return had been filed by you.";
    assert_eq!(analyze(mail).sentences.len(), 1);
}

#[test]
fn competence_attacks_and_veiled_threats_are_read() {
    for t in [
        "A real designer would have told us this.",
        "You clearly have no idea what you are doing.",
        "Так работают только студенты-недоучки.",
        "Вы вообще в своём уме?",
    ] {
        assert!(has(t, Label::Insult), "{t}: {:?}", labels_of(t));
    }
    for t in [
        "My lawyer is cc'd.",
        "Дальше будем говорить через юриста.",
        "Оплачивать работу мы не будем.",
        "Если что, отзыв на фл напишем соответствующий.",
        "I'll have to go through my credit card company.",
    ] {
        assert!(has(t, Label::Threat), "{t}: {:?}", labels_of(t));
    }
}

#[test]
fn words_that_only_share_a_stem_with_a_threat_are_calm() {
    for t in [
        "Пожалуй, я подожду до понедельника.",
        "Спасибо, суд уже закончился.",
        "Судя по письму, всё в порядке.",
        "I read about a tenant who sued his landlord years ago.",
    ] {
        assert!(!has(t, Label::Threat), "{t}: {:?}", labels_of(t));
    }
    assert!(has("Я пожалуюсь в налоговую.", Label::Threat));
    assert!(has("Увидимся в суде.", Label::Threat));
}

#[test]
fn a_complaint_is_never_neutral_and_says_which_way_it_leans() {
    // Facts and a plain request for what is owed: leans legitimate, with the facts as reasons.
    let r = analyze(
        "You didn't send the corrected payslips. I asked on the 3rd. Send them today, please.",
    );
    assert_ne!(r.verdict, Verdict::Neutral);
    // Orders and shouting with nothing checkable: leans pressure.
    let r = analyze("SORT IT OUT NOW!!! Do it immediately!");
    assert_eq!(r.verdict, Verdict::Pressure);
    let lean = r.leaning.as_ref().expect("a guess says so");
    assert_eq!(lean.toward, Verdict::Pressure);
    assert_eq!(lean.rule, "verdict.leans_pressure");
    assert!(!lean.reasons.is_empty());
    assert!(rule_explanation(&lean.rule, Language::Ru).is_some());
    // A "why" question about the service is a complaint too.
    let r = analyze("Почему вы не ответили на моё письмо?");
    assert_ne!(r.verdict, Verdict::Neutral);
    // Abuse around a story of what went wrong leans mixed.
    let r = analyze(
        "The site went down on Monday. The shop lost two days of orders. Support answered on \
         Thursday. You are useless clowns.",
    );
    assert_eq!(r.verdict, Verdict::Mixed, "{:?}", r.leaning);
    assert_eq!(
        r.leaning.map(|l| l.rule).as_deref(),
        Some("verdict.leans_mixed")
    );
    // No complaint at all: neutral, and no guess.
    for calm in [
        "Hi! Attached are the receipts for October. Thanks!",
        "Could you send me the invoice for May? Thanks a lot.",
        "Пришлите, пожалуйста, акт за май. Спасибо!",
    ] {
        let r = analyze(calm);
        assert_eq!(r.verdict, Verdict::Neutral, "{calm}");
        assert!(r.leaning.is_none(), "{calm}");
    }
    // A decided verdict carries no leaning.
    let r = analyze("You missed the deadline. Refund me or I'll sue.");
    assert!(
        r.leaning.is_none() && r.verdict == Verdict::Mixed,
        "{:?}",
        r.verdict
    );
}

#[test]
fn complaints_that_name_no_seed_item_are_read_and_their_look_alikes_stay_calm() {
    // A charge beyond what was agreed, spoiled or failed service, a disputed charge, a warning
    // to others: each makes a message a complaint, never neutral.
    for complaint in [
        "The final invoice was double what you quoted in June.",
        "В счёт включили три часа консультаций, которых не было.",
        "The courier brought the cake stale and squashed.",
        "Привезли остывший обед и без соуса.",
        "The booking page keeps timing out.",
        "Я не согласна с этой суммой за доставку.",
        "I would not recommend this agency to anyone.",
        "Никому не советую эту студию.",
        "You didn't format the tables the way the brief said.",
    ] {
        let r = analyze(complaint);
        assert_ne!(r.verdict, Verdict::Neutral, "{complaint}");
    }
    // Words that only look like those: a cold caught, a suggestion, a decision of one's own,
    // a recommendation, praise.
    for calm in [
        "I caught a cold, so could we move the call to Friday? Thanks!",
        "У меня простуда, давайте перенесём созвон на среду. Спасибо!",
        "Я не считаю нужным что-то менять, всё отлично.",
        "I would recommend you to any friend who needs a designer.",
        "You never fail to deliver, thanks.",
    ] {
        let r = analyze(calm);
        assert_eq!(r.verdict, Verdict::Neutral, "{calm}: {:?}", r.items);
    }
}
