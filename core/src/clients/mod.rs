//! The people Throughline follows: registering and finding them, their details, aliases and
//! consent, duplicates and merges, and who is following them up.
pub mod aliases;
pub mod caseload;
pub mod consent;
pub mod duplicates;
pub mod history;
pub mod merge;
pub mod nhs;
pub mod pnc;
pub mod reference;
mod register;
pub(crate) mod search;

use crate::codes::ErrorCode;
use crate::store::record::Made;
pub(crate) use register::refuse_unless_changeable;
pub use register::{close, register, reopen, update_details, validate, NewClient};
pub use search::{search, SearchResult};

use crate::accounts::workers;
use crate::dates;
use crate::error::Coded;
use crate::store::record::{sql_bool, Record};
use crate::store::{Actor, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    NotKnown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    Active,
    Closed,
    /// Found to be a duplicate and merged into another record (`merged_into`).
    Merged,
}

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    pub surname: String,
    pub forenames: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub gender_identity: Option<String>,
    /// A value of [`reference::ETHNICITIES`].
    pub ethnicity: Option<String>,
    #[serde(with = "sql_bool")]
    pub no_fixed_abode: bool,
    pub address: Option<String>,
    /// Upper case with one space: "LS1 4AB".
    pub postcode: Option<String>,
    pub gp: Option<String>,
    pub phone: Option<String>,
    /// Canonical long form, e.g. `2019/0012345B`.
    pub pnc: Option<String>,
    /// Ten digits, no spaces.
    pub nhs_number: Option<String>,
    pub prison_number: Option<String>,
    pub primary_substance: Option<String>,
    pub secondary_substance: Option<String>,
    pub injecting_status: Option<String>,
    pub risk_notes: Option<String>,
    pub allocated_worker_id: Option<String>,
    pub status: ClientStatus,
    pub closed_reason: Option<String>,
    /// When the case was closed: the team's retention period runs from here.
    pub closed_at: Option<DateTime<Utc>>,
    pub merged_into: Option<String>,
    /// When the person's names, identifiers and free text were removed after a retention
    /// review (governance/retention.rs); the case stays, closed, for the returns.
    pub anonymised_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub made: Made,
}

impl Record for Client {
    const TYPE: &'static str = "client";
    const TABLE: &'static str = "clients";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        Some(self.id.clone())
    }
    fn made_mut(&mut self) -> Option<&mut Made> {
        Some(&mut self.made)
    }
}

