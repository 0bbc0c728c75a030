//! The audit trail's anchor: where the trail ended at the last write (its last entry's number and
//! hash), kept outside the database in a file sealed with a key derived from the database key.
//! The chain itself shows an entry edited or removed in the middle; only something kept outside
//! it shows entries cut off the end. Written after every write that added to the trail; checked
//! by the audit trail check. Someone who puts back an older database and an older anchor file
//! together is not detected: backups keep both.
use super::DatabaseKey;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use zeroize::Zeroizing;

/// The audit entry recording that the trail's end is kept outside the database from then on.
pub const ANCHORED_ACTION: &str = "audit trail anchored";

/// Where the trail ended when it was last written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// What the anchor file says, as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchored {
    /// The file is there and sealed by this database's key.
    Head(Head),
    /// No file.
    Missing,
    /// A file that does not open with this database's key (altered, or from another database).
    Unreadable,
}

#[derive(Serialize, Deserialize)]
struct SealedFile {
    version: u32,
    nonce: String,
    sealed: String,
}

/// The anchor file of one database and the key that seals it.
#[derive(Clone)]
pub struct Anchor {
    path: PathBuf,
    key: Zeroizing<[u8; 32]>,
    /// The file is written in place, so a read meeting a write would see half of each: in the
    /// app (the session writing, a reading checking the trail) they take turns.
    in_turn: Arc<Mutex<()>>,
}

impl Anchor {
    /// The anchor beside the database at `database` ("throughline.db" → "throughline.anchor").
    pub fn for_database(database: &Path, key: &DatabaseKey) -> Self {
        let mut h = Sha256::new();
        h.update(b"throughline audit anchor v1");
        h.update(key.0.as_ref());
        let mut derived = Zeroizing::new([0u8; 32]);
        derived.copy_from_slice(&h.finalize());
        Anchor { path: database.with_extension("anchor"), key: derived, in_turn: Arc::default() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn read(&self) -> Anchored {
        let _turn = self.in_turn.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(text) = std::fs::read_to_string(&self.path) else {
            return if self.path.exists() { Anchored::Unreadable } else { Anchored::Missing };
        };
        self.open(&text).map(Anchored::Head).unwrap_or(Anchored::Unreadable)
    }

    fn open(&self, text: &str) -> Option<Head> {
        let file: SealedFile = serde_json::from_str(text).ok()?;
        let nonce = hex::decode(&file.nonce).ok()?;
        let sealed = hex::decode(&file.sealed).ok()?;
        if file.version != 1 || nonce.len() != 24 {
            return None;
        }
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let plain = cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: b"audit anchor" }).ok()?;
        serde_json::from_slice(&plain).ok()
    }

    /// Writes the head over the file in place, padded to one disk sector, so it never changes
    /// size: a write lands whole or not at all, and the file system has nothing to allocate
    /// or flush early. (Written to a new file and renamed over the old one, as it was, ext4
    /// pushed the new file to disk at every rename: about a tenth of registering a client.)
    pub fn write(&self, head: &Head) -> std::io::Result<()> {
        use std::io::Write;
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let plain = serde_json::to_vec(head).map_err(std::io::Error::other)?;
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad: b"audit anchor" })
            .map_err(|_| std::io::Error::other("the anchor could not be sealed"))?;
        let file = SealedFile { version: 1, nonce: hex::encode(nonce), sealed: hex::encode(sealed) };
        let mut bytes = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
        // JSON allows the spaces after it that make the file a sector's length.
        bytes.resize(bytes.len().max(SECTOR), b' ');
        let _turn = self.in_turn.lock().unwrap_or_else(|e| e.into_inner());
        let (mut out, found) = open_in_place(&self.path)?;
        out.write_all(&bytes)?;
        // A longer file (one altered by hand) loses its tail, so what is read is what was written.
        if found.len() > bytes.len() as u64 {
            out.set_len(bytes.len() as u64)?;
        }
        Ok(())
    }
}

/// The anchor file's length: one disk sector, which a disk writes whole.
const SECTOR: usize = 512;

/// Opens the anchor to be written in place, as a file only its owner can read however it was
/// found, and never through a link put where it lies: the link is replaced by the file. The
/// checks are made on what was opened, so nothing can be swapped in between.
fn open_in_place(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let open = || {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        options.open(path)
    };
    let file = match open() {
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            std::fs::remove_file(path)?;
            open()?
        }
        opened => opened?,
    };
    let found = file.metadata()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if found.permissions().mode() & 0o777 != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok((file, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_opens_only_with_its_own_database_key() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("throughline.db");
        let key = DatabaseKey::generate();
        let anchor = Anchor::for_database(&db, &key);
        assert_eq!(anchor.read(), Anchored::Missing);
        let head = Head { seq: 42, hash: "ab".repeat(32) };
        anchor.write(&head).unwrap();
        assert_eq!(anchor.read(), Anchored::Head(head));
        let later = Head { seq: 1_000_042, hash: "cd".repeat(32) };
        anchor.write(&later).unwrap();
        assert_eq!(anchor.read(), Anchored::Head(later.clone()), "written over in place");
        assert_eq!(std::fs::metadata(anchor.path()).unwrap().len(), SECTOR as u64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(anchor.path()).unwrap().permissions().mode() & 0o777, 0o600, "only the worker's account reads it");
            std::fs::set_permissions(anchor.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
            anchor.write(&Head { seq: 1_000_043, hash: "cd".repeat(32) }).unwrap();
            assert_eq!(std::fs::metadata(anchor.path()).unwrap().permissions().mode() & 0o777, 0o600, "loosened, tightened again");
            let elsewhere = dir.path().join("not-the-anchor");
            std::fs::write(&elsewhere, "someone else's file").unwrap();
            std::fs::remove_file(anchor.path()).unwrap();
            std::os::unix::fs::symlink(&elsewhere, anchor.path()).unwrap();
            anchor.write(&later).unwrap();
            assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "someone else's file", "a link in its place is not written through");
            assert_eq!(anchor.read(), Anchored::Head(later.clone()));
        }
        assert_eq!(Anchor::for_database(&db, &DatabaseKey::generate()).read(), Anchored::Unreadable);
        let text = std::fs::read_to_string(anchor.path()).unwrap();
        assert!(!text.contains("seq") && !text.contains(&"ab".repeat(32)), "the file does not show where the trail ends");
    }
}
