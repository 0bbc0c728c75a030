//! Demo DRR clients at every point of the order: newly made, testing (one test with no result),
//! a failure awaiting its warning, warned, in breach, returned to court, a review within the
//! week with no report, ending with no exit plan, completed and revoked. Each has a weekly
//! timetable around today, so the community worker's Today has DRR sessions. Reproducible
//! from the seed; a handful of records per client.
use super::seeded::london;
use crate::appointments::{Appointment, AppointmentStatus, OwnerType};
use crate::calendar::add_months;
use crate::clients::Client;
use crate::drr::compliance::{Breach, Failure, Warning};
use crate::drr::reviews::Review;
use crate::drr::testing::DrrTest;
use crate::drr::timetable::Slot;
use crate::drr::Order;
use crate::store::record::Made;
use crate::store::{StoreError, Write};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::Rng;

/// The points of an order the demo shows, one per DRR client in turn.
pub const POINTS: usize = 10;

const PROVIDERS: &[&str] = &["Westbridge Recovery Service", "Eastgate Drug Service"];
const OFFICERS: &[&str] = &["Sam Patel (Probation)", "Alex Morgan (Probation)"];
const PLACE: &str = "Westbridge Recovery Hub";
const COURT: &str = "Westbridge Magistrates' Court";

pub(super) struct DrrMaker<'a, 'w> {
    pub w: &'a mut Write<'w>,
    pub rng: &'a mut StdRng,
    pub next_id: &'a mut dyn FnMut() -> String,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

impl DrrMaker<'_, '_> {
    fn made(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at.min(self.now)
    }

    fn appointment(
        &mut self,
        client: &Client,
        owner: (OwnerType, &str),
        kind: &str,
        at: DateTime<Utc>,
        worker: &str,
        status: AppointmentStatus,
    ) -> Result<Appointment, StoreError> {
        let a = Appointment {
            id: (self.next_id)(),
            client_id: client.id.clone(),
            owner_type: owner.0,
            owner_id: owner.1.into(),
            kind: kind.into(),
            at,
            place: PLACE.into(),
            worker_id: worker.into(),
            status,
            remained: None,
            cancelled_by: None,
            outcome_recorded_at: (status != AppointmentStatus::Scheduled).then(|| self.made(at + Duration::hours(2))),
            failure_document_at: None,
            failure_reported_at: None,
            made: Made { created_at: self.made(at - Duration::days(14)), created_by: worker.into() },
        };
        self.w.create_past(&a)?;
        Ok(a)
    }

    fn failure(&mut self, order: &Order, on: NaiveDate, what: &str, worker: &str) -> Result<Failure, StoreError> {
        let f = Failure {
            id: (self.next_id)(),
            client_id: order.client_id.clone(),
            order_id: order.id.clone(),
            occurred_on: on,
            appointment_id: None,
            what: what.into(),
            acceptable: false,
            reason: None,
            made: Made { created_at: self.made(london(on, 16, 0)), created_by: worker.into() },
        };
        self.w.create_past(&f)?;
        Ok(f)
    }

    fn warning(&mut self, f: &Failure, on: NaiveDate, worker: &str) -> Result<(), StoreError> {
        let at = self.made(london(on, 12, 0));
        self.w.create_past(&Warning {
            id: (self.next_id)(),
            client_id: f.client_id.clone(),
            order_id: f.order_id.clone(),
            failure_id: f.id.clone(),
            given_on: on,
            letter_produced_at: Some(at),
            made: Made { created_at: at, created_by: worker.into() },
        })
    }

