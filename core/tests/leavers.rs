//! A worker leaves: an administrator deactivates their account, and on every laptop the
//! deactivation reaches their key slot is removed and the database re-keyed. Afterwards their
//! password opens nothing there: not Throughline, and not the database file through SQLCipher
//! directly with a copy of their key slot kept from before. Everyone else, and the recovery key,
//! still opens it.
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::keyslots::{self, SlotFile, RECOVERY_LABEL};
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::{self, NewWorker};
use throughline_core::accounts::{AccountError, Installation, Session};
use throughline_core::clock::FixedClock;
use throughline_core::store::progress::Progress;
use throughline_core::store::{StoreError, REKEYING, REKEY_SAVING};
use throughline_core::sync::join::NewLaptop;
use throughline_core::sync::{self, ExportScope};
use throughline_core::{demo, testing};

const SAM: (&str, &str) = ("sam.reid", "Sam Reid");
const SAM_PASSWORD: &str = "copper-orchard-lantern-tide";
const DAN_PASSWORD: &str = "custody-suite-seven-bells";

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))
}

fn tick(clock: &FixedClock) {
    clock.advance(chrono::Duration::seconds(1));
}

fn add(session: &mut Session, (login, name): (&str, &str), roles: Vec<Role>, password: &str) -> String {
    let input = NewWorker { display_name: name.into(), login: login.into(), roles, password: password.into() };
    session.add_worker(&input).expect("the administrator adds a worker").id
}

/// True when `key` opens the database file through SQLCipher directly, as Throughline opens it
/// (and as someone holding a key would, without Throughline).
/// Either of the page checks Throughline makes files with is tried.
fn sqlcipher_opens(database: &Path, key: &[u8; 32]) -> bool {
    ["HMAC_SHA256", "HMAC_SHA512"].iter().any(|check| {
        let conn = rusqlite::Connection::open(database).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"; PRAGMA cipher_hmac_algorithm = {check};", hex::encode(key))).unwrap();
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok()
    })
}

/// The database key a worker's slot in a copy of the slot file gives with their password.
fn key_from_copy(copy: &SlotFile, login: &str, secret: &[u8]) -> [u8; 32] {
    let label = if login == RECOVERY_LABEL { RECOVERY_LABEL.to_string() } else { copy.label_for_login(login) };
    let slot = copy.slots.iter().find(|s| s.label == label).expect("the copy holds the slot");
    keyslots::unwrap(slot, secret).expect("the password opens their slot in the copy").bytes_for_tests()
}

/// Every report of a long task's progress.
struct Told(Vec<(String, u64, u64)>);

