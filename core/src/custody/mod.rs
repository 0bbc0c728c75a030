//! Custody: tests on arrest (PACE 1984 s63B), the required assessments that follow a positive
//! test (Drugs Act 2005 Part 3: initial s9, follow-up s10), conditional cautions, and the
//! evidential statement when a person fails to attend or remain (s12).
pub mod caution;
pub mod notices;
pub mod statement;

use crate::appointments::{self, opt_bool, AppointmentStatus, AppointmentView, NewAppointment, OwnerType, PathwayError};
use crate::calendar::when;
use crate::clients::family;
use crate::codes::ErrorCode;
use crate::error::{FieldError, Problems, ValidationErrors};
use crate::reference::{self, choice, Choice};
use crate::store::record::Made;
use crate::store::record::{from_row, sql_bool};
use crate::store::{Actor, Store, StoreError, Write};
use crate::text;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Trigger offences (Criminal Justice and Court Services Act 2000 Sch 6, as amended): a test on
/// arrest follows one of these, or a discretionary test on an inspector's authority.
pub const TRIGGER_OFFENCES: &[Choice] = &[
    choice("theft", "Theft"),
    choice("robbery", "Robbery"),
    choice("burglary", "Burglary"),
    choice("aggravated_burglary", "Aggravated burglary"),
    choice("taking_a_vehicle", "Taking a motor vehicle without consent"),
    choice("aggravated_vehicle_taking", "Aggravated vehicle taking"),
    choice("fraud", "Fraud or obtaining by deception"),
    choice("handling_stolen_goods", "Handling stolen goods"),
    choice("going_equipped", "Going equipped for stealing"),
    choice("begging", "Begging"),
    choice("possession_class_a", "Possession of a Class A drug"),
    choice("supply_class_a", "Supply of a Class A drug"),
];

pub const RESULTS: &[Choice] =
    &[choice("positive", "Positive"), choice("negative", "Negative"), choice("refused", "Refused"), choice("not_tested", "Not tested")];

pub const SAMPLE_TYPES: &[Choice] = &[choice("oral_fluid", "Oral fluid (saliva)"), choice("urine", "Urine")];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    Positive,
    Negative,
    /// Refusing without good cause is an offence in its own right (PACE s63B(8)).
    Refused,
    NotTested,
}

impl TestResult {
    fn parse(s: &str) -> Option<TestResult> {
        match s {
            "positive" => Some(TestResult::Positive),
            "negative" => Some(TestResult::Negative),
            "refused" => Some(TestResult::Refused),
            "not_tested" => Some(TestResult::NotTested),
            _ => None,
        }
    }
}

/// A test on arrest as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestOnArrest {
    pub id: String,
    pub client_id: String,
    pub custody_suite: String,
    pub arrested_at: DateTime<Utc>,
    /// A value of [`TRIGGER_OFFENCES`]; None for a discretionary test.
    pub trigger_offence: Option<String>,
    /// Tested on an inspector's authority rather than for a trigger offence.
    #[serde(with = "sql_bool")]
    pub discretionary: bool,
    pub tested_at: DateTime<Utc>,
    pub opiates: TestResult,
    pub cocaine: TestResult,
    /// Drugs Act 2005 s16: a disputed result may be sent for laboratory confirmation.
    #[serde(with = "sql_bool")]
    pub disputed: bool,
    #[serde(with = "sql_bool")]
    pub sent_for_confirmation: bool,
    pub sample_type: String,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(TestOnArrest, "test_on_arrest", "tests_on_arrest");

impl TestOnArrest {
    /// Positive for opiates or cocaine: an initial assessment is required (s9).
    pub fn positive(&self) -> bool {
        self.opiates == TestResult::Positive || self.cocaine == TestResult::Positive
    }

