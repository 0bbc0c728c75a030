//! Custody and court as the pathway runs: a person arrested and tested, assessed or failing to
//! attend, bailed with a Restriction on Bail, and the flags that tell the worker what must
//! happen next, with a fixed clock so every deadline is exact.
mod support;
use chrono::Duration;
use std::sync::Arc;
use support::{john_smith_pnc, team, team_at, Team};
use throughline_core::accounts::Installation;
use throughline_core::appointments::{self, NewAppointment, NewOutcome};
use throughline_core::clients::consent::{self, NewConsent};
use throughline_core::clients::{self, caseload, merge};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::court::{self, NewBailDecision, NewHearing};
use throughline_core::custody::caution::{self, NewCaution};
use throughline_core::custody::{self, notices, statement, NewAssessment, NewTestOnArrest};
use throughline_core::flags::{self, today, Flag, Severity};
use throughline_core::notes::{self, NewContact, NewNote};
use throughline_core::stages;
use throughline_core::timeline::{self, Stage};
use throughline_core::Coded;

fn positive_for_opiates(date: &str, arrested: &str, tested: &str) -> NewTestOnArrest {
    NewTestOnArrest {
        custody_suite: "Westbridge custody suite".into(),
        arrested_date: date.into(),
        arrested_time: arrested.into(),
        trigger_offence: "theft".into(),
        tested_date: date.into(),
        tested_time: tested.into(),
        opiates: "positive".into(),
        cocaine: "negative".into(),
        sample_type: "oral_fluid".into(),
        ..Default::default()
    }
}

fn at(date: &str, time: &str, place: &str) -> NewAppointment {
    NewAppointment { date: date.into(), time: time.into(), place: place.into(), ..Default::default() }
}

fn outcome(what: &str, remained: Option<bool>) -> NewOutcome {
    NewOutcome { outcome: what.into(), remained }
}

impl Team {
    fn test(&mut self, client: &str, input: NewTestOnArrest) -> String {
        let actor = self.lead.actor();
        custody::record_test(self.lead.store_mut(), &actor, client, &input).unwrap()
    }

    fn book_initial(&mut self, client: &str, test: &str, appointment: NewAppointment) -> String {
        let actor = self.lead.actor();
        let input = NewAssessment { kind: "initial".into(), test_id: test.into(), appointment, ..Default::default() };
        custody::record_assessment(self.lead.store_mut(), &actor, client, &input).unwrap()
    }

    fn appointment_of(&self, assessment: &str) -> String {
        custody::get_assessment(self.lead.store().reader(), assessment).unwrap().unwrap().appointment_id
    }

    fn outcome(&mut self, appointment: &str, o: NewOutcome) -> Result<(), throughline_core::appointments::PathwayError> {
        let actor = self.lead.actor();
        appointments::record_outcome(self.lead.store_mut(), &actor, appointment, &o)
    }

    fn flags(&self, client: &str) -> Vec<Flag> {
        flags::for_client(self.lead.store().reader(), self.clock.now(), &self.settings, client).unwrap()
    }

    fn flag(&self, client: &str, code: &str) -> Option<Flag> {
        self.flags(client).into_iter().find(|f| f.code == code)
    }

    fn advance_days(&self, days: i64) {
        self.clock.advance(Duration::days(days));
    }
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn code_of<T: std::fmt::Debug, E: Coded>(r: Result<T, E>) -> String {
    r.map(|v| panic!("expected a refusal, got {v:?}")).unwrap_err().code().to_string()
}

#[test]
fn a_positive_test_with_nothing_booked_becomes_urgent_after_its_day() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));

    let flag = t.flag(&john, "CUS-ASSESS-MISSING").expect("raised as soon as the test is positive");
    assert_eq!(flag.severity, Severity::Due);
    assert_eq!(flag.due, day(2026, 11, 24));
    assert_eq!(
        flag.sentence,
        "John Smith tested positive for opiates at Westbridge custody suite on 23 Nov 2026 at 08:30 and no initial assessment is booked or recorded."
    );

    t.advance_days(1);
    assert_eq!(t.flag(&john, "CUS-ASSESS-MISSING").unwrap().severity, Severity::Due, "due on the due date");
    t.advance_days(1);
    assert_eq!(t.flag(&john, "CUS-ASSESS-MISSING").unwrap().severity, Severity::Urgent, "urgent once it has passed");

    t.book_initial(&john, &test, at("26/11/2026", "10:00", "Westbridge Recovery Hub"));
    assert!(t.flag(&john, "CUS-ASSESS-MISSING").is_none(), "booking the assessment clears it");
}

#[test]
fn a_negative_test_needs_no_assessment() {
    let mut t = team();
    let john = t.register();
    let mut input = positive_for_opiates("23/11/2026", "07:15", "08:30");
    input.opiates = "negative".into();
    let test = t.test(&john, input);
    assert!(t.flag(&john, "CUS-ASSESS-MISSING").is_none());
    let actor = t.lead.actor();
    let refused = custody::record_assessment(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewAssessment { kind: "initial".into(), test_id: test, carried_out_now: true, ..Default::default() },
    );
    assert_eq!(code_of(refused), "validation.test_not_positive");
}

