//! The search index's words (`search_terms`, migration 10): every term FTS5 has indexed, kept
//! beside the index so that a typed prefix of four or more letters becomes the few whole words
//! it starts. FTS5 answers such a prefix by merging the match lists of all its terms before the
//! first row (its own prefix indexes cover two and three letters only): at a million entries
//! that is 3–15 ms a word, where the same words asked as whole terms stream newest first and
//! stop at the limit in a tenth of a millisecond.
//!
//! The list is a superset of the index's words, built by the index's own tokenizer, so it is
//! never a guess at how FTS5 splits a text: triggers note each entry written
//! (`search_terms_pending`), and [`absorb_new_terms`] runs those texts through a scratch FTS5
//! table with the same tokenizer and keeps its words, in the writing transaction. Words of
//! deleted entries stay (a whole word that matches nothing costs nothing). While any entry is
//! still noted — another program wrote to the file — search does not use the list at all.

use rusqlite::{Connection, Transaction, params};

use super::StoreResult;

/// The tokenizer of `exchanges_fts` (migration 9), which the scratch table must share; a test
/// compares it with the index's own definition.
pub(super) const INDEX_TOKENIZER: &str = "unicode61 remove_diacritics 2";

/// How many noted entries go through the scratch table at a time, so an import of a million
/// entries never holds them all in memory.
const ABSORB_BATCH: i64 = 2_000;

/// The noted entries' texts up to id `?1`. CROSS JOIN: the notes lead. Left to itself the
/// planner moves the bound onto `exchanges` and walks every entry below it (450 ms a write at a
/// million entries).
const NOTED_TEXTS: &str = "SELECT e.exchange_id, e.body FROM search_terms_pending p \
     CROSS JOIN exchanges e ON e.exchange_id = p.exchange_id WHERE p.exchange_id <= ?1";

/// The texts in the trash and their earlier versions, for [`forget_words_of_trash`]. The trash
/// leads (CROSS JOIN), so the versions are read by their index, not walked.
const TRASH_TEXTS: &str = "SELECT body FROM exchange_trash UNION ALL \
     SELECT v.body FROM exchange_trash t CROSS JOIN exchange_versions v \
     ON v.exchange_id = t.exchange_id";

/// Fills `search_terms` from the index itself (the upgrade to migration 10).
pub(super) fn fill_search_terms(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(
        "CREATE VIRTUAL TABLE temp.exchanges_fts_words USING fts5vocab(main, exchanges_fts, row);
         INSERT OR IGNORE INTO search_terms (term) SELECT term FROM temp.exchanges_fts_words;
         DROP TABLE temp.exchanges_fts_words;",
    )?;
    Ok(())
}

/// Adds the words of every entry noted since the last time to `search_terms`, and clears the
/// notes, inside `tx` (the transaction that wrote them): when it commits, the list is complete.
pub(super) fn absorb_new_terms(tx: &Transaction<'_>) -> StoreResult<()> {
    if !words_waiting(tx)? {
        return Ok(());
    }
    create_scratch(tx)?;
    let mut next_batch = tx.prepare_cached(
        "SELECT max(exchange_id) FROM (SELECT exchange_id FROM search_terms_pending \
         ORDER BY exchange_id LIMIT ?1)",
    )?;
    let mut tokenize = tx.prepare_cached(&format!(
        "INSERT INTO temp.new_words_text (rowid, body) {NOTED_TEXTS}"
    ))?;
    let mut keep = tx.prepare_cached(
        "INSERT OR IGNORE INTO search_terms (term) SELECT term FROM temp.new_words",
    )?;
    let mut clear_scratch = tx.prepare_cached(CLEAR_SCRATCH)?;
    let mut clear_notes =
        tx.prepare_cached("DELETE FROM search_terms_pending WHERE exchange_id <= ?1")?;
    while let Some(last) =
        next_batch.query_row(params![ABSORB_BATCH], |row| row.get::<_, Option<i64>>(0))?
    {
        tokenize.execute(params![last])?;
        keep.execute([])?;
        clear_scratch.execute([])?;
        clear_notes.execute(params![last])?;
    }
    Ok(())
}

