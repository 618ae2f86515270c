//! `calmdesk search TEXT [--db PATH] [--newest | --ranked] [--limit N] [--json]`: the window's
//! search on the command line, for scripts and for timing a search as a whole process. It never
//! writes (see `open_for_reading`).

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::domain::search::{SearchHit, SearchOrder};

/// One hit for scripts.
#[derive(Debug, Serialize)]
struct HitLine {
    exchange_id: i64,
    client_id: i64,
    client: String,
    occurred_at: String,
    direction: &'static str,
    /// The snippet as plain text.
    snippet: String,
    /// The matched words, as written in the entry.
    matched: Vec<String>,
}

fn hit_line(hit: &SearchHit) -> HitLine {
    HitLine {
        exchange_id: hit.exchange_id.0,
        client_id: hit.client_id.0,
        client: hit.client_name.clone(),
        occurred_at: hit.occurred_at.to_rfc3339(),
        direction: hit.direction.as_str(),
        snippet: hit.snippet.iter().map(|part| part.text.as_str()).collect(),
        matched: hit
            .snippet
            .iter()
            .filter(|part| part.is_match)
            .map(|part| part.text.clone())
            .collect(),
    }
}

/// The snippet with its matched words in brackets.
fn bracketed(hit: &SearchHit) -> String {
    hit.snippet
        .iter()
        .map(|part| {
            if part.is_match {
                format!("[{}]", part.text)
            } else {
                part.text.clone()
            }
        })
        .collect()
}

/// `calmdesk search`: the words as given, best match first when `ranked`, to standard output.
pub fn run_words(
    path: &Path,
    words: &[String],
    ranked: bool,
    limit: u32,
    json: bool,
) -> anyhow::Result<()> {
    let order = if ranked {
        SearchOrder::BestMatch
    } else {
        SearchOrder::Newest
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let stdout = &mut std::io::stdout().lock();
    run(path, &words.join(" "), order, limit, json, stdout)
}

/// Searches the database at `path` for `typed` and writes the hits to `out`.
pub fn run(
    path: &Path,
    typed: &str,
    order: SearchOrder,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = super::open_for_reading(path, "search")?;
    let results = store.search_results(typed, order, limit)?;
    if let Some(within) = results.ranked_within {
        // Beside the hits, not among them: a script reading the hits is not misled.
        eprintln!("Best matches among the {within} newest matches.");
    }
    let hits = results.hits;
    if json {
        let lines: Vec<HitLine> = hits.iter().map(hit_line).collect();
        serde_json::to_writer_pretty(&mut *out, &lines)?;
        writeln!(out)?;
        return Ok(());
    }
    if hits.is_empty() {
        writeln!(out, "No entry contains {typed:?}.")?;
    }
    for hit in &hits {
        writeln!(
            out,
            "{}  {}  {}  {}",
            hit.occurred_at.format("%Y-%m-%d %H:%M UTC"),
            hit.client_name,
            hit.direction.as_str(),
            bracketed(hit).trim()
        )?;
    }
    Ok(())
}
