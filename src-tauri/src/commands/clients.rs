use crate::state::{coded, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::roles::Role;
use throughline_core::clients::{self, ClientRecord, NewClient, SearchResult};
use throughline_core::store::StoreError;

#[tauri::command]
pub fn register_client(app: State<'_, AppState>, input: NewClient) -> CommandResult<String> {
    signed_in(&app, &Role::CASEWORK, |s| {
        let actor = s.actor();
        clients::register(s.store_mut(), &actor, &input).map(|c| c.id).map_err(coded)
    })
}

#[tauri::command]
pub fn search_clients(app: State<'_, AppState>, query: String) -> CommandResult<Vec<SearchResult>> {
    signed_in(&app, &Role::CASEWORK, |s| {
        let store = s.store();
        clients::search(store.reader(), &query, store.clock().now()).map_err(|e| coded(StoreError::from(e)))
    })
}

#[tauri::command]
pub fn open_client(app: State<'_, AppState>, id: String) -> CommandResult<ClientRecord> {
    signed_in(&app, &Role::CASEWORK, |s| {
        let actor = s.actor();
        clients::open(s.store_mut(), &actor, &id).map_err(coded)
    })
}
