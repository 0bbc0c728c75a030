//! Each laptop vouches for its own operations: they form a hash chain in sequence order, and a
//! bundle carries, for every origin laptop whose operations it holds, the head of that chain
//! signed by that laptop. A laptop relaying another's work can neither alter nor invent it: the
//! importer recomputes the chain from the head it holds and checks the signature with the
//! origin's own key.
use super::apply::Incoming;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The head of one laptop's chain: its operations up to `seq` hash to `chain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub seq: i64,
    pub chain: [u8; 32],
    pub signature: Option<Vec<u8>>,
}

impl Head {
    pub const START: Head = Head { seq: 0, chain: [0; 32], signature: None };
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// The next link: the previous chain and every part of the operation as it travels.
pub fn link(prev: &[u8; 32], op: &Incoming) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"throughline op chain v1");
    h.update(prev);
    field(&mut h, op.op_id.as_bytes());
    field(&mut h, op.device_id.as_bytes());
    h.update(op.seq.to_be_bytes());
    h.update(op.hlc.to_be_bytes());
    field(&mut h, op.worker_id.as_bytes());
    field(&mut h, op.record_type.as_bytes());
    field(&mut h, op.record_id.as_bytes());
    field(&mut h, op.kind.as_bytes());
    field(&mut h, op.changes.as_bytes());
    h.finalize().into()
}

/// What an origin signs: its team, itself, and the head.
pub fn signed_message(team_id: &str, device_id: &str, seq: i64, chain: &[u8; 32]) -> Vec<u8> {
    let mut m = b"throughline chain head v1".to_vec();
    for part in [team_id.as_bytes(), device_id.as_bytes()] {
        m.extend_from_slice(&(part.len() as u64).to_be_bytes());
        m.extend_from_slice(part);
    }
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(chain);
    m
}

pub fn sign(team_id: &str, device_id: &str, seq: i64, chain: &[u8; 32], key: &SigningKey) -> Vec<u8> {
    key.sign(&signed_message(team_id, device_id, seq, chain)).to_bytes().to_vec()
}

pub fn verify(team_id: &str, device_id: &str, head: &Head, key: &VerifyingKey) -> bool {
    let Some(signature) = head.signature.as_deref().and_then(|s| Signature::from_slice(s).ok()) else { return false };
    key.verify(&signed_message(team_id, device_id, head.seq, &head.chain), &signature).is_ok()
}

/// A laptop's operations past a number (`?1` the laptop, `?2` the number), in order, with
/// those set aside after its revocation: its whole chain as this laptop holds it.
pub(crate) const OPERATIONS_OF: &str = "SELECT op_id, seq, hlc, worker_id, record_type, record_id, kind, changes FROM (
       SELECT op_id, seq, hlc, worker_id, record_type, record_id, kind, changes FROM operations WHERE device_id = ?1 AND seq > ?2
       UNION ALL
       SELECT op_id, seq, hlc, worker_id, record_type, record_id, kind, changes FROM sync_refused_ops WHERE device_id = ?1 AND seq > ?2)
     ORDER BY seq";

/// The head this laptop last stored for `device_id`.
pub fn stored(conn: &Connection, device_id: &str) -> rusqlite::Result<Option<Head>> {
    conn.prepare_cached("SELECT seq, chain, signature FROM sync_chains WHERE device_id = ?1")?
        .query_row([device_id], |r| {
            let chain: Vec<u8> = r.get(1)?;
            Ok(Head { seq: r.get(0)?, chain: chain.try_into().unwrap_or([0; 32]), signature: r.get(2)? })
        })
        .optional()
}

pub fn store(conn: &Connection, device_id: &str, head: &Head) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_chains (device_id, seq, chain, signature) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, chain = excluded.chain, signature = excluded.signature",
    )?
    .execute(params![device_id, head.seq, &head.chain[..], head.signature])?;
    Ok(())
}

/// `device_id`'s chain through every operation of it this laptop holds, from the stored head
/// on (this laptop's own operations are chained as they are exported; another laptop's were
/// chained as they arrived, so there is nothing past the stored head to add).
pub fn held(conn: &Connection, device_id: &str) -> rusqlite::Result<Head> {
    let mut head = stored(conn, device_id)?.unwrap_or(Head::START);
    let mut stmt = conn.prepare_cached(OPERATIONS_OF)?;
    let mut rows = stmt.query(params![device_id, head.seq])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(1)?;
        if seq != head.seq + 1 {
            break;
        }
        let kind: String = r.get(6)?;
        let op = Incoming {
            op_id: r.get(0)?,
            device_id: device_id.to_string(),
            seq,
            hlc: r.get(2)?,
            worker_id: r.get(3)?,
            record_type: r.get(4)?,
            record_id: r.get(5)?,
            kind: super::apply::kind(&kind),
            changes: r.get(7)?,
        };
        head = Head { seq, chain: link(&head.chain, &op), signature: None };
    }
    Ok(head)
}
