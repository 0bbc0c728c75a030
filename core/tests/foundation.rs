//! The foundation, as a team would meet it: setting up a laptop, signing in, registering and
//! finding a client, with everything encrypted, logged and audited underneath.
use chrono::Duration;
use std::sync::Arc;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::accounts::{AccountError, Installation, Session, SetUpInput};
use throughline_core::clients::{self, ClientError, NewClient};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::store::audit::TrailProblem;
use throughline_core::store::record::Made;
use throughline_core::store::{Actor, StoreError};
use throughline_core::Coded;

const ADMIN_PASSWORD: &str = "kettle-lantern-harbour";

struct Laptop {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    installation: Installation,
}

fn new_laptop() -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    let installation = Installation::new(dir.path().join("data"), clock.clone());
    Laptop { _dir: dir, clock, installation }
}

fn set_up(laptop: &Laptop) -> (Session, String) {
    let (session, recovery) = laptop
        .installation
        .set_up(&SetUpInput {
            team_name: "Westbridge CJ Drug Team".into(),
            display_name: "Chris Hall".into(),
            login: "chris".into(),
            password: ADMIN_PASSWORD.into(),
        })
        .unwrap();
    (session, recovery.display())
}

fn add_custody_worker(admin: &mut Session) {
    admin
        .add_worker(&NewWorker {
            display_name: "Dan Kowalski".into(),
            login: "dan".into(),
            roles: vec![Role::Custody],
            password: "custody-suite-seven".into(),
        })
        .unwrap();
}

fn john_smith() -> NewClient {
    NewClient {
        surname: "Smith".into(),
        forenames: "John Paul".into(),
        date_of_birth: "03/03/1987".into(),
        sex: "male".into(),
        pnc: "87/1234567U".into(),
        nhs_number: "943 476 5919".into(),
        ..NewClient::default()
    }
}

fn count(session: &Session, sql: &str) -> i64 {
    session.store().reader().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_new_laptop_is_set_up_and_its_administrator_signed_in() {
    let laptop = new_laptop();
    assert!(!laptop.installation.is_set_up());
    let (admin, recovery) = set_up(&laptop);
    assert!(laptop.installation.is_set_up());
    let info = admin.info().unwrap();
    assert_eq!(info.team_name, "Westbridge CJ Drug Team");
    assert_eq!(info.worker.roles, vec![Role::TeamLead, Role::Administrator]);
    assert_eq!(info.idle_lock_minutes, 5);
    assert_eq!(recovery.split('-').count(), 8, "recovery key shown in groups: {recovery}");
    // Setting up twice would replace the team's key: refused.
    let again = laptop.installation.set_up(&SetUpInput {
        team_name: "Other".into(),
        display_name: "X Y".into(),
        login: "xy".into(),
        password: ADMIN_PASSWORD.into(),
    });
    assert!(matches!(again, Err(AccountError::AlreadySetUp)));
}

#[test]
fn set_up_reports_every_problem_on_the_form_at_once() {
    let laptop = new_laptop();
    let err = laptop
        .installation
        .set_up(&SetUpInput { team_name: " ".into(), display_name: "".into(), login: "a b".into(), password: "short".into() })
        .err()
        .unwrap();
    let fields: Vec<String> = err.fields().into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["team_name", "display_name", "login", "password"]);
    assert!(!laptop.installation.is_set_up(), "nothing is written when the form is wrong");
}

#[test]
fn each_worker_unlocks_the_database_with_their_own_password() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    add_custody_worker(&mut admin);
    drop(admin);

    let dan = laptop.installation.sign_in("dan", "custody-suite-seven").unwrap();
    assert_eq!(dan.worker().display_name, "Dan Kowalski");
    assert!(dan.has_any(&[Role::Custody]) && !dan.has_any(&[Role::Administrator]));
    drop(dan);
    let admin = laptop.installation.sign_in("CHRIS", ADMIN_PASSWORD).unwrap();
    assert_eq!(admin.worker().login, "chris");
}

