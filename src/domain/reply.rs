//! The reply draft, composed from the confirmed facts in the five-step shape of seed 001 and the
//! BIFF manner (brief, informative, friendly, firm): restate the facts; ask for what is missing;
//! name the line if there were insults or threats; offer what the contract allows, citing its
//! clause; and, if the user chooses, move to formal ground. The words come from templates in
//! `assets/reply/` (one per language), which the user may replace with her own.

use std::collections::HashMap;

use super::client::Contract;
use super::cooldown::FactsReview;
use crate::reading::{Item, Label, Language, Verdict};

/// The language a reply is written in: the client's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ReplyLanguage {
    English,
    Russian,
}

impl ReplyLanguage {
    /// Answer in the language the client wrote in; a mixed message is answered in Russian when
    /// most of its sentences are.
    pub fn of_message(language: Language, russian_share: f32) -> Self {
        match language {
            Language::Ru => Self::Russian,
            Language::En => Self::English,
            Language::Mixed if russian_share >= 0.5 => Self::Russian,
            Language::Mixed => Self::English,
        }
    }
}

const BUILTIN_EN: &str = include_str!("../../assets/reply/en.txt");
const BUILTIN_RU: &str = include_str!("../../assets/reply/ru.txt");

/// The parts every template must have.
const REQUIRED_PARTS: [&str; 22] = [
    "greeting",
    "greeting_anonymous",
    "restate_intro",
    "fact",
    "no_facts",
    "acknowledge",
    "ask_specifics",
    "boundary",
    "offer_clause",
    "offer",
    "escalate",
    "closing",
    "reference",
    "termination_clause",
    "clause_refund",
    "clause_scope",
    "clause_terms",
    "closing_letter_intro",
    "closing_letter_notice",
    "closing_letter_termination",
    "closing_letter_handover",
    "closing_letter_thanks",
];

/// A reply template: named parts with `{placeholders}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyTemplate {
    parts: HashMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("line {0} is not `name = text`")]
    Malformed(usize),
    #[error("the template has no `{0}` part")]
    Missing(&'static str),
}

impl ReplyTemplate {
    /// Parses a template (the format of `assets/reply/*.txt`).
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once(" = ")
                .ok_or(TemplateError::Malformed(index + 1))?;
            parts.insert(name.trim().to_owned(), value.to_owned());
        }
        if let Some(missing) = REQUIRED_PARTS
            .into_iter()
            .find(|name| !parts.contains_key(*name))
        {
            return Err(TemplateError::Missing(missing));
        }
        Ok(Self { parts })
    }

    /// The template that ships with calmdesk.
    pub fn builtin(language: ReplyLanguage) -> Self {
        // A test proves both built-in templates parse.
        Self::parse(Self::builtin_text(language)).unwrap_or(Self {
            parts: HashMap::new(),
        })
    }

    /// The text of the template that ships with calmdesk, for the user to start editing from.
    pub fn builtin_text(language: ReplyLanguage) -> &'static str {
        match language {
            ReplyLanguage::English => BUILTIN_EN,
            ReplyLanguage::Russian => BUILTIN_RU,
        }
    }

    /// The user's own template if she saved one that parses, else the built-in one.
    pub fn user_or_builtin(language: ReplyLanguage, user_text: Option<&str>) -> Self {
        user_text
            .and_then(|text| Self::parse(text).ok())
            .unwrap_or_else(|| Self::builtin(language))
    }

    /// The settings key under which the user's template for `language` is stored.
    pub fn setting_key(language: ReplyLanguage) -> &'static str {
        match language {
            ReplyLanguage::English => "reply_template.en",
            ReplyLanguage::Russian => "reply_template.ru",
        }
    }

    fn part(&self, name: &str) -> &str {
        self.parts.get(name).map_or("", String::as_str)
    }

    fn fill(&self, name: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.part(name).to_owned(), |text, (key, value)| {
                text.replace(&format!("{{{key}}}"), value)
            })
    }
}

/// What the reply is built from.
#[derive(Clone, Debug)]
pub struct ReplyInput<'a> {
    pub language: ReplyLanguage,
    /// The client's name as the user entered it.
    pub client_name: &'a str,
    pub facts: &'a FactsReview,
    pub contract: &'a Contract,
    /// The user chose to move the exchange to formal ground.
    pub escalate: bool,
}

