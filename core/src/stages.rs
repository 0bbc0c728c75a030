//! What needs every stage, so it sits above them all: the forms' fixed lists assembled from
//! each area's own lists, and each stage's own check when the shared appointment code varies
//! a time. No stage imports another; this is the one place that knows them all.
use crate::appointments::{self, Appointment, NewAppointment, OwnerType, PathwayError};
use crate::error::FieldError;
use crate::reference::Choice;
use crate::store::{Actor, Store};
use crate::{court, custody, notes, timeline};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// The fixed lists the custody, court and contact forms choose from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PathwayLists {
    pub trigger_offences: Vec<Choice>,
    pub test_results: Vec<Choice>,
    pub sample_types: Vec<Choice>,
    pub hearing_types: Vec<Choice>,
    pub bail_statuses: Vec<Choice>,
    pub contact_kinds: Vec<Choice>,
    pub cancelled_by: Vec<Choice>,
    /// The stages a timeline is filtered by.
    pub timeline_stages: Vec<Choice>,
}

pub fn lists() -> PathwayLists {
    PathwayLists {
        trigger_offences: custody::TRIGGER_OFFENCES.to_vec(),
        test_results: custody::RESULTS.to_vec(),
        sample_types: custody::SAMPLE_TYPES.to_vec(),
        hearing_types: court::HEARING_TYPES.to_vec(),
        bail_statuses: court::BAIL_STATUSES.to_vec(),
        contact_kinds: notes::CONTACT_KINDS.to_vec(),
        cancelled_by: appointments::CANCELLED_BY.to_vec(),
        timeline_stages: timeline::STAGES.to_vec(),
    }
}

/// The owning stage's rule for a new appointment time.
fn time_check(conn: &Connection, a: &Appointment, at: DateTime<Utc>) -> Result<(), FieldError> {
    match a.owner_type {
        OwnerType::RequiredAssessment => custody::check_assessment_time(conn, &a.owner_id, at),
        _ => Ok(()),
    }
}

/// Varies the time (and place) of any booked appointment, with its stage's own check (RA2 for
/// assessments).
pub fn reschedule(store: &mut Store, actor: &Actor, appointment_id: &str, input: &NewAppointment) -> Result<(), PathwayError> {
    appointments::reschedule(store, actor, appointment_id, input, time_check)
}
