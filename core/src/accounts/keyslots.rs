//! Key slots: the database key kept once per account, unlocked with a key derived from that
//! worker's password (Argon2id), plus once for the recovery key. Kept beside the database,
//! outside it, because they are what unlocks it. The file holds no client data.
//!
//! Slot format 2 (every slot made since workers can be deactivated): the password's key wraps
//! the slot's own X25519 private key, and the database key is sealed to the slot's public key
//! (an ephemeral X25519 key, SHA-256 of the shared secret and both public keys, then
//! XChaCha20-Poly1305). So when a worker leaves, the database key is changed and sealed again to
//! every other slot without their passwords ([`SlotFile::rekey`]). Format 1 (Throughline 0.1.0)
//! wraps the database key itself with the password's key: it still opens, and becomes format 2
//! at that worker's next sign-in; a re-key before then cannot carry it over, and drops it.
use crate::store::DatabaseKey;
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use curve25519_dalek::montgomery::MontgomeryPoint;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use zeroize::Zeroizing;

pub const RECOVERY_LABEL: &str = "recovery";

/// The slot format every new or rewrapped slot is made in (see the module's documentation).
pub const SLOT_FORMAT: u32 = 2;

/// The slot file's own format: 2 once it can hold format 2 slots (older versions wrote 1).
const FILE_FORMAT: u32 = 2;

/// Names tried that have no slot, whose failures are kept (the oldest forgotten beyond it).
const KEPT_UNKNOWN_NAMES: usize = 256;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// A salted hash of the login name (so a lost laptop does not list the team's names),
    /// or "recovery".
    pub label: String,
    /// 1: `wrapped` is the database key; 2: `wrapped` is this slot's private key, and the
    /// database key is in `sealed`. Slots written before the format was stored are format 1.
    #[serde(default = "format_1")]
    pub format: u32,
    salt: String,
    nonce: String,
    wrapped: String,
    /// Format 2: the slot's X25519 public key, which a re-key seals the new database key to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public: Option<String>,
    /// Format 2: the database key sealed to `public`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<Sealed>,
    /// The worker's signing key ([`crate::store::signing`]), wrapped with the password's key
    /// (nonce then ciphertext, hex). None for the recovery slot and slots made before workers
    /// had keys (they get one at the next sign-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signing: Option<String>,
    /// The Argon2id cost this slot was wrapped with. Slots from before it was stored were made
    /// with the old baseline; they still open, and are wrapped again at the next sign-in.
    #[serde(default = "KdfParams::legacy")]
    pub kdf: KdfParams,
    /// Failed unlocks in a row, for the back-off.
    #[serde(default)]
    pub failures: u32,
    #[serde(default)]
    pub last_failure: Option<DateTime<Utc>>,
}

fn format_1() -> u32 {
    1
}

/// The database key sealed to a slot's public key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sealed {
    /// The ephemeral X25519 public key it was sealed with.
    ephemeral: String,
    nonce: String,
    ciphertext: String,
}

/// A failed sign-in waiting to be written to the audit trail at the next successful one
/// (the database is locked when it happens).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingFailure {
    pub at: DateTime<Utc>,
    pub label: String,
}

/// Failed sign-ins with a name that has no slot, kept in the file as a slot's own are, so the
/// back-off for a name no one has is the same as for a real one, across restarts too: trying a
/// name, restarting and trying again does not tell whether it exists.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnknownName {
    pub label: String,
    pub failures: u32,
    pub last_failure: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotFile {
    version: u32,
    label_salt: String,
    pub slots: Vec<Slot>,
    #[serde(default)]
    pub pending_failures: Vec<PendingFailure>,
    #[serde(default)]
    pub unknown_names: Vec<UnknownName>,
}

impl SlotFile {
    pub fn new() -> Self {
        SlotFile {
            version: FILE_FORMAT,
            label_salt: hex::encode(random::<16>()),
            slots: Vec::new(),
            pending_failures: Vec::new(),
            unknown_names: Vec::new(),
        }
    }

    /// Reads the file. One that cannot be read as key slots, or holds a slot whose values are
    /// out of bounds (a salt too short for Argon2, an absurd cost that would hang sign-in, keys
    /// of the wrong length), is refused whole as `InvalidData`: damaged, never a panic or a hang.
    pub fn load(path: &Path) -> std::io::Result<SlotFile> {
        let text = std::fs::read_to_string(path)?;
        let file: SlotFile = serde_json::from_str(&text).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        file.check().map_err(|why| std::io::Error::new(std::io::ErrorKind::InvalidData, why))?;
        Ok(file)
    }