#[test]
fn a_missed_assessment_needs_its_statement_sent_to_the_police() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let assessment = t.book_initial(&john, &test, at("24/11/2026", "10:00", "Westbridge Recovery Hub"));
    let appointment = t.appointment_of(&assessment);

    t.advance_days(2); // Wednesday 25 November
    t.outcome(&appointment, outcome("did_not_attend", None)).unwrap();
    let flag = t.flag(&john, "CUS-FAIL-ATTEND").expect("failure to attend is flagged");
    assert_eq!(flag.severity, Severity::Urgent);
    assert_eq!(flag.due, day(2026, 11, 24));
    assert_eq!(flag.sentence, "John Smith did not attend: Initial required assessment on 24 Nov 2026 at 10:00 at Westbridge Recovery Hub.");
    assert_eq!(flag.action, "Produce the evidential statement and mark it sent to the police.");

    let actor = t.lead.actor();
    let too_soon = appointments::mark_failure_reported(t.lead.store_mut(), &actor, &appointment);
    assert_eq!(code_of(too_soon), "pathway.not_allowed", "the statement is produced before it is sent");

    let doc = statement::produce(t.lead.store_mut(), &actor, &appointment).unwrap();
    assert_eq!(doc.title, "Evidential statement: failure to attend or remain for a required assessment");
    assert_eq!(doc.subject, "John Smith, born 3 Mar 1987");
    assert_eq!(
        doc.paragraphs,
        vec![
            "I am Priya Shah, a drug worker with Westbridge Criminal Justice Drug Team.".to_string(),
            format!("This statement concerns John Smith, born 3 Mar 1987, PNC number {}.", john_smith_pnc()),
            "On 23 Nov 2026 John Smith was tested for specified Class A drugs at Westbridge custody suite and the test was positive for opiates.".into(),
            "On 23 Nov 2026 at 09:00 Priya Shah gave John Smith written notice (RA1) requiring them to attend and remain for an initial assessment of their drug misuse under section 9 of the Drugs Act 2005.".into(),
            "The appointment was on 24 Nov 2026 at 10:00 at Westbridge Recovery Hub.".into(),
            "John Smith did not attend.".into(),
            "I produced this statement on 25 Nov 2026.".into(),
        ]
    );
    assert_eq!(doc.signed_by, "Priya Shah");
    assert_eq!(t.flag(&john, "CUS-FAIL-ATTEND").unwrap().action, "Mark the evidential statement as sent to the police.");

    t.advance_days(1);
    let reprint = statement::produce(t.lead.store_mut(), &actor, &appointment).unwrap();
    assert_eq!(reprint.produced_on, day(2026, 11, 25), "a reprint keeps the date it was produced");
    let prints: i64 = t
        .lead
        .store()
        .reader()
        .query_row("SELECT count(*) FROM audit_log WHERE action = 'printed evidential statement'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(prints, 2, "every print is audited");

    appointments::mark_failure_reported(t.lead.store_mut(), &actor, &appointment).unwrap();
    assert!(t.flag(&john, "CUS-FAIL-ATTEND").is_none(), "marked sent: the flag clears");
    let refused = t.outcome(&appointment, outcome("attended", Some(true)));
    assert_eq!(code_of(refused), "pathway.not_allowed", "an outcome a statement was produced from stays as it is");
}

#[test]
fn a_booking_entered_afterwards_keeps_the_time_the_notice_was_given() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let actor = t.lead.actor();
    // Written up at 09:00 (the clock): notice was given at 08:40 for an 08:50 appointment.
    let booked_late = |notice_time: &str| NewAssessment {
        kind: "initial".into(),
        test_id: test.clone(),
        appointment: at("23/11/2026", "08:50", "Westbridge custody suite"),
        notice_date: "23/11/2026".into(),
        notice_time: notice_time.into(),
        ..Default::default()
    };
    let refused = custody::record_assessment(t.lead.store_mut(), &actor, &john, &booked_late("08:55"));
    assert_eq!(code_of(refused), "validation.appointment_before_notice");
    let future = custody::record_assessment(t.lead.store_mut(), &actor, &john, &booked_late("10:00"));
    assert_eq!(code_of(future), "validation.notice_in_future");

    let assessment = custody::record_assessment(t.lead.store_mut(), &actor, &john, &booked_late("08:40")).unwrap();
    let appointment = t.appointment_of(&assessment);
    t.outcome(&appointment, outcome("did_not_attend", None)).unwrap();
    let doc = statement::produce(t.lead.store_mut(), &actor, &appointment).unwrap();
    assert!(
        doc.paragraphs.iter().any(|p| p.starts_with("On 23 Nov 2026 at 08:40 Priya Shah gave John Smith written notice (RA1)")),
        "{:?}",
        doc.paragraphs
    );
}

#[test]
fn leaving_early_is_a_failure_to_remain_and_a_varied_time_is_in_the_statement() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let assessment = t.book_initial(&john, &test, at("24/11/2026", "10:00", "Westbridge Recovery Hub"));
    let appointment = t.appointment_of(&assessment);
    let actor = t.lead.actor();
    t.clock.advance(Duration::hours(2)); // 11:00 on 23 November
    stages::reschedule(t.lead.store_mut(), &actor, &appointment, &at("24/11/2026", "14:30", "")).unwrap();
    let views = custody::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap();
    assert_eq!(views.assessments[0].appointment.time, "14:30");
    assert_eq!(views.assessments[0].appointment.variations.len(), 1, "RA2: the old time is kept");

    t.advance_days(1);
    t.clock.advance(Duration::hours(5)); // 16:00 on 24 November
    t.outcome(&appointment, outcome("attended", Some(false))).unwrap();
    let flag = t.flag(&john, "CUS-FAIL-ATTEND").expect("not remaining is a failure");
    assert!(flag.sentence.starts_with("John Smith attended but did not remain for the whole assessment"), "{}", flag.sentence);

    let decide = custody::decide_follow_up(t.lead.store_mut(), &actor, &assessment, true, None);
    assert_eq!(code_of(decide), "validation.assessment_not_completed");

    let doc = statement::produce(t.lead.store_mut(), &actor, &appointment).unwrap();
    assert!(doc.paragraphs.contains(
        &"On 23 Nov 2026 at 11:00 Priya Shah varied the time of the appointment (RA2) from 24 Nov 2026 at 10:00 to 24 Nov 2026 at 14:30."
            .to_string()
    ));
    assert!(doc.paragraphs.contains(&"The appointment was on 24 Nov 2026 at 14:30 at Westbridge Recovery Hub.".to_string()));
    assert!(doc.paragraphs.contains(&"John Smith attended but did not remain for the whole assessment.".to_string()));
}