#[test]
fn a_wrong_password_and_an_unknown_name_get_the_same_answer() {
    let laptop = new_laptop();
    drop(set_up(&laptop));
    let wrong_password = laptop.installation.sign_in("chris", "not-the-password").err().unwrap();
    let unknown_name = laptop.installation.sign_in("nobody", ADMIN_PASSWORD).err().unwrap();
    assert_eq!(wrong_password.code(), "auth.sign_in_failed");
    assert_eq!(unknown_name.code(), wrong_password.code());
    assert_eq!(unknown_name.to_string(), wrong_password.to_string());
}

#[test]
fn repeated_wrong_passwords_slow_down_then_wear_off() {
    let laptop = new_laptop();
    drop(set_up(&laptop));
    for _ in 0..3 {
        assert_eq!(laptop.installation.sign_in("chris", "guess-guess-guess").err().unwrap().code(), "auth.sign_in_failed");
    }
    // The fourth try comes too soon, even with the right password.
    laptop.installation.sign_in("chris", "guess-guess-guess").err().unwrap();
    let slowed = laptop.installation.sign_in("chris", ADMIN_PASSWORD).err().unwrap();
    assert_eq!(slowed.code(), "auth.slowed_down");
    assert_eq!(slowed.to_string(), "Too many attempts. Wait 1 second, then try again.");
    laptop.clock.advance(Duration::seconds(1));
    assert_eq!(laptop.installation.sign_in("chris", "guess-guess-guess").err().unwrap().code(), "auth.sign_in_failed");
    let slowed = laptop.installation.sign_in("chris", ADMIN_PASSWORD).err().unwrap();
    assert_eq!(slowed.to_string(), "Too many attempts. Wait 2 seconds, then try again.");
    laptop.clock.advance(Duration::seconds(2));
    assert!(laptop.installation.sign_in("chris", ADMIN_PASSWORD).is_ok());
}

#[test]
fn failed_sign_ins_reach_the_audit_trail_at_the_next_sign_in() {
    let laptop = new_laptop();
    drop(set_up(&laptop));
    laptop.installation.sign_in("chris", "not-the-password").err().unwrap();
    laptop.installation.sign_in("mallory", "not-the-password").err().unwrap();
    let admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).unwrap();
    let details: Vec<String> = admin
        .store()
        .reader()
        .prepare("SELECT detail FROM audit_log WHERE action = 'sign-in failed' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(details.len(), 2);
    assert!(details[0].starts_with("for chris"));
    assert!(details[1].starts_with("for an unknown name"));
}

#[test]
fn the_recovery_key_resets_a_forgotten_password() {
    let laptop = new_laptop();
    let (mut admin, recovery) = set_up(&laptop);
    add_custody_worker(&mut admin);
    drop(admin);

    let wrong = laptop.installation.reset_password_with_recovery_key("AAAA-BBBB", "dan", "a-brand-new-password").err().unwrap();
    assert_eq!(wrong.code(), "auth.recovery_key_wrong");

    // Typed in lower case with spaces: still accepted.
    let typed = recovery.to_lowercase().replace('-', " ");
    laptop.installation.reset_password_with_recovery_key(&typed, "dan", "a-brand-new-password").unwrap();
    assert!(laptop.installation.sign_in("dan", "custody-suite-seven").is_err());
    let dan = laptop.installation.sign_in("dan", "a-brand-new-password").unwrap();
    assert_eq!(count(&dan, "SELECT count(*) FROM audit_log WHERE action = 'password reset with the recovery key'"), 1);
}

#[test]
fn a_registered_client_is_there_after_signing_out_and_in_again() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let client = clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    assert_eq!(client.pnc.as_deref(), Some("1987/1234567U"), "stored in the long form");
    assert_eq!(client.nhs_number.as_deref(), Some("9434765919"));
    drop(admin);

    let mut admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).unwrap();
    let now = laptop.clock.now();
    let found = clients::search(admin.store().reader(), "smi", now).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].forenames, "John Paul");
    assert_eq!(found[0].age, 39);
    let actor = admin.actor();
    let record = clients::open(admin.store_mut(), &actor, &found[0].id).unwrap();
    assert_eq!(record.nhs_number.as_deref(), Some("943 476 5919"));
    assert_eq!(record.registered_by, "Chris Hall");
    assert_eq!(record.allocated_worker.as_deref(), Some("Chris Hall"));
    assert_eq!(count(&admin, "SELECT count(*) FROM audit_log WHERE action = 'viewed client record'"), 1);
    // Reading the open record again after a save is not a second view.
    let again = clients::reread(admin.store().reader(), &found[0].id, now).unwrap();
    assert_eq!(again, record);
    assert_eq!(count(&admin, "SELECT count(*) FROM audit_log WHERE action = 'viewed client record'"), 1);
}

