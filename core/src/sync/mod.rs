//! Sync by file (sync.md): a team's laptops exchange bundles of operations and converge.
//!
//! - Export: the operations another laptop has not acknowledged (or all), sealed for the team
//!   and signed by this laptop ([`bundle`]).
//! - Import: a bundle from a known, unrevoked laptop of this team applies all or nothing, each
//!   operation once, and records end as their operations say whatever the order of arrival
//!   ([`apply`]). Two changes of one field made apart: every laptop keeps the same winner and
//!   lists the conflict ([`conflicts`]).
//! - Join: a new laptop takes the team's identity and data from a join file ([`join`]).
pub mod apply;
pub mod bundle;
pub mod conflicts;
pub mod devices;
pub mod join;
pub mod records;
pub mod status;

use crate::codes::ErrorCode;
use crate::error::Coded;
use crate::store::{hlc, Actor, Store, StoreError};
use apply::Incoming;
use bundle::{Body, Header, Id, WireOp};
use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("This file is not a Throughline bundle.")]
    NotABundle,
    #[error("This bundle was made by a newer Throughline (bundle format {0}). Update Throughline on this laptop, then import it again.")]
    FutureFormat(u16),
    #[error(
        "This bundle is incomplete: it was cut short, perhaps while it was copied. Nothing was imported; ask for it to be exported again."
    )]
    Truncated,
    #[error("This bundle belongs to another team. Nothing was imported.")]
    OtherTeam,
    #[error("This bundle comes from a laptop this one does not know. Nothing was imported: import a bundle from your team lead first (it brings the team's laptops), then this one.")]
    UnknownDevice,
    #[error("This bundle was signed by \"{0}\", a laptop revoked from the team. Nothing was imported.")]
    RevokedDevice(String),
    #[error("This bundle's signature does not match its contents: it was changed after it was exported. Nothing was imported.")]
    BadSignature,
    #[error("This bundle could not be opened with the team's key: it was changed, or sealed for another team. Nothing was imported.")]
    CannotDecrypt,
    #[error("This bundle could not be read: {0}. Nothing was imported.")]
    Corrupt(String),
    #[error("This bundle holds changes from a newer Throughline (schema {0}). Update Throughline on this laptop, then import it again.")]
    NewerSchema(i64),
    #[error("This is not a Throughline join file.")]
    NotAJoinFile,
    #[error("This passphrase does not open the join file. Check it with your team lead (it is four groups of five letters and digits).")]
    PassphraseWrong,
    #[error("This laptop cannot revoke itself.")]
    CannotRevokeSelf,
    #[error("This laptop has not joined a team's sync yet.")]
    NoIdentity,
    #[error("That conflict is no longer open: it was settled already.")]
    ConflictSettled,
    #[error("The file could not be read or written ({0}).")]
    Files(String),
    #[error("The bundle could not be saved there ({0}). Choose another folder: nothing was counted as sent.")]
    NotSaved(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Invalid(#[from] crate::error::ValidationErrors),
}

impl From<rusqlite::types::FromSqlError> for SyncError {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        rusqlite::Error::from(e).into()
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Store(StoreError::Database(e))
    }
}

