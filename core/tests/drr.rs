//! The Drug Rehabilitation Requirement, from sentence to completion, with a fixed clock: the
//! law checked as an order is typed, the timetable across the clock changes, tests, failures,
//! warnings and breach, reviews with their progress reports, and the DRR flags.
mod support;
use chrono::Timelike;
use support::{john_smith_pnc, team_at, Team};
use throughline_core::appointments::{self, AppointmentStatus, NewAppointment, NewOutcome, OwnerType, PathwayError};
use throughline_core::calendar::when;
use throughline_core::clock::Clock;
use throughline_core::drr::compliance::{self, CourtDecision, NewFailure, Standing};
use throughline_core::drr::reviews::{self, ReviewOutcome};
use throughline_core::drr::testing::{self, NewDrrTest, TestResults};
use throughline_core::drr::timetable::{self, NewSlot};
use throughline_core::drr::{self, card, letters, NewOrder, OrderEnding};
use throughline_core::flags::{self, today, Flag, Severity};
use throughline_core::timeline::{self, Stage};
use throughline_core::Coded;

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn code_of<T: std::fmt::Debug, E: Coded>(r: Result<T, E>) -> String {
    r.map(|v| panic!("expected a refusal, got {v:?}")).unwrap_err().code().to_string()
}

fn fields_of<T: std::fmt::Debug>(r: Result<T, PathwayError>) -> Vec<(String, String)> {
    r.map(|v| panic!("expected a refusal, got {v:?}")).unwrap_err().fields().into_iter().map(|f| (f.field, f.code.to_string())).collect()
}

/// A 12-month order with a 12-month treatment and testing period and monthly reviews.
fn order_made(sentenced_on: &str, first_review_on: &str) -> NewOrder {
    NewOrder {
        court: "Westbridge Magistrates' Court".into(),
        sentenced_on: sentenced_on.into(),
        order_months: "12".into(),
        treatment_months: "12".into(),
        reviews: Some(true),
        review_interval_months: "1".into(),
        first_review_on: first_review_on.into(),
        responsible_officer: "Sam Patel (Probation)".into(),
        treatment_provider: "Westbridge Recovery Service".into(),
        residential: Some(false),
    }
}

fn without_reviews(sentenced_on: &str) -> NewOrder {
    NewOrder { reviews: Some(false), review_interval_months: String::new(), first_review_on: String::new(), ..order_made(sentenced_on, "") }
}

fn slot(weekday: &str, time: &str, kind: &str, starts_on: &str) -> NewSlot {
    NewSlot {
        weekday: weekday.into(),
        time: time.into(),
        kind: kind.into(),
        place: "Westbridge Recovery Hub".into(),
        starts_on: starts_on.into(),
        ..Default::default()
    }
}

fn unacceptable(on: &str, what: &str) -> NewFailure {
    NewFailure { occurred_on: on.into(), what: what.into(), acceptable: Some(false), ..Default::default() }
}

impl Team {
    fn order(&mut self, client: &str, input: &NewOrder) -> Result<String, PathwayError> {
        let actor = self.lead.actor();
        drr::record_order(self.lead.store_mut(), &actor, client, input)
    }

    fn failure(&mut self, order: &str, input: &NewFailure) -> Result<String, PathwayError> {
        let actor = self.lead.actor();
        compliance::record_failure(self.lead.store_mut(), &actor, order, input)
    }

    fn warn(&mut self, failure: &str, on: &str) -> Result<String, PathwayError> {
        let actor = self.lead.actor();
        compliance::give_warning(self.lead.store_mut(), &actor, failure, on)
    }

    fn breach(&mut self, failure: &str, on: &str) -> Result<String, PathwayError> {
        let actor = self.lead.actor();
        compliance::record_breach(self.lead.store_mut(), &actor, failure, on)
    }

    fn summary(&self, client: &str) -> drr::DrrSummary {
        drr::for_client(self.lead.store().reader(), client, self.clock.now()).unwrap()
    }

    fn flags(&self, client: &str) -> Vec<Flag> {
        flags::for_client(self.lead.store().reader(), self.clock.now(), &self.settings, client).unwrap()
    }

    fn flag(&self, client: &str, code: &str) -> Option<Flag> {
        self.flags(client).into_iter().find(|f| f.code == code)
    }

    fn codes(&self, client: &str) -> Vec<String> {
        self.flags(client).into_iter().filter(|f| f.code.starts_with("DRR")).map(|f| f.code).collect()
    }
}

