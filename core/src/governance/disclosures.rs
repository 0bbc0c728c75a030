//! The disclosure log: what was shared about a person, with whom, when, why, and on what basis
//! (their consent, or a legal basis without it). Shown on the record and in the subject access
//! summary. A disclosure once recorded is kept as it was.
use crate::clients::{refuse_unless_changeable, require, ClientError};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{FieldError, Problems};
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disclosure {
    pub id: String,
    pub client_id: String,
    pub disclosed_on: NaiveDate,
    pub recipient: String,
    pub what: String,
    pub purpose: String,
    /// "consent" or "legal_basis".
    pub basis: String,
    pub legal_basis: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Disclosure, "disclosure", "disclosures");

/// What a worker types to record a disclosure.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewDisclosure {
    /// As typed: "23/11/2026".
    pub disclosed_on: String,
    /// Who it was shared with (person, role and organisation).
    pub recipient: String,
    /// What was shared.
    pub what: String,
    /// Why it was shared.
    pub purpose: String,
    /// "consent" or "legal_basis".
    pub basis: String,
    /// The legal basis for sharing without consent.
    pub legal_basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DisclosureView {
    pub id: String,
    pub disclosed_on: NaiveDate,
    pub recipient: String,
    pub what: String,
    pub purpose: String,
    pub basis: String,
    /// "With their consent", or "Without consent: <the legal basis>".
    pub basis_label: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Records a disclosure made today or earlier.
pub fn record(store: &mut Store, actor: &Actor, client_id: &str, input: &NewDisclosure) -> Result<String, ClientError> {
    let client = require(store.reader(), client_id)?;
    refuse_unless_changeable(&client)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let disclosed_on = if input.disclosed_on.trim().is_empty() {
        p.push(FieldError::new("disclosed_on", ErrorCode::ValidationRequired, "Enter the date it was shared."));
        None
    } else {
        match dates::parse(&input.disclosed_on) {
            None => {
                p.push(FieldError::new(
                    "disclosed_on",
                    ErrorCode::ValidationDateFormat,
                    "Enter the date it was shared as day/month/year, like 23/11/2026.",
                ));
                None
            }
            Some(d) if d > today => {
                p.push(FieldError::new(
                    "disclosed_on",
                    ErrorCode::ValidationDateFuture,
                    "Record a disclosure once it has been made, not before.",
                ));
                None
            }
            d => d,
        }
    };
    let recipient = p.check(text::required("recipient", "Who it was shared with", &input.recipient, 200));
    let what = p.check(text::optional_multiline("what", "What was shared", &input.what, 2000)).flatten();
    if what.is_none() && !p.0.iter().any(|e| e.field == "what") {
        p.push(FieldError::new("what", ErrorCode::ValidationRequired, "Enter what was shared."));
    }
    let purpose = p.check(text::optional_multiline("purpose", "Why it was shared", &input.purpose, 2000)).flatten();
    if purpose.is_none() && !p.0.iter().any(|e| e.field == "purpose") {
        p.push(FieldError::new("purpose", ErrorCode::ValidationRequired, "Enter why it was shared."));
    }
    let basis = match input.basis.as_str() {
        "consent" | "legal_basis" => Some(input.basis.clone()),
        "" => {
            p.push(FieldError::new(
                "basis",
                ErrorCode::ValidationRequired,
                "Choose whether it was shared with their consent or without it.",
            ));
            None
        }
        _ => {
            p.push(FieldError::new("basis", ErrorCode::ValidationNotInList, "Choose one of the bases listed."));
            None
        }
    };
    let legal_basis = match basis.as_deref() {
        Some("legal_basis") => {
            p.check(text::required("legal_basis", "The legal basis for sharing without consent", &input.legal_basis, 300))
        }
        _ => None,
    };
    let (Some(disclosed_on), Some(recipient), Some(what), Some(purpose), Some(basis), true) =
        (disclosed_on, recipient, what, purpose, basis, p.is_empty())
    else {
        return Err(p.into_error().into());
    };
    let id = crate::ids::new_id(store.clock());
    let mut disclosure = Disclosure {
        id: id.clone(),
        client_id: client.id.clone(),
        disclosed_on,
        recipient,
        what,
        purpose,
        basis,
        legal_basis,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.append(&mut disclosure))?;
    Ok(id)
}

/// The person's disclosures (and those of records merged into theirs), latest first.
pub fn for_client(conn: &Connection, client_id: &str) -> Result<Vec<DisclosureView>, ClientError> {
    let ids = serde_json::to_string(&crate::clients::family(conn, client_id)?)?;
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM disclosures WHERE client_id IN (SELECT value FROM json_each(?1)) ORDER BY disclosed_on DESC, created_at DESC",
    )?;
    let rows: Vec<Disclosure> = stmt.query_map([ids], from_row)?.collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|d| {
            Ok(DisclosureView {
                basis_label: match &d.legal_basis {
                    Some(law) if d.basis == "legal_basis" => format!("Without consent: {law}"),
                    _ => "With their consent".into(),
                },
                recorded_by: crate::clients::worker_name(conn, &d.made.created_by)?,
                id: d.id,
                disclosed_on: d.disclosed_on,
                recipient: d.recipient,
                what: d.what,
                purpose: d.purpose,
                basis: d.basis,
                recorded_at: d.made.created_at,
            })
        })
        .collect()
}
