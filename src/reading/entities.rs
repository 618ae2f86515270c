//! Amounts of money, dates, deadlines, contract references and percentages, found with regexes
//! compiled once. A deadline ("by Friday", "к утру", "within 24 hours", "до 1 апреля") swallows
//! the date inside it; otherwise entities do not overlap (earlier and longer wins).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{Entity, EntityKind};

const NUM: &str = r"\d{1,3}(?:[ \u{00A0}\u{202F},.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?";
const MONTH_EN: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const MONTH_RU: &str = r"(?:январ[яьюе]|феврал[яьюе]|март[аеу]?|апрел[яьюе]|ма[яйюе]|июн[яьюе]|июл[яьюе]|август[аеу]?|сентябр[яьюе]|октябр[яьюе]|ноябр[яьюе]|декабр[яьюе])";
const WEEKDAY_EN: &str =
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri)";
const WEEKDAY_RU: &str = r"(?:понедельник[ау]?|вторник[ау]?|сред[аыуе]|четверг[ау]?|пятниц[аыуе]|суббот[аыуе]|воскресень[еяю])";

fn date_pattern() -> String {
    format!(
        r"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|{MONTH_EN}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_EN}\b\.?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:-?(?:го|е|ое))?\s+{MONTH_RU}\b(?:\s+\d{{4}}(?:\s*(?:года|г\.|г\b))?)?|\d{{1,2}}(?:-?(?:го|е|ое))?\s+числа|\d{{1,2}}-(?:го|е)\b|the\s+\d{{1,2}}(?:st|nd|rd|th)\b|(?:next\s+|this\s+|last\s+|on\s+)?{WEEKDAY_EN}\b|(?:в|во|на|с|со|по|в\s+эт[уот]|в\s+следующ(?:ую|ий|ее))\s+{WEEKDAY_RU}\b|{WEEKDAY_RU}\b|today|tomorrow|yesterday|tonight|сегодня|завтра|вчера|послезавтра)"
    )
}

static DATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| compile(&format!(r"(?i)\b{}", date_pattern())));

static DEADLINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let date = date_pattern();
    let pat = format!(
        r"(?i)\b(?:(?:by|until|till|before|no\s+later\s+than|not\s+later\s+than|due(?:\s+on)?)\s+(?:the\s+)?(?:{date}|end\s+of\s+(?:the\s+)?(?:day|week|month)|eod|eow|noon|midnight|(?:tomorrow\s+)?morning|\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm|a\.m\.|p\.m\.))|within\s+(?:\d+|an?|one|two|three|24|48)\s+(?:business\s+|working\s+)?(?:hours?|days?|weeks?|minutes?)|asap|as\s+soon\s+as\s+possible|(?:к|до|не\s+позднее|не\s+позже)\s+(?:{date}|утр[ау]|вечер[ау]|обеда|концу\s+(?:дня|недели|месяца)|конца\s+(?:дня|недели|месяца)|понедельник[ау]|вторник[ау]|сред[еы]|четверг[ау]|пятниц[еы]|суббот[еы]|воскресень[юя]|\d{{1,2}}(?::\d{{2}})?\s*(?:утра|вечера|час(?:ов|а)?)?|\d{{1,2}}\s+числа)|в\s+течение\s+(?:\d+\s+|суток|час[ау]|дня|недели)\s*(?:час(?:ов|а)?|минут[ы]?|дн(?:ей|я)|недел[ьи]|суток)?)"
    );
    compile(&pat)
});

static MONEY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let pat = format!(
        r"(?i)(?:(?:US\$|\$|€|£|₽|¥)\s?(?:{NUM})(?:\s?(?:k|тыс\.?|млн))?|\b(?:{NUM})\s?(?:k\b|тыс\.?\s?|тысяч[иа]?\s|млн\.?\s?)?\s?(?:₽|\$|€|£|руб(?:\.|лей|ля|ль)?|р\.|usd|eur|rub|gbp|dollars?|euros?|bucks|pounds?|долл(?:\.|ар(?:ов|а|ы)?)?|евро|евроцент(?:ов|а)?|цент(?:ов|а)?|cents?|копе(?:ек|йки|йка))(?:\b|\s|$)|\b(?:usd|eur|rub|gbp)\s?(?:{NUM}))"
    );
    compile(&pat)
});

static PERCENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| compile(r"(?i)\b\d+(?:[.,]\d+)?\s?(?:%|процент(?:ов|а)?\b|per\s?cent\b)"));

static CONTRACT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"(?i)(?:\b(?:clause|section|article|paragraph|item|point|пункт[а-яё]*|п\.|стать[а-яё]+|ст\.|раздел[а-яё]*|§)\s*\d+(?:\.\d+)*(?:\s+(?:of\s+)?(?:the\s+|our\s+|your\s+)?(?:contract|agreement|offer|terms(?:\s+of\s+service)?|sla|sow|договора|оферты|соглашения|тз|регламента|правил))?|\b(?:contract|agreement|offer|sow|договор[а-яё]*|оферт[а-яё]*|соглашени[а-яё]*)\s*\(?(?:№|no\.?|#|n)\s*\d+[\w/-]*\)?|(?:^|\s)§\s*\d+(?:\.\d+)*)",
    )
});

/// Compiles a pattern with its `\b` word boundaries taken out: Unicode `\b` makes the regex
/// engine leave its fast DFA on Cyrillic text (ten times slower on Russian mail). The
/// boundaries are checked on each match instead, in `push_all`.
fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(&pattern.replace(r"\b", "")).ok()
}

/// A match must not start or end inside a word.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let inside = |a: Option<char>, b: Option<char>| {
        a.is_some_and(char::is_alphanumeric) && b.is_some_and(char::is_alphanumeric)
    };
    !inside(before, first) && !inside(last, after)
}

fn push_all(re: &Option<Regex>, kind: EntityKind, text: &str, out: &mut Vec<Entity>) {
    let Some(re) = re else { return };
    for m in re.find_iter(text) {
        let s = m.start();
        let mut e = m.end();
        // Trim trailing spaces that some alternatives swallow.
        let trimmed = text[s..e].trim_end();
        e = s + trimmed.len();
        // Leading "§" alternative may start with a space.
        let lead = trimmed.len() - trimmed.trim_start().len();
        let s = s + lead;
        if s >= e || !on_word_boundaries(text, s, e) {
            continue;
        }
        out.push(Entity {
            kind,
            start: s,
            end: e,
            text: text[s..e].to_string(),
            amount: None,
            currency: None,
        });
    }
}

/// Finds the entities of the whole input, sorted by position, without overlaps.
pub(crate) fn find(text: &str) -> Vec<Entity> {
    let mut all = Vec::new();
    push_all(&DEADLINE, EntityKind::Deadline, text, &mut all);
    push_all(&CONTRACT, EntityKind::ContractRef, text, &mut all);
    push_all(&MONEY, EntityKind::Money, text, &mut all);
    push_all(&PERCENT, EntityKind::Percent, text, &mut all);
    push_all(&DATE, EntityKind::Date, text, &mut all);
    // Priority by kind order above (deadline first), then earlier and longer.
    let prio = |k: EntityKind| match k {
        EntityKind::Deadline => 0,
        EntityKind::ContractRef => 1,
        EntityKind::Money => 2,
        EntityKind::Percent => 3,
        EntityKind::Date => 4,
    };
    all.sort_by_key(|e| (prio(e.kind), e.start, std::cmp::Reverse(e.end)));
    let mut kept: Vec<Entity> = Vec::with_capacity(all.len());
    // Kept spans are disjoint, so only the one starting last before `e.end` can overlap `e`.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for e in all {
        let overlaps = taken
            .range(..e.end)
            .next_back()
            .is_some_and(|(_, &end)| end > e.start);
        if !overlaps {
            taken.insert(e.start, e.end);
            kept.push(e);
        }
    }
    kept.sort_by_key(|e| e.start);
    for e in &mut kept {
        match e.kind {
            EntityKind::Money => {
                e.amount = parse_amount(&e.text);
                e.currency = currency_of(&e.text).map(str::to_string);
            }
            EntityKind::Percent => e.amount = parse_amount(&e.text),
            _ => {}
        }
    }
    kept
}

