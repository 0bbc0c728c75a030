//! The conflicts inbox: fields two laptops changed while apart. Every laptop already shows the
//! same winner; here a person sees both values, who and when, and keeps the winner or restores
//! the other value. Either is a change like any other, which closes the conflict everywhere it
//! reaches.
use super::records::Schema;
use super::SyncError;
use crate::store::history::{self, Change};
use crate::store::{Actor, Store};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// One value of a field in conflict.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConflictValue {
    pub op_id: String,
    /// The value as text ("(empty)" when blank).
    pub value: String,
    pub worker_id: String,
    pub worker_name: String,
    pub device_label: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Conflict {
    pub record_type: String,
    pub record_id: String,
    pub field: String,
    /// What changed, in words: "phone" of "Client", say.
    pub field_label: String,
    pub record_label: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    /// The value every laptop shows now.
    pub kept: ConflictValue,
    /// The values it replaced without anyone seeing them.
    pub others: Vec<ConflictValue>,
}

/// Which conflict, and which of its values to keep.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct Settle {
    pub record_type: String,
    pub record_id: String,
    pub field: String,
    /// The op id of the value to keep: the kept one, or one of the others to restore it.
    pub keep_op_id: String,
}

/// Conflicts open now. `for_worker`: only those where that worker's change lost (a team lead
/// sees them all).
pub fn list(conn: &Connection, for_worker: Option<&str>) -> Result<Vec<Conflict>, SyncError> {
    let mut out = Vec::new();
    let schema = Schema::read(conn)?;
    for (record_type, record_id, field, changes) in open(conn)? {
        let leaves = history::unseen(&changes, &field);
        if let Some(worker) = for_worker {
            if !leaves[1..].iter().any(|c| c.worker_id == worker) {
                continue;
            }
        }
        out.push(describe(conn, &schema, &record_type, &record_id, &field, &leaves)?);
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.kept.at));
    Ok(out)
}

pub fn open_count(conn: &Connection) -> Result<usize, SyncError> {
    Ok(open(conn)?.len())
}

type OpenField = (String, String, String, Vec<Change>);

fn open(conn: &Connection) -> Result<Vec<OpenField>, SyncError> {
    let mut stmt = conn.prepare_cached("SELECT record_type, record_id, field FROM sync_conflict_fields")?;
    let candidates: Vec<(String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (record_type, record_id, field) in candidates {
        let changes = history::of_record(conn, &record_type, &record_id)?;
        if history::unseen(&changes, &field).len() > 1 {
            out.push((record_type, record_id, field, changes));
        }
    }
    Ok(out)
}

fn describe(
    conn: &Connection,
    schema: &Schema,
    record_type: &str,
    record_id: &str,
    field: &str,
    leaves: &[&Change],
) -> Result<Conflict, SyncError> {
    let value_of = |c: &Change| -> Result<ConflictValue, SyncError> {
        let worker_name = crate::accounts::workers::by_id(conn, &c.worker_id)?.map(|w| w.display_name).unwrap_or_else(|| "someone".into());
        let device_label = super::laptop::get(conn, &c.device_id)?.map(|d| d.label).unwrap_or_else(|| "another laptop".into());
        Ok(ConflictValue {
            op_id: c.op_id.clone(),
            value: shown(c.new_value(field).unwrap_or(&Value::Null)),
            worker_id: c.worker_id.clone(),
            worker_name,
            device_label,
            at: super::millis_to_time(c.hlc),
        })
    };
    let client_id = client_of(conn, schema, record_type, record_id)?;
    let client_name = match &client_id {
        Some(id) => crate::clients::get(conn, id)?.map(|c| format!("{} {}", c.forenames, c.surname)),
        None => None,
    };
    Ok(Conflict {
        record_type: record_type.to_string(),
        record_id: record_id.to_string(),
        field: field.to_string(),
        field_label: field.replace('_', " "),
        record_label: record_type.replace('_', " "),
        client_id,
        client_name,
        kept: value_of(leaves[0])?,
        others: leaves[1..].iter().map(|c| value_of(c)).collect::<Result<_, _>>()?,
    })
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The client a record is about, if any.
fn client_of(conn: &Connection, schema: &Schema, record_type: &str, record_id: &str) -> Result<Option<String>, SyncError> {
    if record_type == "client" {
        return Ok(Some(record_id.to_string()));
    }
    match schema.table(record_type) {
        Some(table) if schema.has_field(record_type, "client_id") => Ok(rusqlite::OptionalExtension::optional(conn.query_row(
            &format!("SELECT client_id FROM {table} WHERE id = ?1"),
            [record_id],
            |r| r.get(0),
        ))?),
        _ => Ok(None),
    }
}

/// Keeps one value of a conflict (the one shown, or another laptop's restored), as a change
/// that has seen all of them.
pub fn settle(store: &mut Store, actor: &Actor, which: &Settle) -> Result<(), SyncError> {
    store.write(actor, |w| -> Result<(), SyncError> {
        let conn = w.reader();
        let schema = Schema::read(conn)?;
        let table = schema.table(&which.record_type).ok_or(SyncError::ConflictSettled)?;
        if !schema.has_field(&which.record_type, &which.field) {
            return Err(SyncError::ConflictSettled);
        }
        let changes = history::of_record(conn, &which.record_type, &which.record_id)?;
        let leaves = history::unseen(&changes, &which.field);
        let Some(keep) = leaves.iter().find(|c| c.op_id == which.keep_op_id).filter(|_| leaves.len() > 1) else {
            return Err(SyncError::ConflictSettled);
        };
        let value = keep.new_value(&which.field).cloned().unwrap_or(Value::Null);
        let seen: Vec<String> = leaves.iter().map(|c| c.op_id.clone()).collect();
        let client_id = client_of(conn, &schema, &which.record_type, &which.record_id)?;
        w.settle_field(&which.record_type, table, &which.record_id, client_id.as_deref(), &which.field, &value, &seen)?;
        Ok(())
    })
}
