//! The team lead's dashboard and returns on a small team whose November 2026 is built by
//! hand, with a fixed clock; every expected figure is worked out here from the events below,
//! and every figure's client list must have exactly that many rows. Re-arrest and each client's
//! first test in a period read a table the write transaction keeps: random histories (tests
//! recorded, corrected, results changed, set aside, cases reallocated) hold it equal to its
//! definition, and its figures, the team's and one caseload's, equal to the same worked out
//! from the tests alone.
mod support;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use support::{team_at, Team};
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::appointments::{self, NewAppointment, NewOutcome};
use throughline_core::clients::{caseload, merge};
use throughline_core::clock::Clock;
use throughline_core::court::{self, NewBailDecision, NewHearing};
use throughline_core::custody::caution::{self, NewCaution};
use throughline_core::custody::{self, NewAssessment, NewTestOnArrest};
use throughline_core::dashboard::returns::{self, Heading};
use throughline_core::dashboard::{self, Dashboard, DashboardAsk, FigureListAsk, FigureView, Period, PeriodChoice, Whose};
use throughline_core::drr::{self, NewOrder, OrderEnding};
use throughline_core::prison::treatment::{self, EpisodeInput};
use throughline_core::prison::{self, NewRelease, NewSpell};

/// A test on arrest at a London date and time; `offence` empty for a discretionary test.
fn test(t: &mut Team, client: &str, date: &str, time: &str, offence: &str, opiates: &str, cocaine: &str) -> String {
    let actor = t.lead.actor();
    let input = NewTestOnArrest {
        custody_suite: "Westbridge custody suite".into(),
        arrested_date: date.into(),
        arrested_time: time.into(),
        trigger_offence: offence.into(),
        discretionary: offence.is_empty(),
        tested_date: date.into(),
        tested_time: time.into(),
        opiates: opiates.into(),
        cocaine: cocaine.into(),
        sample_type: "oral_fluid".into(),
        ..Default::default()
    };
    custody::record_test(t.lead.store_mut(), &actor, client, &input).unwrap()
}

fn at(date: &str) -> NewAppointment {
    NewAppointment { date: date.into(), time: "10:00".into(), place: "Westbridge Recovery Hub".into(), ..Default::default() }
}

fn outcome(t: &mut Team, appointment: &str, what: &str, remained: Option<bool>) {
    let actor = t.lead.actor();
    appointments::record_outcome(t.lead.store_mut(), &actor, appointment, &NewOutcome { outcome: what.into(), remained }).unwrap();
}

/// Booked in the custody suite the day before, with written notice given then.
fn initial_assessment(t: &mut Team, client: &str, test: &str, notice: &str, date: &str) -> String {
    let actor = t.lead.actor();
    let input = NewAssessment {
        kind: "initial".into(),
        test_id: test.into(),
        appointment: at(date),
        notice_date: notice.into(),
        notice_time: "15:00".into(),
        ..Default::default()
    };
    let id = custody::record_assessment(t.lead.store_mut(), &actor, client, &input).unwrap();
    custody::get_assessment(t.lead.store().reader(), &id).unwrap().unwrap().appointment_id
}

fn order(t: &mut Team, client: &str, sentenced_on: &str) -> String {
    let actor = t.lead.actor();
    let input = NewOrder {
        court: "Westbridge Magistrates' Court".into(),
        sentenced_on: sentenced_on.into(),
        order_months: "6".into(),
        treatment_months: "6".into(),
        reviews: Some(false),
        residential: Some(false),
        responsible_officer: "Sam Patel (Probation)".into(),
        treatment_provider: "Westbridge Recovery Hub".into(),
        ..Default::default()
    };
    drr::record_order(t.lead.store_mut(), &actor, client, &input).unwrap()
}

fn end(t: &mut Team, order: &str, status: &str, on: &str) {
    let actor = t.lead.actor();
    let input = OrderEnding { status: status.into(), ended_on: on.into(), reason: "As the court decided".into() };
    drr::end_order(t.lead.store_mut(), &actor, order, &input).unwrap();
}

/// Received in September, released on `released_on`; treatment started on `started` (or not).
fn release(t: &mut Team, client: &str, released_on: &str, seen_at_gate: bool, started: &str) {
    let actor = t.lead.actor();
    let spell = prison::record_spell(
        t.lead.store_mut(),
        &actor,
        client,
        &NewSpell {
            prison: "HMP Westbridge".into(),
            received_on: "01/09/2026".into(),
            custody_type: "remanded".into(),
            ..Default::default()
        },
    )
    .unwrap();
    prison::record_release(
        t.lead.store_mut(),
        &actor,
        &spell,
        &NewRelease { released_on: released_on.into(), seen_at_gate: Some(seen_at_gate) },
    )
    .unwrap();
    if !started.is_empty() {
        refer(t, client, true, released_on, started);
    }
}