/// Who made a record and when is the write's, whatever the code building it said.
#[test]
fn the_write_path_stamps_who_made_each_record_and_when() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let client = clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    assert_eq!((client.made.created_by.as_str(), client.made.created_at), (admin.worker().id.as_str(), laptop.clock.now()));

    laptop.clock.advance(Duration::minutes(5));
    let mut note = throughline_core::notes::CaseNote {
        id: "a-note".into(),
        client_id: client.id.clone(),
        record_type: None,
        record_id: None,
        text: "Rang to say he will come on Monday.".into(),
        corrects_note_id: None,
        made: Made { created_at: chrono::DateTime::UNIX_EPOCH, created_by: "someone else".into() },
    };
    admin.store_mut().write(&actor, |w| w.append(&mut note)).unwrap();
    let stored: (String, String) = admin
        .store()
        .reader()
        .query_row("SELECT created_by, created_at FROM case_notes WHERE id = 'a-note'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(stored, (admin.worker().id.clone(), "2026-11-23T09:05:00Z".to_string()));
    assert_eq!(note.made, Made { created_at: laptop.clock.now(), created_by: admin.worker().id.clone() });
}

#[test]
fn every_change_has_its_operation_and_audit_entry() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let client = clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    let (kind, changes, worker): (String, String, String) = admin
        .store()
        .reader()
        .query_row("SELECT kind, changes, worker_id FROM operations WHERE record_type = 'client' AND record_id = ?1", [&client.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(kind, "create");
    assert_eq!(worker, admin.worker().id);
    let changes: serde_json::Value = serde_json::from_str(&changes).unwrap();
    assert_eq!(changes["surname"], serde_json::json!([null, "Smith"]));
    assert_eq!(count(&admin, &format!("SELECT count(*) FROM audit_log WHERE action = 'create' AND client_id = '{}'", client.id)), 1);
    // Sequence numbers on this device have no gaps.
    let (seqs, max): (i64, i64) =
        admin.store().reader().query_row("SELECT count(*), max(seq) FROM operations", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(seqs, max);
}

#[test]
fn a_write_that_fails_midway_leaves_no_record_operation_or_audit() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let before = (
        count(&admin, "SELECT count(*) FROM clients"),
        count(&admin, "SELECT count(*) FROM operations"),
        count(&admin, "SELECT count(*) FROM audit_log"),
    );
    let mut client = clients::validate(&john_smith(), laptop.clock.now()).unwrap();
    client.id = "0190f0a0-0000-7000-8000-000000000001".into();
    let actor = admin.actor();

    // Killed after the record and its operation are written, before the commit.
    let result: Result<(), StoreError> = admin.store_mut().write(&actor, |w| {
        w.create(&mut client)?;
        Err(StoreError::WrongKey)
    });
    assert!(result.is_err());
    // And a panic in the middle of a write.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = admin.store_mut().write(&actor, |w| -> Result<(), StoreError> {
            w.create(&mut client)?;
            panic!("power cut");
        });
    }));
    assert!(panicked.is_err());

    let after = (
        count(&admin, "SELECT count(*) FROM clients"),
        count(&admin, "SELECT count(*) FROM operations"),
        count(&admin, "SELECT count(*) FROM audit_log"),
    );
    assert_eq!(before, after);
}

