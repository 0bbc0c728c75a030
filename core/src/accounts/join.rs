//! A laptop joining an existing team from a join file (sync::join), instead of setting up a new
//! team: the worker the file names sets their password here, and gets a recovery key to keep.
use super::keyslots::{self, RecoveryKey, SlotFile, RECOVERY_LABEL};
use super::{workers, AccountError, Installation, Session};
use crate::error::ValidationErrors;
use crate::store::{Actor, DatabaseKey, Store, StoreError};
use crate::sync::join::{self, JoinPackage};

impl Installation {
    /// Opens a join file, to show who and which team it is for before the worker goes on.
    pub fn open_join_file(&self, bytes: &[u8], passphrase: &str) -> Result<JoinPackage, AccountError> {
        if self.is_set_up() {
            return Err(AccountError::AlreadySetUp);
        }
        Ok(join::open(bytes, passphrase)?)
    }

    /// Joins the team the file is for: a new encrypted database with the team's data, the named
    /// worker's key slot and a recovery key. The worker is signed in afterwards.
    pub fn join(&self, bytes: &[u8], passphrase: &str, password: &str) -> Result<(Session, RecoveryKey), AccountError> {
        let package = self.open_join_file(bytes, passphrase)?;
        workers::check_password("password", password, &[&package.worker_name]).map_err(|e| ValidationErrors(vec![e]))?;
        std::fs::create_dir_all(self.dir()).map_err(|e| self.files_error(e))?;
        keyslots::owner_only(self.dir(), 0o700).map_err(|e| self.files_error(e))?;
        if self.database_path().exists() {
            let aside = self.dir().join(format!("throughline-unopenable-{}.db", self.clock.now().timestamp()));
            std::fs::rename(self.database_path(), aside).map_err(|e| self.files_error(e))?;
        }
        let key = DatabaseKey::generate();
        let recovery = RecoveryKey::generate();
        let mut store = Store::create_in_team(
            &self.database_path(),
            &key,
            self.clock.clone(),
            &package.team_id,
            &package.team_name,
            &package.device_id,
        )?;
        keyslots::owner_only(&self.database_path(), 0o600).map_err(|e| self.files_error(e))?;
        let actor = Actor { worker_id: package.worker_id.clone(), name: package.worker_name.clone() };
        let joined = join::take_in(&mut store, &actor, &package).map_err(AccountError::from).and_then(|()| {
            let worker = workers::by_id(store.reader(), &package.worker_id)?.filter(|w| w.active).ok_or(AccountError::UnknownWorker)?;
            store.write(&actor, |w| -> Result<(), StoreError> {
                w.audit("joined the team", None, &format!("as laptop {} of {}", package.device_label, package.team_name))
            })?;
            Ok(worker)
        });
        let worker = match joined {
            Ok(worker) => worker,
            Err(e) => {
                // Nothing half-made stays behind: the laptop can try again with a good file.
                drop(store);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.database_path().display()));
                }
                let _ = std::fs::remove_file(self.database_path().with_extension("anchor"));
                return Err(e);
            }
        };
        let mut slots = SlotFile::new();
        slots.put(&slots.label_for_login(&worker.login), password.as_bytes(), &key);
        slots.put(RECOVERY_LABEL, recovery.secret(), &key);
        self.save_slots(&slots)?;
        let session = Session::start(store, worker, key, self.dir().to_path_buf())?;
        Ok((session, recovery))
    }
}
