//! Custody and court in the real app: a custody worker records a positive test and an
//! assessment the person misses, produces the evidential statement and marks it sent; a court
//! worker records bail with a Restriction on Bail whose missed appointment raises the flag
//! until the breach is reported.
mod common;
use common::{london_ago, path_into_dialog, Journey, ARROW_DOWN, ENTER, ESCAPE};
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

/// A demo team and one person, Kyle Brennan, allocated to the custody worker.
fn team_with_kyle(dir: &Path) {
    demo::create_installation(dir, Arc::new(SystemClock), 5, 20).expect("demo team");
    let mut custody = Installation::new(dir, Arc::new(SystemClock)).sign_in("custody", demo::DEMO_PASSWORD).expect("custody");
    let actor = custody.actor();
    let kyle = NewClient {
        surname: "Brennan".into(),
        forenames: "Kyle".into(),
        date_of_birth: "14/02/1991".into(),
        sex: "male".into(),
        ..NewClient::default()
    };
    clients::register(custody.store_mut(), &actor, &kyle).expect("register Kyle");
}

async fn open_kyle(j: &Journey) {
    j.click(".team-name").await;
    j.keys("/").await;
    j.keys("brennan").await;
    j.wait_for_text(".search-result", "BRENNAN, Kyle").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Kyle Brennan").await;
}

/// Types a moment `minutes_ago` and returns the time typed, for what the documents must quote
/// (worked out again later, it could fall in the next minute).
async fn fill_when(j: &Journey, date_id: &str, time_id: &str, minutes_ago: i64) -> String {
    let (date, time) = london_ago(minutes_ago);
    j.fill(date_id, &date).await;
    j.fill(time_id, &time).await;
    time
}

