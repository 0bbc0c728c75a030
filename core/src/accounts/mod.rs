//! Workers, roles, key slots, signing in and out, and the idle lock (security.md).
pub mod backups;
mod join;
pub use join::Joining;
pub mod keyslots;
mod leavers;
pub mod permissions;
pub mod roles;
pub mod settings;
pub mod worker_keys;
pub mod workers;

use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::error::{Coded, FieldError, ValidationErrors};
use crate::store::progress::{Progress, Unwatched};
use crate::store::signing::Author;
use crate::store::{Actor, DatabaseKey, ReadStore, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use keyslots::{PendingFailure, RecoveryKey, SlotFile, RECOVERY_LABEL};
pub use leavers::{Deactivated, LeaversForgotten};
use roles::Role;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use ts_rs::TS;
use workers::{NewWorker, Worker, WorkerView};

const DATABASE_FILE: &str = "throughline.db";
const SLOTS_FILE: &str = "keyslots.json";
/// The key slots for the database's next key, written before a re-key and renamed over
/// keyslots.json after it (see `Session::forget_leavers`); found beside it only when a re-key
/// was cut short, and settled at the next sign-in.
const NEXT_SLOTS_FILE: &str = "keyslots.next";
const LOCK_FILE: &str = "throughline.lock";

/// Failures allowed before the back-off starts, and its ceiling.
const FREE_ATTEMPTS: u32 = 3;
const MAX_WAIT_SECONDS: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("Throughline has not been set up on this laptop yet.")]
    NotSetUp,
    #[error("Throughline is already set up on this laptop.")]
    AlreadySetUp,
    #[error("The sign-in name or password is not right. Check both and try again.")]
    SignInFailed,
    #[error("Too many attempts. Wait {}, then try again.", seconds(*.0))]
    SlowedDown(i64),
    #[error("That recovery key is not right. Check it against the printed copy.")]
    RecoveryKeyWrong,
    #[error("There is no active worker with that sign-in name.")]
    UnknownWorker,
    #[error("This account is no longer active, so it cannot sign in here. If you think that is wrong, ask your administrator.")]
    Deactivated,
    #[error("You cannot deactivate your own account. Another administrator can do it for you.")]
    CannotDeactivateSelf,
    #[error(
        "{0} is the team's last active administrator, so their account cannot be deactivated: no one could then add \
         workers or set passwords. Add another administrator first."
    )]
    LastAdministrator(String),
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Throughline could not read or write its files in {0}: {1}")]
    Files(String, std::io::Error),
    #[error(
        "Throughline cannot write to its data folder {0}: it is read-only, or the drive holding it was removed. \
         Check the drive is connected and writable, then start Throughline again."
    )]
    FolderNotWritable(String),
    #[error(
        "The key slots file ({0}) is damaged, so no one can sign in. Nothing in the database is lost: put back \
         keyslots.json from the latest backup (or restore that backup on a new laptop), or ask your administrator."
    )]
    SlotsDamaged(String),
    #[error(
        "Throughline is already open on this laptop with the same data folder ({0}). Use the window that is open \
         (it may be minimised or on another desktop); two copies must never write to one database."
    )]
    InUse(String),
    #[error("There is no Throughline backup in {0} (it has no backup.json). Choose the folder named throughline-backup-… itself.")]
    BackupNotFound(String),
    #[error("This backup cannot be trusted: {0}. Nothing was restored or changed. Use another backup.")]
    BackupDamaged(String),
    #[error("The backup could not be written to {0} ({1}). Nothing was left there. Check the drive is connected, writable and has space, then try again.")]
    BackupWrite(String, std::io::Error),
}

impl From<rusqlite::Error> for AccountError {
    fn from(e: rusqlite::Error) -> Self {
        AccountError::Store(e.into())
    }
}

impl Coded for AccountError {
    fn code(&self) -> ErrorCode {
        match self {
            AccountError::NotSetUp => ErrorCode::AuthNotSetUp,
            AccountError::AlreadySetUp => ErrorCode::AuthAlreadySetUp,
            AccountError::SignInFailed => ErrorCode::AuthSignInFailed,
            AccountError::SlowedDown(_) => ErrorCode::AuthSlowedDown,
            AccountError::RecoveryKeyWrong => ErrorCode::AuthRecoveryKeyWrong,
            AccountError::UnknownWorker => ErrorCode::AuthUnknownWorker,
            AccountError::Deactivated => ErrorCode::AuthDeactivated,
            AccountError::CannotDeactivateSelf => ErrorCode::WorkersCannotDeactivateSelf,
            AccountError::LastAdministrator(_) => ErrorCode::WorkersLastAdministrator,
            AccountError::Invalid(v) => v.code(),
            AccountError::Store(s) => s.code(),
            AccountError::Files(..) => ErrorCode::StoreFiles,
            AccountError::FolderNotWritable(_) => ErrorCode::StoreReadOnly,
            AccountError::SlotsDamaged(_) => ErrorCode::StoreSlotsDamaged,
            AccountError::InUse(_) => ErrorCode::StoreInUse,
            AccountError::BackupNotFound(_) => ErrorCode::BackupNotFound,
            AccountError::BackupDamaged(_) => ErrorCode::BackupDamaged,
            AccountError::BackupWrite(..) => ErrorCode::BackupWriteFailed,
        }
    }
    fn fields(&self) -> Vec<FieldError> {
        match self {
            AccountError::Invalid(v) => v.fields(),
            _ => Vec::new(),
        }
    }
}