    /// Every slot's values within the bounds [`unwrap`] can use quickly.
    fn check(&self) -> Result<(), String> {
        if self.version == 0 || self.version > FILE_FORMAT {
            return Err(format!("file format {} is not one this version knows", self.version));
        }
        for slot in &self.slots {
            slot.check().map_err(|why| format!("a key slot is damaged: {why}"))?;
        }
        Ok(())
    }

    /// Written to a temporary file then renamed, so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("tmp");
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        owner_only(&tmp, 0o600)?;
        std::fs::rename(&tmp, path)
    }

    pub fn label_for_login(&self, login: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.label_salt.as_bytes());
        h.update(login.trim().to_lowercase().as_bytes());
        hex::encode(h.finalize())
    }

    pub fn slot_mut(&mut self, label: &str) -> Option<&mut Slot> {
        self.slots.iter_mut().find(|s| s.label == label)
    }

    pub fn has(&self, label: &str) -> bool {
        self.slots.iter().any(|s| s.label == label)
    }

    /// Adds or replaces the slot for `label`, in format 2, unlocked by `secret`, holding the
    /// worker's signing key `seed` (none for the recovery slot).
    pub fn put(&mut self, label: &str, secret: &[u8], key: &DatabaseKey, seed: Option<&WorkerSeed>) {
        let slot = wrap(label, secret, key, seed);
        self.slots.retain(|s| s.label != label);
        self.slots.push(slot);
    }

    pub fn remove(&mut self, label: &str) {
        self.slots.retain(|s| s.label != label);
    }

    /// Seals `new` (the database's next key) to every format 2 slot, without their passwords.
    /// Format 1 slots cannot follow it: they are removed, and their labels returned so the
    /// caller can say whose they were.
    pub fn rekey(&mut self, new: &DatabaseKey) -> Vec<String> {
        let dropped: Vec<String> = self.slots.iter().filter(|s| s.format != SLOT_FORMAT).map(|s| s.label.clone()).collect();
        self.slots.retain(|s| s.format == SLOT_FORMAT);
        for slot in &mut self.slots {
            let public = slot.public.as_deref().and_then(|p| hex::decode(p).ok()).and_then(|p| <[u8; 32]>::try_from(p).ok());
            if let Some(public) = public {
                slot.sealed = Some(seal(&public, &slot.label, new));
            }
        }
        dropped
    }

    /// The cost a sign-in with a real name pays: the one most of the workers' slots have (a
    /// team's slots made before the cost was raised keep the old one until each signs in), so a
    /// name with no slot takes as long as a real one.
    pub fn usual_cost(&self) -> KdfParams {
        let mut counts: Vec<(KdfParams, usize)> = Vec::new();
        for slot in self.slots.iter().filter(|s| s.label != RECOVERY_LABEL) {
            match counts.iter_mut().find(|(k, _)| *k == slot.kdf) {
                Some((_, n)) => *n += 1,
                None => counts.push((slot.kdf, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(k, _)| k).unwrap_or_else(KdfParams::for_new_slots)
    }

    /// The failures kept for a name with no slot.
    pub fn unknown_name(&self, label: &str) -> Option<&UnknownName> {
        self.unknown_names.iter().find(|u| u.label == label)
    }

    /// One more failed sign-in with a name that has no slot.
    pub fn unknown_name_failed(&mut self, label: &str, now: DateTime<Utc>) {
        match self.unknown_names.iter_mut().find(|u| u.label == label) {
            Some(known) => {
                known.failures += 1;
                known.last_failure = now;
            }
            None => self.unknown_names.push(UnknownName { label: label.to_string(), failures: 1, last_failure: now }),
        }
        if self.unknown_names.len() > KEPT_UNKNOWN_NAMES {
            self.unknown_names.sort_by_key(|u| std::cmp::Reverse(u.last_failure));
            self.unknown_names.truncate(KEPT_UNKNOWN_NAMES);
        }
    }
}

impl Default for SlotFile {
    fn default() -> Self {
        Self::new()
    }
}

/// Only the worker's own account may read Throughline's files (kept in the store, the lower layer).
pub use crate::store::owner_only;

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// The cost of deriving a slot's key from a password with Argon2id: memory in KiB, passes and
/// lanes. Stored in each slot, so the cost can be raised later and older slots still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl KdfParams {
    /// What every new or rewrapped slot uses: 128 MiB and 6 passes, in two lanes worked on at
    /// once (one per core of an ordinary 2-core laptop): about a third of a second per sign-in
    /// (measured 0.31 s here, 0.58 s in one lane). A thief with the slot file pays the same
    /// memory and passes for every guess, in memory a graphics card cannot spread thinly.
    pub const PRODUCTION: KdfParams = KdfParams { memory_kib: 128 * 1024, passes: 6, lanes: 2 };

    /// OWASP's online baseline (19 MiB, 2 passes), which slots were made with before the cost was
    /// stored in them.
    pub const LEGACY: KdfParams = KdfParams { memory_kib: 19 * 1024, passes: 2, lanes: 1 };

    /// The most a slot read from the file may ask for: 1 GiB, 64 passes, 16 lanes (eight times
    /// the production cost and more; a file asking for more is damaged or tampered with, and
    /// would otherwise hang sign-in or exhaust the laptop's memory).
    pub const MAX: KdfParams = KdfParams { memory_kib: 1024 * 1024, passes: 64, lanes: 16 };

    fn legacy() -> Self {
        Self::LEGACY
    }

    /// Within [`KdfParams::MAX`] and what Argon2 accepts (8 KiB of memory per lane at least).
    fn within_bounds(&self) -> bool {
        (1..=Self::MAX.lanes).contains(&self.lanes)
            && (1..=Self::MAX.passes).contains(&self.passes)
            && (8 * self.lanes..=Self::MAX.memory_kib).contains(&self.memory_kib)
    }

    /// The cost new slots are made with: [`KdfParams::PRODUCTION`], except in Throughline's own
    /// tests (built with the `fast-kdf-for-tests` feature), whose many sign-ins use a tiny cost
    /// unless a test asks for the real one with [`with_production_kdf`].
    pub fn for_new_slots() -> Self {
        #[cfg(any(test, feature = "fast-kdf-for-tests"))]
        if let Some(cost) = TEST_COST.with(|cost| cost.get()) {
            return cost;
        }
        Self::PRODUCTION
    }

    /// The tiny cost Throughline's tests make slots with (256 KiB, 1 pass).
    #[cfg(any(test, feature = "fast-kdf-for-tests"))]
    pub const FAST_FOR_TESTS: KdfParams = KdfParams { memory_kib: 256, passes: 1, lanes: 1 };
}

#[cfg(any(test, feature = "fast-kdf-for-tests"))]
thread_local! {
    static TEST_COST: std::cell::Cell<Option<KdfParams>> = const { std::cell::Cell::new(Some(KdfParams::FAST_FOR_TESTS)) };
}

/// Runs `work` making new slots with `cost` (None: the production cost). Tests only: everywhere
/// else new slots always get [`KdfParams::PRODUCTION`].
#[cfg(any(test, feature = "fast-kdf-for-tests"))]
pub fn with_kdf<T>(cost: Option<KdfParams>, work: impl FnOnce() -> T) -> T {
    let before = TEST_COST.with(|c| c.replace(cost));
    let out = work();
    TEST_COST.with(|c| c.set(before));
    out
}

/// Runs `work` making new slots with the production cost (tests only).
#[cfg(any(test, feature = "fast-kdf-for-tests"))]
pub fn with_production_kdf<T>(work: impl FnOnce() -> T) -> T {
    with_kdf(None, work)
}

/// Salts shorter than Argon2 accepts, or longer than any Throughline writes, mark a damaged slot.
const SALT_BYTES: std::ops::RangeInclusive<usize> = 8..=64;

/// The key that unlocks a slot, from its secret; None when the slot's values are ones Argon2
/// refuses (the file is checked when read, so only a slot changed since gets here).
fn derive(secret: &[u8], salt: &[u8], kdf: KdfParams) -> Option<Zeroizing<[u8; 32]>> {
    if !kdf.within_bounds() || !SALT_BYTES.contains(&salt.len()) {
        return None;
    }
    let params = Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32)).ok()?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params).hash_password_into(secret, salt, out.as_mut()).ok()?;
    Some(out)
}