    /// "opiates and cocaine", "opiates" or "cocaine".
    pub fn positive_for(&self) -> String {
        match (self.opiates == TestResult::Positive, self.cocaine == TestResult::Positive) {
            (true, true) => "opiates and cocaine",
            (true, false) => "opiates",
            (false, true) => "cocaine",
            (false, false) => "neither opiates nor cocaine",
        }
        .into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    /// s9: after a positive test.
    Initial,
    /// s10: required at the end of the initial assessment (RA4).
    FollowUp,
}

impl AssessmentKind {
    pub fn label(self) -> &'static str {
        match self {
            AssessmentKind::Initial => "Initial required assessment",
            AssessmentKind::FollowUp => "Follow-up required assessment",
        }
    }
}

/// A required assessment as stored; its time, place and outcome are its appointment's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredAssessment {
    pub id: String,
    pub client_id: String,
    pub kind: AssessmentKind,
    /// The positive test an initial assessment follows.
    pub test_id: Option<String>,
    /// The initial assessment a follow-up follows.
    pub initial_assessment_id: Option<String>,
    pub appointment_id: String,
    /// When written notice of the appointment was given (RA1 initial, RA4 follow-up).
    pub notice_given_at: Option<DateTime<Utc>>,
    pub notice_given_by: Option<String>,
    /// Initial assessments: None until decided; Some(true) follow-up required (RA4);
    /// Some(false) the requirement ceases (RA5).
    #[serde(with = "opt_bool")]
    pub follow_up_required: Option<bool>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(RequiredAssessment, "required_assessment", "required_assessments");

/// What a custody worker types to record a test on arrest.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewTestOnArrest {
    pub custody_suite: String,
    pub arrested_date: String,
    pub arrested_time: String,
    /// A value of the trigger offence list; empty for a discretionary test.
    pub trigger_offence: String,
    pub discretionary: bool,
    pub tested_date: String,
    pub tested_time: String,
    /// "positive", "negative", "refused" or "not_tested".
    pub opiates: String,
    pub cocaine: String,
    pub disputed: bool,
    pub sent_for_confirmation: bool,
    /// "oral_fluid" or "urine".
    pub sample_type: String,
}

/// An initial assessment carried out now in custody or booked, or a follow-up booked.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewAssessment {
    /// "initial" or "follow_up".
    pub kind: String,
    /// Initial: the positive test.
    pub test_id: String,
    /// Follow-up: the initial assessment that required it.
    pub initial_assessment_id: String,
    /// Initial only: carried out now in the custody suite, attended and remained.
    pub carried_out_now: bool,
    /// The appointment, when booked.
    pub appointment: NewAppointment,
    /// When the written notice (RA1) was given, as typed; empty means now. The statement for
    /// the police quotes it, so a booking entered afterwards keeps the true time.
    pub notice_date: String,
    pub notice_time: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TestView {
    pub id: String,
    pub client_id: String,
    pub custody_suite: String,
    pub arrested_at: DateTime<Utc>,
    pub trigger_offence: Option<String>,
    pub trigger_offence_label: Option<String>,
    pub discretionary: bool,
    pub tested_at: DateTime<Utc>,
    pub opiates: TestResult,
    pub cocaine: TestResult,
    pub positive: bool,
    pub disputed: bool,
    pub sent_for_confirmation: bool,
    pub sample_type: String,
    pub sample_type_label: String,
    pub recorded_by: String,
    /// The initial assessment booked or recorded for it (not a cancelled one).
    pub initial_assessment_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AssessmentView {
    pub id: String,
    pub client_id: String,
    pub kind: AssessmentKind,
    pub kind_label: String,
    pub test_id: Option<String>,
    pub initial_assessment_id: Option<String>,
    pub appointment: AppointmentView,
    pub notice_given_at: Option<DateTime<Utc>>,
    pub notice_given_by: Option<String>,
    pub follow_up_required: Option<bool>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    /// The follow-up booked after this initial assessment.
    pub follow_up_id: Option<String>,
    /// Attended and remained, not yet decided: RA4 or RA5 can be recorded.
    pub awaiting_decision: bool,
}

/// Everything custody recorded for a client (and records merged into them).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CustodySummary {
    pub tests: Vec<TestView>,
    pub assessments: Vec<AssessmentView>,
    pub cautions: Vec<caution::CautionView>,
}