/// What the administrator types on the set-up screen.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetUpInput {
    pub team_name: String,
    pub display_name: String,
    pub login: String,
    pub password: String,
}

/// The signed-in worker, as the UI needs to know them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionInfo {
    pub worker: WorkerView,
    pub team_name: String,
    pub idle_lock_minutes: u32,
}

/// What the app shows at start-up and after every sign-in change.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppStatus {
    /// This build's version, for the About screen.
    pub version: String,
    /// False on first launch: the set-up screen comes first.
    pub set_up: bool,
    pub session: Option<SessionInfo>,
    /// Who was signed in when the app locked: their name is filled in on the sign-in form.
    pub locked_login: Option<String>,
}

/// The result of setting up: the administrator is signed in, and the recovery key is shown once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SetUpDone {
    pub session: SessionInfo,
    pub recovery_key: String,
}

/// Throughline's folder on this laptop: the encrypted database and its key slots.
pub struct Installation {
    dir: PathBuf,
    clock: Arc<dyn Clock>,
}

impl Installation {
    pub fn new(dir: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Self {
        Installation { dir: dir.into(), clock }
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn database_path(&self) -> PathBuf {
        self.dir.join(DATABASE_FILE)
    }

    fn slots_path(&self) -> PathBuf {
        self.dir.join(SLOTS_FILE)
    }

    fn files_error(&self, e: std::io::Error) -> AccountError {
        files_error(&self.dir, e)
    }

    fn load_slots(&self) -> Result<SlotFile, AccountError> {
        self.load_slots_from(&self.slots_path())
    }

    /// A slot file that cannot be read as key slots, or holds values out of bounds (a salt too
    /// short, an absurd cost: see `SlotFile::load`), is damaged, in words that say what to do.
    fn load_slots_from(&self, path: &Path) -> Result<SlotFile, AccountError> {
        SlotFile::load(path).map_err(|e| slots_error(&self.dir, path, e))
    }

    /// Claims the data folder for this copy of Throughline until the lock is dropped (the app
    /// exits): a second copy on the same folder is refused, never allowed to write beside it.
    /// The operating system lets the lock go when the process ends, even if it crashed.
    pub fn claim(&self) -> Result<InstanceLock, AccountError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| self.files_error(e))?;
        let path = self.dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| self.files_error(e))?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(AccountError::InUse(self.dir.display().to_string())),
            Err(std::fs::TryLockError::Error(e)) => Err(self.files_error(e)),
        }
    }

    /// Opens the database with a key from a slot that unwrapped it: the key is right, so a
    /// database that does not open with it is damaged (or another installation's).
    fn open_store(&self, key: &DatabaseKey) -> Result<Store, AccountError> {
        Store::open(&self.database_path(), key, self.clock.clone()).map_err(|e| match e {
            StoreError::WrongKey => StoreError::Corrupt.into(),
            e => e.into(),
        })
    }

    fn save_slots(&self, slots: &SlotFile) -> Result<(), AccountError> {
        slots.save(&self.slots_path()).map_err(|e| self.files_error(e))
    }

    pub fn is_set_up(&self) -> bool {
        self.slots_path().exists() && self.database_path().exists()
    }

    /// First launch: a new team, its administrator (also its team lead) and a recovery key
    /// to write down. The administrator is signed in afterwards.
    pub fn set_up(&self, input: &SetUpInput) -> Result<(Session, RecoveryKey), AccountError> {
        if self.is_set_up() {
            return Err(AccountError::AlreadySetUp);
        }
        let team_name = crate::text::required("team_name", "Team name", &input.team_name, 100);
        let admin = workers::validate(
            &NewWorker {
                display_name: input.display_name.clone(),
                login: input.login.clone(),
                roles: vec![Role::Administrator, Role::TeamLead],
                password: input.password.clone(),
            },
            self.clock.now(),
            crate::ids::new_id(self.clock.as_ref()),
        );
        let (team_name, mut admin) = match (team_name, admin) {
            (Ok(t), Ok(a)) => (t, a),
            (t, a) => {
                let mut errors: Vec<FieldError> = t.err().into_iter().collect();
                errors.extend(a.err().map(|v| v.0).unwrap_or_default());
                return Err(ValidationErrors(errors).into());
            }
        };

        std::fs::create_dir_all(&self.dir).map_err(|e| self.files_error(e))?;
        keyslots::owner_only(&self.dir, 0o700).map_err(|e| self.files_error(e))?;
        // A database without key slots cannot be opened by anyone; keep it aside, never delete.
        if self.database_path().exists() {
            let aside = self.dir.join(format!("throughline-unopenable-{}.db", self.clock.now().timestamp()));
            std::fs::rename(self.database_path(), aside).map_err(|e| self.files_error(e))?;
        }
        let key = DatabaseKey::generate();
        let recovery = RecoveryKey::generate();
        let mut store = Store::create(&self.database_path(), &key, self.clock.clone(), &team_name)?;
        keyslots::owner_only(&self.database_path(), 0o600).map_err(|e| self.files_error(e))?;
        let actor = Actor { worker_id: admin.id.clone(), name: admin.display_name.clone() };
        let seed = keyslots::new_worker_seed();
        store.sign_as(Some(Author::new(&admin.id, &seed)));
        store.write(&actor, |w| -> Result<(), StoreError> {
            w.create(&mut admin)?;
            let public = Author::new(&admin.id, &seed).public_hex();
            worker_keys::register(w, &admin.id, &public, None)?;
            w.audit("set up", None, &format!("team {team_name}"))
        })?;

        let mut slots = SlotFile::new();
        slots.put(&slots.label_for_login(&admin.login), input.password.as_bytes(), &key, Some(&seed));
        slots.put(RECOVERY_LABEL, recovery.secret(), &key, None);
        self.save_slots(&slots)?;
        let session = Session::start(store, admin, key, self.dir.clone())?;
        Ok((session, recovery))
    }

    /// Signs a worker in. The error never says whether the name or the password was wrong.
    pub fn sign_in(&self, login: &str, password: &str) -> Result<Session, AccountError> {
        self.sign_in_watched(login, password, &mut Unwatched)
    }

    /// As [`Installation::sign_in`], telling `progress` how an update of the database for a new
    /// version goes (the first sign-in after one), which on a large team takes many seconds.
    pub fn sign_in_watched(&self, login: &str, password: &str, progress: &mut dyn Progress) -> Result<Session, AccountError> {
        if !self.is_set_up() {
            return Err(AccountError::NotSetUp);
        }
        let now = self.clock.now();
        let mut slots = self.load_slots()?;
        let label = slots.label_for_login(login);

        let Some(slot) = slots.slot_mut(&label) else {
            return Err(self.unknown_name_failed(slots, &label, password, now));
        };
        if let Some(wait) = back_off(slot.failures, slot.last_failure, now) {
            return Err(AccountError::SlowedDown(wait));
        }
        let Some(keyslots::Unlocked { key, seed }) = keyslots::unlock(slot, password.as_bytes()) else {
            slot.failures += 1;
            slot.last_failure = Some(now);
            slots.pending_failures.push(PendingFailure { at: now, label: label.clone() });
            self.save_slots(&slots)?;
            return Err(AccountError::SignInFailed);
        };
        let (mut store, key) = self.open_settling(&mut slots, key, &label, password.as_bytes(), AccountError::SignInFailed, progress)?;
        let worker = match workers::by_login(store.reader(), login)? {
            Some(w) if w.active => w,
            // Their password still opened a slot here: one a re-key has not removed yet.
            Some(_) => return Err(AccountError::Deactivated),
            None => return Err(AccountError::SignInFailed),
        };
        let slot = slots.slot_mut(&label).ok_or(AccountError::SignInFailed)?;
        slot.failures = 0;
        slot.last_failure = None;
        let strengthen = slot.needs_rewrap();
        let old_format = slot.format != keyslots::SLOT_FORMAT;
        // A slot made before workers had keys gets one now.
        let seed = seed.unwrap_or_else(keyslots::new_worker_seed);
        if strengthen {
            // Made with a lower cost, in the old format or with no key: made again while the
            // password is here.
            slots.put(&label, password.as_bytes(), &key, Some(&seed));
        }
        store.sign_as(Some(Author::new(&worker.id, &seed)));
        let pending = std::mem::take(&mut slots.pending_failures);
        let names = label_names(&slots, store.reader())?;
        let actor = Actor { worker_id: worker.id.clone(), name: worker.display_name.clone() };
        store.write(&actor, |w| -> Result<(), StoreError> {
            for failure in &pending {
                let who = names.get(&failure.label).map(String::as_str).unwrap_or("an unknown name");
                w.audit("sign-in failed", None, &format!("for {who} at {}", failure.at.to_rfc3339()))?;
            }
            if strengthen {
                let how = if old_format {
                    "made again in key slot format 2 (a key pair of its own, so it follows a new database key when a worker leaves), with the current key derivation cost"
                } else {
                    "wrapped again with the current key derivation cost"
                };
                w.audit("key slot strengthened", None, how)?;
            }
            let author = Author::new(&w.actor().worker_id, &seed);
            if worker_keys::register_founders(w, &author)? {
                w.audit("signing key registered", None, "the founding administrator's, on the laptop that founded the team")?;
            }
            worker_keys::ask(w, &author)?;
            w.audit("signed in", None, "")
        })?;
        self.save_slots(&slots)?;
        let mut session = Session::start(store, worker, key, self.dir.clone())?;
        // A deactivation that reached this laptop with no re-key after it (one cut short, or a
        // restored backup that still holds the leaver's slot) is finished now. Signing in does
        // not wait on it: the next deactivation or import tries again, and says why if it fails.
        let _ = session.forget_leavers();
        Ok(session)
    }

    /// Opens the database with the key a slot gave. A re-key cut short leaves the next key's
    /// slots beside the current ones (keyslots.next, see `Session::forget_leavers`): when the
    /// database was already re-keyed, the same slot in that file opens it and the file takes
    /// the current one's place; when it was not, the file is stale and removed.
    fn open_settling(
        &self,
        slots: &mut SlotFile,
        key: DatabaseKey,
        label: &str,
        secret: &[u8],
        refused: AccountError,
        progress: &mut dyn Progress,
    ) -> Result<(Store, DatabaseKey), AccountError> {
        let next_path = self.dir.join(NEXT_SLOTS_FILE);
        match Store::open_watched(&self.database_path(), &key, self.clock.clone(), progress) {
            Err(StoreError::WrongKey) if next_path.exists() => {
                let next = self.load_slots_from(&next_path)?;
                let Some(key) = next.slots.iter().find(|s| s.label == label).and_then(|s| keyslots::unwrap(s, secret)) else {
                    return Err(refused);
                };
                let store = self.open_store(&key)?;
                std::fs::rename(&next_path, self.slots_path()).map_err(|e| self.files_error(e))?;
                *slots = next;
                Ok((store, key))
            }
            Err(StoreError::WrongKey) => Err(StoreError::Corrupt.into()),
            Err(e) => Err(e.into()),
            Ok(store) => {
                if next_path.exists() {
                    let _ = std::fs::remove_file(&next_path);
                }
                Ok((store, key))
            }
        }
    }

    /// A name with no slot: the same wait and the same effort as a real name's failure, and
    /// the failure kept in the slot file as a real one's is (so a restart does not tell them
    /// apart either).
    fn unknown_name_failed(&self, mut slots: SlotFile, label: &str, password: &str, now: DateTime<Utc>) -> AccountError {
        let known = slots.unknown_name(label).map(|u| (u.failures, u.last_failure));
        if let Some(wait) = known.and_then(|(failures, last)| back_off(failures, Some(last), now)) {
            return AccountError::SlowedDown(wait);
        }
        keyslots::waste_equal_time(password.as_bytes(), slots.usual_cost());
        slots.unknown_name_failed(label, now);
        slots.pending_failures.push(PendingFailure { at: now, label: label.to_string() });
        let _ = self.save_slots(&slots);
        AccountError::SignInFailed
    }

    /// An administrator's way back in when a worker's password is lost.
    pub fn reset_password_with_recovery_key(&self, recovery_key: &str, login: &str, new_password: &str) -> Result<(), AccountError> {
        if !self.is_set_up() {
            return Err(AccountError::NotSetUp);
        }
        workers::check_password("new_password", new_password, &[login]).map_err(|e| ValidationErrors(vec![e]))?;
        let mut slots = self.load_slots()?;
        let now = self.clock.now();
        let recovery_slot = slots.slot_mut(RECOVERY_LABEL).ok_or(AccountError::RecoveryKeyWrong)?;
        if let Some(wait) = back_off(recovery_slot.failures, recovery_slot.last_failure, now) {
            return Err(AccountError::SlowedDown(wait));
        }
        let typed = RecoveryKey::parse(recovery_key);
        let key = typed.as_ref().and_then(|k| keyslots::unwrap(recovery_slot, k.secret()));
        let (Some(key), Some(typed)) = (key, typed) else {
            recovery_slot.failures += 1;
            recovery_slot.last_failure = Some(now);
            slots.pending_failures.push(PendingFailure { at: now, label: RECOVERY_LABEL.into() });
            self.save_slots(&slots)?;
            return Err(AccountError::RecoveryKeyWrong);
        };
        let (mut store, key) =
            self.open_settling(&mut slots, key, RECOVERY_LABEL, typed.secret(), AccountError::RecoveryKeyWrong, &mut Unwatched)?;
        if let Some(recovery_slot) = slots.slot_mut(RECOVERY_LABEL) {
            recovery_slot.failures = 0;
            recovery_slot.last_failure = None;
            if recovery_slot.needs_rewrap() {
                slots.put(RECOVERY_LABEL, typed.secret(), &key, None);
            }
        }
        let worker = match workers::by_login(store.reader(), login)? {
            Some(w) if w.active => w,
            _ => return Err(AccountError::UnknownWorker),
        };
        let label = slots.label_for_login(&worker.login);
        // Their signing key went with the lost password: a new one, which the team knows only
        // once an administrator sets their password (or, for the founding administrator on the
        // laptop that founded the team, at once).
        let seed = keyslots::new_worker_seed();
        slots.put(&label, new_password.as_bytes(), &key, Some(&seed));
        let actor = Actor { worker_id: worker.id.clone(), name: worker.display_name.clone() };
        store.sign_as(Some(Author::new(&worker.id, &seed)));
        store.write(&actor, |w| -> Result<(), StoreError> {
            let author = Author::new(&worker.id, &seed);
            worker_keys::register_founders(w, &author)?;
            worker_keys::ask(w, &author)?;
            w.audit("password reset with the recovery key", None, &worker.login)
        })?;
        self.save_slots(&slots)
    }
}

