//! Long tasks as a worker watches them: joining a team, exporting and importing a bundle,
//! writing, checking and restoring a backup each say how far they have got, and each can be
//! cancelled part way with nothing left half done: the laptop is as it was before, and the same
//! task run again afterwards goes through.
mod support;

use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::keyslots::RecoveryKey;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::accounts::{AccountError, Installation, Session};
use throughline_core::clock::FixedClock;
use throughline_core::store::progress::Progress;
use throughline_core::store::StoreError;
use throughline_core::sync::join::NewLaptop;
use throughline_core::sync::{self, records, ExportScope};
use throughline_core::{testing, Coded, ErrorCode};

const NOW: &str = "2026-12-03T09:00:00Z";
const PASSWORD: &str = "quartz-meadow-lantern-417";

/// What a window would show, and a worker who presses Cancel once `doing` reaches `at`.
#[derive(Default)]
struct Watching {
    seen: Vec<(String, u64, u64)>,
    cancel: Option<(&'static str, u64)>,
}

impl Watching {
    fn cancelling_at(doing: &'static str, at: u64) -> Self {
        Watching { seen: Vec::new(), cancel: Some((doing, at)) }
    }

    /// The reports of one kind of work, in order.
    fn of(&self, doing: &str) -> Vec<(u64, u64)> {
        self.seen.iter().filter(|(d, ..)| d == doing).map(|(_, done, total)| (*done, *total)).collect()
    }
}

impl Progress for Watching {
    fn step(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError> {
        self.seen.push((doing.to_string(), done, total));
        match self.cancel {
            Some((when, at)) if when == doing && done >= at => Err(StoreError::Cancelled),
            _ => Ok(()),
        }
    }
}

/// The reports of one kind of work rise to the whole of it.
fn rises_to_the_whole(reports: &[(u64, u64)]) {
    assert!(reports.len() >= 2, "more than one report: {reports:?}");
    assert!(reports.windows(2).all(|w| w[0].0 <= w[1].0), "the work done only rises: {reports:?}");
    let (done, total) = *reports.last().unwrap();
    assert!(total > 0 && done == total, "it ends with all of it done: {reports:?}");
}

fn cancelled(code: ErrorCode) {
    assert_eq!(code, ErrorCode::TaskCancelled);
}

/// A different surname for each person (names take letters only).
fn surname(i: usize) -> String {
    let letter = |n: usize| (b'a' + (n % 26) as u8) as char;
    format!("Person{}{}", letter(i / 26).to_ascii_uppercase(), letter(i))
}

struct Team {
    clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
    lead: Session,
    recovery: RecoveryKey,
    court_worker: String,
}

/// A team lead's laptop with a court worker, and `clients` people registered.
fn team_with(clients: usize) -> Team {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(NOW));
    let (mut lead, recovery) = testing::set_up_team_with_recovery(&Installation::new(dir.path(), clock.clone()));
    let court_worker = lead
        .add_worker(&NewWorker {
            display_name: "Grace Okafor".into(),
            login: "grace".into(),
            roles: vec![Role::Court],
            password: PASSWORD.into(),
        })
        .unwrap()
        .id;
    for i in 0..clients {
        support::register_named(&mut lead, &surname(i), "Alex");
    }
    Team { clock, _dir: dir, lead, recovery, court_worker }
}

impl Team {
    fn join_file(&mut self) -> sync::join::JoinFile {
        let actor = self.lead.actor();
        let laptop = NewLaptop { label: "Court laptop".into(), worker_id: self.court_worker.clone() };
        sync::join::make(self.lead.store_mut(), &actor, &laptop).unwrap()
    }
}

fn bundles(session: &Session, direction: &str) -> i64 {
    session.store().reader().query_row("SELECT count(*) FROM sync_bundles WHERE direction = ?1", [direction], |r| r.get(0)).unwrap()
}

fn hash(session: &Session) -> String {
    records::content_hash(session.store().reader()).unwrap()
}

#[test]
fn an_import_cancelled_part_way_leaves_the_laptop_as_it_was_and_goes_through_when_run_again() {
    let mut team = team_with(0);
    let file = team.join_file();
    let court_dir = tempfile::tempdir().unwrap();
    let (mut court, _) = Installation::new(court_dir.path(), team.clock.clone()).join(&file.bytes, &file.passphrase, PASSWORD).unwrap();

    // The lead registers a morning's worth of people, and exports them for the court laptop.
    for i in 0..700 {
        support::register_named(&mut team.lead, &surname(i), "Alex");
    }
    let actor = team.lead.actor();
    let bundle = sync::export(team.lead.store_mut(), &actor, &ExportScope::Everything).unwrap().0;
    let before = hash(&court);

    // The court worker cancels once five hundred changes are in.
    let actor = court.actor();
    let mut watching = Watching::cancelling_at("Applying the changes", 500);
    let refused = sync::import_watched(court.store_mut(), &actor, &bundle, &mut watching).unwrap_err();
    cancelled(refused.code());
    assert_eq!(refused.to_string(), "Cancelled before it finished: nothing was changed.");
    assert_eq!(watching.of("Applying the changes").last(), Some(&(500, 1414)));
    assert_eq!(hash(&court), before, "none of the five hundred changes applied stays");
    assert_eq!(bundles(&court, "import"), 0, "nothing is recorded as imported");

    // Or once every change is in and the records they make are being written.
    let mut watching = Watching::cancelling_at("Applying the changes", 1_000);
    cancelled(sync::import_watched(court.store_mut(), &actor, &bundle, &mut watching).unwrap_err().code());
    assert_eq!(watching.of("Applying the changes").last(), Some(&(1_000, 1414)));
    assert_eq!(hash(&court), before, "none of the records written stays");
    assert_eq!(bundles(&court, "import"), 0, "nothing is recorded as imported");

    // Run again, it goes through, saying how far it has got on the way.
    let mut watching = Watching::default();
    let summary = sync::import_watched(court.store_mut(), &actor, &bundle, &mut watching).unwrap();
    assert_eq!((summary.already_imported, summary.new_operations), (false, 700));
    assert_eq!(watching.seen[0].0, "Opening the bundle");
    rises_to_the_whole(&watching.of("Applying the changes"));
    assert_eq!(hash(&court), hash(&team.lead));
}

#[test]
fn an_export_cancelled_saves_no_file_and_counts_nothing_as_sent() {
    let mut team = team_with(30);
    let actor = team.lead.actor();
    let mut saved = false;
    let mut watching = Watching::cancelling_at("Saving the file", 0);
    let refused = sync::export_with(team.lead.store_mut(), &actor, &ExportScope::Everything, &mut watching, |_| {
        saved = true;
        Ok(())
    })
    .unwrap_err();
    cancelled(refused.code());
    assert!(!saved, "no bundle reached the file");
    assert_eq!(bundles(&team.lead, "export"), 0, "nothing counted as sent");

    let mut watching = Watching::default();
    let (_, summary) = sync::export_with(team.lead.store_mut(), &actor, &ExportScope::Everything, &mut watching, |_| Ok(())).unwrap();
    let gathered = watching.of("Gathering the changes");
    assert_eq!(gathered.first(), Some(&(0, summary.operations as u64)), "the whole is known before the first change is read");
    assert_eq!(gathered.last(), Some(&(summary.operations as u64, summary.operations as u64)));
    assert_eq!(bundles(&team.lead, "export"), 1);
}

#[test]
fn joining_cancelled_leaves_the_laptop_not_set_up_and_it_can_join_again() {
    let mut team = team_with(600);
    let file = team.join_file();
    let court_dir = tempfile::tempdir().unwrap();
    let laptop = Installation::new(court_dir.path(), team.clock.clone());

    let mut watching = Watching::cancelling_at("Taking in the team's data", 1);
    let refused = laptop.join_watched(&file.bytes, &file.passphrase, PASSWORD, &mut watching).map(|_| ()).unwrap_err();
    cancelled(refused.code());
    assert!(!laptop.is_set_up());
    assert!(!court_dir.path().join("throughline.db").exists(), "no half-filled database is left");

    let mut watching = Watching::default();
    let (court, _) = laptop.join_watched(&file.bytes, &file.passphrase, PASSWORD, &mut watching).unwrap();
    rises_to_the_whole(&watching.of("Taking in the team's data"));
    assert_eq!(court.worker().display_name, "Grace Okafor");
}

#[test]
fn a_join_file_cancelled_or_not_saved_leaves_its_laptop_revoked_and_a_new_one_can_be_made() {
    let mut team = team_with(300);
    let actor = team.lead.actor();
    let laptop = NewLaptop { label: "Court laptop".into(), worker_id: team.court_worker.clone() };
    // The court laptops the lead's list shows, each revoked or not.
    let court_laptops = |lead: &Session| -> Vec<bool> {
        let all = sync::laptop::all(lead.store().reader()).unwrap();
        all.into_iter().filter(|d| d.label == "Court laptop").map(|d| d.revoked_at.is_some()).collect()
    };

    // Cancelled while the team's data is copied: nothing is saved, and the laptop it was for
    // is revoked at once (its key was only ever in that file).
    let mut watching = Watching::cancelling_at("Copying the team's data", 1);
    let mut saved = false;
    let refused = sync::join::make_watched(team.lead.store_mut(), &actor, &laptop, &mut watching, |_| {
        saved = true;
        Ok(())
    })
    .map(|_| ())
    .unwrap_err();
    cancelled(refused.code());
    assert!(!saved, "no file reached the folder");
    assert_eq!(court_laptops(&team.lead), [true], "listed, as revoked");

    // The folder is full: the lead is told so in words, and that laptop is revoked too.
    let refused = sync::join::make_watched(team.lead.store_mut(), &actor, &laptop, &mut Watching::default(), |_| {
        Err(sync::SyncError::FileNotSaved("No space left on device".into()))
    })
    .map(|_| ())
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ExportWriteFailed);
    assert!(refused.to_string().contains("could not be saved there (No space left on device)"), "{refused}");
    assert_eq!(court_laptops(&team.lead), [true, true]);