fn refer(t: &mut Team, client: &str, criminal_justice: bool, referred_on: &str, started: &str) {
    let actor = t.lead.actor();
    let input = EpisodeInput {
        service: "Westbridge Recovery Hub".into(),
        criminal_justice,
        referred_on: referred_on.into(),
        treatment_started_on: started.into(),
        modality: if started.is_empty() { String::new() } else { "psychosocial".into() },
        ..Default::default()
    };
    treatment::record_referral(t.lead.store_mut(), &actor, client, &input).unwrap();
}

fn november() -> Period {
    Period { from: "2026-11-01".parse().unwrap(), to: "2026-11-30".parse().unwrap() }
}

/// The dashboard as the app reads it: its sections shared between two connections.
fn board(t: &mut Team, period: Period, whose: Whose<'_>) -> Dashboard {
    let (now, settings) = (t.clock.now(), t.settings.clone());
    let mut other = t.lead.start_reading().unwrap();
    let mut both = [t.lead.store_mut().reader_mut(), other.store_mut().reader_mut()];
    dashboard::dashboard(&mut both, now, &settings, period, whose).unwrap()
}

fn figure<'a>(d: &'a Dashboard, key: &str) -> &'a FigureView {
    d.sections.iter().flat_map(|s| &s.figures).find(|f| f.count.key == key).unwrap_or_else(|| panic!("no figure {key}"))
}

/// (count, out of, percent) of a figure.
fn rate(d: &Dashboard, key: &str) -> (u32, u32, Option<u32>) {
    let f = figure(d, key);
    (f.count.count, f.out_of.as_ref().map_or(0, |o| o.count), f.percent)
}

fn listed(t: &Team, key: &str, period: Period, worker_id: Option<&str>, part: Option<&str>) -> Vec<String> {
    let ask = FigureListAsk { key: key.into(), period, worker_id: worker_id.map(Into::into), part: part.map(Into::into), offset: 0 };
    let list = dashboard::figure_list(t.lead.store().reader(), t.clock.now(), &ask).unwrap().unwrap();
    assert_eq!(list.total as usize, list.clients.len(), "{key}: one page holds them all here");
    list.clients.into_iter().map(|c| c.client_name).collect()
}

/// Every figure's list (and each out-of list) has as many clients as the figure counts.
fn lists_match(t: &Team, d: &Dashboard) {
    for f in d.sections.iter().flat_map(|s| &s.figures) {
        for part in std::iter::once(&f.count).chain(f.out_of.as_ref()) {
            let names = listed(t, &part.key, d.period, d.worker_id.as_deref(), None);
            assert_eq!(names.len() as u32, part.count, "{} lists {names:?}", part.key);
        }
    }
}

/// The team: Priya Shah (lead) and Tom Reed, a community worker. Eleven clients registered in
/// October 2025 (already known), then November 2026 happens to them.
struct November {
    t: Team,
    tom: String,
    /// One of Tom's three.
    clarke: String,
}