/// What the slot's private key is wrapped with besides its password's key: its label and format,
/// so a slot's parts cannot be moved to another slot or read as a format 1 database key.
fn private_aad(label: &str) -> Vec<u8> {
    [label.as_bytes(), b"\0throughline key slot private key v2"].concat()
}

/// The key a sealed database key is encrypted with: SHA-256 of the X25519 shared secret and
/// both public keys.
fn sealing_key(shared: &[u8; 32], ephemeral: &[u8; 32], public: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"throughline key slot seal v2");
    h.update(shared);
    h.update(ephemeral);
    h.update(public);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&h.finalize());
    out
}

/// Seals the database key to a slot's public key (ephemeral-static X25519).
fn seal(public: &[u8; 32], label: &str, key: &DatabaseKey) -> Sealed {
    let ephemeral_secret = Zeroizing::new(random::<32>());
    let ephemeral = MontgomeryPoint::mul_base_clamped(*ephemeral_secret).to_bytes();
    let shared = Zeroizing::new(MontgomeryPoint(*public).mul_clamped(*ephemeral_secret).to_bytes());
    let nonce = random::<24>();
    let ciphertext = XChaCha20Poly1305::new(sealing_key(&shared, &ephemeral, public).as_ref().into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: label.as_bytes() })
        .expect("encrypting 32 bytes cannot fail");
    Sealed { ephemeral: hex::encode(ephemeral), nonce: hex::encode(nonce), ciphertext: hex::encode(ciphertext) }
}

