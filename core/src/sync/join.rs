//! Join files: how a new laptop joins a team. A team lead makes one for the laptop (enrolling
//! it and naming the worker who will use it); it carries the team's identity and keys, the
//! laptop's own signing key and a bundle of all the team's data, sealed with a passphrase the
//! lead tells the worker separately.
use super::devices;
use super::laptop::{self, Device};
use super::{ExportScope, SyncError};
use crate::accounts::keyslots::RecoveryKey;
use crate::accounts::{AccountError, Installation, Joining, Session};
use crate::error::ValidationErrors;
use crate::store::progress::{Progress, Unwatched};
use crate::store::{Actor, Store};
use crate::ErrorCode;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::{BASE32_NOPAD, BASE64};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

const FORMAT: &str = "throughline-join/1";

/// The file as written: everything but the format is sealed.
#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    salt: String,
    nonce: String,
    sealed: String,
}

/// What a device needs to take its place in the team: the team's identity and keys, its own
/// signing key, and a bundle of everything the team holds, trusted because the passphrase opened
/// it. A laptop's join file and a hub's enrolment file both carry one.
#[derive(Serialize, Deserialize)]
pub struct Enrolment {
    pub team_id: String,
    pub team_name: String,
    team_key: String,
    pub device_id: String,
    pub device_label: String,
    signing_key: String,
    from_device_id: String,
    from_public_key: String,
    bundle: String,
    /// The team keys that replaced the first at revocations (generation, hex), so the device
    /// opens bundles sealed with any of them.
    #[serde(default)]
    team_keys: Vec<(i64, String)>,
}

/// What a join file holds, once opened: an enrolment, and the worker who will use the laptop.
#[derive(Serialize, Deserialize)]
pub struct JoinPackage {
    #[serde(flatten)]
    pub enrolment: Enrolment,
    pub worker_id: String,
    pub worker_name: String,
}

impl Enrolment {
    pub fn team_key(&self) -> Result<Zeroizing<[u8; 32]>, SyncError> {
        key_from_hex(&self.team_key)
    }

    pub fn signing_key(&self) -> Result<SigningKey, SyncError> {
        Ok(SigningKey::from_bytes(&*key_from_hex(&self.signing_key)?))
    }

    pub fn bundle(&self) -> Result<Vec<u8>, SyncError> {
        BASE64.decode(self.bundle.as_bytes()).map_err(|_| SyncError::NotAJoinFile)
    }

    /// The laptop that made the file, trusted because the passphrase opened it.
    pub fn from_device(&self) -> Result<(String, VerifyingKey), SyncError> {
        let key = VerifyingKey::from_bytes(&*key_from_hex(&self.from_public_key)?).map_err(|_| SyncError::NotAJoinFile)?;
        Ok((self.from_device_id.clone(), key))
    }
}

fn key_from_hex(text: &str) -> Result<Zeroizing<[u8; 32]>, SyncError> {
    let bytes = Zeroizing::new(hex::decode(text).map_err(|_| SyncError::NotAJoinFile)?);
    let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| SyncError::NotAJoinFile)?;
    Ok(Zeroizing::new(key))
}

/// A made join file and the passphrase that opens it (shown once to the team lead).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct JoinFile {
    #[serde(skip)]
    #[ts(skip)]
    pub bytes: Vec<u8>,
    pub passphrase: String,
    pub device_label: String,
    pub worker_name: String,
}

/// What a worker asks for: a join file for a laptop, for one worker.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct NewLaptop {
    pub label: String,
    pub worker_id: String,
}

