//! `calmdesk gen-demo`: a large generated database for measuring, made in a new file only.
//! Refuses a file that exists (or its side files), touching nothing; progress on standard error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::demo::generate::{Generated, Plan, generate};
use crate::store::Store;

/// The file and the side files SQLite and calmdesk keep beside it.
fn files_of(path: &Path) -> Vec<PathBuf> {
    let mut files = vec![path.to_owned(), crate::store::lock_path(path)];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

/// Makes a database of `plan.exchanges` entries at `path`, up to `now`. `out` gets the summary,
/// `progress` a line per batch.
pub fn run(
    path: &Path,
    plan: Plan,
    now: DateTime<Utc>,
    out: &mut dyn Write,
    progress: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(existing) = files_of(path).into_iter().find(|file| file.exists()) {
        anyhow::bail!(
            "{} already exists: gen-demo only makes a new file, so nothing was changed",
            existing.display()
        );
    }
    let started = Instant::now();
    let made = make(path, plan, now, progress);
    if made.is_err() {
        // Half a generated file is of no use; everything here was made by this run.
        for file in files_of(path) {
            let _ = std::fs::remove_file(file);
        }
    }
    let made = made?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(path).map_or(0, |meta| meta.len());
    let (big_name, big_count) = made
        .clients
        .first()
        .map(|(_, name, count)| (name.as_str(), *count))
        .unwrap_or_default();
    writeln!(
        out,
        "{}: {} entries, {} clients (the biggest, {big_name}, has {big_count}), {:.1} MB, in {seconds:.1} s",
        path.display(),
        made.exchanges,
        made.clients.len(),
        bytes as f64 / 1e6,
    )?;
    Ok(())
}

fn make(
    path: &Path,
    plan: Plan,
    now: DateTime<Utc>,
    progress: &mut dyn Write,
) -> anyhow::Result<Generated> {
    let mut store =
        Store::open(path).with_context(|| format!("cannot create {}", path.display()))?;
    let started = Instant::now();
    let total = plan.exchanges;
    let generated = generate(&mut store, plan, now, &mut |written| {
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        let _ = write!(
            progress,
            "\r{written} / {total} entries ({:.0} %), {:.0} a second   ",
            written as f64 * 100.0 / total.max(1) as f64,
            written as f64 / seconds,
        );
        let _ = progress.flush();
    })?;
    let _ = writeln!(progress);
    // The app merges the search index's pieces after a large write (`store::tidy`): the file
    // is left as the app would leave it, so what is measured on it is what a user gets.
    let tidied = Instant::now();
    store
        .tidy_index(
            |share| {
                let _ = write!(
                    progress,
                    "\rmerging the search index: {:.0} %   ",
                    share * 100.0
                );
                let _ = progress.flush();
            },
            || true,
        )
        .context("cannot merge the search index")?;
    let _ = writeln!(progress, "in {:.1} s", tidied.elapsed().as_secs_f64());
    // Closing folds the log into the file: the .sqlite3 alone holds everything.
    drop(store);
    Ok(generated)
}