/// A worker's signing key's secret half ([`crate::store::signing::Author`]).
pub type WorkerSeed = Zeroizing<[u8; 32]>;

pub fn new_worker_seed() -> WorkerSeed {
    Zeroizing::new(random::<32>())
}

/// What the worker's signing key is wrapped with besides its password's key.
fn signing_aad(label: &str) -> Vec<u8> {
    [label.as_bytes(), b"\0throughline key slot worker key v1"].concat()
}

fn wrap(label: &str, secret: &[u8], key: &DatabaseKey, seed: Option<&WorkerSeed>) -> Slot {
    let salt = random::<16>();
    let nonce = random::<24>();
    let kdf = KdfParams::for_new_slots();
    let kek = derive(secret, &salt, kdf).expect("the cost new slots are made with and a 16-byte salt are valid for Argon2");
    let private = Zeroizing::new(random::<32>());
    let public = MontgomeryPoint::mul_base_clamped(*private).to_bytes();
    let wrapped = XChaCha20Poly1305::new(kek.as_ref().into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: private.as_ref(), aad: &private_aad(label) })
        .expect("encrypting 32 bytes cannot fail");
    let signing = seed.map(|seed| {
        let nonce = random::<24>();
        let sealed = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: seed.as_ref(), aad: &signing_aad(label) })
            .expect("encrypting 32 bytes cannot fail");
        hex::encode([nonce.as_slice(), &sealed].concat())
    });
    Slot {
        label: label.to_string(),
        format: SLOT_FORMAT,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        wrapped: hex::encode(wrapped),
        public: Some(hex::encode(public)),
        sealed: Some(seal(&public, label, key)),
        signing,
        kdf,
        failures: 0,
        last_failure: None,
    }
}

/// `text` as exactly N bytes of hex.
fn bytes<const N: usize>(text: &str) -> Option<[u8; N]> {
    hex::decode(text).ok()?.try_into().ok()
}

/// 32 bytes of key and Poly1305's 16-byte tag.
const WRAPPED_BYTES: usize = 48;

