//! The demo's prison work: about one active client in sixteen has a prison spell, each at one
//! point of the stage in turn (in prison, release due with and without a plan, release date
//! passed unrecorded, released without treatment, in treatment within and after 21 days, a
//! release cancelled by further remand), so coming releases, Today and every PRISON rule have
//! someone. Its own random stream, so the rest of the demo is unchanged. Reproducible from the seed.
use super::seeded::{london, Ids};
use crate::appointments::{Appointment, AppointmentStatus, OwnerType};
use crate::clients::{Client, ClientStatus};
use crate::prison::treatment::TreatmentEpisode;
use crate::prison::{PrisonSpell, ThroughcarePlan, FIRST_APPOINTMENT};
use crate::store::record::Made;
use crate::store::{StoreError, Write};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const PRISONS: &[&str] = &["HMP Westbridge", "HMP Eastgate", "HMP Highfield"];
const SERVICES: &[&str] = &["Westbridge Recovery Hub", "Eastgate Drug Service"];

/// The points of the stage, in the order clients are given them.
#[derive(Clone, Copy, PartialEq)]
enum Point {
    InPrison,
    ReleaseDueNoPlan,
    ReleaseDueReady,
    ReleaseUnconfirmed,
    ReleasedNoTreatmentYet,
    ReleasedNoTreatmentUrgent,
    TreatmentWithin21,
    TreatmentAfter21,
    NoTreatmentBy21,
    ReleaseCancelled,
}

const POINTS: [Point; 10] = [
    Point::ReleaseDueNoPlan,
    Point::ReleasedNoTreatmentYet,
    Point::TreatmentWithin21,
    Point::InPrison,
    Point::ReleaseUnconfirmed,
    Point::ReleaseDueReady,
    Point::TreatmentAfter21,
    Point::ReleasedNoTreatmentUrgent,
    Point::NoTreatmentBy21,
    Point::ReleaseCancelled,
];

