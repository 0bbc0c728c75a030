//! A record's operations read back field by field: which change of a field wins (the highest
//! hybrid logical clock, then device id, the same on every laptop) and which changes of it no
//! later change has seen (a conflict when there is more than one).
//!
//! `changes` in an operation maps each field to `[old, new]`, or `[old, new, [seen...]]` when
//! the change knowingly replaced changes made on other laptops (their op ids). A laptop always
//! sees its own earlier changes, so those are never listed.
use rusqlite::Connection;
use serde_json::{Map, Value};

/// One operation on a record.
#[derive(Debug, Clone)]
pub struct Change {
    pub op_id: String,
    pub device_id: String,
    pub hlc: i64,
    pub worker_id: String,
    pub kind: String,
    pub fields: Map<String, Value>,
}

impl Change {
    /// The value this change gave `field`, if it changed it.
    pub fn new_value(&self, field: &str) -> Option<&Value> {
        self.fields.get(field).and_then(|v| v.get(1))
    }

    fn seen(&self, field: &str) -> impl Iterator<Item = &str> {
        self.fields.get(field).and_then(|v| v.get(2)).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
    }

    /// The order every laptop agrees on: later clock wins, then the higher device id.
    pub fn beats(&self, other: &Change) -> bool {
        (self.hlc, &self.device_id) > (other.hlc, &other.device_id)
    }
}

/// Every operation on one record, oldest first.
pub fn of_record(conn: &Connection, record_type: &str, record_id: &str) -> rusqlite::Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, device_id, hlc, worker_id, kind, changes FROM operations
         WHERE record_type = ?1 AND record_id = ?2 ORDER BY hlc, device_id",
    )?;
    let rows = stmt.query_map([record_type, record_id], |r| {
        let changes: String = r.get(5)?;
        let fields = match serde_json::from_str(&changes) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Ok(Change { op_id: r.get(0)?, device_id: r.get(1)?, hlc: r.get(2)?, worker_id: r.get(3)?, kind: r.get(4)?, fields })
    })?;
    rows.collect()
}

/// The change whose value `field` holds now.
pub fn winner<'h>(history: &'h [Change], field: &str) -> Option<&'h Change> {
    history.iter().filter(|c| c.fields.contains_key(field)).reduce(|best, c| if c.beats(best) { c } else { best })
}

/// The changes of `field` that no other change of it has seen: one when all is well, more
/// when laptops changed it while apart. The winner comes first.
pub fn unseen<'h>(history: &'h [Change], field: &str) -> Vec<&'h Change> {
    let touching: Vec<&Change> = history.iter().filter(|c| c.fields.contains_key(field)).collect();
    let mut leaves: Vec<&Change> = touching
        .iter()
        .filter(|c| {
            !touching.iter().any(|later| (later.device_id == c.device_id && later.hlc > c.hlc) || later.seen(field).any(|id| id == c.op_id))
        })
        .copied()
        .collect();
    leaves.sort_by(|a, b| (b.hlc, &b.device_id).cmp(&(a.hlc, &a.device_id)));
    leaves
}

/// What a new change of `field` made on `device_id` knowingly replaces from other laptops: the
/// value shown now and any other laptop's value listed in conflict with it (the worker could
/// see them), so the new change leaves no conflict behind.
pub fn seen_by_new_change(history: &[Change], field: &str, device_id: &str) -> Vec<String> {
    unseen(history, field).into_iter().filter(|c| c.device_id != device_id).map(|c| c.op_id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(op: &str, device: &str, hlc: i64, fields: Value) -> Change {
        Change {
            op_id: op.into(),
            device_id: device.into(),
            hlc,
            worker_id: "w".into(),
            kind: "update".into(),
            fields: fields.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn changes_made_apart_are_both_unseen_and_the_later_clock_wins() {
        let history = vec![
            change("c", "A", 1, json!({"phone": [null, "1"]})),
            change("a", "A", 5, json!({"phone": ["1", "2"]})),
            change("b", "B", 6, json!({"phone": ["1", "3"]})),
        ];
        assert_eq!(winner(&history, "phone").unwrap().op_id, "b");
        let ids: Vec<&str> = unseen(&history, "phone").iter().map(|c| c.op_id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
    }

    #[test]
    fn a_change_that_saw_the_other_laptops_value_is_no_conflict() {
        let history = vec![
            change("c", "A", 1, json!({"phone": [null, "1"]})),
            change("b", "B", 6, json!({"phone": ["1", "3", ["c"]]})),
            change("a", "A", 9, json!({"phone": ["3", "4", ["b"]]})),
        ];
        let ids: Vec<&str> = unseen(&history, "phone").iter().map(|c| c.op_id.as_str()).collect();
        assert_eq!(ids, ["a"]);
        assert_eq!(seen_by_new_change(&history, "phone", "B"), ["a"]);
        assert!(seen_by_new_change(&history, "phone", "A").is_empty());
    }
}