#[test]
fn a_follow_up_required_in_custody_is_flagged_until_booked_after_the_initial() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let actor = t.lead.actor();
    let initial = custody::record_assessment(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewAssessment { kind: "initial".into(), test_id: test, carried_out_now: true, ..Default::default() },
    )
    .unwrap();
    let summary = custody::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap();
    let done = &summary.assessments[0];
    assert_eq!((done.appointment.status_label.as_str(), done.appointment.remained), ("Attended", Some(true)));
    assert_eq!(done.appointment.place, "Westbridge custody suite");
    assert!(done.awaiting_decision);

    custody::decide_follow_up(t.lead.store_mut(), &actor, &initial, true, None).unwrap();
    let flag = t.flag(&john, "CUS-FOLLOWUP-DUE").expect("RA4 with nothing booked");
    assert_eq!(flag.due, day(2026, 11, 24));

    let follow_up = |day: &str, time: &str| NewAssessment {
        kind: "follow_up".into(),
        initial_assessment_id: initial.clone(),
        appointment: at(day, time, "Westbridge Recovery Hub"),
        ..Default::default()
    };
    let early = custody::record_assessment(t.lead.store_mut(), &actor, &john, &follow_up("23/11/2026", "08:00"));
    assert_eq!(code_of(early), "validation.follow_up_before_initial");

    let booked = custody::record_assessment(t.lead.store_mut(), &actor, &john, &follow_up("30/11/2026", "11:00")).unwrap();
    assert!(t.flag(&john, "CUS-FOLLOWUP-DUE").is_none(), "booked: cleared");
    let appointment = t.appointment_of(&booked);
    let varied_early = stages::reschedule(t.lead.store_mut(), &actor, &appointment, &at("22/11/2026", "11:00", ""));
    assert_eq!(code_of(varied_early), "validation.follow_up_before_initial", "varying the time keeps the rule");
}

#[test]
fn requirement_ceases_when_no_follow_up_is_needed() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let actor = t.lead.actor();
    let initial = custody::record_assessment(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewAssessment { kind: "initial".into(), test_id: test, carried_out_now: true, ..Default::default() },
    )
    .unwrap();
    custody::decide_follow_up(t.lead.store_mut(), &actor, &initial, false, None).unwrap();
    assert!(t.flag(&john, "CUS-FOLLOWUP-DUE").is_none());
    let again = custody::decide_follow_up(t.lead.store_mut(), &actor, &initial, true, None);
    assert_eq!(code_of(again), "pathway.not_allowed");
}