#[test]
fn the_audit_chain_detects_an_edited_entry() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    let check = admin.store().verify_audit_chain().unwrap();
    assert!(check.entries >= 3);
    assert_eq!(check.first_broken_entry, None);
    assert!(check.intact);
    assert!(check.finding.starts_with("The audit trail is intact."), "{}", check.finding);

    // The log refuses edits through SQL...
    let refused = admin.store().reader().execute("UPDATE audit_log SET detail = 'nothing' WHERE seq = 2", []);
    assert!(refused.is_err());
    // ...and someone who removes that guard is still found out.
    admin
        .store()
        .reader()
        .execute_batch(
            "DROP TRIGGER audit_log_is_append_only_update;
             UPDATE audit_log SET worker_id = 'someone-else' WHERE seq = 2;",
        )
        .unwrap();
    let check = admin.store().verify_audit_chain().unwrap();
    assert_eq!(check.first_broken_entry, Some(2));
    assert_eq!(check.problem, TrailProblem::Changed);
    assert!(
        check.finding.contains("Entry 2 has been changed since it was written. The trail can be trusted up to entry 1"),
        "{}",
        check.finding
    );
}

/// Reports and answers Cancel from the report numbered `cancel_at` on.
struct Watching {
    told: Vec<(u64, u64)>,
    cancel_at: Option<usize>,
}

impl throughline_core::store::progress::Progress for Watching {
    fn step(&mut self, _: &str, done: u64, total: u64) -> Result<(), throughline_core::store::StoreError> {
        if self.cancel_at.is_some_and(|at| self.told.len() >= at) {
            return Err(throughline_core::store::StoreError::Cancelled);
        }
        self.told.push((done, total));
        Ok(())
    }
}

#[test]
fn the_audit_check_tells_how_far_it_has_got_and_stops_when_cancelled() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    let reading = admin.start_reading().unwrap();
    let mut watching = Watching { told: Vec::new(), cancel_at: None };
    let check = reading.store().verify_audit_chain(&mut watching).unwrap();
    assert!(check.intact, "{}", check.finding);
    let entries = check.entries as u64;
    assert_eq!(watching.told.last(), Some(&(entries, entries)), "told every entry checked: {:?}", watching.told);

    let stopped = reading.store().verify_audit_chain(&mut Watching { told: Vec::new(), cancel_at: Some(0) });
    assert!(matches!(stopped, Err(throughline_core::store::StoreError::Cancelled)), "{stopped:?}");
}

/// A laptop with a few entries in the trail, the append-only guards dropped as someone
/// tampering with the file (with its key) would.
fn tampered_laptop() -> (Laptop, Session, i64) {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    admin.store_mut().write(&actor, |w| w.audit("printed", None, "a statement")).unwrap();
    admin.store().reader().execute_batch("DROP TRIGGER audit_log_is_append_only_delete;").unwrap();
    let last = count(&admin, "SELECT max(seq) FROM audit_log");
    (laptop, admin, last)
}

#[test]
fn the_audit_check_reports_an_entry_removed_from_the_middle() {
    let (_laptop, admin, _) = tampered_laptop();
    admin.store().reader().execute("DELETE FROM audit_log WHERE seq = 3", []).unwrap();
    let check = admin.store().verify_audit_chain().unwrap();
    assert!(!check.intact);
    assert_eq!(check.problem, TrailProblem::Removed);
    assert_eq!(check.first_broken_entry, Some(4));
    assert!(check.finding.contains("Entry 3 has been removed. The trail can be trusted up to entry 2"), "{}", check.finding);
}

#[test]
fn the_audit_check_reports_entries_cut_off_the_end() {
    let (laptop, admin, last) = tampered_laptop();
    admin.store().reader().execute("DELETE FROM audit_log WHERE seq >= ?1", [last - 1]).unwrap();
    let check = admin.store().verify_audit_chain().unwrap();
    assert!(!check.intact, "{}", check.finding);
    assert_eq!(check.problem, TrailProblem::CutFromEnd);
    assert!(
        check.finding.contains(&format!("The last 2 entries (entries {} to {last}) have been cut off the end.", last - 1)),
        "{}",
        check.finding
    );
    assert_eq!(check.last_good.as_ref().map(|e| e.seq), Some(last - 2));
    // Still reported after signing out and in again (the next writes do not hide it)...
    drop(admin);
    let admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).unwrap();
    assert_eq!(admin.store().verify_audit_chain().unwrap().problem, TrailProblem::CutFromEnd);
    // ...and deleting the anchor file is reported too.
    drop(admin);
    std::fs::remove_file(laptop.installation.dir().join("throughline.anchor")).unwrap();
    let admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).unwrap();
    let check = admin.store().verify_audit_chain().unwrap();
    assert_eq!(check.problem, TrailProblem::AnchorLost, "{}", check.finding);
}

