//! Custody, court, contacts and notes, and the timeline.
use crate::state::{coded, error, reading_record, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::Reads;
use throughline_core::accounts::Session;
use throughline_core::appointments::{self, NewAppointment, NewOutcome, OwnerType};
use throughline_core::court::{self, CourtSummary, HearingOutcome, NewBailDecision, NewHearing, NewSuitability};
use throughline_core::custody::caution::{self, NewCaution};
use throughline_core::custody::{self, notices, statement, CustodySummary, NewAssessment, NewTestOnArrest};
use throughline_core::documents::Document;
use throughline_core::notes::{self, ClientNotes, NewContact, NewNote};
use throughline_core::stages::{self, PathwayLists};
use throughline_core::store::StoreError;
use throughline_core::timeline::{self, TimelineEntry};
use throughline_core::ErrorCode;
use throughline_core::ErrorPayload;

const CUSTODY: &[Role] = Permission::Custody.roles();
const COURT: &[Role] = Permission::Court.roles();

pub(crate) fn read<T, E: Into<StoreError>>(r: Result<T, E>) -> CommandResult<T> {
    r.map_err(|e| coded(e.into()))
}

fn forbidden() -> ErrorPayload {
    error(ErrorCode::AuthForbidden, "Your role does not allow this. Ask your team lead if you need it.")
}

/// Work on an existing appointment needs the roles of the stage that owns it.
fn owner_roles(s: &Session, appointment_id: &str) -> CommandResult<OwnerType> {
    let a = appointments::require(s.store().reader(), appointment_id).map_err(coded)?;
    if !s.has_any(a.owner_type.roles()) {
        return Err(forbidden());
    }
    Ok(a.owner_type)
}

#[tauri::command]
pub async fn pathway_lists() -> PathwayLists {
    stages::lists()
}

#[tauri::command]
pub async fn record_test(app: State<'_, AppState>, client_id: String, input: NewTestOnArrest) -> CommandResult<String> {
    signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        custody::record_test(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn client_custody(app: State<'_, AppState>, client_id: String) -> CommandResult<CustodySummary> {
    reading_record(&app, Permission::Casework.roles(), |s| client_custody_read(s, &client_id))
}

/// What `client_custody` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_custody_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<CustodySummary> {
    s.reads_about(client_id, "viewed custody");
    custody::for_client(s.conn(), client_id, s.now()).map_err(coded)
}

#[tauri::command]
pub async fn record_assessment(app: State<'_, AppState>, client_id: String, input: NewAssessment) -> CommandResult<String> {
    signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        custody::record_assessment(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn decide_follow_up(
    app: State<'_, AppState>,
    assessment_id: String,
    required: bool,
    booking: Option<NewAppointment>,
) -> CommandResult<()> {
    signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        custody::decide_follow_up(s.store_mut(), &actor, &assessment_id, required, booking.as_ref()).map_err(coded)
    })
}

/// Books an appointment owned by a caution, a bail decision's RoB, or a general one
/// (assessments are booked with `record_assessment`).
#[tauri::command]
pub async fn book_appointment(
    app: State<'_, AppState>,
    client_id: String,
    owner_type: String,
    owner_id: String,
    input: NewAppointment,
) -> CommandResult<String> {
    let owner =
        OwnerType::parse(&owner_type).ok_or_else(|| error(ErrorCode::ValidationNotInList, "Choose what the appointment is for."))?;
    signed_in(&app, owner.roles(), |s| {
        let actor = s.actor();
        let store = s.store_mut();
        match owner {
            OwnerType::General => appointments::book_general(store, &actor, &client_id, &input),
            OwnerType::ConditionalCaution => caution::book_appointment(store, &actor, &owner_id, &input),
            OwnerType::RestrictionOnBail => court::book_rob_appointment(store, &actor, &owner_id, &input),
            OwnerType::Throughcare => throughline_core::prison::book_first_appointment(store, &actor, &owner_id, &input),
            OwnerType::RequiredAssessment => {
                return Err(error(ErrorCode::PathwayNotAllowed, "Book a required assessment from the test on arrest."))
            }
            OwnerType::DrrTimetable | OwnerType::DrrTest => {
                return Err(error(
                    ErrorCode::PathwayNotAllowed,
                    "Book DRR sessions from the order's timetable, and tests from its testing ledger.",
                ))
            }
        }
        .map_err(coded)
    })
}

#[tauri::command]
pub async fn reschedule_appointment(app: State<'_, AppState>, appointment_id: String, input: NewAppointment) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        owner_roles(s, &appointment_id)?;
        let actor = s.actor();
        stages::reschedule(s.store_mut(), &actor, &appointment_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn cancel_appointment(app: State<'_, AppState>, appointment_id: String, cancelled_by: String) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        owner_roles(s, &appointment_id)?;
        let actor = s.actor();
        appointments::cancel(s.store_mut(), &actor, &appointment_id, &cancelled_by).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_appointment_outcome(app: State<'_, AppState>, appointment_id: String, input: NewOutcome) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        owner_roles(s, &appointment_id)?;
        let actor = s.actor();
        appointments::record_outcome(s.store_mut(), &actor, &appointment_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn produce_failure_statement(app: State<'_, AppState>, appointment_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        statement::produce(s.store_mut(), &actor, &appointment_id).map_err(coded)
    }))
}

/// The notice handed to the person of the assessment they must attend (RA1, or RA4 for a follow-up).
#[tauri::command]
pub async fn produce_assessment_notice(app: State<'_, AppState>, assessment_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        notices::requirement(s.store_mut(), &actor, &assessment_id).map_err(coded)
    }))
}

/// The notice handed to the person when their assessment's time changes (RA2).
#[tauri::command]
pub async fn produce_changed_time_notice(app: State<'_, AppState>, appointment_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        notices::changed_time(s.store_mut(), &actor, &appointment_id).map_err(coded)
    }))
}