fn bail_with_rob(t: &mut Team, client: &str) -> (String, String) {
    let actor = t.lead.actor();
    let hearing = court::record_hearing(
        t.lead.store_mut(),
        &actor,
        client,
        &NewHearing {
            court: "Westbridge Magistrates' Court".into(),
            date: "23/11/2026".into(),
            time: "10:00".into(),
            hearing_type: "first_appearance".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let bail = court::record_bail(
        t.lead.store_mut(),
        &actor,
        client,
        &NewBailDecision {
            hearing_id: hearing.clone(),
            bail_status: "conditional".into(),
            conditions: "Reside at 12 Mill Street; attend a drug assessment (Restriction on Bail).".into(),
            restriction_on_bail: true,
        },
    )
    .unwrap();
    (hearing, bail)
}

#[test]
fn a_missed_restriction_on_bail_appointment_is_reported_as_a_breach() {
    let mut t = team();
    let john = t.register();
    let (_hearing, bail) = bail_with_rob(&mut t, &john);
    let actor = t.lead.actor();
    let rob =
        court::book_rob_appointment(t.lead.store_mut(), &actor, &bail, &at("25/11/2026", "11:00", "Westbridge Recovery Hub")).unwrap();
    let future = t.outcome(&rob, outcome("did_not_attend", None));
    assert_eq!(code_of(future), "validation.outcome_in_future");

    t.advance_days(3); // Thursday 26 November
    t.outcome(&rob, outcome("did_not_attend", None)).unwrap();
    let flag = t.flag(&john, "COURT-ROB-MISSED").expect("a missed RoB appointment is flagged");
    assert_eq!(flag.severity, Severity::Urgent);
    assert_eq!(flag.sentence, "John Smith did not attend the Restriction on Bail appointment on 25 Nov 2026 at 11:00 at Westbridge Recovery Hub: a breach of bail.");

    let notice = court::notice::produce(t.lead.store_mut(), &actor, &rob).unwrap();
    assert_eq!(notice.title, "Breach of bail notice: Restriction on Bail appointment missed");
    assert_eq!(
        notice.paragraphs,
        vec![
            format!("This notice concerns John Smith, born 3 Mar 1987, PNC number {}.", john_smith_pnc()),
            "On 23 Nov 2026 Westbridge Magistrates' Court granted conditional bail with a Restriction on Bail: John Smith must attend an assessment of their dependency on or propensity to misuse specified Class A drugs and any follow-up the assessor considers appropriate.".to_string(),
            "The bail conditions recorded are: Reside at 12 Mill Street; attend a drug assessment (Restriction on Bail).".into(),
            "John Smith was required to attend a Restriction on Bail appointment (Restriction on Bail appointment) on 25 Nov 2026 at 11:00 at Westbridge Recovery Hub.".into(),
            "John Smith did not attend.".into(),
            "This notice is given by Priya Shah, Westbridge Criminal Justice Drug Team, on 26 Nov 2026.".into(),
        ]
    );
    assert!(t.flag(&john, "COURT-ROB-MISSED").is_some(), "produced is not yet reported");
    appointments::mark_failure_reported(t.lead.store_mut(), &actor, &rob).unwrap();
    assert!(t.flag(&john, "COURT-ROB-MISSED").is_none(), "reported to the court: cleared");

    let wrong_document = statement::produce(t.lead.store_mut(), &actor, &rob);
    assert_eq!(code_of(wrong_document), "pathway.not_allowed");
}

/// The record shows a failure's document and who it goes to from the appointment itself.
#[test]
fn a_failed_appointment_says_what_it_produces_and_who_it_goes_to() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let assessment = t.book_initial(&john, &test, at("24/11/2026", "10:00", "Westbridge Recovery Hub"));
    let ra = t.appointment_of(&assessment);
    let (_hearing, bail) = bail_with_rob(&mut t, &john);
    let actor = t.lead.actor();
    let rob =
        court::book_rob_appointment(t.lead.store_mut(), &actor, &bail, &at("25/11/2026", "11:00", "Westbridge Recovery Hub")).unwrap();
    let view = |t: &Team, id: &str| {
        let conn = t.lead.store().reader();
        appointments::view(conn, appointments::require(conn, id).unwrap(), t.lead.store().clock().now()).unwrap()
    };

    let statement = view(&t, &ra).failure_report.expect("an assessment's failure produces a document");
    assert_eq!(statement.document, appointments::FailureDocument::EvidentialStatement);
    assert_eq!(statement.reported_to, appointments::ReportedTo::Police);
    assert_eq!(statement.reported_label, "sent to the police");
    assert!(view(&t, &ra).asks_remained, "RA3: attended and remained are two facts");

    let notice = view(&t, &rob).failure_report.expect("a missed RoB appointment produces a document");
    assert_eq!(notice.document, appointments::FailureDocument::BreachNotice);
    assert_eq!(notice.reported_to, appointments::ReportedTo::Court);
    assert_eq!(notice.produce_label, "Produce the breach of bail notice");
    assert!(!view(&t, &rob).asks_remained);
}

#[test]
fn restriction_on_bail_needs_conditional_bail() {
    let mut t = team();
    let john = t.register();
    let (hearing, _) = bail_with_rob(&mut t, &john);
    let actor = t.lead.actor();
    let refused = court::record_bail(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewBailDecision { hearing_id: hearing, bail_status: "remanded".into(), restriction_on_bail: true, ..Default::default() },
    );
    assert_eq!(code_of(refused), "validation.rob_without_conditional_bail");
}

#[test]
fn an_appointment_with_no_outcome_is_flagged_the_day_after_the_next() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let general = NewAppointment { kind: "Key work session".into(), ..at("23/11/2026", "10:00", "Westbridge Recovery Hub") };
    let id = appointments::book_general(t.lead.store_mut(), &actor, &john, &general).unwrap();
    t.advance_days(1);
    assert!(t.flag(&john, "APPT-NO-OUTCOME").is_none(), "one day's grace (policy default)");
    t.advance_days(1);
    let flag = t.flag(&john, "APPT-NO-OUTCOME").expect("more than a day has passed");
    assert_eq!(flag.due, day(2026, 11, 24));
    assert_eq!(
        flag.sentence,
        "Key work session with John Smith on 23 Nov 2026 at 10:00 at Westbridge Recovery Hub has no outcome recorded."
    );
    t.outcome(&id, outcome("attended", None)).unwrap();
    assert!(t.flag(&john, "APPT-NO-OUTCOME").is_none());
}

#[test]
fn deadlines_fall_on_the_london_calendar_day_across_the_clock_changes() {
    // 00:30 on Sunday 25 October 2026, the night the clocks go back, is 23:30 on the 24th in UTC.
    let mut t = team_at("2026-10-25T06:00:00Z");
    let john = t.register();
    t.test(&john, positive_for_opiates("25/10/2026", "00:10", "00:30"));
    let stored = custody::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap().tests[0].tested_at;
    assert_eq!(stored.to_rfc3339(), "2026-10-24T23:30:00+00:00");
    assert_eq!(t.flag(&john, "CUS-ASSESS-MISSING").unwrap().due, day(2026, 10, 26));

    // 00:30 on Monday 30 March 2026, the day after the clocks go forward, is 23:30 on the 29th in UTC.
    let mut t = team_at("2026-03-30T08:00:00Z");
    let john = t.register();
    t.test(&john, positive_for_opiates("30/03/2026", "00:05", "00:30"));
    assert_eq!(t.flag(&john, "CUS-ASSESS-MISSING").unwrap().due, day(2026, 3, 31));
    t.clock.advance(Duration::days(1) + Duration::hours(14)); // 23:00 BST on 31 March: still the due day
    assert_eq!(t.flag(&john, "CUS-ASSESS-MISSING").unwrap().severity, Severity::Due);
    t.clock.advance(Duration::hours(1)); // midnight in London: 1 April
    assert_eq!(t.flag(&john, "CUS-ASSESS-MISSING").unwrap().severity, Severity::Urgent);
}