/// Four groups of five letters and digits (100 random bits): easy to read out, hard to guess.
fn new_passphrase() -> String {
    let mut bytes = [0u8; 13];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let text = BASE32_NOPAD.encode(&bytes);
    text.as_bytes()[..20].chunks(5).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn normalised(passphrase: &str) -> String {
    passphrase.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

fn passphrase_key(passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, SyncError> {
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::default()
        .hash_password_into(normalised(passphrase).as_bytes(), salt, key.as_mut())
        .map_err(|_| SyncError::PassphraseWrong)?;
    Ok(key)
}

/// A team lead enrols a new laptop and makes its join file.
pub fn make(store: &mut Store, actor: &Actor, laptop: &NewLaptop) -> Result<JoinFile, SyncError> {
    let label = crate::text::required("label", "Laptop's name", &laptop.label, 60).map_err(ValidationErrors::from)?;
    let worker = crate::accounts::workers::by_id(store.reader(), &laptop.worker_id)?
        .filter(|w| w.active)
        .ok_or_else(|| ValidationErrors::one("worker_id", ErrorCode::AuthUnknownWorker, "Choose who will use this laptop."))?;
    let enrolment = enrol(store, actor, &label, false, &format!("{label}, for {}", worker.display_name))?;
    let package = JoinPackage { enrolment, worker_id: worker.id.clone(), worker_name: worker.display_name.clone() };
    let (bytes, passphrase) = seal(FORMAT, &package)?;
    Ok(JoinFile { bytes, passphrase, device_label: label, worker_name: worker.display_name })
}

/// Enrols a new device (a laptop, or a hub that only receives) with `label`, recording why in
/// the trail, and gathers what it needs to join: the team's keys, its own and all the data.
pub(super) fn enrol(store: &mut Store, actor: &Actor, label: &str, receives_only: bool, detail: &str) -> Result<Enrolment, SyncError> {
    let identity = devices::ensure_identity(store, actor)?;
    let signing_key = SigningKey::generate(&mut rand::rngs::OsRng);
    let device_id = crate::ids::new_id(store.clock());
    store.write(actor, |w| -> Result<(), SyncError> {
        w.create(&mut Device { receives_only, ..Device::enrolled(w, &device_id, label, &signing_key.verifying_key()) })?;
        let what = if receives_only { "enrolled the partnership hub" } else { "enrolled a laptop" };
        Ok(w.audit(what, None, detail)?)
    })?;
    let (bundle, _) = super::export(store, actor, &ExportScope::Everything)?;
    let (team_id, from_device_id) = super::installation(store.reader())?;
    Ok(Enrolment {
        team_id,
        team_name: store.team_name()?,
        team_key: hex::encode(identity.team_key.as_ref()),
        device_id,
        device_label: label.to_string(),
        signing_key: hex::encode(signing_key.to_bytes()),
        from_device_id,
        from_public_key: hex::encode(identity.signing_key.verifying_key().to_bytes()),
        bundle: BASE64.encode(&bundle),
        team_keys: super::keys::all(store.reader())?.iter().map(|k| (k.generation, hex::encode(k.key.as_ref()))).collect(),
    })
}

/// Seals a package under a new passphrase: the file's bytes, and the passphrase to tell apart.
pub(super) fn seal(format: &str, package: &impl Serialize) -> Result<(Vec<u8>, String), SyncError> {
    let plain = Zeroizing::new(serde_json::to_vec(package).map_err(StoreErrorFrom::from)?);
    let passphrase = new_passphrase();
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let key = passphrase_key(&passphrase, &salt)?;
    let sealed = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(XNonce::from_slice(&nonce), plain.as_slice())
        .map_err(|_| SyncError::Corrupt("the file could not be sealed".into()))?;
    let envelope =
        Envelope { format: format.into(), salt: BASE64.encode(&salt), nonce: BASE64.encode(&nonce), sealed: BASE64.encode(&sealed) };
    Ok((serde_json::to_vec(&envelope).map_err(StoreErrorFrom::from)?, passphrase))
}

type StoreErrorFrom = crate::store::StoreError;

/// Opens a join file with its passphrase.
pub fn open(bytes: &[u8], passphrase: &str) -> Result<JoinPackage, SyncError> {
    unseal(bytes, passphrase, FORMAT, || SyncError::NotAJoinFile)
}

/// Opens a file [`seal`] made as `format`; `other` is the error for any other file.
pub(super) fn unseal<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    passphrase: &str,
    format: &str,
    other: fn() -> SyncError,
) -> Result<T, SyncError> {
    let envelope = match serde_json::from_slice::<Envelope>(bytes) {
        Ok(e) if e.format == format => e,
        _ => return Err(other()),
    };
    let decode = |s: &str| BASE64.decode(s.as_bytes()).ok();
    let (Some(salt), Some(nonce), Some(sealed)) = (decode(&envelope.salt), decode(&envelope.nonce), decode(&envelope.sealed)) else {
        return Err(other());
    };
    if nonce.len() != 24 {
        return Err(other());
    }
    let key = passphrase_key(passphrase, &salt)?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(key.as_ref().into())
            .decrypt(XNonce::from_slice(&nonce), sealed.as_slice())
            .map_err(|_| SyncError::PassphraseWrong)?,
    );
    serde_json::from_slice(&plain).map_err(|_| other())
}

/// Sets a joining laptop up from its package: its keys, then the team's data from the bundle,
/// trusting the laptop that made the file. `actor` is the worker the file names.
/// `progress` follows the bundle's import; cancelled, the laptop is left as it was.
pub fn take_in(store: &mut Store, actor: &Actor, package: &Enrolment, progress: &mut dyn Progress) -> Result<(), SyncError> {
    let team_key = package.team_key()?;
    let signing_key = package.signing_key()?;
    store.write(actor, |w| -> Result<(), SyncError> {
        laptop::keep_identity(w, &team_key, &signing_key)?;
        for (generation, key) in &package.team_keys {
            super::keys::keep(w.transaction(), &super::keys::TeamKey { generation: *generation, key: key_from_hex(key)? })?;
        }
        Ok(())
    })?;
    let (from, key) = package.from_device()?;
    super::import_trusting(store, actor, &package.bundle()?, Some((&from, &key)), progress)?;
    Ok(())
}

/// Why a laptop could not join: its join file, or the laptop's own accounts and files.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl crate::error::Coded for JoinError {
    fn code(&self) -> ErrorCode {
        match self {
            JoinError::Sync(e) => e.code(),
            JoinError::Account(e) => e.code(),
        }
    }
    fn fields(&self) -> Vec<crate::FieldError> {
        match self {
            JoinError::Sync(e) => e.fields(),
            JoinError::Account(e) => e.fields(),
        }
    }
}

