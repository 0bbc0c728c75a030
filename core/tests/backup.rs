//! Backups: written while Throughline is open, verified without restoring, restored on a new
//! laptop with the recovery key with every row as it was, and refused when tampered with.
mod support;

use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::keyslots::{self, RecoveryKey, SlotFile, RECOVERY_LABEL};
use throughline_core::accounts::{AccountError, Installation, Session};
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::FixedClock;
use throughline_core::store::{content_hash, Store};
use throughline_core::{testing, Coded, ErrorCode};

const NOW: &str = "2026-11-23T09:00:00Z";

struct Laptop {
    dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    lead: Session,
    recovery: RecoveryKey,
}

fn laptop_with_clients(n: usize) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(NOW));
    let (mut lead, recovery) = testing::set_up_team_with_recovery(&Installation::new(dir.path(), clock.clone()));
    let actor = lead.actor();
    for i in 0..n {
        let input = NewClient {
            surname: format!("Backup{}", (b'a' + (i % 26) as u8) as char),
            forenames: "Alex".into(),
            date_of_birth: format!("{:02}/06/1990", 1 + i % 28),
            sex: "female".into(),
            ..Default::default()
        };
        clients::register(lead.store_mut(), &actor, &input).unwrap();
    }
    Laptop { dir, clock, lead, recovery }
}

/// The content of a restored laptop's database, read with the key its recovery slot unwraps.
fn restored_content(dir: &Path, recovery: &RecoveryKey) -> String {
    let slots = SlotFile::load(&dir.join("keyslots.json")).unwrap();
    let slot = slots.slots.iter().find(|s| s.label == RECOVERY_LABEL).unwrap();
    let key = keyslots::unwrap(slot, recovery.secret()).unwrap();
    let store = Store::open(&dir.join("throughline.db"), &key, Arc::new(FixedClock::at(NOW))).unwrap();
    // Leave out the restore's own audit entry: everything else is as it was backed up.
    let tail: i64 = store.reader().query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0)).unwrap();
    let last: String = store.reader().query_row("SELECT action FROM audit_log WHERE seq = ?1", [tail], |r| r.get(0)).unwrap();
    assert_eq!(last, "restored from a backup");
    content_hash_without_last_audit(store.reader(), tail)
}

fn content_hash_without_last_audit(conn: &rusqlite::Connection, last: i64) -> String {
    // In a transaction rolled back afterwards: the append-only trigger is back as it was.
    let tx = conn.unchecked_transaction().unwrap();
    tx.execute_batch("DROP TRIGGER audit_log_is_append_only_delete;").unwrap();
    tx.execute("DELETE FROM audit_log WHERE seq = ?1", [last]).unwrap();
    let hash = content_hash(&tx).unwrap();
    tx.rollback().unwrap();
    hash
}

#[test]
fn a_backup_restores_on_a_new_laptop_with_every_row_as_it_was() {
    let mut laptop = laptop_with_clients(25);
    let before = content_hash(laptop.lead.store().reader()).unwrap();
    let usb = tempfile::tempdir().unwrap();
    let made = laptop.lead.back_up(usb.path()).unwrap();
    assert_eq!(made.clients, 25);
    assert!(made.audit_entries > 25);
    assert!(made.folder.contains("throughline-backup-2026-11-23-090000"), "{}", made.folder);
    let folder = Path::new(&made.folder).to_path_buf();
    let raw = std::fs::read(folder.join("throughline.db")).unwrap();
    assert!(!raw.starts_with(b"SQLite format 3"), "the backup is encrypted");
    assert!(!raw.windows(7).any(|w| w == b"BackupA"), "no client's name in plain text");
    assert!(!folder.join("throughline.db-wal").exists(), "a single file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["throughline.db", "keyslots.json"] {
            assert_eq!(std::fs::metadata(folder.join(f)).unwrap().permissions().mode() & 0o777, 0o600, "{f} is the owner's only");
        }
    }

    let checked = laptop.lead.verify_backup(&folder).unwrap();
    assert_eq!((checked.clients, checked.audit_entries), (made.clients, made.audit_entries));
    let actions: Vec<String> = laptop
        .lead
        .store()
        .reader()
        .prepare("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(actions, ["verified a backup", "backed up"]);

    let new_laptop = tempfile::tempdir().unwrap();
    let dir = new_laptop.path().join("data");
    let installation = Installation::new(&dir, laptop.clock.clone());
    assert!(!installation.is_set_up());
    let wrong = RecoveryKey::generate().display();
    assert!(matches!(installation.restore_backup(&folder, &wrong), Err(AccountError::RecoveryKeyWrong)));
    assert!(!installation.is_set_up(), "nothing restored with a wrong key");

    let restored = installation.restore_backup(&folder, &laptop.recovery.display()).unwrap();
    assert_eq!(restored.team_name, testing::TEAM_NAME);
    assert_eq!(restored.clients, 25);
    assert!(installation.is_set_up());
    assert_eq!(restored_content(&dir, &laptop.recovery), before, "every row as it was");

    // The team signs in on the new laptop with the passwords they had.
    let lead = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).unwrap();
    let check = lead.store().verify_audit_chain().unwrap();
    assert!(check.intact, "the restored trail checks as intact to its end (its anchor came with it): {}", check.finding);
    drop(laptop.dir);
}

