//! A client record's history, field by field, read from the operation log.
use crate::store::hlc;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldChange {
    pub field: String,
    /// The field's name as the form shows it.
    pub label: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

fn label(field: &str) -> String {
    match field {
        "surname" => "Surname",
        "forenames" => "Forenames",
        "date_of_birth" => "Date of birth",
        "sex" => "Sex",
        "gender_identity" => "Gender identity",
        "ethnicity" => "Ethnicity",
        "no_fixed_abode" => "No fixed abode",
        "address" => "Address",
        "postcode" => "Postcode",
        "gp" => "GP",
        "phone" => "Phone",
        "pnc" => "PNC id",
        "nhs_number" => "NHS number",
        "prison_number" => "Prison number",
        "primary_substance" => "Main substance",
        "secondary_substance" => "Second substance",
        "injecting_status" => "Injecting",
        "risk_notes" => "Risk notes",
        "allocated_worker_id" => "Allocated worker",
        "status" => "Status",
        "closed_reason" => "Reason for closing",
        "merged_into" => "Merged into",
        other => other,
    }
    .to_string()
}

fn shown(conn: &Connection, field: &str, v: &Value) -> rusqlite::Result<Option<String>> {
    use super::reference::{label as words, CLOSE_REASONS, ETHNICITIES, INJECTING, SUBSTANCES};
    Ok(match v {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { "Yes" } else { "No" }.into()),
        Value::String(s) => Some(match field {
            "allocated_worker_id" => super::worker_name(conn, s)?,
            "ethnicity" => words(ETHNICITIES, s),
            "primary_substance" | "secondary_substance" => words(SUBSTANCES, s),
            "injecting_status" => words(INJECTING, s),
            "closed_reason" => words(CLOSE_REASONS, s),
            "date_of_birth" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(crate::dates::display).unwrap_or_else(|_| s.clone()),
            "sex" | "status" => s.replace('_', " "),
            _ => s.clone(),
        }),
        other => Some(other.to_string()),
    })
}

/// Every change to the client's own fields after registration, newest first.
pub fn for_client(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<FieldChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, worker_id, changes FROM operations
         WHERE record_type = 'client' AND record_id = ?1 AND kind = 'update' ORDER BY hlc DESC",
    )?;
    let ops: Vec<(i64, String, String)> =
        stmt.query_map([client_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (stamp, worker, changes) in ops {
        let at = DateTime::from_timestamp_millis(hlc::millis(stamp)).unwrap_or_default();
        let by = super::worker_name(conn, &worker)?;
        let Ok(Value::Object(changes)) = serde_json::from_str::<Value>(&changes) else { continue };
        for (field, pair) in changes {
            let (old, new) = match pair.as_array().map(Vec::as_slice) {
                Some([old, new]) => (old.clone(), new.clone()),
                _ => continue,
            };
            out.push(FieldChange {
                label: label(&field),
                old_value: shown(conn, &field, &old)?,
                new_value: shown(conn, &field, &new)?,
                field,
                at,
                by: by.clone(),
            });
        }
    }
    Ok(out)
}
