//! Backups an administrator can trust: the encrypted database (SQLite's online backup, taken
//! while Throughline is open) with its key slots, in a folder of its own, checked after writing;
//! a backup verified without restoring it; and a backup restored on a new laptop with the
//! recovery key. The folder holds nothing readable without a worker's password or the recovery
//! key: the database stays encrypted with the team's key and the key slots wrap it.
use super::keyslots::{self, RecoveryKey, SlotFile, RECOVERY_LABEL};
use super::roles::Role;
use super::{workers, AccountError, Installation, Session, DATABASE_FILE, SLOTS_FILE};
use crate::store::backup::{self, FileCheck};
use crate::store::progress::{self, CopyError, Progress, Unwatched};
use crate::store::{Actor, DatabaseKey, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Written last into a backup's folder: a folder without it is not a finished backup.
pub const MANIFEST_FILE: &str = "backup.json";
const FORMAT: &str = "throughline-backup/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: String,
    app_version: String,
    schema: i64,
    team_name: String,
    made_at: DateTime<Utc>,
    database_sha256: String,
    keyslots_sha256: String,
    clients: i64,
    audit_entries: i64,
}

/// A backup as the administrator sees it, after writing, verifying or restoring it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupSummary {
    pub folder: String,
    pub team_name: String,
    pub made_at: DateTime<Utc>,
    /// The Throughline version that wrote it.
    pub app_version: String,
    #[ts(type = "number")]
    pub clients: i64,
    #[ts(type = "number")]
    pub audit_entries: i64,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The file's SHA-256, read a piece at a time with `progress` told the bytes read.
fn sha256_of(path: &Path, progress: &mut dyn Progress) -> Result<String, CopyError> {
    let mut hash = Sha256::new();
    progress::read_in_pieces(path, "Checking the backup's files", progress, |piece| {
        hash.update(piece);
        Ok(())
    })?;
    Ok(hex::encode(hash.finalize()))
}

/// A watched step over files: the worker's cancel passes through, a file's failure is `files`.
fn watched<T>(result: Result<T, CopyError>, files: impl FnOnce(std::io::Error) -> AccountError) -> Result<T, AccountError> {
    result.map_err(|e| match e {
        CopyError::Files(e) => files(e),
        CopyError::Stopped(e) => e.into(),
    })
}

fn write_error(folder: &Path) -> impl Fn(std::io::Error) -> AccountError + '_ {
    move |e| AccountError::BackupWrite(folder.display().to_string(), e)
}

/// The file reaches the disk (or the USB stick) before the backup says it is done.
fn sync(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// The team's automatic backups as the Backups screen shows them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupSchedule {
    /// 0: no automatic backups.
    pub every_days: u32,
    pub folder: String,
    /// The newest backup found in that folder, if it can be reached.
    pub newest: Option<DateTime<Utc>>,
    /// False when the folder cannot be reached now (the USB stick is not plugged in).
    pub reachable: bool,
    /// Why the last automatic backup on this laptop failed, if it did (the shell fills it in).
    pub last_problem: Option<String>,
}

impl Session {
    /// The automatic backups the team set, and the newest backup in their folder.
    pub fn backup_schedule(&self) -> BackupSchedule {
        let s = &self.settings;
        let folder = Path::new(&s.backup_folder);
        let reachable = !s.backup_folder.is_empty() && folder.is_dir();
        BackupSchedule {
            every_days: s.backup_every_days,
            folder: s.backup_folder.clone(),
            newest: if reachable { newest_backup_in(folder) } else { None },
            reachable,
            last_problem: None,
        }
    }

    /// Sets the automatic backups: every `every_days` days (0: none) to `folder`.
    pub fn set_backup_schedule(&mut self, every_days: u32, folder: Option<&Path>) -> Result<BackupSchedule, AccountError> {
        let mut next = self.settings.clone();
        next.backup_every_days = every_days;
        if let Some(folder) = folder {
            next.backup_folder = folder.display().to_string();
        }
        self.save_team_settings(&next)?;
        Ok(self.backup_schedule())
    }

