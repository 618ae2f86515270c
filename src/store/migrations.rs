//! The schema, as numbered migrations tracked in `PRAGMA user_version`.
//!
//! Append only: a migration that has been released is never edited, because databases in the
//! field were built by it. Add a new `M::up` at the end instead; `tests/store_migrations.rs`
//! validates the list and upgrades a database made by migration 1.

use std::sync::LazyLock;

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

/// 5: history and evidence. Stable ids (`uid`) for clients, entries and cool-downs, so an export
/// can be merged into another database without duplicates; each entry's hash chained per client
/// (`domain::evidence`), with a head per client; the previous versions of edited entries; a trash
/// that survives restart; the links of entries erased for good (hashes only). FTS5
/// `secure-delete`, so a deleted entry's words leave the index's pages, and the index rebuilt
/// once so that words deleted before this version leave them too. The hook then chains every
/// existing entry, oldest first.
const MIGRATION_5: &str = r#"
ALTER TABLE clients ADD COLUMN uid TEXT;
UPDATE clients SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX clients_by_uid ON clients (uid);

ALTER TABLE exchanges ADD COLUMN uid TEXT;
-- The link of the entry's current content in its client's chain.
ALTER TABLE exchanges ADD COLUMN seq INTEGER;
ALTER TABLE exchanges ADD COLUMN prev_hash TEXT;
ALTER TABLE exchanges ADD COLUMN hash TEXT;
UPDATE exchanges SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX exchanges_by_uid ON exchanges (uid);

ALTER TABLE cooldowns ADD COLUMN uid TEXT;
UPDATE cooldowns SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX cooldowns_by_uid ON cooldowns (uid);

-- The last link written for each client: a chain cut short is told from a whole one.
CREATE TABLE chain_heads (
    client_id  INTEGER PRIMARY KEY REFERENCES clients (client_id) ON DELETE RESTRICT,
    seq        INTEGER NOT NULL CHECK (seq > 0),
    hash       TEXT NOT NULL
);

-- What an entry said before each edit, with the link it had. No foreign key to exchanges: an
-- entry in the trash keeps its versions until the trash is emptied.
CREATE TABLE exchange_versions (
    version_id   INTEGER PRIMARY KEY,
    exchange_id  INTEGER NOT NULL,
    client_id    INTEGER NOT NULL REFERENCES clients (client_id) ON DELETE RESTRICT,
    direction    TEXT NOT NULL CHECK (direction IN ('from_client', 'to_client', 'note')),
    channel      TEXT NOT NULL
                 CHECK (channel IN ('email', 'phone', 'messenger', 'meeting', 'other')),
    occurred_at  TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
    body         TEXT NOT NULL,
    written_at   TEXT NOT NULL,
    replaced_at  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX exchange_versions_by_exchange ON exchange_versions (exchange_id, seq);

-- Deleted entries, whole, until the user restores them or empties the trash. `cooldowns` lists
-- the sessions that were about the entry, so a restore links them again.
CREATE TABLE exchange_trash (
    exchange_id  INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (client_id) ON DELETE RESTRICT,
    direction    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    uid          TEXT NOT NULL UNIQUE,
    seq          INTEGER NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    trashed_at   TEXT NOT NULL,
    cooldowns    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cooldowns))
);
CREATE INDEX exchange_trash_by_client ON exchange_trash (client_id);

-- Links whose words the user erased for good: the hashes stay, so the chain still holds and
-- shows that something was erased there, and when.
CREATE TABLE chain_erased (
    client_id    INTEGER NOT NULL REFERENCES clients (client_id) ON DELETE RESTRICT,
    seq          INTEGER NOT NULL,
    exchange_id  INTEGER NOT NULL,
    entry_uid    TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    erased_at    TEXT NOT NULL,
    PRIMARY KEY (client_id, seq)
);

INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO exchanges_fts (exchanges_fts) VALUES ('rebuild');
"#;

/// 6: each entry's time beside its id, in an index of its own. Newest-first search looks up the
/// time of every match by id: from this index it reads a few small pages instead of the table's
/// leaves, which hold the texts (about three times faster on 100 000 entries).
const MIGRATION_6: &str = r#"
CREATE INDEX exchanges_time_by_id ON exchanges (exchange_id, occurred_at);
"#;

/// 7: how many entries each client has, kept by triggers in the writes' own transactions, so
/// the client list reads forty numbers instead of counting every journal (a `count(*)` walks
/// a client's whole index: tens of milliseconds at a million entries). Any writer keeps it,
/// SQLite's own shell included, since the triggers are plain SQL.
const MIGRATION_7: &str = r#"
CREATE TABLE client_entry_counts (
    client_id  INTEGER PRIMARY KEY,
    entries    INTEGER NOT NULL CHECK (entries >= 0)
);
INSERT INTO client_entry_counts (client_id, entries)
    SELECT client_id, count(*) FROM exchanges GROUP BY client_id;

CREATE TRIGGER client_entry_counts_insert AFTER INSERT ON exchanges BEGIN
    INSERT INTO client_entry_counts (client_id, entries) VALUES (new.client_id, 1)
        ON CONFLICT (client_id) DO UPDATE SET entries = entries + 1;
