//! Join files: how a new laptop joins a team. A team lead makes one for the laptop (enrolling
//! it and naming the worker who will use it); it carries the team's identity and keys and the
//! laptop's own signing key, sealed with a passphrase the lead tells the worker separately, and
//! a snapshot of the team's database (`snapshot`), whose key and hash are sealed with them.
//!
//! The file is the sealed envelope (JSON, one line), a newline, then the snapshot. Files of the
//! first format (`throughline-join/1`) carried a bundle of everything instead, replayed on
//! joining; they are still taken.
use super::devices;
use super::laptop::{self, Device};
use super::SyncError;
use crate::accounts::keyslots::{RecoveryKey, WorkerSeed};
use crate::accounts::{AccountError, Installation, Joining, Session};
use crate::clock::Clock;
use crate::error::ValidationErrors;
use crate::store::progress::{Progress, Unwatched};
use crate::store::signing::Author;
use crate::store::{Actor, DatabaseKey, Store};
use crate::ErrorCode;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::{BASE32_NOPAD, BASE64};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use ts_rs::TS;
use zeroize::Zeroizing;

const FORMAT: &str = "throughline-join/2";
const FIRST_FORMAT: &str = "throughline-join/1";

/// The file as written: everything but the format is sealed.
#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    salt: String,
    nonce: String,
    sealed: String,
}

/// What a device needs to take its place in the team: the team's identity and keys, its own
/// signing key, and the key and hash of the snapshot of everything the team holds that follows
/// it in the file (a bundle of everything, in files of the first format), trusted because the
/// passphrase opened it. A laptop's join file and a hub's enrolment file both carry one.
#[derive(Clone, Serialize, Deserialize)]
pub struct Enrolment {
    pub team_id: String,
    pub team_name: String,
    team_key: String,
    pub device_id: String,
    pub device_label: String,
    signing_key: String,
    from_device_id: String,
    from_public_key: String,
    /// A bundle of everything (files of the first format).
    #[serde(default)]
    bundle: String,
    /// The snapshot's key and hash (hex); its bytes follow the envelope in the file.
    #[serde(default)]
    snapshot_key: String,
    #[serde(default)]
    snapshot_sha256: String,
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
    /// The worker's signing key for the new laptop (hex), registered by the administrator who
    /// made the file; empty when a team lead who is not one made it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub worker_key: String,
}

impl JoinPackage {
    pub fn worker_seed(&self) -> Result<Option<WorkerSeed>, SyncError> {
        if self.worker_key.is_empty() {
            return Ok(None);
        }
        Ok(Some(key_from_hex(&self.worker_key)?))
    }
}

impl Enrolment {
    pub fn team_key(&self) -> Result<Zeroizing<[u8; 32]>, SyncError> {
        key_from_hex(&self.team_key)
    }

    pub fn signing_key(&self) -> Result<SigningKey, SyncError> {
        Ok(SigningKey::from_bytes(&*key_from_hex(&self.signing_key)?))
    }

    /// The key of the snapshot its file carries, which a joining laptop keeps as its own
    /// database key: the lead made the snapshot under it for this laptop alone. None for a file
    /// of the first format.
    pub fn database_key(&self) -> Result<Option<DatabaseKey>, SyncError> {
        if !self.has_snapshot() {
            return Ok(None);
        }
        Ok(Some(DatabaseKey(key_from_hex(&self.snapshot_key)?)))
    }

