//! Prison, release and throughcare as the pathway runs: a person received into prison, a
//! release coming with nothing in place, the plan and first appointment, the release at the
//! gate, and whether community treatment started within 21 days, with a fixed clock so every
//! deadline is exact (including across a clock change).
mod support;
use chrono::Duration;
use support::{team, team_at, Team};
use throughline_core::appointments::{self, NewAppointment, NewOutcome, PathwayError};
use throughline_core::clients::{self, caseload, pnc, NewClient};
use throughline_core::clock::Clock;
use throughline_core::flags::{self, Flag, Severity};
use throughline_core::prison::releases;
use throughline_core::prison::treatment::{self, EpisodeInput};
use throughline_core::prison::{self, handover, release_plan, Continuity, NewPlan, NewRelease, NewSpell, SpellChange, SpellView};
use throughline_core::timeline::{self, Stage};
use throughline_core::Coded;

const PRISON_CODES: [&str; 3] = ["PRISON-RELEASE-NO-PLAN", "PRISON-RELEASE-UNCONFIRMED", "PRISON-NO-TREATMENT"];

fn reception(expected: &str) -> NewSpell {
    NewSpell {
        prison: "HMP Westbridge".into(),
        received_on: "01/09/2026".into(),
        custody_type: "sentenced".into(),
        expected_release_on: expected.into(),
        ..Default::default()
    }
}

fn plan() -> NewPlan {
    NewPlan {
        accommodation: "Approved premises, 12 Mill Street, Westbridge".into(),
        prescribing: "bridging_arranged".into(),
        prescribing_detail: "Methadone 60ml daily; bridging script to the first appointment".into(),
        naloxone_supplied: Some(true),
        gate_contact: "Sam Okafor (prison link worker)".into(),
    }
}

fn at(date: &str, time: &str, place: &str) -> NewAppointment {
    NewAppointment { date: date.into(), time: time.into(), place: place.into(), ..Default::default() }
}

fn referral(referred: &str, started: &str) -> EpisodeInput {
    EpisodeInput {
        service: "Westbridge Recovery Hub".into(),
        criminal_justice: true,
        referred_on: referred.into(),
        treatment_started_on: started.into(),
        modality: if started.is_empty() { String::new() } else { "prescribing".into() },
        ..Default::default()
    }
}

impl Team {
    fn receive(&mut self, client: &str, input: NewSpell) -> String {
        let actor = self.lead.actor();
        prison::record_spell(self.lead.store_mut(), &actor, client, &input).unwrap()
    }

    fn release(&mut self, spell: &str, on: &str) -> Result<(), PathwayError> {
        let actor = self.lead.actor();
        prison::record_release(self.lead.store_mut(), &actor, spell, &NewRelease { released_on: on.into(), seen_at_gate: Some(true) })
    }

    fn move_release(&mut self, spell: &str, expected: &str) {
        let actor = self.lead.actor();
        let input = SpellChange { custody_type: "sentenced".into(), expected_release_on: expected.into(), ..Default::default() };
        prison::change_spell(self.lead.store_mut(), &actor, spell, &input).unwrap();
    }

    fn refer(&mut self, client: &str, input: EpisodeInput) -> Result<String, PathwayError> {
        let actor = self.lead.actor();
        treatment::record_referral(self.lead.store_mut(), &actor, client, &input)
    }

    fn flags(&self, client: &str) -> Vec<Flag> {
        flags::for_client(self.lead.store().reader(), self.clock.now(), &self.settings, client).unwrap()
    }

    fn prison_flags(&self, client: &str) -> Vec<Flag> {
        self.flags(client).into_iter().filter(|f| f.code.starts_with("PRISON-")).collect()
    }

    fn flag(&self, client: &str, code: &str) -> Option<Flag> {
        self.flags(client).into_iter().find(|f| f.code == code)
    }

    fn spell_view(&self, client: &str) -> SpellView {
        prison::for_client(self.lead.store().reader(), client, self.clock.now()).unwrap().spells.remove(0)
    }
}

