//! Prison, release and throughcare; referrals and treatment episodes; coming releases.
use super::pathway::read;
use crate::state::{coded, reading, reading_record, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::Reads;
use throughline_core::documents::Document;
use throughline_core::prison::releases::{self, ComingRelease, ContinuityRate};
use throughline_core::prison::treatment::{self, EpisodeInput};
use throughline_core::prison::{
    self, handover, release_plan, NewPlan, NewRelease, NewSpell, NewTransfer, PrisonLists, PrisonSummary, SpellChange,
};

const PRISON: &[Role] = Permission::Prison.roles();

#[tauri::command]
pub async fn prison_lists() -> PrisonLists {
    prison::lists()
}

#[tauri::command]
pub async fn client_prison(app: State<'_, AppState>, client_id: String) -> CommandResult<PrisonSummary> {
    reading_record(&app, Permission::Casework.roles(), |s| client_prison_read(s, &client_id))
}

/// What `client_prison` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_prison_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<PrisonSummary> {
    s.reads_about(client_id, "viewed prison and treatment");
    prison::for_client(s.conn(), client_id, s.now()).map_err(coded)
}

#[tauri::command]
pub async fn record_prison_spell(app: State<'_, AppState>, client_id: String, input: NewSpell) -> CommandResult<String> {
    signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        prison::record_spell(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn change_prison_spell(app: State<'_, AppState>, spell_id: String, input: SpellChange) -> CommandResult<()> {
    signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        prison::change_spell(s.store_mut(), &actor, &spell_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_prison_transfer(app: State<'_, AppState>, spell_id: String, input: NewTransfer) -> CommandResult<String> {
    signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        prison::record_transfer(s.store_mut(), &actor, &spell_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn cancel_prison_release(app: State<'_, AppState>, spell_id: String, reason: String) -> CommandResult<()> {
    signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        prison::cancel_release(s.store_mut(), &actor, &spell_id, &reason).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_release(app: State<'_, AppState>, spell_id: String, input: NewRelease) -> CommandResult<()> {
    signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        prison::record_release(s.store_mut(), &actor, &spell_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn save_throughcare_plan(app: State<'_, AppState>, spell_id: String, input: NewPlan) -> CommandResult<String> {
    signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        prison::save_plan(s.store_mut(), &actor, &spell_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn produce_handover_summary(app: State<'_, AppState>, spell_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        handover::produce(s.store_mut(), &actor, &spell_id).map_err(coded)
    }))
}

/// The plan the person is handed as they leave prison.
#[tauri::command]
pub async fn produce_release_plan(app: State<'_, AppState>, spell_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, PRISON, |s| {
        let actor = s.actor();
        release_plan::for_person(s.store_mut(), &actor, &spell_id).map_err(coded)
    }))
}

/// Referrals and treatment episodes belong to any client's record, so every caseworker may
/// record them.
#[tauri::command]
pub async fn record_referral(app: State<'_, AppState>, client_id: String, input: EpisodeInput) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        treatment::record_referral(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn update_treatment_episode(app: State<'_, AppState>, episode_id: String, input: EpisodeInput) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        treatment::update_episode(s.store_mut(), &actor, &episode_id, &input).map_err(coded)
    })
}

/// Everyone in prison with an expected release up to `days` ahead (or passed unrecorded).
#[tauri::command]
pub async fn coming_releases(app: State<'_, AppState>, days: u32) -> CommandResult<Vec<ComingRelease>> {
    reading(&app, PRISON, move |s| {
        let releases = read(releases::coming(s.store().reader(), s.store().clock().now(), days.min(366), None))?;
        s.reads_about_each(releases.iter().map(|r| r.client_id.as_str()), "listed in coming releases");
        Ok(releases)
    })
    .await
}

/// How the releases of the last `days` days fared against the 21-day ambition.
#[tauri::command]
pub async fn continuity_rate(app: State<'_, AppState>, days: u32) -> CommandResult<ContinuityRate> {
    reading(&app, PRISON, move |s| read(releases::continuity_rate(s.store().reader(), s.store().clock().now(), days.min(732)))).await
}

/// Releases due this week for Today: the whole team's for prison link workers and team leads,
/// otherwise the worker's own caseload.
#[tauri::command]
pub async fn releases_this_week(app: State<'_, AppState>) -> CommandResult<Vec<ComingRelease>> {
    reading(&app, Permission::Casework.roles(), move |s| {
        let worker = s.worker().id.clone();
        let mine = if s.has_any(PRISON) { None } else { Some(worker.as_str()) };
        let releases = read(releases::this_week(s.store().reader(), s.store().clock().now(), mine))?;
        s.reads_about_each(releases.iter().map(|r| r.client_id.as_str()), "listed in coming releases");
        Ok(releases)
    })
    .await
}