    /// Writes the team's automatic backup if one is due: automatic backups are on, their folder
    /// can be reached, and its newest backup is `every_days` old or more. None when none is due;
    /// an unreachable folder is not an error (the stick is plugged in another day).
    pub fn automatic_backup(&mut self) -> Result<Option<BackupSummary>, AccountError> {
        let schedule = self.backup_schedule();
        if schedule.every_days == 0 || !schedule.reachable {
            return Ok(None);
        }
        let now = self.store.clock().now();
        let due = schedule.newest.is_none_or(|newest| now - newest >= chrono::Duration::days(i64::from(schedule.every_days)));
        if !due {
            return Ok(None);
        }
        self.back_up(Path::new(&schedule.folder)).map(Some)
    }

    /// Writes a backup into a new folder inside `into` and checks it as a restore would.
    pub fn back_up(&mut self, into: &Path) -> Result<BackupSummary, AccountError> {
        self.back_up_watched(into, &mut Unwatched)
    }

    /// As [`Session::back_up`], telling `progress` how far the copy and its check have got;
    /// cancelled, the half-written folder is removed.
    pub fn back_up_watched(&mut self, into: &Path, progress: &mut dyn Progress) -> Result<BackupSummary, AccountError> {
        let now = self.store.clock().now();
        let team_name = self.store.team_name()?;
        let folder = new_folder(into, now).map_err(write_error(into))?;
        let result = self.write_backup(&folder, now, &team_name, progress);
        if result.is_err() {
            // Half a backup is worse than none: nobody should find it later and trust it.
            let _ = std::fs::remove_dir_all(&folder);
        }
        let summary = result?;
        let actor = self.actor();
        self.store.write(&actor, |w| w.audit("backed up", None, &format!("to {}", summary.folder)))?;
        Ok(summary)
    }

    fn write_backup(
        &mut self,
        folder: &Path,
        now: DateTime<Utc>,
        team_name: &str,
        progress: &mut dyn Progress,
    ) -> Result<BackupSummary, AccountError> {
        let db = folder.join(DATABASE_FILE);
        let slots = folder.join(SLOTS_FILE);
        backup::copy_live(self.store.reader(), &self.key, &db, progress).map_err(|e| match e {
            StoreError::DiskFull | StoreError::ReadOnly => {
                AccountError::BackupWrite(folder.display().to_string(), std::io::Error::other(e))
            }
            e => e.into(),
        })?;
        let err = write_error(folder);
        std::fs::copy(self.dir.join(SLOTS_FILE), &slots).map_err(&err)?;
        // The audit trail's anchor as it stands with this copy (nothing is written meanwhile:
        // the session is held), so the restored trail checks as intact to its end.
        let anchor = self.store.anchor_path();
        if anchor.exists() {
            std::fs::copy(&anchor, db.with_extension("anchor")).map_err(&err)?;
        }
        // Encrypted, and still only for the account that wrote them.
        keyslots::owner_only(&db, 0o600).map_err(&err)?;
        keyslots::owner_only(&slots, 0o600).map_err(&err)?;
        sync(&db).map_err(&err)?;
        sync(&slots).map_err(&err)?;
        progress.step("Checking the copy", 0, 0)?;
        let check = backup::check_file(&db, &self.key).map_err(|e| damaged(&format!("it failed its check after writing ({e})")))?;
        let manifest = Manifest {
            format: FORMAT.into(),
            app_version: crate::VERSION.into(),
            schema: check.schema,
            team_name: team_name.into(),
            made_at: now,
            database_sha256: watched(sha256_of(&db, progress), &err)?,
            keyslots_sha256: watched(sha256_of(&slots, progress), &err)?,
            clients: check.clients,
            audit_entries: check.audit_entries,
        };
        let manifest_path = folder.join(MANIFEST_FILE);
        std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other).map_err(&err)?).map_err(&err)?;
        sync(&manifest_path).map_err(&err)?;
        Ok(summary(folder, &manifest, &check))
    }

    /// Checks a backup without restoring it: its files are those it was written with, and its
    /// database opens with this team's key, is sound and its audit trail is unbroken.
    pub fn verify_backup(&mut self, folder: &Path) -> Result<BackupSummary, AccountError> {
        self.verify_backup_watched(folder, &mut Unwatched)
    }

    /// As [`Session::verify_backup`], telling `progress` how far the check has got.
    pub fn verify_backup_watched(&mut self, folder: &Path, progress: &mut dyn Progress) -> Result<BackupSummary, AccountError> {
        let manifest = read_and_hash(folder, progress)?;
        progress.step("Checking the database", 0, 0)?;
        let check = check_database(folder, &self.key)?;
        let found = summary(folder, &manifest, &check);
        let actor = self.actor();
        self.store.write(&actor, |w| w.audit("verified a backup", None, &format!("{} (made {})", found.folder, found.made_at)))?;
        Ok(found)
    }
}