fn a_team_through_november() -> November {
    let mut t = team_at("2025-10-01T09:00:00Z");
    let tom = t
        .lead
        .add_worker(&NewWorker {
            display_name: "Tom Reed".into(),
            login: "tom".into(),
            roles: vec![Role::Community],
            password: "harbour-kettle-lantern".into(),
        })
        .unwrap()
        .id;
    let names = ["Adams", "Baker", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Irwin", "Jones", "Khan"];
    let ids: Vec<String> = names.iter().map(|s| t.register_named(s, "Alex")).collect();
    let [adams, baker, clarke, davies, evans, foster, green, hughes, irwin, jones, khan] = ids.try_into().unwrap();
    let actor = t.lead.actor();
    for client in [&adams, &baker, &clarke] {
        caseload::allocate(t.lead.store_mut(), &actor, client, Some(&tom)).unwrap();
    }

    // Re-arrest cohort, November 2025: Irwin is tested again on day 365, Jones on day 366.
    t.set_clock("2025-11-30T09:00:00Z");
    test(&mut t, &irwin, "10/11/2025", "14:00", "theft", "negative", "negative");
    test(&mut t, &jones, "12/11/2025", "14:00", "theft", "negative", "negative");

    t.set_clock("2026-11-30T09:00:00Z"); // Monday 30 November 2026
    test(&mut t, &irwin, "10/11/2026", "09:00", "burglary", "negative", "negative");
    test(&mut t, &jones, "13/11/2026", "09:00", "burglary", "negative", "negative");

    // Custody in November 2026: Adams and Baker positive, Clarke negative, Davies refuses a
    // discretionary test.
    let a = test(&mut t, &adams, "03/11/2026", "14:00", "theft", "positive", "negative");
    let b = test(&mut t, &baker, "10/11/2026", "14:00", "theft", "negative", "positive");
    test(&mut t, &clarke, "17/11/2026", "14:00", "theft", "negative", "negative");
    test(&mut t, &davies, "24/11/2026", "14:00", "", "refused", "refused");
    let appt = initial_assessment(&mut t, &adams, &a, "03/11/2026", "04/11/2026");
    outcome(&mut t, &appt, "attended", Some(true));
    let appt = initial_assessment(&mut t, &baker, &b, "10/11/2026", "11/11/2026");
    outcome(&mut t, &appt, "did_not_attend", None);

    // A conditional caution kept, and another still running.
    let actor = t.lead.actor();
    let kept = caution::record(
        t.lead.store_mut(),
        &actor,
        &clarke,
        &NewCaution { given_on: "05/11/2026".into(), conditions: "Attend two appointments".into(), complete_by: String::new() },
    )
    .unwrap();
    let appt = caution::book_appointment(t.lead.store_mut(), &actor, &kept, &at("12/11/2026")).unwrap();
    outcome(&mut t, &appt, "attended", None);
    let running = caution::record(
        t.lead.store_mut(),
        &actor,
        &davies,
        &NewCaution { given_on: "25/11/2026".into(), conditions: "Attend two appointments".into(), complete_by: String::new() },
    )
    .unwrap();
    caution::book_appointment(t.lead.store_mut(), &actor, &running, &at("02/12/2026")).unwrap();

    // Court: Evans bailed with Restriction on Bail, keeps one appointment and misses one;
    // Foster is remanded.
    let hearing = |date: &str| NewHearing {
        court: "Westbridge Magistrates' Court".into(),
        date: date.into(),
        time: "10:00".into(),
        hearing_type: "first_appearance".into(),
        ..Default::default()
    };
    let h = court::record_hearing(t.lead.store_mut(), &actor, &evans, &hearing("02/11/2026")).unwrap();
    let bail = court::record_bail(
        t.lead.store_mut(),
        &actor,
        &evans,
        &NewBailDecision {
            hearing_id: h,
            bail_status: "conditional".into(),
            conditions: "Attend a drug assessment".into(),
            restriction_on_bail: true,
        },
    )
    .unwrap();
    let kept = court::book_rob_appointment(t.lead.store_mut(), &actor, &bail, &at("06/11/2026")).unwrap();
    let missed = court::book_rob_appointment(t.lead.store_mut(), &actor, &bail, &at("20/11/2026")).unwrap();
    outcome(&mut t, &kept, "attended", None);
    outcome(&mut t, &missed, "did_not_attend", None);
    let h = court::record_hearing(t.lead.store_mut(), &actor, &foster, &hearing("16/11/2026")).unwrap();
    court::record_bail(
        t.lead.store_mut(),
        &actor,
        &foster,
        &NewBailDecision { hearing_id: h, bail_status: "remanded".into(), ..Default::default() },
    )
    .unwrap();

    // DRRs: Green's made on 9 November; Hughes's (made in May) completes on 18 November; Khan's
    // (made in June) is revoked on 26 November.
    order(&mut t, &green, "09/11/2026");
    let done = order(&mut t, &hughes, "18/05/2026");
    end(&mut t, &done, "completed", "18/11/2026");
    let revoked = order(&mut t, &khan, "01/06/2026");
    end(&mut t, &revoked, "revoked", "26/11/2026");

    // Prison: Foster released 2 November, treatment on day 21 (23 November): counts. Green
    // released 3 November, treatment on day 22 (25 November): does not. Hughes released 20
    // November, seen at the gate, no treatment yet.
    release(&mut t, &foster, "02/11/2026", false, "23/11/2026");
    release(&mut t, &green, "03/11/2026", false, "25/11/2026");
    release(&mut t, &hughes, "20/11/2026", true, "");
    // A community referral: 10 days' wait.
    refer(&mut t, &davies, false, "09/11/2026", "19/11/2026");

    // One new client this month.
    t.register_named("Lewis", "Alex");
    November { t, tom, clarke }
}

#[test]
fn a_team_lead_reads_november_and_every_figure_opens_the_clients_behind_it() {
    let mut n = a_team_through_november();
    let t = &mut n.t;
    let d = board(t, november(), Whose::Team);
    let week = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(
        d.buckets,
        vec![week("2026-10-26"), week("2026-11-02"), week("2026-11-09"), week("2026-11-16"), week("2026-11-23"), week("2026-11-30")]
    );

    // Caseload: twelve open cases; Lewis is new; five people known since 2025 were tested on
    // arrest (Adams, Baker, Clarke, Davies; Irwin and Jones too).
    assert_eq!(figure(&d, "caseload.active").count.count, 12);
    assert_eq!(figure(&d, "caseload.active").trend, Vec::<Option<f64>>::new(), "a count now has no trend");
    assert_eq!(listed(t, "caseload.new", november(), None, None), vec!["Alex Lewis"]);
    assert_eq!(figure(&d, "caseload.known").count.count, 6);

    // Custody: six tests (Irwin and Jones's burglaries too), two positive.
    assert_eq!(figure(&d, "custody.tests").count.count, 6);
    assert_eq!(rate(&d, "custody.positive"), (2, 6, Some(33)));
    assert_eq!(rate(&d, "custody.positive_opiates"), (1, 6, Some(17)));
    assert_eq!(rate(&d, "custody.positive_cocaine"), (1, 6, Some(17)));
    assert_eq!(listed(t, "custody.refused", november(), None, None), vec!["Alex Davies"]);
    assert_eq!(rate(&d, "custody.assessed"), (1, 2, Some(50)));
    assert_eq!(listed(t, "custody.assessment_failed", november(), None, None), vec!["Alex Baker"]);
    // By week: Adams (w/c 2 Nov), Baker (9 Nov), Irwin (9 Nov), Jones (9 Nov), Clarke (16 Nov), Davies (23 Nov).
    assert_eq!(figure(&d, "custody.tests").trend, vec![Some(0.0), Some(1.0), Some(3.0), Some(1.0), Some(1.0), Some(0.0)]);
    assert_eq!(figure(&d, "custody.positive").trend_out_of, vec![0, 1, 3, 1, 1, 0]);

    let by_offence = &d.sections.iter().find(|s| s.key == "custody").unwrap().breakdowns[0];
    let rows: Vec<(&str, u32, u32)> = by_offence.rows.iter().map(|r| (r.label.as_str(), r.count, r.out_of)).collect();
    assert_eq!(rows, vec![("Theft", 2, 3), ("Burglary", 0, 2), ("Discretionary test", 0, 1)]);
    assert_eq!(listed(t, "custody.positive", november(), None, Some("theft")), vec!["Alex Baker", "Alex Adams"], "latest first");

    assert_eq!(figure(&d, "custody.cautions").count.count, 2);
    assert_eq!(listed(t, "custody.cautions_complied", november(), None, None), vec!["Alex Clarke"]);

    // Court.
    assert_eq!(figure(&d, "court.rob_imposed").count.count, 1);
    assert_eq!(rate(&d, "court.rob_kept"), (1, 2, Some(50)));
    assert_eq!(listed(t, "court.remanded", november(), None, None), vec!["Alex Foster"]);

    // DRR: one made; of two ended, one completed.
    assert_eq!(listed(t, "drr.starts", november(), None, None), vec!["Alex Green"]);
    assert_eq!(rate(&d, "drr.completed"), (1, 2, Some(50)));
    assert_eq!(listed(t, "drr.revoked", november(), None, None), vec!["Alex Khan"]);

    // Prison: day 21 counts, day 22 does not; one of three seen at the gate; the target is the
    // team's 75%.
    assert_eq!(figure(&d, "prison.releases").count.count, 3);
    assert_eq!(rate(&d, "prison.seen_at_gate"), (1, 3, Some(33)));
    assert_eq!(rate(&d, "prison.in_treatment_21_days"), (1, 3, Some(33)));
    assert_eq!(figure(&d, "prison.in_treatment_21_days").target_percent, Some(75));
    assert_eq!(listed(t, "prison.in_treatment_21_days", november(), None, None), vec!["Alex Foster"]);

    // Treatment: criminal-justice waits were 21 days (Foster, released 2nd, started 23rd) and
    // 22 (Green); the community referral waited 10.
    assert_eq!(figure(&d, "treatment.referrals").count.count, 3);
    assert_eq!(figure(&d, "treatment.wait_criminal_justice").median_days, Some(21.5));
    assert_eq!(figure(&d, "treatment.wait_other").median_days, Some(10.0));

    lists_match(t, &d);
}

#[test]
fn re_arrest_counts_a_second_test_on_day_365_but_not_on_day_366() {
    let mut n = a_team_through_november();
    let t = &mut n.t;
    let cohort = Period { from: "2025-11-01".parse().unwrap(), to: "2025-11-30".parse().unwrap() };
    let d = board(t, cohort, Whose::Team);
    assert_eq!(rate(&d, "rearrest.again"), (1, 2, Some(50)));
    assert_eq!(listed(t, "rearrest.again", cohort, None, None), vec!["Alex Irwin"]);
    lists_match(t, &d);
}

#[test]
fn one_workers_dashboard_counts_only_their_caseload() {
    let mut n = a_team_through_november();
    let t = &mut n.t;
    let d = board(t, november(), Whose::Worker(&n.tom));
    assert_eq!(figure(&d, "caseload.active").count.count, 3);
    assert_eq!(figure(&d, "custody.tests").count.count, 3);
    assert_eq!(rate(&d, "custody.positive"), (2, 3, Some(67)));
    assert_eq!(figure(&d, "prison.releases").count.count, 0);
    lists_match(t, &d);
}

/// Tom's caseload holds Clarke's tests on arrest, and those of the duplicate record merged
/// into Clarke's; when Clarke's case goes to the lead, all of them go with it.
#[test]
fn a_case_given_to_another_worker_takes_its_tests_and_its_merged_records_with_it() {
    let mut n = a_team_through_november();
    let t = &mut n.t;
    let lead = t.lead.worker().id.clone();
    let tests = |t: &mut Team, whose| figure(&board(t, november(), whose), "custody.tests").count.count;
    let (toms, leads) = (tests(t, Whose::Worker(&n.tom)), tests(t, Whose::Worker(&lead)));
    // A second record for Clarke, tested twice in November under the lead, then found to be him.
    let twin = t.register_named("Clarke", "Alex");
    test(t, &twin, "20/11/2026", "10:00", "theft", "positive", "negative");
    test(t, &twin, "21/11/2026", "10:00", "theft", "negative", "negative");
    assert_eq!((tests(t, Whose::Worker(&n.tom)), tests(t, Whose::Worker(&lead))), (toms, leads + 2));
    let actor = t.lead.actor();
    merge::merge(t.lead.store_mut(), &actor, &n.clarke, &twin, "Same PNC and date of birth").unwrap();
    assert_eq!(
        (tests(t, Whose::Worker(&n.tom)), tests(t, Whose::Worker(&lead))),
        (toms + 2, leads),
        "counted with Clarke, in Tom's caseload"
    );
    caseload::allocate(t.lead.store_mut(), &actor, &n.clarke, Some(&lead)).unwrap();
    let clarkes = 1;
    assert_eq!(
        (tests(t, Whose::Worker(&n.tom)), tests(t, Whose::Worker(&lead))),
        (toms - clarkes, leads + clarkes + 2),
        "Clarke's own test and his merged record's two went to the lead with his case"
    );
    assert_eq!(tests(t, Whose::Team), toms + leads + 2);
}

#[test]
fn a_test_just_after_midnight_in_summer_time_counts_on_its_london_day() {
    let mut t = team_at("2026-08-01T09:00:00Z");
    let amy = t.register_named("Adams", "Amy");
    t.set_clock("2026-09-10T09:00:00Z");
    // 00:30 on 1 September in London is 23:30 on 31 August in UTC.
    test(&mut t, &amy, "01/09/2026", "00:30", "theft", "positive", "negative");
    let august = Period { from: "2026-08-01".parse().unwrap(), to: "2026-08-31".parse().unwrap() };
    let september = Period { from: "2026-09-01".parse().unwrap(), to: "2026-09-30".parse().unwrap() };
    assert_eq!(figure(&board(&mut t, august, Whose::Team), "custody.tests").count.count, 0);
    let d = board(&mut t, september, Whose::Team);
    assert_eq!(figure(&d, "custody.tests").count.count, 1);
    assert_eq!(figure(&d, "custody.tests").trend[0], Some(1.0), "in the week of Monday 31 August, by its London day");
}

#[test]
fn periods_are_chosen_from_today_and_typed_ones_are_checked() {
    let today: chrono::NaiveDate = "2026-11-25".parse().unwrap(); // a Wednesday
    let ask = |period, from: &str, to: &str| DashboardAsk { period, from: from.into(), to: to.into(), worker_id: None };
    let chosen = |p| Period::choose(&ask(p, "", ""), today).unwrap();
    assert_eq!(chosen(PeriodChoice::ThisWeek).from.to_string(), "2026-11-23");
    assert_eq!(chosen(PeriodChoice::ThisMonth).from.to_string(), "2026-11-01");
    assert_eq!(chosen(PeriodChoice::ThisQuarter).from.to_string(), "2026-10-01");
    let year = chosen(PeriodChoice::Last12Months);
    assert_eq!((year.from.to_string(), year.to.to_string()), ("2025-11-26".into(), "2026-11-25".into()));
    assert_eq!(year.buckets().len(), 13, "a year reads by month");

    let codes = |from: &str, to: &str| -> Vec<String> {
        Period::choose(&ask(PeriodChoice::Between, from, to), today)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.code.as_str().to_string())
            .collect()
    };
    assert_eq!(codes("", "30/11/2026"), vec!["validation.required"]);
    assert_eq!(codes("31/02/2026", "30/11/2026"), vec!["validation.date_format"]);
    assert_eq!(codes("30/11/2026", "01/11/2026"), vec!["validation.period_order"]);
    assert_eq!(codes("01/01/2020", "30/11/2026"), vec!["validation.period_too_long"]);
}