/// A client's record as the UI shows it: stored values plus the words for them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClientRecord {
    pub id: String,
    pub surname: String,
    pub forenames: String,
    pub date_of_birth: NaiveDate,
    pub age: i32,
    pub sex: Sex,
    pub gender_identity: Option<String>,
    pub ethnicity: Option<String>,
    pub ethnicity_label: Option<String>,
    pub no_fixed_abode: bool,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub gp: Option<String>,
    pub phone: Option<String>,
    pub pnc: Option<String>,
    /// Grouped for reading: "943 476 5919".
    pub nhs_number: Option<String>,
    pub prison_number: Option<String>,
    pub primary_substance: Option<String>,
    pub secondary_substance: Option<String>,
    pub injecting_status: Option<String>,
    pub substances_label: Option<String>,
    pub injecting_label: Option<String>,
    pub risk_notes: Option<String>,
    pub status: ClientStatus,
    pub closed_reason: Option<String>,
    pub closed_reason_label: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Set when the person's details were removed after a retention review: the record is
    /// then read-only.
    pub anonymised_at: Option<DateTime<Utc>>,
    /// When this record was merged into another, the one to open instead.
    pub merged_into: Option<String>,
    pub allocated_worker_id: Option<String>,
    pub allocated_worker: Option<String>,
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
    pub aliases: Vec<aliases::AliasView>,
    pub consents: Vec<consent::ConsentView>,
    /// True when a consent is given, not withdrawn and not past its review date.
    pub has_current_consent: bool,
    /// Merges into this record that can still be undone.
    pub merges: Vec<merge::MergeView>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Invalid(#[from] crate::error::ValidationErrors),
    #[error("No client with that reference is on this laptop.")]
    NotFound,
    #[error("{0}")]
    NotAllowed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<serde_json::Error> for ClientError {
    fn from(e: serde_json::Error) -> Self {
        ClientError::Store(e.into())
    }
}

impl From<rusqlite::Error> for ClientError {
    fn from(e: rusqlite::Error) -> Self {
        ClientError::Store(e.into())
    }
}

impl Coded for ClientError {
    fn code(&self) -> ErrorCode {
        match self {
            ClientError::Invalid(v) => v.code(),
            ClientError::NotFound => ErrorCode::ClientNotFound,
            ClientError::NotAllowed(_) => ErrorCode::ClientNotAllowed,
            ClientError::Store(s) => s.code(),
        }
    }
    fn fields(&self) -> Vec<crate::error::FieldError> {
        match self {
            ClientError::Invalid(v) => v.fields(),
            _ => Vec::new(),
        }
    }
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Client>> {
    crate::store::record::get(conn, id)
}

/// The client, or `NotFound`.
pub fn require(conn: &Connection, id: &str) -> Result<Client, ClientError> {
    get(conn, id)?.ok_or(ClientError::NotFound)
}

/// The ids of a client and of every record merged into it.
pub fn family(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut ids = vec![client_id.to_string()];
    let mut stmt = conn.prepare_cached("SELECT id FROM clients WHERE merged_into = ?1")?;
    for id in stmt.query_map([client_id], |r| r.get::<_, String>(0))? {
        ids.push(id?);
    }
    Ok(ids)
}

pub(crate) fn worker_name(conn: &Connection, id: &str) -> rusqlite::Result<String> {
    Ok(workers::by_id(conn, id)?.map(|w| w.display_name).unwrap_or_else(|| "a worker not on this laptop".into()))
}

/// Opens a client's record for a worker, and records that they looked (security.md): like
/// every read's audit entry, written without waiting for the disk (`Store::write_reads`).
pub fn open(store: &mut Store, actor: &Actor, id: &str) -> Result<ClientRecord, ClientError> {
    let client = require(store.reader(), id)?;
    store.write_reads(actor, |w| w.audit("viewed client record", Some(&client.id), ""))?;
    record_view(store.reader(), client, store.clock().now())
}

/// The record again, after a change the worker just made on it: not a new view, so nothing
/// is audited (opening the record was).
pub fn reread(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<ClientRecord, ClientError> {
    record_view(conn, require(conn, id)?, now)
}

fn record_view(conn: &Connection, c: Client, now: DateTime<Utc>) -> Result<ClientRecord, ClientError> {
    use reference::{label, CLOSE_REASONS, ETHNICITIES, INJECTING, SUBSTANCES};
    let today = dates::today(now);
    let consents = consent::for_client(conn, &c.id, today)?;
    let substances: Vec<String> =
        [&c.primary_substance, &c.secondary_substance].into_iter().flatten().map(|s| label(SUBSTANCES, s)).collect();
    Ok(ClientRecord {
        age: dates::age(c.date_of_birth, today),
        ethnicity_label: c.ethnicity.as_deref().map(|e| label(ETHNICITIES, e)),
        substances_label: (!substances.is_empty()).then(|| substances.join(", then ")),
        injecting_label: c.injecting_status.as_deref().map(|e| label(INJECTING, e)),
        closed_reason_label: c.closed_reason.as_deref().map(|e| label(CLOSE_REASONS, e)),
        allocated_worker: c.allocated_worker_id.as_deref().map(|w| worker_name(conn, w)).transpose()?,
        registered_by: worker_name(conn, &c.made.created_by)?,
        registered_at: c.made.created_at,
        nhs_number: c.nhs_number.as_deref().map(nhs::display),
        aliases: aliases::for_client(conn, &c.id)?,
        has_current_consent: consents.iter().any(|k| k.current),
        consents,
        merges: merge::undoable_into(conn, &c.id)?,
        id: c.id,
        surname: c.surname,
        forenames: c.forenames,
        date_of_birth: c.date_of_birth,
        sex: c.sex,
        gender_identity: c.gender_identity,
        ethnicity: c.ethnicity,
        no_fixed_abode: c.no_fixed_abode,
        address: c.address,
        postcode: c.postcode,
        gp: c.gp,
        phone: c.phone,
        pnc: c.pnc,
        prison_number: c.prison_number,
        primary_substance: c.primary_substance,
        secondary_substance: c.secondary_substance,
        injecting_status: c.injecting_status,
        risk_notes: c.risk_notes,
        status: c.status,
        closed_reason: c.closed_reason,
        closed_at: c.closed_at,
        anonymised_at: c.anonymised_at,
        merged_into: c.merged_into,
        allocated_worker_id: c.allocated_worker_id,
    })
}
