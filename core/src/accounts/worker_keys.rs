//! Which signing keys are whose (`store::signing`). A worker's key is made with their key slot
//! on a laptop; the team learns its public half from a `worker_key` record, which only an
//! administrator makes: when adding the worker or setting their password on that laptop, or in a
//! join file for the worker who will use the new laptop. The team's founding administrator
//! registers their own, on the laptop that founded the team: the root the rest hangs from.
use crate::store::record::{get, Record};
use crate::store::signing::{self, Author};
use crate::store::{StoreError, Write};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerKey {
    /// Hex of the Ed25519 public key.
    pub id: String,
    pub worker_id: String,
    /// The laptop whose key slot holds its secret half.
    pub laptop_id: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl Record for WorkerKey {
    const TYPE: &'static str = "worker_key";
    const TABLE: &'static str = "worker_keys";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        None
    }
}

/// Records `public` as `worker_id`'s key, kept on `laptop_id` (None: this laptop), signed by
/// the worker writing.
pub fn register(w: &mut Write<'_>, worker_id: &str, public: &str, laptop_id: Option<&str>) -> Result<(), StoreError> {
    if get::<WorkerKey>(w.reader(), public)?.is_some() {
        return Ok(());
    }
    let mut key = WorkerKey {
        id: public.to_string(),
        worker_id: worker_id.to_string(),
        laptop_id: laptop_id.unwrap_or(w.device_id()).to_string(),
        created_at: w.now(),
        created_by: w.actor().worker_id.clone(),
    };
    w.create(&mut key)
}

/// Whether the team knows `author`'s key as theirs.
pub fn known(conn: &Connection, author: &Author) -> rusqlite::Result<bool> {
    is_theirs(conn, &author.public_hex(), &author.worker_id)
}

/// Whether the team knows the key `public` (hex) as `worker_id`'s.
pub fn is_theirs(conn: &Connection, public: &str, worker_id: &str) -> rusqlite::Result<bool> {
    Ok(get::<WorkerKey>(conn, public)?.is_some_and(|k| k.worker_id == worker_id))
}

/// The team's founding administrator (the account that made itself) and the laptop it was made
/// on. None on a laptop that holds no such account.
pub fn founding(conn: &Connection) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT record_id, device_id FROM operations
         WHERE record_type = 'worker' AND kind = 'create' AND worker_id = record_id ORDER BY hlc LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Registers the signed-in founding administrator's key on the laptop that founded the team, if
/// they have none yet (a team from before workers had keys: the root, `sync::trust`). True when
/// it did.
pub fn register_founders(w: &mut Write<'_>, author: &Author) -> Result<bool, StoreError> {
    let has_one: bool =
        w.reader().query_row("SELECT EXISTS (SELECT 1 FROM worker_keys WHERE worker_id = ?1)", [&author.worker_id], |r| r.get(0))?;
    if has_one {
        return Ok(false);
    }
    if founding(w.reader())? != Some((author.worker_id.clone(), w.device_id().to_string())) {
        return Ok(false);
    }
    register(w, &author.worker_id, &author.public_hex(), None)?;
    Ok(true)
}

/// What a key's own request says, signed by the key: it is this worker's, kept on this laptop.
pub fn request_message(team_id: &str, worker_id: &str, laptop_id: &str, public: &[u8; 32]) -> Vec<u8> {
    let mut m = b"throughline worker key request v1".to_vec();
    for part in [team_id, worker_id, laptop_id] {
        m.extend_from_slice(&(part.len() as u64).to_be_bytes());
        m.extend_from_slice(part.as_bytes());
    }
    m.extend_from_slice(public);
    m
}

/// A key waiting for an administrator, as a bundle carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub public: [u8; 32],
    pub worker_id: String,
    pub laptop_id: String,
    pub signature: Vec<u8>,
    pub asked_at: DateTime<Utc>,
}

impl Request {
    /// Whether the key itself signed it (so whoever asks holds the key).
    pub fn signed_by_its_key(&self, team_id: &str) -> bool {
        signing::checks(&self.public, &request_message(team_id, &self.worker_id, &self.laptop_id, &self.public), &self.signature)
    }
}

/// Asks, if the team does not know the signed-in worker's key on this laptop yet, that an
/// administrator vouch for it: the request goes out with this laptop's bundles.
pub fn ask(w: &mut Write<'_>, author: &Author) -> Result<(), StoreError> {
    if known(w.reader(), author)? {
        return Ok(());
    }
    let team_id = w.team_id()?;
    let public = author.key.verifying_key().to_bytes();
    let laptop = w.device_id().to_string();
    let signature = author.sign(&request_message(&team_id, &author.worker_id, &laptop, &public));
    keep_request(w.reader(), &Request { public, worker_id: author.worker_id.clone(), laptop_id: laptop, signature, asked_at: w.now() })?;
    Ok(())
}

/// Keeps a request: the latest of each worker on each laptop (a key the team knows needs none).
pub fn keep_request(conn: &Connection, request: &Request) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO worker_key_requests (id, worker_id, laptop_id, signature, asked_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM worker_keys WHERE id = ?1)
         ON CONFLICT (id) DO NOTHING
         ON CONFLICT (worker_id, laptop_id) DO UPDATE SET id = excluded.id, signature = excluded.signature, asked_at = excluded.asked_at
           WHERE excluded.asked_at > asked_at",
    )?
    .execute(rusqlite::params![
        hex::encode(request.public),
        request.worker_id,
        request.laptop_id,
        hex::encode(&request.signature),
        request.asked_at
    ])?;
    Ok(())
}

/// Requests still waiting: not those whose key the team has come to know since, nor those
/// from a laptop since revoked.
pub fn waiting(conn: &Connection) -> rusqlite::Result<Vec<Request>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, worker_id, laptop_id, signature, asked_at FROM worker_key_requests r
         WHERE id NOT IN (SELECT id FROM worker_keys)
           AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = r.laptop_id AND d.revoked_at IS NOT NULL)
         ORDER BY asked_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        let (public, signature): (String, String) = (r.get(0)?, r.get(3)?);
        Ok((public, r.get::<_, String>(1)?, r.get::<_, String>(2)?, signature, r.get::<_, DateTime<Utc>>(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (public, worker_id, laptop_id, signature, asked_at) = row?;
        // A row this laptop could not have written is passed over, not carried on.
        let Some(public) = hex::decode(&public).ok().and_then(|p| <[u8; 32]>::try_from(p).ok()) else { continue };
        let Ok(signature) = hex::decode(&signature) else { continue };
        out.push(Request { public, worker_id, laptop_id, signature, asked_at });
    }
    Ok(out)
}

/// How a key is read out between two people to check it is the same one: its first 20 hex
/// digits (80 bits), in fives.
pub fn fingerprint(public: &str) -> String {
    let digits: Vec<char> = public.to_uppercase().chars().take(20).collect();
    digits.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}
