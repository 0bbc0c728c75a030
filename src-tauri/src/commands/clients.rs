use crate::state::{coded, reading, reading_record, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::{Reading, Reads};
use throughline_core::clients::aliases::{self, NewAlias};
use throughline_core::clients::caseload::{self, CaseloadSize};
use throughline_core::clients::consent::{self, NewConsent};
use throughline_core::clients::duplicates::{self, DuplicateCandidate, DuplicatePage};
use throughline_core::clients::history::{self, FieldChange};
use throughline_core::clients::reference::{self, ReferenceLists};
use throughline_core::clients::{self, merge, ClientRecord, NewClient, SearchResult};
use throughline_core::glance::caseload::CaseloadPage;
use throughline_core::glance::{self, Glance};
use throughline_core::store::StoreError;

/// Maps a query's database error to the payload the UI shows.
fn read<T, E: Into<StoreError>>(r: Result<T, E>) -> CommandResult<T> {
    r.map_err(|e| coded(e.into()))
}

#[tauri::command]
pub async fn reference_lists() -> ReferenceLists {
    reference::lists()
}

#[tauri::command]
pub async fn register_client(app: State<'_, AppState>, input: NewClient) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        clients::register(s.store_mut(), &actor, &input).map(|c| c.id).map_err(coded)
    })
}

#[tauri::command]
pub async fn search_clients(app: State<'_, AppState>, query: String) -> CommandResult<Vec<SearchResult>> {
    reading(&app, Permission::Casework.roles(), move |s| search_clients_read(s, &query)).await
}

/// What `search_clients` reads, and notes for the audit trail whose data it read.
pub(crate) fn search_clients_read(s: &mut Reading, query: &str) -> CommandResult<Vec<SearchResult>> {
    let found = read(clients::search(s.store().reader(), query, s.store().clock().now()))?;
    for person in &found {
        s.reads_about(&person.id, "shown in search results");
    }
    Ok(found)
}

#[tauri::command]
pub async fn duplicate_candidates(app: State<'_, AppState>, input: NewClient) -> CommandResult<Vec<DuplicateCandidate>> {
    reading(&app, Permission::Casework.roles(), move |s| {
        read(duplicates::candidates_for(s.store().reader(), &input, s.store().clock().now()))
    })
    .await
}

#[tauri::command]
pub async fn open_client(app: State<'_, AppState>, id: String) -> CommandResult<ClientRecord> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        s.opened_record(&id);
        clients::open(s.store_mut(), &actor, &id).map_err(coded)
    })
}

/// The record after a save: read again without a new "viewed" audit entry.
#[tauri::command]
pub async fn reread_client(app: State<'_, AppState>, id: String) -> CommandResult<ClientRecord> {
    reading(&app, Permission::Casework.roles(), move |s| clients::reread(s.store().reader(), &id, s.store().clock().now()).map_err(coded))
        .await
}

#[tauri::command]
pub async fn client_history(app: State<'_, AppState>, id: String) -> CommandResult<Vec<FieldChange>> {
    reading_record(&app, Permission::Casework.roles(), |s| client_history_read(s, &id))
}

/// What `client_history` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_history_read(s: &mut dyn Reads, id: &str) -> CommandResult<Vec<FieldChange>> {
    s.reads_about(id, "viewed the record's history");
    read(history::for_client(s.conn(), id))
}

#[tauri::command]
pub async fn update_client(app: State<'_, AppState>, id: String, input: NewClient) -> CommandResult<Vec<String>> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        clients::update_details(s.store_mut(), &actor, &id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn close_client(app: State<'_, AppState>, id: String, reason: String) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        clients::close(s.store_mut(), &actor, &id, &reason).map_err(coded)
    })
}

#[tauri::command]
pub async fn reopen_client(app: State<'_, AppState>, id: String) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        clients::reopen(s.store_mut(), &actor, &id).map_err(coded)
    })
}

#[tauri::command]
pub async fn add_alias(app: State<'_, AppState>, client_id: String, input: NewAlias) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        aliases::add(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn remove_alias(app: State<'_, AppState>, alias_id: String) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        aliases::remove(s.store_mut(), &actor, &alias_id).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_consent(app: State<'_, AppState>, client_id: String, input: NewConsent) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        let months = s.team_settings().consent_review_months;
        consent::record(s.store_mut(), &actor, &client_id, &input, months).map_err(coded)
    })
}

