use crate::state::{coded, signed_in, AppState, CommandResult};
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
    signed_in(&app, Permission::CheckAudit.roles(), |s| s.store().verify_audit_chain().map_err(coded))
}
