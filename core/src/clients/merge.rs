//! Merging two records of one person. The merge is a record of its own holding both records
//! as they were, so it can be undone exactly; nothing is deleted.
use super::aliases::{self, Alias};
use super::{require, Client, ClientError, ClientStatus};
use crate::store::record::{fields_of, from_row, Record};
use crate::store::{Actor, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub id: String,
    pub survivor_id: String,
    pub merged_id: String,
    pub reasons: String,
    /// Both records as they were before the merge (JSON).
    pub survivor_before: String,
    pub merged_before: String,
    pub merged_at: DateTime<Utc>,
    pub merged_by: String,
    pub undone_at: Option<DateTime<Utc>>,
    pub undone_by: Option<String>,
}

impl Record for Merge {
    const TYPE: &'static str = "client_merge";
    const TABLE: &'static str = "client_merges";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        Some(self.survivor_id.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MergeView {
    pub id: String,
    pub merged_id: String,
    /// The merged record's name and date of birth, as it was.
    pub merged_name: String,
    pub reasons: String,
    pub merged_at: DateTime<Utc>,
    pub merged_by: String,
}

/// Fields the survivor takes from the merged record when its own are empty, so no
/// identifier or detail of either record is lost.
const FILLED_FROM_MERGED: &[&str] = &[
    "gender_identity",
    "ethnicity",
    "address",
    "postcode",
    "gp",
    "phone",
    "pnc",
    "nhs_number",
    "prison_number",
    "primary_substance",
    "secondary_substance",
    "injecting_status",
    "risk_notes",
    "allocated_worker_id",
];

fn fill_from(survivor: &Client, merged: &Client) -> Result<Client, serde_json::Error> {
    let mut s = fields_of(survivor)?;
    let m = fields_of(merged)?;
    for f in FILLED_FROM_MERGED {
        if s.get(*f).is_none_or(Value::is_null) {
            if let Some(v) = m.get(*f) {
                s.insert((*f).to_string(), v.clone());
            }
        }
    }
    serde_json::from_value(Value::Object(s))
}

/// Merges `merged_id` into `survivor_id`: the survivor keeps both records' names (as aliases),
/// identifiers and history; the other is marked merged and points to it.
pub fn merge(store: &mut Store, actor: &Actor, survivor_id: &str, merged_id: &str, reasons: &str) -> Result<String, ClientError> {
    if survivor_id == merged_id {
        return Err(ClientError::NotAllowed("Choose two different records to merge.".into()));
    }
    let reasons = crate::text::optional_multiline("reasons", "Why they are one person", reasons, 500)
        .map_err(crate::error::ValidationErrors::from)?
        .unwrap_or_default();
    let survivor = require(store.reader(), survivor_id)?;
    let merged = require(store.reader(), merged_id)?;
    if survivor.status == ClientStatus::Merged || merged.status == ClientStatus::Merged {
        return Err(ClientError::NotAllowed("One of these records has already been merged. Refresh the list.".into()));
    }
    let survivor_after = fill_from(&survivor, &merged).map_err(StoreError::from)?;
    let merged_after = Client { status: ClientStatus::Merged, merged_into: Some(survivor.id.clone()), ..merged.clone() };
    let id = crate::ids::new_id(store.clock());
    let mut merge = Merge {
        id: id.clone(),
        survivor_id: survivor.id.clone(),
        merged_id: merged.id.clone(),
        reasons,
        survivor_before: serde_json::to_string(&survivor).map_err(StoreError::from)?,
        merged_before: serde_json::to_string(&merged).map_err(StoreError::from)?,
        merged_at: store.clock().now(),
        merged_by: actor.worker_id.clone(),
        undone_at: None,
        undone_by: None,
    };
    let alias_ids: Vec<String> =
        (0..=aliases::current(store.reader(), &merged.id)?.len()).map(|_| crate::ids::new_id(store.clock())).collect();
    store.write(actor, |w| {
        w.create(&mut merge)?;
        w.update(&survivor, &survivor_after)?;
        w.update(&merged, &merged_after)?;
        // The merged record's own name and its aliases become the survivor's aliases.
        let mut names = vec![(merged.surname.clone(), merged.forenames.clone())];
        names.extend(aliases::current(w.reader(), &merged.id)?.into_iter().map(|a| (a.surname, a.forenames)));
        let same_as_survivor = |s: &str, f: &str| s.eq_ignore_ascii_case(&survivor.surname) && f.eq_ignore_ascii_case(&survivor.forenames);
        for ((surname, forenames), alias_id) in names.into_iter().zip(alias_ids) {
            if !same_as_survivor(&surname, &forenames) {
                let mut alias = aliases::new_alias(&survivor.id, &surname, &forenames, "merge", Some(&merge.id), w, alias_id);
                w.create(&mut alias)?;
            }
        }
        Ok::<_, ClientError>(())
    })?;
    Ok(id)
}