#[test]
fn the_database_file_is_encrypted_and_needs_its_key() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    let cipher: String = admin.store().reader().query_row("PRAGMA cipher_version", [], |r| r.get(0)).unwrap();
    assert!(!cipher.is_empty());
    drop(admin);

    let db = laptop.installation.database_path();
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    for file in std::fs::read_dir(db.parent().unwrap()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        for secret in [&b"Smith"[..], b"John Paul", b"9434765919", b"1987/1234567U", b"kettle-lantern"] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret), "plaintext found on disk");
        }
    }
    // Only the worker's own account can read the folder and its files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(db.parent().unwrap()), 0o700);
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&db.parent().unwrap().join("keyslots.json")), 0o600);
    }
    // Plain SQLite (no key) cannot read it.
    let plain = rusqlite::Connection::open(&db).unwrap();
    assert!(plain.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_err());
}

/// Opens the database file through SQLCipher directly with `key`, its pages checked with
/// `check` (HMAC_SHA256 or HMAC_SHA512); None when that does not open it.
fn open_raw(db: &std::path::Path, key: &[u8; 32], check: &str) -> Option<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"; PRAGMA cipher_hmac_algorithm = {check};", hex::encode(key))).unwrap();
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok().then_some(conn)
}

/// A file whose pages are checked with the other hash (made before the choice, or on a laptop
/// whose processor computes the other quicker) opens, and at sign-in is copied once into this
/// laptop's quicker check, with everything in it as it was.
#[test]
fn a_file_made_with_the_other_page_check_opens_and_is_made_quicker_once() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let john = clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    let key = admin.database_key_for_tests();
    drop(admin);
    let db = laptop.installation.database_path();
    let checks = ["HMAC_SHA256", "HMAC_SHA512"];
    let made_with = *checks.iter().find(|c| open_raw(&db, &key, c).is_some()).expect("the file opens one way");
    let other = *checks.iter().find(|c| **c != made_with).unwrap();
    assert!(open_raw(&db, &key, other).is_none(), "a page checked one way does not pass the other");

    // The same database copied page by page into a file checked the other way, put in its place.
    let elsewhere = db.with_file_name("elsewhere.db");
    {
        let from = open_raw(&db, &key, made_with).unwrap();
        let mut to = rusqlite::Connection::open(&elsewhere).unwrap();
        to.execute_batch(&format!("PRAGMA key = \"x'{}'\"; PRAGMA cipher_hmac_algorithm = {other};", hex::encode(key))).unwrap();
        rusqlite::backup::Backup::new(&from, &mut to).unwrap().run_to_completion(64, std::time::Duration::ZERO, None).unwrap();
    }
    std::fs::rename(&elsewhere, &db).unwrap();
    assert!(open_raw(&db, &key, other).is_some() && open_raw(&db, &key, made_with).is_none());

    let admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).expect("a file checked the other way opens");
    assert_eq!(clients::get(admin.store().reader(), &john.id).unwrap().unwrap().surname, "Smith");
    assert!(admin.store().verify_audit_chain().unwrap().intact);
    drop(admin);
    assert!(open_raw(&db, &key, made_with).is_some(), "at sign-in the file was copied into the quicker check");
    assert!(open_raw(&db, &key, other).is_none());
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(!db.with_file_name("throughline.db-quicker").exists());
        // A copy left by a crash part way is removed at the next sign-in.
        std::fs::write(db.with_file_name("throughline.db-quicker"), b"a copy cut short").unwrap();
        // Once: the next sign-in opens the same file.
        let inode = std::fs::metadata(&db).unwrap().ino();
        drop(laptop.installation.sign_in("chris", ADMIN_PASSWORD).unwrap());
        assert_eq!(std::fs::metadata(&db).unwrap().ino(), inode);
        assert!(!db.with_file_name("throughline.db-quicker").exists());
    }
}

