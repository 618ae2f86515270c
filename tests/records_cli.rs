//! The real binary's `export`, `import` and `verify`: the record of a client in HTML and
//! Markdown, the whole database to JSON and into another file, and exit codes that tell a sound
//! evidence record from a tampered one.

// Test code: an unwrap that fails is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "common/filled.rs"]
mod filled;

use std::path::Path;
use std::process::{Command, Output};

use calmdesk::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use calmdesk::store::Store;
use chrono::{TimeZone, Utc};

/// One test of this file at a time: a child process spawned by one test holds a copy of every
/// file another test has open until it execs, a lock file's too, so a test that opens a store
/// right after another closed it could find it "open in another window".
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn calmdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_calmdesk"))
        .args(args)
        .env("LANG", "en_GB.UTF-8")
        .env("LC_ALL", "en_GB.UTF-8")
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn sample(path: &Path) {
    let mut store = Store::open(path).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let client = store
        .add_client(
            &ClientInput {
                name: "ИП Кравцов".into(),
                contract_reference: "Договор № 17".into(),
                refund: "Возврат в течение 14 дней".into(),
                ..ClientInput::default()
            }
            .parse()
            .unwrap(),
            at,
        )
        .unwrap();
    let draft = |body: &str, direction| ExchangeDraft {
        direction,
        channel: Channel::Email,
        occurred_at: at,
        minutes: Minutes::new(15).unwrap(),
        body: body.into(),
    };
    let first = store
        .add_exchange(
            client,
            &draft(
                "Где отчёт? <script>alert(1)</script>",
                Direction::FromClient,
            ),
            at,
        )
        .unwrap();
    store
        .add_exchange(
            client,
            &draft("Отчёт будет в пятницу.", Direction::ToClient),
            at,
        )
        .unwrap();
    store
        .update_exchange(
            first,
            &draft(
                "Где отчёт за февраль? <script>alert(1)</script>",
                Direction::FromClient,
            ),
            at,
        )
        .unwrap();
}

