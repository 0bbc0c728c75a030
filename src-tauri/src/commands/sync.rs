//! Sync by file: the sync status, exporting and importing bundles through the system's file
//! dialogs, the conflicts inbox, enrolling and revoking laptops, and joining a team. Files are
//! chosen in dialogs opened from Rust, so no path comes from the web view, and no session lock
//! is held while a worker chooses.
use crate::state::{coded, error, reading, signed_in, AppState, CommandResult, SessionState};
use crate::tasks;
use std::path::PathBuf;
use tauri::ipc::Channel;
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::{Reading, SetUpDone};
use throughline_core::store::progress::TaskProgress;
use throughline_core::sync::conflicts::{self, Conflict, Settle};
use throughline_core::sync::hub::{self, HubFileSaved};
use throughline_core::sync::join::{self, NewLaptop};
use throughline_core::sync::status::{self, SyncStatus};
use throughline_core::sync::{self, devices, ExportScope, Exported, Imported, JoinFileSaved, SyncError};
use throughline_core::ErrorCode;

/// A team lead sees every conflict; anyone else, those over their own change (None: all).
fn whose_conflicts(s: &Reading) -> Option<String> {
    (!s.has_any(Permission::LeadTeam.roles())).then(|| s.worker().id.clone())
}

#[tauri::command]
pub async fn sync_status(app: State<'_, AppState>) -> CommandResult<SyncStatus> {
    reading(&app, Permission::Sync.roles(), |s| status::status(s.store().reader(), whose_conflicts(s).as_deref()).map_err(coded)).await
}

/// Written beside, then moved into place: a file is never seen half-written.
fn write_file(path: &PathBuf, bytes: &[u8]) -> std::io::Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// Saves a join or hub enrolment file to `path` as it is made.
fn saving_to(path: &PathBuf) -> impl FnOnce(&[u8]) -> Result<(), SyncError> + '_ {
    |bytes| write_file(path, bytes).map_err(|e| SyncError::FileNotSaved(e.to_string()))
}

fn file_stamp(app: &AppState) -> CommandResult<String> {
    signed_in(app, Permission::Sync.roles(), |s| Ok(sync::file_stamp(s.store().clock().now())))
}

/// Asks where to save a bundle, then writes it: what the chosen laptops have not acknowledged,
/// or everything. None when the dialog is cancelled.
#[tauri::command]
pub async fn export_bundle(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    scope: ExportScope,
    progress: Channel<TaskProgress>,
) -> CommandResult<Option<Exported>> {
    let name = format!("throughline-{}.throughline", file_stamp(&state)?);
    let chosen = app
        .dialog()
        .file()
        .set_title("Save the sync bundle")
        .set_file_name(&name)
        .add_filter("Throughline bundle", &["throughline"])
        .blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    tasks::watched(&app, progress, move |state, progress| {
        let (_, summary) = signed_in(state, Permission::Sync.roles(), |s| {
            let actor = s.actor();
            let save = |bytes: &[u8]| write_file(&path, bytes).map_err(|e| SyncError::NotSaved(e.to_string()));
            sync::export_with(s.store_mut(), &actor, &scope, progress, save).map_err(coded)
        })?;
        Ok(Some(Exported { path: path.display().to_string(), summary }))
    })
    .await
}

/// Asks which bundles to import (one or several), then imports each, all or nothing.
#[tauri::command]
pub async fn import_bundles(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    progress: Channel<TaskProgress>,
) -> CommandResult<Vec<Imported>> {
    signed_in(&state, Permission::Sync.roles(), |_| Ok(()))?;
    let chosen = app
        .dialog()
        .file()
        .set_title("Import sync bundles")
        .add_filter("Throughline bundle", &["throughline"])
        .blocking_pick_files()
        .unwrap_or_default();
    let paths: Vec<PathBuf> = chosen.into_iter().filter_map(|p| p.into_path().ok()).collect();
    tasks::watched(&app, progress, move |state, progress| {
        let mut out = Vec::new();
        for path in paths {
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let result = std::fs::read(&path)
                .map_err(|e| error(ErrorCode::StoreFiles, &format!("The file could not be read ({e}).")))
                .and_then(|bytes| {
                    signed_in(state, Permission::Sync.roles(), |s| {
                        let actor = s.actor();
                        let summary = sync::import_watched(s.store_mut(), &actor, &bytes, progress).map_err(coded)?;
                        // A deactivation it brought: the leaver's key slot goes, the database is re-keyed.
                        s.forget_leavers_watched(progress).map_err(coded)?;
                        Ok(summary)
                    })
                });
            let (summary, error) = match result {
                Ok(summary) => (Some(summary), None),
                Err(e) => (None, Some(e)),
            };
            out.push(Imported { file, summary, error });
        }
        Ok(out)
    })
    .await
}

