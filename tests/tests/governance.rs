//! Information governance in the real app: a custody worker opens a person's record; the team
//! lead then produces the access report naming them, records a disclosure made without consent,
//! and prints the subject access summary, which shows it. Then a case closed nine years ago
//! comes up for a retention review and the lead anonymises it. Last, the administrator checks
//! the audit trail, and the custody worker leaves: the administrator deactivates him, the
//! database is re-keyed, and his password no longer opens Throughline.
mod common;
use common::{Journey, ARROW_DOWN, ENTER, ESCAPE};
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

/// A demo team, one person the demo's names never include (Ada Quillfeather), and a case
/// closed in 2017 (Bartholomew Quince's).
fn team_with_ada(dir: &Path) {
    demo::create_installation(dir, Arc::new(SystemClock), 14, 40).expect("demo team");
    let mut lead = Installation::new(dir, Arc::new(SystemClock)).sign_in("lead", demo::DEMO_PASSWORD).expect("lead signs in");
    let actor = lead.actor();
    let input = NewClient {
        surname: "Quillfeather".into(),
        forenames: "Ada".into(),
        date_of_birth: "12/05/1990".into(),
        sex: "female".into(),
        ..NewClient::default()
    };
    clients::register(lead.store_mut(), &actor, &input).expect("register");
    let quince = NewClient { surname: "Quince".into(), forenames: "Bartholomew".into(), date_of_birth: "02/02/1971".into(), ..input };
    let mut old = clients::validate(&quince, chrono::Utc::now()).expect("a valid person");
    old.id = "a-case-closed-in-2017".into();
    old.status = clients::ClientStatus::Closed;
    old.closed_reason = Some("moved_away".into());
    old.closed_at = Some("2017-05-02T15:00:00Z".parse().unwrap());
    lead.store_mut().write(&actor, |w| w.create(&mut old)).expect("the old case");
}

async fn open_ada(j: &Journey) {
    j.click(".team-name").await;
    j.keys("/").await;
    j.keys("quillfeather").await;
    j.wait_for_text(".search-result", "QUILLFEATHER, Ada").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Ada Quillfeather").await;
}

#[tokio::test]
async fn access_report_after_a_worker_opened_the_record_then_a_disclosure_and_the_subject_access_summary() {
    let mut j = Journey::start_with("governance", team_with_ada).await;

    // A custody worker opens Ada's record: a caseworker sees no access report.
    j.sign_in("custody", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    open_ada(&j).await;
    j.wait_for_text("#disclosures", "Nothing about this person has been recorded as shared.").await;
    assert!(j.c().find(fantoccini::Locator::Css("#access-report")).await.is_err(), "no access report for a caseworker");
    j.click("#sign-out-button").await;

    // The team lead produces the access report: the custody worker's look is in it.
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    open_ada(&j).await;
    j.click("#access-report").await;
    j.wait_for_heading("Access report").await;
    j.wait_for_text(".document", "Dan Kowalski (viewed once)").await;
    j.wait_for_text(".document", "Dan Kowalski viewed: shown in search results, client record").await;
    j.wait_for_text(".document", "Priya Shah changed: added a client").await;
    j.shot("access-report").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Ada Quillfeather").await;

    // A disclosure without consent must name its legal basis.
    j.fill("disclosed_on", &common::london_ago(60).0).await;
    j.fill("recipient", "PC Jones, West Yorkshire Police safeguarding team").await;
    j.fill("what", "Current address").await;
    j.fill("purpose", "A welfare check after a threat to her safety").await;
    j.click("#basis-legal_basis").await;
    j.click("#record-disclosure").await;
    j.wait_for_text("#legal_basis-error", "legal basis").await;
    j.fill("legal_basis", "Crime and Disorder Act 1998 s115").await;
    j.click("#record-disclosure").await;
    j.wait_for_text(".disclosure", "Without consent: Crime and Disorder Act 1998 s115").await;
    j.shot("disclosure").await;

    // The subject access summary prints everything held, the disclosure included.
    j.click("#subject-access-summary").await;
    j.wait_for_heading("Subject access summary").await;
    j.wait_for_text(".document", "Name: Ada Quillfeather").await;
    j.wait_for_text(".document", "Date of birth: 12 May 1990").await;
    j.wait_for_text(".document", "shared with PC Jones, West Yorkshire Police safeguarding team: Current address").await;
    j.wait_for_text(".document", "Basis: Without consent: Crime and Disorder Act 1998 s115").await;
    j.shot("subject-access-summary").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Ada Quillfeather").await;

    // Retention: the case closed in 2017 waits for review; anonymised, no search finds him.
    j.click("#nav-retention").await;
    j.wait_for_heading("Retention review").await;
    j.wait_for_text("#main", "Born 2 Feb 1971. Closed on 2 May 2017: Moved out of the area.").await;
    assert!(!j.text("#main").await.contains("Ada Quillfeather"), "an open case is not for review");
    j.click_in_item("retention-case", "Bartholomew Quince", "anonymise-button").await;
    j.wait_for_text("#main", "Anonymising cannot be undone.").await;
    j.shot("retention-review").await;
    j.click("#confirm-anonymise").await;
    j.wait_for_text(".success-banner", "Bartholomew Quince's case is anonymised: 1 record and 2 earlier changes no longer name them.")
        .await;
    j.shot("anonymised").await;
    j.click(".team-name").await;
    j.keys("/").await;
    j.fill("search", "quince").await;
    j.wait_for_text(".no-results", "No one found").await;
    j.click("#sign-out-button").await;

    // The administrator checks the audit trail: every entry of the day so far checks out.
    j.sign_in("admin", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-audit").await;
    j.wait_for_heading("Audit trail check").await;
    j.click("#check-audit").await;
    j.wait_for_text(".audit-result", "The audit trail is intact.").await;
    j.wait_for_text(".audit-result", "entries checked.").await;

    // Dan Kowalski leaves: the administrator deactivates him and the database gets a new key.
    j.click("#nav-workers").await;
    j.wait_for_heading("Workers").await;
    j.c()
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(fantoccini::Locator::XPath("//tr[contains(., 'Dan Kowalski')]//button[starts-with(@id, 'deactivate-')]"))
        .await
        .expect("Dan Kowalski's Deactivate")
        .click()
        .await
        .expect("click");
    j.wait_for_text("#deactivate-heading", "Deactivate Dan Kowalski?").await;
    j.click("#confirm-deactivate").await;
    j.wait_for_text("#workers-success", "Dan Kowalski is deactivated and can no longer sign in.").await;
    j.wait_for_text("#workers-success", "the database has a new key").await;
    j.shot("deactivated").await;
    j.click("#sign-out-button").await;
    j.sign_in("custody", demo::DEMO_PASSWORD).await;
    j.wait_for_text(".error-summary", "The sign-in name or password is not right").await;
    j.finish().await;
}