impl Progress for Told {
    fn step(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError> {
        self.0.push((doing.to_string(), done, total));
        Ok(())
    }
}

fn audited(session: &Session, action: &str) -> Vec<String> {
    let conn = session.store().reader();
    let mut stmt = conn.prepare("SELECT detail FROM audit_log WHERE action = ?1 ORDER BY seq").unwrap();
    stmt.query_map([action], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_deactivated_workers_password_opens_nothing_on_this_laptop() {
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let installation = Installation::new(dir.path(), clock.clone());
    let (mut lead, recovery) = installation
        .set_up(&throughline_core::accounts::SetUpInput {
            team_name: testing::TEAM_NAME.into(),
            display_name: "Priya Shah".into(),
            login: testing::LEAD_LOGIN.into(),
            password: testing::LEAD_PASSWORD.into(),
        })
        .unwrap();
    let sam = add(&mut lead, SAM, vec![Role::Community], SAM_PASSWORD);
    add(&mut lead, ("dan", "Dan Kowalski"), vec![Role::Custody], DAN_PASSWORD);
    drop(installation.sign_in(SAM.0, SAM_PASSWORD).expect("Sam signs in while he works here"));

    // What Sam could keep on a USB stick before he leaves: the slot file, and his password.
    let database = installation.database_path();
    let kept = SlotFile::load(&dir.path().join("keyslots.json")).unwrap();
    let sams_key = key_from_copy(&kept, SAM.0, SAM_PASSWORD.as_bytes());
    assert!(sqlcipher_opens(&database, &sams_key), "before: Sam's slot opens the file through SQLCipher");

    // A reading's connection kept by the session, and one in flight, both under the old key.
    let kept_reading = lead.start_reading().unwrap();
    assert!(lead.finish_reading(kept_reading));
    let in_flight = lead.start_reading().unwrap();

    tick(&clock);
    let mut told = Told(Vec::new());
    let done = lead.deactivate_worker_watched(&sam, &mut told).expect("the administrator deactivates Sam");
    // The administrator watches the re-key reach every page, then the pages saved.
    let rekeying: Vec<(u64, u64)> = told.0.iter().filter(|(doing, ..)| doing == REKEYING).map(|(_, done, total)| (*done, *total)).collect();
    let (last, pages) = *rekeying.last().expect("the re-key is told");
    assert!(pages > 10 && last == pages, "{rekeying:?}");
    assert!(rekeying.iter().all(|(done, total)| done <= total && *total == pages));
    assert_eq!(told.0.last().map(|(doing, ..)| doing.as_str()), Some(REKEY_SAVING));
    assert!(!done.worker.active);
    assert_eq!(done.on_this_laptop.removed, vec![SAM.1.to_string()]);
    assert!(done.on_this_laptop.need_new_password.is_empty(), "every other slot followed the new key");
    assert_eq!(done.on_this_laptop.new_recovery_key, None);
    assert!(!done.on_this_laptop.recovery_key_lost);

    // (i) Throughline refuses him.
    assert!(matches!(installation.sign_in(SAM.0, SAM_PASSWORD), Err(AccountError::SignInFailed)));
    // (ii) His slot kept from before gives a key that no longer opens the file, nor does the
    // recovery key's slot from the same copy.
    assert!(!sqlcipher_opens(&database, &sams_key), "after: the old key opens nothing");
    let old_recovery = key_from_copy(&kept, RECOVERY_LABEL, recovery.secret());
    assert_eq!(old_recovery, sams_key, "every slot held the same key");
    // The session's new key opens it, through SQLCipher too.
    assert!(sqlcipher_opens(&database, &lead.database_key_for_tests()));

    // Every connection uses the new key: the kept one went, the one in flight is not kept.
    assert!(lead.finish_reading(in_flight));
    for _ in 0..3 {
        let reading = lead.start_reading().unwrap();
        let workers: i64 = reading.store().reader().query_row("SELECT count(*) FROM workers", [], |r| r.get(0)).unwrap();
        assert_eq!(workers, 3);
        assert!(lead.finish_reading(reading));
    }

    // Audited, synced as a worker operation, and the trail and its re-sealed anchor check out.
    assert_eq!(audited(&lead, "deactivated a worker"), vec![format!("{} ({})", SAM.1, SAM.0)]);
    assert_eq!(audited(&lead, "key slot removed").len(), 1);
    assert!(audited(&lead, "database re-keyed")[0].contains("after removing the key slot of Sam Reid"));
    let ops: i64 = lead
        .store()
        .reader()
        .query_row("SELECT count(*) FROM operations WHERE record_type = 'worker' AND record_id = ?1", [&sam], |r| r.get(0))
        .unwrap();
    assert_eq!(ops, 2, "added, then deactivated");
    let check = lead.store().verify_audit_chain().unwrap();
    assert!(check.intact, "{}", check.finding);

    // Others still sign in, and the recovery key still works.
    drop(lead);
    drop(installation.sign_in("dan", DAN_PASSWORD).expect("Dan still signs in"));
    installation
        .reset_password_with_recovery_key(&recovery.display(), "dan", "harbour-quartz-meadow-nine")
        .expect("the recovery key still works");
    drop(installation.sign_in("dan", "harbour-quartz-meadow-nine").expect("Dan signs in with the password it set"));
    let lead = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).expect("the administrator signs in");
    assert!(lead.store().verify_audit_chain().unwrap().intact, "the anchor was sealed with the new key");
    // Nothing more to do at the next sign-in: no second re-key.
    assert_eq!(audited(&lead, "database re-keyed").len(), 1);
}

#[test]
fn no_one_deactivates_themselves_or_the_last_administrator() {
    let team = tempfile::tempdir().unwrap();
    let installation = Installation::new(team.path(), clock());
    let mut lead = testing::set_up_team(&installation);
    let lead_id = lead.worker().id.clone();
    add(&mut lead, ("dan", "Dan Kowalski"), vec![Role::Custody], DAN_PASSWORD);
    let refused = lead.deactivate_worker(&lead_id).unwrap_err();
    assert!(matches!(refused, AccountError::CannotDeactivateSelf));
    assert_eq!(refused.to_string(), "You cannot deactivate your own account. Another administrator can do it for you.");
    drop(lead);

    // Core does not check roles (the shell does): even so the last administrator stays.
    let mut dan = installation.sign_in("dan", DAN_PASSWORD).unwrap();
    let refused = dan.deactivate_worker(&lead_id).unwrap_err();
    assert!(matches!(refused, AccountError::LastAdministrator(_)));
    assert!(refused.to_string().starts_with("Priya Shah is the team's last active administrator"), "{refused}");
    assert!(matches!(dan.deactivate_worker("no-such-worker"), Err(AccountError::UnknownWorker)));
    drop(dan);
    assert!(installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).is_ok());
}

/// The lead's two laptops: A (set up) and B (joined for the lead herself), where the lead has
/// set Sam a password, so Sam has a key slot on both.
struct TwoLaptops {
    clock: Arc<FixedClock>,
    _a_dir: tempfile::TempDir,
    lead: Session,
    b_dir: tempfile::TempDir,
    b: Installation,
    on_b: Session,
    b_recovery: String,
    sam: String,
}

const SAM_ON_B: &str = "violet-ferry-harbour-ninety";
const LEAD_ON_B: &str = "quartz-meadow-lantern-417";

fn two_laptops() -> TwoLaptops {
    let clock = clock();
    let a_dir = tempfile::tempdir().unwrap();
    let mut lead = testing::set_up_team(&Installation::new(a_dir.path(), clock.clone()));
    let sam = add(&mut lead, SAM, vec![Role::Community], SAM_PASSWORD);
    tick(&clock);
    let actor = lead.actor();
    let laptop = NewLaptop { label: "Court laptop".into(), worker_id: lead.worker().id.clone() };
    let file = sync::join::make(lead.store_mut(), &actor, &laptop).unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let b = Installation::new(b_dir.path(), clock.clone());
    let (mut on_b, b_recovery) = b.join(&file.bytes, &file.passphrase, LEAD_ON_B).expect("B joins");
    tick(&clock);
    on_b.set_worker_password(&sam, SAM_ON_B).unwrap();
    drop(b.sign_in(SAM.0, SAM_ON_B).expect("Sam signs in on B"));
    TwoLaptops { clock, _a_dir: a_dir, lead, b_dir, b, on_b, b_recovery: b_recovery.display(), sam }
}

impl TwoLaptops {
    /// A deactivates Sam and B imports A's bundle (nothing else: the caller does what follows).
    fn deactivate_on_a_and_import_on_b(&mut self) {
        tick(&self.clock);
        self.lead.deactivate_worker(&self.sam).unwrap();
        tick(&self.clock);
        let actor = self.lead.actor();
        let bundle = sync::export(self.lead.store_mut(), &actor, &ExportScope::Everything).unwrap().0;
        tick(&self.clock);
        let actor = self.on_b.actor();
        sync::import(self.on_b.store_mut(), &actor, &bundle).expect("B imports A's bundle");
    }
}

#[test]
fn a_deactivation_arriving_by_sync_removes_the_slot_there() {
    let mut laptops = two_laptops();
    let kept = SlotFile::load(&laptops.b_dir.path().join("keyslots.json")).unwrap();
    let database = laptops.b.database_path();
    let sams_key = key_from_copy(&kept, SAM.0, SAM_ON_B.as_bytes());
    assert!(sqlcipher_opens(&database, &sams_key), "before: Sam's slot on B opens B's file");

    laptops.deactivate_on_a_and_import_on_b();
    // What the import command does after every import.
    let forgotten = laptops.on_b.forget_leavers().expect("B removes the leaver's slot");
    assert_eq!(forgotten.removed, vec![SAM.1.to_string()]);
    assert!(forgotten.need_new_password.is_empty());
    assert_eq!(laptops.on_b.forget_leavers().unwrap(), Default::default(), "once is enough");

    assert!(!sqlcipher_opens(&database, &sams_key), "after: Sam's old slot opens nothing on B");
    assert!(matches!(laptops.b.sign_in(SAM.0, SAM_ON_B), Err(AccountError::SignInFailed)));
    let TwoLaptops { b, on_b, b_recovery, .. } = laptops;
    drop(on_b);
    drop(b.sign_in(testing::LEAD_LOGIN, LEAD_ON_B).expect("the lead still signs in on B"));
    b.reset_password_with_recovery_key(&b_recovery, testing::LEAD_LOGIN, "harbour-quartz-meadow-nine")
        .expect("B's recovery key still works");
    let on_b = b.sign_in(testing::LEAD_LOGIN, "harbour-quartz-meadow-nine").unwrap();
    assert!(on_b.store().verify_audit_chain().unwrap().intact);
}

#[test]
fn a_leaver_whose_slot_is_still_here_is_told_the_account_is_no_longer_active_and_the_next_sign_in_removes_it() {
    let mut laptops = two_laptops();
    let database = laptops.b.database_path();
    let kept = SlotFile::load(&laptops.b_dir.path().join("keyslots.json")).unwrap();
    let sams_key = key_from_copy(&kept, SAM.0, SAM_ON_B.as_bytes());
    // The import without the re-key after it (one that failed, say).
    laptops.deactivate_on_a_and_import_on_b();
    drop(laptops.on_b);
    let refused = laptops.b.sign_in(SAM.0, SAM_ON_B).err().expect("refused");
    assert!(matches!(refused, AccountError::Deactivated));
    assert_eq!(
        refused.to_string(),
        "This account is no longer active, so it cannot sign in here. If you think that is wrong, ask your administrator."
    );
    // The next sign-in finishes what the import left.
    let lead = laptops.b.sign_in(testing::LEAD_LOGIN, LEAD_ON_B).unwrap();
    assert_eq!(audited(&lead, "key slot removed").len(), 1);
    assert!(!sqlcipher_opens(&database, &sams_key));
    assert!(matches!(laptops.b.sign_in(SAM.0, SAM_ON_B), Err(AccountError::SignInFailed)));
}

/// A laptop upgraded from 0.1.0, whose slots are all format 1 until each worker signs in.
#[test]
fn on_a_laptop_from_0_1_0_slots_not_yet_converted_are_dropped_and_named_and_a_new_recovery_key_is_shown() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade-v1");
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let installation = Installation::new(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
    let before = SlotFile::load(&dir.path().join("keyslots.json")).unwrap();
    assert!(before.slots.iter().all(|s| s.format == 1), "0.1.0 wrote format 1");

    // The administrator signs in: their slot is made again in format 2.
    let mut admin = installation.sign_in(demo::DEMO_ADMIN.0, "demo-password").expect("the administrator signs in");
    assert!(audited(&admin, "key slot strengthened").last().unwrap().contains("format 2"));
    let dan = workers::by_login(admin.store().reader(), "custody").unwrap().unwrap();
    let done = admin.deactivate_worker(&dan.id).unwrap();
    let mut named = done.on_this_laptop.need_new_password.clone();
    named.sort();
    assert_eq!(named, ["Grace Okafor", "Priya Shah", "Siobhan Reilly", "Tom Evans"], "those not signed in since the upgrade");
    let recovery = done.on_this_laptop.new_recovery_key.clone().expect("a new recovery key for the administrator");
    assert!(audited(&admin, "database re-keyed")[0].contains("could not follow it and were removed: "));

    // The workers named sign in once the administrator sets them a password here.
    assert!(matches!(installation.sign_in("court", "demo-password"), Err(AccountError::SignInFailed)));
    let grace = workers::by_login(admin.store().reader(), "court").unwrap().unwrap();
    admin.set_worker_password(&grace.id, "harbour-quartz-meadow-nine").unwrap();
    drop(admin);
    drop(installation.sign_in("court", "harbour-quartz-meadow-nine").expect("Grace signs in with her new password"));
    installation.reset_password_with_recovery_key(&recovery, "court", "lantern-orchard-copper-tide").expect("the new recovery key works");
    assert!(matches!(installation.sign_in("custody", "demo-password"), Err(AccountError::SignInFailed)));
    drop(installation.sign_in(demo::DEMO_ADMIN.0, "demo-password").expect("the administrator still signs in"));
}

/// A re-key cut short between the database and the slot file: the database already under the
/// new key, keyslots.json still the old slots and keyslots.next the new ones. The next sign-in
/// takes the new ones; a stale keyslots.next (the database never re-keyed) is removed.
#[test]
fn a_rekey_cut_short_is_settled_at_the_next_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let installation = Installation::new(dir.path(), clock());
    let mut lead = testing::set_up_team(&installation);
    let sam = add(&mut lead, SAM, vec![Role::Community], SAM_PASSWORD);
    let slots = dir.path().join("keyslots.json");
    let next = dir.path().join("keyslots.next");
    let before = std::fs::read(&slots).unwrap();
    lead.deactivate_worker(&sam).unwrap();
    drop(lead);
    // As if the crash came after the database was re-keyed, before the rename.
    std::fs::rename(&slots, &next).unwrap();
    std::fs::write(&slots, &before).unwrap();
    assert!(
        matches!(installation.sign_in(SAM.0, SAM_PASSWORD), Err(AccountError::SignInFailed)),
        "the leaver gets nothing from either file"
    );
    drop(installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).expect("the lead signs in with the next key's slots"));
    assert!(!next.exists(), "keyslots.next took keyslots.json's place");
    assert!(matches!(installation.sign_in(SAM.0, SAM_PASSWORD), Err(AccountError::SignInFailed)));

    // A stale keyslots.next (a re-key that failed before the database changed) is removed.
    std::fs::write(&next, &before).unwrap();
    drop(installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).expect("the lead signs in"));
    assert!(!next.exists());
}

