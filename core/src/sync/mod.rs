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
pub mod chains;
pub mod conflicts;
pub mod devices;
mod fresh;
pub mod hub;
pub mod join;
pub mod keys;
pub mod laptop;
pub mod records;
pub mod snapshot;
pub mod status;
pub mod trust;
pub mod vouching;
pub mod witness;

use crate::accounts::worker_keys;
use crate::codes::ErrorCode;
use crate::error::Coded;
use crate::store::progress::{Progress, Unwatched};
use crate::store::{hlc, signing, Actor, Store, StoreError};
use apply::Incoming;
use bundle::{Body, Header, Id, KeyRequest, OpSignature, SignedHead, WireOp};
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
    #[error("This bundle was made by an older Throughline (bundle format {0}), before each worker signed the changes only their role may make. Update Throughline on the laptop that made it, export again there, and import the new bundle.")]
    OlderFormat(u16),
    #[error("This bundle holds a change that was not allowed: {what}, by {who}, {why}. Nothing was imported; tell your team lead.")]
    NotAllowed { what: String, who: String, why: String },
    #[error("This bundle holds changes that \"{0}\" did not vouch for: they were altered or made up by the laptop that passed them on. Nothing was imported; tell your team lead.")]
    Unvouched(String),
    #[error("This bundle holds changes from a laptop this team never enrolled ({0}). Nothing was imported; tell your team lead.")]
    UnknownOrigin(String),
    #[error("This bundle holds changes claiming to be made on this laptop that this laptop never made. Nothing was imported; tell your team lead.")]
    ClaimsThisLaptop,
    #[error("This bundle claims that its laptop holds changes {0}. Nothing was imported; tell your team lead.")]
    OverClaim(String),
    #[error("This bundle lacks changes {from} to {to} of \"{laptop}\", which must come before the ones it holds. Nothing was imported: import the earlier bundles first, or ask for a bundle of everything.")]
    Gap { laptop: String, from: i64, to: i64 },
    #[error("This bundle holds changes dated {when} by the clock of \"{laptop}\", more than a day ahead of this laptop's. Nothing was imported: check the date and time on both laptops, then export again.")]
    FutureClock { laptop: String, when: String },
    #[error("This bundle is sealed with a team key this laptop was not given: it was revoked, or enrolled after the bundle was made. Nothing was imported; ask your team lead.")]
    KeyNotForThisLaptop,
    #[error(
        "This bundle is incomplete: it was cut short, perhaps while it was copied. Nothing was imported; ask for it to be exported again."
    )]
    Truncated,
    #[error("This bundle belongs to another team. Nothing was imported.")]
    OtherTeam,
    #[error("This file was signed by \"{0}\", the team's partnership hub. A hub only receives bundles: nothing it makes is imported by a laptop. Nothing was imported; tell your team lead.")]
    FromHub(String),
    #[error("This is not a hub enrolment file: a team lead makes one with \"Add the partnership hub\" on the Sync screen.")]
    NotAHubFile,
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
    /// A join or hub enrolment file: the device it was for is revoked, as nothing holds its key.
    #[error("The file could not be saved there ({0}). Choose another folder and make it again: the one it was for is listed as revoked, as no file for it exists.")]
    FileNotSaved(String),
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
            SyncError::OlderFormat(_) => ErrorCode::SyncOlderVersion,
            SyncError::NotAllowed { .. } => ErrorCode::SyncNotAllowed,
            SyncError::Unvouched(_) | SyncError::UnknownOrigin(_) | SyncError::ClaimsThisLaptop | SyncError::OverClaim(_) => {
                ErrorCode::SyncForged
            }
            SyncError::Gap { .. } => ErrorCode::SyncMissingChanges,
            SyncError::FutureClock { .. } => ErrorCode::SyncFutureClock,
            SyncError::KeyNotForThisLaptop => ErrorCode::SyncNotForThisLaptop,
            SyncError::Truncated => ErrorCode::SyncTruncated,
            SyncError::OtherTeam => ErrorCode::SyncOtherTeam,
            SyncError::UnknownDevice => ErrorCode::SyncUnknownDevice,
            SyncError::RevokedDevice(_) => ErrorCode::SyncRevokedDevice,
            SyncError::FromHub(_) => ErrorCode::SyncFromHub,
            SyncError::NotAHubFile => ErrorCode::SyncNotAHubFile,
            SyncError::BadSignature => ErrorCode::SyncBadSignature,
            SyncError::CannotDecrypt => ErrorCode::SyncCannotDecrypt,
            SyncError::Corrupt(_) => ErrorCode::SyncCorrupt,
            SyncError::NotAJoinFile => ErrorCode::SyncNotAJoinFile,
            SyncError::PassphraseWrong => ErrorCode::SyncPassphraseWrong,
            SyncError::CannotRevokeSelf => ErrorCode::SyncCannotRevokeSelf,
            SyncError::NoIdentity => ErrorCode::SyncNoIdentity,
            SyncError::ConflictSettled => ErrorCode::SyncConflictSettled,
            SyncError::Files(_) => ErrorCode::StoreFiles,
            SyncError::NotSaved(_) | SyncError::FileNotSaved(_) => ErrorCode::ExportWriteFailed,
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
    /// Changes a revoked laptop made after its revocation, which the bundle carried and this
    /// laptop refused (kept aside, never applied).
    pub set_aside: Vec<SetAside>,
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
    // A revoked laptop's later operations, set aside here, follow on from its applied ones.
    let mut aside = conn.prepare_cached("SELECT device_id, seq FROM sync_refused_ops ORDER BY device_id, seq")?;
    let rows: Vec<(String, i64)> = aside.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    for (device, seq) in rows {
        match out.iter_mut().find(|(d, _)| *d == device) {
            Some((_, held)) if *held + 1 == seq => *held = seq,
            Some(_) => {}
            None if seq == 1 => out.push((device, 1)),
            None => {}
        }
    }
    Ok(out)
}

