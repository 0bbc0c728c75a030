//! Any produced document saved as a PDF file, through the system's save dialog, for sending by
//! secure email.
use super::pathway::read;
use crate::state::{coded, error, signed_in, AppState, CommandResult};
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use throughline_core::accounts::permissions::Permission;
use throughline_core::documents::{pdf, Document};
use throughline_core::ErrorCode;

/// Renders the document the worker has in front of them as a PDF, asks where to save it (no
/// lock held while they choose), writes it and records the saving in the audit trail. None when
/// the dialog is cancelled, otherwise where it was saved.
#[tauri::command]
pub async fn save_document_pdf(app: tauri::AppHandle, state: State<'_, AppState>, document: Document) -> CommandResult<Option<String>> {
    let bytes = signed_in(&state, &[], |s| {
        // The documents are caseworkers' and, for the access report, auditors'.
        if !(s.has_any(Permission::Casework.roles()) || s.has_any(Permission::CheckAudit.roles())) {
            return Err(error(ErrorCode::AuthForbidden, "Your role does not allow this. Ask your team lead if you need it."));
        }
        throughline_core::clients::require(s.store().reader(), &document.client_id).map_err(coded)?;
        let team = read(s.store().team_name())?;
        Ok(pdf::render(&document.paper(), &team))
    })?;
    let chosen = app
        .dialog()
        .file()
        .set_title("Save the document as PDF")
        .set_file_name(pdf::file_name(&document.title, document.produced_on))
        .add_filter("PDF", &["pdf"])
        .blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    std::fs::write(&path, bytes)
        .map_err(|e| error(ErrorCode::ExportWriteFailed, &format!("The PDF could not be saved there ({e}). Choose another folder.")))?;
    let shown = path.display().to_string();
    signed_in(&state, &[], |s| {
        let actor = s.actor();
        let detail = format!("{} to {shown}", document.title);
        read(s.store_mut().write(&actor, |w| w.audit("exported a document as PDF", Some(&document.client_id), &detail)))
    })
    .inspect_err(|_| {
        // A file the audit trail does not know of is not left behind.
        let _ = std::fs::remove_file(&path);
    })?;
    Ok(Some(shown))
}