fn codes(flags: &[Flag]) -> Vec<&str> {
    flags.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn a_release_approaching_with_no_plan_is_flagged_until_the_plan_and_first_appointment_are_recorded() {
    let mut t = team();
    let john = t.register();
    // Monday 7 December is 14 days away: inside the team's two weeks.
    let spell = t.receive(&john, reception("07/12/2026"));
    let f = t.flag(&john, "PRISON-RELEASE-NO-PLAN").expect("a release in 14 days with nothing in place");
    assert_eq!(f.severity, Severity::Due);
    assert_eq!(f.due.to_string(), "2026-12-07");
    assert_eq!(
        f.sentence,
        "John Smith is expected to be released from HMP Westbridge on 7 Dec 2026 and has no throughcare plan and no first community appointment."
    );
    assert_eq!((f.record_type.as_str(), f.record_id.as_str()), ("prison_spell", spell.as_str()));

    let coming = releases::coming(t.lead.store().reader(), t.clock.now(), 28, None).unwrap();
    assert_eq!(coming.len(), 1);
    assert_eq!(coming[0].days_until, 14);
    assert_eq!(coming[0].missing, vec!["No throughcare plan", "No first community appointment", "No prescribing continuity"]);

    let actor = t.lead.actor();
    // A plan without naloxone or anyone at the gate says so.
    let thin = NewPlan { naloxone_supplied: Some(false), gate_contact: String::new(), prescribing: "not_arranged".into(), ..plan() };
    prison::save_plan(t.lead.store_mut(), &actor, &spell, &thin).unwrap();
    assert_eq!(
        releases::coming(t.lead.store().reader(), t.clock.now(), 28, None).unwrap()[0].missing,
        vec!["No first community appointment", "No prescribing continuity", "Naloxone not supplied", "Nobody to meet them at the gate"]
    );
    prison::save_plan(t.lead.store_mut(), &actor, &spell, &plan()).unwrap();
    assert_eq!(
        prison::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap().spells[0].plan.as_ref().unwrap().gate_contact.as_deref(),
        Some("Sam Okafor (prison link worker)")
    );
    assert_eq!(
        t.flag(&john, "PRISON-RELEASE-NO-PLAN").unwrap().sentence,
        "John Smith is expected to be released from HMP Westbridge on 7 Dec 2026 and has no first community appointment."
    );
    let first =
        prison::book_first_appointment(t.lead.store_mut(), &actor, &spell, &at("08/12/2026", "10:00", "Westbridge Recovery Hub")).unwrap();
    assert!(t.flag(&john, "PRISON-RELEASE-NO-PLAN").is_none(), "plan and appointment recorded");
    let coming = releases::coming(t.lead.store().reader(), t.clock.now(), 28, None).unwrap();
    assert!(coming[0].missing.is_empty());
    assert_eq!(coming[0].first_appointment.as_deref(), Some("8 Dec 2026 at 10:00, Westbridge Recovery Hub"));

    // A cancelled first appointment puts the flag back.
    appointments::cancel(t.lead.store_mut(), &actor, &first, "service").unwrap();
    assert!(t.flag(&john, "PRISON-RELEASE-NO-PLAN").is_some());

    // Fifteen days away is outside the team's two weeks; a team setting of 21 brings it in.
    let mut jane_team = team();
    let jane = jane_team.register();
    jane_team.receive(&jane, reception("08/12/2026"));
    assert!(jane_team.prison_flags(&jane).is_empty());
    jane_team.settings.prison_release_plan_days = 21;
    assert!(jane_team.flag(&jane, "PRISON-RELEASE-NO-PLAN").is_some());
    // On the day itself it is urgent.
    jane_team.set_clock("2026-12-08T08:00:00Z");
    assert_eq!(jane_team.flag(&jane, "PRISON-RELEASE-NO-PLAN").unwrap().severity, Severity::Urgent);
}

#[test]
fn an_expected_release_date_passed_with_no_release_recorded_is_unconfirmed_until_the_release() {
    let mut t = team_at("2026-11-20T08:00:00Z");
    let john = t.register();
    let spell = t.receive(&john, reception("20/11/2026"));
    t.set_clock("2026-11-20T23:59:00Z"); // still Friday 20 November in London
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-RELEASE-NO-PLAN"]);
    t.set_clock("2026-11-21T00:00:00Z");
    let f = t.flag(&john, "PRISON-RELEASE-UNCONFIRMED").expect("the day after the expected release");
    assert_eq!(f.severity, Severity::Urgent);
    assert_eq!(f.due.to_string(), "2026-11-21");
    assert_eq!(f.sentence, "John Smith was expected to be released from HMP Westbridge on 20 Nov 2026 and no release is recorded.");
    assert!(t.flag(&john, "PRISON-RELEASE-NO-PLAN").is_none(), "the date has passed: unconfirmed says what to do");
    let coming = releases::coming(t.lead.store().reader(), t.clock.now(), 28, None).unwrap();
    assert_eq!(coming[0].days_until, -1, "overdue releases stay on the list, first");

    t.release(&spell, "20/11/2026").unwrap();
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-NO-TREATMENT"]);
    assert!(releases::coming(t.lead.store().reader(), t.clock.now(), 28, None).unwrap().is_empty());
}

#[test]
fn treatment_within_21_days_of_release_counts_to_the_day_and_clears_the_flag() {
    // Released Monday 2 November 2026; day 21 is Monday 23 November.
    let mut t = team_at("2026-11-02T12:00:00Z");
    let john = t.register();
    let spell = t.receive(&john, reception("02/11/2026"));
    t.release(&spell, "02/11/2026").unwrap();

    let f = t.flag(&john, "PRISON-NO-TREATMENT").unwrap();
    assert_eq!((f.severity, f.due.to_string()), (Severity::Due, "2026-11-23".to_string()));
    assert_eq!(
        f.sentence,
        "John Smith was released from HMP Westbridge on 2 Nov 2026 (day 0 of 21) and no community treatment start is recorded."
    );
    assert_eq!(t.spell_view(&john).continuity.unwrap().result, Continuity::Open);

    t.set_clock("2026-11-15T23:59:00Z"); // day 13
    assert_eq!(t.flag(&john, "PRISON-NO-TREATMENT").unwrap().severity, Severity::Due);
    t.set_clock("2026-11-16T00:00:00Z"); // day 14: urgent from here
    assert_eq!(t.flag(&john, "PRISON-NO-TREATMENT").unwrap().severity, Severity::Urgent);
    t.set_clock("2026-11-23T23:59:00Z"); // day 21: still open
    let c = t.spell_view(&john).continuity.unwrap();
    assert_eq!(c.result, Continuity::Open);
    assert_eq!(c.label, "Still open: day 21 of 21 after release; treatment must start by 23 Nov 2026.");
    t.set_clock("2026-11-24T00:00:00Z"); // day 22: the ambition is missed
    let c = t.spell_view(&john).continuity.unwrap();
    assert_eq!(c.result, Continuity::NotStarted);
    assert_eq!(c.label, "Not in community treatment within 21 days: no treatment start by 23 Nov 2026.");
    assert_eq!(
        t.flag(&john, "PRISON-NO-TREATMENT").unwrap().sentence,
        "John Smith was released from HMP Westbridge on 2 Nov 2026 and no community treatment had started by day 21 (23 Nov 2026)."
    );

    // A start on day 21 exactly is within; one on day 22 is outside. Both clear the flag.
    let episode = t.refer(&john, referral("05/11/2026", "23/11/2026")).unwrap();
    assert!(t.flag(&john, "PRISON-NO-TREATMENT").is_none());
    let c = t.spell_view(&john).continuity.unwrap();
    assert_eq!((c.result, c.days_to_treatment), (Continuity::Within, Some(21)));
    assert_eq!(c.label, "In community treatment within 21 days: started 23 Nov 2026 (day 21 after release).");
    let actor = t.lead.actor();
    treatment::update_episode(t.lead.store_mut(), &actor, &episode, &referral("05/11/2026", "24/11/2026")).unwrap();
    let c = t.spell_view(&john).continuity.unwrap();
    assert_eq!((c.result, c.days_to_treatment), (Continuity::Outside, Some(22)));
    assert!(t.flag(&john, "PRISON-NO-TREATMENT").is_none());
    let episodes = treatment::for_client(t.lead.store().reader(), &john).unwrap();
    assert_eq!(episodes[0].waiting_days, Some(19), "referral 5 Nov to start 24 Nov");

    // A start before the release does not count for it.
    treatment::update_episode(t.lead.store_mut(), &actor, &episode, &referral("05/10/2026", "30/10/2026")).unwrap();
    assert!(t.flag(&john, "PRISON-NO-TREATMENT").is_some());
}

#[test]
fn the_21_days_are_london_calendar_days_across_the_clock_change() {
    // Released Friday 20 March 2026; clocks go forward on Sunday 29 March; day 21 is Friday
    // 10 April, which in BST starts at 23:00 UTC on 9 April.
    let mut t = team_at("2026-03-20T12:00:00Z");
    let john = t.register();
    let spell = t.receive(&john, NewSpell { received_on: "01/02/2026".into(), ..reception("20/03/2026") });
    t.release(&spell, "20/03/2026").unwrap();
    t.set_clock("2026-04-09T22:59:00Z"); // 23:59 BST on 9 April: day 20
    assert_eq!(t.flag(&john, "PRISON-NO-TREATMENT").unwrap().due.to_string(), "2026-04-10");
    assert!(t.flag(&john, "PRISON-NO-TREATMENT").unwrap().sentence.contains("(day 20 of 21)"));
    t.set_clock("2026-04-09T23:30:00Z"); // 00:30 BST on 10 April: day 21, in UTC still the 9th
    assert!(t.flag(&john, "PRISON-NO-TREATMENT").unwrap().sentence.contains("(day 21 of 21)"));
    assert_eq!(t.spell_view(&john).continuity.unwrap().result, Continuity::Open);
    t.set_clock("2026-04-10T22:59:59Z"); // the last second of 10 April in London
    assert_eq!(t.spell_view(&john).continuity.unwrap().result, Continuity::Open);
    t.set_clock("2026-04-10T23:00:00Z"); // midnight BST: 11 April, day 22
    assert_eq!(t.spell_view(&john).continuity.unwrap().result, Continuity::NotStarted);

    t.refer(&john, referral("25/03/2026", "10/04/2026")).unwrap();
    let c = t.spell_view(&john).continuity.unwrap();
    assert_eq!((c.result, c.days_to_treatment), (Continuity::Within, Some(21)));
}

#[test]
fn a_moved_release_date_clears_and_raises_the_flags_and_keeps_every_date_in_history() {
    let mut t = team();
    let john = t.register();
    let spell = t.receive(&john, reception("30/11/2026"));
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-RELEASE-NO-PLAN"]);
    t.move_release(&spell, "29/01/2027");
    assert!(t.prison_flags(&john).is_empty(), "two months away: nothing yet");
    t.move_release(&spell, "25/11/2026");
    let f = t.flag(&john, "PRISON-RELEASE-NO-PLAN").unwrap();
    assert_eq!(f.due.to_string(), "2026-11-25");
    t.move_release(&spell, "20/11/2026");
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-RELEASE-UNCONFIRMED"]);

    let history: Vec<(String, String)> =
        t.spell_view(&john).release_date_changes.iter().map(|c| (c.from.unwrap().to_string(), c.to.unwrap().to_string())).collect();
    assert_eq!(
        history,
        vec![
            ("2026-11-30".to_string(), "2027-01-29".to_string()),
            ("2027-01-29".to_string(), "2026-11-25".to_string()),
            ("2026-11-25".to_string(), "2026-11-20".to_string()),
        ]
    );
    assert_eq!(t.spell_view(&john).release_date_changes[0].changed_by, "Priya Shah");
    let changes: Vec<String> = timeline::for_client(t.lead.store().reader(), &john)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "Expected release changed")
        .map(|e| e.summary)
        .collect();
    assert_eq!(
        changes,
        vec![
            "From 30 Nov 2026 to 29 Jan 2027, by Priya Shah",
            "From 29 Jan 2027 to 25 Nov 2026, by Priya Shah",
            "From 25 Nov 2026 to 20 Nov 2026, by Priya Shah",
        ]
    );
}

