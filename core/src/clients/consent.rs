//! Consent to share (domain.md): when given, with which agencies, when to review, withdrawn.
use super::{refuse_unless_changeable, require, ClientError};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::FieldError;
use crate::error::Problems;
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    pub id: String,
    pub client_id: String,
    pub given_on: NaiveDate,
    /// Which agencies information may be shared with, in the worker's words.
    pub scope: String,
    pub review_on: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Consent, "consent", "consents");

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConsentView {
    pub id: String,
    pub given_on: NaiveDate,
    pub scope: String,
    pub review_on: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
    /// Given, not withdrawn, review date not passed.
    pub current: bool,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewConsent {
    /// As typed: "23/11/2026".
    pub given_on: String,
    pub scope: String,
    /// Empty: the team's review period after `given_on` (policy default 12 months).
    pub review_on: String,
}

fn date(field: &str, label: &str, typed: &str) -> Result<Option<NaiveDate>, FieldError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    dates::parse(typed).map(Some).ok_or_else(|| {
        FieldError::new(field, ErrorCode::ValidationDateFormat, format!("Enter {label} as day/month/year, like 23/11/2026."))
    })
}

/// Records consent given today or earlier.
pub fn record(store: &mut Store, actor: &Actor, client_id: &str, input: &NewConsent, review_months: u32) -> Result<String, ClientError> {
    let client = require(store.reader(), client_id)?;
    refuse_unless_changeable(&client)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let given = p.check(date("given_on", "the date consent was given", &input.given_on));
    let scope = p.check(text::required("scope", "Who information may be shared with", &input.scope, 500));
    let review = p.check(date("review_on", "the review date", &input.review_on));
    let given = match given {
        Some(None) => {
            p.push(FieldError::new("given_on", ErrorCode::ValidationRequired, "Enter the date consent was given."));
            None
        }
        Some(Some(d)) if d > today => {
            p.push(FieldError::new("given_on", ErrorCode::ValidationDateFuture, "Consent cannot be given in the future."));
            None
        }
        other => other.flatten(),
    };
    let review = match (given, review) {
        (Some(g), Some(Some(r))) if r <= g => {
            p.push(FieldError::new(
                "review_on",
                ErrorCode::ValidationReviewBeforeGiven,
                "The review date must be after the date consent was given.",
            ));
            None
        }
        (Some(g), Some(r)) => r.or_else(|| g.checked_add_months(Months::new(review_months))),
        _ => None,
    };
    let (Some(given_on), Some(scope), Some(review_on)) = (given, scope, review) else {
        return Err(p.into_error().into());
    };
    let id = crate::ids::new_id(store.clock());
    let mut consent =
        Consent { id: id.clone(), client_id: client_id.into(), given_on, scope, review_on, withdrawn_on: None, made: Made::on_write() };
    store.write(actor, |w| w.create(&mut consent))?;
    Ok(id)
}

/// Records that the person withdrew a consent, today.
pub fn withdraw(store: &mut Store, actor: &Actor, consent_id: &str) -> Result<(), ClientError> {
    let before: Consent = store
        .reader()
        .query_row("SELECT * FROM consents WHERE id = ?1 AND withdrawn_on IS NULL", [consent_id], from_row)
        .optional()?
        .ok_or(ClientError::NotFound)?;
    refuse_unless_changeable(&require(store.reader(), &before.client_id)?)?;
    let after = Consent { withdrawn_on: Some(dates::today(store.clock().now())), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

pub fn for_client(conn: &Connection, client_id: &str, today: NaiveDate) -> rusqlite::Result<Vec<ConsentView>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM consents WHERE client_id = ?1 ORDER BY given_on DESC, id DESC")?;
    let rows: Vec<Consent> = stmt.query_map([client_id], from_row)?.collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|c| {
            Ok(ConsentView {
                current: c.withdrawn_on.is_none() && c.review_on >= today && c.given_on <= today,
                recorded_by: super::worker_name(conn, &c.made.created_by)?,
                id: c.id,
                given_on: c.given_on,
                scope: c.scope,
                review_on: c.review_on,
                withdrawn_on: c.withdrawn_on,
            })
        })
        .collect()
}