impl Installation {
    /// A new laptop: puts a backup in place with the recovery key, updated to this version's
    /// schema. The team's workers then sign in with their own passwords, as before.
    pub fn restore_backup(&self, folder: &Path, recovery_key: &str) -> Result<BackupSummary, AccountError> {
        self.restore_backup_watched(folder, recovery_key, &mut Unwatched)
    }

    /// As [`Installation::restore_backup`], telling `progress` how far the checks and the copy
    /// have got; cancelled, the laptop is left not set up, as it was.
    pub fn restore_backup_watched(
        &self,
        folder: &Path,
        recovery_key: &str,
        progress: &mut dyn Progress,
    ) -> Result<BackupSummary, AccountError> {
        if self.is_set_up() {
            return Err(AccountError::AlreadySetUp);
        }
        let manifest = read_and_hash(folder, progress)?;
        let slots = SlotFile::load(&folder.join(SLOTS_FILE)).map_err(|_| damaged("its key slots file cannot be read"))?;
        let key = slots
            .slots
            .iter()
            .find(|s| s.label == RECOVERY_LABEL)
            .zip(RecoveryKey::parse(recovery_key))
            .and_then(|(slot, typed)| keyslots::unwrap(slot, typed.secret()))
            .ok_or(AccountError::RecoveryKeyWrong)?;
        progress.step("Checking the database", 0, 0)?;
        let check = check_database(folder, &key)?;

        std::fs::create_dir_all(&self.dir).map_err(|e| self.files_error(e))?;
        keyslots::owner_only(&self.dir, 0o700).map_err(|e| self.files_error(e))?;
        // Copied beside, then renamed into place: a restore cut short leaves no half database.
        let restoring = self.dir.join("throughline.db.restoring");
        let copied = watched(progress::copy_file(&folder.join(DATABASE_FILE), &restoring, "Copying the database", progress), |e| {
            self.files_error(e)
        });
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&restoring);
            return Err(e);
        }
        keyslots::owner_only(&restoring, 0o600).map_err(|e| self.files_error(e))?;
        for stale in ["throughline.db-wal", "throughline.db-shm"] {
            let _ = std::fs::remove_file(self.dir.join(stale));
        }
        std::fs::rename(&restoring, self.database_path()).map_err(|e| self.files_error(e))?;
        let anchor = folder.join(DATABASE_FILE).with_extension("anchor");
        if anchor.exists() {
            std::fs::copy(&anchor, self.database_path().with_extension("anchor")).map_err(|e| self.files_error(e))?;
        }
        let mut store = Store::open_watched(&self.database_path(), &key, self.clock.clone(), progress)?;
        // Before anything is written: the restored laptop is a new one to the team.
        let new_laptop = match store.take_new_device_id()? {
            Some(id) => format!("; this laptop is now laptop {id}"),
            None => String::new(),
        };
        let admin = workers::all(store.reader())?.into_iter().find(|w| w.active && w.has_any(&[Role::Administrator]));
        if let Some(admin) = admin {
            let actor = Actor { worker_id: admin.id.clone(), name: admin.display_name.clone() };
            store.write(&actor, |w| {
                w.audit(
                    "restored from a backup",
                    None,
                    &format!("made {} by Throughline {}{new_laptop}", manifest.made_at, manifest.app_version),
                )
            })?;
        }
        drop(store);
        // The key slots last: until they are in place the laptop still counts as not set up.
        self.save_slots(&slots)?;
        Ok(summary(folder, &manifest, &check))
    }
}

