//! The pathway of the demo register: tests on arrest (30% positive), required assessments
//! (some missed, some left early), follow-ups, conditional cautions, hearings with bail and
//! Restriction on Bail (some missed), contacts and notes, spread around "now" so that Today
//! has appointments and every flag rule is live for someone. Reproducible from the seed.
use super::seeded::{london, Ids};
use crate::appointments::{Appointment, AppointmentStatus, OwnerType};
use crate::clients::{Client, ClientStatus};
use crate::court::{BailDecision, Hearing, SuitabilityAssessment};
use crate::custody::caution::ConditionalCaution;
use crate::custody::{AssessmentKind, RequiredAssessment, TestOnArrest, TestResult, TRIGGER_OFFENCES};
use crate::notes::{CaseNote, Contact};
use crate::prison::treatment::{TreatmentEpisode, MODALITIES};
use crate::store::record::Made;
use crate::store::{Actor, Store, StoreError, Write};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SUITES: &[&str] = &["Westbridge custody suite", "Eastgate custody suite"];
const PLACES: &[&str] = &["Westbridge Recovery Hub", "Eastgate Drug Service", "Mill Street probation office"];
const COURTS: &[&str] = &["Westbridge Magistrates' Court", "Westbridge Crown Court"];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

struct Maker<'a, 'w> {
    w: &'a mut Write<'w>,
    rng: StdRng,
    ids: Ids,
    /// Referrals into treatment have their own random stream, so the rest of the demo stays
    /// as it was before they were added.
    treatment: StdRng,
    treatment_ids: Ids,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Maker<'_, '_> {
    fn when_made(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at.min(self.now)
    }

    /// An appointment with an outcome fitting its time: kept, missed, left early (assessments),
    /// or (a few) with no outcome recorded.
    fn appointment(
        &mut self,
        client: &Client,
        owner: (OwnerType, &str),
        kind: &str,
        at: DateTime<Utc>,
        place: &str,
        worker: &str,
    ) -> Result<Appointment, StoreError> {
        let assessment = owner.0 == OwnerType::RequiredAssessment;
        let mut a = Appointment {
            id: self.ids.next(),
            client_id: client.id.clone(),
            owner_type: owner.0,
            owner_id: owner.1.to_string(),
            kind: kind.into(),
            at,
            place: place.into(),
            worker_id: worker.into(),
            status: AppointmentStatus::Scheduled,
            remained: None,
            cancelled_by: None,
            outcome_recorded_at: None,
            failure_document_at: None,
            failure_reported_at: None,
            made: Made { created_at: self.when_made(at - Duration::days(2)), created_by: worker.into() },
        };
        if at < self.now - Duration::hours(2) {
            let roll: f64 = self.rng.gen();
            let recorded = Some(self.when_made(at + Duration::hours(3)));
            // A working team records outcomes and reports failures within days: only the last
            // fortnight's appointments are still waiting for either.
            let recent = at > self.now - Duration::days(21);
            if roll < 0.06 && recent {
                // No outcome yet: APPT-NO-OUTCOME once a day has passed.
            } else if roll < 0.11 && (recent || !assessment) {
                // A cancelled assessment is rebooked in days: only this fortnight's stand cancelled.
                a.status = AppointmentStatus::Cancelled;
                a.cancelled_by = Some(if self.rng.gen_bool(0.5) { "client" } else { "service" }.into());
                a.outcome_recorded_at = Some(self.when_made(at - Duration::hours(4)));
            } else if roll < 0.27 || (assessment && roll < 0.36) {
                if roll < 0.27 {
                    a.status = AppointmentStatus::DidNotAttend;
                } else {
                    a.status = AppointmentStatus::Attended;
                    a.remained = Some(false);
                }
                a.outcome_recorded_at = recorded;
                if matches!(owner.0, OwnerType::RequiredAssessment | OwnerType::RestrictionOnBail) {
                    let stage: f64 = if recent { self.rng.gen() } else { 0.0 };
                    if stage < 0.45 {
                        a.failure_document_at = Some(self.when_made(at + Duration::hours(5)));
                        a.failure_reported_at = Some(self.when_made(at + Duration::hours(6)));
                    } else if stage < 0.65 {
                        a.failure_document_at = Some(self.when_made(at + Duration::hours(5)));
                    }
                }
            } else {
                a.status = AppointmentStatus::Attended;
                a.remained = assessment.then_some(true);
                a.outcome_recorded_at = recorded;
            }
        }
        self.w.create_past(&a)?;
        Ok(a)
    }

    /// A test on arrest on `day` and the required assessments that follow a positive one.
    fn custody(&mut self, client: &Client, custody_worker: &str, day: NaiveDate) -> Result<(), StoreError> {
        let recent = day > self.today - Duration::days(4);
        let tested_at = london(day, self.rng.gen_range(7..20), self.rng.gen_range(0..60)).min(self.now - Duration::minutes(30));
        let arrested_at = tested_at - Duration::minutes(self.rng.gen_range(30..300));
        let positive = self.rng.gen_bool(0.3);
        let (opiates, cocaine) = if positive {
            match self.rng.gen_range(0..3) {
                0 => (TestResult::Positive, TestResult::Negative),
                1 => (TestResult::Negative, TestResult::Positive),
                _ => (TestResult::Positive, TestResult::Positive),
            }
        } else if self.rng.gen_bool(0.05) {
            (TestResult::Refused, TestResult::Refused)
        } else {
            (TestResult::Negative, TestResult::Negative)
        };
        let discretionary = self.rng.gen_bool(0.05);
        let suite = pick(&mut self.rng, SUITES);
        let test = TestOnArrest {
            id: self.ids.next(),
            client_id: client.id.clone(),
            custody_suite: suite.into(),
            arrested_at,
            trigger_offence: (!discretionary).then(|| TRIGGER_OFFENCES[self.rng.gen_range(0..TRIGGER_OFFENCES.len())].value.to_string()),
            discretionary,
            tested_at,
            opiates,
            cocaine,
            disputed: positive && self.rng.gen_bool(0.04),
            sent_for_confirmation: positive && self.rng.gen_bool(0.03),
            sample_type: "oral_fluid".into(),
            made: Made { created_at: tested_at, created_by: custody_worker.into() },
        };
        self.w.append_past(&test)?;
        if !positive || (recent && self.rng.gen_bool(0.15)) {
            return Ok(()); // Some of this week's positives with nothing booked yet: CUS-ASSESS-MISSING.
        }
        let assessment_id = self.ids.next();
        let now_in_custody = self.rng.gen_bool(0.4);
        let (at, place) = if now_in_custody {
            (tested_at, suite.to_string())
        } else {
            let day = crate::dates::today(tested_at) + Duration::days(self.rng.gen_range(1..4));
            (london(day, self.rng.gen_range(9..17), [0, 15, 30, 45][self.rng.gen_range(0..4)]), pick(&mut self.rng, PLACES).to_string())
        };
        let mut appointment = self.appointment(
            client,
            (OwnerType::RequiredAssessment, &assessment_id),
            AssessmentKind::Initial.label(),
            at,
            &place,
            custody_worker,
        )?;
        if now_in_custody {
            let kept = Appointment {
                status: AppointmentStatus::Attended,
                remained: Some(true),
                outcome_recorded_at: Some(tested_at),
                failure_document_at: None,
                failure_reported_at: None,
                cancelled_by: None,
                ..appointment.clone()
            };
            self.w.update(&appointment, &kept)?;
            appointment = kept;
        }
        let mut initial = RequiredAssessment {
            id: assessment_id,
            client_id: client.id.clone(),
            kind: AssessmentKind::Initial,
            test_id: Some(test.id.clone()),
            initial_assessment_id: None,
            appointment_id: appointment.id.clone(),
            notice_given_at: (!now_in_custody).then_some(tested_at),
            notice_given_by: (!now_in_custody).then(|| custody_worker.to_string()),
            follow_up_required: None,
            decided_at: None,
            decided_by: None,
            made: Made { created_at: tested_at, created_by: custody_worker.into() },
        };
        let completed = appointment.status == AppointmentStatus::Attended && appointment.remained == Some(true);
        if completed && self.treatment.gen_bool(0.6) {
            self.referral(client, true, crate::dates::today(appointment.at), custody_worker)?;
        }
        if completed && self.rng.gen_bool(0.8) {
            initial.follow_up_required = Some(self.rng.gen_bool(0.7));
            initial.decided_at = Some(appointment.at);
            initial.decided_by = Some(custody_worker.into());
        }
        self.w.create_past(&initial)?;
        let decided_recently = initial.decided_at.is_some_and(|d| d > self.now - Duration::days(21));
        if initial.follow_up_required == Some(true) && (!decided_recently || self.rng.gen_bool(0.5)) {
            let follow_up_id = self.ids.next();
            let day = crate::dates::today(appointment.at) + Duration::days(self.rng.gen_range(5..15));
            let at = london(day, self.rng.gen_range(9..17), 0);
            let place = pick(&mut self.rng, PLACES);
            let booked = self.appointment(
                client,
                (OwnerType::RequiredAssessment, &follow_up_id),
                AssessmentKind::FollowUp.label(),
                at,
                place,
                custody_worker,
            )?;
            self.w.create_past(&RequiredAssessment {
                id: follow_up_id,
                client_id: client.id.clone(),
                kind: AssessmentKind::FollowUp,
                test_id: None,
                initial_assessment_id: Some(initial.id.clone()),
                appointment_id: booked.id,
                notice_given_at: initial.decided_at,
                notice_given_by: Some(custody_worker.into()),
                follow_up_required: None,
                decided_at: None,
                decided_by: None,
                made: Made { created_at: self.when_made(appointment.at), created_by: custody_worker.into() },
            })?;
        }
        Ok(())
    }

    /// A referral into community treatment, started a few days to weeks later for most.
    fn referral(&mut self, client: &Client, criminal_justice: bool, referred_on: NaiveDate, worker: &str) -> Result<(), StoreError> {
        let r = &mut self.treatment;
        let start = Some(referred_on + Duration::days(r.gen_range(2..45))).filter(|d| *d <= self.today && r.gen_bool(0.85));
        let modality = MODALITIES[r.gen_range(0..MODALITIES.len() - 1)].value.to_string();
        let service = ["Westbridge Recovery Hub", "Eastgate Drug Service"][r.gen_range(0..2)];
        let episode = TreatmentEpisode {
            id: self.treatment_ids.next(),
            client_id: client.id.clone(),
            service: service.into(),
            criminal_justice,
            referred_on,
            assessed_on: Some(referred_on + Duration::days(1)).filter(|d| *d <= self.today),
            treatment_started_on: start,
            modality: start.map(|_| modality),
            discharged_on: None,
            discharge_reason: None,
            made: Made { created_at: self.when_made(london(referred_on, 16, 0)), created_by: worker.into() },
        };
        self.w.create_past(&episode)
    }

    fn court(&mut self, client: &Client, court_worker: &str) -> Result<(), StoreError> {
        let offset = if self.rng.gen_bool(0.15) { self.rng.gen_range(0..4) } else { -self.rng.gen_range(1..40) };
        let day = self.today + Duration::days(offset);
        let at = london(day, [10, 10, 11, 14][self.rng.gen_range(0..4)], 0);
        let future = at > self.now;
        let court = pick(&mut self.rng, COURTS);
        let noted = !future || self.rng.gen_bool(0.4);
        let hearing = Hearing {
            id: self.ids.next(),
            client_id: client.id.clone(),
            court: court.into(),
            at,
            hearing_type: pick(&mut self.rng, &["first_appearance", "bail_application", "plea", "sentence"]).into(),
            outcome: (!future)
                .then(|| pick(&mut self.rng, &["Adjourned for reports", "Bailed to next hearing", "Guilty plea entered"]).to_string()),
            next_hearing_on: (!future).then(|| day + Duration::days(self.rng.gen_range(14..42))),
            court_note: noted.then(|| "Custody record and assessment outcome shared with the court; engaging with treatment.".to_string()),
            note_recorded_at: noted.then(|| self.when_made(at - Duration::days(1))),
            made: Made { created_at: self.when_made(at - Duration::days(3)), created_by: court_worker.into() },
        };
        self.w.create_past(&hearing)?;
        if future {
            return Ok(());
        }
        let status = pick(&mut self.rng, &["conditional", "conditional", "conditional", "unconditional", "remanded"]);
        let rob = status == "conditional" && self.rng.gen_bool(0.6);
        let bail = BailDecision {
            id: self.ids.next(),
            client_id: client.id.clone(),
            hearing_id: hearing.id.clone(),
            decided_on: day,
            bail_status: status.into(),
            conditions: (status == "conditional").then(|| {
                if rob {
                    "Reside at home address; attend a drug assessment and follow-up (Restriction on Bail)."
                } else {
                    "Reside at home address; curfew 21:00 to 06:00."
                }
                .to_string()
            }),
            restriction_on_bail: rob,
            made: Made { created_at: at, created_by: court_worker.into() },
        };
        self.w.create_past(&bail)?;
        if rob {
            for n in 0..self.rng.gen_range(1..3) {
                let day = day + Duration::days(2 + 7 * n);
                let at = london(day, self.rng.gen_range(9..17), 30);
                let place = pick(&mut self.rng, PLACES);
                self.appointment(
                    client,
                    (OwnerType::RestrictionOnBail, &bail.id),
                    "Restriction on Bail appointment",
                    at,
                    place,
                    court_worker,
                )?;
            }
        }
        if self.rng.gen_bool(0.3) {
            let suitable = self.rng.gen_bool(0.6);
            self.w.create_past(&SuitabilityAssessment {
                id: self.ids.next(),
                client_id: client.id.clone(),
                hearing_id: Some(hearing.id.clone()),
                assessed_on: day,
                suitable,
                proposal: suitable.then(|| "Proposed: a 6-month DRR with weekly testing and fortnightly key work.".to_string()),
                made: Made { created_at: at, created_by: court_worker.into() },
            })?;
        }
        Ok(())
    }

    fn caution(&mut self, client: &Client, custody_worker: &str) -> Result<(), StoreError> {
        let given_on = self.today - Duration::days(self.rng.gen_range(3..60));
        let caution = ConditionalCaution {
            id: self.ids.next(),
            client_id: client.id.clone(),
            given_on,
            conditions: "Attend two appointments with the drug service within 12 weeks.".into(),
            complete_by: Some(given_on + Duration::weeks(12)),
            made: Made { created_at: london(given_on, 12, 0).min(self.now), created_by: custody_worker.into() },
        };
        self.w.create_past(&caution)?;
        for n in 0..2 {
            let at = london(given_on + Duration::days(3 + 14 * n), self.rng.gen_range(9..17), 0);
            let place = pick(&mut self.rng, PLACES);
            self.appointment(
                client,
                (OwnerType::ConditionalCaution, &caution.id),
                "Conditional caution appointment",
                at,
                place,
                custody_worker,
            )?;
        }
        Ok(())
    }

    /// Contacts every few weeks since the case opened (at most two years back), the latest
    /// within the team's four weeks for most clients; notes now and then.
    fn contacts_and_notes(&mut self, client: &Client, worker: &str) -> Result<(), StoreError> {
        let opened = crate::dates::today(client.made.created_at).max(self.today - Duration::days(730));
        let mut day =
            self.today - Duration::days(if self.rng.gen_bool(0.93) { self.rng.gen_range(0..25) } else { self.rng.gen_range(29..90) });
        while day > opened {
            let kind = pick(&mut self.rng, &["custody_cold_call", "phone", "phone", "other"]);
            let summary = match kind {
                "custody_cold_call" => "Seen in the cells; offered support, agreed to be contacted.",
                "phone" => "Phoned to check in and remind about the next appointment.",
                _ => "Met at the hub drop-in; talked about housing and prescribing.",
            };
            let at = london(day, self.rng.gen_range(8..19), 0);
            self.w.append_past(&Contact {
                id: self.ids.next(),
                client_id: client.id.clone(),
                kind: kind.into(),
                at,
                summary: summary.into(),
                made: Made { created_at: at, created_by: worker.into() },
            })?;
            day -= Duration::days(self.rng.gen_range(14..56));
        }
        if self.rng.gen_bool(0.4) {
            let at = self.now - Duration::days(self.rng.gen_range(1..90));
            let note = CaseNote {
                id: self.ids.next(),
                client_id: client.id.clone(),
                record_type: None,
                record_id: None,
                text: "Says they want to reduce use; worried about losing their tenancy.".into(),
                corrects_note_id: None,
                made: Made { created_at: at, created_by: worker.into() },
            };
            self.w.append_past(&note)?;
            if self.rng.gen_bool(0.1) {
                self.w.append_past(&CaseNote {
                    id: self.ids.next(),
                    text: "Correction: the tenancy worry is about rent arrears, not eviction.".into(),
                    corrects_note_id: Some(note.id.clone()),
                    made: Made { created_at: at + Duration::hours(1), ..note.made.clone() },
                    ..note
                })?;
            }
        }
        Ok(())
    }
}

/// Adds the pathway of `clients` to the store; `workers` are the demo team's ids in the order
/// of `DEMO_WORKERS` (custody, court, community, prison, lead).
pub fn pathway(
    store: &mut Store,
    actor: &Actor,
    seed: u64,
    clients: &[Client],
    workers: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let worker = |i: usize| workers.get(i).or_else(|| workers.first()).cloned().unwrap_or_else(|| actor.worker_id.clone());
    let (custody, court, community, lead) = (worker(0), worker(1), worker(2), worker(4));
    // The DRR has its own random stream, so adding it leaves the rest of the demo as it was.
    let mut drr_rng = StdRng::seed_from_u64(seed ^ 0xD22);
    let mut drr_ids = Ids { rng: StdRng::seed_from_u64(seed ^ 0xD23), millis: now.timestamp_millis() as u64 + 20_000_000 };
    let mut drr_clients = 0;
    store.in_bulk(|store| {
        store.write(actor, |w| {
            let mut m = Maker {
                w,
                rng: StdRng::seed_from_u64(seed ^ 0x0CA5E),
                ids: Ids { rng: StdRng::seed_from_u64(seed ^ 0x1D5), millis: now.timestamp_millis() as u64 + 10_000_000 },
                treatment: StdRng::seed_from_u64(seed ^ 0x7EA7),
                treatment_ids: Ids { rng: StdRng::seed_from_u64(seed ^ 0x7EA8), millis: now.timestamp_millis() as u64 + 30_000_000 },
                now,
                today: crate::dates::today(now),
            };
            for client in clients.iter().filter(|c| c.status == ClientStatus::Active) {
                let custody_worker = if m.rng.gen_bool(0.8) { custody.clone() } else { lead.clone() };
                let court_worker = if m.rng.gen_bool(0.8) { court.clone() } else { lead.clone() };
                // Earlier arrests over the years since registration, then (for most) a recent one.
                let known_for = (m.today - crate::dates::today(client.made.created_at)).num_days().max(1);
                // Spread over the whole time known, so a year's dashboard reads like a year's work.
                for _ in 0..m.rng.gen_range(0..4).min(known_for / 150) {
                    let day = m.today - Duration::days(m.rng.gen_range(60..=known_for.max(61)));
                    m.custody(client, &custody_worker, day)?;
                }
                if m.rng.gen_bool(0.6) {
                    let days_ago = if m.rng.gen_bool(0.25) { m.rng.gen_range(0..4) } else { m.rng.gen_range(4..240) };
                    m.custody(client, &custody_worker, m.today - Duration::days(days_ago))?;
                }
                if m.rng.gen_bool(0.3) {
                    m.court(client, &court_worker)?;
                }
                if m.rng.gen_bool(0.08) {
                    m.caution(client, &custody_worker)?;
                }
                let own = client.allocated_worker_id.clone().unwrap_or_else(|| lead.clone());
                // Some come to treatment by another route: their own referral, or their GP's.
                if m.treatment.gen_bool(0.06) {
                    let referred_on = m.today - Duration::days(m.treatment.gen_range(1..330));
                    m.referral(client, false, referred_on, &own)?;
                }
                m.contacts_and_notes(client, &own)?;
                // Today's diary: a key work session with the allocated worker.
                if m.rng.gen_bool(0.05) {
                    let at = london(m.today, m.rng.gen_range(9..17), [0, 30][m.rng.gen_range(0..2)]);
                    let place = pick(&mut m.rng, PLACES);
                    m.appointment(client, (OwnerType::General, &client.id), "Key work session", at, place, &own)?;
                }
                // One client in ten is on a DRR, each at the next point of the order in turn.
                if drr_rng.gen_bool(0.1) {
                    let point = drr_clients % super::drr::POINTS;
                    drr_clients += 1;
                    let mut next_id = || drr_ids.next();
                    super::drr::DrrMaker { w: &mut *m.w, rng: &mut drr_rng, next_id: &mut next_id, now, today: m.today }
                        .client(client, &community, point)?;
                }
            }
            super::prison::prison(m.w, seed, clients, &worker(3), now)
        })
    })
}
