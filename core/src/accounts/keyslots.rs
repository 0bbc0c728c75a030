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

/// Only the worker's own account may read Throughline's files (Unix permissions).
pub fn owner_only(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// OWASP's Argon2id baseline (19 MiB, 2 passes): slow for a guesser, quick for a worker.
fn derive(secret: &[u8], salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let params = Params::new(19 * 1024, 2, 1, Some(32)).expect("fixed Argon2 parameters are valid");
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, out.as_mut())
        .expect("a 16-byte salt and 32-byte output are valid for Argon2");
    out
}

fn wrap(label: &str, secret: &[u8], key: &DatabaseKey) -> Slot {
    let salt = random::<16>();
    let nonce = random::<24>();
    let kek = derive(secret, &salt);
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: label.as_bytes() })
        .expect("encrypting 32 bytes cannot fail");
    Slot {
        label: label.to_string(),
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        wrapped: hex::encode(wrapped),
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
    let kek = derive(secret, &salt);
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let plain = Zeroizing::new(cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: slot.label.as_bytes() }).ok()?);
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DatabaseKey(Zeroizing::new(bytes)))
}

/// Spends the same effort as a real unlock, so an unknown name takes as long as a known one.
pub fn waste_equal_time(secret: &[u8]) {
    let _ = derive(secret, &[0u8; 16]);
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
