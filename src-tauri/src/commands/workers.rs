use crate::state::{coded, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::workers::{NewWorker, WorkerView};
use throughline_core::accounts::Deactivated;

#[tauri::command]
pub async fn list_workers(app: State<'_, AppState>) -> CommandResult<Vec<WorkerView>> {
    signed_in(&app, Permission::SeeWorkers.roles(), |s| s.list_workers().map_err(coded))
}

#[tauri::command]
pub async fn add_worker(app: State<'_, AppState>, input: NewWorker) -> CommandResult<WorkerView> {
    signed_in(&app, Permission::Administer.roles(), |s| s.add_worker(&input).map_err(coded))
}

#[tauri::command]
pub async fn set_worker_password(app: State<'_, AppState>, worker_id: String, password: String) -> CommandResult<()> {
    signed_in(&app, Permission::Administer.roles(), |s| s.set_worker_password(&worker_id, &password).map_err(coded))
}

/// An administrator deactivates a worker: refused on every laptop the change reaches, and here
/// their key slot is removed and the database re-keyed at once.
#[tauri::command]
pub async fn deactivate_worker(app: State<'_, AppState>, worker_id: String) -> CommandResult<Deactivated> {
    signed_in(&app, Permission::Administer.roles(), |s| s.deactivate_worker(&worker_id).map_err(coded))
}

/// Whether this laptop has a recovery key that opens it (the Settings screen says when not).
#[tauri::command]
pub async fn has_recovery_key(app: State<'_, AppState>) -> CommandResult<bool> {
    signed_in(&app, Permission::Administer.roles(), |s| s.has_recovery_key().map_err(coded))
}

/// An administrator makes a new recovery key for this laptop, shown once.
#[tauri::command]
pub async fn make_recovery_key(app: State<'_, AppState>) -> CommandResult<String> {
    signed_in(&app, Permission::Administer.roles(), |s| s.make_recovery_key().map(|k| k.display()).map_err(coded))
}