END;

CREATE TRIGGER client_entry_counts_delete AFTER DELETE ON exchanges BEGIN
    UPDATE client_entry_counts SET entries = entries - 1 WHERE client_id = old.client_id;
END;

CREATE TRIGGER client_entry_counts_move AFTER UPDATE OF client_id ON exchanges
    WHEN old.client_id IS NOT new.client_id BEGIN
    UPDATE client_entry_counts SET entries = entries - 1 WHERE client_id = old.client_id;
    INSERT INTO client_entry_counts (client_id, entries) VALUES (new.client_id, 1)
        ON CONFLICT (client_id) DO UPDATE SET entries = entries + 1;
END;

CREATE TRIGGER client_entry_counts_client_gone AFTER DELETE ON clients BEGIN
    DELETE FROM client_entry_counts WHERE client_id = old.client_id;
END;
"#;

/// An entry's search key, from the columns of the row `$row` (`new`, `old` or a table): its
/// time in whole seconds since 1970 (clamped to 0 ..= 2³² − 1, so 1970 to 2106) above its id
/// (31 bits). Keys sort exactly as (`occurred_at` desc, `exchange_id` desc) read backwards, and
/// are unique, as long as ids stay below 2³¹ (a trigger refuses any id above).
macro_rules! search_key {
    ($row:literal) => {
        concat!(
            "((min(max(coalesce(unixepoch(",
            $row,
            ".occurred_at), 0), 0), 4294967295) << 31) | ",
            $row,
            ".exchange_id)"
        )
    };
}

/// 9: the search index keyed by time. Its rowid is each entry's search key (see
/// [`search_key!`]) instead of its id, so newest first is the index's own order: FTS5 reads
/// the matches backwards and stops at the limit, without sorting every match by date (at a
/// million entries a two-letter prefix matches hundreds of thousands). The index is external
/// content over a view that shows each entry's key beside its text; FTS5 never reads the text
/// back (the snippets are made in Rust), only a rebuild or an integrity check would. Still in
/// `secure-delete` mode, so the words of a deleted entry leave the index's pages; the old
/// index's pages are zeroed as it is dropped (`secure_delete` is on). The (id, time) index
/// that newest-first search used to read (migration 6) has no reader left and goes. The hook
/// then fills the index in key order, with progress (`store::upgrade`). `IF EXISTS`: a file
/// that another program set back to an older version number still upgrades.
const MIGRATION_9: &str = concat!(
    r#"
DROP TRIGGER IF EXISTS exchanges_fts_insert;
DROP TRIGGER IF EXISTS exchanges_fts_delete;
DROP TRIGGER IF EXISTS exchanges_fts_update;
DROP TRIGGER IF EXISTS exchanges_id_fits_search_key;
DROP TABLE IF EXISTS exchanges_fts;
DROP VIEW IF EXISTS exchanges_search_content;
DROP INDEX IF EXISTS exchanges_time_by_id;

CREATE VIEW exchanges_search_content AS
    SELECT "#,
    search_key!("exchanges"),
    r#" AS search_key, body FROM exchanges;

CREATE VIRTUAL TABLE exchanges_fts USING fts5 (
    body,
    content = 'exchanges_search_content',
    content_rowid = 'search_key',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('secure-delete', 1);

-- The key keeps the id in 31 bits.
CREATE TRIGGER exchanges_id_fits_search_key BEFORE INSERT ON exchanges
    WHEN new.exchange_id >= 2147483648 BEGIN
    SELECT RAISE(ABORT, 'exchange_id too large for the search key');
END;

CREATE TRIGGER exchanges_fts_insert AFTER INSERT ON exchanges BEGIN
    INSERT INTO exchanges_fts (rowid, body) VALUES ("#,
    search_key!("new"),
    r#", new.body);
END;

CREATE TRIGGER exchanges_fts_delete AFTER DELETE ON exchanges BEGIN
    INSERT INTO exchanges_fts (exchanges_fts, rowid, body) VALUES ('delete', "#,
    search_key!("old"),
    r#", old.body);
END;

-- A new date moves the entry in the index's order: out under its old key, in under the new.
CREATE TRIGGER exchanges_fts_update AFTER UPDATE OF body, occurred_at, exchange_id ON exchanges BEGIN
    INSERT INTO exchanges_fts (exchanges_fts, rowid, body) VALUES ('delete', "#,
    search_key!("old"),
    r#", old.body);
    INSERT INTO exchanges_fts (rowid, body) VALUES ("#,
    search_key!("new"),
    r#", new.body);
END;
"#
);

/// 10: the index's words (`store::terms`), so a typed prefix of four or more letters can be
/// asked as the whole words it starts. Triggers note each entry whose text is written; the
/// writing transaction adds its words (`terms::absorb_new_terms`). The hook fills the list from
/// the index's own vocabulary. `IF EXISTS`, as 9: a file set back to an older version number
/// by another program still upgrades, and its list is made again.
const MIGRATION_10: &str = r#"
DROP TRIGGER IF EXISTS search_terms_note_insert;
DROP TRIGGER IF EXISTS search_terms_note_update;
DROP TABLE IF EXISTS search_terms;
DROP TABLE IF EXISTS search_terms_pending;

CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE search_terms_pending (exchange_id INTEGER PRIMARY KEY);

CREATE TRIGGER search_terms_note_insert AFTER INSERT ON exchanges BEGIN
    INSERT OR IGNORE INTO search_terms_pending (exchange_id) VALUES (new.exchange_id);
END;

CREATE TRIGGER search_terms_note_update AFTER UPDATE OF body, exchange_id ON exchanges BEGIN
    INSERT OR IGNORE INTO search_terms_pending (exchange_id) VALUES (new.exchange_id);
END;
"#;

/// The migrations, in order (5, 9 and 10 run Rust code in their transactions: the chain's
/// hashes, the search index's fill, its words; 11 is plain SQL again).
pub static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    let mut list = MIGRATION_LIST.to_vec();
    list.push(M::up_with_hook(
        MIGRATION_5,
        |tx: &rusqlite::Transaction<'_>| {
            super::chain::chain_existing_entries(tx)
                .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))
        },
    ));
    list.extend(LATER_MIGRATIONS.iter().map(|sql| M::up(sql)));
    list.push(M::up_with_hook(
        MIGRATION_9,
        |tx: &rusqlite::Transaction<'_>| {
            super::upgrade::fill_search_index(tx)
                .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))
        },
    ));
    list.push(M::up_with_hook(
        MIGRATION_10,
        |tx: &rusqlite::Transaction<'_>| {
            super::terms::fill_search_terms(tx)
                .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))
        },
    ));
    list.extend(FINAL_MIGRATIONS.iter().map(|sql| M::up(sql)));
    Migrations::new(list)
});

