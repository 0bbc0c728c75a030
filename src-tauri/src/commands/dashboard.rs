//! The team lead's dashboard, the lists behind its figures, and the returns saved as CSV.
use super::pathway::read;
use crate::state::{coded, error, reading, reading_shared, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::workers;
use throughline_core::accounts::Reading;
use throughline_core::accounts::{connections, Reads};
use throughline_core::dashboard::returns::{self, Heading, ReturnKind, Tracker};
use throughline_core::dashboard::{self, Dashboard, DashboardAsk, FigureList, FigureListAsk, Period, Whose};
use throughline_core::dates;
use throughline_core::documents::pdf;
use throughline_core::store::shared;
use throughline_core::ErrorCode;

fn period(s: &Reading, ask: &DashboardAsk) -> CommandResult<Period> {
    Period::choose(ask, dates::today(s.store().clock().now())).map_err(coded)
}

#[tauri::command]
pub async fn dashboard(app: State<'_, AppState>, ask: DashboardAsk) -> CommandResult<Dashboard> {
    reading_shared(&app, Permission::LeadTeam.roles(), shared::FOR_THE_TEAM, move |all| {
        let (period, settings, now) = (period(&all[0], &ask)?, all[0].team_settings(), all[0].store().clock().now());
        read(dashboard::dashboard(&mut connections(all), now, &settings, period, Whose::of(ask.worker_id.as_deref())))
    })
    .await
}

#[tauri::command]
pub async fn figure_list(app: State<'_, AppState>, ask: FigureListAsk) -> CommandResult<FigureList> {
    reading(&app, Permission::LeadTeam.roles(), move |s| {
        let list = read(dashboard::figure_list(s.store().reader(), s.store().clock().now(), &ask))?.ok_or_else(|| {
            error(ErrorCode::DashboardUnknownFigure, "That figure is not on the dashboard. Choose it again from the dashboard.")
        })?;
        s.reads_about_each(list.clients.iter().map(|c| c.client_id.as_str()), "listed in a dashboard figure");
        Ok(list)
    })
    .await
}

#[tauri::command]
pub async fn weekly_tracker(app: State<'_, AppState>, ask: DashboardAsk) -> CommandResult<Tracker> {
    reading(&app, Permission::LeadTeam.roles(), move |s| {
        let period = period(s, &ask)?;
        read(returns::weekly_tracker(s.store().reader(), s.store().clock().now(), period, Whose::of(ask.worker_id.as_deref())))
    })
    .await
}

/// Builds the return (as CSV for another system, or as PDF to send on) and saves it where the
/// team lead chooses, audited as an export. None when the dialog is cancelled, otherwise where
/// it was saved.
#[tauri::command]
pub async fn save_return(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    kind: ReturnKind,
    ask: DashboardAsk,
    as_pdf: bool,
) -> CommandResult<Option<String>> {
    let extension = if as_pdf { "pdf" } else { "csv" };
    let (bytes, file_name, what) = reading(&state, Permission::LeadTeam.roles(), move |s| {
        let period = period(s, &ask)?;
        let (settings, now) = (s.team_settings(), s.store().clock().now());
        let team = read(s.store().team_name())?;
        let conn = s.store_mut().reader_mut();
        let whose = Whose::of(ask.worker_id.as_deref());
        let worker = match &ask.worker_id {
            Some(id) => Some(read(workers::by_id(conn, id))?.map(|w| w.display_name).unwrap_or_default()),
            None => None,
        };
        let heading = Heading { team: &team, worker: worker.as_deref() };
        let scope = worker.clone().unwrap_or_else(|| "the whole team".into());
        Ok(match kind {
            ReturnKind::WeeklyTracker => {
                let tracker = read(returns::weekly_tracker(conn, now, period, whose))?;
                (
                    if as_pdf {
                        pdf::render(&returns::tracker_paper(&tracker, &heading), &team)
                    } else {
                        returns::tracker_csv(&tracker, &heading).into_bytes()
                    },
                    returns::file_name("weekly-tracker", period, extension),
                    format!("weekly tracker for {scope}, {}", returns::period_words(period)),
                )
            }
            ReturnKind::MonthlyReturn => {
                let month = read(dashboard::dashboard(&mut [conn], now, &settings, period, whose))?;
                (
                    if as_pdf {
                        pdf::render(&returns::monthly_paper(&month, &heading), &team)
                    } else {
                        returns::monthly_csv(&month, &heading).into_bytes()
                    },
                    returns::file_name("monthly-return", period, extension),
                    format!("monthly activity return for {scope}, {}", returns::period_words(period)),
                )
            }
        })
    })
    .await?;
    let title = format!("Save the return as {}", extension.to_uppercase());
    super::documents::save_through_dialog(
        &app,
        &state,
        super::documents::Export {
            title: &title,
            file_name: &file_name,
            extension,
            bytes,
            roles: Permission::LeadTeam.roles(),
            action: "exported a return",
            client_id: None,
            what: &what,
        },
    )
}