impl Slot {
    /// The slot's values within what [`unwrap`] can use quickly (see [`SlotFile::load`]).
    fn check(&self) -> Result<(), String> {
        let salt = hex::decode(&self.salt).map_err(|_| "its salt is not hex".to_string())?;
        if !SALT_BYTES.contains(&salt.len()) {
            return Err(format!("its salt is {} bytes (8 to 64 expected)", salt.len()));
        }
        if !self.kdf.within_bounds() {
            let k = self.kdf;
            return Err(format!(
                "its key derivation cost ({} KiB, {} passes, {} lanes) is outside what Throughline uses (at most 1 GiB, 64 passes, 16 lanes)",
                k.memory_kib, k.passes, k.lanes
            ));
        }
        bytes::<24>(&self.nonce).ok_or("its nonce is not 24 bytes")?;
        bytes::<WRAPPED_BYTES>(&self.wrapped).ok_or("its wrapped key is not 48 bytes")?;
        if let Some(signing) = &self.signing {
            bytes::<{ 24 + WRAPPED_BYTES }>(signing).ok_or("its worker key is not 72 bytes")?;
        }
        match (self.format, &self.public, &self.sealed) {
            (1, None, None) => Ok(()),
            (SLOT_FORMAT, Some(public), Some(sealed)) => {
                let public = bytes::<32>(public).ok_or("its public key is not 32 bytes")?;
                // A point of small order would make every sealing key the same: never one we made.
                if MontgomeryPoint(public).mul_clamped([1; 32]).to_bytes() == [0; 32] {
                    return Err("its public key is not a usable X25519 key".into());
                }
                bytes::<32>(&sealed.ephemeral).ok_or("its sealed key's ephemeral key is not 32 bytes")?;
                bytes::<24>(&sealed.nonce).ok_or("its sealed key's nonce is not 24 bytes")?;
                bytes::<WRAPPED_BYTES>(&sealed.ciphertext).ok_or("its sealed key is not 48 bytes")?;
                Ok(())
            }
            (format, ..) => Err(format!("its format ({format}) and contents do not match")),
        }
    }

    /// True when this slot was made in an older format, or with a lower cost than new slots
    /// get: it is wrapped again at the next sign-in, when the password is at hand.
    pub fn needs_rewrap(&self) -> bool {
        self.format != SLOT_FORMAT || self.kdf != KdfParams::for_new_slots() || (self.signing.is_none() && self.label != RECOVERY_LABEL)
    }
}

/// The database key, if `secret` is the one this slot was made with. A slot whose values are
/// damaged opens nothing (and never panics).
pub fn unwrap(slot: &Slot, secret: &[u8]) -> Option<DatabaseKey> {
    unlock(slot, secret).map(|u| u.key)
}

/// What a slot opened with its secret gives: the database key and, for a worker's slot made
/// since workers had keys, their signing key.
pub struct Unlocked {
    pub key: DatabaseKey,
    pub seed: Option<WorkerSeed>,
}

/// As [`unwrap`], with the worker's signing key too. A slot whose worker key does not open with
/// the password that opened the rest is damaged, and opens nothing.
pub fn unlock(slot: &Slot, secret: &[u8]) -> Option<Unlocked> {
    let salt = hex::decode(&slot.salt).ok()?;
    let kek = derive(secret, &salt, slot.kdf)?;
    let key = open_with(slot, &kek)?;
    let seed = match &slot.signing {
        None => None,
        Some(signing) => {
            let signing = bytes::<{ 24 + WRAPPED_BYTES }>(signing)?;
            let (nonce, sealed) = signing.split_at(24);
            let plain = Zeroizing::new(
                XChaCha20Poly1305::new(kek.as_ref().into())
                    .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &signing_aad(&slot.label) })
                    .ok()?,
            );
            Some(Zeroizing::new(plain.as_slice().try_into().ok()?))
        }
    };
    Some(Unlocked { key, seed })
}

/// The database key in `slot`, with the key its password gives.
fn open_with(slot: &Slot, kek: &Zeroizing<[u8; 32]>) -> Option<DatabaseKey> {
    let nonce = bytes::<24>(&slot.nonce)?;
    let wrapped = hex::decode(&slot.wrapped).ok()?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    match slot.format {
        1 => {
            let plain =
                Zeroizing::new(cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: slot.label.as_bytes() }).ok()?);
            let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
            Some(DatabaseKey(Zeroizing::new(bytes)))
        }
        SLOT_FORMAT => {
            let plain =
                Zeroizing::new(cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: &private_aad(&slot.label) }).ok()?);
            let private: Zeroizing<[u8; 32]> = Zeroizing::new(plain.as_slice().try_into().ok()?);
            open_sealed(slot, &private)
        }
        _ => None,
    }
}

/// The database key sealed in a format 2 slot, with the slot's private key.
fn open_sealed(slot: &Slot, private: &[u8; 32]) -> Option<DatabaseKey> {
    let public = bytes::<32>(slot.public.as_deref()?)?;
    if MontgomeryPoint::mul_base_clamped(*private).to_bytes() != public {
        return None;
    }
    let sealed = slot.sealed.as_ref()?;
    let ephemeral = bytes::<32>(&sealed.ephemeral)?;
    let nonce = bytes::<24>(&sealed.nonce)?;
    let ciphertext = hex::decode(&sealed.ciphertext).ok()?;
    let shared = Zeroizing::new(MontgomeryPoint(ephemeral).mul_clamped(*private).to_bytes());
    if *shared == [0; 32] {
        return None;
    }
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(sealing_key(&shared, &ephemeral, &public).as_ref().into())
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: slot.label.as_bytes() })
            .ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DatabaseKey(Zeroizing::new(bytes)))
}