/// Held while this copy of Throughline uses its data folder.
pub struct InstanceLock {
    _file: std::fs::File,
}

/// A folder that cannot be written gets words a worker can act on.
fn files_error(dir: &Path, e: std::io::Error) -> AccountError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::NotFound => {
            AccountError::FolderNotWritable(dir.display().to_string())
        }
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => AccountError::Store(StoreError::DiskFull),
        _ => AccountError::Files(dir.display().to_string(), e),
    }
}

/// A key slots file that cannot be used: damaged (in words pointing to the latest backup), or
/// a folder that cannot be read or written.
fn slots_error(dir: &Path, path: &Path, e: std::io::Error) -> AccountError {
    match e.kind() {
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::NotFound | std::io::ErrorKind::UnexpectedEof => {
            AccountError::SlotsDamaged(path.display().to_string())
        }
        _ => files_error(dir, e),
    }
}

/// Seconds to wait before another try, if any: doubling from the fourth failure, capped.
fn back_off(failures: u32, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<i64> {
    let last = last?;
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let wait = (1i64 << (failures - FREE_ATTEMPTS).min(16)).min(MAX_WAIT_SECONDS);
    let remaining = wait - (now - last).num_seconds();
    (remaining > 0).then_some(remaining)
}

/// "1 second", "5 seconds".
fn seconds(n: i64) -> String {
    if n == 1 {
        "1 second".into()
    } else {
        format!("{n} seconds")
    }
}

/// Which login each slot label belongs to, for writing failed sign-ins to the audit trail.
fn label_names(slots: &SlotFile, conn: &rusqlite::Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut names: HashMap<String, String> = workers::all(conn)?.into_iter().map(|w| (slots.label_for_login(&w.login), w.login)).collect();
    names.insert(RECOVERY_LABEL.into(), "the recovery key".into());
    Ok(names)
}

/// A signed-in worker with the database open. Dropping it (sign-out, lock) closes the
/// database and zeroises the key.
pub struct Session {
    store: Store,
    worker: Worker,
    key: DatabaseKey,
    dir: PathBuf,
    settings: settings::TeamSettings,
    last_activity: DateTime<Utc>,
    /// Tells this session's readings from those of a session since locked or ended.
    id: u64,
    /// Counts the database's re-keys in this session: a reading's connection opened before
    /// the last one holds the old key and is not kept.
    key_generation: u64,
    /// Read connections kept for the next readings.
    readers: Vec<ReadStore>,
    /// The reads of a person's data already in the audit trail since their record was last
    /// opened in this session: reading the same part again (after a save) adds nothing.
    reads_audited: HashSet<(String, &'static str)>,
    /// The reads of a person's data that the command running on this session's own connection
    /// has made (see [`Reads`]), for the audit trail when it ends.
    reads_now: Vec<(String, &'static str)>,
}

/// Reading a person's data, on either connection: a [`Reading`]'s own (a long read, the
/// session free meanwhile) or the [`Session`]'s (the parts of one record: a few milliseconds
/// each, on the connection whose page cache the audit entries written as records open keep
/// warm, where each of them empties a reading's).
pub trait Reads {
    fn conn(&self) -> &rusqlite::Connection;
    fn now(&self) -> DateTime<Utc>;
    fn settings(&self) -> settings::TeamSettings;
    /// Notes that this read reads a person's data: `what` as the audit trail says it ("viewed
    /// the timeline"). Written to the trail when the read ends, once per part of a person's
    /// record between openings of it.
    fn reads_about(&mut self, client_id: &str, what: &'static str);

    /// As [`Reads::reads_about`], for each person a list shows (a caseload, a page of flags).
    fn reads_about_each<'a>(&mut self, client_ids: impl IntoIterator<Item = &'a str>, what: &'static str)
    where
        Self: Sized,
    {
        for id in client_ids {
            self.reads_about(id, what);
        }
    }
}

/// Read connections kept open between readings: enough for the whole team's shared reads
/// (`store::shared`); more are opened when reads overlap, and Today's other two for it. Each kept
/// connection holds its schema and statements, and the app's memory is near its budget.
const KEPT_READERS: usize = crate::store::shared::FOR_THE_TEAM;

static SESSIONS: AtomicU64 = AtomicU64::new(1);

/// What a read needs, on a connection of its own, so the session is free while it runs: the
/// worker and team settings as they were when it began.
pub struct Reading {
    store: ReadStore,
    worker: Worker,
    settings: settings::TeamSettings,
    session: u64,
    key_generation: u64,
    /// Which parts of whose data this reading read, for the audit trail.
    read: Vec<(String, &'static str)>,
}

/// The connections of readings taken together, to share one read among them
/// ([`crate::store::shared::share_out`]).
pub fn connections(readings: &mut [Reading]) -> Vec<&mut rusqlite::Connection> {
    readings.iter_mut().map(|r| r.store.reader_mut()).collect()
}

impl Reading {
    /// Which sign-in this reading belongs to: what is kept between readings is kept per sign-in.
    pub fn session_id(&self) -> u64 {
        self.session
    }
}

impl Reads for Reading {
    fn conn(&self) -> &rusqlite::Connection {
        self.store.reader()
    }

    fn now(&self) -> DateTime<Utc> {
        self.store.clock().now()
    }

    fn settings(&self) -> settings::TeamSettings {
        self.settings.clone()
    }

    fn reads_about(&mut self, client_id: &str, what: &'static str) {
        self.read.push((client_id.to_string(), what));
    }
}

impl Reads for Session {
    fn conn(&self) -> &rusqlite::Connection {
        self.store.reader()
    }

    fn now(&self) -> DateTime<Utc> {
        self.store.clock().now()
    }

    fn settings(&self) -> settings::TeamSettings {
        self.settings.clone()
    }

    fn reads_about(&mut self, client_id: &str, what: &'static str) {
        self.reads_now.push((client_id.to_string(), what));
    }
}

impl Reading {
    pub fn store(&self) -> &ReadStore {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut ReadStore {
        &mut self.store
    }

    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        self.worker.has_any(roles)
    }

    pub fn team_settings(&self) -> settings::TeamSettings {
        self.settings.clone()
    }
}

impl Session {
    fn start(store: Store, worker: Worker, key: DatabaseKey, dir: PathBuf) -> Result<Session, AccountError> {
        let settings = settings::load(store.reader())?;
        let last_activity = store.clock().now();
        let id = SESSIONS.fetch_add(1, Ordering::Relaxed);
        Ok(Session {
            store,
            worker,
            key,
            dir,
            settings,
            last_activity,
            id,
            key_generation: 0,
            readers: Vec::new(),
            reads_audited: HashSet::new(),
            reads_now: Vec::new(),
        })
    }

    /// A connection for one read, kept from an earlier reading or opened now.
    pub fn start_reading(&mut self) -> Result<Reading, AccountError> {
        let store = match self.readers.pop() {
            Some(kept) => kept,
            None => self.store.open_reader(&self.dir.join(DATABASE_FILE), &self.key)?,
        };
        Ok(Reading {
            store,
            worker: self.worker.clone(),
            settings: self.settings.clone(),
            session: self.id,
            key_generation: self.key_generation,
            read: Vec::new(),
        })
    }

    /// Takes a reading's connection back. False when the reading began in another session
    /// (this one was signed in since): what it read must not be shown.
    pub fn finish_reading(&mut self, reading: Reading) -> bool {
        if reading.session != self.id {
            return false;
        }
        if self.readers.len() < KEPT_READERS && reading.key_generation == self.key_generation {
            self.readers.push(reading.store);
        }
        true
    }

    /// Ends a reading whose result is shown: as [`Session::finish_reading`], and the person's
    /// data it read goes in the audit trail (one entry per part of one person's record, not
    /// again until the record is opened again) before anything is shown.
    pub fn finish_reading_shown(&mut self, mut reading: Reading) -> Result<bool, AccountError> {
        let read = std::mem::take(&mut reading.read);
        if !self.finish_reading(reading) {
            return Ok(false);
        }
        self.audit_reads(read)?;
        Ok(true)
    }

    /// Ends a read made on this session's own connection (see [`Reads`]): what it read goes in
    /// the audit trail, when it is to be shown, as a reading's does.
    pub fn finish_reads(&mut self, shown: bool) -> Result<(), AccountError> {
        let read = std::mem::take(&mut self.reads_now);
        if shown {
            self.audit_reads(read)?;
        }
        Ok(())
    }

    fn audit_reads(&mut self, read: Vec<(String, &'static str)>) -> Result<(), AccountError> {
        let new: Vec<(String, &'static str)> = read.into_iter().filter(|r| !self.reads_audited.contains(r)).collect();
        if new.is_empty() {
            return Ok(());
        }
        // A part of one record is an entry naming the person; a list (a caseload's page) is
        // one entry with the people under it.
        let mut by_what: Vec<(&'static str, Vec<&str>)> = Vec::new();
        for (client, what) in &new {
            match by_what.iter_mut().find(|(w, _)| w == what) {
                Some((_, clients)) => clients.push(client),
                None => by_what.push((what, vec![client])),
            }
        }
        let actor = self.actor();
        self.store.write_reads(&actor, |w| -> Result<(), StoreError> {
            for (what, clients) in &by_what {
                match clients.as_slice() {
                    [client] => w.audit(what, Some(client), "")?,
                    many => w.audit_list(what, many)?,
                }
            }
            Ok(())
        })?;
        self.reads_audited.extend(new);
        Ok(())
    }

    /// The worker opened this person's record: a new view, so each part read from now on is
    /// audited again.
    pub fn opened_record(&mut self, client_id: &str) {
        self.reads_audited.retain(|(client, _)| client != client_id);
    }

    /// The database key, for Throughline's own tests that read the file's pages themselves
    /// (anonymising leaves no trace in them). Not in the app or the demo.
    #[cfg(feature = "fast-kdf-for-tests")]
    pub fn database_key_for_tests(&self) -> [u8; 32] {
        *self.key.0
    }

    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// For the store's own tests, which reopen the database as a crashed laptop would.
    #[cfg(test)]
    pub(crate) fn database_key(&self) -> &DatabaseKey {
        &self.key
    }

    pub fn actor(&self) -> Actor {
        Actor { worker_id: self.worker.id.clone(), name: self.worker.display_name.clone() }
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        self.worker.has_any(roles)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn info(&self) -> Result<SessionInfo, AccountError> {
        Ok(SessionInfo {
            worker: self.worker.view(),
            team_name: self.store.team_name()?,
            idle_lock_minutes: self.settings.idle_lock_minutes,
        })
    }

    /// The worker did something: the idle timer starts again.
    pub fn touch(&mut self) {
        self.last_activity = self.store.clock().now();
    }

    /// True once the team's idle time has passed since the worker last did anything.
    pub fn is_idle(&self) -> bool {
        let limit = Duration::minutes(i64::from(self.settings.idle_lock_minutes));
        self.store.clock().now() - self.last_activity >= limit
    }

    /// Records the lock in the audit trail; the caller then drops the session.
    pub fn record_end(&mut self, why: &str) -> Result<(), AccountError> {
        let actor = self.actor();
        self.store.write(&actor, |w| w.audit(why, None, ""))?;
        Ok(())
    }

    pub fn list_workers(&self) -> Result<Vec<WorkerView>, AccountError> {
        Ok(workers::all(self.store.reader())?.iter().map(Worker::view).collect())
    }

    /// Adds a worker with a first password (the administrator tells them it, and they change it).
    pub fn add_worker(&mut self, input: &NewWorker) -> Result<WorkerView, AccountError> {
        let clock = self.store.clock();
        let mut worker = workers::validate(input, clock.now(), crate::ids::new_id(clock))?;
        if workers::by_login(self.store.reader(), &worker.login)?.is_some() {
            return Err(ValidationErrors::one(
                "login",
                ErrorCode::ValidationLoginTaken,
                "Another worker already has that sign-in name. Choose a different one.",
            )
            .into());
        }
        let slots_path = self.dir.join(SLOTS_FILE);
        let files_error = |e| files_error(&self.dir, e);
        let mut slots = SlotFile::load(&slots_path).map_err(|e| slots_error(&self.dir, &slots_path, e))?;
        let label = slots.label_for_login(&worker.login);
        let seed = keyslots::new_worker_seed();
        slots.put(&label, input.password.as_bytes(), &self.key, Some(&seed));
        let actor = self.actor();
        self.store.write(&actor, |w| -> Result<(), StoreError> {
            w.create(&mut worker)?;
            worker_keys::register(w, &worker.id, &Author::new(&worker.id, &seed).public_hex(), None)
        })?;
        slots.save(&slots_path).map_err(files_error)?;
        Ok(worker.view())
    }

    /// An administrator sets a new password for a worker (who has forgotten theirs).
    pub fn set_worker_password(&mut self, worker_id: &str, password: &str) -> Result<(), AccountError> {
        // A deactivated worker gets no key slot again (see `forget_leavers`).
        let worker = workers::by_id(self.store.reader(), worker_id)?.filter(|w| w.active).ok_or(AccountError::UnknownWorker)?;
        workers::check_password("password", password, &[&worker.login, &worker.display_name]).map_err(|e| ValidationErrors(vec![e]))?;
        let slots_path = self.dir.join(SLOTS_FILE);
        let files_error = |e| files_error(&self.dir, e);
        let mut slots = SlotFile::load(&slots_path).map_err(|e| slots_error(&self.dir, &slots_path, e))?;
        let label = slots.label_for_login(&worker.login);
        // A new signing key with the new slot, which the administrator vouches for.
        let seed = keyslots::new_worker_seed();
        slots.put(&label, password.as_bytes(), &self.key, Some(&seed));
        let actor = self.actor();
        self.store.write(&actor, |w| -> Result<(), StoreError> {
            worker_keys::register(w, &worker.id, &Author::new(&worker.id, &seed).public_hex(), None)?;
            w.audit("password set by an administrator", None, &worker.login)
        })?;
        slots.save(&slots_path).map_err(files_error)?;
        if worker.id == self.worker.id {
            self.store.sign_as(Some(Author::new(&worker.id, &seed)));
        }
        Ok(())
    }

    /// Whether this laptop has a recovery key that opens it. A re-key with no administrator
    /// signed in can leave it without one (a recovery key made by an earlier version cannot
    /// follow a new database key), and the Settings screen says so.
    pub fn has_recovery_key(&self) -> Result<bool, AccountError> {
        let slots_path = self.dir.join(SLOTS_FILE);
        let slots = SlotFile::load(&slots_path).map_err(|e| slots_error(&self.dir, &slots_path, e))?;
        Ok(slots.has(RECOVERY_LABEL))
    }

    /// An administrator makes a new recovery key for this laptop, shown once: the one before
    /// (if any) opens nothing here from now on. The shell lets only administrators ask.
    pub fn make_recovery_key(&mut self) -> Result<RecoveryKey, AccountError> {
        let slots_path = self.dir.join(SLOTS_FILE);
        let mut slots = SlotFile::load(&slots_path).map_err(|e| slots_error(&self.dir, &slots_path, e))?;
        let had_one = slots.has(RECOVERY_LABEL);
        let recovery = RecoveryKey::generate();
        slots.put(RECOVERY_LABEL, recovery.secret(), &self.key, None);
        let actor = self.actor();
        let detail =
            if had_one { "the one before opens nothing on this laptop from now on" } else { "this laptop had none that opened it" };
        self.store.write(&actor, |w| w.audit("recovery key made anew", None, detail))?;
        slots.save(&slots_path).map_err(|e| files_error(&self.dir, e))?;
        Ok(recovery)
    }

    /// A worker changes their own password: their key slot is wrapped again.
    pub fn change_own_password(&mut self, current: &str, new: &str) -> Result<(), AccountError> {
        workers::check_password("new_password", new, &[&self.worker.login, &self.worker.display_name])
            .map_err(|e| ValidationErrors(vec![e]))?;
        let slots_path = self.dir.join(SLOTS_FILE);
        let files_error = |e| files_error(&self.dir, e);
        let mut slots = SlotFile::load(&slots_path).map_err(|e| slots_error(&self.dir, &slots_path, e))?;
        let label = slots.label_for_login(&self.worker.login);
        let Some(unlocked) = slots.slot_mut(&label).and_then(|slot| keyslots::unlock(slot, current.as_bytes())) else {
            return Err(ValidationErrors::one(
                "current_password",
                ErrorCode::AuthCurrentPasswordWrong,
                "Your current password is not right.",
            )
            .into());
        };
        // The same signing key, wrapped with the new password: the team still knows it.
        let seed = unlocked.seed.unwrap_or_else(keyslots::new_worker_seed);
        slots.put(&label, new.as_bytes(), &self.key, Some(&seed));
        let actor = self.actor();
        self.store.write(&actor, |w| w.audit("changed own password", None, ""))?;
        slots.save(&slots_path).map_err(files_error)
    }

    pub fn team_settings(&self) -> settings::TeamSettings {
        self.settings.clone()
    }

    pub fn save_team_settings(&mut self, new: &settings::TeamSettings) -> Result<(), AccountError> {
        settings::validate(new)?;
        let actor = self.actor();
        self.store.write(&actor, |w| settings::save(w, new))?;
        self.settings = new.clone();
        Ok(())
    }
}