fn choose(p: &mut Problems, field: &str, list: &[Choice], value: &str, what: &str) -> Option<String> {
    match value.trim() {
        v if reference::is_in(list, v) => Some(v.to_string()),
        _ => {
            p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Choose {what} from the list.")));
            None
        }
    }
}

fn not_future(p: &mut Problems, field: &str, at: Option<DateTime<Utc>>, now: DateTime<Utc>, what: &str) -> Option<DateTime<Utc>> {
    match at {
        Some(t) if t > now => {
            p.push(FieldError::new(
                field,
                ErrorCode::ValidationTimeFuture,
                format!("The {what} cannot be in the future. Check the date and time."),
            ));
            None
        }
        other => other,
    }
}

/// Checks a test on arrest form; every problem is reported at once.
pub fn validate_test(input: &NewTestOnArrest, now: DateTime<Utc>) -> Result<TestOnArrest, ValidationErrors> {
    let mut p = Problems::default();
    let custody_suite = p.check(text::required("custody_suite", "Custody suite", &input.custody_suite, 100));
    let arrested = when::instant(&mut p, "arrested_date", "arrested_time", &input.arrested_date, &input.arrested_time, "the arrest");
    let arrested = not_future(&mut p, "arrested_date", arrested, now, "arrest");
    let tested = when::instant(&mut p, "tested_date", "tested_time", &input.tested_date, &input.tested_time, "the test");
    let tested = not_future(&mut p, "tested_date", tested, now, "test");
    if let (Some(a), Some(t)) = (arrested, tested) {
        if t < a {
            p.push(FieldError::new(
                "tested_date",
                ErrorCode::ValidationTestBeforeArrest,
                format!("The test cannot be before the arrest ({}). Check both dates and times.", when::display(a)),
            ));
        }
    }
    let trigger = input.trigger_offence.trim();
    let trigger_offence = match (trigger, input.discretionary) {
        ("", true) => Some(None),
        ("", false) => {
            p.push(FieldError::new(
                "trigger_offence",
                ErrorCode::ValidationRequired,
                "Choose the trigger offence, or record that this was a discretionary test on an inspector's authority.",
            ));
            None
        }
        (_, true) => {
            p.push(FieldError::new(
                "trigger_offence",
                ErrorCode::ValidationTriggerOrDiscretionary,
                "A discretionary test is for an offence that is not a trigger offence. Choose a trigger offence or a discretionary test, not both.",
            ));
            None
        }
        (t, false) if reference::is_in(TRIGGER_OFFENCES, t) => Some(Some(t.to_string())),
        _ => {
            p.push(FieldError::new("trigger_offence", ErrorCode::ValidationNotInList, "Choose the trigger offence from the list."));
            None
        }
    };
    let opiates = choose(&mut p, "opiates", RESULTS, &input.opiates, "the opiates result").and_then(|s| TestResult::parse(&s));
    let cocaine = choose(&mut p, "cocaine", RESULTS, &input.cocaine, "the cocaine result").and_then(|s| TestResult::parse(&s));
    let sample_type = choose(&mut p, "sample_type", SAMPLE_TYPES, &input.sample_type, "the sample type");
    let positive = opiates == Some(TestResult::Positive) || cocaine == Some(TestResult::Positive);
    if (opiates.is_some() && cocaine.is_some()) && !positive {
        for (set, field, what) in
            [(input.disputed, "disputed", "disputed"), (input.sent_for_confirmation, "sent_for_confirmation", "sent for confirmation")]
        {
            if set {
                p.push(FieldError::new(
                    field,
                    ErrorCode::ValidationConfirmationWithoutPositive,
                    format!("Only a positive result can be {what}."),
                ));
            }
        }
    }
    match (custody_suite, arrested, tested, trigger_offence, opiates, cocaine, sample_type) {
        (
            Some(custody_suite),
            Some(arrested_at),
            Some(tested_at),
            Some(trigger_offence),
            Some(opiates),
            Some(cocaine),
            Some(sample_type),
        ) if p.is_empty() => Ok(TestOnArrest {
            id: String::new(),
            client_id: String::new(),
            custody_suite,
            arrested_at,
            trigger_offence,
            discretionary: input.discretionary,
            tested_at,
            opiates,
            cocaine,
            disputed: input.disputed,
            sent_for_confirmation: input.sent_for_confirmation,
            sample_type,
            made: Made::on_write(),
        }),
        _ => Err(p.into_error()),
    }
}

