//! Caseloads: which worker follows each client up.
use super::{refuse_unless_changeable, require, Client, ClientError};
use crate::accounts::roles::Role;
use crate::accounts::workers;
use crate::codes::ErrorCode;
use crate::error::ValidationErrors;
use crate::store::{Actor, Store};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// Gives a client to a worker (or to no one) to follow up.
pub fn allocate(store: &mut Store, actor: &Actor, client_id: &str, worker_id: Option<&str>) -> Result<(), ClientError> {
    let before = require(store.reader(), client_id)?;
    refuse_unless_changeable(&before)?;
    if let Some(id) = worker_id {
        let ok = workers::by_id(store.reader(), id)?.is_some_and(|w| w.active && w.has_any(&Role::CASEWORK));
        if !ok {
            return Err(ValidationErrors::one(
                "allocated_worker_id",
                ErrorCode::ValidationWorkerCannotHoldCaseload,
                "Choose an active worker who works with clients.",
            )
            .into());
        }
    }
    let after = Client { allocated_worker_id: worker_id.map(str::to_string), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// How many people a page of a caseload holds: a whole caseload for most workers. The pages
/// themselves, most in need of attention first, are `glance::caseload`'s.
pub const PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseloadSize {
    /// None for the clients allocated to no one.
    pub worker_id: Option<String>,
    pub worker: String,
    pub roles: Vec<Role>,
    #[ts(type = "number")]
    pub active_clients: i64,
}

/// How many active clients each worker holds, largest first, with the unallocated last.
pub fn sizes(conn: &Connection) -> rusqlite::Result<Vec<CaseloadSize>> {
    let mut counts: std::collections::HashMap<Option<String>, i64> = std::collections::HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT allocated_worker_id, count(*) FROM clients WHERE status = 'active' GROUP BY allocated_worker_id")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?)))? {
        let (w, n) = row?;
        counts.insert(w, n);
    }
    let mut out: Vec<CaseloadSize> = workers::all(conn)?
        .into_iter()
        .filter(|w| w.active && w.has_any(&Role::CASEWORK))
        .map(|w| CaseloadSize {
            active_clients: counts.remove(&Some(w.id.clone())).unwrap_or(0),
            roles: w.roles(),
            worker_id: Some(w.id),
            worker: w.display_name,
        })
        .collect();
    out.sort_by(|a, b| b.active_clients.cmp(&a.active_clients).then(a.worker.cmp(&b.worker)));
    let others: i64 = counts.values().sum();
    if others > 0 {
        out.push(CaseloadSize {
            worker_id: None,
            worker: "Not allocated to an active worker".into(),
            roles: Vec::new(),
            active_clients: others,
        });
    }
    Ok(out)
}
