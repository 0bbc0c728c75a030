//! What the glance reads of a person, once, through each stage's own queries: the stored
//! records, not their screens' views, so a glance costs a few indexed reads.
use crate::appointments::{self, Appointment, AppointmentStatus, PathwayError};
use crate::calendar::when;
use crate::clients::{self, Client};
use crate::court::{self, BailDecision, Hearing};
use crate::custody::{self, RequiredAssessment, TestOnArrest};
use crate::drr::reviews::{self, Review};
use crate::drr::{self, Order};
use crate::prison::treatment::{self, TreatmentEpisode};
use crate::prison::{self, PrisonSpell};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

pub struct Facts {
    pub client: Client,
    /// The person and any records merged into them.
    pub family: Vec<String>,
    pub now: DateTime<Utc>,
    /// Today in London.
    pub today: NaiveDate,
    /// Oldest first, as each stage lists them.
    pub tests: Vec<TestOnArrest>,
    /// Required assessments still booked, with their appointment, oldest first.
    pub assessments_booked: Vec<(RequiredAssessment, Appointment)>,
    pub hearings: Vec<Hearing>,
    pub bail: Vec<BailDecision>,
    pub orders: Vec<Order>,
    /// The next review hearing of each active order that has one to come.
    pub next_reviews: Vec<Review>,
    pub spells: Vec<PrisonSpell>,
    pub episodes: Vec<TreatmentEpisode>,
}

impl Facts {
    pub fn read(conn: &Connection, client_id: &str, now: DateTime<Utc>) -> Result<Facts, PathwayError> {
        let client = clients::require(conn, client_id)?;
        let family = clients::family(conn, client_id)?;
        let today = when::london_date(now);
        let orders = drr::orders_of(conn, &family)?;
        Ok(Facts {
            tests: custody::tests_of(conn, &family)?,
            assessments_booked: booked_assessments(conn, &family)?,
            hearings: court::hearings_of(conn, &family)?,
            bail: court::bail_of(conn, &family)?,
            next_reviews: next_reviews(conn, &orders, today)?,
            orders,
            spells: prison::spells_of(conn, &family)?,
            episodes: treatment::episodes_of(conn, &family)?,
            client,
            family,
            now,
            today,
        })
    }

    /// The latest bail decision.
    pub fn latest_bail(&self) -> Option<&BailDecision> {
        self.bail.last()
    }

    /// The latest prison spell, by reception.
    pub fn latest_spell(&self) -> Option<&PrisonSpell> {
        self.spells.iter().max_by_key(|s| (s.received_on, s.made.created_at))
    }

    /// The newest order, by sentence date.
    pub fn latest_order(&self) -> Option<&Order> {
        self.orders.iter().max_by_key(|o| (o.sentenced_on, o.made.created_at))
    }

    /// The latest required assessment still booked for today or later. One whose time has
    /// passed with no outcome is the APPT-NO-OUTCOME flag's business, not where the person is.
    pub fn assessment_to_come(&self) -> Option<&(RequiredAssessment, Appointment)> {
        self.assessments_booked.iter().rev().find(|(_, a)| when::london_date(a.at) >= self.today)
    }

    /// The next hearing a court has set: a hearing still to come, or the next date an earlier
    /// one gave.
    pub fn next_hearing_on(&self) -> Option<NaiveDate> {
        let listed = self.hearings.iter().filter(|h| h.at >= self.now).map(|h| when::london_date(h.at));
        let adjourned_to = self.hearings.iter().filter_map(|h| h.next_hearing_on).filter(|d| *d >= self.today);
        listed.chain(adjourned_to).min()
    }
}

fn booked_assessments(conn: &Connection, family: &[String]) -> rusqlite::Result<Vec<(RequiredAssessment, Appointment)>> {
    let mut out = Vec::new();
    for r in custody::assessments_of(conn, family)? {
        if let Some(a) = appointments::get(conn, &r.appointment_id)? {
            if a.status == AppointmentStatus::Scheduled {
                out.push((r, a));
            }
        }
    }
    Ok(out)
}

fn next_reviews(conn: &Connection, orders: &[Order], today: NaiveDate) -> rusqlite::Result<Vec<Review>> {
    let mut out = Vec::new();
    for o in orders.iter().filter(|o| o.active()) {
        let next = reviews::of_order(conn, &o.id)?.into_iter().find(|r| r.review_on >= today && r.outcome.is_none());
        out.extend(next);
    }
    Ok(out)
}