#[test]
fn the_weekly_tracker_counts_each_week_and_its_csv_is_safe_in_a_spreadsheet() {
    let mut n = a_team_through_november();
    let t = &mut n.t;
    let tracker = returns::weekly_tracker(t.lead.store().reader(), t.clock.now(), november(), Whose::Team).unwrap();
    let headings: Vec<&str> = tracker.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(headings, vec!["Tested positive", "Referred", "Assessed", "Refused bail", "DRRs made"]);
    let totals: Vec<u32> = tracker.columns.iter().map(|c| c.count).collect();
    assert_eq!(totals, vec![2, 3, 1, 1, 1]);
    // Week of 2 November: Adams positive and assessed, Foster and Green referred; 9 November:
    // Baker positive (and not assessed), Davies referred, Green's DRR; 16 November: Foster remanded.
    let weeks: Vec<(String, Vec<u32>)> = tracker.weeks.iter().map(|w| (w.starts_on.to_string(), w.counts.clone())).collect();
    assert_eq!(weeks[1], ("2026-11-02".into(), vec![1, 2, 1, 0, 0]));
    assert_eq!(weeks[2], ("2026-11-09".into(), vec![1, 1, 0, 0, 1]));
    assert_eq!(weeks[3], ("2026-11-16".into(), vec![0, 0, 0, 1, 0]));

    // A team name that a spreadsheet would run as a formula, with commas, quotes and a new line.
    let nasty = "=HYPERLINK(\"http://x\",\"Click\"), team\nWestbridge";
    let csv_text = returns::tracker_csv(&tracker, &Heading { team: nasty, worker: Some("@Tom Reed") });
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..3], ["layout", "team", "caseload"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(&rows[1][0], returns::TRACKER_LAYOUT);
    assert_eq!(&rows[1][1], format!("'{nasty}"), "the whole name survives, as text");
    assert_eq!(&rows[1][2], "'@Tom Reed");
    assert_eq!(rows[1].iter().skip(5).collect::<Vec<_>>(), vec!["2026-11-02", "1", "2", "1", "0", "0"]);
    for cell in ["+44", "-1", "\tTab", "\rReturn", "plain"] {
        let out = returns::neutralise(cell);
        assert!(!out.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} became {out:?}");
    }

    let monthly = returns::monthly_csv(&board(t, november(), Whose::Team), &Heading { team: "Westbridge", worker: None });
    let mut reader = csv::Reader::from_reader(monthly.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| &r[6] == "prison.in_treatment_21_days").unwrap();
    assert_eq!(row.iter().skip(8).collect::<Vec<_>>(), vec!["1", "3", "33", ""]);
    assert_eq!(&rows[0][2], "Whole team");
}