#[test]
fn a_treatment_period_over_twelve_months_must_provide_for_review() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let mut thirteen = without_reviews("23/11/2026");
    thirteen.order_months = "24".into();
    thirteen.treatment_months = "13".into();
    assert_eq!(code_of(t.order(&john, &thirteen)), "validation.review_required");
    let refused = t.order(&john, &thirteen).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "A treatment and testing period longer than 12 months must provide for review hearings (Sentencing Act 2020 Sch 9 para 21)."
    );
    assert!(t.summary(&john).orders.is_empty(), "nothing is saved from a refused order");

    let mut twelve = thirteen.clone();
    twelve.treatment_months = "12".into();
    let order = t.order(&john, &twelve).expect("12 months may go without reviews");
    let saved = &t.summary(&john).orders[0];
    assert_eq!(saved.id, order);
    assert!(!saved.reviews);
    assert_eq!(saved.ends_on, day(2028, 11, 23));
    assert_eq!(saved.treatment_ends_on, day(2027, 11, 23));
}

#[test]
fn the_treatment_and_testing_period_cannot_outlast_the_order() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let mut longer = order_made("23/11/2026", "23/12/2026");
    longer.treatment_months = "18".into();
    let refused = t.order(&john, &longer).unwrap_err();
    assert_eq!(refused.code(), "validation.treatment_outlasts_order");
    assert_eq!(refused.to_string(), "The treatment and testing period cannot outlast the order: it can be at most 12 months.");
    let mut four_years = order_made("23/11/2026", "23/12/2026");
    four_years.order_months = "48".into();
    assert_eq!(code_of(t.order(&john, &four_years)), "validation.order_length");
    let mut in_future = order_made("24/11/2026", "24/12/2026");
    in_future.sentenced_on = "24/11/2026".into();
    assert_eq!(code_of(t.order(&john, &in_future)), "validation.date_future");
    let mut no_interval = order_made("23/11/2026", "23/12/2026");
    no_interval.review_interval_months = "0".into();
    assert_eq!(code_of(t.order(&john, &no_interval)), "validation.review_interval");
    assert!(t.summary(&john).orders.is_empty());
    // Several problems at once are each named against their field.
    let mut both = longer.clone();
    both.court = String::new();
    assert_eq!(
        fields_of(t.order(&john, &both)),
        vec![
            ("court".to_string(), "validation.required".to_string()),
            ("treatment_months".into(), "validation.treatment_outlasts_order".into())
        ]
    );
}

#[test]
fn reviews_are_at_least_one_calendar_month_apart_in_months_of_every_length() {
    let mut t = team_at("2027-01-31T12:00:00Z");
    // 31 January: one calendar month later is 28 February (27 days is too close).
    let a = t.register_named("Ahmed", "Bilal");
    let refused = t.order(&a, &order_made("31/01/2027", "27/02/2027")).unwrap_err();
    assert_eq!(refused.code(), "validation.review_too_soon");
    assert_eq!(
        refused.to_string(),
        "Reviews are at intervals of not less than one month: a review after the order made on 31 Jan 2027 can be no earlier than 28 Feb 2027."
    );
    t.order(&a, &order_made("31/01/2027", "28/02/2027")).expect("28 February is one calendar month after 31 January");

    // 15 February: 28 days to 15 March is a month; 27 days is not.
    t.set_clock("2027-02-15T12:00:00Z");
    let b = t.register_named("Brown", "Carla");
    assert_eq!(code_of(t.order(&b, &order_made("15/02/2027", "14/03/2027"))), "validation.review_too_soon");
    t.order(&b, &order_made("15/02/2027", "15/03/2027")).unwrap();

    // 15 March: 30 days is not a month (15 April is, at 31 days).
    t.set_clock("2027-03-15T12:00:00Z");
    let c = t.register_named("Clarke", "Dean");
    assert_eq!(code_of(t.order(&c, &order_made("15/03/2027", "14/04/2027"))), "validation.review_too_soon");
    let order = t.order(&c, &order_made("15/03/2027", "15/04/2027")).unwrap();

    // 15 April to 15 May is 30 days and a calendar month: the next review is set there.
    t.set_clock("2027-04-15T15:00:00Z");
    let review = t.summary(&c).orders[0].reviews_list[0].clone();
    assert_eq!(review.review_on, day(2027, 4, 15));
    assert_eq!(review.suggested_next_on, Some(day(2027, 5, 15)));
    let actor = t.lead.actor();
    let too_close = reviews::record_outcome(
        t.lead.store_mut(),
        &actor,
        &review.id,
        &ReviewOutcome { outcome: "Progress good; order continues.".into(), next_review_on: "14/05/2027".into() },
    );
    assert_eq!(code_of(too_close), "validation.review_too_soon");
    assert!(t.summary(&c).orders[0].reviews_list[0].outcome.is_none(), "a refused outcome saves nothing");
    reviews::record_outcome(
        t.lead.store_mut(),
        &actor,
        &review.id,
        &ReviewOutcome { outcome: "Progress good; order continues.".into(), next_review_on: "15/05/2027".into() },
    )
    .unwrap();
    let list = &t.summary(&c).orders[0].reviews_list;
    assert_eq!(list.iter().map(|r| r.review_on).collect::<Vec<_>>(), vec![day(2027, 4, 15), day(2027, 5, 15)]);
    assert_eq!(list[0].outcome.as_deref(), Some("Progress good; order continues."));
    assert_eq!(t.summary(&c).orders[0].id, order);
}