#[test]
fn a_release_cancelled_by_further_remand_raises_nothing() {
    let mut t = team();
    let john = t.register();
    let spell = t.receive(&john, reception("20/11/2026"));
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-RELEASE-UNCONFIRMED"]);
    let actor = t.lead.actor();
    prison::cancel_release(t.lead.store_mut(), &actor, &spell, "Further remanded on new charges at Westbridge Magistrates' Court").unwrap();
    assert!(t.prison_flags(&john).is_empty());
    t.set_clock("2027-01-20T09:00:00Z");
    assert!(t.prison_flags(&john).is_empty(), "still nothing weeks later");
    assert!(releases::coming(t.lead.store().reader(), t.clock.now(), 56, None).unwrap().is_empty());
    let view = t.spell_view(&john);
    assert!(view.in_prison);
    assert_eq!(view.custody_type, "remanded");
    assert_eq!(view.release_cancelled_reason.as_deref(), Some("Further remanded on new charges at Westbridge Magistrates' Court"));
    let entries = timeline::for_client(t.lead.store().reader(), &john).unwrap();
    assert!(entries.iter().any(|e| e.kind == "Release cancelled" && e.stage == Stage::Prison));
    // A new date starts the clock again.
    t.move_release(&spell, "25/01/2027");
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-RELEASE-NO-PLAN"]);
}