/// 11: the (client, time) index carries each entry's direction and minutes.
const MIGRATION_11: &str = r#"
-- The Picture reads every entry's time and minutes, and every message's time, of one client:
-- with these in the index that is a walk of the index alone, not a lookup of each entry's row
-- (at 100 000 entries 0.6 s a read, and a save re-reads it while the Picture is shown). The
-- journal's pages read the same index by its first three columns, as before.
DROP INDEX exchanges_by_client_time;
CREATE INDEX exchanges_by_client_time
    ON exchanges (client_id, occurred_at DESC, exchange_id DESC, direction, minutes);
"#;
/// The plain migrations after 10.
const FINAL_MIGRATIONS: [&str; 1] = [MIGRATION_11];

/// 8: each client's minutes kept beside its entry count.
const MIGRATION_8: &str = r#"
-- Each client's minutes beside its entry count, kept by the same triggers: the journal's header
-- reads one row instead of summing every entry.
ALTER TABLE client_entry_counts ADD COLUMN minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0);
UPDATE client_entry_counts SET minutes = coalesce(
    (SELECT sum(minutes) FROM exchanges e WHERE e.client_id = client_entry_counts.client_id), 0);

DROP TRIGGER client_entry_counts_insert;
DROP TRIGGER client_entry_counts_delete;
DROP TRIGGER client_entry_counts_move;

CREATE TRIGGER client_entry_counts_insert AFTER INSERT ON exchanges BEGIN
    INSERT INTO client_entry_counts (client_id, entries, minutes)
        VALUES (new.client_id, 1, new.minutes)
        ON CONFLICT (client_id) DO UPDATE
        SET entries = entries + 1, minutes = minutes + excluded.minutes;
END;

CREATE TRIGGER client_entry_counts_delete AFTER DELETE ON exchanges BEGIN
    UPDATE client_entry_counts SET entries = entries - 1, minutes = minutes - old.minutes
        WHERE client_id = old.client_id;
END;

CREATE TRIGGER client_entry_counts_move AFTER UPDATE OF client_id, minutes ON exchanges
    WHEN old.client_id IS NOT new.client_id OR old.minutes IS NOT new.minutes BEGIN
    UPDATE client_entry_counts SET entries = entries - 1, minutes = minutes - old.minutes
        WHERE client_id = old.client_id;
    INSERT INTO client_entry_counts (client_id, entries, minutes)
        VALUES (new.client_id, 1, new.minutes)
        ON CONFLICT (client_id) DO UPDATE
        SET entries = entries + 1, minutes = minutes + excluded.minutes;
END;
"#;
const LATER_MIGRATIONS: [&str; 3] = [MIGRATION_6, MIGRATION_7, MIGRATION_8];

/// The schema version this build writes: the number of migrations (the list, 5, the later
/// plain ones, 9, 10, the final plain ones).
pub const LATEST_VERSION: u32 =
    (MIGRATION_LIST.len() + 1 + LATER_MIGRATIONS.len() + 2 + FINAL_MIGRATIONS.len()) as u32;

/// The SQL of an entry's search key over the table `exchanges` (for the index's fill).
pub(super) const SEARCH_KEY_OF_EXCHANGES: &str = search_key!("exchanges");