#[tauri::command]
pub async fn produce_breach_notice(app: State<'_, AppState>, appointment_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, COURT, |s| {
        let actor = s.actor();
        court::notice::produce(s.store_mut(), &actor, &appointment_id).map_err(coded)
    }))
}

/// Marks a statement sent to the police or a breach notice reported to the court.
#[tauri::command]
pub async fn mark_failure_reported(app: State<'_, AppState>, appointment_id: String) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        owner_roles(s, &appointment_id)?;
        let actor = s.actor();
        appointments::mark_failure_reported(s.store_mut(), &actor, &appointment_id).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_caution(app: State<'_, AppState>, client_id: String, input: NewCaution) -> CommandResult<String> {
    signed_in(&app, CUSTODY, |s| {
        let actor = s.actor();
        caution::record(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_contact(app: State<'_, AppState>, client_id: String, input: NewContact) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        notes::record_contact(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn add_case_note(app: State<'_, AppState>, client_id: String, input: NewNote) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        notes::add_note(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn client_notes(app: State<'_, AppState>, client_id: String) -> CommandResult<ClientNotes> {
    reading_record(&app, Permission::Casework.roles(), |s| client_notes_read(s, &client_id))
}

/// What `client_notes` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_notes_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<ClientNotes> {
    s.reads_about(client_id, "viewed contacts and notes");
    notes::for_client(s.conn(), client_id).map_err(coded)
}

#[tauri::command]
pub async fn record_hearing(app: State<'_, AppState>, client_id: String, input: NewHearing) -> CommandResult<String> {
    signed_in(&app, COURT, |s| {
        let actor = s.actor();
        court::record_hearing(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_hearing_outcome(app: State<'_, AppState>, hearing_id: String, input: HearingOutcome) -> CommandResult<()> {
    signed_in(&app, COURT, |s| {
        let actor = s.actor();
        court::record_outcome(s.store_mut(), &actor, &hearing_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_court_note(app: State<'_, AppState>, hearing_id: String, note: String) -> CommandResult<()> {
    signed_in(&app, COURT, |s| {
        let actor = s.actor();
        court::record_note(s.store_mut(), &actor, &hearing_id, &note).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_bail(app: State<'_, AppState>, client_id: String, input: NewBailDecision) -> CommandResult<String> {
    signed_in(&app, COURT, |s| {
        let actor = s.actor();
        court::record_bail(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_suitability(app: State<'_, AppState>, client_id: String, input: NewSuitability) -> CommandResult<String> {
    signed_in(&app, COURT, |s| {
        let actor = s.actor();
        court::record_suitability(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn client_court(app: State<'_, AppState>, client_id: String) -> CommandResult<CourtSummary> {
    reading_record(&app, Permission::Casework.roles(), |s| client_court_read(s, &client_id))
}

/// What `client_court` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_court_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<CourtSummary> {
    s.reads_about(client_id, "viewed court");
    court::for_client(s.conn(), client_id, s.now()).map_err(coded)
}

#[tauri::command]
pub async fn client_timeline(app: State<'_, AppState>, client_id: String) -> CommandResult<Vec<TimelineEntry>> {
    reading_record(&app, Permission::Casework.roles(), |s| client_timeline_read(s, &client_id))
}

/// What `client_timeline` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_timeline_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<Vec<TimelineEntry>> {
    s.reads_about(client_id, "viewed the timeline");
    read(timeline::for_client(s.conn(), client_id))
}