#[test]
fn an_acceptable_absence_never_counts_toward_a_warning_or_breach() {
    let mut t = team_at("2027-03-01T12:00:00Z");
    let john = t.register();
    let order = t.order(&john, &without_reviews("01/12/2026")).unwrap();
    let mut ill = unacceptable("05/01/2027", "Did not attend key work");
    ill.acceptable = Some(true);
    assert_eq!(code_of(t.failure(&order, &ill)), "validation.acceptable_without_reason", "an acceptable failure needs its reason");
    ill.reason = "In hospital; discharge letter seen".into();
    let excused = t.failure(&order, &ill).unwrap();
    assert!(t.codes(&john).is_empty(), "an acceptable failure raises nothing");
    assert_eq!(code_of(t.warn(&excused, "06/01/2027")), "validation.warning_for_acceptable");
    assert_eq!(code_of(t.breach(&excused, "06/01/2027")), "validation.breach_without_failure");

    let first = t.failure(&order, &unacceptable("12/01/2027", "Did not attend group")).unwrap();
    assert_eq!(t.codes(&john), vec!["DRR-WARNING-DUE"]);
    t.warn(&first, "13/01/2027").unwrap();
    assert!(t.codes(&john).is_empty(), "the warning clears DRR-WARNING-DUE");

    // An acceptable absence inside the warning period is still not a breach.
    let mut again = ill.clone();
    again.occurred_on = "02/02/2027".into();
    let excused_again = t.failure(&order, &again).unwrap();
    assert!(t.codes(&john).is_empty());
    let failures = &t.summary(&john).orders[0].failures;
    assert_eq!(failures.iter().map(|f| f.standing).collect::<Vec<_>>(), vec![Standing::Acceptable, Standing::Warned, Standing::Acceptable]);
    assert_eq!(code_of(t.breach(&excused_again, "03/02/2027")), "validation.breach_without_failure");
}

/// On 1 April 2028: John Smith on a two-year order made 1 February 2027, warned on 10 March
/// 2027 for missing key work on 8 March.
fn warned_on_a_two_year_order() -> (Team, String, String) {
    let mut t = team_at("2028-04-01T12:00:00Z");
    let john = t.register();
    let mut long = order_made("01/02/2027", "01/03/2027");
    long.order_months = "24".into();
    long.treatment_months = "24".into();
    let order = t.order(&john, &long).unwrap();
    let first = t.failure(&order, &unacceptable("08/03/2027", "Did not attend key work")).unwrap();
    t.warn(&first, "10/03/2027").unwrap();
    (t, john, order)
}

#[test]
fn a_second_failure_just_inside_the_warning_period_is_a_breach() {
    let (mut t, john, order) = warned_on_a_two_year_order();
    // The period is 12 months beginning with 10 March 2027: its last day is 9 March 2028.
    let second = t.failure(&order, &unacceptable("09/03/2028", "Did not attend a drug test")).unwrap();
    let flag = t.flag(&john, "DRR-BREACH").expect("a further failure inside the period is a breach");
    assert_eq!(flag.severity, Severity::Urgent);
    assert_eq!(flag.record_id, second);
    assert_eq!(
        flag.sentence,
        "John Smith failed to comply again on 9 Mar 2028 (did not attend a drug test), within the warning period of the warning given on 10 Mar 2027 (until 9 Mar 2028): a breach of the DRR."
    );
    assert!(t.flag(&john, "DRR-WARNING-DUE").is_none(), "a breach is returned to court, not warned again");
    assert_eq!(code_of(t.warn(&second, "10/03/2028")), "validation.breach_not_warning");
    assert_eq!(code_of(t.breach(&second, "02/04/2028")), "validation.date_future", "a return to court is recorded on the day");
}

#[test]
fn a_breach_is_cleared_by_returning_the_case_to_court_and_the_court_decides() {
    let (mut t, john, order) = warned_on_a_two_year_order();
    let actor = t.lead.actor();
    timetable::add_slot(t.lead.store_mut(), &actor, &order, &slot("2", "10:00", "Key work", "")).unwrap();
    let second = t.failure(&order, &unacceptable("09/03/2028", "Did not attend a drug test")).unwrap();
    let breach = t.breach(&second, "20/03/2028").unwrap();
    assert!(t.flag(&john, "DRR-BREACH").is_none(), "the breach action clears DRR-BREACH");
    assert_eq!(t.summary(&john).orders[0].failures[1].standing, Standing::ReturnedToCourt);

    let revoked = compliance::record_court_decision(
        t.lead.store_mut(),
        &actor,
        &breach,
        &CourtDecision { decision: "revoked_resentenced".into(), decided_on: "31/03/2028".into() },
    );
    revoked.unwrap();
    let o = &t.summary(&john).orders[0];
    assert_eq!(o.status, "revoked");
    assert_eq!(o.ended_on, Some(day(2028, 3, 31)));
    assert!(o.appointments.iter().all(|a| a.status == AppointmentStatus::Cancelled), "the timetable ends with the order");
    assert_eq!(o.breaches[0].court_decision_label.as_deref(), Some("Order revoked and re-sentenced"));
}

