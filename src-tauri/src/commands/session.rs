use crate::state::{coded, lock as lock_session, AppState, CommandResult, SessionState};
use crate::tasks;
use tauri::ipc::Channel;
use tauri::State;
use throughline_core::accounts::{AppStatus, SessionInfo, SetUpDone, SetUpInput};
use throughline_core::store::progress::TaskProgress;

#[tauri::command]
pub async fn app_status(app: State<'_, AppState>) -> CommandResult<AppStatus> {
    app.usable()?;
    let state = app.session();
    let (session, locked_login) = match &*state {
        SessionState::SignedIn(s) => (Some(s.info().map_err(coded)?), None),
        SessionState::Locked { login } => (None, Some(login.clone())),
        SessionState::SignedOut => (None, None),
    };
    Ok(AppStatus { version: throughline_core::VERSION.into(), set_up: app.installation.is_set_up(), session, locked_login })
}

#[tauri::command]
pub async fn set_up(app: State<'_, AppState>, input: SetUpInput) -> CommandResult<SetUpDone> {
    app.usable()?;
    let (session, recovery) = app.installation.set_up(&input).map_err(coded)?;
    let info = session.info().map_err(coded)?;
    *app.session() = SessionState::SignedIn(Box::new(session));
    Ok(SetUpDone { session: info, recovery_key: recovery.display() })
}

/// Watched: the first sign-in after an update brings the database up to date, which on a
/// large team takes many seconds, and the window shows its steps.
#[tauri::command]
pub async fn sign_in(
    app: tauri::AppHandle,
    login: String,
    password: String,
    progress: Channel<TaskProgress>,
) -> CommandResult<SessionInfo> {
    tasks::watched(&app, progress, move |app, progress| {
        app.usable()?;
        let session = app.installation.sign_in_watched(&login, &password, progress).map_err(coded)?;
        let info = session.info().map_err(coded)?;
        let mut state = app.session();
        lock_session(app, &mut state, "signed out: another worker signed in");
        app.produced.forget();
        *state = SessionState::SignedIn(Box::new(session));
        Ok(info)
    })
    .await
}

#[tauri::command]
pub async fn sign_out(app: State<'_, AppState>) -> CommandResult<()> {
    let mut state = app.session();
    lock_session(&app, &mut state, "signed out");
    app.produced.forget();
    *state = SessionState::SignedOut;
    Ok(())
}

#[tauri::command]
pub async fn lock(app: State<'_, AppState>) -> CommandResult<()> {
    lock_session(&app, &mut app.session(), "locked by the worker");
    Ok(())
}

/// The worker is typing or moving the mouse: keep the session awake.
#[tauri::command]
pub async fn touch(app: State<'_, AppState>) -> CommandResult<()> {
    crate::state::signed_in(&app, &[], |_| Ok(()))
}

#[tauri::command]
pub async fn reset_password_with_recovery_key(
    app: State<'_, AppState>,
    recovery_key: String,
    login: String,
    new_password: String,
) -> CommandResult<()> {
    app.usable()?;
    app.installation.reset_password_with_recovery_key(&recovery_key, &login, &new_password).map_err(coded)
}

#[tauri::command]
pub async fn change_own_password(app: State<'_, AppState>, current_password: String, new_password: String) -> CommandResult<()> {
    crate::state::signed_in(&app, &[], |s| s.change_own_password(&current_password, &new_password).map_err(coded))
}
