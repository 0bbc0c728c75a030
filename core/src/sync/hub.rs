//! The partnership hub (sync.md "Beyond one team"): a server that receives every team's bundles
//! and reports the partnership's figures. A team lead enrols it as a device that only receives
//! ([`make`]): its enrolment file carries what it needs to open and check that team's bundles,
//! and it can be revoked like a laptop (the team key turns over and is never sealed for it
//! again). No laptop accepts a bundle it signs or a change it claims (`trust`).
//!
//! On the hub each team is a [`Replica`]: a database of the team's own kind, filled by the very
//! import a laptop runs, so every bundle the hub takes has passed every check a laptop makes
//! (signature, chains per origin, roles at the time, revocations), written once, here.
use super::join::{self, Enrolment};
use super::{BundleSummary, SyncError};
use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::error::ValidationErrors;
use crate::store::progress::Progress;
use crate::store::{Actor, DatabaseKey, Store};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use ts_rs::TS;
use zeroize::Zeroizing;

const FORMAT: &str = "throughline-hub/2";
/// The first format carried a bundle of everything rather than a snapshot (join.rs).
const FIRST_FORMAT: &str = "throughline-hub/1";

/// A hub enrolment file made, and the passphrase that opens it (shown once).
#[derive(Debug, Clone, PartialEq)]
pub struct HubEnrolment {
    pub bytes: Vec<u8>,
    pub passphrase: String,
    pub label: String,
}

/// A hub enrolment file saved, as the Sync screen reports it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HubFileSaved {
    pub path: String,
    pub passphrase: String,
    pub label: String,
}

/// A team lead enrols the partnership hub and makes its enrolment file.
pub fn make(store: &mut Store, actor: &Actor, label: &str) -> Result<HubEnrolment, SyncError> {
    make_watched(store, actor, label, &mut crate::store::progress::Unwatched, |_| Ok(()))
}

/// As [`make`], telling `progress` how the copy of the team's database is made, and saving the
/// file with `save` (a file not made or saved leaves the hub revoked, as `join::enrol` says).
pub fn make_watched(
    store: &mut Store,
    actor: &Actor,
    label: &str,
    progress: &mut dyn Progress,
    save: impl FnOnce(&[u8]) -> Result<(), SyncError>,
) -> Result<HubEnrolment, SyncError> {
    let label = crate::text::required("label", "Hub's name", label, 60).map_err(ValidationErrors::from)?;
    let detail = format!("{label}, which receives the team's bundles");
    join::enrol(store, actor, &label, join::Enrolling::Hub, &detail, progress, |enrolment, snapshot| {
        let (bytes, passphrase) = join::seal(FORMAT, &enrolment, snapshot)?;
        save(&bytes)?;
        Ok(HubEnrolment { bytes, passphrase, label: label.clone() })
    })
}

/// Opens a hub enrolment file with its passphrase.
pub fn open(bytes: &[u8], passphrase: &str) -> Result<Enrolment, SyncError> {
    join::unseal(bytes, passphrase, [FORMAT, FIRST_FORMAT], || SyncError::NotAHubFile)
}

/// Who the hub's own writes to a replica are by, in that replica's audit trail.
fn hub_actor() -> Actor {
    Actor { worker_id: "partnership-hub".into(), name: "Partnership hub".into() }
}

/// The hub's own secret, kept in a file sealed with the hub operator's passphrase: every team's
/// replica is encrypted with a key made from it and the team's id.
pub struct HubSecret(Zeroizing<[u8; 32]>);

#[derive(Serialize, Deserialize)]
struct SealedSecret {
    format: String,
    salt: String,
    nonce: String,
    sealed: String,
}

const SECRET_FORMAT: &str = "throughline-hub-secret/1";
/// A passphrase an attacker with the file cannot guess offline in any useful time.
const SHORTEST_PASSPHRASE: usize = 12;