#[test]
fn a_figure_list_pages_fifty_at_a_time() {
    let mut t = team_at("2026-11-02T09:00:00Z");
    for i in 0..55 {
        // Names carry no digits: Clientaa, Clientab, ...
        let letter = |n: u8| char::from(b'a' + n);
        t.register_named(&format!("Client{}{}", letter(i / 26), letter(i % 26)), "Alex");
    }
    t.clock.advance(Duration::days(1));
    let ask = |offset| FigureListAsk { key: "caseload.new".into(), period: november(), worker_id: None, part: None, offset };
    let first = dashboard::figure_list(t.lead.store().reader(), t.clock.now(), &ask(0)).unwrap().unwrap();
    assert_eq!((first.total, first.clients.len()), (55, 50));
    let second = dashboard::figure_list(t.lead.store().reader(), t.clock.now(), &ask(50)).unwrap().unwrap();
    assert_eq!(second.clients.len(), 5);
    let unknown = FigureListAsk { key: "no.such".into(), ..ask(0) };
    assert!(dashboard::figure_list(t.lead.store().reader(), t.clock.now(), &unknown).unwrap().is_none());
}

/// A step of a history of tests on arrest: the things that change which test is a client's
/// first in a period and who was tested again within a year.
#[derive(Debug, Clone)]
enum Arrest {
    /// A test `days_ago` before now at one of a few London times, among them either side of
    /// midnight (and so of a London day in summer time).
    Tested {
        client: usize,
        days_ago: i64,
        time: usize,
    },
    /// The same client tested again `days` after an earlier test: around the year's edge.
    Again {
        test: usize,
        days: i64,
        time: usize,
    },
    /// A test's record corrected to another client or time, or set aside, as another
    /// laptop's changes arriving by sync can do.
    Corrected {
        test: usize,
        client: usize,
        hours: i64,
    },
    SetAside {
        test: usize,
    },
    /// A test's opiates result corrected.
    Result {
        test: usize,
        positive: bool,
    },
    /// A client's case given to the lead, or to no one: their tests move between caseloads.
    Reallocated {
        client: usize,
        to_lead: bool,
    },
}