/// Writes a bundle of this laptop's operations; the caller saves the bytes to a file.
pub fn export(store: &mut Store, actor: &Actor, scope: &ExportScope) -> Result<(Vec<u8>, BundleSummary), SyncError> {
    export_with(store, actor, scope, &mut Unwatched, |_| Ok(()))
}

/// As [`export`], saving the bundle with `save` before the export is recorded (in the same
/// transaction as its audit entry): a bundle that could not be saved is not counted as sent.
/// `progress` is told each change gathered; cancelled, nothing is saved or counted as sent.
pub fn export_with(
    store: &mut Store,
    actor: &Actor,
    scope: &ExportScope,
    progress: &mut dyn Progress,
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

    let mut body = Body { holdings: held.clone(), audit: witness::report(conn, &device_id)?, ..Body::default() };
    let mut workers: HashMap<String, u32> = HashMap::new();
    let mut types: HashMap<String, u32> = HashMap::new();
    let mut up_to = 0i64;
    let mut own_head = None;
    // Each laptop's numbers run without a gap, so what is to go is known before it is read.
    let to_send: i64 = held.iter().map(|(origin, seq)| (seq - from.get(origin).copied().unwrap_or(0)).max(0)).sum();
    let (total, gathering) = (to_send as u64, "Gathering the changes");
    progress.step(gathering, 0, total)?;
    // A revoked laptop's operations set aside here travel too, so its chain still checks where
    // its earlier ones arrive; every laptop sets them aside the same way.
    let signed = author_signatures(conn)?;
    let mut ops = bundle::BodyWriter::new();
    let mut stmt = conn.prepare_cached(chains::OPERATIONS_OF)?;
    for (origin, held_seq) in &held {
        let origin_index = body.origins.len() as u32;
        body.origins.push(origin.clone());
        let (mut last_seq, mut last_hlc) = (0i64, 0i64);
        let mut rows = stmt.query(params![origin, from.get(origin).copied().unwrap_or(0)])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(1)?;
            if seq > *held_seq {
                break;
            }
            let hlc: i64 = r.get(2)?;
            let worker = intern(&mut workers, &mut body.workers, r.get_ref(3)?.as_str()?);
            let record_type = intern(&mut types, &mut body.record_types, r.get_ref(4)?.as_str()?);
            let kind: &str = r.get_ref(6)?.as_str()?;
            let op_id = r.get_ref(0)?.as_str()?;
            if !signed.is_empty() && signing::SIGNED.contains(&body.record_types[record_type as usize].as_str()) {
                if let Some((key, signature)) = signed.get(op_id) {
                    body.signatures.push(OpSignature { op: ops.ops() as u32, key: *key, signature: signature.clone() });
                }
            }
            ops.op(&WireOp {
                op_id: Id::from_text(op_id),
                origin: origin_index,
                seq_step: seq - last_seq,
                hlc_step: hlc - last_hlc,
                worker,
                record_type,
                record_id: Id::from_text(r.get_ref(5)?.as_str()?),
                kind: apply::KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8,
                changes: r.get(7)?,
            })?;
            (last_seq, last_hlc) = (seq, hlc);
            up_to = up_to.max(hlc);
            progress.item(gathering, ops.ops() as u64, total)?;
        }
        if last_seq == 0 {
            continue;
        }
        // The head of the origin's chain at the last operation sent: this laptop signs its
        // own; another's travels with the signature it came with.
        let mut head = chains::held(conn, origin)?;
        if *origin == device_id {
            head.signature = Some(chains::sign(&team_id, origin, head.seq, &head.chain, &identity.signing_key));
            own_head = Some(head.clone());
        }
        if head.seq == last_seq {
            body.heads.push(SignedHead { origin: origin_index, seq: head.seq, chain: head.chain, signature: head.signature });
        }
    }
    drop(stmt);

    body.key_requests = worker_keys::waiting(conn)?
        .into_iter()
        .map(|r| KeyRequest {
            key: r.public,
            worker: r.worker_id,
            laptop: r.laptop_id,
            signature: r.signature,
            asked_at: r.asked_at.to_rfc3339(),
        })
        .collect();
    let now = store.clock().now();
    let team_key = keys::current(conn)?;
    progress.step("Sealing the bundle", total, total)?;
    let header = Header {
        team_id,
        device_id: device_id.clone(),
        exported_at: now.to_rfc3339(),
        schema_version: crate::store::schema_version(),
        key_generation: team_key.generation,
        key_id: team_key.id(),
        key_wraps: keys::wraps_for(&team_key, &laptop::all(conn)?),
    };
    let operations = ops.ops();
    let bytes = bundle::write_packed(&header, &ops.finish(&body)?, &team_key.key, &identity.signing_key)?;
    let id = hex::encode(Sha256::digest(&bytes));
    let audit_head = body.audit.head.clone();
    store.write(actor, |w| -> Result<(), SyncError> {
        if let Some(head) = &own_head {
            chains::store(w.transaction(), &device_id, head)?;
        }
        w.transaction().execute(
            "INSERT INTO sync_bundles (id, direction, device_id, at, exported_at, operations, new_operations, up_to_hlc, worker_id, own_seq,
                                       key_generation, audit_seq, audit_hash)
             VALUES (?1, 'export', ?2, ?3, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                device_id,
                now,
                operations as i64,
                up_to,
                actor.worker_id,
                own_head.as_ref().map(|h| h.seq),
                team_key.generation,
                audit_head.as_ref().map(|h| h.0),
                audit_head.as_ref().map(|h| h.1.clone())
            ],
        )?;
        let whom = match scope {
            ExportScope::Everything => "everything".to_string(),
            ExportScope::NotAcknowledgedBy { device_ids } => format!("for {} laptop(s)", device_ids.len()),
        };
        w.audit("exported a sync bundle", None, &format!("{operations} changes, {whom}"))?;
        progress.step("Saving the file", total, total)?;
        save(&bytes)
    })?;
    let label = laptop::get(store.reader(), &device_id)?.map(|d| d.label).unwrap_or_default();
    let summary = BundleSummary {
        device_label: label,
        exported_at: now,
        operations,
        new_operations: operations,
        up_to: (up_to > 0).then(|| millis_to_time(up_to)),
        already_imported: false,
        open_conflicts: conflicts::open_count(store.reader())?,
        set_aside: Vec::new(),
    };
    Ok((bytes, summary))
}

