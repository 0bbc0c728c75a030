//! Applying another laptop's operations: each once (by op id), in one transaction, and records
//! brought to what their operations say whatever order they arrived in.
use super::records::Schema;
use super::SyncError;
use crate::store::history::{self, Change};
use crate::store::progress::Progress;
use crate::store::record::{from_sql, to_sql};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde_json::{Map, Value};

/// An operation as it arrived, its names checked against the schema before it is applied.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub op_id: String,
    pub device_id: String,
    pub seq: i64,
    pub hlc: i64,
    pub worker_id: String,
    pub record_type: String,
    pub record_id: String,
    pub kind: &'static str,
    pub changes: String,
}

impl Incoming {
    /// The operation as its author signs it ([`crate::store::signing`]).
    pub fn change(&self) -> crate::store::signing::Change<'_> {
        crate::store::signing::Change {
            op_id: &self.op_id,
            device_id: &self.device_id,
            seq: self.seq,
            hlc: self.hlc,
            worker_id: &self.worker_id,
            record_type: &self.record_type,
            record_id: &self.record_id,
            kind: self.kind,
            changes: &self.changes,
        }
    }
}

pub const KINDS: [&str; 4] = ["create", "update", "append", "retract"];

/// Applies what is new in `ops`; returns how many were new.
pub fn apply(conn: &Connection, schema: &Schema, ops: &[Incoming], progress: &mut dyn Progress) -> Result<usize, SyncError> {
    let mut new = 0;
    let mut max_hlc = 0;
    let total = ops.len() as u64;
    for (done, op) in ops.iter().enumerate() {
        progress.item("Applying the changes", done as u64, total)?;
        let Some(table) = schema.table(&op.record_type) else {
            return Err(SyncError::Corrupt(format!("it names an unknown kind of record ({})", op.record_type)));
        };
        let fields: Map<String, Value> = match serde_json::from_str(&op.changes) {
            Ok(Value::Object(map)) => map,
            _ => return Err(SyncError::Corrupt("a change in it could not be read".into())),
        };
        if let Some(bad) = fields.keys().find(|f| !schema.has_field(&op.record_type, f)) {
            return Err(SyncError::Corrupt(format!("it changes a field this version does not have ({}.{bad})", op.record_type)));
        }
        let inserted = conn
            .prepare_cached(
                "INSERT INTO operations (op_id, device_id, seq, hlc, worker_id, record_type, record_id, kind, changes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (op_id) DO NOTHING",
            )?
            .execute(params![op.op_id, op.device_id, op.seq, op.hlc, op.worker_id, op.record_type, op.record_id, op.kind, op.changes])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => SyncError::Corrupt(format!(
                    "its change number {} of laptop {} is not the change this laptop holds under that number",
                    op.seq, op.device_id
                )),
                e => e.into(),
            })?;
        if inserted == 0 {
            continue;
        }
        new += 1;
        max_hlc = max_hlc.max(op.hlc);
        let new_values = || fields.iter().map(|(k, v)| (k.as_str(), v.get(1).unwrap_or(&Value::Null)));
        // Most operations arrive in order, each the latest of a record only one laptop has
        // changed: they apply as they are. Anything else brings the record to what all its
        // operations say, and notes fields that more than one laptop changed.
        match (op.kind, before(conn, op)?) {
            // A record's first operation inserts it; if the row is somehow there already, the
            // insert fails and the record is projected from its log instead.
            ("create" | "append", Before::Nothing) if insert_row(conn, table, &op.record_id, new_values()).is_ok() => {}
            ("update", Before::SameLaptopEarlier) => update_row(conn, table, &op.record_id, new_values())?,
            _ => {
                let changes = history::of_record(conn, &op.record_type, &op.record_id)?;
                project(conn, table, &op.record_id, &changes)?;
                note_shared_fields(conn, op, &fields, &changes)?;
            }
        }
    }
    progress.item("Applying the changes", total, total)?;
    // Clocks move on past what arrived, so a change made here afterwards sorts after it.
    conn.execute("UPDATE device_state SET last_hlc = max(last_hlc, ?1) WHERE id = 1", [max_hlc])?;
    Ok(new)
}

