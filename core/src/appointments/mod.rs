//! Appointments shared by every stage (domain.md "Appointment"): a required assessment, a
//! Restriction on Bail appointment, a conditional caution's conditions or a general one.
//! Booking, varying the time (RA2: the operation log keeps every old and new time),
//! cancelling and recording the outcome, with "remained" for assessments (RA3).
use crate::accounts::permissions::Permission;
use crate::accounts::roles::Role;
use crate::calendar::when;
use crate::clients::{self, ClientError};
use crate::codes::ErrorCode;
use crate::error::{AllGiven, Coded, FieldError, Problems, ValidationErrors};
use crate::reference::{choice, Choice};
use crate::store::hlc;
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store, StoreError, Write};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// The errors of the pathway areas (appointments, custody, court, notes): one enum because
/// they share appointments and documents, each failure with its stable code.
#[derive(Debug, thiserror::Error)]
pub enum PathwayError {
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    NotAllowed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for PathwayError {
    fn from(e: rusqlite::Error) -> Self {
        PathwayError::Store(e.into())
    }
}

impl From<serde_json::Error> for PathwayError {
    fn from(e: serde_json::Error) -> Self {
        PathwayError::Store(e.into())
    }
}

impl From<ClientError> for PathwayError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Invalid(v) => PathwayError::Invalid(v),
            ClientError::NotFound => PathwayError::NotFound("No client with that reference is on this laptop."),
            ClientError::NotAllowed(s) => PathwayError::NotAllowed(s),
            ClientError::Store(s) => PathwayError::Store(s),
        }
    }
}

impl Coded for PathwayError {
    fn code(&self) -> ErrorCode {
        match self {
            PathwayError::Invalid(v) => v.code(),
            PathwayError::NotFound(_) => ErrorCode::PathwayNotFound,
            PathwayError::NotAllowed(_) => ErrorCode::PathwayNotAllowed,
            PathwayError::Store(s) => s.code(),
        }
    }
    fn fields(&self) -> Vec<FieldError> {
        match self {
            PathwayError::Invalid(v) => v.fields(),
            _ => Vec::new(),
        }
    }
}

/// The client a new pathway record is for: must exist, and be neither merged away nor
/// anonymised (`clients::refuse_unless_changeable`).
pub(crate) fn open_client(conn: &Connection, client_id: &str) -> Result<clients::Client, PathwayError> {
    let client = clients::require(conn, client_id)?;
    clients::refuse_unless_changeable(&client)?;
    Ok(client)
}

/// SQLite keeps an optional boolean as NULL / 0 / 1.
pub(crate) mod opt_bool {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(b) => s.serialize_bool(*b),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Bool(bool),
            Int(i64),
        }
        Ok(Option::<Stored>::deserialize(d)?.map(|s| match s {
            Stored::Bool(b) => b,
            Stored::Int(i) => i != 0,
        }))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OwnerType {
    RequiredAssessment,
    RestrictionOnBail,
    ConditionalCaution,
    /// The first community appointment after a prison release, owned by the prison spell.
    Throughcare,
    General,
    /// A session of a DRR's weekly timetable (owner: the timetable slot).
    DrrTimetable,
    /// A test of a DRR's testing ledger (owner: the test).
    DrrTest,
}

impl OwnerType {
    pub fn parse(s: &str) -> Option<OwnerType> {
        match s {
            "required_assessment" => Some(OwnerType::RequiredAssessment),
            "restriction_on_bail" => Some(OwnerType::RestrictionOnBail),
            "conditional_caution" => Some(OwnerType::ConditionalCaution),
            "throughcare" => Some(OwnerType::Throughcare),
            "general" => Some(OwnerType::General),
            "drr_timetable" => Some(OwnerType::DrrTimetable),
            "drr_test" => Some(OwnerType::DrrTest),
            _ => None,
        }
    }