#[test]
fn an_idle_session_locks_after_the_team_idle_time() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    laptop.clock.advance(Duration::minutes(4));
    assert!(!admin.is_idle());
    admin.touch();
    laptop.clock.advance(Duration::minutes(4) + Duration::seconds(59));
    assert!(!admin.is_idle(), "touching restarts the idle time");
    laptop.clock.advance(Duration::seconds(1));
    assert!(admin.is_idle());

    // The team can shorten it.
    admin.save_team_settings(&throughline_core::accounts::settings::TeamSettings { idle_lock_minutes: 2, ..Default::default() }).unwrap();
    admin.touch();
    laptop.clock.advance(Duration::minutes(2));
    assert!(admin.is_idle());
    let out_of_range =
        admin.save_team_settings(&throughline_core::accounts::settings::TeamSettings { idle_lock_minutes: 0, ..Default::default() });
    assert_eq!(out_of_range.err().unwrap().code(), "validation.idle_lock_range");
}

#[test]
fn a_second_registration_with_a_known_pnc_is_refused() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    clients::register(admin.store_mut(), &actor, &john_smith()).unwrap();
    let again = NewClient { nhs_number: String::new(), ..john_smith() };
    let err = clients::register(admin.store_mut(), &actor, &again).err().unwrap();
    assert_eq!(err.code(), "validation.pnc_known");
    assert!(err.to_string().contains("John Paul Smith (born 3 Mar 1987)"), "{err}");
}

#[test]
fn bad_client_details_each_get_their_own_message_and_nothing_is_saved() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor: Actor = admin.actor();
    let cases = [
        (NewClient { pnc: "1987/1234567A".into(), ..john_smith() }, "pnc", "validation.pnc_check_letter"),
        (NewClient { pnc: "smith".into(), ..john_smith() }, "pnc", "validation.pnc_format"),
        (NewClient { nhs_number: "943 476 5918".into(), ..john_smith() }, "nhs_number", "validation.nhs_check_digit"),
        (NewClient { date_of_birth: "01/01/2027".into(), ..john_smith() }, "date_of_birth", "validation.dob_future"),
        (NewClient { date_of_birth: "01/01/1900".into(), ..john_smith() }, "date_of_birth", "validation.dob_too_old"),
        (NewClient { surname: "".into(), ..john_smith() }, "surname", "validation.required"),
        (NewClient { surname: "x".repeat(10_000), ..john_smith() }, "surname", "validation.too_long"),
        (NewClient { forenames: "John\u{7}".into(), ..john_smith() }, "forenames", "validation.control_characters"),
        (NewClient { sex: "".into(), ..john_smith() }, "sex", "validation.required"),
    ];
    for (input, field, code) in cases {
        let err = clients::register(admin.store_mut(), &actor, &input).err().unwrap();
        let ClientError::Invalid(v) = &err else { panic!("{err}") };
        assert_eq!((v.0[0].field.as_str(), v.0[0].code.as_str()), (field, code));
    }
    assert_eq!(count(&admin, "SELECT count(*) FROM clients"), 0);
}

#[test]
fn markup_in_a_name_is_refused_saying_what_to_remove() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let input = NewClient { surname: "<img src=x onerror=alert(1)>".into(), pnc: String::new(), nhs_number: String::new(), ..john_smith() };
    let ClientError::Invalid(refused) = clients::register(admin.store_mut(), &actor, &input).unwrap_err() else { panic!("a form error") };
    assert_eq!(refused.0[0].field, "surname");
    assert_eq!(refused.0[0].code, throughline_core::ErrorCode::ValidationNameCharacters);
    assert!(refused.0[0].message.contains(r#"Remove "<", "=", "(", "1", ")" and ">"."#), "{}", refused.0[0].message);
    // Real names with accents, hyphens, apostrophes and full stops are kept as typed.
    let input = NewClient { surname: "O'Brien-Núñez".into(), forenames: "Zoë St. John".into(), ..john_smith() };
    let c = clients::register(admin.store_mut(), &actor, &input).unwrap();
    let record = clients::open(admin.store_mut(), &actor, &c.id).unwrap();
    assert_eq!((record.surname.as_str(), record.forenames.as_str()), ("O'Brien-Núñez", "Zoë St. John"));
}

#[test]
fn a_pnc_id_typed_without_its_slash_is_stored_with_it() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let input = NewClient { pnc: "19871234567U".into(), ..john_smith() };
    let c = clients::register(admin.store_mut(), &actor, &input).unwrap();
    assert_eq!(clients::open(admin.store_mut(), &actor, &c.id).unwrap().pnc.as_deref(), Some("1987/1234567U"));
    let found = clients::search(admin.store().reader(), "19871234567U", laptop.clock.now()).unwrap();
    assert_eq!(found.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![c.id.as_str()]);
}

