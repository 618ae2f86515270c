//! The command line: the flags that pick a database for the window, and the subcommands that
//! run without one. Parsed with clap; `main.rs` only dispatches on the result.

pub mod analyze;
pub mod check;
pub mod gen_demo;
pub mod ledger;
pub mod records;
pub mod search;
pub mod stress;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::domain::ledger::YearMonth;
use crate::store::Store;
use crate::store::migrations::LATEST_VERSION;

/// Opens a database for a command that only reads, without touching it. When a write-ahead log
/// lies beside it (the app has it open, or was stopped before it folded the log in), the log
/// holds committed entries, so the file is opened read-only through it instead: nothing is
/// written either way. `what` says what the user wanted, for the message about an older file.
pub(crate) fn open_for_reading(path: &Path, what: &str) -> anyhow::Result<Store> {
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let store = if Path::new(&wal).exists() {
        Store::open_read_only(path)
    } else {
        Store::open_untouched(path)
    }
    .with_context(|| format!("cannot read {}", path.display()))?;
    let version = store.schema_version()?;
    if version < LATEST_VERSION {
        anyhow::bail!(
            "{} is from an older calmdesk (schema v{version}): open it in the app once to \
             upgrade it, then {what} again",
            path.display()
        );
    }
    Ok(store)
}

/// "1 client", "2 clients": a count on the command line (which speaks English), by the same CLDR
/// plural rules as the window.
fn counted(phrase: &'static str, count: impl TryInto<u64>) -> String {
    crate::ui::UiLanguage::English.strings().count(
        crate::ui::Plural(phrase),
        count.try_into().unwrap_or(u64::MAX),
    )
}

fn parse_month(text: &str) -> Result<YearMonth, String> {
    YearMonth::parse(text).ok_or_else(|| format!("{text:?} is not a month such as 2026-05"))
}

/// calmdesk — a calm desk for difficult clients.
///
/// Without a subcommand it opens the window on the database in the platform's data folder.
#[derive(Debug, Parser)]
#[command(name = "calmdesk", version, about, long_about = None)]
pub struct Args {
    /// Open this database file instead of the default one (created if missing).
    #[arg(long, value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,

    /// Open a separate demo database with sample clients to try the app on
    /// (your own data is not touched).
    #[arg(long, conflicts_with = "db")]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a client's message: sentences and their marks (fact, question, demand, threat,
    /// insult, emotion) with reasons, amounts, dates, contract references and a verdict.
    Analyze {
        /// The message file; standard input when omitted or "-".
        file: Option<PathBuf>,
        /// Print the reading as JSON instead of a readable report.
        #[arg(long)]
        json: bool,
    },
    /// Check a database file: SQLite's integrity check, the schema version and what it holds.
    /// Changes nothing in or beside the file. Exits non-zero if the file is damaged or is not a
    /// calmdesk database.
    Check,
    /// Print the overview of all clients for a month: fee, minutes, allowance, overrun and its
    /// value, last heat and trend. Opens the file read-only and changes nothing.
    Ledger {
        /// The month, as YYYY-MM; this month when omitted.
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
        month: Option<YearMonth>,
        /// Print JSON (amounts in exact minor units) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Search every client's journal: each word finds its other forms («жалоба» finds
    /// «жалобу», "invoice" finds "invoices"). Prints the client, date, direction and the
    /// snippet with the matched words in [brackets]. Opens the file read-only.
    Search {
        /// The words to look for (all of them, each as a prefix).
        #[arg(required = true)]
        text: Vec<String>,
        /// Newest first (the default).
        #[arg(long, conflicts_with = "ranked")]
        newest: bool,
        /// Best match first (bm25).
        #[arg(long)]
        ranked: bool,
        /// At most this many hits.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        limit: u32,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// For the crash tests: write to the journal in a loop, reporting each committed write.
    #[command(name = "__stress", hide = true)]
    Stress {
        /// End after this many entries (otherwise run until a signal).
        #[arg(long)]
        entries: Option<u64>,
    },
    /// Export one client's journal as a record for a dispute (`--client NAME --format html|md`),
    /// or the whole database as JSON (`--all --json`). To standard output unless `--out`.
    Export {
        /// The client's name (exactly, or ignoring case when only one matches).
        #[arg(
            long,
            value_name = "NAME",
            conflicts_with = "all",
            required_unless_present = "all"
        )]
        client: Option<String>,
        /// The document's format.
        #[arg(long, value_enum, default_value = "html", conflicts_with = "all")]
        format: RecordFormat,
        /// Everything: every client, entry, version, cool-down, setting and history row.
        #[arg(long, requires = "json")]
        all: bool,
        /// With --all: as JSON (the format of docs/FORMAT.md).
        #[arg(long, requires = "all")]
        json: bool,
        /// Write to this file (0600) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import a JSON export into the database (created if missing), merging without duplicates.
    /// One transaction: a broken, truncated, foreign or newer file changes nothing.
    Import {
        /// The file written by `calmdesk export --all --json`.
        file: PathBuf,
    },
    /// Recompute every client's evidence chain and name the first entry whose content or order
    /// no longer matches. Exits 0 only when every chain holds.
    Verify,
    /// Make a large database for measuring, at `--db PATH` (which must not exist yet): 40
    /// clients, one with a tenth of the entries, Russian and English mail of 200–2000
    /// characters, both directions and notes, minutes, dates over the last years. The same seed
    /// makes the same data.
    GenDemo {
        /// How many journal entries.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
        exchanges: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// The format of a client's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordFormat {
    /// A self-contained web page that prints well.
    Html,
    /// Markdown.
    Md,
}

impl From<RecordFormat> for crate::domain::export::DocumentFormat {
    fn from(format: RecordFormat) -> Self {
        match format {
            RecordFormat::Html => Self::Html,
            RecordFormat::Md => Self::Markdown,
        }
    }
}