    // Made again and saved, the court worker joins with it.
    let mut watching = Watching::default();
    let file = sync::join::make_watched(team.lead.store_mut(), &actor, &laptop, &mut watching, |_| Ok(())).unwrap();
    rises_to_the_whole(&watching.of("Copying the team's data"));
    assert_eq!(court_laptops(&team.lead).iter().filter(|revoked| !**revoked).count(), 1);
    let court_dir = tempfile::tempdir().unwrap();
    let (court, _) = Installation::new(court_dir.path(), team.clock.clone()).join(&file.bytes, &file.passphrase, PASSWORD).unwrap();
    assert_eq!(court.worker().display_name, "Grace Okafor");
    assert_eq!(hash(&court), hash(&team.lead));
}

fn folder_is_empty(folder: &Path) -> bool {
    std::fs::read_dir(folder).unwrap().next().is_none()
}

#[test]
fn a_backup_cancelled_leaves_nothing_in_the_folder_and_a_restore_cancelled_leaves_the_laptop_not_set_up() {
    let mut team = team_with(300);
    let usb = tempfile::tempdir().unwrap();

    let mut watching = Watching::cancelling_at("Copying the database", 1);
    let refused = team.lead.back_up_watched(usb.path(), &mut watching).unwrap_err();
    cancelled(refused.code());
    assert!(folder_is_empty(usb.path()), "no half-written backup to be trusted later");

    let mut watching = Watching::default();
    let made = team.lead.back_up_watched(usb.path(), &mut watching).unwrap();
    rises_to_the_whole(&watching.of("Copying the database"));
    assert!(watching.of("Checking the copy").len() == 1);

    // Checking it can be stopped, and says nothing is wrong with it when it was.
    let folder = Path::new(&made.folder);
    let mut watching = Watching::cancelling_at("Checking the backup's files", 1);
    assert!(matches!(team.lead.verify_backup_watched(folder, &mut watching), Err(AccountError::Store(StoreError::Cancelled))));

    // A new laptop: the restore stopped while the database is copied leaves it as it was.
    let recovery = team.recovery.display();
    let new_laptop = tempfile::tempdir().unwrap();
    let installation = Installation::new(new_laptop.path(), team.clock.clone());
    let mut watching = Watching::cancelling_at("Copying the database", 1);
    let refused = installation.restore_backup_watched(folder, &recovery, &mut watching).unwrap_err();
    cancelled(refused.code());
    assert!(!installation.is_set_up());
    let left: Vec<_> = std::fs::read_dir(new_laptop.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "nothing is left on the new laptop: {left:?}");

    let mut watching = Watching::default();
    let restored = installation.restore_backup_watched(folder, &recovery, &mut watching).unwrap();
    assert_eq!(restored.clients, 300);
    rises_to_the_whole(&watching.of("Copying the database"));
    assert!(installation.is_set_up());
}
