//! Money as integer minor units with an ISO 4217 currency, and the parsing of amounts as people
//! type them ("1500", "1 500,50", "1,200.50").

use std::fmt;

use serde::{Deserialize, Serialize};

/// A three-letter ISO 4217 currency code, upper case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

/// The currencies offered first in the UI; any other ISO code can be typed.
pub const COMMON_CURRENCIES: [&str; 8] = ["EUR", "USD", "RUB", "GBP", "CHF", "KZT", "UAH", "PLN"];

impl Currency {
    /// Parses a code such as "eur" or a common symbol ("€", "$", "₽", "руб").
    pub fn parse(text: &str) -> Option<Self> {
        let trimmed = text.trim();
        let code = match trimmed.to_lowercase().as_str() {
            "€" => "EUR",
            "$" => "USD",
            "₽" | "руб" | "руб." | "р." => "RUB",
            "£" => "GBP",
            _ => trimmed,
        };
        let bytes = code.as_bytes();
        if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_alphabetic) {
            Some(Self([
                bytes[0].to_ascii_uppercase(),
                bytes[1].to_ascii_uppercase(),
                bytes[2].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    pub fn code(&self) -> &str {
        // The bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Self(*b"EUR")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| format!("not a currency code: {value:?}"))
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.code().to_owned()
    }
}

/// An amount of money in minor units (cents, kopecks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor_units: i64,
    pub currency: Currency,
}

impl Money {
    /// The amount as typed in a form: "1 500.00" style, grouped with thin spaces, no currency.
    pub fn amount_text(&self) -> String {
        let sign = if self.minor_units < 0 { "-" } else { "" };
        let abs = self.minor_units.unsigned_abs();
        let major = abs / 100;
        let minor = abs % 100;
        let grouped = group_thousands(major);
        if minor == 0 {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}.{minor:02}")
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_text(), self.currency)
    }
}

/// Splits "1 200,50" into the integer text (still grouped) and the fraction digits.
fn split_decimal(cleaned: &str) -> Result<(&str, &str), AmountError> {
    let Some(position) = cleaned.rfind([',', '.']) else {
        return Ok((cleaned, ""));
    };
    let separator = cleaned.as_bytes()[position] as char;
    let after = &cleaned[position + 1..];
    let before = &cleaned[..position];
    let other = if separator == ',' { '.' } else { ',' };
    let is_decimal = if cleaned.contains(other) {
        true
    } else {
        !before.contains(separator) && after.len() != 3
    };
    if !is_decimal {
        return Ok((cleaned, ""));
    }
    if after.is_empty() || after.len() > 2 || before.contains(separator) {
        return Err(AmountError::NotANumber);
    }
    Ok((before, after))
}

/// "1,234,567" groups are fine, "12,34" is not: after the first group every group has 3 digits.
fn groups_are_thousands(integer_text: &str) -> bool {
    let mut groups = integer_text.split([',', '.']);
    let first_ok = groups
        .next()
        .is_some_and(|first| !first.is_empty() || !integer_text.contains([',', '.']));
    first_ok && groups.all(|group| group.len() == 3)
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(digit);
    }
    out
}

/// Why a typed amount is not an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount must be a number, e.g. 1500 or 1500.50")]
    NotANumber,
    #[error("the amount cannot be negative")]
    Negative,
    #[error("the amount is too large")]
    TooLarge,
}

/// Parses an amount typed by a person into minor units.
///
/// Spaces (also no-break and thin) group thousands. When both `,` and `.` appear, the last one is
/// the decimal separator. A lone separator followed by one or two digits is decimal ("1500,5");
/// followed by exactly three digits it groups thousands ("1,500").
pub fn parse_amount(text: &str) -> Result<i64, AmountError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\'')
        .collect();
    if cleaned.starts_with('-') {
        return Err(AmountError::Negative);
    }
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(AmountError::NotANumber);
    }
    let (integer_part, fraction_part) = split_decimal(&cleaned)?;
    if !groups_are_thousands(integer_part) {
        return Err(AmountError::NotANumber);
    }
    let integer_part = integer_part.replace([',', '.'], "");
    if integer_part.is_empty() && fraction_part.is_empty() {
        return Err(AmountError::NotANumber);
    }
    let major: i64 = if integer_part.is_empty() {
        0
    } else {
        integer_part.parse().map_err(|_| AmountError::TooLarge)?
    };
    let minor: i64 = match fraction_part.len() {
        0 => 0,
        1 => {
            fraction_part
                .parse::<i64>()
                .map_err(|_| AmountError::NotANumber)?
                * 10
        }
        _ => fraction_part.parse().map_err(|_| AmountError::NotANumber)?,
    };
    major
        .checked_mul(100)
        .and_then(|value| value.checked_add(minor))
        .filter(|value| *value <= 100_000_000_000_000)
        .ok_or(AmountError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_as_people_type_them() {
        assert_eq!(parse_amount("1500"), Ok(150_000));
        assert_eq!(parse_amount("1 500"), Ok(150_000));
        assert_eq!(parse_amount("1\u{a0}500,50"), Ok(150_050));
        assert_eq!(parse_amount("1,200.50"), Ok(120_050));
        assert_eq!(parse_amount("1.200,50"), Ok(120_050));
        assert_eq!(parse_amount("1,500"), Ok(150_000));
        assert_eq!(parse_amount("1500,5"), Ok(150_050));
        assert_eq!(parse_amount("0.99"), Ok(99));
    }

    #[test]
    fn amounts_that_are_not_numbers_are_refused_in_words() {
        assert_eq!(parse_amount(""), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("12.345.6"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.234"), Ok(123_400));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(
            parse_amount("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(parse_amount("12.5.5"), Err(AmountError::NotANumber));
    }

    #[test]
    fn currency_codes_and_symbols_parse() {
        assert_eq!(
            Currency::parse("eur").map(|c| c.to_string()),
            Some("EUR".into())
        );
        assert_eq!(
            Currency::parse("₽").map(|c| c.to_string()),
            Some("RUB".into())
        );
        assert_eq!(Currency::parse("euro"), None);
        assert_eq!(Currency::parse("€1"), None);
    }

    #[test]
    fn money_prints_grouped() {
        let money = Money {
            minor_units: 123_456_789,
            currency: Currency::default(),
        };
        assert_eq!(money.to_string(), "1\u{202F}234\u{202F}567.89 EUR");
        let round = Money {
            minor_units: 600_000,
            currency: Currency::parse("RUB").unwrap(),
        };
        assert_eq!(round.to_string(), "6\u{202F}000 RUB");
    }
}