#[test]
fn a_skipped_time_is_refused_and_a_repeated_one_booked_once_the_worker_says_which() {
    let mut t = team_at("2026-11-23T09:00:00Z");
    let john = t.register();
    let actor = t.lead.actor();
    let general = |d: &str, time: &str| NewAppointment { kind: "Key work session".into(), ..at(d, time, "Hub") };
    let skipped = appointments::book_general(t.lead.store_mut(), &actor, &john, &general("29/03/2026", "01:30")).unwrap_err();
    assert_eq!(skipped.code(), "validation.time_does_not_exist");
    assert_eq!(skipped.fields()[0].field, "time");
    assert!(skipped.to_string().contains("from 01:00 to just before 02:00"), "{skipped}");
    let repeated = appointments::book_general(t.lead.store_mut(), &actor, &john, &general("25/10/2026", "01:30")).unwrap_err();
    assert_eq!(repeated.code(), "validation.time_ambiguous");
    assert!(repeated.to_string().contains("01:00 to 02:00 is repeated. Say which it was"), "{repeated}");
    // The second 01:30, after the clocks went back: 01:30 GMT, 01:30 UTC.
    let id = appointments::book_general(t.lead.store_mut(), &actor, &john, &general("25/10/2026", "01:30 GMT")).unwrap();
    let at: String = t.lead.store().reader().query_row("SELECT at FROM appointments WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(at, "2026-10-25T01:30:00Z");
}

#[test]
fn bad_input_is_refused_with_its_own_code() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();

    let mut backwards = positive_for_opiates("23/11/2026", "08:30", "07:15");
    backwards.custody_suite = "Westbridge custody suite".into();
    let refused = custody::record_test(t.lead.store_mut(), &actor, &john, &backwards);
    assert_eq!(code_of(refused), "validation.test_before_arrest");

    let future = custody::record_test(t.lead.store_mut(), &actor, &john, &positive_for_opiates("24/11/2026", "07:15", "08:30"));
    assert_eq!(code_of(future), "validation.several", "arrest and test both in the future");

    let id = appointments::book_general(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewAppointment { kind: "Key work session".into(), ..at("23/11/2026", "08:00", "Hub") },
    )
    .unwrap();
    let remained = t.outcome(&id, outcome("did_not_attend", Some(false)));
    assert_eq!(code_of(remained), "validation.remained_without_attended");

    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let given_earlier = NewAssessment {
        kind: "initial".into(),
        test_id: test.clone(),
        appointment: at("23/11/2026", "08:45", "Westbridge custody suite"),
        notice_date: "23/11/2026".into(),
        notice_time: "08:35".into(),
        ..Default::default()
    };
    let assessment = custody::record_assessment(t.lead.store_mut(), &actor, &john, &given_earlier).unwrap();
    let appointment = t.appointment_of(&assessment);
    let no_remained = t.outcome(&appointment, outcome("attended", None));
    assert_eq!(code_of(no_remained), "validation.required", "an assessment records remained");
    let everything = custody::record_test(t.lead.store_mut(), &actor, &john, &NewTestOnArrest::default()).unwrap_err();
    let fields: Vec<String> = everything.fields().into_iter().map(|f| f.field).collect();
    for f in [
        "custody_suite",
        "arrested_date",
        "arrested_time",
        "tested_date",
        "tested_time",
        "trigger_offence",
        "opiates",
        "cocaine",
        "sample_type",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} missing from {fields:?}");
    }
}

#[test]
fn a_hearing_within_two_working_days_needs_a_court_note() {
    // Thursday 2 April 2026; Good Friday and Easter Monday follow.
    let mut t = team_at("2026-04-02T08:00:00Z");
    let john = t.register();
    let actor = t.lead.actor();
    let hearing = |date: &str| NewHearing {
        court: "Westbridge Magistrates' Court".into(),
        date: date.into(),
        time: "10:00".into(),
        hearing_type: "sentence".into(),
        ..Default::default()
    };
    let soon = court::record_hearing(t.lead.store_mut(), &actor, &john, &hearing("08/04/2026")).unwrap();
    court::record_hearing(t.lead.store_mut(), &actor, &john, &hearing("09/04/2026")).unwrap();
    let flags: Vec<Flag> = t.flags(&john).into_iter().filter(|f| f.code == "COURT-HEARING-SOON").collect();
    assert_eq!(flags.len(), 1, "Wednesday 8 April is two working days away; Thursday 9th is not");
    assert_eq!(flags[0].record_id, soon);
    assert_eq!(flags[0].sentence, "John Smith has a hearing (sentence) at Westbridge Magistrates' Court on 8 Apr 2026 at 10:00 and no court report or note is recorded.");
    court::record_note(t.lead.store_mut(), &actor, &soon, "Report: suitable for a DRR; proposal attached.").unwrap();
    assert!(t.flag(&john, "COURT-HEARING-SOON").is_none());
}

