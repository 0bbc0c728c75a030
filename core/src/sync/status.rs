//! Sync status as the sync screen shows it: when this laptop last exported and imported, what
//! is not yet exported, the bundles imported, the team's laptops, conflicts waiting.
use super::devices::{self, DeviceView};
use super::SyncError;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportedBundle {
    pub from: String,
    pub at: DateTime<Utc>,
    pub exported_at: DateTime<Utc>,
    pub operations: usize,
    pub new_operations: usize,
    pub up_to: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncStatus {
    pub this_laptop: String,
    pub last_export: Option<DateTime<Utc>>,
    pub last_import: Option<DateTime<Utc>>,
    /// Changes made on this laptop since its last export.
    pub not_exported: usize,
    pub imports: Vec<ImportedBundle>,
    pub devices: Vec<DeviceView>,
    pub open_conflicts: usize,
}

/// How many recent imports the status lists.
const RECENT_IMPORTS: i64 = 20;

/// `for_worker`: count only the conflicts that worker sees (a team lead sees them all).
pub fn status(conn: &Connection, for_worker: Option<&str>) -> Result<SyncStatus, SyncError> {
    let (_, device_id) = super::installation(conn)?;
    let last = |direction: &str| -> rusqlite::Result<Option<DateTime<Utc>>> {
        conn.query_row("SELECT max(at) FROM sync_bundles WHERE direction = ?1", [direction], |r| r.get(0))
    };
    let exported_up_to: i64 =
        conn.query_row("SELECT coalesce(max(own_seq), 0) FROM sync_bundles WHERE direction = 'export'", [], |r| r.get(0))?;
    // A laptop's own changes are numbered without a gap, so the newest number says how many
    // there are (counting them read millions of index entries on a busy laptop).
    let newest: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM operations WHERE device_id = ?1", [&device_id], |r| r.get(0))?;
    let not_exported = (newest - exported_up_to).max(0);
    let mut stmt = conn.prepare(
        "SELECT coalesce(d.label, 'an unknown laptop'), b.at, b.exported_at, b.operations, b.new_operations, b.up_to_hlc
         FROM sync_bundles b LEFT JOIN devices d ON d.id = b.device_id
         WHERE b.direction = 'import' ORDER BY b.at DESC LIMIT ?1",
    )?;
    let imports = stmt
        .query_map([RECENT_IMPORTS], |r| {
            Ok(ImportedBundle {
                from: r.get(0)?,
                at: r.get(1)?,
                exported_at: r.get(2)?,
                operations: r.get::<_, i64>(3)? as usize,
                new_operations: r.get::<_, i64>(4)? as usize,
                up_to: r.get::<_, Option<i64>>(5)?.map(super::millis_to_time),
            })
        })?
        .collect::<Result<_, _>>()?;
    let devices = devices::views(conn, &device_id)?;
    let this_laptop = devices.iter().find(|d| d.this_laptop).map(|d| d.label.clone()).unwrap_or_else(|| "This laptop".into());
    Ok(SyncStatus {
        this_laptop,
        last_export: last("export")?,
        last_import: last("import")?,
        not_exported: not_exported as usize,
        imports,
        devices,
        open_conflicts: super::conflicts::list(conn, for_worker)?.len(),
    })
}