#[test]
fn a_second_failure_just_outside_the_warning_period_needs_a_new_warning() {
    let (mut t, john, order) = warned_on_a_two_year_order();
    let second = t.failure(&order, &unacceptable("10/03/2028", "Did not attend a drug test")).unwrap();
    assert!(t.flag(&john, "DRR-BREACH").is_none(), "10 March 2028 is outside the period");
    assert_eq!(t.flag(&john, "DRR-WARNING-DUE").unwrap().record_id, second);
    let refused = t.breach(&second, "20/03/2028").unwrap_err();
    assert_eq!(refused.code(), "validation.breach_without_warning");
    assert_eq!(
        refused.to_string(),
        "A breach is a further unacceptable failure within 12 months of a warning, and no earlier warning covers this failure. Give a warning instead."
    );
    assert!(t.summary(&john).orders[0].breaches.is_empty(), "nothing is saved");
    assert_eq!(code_of(t.breach("", "20/03/2028")), "validation.breach_without_failure");

    // The period is a team setting.
    t.settings.drr_warning_months = 13;
    assert!(t.flag(&john, "DRR-BREACH").is_some());
}

#[test]
fn a_review_with_no_progress_report_is_flagged_until_the_report_is_produced() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("02/11/2026", "02/12/2026")).unwrap();
    let actor = t.lead.actor();
    let test = testing::book(
        t.lead.store_mut(),
        &actor,
        &order,
        &NewDrrTest {
            appointment: NewAppointment {
                date: "23/11/2026".into(),
                time: "10:00".into(),
                place: "Westbridge Recovery Hub".into(),
                ..Default::default()
            },
            sample_type: "urine".into(),
        },
    )
    .unwrap();
    t.set_clock("2026-11-23T11:00:00Z");
    testing::record_results(
        t.lead.store_mut(),
        &actor,
        &test,
        &TestResults { opiates: "negative".into(), cocaine: "positive".into(), ..Default::default() },
    )
    .unwrap();
    let failure = t.failure(&order, &unacceptable("16/11/2026", "Did not attend group")).unwrap();
    t.warn(&failure, "17/11/2026").unwrap();

    // 2 December is 9 days away on 23 November: not yet.
    assert!(t.flag(&john, "DRR-REVIEW-DUE").is_none());
    t.set_clock("2026-11-24T09:00:00Z");
    assert!(t.flag(&john, "DRR-REVIEW-DUE").is_none(), "8 days before");
    t.set_clock("2026-11-25T09:00:00Z");
    let flag = t.flag(&john, "DRR-REVIEW-DUE").expect("7 days before the review");
    assert_eq!(flag.severity, Severity::Due);
    assert_eq!(flag.due, day(2026, 12, 2));
    assert_eq!(
        flag.sentence,
        "John Smith has a DRR review hearing at Westbridge Magistrates' Court on 2 Dec 2026 and no progress report is prepared."
    );

    let review = t.summary(&john).orders[0].reviews_list[0].id.clone();
    let refused = letters::progress_report(t.lead.store_mut(), &actor, &review).unwrap_err();
    assert_eq!(refused.code(), "validation.provider_views_required");
    assert!(t.flag(&john, "DRR-REVIEW-DUE").is_some(), "a refused report clears nothing");
    reviews::record_provider_views(t.lead.store_mut(), &actor, &review, "Engaging well with key work; reducing crack use.").unwrap();
    let doc = letters::progress_report(t.lead.store_mut(), &actor, &review).unwrap();
    assert!(t.flag(&john, "DRR-REVIEW-DUE").is_none(), "the report clears it");
    assert_eq!(doc.title, "Progress report: Drug Rehabilitation Requirement review on 2 Dec 2026");
    assert_eq!(doc.subject, "John Smith, born 3 Mar 1987");
    assert_eq!(
        doc.paragraphs,
        vec![
            format!("This report concerns John Smith, born 3 Mar 1987, PNC number {}.", john_smith_pnc()),
            "On 2 Nov 2026 Westbridge Magistrates' Court made a 12-month order with a Drug Rehabilitation Requirement (treatment and testing period 12 months), ending on 2 Nov 2027. The responsible officer is Sam Patel (Probation); non-residential treatment is provided by Westbridge Recovery Service.".to_string(),
            "This report covers 2 Nov 2026 to 2 Dec 2026.".into(),
            "Test results (1):".into(),
            "23 Nov 2026 (urine): opiates negative, cocaine positive.".into(),
            "Attendance at timetabled appointments: 0 attended, 0 not attended, 0 cancelled.".into(),
            "Failures to comply (1):".into(),
            "16 Nov 2026: Did not attend group: decided unacceptable; warning given on 17 Nov 2026.".into(),
            "The treatment provider's views (Westbridge Recovery Service): Engaging well with key work; reducing crack use.".into(),
            "This report is prepared by Priya Shah, Westbridge Criminal Justice Drug Team, on 25 Nov 2026.".into(),
        ]
    );
    t.set_clock("2026-11-26T09:00:00Z");
    let again = letters::progress_report(t.lead.store_mut(), &actor, &review).unwrap();
    assert_eq!(again.produced_on, day(2026, 11, 25), "a reprint keeps the date first produced");
}

