//! The team's laptops: each signs its bundles with a key of its own, and a team lead can revoke
//! a lost one. A laptop's enrolment and revocation are records (`laptop`), so they travel with
//! the team's data.
use super::laptop::{all, get, identity, keep_identity, random_key, Device, Identity};
use super::SyncError;
use crate::store::Store;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// This laptop's keys, made (with its own enrolment, by the signed-in worker) the first time
/// the team's founding laptop syncs.
pub fn ensure_identity(store: &mut Store, actor: &crate::store::Actor) -> Result<Identity, SyncError> {
    let restored_from: Option<String> =
        store.reader().query_row("SELECT restored_from FROM installation WHERE id = 1", [], |r| r.get(0))?;
    if let Some(found) = identity(store.reader())? {
        return match restored_from {
            Some(before) => succeed(store, actor, &before, found),
            None => Ok(found),
        };
    }
    let team_key = random_key();
    let signing_key = SigningKey::generate(&mut rand::rngs::OsRng);
    store.write(actor, |w| -> Result<(), SyncError> {
        keep_identity(w, &team_key, &signing_key)?;
        let label = format!("{}'s laptop", w.actor().name);
        let mut device = Device::enrolled(w, w.device_id(), &label, &signing_key.verifying_key());
        if get(w.reader(), &device.id)?.is_none() {
            w.create(&mut device)?;
        }
        Ok(())
    })?;
    Ok(Identity { team_key, signing_key })
}

/// A laptop as the sync screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DeviceView {
    pub id: String,
    pub label: String,
    pub enrolled_at: DateTime<Utc>,
    pub enrolled_by: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub this_laptop: bool,
    /// When its last bundle was imported here.
    pub last_bundle_at: Option<DateTime<Utc>>,
    /// The laptop it replaced (restored from that laptop's backup), by name.
    pub replaced: Option<String>,
    /// The laptop that replaced it, by name: it is not used any more and nothing is sent to it.
    pub replaced_by: Option<String>,
    /// Whether it has the team key this laptop seals with: known once a bundle of it sealed with
    /// that key has arrived here. None until then.
    pub has_current_key: Option<bool>,
    /// The partnership hub: it receives the team's bundles and sends none.
    pub hub: bool,
}

pub fn views(conn: &Connection, this_device: &str) -> Result<Vec<DeviceView>, SyncError> {
    // A laptop that has not joined a team's sync yet has no team key, and lists what it knows.
    let current = match super::keys::current(conn) {
        Ok(key) => Some(key),
        Err(SyncError::NoIdentity) => None,
        Err(e) => return Err(e),
    };
    let (key_id, generation) = current.as_ref().map_or((String::new(), 0), |k| (k.id(), k.generation));
    let mut last =
        conn.prepare_cached("SELECT max(at), max(key_id = ?2 OR ?3 = 0) FROM sync_bundles WHERE direction = 'import' AND device_id = ?1")?;
    let all = all(conn)?;
    let mut out = Vec::new();
    for d in &all {
        let (last_bundle_at, sent_with_current): (Option<DateTime<Utc>>, Option<bool>) =
            last.query_row(rusqlite::params![d.id, key_id, generation], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let enrolled_by = crate::accounts::workers::by_id(conn, &d.enrolled_by)?.map(|w| w.display_name).unwrap_or_default();
        let this_laptop = d.id == this_device;
        let has_current_key = match (this_laptop, d.revoked_at, sent_with_current) {
            (true, _, _) => Some(true),
            (_, Some(_), _) => Some(false),
            (_, None, Some(true)) => Some(true),
            (_, None, _) if generation == 0 => Some(true),
            _ => None,
        };
        out.push(DeviceView {
            this_laptop,
            id: d.id.clone(),
            label: d.label.clone(),
            enrolled_at: d.enrolled_at,
            enrolled_by,
            revoked_at: d.revoked_at,
            last_bundle_at,
            replaced: d
                .successor_of
                .as_ref()
                .map(|id| all.iter().find(|o| &o.id == id).map(|o| o.label.clone()).unwrap_or_else(|| id.clone())),
            replaced_by: all.iter().find(|o| o.successor_of.as_deref() == Some(d.id.as_str())).map(|o| o.label.clone()),
            has_current_key,
            hub: d.receives_only,
        });
    }
    Ok(out)
}

/// A team lead revokes a lost laptop: its bundles are refused wherever this reaches, what it
/// made afterwards is set aside wherever it arrives, and the team key turns over, so bundles
/// made from now on cannot be opened with what the lost laptop holds.
pub fn revoke(store: &mut Store, actor: &crate::store::Actor, device_id: &str) -> Result<(), SyncError> {
    ensure_identity(store, actor)?;
    store.write(actor, |w| -> Result<(), SyncError> {
        let Some(before) = get(w.reader(), device_id)? else {
            return Err(SyncError::UnknownDevice);
        };
        if before.id == w.device_id() {
            return Err(SyncError::CannotRevokeSelf);
        }
        if before.revoked_at.is_some() {
            return Ok(());
        }
        let key = super::keys::rotate(w.transaction())?;
        let after = Device {
            revoked_at: Some(w.now()),
            revoked_by: Some(w.actor().worker_id.clone()),
            key_after_revocation: Some(key.id()),
            ..before.clone()
        };
        w.update(&before, &after)?;
        let schema = super::records::Schema::read(w.transaction())?;
        super::apply::set_aside_after_revocation(w.transaction(), &schema, device_id, w.now().timestamp_millis())?;
        w.audit("turned over the team key", None, &format!("generation {}, after revoking {}", key.generation, before.label))?;
        Ok(())
    })
}

/// A laptop restored from a backup took a new id at the restore (store `take_new_device_id`);
/// at its first sync it is enrolled as the successor of the laptop it was, vouched for by that
/// laptop's key, and takes a signing key of its own. The old laptop's operations stay its own
/// (those it exported after the backup still arrive from the others); its chain is signed up to
/// where the backup holds it, and its id is never written under again.
fn succeed(store: &mut Store, actor: &crate::store::Actor, before: &str, old: Identity) -> Result<Identity, SyncError> {
    let conn = store.reader();
    let (team_id, after) = super::installation(conn)?;
    let label =
        get(conn, before)?.map(|d| format!("{} (restored)", d.label)).unwrap_or_else(|| format!("{}'s laptop (restored)", actor.name));
    let tail = super::chains::held(conn, before)?;
    let old_head =
        super::chains::Head { signature: Some(super::chains::sign(&team_id, before, tail.seq, &tail.chain, &old.signing_key)), ..tail };
    let signing_key = SigningKey::generate(&mut rand::rngs::OsRng);
    let message = super::trust::succession_message(&team_id, before, &after, &signing_key.verifying_key());
    let vouched = ed25519_dalek::Signer::sign(&old.signing_key, &message);
    store.write(actor, |w| -> Result<(), SyncError> {
        let tx = w.transaction();
        tx.execute("UPDATE sync_identity SET signing_key = ?1 WHERE id = 1", [&signing_key.to_bytes()[..]])?;
        tx.execute("UPDATE installation SET restored_from = NULL WHERE id = 1", [])?;
        super::chains::store(tx, before, &old_head)?;
        w.create(&mut Device {
            successor_of: Some(before.to_string()),
            succession_signature: Some(hex::encode(vouched.to_bytes())),
            ..Device::enrolled(w, &after, &label, &signing_key.verifying_key())
        })?;
        w.audit("enrolled this laptop as the successor of the one it was restored from", None, &format!("{label}, after laptop {before}"))?;
        Ok(())
    })?;
    Ok(Identity { team_key: old.team_key, signing_key })
}