fn currency_of(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    if t.contains('$')
        || t.contains("usd")
        || t.contains("dollar")
        || t.contains("долл")
        || t.contains("buck")
        || (t.contains("cent") && !t.contains("евро"))
    {
        Some("USD")
    } else if t.contains('€') || t.contains("eur") || t.contains("евро") {
        Some("EUR")
    } else if t.contains('£') || t.contains("gbp") || t.contains("pound") {
        Some("GBP")
    } else if t.contains('₽')
        || t.contains("руб")
        || t.contains("rub")
        || t.contains("р.")
        || t.contains("коп")
    {
        Some("RUB")
    } else if t.contains('¥') {
        Some("JPY")
    } else {
        None
    }
}

/// "5 000" → 5000, "€1,200.50" → 1200.5, "4,50" → 4.5, "1.200" → 1200, "2k" → 2000.
pub(crate) fn parse_amount(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let body: String = text[start..]
        .chars()
        .take_while(|c| {
            c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{00A0}' | '\u{202F}')
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let body = body.trim_end_matches(['.', ',']);
    let last_sep = body.rfind([',', '.']);
    let number: String = match last_sep {
        Some(i) if body.len() - i - 1 <= 2 => {
            let (int, frac) = body.split_at(i);
            let int: String = int.chars().filter(char::is_ascii_digit).collect();
            format!("{int}.{}", &frac[1..])
        }
        _ => body.chars().filter(char::is_ascii_digit).collect(),
    };
    let mut value: f64 = number.parse().ok()?;
    let rest = text[start..].to_lowercase();
    if rest.contains("тыс") || rest.trim_end().ends_with('k') || rest.contains("k ") {
        value *= 1000.0;
    } else if rest.contains("млн") {
        value *= 1_000_000.0;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(EntityKind, String)> {
        find(s).into_iter().map(|e| (e.kind, e.text)).collect()
    }

    #[test]
    fn money_in_both_languages() {
        let f = find("It was $400, then 400 долларов, 5 000 ₽ and €1,200.50 plus $4.50.");
        let money: Vec<_> = f.iter().filter(|e| e.kind == EntityKind::Money).collect();
        assert_eq!(money.len(), 5, "{f:?}");
        assert_eq!(money[0].amount, Some(400.0));
        assert_eq!(money[1].currency.as_deref(), Some("USD"));
        assert_eq!(money[2].amount, Some(5000.0));
        assert_eq!(money[2].currency.as_deref(), Some("RUB"));
        assert_eq!(money[3].amount, Some(1200.5));
        assert_eq!(money[3].currency.as_deref(), Some("EUR"));
        assert_eq!(money[4].amount, Some(4.5));
    }

    #[test]
    fn dates_and_deadlines() {
        let k = kinds(
            "Оплатила 12.03.2025, срок 12 марта, сдайте к утру. Send it by Friday, within 24 hours, on March 12.",
        );
        assert!(
            k.contains(&(EntityKind::Date, "12.03.2025".into())),
            "{k:?}"
        );
        assert!(k.contains(&(EntityKind::Date, "12 марта".into())), "{k:?}");
        assert!(
            k.contains(&(EntityKind::Deadline, "к утру".into())),
            "{k:?}"
        );
        assert!(
            k.contains(&(EntityKind::Deadline, "by Friday".into())),
            "{k:?}"
        );
        assert!(
            k.contains(&(EntityKind::Deadline, "within 24 hours".into())),
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|(kind, t)| *kind == EntityKind::Date && t.contains("March 12")),
            "{k:?}"
        );
    }

    #[test]
    fn contract_refs_and_percent() {
        let k = kinds(
            "See clause 4.2, пункт 13 оферты and договор № 17; a 50% discount, 25 процентов.",
        );
        assert!(
            k.contains(&(EntityKind::ContractRef, "clause 4.2".into())),
            "{k:?}"
        );
        assert!(
            k.contains(&(EntityKind::ContractRef, "пункт 13 оферты".into())),
            "{k:?}"
        );
        assert!(
            k.contains(&(EntityKind::ContractRef, "договор № 17".into())),
            "{k:?}"
        );
        assert!(k.contains(&(EntityKind::Percent, "50%".into())), "{k:?}");
        assert!(
            k.contains(&(EntityKind::Percent, "25 процентов".into())),
            "{k:?}"
        );
    }
}