#[test]
fn the_warning_letter_says_exactly_what_was_recorded() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("02/11/2026", "02/12/2026")).unwrap();
    let mut failure = unacceptable("16/11/2026", "Did not attend group");
    failure.reason = "No reason given when contacted.".into();
    let failure = t.failure(&order, &failure).unwrap();
    let warning = t.warn(&failure, "17/11/2026").unwrap();
    let actor = t.lead.actor();
    let doc = letters::warning_letter(t.lead.store_mut(), &actor, &warning).unwrap();
    assert_eq!(doc.title, "Warning: failure to comply with a Drug Rehabilitation Requirement");
    assert_eq!(
        doc.paragraphs,
        vec![
            "This letter is to John Smith, born 3 Mar 1987.".to_string(),
            "On 2 Nov 2026 Westbridge Magistrates' Court made a 12-month order with a Drug Rehabilitation Requirement (treatment and testing period 12 months), ending on 2 Nov 2027. Your responsible officer is Sam Patel (Probation) and your treatment provider is Westbridge Recovery Service.".into(),
            "On 16 Nov 2026: Did not attend group.".into(),
            "This failure to comply with the requirement was decided unacceptable: No reason given when contacted.".into(),
            "This is a formal warning. If you fail again to comply without an acceptable reason on or before 16 Nov 2027, you will be returned to court, which may revoke the order and sentence you again.".into(),
            "This warning is given by Priya Shah, Westbridge Criminal Justice Drug Team, on 17 Nov 2026.".into(),
        ]
    );
    assert_eq!(doc.signed_by, "Priya Shah");
    assert_eq!(doc.produced_on, day(2026, 11, 23));
}

