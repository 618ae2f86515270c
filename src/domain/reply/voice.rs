//! Saying the client's facts back in the user's own voice.
//!
//! A reply that restates "I paid for March" word for word has the user claim she paid; one that
//! restates "the report was never filed" has her admit it. So a fact sentence is said back in one
//! of two ways, or not at all:
//! - the client's own circumstances, in the first person, are turned to the second person where
//!   that is safe ("I got a penalty letter" → "You got a penalty letter", «Я заплатил» → «Вы
//!   заплатили»);
//! - anything else is attributed to the client ("You wrote that the report was not filed.",
//!   «Вы пишете, что отчёт не сдан.»), or quoted when turning it would garble the grammar;
//! - a sentence that speaks about the user herself ("you", «вы») or judges ("messed up",
//!   «безобразие») is an accusation or an evaluation, never a fact to restate: the user answers it
//!   with her own facts instead.

use super::ReplyLanguage;

/// Returns the sentence said back in the user's voice, or `None` when it must not be restated.
pub fn restate(sentence: &str, language: ReplyLanguage) -> Option<String> {
    let sentence = sentence.trim();
    if sentence.is_empty() {
        return None;
    }
    let words = words(sentence);
    let lexicon = Lexicon::of(language);
    let lowered: Vec<String> = words.iter().map(|word| word.text.to_lowercase()).collect();
    // Words in quotation marks inside a claim are the client's irony ("I \"approved\" it"):
    // said back as the user's own, they would mock someone.
    let has_scare_quotes = sentence.contains(['"', '“', '”', '«', '»']);
    if has_scare_quotes
        || lowered.iter().any(|word| lexicon.is_second_person(word))
        || lexicon.opens_with_an_order(&lowered)
        || lowered.iter().any(|word| lexicon.is_evaluative(word))
        || lexicon.has_evaluative_phrase(&sentence.to_lowercase())
    {
        return None;
    }
    let body = plain_ending(sentence);
    let has_first_person = words
        .iter()
        .zip(&lowered)
        .any(|(word, lower)| lexicon.first_person(lower, word.text).is_some());
    if !has_first_person {
        return Some(lexicon.reported(&lower_first(body)));
    }
    // "Don't call me", «Не звоните мне»: an order with the client as its object only. Turned,
    // it would read "Don't call you"; quoted, it stays what it is.
    if !lexicon.has_speaker(&lowered) {
        return Some(lexicon.quoted(sentence));
    }
    match turn_to_second_person(sentence, &words, &lowered, &lexicon) {
        Some(turned) => Some(ensure_full_stop(&turned)),
        None => Some(lexicon.quoted(sentence)),
    }
}