#[test]
fn bad_input_is_refused_with_its_own_code_and_nothing_is_lost() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();

    // A licence ending before the expected release: nothing is recorded.
    let err = prison::record_spell(
        t.lead.store_mut(),
        &actor,
        &john,
        &NewSpell { licence_end_on: "01/12/2026".into(), ..reception("07/12/2026") },
    )
    .unwrap_err();
    assert_eq!(err.code(), "validation.licence_before_release");
    assert_eq!(err.fields()[0].field, "licence_end_on");
    assert!(prison::for_client(t.lead.store().reader(), &john, t.clock.now()).unwrap().spells.is_empty());

    // A release before reception: the spell is still open.
    let spell = t.receive(&john, NewSpell { licence_end_on: "07/06/2027".into(), ..reception("07/12/2026") });
    let err = t.release(&spell, "31/08/2026").unwrap_err();
    assert_eq!(err.code(), "validation.release_before_reception");
    assert_eq!(err.fields()[0].field, "released_on");
    let err = t.release(&spell, "24/11/2026").unwrap_err();
    assert_eq!(err.code(), "validation.date_future");
    let view = t.spell_view(&john);
    assert!(view.in_prison && view.released_on.is_none());
    assert_eq!(view.expected_release_on.unwrap().to_string(), "2026-12-07");

    // A licence end moved before the expected release: the old dates stand.
    let err = prison::change_spell(
        t.lead.store_mut(),
        &actor,
        &spell,
        &SpellChange {
            custody_type: "sentenced".into(),
            expected_release_on: "07/12/2026".into(),
            licence_end_on: "06/12/2026".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "validation.licence_before_release");
    assert_eq!(t.spell_view(&john).licence_end_on.unwrap().to_string(), "2027-06-07");

    // Treatment starting before the referral: the episode keeps what it had.
    let episode = t.refer(&john, referral("10/11/2026", "")).unwrap();
    let err = t.refer(&john, referral("10/11/2026", "09/11/2026")).unwrap_err();
    assert_eq!(err.code(), "validation.treatment_before_referral");
    assert_eq!(err.fields()[0].field, "treatment_started_on");
    let err = treatment::update_episode(t.lead.store_mut(), &actor, &episode, &referral("10/11/2026", "09/11/2026")).unwrap_err();
    assert_eq!(err.code(), "validation.treatment_before_referral");
    let episodes = treatment::for_client(t.lead.store().reader(), &john).unwrap();
    assert_eq!(episodes.len(), 1);
    assert_eq!(episodes[0].treatment_started_on, None);

    // Every problem at once, each against its field.
    let err = treatment::update_episode(
        t.lead.store_mut(),
        &actor,
        &episode,
        &EpisodeInput {
            service: "".into(),
            referred_on: "10/11/2026".into(),
            treatment_started_on: "12/11/2026".into(),
            discharged_on: "11/11/2026".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    let mut fields: Vec<(String, String)> = err.fields().into_iter().map(|f| (f.field, f.code.to_string())).collect();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("discharge_reason".into(), "validation.required".into()),
            ("discharged_on".into(), "validation.discharge_before_start".into()),
            ("modality".into(), "validation.required".into()),
            ("service".into(), "validation.required".into()),
        ]
    );

    // A second spell while one is open is refused.
    let err = prison::record_spell(t.lead.store_mut(), &actor, &john, &reception("07/12/2026")).unwrap_err();
    assert_eq!(err.code(), "pathway.not_allowed");
}

