//! Key slots: the database key wrapped once per account with a key derived from that worker's
//! password (Argon2id), plus once with the recovery key. Kept beside the database, outside it,
//! because they are what unlocks it. The file holds no client data.
use crate::store::DatabaseKey;
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use zeroize::Zeroizing;

pub const RECOVERY_LABEL: &str = "recovery";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// A salted hash of the login name (so a lost laptop does not list the team's names),
    /// or "recovery".
    pub label: String,
    salt: String,
    nonce: String,
    wrapped: String,
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

/// A failed sign-in waiting to be written to the audit trail at the next successful one
/// (the database is locked when it happens).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingFailure {
    pub at: DateTime<Utc>,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotFile {
    version: u32,
    label_salt: String,
    pub slots: Vec<Slot>,
    #[serde(default)]
    pub pending_failures: Vec<PendingFailure>,
}

impl SlotFile {
    pub fn new() -> Self {
        SlotFile { version: 1, label_salt: hex::encode(random::<16>()), slots: Vec::new(), pending_failures: Vec::new() }
    }

    pub fn load(path: &Path) -> std::io::Result<SlotFile> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
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

    /// Adds or replaces the slot for `label`, wrapping `key` with `secret`.
    pub fn put(&mut self, label: &str, secret: &[u8], key: &DatabaseKey) {
        let slot = wrap(label, secret, key);
        self.slots.retain(|s| s.label != label);
        self.slots.push(slot);
    }

    pub fn remove(&mut self, label: &str) {
        self.slots.retain(|s| s.label != label);
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
    /// What every new or rewrapped slot uses: 128 MiB and 6 passes, about half a second to
    /// three quarters on an ordinary 2-core laptop (measured 0.5-0.65 s here, against 0.02-0.06
    /// s for the old baseline), once per sign-in. A thief with the slot file pays the same for
    /// every guess, in memory a graphics card cannot spread thinly.
    pub const PRODUCTION: KdfParams = KdfParams { memory_kib: 128 * 1024, passes: 6, lanes: 1 };

    /// OWASP's online baseline (19 MiB, 2 passes), which slots were made with before the cost was
    /// stored in them.
    pub const LEGACY: KdfParams = KdfParams { memory_kib: 19 * 1024, passes: 2, lanes: 1 };

    fn legacy() -> Self {
        Self::LEGACY
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

fn derive(secret: &[u8], salt: &[u8], kdf: KdfParams) -> Zeroizing<[u8; 32]> {
    // Parameters read from the file are checked by Argon2; a slot with impossible ones derives
    // nothing and so opens nothing.
    let params = Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32)).unwrap_or_else(|_| {
        Params::new(KdfParams::LEGACY.memory_kib, KdfParams::LEGACY.passes, 1, Some(32)).expect("fixed Argon2 parameters are valid")
    });
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, out.as_mut())
        .expect("a 16-byte salt and 32-byte output are valid for Argon2");
    out
}

fn wrap(label: &str, secret: &[u8], key: &DatabaseKey) -> Slot {
    let salt = random::<16>();
    let nonce = random::<24>();
    let kdf = KdfParams::for_new_slots();
    let kek = derive(secret, &salt, kdf);
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: label.as_bytes() })
        .expect("encrypting 32 bytes cannot fail");
    Slot {
        label: label.to_string(),
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        wrapped: hex::encode(wrapped),
        kdf,
        failures: 0,
        last_failure: None,
    }
}

/// The database key, if `secret` is the one this slot was made with.
pub fn unwrap(slot: &Slot, secret: &[u8]) -> Option<DatabaseKey> {
    let salt = hex::decode(&slot.salt).ok()?;
    let nonce = hex::decode(&slot.nonce).ok()?;
    let wrapped = hex::decode(&slot.wrapped).ok()?;
    if nonce.len() != 24 {
        return None;
    }
    let kek = derive(secret, &salt, slot.kdf);
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let plain = Zeroizing::new(cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: slot.label.as_bytes() }).ok()?);
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DatabaseKey(Zeroizing::new(bytes)))
}

/// Spends the same effort as a real unlock, so an unknown name takes as long as a known one.
pub fn waste_equal_time(secret: &[u8]) {
    let _ = derive(secret, &[0u8; 16], KdfParams::for_new_slots());
}

impl Slot {
    /// True when this slot was wrapped with a lower cost than new slots get: it is wrapped again
    /// at the next sign-in, when the password is at hand.
    pub fn needs_rewrap(&self) -> bool {
        self.kdf != KdfParams::for_new_slots()
    }
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
        file.put(&label, b"correct horse battery", &key);
        let slot = file.slots[0].clone();
        let back = unwrap(&slot, b"correct horse battery").expect("the right password unwraps");
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        assert!(unwrap(&slot, b"wrong horse battery").is_none());
    }

    #[test]
    fn new_slots_store_the_production_cost() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        let started = std::time::Instant::now();
        with_production_kdf(|| file.put("a", b"correct horse battery", &key));
        let took = started.elapsed();
        let stored: serde_json::Value = serde_json::to_value(&file.slots[0]).unwrap();
        assert_eq!(stored["kdf"], serde_json::json!({"memory_kib": 131072, "passes": 6, "lanes": 1}));
        const { assert!(KdfParams::PRODUCTION.memory_kib >= 64 * 1024, "at least 64 MiB") };
        eprintln!("production key derivation took {took:?}");
        let back = unwrap(&file.slots[0], b"correct horse battery").expect("opens with its own stored cost");
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        assert!(with_production_kdf(|| !file.slots[0].needs_rewrap()));
    }

    #[test]
    fn a_slot_from_before_the_cost_was_stored_opens_with_the_old_baseline() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"correct horse battery", &key);
        // As the old version wrote it: no "kdf", wrapped at 19 MiB and 2 passes.
        let salt = [3u8; 16];
        let nonce = [4u8; 24];
        let kek = derive(b"correct horse battery", &salt, KdfParams::LEGACY);
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

    #[test]
    fn a_slot_moved_to_another_label_does_not_unlock() {
        let key = DatabaseKey::generate();
        let mut file = SlotFile::new();
        file.put("a", b"secret-secret", &key);
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
