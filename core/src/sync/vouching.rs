//! Vouching for a worker's key: a worker whose key on a laptop the team does not know yet (their
//! laptop joined from a team lead's join file, or their password was reset with the recovery
//! key) does casework as ever, but a change only some roles may make needs their signature with
//! a key the team knows. Their laptop asks in its bundles; an administrator, having read the
//! key's fingerprint with the worker, vouches for it, and the `worker_key` record goes round.
use super::{laptop, SyncError};
use crate::accounts::worker_keys::{self, fingerprint};
use crate::accounts::{workers, Session};
use crate::codes::ErrorCode;
use crate::error::ValidationErrors;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// A key waiting for an administrator, as the Workers screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KeyWaiting {
    /// The public key (hex), to vouch for.
    pub key: String,
    pub fingerprint: String,
    pub worker_name: String,
    pub laptop_label: String,
    pub asked_at: DateTime<Utc>,
}

/// The signed-in worker's own key on this laptop, as Settings shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OwnKey {
    pub fingerprint: String,
    /// Whether the team knows it (an administrator vouched for it).
    pub known: bool,
}

/// Keys waiting, of workers still active.
pub fn waiting(conn: &Connection) -> Result<Vec<KeyWaiting>, SyncError> {
    Ok(requests(conn)?.into_iter().map(|(_, shown)| shown).collect())
}

/// Each waiting key of an active worker, with the request that asked for it.
fn requests(conn: &Connection) -> Result<Vec<(worker_keys::Request, KeyWaiting)>, SyncError> {
    let mut out = Vec::new();
    for r in worker_keys::waiting(conn)? {
        let Some(worker) = workers::by_id(conn, &r.worker_id)?.filter(|w| w.active) else { continue };
        let key = hex::encode(r.public);
        let shown = KeyWaiting {
            fingerprint: fingerprint(&key),
            key,
            worker_name: worker.display_name,
            laptop_label: laptop::get(conn, &r.laptop_id)?.map(|d| d.label).unwrap_or_default(),
            asked_at: r.asked_at,
        };
        out.push((r, shown));
    }
    Ok(out)
}

impl Session {
    /// The keys waiting for an administrator (the shell lets only administrators ask).
    pub fn keys_waiting(&self) -> Result<Vec<KeyWaiting>, SyncError> {
        waiting(self.store().reader())
    }

    /// An administrator vouches for a waiting key: it becomes its worker's, on every laptop the
    /// change reaches.
    pub fn vouch_for_key(&mut self, key: &str) -> Result<KeyWaiting, SyncError> {
        let Some((request, shown)) = requests(self.store().reader())?.into_iter().find(|(_, k)| k.key == key) else {
            return Err(ValidationErrors::one(
                "key",
                ErrorCode::SyncKeyNotWaiting,
                "That key is not waiting any more: it was vouched for already, or its worker has left.",
            )
            .into());
        };
        let actor = self.actor();
        self.store_mut().write(&actor, |w| -> Result<(), SyncError> {
            worker_keys::register(w, &request.worker_id, key, Some(&request.laptop_id))?;
            w.transaction().execute("DELETE FROM worker_key_requests WHERE id = ?1", [key])?;
            let detail = format!("{}'s on {}, {}", shown.worker_name, shown.laptop_label, shown.fingerprint);
            Ok(w.audit("vouched for a worker's key", None, &detail)?)
        })?;
        Ok(shown)
    }

    /// The signed-in worker's key here, and whether the team knows it.
    pub fn own_key(&self) -> Result<Option<OwnKey>, SyncError> {
        let Some(key) = self.store().author_key() else { return Ok(None) };
        let known = worker_keys::is_theirs(self.store().reader(), &key, &self.worker().id)?;
        Ok(Some(OwnKey { fingerprint: fingerprint(&key), known }))
    }
}
