//! Language of a sentence and of a message: Russian, English or mixed.
//!
//! Between Russian and English the script decides almost always, so letters are counted first;
//! whatlang (limited to the two languages) breaks the tie when a sentence mixes both scripts
//! about evenly. A sentence without letters takes the message's language.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use super::{Language, Sentence};

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Rus, Lang::Eng]));

/// The Cyrillic letters (U+0400–U+052F, as `tokens::is_cyrillic`) and the ASCII letters of
/// `text`, counted on its bytes: a Cyrillic character's UTF-8 lead byte is 0xD0–0xD3, or 0xD4
/// before a second byte up to 0xAF (U+0500–U+052F), and no other character's bytes look so.
pub(crate) fn counts(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut cyr = 0;
    let mut lat = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphabetic() {
            lat += 1;
        } else if (0xD0..=0xD3).contains(&b)
            || (b == 0xD4 && bytes.get(i + 1).is_some_and(|&n| n <= 0xAF))
        {
            cyr += 1;
        }
    }
    (cyr, lat)
}

fn decide(cyr: usize, lat: usize, text: &str) -> Option<Language> {
    let total = cyr + lat;
    if total == 0 {
        return None;
    }
    let minor = cyr.min(lat);
    // A brand name or "SMM" in a Russian sentence does not make it mixed.
    if minor * 100 < total * 25 || minor < 4 {
        return Some(if cyr >= lat {
            Language::Ru
        } else {
            Language::En
        });
    }
    if minor * 100 >= total * 40 {
        return Some(Language::Mixed);
    }
    // 25–40 %: ask whatlang whether the text reads as one language.
    let sample: String = text.chars().take(2000).collect();
    match DETECTOR.detect(&sample) {
        Some(info) if info.confidence() > 0.8 => Some(match info.lang() {
            Lang::Rus => Language::Ru,
            _ => Language::En,
        }),
        _ => Some(Language::Mixed),
    }
}

/// The language of one sentence; `None` when it has no letters.
#[cfg(test)]
pub(crate) fn of_sentence(text: &str) -> Option<Language> {
    let (cyr, lat) = counts(text);
    of_counted(cyr, lat, text)
}

/// The language of one sentence whose letters are already counted (`counts`).
pub(crate) fn of_counted(cyr: usize, lat: usize, text: &str) -> Option<Language> {
    decide(cyr, lat, text)
}

/// The language of the message: mixed when each language holds a real share of the letters.
/// `letters` holds each sentence's `counts`.
pub(crate) fn of_message(
    text: &str,
    sentences: &[Sentence],
    letters: &[(usize, usize)],
) -> Language {
    let (mut cyr, mut lat) = (0, 0);
    for (s, &(c, l)) in sentences.iter().zip(letters) {
        if !s.quoted {
            cyr += c;
            lat += l;
        }
    }
    if cyr + lat == 0 {
        let (c, l) = counts(text);
        cyr = c;
        lat = l;
    }
    let total = cyr + lat;
    if total == 0 {
        return Language::En;
    }
    let minor = cyr.min(lat);
    if minor >= 12 && minor * 100 >= total * 20 {
        Language::Mixed
    } else if cyr >= lat {
        Language::Ru
    } else {
        Language::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_decide() {
        assert_eq!(
            of_sentence("Верните деньги за SMM-пакет."),
            Some(Language::Ru)
        );
        assert_eq!(of_sentence("Please refund the money."), Some(Language::En));
        assert_eq!(
            of_sentence("Я жду возврат денег, please send it today"),
            Some(Language::Mixed)
        );
    }
}