impl HubSecret {
    /// Makes a new secret and saves it at `path`, sealed with `passphrase`.
    pub fn create(path: &Path, passphrase: &str) -> Result<HubSecret, SyncError> {
        if passphrase.chars().count() < SHORTEST_PASSPHRASE {
            return Err(ValidationErrors::one(
                "passphrase",
                ErrorCode::ValidationPasswordTooShort,
                format!("Choose a hub passphrase of at least {SHORTEST_PASSPHRASE} characters."),
            )
            .into());
        }
        let secret = super::laptop::random_key();
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
        let key = sealing_key(passphrase, &salt)?;
        let sealed = XChaCha20Poly1305::new(key.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), secret.as_slice())
            .map_err(|_| SyncError::Corrupt("the hub's secret could not be sealed".into()))?;
        let file =
            SealedSecret { format: SECRET_FORMAT.into(), salt: hex::encode(salt), nonce: hex::encode(nonce), sealed: hex::encode(sealed) };
        let text = serde_json::to_vec_pretty(&file).map_err(|e| SyncError::Files(e.to_string()))?;
        std::fs::write(path, text).map_err(|e| SyncError::Files(e.to_string()))?;
        crate::store::owner_only(path, 0o600).map_err(|e| SyncError::Files(e.to_string()))?;
        Ok(HubSecret(secret))
    }

    /// Opens the secret at `path` with the operator's passphrase.
    pub fn open(path: &Path, passphrase: &str) -> Result<HubSecret, SyncError> {
        let text = std::fs::read(path).map_err(|e| SyncError::Files(e.to_string()))?;
        let file: SealedSecret = serde_json::from_slice(&text)
            .ok()
            .filter(|f: &SealedSecret| f.format == SECRET_FORMAT)
            .ok_or_else(|| SyncError::Corrupt("the hub's secret file could not be read".into()))?;
        let bytes = |s: &str| hex::decode(s).map_err(|_| SyncError::Corrupt("the hub's secret file could not be read".into()));
        let (salt, nonce, sealed) = (bytes(&file.salt)?, bytes(&file.nonce)?, bytes(&file.sealed)?);
        if nonce.len() != 24 {
            return Err(SyncError::Corrupt("the hub's secret file could not be read".into()));
        }
        let key = sealing_key(passphrase, &salt)?;
        let plain = Zeroizing::new(
            XChaCha20Poly1305::new(key.as_ref().into())
                .decrypt(XNonce::from_slice(&nonce), sealed.as_slice())
                .map_err(|_| SyncError::PassphraseWrong)?,
        );
        let secret: [u8; 32] = plain.as_slice().try_into().map_err(|_| SyncError::Corrupt("the hub's secret is malformed".into()))?;
        Ok(HubSecret(Zeroizing::new(secret)))
    }

    /// The key of one team's replica.
    fn key_for(&self, team_id: &str) -> DatabaseKey {
        let mut h = Sha256::new();
        h.update(b"throughline hub replica key v1");
        h.update(self.0.as_slice());
        h.update(team_id.as_bytes());
        DatabaseKey(Zeroizing::new(h.finalize().into()))
    }
}

fn sealing_key(passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, SyncError> {
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::default().hash_password_into(passphrase.as_bytes(), salt, key.as_mut()).map_err(|_| SyncError::PassphraseWrong)?;
    Ok(key)
}

/// One team as the hub holds it.
pub struct Replica {
    store: Store,
}

impl Replica {
    /// Makes a team's replica at `path` from its enrolment: the team's keys, the hub's own, and
    /// everything the team held when the lead enrolled the hub (the `snapshot` its file carries,
    /// `join::snapshot_of`). On failure nothing is left.
    pub fn create(
        path: &Path,
        secret: &HubSecret,
        clock: Arc<dyn Clock>,
        enrolment: &Enrolment,
        snapshot: &[u8],
        progress: &mut dyn Progress,
    ) -> Result<Replica, SyncError> {
        let key = secret.key_for(&enrolment.team_id);
        match join::make_database(path, &key, clock, enrolment, snapshot, &hub_actor(), progress) {
            Ok(store) => {
                crate::store::owner_only(path, 0o600).map_err(|e| SyncError::Files(e.to_string()))?;
                Ok(Replica { store })
            }
            Err(e) => {
                crate::store::remove_database(path);
                Err(e)
            }
        }
    }

    /// Opens a team's replica.
    pub fn open(path: &Path, secret: &HubSecret, team_id: &str, clock: Arc<dyn Clock>) -> Result<Replica, SyncError> {
        Ok(Replica { store: Store::open(path, &secret.key_for(team_id), clock)? })
    }

    /// Imports a bundle exactly as a laptop of the team would: all or nothing, each change once.
    pub fn import(&mut self, bytes: &[u8], progress: &mut dyn Progress) -> Result<BundleSummary, SyncError> {
        super::import_watched(&mut self.store, &hub_actor(), bytes, progress)
    }

    /// The team's records as imported, to read (the hub copies what its figures need).
    pub fn reader(&self) -> &Connection {
        self.store.reader()
    }

    /// How many changes the replica holds: the hub's copy elsewhere is current when it holds
    /// the figures of this many.
    pub fn operations(&self) -> Result<i64, SyncError> {
        Ok(self.reader().query_row("SELECT count(*) FROM operations", [], |r| r.get(0))?)
    }

    /// The team's laptops (and hubs) as the replica knows them.
    pub fn laptops(&self) -> Result<Vec<super::laptop::Device>, SyncError> {
        Ok(super::laptop::all(self.reader())?)
    }
}
