//! Prison and throughcare in the real app: a prison link worker records a reception with an
//! expected release, sees it in coming releases with what is missing, builds the throughcare
//! plan and books the first community appointment, records the release and the appointment
//! kept, records the treatment start, watches the flags clear, and prints the handover summary.
mod common;
use common::{london_ago, Journey, ARROW_DOWN, ENTER, ESCAPE};
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clients::{self, caseload, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

/// A demo team and one person, Connor Walsh, allocated to the prison link worker.
fn team_with_connor(dir: &Path) {
    demo::create_installation(dir, Arc::new(SystemClock), 5, 20).expect("demo team");
    let mut prison = Installation::new(dir, Arc::new(SystemClock)).sign_in("prison", demo::DEMO_PASSWORD).expect("prison link worker");
    let actor = prison.actor();
    let connor = NewClient {
        surname: "Walsh".into(),
        forenames: "Connor".into(),
        date_of_birth: "09/07/1989".into(),
        sex: "male".into(),
        primary_substance: "heroin".into(),
        risk_notes: "Overdose risk after release".into(),
        ..NewClient::default()
    };
    let id = clients::register(prison.store_mut(), &actor, &connor).expect("register Connor").id;
    caseload::allocate(prison.store_mut(), &actor, &id, Some(&actor.worker_id)).expect("allocate Connor");
}

/// A London date `days` from today, as typed.
fn london_day(days: i64) -> String {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive();
    (today + chrono::Duration::days(days)).format("%d/%m/%Y").to_string()
}

/// Brings a section of the record into view for a screenshot.
async fn scroll_to(j: &Journey, id: &str) {
    j.c().execute(&format!("document.getElementById('{id}').scrollIntoView()"), vec![]).await.expect("scroll");
}

async fn open_connor(j: &Journey) {
    j.click(".team-name").await;
    j.keys("/").await;
    j.keys("walsh").await;
    j.wait_for_text(".search-result", "WALSH, Connor").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Connor Walsh").await;
}

#[tokio::test]
async fn from_reception_to_community_treatment() {
    let mut j = Journey::start_with("prison", team_with_connor).await;
    j.sign_in("prison", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    open_connor(&j).await;

    // Received two months ago, sentenced, expected out in five days.
    j.click("#record-prison-spell").await;
    j.wait_for_heading("Record a prison reception").await;
    j.fill("prison", "HMP Leeds").await;
    j.fill("received_on", &london_day(-60)).await;
    j.click("#custody_type-sentenced").await;
    j.fill("expected_release_on", &london_day(5)).await;
    j.fill("licence_end_on", &london_day(200)).await;
    j.fill("in_prison_treatment", "Methadone 40ml daily").await;
    j.shot("reception").await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("Connor Walsh").await;
    j.wait_for_text("#client-flags", "PRISON-RELEASE-NO-PLAN").await;
    j.wait_for_text("#prison", "No throughcare plan").await;
    scroll_to(&j, "prison").await;
    j.shot("in-prison").await;

    // Today shows the release due this week; coming releases says what is not yet in place.
    j.click("#nav-today").await;
    j.wait_for_heading("Today").await;
    j.wait_for_text(".release-table", "Connor Walsh").await;
    j.shot("today-releases").await;
    j.click("#nav-releases").await;
    j.wait_for_heading("Coming releases").await;
    j.wait_for_text(".release-table", "Connor Walsh").await;
    j.wait_for_text(".release-table", "No first community appointment").await;
    j.wait_for_text(".release-table", "No prescribing continuity").await;
    j.shot("coming-releases").await;
    j.click_in_item("coming-release", "Connor Walsh", "open-client").await;
    j.wait_for_heading("Connor Walsh").await;

    // The throughcare plan and the first community appointment: the flag clears.
    j.click("#prison button[id^=plan-]").await;
    j.wait_for_heading("Throughcare plan").await;
    j.fill("accommodation", "Approved premises, 4 Kirkgate, Leeds").await;
    j.choose("prescribing", "bridging_arranged").await;
    j.fill("prescribing_detail", "Bridging script to the first appointment").await;
    j.click("#naloxone_supplied-yes").await;
    j.fill("gate_contact", "Siobhan Reilly").await;
    j.shot("plan").await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("Connor Walsh").await;
    j.click("#prison button[id^=book-first-]").await;
    j.wait_for_heading("Book the first community appointment").await;
    let (date, time) = london_ago(5);
    j.fill("appointment_date", &date).await;
    j.fill("appointment_time", &time).await;
    j.fill("appointment_place", "Westbridge Recovery Hub").await;
    j.keys(ENTER).await;
    j.wait_for_heading("Connor Walsh").await;
    j.wait_for_no_text("#client-flags", "PRISON-RELEASE-NO-PLAN").await;

    // The person is handed their own plan before they leave.
    j.click("#prison .produce-release-plan").await;
    j.wait_for_heading("Your plan for leaving prison").await;
    j.wait_for_text(".document", "at Westbridge Recovery Hub").await;
    j.wait_for_text(".document", "Where you will live: Approved premises, 4 Kirkgate, Leeds.").await;
    j.wait_for_text(".document", "You have been given naloxone.").await;
    j.shot("release-plan").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Connor Walsh").await;

    // The release comes forward to today; it is recorded, seen at the gate.
    j.click("#prison button[id^=change-]").await;
    j.wait_for_heading("Change the release date or details").await;
    j.fill("expected_release_on", &london_day(0)).await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("Connor Walsh").await;
    j.wait_for_text("#prison", "Expected release changed from").await;
    j.click("#prison button[id^=release-]").await;
    j.wait_for_heading("Record the release").await;
    j.fill("released_on", &london_day(0)).await;
    j.click("#seen_at_gate-yes").await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("Connor Walsh").await;
    j.wait_for_text("#client-flags", "PRISON-NO-TREATMENT").await;
    j.wait_for_text("#prison", "Still open").await;

    // The first appointment was kept.
    j.click("#prison .record-outcome").await;
    j.click("#outcome-attended").await;
    j.keys(ENTER).await;
    j.wait_for_heading("Connor Walsh").await;
    j.wait_for_text("#prison", "Attended").await;

    // Treatment starts today: the flag clears and the release counts within 21 days.
    j.click("#record-referral").await;
    j.wait_for_heading("Record a referral").await;
    j.fill("service", "Westbridge Recovery Hub").await;
    j.fill("referred_on", &london_day(-3)).await;
    j.fill("treatment_started_on", &london_day(0)).await;
    j.choose("modality", "prescribing").await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("Connor Walsh").await;
    j.wait_for_no_text("#client-flags", "PRISON-NO-TREATMENT").await;
    j.wait_for_text("#prison", "In community treatment within 21 days").await;
    j.wait_for_text("#treatment", "3 days from referral to treatment").await;
    j.wait_for_text("#timeline", "Release from prison").await;
    scroll_to(&j, "prison").await;
    j.shot("released-in-treatment").await;
    scroll_to(&j, "treatment").await;
    j.shot("referrals-and-treatment").await;

    // The handover summary, from the recorded facts.
    j.click("#prison .produce-handover").await;
    j.wait_for_text(".document", "Throughcare handover summary").await;
    j.wait_for_text(".document", "Connor Walsh").await;
    j.wait_for_text(".document", "Approved premises, 4 Kirkgate, Leeds").await;
    j.wait_for_text(".document", "Bridging prescription arranged").await;
    j.wait_for_text(".document", "Met at the gate by: Siobhan Reilly.").await;
    j.wait_for_text(".document", "Overdose risk after release").await;
    j.shot("handover-summary").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Connor Walsh").await;
    j.finish().await;
}