/// Records a test on arrest for a client.
pub fn record_test(store: &mut Store, actor: &Actor, client_id: &str, input: &NewTestOnArrest) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let mut test = validate_test(input, store.clock().now())?;
    test.id = crate::ids::new_id(store.clock());
    test.client_id = client.id;
    store.write(actor, |w| w.append(&mut test))?;
    Ok(test.id)
}

pub fn get_test(conn: &Connection, id: &str) -> rusqlite::Result<Option<TestOnArrest>> {
    crate::store::record::get(conn, id)
}

pub fn get_assessment(conn: &Connection, id: &str) -> rusqlite::Result<Option<RequiredAssessment>> {
    crate::store::record::get(conn, id)
}

fn require_assessment(conn: &Connection, id: &str) -> Result<RequiredAssessment, PathwayError> {
    get_assessment(conn, id)?.ok_or(PathwayError::NotFound("No required assessment with that reference is on this laptop."))
}

/// The assessment whose appointment this is.
pub fn assessment_of_appointment(conn: &Connection, appointment_id: &str) -> rusqlite::Result<Option<RequiredAssessment>> {
    conn.prepare_cached("SELECT * FROM required_assessments WHERE appointment_id = ?1")?.query_row([appointment_id], from_row).optional()
}

/// An assessment that still stands: its appointment was not cancelled.
fn live(conn: &Connection, sql_where: &str, id: &str) -> rusqlite::Result<Option<String>> {
    let sql = format!(
        "SELECT r.id FROM required_assessments r JOIN appointments a ON a.id = r.appointment_id
         WHERE {sql_where} = ?1 AND a.status <> 'cancelled' ORDER BY r.created_at DESC LIMIT 1"
    );
    conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).optional()
}

/// The initial assessment booked or recorded for a test, if any.
pub fn initial_for_test(conn: &Connection, test_id: &str) -> rusqlite::Result<Option<String>> {
    live(conn, "r.test_id", test_id)
}

/// The follow-up booked after an initial assessment, if any.
pub fn follow_up_of(conn: &Connection, initial_id: &str) -> rusqlite::Result<Option<String>> {
    live(conn, "r.initial_assessment_id", initial_id)
}

fn before_initial(initial_at: DateTime<Utc>) -> FieldError {
    FieldError::new(
        "date",
        ErrorCode::ValidationFollowUpBeforeInitial,
        format!(
            "A follow-up assessment must come after the initial assessment ({}). Choose a later date and time.",
            when::display(initial_at)
        ),
    )
}

/// A follow-up must come after its initial assessment (s10 requires it at the end of the
/// initial one); used when a time is booked or varied.
pub(crate) fn check_assessment_time(conn: &Connection, assessment_id: &str, at: DateTime<Utc>) -> Result<(), FieldError> {
    let found = (|| -> rusqlite::Result<Option<DateTime<Utc>>> {
        let Some(r) = get_assessment(conn, assessment_id)? else { return Ok(None) };
        let Some(initial_id) = r.initial_assessment_id else { return Ok(None) };
        let Some(initial) = get_assessment(conn, &initial_id)? else { return Ok(None) };
        Ok(appointments::get(conn, &initial.appointment_id)?.map(|a| a.at))
    })();
    match found {
        Ok(Some(initial_at)) if at <= initial_at => Err(before_initial(initial_at)),
        Ok(_) => Ok(()),
        Err(e) => Err(FieldError::new("date", ErrorCode::StoreDatabase, format!("The initial assessment could not be read: {e}"))),
    }
}

