//! Any produced document saved as a PDF file, through the system's save dialog, for sending by
//! secure email.
use super::pathway::read;
use crate::state::{coded, error, signed_in, AppState, CommandResult};
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::roles::Role;
use throughline_core::documents::{pdf, Document};
use throughline_core::ErrorCode;

/// A file for someone outside the app: asks where to save it (the system's save dialog, so the
/// path never comes from the web view, and no lock held while the worker chooses), writes it,
/// and records the export in the audit trail as `action` about `client_id` ("{what} to {path}").
/// A file the audit trail could not record is removed. None when the dialog is cancelled.
pub(crate) struct Export<'a> {
    pub title: &'a str,
    pub file_name: &'a str,
    /// "pdf" or "csv".
    pub extension: &'a str,
    pub bytes: Vec<u8>,
    pub roles: &'a [Role],
    pub action: &'a str,
    pub client_id: Option<&'a str>,
    pub what: &'a str,
}

pub(crate) fn save_through_dialog(app: &tauri::AppHandle, state: &AppState, export: Export<'_>) -> CommandResult<Option<String>> {
    let chosen = app
        .dialog()
        .file()
        .set_title(export.title)
        .set_file_name(export.file_name)
        .add_filter(export.extension.to_uppercase(), &[export.extension])
        .blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    std::fs::write(&path, export.bytes)
        .map_err(|e| error(ErrorCode::ExportWriteFailed, &format!("The file could not be saved there ({e}). Choose another folder.")))?;
    let shown = path.display().to_string();
    signed_in(state, export.roles, |s| {
        let actor = s.actor();
        let detail = format!("{} to {shown}", export.what);
        read(s.store_mut().write(&actor, |w| w.audit(export.action, export.client_id, &detail)))
    })
    .inspect_err(|_| {
        // An export the audit trail does not know of is not left behind.
        let _ = std::fs::remove_file(&path);
    })?;
    Ok(Some(shown))
}

/// Renders the document the worker has in front of them as a PDF and saves it where they choose,
/// audited as an export. Only a document core produced for this worker is accepted. None when
/// the dialog is cancelled, otherwise where it was saved.
#[tauri::command]
pub async fn save_document_pdf(app: tauri::AppHandle, state: State<'_, AppState>, document: Document) -> CommandResult<Option<String>> {
    let bytes = signed_in(&state, &[], |s| {
        // The documents are caseworkers' and, for the access report, auditors'.
        if !(s.has_any(Permission::Casework.roles()) || s.has_any(Permission::CheckAudit.roles())) {
            return Err(error(ErrorCode::AuthForbidden, "Your role does not allow this. Ask your team lead if you need it."));
        }
        if !state.produced.was_produced(&document) {
            return Err(error(
                ErrorCode::PathwayNotAllowed,
                "This document was not produced here since you signed in. Produce it again from the record, then save it.",
            ));
        }
        throughline_core::clients::require(s.store().reader(), &document.client_id).map_err(coded)?;
        let team = read(s.store().team_name())?;
        Ok(pdf::render(&document.paper(), &team))
    })?;
    let file_name = pdf::file_name(&document.title, document.produced_on);
    save_through_dialog(
        &app,
        &state,
        Export {
            title: "Save the document as PDF",
            file_name: &file_name,
            extension: "pdf",
            bytes,
            roles: &[],
            action: "exported a document as PDF",
            client_id: Some(&document.client_id),
            what: &document.title,
        },
    )
}
