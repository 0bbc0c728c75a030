use super::pathway::read;
use crate::state::{coded, reading, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::store::audit::ChainCheck;

#[tauri::command]
pub async fn get_team_settings(app: State<'_, AppState>) -> CommandResult<TeamSettings> {
    signed_in(&app, &[], |s| Ok(s.team_settings()))
}

#[tauri::command]
pub async fn save_team_settings(app: State<'_, AppState>, settings: TeamSettings) -> CommandResult<()> {
    signed_in(&app, Permission::Administer.roles(), |s| s.save_team_settings(&settings).map_err(coded))
}

#[tauri::command]
pub async fn verify_audit_chain(app: State<'_, AppState>) -> CommandResult<ChainCheck> {
    // The whole audit log is read: on its own connection, so the app stays usable meanwhile.
    reading(&app, Permission::CheckAudit.roles(), move |s| read(s.store().verify_audit_chain())).await
}