fn new_assessment(_w: &Write<'_>, id: String, client_id: &str, kind: AssessmentKind, appointment_id: String) -> RequiredAssessment {
    RequiredAssessment {
        id,
        client_id: client_id.into(),
        kind,
        test_id: None,
        initial_assessment_id: None,
        appointment_id,
        notice_given_at: None,
        notice_given_by: None,
        follow_up_required: None,
        decided_at: None,
        decided_by: None,
        made: Made::on_write(),
    }
}

/// Books a follow-up for `initial` inside a write: notice (RA4) is given as it is booked.
fn write_follow_up(
    w: &mut Write<'_>,
    ids: (String, String),
    initial: &RequiredAssessment,
    booking: appointments::Booking,
) -> Result<(), StoreError> {
    let (assessment_id, appointment_id) = ids;
    appointments::create(w, appointment_id.clone(), &initial.client_id, OwnerType::RequiredAssessment, &assessment_id, booking)?;
    let mut r = new_assessment(w, assessment_id, &initial.client_id, AssessmentKind::FollowUp, appointment_id);
    r.initial_assessment_id = Some(initial.id.clone());
    r.notice_given_at = Some(w.now());
    r.notice_given_by = Some(w.actor().worker_id.clone());
    w.create(&mut r)
}

/// Checks a follow-up booking against its initial assessment.
fn check_follow_up(
    p: &mut Problems,
    conn: &Connection,
    actor: &Actor,
    initial: &RequiredAssessment,
    input: &NewAppointment,
) -> Result<Option<appointments::Booking>, PathwayError> {
    let booking = appointments::check_booking(p, conn, actor, input, Some(AssessmentKind::FollowUp.label()));
    let initial_at = appointments::require(conn, &initial.appointment_id)?.at;
    if let Some(b) = &booking {
        if b.at <= initial_at {
            p.push(before_initial(initial_at));
        }
    }
    Ok(booking)
}

