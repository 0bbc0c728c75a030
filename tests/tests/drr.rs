//! The Drug Rehabilitation Requirement in the real app: a community worker records an order
//! with reviews and a weekly timetable (which reaches their Today), a missed test and an
//! unacceptable failure, gives a warning and prints the letter, records a second failure and
//! sees the breach flag; the review a few days away raises its flag until the progress report
//! is printed. And a person known for ten years opens at a glance: where they are, what is due
//! and their flags on the first screen, with axe-core run in the real app on Today, My caseload
//! and the record.
mod common;
use chrono::Datelike;
use common::{london_ago, Journey, ARROW_DOWN, ENTER, ESCAPE};
use std::path::Path;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::appointments::NewAppointment;
use throughline_core::clients::{self, caseload, NewClient};
use throughline_core::clock::SystemClock;
use throughline_core::custody::{self, NewAssessment, NewTestOnArrest};
use throughline_core::demo;
use throughline_core::drr::{self, testing, timetable, NewOrder, OrderEnding};
use throughline_core::notes::{self, NewContact, NewNote};
use throughline_core::prison::treatment::{self, EpisodeInput};
use throughline_core::prison::{self, NewRelease, NewSpell};

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

/// A London date `years` and `days` before today, as typed.
fn years_ago(years: i32, days: i64) -> String {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive();
    let then = today.with_year(today.year() - years).unwrap_or(today - chrono::Duration::days(365 * i64::from(years)));
    (then - chrono::Duration::days(days)).format("%d/%m/%Y").to_string()
}

