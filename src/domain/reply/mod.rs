//! The reply draft, composed from the confirmed facts in the five-step shape of seed 001 and the
//! BIFF manner (brief, informative, friendly, firm): say the facts back in the user's own voice;
//! acknowledge only what she ticked herself; ask for what is missing; name the line if there were
//! insults or threats; offer what the contract allows, citing its clause; and, if she chooses,
//! move to formal ground. The closing letter for parting ways says only what the contract and the
//! runbook support. The words come from templates in `assets/reply/` (one per language), which
//! the user may override part by part with her own.

pub mod voice;

use std::collections::HashMap;

use chrono::{Datelike as _, NaiveDate};

use super::client::Contract;
use super::cooldown::FactsReview;
use super::partways::{Offboarding, OffboardingTask};
use super::plural::Counting;
use crate::reading::{Item, Label, Language, Verdict};

/// The language a reply is written in: the client's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ReplyLanguage {
    English,
    Russian,
}

impl ReplyLanguage {
    pub const ALL: [Self; 2] = [Self::English, Self::Russian];

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

    /// The language to answer a message the reader read: its own, or for a mixed message the
    /// one most of its sentences are in.
    pub fn of_reading(reading: &crate::reading::Reading) -> Self {
        let russian = reading
            .sentences
            .iter()
            .filter(|sentence| sentence.language == Language::Ru)
            .count();
        #[allow(clippy::cast_precision_loss)]
        let share = russian as f32 / reading.sentences.len().max(1) as f32;
        Self::of_message(reading.language, share)
    }

    /// A notice period as a letter in this language says it: "14 days", «14 дней», «21 день».
    pub fn notice_days(self, days: u32) -> String {
        match self {
            Self::English => Counting::English.count("{n} day|{n} days", u64::from(days)),
            Self::Russian => Counting::Russian.count("{n} день|{n} дня|{n} дней", u64::from(days)),
        }
    }

    /// A date as a letter in this language writes it: "28 May 2026", «28.05.2026».
    pub fn letter_date(self, date: NaiveDate) -> String {
        match self {
            Self::English => format!(
                "{} {} {}",
                date.day(),
                ENGLISH_MONTHS[date.month0() as usize],
                date.year()
            ),
            Self::Russian => date.format("%d.%m.%Y").to_string(),
        }
    }
}

/// Month names as English letters and invoices write them.
pub(crate) const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const BUILTIN_EN: &str = include_str!("../../../assets/reply/en.txt");
const BUILTIN_RU: &str = include_str!("../../../assets/reply/ru.txt");

/// The parts a template may have. A user's template may leave any out: calmdesk's own wording
/// stands in for it.
const KNOWN_PARTS: [&str; 26] = [
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
    "closing_letter_last_day",
    "closing_letter_termination",
    "closing_letter_handover",
    "closing_letter_invoice",
    "closing_letter_billing",
    "closing_letter_refund",
    "closing_letter_thanks",
];

/// The placeholders each part may use.
fn placeholders_of(part: &str) -> &'static [&'static str] {
    match part {
        "greeting" => &["name"],
        "fact" => &["fact"],
        "acknowledge" => &["points"],
        "offer_clause" => &["reference", "clause_name", "clause"],
        "escalate" => &["termination"],
        "reference" => &["reference"],
        "termination_clause" | "closing_letter_termination" => &["termination"],
        // `{notice}` is the period in words ("14 days", «14 дней»); `{days}` the bare number, which
        // templates written before `{notice}` existed still use.
        "closing_letter_notice" => &["reference", "notice", "days", "end_date"],
        "closing_letter_last_day" => &["end_date"],
        "closing_letter_refund" => &["refund"],
        _ => &[],
    }
}

/// A reply template: named parts with `{placeholders}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyTemplate {
    parts: HashMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("line {0} is not `name = text`")]
    Malformed(usize),
    #[error("line {line}: there is no part called `{name}`")]
    UnknownPart { line: usize, name: String },
    #[error("line {line}: `{{{placeholder}}}` cannot be filled in this part")]
    UnknownPlaceholder { line: usize, placeholder: String },
}

fn is_known_part(name: &str) -> bool {
    KNOWN_PARTS.contains(&name)
        || name
            .strip_prefix("point.")
            .and_then(Item::from_id)
            .is_some_and(Item::is_legitimate)
}

