//! The single write path. Every change writes the record, its sync operation (sync.md) and an
//! audit entry in the same transaction, so none can exist without the others.
use super::audit::{self, AuditEntry};
use super::record::{fields_of, to_sql, Made, Record};
use super::signing::{self, Author, Change};
use super::{history, hlc, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Transaction};
use serde_json::{Map, Value};

/// The worker on whose behalf a write happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub worker_id: String,
    pub name: String,
}

pub struct Write<'c> {
    tx: Transaction<'c>,
    actor: Actor,
    now: DateTime<Utc>,
    device_id: String,
    author: Option<&'c Author>,
}

#[derive(Clone, Copy)]
enum OpKind {
    Create,
    Update,
    Append,
}

impl OpKind {
    fn as_str(self) -> &'static str {
        match self {
            OpKind::Create => "create",
            OpKind::Update => "update",
            OpKind::Append => "append",
        }
    }
}

impl<'c> Write<'c> {
    pub(super) fn new(tx: Transaction<'c>, actor: &Actor, now: DateTime<Utc>, device_id: &str, author: Option<&'c Author>) -> Self {
        Write { tx, actor: actor.clone(), now, device_id: device_id.to_string(), author }
    }

    pub(super) fn commit(self) -> rusqlite::Result<()> {
        self.tx.commit()
    }