#[tauri::command]
pub async fn withdraw_consent(app: State<'_, AppState>, consent_id: String) -> CommandResult<()> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        consent::withdraw(s.store_mut(), &actor, &consent_id).map_err(coded)
    })
}

#[tauri::command]
pub async fn my_caseload(app: State<'_, AppState>, offset: u32) -> CommandResult<CaseloadPage> {
    reading(&app, Permission::Casework.roles(), move |s| {
        let worker = s.worker().id.clone();
        caseload_read(s, &worker, offset)
    })
    .await
}

/// A page of a caseload, each person on it noted for the audit trail.
pub(crate) fn caseload_read(s: &mut Reading, worker_id: &str, offset: u32) -> CommandResult<CaseloadPage> {
    let settings = s.team_settings();
    let page = glance::caseload::of_worker(s.store().reader(), worker_id, s.store().clock().now(), &settings, offset).map_err(coded)?;
    s.reads_about_each(page.people.iter().map(|p| p.person.id.as_str()), "listed in a caseload");
    Ok(page)
}

#[tauri::command]
pub async fn client_glance(app: State<'_, AppState>, client_id: String) -> CommandResult<Glance> {
    reading_record(&app, Permission::Casework.roles(), |s| client_glance_read(s, &client_id))
}

/// What `client_glance` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_glance_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<Glance> {
    s.reads_about(client_id, "viewed the record at a glance");
    glance::for_client(s.conn(), client_id, s.now(), &s.settings()).map_err(coded)
}

#[tauri::command]
pub async fn caseload_of(app: State<'_, AppState>, worker_id: String, offset: u32) -> CommandResult<CaseloadPage> {
    reading(&app, Permission::LeadTeam.roles(), move |s| caseload_read(s, &worker_id, offset)).await
}

#[tauri::command]
pub async fn caseload_sizes(app: State<'_, AppState>) -> CommandResult<Vec<CaseloadSize>> {
    reading(&app, Permission::LeadTeam.roles(), move |s| read(caseload::sizes(s.store().reader()))).await
}

#[tauri::command]
pub async fn allocate_client(app: State<'_, AppState>, client_id: String, worker_id: Option<String>) -> CommandResult<()> {
    signed_in(&app, Permission::LeadTeam.roles(), |s| {
        let actor = s.actor();
        caseload::allocate(s.store_mut(), &actor, &client_id, worker_id.as_deref()).map_err(coded)
    })
}

#[tauri::command]
pub async fn duplicate_pairs(app: State<'_, AppState>, offset: u32) -> CommandResult<DuplicatePage> {
    reading(&app, Permission::LeadTeam.roles(), move |s| {
        let page = read(duplicates::page(s.store().reader(), s.store().clock().now(), offset))?;
        s.reads_about_each(page.pairs.iter().flat_map(|p| [p.first.id.as_str(), p.second.id.as_str()]), "listed as a possible duplicate");
        Ok(page)
    })
    .await
}

#[tauri::command]
pub async fn dismiss_duplicate(app: State<'_, AppState>, first_id: String, second_id: String) -> CommandResult<()> {
    signed_in(&app, Permission::LeadTeam.roles(), |s| {
        let actor = s.actor();
        duplicates::dismiss(s.store_mut(), &actor, &first_id, &second_id).map_err(coded)
    })
}

#[tauri::command]
pub async fn merge_clients(app: State<'_, AppState>, survivor_id: String, merged_id: String, reasons: String) -> CommandResult<String> {
    signed_in(&app, Permission::LeadTeam.roles(), |s| {
        let actor = s.actor();
        merge::merge(s.store_mut(), &actor, &survivor_id, &merged_id, &reasons).map_err(coded)
    })
}

#[tauri::command]
pub async fn undo_merge(app: State<'_, AppState>, merge_id: String) -> CommandResult<()> {
    signed_in(&app, Permission::LeadTeam.roles(), |s| {
        let actor = s.actor();
        merge::undo(s.store_mut(), &actor, &merge_id).map_err(coded)
    })
}