/// Whether any entry's words wait to be added to the list (another program wrote, or a write
/// of ours has not committed its words yet): then the list is not complete.
pub(super) fn words_waiting(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM search_terms_pending)",
        [],
        |row| row.get(0),
    )
}

/// Empties the scratch table.
const CLEAR_SCRATCH: &str =
    "INSERT INTO temp.new_words_text (new_words_text) VALUES ('delete-all')";

/// The scratch table that splits texts into words as the index does, and its word list.
/// Contentless (each text needs a rowid, any will do) and without positions or sizes: only its
/// vocabulary is read. In memory (`temp_store`), so the words of erased texts never reach a
/// temporary file.
fn create_scratch(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.new_words_text USING fts5 (
             body, content = '', detail = none, columnsize = 0, tokenize = '{INDEX_TOKENIZER}');
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.new_words
             USING fts5vocab(temp, new_words_text, row);"
    ))?;
    Ok(())
}

/// Takes out of the list every word of the texts in the trash (and their earlier versions)
/// that no entry in the index still has, so the words of texts erased for good leave the file
/// with them. Run in the transaction that empties the trash, before it deletes them.
pub(super) fn forget_words_of_trash(tx: &Transaction<'_>) -> StoreResult<()> {
    create_scratch(tx)?;
    tx.execute(
        &format!(
            "INSERT INTO temp.new_words_text (rowid, body) \
             SELECT row_number() OVER (), body FROM ({TRASH_TEXTS})"
        ),
        [],
    )?;
    let words: Vec<String> = tx
        .prepare("SELECT term FROM temp.new_words")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    tx.execute(CLEAR_SCRATCH, [])?;
    let mut still_indexed = tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM exchanges_fts WHERE exchanges_fts MATCH ?1)",
    )?;
    let mut forget = tx.prepare_cached("DELETE FROM search_terms WHERE term = ?1")?;
    for word in words {
        // Quoted as a phrase of one word: FTS5 reads its own output back unchanged.
        if !still_indexed.query_row(params![phrase(&word)], |row| row.get::<_, bool>(0))? {
            forget.execute(params![word])?;
        }
    }
    Ok(())
}

/// `text` as an FTS5 string: in double quotes, a quote in it doubled, so nothing in it is read
/// as query syntax.
pub(super) fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Commits `tx`, a transaction that wrote entries, with their words added to the list.
pub(super) fn commit_entries(tx: Transaction<'_>) -> StoreResult<()> {
    absorb_new_terms(&tx)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn plan(store: &Store, sql: &str, bound: &[i64]) -> Vec<String> {
        store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .and_then(|mut statement| {
                statement
                    .query_map(rusqlite::params_from_iter(bound), |row| {
                        row.get::<_, String>(3)
                    })?
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn the_texts_are_read_by_key_never_by_walking_the_journal() {
        let store = Store::open_in_memory().unwrap_or_else(|error| panic!("{error}"));
        let noted = plan(&store, NOTED_TEXTS, &[1]);
        assert!(noted[0].starts_with("SEARCH p "), "{noted:?}");
        assert!(
            noted[1].starts_with("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"),
            "{noted:?}"
        );
        let trash = plan(&store, TRASH_TEXTS, &[]);
        assert!(
            trash
                .iter()
                .any(|step| step.starts_with("SEARCH v USING INDEX exchange_versions_by_exchange")),
            "{trash:?}"
        );
        assert!(
            !trash.iter().any(|step| step.starts_with("SCAN v")),
            "{trash:?}"
        );
    }

    #[test]
    fn the_scratch_table_splits_texts_as_the_index_does() {
        let store = Store::open_in_memory().unwrap_or_else(|error| panic!("{error}"));
        let index_sql: String = store
            .conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'exchanges_fts'",
                [],
                |row| row.get(0),
            )
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(
            index_sql.contains(&format!("tokenize = '{INDEX_TOKENIZER}'")),
            "{index_sql}"
        );
    }
}