#[test]
fn a_tampered_backup_is_refused_and_nothing_is_restored() {
    let mut laptop = laptop_with_clients(5);
    let usb = tempfile::tempdir().unwrap();
    let made = laptop.lead.back_up(usb.path()).unwrap();
    let folder = Path::new(&made.folder).to_path_buf();
    let db = folder.join("throughline.db");
    let original = std::fs::read(&db).unwrap();

    // One byte changed in the middle of the database.
    let mut changed = original.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x40;
    std::fs::write(&db, &changed).unwrap();
    let refused = laptop.lead.verify_backup(&folder).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::BackupDamaged);
    assert!(refused.to_string().contains("changed after the backup was written"), "{refused}");

    // Even with its recorded hash changed to match, the page's authentication fails.
    let manifest_path = folder.join("backup.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    use sha2::Digest;
    json["database_sha256"] = hex::encode(sha2::Sha256::digest(&changed)).into();
    std::fs::write(&manifest_path, serde_json::to_vec(&json).unwrap()).unwrap();
    let refused = laptop.lead.verify_backup(&folder).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::BackupDamaged, "{refused}");

    let new_laptop = tempfile::tempdir().unwrap();
    let installation = Installation::new(new_laptop.path(), laptop.clock.clone());
    let refused = installation.restore_backup(&folder, &laptop.recovery.display()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::BackupDamaged, "{refused}");
    assert!(!installation.is_set_up());
    assert!(!new_laptop.path().join("throughline.db").exists(), "no database left behind");

    // A folder that is not a backup says so.
    let refused = installation.restore_backup(usb.path(), &laptop.recovery.display()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::BackupNotFound);
}

#[test]
fn a_restore_does_not_overwrite_a_laptop_already_set_up() {
    let mut laptop = laptop_with_clients(1);
    let usb = tempfile::tempdir().unwrap();
    let made = laptop.lead.back_up(usb.path()).unwrap();
    let installation = Installation::new(laptop.dir.path(), laptop.clock.clone());
    let refused = installation.restore_backup(Path::new(&made.folder), &laptop.recovery.display()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::AuthAlreadySetUp);
}

#[test]
fn automatic_backups_are_written_when_due_to_the_folder_the_team_chose() {
    let mut laptop = laptop_with_clients(2);
    assert_eq!(laptop.lead.automatic_backup().unwrap(), None, "none unless the team asks");
    let refused = laptop.lead.set_backup_schedule(7, None).unwrap_err();
    assert!(
        refused.to_string().contains("Choose the folder for automatic backups")
            || format!("{:?}", refused.fields()).contains("Choose the folder"),
        "{refused}"
    );

    let usb = tempfile::tempdir().unwrap();
    let schedule = laptop.lead.set_backup_schedule(7, Some(usb.path())).unwrap();
    assert_eq!((schedule.every_days, schedule.reachable, schedule.newest), (7, true, None));
    let first = laptop.lead.automatic_backup().unwrap().expect("due: there is no backup yet");
    assert_eq!(laptop.lead.backup_schedule().newest, Some(first.made_at));
    assert_eq!(laptop.lead.automatic_backup().unwrap(), None, "not due again the same day");

    laptop.clock.advance(chrono::Duration::days(6));
    assert_eq!(laptop.lead.automatic_backup().unwrap(), None);
    laptop.clock.advance(chrono::Duration::days(1));
    let second = laptop.lead.automatic_backup().unwrap().expect("due after seven days");
    assert_ne!(second.folder, first.folder);
    laptop.lead.verify_backup(Path::new(&second.folder)).unwrap();

    // The stick is taken away: nothing is written anywhere else, and the screen can say so.
    let gone = usb.path().to_path_buf();
    drop(usb);
    laptop.clock.advance(chrono::Duration::days(30));
    assert_eq!(laptop.lead.automatic_backup().unwrap(), None);
    assert!(!laptop.lead.backup_schedule().reachable);
    assert!(!gone.exists(), "the chosen folder is never created on the laptop");

    let off = laptop.lead.set_backup_schedule(0, None).unwrap();
    assert_eq!(off.every_days, 0);
}