#[test]
fn timetable_appointments_keep_their_wall_clock_time_across_both_clock_changes() {
    // Monday 15 March 2027; British Summer Time starts on Sunday 28 March.
    let mut t = team_at("2027-03-15T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("15/03/2027", "15/04/2027")).unwrap();
    let actor = t.lead.actor();
    timetable::add_slot(t.lead.store_mut(), &actor, &order, &slot("2", "10:00", "Key work", "")).unwrap();
    let booked = t.summary(&john).orders[0].appointments.clone();
    assert_eq!(booked.len(), 8, "eight weeks ahead");
    assert_eq!(booked[0].date, day(2027, 3, 16));
    assert!(booked.iter().all(|a| a.time == "10:00" && a.owner_type == OwnerType::DrrTimetable));
    assert_eq!((booked[1].date, booked[1].at.hour()), (day(2027, 3, 23), 10), "10:00 GMT");
    assert_eq!((booked[2].date, booked[2].at.hour()), (day(2027, 3, 30), 9), "10:00 BST is 09:00 UTC");

    // The day's timetable is on the worker's Today like any appointment.
    t.set_clock("2027-03-16T07:00:00Z");
    let today = today::for_worker_today(&mut [t.lead.store_mut().reader_mut()], t.clock.now(), &t.settings, &actor.worker_id).unwrap();
    assert_eq!(today.appointments.iter().map(|a| (a.time.as_str(), a.kind.as_str())).collect::<Vec<_>>(), vec![("10:00", "Key work")]);

    // Autumn: the clocks go back on Sunday 31 October 2027.
    let mut t = team_at("2027-10-18T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("18/10/2027", "18/11/2027")).unwrap();
    let actor = t.lead.actor();
    timetable::add_slot(t.lead.store_mut(), &actor, &order, &slot("4", "14:00", "Group", "")).unwrap();
    let booked = t.summary(&john).orders[0].appointments.clone();
    assert!(booked.iter().all(|a| a.time == "14:00"));
    assert_eq!((booked[1].date, booked[1].at.hour()), (day(2027, 10, 28), 13), "14:00 BST");
    assert_eq!((booked[2].date, booked[2].at.hour()), (day(2027, 11, 4), 14), "14:00 GMT");
    assert_eq!(when::london_time(booked[2].at), "14:00");
}

#[test]
fn changing_the_timetable_keeps_recorded_outcomes() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("23/11/2026", "23/12/2026")).unwrap();
    let actor = t.lead.actor();
    let tuesday = timetable::add_slot(t.lead.store_mut(), &actor, &order, &slot("2", "10:00", "Key work", "")).unwrap();
    let first = t.summary(&john).orders[0].appointments[0].id.clone();
    t.set_clock("2026-11-24T11:00:00Z");
    appointments::record_outcome(t.lead.store_mut(), &actor, &first, &NewOutcome { outcome: "attended".into(), remained: None }).unwrap();
    timetable::end_slot(t.lead.store_mut(), &actor, &tuesday, "").unwrap();
    timetable::add_slot(t.lead.store_mut(), &actor, &order, &slot("3", "11:30", "Key work", "")).unwrap();
    let o = &t.summary(&john).orders[0];
    let statuses: Vec<(String, AppointmentStatus)> = o.appointments.iter().map(|a| (a.time.clone(), a.status)).collect();
    assert_eq!(statuses[0], ("10:00".into(), AppointmentStatus::Attended), "the outcome already recorded is kept");
    assert!(statuses.iter().filter(|s| s.0 == "10:00").skip(1).all(|s| s.1 == AppointmentStatus::Cancelled));
    assert_eq!(statuses.iter().filter(|s| s.0 == "11:30" && s.1 == AppointmentStatus::Scheduled).count(), 8);
    assert_eq!(o.timetable[0].ended_on, Some(day(2026, 11, 24)));
    // Booking ahead adds nothing already booked.
    assert_eq!(timetable::book_ahead(t.lead.store_mut(), &actor, &order).unwrap(), 0);
    t.set_clock("2026-12-01T11:00:00Z");
    assert_eq!(timetable::book_ahead(t.lead.store_mut(), &actor, &order).unwrap(), 1, "one more week comes into reach");
}

#[test]
fn a_test_with_no_result_is_flagged_and_a_result_cannot_be_for_a_day_to_come() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("23/11/2026", "23/12/2026")).unwrap();
    let actor = t.lead.actor();
    let book = |date: &str| NewDrrTest {
        appointment: NewAppointment {
            date: date.into(),
            time: "10:00".into(),
            place: "Westbridge Recovery Hub".into(),
            ..Default::default()
        },
        sample_type: "oral_fluid".into(),
    };
    let test = testing::book(t.lead.store_mut(), &actor, &order, &book("23/11/2026")).unwrap();
    let later = testing::book(t.lead.store_mut(), &actor, &order, &book("30/11/2026")).unwrap();
    assert!(t.flag(&john, "DRR-TEST-MISSED").is_none(), "not before its time");
    let future = testing::record_results(
        t.lead.store_mut(),
        &actor,
        &later,
        &TestResults { taken_on: "30/11/2026".into(), opiates: "negative".into(), ..Default::default() },
    );
    assert_eq!(code_of(future), "validation.test_in_future");
    assert!(t.summary(&john).orders[0].tests.iter().all(|t| t.results.is_none()), "nothing saved");

    t.set_clock("2026-11-23T10:30:00Z");
    let flag = t.flag(&john, "DRR-TEST-MISSED").expect("its time has passed with nothing recorded");
    assert_eq!(
        flag.sentence,
        "John Smith had a DRR drug test on 23 Nov 2026 at 10:00 at Westbridge Recovery Hub and no result or reason is recorded."
    );
    assert_eq!(flag.severity, Severity::Due);
    // Days later still, the test has its own flag only: not a second "no outcome" one.
    t.set_clock("2026-11-26T10:30:00Z");
    assert!(t.flag(&john, "DRR-TEST-MISSED").is_some());
    assert!(t.flag(&john, "APPT-NO-OUTCOME").is_none(), "one flag for one missing result");
    assert_eq!(code_of(testing::record_missed(t.lead.store_mut(), &actor, &test, "")), "validation.required");
    testing::record_missed(t.lead.store_mut(), &actor, &test, "Did not attend; no contact").unwrap();
    assert!(t.flag(&john, "DRR-TEST-MISSED").is_none(), "a reason clears it");
    let tests = &t.summary(&john).orders[0].tests;
    assert_eq!(tests[0].appointment.status, AppointmentStatus::DidNotAttend);

    // The missed test becomes the failure to comply, named from the appointment.
    let missed = tests[0].appointment.id.clone();
    let failure = t.failure(&order, &NewFailure { appointment_id: missed.clone(), acceptable: Some(false), ..Default::default() }).unwrap();
    let f = &t.summary(&john).orders[0].failures[0];
    assert_eq!(
        (f.id.as_str(), f.occurred_on, f.what.as_str()),
        (failure.as_str(), day(2026, 11, 23), "Did not attend drug test on 23 Nov 2026 at 10:00")
    );
    assert_eq!(
        code_of(t.failure(&order, &NewFailure { appointment_id: missed, acceptable: Some(false), ..Default::default() })),
        "pathway.not_allowed"
    );
    let kept = t.summary(&john).orders[0].tests[1].appointment.id.clone();
    assert_eq!(
        code_of(t.failure(&order, &NewFailure { appointment_id: kept, acceptable: Some(false), ..Default::default() })),
        "validation.appointment_not_missed"
    );
}

