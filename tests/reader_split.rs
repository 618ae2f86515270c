//! Sentence splitting on mail, in the spirit of the Pragmatic Segmenter's golden rules but in this
//! project's own words: abbreviations, initials, numbers and amounts stay inside a sentence;
//! greetings, sign-offs, bullets, "!!!" and ")))" end one; hard-wrapped lines and quoted replies
//! are kept as they should be; and every sentence says why it ended.

use calmdesk::reading::{Boundary, analyze};

fn split(text: &str) -> Vec<String> {
    analyze(text)
        .sentences
        .iter()
        .map(|s| s.text.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn check(text: &str, want: &[&str]) {
    assert_eq!(split(text), want, "splitting {text:?}");
}

#[test]
fn english_abbreviations_titles_and_places_stay_inside_a_sentence() {
    check(
        "We met Dr. Okafor at the clinic. She was late.",
        &["We met Dr. Okafor at the clinic.", "She was late."],
    );
    check(
        "The shoot is near Mt. Rainier on Saturday.",
        &["The shoot is near Mt. Rainier on Saturday."],
    );
    check(
        "Our office on St. George Street is closed.",
        &["Our office on St. George Street is closed."],
    );
    check(
        "The U.S. client paid late. The U.K. one paid early.",
        &["The U.S. client paid late.", "The U.K. one paid early."],
    );
    check(
        "Bring the receipts, e.g. fuel and parking, by Friday.",
        &["Bring the receipts, e.g. fuel and parking, by Friday."],
    );
    check(
        "Invoice no. 48 is for $1,250.75. It is overdue.",
        &["Invoice no. 48 is for $1,250.75.", "It is overdue."],
    );
}

#[test]
fn initials_and_numbered_references() {
    check(
        "The contract was signed by T. R. Walsh in May.",
        &["The contract was signed by T. R. Walsh in May."],
    );
    check(
        "See clause 4.2 of the agreement. It covers refunds.",
        &["See clause 4.2 of the agreement.", "It covers refunds."],
    );
}

#[test]
fn russian_abbreviations_from_the_mail_layer() {
    check(
        "Счёт на 12 500 руб. пришёл вчера. Оплачу завтра.",
        &["Счёт на 12 500 руб. пришёл вчера.", "Оплачу завтра."],
    );
    check(
        "Офис на ул. Садовой, д. 5. Вход со двора.",
        &["Офис на ул. Садовой, д. 5.", "Вход со двора."],
    );
    check(
        "Нужны выписки, т.е. все движения по счёту. Спасибо.",
        &["Нужны выписки, т.е. все движения по счёту.", "Спасибо."],
    );
    check(
        "Отчёт за 2025 г. сдан в срок. Претензий нет.",
        &["Отчёт за 2025 г. сдан в срок.", "Претензий нет."],
    );
    check(
        "Прислали макеты, тексты, фото и т.д. Всё не то.",
        &["Прислали макеты, тексты, фото и т.д.", "Всё не то."],
    );
}

#[test]
fn emphatic_marks_and_emoticons_before_a_capital_end_a_sentence() {
    check(
        "Where are the files??? Nobody answers!!! I waited a week",
        &[
            "Where are the files???",
            "Nobody answers!!!",
            "I waited a week",
        ],
    );
    check(
        "Ну спасибо вам))) Больше не приду",
        &["Ну спасибо вам)))", "Больше не приду"],
    );
    check(
        "Я ждала… и ждала… Потом позвонила.",
        &["Я ждала… и ждала…", "Потом позвонила."],
    );
    check("Вы серьёзно?Ответьте.", &["Вы серьёзно?", "Ответьте."]);
}

#[test]
fn greetings_sign_offs_and_lists_end_their_lines() {
    let text = "Hi Marta,\nthe report is missing two pages:\n- the balance sheet\n- the notes\nPlease resend it.\n\nBest regards\nTom Reyes\nReyes Bakery";
    check(
        text,
        &[
            "Hi Marta,",
            "the report is missing two pages:",
            "- the balance sheet",
            "- the notes",
            "Please resend it.",
            "Best regards",
            "Tom Reyes",
            "Reyes Bakery",
        ],
    );
    check(
        "Dear support team, I have waited three weeks for a reply.",
        &[
            "Dear support team,",
            "I have waited three weeks for a reply.",
        ],
    );
    check(
        "Здравствуйте, Ирина! Макет так и не пришёл.\nС уважением,\nОльга",
        &[
            "Здравствуйте, Ирина!",
            "Макет так и не пришёл.",
            "С уважением,",
            "Ольга",
        ],
    );
}

#[test]
fn hard_wrapped_lines_stay_one_sentence() {
    let text = "I sent the signed contract and the first payment on the fourth of March and\nstill have no date for the first draft.";
    assert_eq!(split(text).len(), 1, "{:?}", split(text));
}

#[test]
fn quoted_replies_are_kept_apart_and_unmarked() {
    let text = "Refund me today or I will sue.\n\nOn Tue, 3 Mar 2026, Anna wrote:\n> I will sue you too.\n> Thanks";
    let r = analyze(text);
    let quoted: Vec<_> = r.sentences.iter().filter(|s| s.quoted).collect();
    assert_eq!(quoted.len(), 1);
    assert!(quoted[0].labels.is_empty() && quoted[0].text.contains("I will sue you too"));
    assert!(!r.sentences[0].quoted && !r.sentences[0].labels.is_empty());
}

#[test]
fn every_sentence_says_why_it_ended() {
    let text = "Hi Anna,\nWhere are the files!!! I paid.\n- logo\n\nThanks,\nMark";
    let r = analyze(text);
    let why: Vec<Boundary> = r.sentences.iter().map(|s| s.boundary).collect();
    assert_eq!(
        why,
        vec![
            Boundary::Greeting,
            Boundary::Emphatic,
            Boundary::ListItem,
            Boundary::Paragraph,
            Boundary::SignOff,
            Boundary::End,
        ],
        "{:?}",
        r.sentences.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["sentences"][1]["boundary"], "emphatic");
    let chat = analyze(
        "you didnt send the report again today im not paying for this month at all honestly",
    );
    assert!(chat.sentences.iter().any(|s| s.boundary == Boundary::RunOn));
    let plain = analyze("The report is late. I am waiting.");
    assert_eq!(plain.sentences[0].boundary, Boundary::Punctuation);
}

#[test]
fn list_markers_open_their_items_inline_and_on_lines() {
    check(
        "1. Send the draft 2. Fix the logo 3. Invoice me",
        &["1. Send the draft", "2. Fix the logo", "3. Invoice me"],
    );
    check(
        "a. the balance b. the notes",
        &["a. the balance", "b. the notes"],
    );
    check(
        "1.) Перевести договор.\n2.) Заверить копию.",
        &["1.) Перевести договор.", "2.) Заверить копию."],
    );
}