/// `calmdesk export --all --json --out DIR/all.json` of `db`: the file written.
fn export_all(db: &Path, dir: &Path) -> std::path::PathBuf {
    let json = dir.join("all.json");
    let output = calmdesk(&[
        "--db",
        db.to_str().unwrap(),
        "export",
        "--all",
        "--json",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    json
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_clients_record_is_exported_as_printable_html_and_as_markdown() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calmdesk.sqlite3");
    sample(&db);
    let db = db.to_str().unwrap();
    let out = dir.path().join("record.html");
    let output = calmdesk(&[
        "--db",
        db,
        "export",
        "--client",
        "ип кравцов",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(mode(&out), 0o600);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print"));
    assert!(html.contains("ИП Кравцов"));
    assert!(html.contains("Договор № 17"));
    assert!(html.contains("Возврат в течение 14 дней"));
    assert!(
        html.contains("Где отчёт за февраль? &lt;script&gt;"),
        "client text is escaped"
    );
    assert!(!html.contains("<script>"));
    assert!(
        html.contains("Где отчёт? &lt;script&gt;"),
        "the earlier version is shown"
    );
    assert!(html.contains("Edited."), "the edit is shown as an edit");
    assert!(html.contains("sha256 "));
    assert!(html.contains("The chain holds"));

    let output = calmdesk(&[
        "--db",
        db,
        "export",
        "--client",
        "ИП Кравцов",
        "--format",
        "md",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(markdown.starts_with("# Journal — ИП Кравцов"), "{markdown}");
    assert!(markdown.contains("> Отчёт будет в пятницу."));
    assert!(
        markdown.contains("From client · Email · 15 min"),
        "{markdown}"
    );
    assert!(markdown.contains("15 min"));

    let output = calmdesk(&["--db", db, "export", "--client", "Nobody", "--format", "md"]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("ИП Кравцов"),
        "the error lists the clients"
    );
}

#[test]
fn everything_goes_out_as_json_and_into_an_empty_database_whole() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calmdesk.sqlite3");
    sample(&db);
    let json = export_all(&db, dir.path());
    assert_eq!(mode(&json), 0o600);
    // To standard output: the same document, but for the moment it was made.
    let output = calmdesk(&["--db", db.to_str().unwrap(), "export", "--all", "--json"]);
    assert!(output.status.success(), "{}", text(&output));
    let but_the_moment = |document: &str| -> Vec<String> {
        document
            .lines()
            .filter(|line| !line.trim_start().starts_with("\"exported_at\""))
            .map(str::to_owned)
            .collect()
    };
    let written = std::fs::read_to_string(&json).unwrap();
    assert!(written.ends_with("}\n"));
    assert_eq!(
        but_the_moment(&String::from_utf8(output.stdout).unwrap()),
        but_the_moment(&written)
    );

    let other = dir.path().join("other.sqlite3");
    let output = calmdesk(&[
        "--db",
        other.to_str().unwrap(),
        "import",
        json.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("clients: 1 added"),
        "{}",
        text(&output)
    );
    assert!(
        text(&output).contains("entries: 2 added"),
        "{}",
        text(&output)
    );
    let output = calmdesk(&["--db", other.to_str().unwrap(), "verify"]);
    assert!(output.status.success(), "{}", text(&output));

    let again = calmdesk(&[
        "--db",
        other.to_str().unwrap(),
        "import",
        json.to_str().unwrap(),
    ]);
    assert!(again.status.success());
    assert!(
        text(&again).contains("entries: 0 added"),
        "{}",
        text(&again)
    );
    assert!(text(&again).contains("2 already there"), "{}", text(&again));

    let broken = dir.path().join("broken.json");
    let full = std::fs::read_to_string(&json).unwrap();
    std::fs::write(&broken, &full[..full.len() - 40]).unwrap();
    let before = std::fs::read(&other).unwrap();
    let output = calmdesk(&[
        "--db",
        other.to_str().unwrap(),
        "import",
        broken.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("nothing was changed"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("line "), "{}", text(&output));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    // Into a database that did not exist: refused, it leaves none behind.
    let fresh = dir.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    let new_db = fresh.join("new.sqlite3");
    let output = calmdesk(&[
        "--db",
        new_db.to_str().unwrap(),
        "import",
        broken.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let left: Vec<_> = std::fs::read_dir(&fresh).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn verify_exits_non_zero_on_a_tampered_file_and_names_the_entry() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calmdesk.sqlite3");
    sample(&db);
    {
        // While a window holds the file, verify reads it through a read-only connection.
        let _window = calmdesk::store::Store::open(&db).unwrap();
        let output = calmdesk(&["--db", db.to_str().unwrap(), "verify"]);
        assert!(output.status.success(), "{}", text(&output));
        assert!(text(&output).contains("3 links hold"), "{}", text(&output));
    }
    let output = calmdesk(&["--db", db.to_str().unwrap(), "verify"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("ok: ИП Кравцов — 3 links hold"),
        "{}",
        text(&output)
    );

    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE exchanges SET body = 'Отчёт будет в понедельник.' WHERE exchange_id = 2",
            [],
        )
        .unwrap();
    let output = calmdesk(&["--db", db.to_str().unwrap(), "verify"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("BROKEN: ИП Кравцов — entry 2 (link 2)"),
        "{}",
        text(&output)
    );
}

#[test]
fn check_reports_the_chains_and_the_last_backup_and_fails_on_a_broken_chain() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calmdesk.sqlite3");
    sample(&db);
    let output = calmdesk(&["--db", db.to_str().unwrap(), "check"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("evidence chains hold (1 client); no backup yet"),
        "{}",
        text(&output)
    );

    let taken = Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap();
    calmdesk::store::Store::open(&db)
        .unwrap()
        .take_backup(taken, 10)
        .unwrap();
    let output = calmdesk(&["--db", db.to_str().unwrap(), "check"]);
    assert!(
        text(&output).contains("last backup 2026-03-12 10:00 UTC"),
        "{}",
        text(&output)
    );

    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE exchanges SET occurred_at = '2026-01-01T00:00:00Z' WHERE exchange_id = 2",
            [],
        )
        .unwrap();
    let output = calmdesk(&["--db", db.to_str().unwrap(), "check"]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("the evidence chain of \"ИП Кравцов\" does not hold"),
        "{}",
        text(&output)
    );
}

#[test]
fn an_import_leaves_the_search_index_in_one_piece_as_the_app_would() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.sqlite3");
    sample(&source);
    let json = export_all(&source, dir.path());

    // A file written in many batches: one piece per saved entry. Ten: with the import's own
    // pieces still under the 16 at which FTS5 merges a level whatever its settings, so what
    // merges them is the import's tidy.
    let db = dir.path().join("calmdesk.sqlite3");
    filled::file_in_pieces(&db, 10);
    assert!(filled::segments(&db) > calmdesk::store::MAX_SEGMENTS);

    let output = calmdesk(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        json.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("entries: 2 added"),
        "{}",
        text(&output)
    );
    assert!(!text(&output).contains("not merged"), "{}", text(&output));
    assert_eq!(filled::segments(&db), 1);
    // Nothing was lost in the merge: the old entries and the imported ones are all found.
    let store = Store::open_read_only(&db).unwrap();
    let newest = calmdesk::domain::search::SearchOrder::Newest;
    assert_eq!(store.search("message", newest, 100).unwrap().len(), 10);
    assert_eq!(store.search("отчёт", newest, 100).unwrap().len(), 2);
}
