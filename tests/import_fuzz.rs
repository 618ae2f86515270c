//! Import fuzz: export files cut, flipped, spliced and re-valued at random, imported into an
//! empty database and into one that already holds the clean file. Whatever the file, the import
//! never panics and never imports part of it: it is refused and the database is exactly as it
//! was, or it is taken whole and every chain holds.

// Test code: an unwrap that fails is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use calmdesk::domain::archive;
use calmdesk::domain::cooldown::{CoolDown, Edit, StartingPoint, WaitMinutes};
use calmdesk::domain::{Channel, ClientInput, Contract, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap() + Duration::minutes(minute)
}

fn entry(body: &str, minute: i64) -> ExchangeDraft {
    ExchangeDraft {
        direction: if minute % 2 == 0 {
            Direction::FromClient
        } else {
            Direction::ToClient
        },
        channel: Channel::Email,
        occurred_at: at(minute),
        minutes: Minutes::new(u32::try_from(minute % 60).unwrap()).unwrap(),
        body: body.into(),
    }
}

/// The clean export every case starts from: two clients, edits, the trash, erased words, a
/// cool-down, history and settings.
fn clean_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut store = Store::open_in_memory().unwrap();
        let mut ids = Vec::new();
        for name in ["Анна Кравцова", "Derek Hale"] {
            let draft = ClientInput {
                name: name.into(),
                refund: "14 days".into(),
                ..ClientInput::default()
            }
            .parse()
            .unwrap();
            let client = store.add_client(&draft, at(0)).unwrap();
            for n in 1..=6 {
                let id = store
                    .add_exchange(client, &entry(&format!("{name}: сообщение {n}"), n), at(n))
                    .unwrap();
                ids.push((client, id));
            }
        }
        let (client, first) = ids[0];
        store
            .update_exchange(first, &entry("Исправленный текст", 1), at(20))
            .unwrap();
        store.delete_exchange(ids[1].1, at(21)).unwrap();
        let _ = store.empty_trash(at(22)).unwrap();
        store.delete_exchange(ids[2].1, at(23)).unwrap();
        let mut cooldown = CoolDown::start(
            client,
            ids[3].1,
            "Где отчёт? Верните деньги к пятнице!",
            at(24),
            WaitMinutes::DEFAULT,
            StartingPoint {
                kind: None,
                contract: &Contract::default(),
            },
        );
        store.add_cooldown(&mut cooldown, at(24)).unwrap();
        let _ = cooldown.apply(Edit::Advance, at(50)).unwrap();
        store.save_cooldown(&cooldown, at(50)).unwrap();
        store.set_setting("cooldown.wait_minutes", "30").unwrap();
        archive::to_text(&store.export_archive(at(60)).unwrap())
    })
}

