//! A laptop of the team as a record (its public key, enrolment, revocation and succession),
//! and this laptop's own keys. The lowest part of sync: keys, records and trust read laptops
//! through it, and the operations on laptops (`devices`) sit above them all.
use super::SyncError;
use crate::store::record::{from_row, Record};
use crate::store::Write;
use chrono::{DateTime, Utc};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
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
    /// The laptop this one replaced, restored from its backup, and that laptop's signature
    /// vouching for this one's key (`devices::succeed`).
    pub successor_of: Option<String>,
    pub succession_signature: Option<String>,
    /// The id of the team key this laptop's revocation turned over ([`super::keys::current`]).
    pub key_after_revocation: Option<String>,
    /// A partnership hub ([`super::hub`]): it opens the team's bundles, and nothing it signs is
    /// accepted. Fixed at enrolment.
    #[serde(with = "crate::store::record::sql_bool", default)]
    pub receives_only: bool,
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
    /// A laptop enrolled now by the worker writing, with its public key.
    pub fn enrolled(w: &Write, id: &str, label: &str, key: &VerifyingKey) -> Device {
        Device {
            id: id.to_string(),
            label: label.to_string(),
            public_key: hex::encode(key.to_bytes()),
            enrolled_at: w.now(),
            enrolled_by: w.actor().worker_id.clone(),
            revoked_at: None,
            revoked_by: None,
            successor_of: None,
            succession_signature: None,
            key_after_revocation: None,
            receives_only: false,
        }
    }

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
