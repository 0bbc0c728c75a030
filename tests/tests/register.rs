//! The client register in the real app: a custody worker finds a person by keyboard alone,
//! registering a near-duplicate warns before it is saved, and a team lead merges two records
//! of one person and can undo it.
mod common;
use common::{Journey, ARROW_DOWN, ENTER};
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

/// A demo team with two records of one person (John Featherstone / Jon Fetherstone, same
/// date of birth). The demo's own names never include these.
fn team_with_a_duplicate(dir: &Path) {
    demo::create_installation(dir, Arc::new(SystemClock), 11, 60).expect("demo team");
    let installation = Installation::new(dir, Arc::new(SystemClock));
    let mut lead = installation.sign_in("lead", demo::DEMO_PASSWORD).expect("lead signs in");
    let actor = lead.actor();
    for (surname, forenames, pnc) in [("Featherstone", "John", "1987/1234567U"), ("Fetherstone", "Jon", "")] {
        let input = NewClient {
            surname: surname.into(),
            forenames: forenames.into(),
            date_of_birth: "03/03/1987".into(),
            sex: "male".into(),
            pnc: pnc.into(),
            ..NewClient::default()
        };
        clients::register(lead.store_mut(), &actor, &input).expect("register");
    }
}

#[tokio::test]
async fn find_by_keyboard_warn_of_a_duplicate_merge_and_undo() {
    let mut j = Journey::start_with("register", team_with_a_duplicate).await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;

    // Keyboard only: "/" jumps to search from anywhere (here, focus is on the page), type,
    // arrow down, Enter opens.
    j.click(".team-name").await;
    j.keys("/").await;
    j.keys("feath 1987").await;
    j.wait_for_text(".search-result", "FEATHERSTONE, John").await;
    j.shot("search-by-keyboard").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.wait_for_heading("John Featherstone").await;
    j.wait_for_text(".client-details", "1987/1234567U").await;
    j.shot("record").await;

    // Registering the same person again: likely matches appear before saving.
    j.click("#nav-register").await;
    j.wait_for_heading("Register a person").await;
    j.fill("surname", "Featherston").await;
    j.fill("forenames", "John").await;
    j.fill("date_of_birth", "03/03/1987").await;
    j.wait_for_text("#possible-matches", "Same date of birth").await;
    j.wait_for_name("#possible-matches", "Featherstone").await;
    j.shot("possible-matches").await;
    // The PNC id is already registered: saving is refused and the owner named.
    j.click("#sex-male").await;
    j.fill("pnc", "87/1234567U").await;
    j.click("button[type=submit]").await;
    j.wait_for_text("#pnc-error", "already registered to John Featherstone").await;
    j.shot("pnc-already-registered").await;

    // The team lead merges the two records of John Featherstone.
    j.click("#nav-duplicates").await;
    j.wait_for_heading("Possible duplicates").await;
    j.shot("duplicates").await;
    j.click_in_item("duplicate-pair", "Fetherstone", "compare-button").await;
    j.wait_for_heading("Compare two records").await;
    j.shot("compare").await;
    j.click("#keep-first").await;
    j.click("#merge-button").await;
    j.wait_for_text(".client-details", "1987/1234567U").await;
    j.wait_for_name("#aliases", "Fetherstone").await;
    j.shot("merged").await;

    // One person in search now, found by either name.
    j.click("#nav-find").await;
    j.fill("search", "fetherstone").await;
    j.wait_for_text(".search-result", "FEATHERSTONE, John").await;
    assert_eq!(j.c().find_all(fantoccini::Locator::Css(".search-result")).await.unwrap().len(), 1);

    // Undo from the surviving record.
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.click(".undo-merge").await;
    j.wait_for_text("#merge-undone", "undone").await;
    j.shot("merge-undone").await;
    j.finish().await;
}
