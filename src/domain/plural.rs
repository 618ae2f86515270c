//! Which form a counted word takes, by CLDR's plural rules through ICU4X: "1 day", "2 days";
//! «1 день», «2 дня», «5 дней», «21 день». Shared by the interface's words and the letters calmdesk
//! drafts, so both count the same way.
//!
//! A counted phrase is written as its forms separated by `|`, one per plural category of the
//! language in CLDR order: English "one|other", Russian "one|few|many".

use icu_locale_core::locale;
use icu_plurals::{PluralCategory, PluralRules};

/// A language whose plural rules calmdesk knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    English,
    Russian,
}

impl Counting {
    /// How many forms a counted phrase has in this language.
    pub fn forms(self) -> usize {
        match self {
            Self::English => 2,
            Self::Russian => 3,
        }
    }

    /// Which of a phrase's forms `count` takes (0-based, in CLDR order).
    pub fn form_of(self, count: u64) -> usize {
        let index = match self {
            Self::English => 0,
            Self::Russian => 1,
        };
        let category =
            RULES.with(|rules| rules[index].as_ref().map(|rules| rules.category_for(count)));
        // ICU4X's compiled data always has both languages; without it, the plain rule.
        let Some(category) = category else {
            return usize::from(count != 1);
        };
        match (self, category) {
            (_, PluralCategory::One) => 0,
            (Self::Russian, PluralCategory::Many) => 2,
            // Russian "other" is for fractions, which take the genitive singular like "few".
            _ => 1,
        }
    }

    /// `phrase` ("{n} день|{n} дня|{n} дней") for `count`, with `{n}` filled.
    pub fn count(self, phrase: &str, count: u64) -> String {
        let forms: Vec<&str> = phrase.split('|').collect();
        let form = forms
            .get(self.form_of(count))
            .or(forms.last())
            .copied()
            .unwrap_or_default();
        form.replace("{n}", &self.grouped(count))
    }

    /// `count` with its thousands grouped as the language writes them: "100,200", «100 200»
    /// (a no-break space; Russian leaves a four-digit number whole, «5000»).
    pub fn grouped(self, count: u64) -> String {
        let digits = count.to_string();
        let (separator, from) = match self {
            Self::English => (',', 1_000),
            Self::Russian => ('\u{a0}', 10_000),
        };
        if count < from {
            return digits;
        }
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }
}

thread_local! {
    /// The CLDR cardinal rules of each language, built once per thread from ICU4X's compiled
    /// data (its data is reference-counted, so not shared between threads).
    static RULES: [Option<PluralRules>; 2] = [
        PluralRules::try_new_cardinal(locale!("en").into()).ok(),
        PluralRules::try_new_cardinal(locale!("ru").into()).ok(),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_counts_are_grouped_as_each_language_writes_them() {
        let english: Vec<String> = [0, 999, 1_000, 5_000, 100_200, 1_000_000]
            .iter()
            .map(|&n| Counting::English.grouped(n))
            .collect();
        assert_eq!(
            english,
            ["0", "999", "1,000", "5,000", "100,200", "1,000,000"]
        );
        let russian: Vec<String> = [999, 5_000, 10_000, 100_200, 1_000_000]
            .iter()
            .map(|&n| Counting::Russian.grouped(n))
            .collect();
        assert_eq!(
            russian,
            [
                "999",
                "5000",
                "10\u{a0}000",
                "100\u{a0}200",
                "1\u{a0}000\u{a0}000"
            ]
        );
        assert_eq!(
            Counting::Russian.count("{n} запись|{n} записи|{n} записей", 100_200),
            "100\u{a0}200 записей"
        );
    }

    #[test]
    fn russian_counts_take_one_few_and_many() {
        let days = "{n} день|{n} дня|{n} дней";
        let said: Vec<String> = [0, 1, 2, 5, 11, 21, 22, 25, 101, 111]
            .iter()
            .map(|&n| Counting::Russian.count(days, n))
            .collect();
        assert_eq!(
            said,
            [
                "0 дней",
                "1 день",
                "2 дня",
                "5 дней",
                "11 дней",
                "21 день",
                "22 дня",
                "25 дней",
                "101 день",
                "111 дней"
            ]
        );
    }

    #[test]
    fn english_counts_take_one_and_other() {
        let days = "{n} day|{n} days";
        assert_eq!(Counting::English.count(days, 1), "1 day");
        assert_eq!(Counting::English.count(days, 0), "0 days");
        assert_eq!(Counting::English.count(days, 21), "21 days");
    }
}
