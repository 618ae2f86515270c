//! The calmdesk binary: parses the command line, picks the database, and either runs a
//! subcommand or opens the window.

use std::sync::Arc;

use anyhow::Context as _;
use calmdesk::app::{CalmdeskApp, Launch, Opening};
use calmdesk::cli::{Args, Command};
use calmdesk::clock::{Clock, SystemClock};
use calmdesk::probe::FirstFrame;
use calmdesk::{demo, paths};
use clap::Parser;

fn main() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let args = Args::parse();
    match args.command {
        Some(Command::Analyze { file, json }) => {
            let stdout = std::io::stdout();
            calmdesk::cli::analyze::run(file.as_deref(), json, &mut stdout.lock())
        }
        Some(Command::Check) => {
            let path = database_path(&args)?;
            calmdesk::cli::check::run(&path, &mut std::io::stdout().lock())
        }
        Some(Command::Export {
            ref client,
            format,
            all,
            ref out,
            ..
        }) => {
            let path = database_path(&args)?;
            let now = SystemClock.now();
            let stdout = &mut std::io::stdout().lock();
            match client {
                Some(name) if !all => {
                    let tr =
                        calmdesk::ui::UiLanguage::from_locale(sys_locale::get_locale().as_deref())
                            .strings();
                    let format = format.into();
                    calmdesk::cli::records::export_client(
                        &path,
                        name,
                        format,
                        out.as_deref(),
                        tr,
                        now,
                        stdout,
                    )
                }
                _ => calmdesk::cli::records::export_all(&path, out.as_deref(), now, stdout),
            }
        }
        Some(Command::Import { ref file }) => {
            let path = database_path(&args)?;
            calmdesk::cli::records::import(file, &path, &mut std::io::stdout().lock())
        }
        Some(Command::Verify) => {
            let path = database_path(&args)?;
            if calmdesk::cli::records::verify(&path, &mut std::io::stdout().lock())? {
                Ok(())
            } else {
                anyhow::bail!("a chain does not hold: the file was changed behind calmdesk's back")
            }
        }
        Some(Command::Ledger { month, json }) => {
            let path = database_path(&args)?;
            let month = month.unwrap_or_else(|| {
                calmdesk::domain::ledger::YearMonth::of_instant(SystemClock.now(), &chrono::Local)
            });
            calmdesk::cli::ledger::run(&path, month, json, &mut std::io::stdout().lock())
        }
        Some(Command::Search {
            ref text,
            ranked,
            limit,
            json,
            ..
        }) => calmdesk::cli::search::run_words(&database_path(&args)?, text, ranked, limit, json),
        Some(Command::GenDemo { exchanges, seed }) => gen_demo(&args, exchanges, seed),
        Some(Command::Stress { entries }) => {
            let path = database_path(&args)?;
            calmdesk::cli::stress::run(&path, entries, &mut std::io::stdout().lock())
        }
        None => run_window(&args, started),
    }
}

/// `gen-demo`: only ever into a file named on purpose, never the user's own database.
fn gen_demo(args: &Args, exchanges: u64, seed: u64) -> anyhow::Result<()> {
    let path = args
        .db
        .clone()
        .context("gen-demo makes a new file: name it with --db PATH")?;
    calmdesk::cli::gen_demo::run(
        &path,
        calmdesk::demo::generate::Plan { exchanges, seed },
        SystemClock.now(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}

/// `--db PATH`, the demo database with `--demo`, or the default file in the platform's data
/// folder.
fn database_path(args: &Args) -> anyhow::Result<std::path::PathBuf> {
    match (&args.db, paths::data_dir()) {
        (Some(path), _) => Ok(path.clone()),
        (None, Some(folder)) if args.demo => Ok(demo::demo_path(&folder)),
        (None, Some(folder)) => Ok(paths::default_database(&folder)),
        (None, None) => {
            anyhow::bail!("no data folder on this system; choose a file with --db PATH")
        }
    }
}

fn run_window(args: &Args, started: std::time::Instant) -> anyhow::Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let data_dir = paths::data_dir();
    let store = if args.demo {
        let folder = data_dir
            .clone()
            .context("no data folder on this system for the demo; use --db")?;
        Opening::Ready(
            demo::create_demo_database(&demo::demo_path(&folder), clock.now(), &chrono::Local)
                .map_err(|error| match error {
                    demo::DemoError::Store(store_error) => store_error,
                    other => calmdesk::store::StoreError::Damaged(other.to_string()),
                }),
        )
    } else {
        let path = match (&args.db, &data_dir) {
            (Some(path), _) => path.clone(),
            (None, Some(folder)) => paths::default_database(folder),
            (None, None) => {
                anyhow::bail!("no data folder on this system; choose a file with --db PATH")
            }
        };
        Opening::file(&path)
    };
    // Without signals the app still works; it only cannot close cleanly on a logout.
    let termination = calmdesk::signals::Termination::listen()
        .unwrap_or_else(|_| calmdesk::signals::Termination::unheard());
    let launch = Launch {
        store,
        clock,
        data_dir,
        is_demo: args.demo,
        language: None,
        termination,
    };
    let mut viewport = egui::ViewportBuilder::default();
    // The icon is embedded; a decoding failure only costs the icon, never the window.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: viewport
            .with_title("calmdesk")
            .with_app_id("calmdesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([760.0, 480.0]),
        ..Default::default()
    };
    // benches/startup.sh: the time to the first painted frame, then the window closes.
    let probe = std::env::var(calmdesk::probe::VARIABLE).ok();
    eframe::run_native(
        "calmdesk",
        options,
        Box::new(move |cc| {
            let app = CalmdeskApp::new(cc, launch);
            Ok(match probe {
                Some(launched) => Box::new(FirstFrame::new(app, started, &launched)),
                None => Box::new(app) as Box<dyn eframe::App>,
            })
        }),
    )
    .map_err(|error| anyhow::anyhow!("the window could not be opened: {error}"))
}
