//! Backups: an administrator writes one to a folder they choose (an encrypted USB stick) or
//! checks one without restoring it; a new laptop restores one with the recovery key. The folder
//! is chosen in the system's dialog opened from here, so no path comes from the web view.
use crate::state::{coded, signed_in, AppState, CommandResult};
use crate::tasks;
use tauri::ipc::Channel;
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use throughline_core::accounts::backups::{BackupSchedule, BackupSummary};
use throughline_core::accounts::permissions::Permission;
use throughline_core::store::progress::TaskProgress;

fn choose_folder(app: &tauri::AppHandle, title: &str) -> Option<std::path::PathBuf> {
    app.dialog().file().set_title(title).blocking_pick_folder().and_then(|p| p.into_path().ok())
}

/// None when the dialog is cancelled. The session is held only while the copy is written.
#[tauri::command]
pub async fn back_up(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    progress: Channel<TaskProgress>,
) -> CommandResult<Option<BackupSummary>> {
    signed_in(&state, Permission::Administer.roles(), |_| Ok(()))?;
    let Some(folder) = choose_folder(&app, "Choose where to save the backup (for example the encrypted USB stick)") else {
        return Ok(None);
    };
    tasks::watched(&app, progress, move |state, progress| {
        signed_in(state, Permission::Administer.roles(), |s| s.back_up_watched(&folder, progress).map(Some).map_err(coded))
    })
    .await
}

#[tauri::command]
pub async fn verify_backup(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    progress: Channel<TaskProgress>,
) -> CommandResult<Option<BackupSummary>> {
    signed_in(&state, Permission::Administer.roles(), |_| Ok(()))?;
    let Some(folder) = choose_folder(&app, "Choose the backup folder to check (throughline-backup-…)") else {
        return Ok(None);
    };
    tasks::watched(&app, progress, move |state, progress| {
        signed_in(state, Permission::Administer.roles(), |s| s.verify_backup_watched(&folder, progress).map(Some).map_err(coded))
    })
    .await
}

/// On a laptop not yet set up: no one is signed in, the recovery key is the authority.
#[tauri::command]
pub async fn restore_backup(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    recovery_key: String,
    progress: Channel<TaskProgress>,
) -> CommandResult<Option<BackupSummary>> {
    state.usable()?;
    let Some(folder) = choose_folder(&app, "Choose the backup folder to restore (throughline-backup-…)") else {
        return Ok(None);
    };
    tasks::watched(&app, progress, move |state, progress| {
        state.installation.restore_backup_watched(&folder, &recovery_key, progress).map(Some).map_err(coded)
    })
    .await
}

/// The automatic backups: how often, where, the newest there, and the last failure if any.
#[tauri::command]
pub async fn backup_schedule(state: State<'_, AppState>) -> CommandResult<BackupSchedule> {
    let problem = state.automatic_backup_problem();
    signed_in(&state, Permission::Administer.roles(), |s| Ok(BackupSchedule { last_problem: problem, ..s.backup_schedule() }))
}

/// Every `every_days` days (0 turns them off); for a schedule, the folder is chosen in the
/// system's dialog. None when the dialog is cancelled: nothing changes.
#[tauri::command]
pub async fn set_backup_schedule(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    every_days: u32,
) -> CommandResult<Option<BackupSchedule>> {
    signed_in(&state, Permission::Administer.roles(), |_| Ok(()))?;
    let folder = match every_days {
        0 => None,
        _ => match choose_folder(&app, "Choose the folder for automatic backups (for example the encrypted USB stick)") {
            Some(folder) => Some(folder),
            None => return Ok(None),
        },
    };
    signed_in(&state, Permission::Administer.roles(), |s| s.set_backup_schedule(every_days, folder.as_deref()).map(Some).map_err(coded))
}