/// Every author signature this laptop holds, by operation.
fn author_signatures(conn: &Connection) -> Result<HashMap<String, trust::Signed>, SyncError> {
    let mut stmt = conn.prepare_cached("SELECT op_id, public_key, signature FROM operation_signatures")?;
    let rows: Vec<(String, String, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let damaged = || SyncError::Corrupt("a change's author signature held here is damaged".into());
    rows.into_iter()
        .map(|(op, key, signature)| {
            let key: [u8; 32] = hex::decode(key).ok().and_then(|k| k.try_into().ok()).ok_or_else(damaged)?;
            Ok((op, (key, hex::decode(signature).map_err(|_| damaged())?)))
        })
        .collect()
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
    import_watched(store, actor, bytes, &mut Unwatched)
}

/// As [`import`], telling `progress` each change applied; cancelled, nothing is imported.
pub fn import_watched(store: &mut Store, actor: &Actor, bytes: &[u8], progress: &mut dyn Progress) -> Result<BundleSummary, SyncError> {
    import_trusting(store, actor, bytes, None, progress)
}

/// As [`import`]; `trusted` is a laptop known from elsewhere (the join file names the laptop
/// that made it, whose enrolment arrives in the very bundle it carries).
pub(crate) fn import_trusting(
    store: &mut Store,
    actor: &Actor,
    bytes: &[u8],
    trusted: Option<(&str, &VerifyingKey)>,
    progress: &mut dyn Progress,
) -> Result<BundleSummary, SyncError> {
    store.in_bulk(|store| import_checked(store, actor, bytes, trusted, progress))
}

fn import_checked(
    store: &mut Store,
    actor: &Actor,
    bytes: &[u8],
    trusted: Option<(&str, &VerifyingKey)>,
    progress: &mut dyn Progress,
) -> Result<BundleSummary, SyncError> {
    progress.step("Opening the bundle", 0, 0)?;
    let unverified = bundle::read(bytes)?;
    let header = unverified.header.clone();
    let conn = store.reader();
    let (team_id, me) = installation(conn)?;
    if header.team_id != team_id {
        return Err(SyncError::OtherTeam);
    }
    let signer = laptop::get(conn, &header.device_id)?;
    let identity = laptop::identity(conn)?.ok_or(SyncError::NoIdentity)?;
    // A laptop restored from a backup is not known yet when its first bundle arrives: that
    // bundle enrols it, vouched for by the laptop it replaced; its body is opened (the team key
    // authenticates it) to find the key it signed with.
    let mut opened = None;
    let key = match (&signer, trusted) {
        (Some(d), _) if d.receives_only => return Err(SyncError::FromHub(d.label.clone())),
        (Some(d), _) if d.revoked_at.is_some() => return Err(SyncError::RevokedDevice(d.label.clone())),
        (Some(d), _) => d.verifying_key()?,
        (None, Some((id, key))) if id == header.device_id => *key,
        (None, _) => {
            let team_key = keys::for_header(conn, &header, &me, &identity.signing_key).map_err(|_| SyncError::UnknownDevice)?;
            let mut body = unverified.open(&team_key.key).map_err(|_| SyncError::UnknownDevice)?;
            let incoming = unpack(&mut body)?;
            let key = trust::successor_key(&incoming, &header.device_id).ok_or(SyncError::UnknownDevice)?;
            opened = Some((team_key, body, incoming));
            key
        }
    };
    unverified.verify(&key)?;
    if header.schema_version > crate::store::schema_version() {
        return Err(SyncError::NewerSchema(header.schema_version));
    }
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
            set_aside: Vec::new(),
        });
    }
    let (team_key, body, incoming) = match opened {
        Some(found) => found,
        None => {
            let team_key = keys::for_header(conn, &header, &me, &identity.signing_key)?;
            let mut body = unverified.open(&team_key.key)?;
            let incoming = unpack(&mut body)?;
            (team_key, body, incoming)
        }
    };
    let operations = incoming.len();
    // One pass over every change with no figure of its own to report: the bar moves without one.
    progress.step("Checking who made each change", 0, 0)?;
    let now = store.clock().now();
    let checked = trust::check(conn, &team_id, &me, incoming, &body, now.timestamp_millis(), trusted.is_some())?;
    check_holdings(conn, &me, &body.holdings, &checked)?;
    let up_to = checked.accepted.iter().chain(&checked.set_aside).map(|o| o.hlc).max();
    let set_aside = set_aside_summary(conn, &checked.set_aside)?;

    let (new_operations, people_removed) = store.write(actor, |w| -> Result<(usize, usize), SyncError> {
        let tx = w.transaction();
        let schema = records::Schema::read(tx)?;
        let new = apply::apply(tx, &schema, &checked.accepted, progress)?;
        apply::set_aside(tx, &schema, &checked.set_aside)?;
        for (device, at) in &checked.revoked {
            apply::set_aside_after_revocation(tx, &schema, device, *at)?;
        }
        for (origin, head) in &checked.heads {
            chains::store(tx, origin, head)?;
        }
        let mut keep = tx.prepare_cached("INSERT OR IGNORE INTO operation_signatures (op_id, public_key, signature) VALUES (?1, ?2, ?3)")?;
        for (op_id, key, signature) in &checked.signatures {
            keep.execute(params![op_id, hex::encode(key), hex::encode(signature)])?;
        }
        drop(keep);
        take_key_requests(tx, &team_id, now, &body.key_requests)?;
        keys::keep(tx, &team_key)?;
        let people_removed = crate::governance::retention::remove_people_again(
            tx,
            checked.accepted.iter().map(|op| (op.record_type.as_str(), op.record_id.as_str())),
        )?;
        let mut ack = tx.prepare_cached(
            "INSERT INTO sync_acknowledged (peer_id, origin_id, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (peer_id, origin_id) DO UPDATE SET seq = max(seq, excluded.seq)",
        )?;
        for (origin, seq) in &body.holdings {
            ack.execute(params![header.device_id, origin, seq])?;
        }
        drop(ack);
        tx.execute(
            "INSERT INTO sync_bundles (id, direction, device_id, at, exported_at, operations, new_operations, up_to_hlc, worker_id, key_generation, key_id)
             VALUES (?1, 'import', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, header.device_id, now, exported_at, operations as i64, new as i64, up_to, actor.worker_id, header.key_generation, header.key_id],
        )?;
        witness::take(w, &me, &header.device_id, &body.audit)?;
        let aside = if checked.set_aside.is_empty() { String::new() } else { format!(", {} set aside (a revoked laptop's)", checked.set_aside.len()) };
        w.audit("imported a sync bundle", None, &format!("{new} new of {operations} changes{aside}, from laptop {}", header.device_id))?;
        Ok((new, people_removed))
    })?;
    if people_removed > 0 {
        store.erase_free_space()?;
    }
    let conn = store.reader();
    let device_label = laptop::get(conn, &header.device_id)?.map(|d| d.label).unwrap_or_default();
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
        set_aside,
    })
}