fn damaged(why: &str) -> AccountError {
    AccountError::BackupDamaged(why.into())
}

/// When the newest backup in `folder` was made (its backup.json says), if there is one.
fn newest_backup_in(folder: &Path) -> Option<DateTime<Utc>> {
    std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("throughline-backup-"))
        .filter_map(|e| std::fs::read(e.path().join(MANIFEST_FILE)).ok())
        .filter_map(|text| serde_json::from_slice::<Manifest>(&text).ok())
        .map(|m| m.made_at)
        .max()
}

fn new_folder(into: &Path, now: DateTime<Utc>) -> std::io::Result<PathBuf> {
    let base = format!("throughline-backup-{}", now.format("%Y-%m-%d-%H%M%S"));
    let mut folder = into.join(&base);
    let mut n = 1;
    while folder.exists() {
        n += 1;
        folder = into.join(format!("{base}-{n}"));
    }
    // Never creates the folder chosen: a drive that is not there is not made on the laptop.
    std::fs::create_dir(&folder)?;
    keyslots::owner_only(&folder, 0o700)?;
    Ok(folder)
}

/// The manifest, and the files it names exactly as they were written.
fn read_and_hash(folder: &Path, progress: &mut dyn Progress) -> Result<Manifest, AccountError> {
    let text = std::fs::read(folder.join(MANIFEST_FILE)).map_err(|_| AccountError::BackupNotFound(folder.display().to_string()))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|_| damaged("its backup.json cannot be read"))?;
    if manifest.format != FORMAT {
        return Err(damaged(&format!("it is in a format this version does not know ({})", manifest.format)));
    }
    let mut same = |file: &str, expected: &str| match sha256_of(&folder.join(file), progress) {
        Ok(hash) => Ok(hash == expected),
        Err(CopyError::Files(_)) => Ok(false),
        Err(CopyError::Stopped(e)) => Err(AccountError::from(e)),
    };
    if !same(DATABASE_FILE, &manifest.database_sha256)? {
        return Err(damaged("its database file is missing or was changed after the backup was written"));
    }
    if !same(SLOTS_FILE, &manifest.keyslots_sha256)? {
        return Err(damaged("its key slots file is missing or was changed after the backup was written"));
    }
    Ok(manifest)
}

fn check_database(folder: &Path, key: &DatabaseKey) -> Result<FileCheck, AccountError> {
    backup::check_file(&folder.join(DATABASE_FILE), key).map_err(|e| match e {
        StoreError::WrongKey => damaged("it does not open with this team's key (it belongs to another installation, or is damaged)"),
        StoreError::NewerSchema { .. } => e.into(),
        e => damaged(&format!("its database did not pass the check ({e})")),
    })
}

fn summary(folder: &Path, m: &Manifest, check: &FileCheck) -> BackupSummary {
    let bytes =
        [DATABASE_FILE, SLOTS_FILE, MANIFEST_FILE].iter().filter_map(|f| std::fs::metadata(folder.join(f)).ok()).map(|m| m.len()).sum();
    BackupSummary {
        folder: folder.display().to_string(),
        team_name: m.team_name.clone(),
        made_at: m.made_at,
        app_version: m.app_version.clone(),
        clients: check.clients,
        audit_entries: check.audit_entries,
        bytes,
    }
}
