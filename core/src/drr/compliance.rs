//! Failures to comply, warnings and breach. A failure is decided acceptable (with the reason)
//! or unacceptable; an acceptable one never counts. An unacceptable failure is warned; a
//! further unacceptable failure within the warning period (12 months, a team setting,
//! beginning with the day of the warning) is a breach, and the case returns to court.
use super::{date_field, day_of, not_future, require_active, require_order, Order};
use crate::appointments::{self, OwnerType, PathwayError};
use crate::calendar::{add_months, when};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems};
use crate::reference::{self, choice, Choice};
use crate::store::record::Made;
use crate::store::record::{from_row, sql_bool};
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const COURT_DECISIONS: &[Choice] = &[
    choice("continues", "Order continues"),
    choice("amended", "Order amended"),
    choice("revoked_resentenced", "Order revoked and re-sentenced"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub id: String,
    pub client_id: String,
    pub order_id: String,
    pub occurred_on: NaiveDate,
    /// The missed timetable appointment or test, if the failure was one.
    pub appointment_id: Option<String>,
    /// What happened, in the worker's words.
    pub what: String,
    #[serde(with = "sql_bool")]
    pub acceptable: bool,
    pub reason: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Failure, "drr_failure", "drr_failures");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub id: String,
    pub client_id: String,
    pub order_id: String,
    pub failure_id: String,
    pub given_on: NaiveDate,
    /// When the warning letter was first produced.
    pub letter_produced_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Warning, "drr_warning", "drr_warnings");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breach {
    pub id: String,
    pub client_id: String,
    pub order_id: String,
    pub failure_id: String,
    /// The day the case was returned to court.
    pub returned_on: NaiveDate,
    pub court_decision: Option<String>,
    pub decided_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Breach, "drr_breach", "drr_breaches");

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewFailure {
    /// Optional: the missed timetable appointment or test.
    pub appointment_id: String,
    /// Empty: the day of the missed appointment.
    pub occurred_on: String,
    /// Empty for a missed appointment: Throughline names it.
    pub what: String,
    pub acceptable: Option<bool>,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct CourtDecision {
    pub decision: String,
    pub decided_on: String,
}

/// Where a failure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Acceptable,
    WarningDue,
    Warned,
    /// Within the warning period of an earlier warning, no breach action recorded yet.
    Breach,
    ReturnedToCourt,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Acceptable => "Acceptable: does not count",
            Standing::WarningDue => "Unacceptable: warning due",
            Standing::Warned => "Unacceptable: warning given",
            Standing::Breach => "Breach: return to court",
            Standing::ReturnedToCourt => "Breach: returned to court",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WarningView {
    pub id: String,
    pub given_on: NaiveDate,
    /// The last day of the warning period.
    pub period_ends_on: NaiveDate,
    pub letter_produced_at: Option<DateTime<Utc>>,
    pub given_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FailureView {
    pub id: String,
    pub order_id: String,
    pub occurred_on: NaiveDate,
    pub appointment_id: Option<String>,
    pub what: String,
    pub acceptable: bool,
    pub reason: Option<String>,
    pub standing: Standing,
    pub standing_label: String,
    pub warning: Option<WarningView>,
    /// For a breach: the warning whose period it fell in.
    pub breach_of_warning_on: Option<NaiveDate>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BreachView {
    pub id: String,
    pub failure_id: String,
    pub returned_on: NaiveDate,
    pub court_decision: Option<String>,
    pub court_decision_label: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

/// The last day of a warning's period: `months` calendar months beginning with the day given.
pub fn period_ends_on(given_on: NaiveDate, months: u32) -> NaiveDate {
    add_months(given_on, months).pred_opt().unwrap_or(given_on)
}

/// Whether a failure on `occurred_on` falls within the period of a warning given on `given_on`.
pub fn within_warning_period(occurred_on: NaiveDate, given_on: NaiveDate, months: u32) -> bool {
    occurred_on >= given_on && occurred_on <= period_ends_on(given_on, months)
}

pub fn get_failure(conn: &Connection, id: &str) -> rusqlite::Result<Option<Failure>> {
    crate::store::record::get(conn, id)
}

fn require_failure(conn: &Connection, id: &str) -> Result<Failure, PathwayError> {
    get_failure(conn, id)?.ok_or(PathwayError::NotFound("No failure to comply with that reference is on this laptop."))
}

pub fn get_warning(conn: &Connection, id: &str) -> rusqlite::Result<Option<Warning>> {
    crate::store::record::get(conn, id)
}

pub fn failures_of(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<Failure>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM drr_failures WHERE order_id = ?1 ORDER BY occurred_on, created_at")?;
    let rows = stmt.query_map([order_id], from_row)?.collect();
    rows
}

pub fn warnings_of(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<Warning>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM drr_warnings WHERE order_id = ?1 ORDER BY given_on, created_at")?;
    let rows = stmt.query_map([order_id], from_row)?.collect();
    rows
}

pub fn breaches_of(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<Breach>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM drr_breaches WHERE order_id = ?1 ORDER BY returned_on, created_at")?;
    let rows = stmt.query_map([order_id], from_row)?.collect();
    rows
}

/// The warning (of another failure) whose period a failure falls in, if any.
pub fn covering_warning<'a>(f: &Failure, warnings: &'a [Warning], months: u32) -> Option<&'a Warning> {
    warnings.iter().filter(|w| w.failure_id != f.id && within_warning_period(f.occurred_on, w.given_on, months)).max_by_key(|w| w.given_on)
}

pub fn standing(f: &Failure, warnings: &[Warning], breaches: &[Breach], months: u32) -> Standing {
    if f.acceptable {
        Standing::Acceptable
    } else if breaches.iter().any(|b| b.failure_id == f.id) {
        Standing::ReturnedToCourt
    } else if warnings.iter().any(|w| w.failure_id == f.id) {
        Standing::Warned
    } else if covering_warning(f, warnings, months).is_some() {
        Standing::Breach
    } else {
        Standing::WarningDue
    }
}

/// Records a failure to comply and the decision on it.
pub fn record_failure(store: &mut Store, actor: &Actor, order_id: &str, input: &NewFailure) -> Result<String, PathwayError> {
    let order = require_order(store.reader(), order_id)?;
    require_active(&order)?;
    let conn = store.reader();
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let missed = match input.appointment_id.trim() {
        "" => None,
        id => {
            let a = appointments::get(conn, id)?;
            let owned = match &a {
                Some(a) if a.owner_type == OwnerType::DrrTimetable => {
                    super::timetable::get(conn, &a.owner_id)?.is_some_and(|s| s.order_id == order.id)
                }
                Some(a) if a.owner_type == OwnerType::DrrTest => {
                    super::testing::get(conn, &a.owner_id)?.is_some_and(|t| t.order_id == order.id)
                }
                _ => false,
            };
            match a {
                Some(a) if owned && a.is_failure() => {
                    if failures_of(conn, &order.id)?.iter().any(|f| f.appointment_id.as_deref() == Some(a.id.as_str())) {
                        return Err(PathwayError::NotAllowed("A failure to comply is already recorded for this appointment.".into()));
                    }
                    Some(a)
                }
                // The failure is named from the appointment, so nothing else can be checked.
                Some(_) if owned => {
                    return Err(crate::error::ValidationErrors::one(
                        "appointment_id",
                        ErrorCode::ValidationAppointmentNotMissed,
                        "This appointment is not recorded as missed. Record its outcome first.",
                    )
                    .into())
                }
                _ => {
                    return Err(crate::error::ValidationErrors::one(
                        "appointment_id",
                        ErrorCode::ValidationNotInList,
                        "Choose a missed appointment or test of this order.",
                    )
                    .into())
                }
            }
        }
    };
    let occurred_on = match (input.occurred_on.trim(), &missed) {
        ("", Some(a)) => Some(day_of(a.at)),
        (typed, _) => date_field(&mut p, "occurred_on", typed, "the date of the failure"),
    };
    let occurred_on = not_future(&mut p, "occurred_on", occurred_on, today, "A failure to comply cannot be in the future.");
    if occurred_on.is_some_and(|d| d < order.sentenced_on) {
        p.push(FieldError::new(
            "occurred_on",
            ErrorCode::ValidationBeforeOrder,
            "A failure to comply cannot be before the order was made.",
        ));
    }
    let what = match (input.what.trim(), &missed) {
        ("", Some(a)) => Some(format!("Did not attend {} on {}", a.kind.to_lowercase(), when::display(a.at))),
        (typed, _) => p.check(text::required("what", "What happened", typed, 2000)),
    };
    let reason = p.check(text::optional_multiline("reason", "Reason", &input.reason, 2000));
    let acceptable = match input.acceptable {
        Some(a) => Some(a),
        None => {
            p.push(FieldError::new("acceptable", ErrorCode::ValidationRequired, "Decide whether the failure was acceptable."));
            None
        }
    };
    if acceptable == Some(true) && matches!(reason, Some(None)) {
        p.push(FieldError::new(
            "reason",
            ErrorCode::ValidationAcceptableWithoutReason,
            "An acceptable failure needs its reason recorded (for example a medical certificate).",
        ));
    }
    let (occurred_on, what, reason, acceptable) = p.complete((occurred_on, what, reason, acceptable).all())?;
    let mut failure = Failure {
        id: crate::ids::new_id(store.clock()),
        client_id: order.client_id.clone(),
        order_id: order.id.clone(),
        occurred_on,
        appointment_id: missed.map(|a| a.id),
        what,
        acceptable,
        reason,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut failure))?;
    Ok(failure.id)
}

/// Records a warning for an unacceptable failure (clears DRR-WARNING-DUE). A failure inside an
/// earlier warning's period is a breach, not a further warning.
pub fn give_warning(store: &mut Store, actor: &Actor, failure_id: &str, given_on: &str) -> Result<String, PathwayError> {
    let failure = require_failure(store.reader(), failure_id)?;
    let order = require_order(store.reader(), &failure.order_id)?;
    require_active(&order)?;
    let months = crate::accounts::settings::load(store.reader())?.drr_warning_months;
    let warnings = warnings_of(store.reader(), &order.id)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    if failure.acceptable {
        p.push(FieldError::new(
            "failure_id",
            ErrorCode::ValidationWarningForAcceptable,
            "This failure was decided acceptable, so it does not count and needs no warning.",
        ));
    }
    if warnings.iter().any(|w| w.failure_id == failure.id) {
        return Err(PathwayError::NotAllowed("A warning is already recorded for this failure.".into()));
    }
    if let Some(w) = covering_warning(&failure, &warnings, months) {
        p.push(FieldError::new(
            "failure_id",
            ErrorCode::ValidationBreachNotWarning,
            format!(
                "This failure is within the warning period of the warning given on {} (until {}): it is a breach. Record the return to court instead.",
                dates::display(w.given_on),
                dates::display(period_ends_on(w.given_on, months))
            ),
        ));
    }
    let day = match given_on.trim() {
        "" => Some(today),
        typed => date_field(&mut p, "given_on", typed, "the date of the warning"),
    };
    let day = not_future(&mut p, "given_on", day, today, "A warning cannot be given in the future.");
    if day.is_some_and(|d| d < failure.occurred_on) {
        p.push(FieldError::new("given_on", ErrorCode::ValidationWarningBeforeFailure, "A warning comes after the failure it is about."));
    }
    let day = p.complete(day)?;
    let mut warning = Warning {
        id: crate::ids::new_id(store.clock()),
        client_id: failure.client_id.clone(),
        order_id: order.id.clone(),
        failure_id: failure.id.clone(),
        given_on: day,
        letter_produced_at: None,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut warning))?;
    Ok(warning.id)
}