/// What a record's other operations are, as an incoming one meets them.
enum Before {
    Nothing,
    /// All from the incoming operation's laptop, and all earlier than it.
    SameLaptopEarlier,
    Other,
}

fn before(conn: &Connection, op: &Incoming) -> rusqlite::Result<Before> {
    // One pass over the record's operations: the latest other one, and whether any came from
    // another laptop.
    let (latest, elsewhere): (Option<i64>, bool) = conn
        .prepare_cached(
            "SELECT max(hlc), coalesce(max(device_id <> ?3), 0) FROM operations
             WHERE record_type = ?1 AND record_id = ?2 AND op_id <> ?4",
        )?
        .query_row(params![op.record_type, op.record_id, op.device_id, op.op_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let Some(latest) = latest else { return Ok(Before::Nothing) };
    Ok(if !elsewhere && latest < op.hlc { Before::SameLaptopEarlier } else { Before::Other })
}

fn insert_row<'v>(conn: &Connection, table: &str, id: &str, fields: impl Iterator<Item = (&'v str, &'v Value)>) -> rusqlite::Result<()> {
    let mut columns = vec!["id"];
    let mut values = vec![rusqlite::types::Value::Text(id.to_string())];
    for (field, value) in fields.filter(|(f, _)| *f != "id") {
        columns.push(field);
        values.push(to_sql(value));
    }
    let sql = format!("INSERT INTO {table} ({}) VALUES ({})", columns.join(", "), vec!["?"; columns.len()].join(", "));
    conn.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    Ok(())
}

fn update_row<'v>(conn: &Connection, table: &str, id: &str, fields: impl Iterator<Item = (&'v str, &'v Value)>) -> rusqlite::Result<()> {
    let (mut sets, mut values) = (Vec::new(), Vec::new());
    for (field, value) in fields {
        sets.push(format!("{field} = ?"));
        values.push(to_sql(value));
    }
    values.push(rusqlite::types::Value::Text(id.to_string()));
    conn.prepare_cached(&format!("UPDATE {table} SET {} WHERE id = ?", sets.join(", ")))?.execute(params_from_iter(values))?;
    Ok(())
}

/// Brings one record to what its operations say: each field holds the value of the change of it
/// that wins. A record whose creation has not arrived yet waits for it.
pub fn project(conn: &Connection, table: &str, id: &str, changes: &[Change]) -> rusqlite::Result<()> {
    let mut fields: Vec<&String> = changes.iter().flat_map(|c| c.fields.keys()).collect();
    fields.sort_unstable();
    fields.dedup();
    let wanted: Vec<(&str, Value)> =
        fields.iter().filter_map(|f| history::winner(changes, f).and_then(|w| w.new_value(f)).map(|v| (f.as_str(), v.clone()))).collect();
    let current: Option<Map<String, Value>> = conn
        .prepare_cached(&format!("SELECT * FROM {table} WHERE id = ?1"))?
        .query_row([id], |row| {
            let stmt = row.as_ref();
            let mut map = Map::new();
            for (i, name) in stmt.column_names().enumerate() {
                map.insert(name.to_string(), from_sql(row.get_ref(i)?));
            }
            Ok(map)
        })
        .optional()?;
    match current {
        None if changes.iter().any(|c| c.kind == "create" || c.kind == "append") => {
            insert_row(conn, table, id, wanted.iter().map(|(f, v)| (*f, v)))
        }
        None => Ok(()),
        Some(row) => {
            let differing: Vec<&(&str, Value)> = wanted.iter().filter(|(f, v)| !same(row.get(*f), v)).collect();
            if differing.is_empty() {
                return Ok(());
            }
            update_row(conn, table, id, differing.iter().map(|(f, v)| (*f, v)))
        }
    }
}

