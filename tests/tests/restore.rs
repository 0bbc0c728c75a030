//! A laptop restored from its backup keeps syncing (issue 20). The team lead enrols a laptop for
//! the administrator, Chris Hall ("laptop B"); Chris writes case notes there and backs it up, and
//! B's bundles reach the lead's laptop. B then dies: its backup is restored on a new laptop
//! ("laptop C") with B's recovery key, and bundles flow both ways between C and the lead's
//! laptop with nothing either side wrote lost or refused.
mod common;

use common::{folder_into_dialog, path_into_dialog, Journey};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use throughline_core::accounts::{workers, Installation};
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

/// Chris Hall's password on laptop B (and so on C, restored from B's backup).
const CHRIS_PASSWORD: &str = "harbour-kettle-orchard";

const BEFORE_BACKUP: &str = "Written on laptop B before the backup";
const AFTER_BACKUP: &str = "Written on laptop B after the backup";
const ON_REPLACEMENT: &str = "Written on the replacement laptop";
const FROM_LEAD: &str = "Written on the lead's laptop";

/// The lead's laptop: a small demo team, with Maria Lopez on the register. Returns the
/// administrator's (Chris Hall's) worker id.
fn leads_laptop(dir: &Path) -> String {
    demo::create_installation(dir, Arc::new(SystemClock), 20, 4).expect("demo team");
    let mut lead = Installation::new(dir, Arc::new(SystemClock)).sign_in("lead", demo::DEMO_PASSWORD).expect("sign in");
    let actor = lead.actor();
    let maria = NewClient {
        surname: "Lopez".into(),
        forenames: "Maria".into(),
        date_of_birth: "12/04/1991".into(),
        sex: "female".into(),
        ..Default::default()
    };
    clients::register(lead.store_mut(), &actor, &maria).expect("register Maria Lopez");
    workers::by_login(lead.store().reader(), "admin").unwrap().expect("the demo administrator").id
}

async fn open_maria(j: &Journey) {
    j.click("#nav-find").await;
    j.wait_for_heading("Find a person").await;
    j.fill("search", "lopez maria").await;
    j.wait_for_text(".search-result", "LOPEZ, Maria").await;
    j.click(".search-result").await;
    j.wait_for_heading("Maria Lopez").await;
}

/// Maria Lopez's record: a case note.
async fn add_note(j: &Journey, text: &str) {
    open_maria(j).await;
    j.click("#add-note").await;
    j.wait_for_heading("Add a case note").await;
    j.fill("note_text", text).await;
    j.click("#save-form").await;
    j.wait_for_heading("Maria Lopez").await;
    j.wait_for_text("#notes", text).await;
}

/// Maria Lopez's record shows every one of these case notes.
async fn notes_show(j: &mut Journey, notes: &[&str], shot: &str) {
    open_maria(j).await;
    for note in notes {
        j.wait_for_text("#notes", note).await;
    }
    j.c().execute("document.getElementById('notes').scrollIntoView()", vec![]).await.expect("scroll");
    j.shot(shot).await;
}

/// Sync screen: export everything on this laptop to `path`.
async fn export_to(j: &Journey, path: &Path) {
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.click("#send-to-everything").await;
    j.click("#export-bundle").await;
    path_into_dialog("Save the sync bundle", path, false);
    j.wait_for_text("#sync-said", "Saved").await;
}