/// A word of the sentence with its byte span.
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn words(sentence: &str) -> Vec<Word<'_>> {
    let mut found = Vec::new();
    let mut start = None;
    let is_word_char = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    for (index, c) in sentence.char_indices() {
        match (start, is_word_char(c)) {
            (None, true) => start = Some(index),
            (Some(begin), false) => {
                found.push(Word {
                    start: begin,
                    end: index,
                    text: &sentence[begin..index],
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(begin) = start {
        found.push(Word {
            start: begin,
            end: sentence.len(),
            text: &sentence[begin..],
        });
    }
    found
}

/// The sentence without its closing punctuation ("!", "?!", "...").
fn plain_ending(sentence: &str) -> &str {
    sentence.trim_end_matches(['.', '!', '?', '…', ' '])
}

fn ensure_full_stop(sentence: &str) -> String {
    format!("{}.", plain_ending(sentence))
}

/// "The report…" → "the report…", but "HMRC…", "I…" and "iPhone…" keep their case.
fn lower_first(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or("");
    let letters: Vec<char> = first_word.chars().filter(|c| c.is_alphabetic()).collect();
    let is_acronym = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_uppercase() && !is_acronym && first_word != "I" => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// Replaces each first-person word with its second-person form and makes the verbs agree.
/// `None` when a verb cannot be made to agree safely (Russian present tense, "I am" forms that
/// are not listed): the caller then quotes the sentence instead.
fn turn_to_second_person(
    sentence: &str,
    words: &[Word<'_>],
    lowered: &[String],
    lexicon: &Lexicon,
) -> Option<String> {
    // (start, end, new text, is a pronoun): pronouns take the polite capital, verbs never.
    let mut replacements: Vec<(usize, usize, String, bool)> = Vec::new();
    for (index, (word, lower)) in words.iter().zip(lowered).enumerate() {
        let Some(replacement) = lexicon.first_person(lower, word.text) else {
            continue;
        };
        replacements.push((word.start, word.end, replacement.to_owned(), true));
        if lexicon.is_subject(lower) {
            // The verb that goes with "I" / «я» / «мы» must agree with "you" / «вы».
            let verb = lexicon.agree_verb(&words[index + 1..], &lowered[index + 1..])?;
            if let Some((start, end, text)) = verb {
                replacements.push((start, end, text, false));
            }
        }
    }
    replacements.sort_by_key(|(start, ..)| *start);
    let mut turned = String::with_capacity(sentence.len() + 8);
    let mut cursor = 0;
    for (start, end, text, is_pronoun) in replacements {
        if start < cursor {
            continue;
        }
        turned.push_str(&sentence[cursor..start]);
        let text = if start == 0 || (is_pronoun && lexicon.capitalises_you()) {
            capitalise(&text)
        } else {
            text
        };
        turned.push_str(&text);
        cursor = end;
    }
    turned.push_str(&sentence[cursor..]);
    Some(turned)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One language's pronouns and the words that make a sentence an evaluation.
struct Lexicon {
    language: ReplyLanguage,
}

/// A verb change: the span to replace and its new text; `Ok(None)` when nothing needs changing.
type VerbChange = Option<(usize, usize, String)>;

const EN_FIRST_PERSON: &[(&str, &str)] = &[
    ("i", "you"),
    ("me", "you"),
    ("my", "your"),
    ("mine", "yours"),
    ("myself", "yourself"),
    ("we", "you"),
    ("us", "you"),
    ("our", "your"),
    ("ours", "yours"),
    ("ourselves", "yourselves"),
    ("i'm", "you're"),
    ("i’m", "you’re"),
    ("i've", "you've"),
    ("i’ve", "you’ve"),
    ("i'll", "you'll"),
    ("i’ll", "you’ll"),
    ("i'd", "you'd"),
    ("i’d", "you’d"),
    ("we're", "you're"),
    ("we've", "you've"),
    ("we'll", "you'll"),
    ("we'd", "you'd"),
];

const EN_SECOND_PERSON: &[&str] = &[
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "you're",
    "you’re",
    "you've",
    "you’ve",
    "you'll",
    "you’ll",
    "you'd",
    "you’d",
    "ya",
    "u",
    "ur",
    "y'all",
];

/// Words that judge rather than tell: a sentence with one is not restated as a fact.
const EN_EVALUATIVE: &[&str] = &[
    "messed",
    "screwed",
    "botched",
    "incompetent",
    "incompetence",
    "unprofessional",
    "useless",
    "terrible",
    "awful",
    "horrible",
    "ridiculous",
    "unacceptable",
    "disgrace",
    "disgraceful",
    "pathetic",
    "shameful",
    "outrageous",
    "scam",
    "fraud",
    "worst",
    "lazy",
    "sloppy",
    "careless",
    "stupid",
    "idiotic",
    "joke",
    "nonsense",
    "garbage",
    "rubbish",
];

const EN_EVALUATIVE_PHRASES: &[&str] = &["second time", "third time", "yet again", "as usual"];

const RU_FIRST_PERSON: &[(&str, &str)] = &[
    ("я", "вы"),
    ("меня", "вас"),
    ("мне", "вам"),
    ("мной", "вами"),
    ("мною", "вами"),
    ("мой", "ваш"),
    ("моя", "ваша"),
    ("моё", "ваше"),
    ("мое", "ваше"),
    ("мои", "ваши"),
    ("моего", "вашего"),
    ("моей", "вашей"),
    ("моему", "вашему"),
    ("моим", "вашим"),
    ("моих", "ваших"),
    ("моими", "вашими"),
    ("мою", "вашу"),
    ("мы", "вы"),
    ("нас", "вас"),
    ("нам", "вам"),
    ("нами", "вами"),
    ("наш", "ваш"),
    ("наша", "ваша"),
    ("наше", "ваше"),
    ("наши", "ваши"),
    ("нашего", "вашего"),
    ("нашей", "вашей"),
    ("нашему", "вашему"),
    ("нашим", "вашим"),
    ("наших", "ваших"),
    ("нашими", "вашими"),
    ("нашу", "вашу"),
];

const RU_SECOND_PERSON: &[&str] = &[
    "вы",
    "вас",
    "вам",
    "вами",
    "ваш",
    "ваша",
    "ваше",
    "ваши",
    "вашего",
    "вашей",
    "вашему",
    "вашим",
    "ваших",
    "вашими",
    "вашу",
    "ты",
    "тебя",
    "тебе",
    "тобой",
    "твой",
    "твоя",
    "твоё",
    "твое",
    "твои",
    "твоего",
    "твоей",
    "твоему",
    "твоим",
    "твоих",
    "твою",
];

/// Beginnings of Russian words that judge rather than tell.
const RU_EVALUATIVE_STEMS: &[&str] = &[
    "накосяч",
    "косяч",
    "безобраз",
    "ужасн",
    "кошмар",
    "непрофессионал",
    "некомпетент",
    "халтур",
    "бардак",
    "позор",
    "отвратит",
    "бестолк",
    "безответствен",
    "наплеват",
    "издевател",
    "мошенн",
    "развод",
    "обман",
    "идиот",
    "дурдом",
    "хамств",
    "бездар",
    "лентя",
    "никчём",
    "никчем",
];

const RU_EVALUATIVE_WORDS: &[&str] = &["опять", "снова"];

const RU_EVALUATIVE_PHRASES: &[&str] = &["в очередной раз", "второй раз", "как всегда"];

/// Little words that may stand between «я» and its verb.
const RU_BETWEEN: &[&str] = &[
    "уже",
    "так",
    "и",
    "не",
    "ещё",
    "еще",
    "только",
    "всё",
    "все",
    "вчера",
    "сегодня",
    "давно",
    "тоже",
    "же",
    "ведь",
    "сам",
    "сама",
    "лично",
    "честно",
    "вовремя",
    "заранее",
    "сразу",
];

impl Lexicon {
    fn of(language: ReplyLanguage) -> Self {
        Self { language }
    }

    fn is_second_person(&self, lower: &str) -> bool {
        match self.language {
            ReplyLanguage::English => EN_SECOND_PERSON.contains(&lower),
            ReplyLanguage::Russian => RU_SECOND_PERSON.contains(&lower),
        }
    }

    /// An order opening the sentence, addressed to the user: «Пришлите…», «Не звоните…»,
    /// «Пожалуйста, верните…». (Only at the start: «на сайте» ends the same way.)
    fn opens_with_an_order(&self, lowered: &[String]) -> bool {
        if self.language != ReplyLanguage::Russian {
            return false;
        }
        lowered
            .iter()
            .find(|word| !matches!(word.as_str(), "не" | "пожалуйста" | "срочно" | "просто"))
            .is_some_and(|word| {
                word.chars().count() > 4 && (word.ends_with("ите") || word.ends_with("йте"))
            })
    }

    fn is_evaluative(&self, lower: &str) -> bool {
        match self.language {
            ReplyLanguage::English => EN_EVALUATIVE.contains(&lower),
            ReplyLanguage::Russian => {
                RU_EVALUATIVE_WORDS.contains(&lower)
                    || RU_EVALUATIVE_STEMS
                        .iter()
                        .any(|stem| lower.starts_with(stem))
            }
        }
    }

    fn has_evaluative_phrase(&self, lowered_sentence: &str) -> bool {
        let phrases = match self.language {
            ReplyLanguage::English => EN_EVALUATIVE_PHRASES,
            ReplyLanguage::Russian => RU_EVALUATIVE_PHRASES,
        };
        phrases
            .iter()
            .any(|phrase| lowered_sentence.contains(phrase))
    }

    /// The second-person form of a first-person word, if it is one. "US" in capitals is the
    /// country, not "us".
    fn first_person(&self, lower: &str, original: &str) -> Option<&'static str> {
        let table = match self.language {
            ReplyLanguage::English => EN_FIRST_PERSON,
            ReplyLanguage::Russian => RU_FIRST_PERSON,
        };
        if self.language == ReplyLanguage::English && original == "US" {
            return None;
        }
        table
            .iter()
            .find(|(first, _)| *first == lower)
            .map(|(_, second)| *second)
    }

    /// The client speaks of themselves as the one who did or has something: a subject ("I",
    /// «я», «мы») anywhere, or a possessive or experiencer opening the sentence ("My invoice…",
    /// «Мне пришло…»).
    fn has_speaker(&self, lowered: &[String]) -> bool {
        let openers: &[&str] = match self.language {
            ReplyLanguage::English => &["my", "our"],
            ReplyLanguage::Russian => &[
                "мне", "меня", "мой", "моя", "моё", "мое", "мои", "нам", "нас", "наш", "наша",
                "наше", "наши",
            ],
        };
        lowered
            .iter()
            .any(|word| self.is_subject(word) || self.is_contracted_subject(word))
            || lowered
                .first()
                .is_some_and(|first| openers.contains(&first.as_str()))
    }

    /// "I'm", "we've": a subject and its verb in one word, already agreeing once turned.
    fn is_contracted_subject(&self, lower: &str) -> bool {
        self.language == ReplyLanguage::English
            && (lower.starts_with("i'")
                || lower.starts_with("i’")
                || lower.starts_with("we'")
                || lower.starts_with("we’"))
    }

    /// Words after which the verb must agree ("I was" → "you were", «я заплатил» → «вы заплатили»).
    fn is_subject(&self, lower: &str) -> bool {
        match self.language {
            ReplyLanguage::English => matches!(lower, "i" | "we"),
            ReplyLanguage::Russian => matches!(lower, "я" | "мы"),
        }
    }

    /// Polite Russian capitalises «Вы» in a letter to one person; English does not.
    fn capitalises_you(&self) -> bool {
        self.language == ReplyLanguage::Russian
    }

    /// Makes the verb after a subject agree with "you". `None` when it cannot be done safely.
    fn agree_verb(&self, words: &[Word<'_>], lowered: &[String]) -> Option<VerbChange> {
        match self.language {
            ReplyLanguage::English => Some(english_verb(words, lowered)),
            ReplyLanguage::Russian => russian_verb(words, lowered),
        }
    }

    fn reported(&self, clause: &str) -> String {
        match self.language {
            ReplyLanguage::English => format!("You wrote that {clause}."),
            ReplyLanguage::Russian => format!("Вы пишете, что {clause}."),
        }
    }

    fn quoted(&self, sentence: &str) -> String {
        match self.language {
            ReplyLanguage::English => format!("You wrote: \"{sentence}\""),
            ReplyLanguage::Russian => format!("Вы написали: «{sentence}»"),
        }
    }
}

/// English verbs agree with "you" except the forms of "be".
fn english_verb(words: &[Word<'_>], lowered: &[String]) -> VerbChange {
    let (index, lower) = lowered.iter().enumerate().take(3).find(|(_, lower)| {
        matches!(
            lower.as_str(),
            "am" | "was" | "wasn't" | "wasn’t" | "were" | "weren't" | "are"
        )
    })?;
    let replacement = match lower.as_str() {
        "am" => "are",
        "was" => "were",
        "wasn't" => "weren't",
        "wasn’t" => "weren’t",
        _ => return None,
    };
    // Only when nothing but an adverb stands between: "I just was", "I am", not "I said it was".
    let between_ok = lowered[..index]
        .iter()
        .all(|word| matches!(word.as_str(), "just" | "really" | "also" | "still" | "only"));
    between_ok.then(|| {
        let word = &words[index];
        (word.start, word.end, replacement.to_owned())
    })
}

/// Russian: the past tense agrees by turning «-л/-ла/-ло» into «-ли» (and «-лся/-лась» into
/// «-лись»); a present or future first-person form («жду», «ждём») does not turn safely, so it
/// refuses. A clause with no verb at all («Я в отпуске») needs no change.
fn russian_verb(words: &[Word<'_>], lowered: &[String]) -> Option<VerbChange> {
    const PAST: [(&str, &str); 7] = [
        ("лся", "лись"),
        ("лась", "лись"),
        ("лось", "лись"),
        ("ла", "ли"),
        ("ло", "ли"),
        ("л", "ли"),
        ("ли", "ли"),
    ];
    const PRESENT_FIRST_PERSON: [&str; 7] = ["юсь", "усь", "ю", "у", "ем", "ём", "им"];
    for (word, lower) in words.iter().zip(lowered).take(6) {
        if RU_BETWEEN.contains(&lower.as_str()) || lower.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let length = lower.chars().count();
        if let Some((ending, plural)) = PAST
            .iter()
            .find(|(ending, _)| lower.ends_with(ending) && length >= ending.chars().count() + 2)
        {
            let cut = word.text.len() - ending.len();
            return Some(Some((
                word.start,
                word.end,
                format!("{}{plural}", &word.text[..cut]),
            )));
        }
        if PRESENT_FIRST_PERSON
            .iter()
            .any(|ending| lower.ends_with(ending))
        {
            return None;
        }
    }
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(sentence: &str) -> Option<String> {
        restate(sentence, ReplyLanguage::English)
    }

    fn ru(sentence: &str) -> Option<String> {
        restate(sentence, ReplyLanguage::Russian)
    }

    #[test]
    fn the_clients_own_circumstances_are_said_back_in_the_second_person() {
        assert_eq!(
            en("I just got a penalty letter from HMRC for the late VAT return.").as_deref(),
            Some("You just got a penalty letter from HMRC for the late VAT return.")
        );
        assert_eq!(
            en("I was at the tax office on Monday!").as_deref(),
            Some("You were at the tax office on Monday.")
        );
        assert_eq!(
            en("We sent our receipts on 3 March.").as_deref(),
            Some("You sent your receipts on 3 March.")
        );
        assert_eq!(
            ru("Я заплатил 6 000 ₽ за март.").as_deref(),
            Some("Вы заплатили 6 000 ₽ за март.")
        );
        assert_eq!(
            ru("Я уже два раза звонила в налоговую.").as_deref(),
            Some("Вы уже два раза звонили в налоговую.")
        );
        assert_eq!(
            ru("Мне пришло требование из налоговой.").as_deref(),
            Some("Вам пришло требование из налоговой.")
        );
    }

    #[test]
    fn claims_without_a_person_are_attributed_to_the_client() {
        assert_eq!(
            en("The declaration was not filed on time.").as_deref(),
            Some("You wrote that the declaration was not filed on time.")
        );
        assert_eq!(
            en("HMRC fined the company £400.").as_deref(),
            Some("You wrote that HMRC fined the company £400.")
        );
        assert_eq!(
            ru("Декларация так и не сдана.").as_deref(),
            Some("Вы пишете, что декларация так и не сдана.")
        );
    }

    #[test]
    fn accusations_and_evaluations_are_never_restated() {
        assert_eq!(en("This is the second time you have messed up."), None);
        assert_eq!(en("Your invoice arrived on the 5th."), None);
        assert_eq!(en("The whole thing was a total joke."), None);
        assert_eq!(ru("Вы опять не сдали отчёт."), None);
        assert_eq!(ru("Отчёт опять не сдан."), None);
        assert_eq!(ru("Это безобразие, а не бухгалтерия."), None);
    }

    #[test]
    fn a_verb_that_cannot_agree_safely_is_quoted_instead() {
        assert_eq!(
            ru("Я жду отчёт уже неделю.").as_deref(),
            Some("Вы написали: «Я жду отчёт уже неделю.»")
        );
        assert_eq!(
            en("I said it was fine.").as_deref(),
            Some("You said it was fine."),
            "only 'be' right after the subject changes"
        );
    }

    #[test]
    fn an_order_with_the_client_as_its_object_is_quoted_not_turned() {
        assert_eq!(
            en("Don't call me before noon.").as_deref(),
            Some("You wrote: \"Don't call me before noon.\"")
        );
        assert_eq!(
            ru("Не звоните мне до обеда."),
            None,
            "addressed to the user"
        );
        assert_eq!(
            en("My invoice was paid on 3 May.").as_deref(),
            Some("Your invoice was paid on 3 May.")
        );
    }

    #[test]
    fn words_in_quotation_marks_are_irony_not_a_fact() {
        assert_eq!(en("Yes I \"approved\" the mock-ups."), None);
        assert_eq!(ru("Я «согласовал» макет за минуту."), None);
    }

    #[test]
    fn the_country_is_not_a_pronoun() {
        assert_eq!(
            en("The parcel went to the US in May.").as_deref(),
            Some("You wrote that the parcel went to the US in May.")
        );
    }
}