/// Records an initial assessment (carried out now, or booked with notice given) or books a
/// follow-up required at the end of the initial one.
pub fn record_assessment(store: &mut Store, actor: &Actor, client_id: &str, input: &NewAssessment) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let conn = store.reader();
    let family = family(conn, &client.id)?;
    let now = store.clock().now();
    let mut p = Problems::default();
    let ids = (crate::ids::new_id(store.clock()), crate::ids::new_id(store.clock()));
    match input.kind.as_str() {
        "initial" => {
            let test = match get_test(conn, input.test_id.trim())? {
                Some(t) if family.contains(&t.client_id) => t,
                _ => {
                    return Err(ValidationErrors::one(
                        "test_id",
                        ErrorCode::ValidationRequired,
                        "Choose the positive test this assessment follows.",
                    )
                    .into())
                }
            };
            if !test.positive() {
                return Err(ValidationErrors::one(
                    "test_id",
                    ErrorCode::ValidationTestNotPositive,
                    "An initial assessment is required only after a positive test for opiates or cocaine.",
                )
                .into());
            }
            if initial_for_test(conn, &test.id)?.is_some() {
                return Err(PathwayError::NotAllowed("An initial assessment is already booked or recorded for this test.".into()));
            }
            // None when the typed notice time is itself wrong (its own error says why).
            let notice_at = if input.carried_out_now || (input.notice_date.trim().is_empty() && input.notice_time.trim().is_empty()) {
                Some(now)
            } else {
                match when::instant(&mut p, "notice_date", "notice_time", &input.notice_date, &input.notice_time, "the notice") {
                    Some(at) if at > now => {
                        p.push(FieldError::new(
                            "notice_date",
                            ErrorCode::ValidationNoticeInFuture,
                            "Notice cannot be given in the future.",
                        ));
                        None
                    }
                    other => other,
                }
            };
            let booking = if input.carried_out_now {
                appointments::Booking {
                    kind: AssessmentKind::Initial.label().into(),
                    at: test.tested_at,
                    place: test.custody_suite.clone(),
                    worker_id: actor.worker_id.clone(),
                }
            } else {
                match appointments::check_booking(&mut p, conn, actor, &input.appointment, Some(AssessmentKind::Initial.label())) {
                    Some(b) if notice_at.is_some_and(|n| b.at <= n) => {
                        p.push(FieldError::new(
                            "date",
                            ErrorCode::ValidationAppointmentBeforeNotice,
                            "The appointment must come after the notice was given. Check both dates and times.",
                        ));
                        return Err(p.into_error().into());
                    }
                    Some(b) if p.is_empty() => b,
                    _ => return Err(p.into_error().into()),
                }
            };
            let (assessment_id, appointment_id) = ids;
            store.write(actor, |w| -> Result<(), PathwayError> {
                let a =
                    appointments::create(w, appointment_id.clone(), &client.id, OwnerType::RequiredAssessment, &assessment_id, booking)?;
                if input.carried_out_now {
                    let done = appointments::Appointment {
                        status: AppointmentStatus::Attended,
                        remained: Some(true),
                        outcome_recorded_at: Some(now),
                        ..a.clone()
                    };
                    w.update(&a, &done)?;
                }
                let mut r = new_assessment(w, assessment_id.clone(), &client.id, AssessmentKind::Initial, appointment_id);
                r.test_id = Some(test.id.clone());
                if !input.carried_out_now {
                    r.notice_given_at = notice_at;
                    r.notice_given_by = Some(actor.worker_id.clone());
                }
                w.create(&mut r)?;
                Ok(())
            })?;
            Ok(assessment_id)
        }
        "follow_up" => {
            let initial = match get_assessment(conn, input.initial_assessment_id.trim())? {
                Some(r) if r.kind == AssessmentKind::Initial && family.contains(&r.client_id) => r,
                _ => {
                    return Err(ValidationErrors::one(
                        "initial_assessment_id",
                        ErrorCode::ValidationRequired,
                        "Choose the initial assessment that required this follow-up.",
                    )
                    .into())
                }
            };
            if input.carried_out_now {
                p.push(FieldError::new(
                    "carried_out_now",
                    ErrorCode::ValidationFollowUpNotNow,
                    "A follow-up assessment is booked for later: enter its date, time and place.",
                ));
            }
            if initial.follow_up_required != Some(true) {
                p.push(FieldError::new(
                    "initial_assessment_id",
                    ErrorCode::ValidationFollowUpNotRequired,
                    "The initial assessment did not require a follow-up. Record that decision first (RA4).",
                ));
            }
            if follow_up_of(conn, &initial.id)?.is_some() {
                return Err(PathwayError::NotAllowed("A follow-up is already booked after this initial assessment.".into()));
            }
            let booking = check_follow_up(&mut p, conn, actor, &initial, &input.appointment)?;
            let booking = p.complete(booking)?;
            let id = ids.0.clone();
            store.write(actor, |w| write_follow_up(w, ids, &initial, booking))?;
            Ok(id)
        }
        _ => Err(ValidationErrors::one("kind", ErrorCode::ValidationRequired, "Choose an initial or a follow-up assessment.").into()),
    }
}