/// Keeps the key requests a bundle carries: each signed by its own key, for a worker and a
/// laptop of the team, not dated ahead. Any other is passed over (a request is only a
/// proposal an administrator checks with the worker; refusing the bundle for one would let a
/// laptop stop others' sync). Lets go of those whose key the team now knows.
fn take_key_requests(tx: &Connection, team_id: &str, now: DateTime<Utc>, requests: &[KeyRequest]) -> Result<(), SyncError> {
    for r in requests {
        let Ok(asked_at) = DateTime::parse_from_rfc3339(&r.asked_at).map(|t| t.with_timezone(&Utc)) else { continue };
        let request = worker_keys::Request {
            public: r.key,
            worker_id: r.worker.clone(),
            laptop_id: r.laptop.clone(),
            signature: r.signature.clone(),
            asked_at,
        };
        let ours = crate::accounts::workers::by_id(tx, &r.worker)?.is_some() && laptop::get(tx, &r.laptop)?.is_some();
        let ahead = asked_at.timestamp_millis() > now.timestamp_millis() + trust::CLOCK_SLACK_MS;
        if ours && !ahead && request.signed_by_its_key(team_id) {
            worker_keys::keep_request(tx, &request)?;
        }
    }
    tx.execute("DELETE FROM worker_key_requests WHERE id IN (SELECT id FROM worker_keys)", [])?;
    Ok(())
}