#[test]
fn an_order_ending_within_fourteen_days_needs_an_exit_plan() {
    let mut t = team_at("2026-11-08T12:00:00Z");
    let john = t.register();
    let mut six = without_reviews("23/05/2026");
    six.order_months = "6".into();
    six.treatment_months = "6".into();
    let order = t.order(&john, &six).unwrap();
    assert!(t.flag(&john, "DRR-ENDING").is_none(), "15 days before the end");
    t.set_clock("2026-11-09T12:00:00Z");
    let flag = t.flag(&john, "DRR-ENDING").expect("14 days before the end");
    assert_eq!(flag.due, day(2026, 11, 23));
    assert_eq!(flag.sentence, "John Smith's DRR made at Westbridge Magistrates' Court ends on 23 Nov 2026 and no exit plan is recorded.");
    let actor = t.lead.actor();
    drr::record_exit_plan(t.lead.store_mut(), &actor, &order, "Continue with Westbridge Recovery Service; GP prescribing.").unwrap();
    assert!(t.flag(&john, "DRR-ENDING").is_none());

    t.set_clock("2026-11-23T12:00:00Z");
    let refused = drr::end_order(
        t.lead.store_mut(),
        &actor,
        &order,
        &OrderEnding { status: "completed".into(), ended_on: "24/11/2026".into(), reason: "Order completed".into() },
    );
    assert_eq!(code_of(refused), "validation.date_future");
    drr::end_order(
        t.lead.store_mut(),
        &actor,
        &order,
        &OrderEnding { status: "completed".into(), ended_on: "23/11/2026".into(), reason: "Order completed".into() },
    )
    .unwrap();
    let o = &t.summary(&john).orders[0];
    assert_eq!((o.status.as_str(), o.status_label.as_str()), ("completed", "Completed"));
    assert_eq!(
        code_of(t.failure(&order, &unacceptable("23/11/2026", "Late"))),
        "pathway.not_allowed",
        "a completed order takes nothing more"
    );
    // A new order may follow a finished one.
    t.order(&john, &without_reviews("23/11/2026")).unwrap();
}

#[test]
fn an_amended_order_keeps_its_history_and_is_checked_again() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &without_reviews("02/11/2026")).unwrap();
    assert_eq!(code_of(t.order(&john, &without_reviews("02/11/2026"))), "pathway.not_allowed", "one active order at a time");
    let actor = t.lead.actor();
    let mut longer = without_reviews("02/11/2026");
    longer.order_months = "24".into();
    longer.treatment_months = "18".into();
    assert_eq!(code_of(drr::amend_order(t.lead.store_mut(), &actor, &order, &longer)), "validation.review_required");
    longer.reviews = Some(true);
    longer.review_interval_months = "2".into();
    drr::amend_order(t.lead.store_mut(), &actor, &order, &longer).unwrap();
    let o = &t.summary(&john).orders[0];
    assert_eq!((o.order_months, o.treatment_months, o.ends_on), (24, 18, day(2028, 11, 2)));
    assert_eq!(o.amendments.len(), 1);
    let mut changes = o.amendments[0].changes.clone();
    changes.sort();
    assert_eq!(
        changes,
        vec![
            "Length of order (months): 12 → 24".to_string(),
            "Review hearings: no → yes".into(),
            "Review interval (months): none → 2".into(),
            "Treatment and testing period (months): 12 → 18".into(),
        ]
    );
}

