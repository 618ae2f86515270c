//! Language of a sentence and of a message: Russian, English or mixed.
//!
//! Between Russian and English the script decides almost always, so letters are counted first;
//! whatlang (limited to the two languages) breaks the tie when a sentence mixes both scripts
//! about evenly. A sentence without letters takes the message's language.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use super::tokens::is_cyrillic;
use super::{Language, Sentence};

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Rus, Lang::Eng]));

fn counts(text: &str) -> (usize, usize) {
    let mut cyr = 0;
    let mut lat = 0;
    for c in text.chars() {
        if is_cyrillic(c) {
            cyr += 1;
        } else if c.is_ascii_alphabetic() {
            lat += 1;
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
pub(crate) fn of_sentence(text: &str) -> Option<Language> {
    let (cyr, lat) = counts(text);
    decide(cyr, lat, text)
}

/// The language of the message: mixed when each language holds a real share of the letters.
pub(crate) fn of_message(text: &str, sentences: &[Sentence]) -> Language {
    let own: Vec<&Sentence> = sentences.iter().filter(|s| !s.quoted).collect();
    let (mut cyr, mut lat) = (0, 0);
    for s in &own {
        let (c, l) = counts(&text[s.start..s.end]);
        cyr += c;
        lat += l;
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