#[test]
fn the_handover_summary_says_exactly_the_recorded_facts() {
    let mut t = team();
    let actor = t.lead.actor();
    let john = clients::register(
        t.lead.store_mut(),
        &actor,
        &NewClient {
            surname: "Smith".into(),
            forenames: "John".into(),
            date_of_birth: "03/03/1987".into(),
            sex: "male".into(),
            pnc: format!("2019/0012345{}", pnc::check_letter(19, 12345)),
            prison_number: "A1234BC".into(),
            primary_substance: "heroin".into(),
            secondary_substance: "crack".into(),
            injecting_status: "previously".into(),
            risk_notes: "Overdose in 2024; reduced tolerance after release.".into(),
            no_fixed_abode: true,
            gp: "Mill Street Surgery".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    caseload::allocate(t.lead.store_mut(), &actor, &john, Some(&actor.worker_id)).unwrap();
    let spell = t.receive(
        &john,
        NewSpell {
            in_prison_treatment: "Methadone 60ml daily; psychosocial group work".into(),
            licence_end_on: "07/06/2027".into(),
            ..reception("07/12/2026")
        },
    );
    prison::record_transfer(
        t.lead.store_mut(),
        &actor,
        &spell,
        &prison::NewTransfer { to_prison: "HMP Eastgate".into(), transferred_on: "02/10/2026".into() },
    )
    .unwrap();
    prison::save_plan(t.lead.store_mut(), &actor, &spell, &plan()).unwrap();
    prison::book_first_appointment(t.lead.store_mut(), &actor, &spell, &at("08/12/2026", "10:00", "Westbridge Recovery Hub")).unwrap();
    t.refer(&john, referral("20/11/2026", "")).unwrap();

    let doc = handover::produce(t.lead.store_mut(), &actor, &spell).unwrap();
    assert_eq!(doc.title, "Throughcare handover summary");
    assert_eq!(doc.subject, "John Smith, born 3 Mar 1987");
    assert_eq!(
        doc.paragraphs,
        vec![
            "This summary hands over the care of John Smith, born 3 Mar 1987, from HMP Eastgate to the community team.".to_string(),
            format!("PNC number 2019/0012345{}; NHS number not recorded; prison number A1234BC.", pnc::check_letter(19, 12345)),
            "Received into HMP Westbridge on 1 Sep 2026, sentenced. Transferred to HMP Eastgate on 2 Oct 2026.".into(),
            "Expected release: 7 Dec 2026. Licence ends 7 Jun 2027.".into(),
            "Risks: Overdose in 2024; reduced tolerance after release. Injecting: injected before, not now.".into(),
            "Substances: primary Heroin; secondary Crack cocaine.".into(),
            "Treatment in prison: Methadone 60ml daily; psychosocial group work.".into(),
            "Prescribing on release: Bridging prescription arranged: Methadone 60ml daily; bridging script to the first appointment."
                .into(),
            "Accommodation on release: Approved premises, 12 Mill Street, Westbridge.".into(),
            "Naloxone: supplied.".into(),
            "Met at the gate by: Sam Okafor (prison link worker).".into(),
            "First community appointment: 8 Dec 2026 at 10:00 at Westbridge Recovery Hub with Priya Shah (booked).".into(),
            "Referred to Westbridge Recovery Hub on 20 Nov 2026.".into(),
            "Contacts: allocated worker Priya Shah; GP Mill Street Surgery; phone not recorded; address no fixed abode.".into(),
            "Produced by Priya Shah, Westbridge Criminal Justice Drug Team, on 23 Nov 2026.".into(),
        ]
    );
    assert_eq!(doc.signed_by, "Priya Shah");
    assert_eq!((doc.record_type.as_str(), doc.record_id.as_str()), ("prison_spell", spell.as_str()));
    let printed: i64 = t
        .lead
        .store()
        .reader()
        .query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'printed throughcare handover summary'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(printed, 1);
}

#[test]
fn the_whole_release_clears_every_prison_flag_and_shows_on_the_timeline() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let me = actor.worker_id.clone();
    caseload::allocate(t.lead.store_mut(), &actor, &john, Some(&me)).unwrap();
    let spell = t.receive(&john, reception("25/11/2026"));
    let mine = flags::for_worker(t.lead.store().reader(), t.clock.now(), &t.settings, &me).unwrap();
    let mine: Vec<&str> = codes(&mine).into_iter().filter(|c| c.starts_with("PRISON-")).collect();
    assert_eq!(mine, vec!["PRISON-RELEASE-NO-PLAN"]);
    let everyone = flags::for_everyone(t.lead.store().reader(), t.clock.now(), &t.settings).unwrap();
    assert!(codes(&everyone).contains(&"PRISON-RELEASE-NO-PLAN"));
    assert_eq!(releases::this_week(t.lead.store().reader(), t.clock.now(), Some(&me)).unwrap().len(), 1);

    prison::save_plan(t.lead.store_mut(), &actor, &spell, &plan()).unwrap();
    let first =
        prison::book_first_appointment(t.lead.store_mut(), &actor, &spell, &at("25/11/2026", "14:00", "Westbridge Recovery Hub")).unwrap();
    assert!(t.prison_flags(&john).is_empty());
    t.set_clock("2026-11-25T16:00:00Z");
    t.release(&spell, "25/11/2026").unwrap();
    appointments::record_outcome(t.lead.store_mut(), &actor, &first, &NewOutcome { outcome: "attended".into(), remained: None }).unwrap();
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-NO-TREATMENT"]);
    t.refer(&john, referral("25/11/2026", "25/11/2026")).unwrap();
    assert!(t.prison_flags(&john).is_empty());
    for scope_flags in [
        flags::for_worker(t.lead.store().reader(), t.clock.now(), &t.settings, &me).unwrap(),
        flags::for_everyone(t.lead.store().reader(), t.clock.now(), &t.settings).unwrap(),
    ] {
        assert!(!scope_flags.iter().any(|f| PRISON_CODES.contains(&f.code.as_str())));
    }
    let view = t.spell_view(&john);
    assert_eq!(view.appointments[0].status_label, "Attended");
    assert_eq!(view.continuity.unwrap().result, Continuity::Within);

    let kinds: Vec<String> = timeline::for_client(t.lead.store().reader(), &john)
        .unwrap()
        .into_iter()
        .filter(|e| e.stage == Stage::Prison || e.kind.starts_with("Treatment") || e.kind == "Referral")
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        vec!["Prison reception", "Throughcare plan", "Release from prison", "Referral", "Treatment start", "First community appointment"]
    );
}