    /// Whether its file carries a snapshot of the team's database (the current format).
    fn has_snapshot(&self) -> bool {
        !self.snapshot_sha256.is_empty()
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
    make_watched(store, actor, laptop, &mut Unwatched, |_| Ok(()))
}

/// As [`make`], telling `progress` how the copy of the team's database is made, and saving the
/// file with `save` (see [`enrol`] for what a file that is never made or saved leaves).
pub fn make_watched(
    store: &mut Store,
    actor: &Actor,
    laptop: &NewLaptop,
    progress: &mut dyn Progress,
    save: impl FnOnce(&[u8]) -> Result<(), SyncError>,
) -> Result<JoinFile, SyncError> {
    let label = crate::text::required("label", "Laptop's name", &laptop.label, 60).map_err(ValidationErrors::from)?;
    let worker = crate::accounts::workers::by_id(store.reader(), &laptop.worker_id)?
        .filter(|w| w.active)
        .ok_or_else(|| ValidationErrors::one("worker_id", ErrorCode::AuthUnknownWorker, "Choose who will use this laptop."))?;
    let detail = format!("{label}, for {}", worker.display_name);
    // An administrator vouches for the worker's key on the new laptop; a team lead who is not
    // one cannot, and the worker gets a key there that the team knows once an administrator
    // sets their password on it.
    let vouching = crate::accounts::workers::by_id(store.reader(), &actor.worker_id)?
        .is_some_and(|w| w.active && w.has_any(crate::accounts::permissions::Permission::Administer.roles()));
    let seed = vouching.then(crate::accounts::keyslots::new_worker_seed);
    let public = seed.as_ref().map(|s| Author::new(&worker.id, s).public_hex());
    let worker_key = public.as_deref().map(|p| (worker.id.as_str(), p));
    enrol(store, actor, &label, Enrolling::Laptop { worker_key }, &detail, progress, |enrolment, snapshot| {
        let package = JoinPackage {
            enrolment,
            worker_id: worker.id.clone(),
            worker_name: worker.display_name.clone(),
            worker_key: seed.as_ref().map(|s| hex::encode(s.as_ref())).unwrap_or_default(),
        };
        let (bytes, passphrase) = seal(FORMAT, &package, snapshot)?;
        save(&bytes)?;
        Ok(JoinFile { bytes, passphrase, device_label: label.clone(), worker_name: worker.display_name.clone() })
    })
}

/// What is enrolled: a laptop, with the key (worker id, public key) an administrator vouches
/// for of the worker who will use it, or a hub that only receives.
pub(super) enum Enrolling<'a> {
    Laptop { worker_key: Option<(&'a str, &'a str)> },
    Hub,
}

/// Enrols a new device (a laptop, or a hub that only receives) with `label`, recording why in
/// the trail, gathers what it needs to join (the team's keys, its own, and a snapshot of all
/// the team's data, whose key and hash the enrolment holds) and hands them to `finish`, which
/// seals and saves its file. The device's signing key exists only in that file: if the file is
/// not made (cancelled, a full disk, a save that fails), the device is revoked at once, so no
/// enrolment is left that nothing can use, counted among the laptops the team sends to.
pub(super) fn enrol<T>(
    store: &mut Store,
    actor: &Actor,
    label: &str,
    what: Enrolling<'_>,
    detail: &str,
    progress: &mut dyn Progress,
    finish: impl FnOnce(Enrolment, &[u8]) -> Result<T, SyncError>,
) -> Result<T, SyncError> {
    let identity = devices::ensure_identity(store, actor)?;
    let signing_key = SigningKey::generate(&mut rand::rngs::OsRng);
    let device_id = crate::ids::new_id(store.clock());
    let receives_only = matches!(what, Enrolling::Hub);
    store.write(actor, |w| -> Result<(), SyncError> {
        w.create(&mut Device { receives_only, ..Device::enrolled(w, &device_id, label, &signing_key.verifying_key()) })?;
        if let Enrolling::Laptop { worker_key: Some((worker_id, public)) } = what {
            crate::accounts::worker_keys::register(w, worker_id, public, Some(&device_id))?;
        }
        let what = if receives_only { "enrolled the partnership hub" } else { "enrolled a laptop" };
        Ok(w.audit(what, None, detail)?)
    })?;
    let made = (|| {
        let snapshot = super::snapshot::make(store, &device_id, progress)?;
        let (team_id, from_device_id) = super::installation(store.reader())?;
        let enrolment = Enrolment {
            team_id,
            team_name: store.team_name()?,
            team_key: hex::encode(identity.team_key.as_ref()),
            device_id: device_id.clone(),
            device_label: label.to_string(),
            signing_key: hex::encode(signing_key.to_bytes()),
            from_device_id,
            from_public_key: hex::encode(identity.signing_key.verifying_key().to_bytes()),
            bundle: String::new(),
            snapshot_key: hex::encode(snapshot.key.as_ref()),
            snapshot_sha256: snapshot.sha256.clone(),
            team_keys: super::keys::all(store.reader())?.iter().map(|k| (k.generation, hex::encode(k.key.as_ref()))).collect(),
        };
        finish(enrolment, &snapshot.bytes)
    })();
    if made.is_err() {
        // The reason the file was not made is what the lead needs to hear; a revocation that
        // fails too leaves the device listed, to be revoked by hand as before.
        let _ = devices::revoke(store, actor, &device_id);
    }
    made
}