#[test]
fn consent_and_contact_are_flagged_for_active_clients() {
    let mut t = team();
    let john = t.register();
    let flag = t.flag(&john, "CONSENT-MISSING").expect("no consent recorded");
    assert_eq!(flag.severity, Severity::Info);
    let actor = t.lead.actor();
    consent::record(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewConsent { given_on: "23/11/2026".into(), scope: "Police, probation".into(), review_on: String::new() },
        12,
    )
    .unwrap();
    assert!(t.flag(&john, "CONSENT-MISSING").is_none());

    t.advance_days(27);
    assert!(t.flag(&john, "CASE-NO-CONTACT").is_none());
    t.advance_days(1); // 21 December: 28 days since registration
    let flag = t.flag(&john, "CASE-NO-CONTACT").expect("28 days without contact");
    assert_eq!(flag.sentence, "No contact with John Smith is recorded for 28 days, since registration on 23 Nov 2026.");
    notes::record_contact(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewContact { kind: "phone".into(), date: "21/12/2026".into(), time: "08:30".into(), summary: "Rang to check in.".into() },
    )
    .unwrap();
    assert!(t.flag(&john, "CASE-NO-CONTACT").is_none(), "a contact clears it");

    clients::close(t.lead.store_mut(), &actor, &john, "moved_away").unwrap();
    assert!(t.flags(&john).is_empty(), "closed clients raise no flags");
}

#[test]
fn flags_come_most_severe_first_and_by_scope() {
    let mut t = team();
    let john = t.register();
    let jane = t.register_named("Jones", "Jane");
    let actor = t.lead.actor();
    let me = t.lead.worker().id.clone();
    caseload::allocate(t.lead.store_mut(), &actor, &john, Some(&me)).unwrap();
    caseload::allocate(t.lead.store_mut(), &actor, &jane, None).unwrap();
    t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    t.test(&jane, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    t.advance_days(2);

    let mine = flags::for_worker(t.lead.store().reader(), t.clock.now(), &t.settings, &me).unwrap();
    assert!(mine.iter().all(|f| f.client_id == john), "only the worker's caseload");
    let everyone = flags::for_everyone(t.lead.store().reader(), t.clock.now(), &t.settings).unwrap();
    assert!(everyone.iter().any(|f| f.client_id == jane));
    let severities: Vec<Severity> = everyone.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert_eq!(everyone[0].code, "CUS-ASSESS-MISSING");
    assert_eq!(flags::codes().len(), 16);
}

#[test]
fn today_shows_the_workers_appointments_and_caseload_flags() {
    let mut t = team();
    let john = t.register();
    let jane = t.register_named("Jones", "Jane");
    let actor = t.lead.actor();
    let me = t.lead.worker().id.clone();
    caseload::allocate(t.lead.store_mut(), &actor, &john, Some(&me)).unwrap();
    caseload::allocate(t.lead.store_mut(), &actor, &jane, None).unwrap();
    for (client, time) in [(&jane, "15:00"), (&john, "11:30")] {
        appointments::book_general(
            t.lead.store_mut(),
            &actor,
            client,
            &NewAppointment { kind: "Key work session".into(), ..at("23/11/2026", time, "Westbridge Recovery Hub") },
        )
        .unwrap();
    }
    appointments::book_general(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewAppointment { kind: "Key work session".into(), ..at("24/11/2026", "00:30", "Hub") },
    )
    .unwrap();
    let today = today::for_worker_today(&mut [t.lead.store_mut().reader_mut()], t.clock.now(), &t.settings, &me).unwrap();
    assert_eq!(today.date, day(2026, 11, 23));
    let lines: Vec<(String, String)> = today.appointments.iter().map(|a| (a.time.clone(), a.client_name.clone())).collect();
    assert_eq!(lines, [("11:30".to_string(), "John Smith".to_string()), ("15:00".into(), "Jane Jones".into())]);
    assert!(today.flags.iter().all(|f| f.client_id == john));
    assert!(today.flags.windows(2).all(|w| w[0].due <= w[1].due), "soonest due first");

    // A long day: Today reads its first appointments in time order and says how many there
    // are; the whole day is read when asked for.
    for minute in 0..55 {
        let later = NewAppointment { kind: "Key work session".into(), ..at("23/11/2026", &format!("16:{minute:02}"), "Hub") };
        appointments::book_general(t.lead.store_mut(), &actor, &john, &later).unwrap();
    }
    let today = today::for_worker_today(&mut [t.lead.store_mut().reader_mut()], t.clock.now(), &t.settings, &me).unwrap();
    assert_eq!((today.appointments.len(), today.appointments_total), (50, 57));
    assert_eq!((today.appointments[0].time.as_str(), today.appointments[49].time.as_str()), ("11:30", "16:47"));
    let whole = appointments::of_worker_on(t.lead.store().reader(), &me, day(2026, 11, 23), None).unwrap();
    assert_eq!(whole.len(), 57);
    assert_eq!(whole.last().unwrap().time, "16:54");
}

#[test]
fn the_timeline_shows_every_record_in_order_including_merged_records() {
    let mut t = team();
    let john = t.register();
    let twin = t.register_named("Smyth", "Jon");
    let actor = t.lead.actor();
    t.test(&twin, positive_for_opiates("20/11/2026", "07:15", "08:30"));
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    t.book_initial(&john, &test, at("24/11/2026", "10:00", "Westbridge Recovery Hub"));
    let (_, bail) = bail_with_rob(&mut t, &john);
    court::book_rob_appointment(t.lead.store_mut(), &actor, &bail, &at("25/11/2026", "11:00", "Hub")).unwrap();
    notes::add_note(t.lead.store_mut(), &actor, &john, &NewNote { text: "Seen in cells, agreed to engage.".into(), ..Default::default() })
        .unwrap();
    merge::merge(t.lead.store_mut(), &actor, &john, &twin, "Same PNC and date of birth").unwrap();

    let entries = timeline::for_client(t.lead.store().reader(), &john).unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Test on arrest",
            "Test on arrest",
            "Case note",
            "Court hearing",
            "Bail decision",
            "Initial required assessment",
            "Restriction on Bail appointment"
        ]
    );
    assert_eq!(entries[0].client_id, twin, "the merged record's test is in the survivor's timeline");
    assert_eq!(entries[0].stage, Stage::Custody);
    assert_eq!(entries[0].summary, "At Westbridge custody suite (theft): opiates positive, cocaine negative");
    assert!(entries.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(
        t.flags(&john).iter().any(|f| f.code == "CUS-ASSESS-MISSING" && f.client_id == john),
        "the merged record's untreated positive test flags on the survivor"
    );
}