/// At the end of an attended and completed initial assessment: a follow-up is required (RA4,
/// with its appointment booked now or later) or the requirement ceases (RA5).
pub fn decide_follow_up(
    store: &mut Store,
    actor: &Actor,
    assessment_id: &str,
    required: bool,
    booking: Option<&NewAppointment>,
) -> Result<(), PathwayError> {
    let conn = store.reader();
    let before = require_assessment(conn, assessment_id)?;
    if before.kind != AssessmentKind::Initial {
        return Err(PathwayError::NotAllowed("Only an initial assessment decides whether a follow-up is required.".into()));
    }
    if before.follow_up_required.is_some() {
        return Err(PathwayError::NotAllowed("Whether a follow-up is required has already been recorded for this assessment.".into()));
    }
    let appointment = appointments::require(conn, &before.appointment_id)?;
    if !(appointment.status == AppointmentStatus::Attended && appointment.remained == Some(true)) {
        return Err(ValidationErrors::one(
            "required",
            ErrorCode::ValidationAssessmentNotCompleted,
            "A follow-up is decided at the end of an initial assessment the person attended and remained for. Record that outcome first.",
        )
        .into());
    }
    let mut p = Problems::default();
    let follow_up = match (required, booking) {
        (true, Some(input)) => match check_follow_up(&mut p, conn, actor, &before, input)? {
            Some(b) if p.is_empty() => Some(b),
            _ => return Err(p.into_error().into()),
        },
        _ => None,
    };
    let now = store.clock().now();
    let after = RequiredAssessment {
        follow_up_required: Some(required),
        decided_at: Some(now),
        decided_by: Some(actor.worker_id.clone()),
        ..before.clone()
    };
    let ids = (crate::ids::new_id(store.clock()), crate::ids::new_id(store.clock()));
    store.write(actor, |w| -> Result<(), StoreError> {
        w.update(&before, &after)?;
        if let Some(b) = follow_up {
            write_follow_up(w, ids, &after, b)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn test_view(conn: &Connection, t: TestOnArrest) -> rusqlite::Result<TestView> {
    Ok(TestView {
        trigger_offence_label: t.trigger_offence.as_deref().map(|v| reference::label(TRIGGER_OFFENCES, v)),
        sample_type_label: reference::label(SAMPLE_TYPES, &t.sample_type),
        recorded_by: crate::clients::worker_name(conn, &t.made.created_by)?,
        initial_assessment_id: initial_for_test(conn, &t.id)?,
        positive: t.positive(),
        id: t.id,
        client_id: t.client_id,
        custody_suite: t.custody_suite,
        arrested_at: t.arrested_at,
        trigger_offence: t.trigger_offence,
        discretionary: t.discretionary,
        tested_at: t.tested_at,
        opiates: t.opiates,
        cocaine: t.cocaine,
        disputed: t.disputed,
        sent_for_confirmation: t.sent_for_confirmation,
        sample_type: t.sample_type,
    })
}

fn assessment_view(conn: &Connection, r: RequiredAssessment, now: DateTime<Utc>) -> Result<AssessmentView, PathwayError> {
    let a = appointments::require(conn, &r.appointment_id)?;
    let awaiting_decision = r.kind == AssessmentKind::Initial
        && r.follow_up_required.is_none()
        && a.status == AppointmentStatus::Attended
        && a.remained == Some(true);
    let name = |id: &Option<String>| id.as_deref().map(|w| crate::clients::worker_name(conn, w)).transpose();
    Ok(AssessmentView {
        kind_label: r.kind.label().into(),
        appointment: appointments::view(conn, a, now)?,
        notice_given_by: name(&r.notice_given_by)?,
        decided_by: name(&r.decided_by)?,
        follow_up_id: if r.kind == AssessmentKind::Initial { follow_up_of(conn, &r.id)? } else { None },
        awaiting_decision,
        id: r.id,
        client_id: r.client_id,
        kind: r.kind,
        test_id: r.test_id,
        initial_assessment_id: r.initial_assessment_id,
        notice_given_at: r.notice_given_at,
        follow_up_required: r.follow_up_required,
        decided_at: r.decided_at,
    })
}

pub fn tests_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<TestOnArrest>> {
    let mut out = crate::store::record::of_clients(conn, client_ids)?;
    out.sort_by_key(|a: &TestOnArrest| a.tested_at);
    Ok(out)
}

pub fn assessments_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<RequiredAssessment>> {
    let mut out = crate::store::record::of_clients(conn, client_ids)?;
    out.sort_by(|a: &RequiredAssessment, b| a.made.created_at.cmp(&b.made.created_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// A client's custody record: tests, assessments and cautions, oldest first.
pub fn for_client(conn: &Connection, client_id: &str, now: DateTime<Utc>) -> Result<CustodySummary, PathwayError> {
    let ids = family(conn, client_id)?;
    let tests = tests_of(conn, &ids)?.into_iter().map(|t| test_view(conn, t)).collect::<rusqlite::Result<_>>()?;
    let assessments = assessments_of(conn, &ids)?.into_iter().map(|r| assessment_view(conn, r, now)).collect::<Result<_, _>>()?;
    Ok(CustodySummary { tests, assessments, cautions: caution::of_clients(conn, &ids, now)? })
}