/// An administrator makes a new recovery key for this laptop when the old one was lost, or when
/// the laptop has none that opens it (a re-key with no administrator signed in, on a laptop from
/// 0.1.0, leaves it so): shown once, and the one before opens nothing here afterwards.
#[test]
fn an_administrator_makes_a_new_recovery_key_and_the_one_before_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let installation = Installation::new(dir.path(), clock());
    let (mut lead, old) = testing::set_up_team_with_recovery(&installation);
    assert!(lead.has_recovery_key().unwrap());
    let new = lead.make_recovery_key().unwrap();
    assert_eq!(audited(&lead, "recovery key made anew"), ["the one before opens nothing on this laptop from now on"]);
    drop(lead);
    let refused = installation.reset_password_with_recovery_key(&old.display(), testing::LEAD_LOGIN, "harbour-quartz-meadow-nine");
    assert!(matches!(refused, Err(AccountError::RecoveryKeyWrong)));
    installation
        .reset_password_with_recovery_key(&new.display(), testing::LEAD_LOGIN, "harbour-quartz-meadow-nine")
        .expect("the new one works");

    // A laptop whose recovery key could not follow a re-key has none that opens it.
    let path = dir.path().join("keyslots.json");
    let mut slots = SlotFile::load(&path).unwrap();
    slots.remove(RECOVERY_LABEL);
    slots.save(&path).unwrap();
    let mut lead = installation.sign_in(testing::LEAD_LOGIN, "harbour-quartz-meadow-nine").unwrap();
    assert!(!lead.has_recovery_key().unwrap(), "the Settings screen says there is none");
    let made = lead.make_recovery_key().unwrap();
    assert!(lead.has_recovery_key().unwrap());
    assert_eq!(audited(&lead, "recovery key made anew").last().unwrap(), "this laptop had none that opened it");
    drop(lead);
    installation
        .reset_password_with_recovery_key(&made.display(), testing::LEAD_LOGIN, "lantern-orchard-copper-tide")
        .expect("it opens the laptop");
}
