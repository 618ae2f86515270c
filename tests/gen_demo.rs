//! `calmdesk gen-demo`: the generated journal is shaped as the issue asks (40 clients, one with
//! a tenth of the entries, Russian and English mail of 200–2000 characters, both directions,
//! dates over years), its chains hold, search finds its words, a seed repeats it, and a file
//! that exists is refused and left as it was.

#![allow(clippy::unwrap_used, clippy::too_many_lines)]

mod common;

use std::process::{Command, Output};

use calmdesk::demo::generate::{CLIENTS, Generated, MAX_CHARS, MIN_CHARS, Plan, generate};
use calmdesk::domain::Direction;
use calmdesk::domain::search::SearchOrder;
use calmdesk::store::Store;
use chrono::{DateTime, Duration, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
}

fn generated(path: &std::path::Path, exchanges: u64, seed: u64) -> (Store, Generated) {
    let mut store = Store::open(path).unwrap();
    let mut heard = Vec::new();
    let made = generate(
        &mut store,
        Plan { exchanges, seed },
        now(),
        &mut |written| {
            heard.push(written);
        },
    )
    .unwrap();
    assert_eq!(
        heard.last().copied(),
        Some(exchanges),
        "progress ends at the total"
    );
    (store, made)
}

fn calmdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_calmdesk"))
        .args(args)
        .env("LANG", "en_GB.UTF-8")
        .output()
        .unwrap()
}

#[test]
fn a_generated_journal_has_the_shape_of_real_use_and_its_chains_hold() {
    let dir = tempfile::tempdir().unwrap();
    let (store, made) = generated(&dir.path().join("gen.sqlite3"), 2_000, 7);

    // 40 clients; the first has a tenth of the entries, the others share the rest.
    assert_eq!(made.clients.len(), CLIENTS);
    assert_eq!(made.exchanges, 2_000);
    let overviews = store.client_overviews().unwrap();
    assert_eq!(overviews.len(), CLIENTS);
    for (client_id, name, count) in &made.clients {
        let overview = overviews
            .iter()
            .find(|overview| overview.client.client_id == *client_id)
            .unwrap();
        assert_eq!(&overview.client.name, name);
        assert_eq!(overview.exchange_count, *count, "{name}");
        assert_eq!(store.exchanges_of(*client_id).unwrap().len() as u64, *count);
    }
    let (big_client, _, big_count) = made.clients[0];
    assert_eq!(big_count, 200, "the big client has 10 %");
    assert!(
        made.clients[1..]
            .iter()
            .all(|(_, _, count)| (20..=75).contains(count))
    );
    assert_eq!(
        made.clients.iter().map(|client| client.2).sum::<u64>(),
        2_000
    );

    // Mail in both languages, 200–2000 characters, both directions and notes, over years.
    let mut russian = 0;
    let mut english = 0;
    let mut directions = std::collections::HashSet::new();
    let mut minutes = 0;
    let (mut first, mut last) = (now(), now() - Duration::days(100_000));
    for (client_id, _, _) in &made.clients {
        for entry in store.exchanges_of(*client_id).unwrap() {
            let chars = entry.body.chars().count();
            assert!(
                (MIN_CHARS..=MAX_CHARS).contains(&chars),
                "{chars} characters: {}",
                entry.body
            );
            if entry.body.chars().any(|c| ('а'..='я').contains(&c)) {
                russian += 1;
            } else {
                english += 1;
            }
            directions.insert(entry.direction);
            minutes += entry.minutes.get();
            assert!(entry.occurred_at <= now() && entry.created_at <= now());
            assert!(entry.created_at >= entry.occurred_at);
            first = first.min(entry.occurred_at);
            last = last.max(entry.occurred_at);
        }
    }
    assert!(russian > 700 && english > 700, "ru {russian}, en {english}");
    assert_eq!(directions.len(), 3, "from, to and notes");
    assert!(minutes > 2_000 * 5, "minutes are logged");
    assert!(last - first > Duration::days(5 * 365), "spread over years");
    assert!(now() - last < Duration::days(30), "up to now");

    // Every chain holds, with one link per entry.
    for report in store.verify_chains().unwrap() {
        let count = made
            .clients
            .iter()
            .find(|client| client.0 == report.client_id)
            .unwrap()
            .2;
        assert_eq!(report.result, Ok(count as usize), "{}", report.client_name);
        // The head names the last link, so a chain cut short would be told from a whole one.
        let record = store.journal_record(report.client_id).unwrap();
        let last = record.entries.iter().max_by_key(|entry| entry.seq).unwrap();
        assert_eq!(record.head, Some((count as i64, last.hash.clone())));
    }

    // The index has the generated words, in both languages.
    for word in ["претензия", "invoice"] {
        let hits = store.search(word, SearchOrder::Newest, 20).unwrap();
        assert!(!hits.is_empty(), "{word}");
    }
    let big_journal = store.exchange_summaries(big_client).unwrap();
    assert!(
        big_journal
            .iter()
            .any(|entry| entry.direction == Direction::FromClient)
    );
}