#[test]
fn the_drr_flags_work_for_a_worker_and_for_everyone_and_appear_in_the_timeline() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let order = t.order(&john, &order_made("02/11/2026", "27/12/2026")).unwrap();
    t.failure(&order, &unacceptable("16/11/2026", "Did not attend group")).unwrap();
    let worker = t.lead.actor().worker_id;
    let conn = t.lead.store().reader();
    let mine = flags::for_worker(conn, t.clock.now(), &t.settings, &worker).unwrap();
    let all = flags::for_everyone(conn, t.clock.now(), &t.settings).unwrap();
    assert!(mine.iter().any(|f| f.code == "DRR-WARNING-DUE" && f.client_id == john));
    assert!(all.iter().any(|f| f.code == "DRR-WARNING-DUE" && f.client_id == john));
    assert!(flags::codes().contains(&"DRR-ENDING"));

    let entries = timeline::for_client(conn, &john).unwrap();
    let drr: Vec<(&str, &str)> =
        entries.iter().filter(|e| e.stage == Stage::Community).map(|e| (e.kind.as_str(), e.summary.as_str())).collect();
    assert_eq!(
        drr,
        vec![
            ("DRR order", "Made at Westbridge Magistrates' Court: 12-month order, treatment and testing 12 months, reviews every 1 month"),
            ("DRR failure to comply", "Did not attend group: Unacceptable: warning due"),
            ("DRR review hearing", "At Westbridge Magistrates' Court: progress report not yet produced"),
        ]
    );
}

#[test]
fn the_appointment_card_lists_the_coming_four_weeks_across_the_clock_change() {
    // Monday 19 October 2026; the clocks go back on Sunday 25 October.
    let mut t = team_at("2026-10-19T08:00:00Z");
    let john = t.register();
    let actor = t.lead.actor();
    let bare = t.order(&john, &without_reviews("19/10/2026")).unwrap();
    let nothing = card::appointment_card(t.lead.store_mut(), &actor, &bare);
    assert!(matches!(&nothing, Err(PathwayError::NotAllowed(m)) if m.starts_with("Nothing is booked for the next 4 weeks")), "{nothing:?}");
    let ended = OrderEnding { status: "revoked".into(), ended_on: "19/10/2026".into(), reason: "Resentenced".into() };
    drr::end_order(t.lead.store_mut(), &actor, &bare, &ended).unwrap();

    let order = t.order(&john, &order_made("19/10/2026", "19/11/2026")).unwrap();
    timetable::add_slot(t.lead.store_mut(), &actor, &order, &slot("2", "10:00", "Key work", "")).unwrap();
    let test = NewDrrTest {
        appointment: NewAppointment {
            date: "22/10/2026".into(),
            time: "10:00".into(),
            place: "Westbridge Recovery Hub".into(),
            ..Default::default()
        },
        sample_type: "urine".into(),
    };
    testing::book(t.lead.store_mut(), &actor, &order, &test).unwrap();
    let third = t.summary(&john).orders.iter().find(|o| o.id == order).unwrap().appointments[2].id.clone();
    appointments::cancel(t.lead.store_mut(), &actor, &third, "service").unwrap();

    let doc = card::appointment_card(t.lead.store_mut(), &actor, &order).unwrap();
    assert_eq!(doc.title, "Your DRR appointment card");
    assert_eq!(
        doc.paragraphs,
        vec![
            "This card is for John Smith, born 3 Mar 1987.".to_string(),
            "On 19 Oct 2026 Westbridge Magistrates' Court made a 12-month order with a Drug Rehabilitation Requirement (treatment and testing period 12 months). Your order ends on 19 Oct 2027; treatment and testing end on 19 Oct 2027.".into(),
            "Your responsible officer is Sam Patel (Probation) and your treatment provider is Westbridge Recovery Service.".into(),
            "Your appointments from 19 Oct 2026 to 15 Nov 2026".into(),
            "Tuesday 20 Oct 2026 at 10:00: Key work at Westbridge Recovery Hub, with Priya Shah.".into(),
            "Thursday 22 Oct 2026 at 10:00: Drug test (a urine sample) at Westbridge Recovery Hub, with Priya Shah.".into(),
            "Tuesday 27 Oct 2026 at 10:00: Key work at Westbridge Recovery Hub, with Priya Shah.".into(),
            "Tuesday 10 Nov 2026 at 10:00: Key work at Westbridge Recovery Hub, with Priya Shah.".into(),
            "Your next review hearing is on Thursday 19 Nov 2026 at Westbridge Magistrates' Court. You must attend court for it.".into(),
            "You must attend every appointment and give a sample when asked. Missing one without an acceptable reason is a failure to comply with your order: it can lead to a warning or your return to court.".into(),
            "If you cannot attend, contact Westbridge Criminal Justice Drug Team before the appointment.".into(),
            "Given to you by Priya Shah, Westbridge Criminal Justice Drug Team, on 19 Oct 2026.".into(),
        ],
        "the cancelled 3 November session is left off, and 10:00 stays 10:00 after the clocks go back"
    );
    assert_eq!(doc.headings, Some(vec![3]));
    assert_eq!(t.audited("printed DRR appointment card", &john), 1);
    let refused = card::appointment_card(t.lead.store_mut(), &actor, &bare);
    assert!(
        matches!(refused, Err(PathwayError::NotAllowed(m)) if m == "This order is revoked, so nothing more can be recorded against it.")
    );
}
