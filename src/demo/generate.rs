//! A large, realistic journal for measuring calmdesk at scale (`calmdesk gen-demo`): 40
//! clients, one of them with a tenth of the entries, Russian and English mail of 200–2 000
//! characters with a Zipf-like vocabulary whose words come in several forms (as search meets
//! them in real mail), both directions and notes, minutes, dates spread over
//! years up to "now". Seeded and deterministic: the same seed, count and "now" give the same
//! clients, texts, times and minutes (the stable ids stay random, as everywhere in calmdesk).
//! Also the text generator the benchmarks share ([`Text`]).

use chrono::{DateTime, Datelike as _, Duration, Utc, Weekday};

use super::DemoError;
use crate::domain::{
    BillingPeriod, Channel, ClientDraft, ClientId, ClientKind, Contract, Currency, Direction,
    ExchangeDraft, Minutes, Money, StatusChange,
};
use crate::store::{NewEntry, Store};

/// Domain words of English mail, most common first.
pub const WORDS_EN: &[&str] = &[
    "invoice", "refund", "deadline", "report", "contract", "payment", "please", "urgent", "review",
    "meeting", "website", "design", "logo", "tax", "return", "monday", "friday", "lawyer", "scope",
    "change", "again", "thanks", "staging", "mockup", "approved", "late", "money", "month",
    "access", "backup",
];

/// Domain words of Russian mail, most common first.
pub const WORDS_RU: &[&str] = &[
    "отчёт",
    "декларация",
    "деньги",
    "верните",
    "срок",
    "договор",
    "оплата",
    "пожалуйста",
    "срочно",
    "налоговая",
    "выписка",
    "документы",
    "сегодня",
    "завтра",
    "понедельник",
    "пятница",
    "юрист",
    "отзыв",
    "претензия",
    "счёт",
    "квартал",
    "спасибо",
    "звонок",
    "опять",
    "жалоба",
    "возврат",
    "акт",
    "сверка",
    "банк",
    "первичка",
];

/// The short words every sentence is made of, most common first.
const GLUE_EN: &[&str] = &[
    "the", "to", "and", "you", "we", "is", "for", "it", "on", "this", "that", "not", "with",
    "your", "have", "be", "as", "are", "was", "can", "will", "at", "but", "me", "all", "from",
    "our", "still", "when", "why",
];
const GLUE_RU: &[&str] = &[
    "и",
    "в",
    "не",
    "что",
    "на",
    "я",
    "с",
    "вы",
    "это",
    "по",
    "мы",
    "как",
    "но",
    "за",
    "когда",
    "уже",
    "так",
    "вас",
    "от",
    "все",
    "мне",
    "до",
    "ещё",
    "если",
    "нам",
    "почему",
    "только",
    "был",
    "для",
    "же",
];