impl Coded for SyncError {
    fn code(&self) -> ErrorCode {
        match self {
            SyncError::NotABundle => ErrorCode::SyncNotABundle,
            SyncError::FutureFormat(_) | SyncError::NewerSchema(_) => ErrorCode::SyncNewerVersion,
            SyncError::Truncated => ErrorCode::SyncTruncated,
            SyncError::OtherTeam => ErrorCode::SyncOtherTeam,
            SyncError::UnknownDevice => ErrorCode::SyncUnknownDevice,
            SyncError::RevokedDevice(_) => ErrorCode::SyncRevokedDevice,
            SyncError::BadSignature => ErrorCode::SyncBadSignature,
            SyncError::CannotDecrypt => ErrorCode::SyncCannotDecrypt,
            SyncError::Corrupt(_) => ErrorCode::SyncCorrupt,
            SyncError::NotAJoinFile => ErrorCode::SyncNotAJoinFile,
            SyncError::PassphraseWrong => ErrorCode::SyncPassphraseWrong,
            SyncError::CannotRevokeSelf => ErrorCode::SyncCannotRevokeSelf,
            SyncError::NoIdentity => ErrorCode::SyncNoIdentity,
            SyncError::ConflictSettled => ErrorCode::SyncConflictSettled,
            SyncError::Files(_) => ErrorCode::StoreFiles,
            SyncError::NotSaved(_) => ErrorCode::ExportWriteFailed,
            SyncError::Store(e) => e.code(),
            SyncError::Invalid(e) => e.code(),
        }
    }
    fn fields(&self) -> Vec<crate::FieldError> {
        match self {
            SyncError::Invalid(e) => e.fields(),
            _ => Vec::new(),
        }
    }
}

/// Which operations an export carries.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportScope {
    /// What any of these laptops has not acknowledged (by the bundles they sent here).
    NotAcknowledgedBy { device_ids: Vec<String> },
    /// Everything this laptop holds.
    Everything,
}

/// What an export wrote, or an import brought.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BundleSummary {
    /// The laptop that made the bundle.
    pub device_label: String,
    pub exported_at: DateTime<Utc>,
    pub operations: usize,
    /// Operations this laptop did not have (an import), or all of them (an export).
    pub new_operations: usize,
    /// The time of the latest change in the bundle.
    pub up_to: Option<DateTime<Utc>>,
    /// True when this very bundle had been imported here before (nothing changed).
    pub already_imported: bool,
    /// Conflicts waiting for a person after the import.
    pub open_conflicts: usize,
}

/// Where a bundle was saved, and what went into it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Exported {
    pub path: String,
    pub summary: BundleSummary,
}

/// One chosen file's import: what it brought, or why nothing was imported.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Imported {
    pub file: String,
    pub summary: Option<BundleSummary>,
    pub error: Option<crate::ErrorPayload>,
}

/// A join file made and saved: the passphrase is shown once, to be told to the worker apart
/// from the file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct JoinFileSaved {
    pub path: String,
    pub passphrase: String,
    pub device_label: String,
    pub worker_name: String,
}

/// A file name's time stamp, in London time: "2026-11-23-0930".
pub fn file_stamp(now: DateTime<Utc>) -> String {
    now.with_timezone(&chrono_tz::Europe::London).format("%Y-%m-%d-%H%M").to_string()
}

