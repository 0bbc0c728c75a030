//! The record at a glance as a person walks the pathway, with a fixed clock: arrested and
//! tested, assessed, bailed with a Restriction on Bail, sentenced to a DRR, sent to prison,
//! released, into treatment, and the case closed. At each step the glance says where they are
//! in a worker's words, which section of the record is current, and what is next. Then a
//! caseload in the order of what needs attention.
mod support;
use support::{team, team_at, Team};
use throughline_core::appointments::{self, NewAppointment, NewOutcome};
use throughline_core::clients::{self, caseload};
use throughline_core::clock::Clock;
use throughline_core::court::{self, NewBailDecision, NewHearing};
use throughline_core::custody::{self, NewAssessment, NewTestOnArrest};
use throughline_core::drr::{self, NewOrder, OrderEnding};
use throughline_core::flags::Severity;
use throughline_core::glance::{self, Glance, WhereNow};
use throughline_core::prison::treatment::{self, EpisodeInput};
use throughline_core::prison::{self, NewRelease, NewSpell};

fn positive_for_opiates(date: &str, tested: &str) -> NewTestOnArrest {
    NewTestOnArrest {
        custody_suite: "Westbridge custody suite".into(),
        arrested_date: date.into(),
        arrested_time: "06:30".into(),
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

impl Team {
    fn glance(&self, client: &str) -> Glance {
        glance::for_client(self.lead.store().reader(), client, self.clock.now(), &self.settings).unwrap()
    }

    fn standing(&self, client: &str) -> String {
        self.glance(client).standing
    }

    /// The sections the record shows open.
    fn current_sections(&self, client: &str) -> Vec<String> {
        self.glance(client).sections.into_iter().filter(|s| s.current).map(|s| s.section).collect()
    }

    fn holds(&self, client: &str, section: &str) -> String {
        self.glance(client).sections.into_iter().find(|s| s.section == section).unwrap().holds
    }

    fn test(&mut self, client: &str, input: NewTestOnArrest) -> String {
        let actor = self.lead.actor();
        custody::record_test(self.lead.store_mut(), &actor, client, &input).unwrap()
    }

    fn bail_with_rob(&mut self, client: &str, date: &str, next_hearing_on: &str) {
        let actor = self.lead.actor();
        let hearing = court::record_hearing(
            self.lead.store_mut(),
            &actor,
            client,
            &NewHearing {
                court: "Westbridge Magistrates' Court".into(),
                date: date.into(),
                time: "09:30".into(),
                hearing_type: "first_appearance".into(),
                next_hearing_on: next_hearing_on.into(),
                ..Default::default()
            },
        )
        .unwrap();
        court::record_bail(
            self.lead.store_mut(),
            &actor,
            client,
            &NewBailDecision {
                hearing_id: hearing,
                bail_status: "conditional".into(),
                conditions: "Reside at 12 Mill Street; attend a drug assessment (Restriction on Bail).".into(),
                restriction_on_bail: true,
            },
        )
        .unwrap();
    }
}

fn drr_order(sentenced_on: &str, first_review_on: &str) -> NewOrder {
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

#[test]
fn the_glance_follows_a_person_along_the_pathway() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    assert_eq!(t.standing(&john), "Not active: nothing current");
    assert!(t.current_sections(&john).is_empty(), "nothing current: every section folded");
    assert_eq!(t.holds(&john, "custody"), "Nothing recorded");
    let g = t.glance(&john);
    assert_eq!(g.where_label, "Not active");
    assert_eq!(g.next_appointment, None);
    assert_eq!(g.allocated_worker.as_deref(), Some("Priya Shah"), "registered by the team lead, who follows him up");

    // Monday 23 November: arrested, tested positive this morning, nothing booked yet.
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15"));
    let g = t.glance(&john);
    assert_eq!(g.where_now, WhereNow::InCustody);
    assert_eq!(g.standing, "In custody: tested on arrest 23 Nov 2026 at 07:15 at Westbridge custody suite, positive for opiates");
    assert_eq!(t.current_sections(&john), ["custody"]);
    assert_eq!(t.holds(&john, "custody"), "1 test on arrest, latest 23 Nov 2026");
    let deadline = g.next_deadline.expect("the assessment must be booked");
    assert_eq!(deadline.code, "CUS-ASSESS-MISSING");
    assert_eq!(deadline.due.to_string(), "2026-11-24");
    assert_eq!((deadline.severity, deadline.overdue), (Severity::Due, false));
    assert!(g.flags.due >= 1 && g.flags.urgent == 0);

    // The initial assessment is booked for tomorrow: next appointment, and still in custody
    // tomorrow morning while it is pending.
    let input = NewAssessment {
        kind: "initial".into(),
        test_id: test,
        appointment: at("24/11/2026", "10:00", "Westbridge custody suite"),
        ..Default::default()
    };
    let assessment = custody::record_assessment(t.lead.store_mut(), &actor, &john, &input).unwrap();
    let next = t.glance(&john).next_appointment.expect("the assessment is booked");
    assert_eq!(
        (next.kind.as_str(), next.time.as_str(), next.place.as_str()),
        ("Initial required assessment", "10:00", "Westbridge custody suite")
    );
    assert_eq!(next.date.to_string(), "2026-11-24");
    t.set_clock("2026-11-24T08:00:00Z");
    assert_eq!(t.standing(&john), "In custody: initial required assessment pending 24 Nov 2026 at 10:00, Westbridge custody suite");
    assert_eq!(t.holds(&john, "custody"), "1 test on arrest, latest 23 Nov 2026, assessment booked");

    // Assessed, then bailed at court with a Restriction on Bail.
    t.set_clock("2026-11-24T12:00:00Z");
    let appointment = custody::get_assessment(t.lead.store().reader(), &assessment).unwrap().unwrap().appointment_id;
    appointments::record_outcome(
        t.lead.store_mut(),
        &actor,
        &appointment,
        &NewOutcome { outcome: "attended".into(), remained: Some(true) },
    )
    .unwrap();
    t.bail_with_rob(&john, "24/11/2026", "08/12/2026");
    assert_eq!(t.standing(&john), "On bail with a Restriction on Bail: next hearing 8 Dec 2026");
    assert_eq!(t.current_sections(&john), ["court"]);
    assert_eq!(t.holds(&john, "court"), "Bail with a Restriction on Bail, 1 hearing, next hearing 8 Dec 2026");

    // Sentenced on 8 December to a 12-month DRR with monthly reviews.
    t.set_clock("2026-12-08T15:00:00Z");
    let order = drr::record_order(t.lead.store_mut(), &actor, &john, &drr_order("08/12/2026", "08/01/2027")).unwrap();
    assert_eq!(t.standing(&john), "On a DRR: 12-month order, next review 8 Jan 2027");
    assert_eq!(t.current_sections(&john), ["drr"]);
    assert_eq!(t.holds(&john, "drr"), "12-month order, review 8 Jan 2027");

    // Resentenced to custody in March: the order is revoked and he is in prison.
    t.set_clock("2027-03-02T10:00:00Z");
    let ending = OrderEnding { status: "revoked".into(), ended_on: "01/03/2027".into(), reason: "Resentenced to custody".into() };
    drr::end_order(t.lead.store_mut(), &actor, &order, &ending).unwrap();
    let reception = NewSpell {
        prison: "HMP Forest Bank".into(),
        received_on: "01/03/2027".into(),
        custody_type: "sentenced".into(),
        expected_release_on: "14/06/2027".into(),
        ..Default::default()
    };
    let spell = prison::record_spell(t.lead.store_mut(), &actor, &john, &reception).unwrap();
    assert_eq!(t.standing(&john), "In prison at HMP Forest Bank, release due 14 Jun 2027");
    assert_eq!(t.current_sections(&john), ["prison"]);
    assert_eq!(t.holds(&john, "drr"), "12-month order, revoked 1 Mar 2027");

    // Released on 14 June: three weeks to start community treatment.
    t.set_clock("2027-06-14T12:00:00Z");
    prison::record_release(t.lead.store_mut(), &actor, &spell, &NewRelease { released_on: "14/06/2027".into(), seen_at_gate: Some(true) })
        .unwrap();
    let g = t.glance(&john);
    assert_eq!(g.standing, "Released 14 Jun 2027: into treatment by 5 Jul 2027");
    assert_eq!(t.current_sections(&john), ["prison", "treatment"]);
    assert_eq!(t.holds(&john, "prison"), "Released 14 Jun 2027 from HMP Forest Bank");

    // In treatment from 20 June.
    t.set_clock("2027-06-21T09:00:00Z");
    let referral = EpisodeInput {
        service: "Westbridge Recovery Hub".into(),
        criminal_justice: true,
        referred_on: "15/06/2027".into(),
        treatment_started_on: "20/06/2027".into(),
        modality: "prescribing".into(),
        ..Default::default()
    };
    treatment::record_referral(t.lead.store_mut(), &actor, &john, &referral).unwrap();
    assert_eq!(t.standing(&john), "In community treatment: Westbridge Recovery Hub since 20 Jun 2027");
    assert_eq!(t.current_sections(&john), ["prison", "treatment"], "the handover stays at hand for the three weeks");
    t.set_clock("2027-07-06T09:00:00Z");
    assert_eq!(t.current_sections(&john), ["treatment"]);

    // The case is closed.
    clients::close(t.lead.store_mut(), &actor, &john, "treatment_completed").unwrap();
    assert_eq!(t.standing(&john), "Not active: case closed (treatment completed)");
    assert!(t.current_sections(&john).is_empty());
}

#[test]
fn a_person_tested_before_midnight_is_still_in_custody_in_the_small_hours() {
    let mut t = team_at("2026-12-03T23:50:00Z");
    let john = t.register();
    t.test(&john, positive_for_opiates("03/12/2026", "23:47"));
    t.clock.advance(chrono::Duration::hours(2)); // 01:50 on 4 December

    assert_eq!(t.standing(&john), "In custody: tested on arrest 3 Dec 2026 at 23:47 at Westbridge custody suite, positive for opiates");
    assert_eq!(t.current_sections(&john), ["custody"], "the custody section stays open for the night's work");

    t.clock.advance(chrono::Duration::hours(22)); // 23:50 on 4 December, a day after the test
    assert_ne!(t.glance(&john).where_now, WhereNow::InCustody, "a day on, the flags say what is outstanding");
}

#[test]
fn an_assessment_long_past_with_no_outcome_is_a_flag_not_a_person_in_custody() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let test = t.test(&john, positive_for_opiates("23/11/2026", "07:15"));
    let input = NewAssessment {
        kind: "initial".into(),
        test_id: test,
        appointment: at("24/11/2026", "10:00", "Westbridge custody suite"),
        ..Default::default()
    };
    custody::record_assessment(t.lead.store_mut(), &actor, &john, &input).unwrap();
    t.set_clock("2026-12-01T09:00:00Z");
    let g = t.glance(&john);
    assert_eq!(g.standing, "Not active: nothing current");
    assert_eq!(g.next_deadline.map(|d| d.code).as_deref(), Some("APPT-NO-OUTCOME"));
}

#[test]
fn released_more_than_three_weeks_ago_without_treatment_is_no_longer_awaiting_handover() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let reception = NewSpell {
        prison: "HMP Forest Bank".into(),
        received_on: "01/09/2026".into(),
        custody_type: "sentenced".into(),
        expected_release_on: "20/11/2026".into(),
        ..Default::default()
    };
    let spell = prison::record_spell(t.lead.store_mut(), &actor, &john, &reception).unwrap();
    prison::record_release(t.lead.store_mut(), &actor, &spell, &NewRelease { released_on: "20/11/2026".into(), seen_at_gate: Some(false) })
        .unwrap();
    assert_eq!(t.standing(&john), "Released 20 Nov 2026: into treatment by 11 Dec 2026");
    t.set_clock("2026-12-12T09:00:00Z");
    let g = t.glance(&john);
    assert_eq!(g.standing, "Not active: nothing current");
    let deadline = g.next_deadline.expect("the missed handover stays flagged");
    assert_eq!((deadline.code.as_str(), deadline.severity, deadline.overdue), ("PRISON-NO-TREATMENT", Severity::Urgent, true));
}

