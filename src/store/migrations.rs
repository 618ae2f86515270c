//! The schema, as numbered migrations tracked in `PRAGMA user_version`.
//!
//! Append only: a migration that has been released is never edited, because databases in the
//! field were built by it. Add a new `M::up` at the end instead; `tests/store_migrations.rs`
//! validates the list and upgrades a database made by migration 1.

use rusqlite_migration::{M, Migrations};

/// Written into the file header (`PRAGMA application_id`) so a calmdesk database can be told
/// from any other SQLite file: "CALM" in ASCII.
pub const APPLICATION_ID: i32 = 0x4341_4C4D;

const MIGRATION_LIST: &[M<'static>] = &[
    // 1: clients and their journal, with a full-text index over the journal.
    M::up(
        r#"
CREATE TABLE clients (
    client_id           INTEGER PRIMARY KEY,
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    contact             TEXT NOT NULL DEFAULT '',
    contract_reference  TEXT NOT NULL DEFAULT '',
    clause_scope        TEXT NOT NULL DEFAULT '',
    clause_terms        TEXT NOT NULL DEFAULT '',
    clause_refund       TEXT NOT NULL DEFAULT '',
    clause_termination  TEXT NOT NULL DEFAULT '',
    notice_period_days  INTEGER CHECK (notice_period_days >= 0),
    fee_minor_units     INTEGER CHECK (fee_minor_units >= 0),
    currency            TEXT NOT NULL DEFAULT 'EUR' CHECK (length(currency) = 3),
    billing_period      TEXT NOT NULL DEFAULT 'month'
                        CHECK (billing_period IN ('month', 'quarter', 'year')),
    status              TEXT NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'paused', 'ended')),
    ended_at            TEXT,
    ended_reason        TEXT,
    kind                TEXT CHECK (kind IN ('bad_day', 'let_down', 'defects', 'lost')),
    notes               TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);

CREATE TABLE exchanges (
    exchange_id  INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (client_id) ON DELETE RESTRICT,
    direction    TEXT NOT NULL CHECK (direction IN ('from_client', 'to_client', 'note')),
    channel      TEXT NOT NULL
                 CHECK (channel IN ('email', 'phone', 'messenger', 'meeting', 'other')),
    occurred_at  TEXT NOT NULL,
    minutes      INTEGER NOT NULL DEFAULT 0 CHECK (minutes BETWEEN 0 AND 1440),
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE INDEX exchanges_by_client_time ON exchanges (client_id, occurred_at DESC, exchange_id DESC);

-- External-content FTS5 over the journal text. unicode61 folds case for Cyrillic and Latin and
-- strips diacritics (ё = е); the 2- and 3-character prefix indexes keep search-as-you-type fast.
CREATE VIRTUAL TABLE exchanges_fts USING fts5 (
    body,
    content = 'exchanges',
    content_rowid = 'exchange_id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER exchanges_fts_insert AFTER INSERT ON exchanges BEGIN
    INSERT INTO exchanges_fts (rowid, body) VALUES (new.exchange_id, new.body);
END;

CREATE TRIGGER exchanges_fts_delete AFTER DELETE ON exchanges BEGIN
    INSERT INTO exchanges_fts (exchanges_fts, rowid, body) VALUES ('delete', old.exchange_id, old.body);
END;

CREATE TRIGGER exchanges_fts_update AFTER UPDATE OF body ON exchanges BEGIN
    INSERT INTO exchanges_fts (exchanges_fts, rowid, body) VALUES ('delete', old.exchange_id, old.body);
    INSERT INTO exchanges_fts (rowid, body) VALUES (new.exchange_id, new.body);
END;
"#,
    ),
    // 2: cool-down sessions and the user's settings.
    M::up(
        r#"
-- One row per cool-down. The session itself is one JSON document (domain::cooldown::CoolDown),
-- written whole after every change; the columns beside it are what lists and joins need.
CREATE TABLE cooldowns (
    cooldown_id  INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (client_id) ON DELETE RESTRICT,
    exchange_id  INTEGER REFERENCES exchanges (exchange_id) ON DELETE SET NULL,
    step         TEXT NOT NULL
                 CHECK (step IN ('wait', 'vent', 'facts', 'reply', 'decide', 'done')),
    started_at   TEXT NOT NULL,
    wait_until   TEXT NOT NULL,
    finished_at  TEXT,
    state        TEXT NOT NULL CHECK (json_valid(state)),
    updated_at   TEXT NOT NULL
);

CREATE INDEX cooldowns_by_client ON cooldowns (client_id, started_at);
CREATE INDEX cooldowns_open ON cooldowns (finished_at) WHERE finished_at IS NULL;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
"#,
    ),
    // 3: the person a reply greets, an end that honours the notice period, and each client's
    // history of kinds and statuses (nothing the user decided is overwritten without a trace).
    M::up(
        r#"
ALTER TABLE clients ADD COLUMN contact_person TEXT NOT NULL DEFAULT '';
-- A scheduled end: the last working day (YYYY-MM-DD, the user's calendar) and why. Until that
-- day the client keeps its status; then it is ended with this reason.
ALTER TABLE clients ADD COLUMN end_on TEXT;
ALTER TABLE clients ADD COLUMN end_on_reason TEXT;

CREATE TABLE client_history (
    event_id   INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients (client_id) ON DELETE RESTRICT,
    at         TEXT NOT NULL,
    what       TEXT NOT NULL
               CHECK (what IN ('kind', 'status', 'end_scheduled', 'end_cancelled')),
    old_value  TEXT,
    new_value  TEXT,
    note       TEXT NOT NULL DEFAULT ''
);

CREATE INDEX client_history_by_client ON client_history (client_id, at);
CREATE INDEX clients_ending ON clients (end_on) WHERE end_on IS NOT NULL;
"#,
    ),
    // 4: the ledger. What a fee is for beyond a month, quarter or year (an hour of work, a whole
    // project), the support a plan includes when the user says so, and the reader's mark of each
    // message from a client, kept so the heat over time is drawn without re-reading the journal.
    M::up(
        r#"
-- NULL: the fee is per `billing_period`. 'hour': an hourly rate; 'project': a one-off fee.
ALTER TABLE clients ADD COLUMN fee_per TEXT CHECK (fee_per IN ('hour', 'project'));
-- Support included each month, in minutes, when the user set it (at most 31 days of minutes).
ALTER TABLE clients ADD COLUMN included_minutes INTEGER
    CHECK (included_minutes BETWEEN 0 AND 44640);

-- Derived data: rebuilt from the journal whenever it is missing, stale (`reader` is the reader's
-- version) or its entry's text changed. Deleting the entry deletes its mark.
CREATE TABLE readings (
    exchange_id  INTEGER PRIMARY KEY REFERENCES exchanges (exchange_id) ON DELETE CASCADE,
    reader       TEXT NOT NULL,
    heat         INTEGER NOT NULL CHECK (heat BETWEEN 0 AND 100),
    threatened   INTEGER NOT NULL CHECK (threatened IN (0, 1)),
    insulted     INTEGER NOT NULL CHECK (insulted IN (0, 1)),
    language     TEXT NOT NULL CHECK (language IN ('en', 'ru'))
);

CREATE TRIGGER readings_stale AFTER UPDATE OF body, direction ON exchanges BEGIN
    DELETE FROM readings WHERE exchange_id = new.exchange_id;
END;
"#,
    ),
];

/// The migrations, in order.
pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// The schema version this build writes: the number of migrations.
pub const LATEST_VERSION: u32 = MIGRATION_LIST.len() as u32;
