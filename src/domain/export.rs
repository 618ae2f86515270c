//! A client's journal as a readable document — the record to keep when parting ways or to show
//! in a dispute: the client's details and contract clauses, every entry oldest first with its
//! time, direction, channel, minutes and whole text, each edit shown as an edit (what it said
//! before, and when that changed), the marks the user confirmed in cool-downs, and the evidence
//! chain's hashes, so a printed copy can be checked against the file later.
//!
//! Two renderings of one [`JournalRecord`]: Markdown, and self-contained HTML that prints well
//! (UTF-8, system fonts with Cyrillic, no scripts, no outside resources).

use std::fmt::Write as _;

use chrono::{DateTime, TimeZone, Utc};

use super::client::Client;
use super::cooldown::FactsReview;
use super::exchange::Exchange;
use super::history::EntryVersion;

/// The document's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentFormat {
    Markdown,
    Html,
}

impl DocumentFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
        }
    }
}

/// One entry with its link and its history.
#[derive(Clone, Debug)]
pub struct RecordedEntry {
    pub exchange: Exchange,
    pub seq: i64,
    pub hash: String,
    /// What it said before each edit, oldest first.
    pub versions: Vec<EntryVersion>,
    /// What the user confirmed about it in cool-downs, oldest first.
    pub reviews: Vec<(DateTime<Utc>, FactsReview)>,
}

/// A link of the chain whose entry is not in the journal: deleted (in the trash) or erased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbsentLink {
    pub seq: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
    pub erased: bool,
}

/// Everything the document shows.
#[derive(Clone, Debug)]
pub struct JournalRecord {
    pub client: Client,
    /// Oldest first.
    pub entries: Vec<RecordedEntry>,
    pub absent: Vec<AbsentLink>,
    /// The last link written: (seq, hash).
    pub head: Option<(i64, String)>,
    /// `Ok(links)` when the chain holds, else where it first breaks.
    pub chain: Result<usize, super::evidence::ChainBreak>,
}

/// The document's words, in the user's language (chosen by the app).
pub struct ExportWords<'a> {
    pub title: &'a str,
    pub exported: &'a str,
    pub details: &'a str,
    pub name: &'a str,
    pub contact_person: &'a str,
    pub contact: &'a str,
    pub contract: &'a str,
    pub scope: &'a str,
    pub terms: &'a str,
    pub refund: &'a str,
    pub termination: &'a str,
    pub notice_days: &'a str,
    pub fee: &'a str,
    pub status: &'a str,
    pub status_value: &'a str,
    pub kind: &'a str,
    pub kind_value: &'a str,
    pub notes: &'a str,
    pub entries: &'a str,
    pub total: &'a str,
    pub minutes: &'a str,
    pub direction: &'a dyn Fn(super::exchange::Direction) -> &'a str,
    pub channel: &'a dyn Fn(super::exchange::Channel) -> &'a str,
    pub mark: &'a dyn Fn(crate::reading::Label) -> &'a str,
    pub verdict: &'a dyn Fn(crate::reading::Verdict) -> &'a str,
    /// "Edited: the text before, written {written}, replaced {replaced}".
    pub version: &'a str,
    /// "Confirmed in the cool-down of {date}".
    pub reviewed: &'a str,
    pub verdict_label: &'a str,
    pub chain: &'a str,
    /// "{n} links; the last is {hash}. `calmdesk verify` recomputes them from the file."
    pub chain_body: &'a str,
    pub chain_holds: &'a str,
    /// "The chain does not hold: {reason}"
    pub chain_broken: &'a str,
    pub chain_break: &'a dyn Fn(&super::evidence::ChainBreak) -> String,
    pub link: &'a str,
    /// "link {seq}: deleted on {date}"
    pub deleted: &'a str,
    /// "link {seq}: erased for good on {date}"
    pub erased: &'a str,
    pub empty: &'a str,
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// A block of the document, rendered the same way in both formats.
enum Block {
    Title(String),
    Heading(String),
    Subheading(String),
    Field(String, String),
    Text(String),
    /// Client text: quoted, never read as the document's own markup.
    Quote(String),
    Small(String),
}

