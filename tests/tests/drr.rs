//! The Drug Rehabilitation Requirement in the real app: a community worker records an order
//! with reviews and a weekly timetable (which reaches their Today), a missed test and an
//! unacceptable failure, gives a warning and prints the letter, records a second failure and
//! sees the breach flag; the review a few days away raises its flag until the progress report
//! is printed.
mod common;
use chrono::Datelike;
use common::{london_ago, Journey, ARROW_DOWN, ENTER, ESCAPE};
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::demo;

/// A demo team and one person, Leanne Hart, registered by the community worker.
fn team_with_leanne(dir: &Path) {
    demo::create_installation(dir, Arc::new(SystemClock), 7, 20).expect("demo team");
    let mut community = Installation::new(dir, Arc::new(SystemClock)).sign_in("community", demo::DEMO_PASSWORD).expect("community");
    let actor = community.actor();
    let leanne = NewClient {
        surname: "Hart".into(),
        forenames: "Leanne".into(),
        date_of_birth: "09/07/1988".into(),
        sex: "female".into(),
        ..NewClient::default()
    };
    clients::register(community.store_mut(), &actor, &leanne).expect("register Leanne");
}

async fn open_leanne(j: &Journey) {
    j.click(".team-name").await;
    j.keys("/").await;
    j.keys("hart").await;
    j.wait_for_text(".search-result", "HART, Leanne").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Leanne Hart").await;
}

/// A London date `days` from now, as typed ("23/11/2026").
fn day_from_now(days: i64) -> String {
    london_ago(-days * 24 * 60).0
}

/// Brings a part of the record into view for a screenshot.
async fn show(j: &Journey, id: &str) {
    j.c().execute(&format!("document.getElementById('{id}').scrollIntoView()"), vec![]).await.expect("scroll");
}

async fn save(j: &Journey) {
    j.click("#save-form").await;
    j.wait_for_heading("Leanne Hart").await;
}