#[test]
fn back_in_prison_the_earlier_release_no_longer_asks_for_treatment() {
    let mut t = team_at("2026-10-01T09:00:00Z");
    let john = t.register();
    let first = t.receive(&john, reception("01/10/2026"));
    t.release(&first, "01/10/2026").unwrap();
    t.clock.advance(Duration::days(10));
    assert_eq!(codes(&t.prison_flags(&john)), vec!["PRISON-NO-TREATMENT"]);
    t.receive(&john, NewSpell { received_on: "11/10/2026".into(), expected_release_on: String::new(), ..reception("") });
    assert!(t.prison_flags(&john).is_empty());
}

#[test]
fn the_continuity_rate_counts_releases_against_the_three_week_ambition() {
    let mut t = team_at("2026-10-01T09:00:00Z");
    let actor = t.lead.actor();
    let mut person = |surname: &str| {
        let input = NewClient {
            surname: surname.into(),
            forenames: "Sam".into(),
            date_of_birth: "14/06/1990".into(),
            sex: "male".into(),
            ..Default::default()
        };
        clients::register(t.lead.store_mut(), &actor, &input).unwrap().id
    };
    let (within, outside, open, earlier) = (person("Within"), person("Outside"), person("Open"), person("Earlier"));
    for (who, released) in [(&within, "01/10/2026"), (&outside, "01/10/2026"), (&open, "01/10/2026"), (&earlier, "01/10/2026")] {
        let spell = t.receive(who, reception("01/10/2026"));
        if who == &open {
            t.set_clock("2026-11-20T09:00:00Z");
        }
        t.release(&spell, if who == &open { "10/11/2026" } else { released }).unwrap();
    }
    t.set_clock("2026-11-23T09:00:00Z");
    t.refer(&within, referral("01/10/2026", "22/10/2026")).unwrap(); // day 21
    t.refer(&outside, referral("01/10/2026", "23/10/2026")).unwrap(); // day 22
    let rate = releases::continuity_rate(t.lead.store().reader(), t.clock.now(), 90).unwrap();
    assert_eq!((rate.releases, rate.within, rate.not_within, rate.open), (4, 1, 2, 1), "Earlier never started: not within");
    assert_eq!(rate.percent_within, Some(33));
    assert_eq!(rate.since.to_string(), "2026-08-25");
    let none = releases::continuity_rate(t.lead.store().reader(), t.clock.now(), 7).unwrap();
    assert_eq!((none.releases, none.percent_within), (0, None));
}

