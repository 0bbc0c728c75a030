use crate::state::{coded, signed_in, AppState, CommandResult};
use crate::tasks;
use tauri::ipc::Channel;
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::workers::{NewWorker, WorkerView};
use throughline_core::accounts::Deactivated;
use throughline_core::store::progress::TaskProgress;
use throughline_core::sync::vouching::{KeyWaiting, OwnKey};

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
/// their key slot is removed and the database re-keyed at once. Watched: re-keying a large
/// team's database takes a minute.
#[tauri::command]
pub async fn deactivate_worker(app: tauri::AppHandle, worker_id: String, progress: Channel<TaskProgress>) -> CommandResult<Deactivated> {
    tasks::watched(&app, progress, move |state, progress| {
        signed_in(state, Permission::Administer.roles(), |s| s.deactivate_worker_watched(&worker_id, progress).map_err(coded))
    })
    .await
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

/// Workers' keys waiting for an administrator to vouch for them.
#[tauri::command]
pub async fn keys_waiting(app: State<'_, AppState>) -> CommandResult<Vec<KeyWaiting>> {
    signed_in(&app, Permission::Administer.roles(), |s| s.keys_waiting().map_err(coded))
}

/// An administrator vouches for a worker's key, having read its fingerprint with them.
#[tauri::command]
pub async fn vouch_for_key(app: State<'_, AppState>, key: String) -> CommandResult<KeyWaiting> {
    signed_in(&app, Permission::Administer.roles(), |s| s.vouch_for_key(&key).map_err(coded))
}

/// The signed-in worker's own signing key on this laptop, and whether the team knows it.
#[tauri::command]
pub async fn own_key(app: State<'_, AppState>) -> CommandResult<Option<OwnKey>> {
    signed_in(&app, Permission::Sync.roles(), |s| s.own_key().map_err(coded))
}