/// A bundle's claims of what its laptop holds become acknowledgements (what later exports leave
/// out): none may claim more of this laptop's changes than it has made, or a laptop the team
/// never enrolled.
fn check_holdings(conn: &Connection, me: &str, holdings: &[(String, i64)], checked: &trust::Checked) -> Result<(), SyncError> {
    let made: i64 = conn.query_row("SELECT next_seq - 1 FROM device_state WHERE id = 1", [], |r| r.get(0))?;
    let known: std::collections::HashSet<String> = laptop::all(conn)?.into_iter().map(|d| d.id).collect();
    for (origin, seq) in holdings {
        if origin == me && *seq > made {
            return Err(SyncError::OverClaim(format!("up to number {seq} of this laptop, which has made {made}")));
        }
        let arriving = checked.accepted.iter().any(|o| &o.device_id == origin);
        if *seq < 0 || (!known.contains(origin) && !arriving && origin != me) {
            return Err(SyncError::OverClaim(format!("of a laptop this team never enrolled ({origin})")));
        }
    }
    Ok(())
}

/// A revoked laptop whose later changes a bundle carried, and how many (the import's result
/// names it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SetAside {
    pub device_label: String,
    pub changes: usize,
}

fn set_aside_summary(conn: &Connection, ops: &[Incoming]) -> Result<Vec<SetAside>, SyncError> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for op in ops {
        match counts.iter_mut().find(|(d, _)| *d == op.device_id) {
            Some((_, n)) => *n += 1,
            None => counts.push((op.device_id.clone(), 1)),
        }
    }
    counts
        .into_iter()
        .map(|(device, changes)| Ok(SetAside { device_label: laptop::get(conn, &device)?.map(|d| d.label).unwrap_or(device), changes }))
        .collect()
}

