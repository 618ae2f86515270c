//! A file as an older calmdesk (schema 7) left it, for the tests of upgrading one.

use calmdesk::store::migrations::{APPLICATION_ID, MIGRATIONS};

/// The bodies of the two entries in [`schema_7_file`], oldest first: 25 and 20 minutes.
pub const BODIES: [&str; 2] = ["Where is the report?", "Attached, with the figures."];

/// A schema-7 file at `path`: the client Acme (id 1) with the two entries of [`BODIES`].
pub fn schema_7_file(path: &std::path::Path) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    MIGRATIONS.to_version(&mut conn, 7).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute(
        "INSERT INTO clients (client_id, name, created_at, updated_at, uid) \
         VALUES (1, 'Acme', '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z', 'c1')",
        [],
    )
    .unwrap();
    for (index, (body, minutes)) in BODIES.iter().zip([25, 20]).enumerate() {
        let at = format!("2026-03-0{}T09:00:00Z", index + 1);
        conn.execute(
            "INSERT INTO exchanges (client_id, direction, channel, occurred_at, minutes, body, \
               created_at, updated_at, uid) VALUES (1, ?1, 'email', ?2, ?3, ?4, ?2, ?2, ?5)",
            rusqlite::params![
                ["from_client", "to_client"][index],
                at,
                minutes,
                body,
                format!("e{index}")
            ],
        )
        .unwrap();
    }
}
