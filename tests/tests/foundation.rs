//! The foundation journey in the real app: set up a team, register and find a client, restart,
//! sign in again, lock and unlock; a wrong password and an invalid PNC id are refused with
//! clear messages. Then the administrator backs the team up to a "USB stick", and a new laptop
//! restores it with the recovery key: the client is found there.
mod common;
use common::{Journey, ENTER};

const PASSWORD: &str = "kettle-lantern-harbour";

#[tokio::test]
async fn set_up_register_find_restart_and_find_again() {
    let mut j = Journey::start("foundation").await;

    // First launch: the set-up screen.
    j.wait_for_heading("Set up Throughline").await;
    j.fill("team_name", "Westbridge CJ Drug Team").await;
    j.fill("display_name", "Chris Hall").await;
    j.fill("login", "chris").await;
    j.fill("password", PASSWORD).await;
    j.fill("password_confirm", PASSWORD).await;
    j.shot("set-up").await;
    j.keys(ENTER).await;

    // The recovery key is shown once, in eight groups.
    j.wait_for_heading("Your recovery key").await;
    let key = j.text("#recovery-key").await;
    assert_eq!(key.trim().split('-').count(), 8, "recovery key {key:?}");
    j.shot("recovery-key").await;
    j.click("#recovery-key-saved").await;
    j.click("#recovery-key-continue").await;

    // Register a client, first with a PNC id whose check letter is wrong.
    j.click("#nav-register").await;
    j.wait_for_heading("Register a person").await;
    j.fill("surname", "Smith").await;
    j.fill("forenames", "John Paul").await;
    j.fill("date_of_birth", "03/03/1987").await;
    j.click("#sex-male").await;
    j.fill("pnc", "1987/1234567A").await;
    j.fill("nhs_number", "943 476 5919").await;
    j.click("button[type=submit]").await;
    j.wait_for_text("#pnc-error", "check letter").await;
    j.wait_for_text(".error-summary", "check letter").await;
    assert_eq!(j.value("surname").await, "Smith", "what was typed is kept");
    j.shot("invalid-pnc").await;

    j.fill("pnc", "87/1234567U").await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("John Paul Smith").await;
    j.wait_for_text(".client-details", "1987/1234567U").await;
    j.wait_for_text(".client-details", "943 476 5919").await;
    j.shot("client-record").await;

    // Find them by part of the name.
    j.click("#nav-find").await;
    j.fill("search", "smi").await;
    j.wait_for_text(".search-result", "SMITH, John Paul").await;
    j.shot("search").await;

    // Close and reopen the app: the sign-in screen, not set-up.
    j.close_app().await;
    j.open_app().await;
    j.wait_for_heading("Sign in to Throughline").await;
    j.fill("login", "chris").await;
    j.fill("password", "not-my-password").await;
    j.keys(ENTER).await;
    j.wait_for_text(".error-summary", "not right").await;
    j.shot("wrong-password").await;

    j.fill("password", PASSWORD).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-find").await;
    j.fill("search", "john smi").await;
    j.wait_for_text(".search-result", "SMITH, John Paul").await;
    j.shot("found-after-restart").await;

    // Lock: only the sign-in form shows, with the worker's name filled in.
    j.click("#lock-button").await;
    j.wait_for_heading("Throughline is locked").await;
    assert_eq!(j.value("login").await, "chris");
    assert!(j.c().find(fantoccini::Locator::Css(".search-result")).await.is_err(), "nothing of the record stays on screen");
    j.shot("locked").await;
    j.fill("password", PASSWORD).await;
    j.keys(ENTER).await;
    j.wait_for("#search").await;

    // The administrator backs the team up to the USB stick; About shows the version.
    let usb = tempfile::Builder::new().prefix("usb-stick-").tempdir().expect("the USB stick");
    j.click("#nav-backups").await;
    j.wait_for_heading("Backups").await;
    j.click("#back-up-now").await;
    common::folder_into_dialog("Choose where to save the backup", usb.path());
    j.wait_for_text("#backup-result", "Backup written and checked").await;
    j.wait_for_text("#backup-result", "1 client,").await;
    j.shot("backed-up").await;
    j.click("#nav-about").await;
    j.wait_for_text("#about-version", env!("CARGO_PKG_VERSION")).await;
    j.finish().await;

    // A new laptop: the first screen offers the restore; the recovery key and the backup's folder.
    let backup = std::fs::read_dir(usb.path()).expect("the stick").next().expect("one backup folder").expect("its entry").path();
    let mut k = Journey::start("foundation-restore").await;
    k.wait_for_heading("Set up Throughline").await;
    k.click("#restore-from-backup").await;
    k.wait_for_heading("Restore from a backup").await;
    k.fill("recovery_key", &key).await;
    k.shot("restore").await;
    k.click("#restore-backup").await;
    common::folder_into_dialog("Choose the backup folder to restore", &backup);
    k.wait_for_heading("Sign in to Throughline").await;
    k.wait_for_text(".success-banner", "The backup of Westbridge CJ Drug Team is restored").await;
    k.shot("restored").await;
    k.fill("login", "chris").await;
    k.fill("password", PASSWORD).await;
    k.keys(ENTER).await;
    k.wait_for_heading("Today").await;
    k.click("#nav-find").await;
    k.fill("search", "john smi").await;
    k.wait_for_text(".search-result", "SMITH, John Paul").await;
    k.shot("found-after-restore").await;
    k.finish().await;
}
