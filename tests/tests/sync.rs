//! Two laptops of one team, through files: the team lead enrols a court worker's laptop with a
//! join file, both change the same person's phone number while apart, bundles go both ways,
//! each laptop lists the conflict, and the court worker restores the number the lead's laptop
//! did not keep. A team lead's join file cannot vouch for the court worker's signing key: her
//! laptop asks, and an administrator vouches for it once the characters match.
mod common;

use common::{path_into_dialog, Journey};
use std::sync::Arc;
use throughline_core::accounts::{workers, Installation};
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

const COURT_PASSWORD: &str = "gavel-lantern-orchard";

/// The lead's laptop: the demo team, with Maria Lopez on the register. Returns the court
/// worker's id.
fn leads_laptop(dir: &std::path::Path) -> String {
    demo::create_installation(dir, Arc::new(SystemClock), 11, 40).expect("demo team");
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
    workers::by_login(lead.store().reader(), "court").unwrap().expect("the demo court worker").id
}

/// Brings the conflicts inbox into view, for the screenshot.
async fn show_conflicts(j: &Journey) {
    j.c().execute("document.querySelector('#sync-conflicts').scrollIntoView()", vec![]).await.expect("scroll");
}

async fn change_phone(j: &Journey, number: &str) {
    j.click("#nav-find").await;
    j.wait_for_heading("Find a person").await;
    j.fill("search", "lopez maria").await;
    j.wait_for_text(".search-result", "LOPEZ, Maria").await;
    j.click(".search-result").await;
    j.wait_for_heading("Maria Lopez").await;
    j.click("#edit-details").await;
    j.click("details.details summary").await;
    j.fill("phone", number).await;
    j.click("#save-details").await;
    j.wait_for_text(".success-banner", "Changed: Phone").await;
}

/// Sync screen: export everything to `path`.
async fn export_to(j: &Journey, path: &std::path::Path) {
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.click("#send-to-everything").await;
    j.click("#export-bundle").await;
    path_into_dialog("Save the sync bundle", path, false);
    j.wait_for_text("#sync-said", "Saved").await;
}

async fn import_from(j: &Journey, path: &std::path::Path) {
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.click("#import-bundles").await;
    path_into_dialog("Import sync bundles", path, true);
    j.wait_for_text("#import-results", "new of").await;
}