    fn review(&mut self, order: &Order, on: NaiveDate, held: bool, reported: bool, worker: &str) -> Result<(), StoreError> {
        let before = self.made(london(on, 9, 0) - Duration::days(3));
        self.w.create_past(&Review {
            id: (self.next_id)(),
            client_id: order.client_id.clone(),
            order_id: order.id.clone(),
            review_on: on,
            court: COURT.into(),
            provider_views: reported.then(|| "Attending key work; test results improving.".to_string()),
            report_produced_at: reported.then_some(before),
            outcome: held.then(|| "Progress noted; order continues.".to_string()),
            outcome_recorded_at: held.then(|| self.made(london(on, 15, 0))),
            made: Made { created_at: before, created_by: worker.into() },
        })
    }

    /// One DRR client at `point` (0..POINTS) of an order.
    pub fn client(&mut self, client: &Client, worker: &str, point: usize) -> Result<(), StoreError> {
        let today = self.today;
        // How long ago the order was made, and its length, for each point.
        let (ago_days, months): (i64, u32) = match point {
            0 => (3, 12),
            7 => (0, 6),
            8 => (400, 12),
            4 | 5 | 9 => (130, 18),
            _ => (self.rng.gen_range(40..90), 12),
        };
        let sentenced_on = if point == 7 {
            // Ends in 10 days: DRR-ENDING.
            let ends = today + Duration::days(10);
            NaiveDate::from_ymd_opt(ends.year(), ends.month(), ends.day())
                .and_then(|d| d.checked_sub_months(chrono::Months::new(6)))
                .unwrap_or(ends)
        } else {
            today - Duration::days(ago_days)
        };
        let treatment = if months > 12 && self.rng.gen_bool(0.5) { 12 } else { months };
        let reviews = months > 12 || point == 6 || self.rng.gen_bool(0.5);
        let ended = matches!(point, 8 | 9);
        let made_at = self.made(london(sentenced_on, 15, 0));
        let order = Order {
            id: (self.next_id)(),
            client_id: client.id.clone(),
            court: COURT.into(),
            sentenced_on,
            order_months: months,
            treatment_months: treatment,
            ends_on: add_months(sentenced_on, months),
            treatment_ends_on: add_months(sentenced_on, treatment),
            reviews,
            review_interval_months: reviews.then_some(1),
            responsible_officer: OFFICERS[self.rng.gen_range(0..OFFICERS.len())].into(),
            treatment_provider: PROVIDERS[self.rng.gen_range(0..PROVIDERS.len())].into(),
            residential: false,
            exit_plan: (point == 8).then(|| "Continue treatment with the recovery service; GP prescribing arranged.".to_string()),
            exit_plan_recorded_at: (point == 8).then_some(made_at),
            status: match point {
                8 => "completed",
                9 => "revoked",
                _ => "active",
            }
            .into(),
            ended_on: match point {
                8 => Some(add_months(sentenced_on, months)),
                9 => Some(today - Duration::days(5)),
                _ => None,
            },
            end_reason: match point {
                8 => Some("Order completed".to_string()),
                9 => Some("Revoked and re-sentenced on breach".to_string()),
                _ => None,
            },
            made: Made { created_at: made_at, created_by: worker.into() },
        };
        self.w.create_past(&order)?;
        let last_day = order.ended_on.unwrap_or(order.ends_on);

        // The weekly timetable: sessions from the order (at most six weeks back) to four weeks ahead.
        let weekday = if self.rng.gen_bool(0.3) { today.weekday().number_from_monday() } else { self.rng.gen_range(1..6) };
        let hour = [10, 11, 14][self.rng.gen_range(0..3)];
        let slot = Slot {
            id: (self.next_id)(),
            client_id: client.id.clone(),
            order_id: order.id.clone(),
            weekday,
            time: format!("{hour:02}:00"),
            kind: "Key work".into(),
            place: PLACE.into(),
            worker_id: worker.into(),
            starts_on: sentenced_on,
            ended_on: ended.then_some(last_day),
            made: Made { created_at: made_at, created_by: worker.into() },
        };
        self.w.create_past(&slot)?;
        let mut day = (today - Duration::weeks(6)).max(sentenced_on);
        let until = (today + Duration::weeks(4)).min(last_day);
        while day.weekday().number_from_monday() != weekday {
            day += Duration::days(1);
        }
        while day <= until {
            let at = london(day, hour, 0);
            let status = if at > self.now - Duration::hours(2) {
                AppointmentStatus::Scheduled
            } else if self.rng.gen_bool(0.12) {
                AppointmentStatus::DidNotAttend
            } else {
                AppointmentStatus::Attended
            };
            self.appointment(client, (OwnerType::DrrTimetable, &slot.id), "Key work", at, worker, status)?;
            day += Duration::weeks(1);
        }

        // The testing ledger: a test a fortnight, results recorded; one with no result at point 1.
        let mut test_day = (today - Duration::weeks(6)).max(sentenced_on) + Duration::days(1);
        while test_day < today.min(last_day) {
            let missing = point == 1 && test_day + Duration::days(14) >= today;
            let at = london(test_day, 9, 30);
            let test_id = (self.next_id)();
            let status = if missing { AppointmentStatus::Scheduled } else { AppointmentStatus::Attended };
            let a = self.appointment(client, (OwnerType::DrrTest, &test_id), "Drug test", at, worker, status)?;
            let positive = self.rng.gen_bool(0.3);
            let result = |p: bool| Some(if p { "positive" } else { "negative" }.to_string());
            self.w.create_past(&DrrTest {
                id: test_id,
                client_id: client.id.clone(),
                order_id: order.id.clone(),
                appointment_id: a.id,
                sample_type: "oral_fluid".into(),
                taken_on: (!missing).then_some(test_day),
                opiates: if missing { None } else { result(positive) },
                cocaine: if missing { None } else { result(false) },
                benzodiazepines: (!missing).then(|| "not_tested".to_string()),
                methadone: (!missing).then(|| "not_tested".to_string()),
                cannabis: if missing { None } else { result(self.rng.gen_bool(0.2)) },
                missed_reason: None,
                recorded_at: (!missing).then(|| self.made(at + Duration::hours(3))),
                made: Made { created_at: self.made(at - Duration::days(7)), created_by: worker.into() },
            })?;
            test_day += Duration::weeks(2);
        }

        // Failures, warnings and breach.
        match point {
            2 => {
                self.failure(&order, today - Duration::days(5), "Did not attend key work; no reason given", worker)?;
            }
            3 => {
                let f = self.failure(&order, today - Duration::days(30), "Did not attend key work; no reason given", worker)?;
                self.warning(&f, today - Duration::days(28), worker)?;
            }
            4 | 5 | 9 => {
                let f = self.failure(&order, today - Duration::days(100), "Did not attend group; no reason given", worker)?;
                self.warning(&f, today - Duration::days(98), worker)?;
                let second = self.failure(&order, today - Duration::days(12), "Did not attend a drug test; no reason given", worker)?;
                if point != 4 {
                    let returned_on = today - Duration::days(10);
                    let decided = point == 9;
                    self.w.create_past(&Breach {
                        id: (self.next_id)(),
                        client_id: client.id.clone(),
                        order_id: order.id.clone(),
                        failure_id: second.id,
                        returned_on,
                        court_decision: decided.then(|| "revoked_resentenced".to_string()),
                        decided_on: decided.then(|| today - Duration::days(5)),
                        made: Made { created_at: self.made(london(returned_on, 12, 0)), created_by: worker.into() },
                    })?;
                }
            }
            _ => {}
        }

        // Reviews every month: those past are held with their report; the next is due.
        if reviews {
            let mut on = add_months(sentenced_on, 1);
            while on < today.min(last_day) {
                self.review(&order, on, true, true, worker)?;
                on = add_months(on, 1);
            }
            if !ended {
                let next = if point == 6 { today + Duration::days(3) } else { on.max(today + Duration::days(10)) };
                if next <= order.ends_on {
                    self.review(&order, next, false, false, worker)?;
                }
            }
        }
        Ok(())
    }
}
