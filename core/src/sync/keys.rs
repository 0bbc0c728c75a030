//! The team key and its generations. Bundles are sealed with the team key; when a team lead
//! revokes a lost laptop, a new key (one generation on) is made, and every bundle sealed with it
//! carries it sealed for each laptop still enrolled (X25519 with that laptop's own key), never
//! for the revoked one. A laptop keeps every generation it has had, so older bundles still open.
use super::bundle::{Header, KeyWrap};
use super::laptop::{self, Device};
use super::SyncError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use curve25519_dalek::montgomery::MontgomeryPoint;
use ed25519_dalek::SigningKey;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// A team key with its generation.
pub struct TeamKey {
    pub generation: i64,
    pub key: Zeroizing<[u8; 32]>,
}

impl TeamKey {
    pub fn id(&self) -> String {
        key_id(&self.key)
    }
}

/// A key's name in a bundle's header: the first 8 bytes of a hash of it (never the key).
pub fn key_id(key: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"throughline team key id v1");
    h.update(key);
    hex::encode(&h.finalize()[..8])
}

/// The key this laptop seals its bundles with: the newest generation that an accepted
/// revocation named. A key is taken from any bundle that carries it sealed for this laptop, but
/// one that no revocation here names (a revoked laptop's "revocation", set aside) is kept only to
/// open what was sealed with it, never to seal.
pub fn current(conn: &Connection) -> Result<TeamKey, SyncError> {
    let newest: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT generation, key FROM sync_team_keys
              WHERE key_id IN (SELECT key_after_revocation FROM devices WHERE revoked_at IS NOT NULL)
              ORDER BY generation DESC, key_id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match newest {
        Some((generation, key)) => Ok(TeamKey { generation, key: to_key(&key)? }),
        None => {
            let identity = laptop::identity(conn)?.ok_or(SyncError::NoIdentity)?;
            Ok(TeamKey { generation: 0, key: identity.team_key })
        }
    }
}

/// Every generation this laptop has (for a join file).
pub fn all(conn: &Connection) -> Result<Vec<TeamKey>, SyncError> {
    let mut stmt = conn.prepare_cached("SELECT generation, key FROM sync_team_keys ORDER BY generation")?;
    let rows: Vec<(i64, Vec<u8>)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    rows.into_iter().map(|(generation, key)| Ok(TeamKey { generation, key: to_key(&key)? })).collect()
}

fn to_key(bytes: &[u8]) -> Result<Zeroizing<[u8; 32]>, SyncError> {
    let key: [u8; 32] = bytes.try_into().map_err(|_| SyncError::Corrupt("a team key is malformed".into()))?;
    Ok(Zeroizing::new(key))
}

/// Keeps a generation of the team key (once).
pub fn keep(conn: &Connection, key: &TeamKey) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sync_team_keys (key_id, generation, key) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![key.id(), key.generation, &key.key[..]],
    )?;
    Ok(())
}

/// A new generation, one past the newest this laptop has (made at a revocation, which names it).
pub fn rotate(conn: &Connection) -> Result<TeamKey, SyncError> {
    let newest: i64 = conn.query_row("SELECT coalesce(max(generation), 0) FROM sync_team_keys", [], |r| r.get(0))?;
    let next = TeamKey { generation: newest + 1, key: laptop::random_key() };
    keep(conn, &next)?;
    Ok(next)
}

/// The key a bundle's header names: one this laptop has, or the one sealed for it in the header.
pub fn for_header(conn: &Connection, header: &Header, me: &str, my_key: &SigningKey) -> Result<TeamKey, SyncError> {
    if header.key_generation == 0 {
        let identity = laptop::identity(conn)?.ok_or(SyncError::NoIdentity)?;
        return Ok(TeamKey { generation: 0, key: identity.team_key });
    }
    let known: Option<Vec<u8>> =
        conn.query_row("SELECT key FROM sync_team_keys WHERE key_id = ?1", [&header.key_id], |r| r.get(0)).optional()?;
    if let Some(key) = known {
        return Ok(TeamKey { generation: header.key_generation, key: to_key(&key)? });
    }
    let wrap = header.key_wraps.iter().find(|w| w.device_id == me).ok_or(SyncError::KeyNotForThisLaptop)?;
    let key = unwrap(wrap, my_key).ok_or(SyncError::CannotDecrypt)?;
    if key_id(&key) != header.key_id {
        return Err(SyncError::CannotDecrypt);
    }
    Ok(TeamKey { generation: header.key_generation, key })
}

/// The key sealed for every laptop enrolled and not revoked (generation 0 needs none: every
/// laptop had it when it joined).
pub fn wraps_for(key: &TeamKey, laptops: &[Device]) -> Vec<KeyWrap> {
    if key.generation == 0 {
        return Vec::new();
    }
    laptops.iter().filter(|d| d.revoked_at.is_none()).filter_map(|d| Some(wrap(&key.key, &d.id, d.verifying_key().ok()?))).collect()
}

fn wrapping_key(
    shared: &MontgomeryPoint,
    ephemeral: &MontgomeryPoint,
    recipient: &MontgomeryPoint,
    device_id: &str,
) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"throughline team key wrap v1");
    h.update(shared.as_bytes());
    h.update(ephemeral.as_bytes());
    h.update(recipient.as_bytes());
    h.update(device_id.as_bytes());
    Zeroizing::new(h.finalize().into())
}

fn wrap(key: &[u8; 32], device_id: &str, recipient: ed25519_dalek::VerifyingKey) -> KeyWrap {
    let recipient = recipient.to_montgomery();
    let secret = laptop::random_key();
    let ephemeral = MontgomeryPoint::mul_base_clamped(*secret);
    let shared = recipient.mul_clamped(*secret);
    let kek = wrapping_key(&shared, &ephemeral, &recipient, device_id);
    let mut nonce = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let sealed = XChaCha20Poly1305::new(kek.as_ref().into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key, aad: device_id.as_bytes() })
        .expect("sealing 32 bytes cannot fail");
    KeyWrap {
        device_id: device_id.into(),
        ephemeral: hex::encode(ephemeral.as_bytes()),
        nonce: hex::encode(nonce),
        sealed: hex::encode(sealed),
    }
}

fn unwrap(wrap: &KeyWrap, mine: &SigningKey) -> Option<Zeroizing<[u8; 32]>> {
    let ephemeral = MontgomeryPoint(hex::decode(&wrap.ephemeral).ok()?.try_into().ok()?);
    let nonce: [u8; 24] = hex::decode(&wrap.nonce).ok()?.try_into().ok()?;
    let sealed = hex::decode(&wrap.sealed).ok()?;
    let recipient = mine.verifying_key().to_montgomery();
    let shared = ephemeral.mul_clamped(mine.to_scalar_bytes());
    let kek = wrapping_key(&shared, &ephemeral, &recipient, &wrap.device_id);
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(kek.as_ref().into())
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: wrap.device_id.as_bytes() })
            .ok()?,
    );
    plain.as_slice().try_into().ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_key_opens_for_its_laptop_only() {
        let key = TeamKey { generation: 1, key: laptop::random_key() };
        let ours = SigningKey::generate(&mut rand::rngs::OsRng);
        let theirs = SigningKey::generate(&mut rand::rngs::OsRng);
        let wrapped = wrap(&key.key, "ours", ours.verifying_key());
        assert_eq!(unwrap(&wrapped, &ours).as_deref(), Some(&*key.key));
        assert!(unwrap(&wrapped, &theirs).is_none());
        let renamed = KeyWrap { device_id: "theirs".into(), ..wrapped };
        assert!(unwrap(&renamed, &ours).is_none());
    }
}