impl Installation {
    /// Opens a join file, to show who and which team it is for before the worker goes on.
    pub fn open_join_file(&self, bytes: &[u8], passphrase: &str) -> Result<JoinPackage, JoinError> {
        if self.is_set_up() {
            return Err(AccountError::AlreadySetUp.into());
        }
        Ok(open(bytes, passphrase)?)
    }

    /// Joins the team the file is for: a new encrypted database with the team's data from the
    /// file, the named worker's key slot and a recovery key. The worker is signed in afterwards.
    pub fn join(&self, bytes: &[u8], passphrase: &str, password: &str) -> Result<(Session, RecoveryKey), JoinError> {
        self.join_watched(bytes, passphrase, password, &mut Unwatched)
    }

    /// As [`Installation::join`], telling `progress` how the team's data is taken in.
    pub fn join_watched(
        &self,
        bytes: &[u8],
        passphrase: &str,
        password: &str,
        progress: &mut dyn Progress,
    ) -> Result<(Session, RecoveryKey), JoinError> {
        let package = self.open_join_file(bytes, passphrase)?;
        let joining = Joining {
            team_id: &package.enrolment.team_id,
            team_name: &package.enrolment.team_name,
            device_id: &package.enrolment.device_id,
            device_label: &package.enrolment.device_label,
            worker_id: &package.worker_id,
            worker_name: &package.worker_name,
        };
        self.join_with(&joining, password, |store, actor| take_in(store, actor, &package.enrolment, progress).map_err(JoinError::from))
    }
}