    /// Who may book and record these appointments: custody work belongs to custody workers,
    /// court work to court workers, a team lead may do either.
    pub fn roles(self) -> &'static [Role] {
        match self {
            OwnerType::RequiredAssessment | OwnerType::ConditionalCaution => Permission::Custody.roles(),
            OwnerType::RestrictionOnBail => Permission::Court.roles(),
            OwnerType::DrrTimetable | OwnerType::DrrTest => Permission::Drr.roles(),
            // Booked by the prison link worker; kept (or not) in the community.
            OwnerType::Throughcare => &[Role::PrisonLink, Role::Community, Role::TeamLead],
            OwnerType::General => Permission::Casework.roles(),
        }
    }

    /// The document a failure to attend (or remain) produces, and who it goes to: a required
    /// assessment's is evidence of the s12 offence for the police, a Restriction on Bail
    /// appointment's a breach of bail for the court. Other failures produce none here.
    pub fn failure_report(self) -> Option<FailureReport> {
        match self {
            OwnerType::RequiredAssessment => Some(FailureReport {
                document: FailureDocument::EvidentialStatement,
                document_label: "Evidential statement".into(),
                produce_label: "Produce the evidential statement".into(),
                reprint_label: "Reprint the statement".into(),
                reported_to: ReportedTo::Police,
                reported_label: "sent to the police".into(),
            }),
            OwnerType::RestrictionOnBail => Some(FailureReport {
                document: FailureDocument::BreachNotice,
                document_label: "Breach notice".into(),
                produce_label: "Produce the breach of bail notice".into(),
                reprint_label: "Reprint the breach notice".into(),
                reported_to: ReportedTo::Court,
                reported_label: "reported to the court".into(),
            }),
            _ => None,
        }
    }

    /// RA3: at a required assessment, attending and remaining for the whole of it are two facts.
    pub fn asks_remained(self) -> bool {
        self == OwnerType::RequiredAssessment
    }
}

/// A document produced when a person fails to attend or remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FailureDocument {
    EvidentialStatement,
    BreachNotice,
}

/// Who a failure's document is reported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportedTo {
    Police,
    Court,
}

/// What a failed appointment produces and who it goes to, in the words the record shows, so the
/// screens need not know which stage owns the appointment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FailureReport {
    pub document: FailureDocument,
    /// "Evidential statement", as in "Evidential statement produced 6 Mar 2026".
    pub document_label: String,
    pub produce_label: String,
    pub reprint_label: String,
    pub reported_to: ReportedTo,
    /// "sent to the police", as in "Mark as sent to the police".
    pub reported_label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Scheduled,
    Attended,
    DidNotAttend,
    Cancelled,
    /// Kept for records made elsewhere; Throughline varies the time in place (RA2).
    Rescheduled,
}

impl AppointmentStatus {
    pub fn label(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "Booked",
            AppointmentStatus::Attended => "Attended",
            AppointmentStatus::DidNotAttend => "Did not attend",
            AppointmentStatus::Cancelled => "Cancelled",
            AppointmentStatus::Rescheduled => "Rescheduled",
        }
    }
}

/// An appointment as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: String,
    pub client_id: String,
    pub owner_type: OwnerType,
    pub owner_id: String,
    /// What it is for, in the worker's words ("Initial required assessment").
    pub kind: String,
    pub at: DateTime<Utc>,
    pub place: String,
    pub worker_id: String,
    pub status: AppointmentStatus,
    /// Assessments only (RA3): remained for the whole assessment.
    #[serde(with = "opt_bool")]
    pub remained: Option<bool>,
    pub cancelled_by: Option<String>,
    pub outcome_recorded_at: Option<DateTime<Utc>>,
    /// When the evidential statement or breach notice was first produced.
    pub failure_document_at: Option<DateTime<Utc>>,
    /// When it was marked sent to the police or court.
    pub failure_reported_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Appointment, "appointment", "appointments");

impl Appointment {
    /// Did not attend, or (assessments) attended but did not remain: an offence for a
    /// required assessment (Drugs Act 2005 s12), a breach of bail for RoB.
    pub fn is_failure(&self) -> bool {
        self.status == AppointmentStatus::DidNotAttend || (self.status == AppointmentStatus::Attended && self.remained == Some(false))
    }

    /// "did not attend" or "attended but did not remain for the whole assessment".
    pub fn failure_words(&self) -> &'static str {
        if self.status == AppointmentStatus::DidNotAttend {
            "did not attend"
        } else {
            "attended but did not remain for the whole assessment"
        }
    }
}