const TIMES: [&str; 6] = ["00:00", "00:30", "08:00", "12:00", "23:30", "23:59"];

fn arrest() -> impl Strategy<Value = Arrest> {
    prop_oneof![
        2 => (0usize..8, 0i64..1100, 0..TIMES.len()).prop_map(|(client, days_ago, time)| Arrest::Tested { client, days_ago, time }),
        3 => (any::<usize>(), 363i64..368, 0..TIMES.len()).prop_map(|(test, days, time)| Arrest::Again { test, days, time }),
        1 => (any::<usize>(), 0usize..8, -30i64..30).prop_map(|(test, client, hours)| Arrest::Corrected { test, client, hours }),
        1 => any::<usize>().prop_map(|test| Arrest::SetAside { test }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(test, positive)| Arrest::Result { test, positive }),
        1 => (0usize..8, any::<bool>()).prop_map(|(client, to_lead)| Arrest::Reallocated { client, to_lead }),
    ]
}

struct Arrests {
    t: Team,
    clients: Vec<String>,
    tests: Vec<String>,
}

impl Arrests {
    fn new() -> Self {
        let mut t = team_at("2023-01-02T09:00:00Z");
        let clients =
            ["Adams", "Brown", "Clark", "Dunn", "Evans", "Frost", "Grant", "Hill"].iter().map(|s| t.register_named(s, "Sam")).collect();
        t.set_clock("2026-11-30T12:00:00Z");
        Arrests { t, clients, tests: Vec::new() }
    }