/// The name to greet: the part before a dash or comma ("Derek Holloway — Holloway LLC").
fn greeting_name(client_name: &str) -> &str {
    client_name
        .split([',', '—', '–', '('])
        .next()
        .unwrap_or("")
        .trim()
}

/// Composes the draft. Every confirmed fact appears; the boundary sentence appears only when
/// insults or threats were confirmed; a clause is cited when the contract has the one that fits.
pub fn compose_reply(template: &ReplyTemplate, input: &ReplyInput<'_>) -> String {
    let facts = input.facts;
    let mut paragraphs: Vec<String> = Vec::new();

    let name = greeting_name(input.client_name);
    paragraphs.push(if name.is_empty() {
        template.part("greeting_anonymous").to_owned()
    } else {
        template.fill("greeting", &[("name", name)])
    });

    let confirmed: Vec<&str> = facts
        .facts
        .iter()
        .map(|fact| fact.trim())
        .filter(|fact| !fact.is_empty())
        .collect();
    if confirmed.is_empty() {
        paragraphs.push(template.part("no_facts").to_owned());
    } else {
        let mut restate = template.part("restate_intro").to_owned();
        for fact in &confirmed {
            restate.push('\n');
            restate.push_str(&template.fill("fact", &[("fact", fact)]));
        }
        paragraphs.push(restate);
    }

    let points: Vec<&str> = facts
        .items
        .iter()
        .filter(|item| item.is_legitimate())
        .map(|item| template.part(&format!("point.{}", item.id())))
        .filter(|point| !point.is_empty())
        .collect();
    if !points.is_empty() {
        paragraphs.push(template.fill("acknowledge", &[("points", &points.join(", "))]));
    }

    // Seed 001, step 2: ask what exactly is wrong when the message is not specific, or when it
    // presses for more than what is owed.
    let needs_specifics = confirmed.is_empty()
        || matches!(facts.verdict, Verdict::Pressure | Verdict::Mixed)
        || (facts.count(Label::Demand) > 0 && points.is_empty());
    if needs_specifics {
        paragraphs.push(template.part("ask_specifics").to_owned());
    }

    if facts.crossed_line() {
        paragraphs.push(template.part("boundary").to_owned());
    }

    let mut offer = String::new();
    if let Some((clause_name, clause)) =
        clause_to_cite(input.contract, &facts.items, facts.money_demanded)
    {
        let reference = if input.contract.reference.trim().is_empty() {
            String::new()
        } else {
            template.fill(
                "reference",
                &[("reference", input.contract.reference.trim())],
            )
        };
        offer = template.fill(
            "offer_clause",
            &[
                ("reference", &reference),
                ("clause_name", template.part(clause_name)),
                ("clause", clause),
            ],
        );
        offer.push(' ');
    }
    offer.push_str(template.part("offer"));
    paragraphs.push(offer);

    if input.escalate {
        let termination = input.contract.termination.trim();
        let termination = if termination.is_empty() {
            String::new()
        } else {
            template.fill("termination_clause", &[("termination", termination)])
        };
        paragraphs.push(template.fill("escalate", &[("termination", &termination)]));
    }

    paragraphs.push(template.part("closing").to_owned());
    paragraphs.join("\n\n")
}

/// The polite closing letter when parting ways: the decision, the notice period and last day
/// (from the contract), hand-over, final invoice and refund of any unused prepayment, thanks.
pub fn compose_closing_letter(
    template: &ReplyTemplate,
    client_name: &str,
    contract: &Contract,
    today: chrono::NaiveDate,
) -> String {
    let mut paragraphs = Vec::new();
    let name = greeting_name(client_name);
    paragraphs.push(if name.is_empty() {
        template.part("greeting_anonymous").to_owned()
    } else {
        template.fill("greeting", &[("name", name)])
    });
    let mut decision = template.part("closing_letter_intro").to_owned();
    if let Some(days) = contract.notice_period_days {
        let reference = if contract.reference.trim().is_empty() {
            String::new()
        } else {
            template.fill("reference", &[("reference", contract.reference.trim())])
        };
        let end_date = (today + chrono::Duration::days(i64::from(days)))
            .format("%Y-%m-%d")
            .to_string();
        decision.push(' ');
        decision.push_str(&template.fill(
            "closing_letter_notice",
            &[
                ("reference", &reference),
                ("days", &days.to_string()),
                ("end_date", &end_date),
            ],
        ));
    }
    if !contract.termination.trim().is_empty() {
        decision.push(' ');
        decision.push_str(&template.fill(
            "closing_letter_termination",
            &[("termination", contract.termination.trim())],
        ));
    }
    paragraphs.push(decision);
    paragraphs.push(template.part("closing_letter_handover").to_owned());
    paragraphs.push(template.part("closing_letter_thanks").to_owned());
    paragraphs.push(template.part("closing").to_owned());
    paragraphs.join("\n\n")
}

