//! Other names a person is known by. Each is a record of its own; removing one keeps it,
//! marked removed, so the history stays whole.
use super::{refuse_unless_changeable, require, ClientError};
use crate::codes::ErrorCode;
use crate::error::{FieldError, ValidationErrors};
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    pub id: String,
    pub client_id: String,
    pub surname: String,
    pub forenames: String,
    /// "alias" when a worker added it, "merge" when it came from a merged duplicate.
    pub source: String,
    pub merge_id: Option<String>,
    pub removed_at: Option<DateTime<Utc>>,
    pub removed_by: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Alias, "client_alias", "client_aliases");

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AliasView {
    pub id: String,
    pub surname: String,
    pub forenames: String,
    pub from_merge: bool,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewAlias {
    pub surname: String,
    pub forenames: String,
}

pub fn new_alias(
    client_id: &str,
    surname: &str,
    forenames: &str,
    source: &str,
    merge_id: Option<&str>,
    _w: &crate::store::Write<'_>,
    id: String,
) -> Alias {
    Alias {
        id,
        client_id: client_id.into(),
        surname: surname.into(),
        forenames: forenames.into(),
        source: source.into(),
        merge_id: merge_id.map(str::to_string),
        removed_at: None,
        removed_by: None,
        made: Made::on_write(),
    }
}

/// Adds a name the person is also known by (a surname, forenames, or both).
pub fn add(store: &mut Store, actor: &Actor, client_id: &str, input: &NewAlias) -> Result<String, ClientError> {
    let client = require(store.reader(), client_id)?;
    refuse_unless_changeable(&client)?;
    let surname = text::optional_name("alias_surname", "Surname", &input.surname, 100);
    let forenames = text::optional_name("alias_forenames", "Forenames", &input.forenames, 100);
    let (surname, forenames) = match (surname, forenames) {
        (Ok(s), Ok(f)) if s.is_some() || f.is_some() => (s.unwrap_or_default(), f.unwrap_or_default()),
        (Ok(_), Ok(_)) => {
            return Err(ValidationErrors::one(
                "alias_surname",
                ErrorCode::ValidationRequired,
                "Enter the other surname, forenames or both.",
            )
            .into())
        }
        (s, f) => return Err(ValidationErrors([s.err(), f.err()].into_iter().flatten().collect::<Vec<FieldError>>()).into()),
    };
    let id = crate::ids::new_id(store.clock());
    store.write(actor, |w| {
        let mut alias = new_alias(client_id, &surname, &forenames, "alias", None, w, id.clone());
        w.create(&mut alias)
    })?;
    Ok(id)
}

/// Marks an alias removed (it stays in the history).
pub fn remove(store: &mut Store, actor: &Actor, alias_id: &str) -> Result<(), ClientError> {
    let before: Alias = store
        .reader()
        .query_row("SELECT * FROM client_aliases WHERE id = ?1 AND removed_at IS NULL", [alias_id], from_row)
        .optional()?
        .ok_or(ClientError::NotFound)?;
    refuse_unless_changeable(&require(store.reader(), &before.client_id)?)?;
    store.write(actor, |w| {
        let after = Alias { removed_at: Some(w.now()), removed_by: Some(w.actor().worker_id.clone()), ..before.clone() };
        w.update(&before, &after)
    })?;
    Ok(())
}

pub fn current(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<Alias>> {
    let mut stmt =
        conn.prepare_cached("SELECT * FROM client_aliases WHERE client_id = ?1 AND removed_at IS NULL ORDER BY created_at, rowid")?;
    let rows = stmt.query_map([client_id], from_row)?;
    rows.collect()
}

pub fn for_client(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<AliasView>> {
    current(conn, client_id)?
        .into_iter()
        .map(|a| {
            Ok(AliasView {
                added_by: super::worker_name(conn, &a.made.created_by)?,
                from_merge: a.source == "merge",
                id: a.id,
                surname: a.surname,
                forenames: a.forenames,
                added_at: a.made.created_at,
            })
        })
        .collect()
}
