use super::pathway::read;
use crate::state::{coded, reading, signed_in, AppState, CommandResult};
use crate::tasks;
use tauri::ipc::Channel;
use tauri::{Manager, State};
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::store::audit::ChainCheck;
use throughline_core::store::progress::TaskProgress;

#[tauri::command]
pub async fn get_team_settings(app: State<'_, AppState>) -> CommandResult<TeamSettings> {
    signed_in(&app, &[], |s| Ok(s.team_settings()))
}

#[tauri::command]
pub async fn save_team_settings(app: State<'_, AppState>, settings: TeamSettings) -> CommandResult<()> {
    signed_in(&app, Permission::Administer.roles(), |s| s.save_team_settings(&settings).map_err(coded))
}

/// The whole audit log is read: on its own connection, so the app stays usable meanwhile, and
/// watched (millions of entries on a large team take seconds).
#[tauri::command]
pub async fn verify_audit_chain(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    progress: Channel<TaskProgress>,
) -> CommandResult<ChainCheck> {
    reading(&state, Permission::CheckAudit.roles(), move |s| {
        let state = app.state::<AppState>();
        let mut watching = tasks::Watched::new(progress, &state.cancel_task);
        read(s.store().verify_audit_chain(&mut watching))
    })
    .await
}