#[test]
fn a_case_note_is_corrected_by_a_new_note() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let first =
        notes::add_note(t.lead.store_mut(), &actor, &john, &NewNote { text: "Lives at 12 Mill Street.".into(), ..Default::default() })
            .unwrap();
    t.clock.advance(Duration::minutes(5));
    let second = notes::add_note(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewNote { text: "Correction: 21 Mill Street.".into(), corrects_note_id: first.clone(), ..Default::default() },
    )
    .unwrap();
    let all = notes::for_client(t.lead.store().reader(), &john).unwrap();
    assert_eq!(all.notes.len(), 2, "nothing is overwritten");
    assert_eq!(all.notes[0].corrects_note_id.as_deref(), Some(first.as_str()));
    assert_eq!(all.notes[1].corrected_by_note_id.as_deref(), Some(second.as_str()));
    let kind: String =
        t.lead.store().reader().query_row("SELECT kind FROM operations WHERE record_id = ?1", [&second], |r| r.get(0)).unwrap();
    assert_eq!(kind, "append");
}

#[test]
fn a_missed_caution_appointment_shows_non_engagement() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let id = caution::record(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewCaution {
            given_on: "23/11/2026".into(),
            conditions: "Attend two drug service appointments.".into(),
            complete_by: "23/02/2027".into(),
        },
    )
    .unwrap();
    let appointment = caution::book_appointment(t.lead.store_mut(), &actor, &id, &at("23/11/2026", "08:00", "Hub")).unwrap();
    t.outcome(&appointment, outcome("did_not_attend", None)).unwrap();
    let summary = custody::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap();
    assert!(summary.cautions[0].non_engagement);
    assert_eq!(summary.cautions[0].appointments[0].kind, "Conditional caution appointment");
}

#[test]
fn the_demo_team_has_every_flag_live_and_a_day_of_appointments() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2026-11-23T11:00:00Z"));
    throughline_core::demo::create_installation(dir.path(), clock.clone(), 2026, 400).unwrap();
    let mut lead = Installation::new(dir.path(), clock.clone()).sign_in("lead", throughline_core::demo::DEMO_PASSWORD).unwrap();
    let conn = lead.store().reader();
    let all = flags::for_everyone(conn, clock.now(), &lead.team_settings()).unwrap();
    // A working team's picture: most active clients have nothing open.
    let active: i64 = conn.query_row("SELECT count(*) FROM clients WHERE status = 'active'", [], |r| r.get(0)).unwrap();
    let flagged: std::collections::BTreeSet<&str> = all.iter().map(|f| f.client_id.as_str()).collect();
    let share = flagged.len() as f64 / active as f64;
    assert!((0.1..0.4).contains(&share), "{} of {active} active clients have an open flag", flagged.len());
    let mut live: Vec<&str> = all.iter().map(|f| f.code.as_str()).collect();
    live.sort();
    live.dedup();
    let mut every = flags::codes();
    every.sort();
    assert_eq!(live, every, "every flag rule is live for someone in the demo");
    // Each worker's Today as the app reads it, on two readings.
    let (workers, settings) = (lead.list_workers().unwrap(), lead.team_settings());
    let (mut first, mut second) = (lead.start_reading().unwrap(), lead.start_reading().unwrap());
    let diary: usize = workers
        .iter()
        .map(|w| {
            let both = &mut [first.store_mut().reader_mut(), second.store_mut().reader_mut()];
            today::for_worker_today(both, clock.now(), &settings, &w.id).unwrap().appointments.len()
        })
        .sum();
    assert!(diary > 0, "Today has appointments");
}

