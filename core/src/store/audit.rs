//! The audit trail: append-only and hash-chained, so a removed or edited entry is detected.
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as written to the audit trail.
pub struct AuditEntry<'a> {
    pub worker_id: Option<&'a str>,
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub detail: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    worker_id: Option<&str>,
    action: &str,
    record_type: Option<&str>,
    record_id: Option<&str>,
    client_id: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed so that moving text between fields changes the hash.
    for part in [
        prev,
        &seq.to_string(),
        at,
        worker_id.unwrap_or(""),
        action,
        record_type.unwrap_or(""),
        record_id.unwrap_or(""),
        client_id.unwrap_or(""),
        detail,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry, chained to the last. Call inside the transaction it describes.
pub fn append(conn: &Connection, at: DateTime<Utc>, e: &AuditEntry<'_>) -> rusqlite::Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let hash = entry_hash(&prev, seq, &at, e.worker_id, e.action, e.record_type, e.record_id, e.client_id, e.detail);
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, worker_id, action, record_type, record_id, client_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![seq, at, e.worker_id, e.action, e.record_type, e.record_id, e.client_id, e.detail, prev, hash])?;
    Ok(())
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChainCheck {
    #[ts(type = "number")]
    pub entries: i64,
    /// The first entry that does not match its hash or its predecessor, if any.
    #[ts(type = "number | null")]
    pub first_broken_entry: Option<i64>,
}

pub fn verify(conn: &Connection) -> rusqlite::Result<ChainCheck> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, worker_id, action, record_type, record_id, client_id, detail, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut entries = 0;
    while let Some(r) = rows.next()? {
        entries += 1;
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let worker: Option<String> = r.get(2)?;
        let action: String = r.get(3)?;
        let rtype: Option<String> = r.get(4)?;
        let rid: Option<String> = r.get(5)?;
        let client: Option<String> = r.get(6)?;
        let detail: String = r.get(7)?;
        let prev: String = r.get(8)?;
        let hash: String = r.get(9)?;
        let recomputed =
            entry_hash(&prev, seq, &at, worker.as_deref(), &action, rtype.as_deref(), rid.as_deref(), client.as_deref(), &detail);
        if seq != expected_seq || prev != expected_prev || hash != recomputed {
            return Ok(ChainCheck { entries, first_broken_entry: Some(seq) });
        }
        expected_prev = hash;
        expected_seq += 1;
    }
    Ok(ChainCheck { entries, first_broken_entry: None })
}