/// The clause that answers what the client asks for: the refund clause for money back, the
/// scope for extra or redone work, the terms otherwise.
fn clause_to_cite<'a>(
    contract: &'a Contract,
    items: &[Item],
    money_demanded: bool,
) -> Option<(&'static str, &'a str)> {
    let wants_money = money_demanded || items.contains(&Item::RefundAfterTerm);
    let wants_more = items.iter().any(|item| {
        matches!(
            item,
            Item::RedoDespiteBrief
                | Item::MoreBonusesOrTime
                | Item::PersonalAttention
                | Item::OutsideRules
        )
    });
    let candidates = [
        (wants_money, "clause_refund", contract.refund.trim()),
        (wants_more, "clause_scope", contract.scope.trim()),
        (true, "clause_terms", contract.terms.trim()),
        (true, "clause_scope", contract.scope.trim()),
    ];
    candidates
        .into_iter()
        .find(|(applies, _, clause)| *applies && !clause.is_empty())
        .map(|(_, name, clause)| (name, clause))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cooldown::SentenceReview;

    fn facts(
        language: Language,
        sentences: &[(&str, &[Label])],
        items: &[Item],
        verdict: Verdict,
    ) -> FactsReview {
        let sentences: Vec<SentenceReview> = sentences
            .iter()
            .map(|(text, labels)| SentenceReview {
                start: 0,
                end: text.len(),
                text: (*text).to_owned(),
                suggested: labels.to_vec(),
                labels: labels.to_vec(),
            })
            .collect();
        FactsReview {
            language,
            facts: sentences
                .iter()
                .filter(|s| s.labels.contains(&Label::Fact))
                .map(|s| s.text.clone())
                .collect(),
            sentences,
            suggested_verdict: verdict,
            verdict,
            suggested_items: items.to_vec(),
            items: items.to_vec(),
            money_demanded: false,
        }
    }

    fn contract() -> Contract {
        Contract {
            reference: "Договор № 17/2026".into(),
            scope: "п. 1.1 Бухгалтерский учёт ИП на УСН".into(),
            terms: "п. 2.6 Ответ в течение одного рабочего дня".into(),
            refund: "п. 4.2 Возврат предоплаты за неоказанные услуги текущего месяца".into(),
            termination: "п. 6.1 Расторжение с уведомлением за 30 дней".into(),
            notice_period_days: Some(30),
        }
    }

    #[test]
    fn both_builtin_templates_parse() {
        for text in [BUILTIN_EN, BUILTIN_RU] {
            ReplyTemplate::parse(text).expect("the shipped template is complete");
        }
        assert_eq!(
            ReplyTemplate::parse("greeting = Hi"),
            Err(TemplateError::Missing("greeting_anonymous"))
        );
        assert_eq!(
            ReplyTemplate::parse("no equals sign"),
            Err(TemplateError::Malformed(1))
        );
    }

    #[test]
    fn a_russian_reply_restates_every_fact_names_the_line_and_cites_the_refund_clause() {
        let review = facts(
            Language::Ru,
            &[
                ("Вы меня обокрали!", &[Label::Insult]),
                ("Я заплатил 6 000 ₽ за март.", &[Label::Fact]),
                ("Отчёт до сих пор не сдан.", &[Label::Fact]),
                (
                    "Верните деньги, иначе напишу отзыв везде.",
                    &[Label::Demand, Label::Threat],
                ),
            ],
            &[Item::RefundAfterTerm],
            Verdict::Mixed,
        );
        let contract = contract();
        let input = ReplyInput {
            language: ReplyLanguage::Russian,
            client_name: "Кравцов Аркадий Семёнович — ИП",
            facts: &review,
            contract: &contract,
            escalate: false,
        };
        let reply = compose_reply(&ReplyTemplate::builtin(ReplyLanguage::Russian), &input);
        assert!(
            reply.starts_with("Добрый день, Кравцов Аркадий Семёнович!"),
            "{reply}"
        );
        assert!(reply.contains("— Я заплатил 6 000 ₽ за март."), "{reply}");
        assert!(reply.contains("— Отчёт до сих пор не сдан."), "{reply}");
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
            !reply.contains("письменно"),
            "no escalation unless chosen: {reply}"
        );
        assert!(!reply.contains('{'), "every placeholder filled: {reply}");
        assert!(
            crate::reading::analyze_draft(&reply).is_clean(),
            "the draft passes its own tone check: {reply}"
        );
    }

    #[test]
    fn an_english_reply_without_insults_has_no_boundary_and_escalates_when_asked() {
        let review = facts(
            Language::En,
            &[
                (
                    "The staging site was promised for April 10.",
                    &[Label::Fact],
                ),
                ("It went up on April 21.", &[Label::Fact]),
                (
                    "Please give me a date for the final version.",
                    &[Label::Demand],
                ),
            ],
            &[Item::MissedDeadline],
            Verdict::Legitimate,
        );
        let contract = Contract {
            reference: "SA-2026-03".into(),
            terms: "§3.2 Requests by email; response within 1 business day".into(),
            termination: "§8.1 Either party may terminate with 30 days' notice".into(),
            ..Contract::default()
        };
        let input = ReplyInput {
            language: ReplyLanguage::English,
            client_name: "Derek Holloway — Holloway Heating & Air LLC",
            facts: &review,
            contract: &contract,
            escalate: true,
        };
        let reply = compose_reply(&ReplyTemplate::builtin(ReplyLanguage::English), &input);
        assert!(reply.starts_with("Hello Derek Holloway,"), "{reply}");
        assert!(
            reply.contains("- The staging site was promised for April 10."),
            "{reply}"
        );
        assert!(reply.contains("- It went up on April 21."), "{reply}");
        assert!(reply.contains("your points about the deadline"), "{reply}");
        assert!(
            !reply.contains("insults"),
            "no boundary without insults or threats: {reply}"
        );
        assert!(
            reply.contains("(SA-2026-03)") && reply.contains("§3.2"),
            "{reply}"
        );
        assert!(
            reply.contains("in writing only") && reply.contains("§8.1"),
            "{reply}"
        );
        assert!(!reply.contains('{'), "{reply}");
        assert!(crate::reading::analyze_draft(&reply).is_clean(), "{reply}");
    }

    #[test]
    fn with_no_facts_and_no_contract_the_reply_asks_for_specifics() {
        let review = facts(
            Language::En,
            &[("This is unacceptable!!!", &[Label::Emotion])],
            &[],
            Verdict::Neutral,
        );
        let contract = Contract::default();
        let input = ReplyInput {
            language: ReplyLanguage::English,
            client_name: "",
            facts: &review,
            contract: &contract,
            escalate: true,
        };
        let reply = compose_reply(&ReplyTemplate::builtin(ReplyLanguage::English), &input);
        assert!(
            reply.starts_with(
                "Hello,\n\nThank you for your message.\n\nSo that I can look into this"
            ),
            "{reply}"
        );
        assert!(!reply.contains("Under our agreement"), "{reply}");
        assert!(
            reply.contains("under the terms of the contract."),
            "{reply}"
        );
    }

    #[test]
    fn the_closing_letter_gives_the_notice_and_last_day_from_the_contract() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 4, 28).unwrap();
        let letter = compose_closing_letter(
            &ReplyTemplate::builtin(ReplyLanguage::Russian),
            "Кравцов Аркадий Семёнович — ИП",
            &contract(),
            today,
        );
        assert!(
            letter.contains("за 30 дн.") && letter.contains("2026-05-28"),
            "{letter}"
        );
        assert!(letter.contains("п. 6.1 Расторжение"), "{letter}");
        assert!(letter.contains("передам все ваши документы"), "{letter}");
        assert!(!letter.contains('{'), "{letter}");
        assert!(
            crate::reading::analyze_draft(&letter)
                .flags
                .iter()
                .all(|flag| flag.kind != crate::reading::DraftFlagKind::Insult
                    && flag.kind != crate::reading::DraftFlagKind::Threat),
            "{letter}"
        );
        let english = compose_closing_letter(
            &ReplyTemplate::builtin(ReplyLanguage::English),
            "",
            &Contract::default(),
            today,
        );
        assert!(
            english.starts_with("Hello,\n\nI have decided to end our work together.\n\n"),
            "{english}"
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
}
