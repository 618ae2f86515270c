//! `calmdesk export`, `calmdesk import` and `calmdesk verify`: the evidence document of one
//! client (HTML or Markdown), the whole database as JSON and back, and the chain check.
//! Files are written 0600 in one piece; without `--out` the text goes to standard output.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};

use crate::domain::export::DocumentFormat;
use crate::store::Store;
use crate::ui::Strings;

/// Opens an existing database to read from: these commands never create one. A file open in a
/// calmdesk window (its lock taken) is read through a read-only connection instead.
fn open_existing(db: &Path) -> anyhow::Result<Store> {
    if !db.exists() {
        bail!("{} does not exist", db.display());
    }
    match Store::open(db) {
        Err(crate::store::StoreError::Locked { .. }) => Store::open_read_only(db),
        other => other,
    }
    .with_context(|| format!("cannot open {}", db.display()))
}

fn deliver(text: &str, out_file: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<()> {
    match out_file {
        Some(path) => {
            crate::paths::write_private(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "written: {}", path.display())?;
        }
        None => match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.context("cannot write the export")?,
        },
    }
    Ok(())
}

/// One client's evidence document.
pub fn export_client(
    db: &Path,
    name: &str,
    format: DocumentFormat,
    out_file: Option<&Path>,
    tr: &'static Strings,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = open_existing(db)?;
    let Some(client_id) = store.client_named(name)? else {
        let names: Vec<String> = store
            .client_overviews()?
            .into_iter()
            .map(|overview| overview.client.name)
            .collect();
        bail!(
            "no client is named {name:?}; the clients are: {}",
            names.join(", ")
        );
    };
    let text = crate::app::record_document(&store, client_id, format, tr, now)?;
    deliver(&text, out_file, out)
}

/// The whole database as JSON.
pub fn export_all(
    db: &Path,
    out_file: Option<&Path>,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = open_existing(db)?;
    let write = |file: &mut dyn Write| store.write_archive(now, file, &mut |_, _| {}, &|| true);
    match out_file {
        Some(path) => {
            crate::paths::write_private_with(path, write)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "written: {}", path.display())?;
        }
        None => match write(&mut std::io::BufWriter::with_capacity(1 << 16, &mut *out)) {
            Err(crate::store::ArchiveWriteError::Write(error))
                if error.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.context("cannot write the export")?,
        },
    }
    Ok(())
}

/// Imports an archive into the database at `db` (created if missing), in one transaction, as
/// the file is read. A database this import created is removed again if the file is refused.
/// The search index is then merged as the app merges it after an import (`store::tidy`), so the
/// file is left as the window would leave it and a search right after is as fast as later.
pub fn import(file: &Path, db: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let open = crate::paths::reopenable(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let is_new = !db.exists();
    let mut store = Store::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let report = match store.import_from(open, &mut |_| {}) {
        Ok(report) => report,
        Err(error) => {
            drop(store);
            if is_new {
                remove_new_database(db);
            }
            return Err(error).with_context(|| {
                format!("{} cannot be imported; nothing was changed", file.display())
            });
        }
    };
    // The import has landed whatever happens here: a merge that fails leaves the index in more
    // pieces, which the app merges the next time it opens the file.
    let tidied = store.tidy_index(|_| {}, || true);
    drop(store);
    writeln!(
        out,
        "imported into {}: clients: {} added, {} merged; entries: {} added ({} chained anew), \
         {} already there; added: {}, {}, {}, {} ({} kept as they were)",
        db.display(),
        report.clients_added,
        report.clients_merged,
        report.entries_added,
        report.entries_rechained,
        report.entries_skipped,
        super::counted("{n} version|{n} versions", report.versions_added),
        super::counted("{n} cool-down|{n} cool-downs", report.cooldowns_added),
        super::counted("{n} history row|{n} history rows", report.history_added),
        super::counted("{n} setting|{n} settings", report.settings_added),
        report.settings_kept
    )?;
    if let Err(error) = tidied {
        writeln!(
            out,
            "the search index was not merged ({error}); the app merges it when it next opens {}",
            db.display()
        )?;
    }
    Ok(())
}

/// Removes a database file (and SQLite's files beside it) that this command made and that holds
/// nothing: the import into it was refused.
fn remove_new_database(db: &Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(name));
    }
}

/// Recomputes every chain. `Ok(true)` when all hold; each client's line says how it stands,
/// and a broken one names the first entry that no longer matches.
pub fn verify(db: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    // Like `check`, verify only reads: no upgrade, no lock, nothing beside the file.
    let store = super::open_for_reading(db, "verify it")?;
    let reports = store.verify_chains()?;
    let mut all_hold = true;
    for report in &reports {
        match &report.result {
            Ok(links) => writeln!(
                out,
                "ok: {} — {}",
                report.client_name,
                super::counted("{n} link holds|{n} links hold", *links)
            )?,
            Err(broken) => {
                all_hold = false;
                writeln!(out, "BROKEN: {} — {broken}", report.client_name)?;
            }
        }
    }
    if all_hold {
        writeln!(
            out,
            "ok: {} — every chain holds ({})",
            db.display(),
            super::counted("{n} client|{n} clients", reports.len())
        )?;
    } else {
        writeln!(out, "the evidence record of {} does not hold", db.display())?;
    }
    Ok(all_hold)
}
