//! A worker leaves: an administrator deactivates their account, and on every laptop the
//! deactivation reaches (here at once, elsewhere when a bundle brings it) their key slot is
//! removed and the database re-keyed, so their password opens nothing there afterwards: not
//! Throughline, and not the file through SQLCipher directly. Every other slot follows the new
//! key without its password (slot format 2, see `keyslots`).
use super::keyslots::{RecoveryKey, SlotFile, RECOVERY_LABEL};
use super::roles::Role;
use super::workers::{self, WorkerView};
use super::{files_error, slots_error, AccountError, Session, NEXT_SLOTS_FILE, SLOTS_FILE};
use crate::store::progress::{Progress, Unwatched};
use crate::store::{DatabaseKey, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

/// What deactivating a worker did, for the administrator.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Deactivated {
    /// The worker, now inactive.
    pub worker: WorkerView,
    pub on_this_laptop: LeaversForgotten,
}

/// What removing leavers' key slots did on this laptop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct LeaversForgotten {
    /// The workers whose key slots were removed (the database was re-keyed once for all of
    /// them). Empty: nothing changed.
    pub removed: Vec<String>,
    /// Workers whose key slots were made by an earlier version (they have not signed in here
    /// since) and could not follow the new key: an administrator sets each a new password here.
    pub need_new_password: Vec<String>,
    /// The recovery key was made by an earlier version and could not follow the new key: a new
    /// one, shown once to the administrator who deactivated the worker, to write down in place of
    /// the old.
    pub new_recovery_key: Option<String>,
    /// As above, where no administrator was signed in to be shown a new one: the old recovery
    /// key no longer opens this laptop (the next re-key by an administrator here makes one).
    pub recovery_key_lost: bool,
}

impl Session {
    /// An administrator deactivates a worker: they can no longer sign in on any laptop the
    /// change reaches, and here their key slot is removed and the database re-keyed at once
    /// ([`Session::forget_leavers`]). No one deactivates themselves, and the last active
    /// administrator stays. A worker already inactive is only forgotten again (nothing changes
    /// when that is done).
    pub fn deactivate_worker(&mut self, worker_id: &str) -> Result<Deactivated, AccountError> {
        self.deactivate_worker_watched(worker_id, &mut Unwatched)
    }

    /// As [`Session::deactivate_worker`], telling `progress` how the re-key goes.
    pub fn deactivate_worker_watched(&mut self, worker_id: &str, progress: &mut dyn Progress) -> Result<Deactivated, AccountError> {
        let before = workers::by_id(self.store.reader(), worker_id)?.ok_or(AccountError::UnknownWorker)?;
        if before.id == self.worker.id {
            return Err(AccountError::CannotDeactivateSelf);
        }
        let worker = if before.active {
            if before.has_any(&[Role::Administrator])
                && workers::active_administrators(self.store.reader())?.iter().all(|admin| admin.id == before.id)
            {
                return Err(AccountError::LastAdministrator(before.display_name.clone()));
            }
            let actor = self.actor();
            self.store.write(&actor, |w| workers::deactivate(w, &before))?
        } else {
            before
        };
        let on_this_laptop = self.forget_leavers_watched(progress)?;
        Ok(Deactivated { worker: worker.view(), on_this_laptop })
    }

    /// Removes the key slots of every inactive worker who still has one on this laptop, and
    /// re-keys the database once for all of them, so their passwords (and copies of the slot
    /// file taken before) open nothing here. Run after a deactivation here, after every import
    /// (a bundle may bring one) and at sign-in; it does nothing when no leaver has a slot.
    ///
    /// A new random database key is sealed to every remaining slot of format 2, without their
    /// passwords; slots still in format 1 (made by an earlier version, their worker not signed in
    /// here since) cannot follow it and are removed, and the result names whose they were. The
    /// next key's slots are written beside the current ones (keyslots.next) before the database
    /// changes, and take their place after: a crash anywhere leaves a pair that opens (settled at
    /// the next sign-in). Audited: each slot removed, and the re-key.
    pub fn forget_leavers(&mut self) -> Result<LeaversForgotten, AccountError> {
        self.forget_leavers_watched(&mut Unwatched)
    }

