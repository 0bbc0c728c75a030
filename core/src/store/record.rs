//! Records are flat rows whose columns are their serde field names, so one write path (and,
//! later, sync) can insert, diff and apply any of them the same way. Many-valued things
//! (aliases, roles) are their own records or compact text, never nested JSON.
use chrono::{DateTime, Utc};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{Map, Value};

/// Who wrote a record and when. The write path stamps it as the record is written, from the
/// write's own worker and clock (`Write::create`, `Write::append`): an area building a record
/// leaves it to the write ([`Made::on_write`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Made {
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl Made {
    /// Not yet stamped: the write path fills it in as the record is written.
    pub fn on_write() -> Made {
        Made::default()
    }
}

pub trait Record: Serialize + DeserializeOwned {
    /// The record type named in operations and audit entries, e.g. "client".
    const TYPE: &'static str;
    /// The table holding the current state of these records.
    const TABLE: &'static str;

    fn id(&self) -> String;
    /// The client this record is about, for the audit trail (None for team-level records).
    fn client_id(&self) -> Option<String>;
    /// Who made it and when, for the write path to stamp (None: the record does not say).
    fn made_mut(&mut self) -> Option<&mut Made> {
        None
    }
}

/// Implements [`Record`] for a record about one client, with `id` and `client_id` fields.
#[macro_export]
macro_rules! client_record {
    ($record:ty, $type_name:literal, $table:literal) => {
        impl $crate::store::record::Record for $record {
            const TYPE: &'static str = $type_name;
            const TABLE: &'static str = $table;
            fn id(&self) -> String {
                self.id.clone()
            }
            fn client_id(&self) -> Option<String> {
                Some(self.client_id.clone())
            }
            fn made_mut(&mut self) -> Option<&mut $crate::store::record::Made> {
                Some(&mut self.made)
            }
        }
    };
}

/// A record by its id, from its own table; None when it is not on this laptop.
pub fn get<R: Record>(conn: &Connection, id: &str) -> rusqlite::Result<Option<R>> {
    conn.prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", R::TABLE))?.query_row([id], from_row).optional()
}

/// A record's columns and values, in a stable order.
pub fn fields_of<R: Record>(record: &R) -> Result<Map<String, Value>, serde_json::Error> {
    match serde_json::to_value(record)? {
        Value::Object(map) => Ok(map),
        _ => Err(serde::ser::Error::custom("a record must serialise to an object")),
    }
}

pub fn to_sql(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

pub fn from_sql(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(hex::encode(b)),
    }
}

/// Reads a `SELECT *` row back into a record.
pub fn from_row<R: Record>(row: &rusqlite::Row<'_>) -> rusqlite::Result<R> {
    let stmt = row.as_ref();
    let mut map = Map::new();
    for (i, name) in stmt.column_names().enumerate() {
        map.insert((*name).to_string(), from_sql(row.get_ref(i)?));
    }
    serde_json::from_value(Value::Object(map))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// Every record of this kind belonging to any of `client_ids` (a person and the records merged
/// into them), in no particular order.
pub fn of_clients<R: Record>(conn: &rusqlite::Connection, client_ids: &[String]) -> rusqlite::Result<Vec<R>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {} WHERE client_id = ?1", R::TABLE))?;
    let mut out = Vec::new();
    for id in client_ids {
        for r in stmt.query_map([id], from_row)? {
            out.push(r?);
        }
    }
    Ok(out)
}

/// SQLite keeps booleans as 0 / 1; use with `#[serde(with = "crate::store::record::sql_bool")]`.
pub mod sql_bool {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Bool(bool),
            Int(i64),
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Bool(b) => b,
            Stored::Int(i) => i != 0,
        })
    }
}
