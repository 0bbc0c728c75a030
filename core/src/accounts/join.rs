//! A laptop joining an existing team instead of setting up a new one: a new encrypted database
//! filled with the team's data (by sync, which knows join files: sync/join.rs), the named
//! worker's key slot and a recovery key to keep.
use super::keyslots::{self, RecoveryKey, SlotFile, RECOVERY_LABEL};
use super::{workers, AccountError, Installation, Session};
use crate::error::ValidationErrors;
use crate::store::signing::Author;
use crate::store::{Actor, DatabaseKey, Store, StoreError};
use std::path::Path;

/// Who and which team a joining laptop is for, as its join file says.
pub struct Joining<'a> {
    pub team_id: &'a str,
    pub team_name: &'a str,
    pub device_id: &'a str,
    pub device_label: &'a str,
    pub worker_id: &'a str,
    pub worker_name: &'a str,
    /// The worker's signing key for this laptop, registered by the administrator who made the
    /// join file; None when it was made by a team lead who is not one (a new key, which the
    /// team knows once an administrator sets the worker's password here).
    pub worker_seed: Option<keyslots::WorkerSeed>,
}

impl Installation {
    /// Lets `make` make this laptop's database for the team (at the path, under `key`, with the
    /// team's data in it), then gives the named worker a key slot with
    /// `password` and signs them in. On any failure nothing half-made stays behind: the laptop
    /// can try again with a good file.
    pub fn join_with<E: From<AccountError>>(
        &self,
        joining: &Joining<'_>,
        password: &str,
        key: DatabaseKey,
        make: impl FnOnce(&Path, &DatabaseKey, &Actor) -> Result<Store, E>,
    ) -> Result<(Session, RecoveryKey), E> {
        if self.is_set_up() {
            return Err(AccountError::AlreadySetUp.into());
        }
        workers::check_password("password", password, &[joining.worker_name]).map_err(|e| AccountError::from(ValidationErrors(vec![e])))?;
        std::fs::create_dir_all(self.dir()).map_err(|e| self.files_error(e))?;
        keyslots::owner_only(self.dir(), 0o700).map_err(|e| self.files_error(e))?;
        if self.database_path().exists() {
            let aside = self.dir().join(format!("throughline-unopenable-{}.db", self.clock.now().timestamp()));
            std::fs::rename(self.database_path(), aside).map_err(|e| self.files_error(e))?;
        }
        let recovery = RecoveryKey::generate();
        let seed = joining.worker_seed.clone().unwrap_or_else(keyslots::new_worker_seed);
        let author = Author::new(joining.worker_id, &seed);
        let actor = Actor { worker_id: joining.worker_id.to_string(), name: joining.worker_name.to_string() };
        let joined = make(&self.database_path(), &key, &actor).and_then(|mut store| {
            keyslots::owner_only(&self.database_path(), 0o600).map_err(|e| self.files_error(e))?;
            let worker = workers::by_id(store.reader(), joining.worker_id)
                .map_err(AccountError::from)?
                .filter(|w| w.active)
                .ok_or(AccountError::UnknownWorker)?;
            store
                .write(&actor, |w| -> Result<(), StoreError> {
                    // A key no administrator vouched for in the file is asked for.
                    super::worker_keys::ask(w, &author)?;
                    w.audit("joined the team", None, &format!("as laptop {} of {}", joining.device_label, joining.team_name))
                })
                .map_err(AccountError::from)?;
            Ok((store, worker))
        });
        let (store, worker) = match joined {
            Ok(joined) => joined,
            Err(e) => {
                crate::store::remove_database(&self.database_path());
                return Err(e);
            }
        };
        let mut slots = SlotFile::new();
        slots.put(&slots.label_for_login(&worker.login), password.as_bytes(), &key, Some(&seed));
        slots.put(RECOVERY_LABEL, recovery.secret(), &key, None);
        self.save_slots(&slots)?;
        let mut store = store;
        store.sign_as(Some(author));
        let session = Session::start(store, worker, key, self.dir().to_path_buf())?;
        Ok((session, recovery))
    }
}