#[test]
fn a_worker_changes_their_own_password() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let wrong = admin.change_own_password("not-my-password", "a-new-long-password").err().unwrap();
    assert_eq!(wrong.code(), "auth.current_password_wrong");
    admin.change_own_password(ADMIN_PASSWORD, "a-new-long-password").unwrap();
    drop(admin);
    assert!(laptop.installation.sign_in("chris", ADMIN_PASSWORD).is_err());
    assert!(laptop.installation.sign_in("chris", "a-new-long-password").is_ok());
}

#[test]
fn a_key_slot_made_with_the_old_cost_opens_and_is_wrapped_again_at_sign_in() {
    use throughline_core::accounts::keyslots::{self, KdfParams, SlotFile};
    let laptop = new_laptop();
    drop(keyslots::with_kdf(Some(KdfParams::LEGACY), || set_up(&laptop)));
    let slots_file = laptop.installation.dir().join("keyslots.json");
    let costs = |file: &SlotFile| file.slots.iter().map(|s| s.kdf).collect::<Vec<_>>();
    assert_eq!(costs(&SlotFile::load(&slots_file).unwrap()), vec![KdfParams::LEGACY; 2]);

    let admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).expect("the old slot still opens");
    let file = SlotFile::load(&slots_file).unwrap();
    let chris = file.label_for_login("chris");
    let cost_of = |label: &str| file.slots.iter().find(|s| s.label == label).unwrap().kdf;
    assert_eq!(cost_of(&chris), KdfParams::for_new_slots(), "wrapped again with the current cost");
    assert_eq!(cost_of("recovery"), KdfParams::LEGACY, "the recovery key's slot waits for the recovery key");
    assert_eq!(count(&admin, "SELECT count(*) FROM audit_log WHERE action = 'key slot strengthened'"), 1);
    drop(admin);
    assert!(laptop.installation.sign_in("chris", ADMIN_PASSWORD).is_ok(), "and opens again");
    assert!(laptop.installation.sign_in("chris", "not-the-password-at-all").is_err());
}

/// SQLite would copy the write-ahead log back into the file inside whichever save took it past
/// a thousand pages; here a connection of its own does, off the save path. The log stays as
/// short as that keeps it, and every save is there after signing in again.
#[test]
fn the_write_ahead_log_is_copied_back_away_from_the_saves_and_nothing_is_lost() {
    let laptop = new_laptop();
    let (mut admin, _) = set_up(&laptop);
    let actor = admin.actor();
    let log = laptop._dir.path().join("data").join("throughline.db-wal");
    let frame = 4096 + 24;
    let before = count(&admin, "SELECT count(*) FROM clients");
    // About 36 pages each: 10,912 pages of log when nothing copied it back while saves ran.
    for i in 0..300 {
        let person = NewClient {
            surname: format!("Copied{}{}", char::from(b'a' + (i / 26) as u8), char::from(b'a' + (i % 26) as u8)),
            forenames: "Test".into(),
            date_of_birth: "01/01/1990".into(),
            sex: "female".into(),
            ..NewClient::default()
        };
        clients::register(admin.store_mut(), &actor, &person).unwrap();
    }
    let longest = std::fs::metadata(&log).unwrap().len() / frame;
    assert!(longest < 4_000, "the log reached {longest} pages");
    drop(admin);
    let admin = laptop.installation.sign_in("chris", ADMIN_PASSWORD).unwrap();
    assert_eq!(count(&admin, "SELECT count(*) FROM clients"), before + 300);
}