/// The conflicts inbox: a team lead's holds every open conflict, a worker's those where their
/// change was not kept.
#[tauri::command]
pub async fn sync_conflicts(app: State<'_, AppState>) -> CommandResult<Vec<Conflict>> {
    reading(&app, Permission::Sync.roles(), |s| conflicts::list(s.store().reader(), whose_conflicts(s).as_deref()).map_err(coded)).await
}

#[tauri::command]
pub async fn settle_conflict(app: State<'_, AppState>, settle: Settle) -> CommandResult<()> {
    signed_in(&app, Permission::Sync.roles(), |s| {
        if !s.has_any(Permission::LeadTeam.roles()) {
            let mine = conflicts::list(s.store().reader(), Some(&s.worker().id)).map_err(coded)?;
            if !mine.iter().any(|c| c.record_type == settle.record_type && c.record_id == settle.record_id && c.field == settle.field) {
                return Err(error(ErrorCode::AuthForbidden, "Only a team lead, or the worker whose change was not kept, can settle this."));
            }
        }
        let actor = s.actor();
        conflicts::settle(s.store_mut(), &actor, &settle).map_err(coded)
    })
}

/// A team lead enrols a new laptop: asks where to save its join file, then makes it.
#[tauri::command]
pub async fn make_join_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    laptop: NewLaptop,
    progress: Channel<TaskProgress>,
) -> CommandResult<Option<JoinFileSaved>> {
    signed_in(&state, Permission::LeadTeam.roles(), |_| Ok(()))?;
    let name = format!("join-{}.throughline-join", laptop.label.trim().to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let chosen = app.dialog().file().set_title("Save the join file").set_file_name(&name).blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    tasks::watched(&app, progress, move |state, progress| {
        let made = signed_in(state, Permission::LeadTeam.roles(), |s| {
            let actor = s.actor();
            join::make_watched(s.store_mut(), &actor, &laptop, progress, saving_to(&path)).map_err(coded)
        })?;
        Ok(Some(JoinFileSaved {
            path: path.display().to_string(),
            passphrase: made.passphrase,
            device_label: made.device_label,
            worker_name: made.worker_name,
        }))
    })
    .await
}

/// A team lead enrols the partnership hub: asks where to save its enrolment file, then makes it.
#[tauri::command]
pub async fn make_hub_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    label: String,
    progress: Channel<TaskProgress>,
) -> CommandResult<Option<HubFileSaved>> {
    signed_in(&state, Permission::LeadTeam.roles(), |_| Ok(()))?;
    let name = format!("hub-{}.throughline-hub", label.trim().to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let chosen = app.dialog().file().set_title("Save the hub enrolment file").set_file_name(&name).blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    tasks::watched(&app, progress, move |state, progress| {
        let made = signed_in(state, Permission::LeadTeam.roles(), |s| {
            let actor = s.actor();
            hub::make_watched(s.store_mut(), &actor, &label, progress, saving_to(&path)).map_err(coded)
        })?;
        Ok(Some(HubFileSaved { path: path.display().to_string(), passphrase: made.passphrase, label: made.label }))
    })
    .await
}

#[tauri::command]
pub async fn revoke_device(app: State<'_, AppState>, device_id: String) -> CommandResult<()> {
    signed_in(&app, Permission::LeadTeam.roles(), |s| {
        let actor = s.actor();
        devices::revoke(s.store_mut(), &actor, &device_id).map_err(coded)
    })
}

/// First launch on a laptop joining a team: choose the join file the team lead made. Returns
/// the file's name, or None when the dialog is cancelled.
#[tauri::command]
pub async fn choose_join_file(app: tauri::AppHandle, state: State<'_, AppState>) -> CommandResult<Option<String>> {
    if state.installation.is_set_up() {
        return Err(error(ErrorCode::AuthAlreadySetUp, "Throughline is already set up on this laptop."));
    }
    let chosen = app.dialog().file().set_title("Open the join file").blocking_pick_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    let bytes = std::fs::read(&path).map_err(|e| error(ErrorCode::StoreFiles, &format!("The file could not be read ({e}).")))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    *state.join_file.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes);
    Ok(Some(name))
}

/// Joins the team with the chosen join file, its passphrase and the worker's new password.
#[tauri::command]
pub async fn join_team(
    app: tauri::AppHandle,
    passphrase: String,
    password: String,
    progress: Channel<TaskProgress>,
) -> CommandResult<SetUpDone> {
    tasks::watched(&app, progress, move |state, progress| {
        let bytes = state.join_file.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let Some(bytes) = bytes else {
            return Err(error(ErrorCode::SyncNotAJoinFile, "Choose the join file first."));
        };
        let (session, recovery) = state.installation.join_watched(&bytes, &passphrase, &password, progress).map_err(coded)?;
        let info = session.info().map_err(coded)?;
        *state.join_file.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *state.session() = SessionState::SignedIn(Box::new(session));
        Ok(SetUpDone { session: info, recovery_key: recovery.display() })
    })
    .await
}