fn details(record: &JournalRecord, words: &ExportWords<'_>, out: &mut Vec<Block>) {
    let client = &record.client;
    out.push(Block::Heading(words.details.to_owned()));
    let contract = &client.contract;
    let notice = contract
        .notice_period_days
        .map(|days| days.to_string())
        .unwrap_or_default();
    let fee = client
        .fee
        .map(|fee| format!("{fee} / {}", client.billing_period.as_str()))
        .unwrap_or_default();
    let fields = [
        (words.name, client.name.as_str()),
        (words.contact_person, client.contact_person.as_str()),
        (words.contact, client.contact.as_str()),
        (words.contract, contract.reference.as_str()),
        (words.scope, contract.scope.as_str()),
        (words.terms, contract.terms.as_str()),
        (words.refund, contract.refund.as_str()),
        (words.termination, contract.termination.as_str()),
        (words.notice_days, notice.as_str()),
        (words.fee, fee.as_str()),
        (words.status, words.status_value),
        (words.kind, words.kind_value),
        (words.notes, client.notes.as_str()),
    ];
    for (label, value) in fields {
        if !value.trim().is_empty() {
            out.push(Block::Field(label.to_owned(), value.trim().to_owned()));
        }
    }
}

fn entry_blocks(
    entry: &RecordedEntry,
    words: &ExportWords<'_>,
    when: &dyn Fn(DateTime<Utc>) -> String,
    out: &mut Vec<Block>,
) {
    let exchange = &entry.exchange;
    out.push(Block::Subheading(format!(
        "{} · {} · {} · {} {}",
        when(exchange.occurred_at),
        (words.direction)(exchange.direction),
        (words.channel)(exchange.channel),
        exchange.minutes.get(),
        words.minutes
    )));
    out.push(Block::Quote(exchange.body.clone()));
    for version in &entry.versions {
        out.push(Block::Small(fill(
            words.version,
            &[
                ("written", &when(version.written_at)),
                ("replaced", &when(version.replaced_at)),
            ],
        )));
        out.push(Block::Small(format!(
            "{} · {} · {} · {} {}",
            when(version.occurred_at),
            (words.direction)(version.direction),
            (words.channel)(version.channel),
            version.minutes.get(),
            words.minutes
        )));
        out.push(Block::Quote(version.body.clone()));
        out.push(Block::Small(format!(
            "{} {} · sha256 {}",
            words.link, version.seq, version.hash
        )));
    }
    for (at, review) in &entry.reviews {
        out.push(Block::Text(fill(words.reviewed, &[("date", &when(*at))])));
        out.push(Block::Field(
            words.verdict_label.to_owned(),
            (words.verdict)(review.verdict()).to_owned(),
        ));
        for sentence in review.sentences() {
            if sentence.labels().is_empty() {
                continue;
            }
            let marks: Vec<&str> = sentence.labels().iter().map(|l| (words.mark)(*l)).collect();
            out.push(Block::Field(
                marks.join(", "),
                sentence.text().trim().to_owned(),
            ));
        }
    }
    out.push(Block::Small(format!(
        "{} {} · sha256 {}",
        words.link, entry.seq, entry.hash
    )));
}

