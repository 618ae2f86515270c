//! How instants are written in the file: RFC 3339 in UTC to the second ("2026-03-12T11:05:00Z"),
//! so text order is time order and the file stays readable with any SQLite tool.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::{FromSqlError, ValueRef};

pub fn to_sql(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn from_sql(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<DateTime<Utc>> {
    let text = value.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .map(|instant| instant.with_timezone(&Utc))
        .map_err(|error| FromSqlError::Other(Box::new(error)))
}

/// Reads column `index` of `row` as an instant.
pub fn column(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let value = row.get_ref(index)?;
    from_sql(value).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, value.data_type(), Box::new(error))
    })
}
