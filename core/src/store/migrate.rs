//! The schema, applied in order and tracked in `PRAGMA user_version`. A shipped migration is
//! never edited: a change is a new file.
//!
//! Every step a database lacks is applied in one transaction with the new `user_version`, so an
//! upgrade either completes or leaves the database exactly as the previous version wrote it.
//! A large team's first sign-in after an update can spend many seconds here (a step that makes
//! an index reads a whole table), so the steps are told as they go.
use super::progress::{Progress, Unwatched};
use super::StoreError;
use rusqlite::Connection;

type Migration = (&'static str, &'static str);

const MIGRATIONS: &[Migration] = &[
    ("0001_foundation", include_str!("../../../migrations/0001_foundation.sql")),
    ("0002_client_register", include_str!("../../../migrations/0002_client_register.sql")),
    ("0003_custody_court", include_str!("../../../migrations/0003_custody_court.sql")),
    ("0004_flags_at_scale", include_str!("../../../migrations/0004_flags_at_scale.sql")),
    ("0005_drr", include_str!("../../../migrations/0005_drr.sql")),
    ("0006_prison", include_str!("../../../migrations/0006_prison.sql")),
    ("0007_dashboard", include_str!("../../../migrations/0007_dashboard.sql")),
    ("0008_sync", include_str!("../../../migrations/0008_sync.sql")),
    ("0009_governance", include_str!("../../../migrations/0009_governance.sql")),
    ("0010_retention", include_str!("../../../migrations/0010_retention.sql")),
    ("0011_trust", include_str!("../../../migrations/0011_trust.sql")),
    ("0012_key_after_revocation", include_str!("../../../migrations/0012_key_after_revocation.sql")),
    ("0013_listed", include_str!("../../../migrations/0013_listed.sql")),
    ("0014_hub", include_str!("../../../migrations/0014_hub.sql")),
    ("0015_one_caseload_dashboard", include_str!("../../../migrations/0015_one_caseload_dashboard.sql")),
    ("0016_arrests_in_sequence", include_str!("../../../migrations/0016_arrests_in_sequence.sql")),
    ("0017_case_activity_on_contact", include_str!("../../../migrations/0017_case_activity_on_contact.sql")),
    ("0018_search_ranked_from_an_index", include_str!("../../../migrations/0018_search_ranked_from_an_index.sql")),
    ("0019_worker_keys", include_str!("../../../migrations/0019_worker_keys.sql")),
    ("0020_whole_case_from_their_indexes", include_str!("../../../migrations/0020_whole_case_from_their_indexes.sql")),
    ("0021_consent_in_case_activity", include_str!("../../../migrations/0021_consent_in_case_activity.sql")),
    ("0022_arrests_by_worker", include_str!("../../../migrations/0022_arrests_by_worker.sql")),
    ("0023_name_keys_carry_their_ranking", include_str!("../../../migrations/0023_name_keys_carry_their_ranking.sql")),
    ("0024_dashboard_reads_narrow_indexes", include_str!("../../../migrations/0024_dashboard_reads_narrow_indexes.sql")),
    ("0025_births_carry_search_ids", include_str!("../../../migrations/0025_births_carry_search_ids.sql")),
    ("0026_names_carry_what_duplicates_compare", include_str!("../../../migrations/0026_names_carry_what_duplicates_compare.sql")),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// The schema version a database was last written with.
pub fn version_of(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a database from a newer Throughline before anything is written to it.
pub fn check_not_newer(conn: &Connection) -> Result<i64, StoreError> {
    let current = version_of(conn)?;
    if current > latest() {
        return Err(StoreError::NewerSchema { found: current, known: latest() });
    }
    Ok(current)
}

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_watched(conn, &mut Unwatched)
}

/// As [`migrate`], telling `progress` each step before it starts (nothing when there is none).
pub fn migrate_watched(conn: &mut Connection, progress: &mut dyn Progress) -> Result<(), StoreError> {
    apply(conn, MIGRATIONS, progress)
}

/// What the worker reads while the steps run.
pub const UPDATING: &str = "Updating this laptop's records for the new version of Throughline";

/// A database's every table, index, trigger and view as (kind, name, SQL), in name order.
pub fn schema(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The schema this version's migrations make from nothing: a database from elsewhere (a join
/// file's snapshot) must have exactly this, so it brings no trigger or view of its own.
pub fn expected_schema() -> Result<Vec<(String, String, Option<String>)>, StoreError> {
    let mut conn = Connection::open_in_memory()?;
    super::functions(&conn)?;
    migrate(&mut conn)?;
    schema(&conn)
}

fn apply(conn: &mut Connection, migrations: &[Migration], progress: &mut dyn Progress) -> Result<(), StoreError> {
    let current = version_of(conn)?;
    let known = migrations.len() as i64;
    if current > known {
        return Err(StoreError::NewerSchema { found: current, known });
    }
    if current == known {
        return Ok(());
    }
    let steps = (known - current) as u64;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    let indexes_before = index_names(&tx)?;
    for (done, (name, sql)) in migrations.iter().skip(current as usize).enumerate() {
        // Dropping the transaction on the way out (an error, or the worker's Cancel) rolls every
        // step back.
        progress.step(UPDATING, done as u64, steps)?;
        tx.execute_batch(sql).map_err(|e| StoreError::MigrationFailed { step: (*name).to_string(), reason: e.to_string() })?;
    }
    if current > 0 {
        measure_new_indexes(&tx, &indexes_before)?;
    }
    tx.pragma_update(None, "user_version", known)?;
    progress.step(UPDATING, steps, steps)?;
    tx.commit().map_err(|e| StoreError::MigrationFailed { step: "saving the update".into(), reason: e.to_string() })?;
    Ok(())
}

fn index_names(conn: &Connection) -> Result<std::collections::HashSet<String>, StoreError> {
    Ok(schema(conn)?.into_iter().filter(|(kind, ..)| kind == "index").map(|(_, name, _)| name).collect())
}

/// The query planner's statistics for each index the update made, taken while its pages are
/// fresh from being written. Left to the refresh at opening (`Store::refresh_statistics`), they
/// would be taken with every other index of the same tables, read back from the disk: 11 s of a
/// first sign-in at bench scale with the file cache cold, against well under one here.
fn measure_new_indexes(conn: &Connection, before: &std::collections::HashSet<String>) -> Result<(), StoreError> {
    conn.execute_batch("PRAGMA analysis_limit = 1000;")?;
    for name in index_names(conn)?.difference(before) {
        // Names from sqlite_master, as this build's migrations wrote them.
        conn.execute_batch(&format!("ANALYZE \"{name}\";"))
            .map_err(|e| StoreError::MigrationFailed { step: format!("measuring {name}"), reason: e.to_string() })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::store::{content_hash, DatabaseKey, Store};
    use std::sync::Arc;

    /// A database this version made, opened as an update opens it, with its key and its
    /// content's hash.
    fn made_by_this_version() -> (tempfile::TempDir, DatabaseKey, Connection, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("throughline.db");
        let key = DatabaseKey::generate();
        let store = Store::create(&path, &key, Arc::new(FixedClock::at("2026-11-23T09:00:00Z")), "Team").unwrap();
        let before = content_hash(store.reader()).unwrap();
        drop(store);
        let conn = super::super::open_encrypted(&path, &key, false).unwrap();
        (dir, key, conn, before)
    }

    #[test]
    fn a_failed_update_leaves_the_database_as_it_was_and_says_so() {
        let (dir, key, mut conn, before) = made_by_this_version();
        let mut steps: Vec<Migration> = MIGRATIONS.to_vec();
        steps
            .push(("0098_fine", "CREATE TABLE added_by_a_later_version (id TEXT PRIMARY KEY); ALTER TABLE clients ADD COLUMN later TEXT;"));
        steps.push(("0099_broken", "INSERT INTO no_such_table VALUES (1);"));
        let err = apply(&mut conn, &steps, &mut Unwatched).unwrap_err();
        assert!(matches!(&err, StoreError::MigrationFailed { step, .. } if step == "0099_broken"), "{err}");
        let words = err.to_string();
        assert!(words.contains("0099_broken") && words.contains("unchanged"), "{words}");

        assert_eq!(version_of(&conn).unwrap(), latest(), "the version is the old one");
        let added: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'added_by_a_later_version'", [], |r| r.get(0)).unwrap();
        assert_eq!(added, 0, "the step before the broken one was rolled back too");
        assert_eq!(content_hash(&conn).unwrap(), before);
        drop(conn);
        // And the current version still opens it.
        Store::open(&dir.path().join("throughline.db"), &key, Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))).unwrap();
    }

    /// Records each report, and answers Cancel at the report numbered `cancel_at`.
    struct Watching {
        seen: Vec<(String, u64, u64)>,
        cancel_at: Option<usize>,
    }
    impl Progress for Watching {
        fn step(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError> {
            if self.cancel_at == Some(self.seen.len()) {
                return Err(StoreError::Cancelled);
            }
            self.seen.push((doing.to_string(), done, total));
            Ok(())
        }
    }

    /// The steps of a version two steps later than this one: a table of 100 rows, then an index.
    fn two_steps_later() -> Vec<Migration> {
        let mut steps: Vec<Migration> = MIGRATIONS.to_vec();
        steps.push((
            "0098_first",
            "CREATE TABLE later_one (id INTEGER PRIMARY KEY, n INTEGER);
             WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 100) INSERT INTO later_one (n) SELECT n % 7 FROM i;",
        ));
        steps.push(("0099_second", "CREATE INDEX later_one_by_n ON later_one (n);"));
        steps
    }

    #[test]
    fn an_update_tells_each_step_as_it_starts_and_nothing_when_there_is_none() {
        let (_dir, _, mut conn, _) = made_by_this_version();
        let mut watching = Watching { seen: Vec::new(), cancel_at: None };
        migrate_watched(&mut conn, &mut watching).unwrap();
        assert!(watching.seen.is_empty(), "an up-to-date database opens without an update shown: {:?}", watching.seen);

        apply(&mut conn, &two_steps_later(), &mut watching).unwrap();
        let told: Vec<(u64, u64)> = watching.seen.iter().map(|(_, done, total)| (*done, *total)).collect();
        assert_eq!(told, vec![(0, 2), (1, 2), (2, 2)], "each step before it starts, then the whole");
        assert!(watching.seen.iter().all(|(doing, _, _)| doing == UPDATING));
        assert_eq!(version_of(&conn).unwrap(), latest() + 2);
        // The new index was measured by the update, so opening does not read its table to do so.
        let measured: String = conn
            .query_row("SELECT stat FROM sqlite_stat1 WHERE idx = 'later_one_by_n'", [], |r| r.get(0))
            .expect("the new index's statistics");
        assert!(measured.starts_with("100 "), "{measured}");
    }

    #[test]
    fn an_update_stopped_between_steps_leaves_the_database_as_it_was() {
        let (_dir, _, mut conn, before) = made_by_this_version();
        let err = apply(&mut conn, &two_steps_later(), &mut Watching { seen: Vec::new(), cancel_at: Some(1) }).unwrap_err();
        assert!(matches!(err, StoreError::Cancelled), "{err}");
        assert_eq!(version_of(&conn).unwrap(), latest());
        let made: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'later_one'", [], |r| r.get(0)).unwrap();
        assert_eq!(made, 0, "the first step was undone with the rest");
        assert_eq!(content_hash(&conn).unwrap(), before);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_and_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("throughline.db");
        let key = DatabaseKey::generate();
        let store = Store::create(&path, &key, Arc::new(FixedClock::at("2026-11-23T09:00:00Z")), "Team").unwrap();
        store.reader().pragma_update(None, "user_version", latest() + 1).unwrap();
        drop(store);
        let bytes = std::fs::read(&path).unwrap();

        let err = Store::open(&path, &key, Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))).err().expect("refused");
        assert!(matches!(err, StoreError::NewerSchema { found, known } if found == latest() + 1 && known == latest()));
        assert!(err.to_string().contains("newer Throughline"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file is exactly as the newer version left it");
        assert!(
            !dir.path().join("throughline.db-wal").exists() || std::fs::metadata(dir.path().join("throughline.db-wal")).unwrap().len() == 0
        );
    }
}