/// The body's operations, taken out of it, with their names restored and checked: each
/// laptop's numbers rise one by one and its clock never goes back, with no arithmetic
/// overflowing. Each change's text moves rather than being copied (a million changes: about
/// 300 MB less to copy and to hold at once).
fn unpack(body: &mut Body) -> Result<Vec<Incoming>, SyncError> {
    let corrupt = |what: &str| SyncError::Corrupt(format!("it refers to a {what} it does not list"));
    let mut out = Vec::with_capacity(body.ops.len());
    let mut last: HashMap<u32, (i64, i64)> = HashMap::new();
    for op in std::mem::take(&mut body.ops) {
        let origin = body.origins.get(op.origin as usize).ok_or_else(|| corrupt("laptop"))?;
        let worker = body.workers.get(op.worker as usize).ok_or_else(|| corrupt("worker"))?;
        let record_type = body.record_types.get(op.record_type as usize).ok_or_else(|| corrupt("kind of record"))?;
        let kind = apply::KINDS.get(op.kind as usize).ok_or_else(|| corrupt("kind of change"))?;
        let (seq, hlc) = last.entry(op.origin).or_insert((0, 0));
        let out_of_order = || SyncError::Corrupt(format!("the changes of laptop {origin} are out of order or their numbers overflow"));
        if op.seq_step < 1 || op.hlc_step < 0 {
            return Err(out_of_order());
        }
        *seq = seq.checked_add(op.seq_step).ok_or_else(out_of_order)?;
        *hlc = hlc.checked_add(op.hlc_step).ok_or_else(out_of_order)?;
        out.push(Incoming {
            op_id: op.op_id.into_text(),
            device_id: origin.clone(),
            seq: *seq,
            hlc: *hlc,
            worker_id: worker.clone(),
            record_type: record_type.clone(),
            record_id: op.record_id.into_text(),
            kind,
            changes: op.changes,
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
            kind: apply::kind(&kind),
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
        apply::apply(w.transaction(), &schema, ops, &mut Unwatched)
    })
}