#[test]
fn the_same_seed_makes_the_same_journal_and_another_seed_another() {
    let dir = tempfile::tempdir().unwrap();
    let content = |name: &str, seed: u64| {
        let (store, made) = generated(&dir.path().join(name), 300, seed);
        made.clients
            .iter()
            .flat_map(|(client_id, name, _)| {
                store
                    .exchanges_of(*client_id)
                    .unwrap()
                    .into_iter()
                    .map(|entry| {
                        (
                            name.clone(),
                            entry.occurred_at,
                            entry.direction,
                            entry.minutes,
                            entry.body,
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let first = content("a.sqlite3", 3);
    assert_eq!(first.len(), 300);
    assert!(
        first == content("b.sqlite3", 3),
        "the same seed, the same journal"
    );
    assert!(
        first != content("c.sqlite3", 4),
        "another seed, another journal"
    );
}

#[test]
fn the_command_makes_a_file_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("made.sqlite3");
    let db = path.to_str().unwrap();
    let output = calmdesk(&["gen-demo", "--exchanges", "400", "--seed", "2", "--db", db]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("400 entries, 40 clients"), "{said}");
    let verified = calmdesk(&["verify", "--db", db]);
    assert!(verified.status.success(), "{verified:?}");
}

#[test]
fn an_existing_file_is_refused_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // Anything at all: someone's notes, and a real calmdesk database.
    let notes = dir.path().join("notes.sqlite3");
    std::fs::write(&notes, "not a database, and not ours to replace").unwrap();
    let real = dir.path().join("mine.sqlite3");
    {
        let mut store = Store::open(&real).unwrap();
        generate(
            &mut store,
            Plan {
                exchanges: 50,
                seed: 1,
            },
            now(),
            &mut |_| {},
        )
        .unwrap();
    }
    let before = common::folder_listing(dir.path());
    for path in [&notes, &real] {
        let output = calmdesk(&[
            "gen-demo",
            "--exchanges",
            "10",
            "--db",
            path.to_str().unwrap(),
        ]);
        assert!(!output.status.success());
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("already exists"), "{said}");
        assert!(said.contains("nothing was changed"), "{said}");
    }
    assert_eq!(common::folder_listing(dir.path()), before);
    // A side file alone (a log left beside a moved database) is refused too.
    let lonely = dir.path().join("moved.sqlite3");
    std::fs::write(dir.path().join("moved.sqlite3-wal"), "log").unwrap();
    let before = common::folder_listing(dir.path());
    let output = calmdesk(&[
        "gen-demo",
        "--exchanges",
        "10",
        "--db",
        lonely.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert_eq!(common::folder_listing(dir.path()), before);
}

#[test]
fn gen_demo_needs_a_file_named_on_purpose() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_calmdesk"))
        .args(["gen-demo", "--exchanges", "10"])
        .env("XDG_DATA_HOME", dir.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--db PATH"));
    assert!(
        common::folder_listing(dir.path()).is_empty(),
        "nothing made"
    );
}
