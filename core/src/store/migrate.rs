//! The schema, applied in order and tracked in `PRAGMA user_version`. A shipped migration is
//! never edited: a change is a new file.
//!
//! Every step a database lacks is applied in one transaction with the new `user_version`, so an
//! upgrade either completes or leaves the database exactly as the previous version wrote it.
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
    apply(conn, MIGRATIONS)
}

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

fn apply(conn: &mut Connection, migrations: &[Migration]) -> Result<(), StoreError> {
    let current = version_of(conn)?;
    let known = migrations.len() as i64;
    if current > known {
        return Err(StoreError::NewerSchema { found: current, known });
    }
    if current == known {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    for (name, sql) in migrations.iter().skip(current as usize) {
        // Dropping the transaction on the way out rolls every step back.
        tx.execute_batch(sql).map_err(|e| StoreError::MigrationFailed { step: (*name).to_string(), reason: e.to_string() })?;
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit().map_err(|e| StoreError::MigrationFailed { step: "saving the update".into(), reason: e.to_string() })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::store::{content_hash, DatabaseKey, Store};
    use std::sync::Arc;

    #[test]
    fn a_failed_update_leaves_the_database_as_it_was_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("throughline.db");
        let key = DatabaseKey::generate();
        let store = Store::create(&path, &key, Arc::new(FixedClock::at("2026-11-23T09:00:00Z")), "Team").unwrap();
        let before = content_hash(store.reader()).unwrap();
        drop(store);

        let mut conn = super::super::open_encrypted(&path, &key, false).unwrap();
        let mut steps: Vec<Migration> = MIGRATIONS.to_vec();
        steps
            .push(("0098_fine", "CREATE TABLE added_by_a_later_version (id TEXT PRIMARY KEY); ALTER TABLE clients ADD COLUMN later TEXT;"));
        steps.push(("0099_broken", "INSERT INTO no_such_table VALUES (1);"));
        let err = apply(&mut conn, &steps).unwrap_err();
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
        Store::open(&path, &key, Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))).unwrap();
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