/// Sync screen: imports the bundle at `path` and returns what the screen says of it, which must
/// be that it was taken in ("… new of … changes"), not refused.
async fn import_from(j: &mut Journey, path: &Path, shot: &str) -> String {
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.click("#import-bundles").await;
    path_into_dialog("Import sync bundles", path, true);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    // The line for this bundle, whether it was taken in or refused.
    let deadline = Instant::now() + Duration::from_secs(30);
    let said = loop {
        let text = match j.c().find(fantoccini::Locator::Css("#import-results")).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(&name) {
            break text;
        }
        assert!(Instant::now() < deadline, "no result for {name} on the Sync screen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    j.shot(shot).await;
    let refused = j.c().find(fantoccini::Locator::Css("#import-results .error-message")).await.is_ok();
    assert!(!refused && said.contains("new of"), "the bundle {name} was not taken in; the Sync screen says: {said:?}");
    said
}

#[tokio::test]
async fn a_laptop_restored_from_its_backup_keeps_syncing_both_ways() {
    let mut chris_id = String::new();
    let mut j = Journey::start_with("restore", |dir| chris_id = leads_laptop(dir)).await;
    let leads = j.data.path().to_path_buf();
    let usb = tempfile::Builder::new().prefix("usb-stick-").tempdir().expect("a folder standing for the USB stick");
    let laptop_b = tempfile::tempdir().expect("laptop B's data folder");
    let laptop_c = tempfile::tempdir().expect("laptop C's data folder");

    // 1. The lead's laptop: a join file for Chris Hall's new laptop.
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.fill("laptop-label", "Chris's laptop").await;
    j.choose("laptop-worker", &chris_id).await;
    j.click("#make-join-file").await;
    let join_file = usb.path().join("chris-laptop.throughline-join");
    path_into_dialog("Save the join file", &join_file, false);
    j.wait_for_text("#join-file-made", "Tell Chris Hall this passphrase").await;
    let passphrase = j.text("#join-passphrase").await;

    // 2. Laptop B joins the team; its recovery key is written down.
    j.move_to(laptop_b.path()).await;
    j.wait_for_heading("Set up Throughline").await;
    j.click("#join-existing-team").await;
    j.wait_for_heading("Join your team").await;
    j.click("#choose-join-file").await;
    path_into_dialog("Open the join file", &join_file, true);
    j.wait_for_text("#join-file-name", "chris-laptop.throughline-join").await;
    j.fill("passphrase", &passphrase).await;
    j.fill("password", CHRIS_PASSWORD).await;
    j.fill("password_confirm", CHRIS_PASSWORD).await;
    j.click("#join-team").await;
    j.wait_for_heading("Your recovery key").await;
    let recovery_key = j.text("#recovery-key").await.trim().to_string();
    j.click("#recovery-key-saved").await;
    j.click("#recovery-key-continue").await;
    j.wait_for_heading("Today").await;

    // 3. Chris writes a case note and sends it.
    add_note(&j, BEFORE_BACKUP).await;
    let b_first = usb.path().join("from-b-1.throughline");
    export_to(&j, &b_first).await;

    // 4. Chris backs laptop B up to the USB stick.
    j.click("#nav-backups").await;
    j.wait_for_heading("Backups").await;
    j.click("#back-up-now").await;
    folder_into_dialog("Choose where to save the backup", usb.path());
    j.wait_for_text("#backup-result", "Backup written and checked").await;
    j.shot("b-backed-up").await;
    let backup = std::fs::read_dir(usb.path())
        .expect("the stick")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("throughline-backup-")))
        .expect("a throughline-backup-… folder on the stick");

    // 5. One more note after the backup, sent too; then laptop B dies.
    add_note(&j, AFTER_BACKUP).await;
    let b_second = usb.path().join("from-b-2.throughline");
    export_to(&j, &b_second).await;

    // The lead's laptop takes both of B's bundles in.
    j.move_to(&leads).await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    import_from(&mut j, &b_first, "lead-imports-b-1").await;
    import_from(&mut j, &b_second, "lead-imports-b-2").await;
    notes_show(&mut j, &[BEFORE_BACKUP, AFTER_BACKUP], "lead-has-bs-notes").await;

    // 6. Laptop C: restored from B's backup with B's recovery key; Chris signs in and writes.
    j.move_to(laptop_c.path()).await;
    j.wait_for_heading("Set up Throughline").await;
    j.click("#restore-from-backup").await;
    j.wait_for_heading("Restore from a backup").await;
    j.fill("recovery_key", &recovery_key).await;
    j.click("#restore-backup").await;
    folder_into_dialog("Choose the backup folder to restore", &backup);
    j.wait_for_heading("Sign in to Throughline").await;
    j.wait_for_text(".success-banner", "is restored").await;
    j.shot("c-restored").await;
    j.sign_in("admin", CHRIS_PASSWORD).await;
    j.wait_for_heading("Today").await;
    add_note(&j, ON_REPLACEMENT).await;
    notes_show(&mut j, &[BEFORE_BACKUP, ON_REPLACEMENT], "c-after-its-note").await;

    // 7. C's bundle reaches the lead's laptop and is taken in: the replacement's note and the
    // one B wrote after the backup are both there.
    let c_first = usb.path().join("from-c-1.throughline");
    export_to(&j, &c_first).await;
    j.move_to(&leads).await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    import_from(&mut j, &c_first, "lead-imports-c").await;
    notes_show(&mut j, &[BEFORE_BACKUP, AFTER_BACKUP, ON_REPLACEMENT], "lead-has-cs-note").await;

    // 8. The lead writes a note and sends everything; C takes it in and shows every note.
    add_note(&j, FROM_LEAD).await;
    let from_lead = usb.path().join("from-lead.throughline");
    export_to(&j, &from_lead).await;
    j.move_to(laptop_c.path()).await;
    j.sign_in("admin", CHRIS_PASSWORD).await;
    j.wait_for_heading("Today").await;
    import_from(&mut j, &from_lead, "c-imports-lead").await;
    notes_show(&mut j, &[BEFORE_BACKUP, AFTER_BACKUP, FROM_LEAD, ON_REPLACEMENT], "c-has-every-note").await;
    j.finish().await;
}