    fn record(&mut self, client: &str, day: NaiveDate, time: usize) {
        let date = day.format("%d/%m/%Y").to_string();
        let actor = self.t.lead.actor();
        let input = NewTestOnArrest {
            custody_suite: "Westbridge custody suite".into(),
            arrested_date: date.clone(),
            arrested_time: TIMES[time].into(),
            trigger_offence: "theft".into(),
            tested_date: date,
            tested_time: TIMES[time].into(),
            opiates: "positive".into(),
            cocaine: "negative".into(),
            sample_type: "oral_fluid".into(),
            ..Default::default()
        };
        // A time in the future is refused, and that changes nothing.
        if let Ok(id) = custody::record_test(self.t.lead.store_mut(), &actor, client, &input) {
            self.tests.push(id);
        }
    }

    fn apply(&mut self, step: &Arrest) {
        let today = throughline_core::dates::today(self.t.clock.now());
        let pick = |list: &[String], i: usize| (!list.is_empty()).then(|| list[i % list.len()].clone());
        match *step {
            Arrest::Tested { client, days_ago, time } => {
                let client = self.clients[client].clone();
                self.record(&client, today - Duration::days(days_ago), time);
            }
            Arrest::Again { test, days, time } => {
                let Some(id) = pick(&self.tests, test) else { return };
                let Some(earlier) = custody::get_test(self.t.lead.store().reader(), &id).unwrap() else { return };
                let day = throughline_core::calendar::when::london_date(earlier.tested_at) + Duration::days(days);
                self.record(&earlier.client_id, day, time);
            }
            Arrest::Corrected { test, client, hours } => {
                let Some(id) = pick(&self.tests, test) else { return };
                self.t
                    .lead
                    .store()
                    .reader()
                    .execute(
                        "UPDATE tests_on_arrest SET client_id = ?2,
                         tested_at = strftime('%Y-%m-%dT%H:%M:%SZ', tested_at, ?3 || ' hours') WHERE id = ?1",
                        rusqlite::params![id, self.clients[client], hours],
                    )
                    .unwrap();
            }
            Arrest::SetAside { test } => {
                let Some(id) = pick(&self.tests, test) else { return };
                let conn = self.t.lead.store().reader();
                conn.execute("DELETE FROM required_assessments WHERE test_id = ?1", [&id]).unwrap();
                conn.execute("DELETE FROM tests_on_arrest WHERE id = ?1", [&id]).unwrap();
            }
            Arrest::Result { test, positive } => {
                let Some(id) = pick(&self.tests, test) else { return };
                let result = if positive { "positive" } else { "negative" };
                let conn = self.t.lead.store().reader();
                conn.execute("UPDATE tests_on_arrest SET opiates = ?2 WHERE id = ?1", [&id, result]).unwrap();
            }
            Arrest::Reallocated { client, to_lead } => {
                let actor = self.t.lead.actor();
                let lead = to_lead.then(|| actor.worker_id.clone());
                caseload::allocate(self.t.lead.store_mut(), &actor, &self.clients[client], lead.as_deref()).unwrap();
            }
        }
    }