fn blocks<Tz: TimeZone>(
    record: &JournalRecord,
    words: &ExportWords<'_>,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<Block>
where
    Tz::Offset: std::fmt::Display,
{
    let when = |instant: DateTime<Utc>| {
        instant
            .with_timezone(tz)
            .format("%Y-%m-%d %H:%M (UTC%:z)")
            .to_string()
    };
    let mut out = vec![Block::Title(format!(
        "{} — {}",
        words.title, record.client.name
    ))];
    out.push(Block::Field(words.exported.to_owned(), when(now)));
    details(record, words, &mut out);
    let total: u64 = record
        .entries
        .iter()
        .map(|entry| u64::from(entry.exchange.minutes.get()))
        .sum();
    out.push(Block::Heading(words.entries.to_owned()));
    out.push(Block::Field(
        words.total.to_owned(),
        format!("{total} {}", words.minutes),
    ));
    if record.entries.is_empty() {
        out.push(Block::Text(words.empty.to_owned()));
    }
    for entry in &record.entries {
        entry_blocks(entry, words, &when, &mut out);
    }
    out.push(Block::Heading(words.chain.to_owned()));
    let (links, head) = record
        .head
        .as_ref()
        .map_or((0, ""), |(seq, hash)| (*seq, hash.as_str()));
    out.push(Block::Text(fill(
        words.chain_body,
        &[("n", &links.to_string()), ("hash", head)],
    )));
    out.push(Block::Text(match &record.chain {
        Ok(_) => words.chain_holds.to_owned(),
        Err(broken) => fill(
            words.chain_broken,
            &[("reason", &(words.chain_break)(broken))],
        ),
    }));
    for link in &record.absent {
        let template = if link.erased {
            words.erased
        } else {
            words.deleted
        };
        out.push(Block::Small(format!(
            "{} · sha256 {}",
            fill(
                template,
                &[("seq", &link.seq.to_string()), ("date", &when(link.at))]
            ),
            link.hash
        )));
    }
    out
}

/// The record as a document in `format`. Times are shown in `tz` (the user's zone).
pub fn render<Tz: TimeZone>(
    record: &JournalRecord,
    format: DocumentFormat,
    words: &ExportWords<'_>,
    now: DateTime<Utc>,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let blocks = blocks(record, words, now, tz);
    match format {
        DocumentFormat::Markdown => markdown(&blocks),
        DocumentFormat::Html => html(&blocks, &record.client.name, words.title),
    }
}

fn markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Title(text) => {
                let _ = writeln!(out, "# {}\n", one_line(text));
            }
            Block::Heading(text) => {
                let _ = writeln!(out, "\n## {}\n", one_line(text));
            }
            Block::Subheading(text) => {
                let _ = writeln!(out, "\n### {}\n", one_line(text));
            }
            Block::Field(label, value) => {
                let _ = writeln!(out, "- **{}:** {}", one_line(label), one_line(value));
            }
            Block::Text(text) => {
                let _ = writeln!(out, "\n{}\n", one_line(text));
            }
            Block::Quote(text) => {
                // Every line quoted, so the client's text can never be read as the document's
                // own headings or lists.
                for line in text.lines() {
                    out.push_str("> ");
                    out.push_str(line);
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Small(text) => {
                let _ = writeln!(out, "<sub>{}</sub>\n", escape(&one_line(text)));
            }
        }
    }
    out
}

/// A field's text on one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'DejaVu Sans','Noto Sans','Segoe UI',Arial,sans-serif;\
max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}\
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #999;margin-top:2rem}\
h3{font-size:1rem;margin:1.4rem 0 .3rem;break-after:avoid}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.3rem 0}\
dt{font-weight:bold}dd{margin:0;white-space:pre-wrap}\
blockquote{margin:.3rem 0;padding:.4rem .8rem;border-left:3px solid #777;background:#f4f4f4;\
white-space:pre-wrap;overflow-wrap:anywhere;break-inside:avoid-page}\
.small{font-size:.8rem;color:#444;overflow-wrap:anywhere}\
@media print{body{margin:0;max-width:none}blockquote{background:none}}";

fn html(blocks: &[Block], client_name: &str, title: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title),
        escape(client_name)
    );
    let mut in_list = false;
    for block in blocks {
        let is_field = matches!(block, Block::Field(..));
        if in_list && !is_field {
            out.push_str("</dl>\n");
            in_list = false;
        }
        match block {
            Block::Title(text) => {
                let _ = writeln!(out, "<h1>{}</h1>", escape(text));
            }
            Block::Heading(text) => {
                let _ = writeln!(out, "<h2>{}</h2>", escape(text));
            }
            Block::Subheading(text) => {
                let _ = writeln!(out, "<h3>{}</h3>", escape(text));
            }
            Block::Field(label, value) => {
                if !in_list {
                    out.push_str("<dl>\n");
                    in_list = true;
                }
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
            }
            Block::Text(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape(text));
            }
            Block::Quote(text) => {
                let _ = writeln!(out, "<blockquote>{}</blockquote>", escape(text));
            }
            Block::Small(text) => {
                let _ = writeln!(out, "<p class=\"small\">{}</p>", escape(text));
            }
        }
    }
    if in_list {
        out.push_str("</dl>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A file name for the document: the client's name in safe characters, the date, the format.
pub fn export_file_name(client_name: &str, now: DateTime<Utc>, format: DocumentFormat) -> String {
    let safe: String = client_name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let safe = if safe.is_empty() {
        "client".to_owned()
    } else {
        safe
    };
    format!(
        "calmdesk-{safe}-{}.{}",
        now.format("%Y-%m-%d"),
        format.extension()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_say_the_format() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert_eq!(
            export_file_name("Кравцов / ИП", at, DocumentFormat::Markdown),
            "calmdesk-Кравцов-ИП-2026-03-01.md"
        );
        assert_eq!(
            export_file_name("///", at, DocumentFormat::Html),
            "calmdesk-client-2026-03-01.html"
        );
    }

    #[test]
    fn html_escapes_client_text() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }
}