impl ReplyTemplate {
    /// Parses a template (the format of `assets/reply/*.txt`): every line a known part, every
    /// placeholder one that part can fill.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once(" = ")
                .ok_or(TemplateError::Malformed(number))?;
            let name = name.trim();
            if !is_known_part(name) {
                return Err(TemplateError::UnknownPart {
                    line: number,
                    name: name.to_owned(),
                });
            }
            let allowed = placeholders_of(name);
            for (start, _) in value.match_indices('{') {
                let placeholder = value[start + 1..]
                    .split_once('}')
                    .map_or("", |(inside, _)| inside);
                if !allowed.contains(&placeholder) {
                    return Err(TemplateError::UnknownPlaceholder {
                        line: number,
                        placeholder: placeholder.to_owned(),
                    });
                }
            }
            parts.insert(name.to_owned(), value.to_owned());
        }
        Ok(Self { parts })
    }

    /// The template that ships with calmdesk.
    pub fn builtin(language: ReplyLanguage) -> Self {
        // A test proves both built-in templates parse and have every part.
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

    /// The user's own parts where she saved a template that parses, calmdesk's for the rest.
    pub fn user_or_builtin(language: ReplyLanguage, user_text: Option<&str>) -> Self {
        let mut template = Self::builtin(language);
        if let Some(user) = user_text.and_then(|text| Self::parse(text).ok()) {
            template.parts.extend(user.parts);
        }
        template
    }

    /// The settings key under which the user's template for `language` is stored.
    pub fn setting_key(language: ReplyLanguage) -> &'static str {
        match language {
            ReplyLanguage::English => "reply_template.en",
            ReplyLanguage::Russian => "reply_template.ru",
        }
    }

    /// The parts calmdesk's template has that this one does not.
    pub fn missing_parts(&self) -> Vec<&'static str> {
        KNOWN_PARTS
            .into_iter()
            .filter(|name| !self.parts.contains_key(*name))
            .collect()
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

    pub(crate) fn greeting(&self, contact_person: &str) -> String {
        let name = contact_person.trim();
        if name.is_empty() {
            self.part("greeting_anonymous").to_owned()
        } else {
            self.fill("greeting", &[("name", name)])
        }
    }

    /// "Kind regards," and the user's name and business under it.
    pub(crate) fn sign_off(&self, signature: &Signature) -> String {
        let mut lines = vec![self.part("closing").to_owned()];
        lines.extend(
            [&signature.name, &signature.business]
                .into_iter()
                .map(|line| line.trim())
                .filter(|line| !line.is_empty())
                .map(str::to_owned),
        );
        lines.join("\n")
    }

    fn reference(&self, contract: &Contract) -> String {
        let reference = contract.reference.trim();
        if reference.is_empty() {
            String::new()
        } else {
            self.fill("reference", &[("reference", reference)])
        }
    }
}

/// The reply templates in use, one per language: the user's parts where she saved them, else
/// calmdesk's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Templates {
    pub english: ReplyTemplate,
    pub russian: ReplyTemplate,
}

impl Default for Templates {
    fn default() -> Self {
        Self {
            english: ReplyTemplate::builtin(ReplyLanguage::English),
            russian: ReplyTemplate::builtin(ReplyLanguage::Russian),
        }
    }
}

impl Templates {
    pub fn get(&self, language: ReplyLanguage) -> &ReplyTemplate {
        match language {
            ReplyLanguage::English => &self.english,
            ReplyLanguage::Russian => &self.russian,
        }
    }
}

/// The user's name and business, signed under every draft (from Settings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub business: String,
}

impl Signature {
    pub const NAME_KEY: &'static str = "signature.name";
    pub const BUSINESS_KEY: &'static str = "signature.business";

    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.business.trim().is_empty()
    }
}

/// What the reply is built from.
#[derive(Clone, Debug)]
pub struct ReplyInput<'a> {
    pub language: ReplyLanguage,
    /// Who the letter is to: the client's contact person ("Derek", «Ирина Петровна»).
    pub contact_person: &'a str,
    pub facts: &'a FactsReview,
    pub contract: &'a Contract,
    /// The user chose to move the exchange to formal ground.
    pub escalate: bool,
    pub signature: &'a Signature,
}