/// This laptop's team and device ids.
pub(crate) fn installation(conn: &Connection) -> rusqlite::Result<(String, String)> {
    conn.query_row("SELECT team_id, device_id FROM installation WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Per origin laptop, the highest sequence this laptop holds with nothing missing before it.
pub fn holdings(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT device_id, max(seq), count(*) FROM operations GROUP BY device_id")?;
    let rows: Vec<(String, i64, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut gap = conn.prepare_cached(
        "SELECT coalesce(min(seq), 0) FROM operations o WHERE device_id = ?1
         AND NOT EXISTS (SELECT 1 FROM operations n WHERE n.device_id = o.device_id AND n.seq = o.seq + 1)",
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (device, max, count) in rows {
        let contiguous = if max == count { max } else { gap.query_row([&device], |r| r.get(0))? };
        out.push((device, contiguous));
    }
    Ok(out)
}

/// Writes a bundle of this laptop's operations; the caller saves the bytes to a file.
pub fn export(store: &mut Store, actor: &Actor, scope: &ExportScope) -> Result<(Vec<u8>, BundleSummary), SyncError> {
    export_with(store, actor, scope, |_| Ok(()))
}

/// As [`export`], saving the bundle with `save` before the export is recorded (in the same
/// transaction as its audit entry): a bundle that could not be saved is not counted as sent.
pub fn export_with(
    store: &mut Store,
    actor: &Actor,
    scope: &ExportScope,
    save: impl FnOnce(&[u8]) -> Result<(), SyncError>,
) -> Result<(Vec<u8>, BundleSummary), SyncError> {
    let identity = devices::ensure_identity(store, actor)?;
    let conn = store.reader();
    let (team_id, device_id) = installation(conn)?;
    let held = holdings(conn)?;
    let from: HashMap<String, i64> = match scope {
        ExportScope::Everything => HashMap::new(),
        ExportScope::NotAcknowledgedBy { device_ids } => acknowledged_by_all(conn, device_ids)?,
    };

    let mut body = Body { holdings: held.clone(), ..Body::default() };
    let mut workers: HashMap<String, u32> = HashMap::new();
    let mut types: HashMap<String, u32> = HashMap::new();
    let mut up_to = 0i64;
    let mut own_seq = None;
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, seq, hlc, worker_id, record_type, record_id, kind, changes FROM operations
         WHERE device_id = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    for (origin, _) in &held {
        let origin_index = body.origins.len() as u32;
        body.origins.push(origin.clone());
        let (mut last_seq, mut last_hlc) = (0i64, 0i64);
        let mut rows = stmt.query(params![origin, from.get(origin).copied().unwrap_or(0)])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(1)?;
            let hlc: i64 = r.get(2)?;
            let worker = intern(&mut workers, &mut body.workers, r.get_ref(3)?.as_str()?);
            let record_type = intern(&mut types, &mut body.record_types, r.get_ref(4)?.as_str()?);
            let kind: &str = r.get_ref(6)?.as_str()?;
            body.ops.push(WireOp {
                op_id: Id::from_text(r.get_ref(0)?.as_str()?),
                origin: origin_index,
                seq_step: seq - last_seq,
                hlc_step: hlc - last_hlc,
                worker,
                record_type,
                record_id: Id::from_text(r.get_ref(5)?.as_str()?),
                kind: apply::KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8,
                changes: r.get(7)?,
            });
            (last_seq, last_hlc) = (seq, hlc);
            up_to = up_to.max(hlc);
            if *origin == device_id {
                own_seq = Some(seq);
            }
        }
    }
    drop(stmt);

    let now = store.clock().now();
    let header =
        Header { team_id, device_id: device_id.clone(), exported_at: now.to_rfc3339(), schema_version: crate::store::schema_version() };
    let bytes = bundle::write(&header, &body, &identity.team_key, &identity.signing_key)?;
    let operations = body.ops.len();
    let id = hex::encode(Sha256::digest(&bytes));
    store.write(actor, |w| -> Result<(), SyncError> {
        w.transaction().execute(
            "INSERT INTO sync_bundles (id, direction, device_id, at, exported_at, operations, new_operations, up_to_hlc, worker_id, own_seq)
             VALUES (?1, 'export', ?2, ?3, ?3, ?4, ?4, ?5, ?6, ?7)",
            params![id, device_id, now, operations as i64, up_to, actor.worker_id, own_seq],
        )?;
        let whom = match scope {
            ExportScope::Everything => "everything".to_string(),
            ExportScope::NotAcknowledgedBy { device_ids } => format!("for {} laptop(s)", device_ids.len()),
        };
        w.audit("exported a sync bundle", None, &format!("{operations} changes, {whom}"))?;
        save(&bytes)
    })?;
    let label = devices::get(store.reader(), &device_id)?.map(|d| d.label).unwrap_or_default();
    let summary = BundleSummary {
        device_label: label,
        exported_at: now,
        operations,
        new_operations: operations,
        up_to: (up_to > 0).then(|| millis_to_time(up_to)),
        already_imported: false,
        open_conflicts: conflicts::open_count(store.reader())?,
    };
    Ok((bytes, summary))
}

fn intern(index: &mut HashMap<String, u32>, table: &mut Vec<String>, value: &str) -> u32 {
    if let Some(i) = index.get(value) {
        return *i;
    }
    let i = table.len() as u32;
    table.push(value.to_string());
    index.insert(value.to_string(), i);
    i
}

/// Per origin, the sequence every one of `peers` is known to hold (0 when one is not known).
fn acknowledged_by_all(conn: &Connection, peers: &[String]) -> rusqlite::Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached("SELECT seq FROM sync_acknowledged WHERE peer_id = ?1 AND origin_id = ?2")?;
    let origins: Vec<String> = holdings(conn)?.into_iter().map(|(d, _)| d).collect();
    let mut out = HashMap::new();
    for origin in origins {
        let mut least = i64::MAX;
        for peer in peers {
            let seq: i64 = rusqlite::OptionalExtension::optional(stmt.query_row(params![peer, origin], |r| r.get(0)))?.unwrap_or(0);
            least = least.min(seq);
        }
        out.insert(origin, if peers.is_empty() { 0 } else { least });
    }
    Ok(out)
}

pub fn millis_to_time(stamp: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(hlc::millis(stamp)).unwrap_or_default()
}

/// Imports a bundle: all of it or, on any problem, nothing, with the reason.
pub fn import(store: &mut Store, actor: &Actor, bytes: &[u8]) -> Result<BundleSummary, SyncError> {
    import_trusting(store, actor, bytes, None)
}

/// As [`import`]; `trusted` is a laptop known from elsewhere (the join file names the laptop
/// that made it, whose enrolment arrives in the very bundle it carries).
pub(crate) fn import_trusting(
    store: &mut Store,
    actor: &Actor,
    bytes: &[u8],
    trusted: Option<(&str, &VerifyingKey)>,
) -> Result<BundleSummary, SyncError> {
    let unverified = bundle::read(bytes)?;
    let header = unverified.header.clone();
    let conn = store.reader();
    let (team_id, _) = installation(conn)?;
    if header.team_id != team_id {
        return Err(SyncError::OtherTeam);
    }
    let signer = devices::get(conn, &header.device_id)?;
    let key = match (&signer, trusted) {
        (Some(d), _) if d.revoked_at.is_some() => return Err(SyncError::RevokedDevice(d.label.clone())),
        (Some(d), _) => d.verifying_key()?,
        (None, Some((id, key))) if id == header.device_id => *key,
        (None, _) => return Err(SyncError::UnknownDevice),
    };
    unverified.verify(&key)?;
    if header.schema_version > crate::store::schema_version() {
        return Err(SyncError::NewerSchema(header.schema_version));
    }
    let identity = devices::identity(conn)?.ok_or(SyncError::NoIdentity)?;
    let id = hex::encode(Sha256::digest(bytes));
    let exported_at = DateTime::parse_from_rfc3339(&header.exported_at).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
    let label = signer.as_ref().map(|d| d.label.clone());
    let seen_before: Option<(i64, Option<i64>)> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT operations, up_to_hlc FROM sync_bundles WHERE id = ?1 AND direction = 'import'",
        [&id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    if let Some((operations, up_to)) = seen_before {
        return Ok(BundleSummary {
            device_label: label.unwrap_or_default(),
            exported_at,
            operations: operations as usize,
            new_operations: 0,
            up_to: up_to.map(millis_to_time),
            already_imported: true,
            open_conflicts: conflicts::open_count(conn)?,
        });
    }
    let body = unverified.open(&identity.team_key)?;
    let incoming = unpack(&body)?;
    let up_to = incoming.iter().map(|o| o.hlc).max();
    let operations = incoming.len();

    let now = store.clock().now();
    let (new_operations, people_removed) = store.write(actor, |w| -> Result<(usize, usize), SyncError> {
        let tx = w.transaction();
        let schema = records::Schema::read(tx)?;
        let new = apply::apply(tx, &schema, &incoming)?;
        let people_removed = crate::governance::retention::remove_people_again(tx, &incoming)?;
        let mut ack = tx.prepare_cached(
            "INSERT INTO sync_acknowledged (peer_id, origin_id, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (peer_id, origin_id) DO UPDATE SET seq = max(seq, excluded.seq)",
        )?;
        for (origin, seq) in &body.holdings {
            ack.execute(params![header.device_id, origin, seq])?;
        }
        drop(ack);
        tx.execute(
            "INSERT INTO sync_bundles (id, direction, device_id, at, exported_at, operations, new_operations, up_to_hlc, worker_id)
             VALUES (?1, 'import', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, header.device_id, now, exported_at, operations as i64, new as i64, up_to, actor.worker_id],
        )?;
        w.audit("imported a sync bundle", None, &format!("{new} new of {operations} changes, from laptop {}", header.device_id))?;
        Ok((new, people_removed))
    })?;
    if people_removed > 0 {
        store.erase_free_space()?;
    }
    let conn = store.reader();
    let device_label = devices::get(conn, &header.device_id)?.map(|d| d.label).unwrap_or_default();
    if new_operations > 0 {
        store.refresh_statistics()?;
    }
    Ok(BundleSummary {
        device_label,
        exported_at,
        operations,
        new_operations,
        up_to: up_to.map(millis_to_time),
        already_imported: false,
        open_conflicts: conflicts::open_count(store.reader())?,
    })
}

/// The body's operations with their names restored and checked.
fn unpack(body: &Body) -> Result<Vec<Incoming>, SyncError> {
    let corrupt = |what: &str| SyncError::Corrupt(format!("it refers to a {what} it does not list"));
    let mut out = Vec::with_capacity(body.ops.len());
    let mut last: HashMap<u32, (i64, i64)> = HashMap::new();
    for op in &body.ops {
        let origin = body.origins.get(op.origin as usize).ok_or_else(|| corrupt("laptop"))?;
        let worker = body.workers.get(op.worker as usize).ok_or_else(|| corrupt("worker"))?;
        let record_type = body.record_types.get(op.record_type as usize).ok_or_else(|| corrupt("kind of record"))?;
        let kind = apply::KINDS.get(op.kind as usize).ok_or_else(|| corrupt("kind of change"))?;
        let (seq, hlc) = last.entry(op.origin).or_insert((0, 0));
        *seq += op.seq_step;
        *hlc += op.hlc_step;
        out.push(Incoming {
            op_id: op.op_id.clone().into_text(),
            device_id: origin.clone(),
            seq: *seq,
            hlc: *hlc,
            worker_id: worker.clone(),
            record_type: record_type.clone(),
            record_id: op.record_id.clone().into_text(),
            kind,
            changes: op.changes.clone(),
        });
    }
    Ok(out)
}

/// Every operation this laptop holds, in the order they were written here.
pub fn log(conn: &Connection) -> rusqlite::Result<Vec<Incoming>> {
    let mut stmt =
        conn.prepare("SELECT op_id, device_id, seq, hlc, worker_id, record_type, record_id, kind, changes FROM operations ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(7)?;
        Ok(Incoming {
            op_id: r.get(0)?,
            device_id: r.get(1)?,
            seq: r.get(2)?,
            hlc: r.get(3)?,
            worker_id: r.get(4)?,
            record_type: r.get(5)?,
            record_id: r.get(6)?,
            kind: apply::KINDS.iter().find(|k| **k == kind).copied().unwrap_or("update"),
            changes: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// Applies operations from another log as an import would (records are projections of the
/// log: a database rebuilt from it alone holds the same content).
pub fn replay(store: &mut Store, actor: &Actor, ops: &[Incoming]) -> Result<usize, SyncError> {
    store.write(actor, |w| {
        let schema = records::Schema::read(w.transaction())?;
        apply::apply(w.transaction(), &schema, ops)
    })
}