/// Records the breach action: the case returned to court (clears DRR-BREACH). Only a further
/// unacceptable failure within a warning's period is a breach.
pub fn record_breach(store: &mut Store, actor: &Actor, failure_id: &str, returned_on: &str) -> Result<String, PathwayError> {
    let conn = store.reader();
    let failure = match failure_id.trim() {
        "" => None,
        id => get_failure(conn, id)?,
    };
    let Some(failure) = failure.filter(|f| !f.acceptable) else {
        return Err(crate::error::ValidationErrors::one(
            "failure_id",
            ErrorCode::ValidationBreachWithoutFailure,
            "A breach needs an unacceptable failure to comply. Record the failure first.",
        )
        .into());
    };
    let order = require_order(conn, &failure.order_id)?;
    require_active(&order)?;
    let months = crate::accounts::settings::load(conn)?.drr_warning_months;
    let warnings = warnings_of(conn, &order.id)?;
    if breaches_of(conn, &order.id)?.iter().any(|b| b.failure_id == failure.id) {
        return Err(PathwayError::NotAllowed("The return to court is already recorded for this failure.".into()));
    }
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    if covering_warning(&failure, &warnings, months).is_none() {
        p.push(FieldError::new(
            "failure_id",
            ErrorCode::ValidationBreachWithoutWarning,
            format!(
                "A breach is a further unacceptable failure within {months} months of a warning, and no earlier warning covers this failure. Give a warning instead."
            ),
        ));
    }
    let day = match returned_on.trim() {
        "" => Some(today),
        typed => date_field(&mut p, "returned_on", typed, "the date the case was returned to court"),
    };
    let day = not_future(&mut p, "returned_on", day, today, "Record the return to court on the day it is made.");
    if day.is_some_and(|d| d < failure.occurred_on) {
        p.push(FieldError::new("returned_on", ErrorCode::ValidationReturnedBeforeFailure, "The return to court comes after the failure."));
    }
    let day = p.complete(day)?;
    let mut breach = Breach {
        id: crate::ids::new_id(store.clock()),
        client_id: failure.client_id.clone(),
        order_id: order.id.clone(),
        failure_id: failure.id.clone(),
        returned_on: day,
        court_decision: None,
        decided_on: None,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut breach))?;
    Ok(breach.id)
}