/// A stored value and a JSON one are the same once both are as SQLite keeps them.
fn same(stored: Option<&Value>, wanted: &Value) -> bool {
    let stored = stored.map(to_sql).unwrap_or(rusqlite::types::Value::Null);
    stored == to_sql(wanted)
}

/// Remembers the fields of this record that more than one laptop has changed, where the
/// conflicts inbox looks.
fn note_shared_fields(conn: &Connection, op: &Incoming, fields: &Map<String, Value>, changes: &[Change]) -> rusqlite::Result<()> {
    for field in fields.keys() {
        let mut devices = changes.iter().filter(|c| c.fields.contains_key(field)).map(|c| c.device_id.as_str());
        let first = devices.next();
        if devices.any(|d| Some(d) != first) {
            conn.prepare_cached(
                "INSERT INTO sync_conflict_fields (record_type, record_id, field) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            )?
            .execute(params![op.record_type, op.record_id, field])?;
        }
    }
    Ok(())
}

/// The kind of change a stored name stands for.
pub fn kind(name: &str) -> &'static str {
    KINDS.iter().find(|k| **k == name).copied().unwrap_or("update")
}

const SET_ASIDE_COLUMNS: &str = "op_id, device_id, seq, hlc, worker_id, record_type, record_id, kind, changes";

/// Keeps a revoked laptop's later operations aside: held (its chain still checks when its
/// earlier work is relayed), never applied.
pub fn set_aside(conn: &Connection, schema: &Schema, ops: &[Incoming]) -> Result<(), SyncError> {
    for op in ops {
        if schema.table(&op.record_type).is_none() {
            return Err(SyncError::Corrupt(format!("it names an unknown kind of record ({})", op.record_type)));
        }
        conn.prepare_cached(&format!(
            "INSERT INTO sync_refused_ops ({SET_ASIDE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"
        ))?
        .execute(params![
            op.op_id,
            op.device_id,
            op.seq,
            op.hlc,
            op.worker_id,
            op.record_type,
            op.record_id,
            op.kind,
            op.changes
        ])?;
    }
    Ok(())
}

/// A revocation has reached this laptop: what the revoked laptop made from `at` (milliseconds)
/// on, applied here before the revocation was known, is taken back out of the records and set
/// aside, so this laptop holds what every other laptop the revocation reached holds.
pub fn set_aside_after_revocation(conn: &Connection, schema: &Schema, device: &str, at: i64) -> Result<(), SyncError> {
    let from = at << crate::store::hlc::COUNTER_BITS;
    let touched: Vec<(String, String, String)> = conn
        .prepare_cached("SELECT record_type, record_id, changes FROM operations WHERE device_id = ?1 AND hlc >= ?2")?
        .query_map(params![device, from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    if touched.is_empty() {
        return Ok(());
    }
    conn.execute(
        &format!("INSERT INTO sync_refused_ops ({SET_ASIDE_COLUMNS}) SELECT {SET_ASIDE_COLUMNS} FROM operations WHERE device_id = ?1 AND hlc >= ?2 ON CONFLICT DO NOTHING"),
        params![device, from],
    )?;
    conn.execute("DELETE FROM operations WHERE device_id = ?1 AND hlc >= ?2", params![device, from])?;
    // Latest first, so a record made after the revocation goes before the one it belongs to.
    for (record_type, record_id, changes) in touched.iter().rev() {
        let Some(table) = schema.table(record_type) else { continue };
        let remaining = history::of_record(conn, record_type, record_id)?;
        if !remaining.iter().any(|c| c.kind == "create" || c.kind == "append") {
            // Made only by what was set aside: it goes (a record still pointing at it keeps it).
            let _ = conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [record_id]);
            continue;
        }
        project(conn, table, record_id, &remaining)?;
        let fields: Map<String, Value> = serde_json::from_str(changes).unwrap_or_default();
        for field in fields.keys().filter(|f| schema.has_field(record_type, f) && history::winner(&remaining, f).is_none()) {
            conn.execute(&format!("UPDATE {table} SET {field} = NULL WHERE id = ?1"), [record_id])?;
        }
    }
    Ok(())
}
