//! Conditional cautions with drug-related conditions: appointments that must be kept, and
//! non-engagement, which returns the case to court (domain.md).
use crate::appointments::{self, AppointmentStatus, AppointmentView, NewAppointment, OwnerType, PathwayError};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems};
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionalCaution {
    pub id: String,
    pub client_id: String,
    pub given_on: NaiveDate,
    /// The drug-related conditions, as the caution states them.
    pub conditions: String,
    /// The date the conditions must be complied with by, if set.
    pub complete_by: Option<NaiveDate>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(ConditionalCaution, "conditional_caution", "conditional_cautions");

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewCaution {
    /// As typed: "23/11/2026".
    pub given_on: String,
    pub conditions: String,
    /// Optional: "23/02/2027".
    pub complete_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CautionView {
    pub id: String,
    pub client_id: String,
    pub given_on: NaiveDate,
    pub conditions: String,
    pub complete_by: Option<NaiveDate>,
    pub appointments: Vec<AppointmentView>,
    /// An appointment was missed: the case may return to court.
    pub non_engagement: bool,
    pub recorded_by: String,
}

fn date(p: &mut Problems, field: &str, typed: &str, what: &str, required: bool) -> Option<Option<NaiveDate>> {
    if typed.trim().is_empty() {
        if required {
            p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter {what}.")));
            return None;
        }
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

/// Records a conditional caution given on or before today.
pub fn record(store: &mut Store, actor: &Actor, client_id: &str, input: &NewCaution) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let given_on = date(&mut p, "given_on", &input.given_on, "the date the caution was given", true).flatten();
    let conditions = p.check(text::optional_multiline("conditions", "Conditions", &input.conditions, 2000));
    let complete_by = date(&mut p, "complete_by", &input.complete_by, "the date to comply by", false);
    if given_on.is_some_and(|g| g > today) {
        p.push(FieldError::new("given_on", ErrorCode::ValidationDateFuture, "A caution cannot be given in the future."));
    }
    if let (Some(g), Some(Some(c))) = (given_on, complete_by) {
        if c < g {
            p.push(FieldError::new(
                "complete_by",
                ErrorCode::ValidationCompleteBeforeGiven,
                "The date to comply by must be after the caution was given.",
            ));
        }
    }
    let conditions = match conditions {
        Some(None) => {
            p.push(FieldError::new("conditions", ErrorCode::ValidationRequired, "Enter the conditions of the caution."));
            None
        }
        other => other.flatten(),
    };
    let (given_on, conditions, complete_by) = p.complete((given_on, conditions, complete_by).all())?;
    let mut caution = ConditionalCaution {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        given_on,
        conditions,
        complete_by,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut caution))?;
    Ok(caution.id)
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<ConditionalCaution>> {
    crate::store::record::get(conn, id)
}

/// Books an appointment the caution's conditions require.
pub fn book_appointment(store: &mut Store, actor: &Actor, caution_id: &str, input: &NewAppointment) -> Result<String, PathwayError> {
    let caution =
        get(store.reader(), caution_id)?.ok_or(PathwayError::NotFound("No conditional caution with that reference is on this laptop."))?;
    let mut p = Problems::default();
    let kind = input.kind.trim();
    let kind = if kind.is_empty() { Some("Conditional caution appointment") } else { None };
    let booking = appointments::check_booking(&mut p, store.reader(), actor, input, kind);
    let booking = p.complete(booking)?;
    let id = crate::ids::new_id(store.clock());
    store.write(actor, |w| appointments::create(w, id.clone(), &caution.client_id, OwnerType::ConditionalCaution, &caution.id, booking))?;
    Ok(id)
}

/// The cautions of the given clients, oldest first.
pub fn cautions_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<ConditionalCaution>> {
    let mut list: Vec<ConditionalCaution> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by_key(|a| a.given_on);
    Ok(list)
}

pub fn of_clients(conn: &Connection, client_ids: &[String], now: DateTime<Utc>) -> Result<Vec<CautionView>, PathwayError> {
    cautions_of(conn, client_ids)?
        .into_iter()
        .map(|c| {
            let booked = appointments::of_owner(conn, OwnerType::ConditionalCaution, &c.id)?;
            Ok(CautionView {
                non_engagement: booked.iter().any(|a| a.status == AppointmentStatus::DidNotAttend),
                appointments: appointments::views(conn, booked, now)?,
                recorded_by: crate::clients::worker_name(conn, &c.made.created_by)?,
                id: c.id,
                client_id: c.client_id,
                given_on: c.given_on,
                conditions: c.conditions,
                complete_by: c.complete_by,
            })
        })
        .collect()
}