/// A change of an appointment's time (RA2), from the operation log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Variation {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub varied_at: DateTime<Utc>,
    pub varied_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppointmentView {
    pub id: String,
    pub client_id: String,
    pub owner_type: OwnerType,
    pub owner_id: String,
    pub kind: String,
    pub at: DateTime<Utc>,
    /// London calendar day and 24-hour time, as the worker reads them.
    pub date: NaiveDate,
    pub time: String,
    pub place: String,
    pub worker_id: String,
    pub worker: String,
    pub status: AppointmentStatus,
    pub status_label: String,
    pub remained: Option<bool>,
    pub cancelled_by: Option<String>,
    pub outcome_recorded_at: Option<DateTime<Utc>>,
    /// Did not attend, or did not remain.
    pub failed: bool,
    /// Booked, its time has passed and no outcome is recorded yet.
    pub awaiting_outcome: bool,
    pub failure_document_at: Option<DateTime<Utc>>,
    pub failure_reported_at: Option<DateTime<Utc>>,
    pub variations: Vec<Variation>,
    /// What a failure of this appointment produces; none when it produces no document here.
    pub failure_report: Option<FailureReport>,
    /// Whether its outcome also says if the person remained (RA3).
    pub asks_remained: bool,
}

/// What a worker types to book an appointment or vary its time.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewAppointment {
    /// What it is for; filled in by Throughline for assessments and RoB.
    pub kind: String,
    /// London date as typed: "23/11/2026".
    pub date: String,
    /// 24-hour London time: "14:30".
    pub time: String,
    pub place: String,
    /// Empty: the worker booking it.
    pub worker_id: String,
}

/// The outcome of an appointment (RA3 for assessments: attended and remained are separate).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewOutcome {
    /// "attended" or "did_not_attend".
    pub outcome: String,
    /// Assessments only: remained for the whole assessment.
    pub remained: Option<bool>,
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Appointment>> {
    crate::store::record::get(conn, id)
}

pub fn require(conn: &Connection, id: &str) -> Result<Appointment, PathwayError> {
    get(conn, id)?.ok_or(PathwayError::NotFound("No appointment with that reference is on this laptop."))
}

/// A checked booking: the instant, the place and the worker.
pub(crate) struct Booking {
    pub kind: String,
    pub at: DateTime<Utc>,
    pub place: String,
    pub worker_id: String,
}

/// Checks a booking form; `kind` overrides the typed kind when Throughline names it.
pub(crate) fn check_booking(
    p: &mut Problems,
    conn: &Connection,
    actor: &Actor,
    input: &NewAppointment,
    kind: Option<&str>,
) -> Option<Booking> {
    let kind = match kind {
        Some(k) => Some(k.to_string()),
        None => p.check(text::required("kind", "What the appointment is for", &input.kind, 100)),
    };
    let at = when::instant(p, "date", "time", &input.date, &input.time, "the appointment");
    let place = p.check(text::required("place", "Place", &input.place, 200));
    let worker_id = match input.worker_id.trim() {
        "" => Some(actor.worker_id.clone()),
        id => match crate::accounts::workers::by_id(conn, id) {
            Ok(Some(w)) if w.active => Some(w.id),
            _ => {
                p.push(FieldError::new("worker_id", ErrorCode::ValidationNotInList, "Choose an active worker from the list."));
                None
            }
        },
    };
    Some(Booking { kind: kind?, at: at?, place: place?, worker_id: worker_id? })
}

/// Writes a new appointment inside an area's transaction.
pub(crate) fn create(
    w: &mut Write<'_>,
    id: String,
    client_id: &str,
    owner_type: OwnerType,
    owner_id: &str,
    booking: Booking,
) -> Result<Appointment, StoreError> {
    let mut appointment = Appointment {
        id,
        client_id: client_id.into(),
        owner_type,
        owner_id: owner_id.into(),
        kind: booking.kind,
        at: booking.at,
        place: booking.place,
        worker_id: booking.worker_id,
        status: AppointmentStatus::Scheduled,
        remained: None,
        cancelled_by: None,
        outcome_recorded_at: None,
        failure_document_at: None,
        failure_reported_at: None,
        made: Made::on_write(),
    };
    w.create(&mut appointment)?;
    Ok(appointment)
}

/// Books a general appointment with the client (not owned by a stage's record).
pub fn book_general(store: &mut Store, actor: &Actor, client_id: &str, input: &NewAppointment) -> Result<String, PathwayError> {
    let client = open_client(store.reader(), client_id)?;
    let mut p = Problems::default();
    let booking = check_booking(&mut p, store.reader(), actor, input, None);
    let booking = p.complete(booking)?;
    let id = crate::ids::new_id(store.clock());
    store.write(actor, |w| create(w, id.clone(), &client.id, OwnerType::General, &client.id, booking))?;
    Ok(id)
}