/// Spends the same effort as unlocking a slot of cost `kdf` (see [`SlotFile::usual_cost`]), so an
/// unknown name takes as long as a known one.
pub fn waste_equal_time(secret: &[u8], kdf: KdfParams) {
    let _ = derive(secret, &[0u8; 16], kdf);
    let _ = MontgomeryPoint::mul_base_clamped(random::<32>()).mul_clamped(random::<32>());
}

/// A recovery key as printed for the administrator: 160 random bits in groups of four
/// letters and digits (base32), easy to copy by hand.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    pub fn generate() -> Self {
        let raw = Zeroizing::new(random::<20>());
        RecoveryKey(Zeroizing::new(data_encoding::BASE32_NOPAD.encode(raw.as_ref())))
    }

    /// Accepts what a person types: any case, with or without spaces and dashes.
    pub fn parse(typed: &str) -> Option<Self> {
        let cleaned: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
        let bytes = data_encoding::BASE32_NOPAD.decode(cleaned.as_bytes()).ok()?;
        (bytes.len() == 20).then(|| RecoveryKey(Zeroizing::new(cleaned)))
    }

    pub fn secret(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// "ABCD-EFGH-..." for showing once.
    pub fn display(&self) -> String {
        self.0.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_unlocks_only_with_its_own_secret() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        let label = file.label_for_login("amira");
        let seed = new_worker_seed();
        file.put(&label, b"correct horse battery", &key, Some(&seed));
        let slot = file.slots[0].clone();
        let back = unlock(&slot, b"correct horse battery").expect("the right password unwraps");
        assert_eq!(back.key.0.as_ref(), key.0.as_ref());
        assert_eq!(back.seed.as_deref(), Some(&*seed), "with the worker's signing key");
        assert!(unwrap(&slot, b"wrong horse battery").is_none());
    }

    #[test]
    fn a_worker_key_damaged_in_the_file_is_refused_in_words_and_one_moved_from_another_slot_opens_nothing() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"alpha secret", &key, Some(&new_worker_seed()));
        file.put("b", b"alpha secret", &key, Some(&new_worker_seed()));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyslots.json");
        let mut short = file.clone();
        short.slots[0].signing = Some("abcd".into());
        short.save(&path).unwrap();
        let refused = SlotFile::load(&path).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::InvalidData);
        assert!(refused.to_string().contains("worker key"), "{refused}");
        // The same password, another slot's key: bound to its own label, so it does not open.
        let mut moved = file.clone();
        moved.slots[0].signing = file.slots[1].signing.clone();
        assert!(unlock(&moved.slots[0], b"alpha secret").is_none());
    }

    #[test]
    fn new_slots_store_the_production_cost() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        let started = std::time::Instant::now();
        with_production_kdf(|| file.put("a", b"correct horse battery", &key, Some(&new_worker_seed())));
        let took = started.elapsed();
        let stored: serde_json::Value = serde_json::to_value(&file.slots[0]).unwrap();
        assert_eq!(stored["kdf"], serde_json::json!({"memory_kib": 131072, "passes": 6, "lanes": 2}));
        const { assert!(KdfParams::PRODUCTION.memory_kib >= 64 * 1024, "at least 64 MiB") };
        eprintln!("production key derivation took {took:?}");
        let back = unwrap(&file.slots[0], b"correct horse battery").expect("opens with its own stored cost");
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        assert!(with_production_kdf(|| !file.slots[0].needs_rewrap()));

        // A slot made in one lane, as new slots were before, opens and is made again.
        let one_lane = KdfParams { lanes: 1, ..KdfParams::PRODUCTION };
        with_kdf(Some(one_lane), || file.put("b", b"staple battery", &key, Some(&new_worker_seed())));
        let back = unwrap(&file.slots[1], b"staple battery").expect("a one-lane slot opens");
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        assert!(with_production_kdf(|| file.slots[1].needs_rewrap()));
    }

    #[test]
    fn a_slot_from_before_the_cost_was_stored_opens_with_the_old_baseline() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"correct horse battery", &key, None);
        // As the old version wrote it: no "kdf", wrapped at 19 MiB and 2 passes.
        let salt = [3u8; 16];
        let nonce = [4u8; 24];
        let kek = derive(b"correct horse battery", &salt, KdfParams::LEGACY).unwrap();
        let wrapped = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: b"a" })
            .unwrap();
        let old = format!(
            r#"{{"label":"a","salt":"{}","nonce":"{}","wrapped":"{}","failures":0}}"#,
            hex::encode(salt),
            hex::encode(nonce),
            hex::encode(wrapped)
        );
        let slot: Slot = serde_json::from_str(&old).unwrap();
        assert_eq!(slot.kdf, KdfParams::LEGACY);
        assert!(slot.needs_rewrap());
        assert_eq!(unwrap(&slot, b"correct horse battery").unwrap().0.as_ref(), key.0.as_ref());
    }

    /// A format 1 slot as Throughline 0.1.0 wrote it (no format, no cost: 19 MiB, 2 passes).
    fn format_1_slot(label: &str, secret: &[u8], key: &DatabaseKey) -> Slot {
        let salt = [3u8; 16];
        let nonce = [4u8; 24];
        let kek = derive(secret, &salt, KdfParams::LEGACY).unwrap();
        let wrapped = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: label.as_bytes() })
            .unwrap();
        let old = format!(
            r#"{{"label":"{label}","salt":"{}","nonce":"{}","wrapped":"{}","failures":0}}"#,
            hex::encode(salt),
            hex::encode(nonce),
            hex::encode(wrapped)
        );
        serde_json::from_str(&old).unwrap()
    }

    #[test]
    fn a_format_1_slot_still_opens_and_is_made_again_in_format_2() {
        let key = DatabaseKey::generate();
        let slot = format_1_slot("a", b"correct horse battery", &key);
        assert_eq!(slot.format, 1);
        assert!(slot.check().is_ok());
        assert!(slot.needs_rewrap(), "converted at the next sign-in");
        let opened = unwrap(&slot, b"correct horse battery").expect("a format 1 slot opens");
        assert_eq!(opened.0.as_ref(), key.0.as_ref());
        // What sign-in does with it: made again in format 2, which opens to the same key.
        let mut file = SlotFile::new();
        file.slots.push(slot);
        file.put("a", b"correct horse battery", &opened, Some(&new_worker_seed()));
        assert_eq!(file.slots.len(), 1);
        assert_eq!(file.slots[0].format, SLOT_FORMAT);
        assert!(!file.slots[0].needs_rewrap());
        assert_eq!(unwrap(&file.slots[0], b"correct horse battery").unwrap().0.as_ref(), key.0.as_ref());
        let written: serde_json::Value = serde_json::to_value(&file.slots[0]).unwrap();
        assert_eq!(written["format"], 2);
        assert!(written["public"].is_string() && written["sealed"]["ephemeral"].is_string());
    }

    #[test]
    fn a_rekey_seals_the_new_key_to_every_format_2_slot_and_drops_format_1() {
        let old = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"alpha secret", &old, None);
        file.put(RECOVERY_LABEL, b"recovery secret", &old, None);
        file.slots.push(format_1_slot("legacy", b"legacy secret", &old));
        let before = file.clone();
        let new = DatabaseKey::generate();
        let dropped = file.rekey(&new);
        assert_eq!(dropped, vec!["legacy".to_string()]);
        assert_eq!(file.slots.len(), 2);
        for (label, secret) in [("a", &b"alpha secret"[..]), (RECOVERY_LABEL, &b"recovery secret"[..])] {
            let slot = file.slots.iter().find(|s| s.label == label).unwrap();
            assert_eq!(unwrap(slot, secret).unwrap().0.as_ref(), new.0.as_ref(), "{label} follows the new key without its secret");
            let kept = before.slots.iter().find(|s| s.label == label).unwrap();
            assert_eq!(unwrap(kept, secret).unwrap().0.as_ref(), old.0.as_ref(), "a copy from before opens only the old key");
        }
    }

    #[test]
    fn a_sealed_key_moved_to_another_slot_opens_nothing() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"alpha secret", &key, None);
        file.put("b", b"bravo secret", &key, None);
        let mut a = file.slots[0].clone();
        a.sealed = file.slots[1].sealed.clone();
        assert!(unwrap(&a, b"alpha secret").is_none());
        let mut b = file.slots[1].clone();
        b.label = "a".into();
        assert!(unwrap(&b, b"bravo secret").is_none());
    }

    #[test]
    fn damaged_salts_and_absurd_costs_are_refused_quickly_never_a_panic_or_a_hang() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"alpha secret", &key, None);
        let good = file.slots[0].clone();
        let mut damaged = Vec::new();
        let mut short_salt = good.clone();
        short_salt.salt = "0011".into();
        damaged.push(("a 2-byte salt", short_salt));
        for kdf in [
            KdfParams { memory_kib: u32::MAX, passes: 1, lanes: 1 },
            KdfParams { memory_kib: 2 * 1024 * 1024, passes: 1, lanes: 1 },
            KdfParams { memory_kib: 256, passes: 4_000_000_000, lanes: 1 },
            KdfParams { memory_kib: 256, passes: 65, lanes: 1 },
            KdfParams { memory_kib: 256, passes: 1, lanes: 0 },
            KdfParams { memory_kib: 256, passes: 1, lanes: 1 << 20 },
            KdfParams { memory_kib: 4, passes: 1, lanes: 1 },
        ] {
            let mut absurd = good.clone();
            absurd.kdf = kdf;
            damaged.push(("an absurd cost", absurd));
        }
        for (what, slot) in damaged {
            let started = std::time::Instant::now();
            assert!(slot.check().is_err(), "{what} ({:?}) is refused when the file is read", slot.kdf);
            assert!(unwrap(&slot, b"alpha secret").is_none(), "{what} opens nothing");
            assert!(started.elapsed() < std::time::Duration::from_secs(1), "{what}: no hang ({:?})", started.elapsed());
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("keyslots.json");
            let mut on_disk = SlotFile::new();
            on_disk.slots.push(slot);
            on_disk.save(&path).unwrap();
            let refused = SlotFile::load(&path).unwrap_err();
            assert_eq!(refused.kind(), std::io::ErrorKind::InvalidData, "{what}");
            assert!(refused.to_string().starts_with("a key slot is damaged: its"), "{refused}");
        }
        assert!(good.check().is_ok());
        let mut at_the_cap = good.clone();
        at_the_cap.kdf = KdfParams::MAX;
        assert!(at_the_cap.check().is_ok(), "the cap itself is allowed");
    }

    #[test]
    fn a_name_with_no_slot_costs_what_most_slots_cost_and_its_failures_are_kept_bounded() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        assert_eq!(file.usual_cost(), KdfParams::for_new_slots());
        file.slots.push(format_1_slot("a", b"s1", &key));
        file.slots.push(format_1_slot("b", b"s2", &key));
        file.put("c", b"s3", &key, None);
        file.put(RECOVERY_LABEL, b"s4", &key, None);
        assert_eq!(file.usual_cost(), KdfParams::LEGACY, "most of the workers' slots are still legacy");
        let now = Utc::now();
        for n in 0..(KEPT_UNKNOWN_NAMES + 10) {
            file.unknown_name_failed(&format!("name {n}"), now + chrono::Duration::seconds(n as i64));
        }
        file.unknown_name_failed("name 300", now + chrono::Duration::seconds(1000));
        assert_eq!(file.unknown_names.len(), KEPT_UNKNOWN_NAMES);
        assert_eq!(file.unknown_name("name 300").unwrap().failures, 1);
        assert!(file.unknown_name("name 0").is_none(), "the oldest forgotten first");
    }

    #[test]
    fn a_slot_moved_to_another_label_does_not_unlock() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"secret-secret", &key, None);
        let mut slot = file.slots[0].clone();
        slot.label = "b".into();
        assert!(unwrap(&slot, b"secret-secret").is_none());
    }

    #[test]
    fn labels_hide_login_names_and_ignore_case() {
        let file = SlotFile::new();
        let label = file.label_for_login("Amira.Khan");
        assert!(!label.contains("amira"));
        assert_eq!(label, file.label_for_login(" amira.khan "));
    }

    #[test]
    fn recovery_key_survives_being_retyped_loosely() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.len(), 32 + 7);
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryKey::parse(&typed).unwrap().secret(), key.secret());
        assert!(RecoveryKey::parse("not a key").is_none());
    }
}