/// Seals a package under a new passphrase, with `snapshot` after it: the file's bytes, and the
/// passphrase to tell apart.
pub(super) fn seal(format: &str, package: &impl Serialize, snapshot: &[u8]) -> Result<(Vec<u8>, String), SyncError> {
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
    let mut bytes = serde_json::to_vec(&envelope).map_err(StoreErrorFrom::from)?;
    bytes.reserve(snapshot.len() + 1);
    bytes.push(b'\n');
    bytes.extend_from_slice(snapshot);
    Ok((bytes, passphrase))
}

type StoreErrorFrom = crate::store::StoreError;

/// Opens a join file with its passphrase.
pub fn open(bytes: &[u8], passphrase: &str) -> Result<JoinPackage, SyncError> {
    unseal(bytes, passphrase, [FORMAT, FIRST_FORMAT], || SyncError::NotAJoinFile)
}

/// The file's two parts: the sealed envelope, and the snapshot after it (borrowed, not copied:
/// a big team's is more than a gigabyte).
fn parts(file: &[u8]) -> (&[u8], &[u8]) {
    match file.iter().position(|b| *b == b'\n') {
        Some(end) => (&file[..end], &file[end + 1..]),
        None => (file, &file[file.len()..]),
    }
}

/// The snapshot a join or hub file carries after its envelope (empty in the first format).
pub fn snapshot_of(file: &[u8]) -> &[u8] {
    parts(file).1
}