#[tokio::test]
async fn a_lead_enrols_a_laptop_both_change_one_phone_apart_and_the_conflict_is_seen_and_restored_on_both() {
    let mut court_id = String::new();
    let mut j = Journey::start_with("sync", |dir| court_id = leads_laptop(dir)).await;
    let leads = j.data.path().to_path_buf();
    let files = tempfile::tempdir().expect("a folder standing for the USB stick");
    let court_laptop = tempfile::tempdir().expect("the court laptop's data folder");

    // The lead's laptop: a join file for Grace Okafor's new laptop.
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.fill("laptop-label", "Court laptop").await;
    j.choose("laptop-worker", &court_id).await;
    j.click("#make-join-file").await;
    let join_file = files.path().join("court-laptop.throughline-join");
    path_into_dialog("Save the join file", &join_file, false);
    j.wait_for_text("#join-file-made", "Tell Grace Okafor this passphrase").await;
    let passphrase = j.text("#join-passphrase").await;
    j.shot("join-file-made").await;

    // The court laptop joins: the team's records come with the file.
    j.move_to(court_laptop.path()).await;
    j.wait_for_heading("Set up Throughline").await;
    j.click("#join-existing-team").await;
    j.wait_for_heading("Join your team").await;
    j.click("#choose-join-file").await;
    path_into_dialog("Open the join file", &join_file, true);
    j.wait_for_text("#join-file-name", "court-laptop.throughline-join").await;
    j.fill("passphrase", &passphrase.to_lowercase()).await;
    j.fill("password", COURT_PASSWORD).await;
    j.fill("password_confirm", COURT_PASSWORD).await;
    j.shot("joining").await;
    j.click("#join-team").await;
    // The team's records come in as a copy of the lead's database (a second or two here, with
    // a bar for a big team's: core/tests/long_tasks.rs).
    j.wait_for_heading("Your recovery key").await;
    j.click("#recovery-key-saved").await;
    j.click("#recovery-key-continue").await;
    j.wait_for_heading("Today").await;
    // Her signing key on this laptop is not known to the team yet: its characters, to read out.
    j.click("#nav-settings").await;
    j.wait_for_text("#own-key-status", "does not know this key yet").await;
    let fingerprint = j.text("#own-key-fingerprint").await;
    assert_eq!(fingerprint.len(), 23, "four groups of five: {fingerprint}");
    j.c().execute("document.querySelector('#signing-key-heading').scrollIntoView()", vec![]).await.expect("scroll");
    j.shot("signing-key-waiting").await;
    // Apart: the court worker records a phone number and sends everything.
    change_phone(&j, "07700 900222").await;
    let from_court = files.path().join("from-court.throughline");
    export_to(&j, &from_court).await;

    // The lead, later and still apart, records another number, then takes the court bundle in.
    j.move_to(&leads).await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    change_phone(&j, "07700 900111").await;
    import_from(&j, &from_court).await;
    j.wait_for_text("#import-results", "From Court laptop").await;
    j.wait_for_text("#sync-conflicts", "Maria Lopez: phone").await;
    j.wait_for_text(".conflict-kept", "07700 900111").await;
    j.wait_for_text(".conflict-other", "07700 900222").await;
    j.wait_for_text("#conflicts-waiting", "1 conflict waits for a person").await;
    show_conflicts(&j).await;
    j.shot("conflict-on-the-leads-laptop").await;
    // The administrator, on the same laptop, vouches for Grace's key once she reads out the
    // same characters.
    j.click("#sign-out-button").await;
    j.sign_in("admin", demo::DEMO_PASSWORD).await;
    j.click("#nav-workers").await;
    j.wait_for_text("#keys-waiting", "Grace Okafor").await;
    j.click(".key-waiting button").await;
    j.wait_for_text("#vouch-fingerprint", &fingerprint).await;
    j.shot("vouching-for-a-key").await;
    j.click("#confirm-vouch").await;
    j.wait_for_text("#key-vouched", "Grace Okafor's key on “Court laptop” is vouched for").await;
    let from_lead = files.path().join("from-lead.throughline");
    export_to(&j, &from_lead).await;

    // The court laptop takes the lead's bundle: Grace sees that her number was not kept, and
    // restores it.
    j.move_to(court_laptop.path()).await;
    j.sign_in("court", COURT_PASSWORD).await;
    j.wait_for_heading("Today").await;
    import_from(&j, &from_lead).await;
    j.wait_for_text("#sync-conflicts", "Maria Lopez: phone").await;
    j.wait_for_text(".conflict-kept", "07700 900111").await;
    show_conflicts(&j).await;
    j.shot("conflict-on-the-court-laptop").await;
    j.click(".restore-button").await;
    j.wait_for_text("#sync-conflicts", "is now \"07700 900222\" again").await;
    j.click("#nav-settings").await;
    j.wait_for_text("#own-key-status", "The team knows this key").await;
    export_to(&j, &from_court).await;

    // Back on the lead's laptop the conflict is closed and the court worker's number shows.
    j.move_to(&leads).await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    import_from(&j, &from_court).await;
    j.wait_for_text("#sync-conflicts", "No conflicts").await;
    j.click("#nav-find").await;
    j.wait_for_heading("Find a person").await;
    j.fill("search", "lopez maria").await;
    j.wait_for_text(".search-result", "LOPEZ, Maria").await;
    j.click(".search-result").await;
    j.wait_for_text(".client-details", "07700 900222").await;
    j.shot("restored-on-the-leads-laptop").await;
    j.finish().await;
}