/// A demo team and Dean Walker, known to the team for ten years: a test on arrest most years,
/// a contact every few weeks, a prison sentence and an earlier DRR completed, and now a DRR
/// made six weeks ago with its timetable, a review in four days and yesterday's test missed.
fn team_with_dean(dir: &Path) {
    demo::create_installation(dir, Arc::new(SystemClock), 11, 20).expect("demo team");
    let mut community = Installation::new(dir, Arc::new(SystemClock)).sign_in("community", demo::DEMO_PASSWORD).expect("community");
    let actor = community.actor();
    let store = community.store_mut();
    let dean = NewClient {
        surname: "Walker".into(),
        forenames: "Dean".into(),
        date_of_birth: "14/02/1979".into(),
        sex: "male".into(),
        primary_substance: "heroin".into(),
        ..NewClient::default()
    };
    let dean = clients::register(store, &actor, &dean).expect("register Dean").id;
    caseload::allocate(store, &actor, &dean, Some(&actor.worker_id)).expect("allocate Dean");
    for year in (1..=10).rev() {
        let day = years_ago(year, 40);
        let test = NewTestOnArrest {
            custody_suite: "Westbridge custody suite".into(),
            arrested_date: day.clone(),
            arrested_time: "06:30".into(),
            trigger_offence: "theft".into(),
            tested_date: day,
            tested_time: "08:10".into(),
            opiates: if year % 3 == 0 { "negative" } else { "positive" }.into(),
            cocaine: "negative".into(),
            sample_type: "oral_fluid".into(),
            ..Default::default()
        };
        let test = custody::record_test(store, &actor, &dean, &test).expect("a test on arrest");
        if year % 3 != 0 {
            // Assessed there and then in the cells; no follow-up needed.
            let now = NewAssessment { kind: "initial".into(), test_id: test, carried_out_now: true, ..Default::default() };
            let assessment = custody::record_assessment(store, &actor, &dean, &now).expect("the initial assessment");
            custody::decide_follow_up(store, &actor, &assessment, false, None).expect("no follow-up");
        }
        for week in 0..8 {
            let contact = NewContact {
                kind: if week % 2 == 0 { "phone" } else { "other" }.into(),
                date: years_ago(year, 30 - week * 6),
                time: "11:00".into(),
                summary: format!("Check-in {}: housing, script and court dates talked through.", week + 1),
            };
            notes::record_contact(store, &actor, &dean, &contact).expect("a contact");
        }
    }
    let spell = NewSpell {
        prison: "HMP Leeds".into(),
        received_on: years_ago(7, 0),
        custody_type: "sentenced".into(),
        expected_release_on: years_ago(6, 120),
        ..Default::default()
    };
    let spell = prison::record_spell(store, &actor, &dean, &spell).expect("a prison spell");
    prison::record_release(store, &actor, &spell, &NewRelease { released_on: years_ago(6, 120), seen_at_gate: Some(true) })
        .expect("released");
    let treatment = EpisodeInput {
        service: "Westbridge Recovery Hub".into(),
        criminal_justice: true,
        referred_on: years_ago(6, 118),
        treatment_started_on: years_ago(6, 110),
        modality: "prescribing".into(),
        discharged_on: years_ago(5, 0),
        discharge_reason: "dropped_out".into(),
        ..Default::default()
    };
    treatment::record_referral(store, &actor, &dean, &treatment).expect("community treatment after release");
    let order = |sentenced_on: String, first_review_on: String| NewOrder {
        court: "Westbridge Magistrates' Court".into(),
        sentenced_on,
        order_months: "12".into(),
        treatment_months: "12".into(),
        reviews: Some(true),
        review_interval_months: "1".into(),
        first_review_on,
        responsible_officer: "Sam Patel (Probation)".into(),
        treatment_provider: "Westbridge Recovery Service".into(),
        residential: Some(false),
    };
    let earlier = drr::record_order(store, &actor, &dean, &order(years_ago(4, 0), years_ago(4, -31))).expect("an earlier DRR");
    let completed = OrderEnding { status: "completed".into(), ended_on: years_ago(3, 0), reason: "Completed: stable on script".into() };
    drr::end_order(store, &actor, &earlier, &completed).expect("completed");
    let now = drr::record_order(store, &actor, &dean, &order(day_from_now(-42), day_from_now(4))).expect("this DRR");
    let slot = timetable::NewSlot {
        weekday: "2".into(),
        time: "10:00".into(),
        kind: "Key work".into(),
        place: "Westbridge Recovery Hub".into(),
        ..Default::default()
    };
    timetable::add_slot(store, &actor, &now, &slot).expect("the timetable");
    let missed = testing::NewDrrTest {
        appointment: NewAppointment {
            date: day_from_now(-1),
            time: "10:00".into(),
            place: "Westbridge Recovery Hub".into(),
            ..Default::default()
        },
        sample_type: "urine".into(),
    };
    testing::book(store, &actor, &now, &missed).expect("yesterday's test");
    for n in 1..=25 {
        let note = NewNote { text: format!("Note {n}: spoke with the treatment provider about progress."), ..Default::default() };
        notes::add_note(store, &actor, &dean, &note).expect("a note");
    }
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

#[tokio::test]
async fn a_record_with_ten_years_of_history_says_where_they_are_and_what_is_due_in_one_screen() {
    let mut j = Journey::start_with("record-at-a-glance", team_with_dean).await;
    j.sign_in("community", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.expect_no_axe_violations("Today").await;

    // My caseload puts the person whose test was missed first.
    j.click("#nav-caseload").await;
    j.wait_for_heading("My caseload").await;
    j.wait_for_text("main", "WALKER, Dean").await;
    j.expect_no_axe_violations("My caseload").await;
    j.shot("caseload").await;

    j.keys("/").await;
    j.keys("walker").await;
    j.wait_for_text(".search-result", "WALKER, Dean").await;
    j.keys(ARROW_DOWN).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Dean Walker").await;
    j.wait_for_text(".glance-standing", "On a DRR").await;
    j.wait_for_text("#glance-next-deadline", "had a DRR drug test on").await;
    j.wait_for_text("#glance-flags", "due").await;
    // The question the record is opened with is answered without scrolling at 1280x800.
    for part in [".glance-standing", "#glance-next-appointment", "#glance-next-deadline", "#glance-flags", "#glance-worker"] {
        let below = j
            .c()
            .execute(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return r.bottom - window.innerHeight;",
                vec![part.into()],
            )
            .await
            .expect("measure");
        assert!(below.as_f64().expect("a number") <= 0.0, "{part} is below the first screen by {below}px");
    }
    // Ten years fold away: the stages the person is not at now are closed, and so is the DRR
    // that ended years ago; the page's height is reported, not budgeted.
    let folds = j
        .c()
        .execute(
            "return ['custody-fold', 'court-fold', 'prison-fold', 'drr-fold'].map(id => id + ' ' + document.getElementById(id).open)
               .concat(Array.from(document.querySelectorAll('details.drr-order')).map(d => 'earlier order ' + d.open));",
            vec![],
        )
        .await
        .expect("read the folds");
    assert_eq!(
        folds,
        serde_json::json!(["custody-fold false", "court-fold false", "prison-fold false", "drr-fold true", "earlier order false"])
    );
    let screens = j.c().execute("return document.documentElement.scrollHeight / window.innerHeight;", vec![]).await.expect("measure");
    eprintln!("the record of ten years is {:.1} screens tall", screens.as_f64().unwrap_or_default());
    j.expect_no_axe_violations("the record").await;
    j.shot("record").await;

    // ] moves from one section's heading to the next.
    let focused_heading = || async {
        let text = j
            .c()
            .execute("return document.activeElement.matches('section.section > h2') ? document.activeElement.textContent : null;", vec![])
            .await;
        text.expect("read the focus").as_str().map(str::to_string)
    };
    j.keys("]").await;
    let first = focused_heading().await.expect("] moves to a section's heading");
    j.keys("]").await;
    let second = focused_heading().await.expect("] moves to the next section's heading");
    assert_ne!(first, second);
    j.finish().await;
}