/// Records what the court decided on the breach. Revoked and re-sentenced ends the order.
pub fn record_court_decision(store: &mut Store, actor: &Actor, breach_id: &str, input: &CourtDecision) -> Result<(), PathwayError> {
    let before: Breach = store
        .reader()
        .prepare_cached("SELECT * FROM drr_breaches WHERE id = ?1")?
        .query_row([breach_id], from_row)
        .optional()?
        .ok_or(PathwayError::NotFound("No breach with that reference is on this laptop."))?;
    if before.court_decision.is_some() {
        return Err(PathwayError::NotAllowed("The court's decision on this breach is already recorded.".into()));
    }
    let order = require_order(store.reader(), &before.order_id)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let decision = if reference::is_in(COURT_DECISIONS, input.decision.trim()) {
        Some(input.decision.trim().to_string())
    } else {
        p.push(FieldError::new("decision", ErrorCode::ValidationRequired, "Choose what the court decided."));
        None
    };
    let day = date_field(&mut p, "decided_on", &input.decided_on, "the date of the court's decision");
    let day = not_future(&mut p, "decided_on", day, today, "The court's decision cannot be in the future.");
    if day.is_some_and(|d| d < before.returned_on) {
        p.push(FieldError::new(
            "decided_on",
            ErrorCode::ValidationDecidedBeforeReturn,
            "The court decides after the case is returned to it.",
        ));
    }
    let (decision, day) = p.complete((decision, day).all())?;
    let revoked = decision == "revoked_resentenced" && order.active();
    let after = Breach { court_decision: Some(decision), decided_on: Some(day), ..before.clone() };
    let ended = Order {
        status: "revoked".into(),
        ended_on: Some(day),
        end_reason: Some("Revoked and re-sentenced on breach".into()),
        ..order.clone()
    };
    let stops = super::timetable::stops_for(store.reader(), &order.id, day)?;
    store.write(actor, |w| -> Result<(), PathwayError> {
        w.update(&before, &after)?;
        if revoked {
            w.update(&order, &ended)?;
            super::timetable::apply_stops(w, stops)?;
        }
        Ok(())
    })?;
    Ok(())
}