fn refuse_unless_scheduled(a: &Appointment, doing: &str) -> Result<(), PathwayError> {
    if a.status != AppointmentStatus::Scheduled {
        return Err(PathwayError::NotAllowed(format!(
            "This appointment is already {}, so it cannot be {doing}. Book a new one instead.",
            a.status.label().to_lowercase()
        )));
    }
    Ok(())
}

/// A stage's own check of a new time for one of its appointments.
pub type TimeCheck = fn(&Connection, &Appointment, DateTime<Utc>) -> Result<(), FieldError>;

/// Varies the time (and place) of a booked appointment (RA2 for assessments). The old and new
/// times stay in the operation log, shown as the appointment's variations.
/// `check` is the owning stage's own rule for the new time (a follow-up assessment must come
/// after its initial one), passed in from above so this layer imports no stage.
pub fn reschedule(
    store: &mut Store,
    actor: &Actor,
    appointment_id: &str,
    input: &NewAppointment,
    check: TimeCheck,
) -> Result<(), PathwayError> {
    let before = require(store.reader(), appointment_id)?;
    refuse_unless_scheduled(&before, "moved")?;
    let mut p = Problems::default();
    let at = when::instant(&mut p, "date", "time", &input.date, &input.time, "the appointment");
    let place = p.check(text::optional("place", "Place", &input.place, 200));
    if let Some(at) = at {
        if let Err(e) = check(store.reader(), &before, at) {
            p.push(e);
        }
    }
    let (at, place) = p.complete((at, place).all())?;
    let after = Appointment { at, place: place.unwrap_or_else(|| before.place.clone()), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Cancels a booked appointment; `cancelled_by` is "client" or "service".
pub fn cancel(store: &mut Store, actor: &Actor, appointment_id: &str, cancelled_by: &str) -> Result<(), PathwayError> {
    let before = require(store.reader(), appointment_id)?;
    refuse_unless_scheduled(&before, "cancelled")?;
    if !matches!(cancelled_by, "client" | "service") {
        return Err(ValidationErrors::one(
            "cancelled_by",
            ErrorCode::ValidationRequired,
            "Choose who cancelled: the client or the service.",
        )
        .into());
    }
    let after = Appointment {
        status: AppointmentStatus::Cancelled,
        cancelled_by: Some(cancelled_by.into()),
        outcome_recorded_at: Some(store.clock().now()),
        ..before.clone()
    };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Checks an outcome against the appointment it is for and returns the appointment with it.
pub(crate) fn check_outcome(before: &Appointment, input: &NewOutcome, now: DateTime<Utc>) -> Result<Appointment, ValidationErrors> {
    let mut p = Problems::default();
    let status = match input.outcome.as_str() {
        "attended" => Some(AppointmentStatus::Attended),
        "did_not_attend" => Some(AppointmentStatus::DidNotAttend),
        _ => {
            p.push(FieldError::new("outcome", ErrorCode::ValidationRequired, "Choose whether the person attended."));
            None
        }
    };
    if before.at > now {
        p.push(FieldError::new(
            "outcome",
            ErrorCode::ValidationOutcomeInFuture,
            format!("This appointment is not until {}. Record what happened once it has taken place.", when::display(before.at)),
        ));
    }
    let assessment = before.owner_type == OwnerType::RequiredAssessment;
    let remained = match (status, input.remained) {
        (Some(AppointmentStatus::DidNotAttend), Some(_)) => {
            p.push(FieldError::new(
                "remained",
                ErrorCode::ValidationRemainedWithoutAttended,
                "A person who did not attend cannot have remained. Record them as attended, or leave 'remained' blank.",
            ));
            None
        }
        (Some(AppointmentStatus::Attended), None) if assessment => {
            p.push(FieldError::new(
                "remained",
                ErrorCode::ValidationRequired,
                "Record whether the person remained for the whole assessment.",
            ));
            None
        }
        (_, r) if assessment => r,
        _ => None,
    };
    match status {
        Some(status) if p.is_empty() => Ok(Appointment { status, remained, outcome_recorded_at: Some(now), ..before.clone() }),
        _ => Err(p.into_error()),
    }
}

/// Records whether the person attended (and, for assessments, remained). An outcome may be
/// corrected until a statement or notice has been produced from it.
pub fn record_outcome(store: &mut Store, actor: &Actor, appointment_id: &str, input: &NewOutcome) -> Result<(), PathwayError> {
    let before = require(store.reader(), appointment_id)?;
    if matches!(before.status, AppointmentStatus::Cancelled | AppointmentStatus::Rescheduled) {
        return Err(PathwayError::NotAllowed("This appointment was cancelled, so it has no outcome.".into()));
    }
    if before.failure_document_at.is_some() {
        return Err(PathwayError::NotAllowed(
            "A statement or notice has been produced from this outcome, so it cannot be changed. Add a case note instead.".into(),
        ));
    }
    let after = check_outcome(&before, input, store.clock().now())?;
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Notes (inside a write) that a statement or notice was produced from a failed appointment:
/// the first time sets `failure_document_at`; every time is audited as a print.
pub(crate) fn document_produced(w: &mut Write<'_>, a: &Appointment, what: &str) -> Result<Appointment, StoreError> {
    let after = match a.failure_document_at {
        Some(_) => a.clone(),
        None => Appointment { failure_document_at: Some(w.now()), ..a.clone() },
    };
    w.update(a, &after)?;
    w.audit(&format!("printed {what}"), Some(&a.client_id), &a.id)?;
    Ok(after)
}

/// Refuses a document for an appointment that was kept.
pub(crate) fn require_failure(a: &Appointment, owner: OwnerType) -> Result<(), PathwayError> {
    if a.owner_type != owner {
        return Err(PathwayError::NotAllowed("That document is not produced for this kind of appointment.".into()));
    }
    if !a.is_failure() {
        return Err(PathwayError::NotAllowed(
            "No failure to attend or remain is recorded for this appointment, so there is nothing to report.".into(),
        ));
    }
    Ok(())
}

/// Marks the statement or notice as sent to the police / court: the failure's flag clears.
pub fn mark_failure_reported(store: &mut Store, actor: &Actor, appointment_id: &str) -> Result<(), PathwayError> {
    let before = require(store.reader(), appointment_id)?;
    if !before.is_failure() {
        return Err(PathwayError::NotAllowed("No failure is recorded for this appointment, so there is nothing to report.".into()));
    }
    if before.failure_document_at.is_none() {
        return Err(PathwayError::NotAllowed("Produce the document first, then mark it sent.".into()));
    }
    if before.failure_reported_at.is_some() {
        return Ok(());
    }
    let after = Appointment { failure_reported_at: Some(store.clock().now()), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Every change of an appointment's time, oldest first (RA2).
pub fn variations(conn: &Connection, appointment_id: &str) -> rusqlite::Result<Vec<Variation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, worker_id, changes FROM operations
         WHERE record_type = 'appointment' AND record_id = ?1 AND kind = 'update' ORDER BY hlc",
    )?;
    let rows: Vec<(i64, String, String)> =
        stmt.query_map([appointment_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (stamp, worker, changes) in rows {
        let Ok(Value::Object(changes)) = serde_json::from_str::<Value>(&changes) else { continue };
        let Some([from, to]) = changes.get("at").and_then(Value::as_array).map(Vec::as_slice) else { continue };
        let (Ok(from), Ok(to)) = (serde_json::from_value(from.clone()), serde_json::from_value(to.clone())) else { continue };
        out.push(Variation {
            from,
            to,
            varied_at: DateTime::from_timestamp_millis(hlc::millis(stamp)).unwrap_or_default(),
            varied_by: clients::worker_name(conn, &worker)?,
        });
    }
    Ok(out)
}

pub fn view(conn: &Connection, a: Appointment, now: DateTime<Utc>) -> rusqlite::Result<AppointmentView> {
    Ok(AppointmentView {
        date: when::london_date(a.at),
        time: when::london_time(a.at),
        worker: clients::worker_name(conn, &a.worker_id)?,
        status_label: a.status.label().into(),
        failed: a.is_failure(),
        awaiting_outcome: a.status == AppointmentStatus::Scheduled && a.at <= now,
        variations: variations(conn, &a.id)?,
        failure_report: a.owner_type.failure_report(),
        asks_remained: a.owner_type.asks_remained(),
        id: a.id,
        client_id: a.client_id,
        owner_type: a.owner_type,
        owner_id: a.owner_id,
        kind: a.kind,
        at: a.at,
        place: a.place,
        worker_id: a.worker_id,
        status: a.status,
        remained: a.remained,
        cancelled_by: a.cancelled_by,
        outcome_recorded_at: a.outcome_recorded_at,
        failure_document_at: a.failure_document_at,
        failure_reported_at: a.failure_reported_at,
    })
}

/// The appointments of one owning record, in time order.
pub fn of_owner(conn: &Connection, owner_type: OwnerType, owner_id: &str) -> rusqlite::Result<Vec<Appointment>> {
    let owner = serde_json::to_value(owner_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let mut stmt = conn.prepare_cached("SELECT * FROM appointments WHERE owner_type = ?1 AND owner_id = ?2 ORDER BY at")?;
    let rows = stmt.query_map([owner.as_str(), owner_id], from_row)?.collect();
    rows
}

pub fn views(conn: &Connection, list: Vec<Appointment>, now: DateTime<Utc>) -> rusqlite::Result<Vec<AppointmentView>> {
    list.into_iter().map(|a| view(conn, a, now)).collect()
}

/// Every appointment of the given clients (a client and those merged into it), in time order.
pub fn of_clients(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<Appointment>> {
    let mut out = crate::store::record::of_clients(conn, client_ids)?;
    out.sort_by_key(|a: &Appointment| a.at);
    Ok(out)
}

/// The general appointments of a client (those not owned by a stage's record).
pub fn general_of_client(conn: &Connection, client_id: &str, now: DateTime<Utc>) -> rusqlite::Result<Vec<AppointmentView>> {
    views(conn, of_owner(conn, OwnerType::General, client_id)?, now)
}

/// One line of a worker's day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DayAppointment {
    pub id: String,
    pub at: DateTime<Utc>,
    pub time: String,
    pub client_id: String,
    pub client_name: String,
    pub kind: String,
    pub place: String,
    pub owner_type: OwnerType,
    pub status: AppointmentStatus,
    pub status_label: String,
}

/// The London day `day` as the bounds stored instants are compared with.
fn day_bounds(day: NaiveDate) -> (String, String) {
    (when::sql(when::start_of_day(day)), when::sql(when::start_of_day(day + chrono::Duration::days(1))))
}

/// A worker's appointments on a London calendar day, in time order (cancelled ones included,
/// so the worker sees the day as it was planned): the first `limit`, or all.
pub fn of_worker_on(conn: &Connection, worker_id: &str, day: NaiveDate, limit: Option<u32>) -> rusqlite::Result<Vec<DayAppointment>> {
    let (from, to) = day_bounds(day);
    let mut stmt =
        conn.prepare_cached("SELECT * FROM appointments WHERE worker_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, id LIMIT ?4")?;
    let limit = limit.map_or(-1, i64::from);
    let list: Vec<Appointment> = stmt.query_map(rusqlite::params![worker_id, from, to, limit], from_row)?.collect::<Result<_, _>>()?;
    list.into_iter()
        .map(|a| {
            Ok(DayAppointment {
                time: when::london_time(a.at),
                status_label: a.status.label().into(),
                client_name: client_name(conn, &a.client_id)?,
                id: a.id,
                at: a.at,
                client_id: a.client_id,
                kind: a.kind,
                place: a.place,
                owner_type: a.owner_type,
                status: a.status,
            })
        })
        .collect()
}

/// How many appointments a worker has on a London day.
pub fn count_of_worker_on(conn: &Connection, worker_id: &str, day: NaiveDate) -> rusqlite::Result<u32> {
    let (from, to) = day_bounds(day);
    conn.prepare_cached("SELECT count(*) FROM appointments WHERE worker_id = ?1 AND at >= ?2 AND at < ?3")?
        .query_row([worker_id, from.as_str(), to.as_str()], |r| r.get(0))
}

/// "Forenames Surname" of a client, for lists.
pub(crate) fn client_name(conn: &Connection, client_id: &str) -> rusqlite::Result<String> {
    conn.prepare_cached("SELECT forenames || ' ' || surname FROM clients WHERE id = ?1")?
        .query_row([client_id], |r| r.get(0))
        .optional()
        .map(|n| n.unwrap_or_else(|| "a client not on this laptop".into()))
}

/// Who cancelled an appointment.
pub const CANCELLED_BY: &[Choice] = &[choice("client", "The client"), choice("service", "The service")];