/// One change to the file.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(usize),
    ReplaceChar(usize, char),
    DeleteRange(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    DropLine(usize),
    /// Replaces the n-th number in the file with another.
    Renumber(usize, i64),
    /// Replaces the n-th string value's first character.
    Retype(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<char>()).prop_map(|(at, c)| Mutation::ReplaceChar(at, c)),
        (any::<usize>(), 1usize..200).prop_map(|(at, n)| Mutation::DeleteRange(at, n)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::DropLine),
        (
            any::<usize>(),
            prop_oneof![
                Just(-1i64),
                Just(0),
                Just(1),
                Just(2),
                Just(1441),
                Just(i64::MAX),
                any::<i64>()
            ]
        )
            .prop_map(|(n, value)| Mutation::Renumber(n, value)),
        (
            any::<usize>(),
            prop_oneof![Just('x'), Just('"'), Just('\\'), Just('Ж'), any::<char>()]
        )
            .prop_map(|(n, c)| Mutation::Retype(n, c)),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lines: Vec<&str> = text.lines().collect();
    let pick = |index: usize, len: usize| index % len.max(1);
    match mutation {
        Mutation::Truncate(at) => chars[..pick(*at, chars.len())].iter().collect(),
        Mutation::ReplaceChar(at, c) => {
            let mut chars = chars;
            let index = pick(*at, chars.len());
            chars[index] = *c;
            chars.into_iter().collect()
        }
        Mutation::DeleteRange(at, n) => {
            let start = pick(*at, chars.len());
            let end = (start + n).min(chars.len());
            chars[..start].iter().chain(&chars[end..]).collect()
        }
        Mutation::DuplicateLine(at) => {
            let mut lines = lines;
            let index = pick(*at, lines.len());
            lines.insert(index, lines[index]);
            lines.join("\n")
        }
        Mutation::SwapLines(a, b) => {
            let mut lines = lines;
            let (a, b) = (pick(*a, lines.len()), pick(*b, lines.len()));
            lines.swap(a, b);
            lines.join("\n")
        }
        Mutation::DropLine(at) => {
            let mut lines = lines;
            let index = pick(*at, lines.len());
            lines.remove(index);
            lines.join("\n")
        }
        Mutation::Renumber(n, value) => {
            let numbers: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, line)| {
                    line.trim_end_matches(',')
                        .rsplit(": ")
                        .next()
                        .is_some_and(|v| v.parse::<i64>().is_ok())
                })
                .map(|(index, _)| index)
                .collect();
            let mut lines: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
            if let Some(&index) = numbers.get(pick(*n, numbers.len())) {
                let line = &lines[index];
                let (key, rest) = line.rsplit_once(": ").unwrap();
                let comma = if rest.ends_with(',') { "," } else { "" };
                lines[index] = format!("{key}: {value}{comma}");
            }
            lines.join("\n")
        }
        Mutation::Retype(n, c) => {
            let strings: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, line)| line.contains(": \"") && !line.contains("\"format\""))
                .map(|(index, _)| index)
                .collect();
            let mut lines: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
            if let Some(&index) = strings.get(pick(*n, strings.len())) {
                let line = &lines[index];
                let open = line.find(": \"").unwrap() + 3;
                let mut chars: Vec<char> = line.chars().collect();
                let char_index = line[..open].chars().count();
                if char_index < chars.len() {
                    chars[char_index] = *c;
                }
                lines[index] = chars.into_iter().collect();
            }
            lines.join("\n")
        }
    }
}

fn snapshot(store: &Store) -> String {
    archive::to_text(&store.export_archive(at(1000)).unwrap())
}

fn check(text: &str, merge: bool) -> Result<(), TestCaseError> {
    let mut store = Store::open_in_memory().unwrap();
    if merge {
        let clean = archive::parse(clean_text()).unwrap();
        store.import_archive(&clean, &mut |_, _| {}).unwrap();
    }
    let before = snapshot(&store);
    let outcome = archive::parse(text)
        .map_err(|error| error.to_string())
        .and_then(|parsed| {
            store
                .import_archive(&parsed, &mut |_, _| {})
                .map_err(|error| error.to_string())
        });
    match outcome {
        Err(message) => {
            prop_assert!(!message.is_empty());
            prop_assert_eq!(
                snapshot(&store),
                before,
                "a refused file changed the database: {}",
                message
            );
        }
        Ok(_) => {
            for report in store.verify_chains().unwrap() {
                prop_assert!(
                    report.result.is_ok(),
                    "an accepted file left a broken chain: {:?}",
                    report
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_export_is_refused_untouched_or_taken_whole(
        mutations in proptest::collection::vec(mutation(), 1..4),
        merge in any::<bool>(),
    ) {
        let text = mutations
            .iter()
            .fold(clean_text().to_owned(), |text, mutation| apply(&text, mutation));
        check(&text, merge)?;
    }
}

#[test]
fn the_clean_file_imports_into_empty_and_into_itself() {
    check(clean_text(), false).unwrap();
    check(clean_text(), true).unwrap();
    let parsed = archive::parse(clean_text()).unwrap();
    assert_eq!(parsed.clients.len(), 2);
    assert!(
        parsed
            .clients
            .iter()
            .any(|client| !client.erased.is_empty()),
        "the fuzzed file has erased links"
    );
}
