//! The tables the schema's triggers keep from the records, so that flags and the dashboard read
//! a few rows instead of working them out (migrations 0004, 0016, 0021, 0022). Each has a view,
//! `{table}_from_records`, that is its definition, and triggers named `{table}_...` that keep
//! it equal to that view row by row as records are written.
//!
//! Row by row is right for a save, and for a bundle of a week's work; for a bundle that brings
//! most of what a laptop will hold (a team's whole history on a laptop or hub that has none),
//! working each table out once from its definition after the records are written costs less
//! than a trigger for every row written (an import of a million changes: about 8 s of
//! triggers against 1.5 s to make the tables again in the import's transaction).
use rusqlite::Connection;

pub const TABLES: [&str; 3] = ["case_activity", "assessments_to_book", "arrests_in_sequence"];

/// Does `work` (writes in the caller's transaction) with the kept tables' triggers set aside,
/// then makes each kept table again from its definition and puts the triggers back as they
/// were. If `work` fails, its error is returned before anything is made again; the caller's
/// transaction, rolled back, takes back the triggers' removal with everything else.
pub fn made_again_after<T, E: From<rusqlite::Error>>(tx: &Connection, work: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let named = TABLES.map(|t| format!("name GLOB '{t}_*'")).join(" OR ");
    let triggers: Vec<(String, String)> = tx
        .prepare(&format!("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ({named})"))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
    }
    let out = work()?;
    for table in TABLES {
        tx.execute_batch(&format!("DELETE FROM {table}; INSERT INTO {table} SELECT * FROM {table}_from_records;"))?;
    }
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    Ok(out)
}