    /// The moment this write happens, as the store's clock says.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Reads inside the transaction (e.g. to check a rule before writing).
    pub fn reader(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Writes a new record, stamped with who writes it and when.
    pub fn create<R: Record>(&mut self, record: &mut R) -> Result<(), StoreError> {
        self.stamp(record);
        self.insert(record, OpKind::Create)
    }

    /// Writes a record that is never changed afterwards (a case note, a test result), stamped
    /// with who writes it and when.
    pub fn append<R: Record>(&mut self, record: &mut R) -> Result<(), StoreError> {
        self.stamp(record);
        self.insert(record, OpKind::Append)
    }

    /// Enters a record of work done before today as it says it was made (who, and when): the
    /// demo's weeks of past work. Nothing a worker does writes this way.
    pub(crate) fn create_past<R: Record>(&mut self, record: &R) -> Result<(), StoreError> {
        self.insert(record, OpKind::Create)
    }

    /// As [`Write::create_past`], for a record never changed afterwards.
    pub(crate) fn append_past<R: Record>(&mut self, record: &R) -> Result<(), StoreError> {
        self.insert(record, OpKind::Append)
    }

    fn stamp<R: Record>(&self, record: &mut R) {
        if let Some(made) = record.made_mut() {
            *made = Made { created_at: self.now, created_by: self.actor.worker_id.clone() };
        }
    }

    fn insert<R: Record>(&mut self, record: &R, kind: OpKind) -> Result<(), StoreError> {
        let fields = fields_of(record)?;
        let columns: Vec<&str> = fields.keys().map(String::as_str).collect();
        let placeholders = vec!["?"; columns.len()].join(", ");
        let sql = format!("INSERT INTO {} ({}) VALUES ({})", R::TABLE, columns.join(", "), placeholders);
        self.tx.prepare_cached(&sql)?.execute(params_from_iter(fields.values().map(to_sql)))?;
        let changes: Map<String, Value> =
            fields.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, Value::Array(vec![Value::Null, v]))).collect();
        self.operation(kind, R::TYPE, &record.id(), &changes)?;
        self.audit_record(kind.as_str(), R::TYPE, &record.id(), record.client_id().as_deref(), "")
    }

    /// Saves `after` over `before`, recording each changed field's old and new value.
    /// Returns the names of the fields that changed (none: nothing is written).
    pub fn update<R: Record>(&mut self, before: &R, after: &R) -> Result<Vec<String>, StoreError> {
        let old = fields_of(before)?;
        let new = fields_of(after)?;
        let changed: Vec<(String, Value, Value)> = new
            .into_iter()
            .filter(|(k, v)| old.get(k) != Some(v))
            .map(|(k, v)| {
                let was = old.get(&k).cloned().unwrap_or(Value::Null);
                (k, was, v)
            })
            .collect();
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        let sets: Vec<String> = changed.iter().map(|(k, _, _)| format!("{k} = ?")).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?", R::TABLE, sets.join(", "));
        let mut values: Vec<rusqlite::types::Value> = changed.iter().map(|(_, _, v)| to_sql(v)).collect();
        values.push(rusqlite::types::Value::Text(before.id()));
        self.tx.prepare_cached(&sql)?.execute(params_from_iter(values))?;

        let names: Vec<String> = changed.iter().map(|(k, _, _)| k.clone()).collect();
        let history = history::of_record(&self.tx, R::TYPE, &before.id())?;
        let changes: Map<String, Value> = changed
            .into_iter()
            .map(|(k, was, now)| {
                let mut change = vec![was, now];
                // Names the other laptops' changes this one knowingly replaces (no conflict).
                let seen = history::seen_by_new_change(&history, &k, &self.device_id);
                if !seen.is_empty() {
                    change.push(Value::Array(seen.into_iter().map(Value::String).collect()));
                }
                (k, Value::Array(change))
            })
            .collect();
        self.operation(OpKind::Update, R::TYPE, &before.id(), &changes)?;
        // The audit names what changed; the values themselves live in the operation log.
        self.audit_record("update", R::TYPE, &before.id(), after.client_id().as_deref(), &names.join(", "))?;
        Ok(names)
    }

    /// Settles a field that laptops changed while apart: gives it `value` (the winning value
    /// kept, or another laptop's restored) as a change that has seen every change in `seen`,
    /// so the conflict closes everywhere this change reaches. `table` and `field` must be
    /// checked by the caller against the schema.
    #[allow(clippy::too_many_arguments)]
    pub fn settle_field(
        &mut self,
        record_type: &str,
        table: &str,
        record_id: &str,
        client_id: Option<&str>,
        field: &str,
        value: &Value,
        seen: &[String],
    ) -> Result<(), StoreError> {
        let was: Value = self.tx.query_row(&format!("SELECT {field} FROM {table} WHERE id = ?1"), [record_id], |r| {
            Ok(super::record::from_sql(r.get_ref(0)?))
        })?;
        self.tx.execute(&format!("UPDATE {table} SET {field} = ?1 WHERE id = ?2"), params![to_sql(value), record_id])?;
        let seen = Value::Array(seen.iter().cloned().map(Value::String).collect());
        let mut changes = Map::new();
        changes.insert(field.to_string(), Value::Array(vec![was, value.clone(), seen]));
        self.operation(OpKind::Update, record_type, record_id, &changes)?;
        self.audit_record("update", record_type, record_id, client_id, &format!("{field} (settled a sync conflict)"))
    }

    /// The transaction itself, for applying another laptop's operations on import (sync),
    /// which carry their own ids, clocks and authors.
    pub(crate) fn transaction(&self) -> &Transaction<'c> {
        &self.tx
    }

    /// The team this laptop belongs to, as signatures name it.
    pub fn team_id(&self) -> Result<String, StoreError> {
        Ok(self.tx.prepare_cached("SELECT team_id FROM installation WHERE id = 1")?.query_row([], |r| r.get(0))?)
    }

    /// This laptop's id, as its operations carry it.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// An audit entry for something that is not itself a record change (a read, a sign-in).
    pub fn audit(&mut self, action: &str, client_id: Option<&str>, detail: &str) -> Result<(), StoreError> {
        audit::append(
            &self.tx,
            self.now,
            &AuditEntry { worker_id: Some(&self.actor.worker_id), action, record_type: None, record_id: None, client_id, detail },
        )?;
        Ok(())
    }

    /// One entry for a list of people shown together ([`audit::append_list`]).
    pub fn audit_list(&mut self, action: &str, client_ids: &[&str]) -> Result<(), StoreError> {
        audit::append_list(&self.tx, self.now, &self.actor.worker_id, action, client_ids)?;
        Ok(())
    }

    fn audit_record(
        &mut self,
        action: &str,
        record_type: &str,
        record_id: &str,
        client_id: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError> {
        audit::append(
            &self.tx,
            self.now,
            &AuditEntry {
                worker_id: Some(&self.actor.worker_id),
                action,
                record_type: Some(record_type),
                record_id: Some(record_id),
                client_id,
                detail,
            },
        )?;
        Ok(())
    }

    fn operation(&mut self, kind: OpKind, record_type: &str, record_id: &str, changes: &Map<String, Value>) -> Result<(), StoreError> {
        let (seq, last_hlc): (i64, i64) = self
            .tx
            .prepare_cached("SELECT next_seq, last_hlc FROM device_state WHERE id = 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let stamp = hlc::next(last_hlc, self.now.timestamp_millis());
        self.tx.prepare_cached("UPDATE device_state SET next_seq = ?1, last_hlc = ?2 WHERE id = 1")?.execute(params![seq + 1, stamp])?;
        let op_id = uuid::Uuid::now_v7().to_string();
        let changes = serde_json::to_string(changes)?;
        self.tx
            .prepare_cached(
                "INSERT INTO operations (op_id, device_id, seq, hlc, worker_id, record_type, record_id, kind, changes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![op_id, self.device_id, seq, stamp, self.actor.worker_id, record_type, record_id, kind.as_str(), changes])?;
        let change = Change {
            op_id: &op_id,
            device_id: &self.device_id,
            seq,
            hlc: stamp,
            worker_id: &self.actor.worker_id,
            record_type,
            record_id,
            kind: kind.as_str(),
            changes: &changes,
        };
        if signing::needs_author(&change) {
            self.sign(&change)?;
        }
        Ok(())
    }

    /// Signs a change with its author's key, which the team must know (a change other laptops
    /// would refuse is not saved): one of theirs on record; at a team's founding, the founding
    /// administrator's account, made by itself, and the record of this very key.
    fn sign(&self, change: &Change<'_>) -> Result<(), StoreError> {
        let author = self.author.filter(|a| a.worker_id == change.worker_id).ok_or(StoreError::NoKeyHere)?;
        let public = author.public_hex();
        let known: bool = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM worker_keys WHERE id = ?1 AND worker_id = ?2)")?
            .query_row(params![public, author.worker_id], |r| r.get(0))?;
        let founding = match change.record_type {
            "worker_key" => change.record_id == public,
            "worker" => change.kind == "create" && change.record_id == change.worker_id,
            _ => false,
        };
        if !known && !founding {
            return Err(StoreError::NoKeyHere);
        }
        let signature = author.sign(&signing::message(&self.team_id()?, change));
        self.tx.prepare_cached("INSERT INTO operation_signatures (op_id, public_key, signature) VALUES (?1, ?2, ?3)")?.execute(params![
            change.op_id,
            public,
            hex::encode(signature)
        ])?;
        Ok(())
    }
}