pub fn failure_views(conn: &Connection, order: &Order, months: u32) -> rusqlite::Result<Vec<FailureView>> {
    let warnings = warnings_of(conn, &order.id)?;
    let breaches = breaches_of(conn, &order.id)?;
    failures_of(conn, &order.id)?
        .into_iter()
        .map(|f| {
            let standing = standing(&f, &warnings, &breaches, months);
            let warning = match warnings.iter().find(|w| w.failure_id == f.id) {
                Some(w) => Some(WarningView {
                    id: w.id.clone(),
                    given_on: w.given_on,
                    period_ends_on: period_ends_on(w.given_on, months),
                    letter_produced_at: w.letter_produced_at,
                    given_by: crate::clients::worker_name(conn, &w.made.created_by)?,
                }),
                None => None,
            };
            let breach_of = match standing {
                Standing::Breach | Standing::ReturnedToCourt => covering_warning(&f, &warnings, months).map(|w| w.given_on),
                _ => None,
            };
            Ok(FailureView {
                standing_label: standing.label().into(),
                recorded_by: crate::clients::worker_name(conn, &f.made.created_by)?,
                standing,
                warning,
                breach_of_warning_on: breach_of,
                id: f.id,
                order_id: f.order_id,
                occurred_on: f.occurred_on,
                appointment_id: f.appointment_id,
                what: f.what,
                acceptable: f.acceptable,
                reason: f.reason,
            })
        })
        .collect()
}

pub fn breach_views(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<BreachView>> {
    Ok(breaches_of(conn, order_id)?
        .into_iter()
        .map(|b| BreachView {
            court_decision_label: b.court_decision.as_deref().map(|d| reference::label(COURT_DECISIONS, d)),
            id: b.id,
            failure_id: b.failure_id,
            returned_on: b.returned_on,
            court_decision: b.court_decision,
            decided_on: b.decided_on,
        })
        .collect())
}
