//! The schema, applied in order and tracked in `PRAGMA user_version`. A shipped migration is
//! never edited: a change is a new file.
use super::StoreError;
use rusqlite::Connection;

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_foundation", include_str!("../../../migrations/0001_foundation.sql")),
    ("0002_client_register", include_str!("../../../migrations/0002_client_register.sql")),
    ("0003_custody_court", include_str!("../../../migrations/0003_custody_court.sql")),
    ("0004_flags_at_scale", include_str!("../../../migrations/0004_flags_at_scale.sql")),
    ("0005_drr", include_str!("../../../migrations/0005_drr.sql")),
    ("0006_prison", include_str!("../../../migrations/0006_prison.sql")),
    ("0007_dashboard", include_str!("../../../migrations/0007_dashboard.sql")),
    ("0008_sync", include_str!("../../../migrations/0008_sync.sql")),
    ("0009_governance", include_str!("../../../migrations/0009_governance.sql")),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::NewerSchema { found: current, known: latest() });
    }
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