    /// As [`Session::forget_leavers`], telling `progress` how the re-key goes (a minute on a
    /// large team).
    pub fn forget_leavers_watched(&mut self, progress: &mut dyn Progress) -> Result<LeaversForgotten, AccountError> {
        let slots_path = self.dir.join(SLOTS_FILE);
        let mut slots = SlotFile::load(&slots_path).map_err(|e| slots_error(&self.dir, &slots_path, e))?;
        let team = workers::all(self.store.reader())?;
        let leavers: Vec<_> = team.iter().filter(|w| !w.active && slots.has(&slots.label_for_login(&w.login))).collect();
        if leavers.is_empty() {
            return Ok(LeaversForgotten::default());
        }
        let names: HashMap<String, &str> = team.iter().map(|w| (slots.label_for_login(&w.login), w.display_name.as_str())).collect();
        for leaver in &leavers {
            slots.remove(&slots.label_for_login(&leaver.login));
        }
        let key = DatabaseKey::generate();
        let dropped = slots.rekey(&key);
        let mut forgotten = LeaversForgotten {
            removed: leavers.iter().map(|w| w.display_name.clone()).collect(),
            need_new_password: dropped.iter().filter_map(|label| names.get(label)).map(|name| name.to_string()).collect(),
            ..LeaversForgotten::default()
        };
        if !slots.has(RECOVERY_LABEL) {
            // The recovery key is what an administrator uses when every password is lost: a new
            // one goes only to an administrator, who is shown it once.
            if self.worker.has_any(&[Role::Administrator]) {
                let recovery = RecoveryKey::generate();
                slots.put(RECOVERY_LABEL, recovery.secret(), &key, None);
                forgotten.new_recovery_key = Some(recovery.display());
            } else {
                forgotten.recovery_key_lost = true;
            }
        }

        let next_path = self.dir.join(NEXT_SLOTS_FILE);
        slots.save(&next_path).map_err(|e| files_error(&self.dir, e))?;
        // Every connection but the session's holds the old key: none is kept from here on.
        self.readers.clear();
        self.key_generation += 1;
        if let Err(e) = self.store.rekey(&key, progress) {
            let _ = std::fs::remove_file(&next_path);
            return Err(e.into());
        }
        self.key = key;
        std::fs::rename(&next_path, &slots_path).map_err(|e| files_error(&self.dir, e))?;

        let actor = self.actor();
        self.store.write(&actor, |w| -> Result<(), StoreError> {
            for leaver in &leavers {
                w.audit(
                    "key slot removed",
                    None,
                    &format!(
                        "{} ({}): their account is deactivated, so their password opens nothing on this laptop",
                        leaver.display_name, leaver.login
                    ),
                )?;
            }
            w.audit("database re-keyed", None, &rekey_detail(&forgotten))
        })?;
        Ok(forgotten)
    }
}

/// The re-key's audit entry in words.
fn rekey_detail(forgotten: &LeaversForgotten) -> String {
    let mut detail =
        format!("a new database key, sealed to every other key slot, after removing the key slot of {}", forgotten.removed.join(", "));
    if !forgotten.need_new_password.is_empty() {
        detail.push_str(&format!(
            "; key slots made by an earlier version could not follow it and were removed: {} (an administrator sets each a new password on this laptop)",
            forgotten.need_new_password.join(", ")
        ));
    }
    if forgotten.new_recovery_key.is_some() {
        detail.push_str(
            "; the recovery key was made by an earlier version and could not follow it: a new one was made and shown to the administrator",
        );
    }
    if forgotten.recovery_key_lost {
        detail.push_str("; the recovery key was made by an earlier version and no longer opens this laptop (no administrator was signed in to be shown a new one)");
    }
    detail
}