    fn kept_table_matches_tests(&self) -> Result<(), String> {
        let differ: i64 = self
            .t
            .lead
            .store()
            .reader()
            .query_row(
                "SELECT (SELECT count(*) FROM (SELECT * FROM arrests_in_sequence EXCEPT SELECT * FROM arrests_in_sequence_from_records))
                      + (SELECT count(*) FROM (SELECT * FROM arrests_in_sequence_from_records EXCEPT SELECT * FROM arrests_in_sequence))",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if differ == 0 {
            Ok(())
        } else {
            Err(format!("{differ} rows of arrests_in_sequence differ from the tests on arrest"))
        }
    }

    /// A measure's count for the team (or the lead's caseload) as the dashboard reads it, and
    /// as a query over the tests alone (`dashboard::team_events_from_records`) gives it on the
    /// same database.
    fn both_ways(&self, key: &str, period: Period, whose: Whose<'_>) -> (u32, u32) {
        let m = dashboard::measure(key).unwrap();
        let conn = self.t.lead.store().reader();
        let now = self.t.clock.now();
        let kept = dashboard::count(conn, now, period, whose, m).unwrap();
        let when = throughline_core::calendar::when::start_of_day;
        let values = [
            (":from", period.from.to_string()),
            (":to", period.to.to_string()),
            (":from_at", throughline_core::calendar::when::sql(when(period.from))),
            (":to_at", throughline_core::calendar::when::sql(when(period.to + Duration::days(1)))),
            (":today", throughline_core::dates::today(now).to_string()),
        ];
        let caseload = match whose {
            Whose::Team => String::new(),
            Whose::Worker(id) => format!("WHERE e.client_id IN (SELECT id FROM clients WHERE allocated_worker_id = '{id}')"),
        };
        let mut stmt = conn.prepare(&format!("SELECT count(*) FROM ({}) e {caseload}", dashboard::team_events_from_records(m))).unwrap();
        for (name, value) in &values {
            if let Some(i) = stmt.parameter_index(name).unwrap() {
                stmt.raw_bind_parameter(i, value).unwrap();
            }
        }
        let from_tests: u32 = stmt.raw_query().next().unwrap().unwrap().get(0).unwrap();
        (kept, from_tests)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn first_tests_and_re_arrest_always_equal_a_recomputation_from_the_tests(
        steps in proptest::collection::vec(arrest(), 1..40),
        lengths in proptest::collection::vec(0i64..400, 1..6),
    ) {
        let mut h = Arrests::new();
        for (i, s) in steps.iter().enumerate() {
            h.apply(s);
            if i % 5 == 4 || i + 1 == steps.len() {
                h.kept_table_matches_tests().map_err(TestCaseError::fail)?;
            }
        }
        let today = throughline_core::dates::today(h.t.clock.now());
        // A period beginning on each day someone was tested, where a first test and its year
        // are, and on the day after.
        let days: Vec<NaiveDate> = h.t.lead.store().reader()
            .prepare("SELECT DISTINCT london_date(tested_at) FROM tests_on_arrest ORDER BY 1").unwrap()
            .query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        for (i, from) in days.iter().flat_map(|d| [*d, *d + Duration::days(1)]).enumerate() {
            let period = Period { from, to: (from + Duration::days(lengths[i % lengths.len()])).min(today).max(from) };
            let lead = h.t.lead.worker().id.clone();
            for key in ["rearrest.cohort", "rearrest.again", "caseload.known", "custody.tests", "custody.positive"] {
                for whose in [Whose::Team, Whose::Worker(&lead)] {
                    let (kept, from_tests) = h.both_ways(key, period, whose);
                    prop_assert_eq!(kept, from_tests, "{} in {:?} for {:?}", key, period, whose);
                }
            }
        }
    }
}
