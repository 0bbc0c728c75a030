//! Laptops witness each other's audit trails: each bundle carries its laptop's audit head (the
//! last entry's number and hash, signed with the bundle), that laptop's hashes at the heads of
//! its recent exports, and the heads it last saw of the others. A trail cut or rewritten after
//! an export is then found elsewhere: on the laptop that saw it before (at the next bundle), and
//! by the laptop's own audit trail check, against what the others last saw of it.
use super::bundle::AuditReport;
use crate::store::audit;
use crate::store::Write;
use rusqlite::{params, Connection, OptionalExtension};

/// How many of its own earlier exports a laptop reports the hashes of.
const EARLIER: i64 = 16;

/// What this laptop's next bundle says of audit trails.
pub fn report(conn: &Connection, me: &str) -> rusqlite::Result<AuditReport> {
    let head = audit::head(conn)?.map(|h| (h.seq, h.hash));
    let mut hash_at = conn.prepare_cached("SELECT hash FROM audit_log WHERE seq = ?1")?;
    let seqs: Vec<i64> = conn
        .prepare_cached(
            "SELECT DISTINCT audit_seq FROM sync_bundles WHERE direction = 'export' AND audit_seq IS NOT NULL ORDER BY audit_seq DESC LIMIT ?1",
        )?
        .query_map([EARLIER], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut earlier = Vec::new();
    for seq in seqs {
        let hash: Option<String> = hash_at.query_row([seq], |r| r.get(0)).optional()?;
        earlier.push((seq, hash.unwrap_or_default()));
    }
    let seen = conn
        .prepare_cached("SELECT device_id, seq, hash FROM sync_audit_witness WHERE witness_id = ?1 AND device_id <> ?1")?
        .query_map([me], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(AuditReport { head, earlier, seen })
}

/// Takes in what a bundle from `signer` says: its trail as seen now (compared with how this
/// laptop saw it before), and what it saw of the others, this laptop included.
pub fn take(w: &mut Write<'_>, me: &str, signer: &str, report: &AuditReport) -> Result<(), crate::store::StoreError> {
    let now = w.now();
    let tx = w.transaction();
    let before: Option<(i64, String, Option<String>)> = tx
        .prepare_cached("SELECT seq, hash, problem FROM sync_audit_witness WHERE device_id = ?1 AND witness_id = ?2")?
        .query_row(params![signer, me], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let mut found = None;
    match (&before, &report.head) {
        (Some((seq, hash, _)), Some((now_seq, now_hash))) => {
            let earlier = report.earlier.iter().find(|(s, _)| s == seq).map(|(_, h)| h);
            if now_seq < seq {
                found =
                    Some(format!("its trail ended at entry {seq} when last seen here, and now ends at entry {now_seq}: entries were cut"));
            } else if (now_seq == seq && now_hash != hash) || earlier.is_some_and(|h| h != hash) {
                found = Some(format!("entry {seq} of its trail is not what it was when last seen here: the trail was rewritten"));
            }
        }
        (Some((seq, _, _)), None) => {
            found = Some(format!("its trail ended at entry {seq} when last seen here, and now holds no entries: entries were cut"));
            tx.prepare_cached("UPDATE sync_audit_witness SET problem = ?3, at = ?4 WHERE device_id = ?1 AND witness_id = ?2")?
                .execute(params![signer, me, found, now])?;
        }
        _ => {}
    }
    if let Some((seq, hash)) = &report.head {
        let problem = found.clone().or_else(|| before.as_ref().and_then(|(_, _, p)| p.clone()));
        tx.prepare_cached(
            "INSERT INTO sync_audit_witness (device_id, witness_id, seq, hash, at, problem) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (device_id, witness_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, problem = excluded.problem",
        )?
        .execute(params![signer, me, seq, hash, now, problem])?;
    }
    for (device, seq, hash) in &report.seen {
        if device == signer {
            continue;
        }
        tx.prepare_cached(
            "INSERT INTO sync_audit_witness (device_id, witness_id, seq, hash, at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (device_id, witness_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at
             WHERE excluded.seq >= sync_audit_witness.seq",
        )?
        .execute(params![device, signer, seq, hash, now])?;
    }
    if let Some(problem) = found {
        w.audit("found another laptop's audit trail changed", None, &format!("laptop {signer}: {problem}"))?;
    }
    Ok(())
}