#[test]
fn the_person_leaving_prison_is_handed_their_plan_in_their_own_words() {
    let mut t = team();
    let john = t.register();
    let actor = t.lead.actor();
    let spell = t.receive(&john, NewSpell { licence_end_on: "07/06/2027".into(), ..reception("07/12/2026") });
    let refused = release_plan::for_person(t.lead.store_mut(), &actor, &spell);
    assert!(
        matches!(&refused, Err(PathwayError::NotAllowed(m)) if m == "Record the throughcare plan first: the person's release plan is made from it."),
        "{refused:?}"
    );

    // A plan with gaps says plainly what is not yet arranged and who to ask.
    let thin = NewPlan {
        naloxone_supplied: Some(false),
        gate_contact: String::new(),
        prescribing: "not_arranged".into(),
        prescribing_detail: String::new(),
        ..plan()
    };
    prison::save_plan(t.lead.store_mut(), &actor, &spell, &thin).unwrap();
    let doc = release_plan::for_person(t.lead.store_mut(), &actor, &spell).unwrap();
    assert_eq!(
        doc.paragraphs[3..7],
        [
            "It is not booked yet. Contact Westbridge Criminal Justice Drug Team on the day you are released and they will book it."
                .to_string(),
            "Your medication".into(),
            "Your prescription is not arranged yet. If you were on medication in prison, tell your worker straight away.".into(),
            "Naloxone".into(),
        ]
    );
    assert_eq!(
        doc.paragraphs[7],
        "Ask for naloxone at your first appointment: it can reverse an opioid overdose while an ambulance comes."
    );
    assert!(!doc.paragraphs.iter().any(|p| p.starts_with("Meeting you at the gate")), "nobody arranged is not printed as somebody");

    // The whole plan in place.
    prison::save_plan(t.lead.store_mut(), &actor, &spell, &plan()).unwrap();
    caseload::allocate(t.lead.store_mut(), &actor, &john, Some(&actor.worker_id)).unwrap();
    prison::book_first_appointment(t.lead.store_mut(), &actor, &spell, &at("08/12/2026", "10:00", "Westbridge Recovery Hub")).unwrap();
    let doc = release_plan::for_person(t.lead.store_mut(), &actor, &spell).unwrap();
    assert_eq!(doc.title, "Your plan for leaving prison");
    assert_eq!(
        doc.paragraphs,
        vec![
            "This is the plan for John Smith, born 3 Mar 1987, leaving HMP Westbridge.".to_string(),
            "You are due to be released on Monday 7 Dec 2026. You are on licence until 7 Jun 2027: keep to its conditions and see your probation officer when you are told to.".into(),
            "Your first appointment".into(),
            "Tuesday 8 Dec 2026 at 10:00, at Westbridge Recovery Hub, with Priya Shah. Go straight there: it is where your treatment in the community starts.".into(),
            "Your medication".into(),
            "A bridging prescription is arranged so your medication carries on from the day you leave: Methadone 60ml daily; bridging script to the first appointment.".into(),
            "Naloxone".into(),
            "You have been given naloxone. Keep it with you: it can reverse an opioid overdose while an ambulance comes.".into(),
            "After time in prison your body cannot take what it used to, so the risk of overdose is much higher in the first weeks after release. Do not use alone, and call 999 if someone overdoses.".into(),
            "On the day".into(),
            "Where you will live: Approved premises, 12 Mill Street, Westbridge.".into(),
            "Meeting you at the gate: Sam Okafor (prison link worker).".into(),
            "Who to call".into(),
            "Your drug worker is Priya Shah, at Westbridge Criminal Justice Drug Team. Call them if anything in this plan goes wrong.".into(),
            "In an emergency, call 999.".into(),
            "Given to you by Priya Shah, Westbridge Criminal Justice Drug Team, on 23 Nov 2026.".into(),
        ]
    );
    assert_eq!(doc.headings, Some(vec![2, 4, 6, 9, 12]));
    assert_eq!(t.audited("printed release plan for the person", &john), 2, "every production is audited as a print");

    // After the gate it says when they left.
    t.set_clock("2026-12-07T12:00:00Z");
    t.release(&spell, "07/12/2026").unwrap();
    let doc = release_plan::for_person(t.lead.store_mut(), &actor, &spell).unwrap();
    assert!(doc.paragraphs[1].starts_with("You were released on Monday 7 Dec 2026."));
}