/// Opens the envelope of a file [`seal`] made as one of `formats`. `other` is the error for any
/// other file.
pub(super) fn unseal<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    passphrase: &str,
    formats: [&str; 2],
    other: fn() -> SyncError,
) -> Result<T, SyncError> {
    let envelope = match serde_json::from_slice::<Envelope>(parts(bytes).0) {
        Ok(e) if formats.contains(&e.format.as_str()) => e,
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

/// Makes a joining device's database at `path` under its own `key`: the team's data from the
/// file's `snapshot` ([`snapshot_of`]; or, from a file of the first format, a new database
/// filled by replaying its bundle, trusting the laptop that made the file), then its keys.
/// `actor` is who joins. `progress` follows the team's data coming in; cancelled, the caller
/// removes what was made.
pub fn make_database(
    path: &Path,
    key: &DatabaseKey,
    clock: Arc<dyn Clock>,
    package: &Enrolment,
    snapshot: &[u8],
    actor: &Actor,
    progress: &mut dyn Progress,
) -> Result<Store, SyncError> {
    let mut store = if package.has_snapshot() {
        let snapshot_key = key_from_hex(&package.snapshot_key)?;
        let store = super::snapshot::take(path, key, clock, snapshot, &snapshot_key, &package.snapshot_sha256, progress)?;
        if super::installation(store.reader())? != (package.team_id.clone(), package.device_id.clone()) {
            return Err(SyncError::Corrupt("the team's data in the file is for another team or laptop".into()));
        }
        store
    } else {
        Store::create_in_team(path, key, clock, &package.team_id, &package.team_name, &package.device_id)?
    };
    take_in(&mut store, actor, package, progress)?;
    Ok(store)
}

/// The joining device's keys, and from a file of the first format the team's data from its
/// bundle.
fn take_in(store: &mut Store, actor: &Actor, package: &Enrolment, progress: &mut dyn Progress) -> Result<(), SyncError> {
    let team_key = package.team_key()?;
    let signing_key = package.signing_key()?;
    store.write(actor, |w| -> Result<(), SyncError> {
        laptop::keep_identity(w, &team_key, &signing_key)?;
        for (generation, key) in &package.team_keys {
            super::keys::keep(w.transaction(), &super::keys::TeamKey { generation: *generation, key: key_from_hex(key)? })?;
        }
        Ok(())
    })?;
    if !package.has_snapshot() {
        let bundle = BASE64.decode(package.bundle.as_bytes()).map_err(|_| SyncError::NotAJoinFile)?;
        let (from, key) = package.from_device()?;
        super::import_trusting(store, actor, &bundle, Some((&from, &key)), progress)?;
    }
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
            worker_seed: package.worker_seed()?,
        };
        let key = package.enrolment.database_key()?.unwrap_or_else(DatabaseKey::generate);
        self.join_with(&joining, password, key, |path, key, actor| {
            make_database(path, key, self.clock(), &package.enrolment, snapshot_of(bytes), actor, progress).map_err(JoinError::from)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::sync::{export, records, ExportScope};

    /// A device made from a join file's snapshot holds the team's data exactly as one made by
    /// replaying everything the lead holds (files of the first format), and nothing that is the
    /// lead laptop's own: not its signing key, not its audit trail.
    #[test]
    fn a_snapshot_and_a_replay_of_everything_make_the_same_team_data() {
        let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
        let team = tempfile::tempdir().unwrap();
        crate::demo::create_team(team.path(), clock.clone(), 7, 40, 40).unwrap();
        let mut lead = crate::accounts::Installation::new(team.path(), clock.clone()).sign_in("lead", crate::demo::DEMO_PASSWORD).unwrap();
        let actor = lead.actor();
        // The lead has looked at a list of people: entries that name them (audit_listed).
        let shown: Vec<String> = lead
            .store()
            .reader()
            .prepare("SELECT id FROM clients LIMIT 5")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        lead.store_mut().write(&actor, |w| w.audit_list("viewed a caseload", &shown)).unwrap();
        let (enrolment, snapshot) = enrol(
            lead.store_mut(),
            &actor,
            "Court laptop",
            Enrolling::Laptop { worker_key: None },
            "for Grace Okafor",
            &mut Unwatched,
            |e, s| Ok((e, s.to_vec())),
        )
        .unwrap();
        let (everything, _) = export(lead.store_mut(), &actor, &ExportScope::Everything).unwrap();
        let replayed = Enrolment {
            bundle: BASE64.encode(&everything),
            snapshot_key: String::new(),
            snapshot_sha256: String::new(),
            ..enrolment.clone()
        };

        let out = tempfile::tempdir().unwrap();
        // The key a joining laptop keeps: its snapshot's, or a new one for a replay.
        let laptops_key = |package: &Enrolment| package.database_key().unwrap().unwrap_or_else(DatabaseKey::generate);
        let made = |package: &Enrolment, snapshot: &[u8], name: &str| {
            make_database(&out.path().join(name), &laptops_key(package), clock.clone(), package, snapshot, &actor, &mut Unwatched).unwrap()
        };
        let (by_snapshot, by_replay) = (made(&enrolment, &snapshot, "snapshot.db"), made(&replayed, &[], "replay.db"));
        let hash = |store: &Store| records::content_hash(store.reader()).unwrap();
        assert_eq!(hash(&by_snapshot), hash(&by_replay));
        assert_eq!(hash(&by_snapshot), hash(lead.store()));

        let conn = by_snapshot.reader();
        let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap();
        assert_eq!(one("SELECT device_id FROM installation"), enrolment.device_id);
        assert_eq!(one("SELECT CAST(next_seq AS TEXT) FROM device_state"), "1", "the new laptop has made nothing yet");
        assert_eq!(one("SELECT hex(signing_key) FROM sync_identity"), hex::encode_upper(enrolment.signing_key().unwrap().to_bytes()));
        let lead_entries: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action <> 'audit trail anchored' AND worker_id = ?1",
                [&actor.worker_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(lead_entries, 0, "none of the lead laptop's audit trail travels");
        let listed: i64 = conn.query_row("SELECT count(*) FROM audit_listed", [], |r| r.get(0)).unwrap();
        assert_eq!(listed, 0, "nor whom it listed");
        assert!(crate::store::audit::verify(conn).unwrap().first_broken_entry.is_none());

        // A snapshot changed on the way is refused, and nothing is left behind: taken as it is
        // (a laptop) or copied under another key (a hub).
        let mut damaged = snapshot.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 1;
        for key in [laptops_key(&enrolment), DatabaseKey::generate()] {
            let path = out.path().join("damaged.db");
            let refused = make_database(&path, &key, clock.clone(), &enrolment, &damaged, &actor, &mut Unwatched);
            assert!(matches!(refused, Err(SyncError::Corrupt(_))));
            assert!(!path.exists());
        }

        // A role given in the lead's database outside the app, with no change behind it, does
        // not travel either.
        let custody = crate::accounts::workers::by_login(lead.store().reader(), "custody").unwrap().unwrap();
        lead.store().reader().execute("UPDATE workers SET roles = 'administrator' WHERE id = ?1", [&custody.id]).unwrap();
        let (enrolment, snapshot) = enrol(
            lead.store_mut(),
            &actor,
            "Spare laptop",
            Enrolling::Laptop { worker_key: None },
            "for the test",
            &mut Unwatched,
            |e, s| Ok((e, s.to_vec())),
        )
        .unwrap();
        let path = out.path().join("promoted.db");
        let refused = make_database(&path, &laptops_key(&enrolment), clock.clone(), &enrolment, &snapshot, &actor, &mut Unwatched);
        assert!(matches!(refused, Err(SyncError::Corrupt(ref why)) if why.contains("worker record")), "{:?}", refused.err());
        lead.store().reader().execute("UPDATE workers SET roles = ?2 WHERE id = ?1", [&custody.id, &custody.roles]).unwrap();

        // A trigger planted in the lead's database (by someone who opened it outside the app)
        // does not travel to the laptops that join: the copy is refused.
        lead.store().reader().execute_batch("CREATE TRIGGER planted AFTER INSERT ON operations BEGIN SELECT 1; END;").unwrap();
        let (enrolment, snapshot) = enrol(
            lead.store_mut(),
            &actor,
            "Other laptop",
            Enrolling::Laptop { worker_key: None },
            "for the test",
            &mut Unwatched,
            |e, s| Ok((e, s.to_vec())),
        )
        .unwrap();
        let path = out.path().join("planted.db");
        let refused = make_database(&path, &laptops_key(&enrolment), clock.clone(), &enrolment, &snapshot, &actor, &mut Unwatched);
        assert!(matches!(refused, Err(SyncError::Corrupt(ref why)) if why.contains("triggers")), "{:?}", refused.err());
    }

    /// A lead laptop upgraded from 0.1.0 has the schema a new one has, so its join files are taken.
    #[test]
    fn a_laptop_upgraded_from_0_1_0_makes_join_files_a_new_laptop_takes() {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade-v1");
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(&fixture).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
        let mut admin =
            crate::accounts::Installation::new(dir.path(), clock.clone()).sign_in(crate::demo::DEMO_ADMIN.0, "demo-password").unwrap();
        let actor = admin.actor();
        let (enrolment, snapshot) = enrol(
            admin.store_mut(),
            &actor,
            "New laptop",
            Enrolling::Laptop { worker_key: None },
            "for the test",
            &mut Unwatched,
            |e, s| Ok((e, s.to_vec())),
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        make_database(&out.path().join("new.db"), &DatabaseKey::generate(), clock, &enrolment, &snapshot, &actor, &mut Unwatched)
            .expect("the upgraded laptop's copy is taken");
    }
}
