//! The team's laptops: each signs its bundles with a key of its own, and a team lead can revoke
//! a lost one. A laptop's enrolment and revocation are records, so they travel with the team's
//! data.
use super::SyncError;
use crate::store::record::{from_row, Record};
use crate::store::{Store, Write};
use chrono::{DateTime, Utc};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub label: String,
    /// Hex of the laptop's Ed25519 public key.
    pub public_key: String,
    pub enrolled_at: DateTime<Utc>,
    pub enrolled_by: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
}

impl Record for Device {
    const TYPE: &'static str = "device";
    const TABLE: &'static str = "devices";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        None
    }
}

impl Device {
    pub fn verifying_key(&self) -> Result<VerifyingKey, SyncError> {
        let bytes: [u8; 32] = hex::decode(&self.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| SyncError::Corrupt("a laptop's key is malformed".into()))?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| SyncError::Corrupt("a laptop's key is malformed".into()))
    }
}

/// This laptop's keys: the team's bundle key and its own signing key.
pub struct Identity {
    pub team_key: Zeroizing<[u8; 32]>,
    pub signing_key: SigningKey,
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Device>> {
    crate::store::record::get(conn, id)
}

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<Device>> {
    conn.prepare_cached("SELECT * FROM devices ORDER BY enrolled_at, id")?.query_map([], from_row)?.collect()
}

pub fn identity(conn: &Connection) -> rusqlite::Result<Option<Identity>> {
    conn.query_row("SELECT team_key, signing_key FROM sync_identity WHERE id = 1", [], |r| {
        let team_key: Vec<u8> = r.get(0)?;
        let signing: Vec<u8> = r.get(1)?;
        Ok((team_key, signing))
    })
    .optional()
    .map(|found| {
        found.and_then(|(team_key, signing)| {
            let team_key: [u8; 32] = team_key.try_into().ok()?;
            let signing: [u8; 32] = signing.try_into().ok()?;
            Some(Identity { team_key: Zeroizing::new(team_key), signing_key: SigningKey::from_bytes(&signing) })
        })
    })
}

/// Keeps this laptop's keys in its (encrypted) database.
pub(super) fn keep_identity(w: &Write<'_>, team_key: &[u8; 32], signing_key: &SigningKey) -> rusqlite::Result<()> {
    w.transaction().execute(
        "INSERT INTO sync_identity (id, team_key, signing_key) VALUES (1, ?1, ?2)",
        rusqlite::params![&team_key[..], &signing_key.to_bytes()[..]],
    )?;
    Ok(())
}

pub fn random_key() -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, key.as_mut());
    key
}

/// This laptop's keys, made (with its own enrolment, by the signed-in worker) the first time
/// the team's founding laptop syncs.
pub fn ensure_identity(store: &mut Store, actor: &crate::store::Actor) -> Result<Identity, SyncError> {
    if let Some(found) = identity(store.reader())? {
        return Ok(found);
    }
    let team_key = random_key();
    let signing_key = SigningKey::generate(&mut rand::rngs::OsRng);
    store.write(actor, |w| -> Result<(), SyncError> {
        keep_identity(w, &team_key, &signing_key)?;
        let mut device = Device {
            id: w.device_id().to_string(),
            label: format!("{}'s laptop", w.actor().name),
            public_key: hex::encode(signing_key.verifying_key().to_bytes()),
            enrolled_at: w.now(),
            enrolled_by: w.actor().worker_id.clone(),
            revoked_at: None,
            revoked_by: None,
        };
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
}

pub fn views(conn: &Connection, this_device: &str) -> Result<Vec<DeviceView>, SyncError> {
    let mut last = conn.prepare_cached("SELECT max(at) FROM sync_bundles WHERE direction = 'import' AND device_id = ?1")?;
    let mut out = Vec::new();
    for d in all(conn)? {
        let last_bundle_at: Option<DateTime<Utc>> = last.query_row([&d.id], |r| r.get(0))?;
        let enrolled_by = crate::accounts::workers::by_id(conn, &d.enrolled_by)?.map(|w| w.display_name).unwrap_or_default();
        out.push(DeviceView {
            this_laptop: d.id == this_device,
            id: d.id,
            label: d.label,
            enrolled_at: d.enrolled_at,
            enrolled_by,
            revoked_at: d.revoked_at,
            last_bundle_at,
        });
    }
    Ok(out)
}

/// A team lead revokes a lost laptop: its bundles are refused wherever this reaches.
pub fn revoke(store: &mut Store, actor: &crate::store::Actor, device_id: &str) -> Result<(), SyncError> {
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
        let after = Device { revoked_at: Some(w.now()), revoked_by: Some(w.actor().worker_id.clone()), ..before.clone() };
        w.update(&before, &after)?;
        Ok(())
    })
}
