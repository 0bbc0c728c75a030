//! A new laptop (or the partnership hub) joins with a snapshot of the team's database rather
//! than by replaying every change the team ever made: the lead's database copied whole
//! (SQLite's online backup), encrypted under a key of its own that travels sealed in the join
//! file, with what is the lead laptop's alone taken out. The new device copies it into its own
//! database under its own key, page by page, so joining takes about as long as copying the file
//! whatever the size of the team, and the device then syncs incrementally like any other.
use super::SyncError;
use crate::store::progress::Progress;
use crate::store::{backup, migrate, DatabaseKey, Store};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::path::Path;
use zeroize::Zeroizing;

/// What is the lead laptop's own and never leaves it: its signing key, its audit trail (and
/// the people each entry listed), the bundles it sent and received, what it knows the others
/// hold. The joining device starts each afresh.
pub const THIS_LAPTOPS: &[&str] = &["sync_identity", "audit_listed", "audit_log", "sync_bundles", "sync_acknowledged"];

/// Rows that are the laptop's and are set for the joining device rather than taken out.
pub const SET_FOR_THE_NEW_DEVICE: &[&str] = &["installation", "device_state"];

/// A snapshot made: the file's bytes, the key it is encrypted under, and its hash (the join
/// file seals both, so a snapshot changed or swapped on the way is refused).
pub struct Snapshot {
    pub bytes: Vec<u8>,
    pub key: Zeroizing<[u8; 32]>,
    pub sha256: String,
}

pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The team's database as `device_id` will hold it on joining: everything the team holds, with
/// the lead laptop's own rows out, the new device's identity in, and its numbers starting at 1.
/// This laptop is acknowledged as holding everything in it.
pub fn make(store: &Store, device_id: &str, progress: &mut dyn Progress) -> Result<Snapshot, SyncError> {
    let key = DatabaseKey::generate();
    let holdings = super::holdings(store.reader())?;
    let (_, from_device) = super::installation(store.reader())?;
    let now = store.clock().now().to_rfc3339();
    let path = store.path().with_file_name(format!("throughline-snapshot-{device_id}.db"));
    let set_for_the_new_device = |conn: &Connection| -> rusqlite::Result<()> {
        // Every row removed from the copy was zeroed as it went (`copy_for_another`).
        conn.execute(
            "UPDATE installation SET device_id = ?1, created_at = ?2, free_space_clean = 1 WHERE id = 1",
            params![device_id, now],
        )?;
        conn.execute("UPDATE device_state SET next_seq = 1 WHERE id = 1", [])?;
        // What the joining device then sends this laptop starts after what this laptop has.
        let mut ack = conn.prepare("INSERT INTO sync_acknowledged (peer_id, origin_id, seq) VALUES (?1, ?2, ?3)")?;
        for (origin, seq) in &holdings {
            ack.execute(params![from_device, origin, seq])?;
        }
        Ok(())
    };
    let bytes = backup::copy_for_another(store.reader(), &path, &key, THIS_LAPTOPS, set_for_the_new_device, progress)?;
    let sha256 = sha256(&bytes);
    Ok(Snapshot { bytes, key: key.0.clone(), sha256 })
}

/// Makes the database at `path` under `key` from a snapshot (checked against the hash its join
/// file sealed), and opens it.
pub fn take(
    path: &Path,
    key: &DatabaseKey,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    bytes: &[u8],
    snapshot_key: &[u8; 32],
    expected_sha256: &str,
    progress: &mut dyn Progress,
) -> Result<Store, SyncError> {
    let transfer = DatabaseKey(Zeroizing::new(*snapshot_key));
    // Checked on the other core while it is written; nothing is opened until it has passed, and
    // a file that does not pass is removed.
    let (hash, taken) = std::thread::scope(|s| {
        let hashing = s.spawn(|| sha256(bytes));
        let taken = backup::take_copy(bytes, &transfer, path, key, progress);
        (hashing.join().unwrap_or_default(), taken)
    });
    if hash != expected_sha256 {
        crate::store::remove_database(path);
        return Err(SyncError::Corrupt("the team's data in the file is not what was sealed with it".into()));
    }
    taken?;
    let store = Store::open(path, key, clock)?;
    // The copy is data, not code: a trigger or view planted in the lead's database would run
    // on this laptop's every write, so anything this version does not make itself is refused.
    if migrate::schema(store.reader())? != migrate::expected_schema()? {
        return Err(SyncError::Corrupt(
            "the team's data in the file has tables, triggers or views this version of Throughline does not make".into(),
        ));
    }
    authority_as_its_operations_say(store.reader())?;
    Ok(store)
}

/// Who may do what travels as records: workers, their roles and keys, team settings, laptops. In the
/// copy each must be what its own operations make it (as a replay would), so a record changed in
/// the lead's database outside the app, with no operation behind it, does not spread to every
/// laptop that joins.
fn authority_as_its_operations_say(conn: &Connection) -> Result<(), SyncError> {
    for (record_type, table) in
        super::records::all().into_iter().filter(|(t, _)| matches!(*t, "worker" | "worker_key" | "team_setting" | "device"))
    {
        let ids: Vec<String> = conn.prepare(&format!("SELECT id FROM {table}"))?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for id in ids {
            let changes = crate::store::history::of_record(conn, record_type, &id)?;
            let before = conn.total_changes();
            super::apply::project(conn, table, &id, &changes)?;
            if changes.is_empty() || conn.total_changes() != before {
                return Err(SyncError::Corrupt(format!(
                    "in the team's data in the file, a {record_type} record is not what its changes say (it was altered outside Throughline)"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table is either the team's (it travels) or this laptop's (it does not): a table
    /// added later has to be placed here before a snapshot can carry it.
    #[test]
    fn every_table_is_the_teams_or_this_laptops() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(crate::clock::FixedClock::at("2026-11-23T09:00:00Z"));
        let store = Store::create_in_team(&dir.path().join("t.db"), &DatabaseKey::generate(), clock, "team", "Team", "laptop").unwrap();
        let the_teams: Vec<&str> = super::super::records::all()
            .into_iter()
            .map(|(_, t)| t)
            .chain([
                "operations",
                "operation_signatures",
                "worker_key_requests",
                "client_search",
                "client_name_keys",
                "case_activity",
                "assessments_to_book",
                "arrests_in_sequence",
                "sync_chains",
                "sync_refused_ops",
                "sync_team_keys",
                "sync_audit_witness",
                "sync_conflict_fields",
                "schema_migrations",
            ])
            .collect();
        let tables: Vec<String> = store
            .reader()
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'client_search_%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let unplaced: Vec<&String> = tables
            .iter()
            .filter(|t| ![the_teams.as_slice(), THIS_LAPTOPS, SET_FOR_THE_NEW_DEVICE].iter().any(|list| list.contains(&t.as_str())))
            .collect();
        assert!(unplaced.is_empty(), "tables neither the team's nor this laptop's: {unplaced:?}");
    }
}
