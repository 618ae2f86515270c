//! A client's journal as a readable document: the record to keep when parting ways or to show
//! in a dispute. Plain Markdown, oldest entry first, every entry whole.

use chrono::{DateTime, TimeZone, Utc};

use super::client::Client;
use super::exchange::{Direction, Exchange};

/// The words of the document, in the user's language (supplied by the UI).
pub struct ExportWords<'a> {
    pub title: &'a str,
    pub exported: &'a str,
    pub contract: &'a str,
    pub from_client: &'a str,
    pub to_client: &'a str,
    pub note: &'a str,
    pub minutes: &'a str,
    pub total: &'a str,
}

/// The journal as Markdown. Times are shown in `tz` (the user's zone).
pub fn journal_as_markdown<Tz: TimeZone>(
    client: &Client,
    exchanges: &[Exchange],
    words: &ExportWords<'_>,
    now: DateTime<Utc>,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let when = |instant: DateTime<Utc>| {
        instant
            .with_timezone(tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let mut out = format!("# {} — {}\n\n", words.title, client.name);
    out.push_str(&format!("{}: {}\n", words.exported, when(now)));
    if !client.contract.reference.trim().is_empty() {
        out.push_str(&format!(
            "{}: {}\n",
            words.contract,
            client.contract.reference.trim()
        ));
    }
    let total: u64 = exchanges
        .iter()
        .map(|exchange| u64::from(exchange.minutes.get()))
        .sum();
    out.push_str(&format!("{}: {} {}\n", words.total, total, words.minutes));
    let mut ordered: Vec<&Exchange> = exchanges.iter().collect();
    ordered.sort_by_key(|exchange| (exchange.occurred_at, exchange.exchange_id));
    for exchange in ordered {
        let direction = match exchange.direction {
            Direction::FromClient => words.from_client,
            Direction::ToClient => words.to_client,
            Direction::Note => words.note,
        };
        out.push_str(&format!(
            "\n## {} · {} · {} · {} {}\n\n",
            when(exchange.occurred_at),
            direction,
            exchange.channel.as_str(),
            exchange.minutes.get(),
            words.minutes
        ));
        for line in exchange.body.lines() {
            // Quote every line so the client's text can never be read as the document's own headings.
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A file name for the export: the client's name in safe characters and the date.
pub fn export_file_name(client_name: &str, now: DateTime<Utc>) -> String {
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
    format!("calmdesk-{safe}-{}.md", now.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, ClientId, ClientStatus, Contract, ExchangeId, Minutes};

    fn exchange(id: i64, day: u32, direction: Direction, body: &str) -> Exchange {
        let at = Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap();
        Exchange {
            exchange_id: ExchangeId(id),
            client_id: ClientId(1),
            direction,
            channel: Channel::Email,
            occurred_at: at,
            minutes: Minutes::new(10).unwrap(),
            body: body.into(),
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_export_lists_every_entry_whole_oldest_first_and_quoted() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let client = Client {
            client_id: ClientId(1),
            name: "Кравцов / ИП".into(),
            contact: String::new(),
            contact_person: String::new(),
            contract: Contract {
                reference: "Договор № 17".into(),
                ..Contract::default()
            },
            fee: None,
            billing_period: Default::default(),
            included_support: None,
            status: ClientStatus::Active,
            ending: None,
            scheduled_end: None,
            kind: None,
            notes: String::new(),
            created_at: at,
            updated_at: at,
        };
        let exchanges = [
            exchange(2, 5, Direction::ToClient, "Добрый день!\n# not a heading"),
            exchange(1, 2, Direction::FromClient, "Где отчёт?"),
        ];
        let words = ExportWords {
            title: "Journal",
            exported: "Exported",
            contract: "Contract",
            from_client: "From client",
            to_client: "To client",
            note: "Note",
            minutes: "min",
            total: "Time spent",
        };
        let text = journal_as_markdown(&client, &exchanges, &words, at, &Utc);
        assert!(text.starts_with("# Journal — Кравцов / ИП\n"), "{text}");
        assert!(text.contains("Contract: Договор № 17"));
        assert!(text.contains("Time spent: 20 min"));
        let first = text.find("Где отчёт?").unwrap();
        let second = text.find("Добрый день!").unwrap();
        assert!(first < second, "oldest first");
        assert!(
            text.contains("> # not a heading"),
            "client text is quoted: {text}"
        );
        assert_eq!(
            export_file_name("Кравцов / ИП", at),
            "calmdesk-Кравцов-ИП-2026-03-01.md"
        );
        assert_eq!(export_file_name("///", at), "calmdesk-client-2026-03-01.md");
    }
}
