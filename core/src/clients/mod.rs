//! The people Throughline follows: registering them, finding them, opening their record.
pub mod nhs;
pub mod pnc;
mod register;
mod search;

pub use register::{register, validate, NewClient};
pub use search::{search, SearchResult};

use crate::accounts::workers;
use crate::dates;
use crate::error::Coded;
use crate::store::record::{from_row, Record};
use crate::store::{Actor, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::OptionalExtension;
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
}

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    pub surname: String,
    pub forenames: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    /// Canonical long form, e.g. `2019/0012345B`.
    pub pnc: Option<String>,
    /// Ten digits, no spaces.
    pub nhs_number: Option<String>,
    pub status: ClientStatus,
    pub allocated_worker_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
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
}

/// A client's record as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClientRecord {
    pub id: String,
    pub surname: String,
    pub forenames: String,
    pub date_of_birth: NaiveDate,
    pub age: i32,
    pub sex: Sex,
    pub pnc: Option<String>,
    /// Grouped for reading: "943 476 5919".
    pub nhs_number: Option<String>,
    pub status: ClientStatus,
    pub allocated_worker: Option<String>,
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Invalid(#[from] crate::error::ValidationErrors),
    #[error("No client with that reference is on this laptop.")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ClientError {
    fn from(e: rusqlite::Error) -> Self {
        ClientError::Store(e.into())
    }
}

impl Coded for ClientError {
    fn code(&self) -> String {
        match self {
            ClientError::Invalid(v) => v.code(),
            ClientError::NotFound => "client.not_found".into(),
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

pub fn get(conn: &rusqlite::Connection, id: &str) -> rusqlite::Result<Option<Client>> {
    conn.query_row("SELECT * FROM clients WHERE id = ?1", [id], from_row).optional()
}

fn worker_name(conn: &rusqlite::Connection, id: &str) -> rusqlite::Result<String> {
    Ok(workers::by_id(conn, id)?.map(|w| w.display_name).unwrap_or_else(|| "a worker not on this laptop".into()))
}

/// Opens a client's record for a worker, and records that they looked (security.md).
pub fn open(store: &mut Store, actor: &Actor, id: &str) -> Result<ClientRecord, ClientError> {
    let client = get(store.reader(), id)?.ok_or(ClientError::NotFound)?;
    store.write(actor, |w| w.audit("viewed client record", Some(&client.id), ""))?;
    let conn = store.reader();
    let today = dates::today(store.clock().now());
    Ok(ClientRecord {
        age: dates::age(client.date_of_birth, today),
        allocated_worker: client.allocated_worker_id.as_deref().map(|w| worker_name(conn, w)).transpose()?,
        registered_by: worker_name(conn, &client.created_by)?,
        registered_at: client.created_at,
        nhs_number: client.nhs_number.as_deref().map(nhs::display),
        id: client.id,
        surname: client.surname,
        forenames: client.forenames,
        date_of_birth: client.date_of_birth,
        sex: client.sex,
        pnc: client.pnc,
        status: client.status,
    })
}
