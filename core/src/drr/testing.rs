//! The testing ledger: each test is booked as an appointment (so it is on the worker's Today),
//! then has its sample and results per substance, or is missed with the reason.
use super::{date_field, day_of, require_active, require_order};
use crate::appointments::{self, Appointment, AppointmentStatus, AppointmentView, NewAppointment, OwnerType, PathwayError};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems};
use crate::reference::{self, choice, Choice};
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store, StoreError};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const RESULTS: &[Choice] = &[choice("negative", "Negative"), choice("positive", "Positive"), choice("not_tested", "Not tested")];

pub const SAMPLE_TYPES: &[Choice] = &[choice("oral_fluid", "Oral fluid (saliva)"), choice("urine", "Urine")];

/// The substances a DRR test reports, as (field, words).
pub const SUBSTANCES: &[(&str, &str)] = &[
    ("opiates", "opiates"),
    ("cocaine", "cocaine"),
    ("benzodiazepines", "benzodiazepines"),
    ("methadone", "methadone"),
    ("cannabis", "cannabis"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrrTest {
    pub id: String,
    pub client_id: String,
    pub order_id: String,
    pub appointment_id: String,
    pub sample_type: String,
    pub taken_on: Option<NaiveDate>,
    pub opiates: Option<String>,
    pub cocaine: Option<String>,
    pub benzodiazepines: Option<String>,
    pub methadone: Option<String>,
    pub cannabis: Option<String>,
    pub missed_reason: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(DrrTest, "drr_test", "drr_tests");

impl DrrTest {
    fn result(&self, field: &str) -> Option<&str> {
        match field {
            "opiates" => self.opiates.as_deref(),
            "cocaine" => self.cocaine.as_deref(),
            "benzodiazepines" => self.benzodiazepines.as_deref(),
            "methadone" => self.methadone.as_deref(),
            "cannabis" => self.cannabis.as_deref(),
            _ => None,
        }
    }

    /// "opiates positive, cocaine negative, ..." (substances not tested left out).
    pub fn results_words(&self) -> String {
        let words: Vec<String> = SUBSTANCES
            .iter()
            .filter_map(|(field, name)| match self.result(field) {
                Some("not_tested") | None => None,
                Some(r) => Some(format!("{name} {}", reference::label(RESULTS, r).to_lowercase())),
            })
            .collect();
        if words.is_empty() {
            "no substance tested".into()
        } else {
            words.join(", ")
        }
    }
}

/// Booking a test.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewDrrTest {
    pub appointment: NewAppointment,
    pub sample_type: String,
}

/// A test's results, per substance: "negative", "positive" or "not_tested".
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct TestResults {
    pub taken_on: String,
    pub opiates: String,
    pub cocaine: String,
    pub benzodiazepines: String,
    pub methadone: String,
    pub cannabis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DrrTestView {
    pub id: String,
    pub order_id: String,
    pub appointment: AppointmentView,
    pub sample_type: String,
    pub sample_type_label: String,
    pub taken_on: Option<NaiveDate>,
    /// "opiates negative, cocaine positive", once results are recorded.
    pub results: Option<String>,
    pub missed_reason: Option<String>,
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<DrrTest>> {
    crate::store::record::get(conn, id)
}

fn require(conn: &Connection, id: &str) -> Result<DrrTest, PathwayError> {
    get(conn, id)?.ok_or(PathwayError::NotFound("No DRR test with that reference is on this laptop."))
}

pub fn of_order(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<DrrTest>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM drr_tests WHERE order_id = ?1")?;
    let rows = stmt.query_map([order_id], from_row)?.collect();
    rows
}

/// Books a test of the order as an appointment ("Drug test").
pub fn book(store: &mut Store, actor: &Actor, order_id: &str, input: &NewDrrTest) -> Result<String, PathwayError> {
    let order = require_order(store.reader(), order_id)?;
    require_active(&order)?;
    let mut p = Problems::default();
    let kind = if input.appointment.kind.trim().is_empty() { Some("Drug test") } else { None };
    let booking = appointments::check_booking(&mut p, store.reader(), actor, &input.appointment, kind);
    let sample_type = if reference::is_in(SAMPLE_TYPES, input.sample_type.trim()) {
        Some(input.sample_type.trim().to_string())
    } else {
        p.push(FieldError::new("sample_type", ErrorCode::ValidationRequired, "Choose the sample type."));
        None
    };
    let (booking, sample_type) = p.complete((booking, sample_type).all())?;
    let mut test = DrrTest {
        id: crate::ids::new_id(store.clock()),
        client_id: order.client_id.clone(),
        order_id: order.id.clone(),
        appointment_id: crate::ids::new_id(store.clock()),
        sample_type,
        taken_on: None,
        opiates: None,
        cocaine: None,
        benzodiazepines: None,
        methadone: None,
        cannabis: None,
        missed_reason: None,
        recorded_at: None,
        made: Made::on_write(),
    };
    store.write(actor, |w| -> Result<(), StoreError> {
        appointments::create(w, test.appointment_id.clone(), &order.client_id, OwnerType::DrrTest, &test.id, booking)?;
        w.create(&mut test)
    })?;
    Ok(test.id)
}

fn refuse_if_recorded(t: &DrrTest) -> Result<(), PathwayError> {
    if t.taken_on.is_some() || t.missed_reason.is_some() {
        return Err(PathwayError::NotAllowed("This test already has its result or the reason it was missed.".into()));
    }
    Ok(())
}

/// The appointment with an outcome, unless one is already recorded.
fn with_outcome(a: &Appointment, status: AppointmentStatus, now: DateTime<Utc>) -> Option<Appointment> {
    (a.status == AppointmentStatus::Scheduled).then(|| Appointment { status, outcome_recorded_at: Some(now), ..a.clone() })
}

/// Records the sample's results (clears DRR-TEST-MISSED). A result cannot be for a day to come.
pub fn record_results(store: &mut Store, actor: &Actor, test_id: &str, input: &TestResults) -> Result<(), PathwayError> {
    let before = require(store.reader(), test_id)?;
    refuse_if_recorded(&before)?;
    let appointment = appointments::require(store.reader(), &before.appointment_id)?;
    let now = store.clock().now();
    let today = dates::today(now);
    let mut p = Problems::default();
    let taken_on = match input.taken_on.trim() {
        "" => Some(day_of(appointment.at)),
        typed => date_field(&mut p, "taken_on", typed, "the date the sample was taken"),
    };
    let taken_on = match taken_on {
        Some(d) if d > today => {
            p.push(FieldError::new(
                "taken_on",
                ErrorCode::ValidationTestInFuture,
                format!("A result cannot be recorded for {}, a day still to come.", dates::display(d)),
            ));
            None
        }
        other => other,
    };
    let typed = [&input.opiates, &input.cocaine, &input.benzodiazepines, &input.methadone, &input.cannabis];
    let mut results = Vec::new();
    for ((field, name), value) in SUBSTANCES.iter().zip(typed) {
        let v = if value.trim().is_empty() { "not_tested" } else { value.trim() };
        if reference::is_in(RESULTS, v) {
            results.push(Some(v.to_string()));
        } else {
            p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Choose the result for {name}.")));
            results.push(None);
        }
    }
    if results.iter().all(|r| r.as_deref() == Some("not_tested")) {
        p.push(FieldError::new("opiates", ErrorCode::ValidationNoResult, "Enter the result for at least one substance."));
    }
    let taken_on = p.complete(taken_on)?;
    let mut r = results.into_iter();
    let after = DrrTest {
        taken_on: Some(taken_on),
        opiates: r.next().flatten(),
        cocaine: r.next().flatten(),
        benzodiazepines: r.next().flatten(),
        methadone: r.next().flatten(),
        cannabis: r.next().flatten(),
        recorded_at: Some(now),
        ..before.clone()
    };
    let attended = with_outcome(&appointment, AppointmentStatus::Attended, now);
    store.write(actor, |w| -> Result<(), StoreError> {
        w.update(&before, &after)?;
        if let Some(a) = attended {
            w.update(&appointment, &a)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Records a missed test and why (clears DRR-TEST-MISSED); whether the failure is acceptable is
/// decided as a failure to comply.
pub fn record_missed(store: &mut Store, actor: &Actor, test_id: &str, reason: &str) -> Result<(), PathwayError> {
    let before = require(store.reader(), test_id)?;
    refuse_if_recorded(&before)?;
    let appointment = appointments::require(store.reader(), &before.appointment_id)?;
    let now = store.clock().now();
    let mut p = Problems::default();
    let reason = p.check(text::required("missed_reason", "The reason the test was missed", reason, 2000));
    if appointment.at > now {
        p.push(FieldError::new(
            "missed_reason",
            ErrorCode::ValidationOutcomeInFuture,
            format!("This test is not until {}. Record it as missed once it has passed.", crate::calendar::when::display(appointment.at)),
        ));
    }
    let reason = p.complete(reason)?;
    let after = DrrTest { missed_reason: Some(reason), recorded_at: Some(now), ..before.clone() };
    let missed = with_outcome(&appointment, AppointmentStatus::DidNotAttend, now);
    store.write(actor, |w| -> Result<(), StoreError> {
        w.update(&before, &after)?;
        if let Some(a) = missed {
            w.update(&appointment, &a)?;
        }
        Ok(())
    })?;
    Ok(())
}

pub fn views(conn: &Connection, order_id: &str, now: DateTime<Utc>) -> Result<Vec<DrrTestView>, PathwayError> {
    let mut out = Vec::new();
    for t in of_order(conn, order_id)? {
        let a = appointments::require(conn, &t.appointment_id)?;
        out.push(DrrTestView {
            appointment: appointments::view(conn, a, now)?,
            sample_type_label: reference::label(SAMPLE_TYPES, &t.sample_type),
            results: t.taken_on.map(|_| t.results_words()),
            id: t.id,
            order_id: t.order_id,
            sample_type: t.sample_type,
            taken_on: t.taken_on,
            missed_reason: t.missed_reason,
        });
    }
    out.sort_by_key(|t| t.appointment.at);
    Ok(out)
}