#[tokio::test]
async fn custody_then_court() {
    let mut j = Journey::start_with("custody-court", team_with_kyle).await;
    j.sign_in("custody", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.shot("today").await;
    open_kyle(&j).await;

    // A positive test for opiates, three hours ago.
    j.click("#record-test").await;
    j.wait_for_heading("Record a test on arrest").await;
    j.fill("custody_suite", "Leeds Bridewell").await;
    fill_when(&j, "arrested_date", "arrested_time", 180).await;
    fill_when(&j, "tested_date", "tested_time", 150).await;
    j.choose("trigger_offence", "theft").await;
    j.choose("opiates", "positive").await;
    j.choose("cocaine", "negative").await;
    j.choose("sample_type", "oral_fluid").await;
    j.shot("record-test").await;
    j.fill("custody_suite", "Leeds Bridewell").await;
    j.keys(ENTER).await;
    j.wait_for_heading("Kyle Brennan").await;
    j.wait_for_text("#client-flags", "CUS-ASSESS-MISSING").await;
    j.shot("assessment-missing").await;

    // The initial assessment, booked for an hour ago with notice given, was not attended.
    j.click(".record-assessment").await;
    j.wait_for_heading("Initial required assessment").await;
    j.click("#carried_out_now-no").await;
    let notice_time = fill_when(&j, "notice_date", "notice_time", 120).await;
    fill_when(&j, "appointment_date", "appointment_time", 60).await;
    j.fill("appointment_place", "Leeds Bridewell").await;
    j.keys(ENTER).await;
    // Booked: straight on to the notice handed to him before he leaves the cells.
    j.wait_for_text(".document", "Notice of requirement to attend an initial assessment (RA1)").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Kyle Brennan").await;
    j.wait_for_no_text("#client-flags", "CUS-ASSESS-MISSING").await;
    j.click("#custody .record-outcome").await;
    j.click("#outcome-did_not_attend").await;
    j.keys(ENTER).await;
    j.wait_for_text("#client-flags", "CUS-FAIL-ATTEND").await;
    j.shot("failed-to-attend").await;

    // The evidential statement, from the recorded facts; marked sent, the flag clears.
    j.click("#custody .produce-document").await;
    j.wait_for_text(".document", "Kyle Brennan").await;
    j.wait_for_text(".document", "did not attend").await;
    j.wait_for_text(".document", "Leeds Bridewell").await;
    j.wait_for_text(".document", "Dan Kowalski").await;
    j.wait_for_text(".document", &format!("at {notice_time} Dan Kowalski gave Kyle Brennan written notice")).await;
    j.shot("evidential-statement").await;
    j.click(".mark-sent").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Kyle Brennan").await;
    j.wait_for_no_text("#client-flags", "CUS-FAIL-ATTEND").await;

    // The court worker records conditional bail with a Restriction on Bail.
    j.click("#sign-out-button").await;
    j.sign_in("court", demo::DEMO_PASSWORD).await;
    open_kyle(&j).await;
    j.wait_for_text("#timeline", "Leeds Bridewell").await;
    j.click("#record-hearing").await;
    j.fill("court", "Leeds Magistrates' Court").await;
    fill_when(&j, "date", "time", 120).await;
    j.choose("hearing_type", "first_appearance").await;
    j.keys(ENTER).await;
    j.wait_for_heading("Kyle Brennan").await;
    j.click("#record-bail").await;
    j.choose("bail_status", "conditional").await;
    j.fill("conditions", "Reside at home address; attend drug assessment appointments").await;
    j.click("#restriction_on_bail").await;
    j.shot("bail").await;
    j.click("button[type=submit]").await;
    j.wait_for_heading("Kyle Brennan").await;

    // Its appointment, half an hour ago, was missed: the flag is raised.
    j.click("#court .book-rob-appointment").await;
    fill_when(&j, "appointment_date", "appointment_time", 30).await;
    j.fill("appointment_place", "Westbridge drug service").await;
    j.keys(ENTER).await;
    j.wait_for_heading("Kyle Brennan").await;
    j.click("#court .record-outcome").await;
    j.click("#outcome-did_not_attend").await;
    j.keys(ENTER).await;
    j.wait_for_text("#client-flags", "COURT-ROB-MISSED").await;
    j.shot("rob-missed").await;

    // The breach of bail notice, reported: the flag clears.
    j.click("#court .produce-document").await;
    j.wait_for_text(".document", "Restriction on Bail").await;
    j.shot("breach-notice").await;
    j.click(".mark-sent").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Kyle Brennan").await;
    j.wait_for_no_text("#client-flags", "COURT-ROB-MISSED").await;
    j.finish().await;
}

/// The custody worker's own paper, by keyboard alone: find the person, record the positive test,
/// book the initial assessment and save the RA1 notice as a PDF through the system's save
/// dialog. Counts the keys pressed besides the text typed.
#[tokio::test]
async fn a_custody_worker_books_the_assessment_and_saves_the_ra1_notice_by_keyboard_alone() {
    let mut j = Journey::start_with("custody-keyboard", team_with_kyle).await;
    let mut presses = 0;
    let mut press = |n: u32| presses += n;
    j.wait_for_heading("Sign in to Throughline").await;
    press(j.tab_to("#login").await);
    j.keys("custody").await;
    press(j.tab_to("#password").await);
    j.keys(demo::DEMO_PASSWORD).await;
    j.keys(ENTER).await;
    press(1);
    j.wait_for_heading("Today").await;

    // Find him: "/" searches from anywhere.
    j.keys("/").await;
    j.keys("brennan").await;
    j.wait_for_text(".search-result", "BRENNAN, Kyle").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    press(3);
    j.wait_for_heading("Kyle Brennan").await;

    // The positive test, two hours ago.
    press(j.tab_to("#record-test").await);
    j.keys(ENTER).await;
    press(1);
    j.wait_for_heading("Record a test on arrest").await;
    let typed = [
        ("#custody_suite", "Leeds Bridewell".to_string()),
        ("#arrested_date", london_ago(150).0),
        ("#arrested_time", london_ago(150).1),
        ("#trigger_offence", "t".into()),
        ("#tested_date", london_ago(120).0),
        ("#tested_time", london_ago(120).1),
        ("#opiates", "p".into()),
        ("#cocaine", "n".into()),
        ("#sample_type", "o".into()),
    ];
    for (field, text) in &typed {
        press(j.tab_to(field).await);
        j.keys(text).await;
    }
    press(j.tab_to("button[type=submit]").await);
    j.keys(ENTER).await;
    press(1);
    j.wait_for_heading("Kyle Brennan").await;
    j.wait_for_text("#client-flags", "CUS-ASSESS-MISSING").await;

    // The initial assessment, booked for tomorrow with notice given now.
    press(j.tab_to(".record-assessment").await);
    j.keys(ENTER).await;
    press(1);
    j.wait_for_heading("Initial required assessment").await;
    press(j.tab_to("input[name=carried_out_now]").await);
    while !j.focused("#carried_out_now-no").await {
        j.keys(ARROW_DOWN).await;
        press(1);
    }
    let (date, time) = london_ago(-24 * 60);
    for (field, text) in
        [("#appointment_date", date.as_str()), ("#appointment_time", time.as_str()), ("#appointment_place", "Westbridge Recovery Hub")]
    {
        press(j.tab_to(field).await);
        j.keys(text).await;
    }
    j.keys(ENTER).await;
    press(1);

    // The notice he is handed, saved as a PDF to send on.
    j.wait_for_text(".document", "Notice of requirement to attend an initial assessment (RA1)").await;
    j.wait_for_text(".document", &format!("at {time}, at Westbridge Recovery Hub")).await;
    j.shot("ra1-notice").await;
    press(j.tab_to("#save-pdf").await);
    j.keys(ENTER).await;
    press(1);
    let saved_to = j.data.path().join("ra1-kyle-brennan.pdf");
    path_into_dialog("Save the document as PDF", &saved_to, false);
    press(2); // Ctrl+A and Return in the dialog
    j.wait_for_text("#pdf-saved", "Saved as PDF").await;
    j.shot("ra1-saved").await;

    let text = pdf_extract::extract_text(&saved_to).expect("the saved PDF reads back");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in ["OFFICIAL-SENSITIVE", "Kyle Brennan", "section 9 of the Drugs Act 2005", "Westbridge Recovery Hub", "Page 1 of 1"] {
        assert!(text.contains(expected), "the PDF says {expected:?}: {text}");
    }
    println!("Keys pressed besides the text typed, from sign-in to the saved RA1 PDF: {presses}");
    j.finish().await;
}
