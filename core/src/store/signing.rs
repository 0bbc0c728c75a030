//! A worker's own signature on the changes only some roles may make (sync.md "Trust"). A laptop's
//! chain proves which laptop made a change; this proves which worker did: the key is kept in
//! the worker's key slot, which only their password opens, and the team knows its public half
//! from a `worker_key` record. The write path signs as the change is written; import checks it
//! (`sync::trust`).
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use zeroize::Zeroizing;

/// The kinds of record whose changes carry their author's signature: who works here and in
/// which roles, their keys, team settings, laptops, retention decisions, merges and dismissed
/// possible duplicates. Casework needs none: a laptop's chain vouches for it, and any casework
/// role may make it.
pub const SIGNED: [&str; 7] = ["worker", "worker_key", "team_setting", "device", "retention_review", "client_merge", "duplicate_dismissal"];

/// Whether a change needs its author's signature. A laptop's enrolment of itself (the team's
/// founding laptop, or one restored from a backup naming itself the successor) is vouched for by
/// laptop keys instead; any later change to its own record is signed like another's.
pub fn needs_author(c: &Change<'_>) -> bool {
    SIGNED.contains(&c.record_type) && !(c.record_type == "device" && c.device_id == c.record_id && matches!(c.kind, "create" | "append"))
}

/// The worker signed in, with the key their slot holds: the write path signs their changes
/// with it.
pub struct Author {
    pub worker_id: String,
    pub key: SigningKey,
}

impl Author {
    pub fn new(worker_id: &str, seed: &Zeroizing<[u8; 32]>) -> Author {
        Author { worker_id: worker_id.to_string(), key: SigningKey::from_bytes(seed) }
    }

    /// The public half, as a `worker_key` record's id.
    pub fn public_hex(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign(message).to_bytes().to_vec()
    }
}

/// Whether `signature` is `public`'s over `message` (a key or signature of the wrong shape is
/// not).
pub fn checks(public: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    VerifyingKey::from_bytes(public)
        .ok()
        .zip(Signature::from_slice(signature).ok())
        .is_some_and(|(key, signature)| key.verify(message, &signature).is_ok())
}

/// One operation as its author signs it.
#[derive(Clone, Copy)]
pub struct Change<'a> {
    pub op_id: &'a str,
    pub device_id: &'a str,
    pub seq: i64,
    pub hlc: i64,
    pub worker_id: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub kind: &'a str,
    pub changes: &'a str,
}

/// What an author signs: the team and every part of the operation (strings length-prefixed,
/// u64 big-endian; integers i64 big-endian).
pub fn message(team_id: &str, c: &Change<'_>) -> Vec<u8> {
    let mut m = b"throughline worker change v1".to_vec();
    let mut text = |s: &str| {
        m.extend_from_slice(&(s.len() as u64).to_be_bytes());
        m.extend_from_slice(s.as_bytes());
    };
    text(team_id);
    text(c.op_id);
    text(c.device_id);
    text(c.worker_id);
    text(c.record_type);
    text(c.record_id);
    text(c.kind);
    text(c.changes);
    m.extend_from_slice(&c.seq.to_be_bytes());
    m.extend_from_slice(&c.hlc.to_be_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGE: Change<'static> = Change {
        op_id: "o",
        device_id: "d",
        seq: 1,
        hlc: 2,
        worker_id: "w",
        record_type: "worker",
        record_id: "r",
        kind: "update",
        changes: "{}",
    };

    #[test]
    fn casework_and_a_laptops_own_enrolment_need_no_worker_signature() {
        assert!(needs_author(&CHANGE));
        let device = Change { record_type: "device", ..CHANGE };
        assert!(needs_author(&device), "a lead enrolling or revoking another laptop signs it");
        assert!(!needs_author(&Change { record_id: "d", kind: "create", ..device }), "a laptop enrolling itself");
        assert!(needs_author(&Change { record_id: "d", ..device }), "a laptop changing its own record later");
        assert!(!needs_author(&Change { record_type: "contact", ..CHANGE }));
    }

    #[test]
    fn every_part_of_a_change_is_signed() {
        let c = CHANGE;
        let base = message("t", &c);
        assert_ne!(base, message("t2", &c));
        assert_ne!(base, message("t", &Change { worker_id: "x", ..c }));
        assert_ne!(base, message("t", &Change { seq: 3, ..c }));
        assert_ne!(base, message("t", &Change { changes: "{ }", ..c }));
    }
}