/// Composes the draft. Every confirmed fact appears; the acknowledgement names only the items
/// the user ticked; the boundary sentence appears only when insults or threats were confirmed;
/// a clause is cited when the contract has the one that fits.
pub fn compose_reply(template: &ReplyTemplate, input: &ReplyInput<'_>) -> String {
    let facts = input.facts;
    let mut paragraphs: Vec<String> = vec![template.greeting(input.contact_person)];

    let confirmed: Vec<&str> = facts
        .facts()
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
        .items()
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
        || matches!(facts.verdict(), Verdict::Pressure | Verdict::Mixed)
        || (facts.count(Label::Demand) > 0 && points.is_empty());
    if needs_specifics {
        paragraphs.push(template.part("ask_specifics").to_owned());
    }

    if facts.crossed_line() {
        paragraphs.push(template.part("boundary").to_owned());
    }

    let mut offer = String::new();
    if let Some((clause_name, clause)) = clause_to_cite(input.contract, facts) {
        offer = template.fill(
            "offer_clause",
            &[
                ("reference", &template.reference(input.contract)),
                ("clause_name", template.part(clause_name)),
                // The template closes the quotation with its own full stop.
                ("clause", clause.trim_end_matches(['.', ';', ' '])),
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

    paragraphs.push(template.sign_off(input.signature));
    paragraphs.join("\n\n")
}

/// The reply the session's confirmed facts give, for this client, with the user's templates
/// and signature: what the Reply step starts from and what "Rebuild" returns to.
pub fn draft_for(
    session: &super::cooldown::CoolDown,
    client: &super::client::Client,
    templates: &Templates,
    signature: &Signature,
) -> String {
    let language = session.facts().reply_language();
    compose_reply(
        templates.get(language),
        &ReplyInput {
            language,
            contact_person: &client.contact_person,
            facts: session.facts(),
            contract: &client.contract,
            escalate: session.escalate(),
            signature,
        },
    )
}

/// What the closing letter is built from.
#[derive(Clone, Debug)]
pub struct ClosingLetterInput<'a> {
    pub language: ReplyLanguage,
    pub contact_person: &'a str,
    pub contract: &'a Contract,
    /// The runbook as the user left it: a step marked as not applying is not promised.
    pub offboarding: &'a Offboarding,
    /// The last working day, when it lies ahead (see [`Offboarding::effective_ending`]).
    pub last_day: Option<NaiveDate>,
    pub today: NaiveDate,
    pub signature: &'a Signature,
}

/// The polite closing letter when parting ways. It says only what the contract and the user's
/// choices support: the last day (from the runbook's ending date, with the notice period when the
/// contract has one), the termination terms, and hand-over, final invoice, the end of recurring
/// billing and a refund only where those steps apply (a refund only with a refund clause).
pub fn compose_closing_letter(template: &ReplyTemplate, input: &ClosingLetterInput<'_>) -> String {
    let contract = input.contract;
    let offboarding = input.offboarding;
    let mut paragraphs = vec![template.greeting(input.contact_person)];
    let mut decision = template.part("closing_letter_intro").to_owned();
    let last_day = input.last_day.filter(|day| *day > input.today);
    if let Some(day) = last_day {
        let end_date = input.language.letter_date(day);
        decision.push(' ');
        match contract.notice_period_days.filter(|days| *days > 0) {
            Some(days) => decision.push_str(&template.fill(
                "closing_letter_notice",
                &[
                    ("reference", &template.reference(contract)),
                    ("notice", &input.language.notice_days(days)),
                    ("days", &days.to_string()),
                    ("end_date", &end_date),
                ],
            )),
            None => decision
                .push_str(&template.fill("closing_letter_last_day", &[("end_date", &end_date)])),
        }
    }
    if !contract.termination.trim().is_empty() {
        decision.push(' ');
        decision.push_str(&template.fill(
            "closing_letter_termination",
            &[("termination", contract.termination.trim())],
        ));
    }
    paragraphs.push(decision);

    let mut practical = Vec::new();
    for (task, part) in [
        (OffboardingTask::HandOver, "closing_letter_handover"),
        (OffboardingTask::FinalInvoice, "closing_letter_invoice"),
        (
            OffboardingTask::StopRecurringBilling,
            "closing_letter_billing",
        ),
    ] {
        if offboarding.applies(task) {
            practical.push(template.part(part).to_owned());
        }
    }
    let refund = contract.refund.trim();
    if offboarding.applies(OffboardingTask::RefundUnused) && !refund.is_empty() {
        practical.push(template.fill("closing_letter_refund", &[("refund", refund)]));
    }
    if !practical.is_empty() {
        paragraphs.push(practical.join(" "));
    }
    paragraphs.push(template.part("closing_letter_thanks").to_owned());
    paragraphs.push(template.sign_off(input.signature));
    paragraphs.join("\n\n")
}

/// The clause that answers what the client asks for: the refund clause for money back, the
/// scope for extra or redone work, the terms otherwise. Citing a clause admits nothing, so a
/// pressure item the reader suggested counts here even when the user left it unticked.
fn clause_to_cite<'a>(
    contract: &'a Contract,
    facts: &FactsReview,
) -> Option<(&'static str, &'a str)> {
    let asks_for = |item: Item| facts.is_ticked(item) || facts.is_suggested(item);
    let wants_money = facts.money_demanded() || asks_for(Item::RefundAfterTerm);
    let wants_more = [
        Item::RedoDespiteBrief,
        Item::MoreBonusesOrTime,
        Item::PersonalAttention,
        Item::OutsideRules,
    ]
    .into_iter()
    .any(asks_for);
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
mod tests;
