//! Court: hearings, bail decisions with Restriction on Bail (Bail Act 1976 s3(6C)) and their
//! appointments, DRR suitability assessments, and the breach of bail notice when a RoB
//! appointment is missed ("will lead to breach of bail", domain.md).
pub mod notice;

use crate::appointments::{self, AppointmentView, NewAppointment, OwnerType, PathwayError};
use crate::calendar::when;
use crate::clients::family;
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems, ValidationErrors};
use crate::reference::{self, choice, Choice};
use crate::store::record::sql_bool;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const HEARING_TYPES: &[Choice] = &[
    choice("first_appearance", "First appearance"),
    choice("bail_application", "Bail application"),
    choice("plea", "Plea hearing"),
    choice("trial", "Trial"),
    choice("sentence", "Sentence"),
    choice("review", "Review"),
    choice("breach", "Breach"),
    choice("other", "Other"),
];

pub const BAIL_STATUSES: &[Choice] =
    &[choice("unconditional", "Unconditional bail"), choice("conditional", "Conditional bail"), choice("remanded", "Remanded in custody")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hearing {
    pub id: String,
    pub client_id: String,
    pub court: String,
    pub at: DateTime<Utc>,
    /// A value of [`HEARING_TYPES`].
    pub hearing_type: String,
    pub outcome: Option<String>,
    pub next_hearing_on: Option<NaiveDate>,
    /// The court report or note prepared for the hearing.
    pub court_note: Option<String>,
    pub note_recorded_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Hearing, "court_hearing", "court_hearings");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BailDecision {
    pub id: String,
    pub client_id: String,
    pub hearing_id: String,
    /// The hearing's London date.
    pub decided_on: NaiveDate,
    /// A value of [`BAIL_STATUSES`].
    pub bail_status: String,
    pub conditions: Option<String>,
    /// Bail Act 1976 s3(6C): attend an assessment and follow-up as a condition of bail.
    #[serde(with = "sql_bool")]
    pub restriction_on_bail: bool,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(BailDecision, "bail_decision", "bail_decisions");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuitabilityAssessment {
    pub id: String,
    pub client_id: String,
    pub hearing_id: Option<String>,
    pub assessed_on: NaiveDate,
    /// Suitable for a Drug Rehabilitation Requirement.
    #[serde(with = "sql_bool")]
    pub suitable: bool,
    /// The proposal to the court.
    pub proposal: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(SuitabilityAssessment, "drr_suitability_assessment", "drr_suitability_assessments");

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewHearing {
    pub court: String,
    /// London date and 24-hour time as typed.
    pub date: String,
    pub time: String,
    pub hearing_type: String,
    pub outcome: String,
    /// Optional: "23/12/2026".
    pub next_hearing_on: String,
}

/// A hearing's outcome, recorded after it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct HearingOutcome {
    pub outcome: String,
    pub next_hearing_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewBailDecision {
    pub hearing_id: String,
    pub bail_status: String,
    pub conditions: String,
    pub restriction_on_bail: bool,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewSuitability {
    /// Optional: the hearing it was prepared for.
    pub hearing_id: String,
    pub assessed_on: String,
    pub suitable: Option<bool>,
    pub proposal: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HearingView {
    pub id: String,
    pub client_id: String,
    pub court: String,
    pub at: DateTime<Utc>,
    pub date: NaiveDate,
    pub time: String,
    pub hearing_type: String,
    pub hearing_type_label: String,
    pub outcome: Option<String>,
    pub next_hearing_on: Option<NaiveDate>,
    pub court_note: Option<String>,
    pub note_recorded_at: Option<DateTime<Utc>>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BailView {
    pub id: String,
    pub client_id: String,
    pub hearing_id: String,
    pub decided_on: NaiveDate,
    pub bail_status: String,
    pub bail_status_label: String,
    pub conditions: Option<String>,
    pub restriction_on_bail: bool,
    pub rob_appointments: Vec<AppointmentView>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SuitabilityView {
    pub id: String,
    pub client_id: String,
    pub hearing_id: Option<String>,
    pub assessed_on: NaiveDate,
    pub suitable: bool,
    pub proposal: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CourtSummary {
    pub hearings: Vec<HearingView>,
    pub bail: Vec<BailView>,
    pub suitability: Vec<SuitabilityView>,
}

fn optional_date(p: &mut Problems, field: &str, typed: &str, what: &str) -> Option<Option<NaiveDate>> {
    if typed.trim().is_empty() {
        return Some(None);
    }
    match dates::parse(typed) {
        Some(d) => Some(Some(d)),
        None => {
            p.push(FieldError::new(field, ErrorCode::ValidationDateFormat, format!("Enter {what} as day/month/year, like 23/11/2026.")));
            None
        }
    }
}

fn choose(p: &mut Problems, field: &str, list: &[Choice], value: &str, what: &str) -> Option<String> {
    if reference::is_in(list, value.trim()) {
        Some(value.trim().to_string())
    } else {
        p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Choose {what} from the list.")));
        None
    }
}

pub fn get_hearing(conn: &Connection, id: &str) -> rusqlite::Result<Option<Hearing>> {
    crate::store::record::get(conn, id)
}

fn require_hearing(conn: &Connection, id: &str) -> Result<Hearing, PathwayError> {
    get_hearing(conn, id)?.ok_or(PathwayError::NotFound("No hearing with that reference is on this laptop."))
}

pub fn get_bail(conn: &Connection, id: &str) -> rusqlite::Result<Option<BailDecision>> {
    crate::store::record::get(conn, id)
}

/// Records a hearing, past or to come.
pub fn record_hearing(store: &mut Store, actor: &Actor, client_id: &str, input: &NewHearing) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let mut p = Problems::default();
    let court = p.check(text::required("court", "Court", &input.court, 200));
    let at = when::instant(&mut p, "date", "time", &input.date, &input.time, "the hearing");
    let hearing_type = choose(&mut p, "hearing_type", HEARING_TYPES, &input.hearing_type, "the type of hearing");
    let outcome = p.check(text::optional_multiline("outcome", "Outcome", &input.outcome, 2000));
    let next = optional_date(&mut p, "next_hearing_on", &input.next_hearing_on, "the next hearing date");
    if let (Some(at), Some(Some(n))) = (at, next) {
        if n <= when::london_date(at) {
            p.push(FieldError::new("next_hearing_on", ErrorCode::ValidationNextBeforeHearing, "The next hearing must be after this one."));
        }
    }
    let (court, at, hearing_type, outcome, next_hearing_on) = p.complete((court, at, hearing_type, outcome, next).all())?;
    let mut hearing = Hearing {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        court,
        at,
        hearing_type,
        outcome,
        next_hearing_on,
        court_note: None,
        note_recorded_at: None,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut hearing))?;
    Ok(hearing.id)
}

/// Records what happened at a hearing and the next date.
pub fn record_outcome(store: &mut Store, actor: &Actor, hearing_id: &str, input: &HearingOutcome) -> Result<(), PathwayError> {
    let before = require_hearing(store.reader(), hearing_id)?;
    let mut p = Problems::default();
    let outcome = p.check(text::required("outcome", "Outcome", &input.outcome.replace("\r\n", "\n").replace('\n', " "), 2000));
    let next = optional_date(&mut p, "next_hearing_on", &input.next_hearing_on, "the next hearing date");
    if before.at > store.clock().now() {
        p.push(FieldError::new(
            "outcome",
            ErrorCode::ValidationOutcomeInFuture,
            format!("This hearing is not until {}. Record the outcome once it has taken place.", when::display(before.at)),
        ));
    }
    if let Some(Some(n)) = next {
        if n <= when::london_date(before.at) {
            p.push(FieldError::new("next_hearing_on", ErrorCode::ValidationNextBeforeHearing, "The next hearing must be after this one."));
        }
    }
    let (outcome, next_hearing_on) = p.complete((outcome, next).all())?;
    let after = Hearing { outcome: Some(outcome), next_hearing_on, ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records the court report or note for a hearing (clears COURT-HEARING-SOON).
pub fn record_note(store: &mut Store, actor: &Actor, hearing_id: &str, note: &str) -> Result<(), PathwayError> {
    let before = require_hearing(store.reader(), hearing_id)?;
    let note = text::optional_multiline("court_note", "Court report or note", note, 10_000)
        .map_err(|e| ValidationErrors(vec![e]))?
        .ok_or_else(|| ValidationErrors::one("court_note", ErrorCode::ValidationRequired, "Enter the court report or note."))?;
    let after = Hearing { court_note: Some(note), note_recorded_at: Some(store.clock().now()), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records the bail decision made at a hearing.
pub fn record_bail(store: &mut Store, actor: &Actor, client_id: &str, input: &NewBailDecision) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let ids = family(store.reader(), &client.id)?;
    let mut p = Problems::default();
    let hearing = match get_hearing(store.reader(), input.hearing_id.trim())? {
        Some(h) if ids.contains(&h.client_id) => Some(h),
        _ => {
            p.push(FieldError::new("hearing_id", ErrorCode::ValidationRequired, "Choose the hearing at which bail was decided."));
            None
        }
    };
    let bail_status = choose(&mut p, "bail_status", BAIL_STATUSES, &input.bail_status, "the bail decision");
    let conditions = p.check(text::optional_multiline("conditions", "Bail conditions", &input.conditions, 2000));
    if input.restriction_on_bail && bail_status.as_deref() != Some("conditional") && bail_status.is_some() {
        p.push(FieldError::new(
            "restriction_on_bail",
            ErrorCode::ValidationRobWithoutConditionalBail,
            "Restriction on Bail is a condition of bail: choose conditional bail.",
        ));
    }
    let (hearing, bail_status, conditions) = p.complete((hearing, bail_status, conditions).all())?;
    let mut decision = BailDecision {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        hearing_id: hearing.id,
        decided_on: when::london_date(hearing.at),
        bail_status,
        conditions,
        restriction_on_bail: input.restriction_on_bail,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut decision))?;
    Ok(decision.id)
}

/// Books an appointment a Restriction on Bail requires.
pub fn book_rob_appointment(store: &mut Store, actor: &Actor, bail_id: &str, input: &NewAppointment) -> Result<String, PathwayError> {
    let bail =
        get_bail(store.reader(), bail_id)?.ok_or(PathwayError::NotFound("No bail decision with that reference is on this laptop."))?;
    if !bail.restriction_on_bail {
        return Err(PathwayError::NotAllowed("This bail decision has no Restriction on Bail, so it has no RoB appointments.".into()));
    }
    let mut p = Problems::default();
    let kind = if input.kind.trim().is_empty() { Some("Restriction on Bail appointment") } else { None };
    let booking = appointments::check_booking(&mut p, store.reader(), actor, input, kind);
    let booking = p.complete(booking)?;
    let id = crate::ids::new_id(store.clock());
    store.write(actor, |w| appointments::create(w, id.clone(), &bail.client_id, OwnerType::RestrictionOnBail, &bail.id, booking))?;
    Ok(id)
}

/// Records a DRR suitability assessment and its proposal.
pub fn record_suitability(store: &mut Store, actor: &Actor, client_id: &str, input: &NewSuitability) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let ids = family(store.reader(), &client.id)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let hearing_id = match input.hearing_id.trim() {
        "" => Some(None),
        id => match get_hearing(store.reader(), id)? {
            Some(h) if ids.contains(&h.client_id) => Some(Some(h.id)),
            _ => {
                p.push(FieldError::new("hearing_id", ErrorCode::ValidationNotInList, "Choose the hearing from the list."));
                None
            }
        },
    };
    let assessed_on = match optional_date(&mut p, "assessed_on", &input.assessed_on, "the date of the assessment") {
        Some(None) => {
            p.push(FieldError::new("assessed_on", ErrorCode::ValidationRequired, "Enter the date of the assessment."));
            None
        }
        Some(Some(d)) if d > today => {
            p.push(FieldError::new("assessed_on", ErrorCode::ValidationDateFuture, "The assessment cannot be in the future."));
            None
        }
        other => other.flatten(),
    };
    if input.suitable.is_none() {
        p.push(FieldError::new("suitable", ErrorCode::ValidationRequired, "Record whether the person is suitable for a DRR."));
    }
    let proposal = p.check(text::optional_multiline("proposal", "Proposal", &input.proposal, 10_000));
    let (Some(hearing_id), Some(assessed_on), Some(suitable), Some(proposal)) = (hearing_id, assessed_on, input.suitable, proposal) else {
        return Err(p.into_error().into());
    };
    p.finish()?;
    let mut record = SuitabilityAssessment {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        hearing_id,
        assessed_on,
        suitable,
        proposal,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut record))?;
    Ok(record.id)
}

pub fn hearings_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<Hearing>> {
    let mut list: Vec<Hearing> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by_key(|a| a.at);
    Ok(list)
}

pub fn bail_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<BailDecision>> {
    let mut list: Vec<BailDecision> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by(|a, b| a.decided_on.cmp(&b.decided_on).then(a.made.created_at.cmp(&b.made.created_at)));
    Ok(list)
}

pub fn suitability_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<SuitabilityAssessment>> {
    let mut list: Vec<SuitabilityAssessment> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by_key(|a| a.assessed_on);
    Ok(list)
}

/// A client's court record, oldest first.
pub fn for_client(conn: &Connection, client_id: &str, now: DateTime<Utc>) -> Result<CourtSummary, PathwayError> {
    let ids = family(conn, client_id)?;
    let name = |id: &str| crate::clients::worker_name(conn, id);
    let hearings = hearings_of(conn, &ids)?
        .into_iter()
        .map(|h| {
            Ok(HearingView {
                date: when::london_date(h.at),
                time: when::london_time(h.at),
                hearing_type_label: reference::label(HEARING_TYPES, &h.hearing_type),
                recorded_by: name(&h.made.created_by)?,
                id: h.id,
                client_id: h.client_id,
                court: h.court,
                at: h.at,
                hearing_type: h.hearing_type,
                outcome: h.outcome,
                next_hearing_on: h.next_hearing_on,
                court_note: h.court_note,
                note_recorded_at: h.note_recorded_at,
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    let bail = bail_of(conn, &ids)?
        .into_iter()
        .map(|b| {
            Ok(BailView {
                rob_appointments: appointments::views(conn, appointments::of_owner(conn, OwnerType::RestrictionOnBail, &b.id)?, now)?,
                bail_status_label: reference::label(BAIL_STATUSES, &b.bail_status),
                recorded_by: name(&b.made.created_by)?,
                id: b.id,
                client_id: b.client_id,
                hearing_id: b.hearing_id,
                decided_on: b.decided_on,
                bail_status: b.bail_status,
                conditions: b.conditions,
                restriction_on_bail: b.restriction_on_bail,
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    let suitability = suitability_of(conn, &ids)?
        .into_iter()
        .map(|s| {
            Ok(SuitabilityView {
                recorded_by: name(&s.made.created_by)?,
                id: s.id,
                client_id: s.client_id,
                hearing_id: s.hearing_id,
                assessed_on: s.assessed_on,
                suitable: s.suitable,
                proposal: s.proposal,
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok(CourtSummary { hearings, bail, suitability })
}