/// Undoes a merge: the merged record is restored as it was, and the survivor loses only what
/// the merge gave it (details changed since are kept).
pub fn undo(store: &mut Store, actor: &Actor, merge_id: &str) -> Result<(), ClientError> {
    let merge: Merge = store
        .reader()
        .query_row("SELECT * FROM client_merges WHERE id = ?1 AND undone_at IS NULL", [merge_id], from_row)
        .optional()?
        .ok_or(ClientError::NotFound)?;
    let survivor_then: Client = serde_json::from_str(&merge.survivor_before).map_err(StoreError::from)?;
    let merged_then: Client = serde_json::from_str(&merge.merged_before).map_err(StoreError::from)?;
    let survivor_now = require(store.reader(), &merge.survivor_id)?;
    let merged_now = require(store.reader(), &merge.merged_id)?;
    if survivor_now.status == ClientStatus::Merged {
        return Err(ClientError::NotAllowed("The surviving record has since been merged into another. Undo that merge first.".into()));
    }

    let given = fill_from(&survivor_then, &merged_then).map_err(StoreError::from)?;
    let (then, given, now) = (fields_of(&survivor_then)?, fields_of(&given)?, fields_of(&survivor_now)?);
    let mut restored = now.clone();
    for f in FILLED_FROM_MERGED {
        if then.get(*f) != given.get(*f) && now.get(*f) == given.get(*f) {
            restored.insert((*f).to_string(), then.get(*f).cloned().unwrap_or(Value::Null));
        }
    }
    let survivor_restored: Client = serde_json::from_value(Value::Object(restored)).map_err(StoreError::from)?;
    let merge_aliases: Vec<Alias> =
        aliases::current(store.reader(), &merge.survivor_id)?.into_iter().filter(|a| a.merge_id.as_deref() == Some(merge_id)).collect();
    store.write(actor, |w| {
        w.update(&survivor_now, &survivor_restored)?;
        w.update(&merged_now, &merged_then)?;
        for alias in &merge_aliases {
            let removed = Alias { removed_at: Some(w.now()), removed_by: Some(w.actor().worker_id.clone()), ..alias.clone() };
            w.update(alias, &removed)?;
        }
        let undone = Merge { undone_at: Some(w.now()), undone_by: Some(w.actor().worker_id.clone()), ..merge.clone() };
        w.update(&merge, &undone)?;
        Ok::<_, ClientError>(())
    })
}

/// Merges into this record that have not been undone.
pub fn undoable_into(conn: &Connection, survivor_id: &str) -> rusqlite::Result<Vec<MergeView>> {
    let mut stmt =
        conn.prepare_cached("SELECT * FROM client_merges WHERE survivor_id = ?1 AND undone_at IS NULL ORDER BY merged_at DESC")?;
    let merges: Vec<Merge> = stmt.query_map([survivor_id], from_row)?.collect::<Result<_, _>>()?;
    merges
        .into_iter()
        .map(|m| {
            let merged_name = serde_json::from_str::<Client>(&m.merged_before)
                .map(|c| format!("{} {} (born {})", c.forenames, c.surname, crate::dates::display(c.date_of_birth)))
                .unwrap_or_default();
            Ok(MergeView {
                merged_by: super::worker_name(conn, &m.merged_by)?,
                id: m.id,
                merged_id: m.merged_id,
                merged_name,
                reasons: m.reasons,
                merged_at: m.merged_at,
            })
        })
        .collect()
}