#[tokio::test]
async fn a_drr_from_order_to_breach_and_review() {
    let mut j = Journey::start_with("drr", team_with_leanne).await;
    j.sign_in("community", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    open_leanne(&j).await;

    // The order: made 40 days ago, 12 months with monthly reviews, the next in 4 days.
    j.click("#record-drr-order").await;
    j.wait_for_heading("Record a DRR order").await;
    j.fill("court", "Westbridge Magistrates' Court").await;
    j.fill("sentenced_on", &day_from_now(-40)).await;
    j.fill("order_months", "12").await;
    j.fill("treatment_months", "18").await;
    j.click("#reviews-yes").await;
    j.fill("review_interval_months", "1").await;
    j.fill("first_review_on", &day_from_now(4)).await;
    j.fill("responsible_officer", "Sam Patel (Probation)").await;
    j.fill("treatment_provider", "Westbridge Recovery Service").await;
    j.click("#residential-community").await;
    j.click("#save-form").await;
    // The law is checked as it is typed, and nothing typed is lost.
    j.wait_for_text(".error-summary", "cannot outlast the order").await;
    assert_eq!(j.value("court").await, "Westbridge Magistrates' Court");
    j.shot("order-refused").await;
    j.fill("treatment_months", "12").await;
    save(&j).await;
    j.wait_for_text("#drr", "12-month order, Westbridge Magistrates' Court").await;
    j.wait_for_text("#client-flags", "DRR-REVIEW-DUE").await;

    // The weekly timetable: key work later today, at the same time each week (late in the
    // evening, at 23:59 rather than after midnight, so it is still today's).
    let today = today_typed();
    let later = match london_ago(-90) {
        (day, time) if day == today => time,
        _ => "23:59".to_string(),
    };
    let weekday = chrono::NaiveDate::parse_from_str(&today, "%d/%m/%Y").expect("a date").weekday().number_from_monday();
    j.click("#drr .add-slot").await;
    j.wait_for_heading("Add to the weekly timetable").await;
    j.choose("weekday", &weekday.to_string()).await;
    j.fill("slot_time", &later).await;
    j.fill("kind", "Key work").await;
    j.fill("appointment_place", "Westbridge Recovery Hub").await;
    save(&j).await;
    j.wait_for_text(
        "#drr",
        &format!("Key work, {}", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday as usize - 1]),
    )
    .await;
    show(&j, "drr").await;
    j.shot("order-and-timetable").await;

    // The person takes their timetable away on a card.
    j.click("#drr .drr-card").await;
    j.wait_for_heading("Your DRR appointment card").await;
    j.wait_for_text(".document", "Key work at Westbridge Recovery Hub").await;
    j.wait_for_text(".document", "You must attend every appointment").await;
    j.shot("appointment-card").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Leanne Hart").await;

    // A test half an hour ago with nothing recorded: DRR-TEST-MISSED, until it is recorded as missed.
    j.click("#drr .book-test").await;
    j.wait_for_heading("Book a drug test").await;
    let (date, time) = london_ago(30);
    j.fill("appointment_date", &date).await;
    j.fill("appointment_time", &time).await;
    j.fill("appointment_place", "Westbridge Recovery Hub").await;
    j.choose("sample_type", "urine").await;
    save(&j).await;
    j.wait_for_text("#client-flags", "DRR-TEST-MISSED").await;
    j.click("#drr .test-missed").await;
    j.fill("reason", "Did not attend; no contact").await;
    save(&j).await;
    j.wait_for_no_text("#client-flags", "DRR-TEST-MISSED").await;

    // The missed test decided unacceptable: a warning is due.
    j.click("#drr .failure-from").await;
    j.wait_for_heading("Record a failure to comply").await;
    j.click("#acceptable-no").await;
    save(&j).await;
    j.wait_for_text("#client-flags", "DRR-WARNING-DUE").await;
    j.shot("warning-due").await;

    // The warning, and its letter built from the facts.
    j.click("#drr .give-warning").await;
    j.wait_for_heading("Give a warning").await;
    save(&j).await;
    j.wait_for_no_text("#client-flags", "DRR-WARNING-DUE").await;
    j.click("#drr .warning-letter").await;
    j.wait_for_text(".document", "This letter is to Leanne Hart, born 9 Jul 1988.").await;
    j.wait_for_text(".document", "Did not attend drug test on").await;
    j.wait_for_text(".document", "This is a formal warning.").await;
    j.wait_for_text(".document", "Tom Evans, Westbridge Criminal Justice Drug Team").await;
    j.shot("warning-letter").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Leanne Hart").await;

    // A second unacceptable failure within the warning period: breach.
    j.click("#drr .record-failure").await;
    j.wait_for_heading("Record a failure to comply").await;
    j.fill("occurred_on", &today_typed()).await;
    j.fill("what", "Did not attend group; no reason given").await;
    j.click("#acceptable-no").await;
    save(&j).await;
    j.wait_for_text("#client-flags", "DRR-BREACH").await;
    j.wait_for_text("#drr", "Breach: return to court").await;
    show(&j, "drr").await;
    j.shot("breach").await;

    // The review in four days: the provider's views, then the progress report clears the flag.
    j.click("#drr .provider-views").await;
    j.fill("provider_views", "Attends key work; still using crack at weekends.").await;
    save(&j).await;
    j.click("#drr .progress-report").await;
    j.wait_for_text(".document", "Progress report: Drug Rehabilitation Requirement review on").await;
    j.wait_for_text(".document", "test missed (Did not attend; no contact)").await;
    j.wait_for_text(".document", "Failures to comply (2):").await;
    j.wait_for_text(
        ".document",
        "The treatment provider's views (Westbridge Recovery Service): Attends key work; still using crack at weekends.",
    )
    .await;
    j.shot("progress-report").await;
    j.keys(ESCAPE).await;
    j.wait_for_heading("Leanne Hart").await;
    j.wait_for_no_text("#client-flags", "DRR-REVIEW-DUE").await;
    j.wait_for_text("#timeline", "DRR warning").await;
    show(&j, "timeline").await;
    j.shot("timeline").await;

    // The day's timetabled key work is on the worker's Today.
    j.keys("gt").await;
    j.wait_for_heading("Today").await;
    j.wait_for_text(".today-table", "Key work").await;
    j.wait_for_text(".today-table", "Leanne Hart").await;
    j.shot("today").await;
    j.finish().await;
}

fn today_typed() -> String {
    london_ago(0).0
}