#[test]
fn a_caseload_lists_urgent_then_due_then_by_next_appointment() {
    let mut t = team();
    let me = t.lead.worker().id.clone();
    let actor = t.lead.actor();
    let allocate = |t: &mut Team, surname: &str| {
        let id = t.register_named(surname, "Sam");
        caseload::allocate(t.lead.store_mut(), &actor, &id, Some(&me)).unwrap();
        id
    };
    // By surname they would read Adams, Baker, Clark, Davies, Evans.
    let _adams = allocate(&mut t, "Adams");
    let baker = allocate(&mut t, "Baker");
    let clark = allocate(&mut t, "Clark");
    let davies = allocate(&mut t, "Davies");
    let evans = allocate(&mut t, "Evans");
    // Evans tested positive on Saturday with nothing booked: urgent now.
    t.test(&evans, positive_for_opiates("21/11/2026", "07:15"));
    // Davies tested positive this morning: due tomorrow.
    t.test(&davies, positive_for_opiates("23/11/2026", "07:15"));
    // Clark has an appointment on Wednesday, Baker one on Friday.
    let actor = t.lead.actor();
    appointments::book_general(
        t.lead.store_mut(),
        &actor,
        &baker,
        &NewAppointment { kind: "Key work".into(), ..at("27/11/2026", "10:00", "Westbridge Recovery Hub") },
    )
    .unwrap();
    appointments::book_general(
        t.lead.store_mut(),
        &actor,
        &clark,
        &NewAppointment { kind: "Key work".into(), ..at("25/11/2026", "14:00", "Westbridge Recovery Hub") },
    )
    .unwrap();

    let page = glance::caseload::of_worker(t.lead.store().reader(), &me, t.clock.now(), &t.settings, 0).unwrap();
    let shown: Vec<&str> = page.people.iter().map(|p| p.person.surname.as_str()).collect();
    assert_eq!(shown, ["Evans", "Davies", "Clark", "Baker", "Adams"]);
    let evans_line = &page.people[0];
    assert_eq!((evans_line.urgent, evans_line.due), (1, 0));
    let davies_line = &page.people[1];
    assert_eq!((davies_line.urgent, davies_line.due, davies_line.stage.as_str()), (0, 1, "In custody"));
    assert_eq!(page.people[2].next_appointment.as_deref(), Some("25 Nov 2026 at 14:00"));
    assert_eq!(page.people[4].stage, "Not active");
}