struct Maker<'a, 'w> {
    w: &'a mut Write<'w>,
    rng: StdRng,
    ids: Ids,
    worker: String,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Maker<'_, '_> {
    fn made(&self, day: NaiveDate) -> DateTime<Utc> {
        london(day, 11, 0).min(self.now)
    }

    fn spell(&mut self, client: &Client, point: Point) -> Result<(), StoreError> {
        let r = &mut self.rng;
        let (expected, released) = match point {
            Point::InPrison => (Some(self.today + Duration::days(r.gen_range(30..120))), None),
            Point::ReleaseDueNoPlan => (Some(self.today + Duration::days(r.gen_range(0..13))), None),
            Point::ReleaseDueReady => (Some(self.today + Duration::days(r.gen_range(1..7))), None),
            Point::ReleaseUnconfirmed => (Some(self.today - Duration::days(r.gen_range(1..5))), None),
            Point::ReleaseCancelled => (None, None),
            Point::ReleasedNoTreatmentYet => (None, Some(self.today - Duration::days(r.gen_range(1..13)))),
            Point::ReleasedNoTreatmentUrgent => (None, Some(self.today - Duration::days(r.gen_range(14..21)))),
            Point::TreatmentWithin21 => (None, Some(self.today - Duration::days(r.gen_range(10..60)))),
            Point::TreatmentAfter21 => (None, Some(self.today - Duration::days(r.gen_range(40..90)))),
            Point::NoTreatmentBy21 => (None, Some(self.today - Duration::days(r.gen_range(25..60)))),
        };
        let received = released.or(expected).unwrap_or(self.today) - Duration::days(r.gen_range(60..400));
        let received = received.min(self.today - Duration::days(7));
        let prison = PRISONS[r.gen_range(0..PRISONS.len())];
        let spell = PrisonSpell {
            id: self.ids.next(),
            client_id: client.id.clone(),
            prison: prison.into(),
            received_on: received,
            custody_type: if point == Point::ReleaseCancelled { "remanded" } else { "sentenced" }.into(),
            expected_release_on: expected.or(released),
            licence_end_on: expected.or(released).map(|d| d + Duration::days(182)),
            in_prison_treatment: r.gen_bool(0.6).then(|| "Methadone maintenance; psychosocial group work".to_string()),
            released_on: released,
            seen_at_gate: released.map(|_| r.gen_bool(0.7)),
            release_recorded_at: released.map(|d| london(d, 15, 0).min(self.now)),
            release_cancelled_on: (point == Point::ReleaseCancelled).then(|| self.today - Duration::days(3)),
            release_cancelled_reason: (point == Point::ReleaseCancelled).then(|| "Further remanded on new charges.".to_string()),
            made: Made { created_at: self.made(received + Duration::days(2)), created_by: self.worker.clone() },
        };
        self.w.create_past(&spell)?;
        let planned = !matches!(point, Point::InPrison | Point::ReleaseDueNoPlan | Point::ReleaseUnconfirmed | Point::ReleaseCancelled);
        if !planned {
            return Ok(());
        }
        let release_day = released.or(expected).unwrap_or(self.today);
        self.w.create_past(&ThroughcarePlan {
            id: self.ids.next(),
            client_id: client.id.clone(),
            spell_id: spell.id.clone(),
            accommodation: if self.rng.gen_bool(0.2) {
                "No fixed abode; housing referral made".into()
            } else {
                "Approved premises, Mill Street".into()
            },
            prescribing: if self.rng.gen_bool(0.85) { "bridging_arranged" } else { "not_arranged" }.into(),
            prescribing_detail: Some("Bridging script to the first community appointment".into()),
            naloxone_supplied: self.rng.gen_bool(0.8),
            gate_contact: self.rng.gen_bool(0.7).then(|| "Siobhan Reilly (prison link worker)".to_string()),
            made: Made { created_at: self.made(release_day - Duration::days(10)), created_by: self.worker.clone() },
        })?;
        let first_day = release_day + Duration::days(1);
        let at = london(first_day, 10, 0);
        let kept = first_day < self.today;
        let attended = kept && point != Point::NoTreatmentBy21;
        self.w.create_past(&Appointment {
            id: self.ids.next(),
            client_id: client.id.clone(),
            owner_type: OwnerType::Throughcare,
            owner_id: spell.id.clone(),
            kind: FIRST_APPOINTMENT.into(),
            at,
            place: SERVICES[self.rng.gen_range(0..SERVICES.len())].into(),
            worker_id: self.worker.clone(),
            status: match (kept, attended) {
                (false, _) => AppointmentStatus::Scheduled,
                (true, true) => AppointmentStatus::Attended,
                (true, false) => AppointmentStatus::DidNotAttend,
            },
            remained: None,
            cancelled_by: None,
            outcome_recorded_at: kept.then(|| (at + Duration::hours(2)).min(self.now)),
            failure_document_at: None,
            failure_reported_at: None,
            made: Made { created_at: self.made(release_day - Duration::days(10)), created_by: self.worker.clone() },
        })?;
        let start = match point {
            Point::TreatmentWithin21 => Some(release_day + Duration::days(self.rng.gen_range(1..21))),
            Point::TreatmentAfter21 => Some(release_day + Duration::days(self.rng.gen_range(23..35))),
            _ => None,
        };
        if start.is_some() || matches!(point, Point::ReleasedNoTreatmentYet | Point::ReleasedNoTreatmentUrgent) {
            let referred = release_day - Duration::days(self.rng.gen_range(3..14));
            self.w.create_past(&TreatmentEpisode {
                id: self.ids.next(),
                client_id: client.id.clone(),
                service: SERVICES[self.rng.gen_range(0..SERVICES.len())].into(),
                criminal_justice: true,
                referred_on: referred,
                assessed_on: start.map(|s| s - Duration::days(1)).or(Some(release_day + Duration::days(1))).filter(|d| *d <= self.today),
                treatment_started_on: start,
                modality: start.map(|_| "prescribing".to_string()),
                discharged_on: None,
                discharge_reason: None,
                made: Made { created_at: self.made(referred), created_by: self.worker.clone() },
            })?;
        }
        Ok(())
    }
}

/// Adds prison spells to about one active client in sixteen, inside the demo's write.
pub(super) fn prison(w: &mut Write<'_>, seed: u64, clients: &[Client], worker: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut m = Maker {
        w,
        rng: StdRng::seed_from_u64(seed ^ 0x0098_150E),
        ids: Ids { rng: StdRng::seed_from_u64(seed ^ 0x9A7E), millis: now.timestamp_millis() as u64 + 20_000_000 },
        worker: worker.to_string(),
        now,
        today: crate::dates::today(now),
    };
    let mut n = 0;
    for client in clients.iter().filter(|c| c.status == ClientStatus::Active) {
        if !m.rng.gen_bool(1.0 / 16.0) {
            continue;
        }
        m.spell(client, POINTS[n % POINTS.len()])?;
        n += 1;
    }
    Ok(())
}