#[test]
fn the_person_is_handed_an_ra1_notice_of_their_booked_assessment_and_an_ra2_when_its_time_changes() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let assessment = t.book_initial(&john, &test, at("24/11/2026", "10:00", "Westbridge Recovery Hub, 4 Mill Lane"));
    let actor = t.lead.actor();

    let ra1 = notices::requirement(t.lead.store_mut(), &actor, &assessment).unwrap();
    assert_eq!(ra1.title, "Notice of requirement to attend an initial assessment (RA1)");
    assert_eq!(
        ra1.paragraphs[..5],
        [
            format!("To John Smith, born 3 Mar 1987, PNC number {}.", john_smith_pnc()),
            "On 23 Nov 2026 you were tested for specified Class A drugs at Westbridge custody suite and the test was positive for opiates.".into(),
            "Under section 9 of the Drugs Act 2005 you are required to attend an initial assessment of your drug misuse with a drug worker and to remain for its duration.".into(),
            "Your appointment is on Tuesday 24 Nov 2026 at 10:00, at Westbridge Recovery Hub, 4 Mill Lane.".into(),
            "You must attend at that time and remain until the assessment is finished.".into(),
        ]
    );
    assert!(ra1.paragraphs[5].starts_with(
        "If you fail without good cause to attend, or to remain for the whole of the assessment, you commit an offence under section 12"
    ));
    assert!(ra1.paragraphs.contains(
        &"This notice was given to you by Priya Shah, Westbridge Criminal Justice Drug Team, on 23 Nov 2026 at 09:00.".to_string()
    ));
    assert!(ra1.paragraphs.iter().any(|p| p.starts_with("Signature of the person given this notice:")));
    assert!(ra1.paragraphs.iter().any(|p| p.starts_with("Signature of the drug worker:")));
    assert_eq!(t.audited("printed RA1 notice", &john), 1, "producing it is audited as a print");

    let appointment = t.appointment_of(&assessment);
    let unchanged = notices::changed_time(t.lead.store_mut(), &actor, &appointment);
    assert_eq!(code_of(unchanged), "pathway.not_allowed", "no RA2 before the time changes");

    t.clock.advance(Duration::hours(2)); // 11:00 on 23 November
    stages::reschedule(t.lead.store_mut(), &actor, &appointment, &at("25/11/2026", "14:30", "Westbridge Recovery Hub, 4 Mill Lane"))
        .unwrap();
    let ra2 = notices::changed_time(t.lead.store_mut(), &actor, &appointment).unwrap();
    assert_eq!(ra2.title, "Notice of a changed appointment time (RA2)");
    assert_eq!(
        ra2.paragraphs[1..5],
        [
            "The time of your appointment for an initial assessment under section 9 of the Drugs Act 2005 has been changed.".to_string(),
            "It was on Tuesday 24 Nov 2026 at 10:00.".into(),
            "It is now on Wednesday 25 Nov 2026 at 14:30, at Westbridge Recovery Hub, 4 Mill Lane.".into(),
            "You must attend at the new time and remain until the assessment is finished.".into(),
        ]
    );
    assert!(ra2.paragraphs.contains(
        &"This notice was given to you by Priya Shah, Westbridge Criminal Justice Drug Team, on 23 Nov 2026 at 11:00.".to_string()
    ));
    assert_eq!(t.audited("printed RA2 notice", &john), 1);

    let reprint = notices::requirement(t.lead.store_mut(), &actor, &assessment).unwrap();
    assert!(
        reprint
            .paragraphs
            .contains(&"Your appointment is on Tuesday 24 Nov 2026 at 10:00, at Westbridge Recovery Hub, 4 Mill Lane.".to_string()),
        "a reprinted RA1 says what the person was told then; the change is the RA2's"
    );
    assert_eq!(reprint.produced_on, ra1.produced_on, "dated when the notice was given");
    assert_eq!(t.audited("printed RA1 notice", &john), 2, "every reprint is audited");
}

#[test]
fn a_follow_up_notice_ra4_names_section_10_and_an_assessment_done_at_once_has_no_notice() {
    let mut t = team();
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15", "08:30"));
    let actor = t.lead.actor();
    let done_now = custody::record_assessment(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewAssessment { kind: "initial".into(), test_id: test, carried_out_now: true, ..Default::default() },
    )
    .unwrap();
    assert_eq!(code_of(notices::requirement(t.lead.store_mut(), &actor, &done_now)), "pathway.not_allowed");

    custody::decide_follow_up(t.lead.store_mut(), &actor, &done_now, true, Some(&at("30/11/2026", "11:15", "Westbridge Recovery Hub")))
        .unwrap();
    let summary = custody::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap();
    let follow_up = summary.assessments.iter().find(|a| a.kind == custody::AssessmentKind::FollowUp).unwrap();

    let ra4 = notices::requirement(t.lead.store_mut(), &actor, &follow_up.id).unwrap();
    assert_eq!(ra4.title, "Notice of requirement to attend a follow-up assessment (RA4)");
    assert_eq!(ra4.paragraphs[1], "At the end of your initial assessment the assessor decided that a follow-up assessment is appropriate.");
    assert!(ra4.paragraphs[2].starts_with("Under section 10 of the Drugs Act 2005 you are required to attend a follow-up assessment"));
    assert_eq!(ra4.paragraphs[3], "Your appointment is on Monday 30 Nov 2026 at 11:15, at Westbridge Recovery Hub.");
    assert_eq!(t.audited("printed RA4 notice", &john), 1);
}

#[test]
fn a_notice_for_the_repeated_hour_when_the_clocks_go_back_says_which_one() {
    let mut t = team_at("2026-10-24T10:00:00Z");
    let john = t.register();
    let test = t.test(&john, positive_for_opiates("24/10/2026", "09:00", "10:30"));
    t.clock.advance(Duration::hours(1));
    // 01:30 happens twice on 25 October 2026: the second time, after the clocks go back.
    let assessment = t.book_initial(&john, &test, at("25/10/2026", "01:30 GMT", "Westbridge custody suite"));
    let actor = t.lead.actor();

    let ra1 = notices::requirement(t.lead.store_mut(), &actor, &assessment).unwrap();

    assert_eq!(ra1.paragraphs[3], "Your appointment is on Sunday 25 Oct 2026 at 01:30 GMT, at Westbridge custody suite.");
}