/// The endings a Russian word of mail takes in place of its last letter, by that letter (case
/// and number endings of the declension the letter suggests), the dictionary form first; then
/// those added to a word that ends otherwise; then the English ones (plural, past, participle).
const ENDINGS_RU: &[(&str, &[&str])] = &[
    ("я", &["я", "и", "ю", "ей", "ям", "ями", "ях"]),
    ("а", &["а", "ы", "у", "ой", "е", "ам", "ами", "ах"]),
    ("о", &["о", "а", "у", "ом", "е", "ам", "ах"]),
    ("ь", &["ь", "и", "ю", "ей", "ям", "ями"]),
];
const ENDINGS_RU_HARD: &[&str] = &["", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"];
const ENDINGS_EN: &[&str] = &["", "s", "ed", "ing"];

impl Text {
    /// A rank in `0..count`, the first the most likely (`zipf` never gives its last rank).
    fn ending_rank(&mut self, count: usize) -> usize {
        self.zipf(count + 1)
    }

    /// `word` in one of its forms, the dictionary form the most common ("декларация",
    /// «декларацию», «декларацией»; "invoice", "invoices", "invoicing").
    fn inflect(&mut self, word: &str, russian: bool) -> String {
        if russian {
            let last = word.chars().last().map(String::from).unwrap_or_default();
            let (stem, endings) = ENDINGS_RU
                .iter()
                .find(|(letter, _)| *letter == last && word.chars().count() > 3)
                .map_or((word, ENDINGS_RU_HARD), |(letter, endings)| {
                    (&word[..word.len() - letter.len()], *endings)
                });
            return format!("{stem}{}", endings[self.ending_rank(endings.len())]);
        }
        match ENDINGS_EN[self.ending_rank(ENDINGS_EN.len())] {
            "" => word.to_owned(),
            ending => {
                // "invoice" + "ing" is "invoicing", "invoice" + "s" is "invoices".
                let stem = match word.strip_suffix('e') {
                    Some(stem) if ending != "s" => stem,
                    _ => word,
                };
                format!("{stem}{ending}")
            }
        }
    }
}

const GREETINGS_EN: &[&str] = &["Hello", "Hi", "Hey", "Good morning"];
const GREETINGS_RU: &[&str] = &["Здравствуйте", "Добрый день", "Привет", "Доброе утро"];
const SIGN_OFFS_EN: &[&str] = &["Regards", "Thanks", "Best", "Waiting for your answer"];
const SIGN_OFFS_RU: &[&str] = &["С уважением", "Спасибо", "Жду ответа", "Всего доброго"];

/// Shortest and longest generated mail, in characters.
pub const MIN_CHARS: usize = 200;
pub const MAX_CHARS: usize = 2_000;

/// A deterministic text generator (xorshift), so every run makes the same data. Words follow a
/// Zipf-like law as in real mail: a few very common ones, a long tail of rare ones, and the
/// domain words above mixed in at a realistic rate.
pub struct Text {
    state: u64,
    vocabulary: Vec<String>,
}

impl Default for Text {
    fn default() -> Self {
        Self::new()
    }
}

impl Text {
    /// The benchmarks' generator: always the same sequence.
    pub fn new() -> Self {
        Self::from_state(0x9E37_79B9_7F4A_7C15)
    }

    /// A generator of its own for `seed` (any value, 0 included).
    pub fn with_seed(seed: u64) -> Self {
        // splitmix64: spreads small seeds over the state; xorshift needs a state that is not 0.
        let mut mixed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^= mixed >> 31;
        Self::from_state(if mixed == 0 { 1 } else { mixed })
    }

    fn from_state(state: u64) -> Self {
        let syllables_en = [
            "ka", "lo", "mi", "ner", "pa", "sto", "ri", "ven", "tal", "bo", "qui", "dra",
        ];
        let syllables_ru = [
            "ка", "ло", "ми", "нер", "па", "сто", "ри", "вен", "тал", "бо", "гру", "дра",
        ];
        let mut text = Self {
            state,
            vocabulary: Vec::new(),
        };
        for index in 0..6_000 {
            let syllables = if index % 2 == 0 {
                &syllables_en
            } else {
                &syllables_ru
            };
            let length = 2 + text.below(3);
            let word: String = (0..length).map(|_| syllables[text.below(12)]).collect();
            text.vocabulary.push(word);
        }
        text
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() % 1_000_000) as f64 / 1_000_000.0
    }

    /// A rank drawn from an approximately Zipf distribution over `size` items.
    pub fn zipf(&mut self, size: usize) -> usize {
        let uniform = self.unit();
        ((size as f64).powf(uniform) - 1.0) as usize % size
    }

    /// 20 to 59 words of both scripts' vocabulary with the language's domain words (the
    /// benchmarks' message: its output is kept as it was).
    pub fn message(&mut self, russian: bool) -> String {
        let domain = if russian { WORDS_RU } else { WORDS_EN };
        let count = 20 + self.below(40);
        (0..count)
            .map(|_| {
                if self.next_u64().is_multiple_of(12) {
                    domain[self.zipf(domain.len())].to_owned()
                } else {
                    let rank = self.zipf(self.vocabulary.len());
                    self.vocabulary[rank].clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// One word of mail in one language: short common words as they are, the domain's words and
    /// the long tail of the vocabulary (only words of that language's script) in one of their
    /// forms, the dictionary form the most common, as in real mail.
    fn word(&mut self, russian: bool) -> String {
        let roll = self.below(100);
        if roll < 35 {
            let glue = if russian { GLUE_RU } else { GLUE_EN };
            return glue[self.zipf(glue.len())].to_owned();
        }
        let stem = if roll < 43 {
            let domain = if russian { WORDS_RU } else { WORDS_EN };
            domain[self.zipf(domain.len())].to_owned()
        } else {
            let half = self.vocabulary.len() / 2;
            let rank = self.zipf(half);
            self.vocabulary[rank * 2 + usize::from(russian)].clone()
        };
        self.inflect(&stem, russian)
    }

    /// A letter of `MIN_CHARS..=MAX_CHARS` characters (shorter ones more likely: the length is
    /// log-uniform): a greeting to `name`, sentences in paragraphs, a sign-off.
    pub fn mail(&mut self, russian: bool, name: &str) -> String {
        let (greetings, sign_offs) = if russian {
            (GREETINGS_RU, SIGN_OFFS_RU)
        } else {
            (GREETINGS_EN, SIGN_OFFS_EN)
        };
        // The last sentence may pass the target by a word (12 characters at most) and its end.
        let spread = (MAX_CHARS as f64 - 50.0) / MIN_CHARS as f64;
        let target = (MIN_CHARS as f64 * spread.powf(self.unit())) as usize;
        let greeting = greetings[self.below(greetings.len())];
        let mut body = if name.is_empty() {
            format!("{},\n\n", greetings[0])
        } else {
            format!("{greeting}, {name}!\n\n")
        };
        let sign_off = sign_offs[self.below(sign_offs.len())];
        let mut chars = body.chars().count();
        while chars + sign_off.chars().count() + 1 < target {
            let words = 5 + self.below(14);
            let mut sentence = String::new();
            for index in 0..words {
                let word = self.word(russian);
                if index == 0 {
                    let mut letters = word.chars();
                    if let Some(first) = letters.next() {
                        sentence.extend(first.to_uppercase());
                        sentence.push_str(letters.as_str());
                    }
                } else {
                    sentence.push(' ');
                    sentence.push_str(&word);
                }
                if chars + sentence.chars().count() + sign_off.chars().count() + 1 >= target {
                    break;
                }
            }
            sentence.push(match self.below(10) {
                0 => '?',
                1 => '!',
                _ => '.',
            });
            sentence.push(if self.below(5) == 0 { '\n' } else { ' ' });
            chars += sentence.chars().count();
            body.push_str(&sentence);
        }
        body.push('\n');
        body.push_str(sign_off);
        body
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Entries in all: the big client has a tenth of them, the other 39 share the rest.
    pub exchanges: u64,
    pub seed: u64,
}

/// How many clients a generated database has.
pub const CLIENTS: usize = 40;

/// Entries written per transaction.
const BATCH: usize = 20_000;

/// What was made: each client and how many entries it got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Every client with its entry count; the first is the big one.
    pub clients: Vec<(ClientId, String, u64)>,
    pub exchanges: u64,
}

/// One client as generated: its details, language, share and the years it has been a client.
struct Profile {
    name: String,
    contact_person: String,
    russian: bool,
    entries: u64,
    /// The first and last instant of its journal.
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    /// Ended or paused at the end of its journal (or neither).
    ends: Option<StatusChange>,
}

const COMPANIES_RU: &[&str] = &[
    "Северный ветер",
    "Ромашка",
    "Лесная поляна",
    "Техносфера",
    "Белый кит",
    "Гранит",
    "Волга-Сервис",
    "Медовый край",
    "Кедр",
    "Сибирские окна",
    "Парус",
    "Звезда",
    "Уральский мастер",
    "Светлый дом",
    "Алтай-Трейд",
    "Золотой колос",
    "Меридиан",
    "Ладога",
    "Печатный двор",
    "Вектор",
];
const COMPANIES_EN: &[&str] = &[
    "Brightline Studio",
    "Harbor & Finch",
    "Oakridge Dental",
    "Pixel Mill",
    "Copperleaf Bakery",
    "Northwind Tours",
    "Bluebell Yoga",
    "Ironclad Fitness",
    "Maple Street Law",
    "Silverlake Realty",
    "Greenfield Farms",
    "Redwood Coffee",
    "Summit Roofing",
    "Lighthouse Books",
    "Fox & Hound Pub",
    "Cedar Analytics",
    "Willow Florist",
    "Atlas Movers",
    "Quartz Jewellery",
    "Beacon Print",
];
const PEOPLE_RU: &[&str] = &[
    "Ирина",
    "Олег",
    "Марина",
    "Сергей",
    "Анна",
    "Дмитрий",
    "Елена",
    "Павел",
];
const PEOPLE_EN: &[&str] = &[
    "Anna", "Mark", "Susan", "David", "Emily", "James", "Laura", "Peter",
];

/// Splits `total` over `weights` exactly (largest remainder).
fn shares(total: u64, weights: &[f64]) -> Vec<u64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights
        .iter()
        .map(|weight| total as f64 * weight / sum)
        .collect();
    let mut counts: Vec<u64> = exact.iter().map(|share| share.floor() as u64).collect();
    let mut left = total.saturating_sub(counts.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let fraction = |index: usize| exact[index] - exact[index].floor();
        fraction(*b).total_cmp(&fraction(*a))
    });
    for index in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        counts[index] += 1;
        left -= 1;
    }
    counts
}

fn profiles(plan: Plan, now: DateTime<Utc>, rng: &mut Text) -> Vec<Profile> {
    let big = plan.exchanges / 10;
    let weights: Vec<f64> = (1..CLIENTS).map(|_| 0.5 + rng.unit()).collect();
    let mut counts = vec![big];
    counts.extend(shares(plan.exchanges - big, &weights));
    counts
        .into_iter()
        .enumerate()
        .map(|(index, entries)| {
            let russian = index % 2 == 0;
            let (companies, people) = if russian {
                (COMPANIES_RU, PEOPLE_RU)
            } else {
                (COMPANIES_EN, PEOPLE_EN)
            };
            let company = companies[(index / 2) % companies.len()];
            let name = if russian {
                format!("ООО «{company}»")
            } else {
                company.to_owned()
            };
            // The big client for six years; others from one to six, a few ended months ago.
            let years = if index == 0 {
                6.0
            } else {
                1.0 + 5.0 * rng.unit()
            };
            let ends = match index {
                5 | 17 | 29 => Some(StatusChange::End {
                    reason: "The contract ran out and was not renewed.".into(),
                }),
                11 | 23 => Some(StatusChange::Pause),
                _ => None,
            };
            let to = if matches!(ends, Some(StatusChange::End { .. })) {
                now - Duration::days(30 + rng.below(300) as i64)
            } else {
                now
            };
            let from = to - Duration::minutes((years * 365.25 * 24.0 * 60.0) as i64);
            Profile {
                name,
                contact_person: people[rng.below(people.len())].to_owned(),
                russian,
                entries,
                from,
                to,
                ends,
            }
        })
        .collect()
}

fn client_draft(profile: &Profile, index: usize, rng: &mut Text) -> ClientDraft {
    let (currency, fee) = if profile.russian {
        ("RUB", 1_500_000 + 500_000 * rng.below(10) as i64)
    } else {
        (
            if index % 4 == 1 { "EUR" } else { "USD" },
            20_000 + 10_000 * rng.below(10) as i64,
        )
    };
    ClientDraft {
        name: profile.name.clone(),
        contact: format!("client{index:02}@example.com"),
        contact_person: profile.contact_person.clone(),
        contract: Contract {
            reference: format!("SA-{}-{index:02}", profile.from.year()),
            scope: "Support and small changes to the website.".into(),
            terms: "Monthly fee, answers within two working days.".into(),
            refund: if index.is_multiple_of(3) {
                String::new()
            } else {
                "Unused months are refunded pro rata.".into()
            },
            termination: "Either side, in writing.".into(),
            notice_period_days: Some(30),
        },
        fee: Currency::parse(currency).map(|currency| Money {
            minor_units: fee,
            currency,
        }),
        billing_period: BillingPeriod::Month,
        included_support: None,
        kind: match index % 7 {
            0 => Some(ClientKind::LetDown),
            3 => Some(ClientKind::Lost),
            _ => None,
        },
        notes: String::new(),
    }
}

/// A moment in the client's years, mostly in working hours on working days, sometimes late
/// or on a weekend (the Saturday call).
fn moment(profile: &Profile, rng: &mut Text) -> DateTime<Utc> {
    let span = (profile.to - profile.from).num_seconds().max(1);
    let instant = profile.from + Duration::seconds((rng.next_u64() % span as u64) as i64);
    let day = instant.date_naive();
    let working = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || rng.below(5) == 0;
    let day = if working {
        day
    } else {
        day - Duration::days(2)
    };
    let hour = if rng.below(10) < 8 {
        6 + rng.below(10)
    } else {
        rng.below(24)
    };
    let at = day
        .and_hms_opt(hour as u32, rng.below(60) as u32, rng.below(60) as u32)
        .map_or(instant, |naive| naive.and_utc());
    at.clamp(profile.from, profile.to)
}

/// One entry: direction, channel, minutes as such a contact takes, and its text.
fn entry(
    client_id: ClientId,
    profile: &Profile,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    rng: &mut Text,
) -> NewEntry {
    let direction = match rng.below(20) {
        0..=9 => Direction::FromClient,
        10..=16 => Direction::ToClient,
        _ => Direction::Note,
    };
    let channel = match rng.below(100) {
        0..=64 => Channel::Email,
        65..=79 => Channel::Messenger,
        80..=91 => Channel::Phone,
        92..=96 => Channel::Meeting,
        _ => Channel::Other,
    };
    let minutes = match (channel, direction) {
        (Channel::Meeting, _) => 30 + rng.below(90),
        (Channel::Phone, _) => 5 + rng.below(60),
        (_, Direction::ToClient) => 5 + rng.below(40),
        _ => rng.below(11),
    };
    let greeted = match direction {
        Direction::FromClient => "",
        _ => profile.contact_person.as_str(),
    };
    let body = rng.mail(profile.russian, greeted);
    // Written down a little after it happened (now and then days later), never in the future.
    let delay = if rng.below(20) == 0 {
        Duration::hours(1 + rng.below(72) as i64)
    } else {
        Duration::minutes(rng.below(90) as i64)
    };
    NewEntry {
        client_id,
        draft: ExchangeDraft {
            direction,
            channel,
            occurred_at: at,
            minutes: Minutes::new(minutes as u32).unwrap_or_default(),
            body,
        },
        written_at: (at + delay).min(now),
    }
}

/// Fills an empty `store` as `plan` says, up to `now`, in transactions of 20 000 entries;
/// `progress` hears the entries written so far after each. Clients first (through the store's
/// own writes), then every entry in the order it happened, as a user would have logged them.
pub fn generate(
    store: &mut Store,
    plan: Plan,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64),
) -> Result<Generated, DemoError> {
    let mut rng = Text::with_seed(plan.seed);
    store.set_setting(
        crate::domain::ledger::CostPerMinute::SETTING_KEY,
        super::DEMO_COST_PER_MINUTE,
    )?;
    let profiles = profiles(plan, now, &mut rng);
    let mut ids = Vec::with_capacity(profiles.len());
    for (index, profile) in profiles.iter().enumerate() {
        ids.push(store.add_client(&client_draft(profile, index, &mut rng), profile.from)?);
    }
    // When each entry happened, and whose it is: all of them, in time order.
    let mut moments: Vec<(DateTime<Utc>, u8)> = Vec::new();
    for (index, profile) in profiles.iter().enumerate() {
        for _ in 0..profile.entries {
            moments.push((moment(profile, &mut rng), index as u8));
        }
    }
    moments.sort_unstable();
    let mut written = 0;
    for chunk in moments.chunks(BATCH) {
        let batch: Vec<NewEntry> = chunk
            .iter()
            .map(|&(at, index)| {
                let index = usize::from(index);
                entry(ids[index], &profiles[index], at, now, &mut rng)
            })
            .collect();
        store.append_entries(&batch)?;
        written += batch.len() as u64;
        progress(written);
    }
    for (profile, client_id) in profiles.iter().zip(&ids) {
        if let Some(change) = &profile.ends {
            store
                .change_client_status(*client_id, change, profile.to)
                .map_err(|error| DemoError::Malformed(error.to_string()))?;
        }
    }
    Ok(Generated {
        clients: profiles
            .iter()
            .zip(&ids)
            .map(|(profile, id)| (*id, profile.name.clone(), profile.entries))
            .collect(),
        exchanges: written,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmarks_text_is_the_one_they_always_had() {
        // What benches/journal.rs generated before it shared this generator (its first message).
        let message = Text::new().message(false);
        assert_eq!(message.split(' ').count(), 40);
        assert!(
            message.starts_with("riri pakavenner нерлопами loboqui нергру богрулосто mibobo"),
            "{message}"
        );
    }

    #[test]
    fn mail_has_several_forms_of_a_word() {
        let mut text = Text::with_seed(7);
        let mail: String = (0..200).map(|_| text.mail(true, "Ирина")).collect();
        let forms = ["декларация", "декларацию", "декларации", "декларацией"]
            .iter()
            .chain(&["отчёт", "отчёта", "отчётом", "отчёты"])
            .filter(|form| {
                mail.split(|c: char| !c.is_alphabetic())
                    .any(|word| word == **form)
            })
            .count();
        assert!(
            forms >= 6,
            "{forms} forms of «декларация» and «отчёт» in 200 letters"
        );
        let english: String = (0..200).map(|_| text.mail(false, "Ann")).collect();
        for form in ["invoice", "invoices", "invoicing", "invoiced"] {
            assert!(english.contains(form), "{form}");
        }
    }

    #[test]
    fn shares_add_up_to_the_whole() {
        let counts = shares(1_001, &[1.0, 2.0, 0.5]);
        assert_eq!(counts.iter().sum::<u64>(), 1_001);
        assert_eq!(counts, vec![286, 572, 143]);
    }
}
