//! Flags: a client's, Today's, the team's counts and any list of them a page at a time.
use super::pathway::read;
use crate::state::{reading, reading_record, reading_shared, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::{connections, Reads};
use throughline_core::appointments::{self, DayAppointment};
use throughline_core::calendar::when;
use throughline_core::flags::board::{self, FlagFilter, FlagPage, TeamFlags};
use throughline_core::flags::{self, today, Flag};
use throughline_core::store::shared;

#[tauri::command]
pub async fn client_flags(app: State<'_, AppState>, client_id: String) -> CommandResult<Vec<Flag>> {
    reading_record(&app, Permission::Casework.roles(), |s| client_flags_read(s, &client_id))
}

/// What `client_flags` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_flags_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<Vec<Flag>> {
    s.reads_about(client_id, "viewed flags");
    read(flags::for_client(s.conn(), s.now(), &s.settings(), client_id))
}

#[tauri::command]
pub async fn today(app: State<'_, AppState>) -> CommandResult<today::Today> {
    reading_shared(&app, Permission::Casework.roles(), shared::FOR_TODAY, move |all| {
        let (now, settings, worker_id) = (all[0].store().clock().now(), all[0].team_settings(), all[0].worker().id.clone());
        // A caseload's rules shared among connections: at bench scale a worker holds 17,000 people.
        let today = read(today::for_worker_today(&mut connections(all), now, &settings, &worker_id))?;
        let s = &mut all[0];
        s.reads_about_each(today.appointments.iter().map(|a| a.client_id.as_str()), "listed in Today's appointments");
        s.reads_about_each(today.flags.iter().map(|f| f.client_id.as_str()), "listed in flags");
        Ok(today)
    })
    .await
}

/// All of the worker's appointments today, when Today's first ones are not the whole day.
#[tauri::command]
pub async fn today_appointments(app: State<'_, AppState>) -> CommandResult<Vec<DayAppointment>> {
    reading(&app, Permission::Casework.roles(), move |s| {
        let day = when::london_date(s.store().clock().now());
        let all = read(appointments::of_worker_on(s.store().reader(), &s.worker().id, day, None))?;
        s.reads_about_each(all.iter().map(|a| a.client_id.as_str()), "listed in Today's appointments");
        Ok(all)
    })
    .await
}

#[tauri::command]
pub async fn team_flags(app: State<'_, AppState>) -> CommandResult<TeamFlags> {
    let kept = app.team_flags.clone();
    reading_shared(&app, Permission::LeadTeam.roles(), shared::FOR_THE_TEAM, move |all| {
        let (now, settings, session) = (all[0].store().clock().now(), all[0].team_settings(), all[0].session_id());
        read(kept.team(session, &mut connections(all), now, &settings))
    })
    .await
}

/// A page of a list of flags. A team lead may list anyone's; every other worker lists only
/// their own caseload's, whatever the filter asks.
#[tauri::command]
pub async fn flags_page(app: State<'_, AppState>, filter: FlagFilter) -> CommandResult<FlagPage> {
    reading(&app, Permission::Casework.roles(), move |s| {
        let mut filter = filter;
        if !s.has_any(Permission::LeadTeam.roles()) {
            filter.worker_id = Some(s.worker().id.clone());
        }
        let page = read(board::page(s.store().reader(), s.store().clock().now(), &s.team_settings(), &filter))?;
        s.reads_about_each(page.flags.iter().map(|f| f.client_id.as_str()), "listed in flags");
        Ok(page)
    })
    .await
}
