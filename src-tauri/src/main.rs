// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod memory;
mod state;
mod tasks;

use std::sync::Arc;
use tauri::Manager;
use throughline_core::accounts::Installation;
use throughline_core::clock::SystemClock;

/// Where Throughline keeps its encrypted database: THROUGHLINE_DATA_DIR when set (the demo and
/// the tests use their own folders), otherwise the platform's app data folder.
const DATA_DIR_VARIABLE: &str = "THROUGHLINE_DATA_DIR";

fn main() {
    memory::malloc_settings();
    if let Some(problem) = missing_display() {
        eprintln!("{problem}");
        std::process::exit(2);
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let dir = match std::env::var_os(DATA_DIR_VARIABLE) {
                Some(dir) => dir.into(),
                None => app.path().app_data_dir()?,
            };
            app.manage(state::AppState::new(Installation::new(dir, Arc::new(SystemClock))));
            state::watch_for_idle(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::app_status,
            tasks::cancel_task,
            commands::session::set_up,
            commands::session::sign_in,
            commands::session::sign_out,
            commands::session::lock,
            commands::session::touch,
            commands::session::reset_password_with_recovery_key,
            commands::session::change_own_password,
            commands::workers::list_workers,
            commands::workers::add_worker,
            commands::workers::set_worker_password,
            commands::workers::keys_waiting,
            commands::workers::vouch_for_key,
            commands::workers::own_key,
            commands::workers::deactivate_worker,
            commands::workers::has_recovery_key,
            commands::workers::make_recovery_key,
            commands::settings::get_team_settings,
            commands::settings::save_team_settings,
            commands::settings::verify_audit_chain,
            commands::clients::reference_lists,
            commands::clients::register_client,
            commands::clients::search_clients,
            commands::clients::duplicate_candidates,
            commands::clients::open_client,
            commands::clients::reread_client,
            commands::clients::client_history,
            commands::clients::update_client,
            commands::clients::close_client,
            commands::clients::reopen_client,
            commands::clients::add_alias,
            commands::clients::remove_alias,
            commands::clients::record_consent,
            commands::clients::withdraw_consent,
            commands::clients::my_caseload,
            commands::clients::caseload_of,
            commands::clients::caseload_sizes,
            commands::clients::allocate_client,
            commands::clients::duplicate_pairs,
            commands::clients::dismiss_duplicate,
            commands::clients::merge_clients,
            commands::clients::undo_merge,
            commands::pathway::pathway_lists,
            commands::pathway::record_test,
            commands::clients::client_glance,
            commands::pathway::client_custody,
            commands::pathway::record_assessment,
            commands::pathway::decide_follow_up,
            commands::pathway::book_appointment,
            commands::pathway::reschedule_appointment,
            commands::pathway::cancel_appointment,
            commands::pathway::record_appointment_outcome,
            commands::pathway::produce_failure_statement,
            commands::pathway::produce_assessment_notice,
            commands::pathway::produce_changed_time_notice,
            commands::documents::save_document_pdf,
            commands::pathway::produce_breach_notice,
            commands::pathway::mark_failure_reported,
            commands::pathway::record_caution,
            commands::pathway::record_contact,
            commands::pathway::add_case_note,
            commands::pathway::client_notes,
            commands::pathway::record_hearing,
            commands::pathway::record_hearing_outcome,
            commands::pathway::record_court_note,
            commands::pathway::record_bail,
            commands::pathway::record_suitability,
            commands::pathway::client_court,
            commands::pathway::client_timeline,
            commands::flags::client_flags,
            commands::flags::today,
            commands::flags::today_appointments,
            commands::flags::team_flags,
            commands::flags::flags_page,
            commands::drr::drr_lists,
            commands::drr::client_drr,
            commands::drr::record_drr_order,
            commands::drr::amend_drr_order,
            commands::drr::record_drr_exit_plan,
            commands::drr::end_drr_order,
            commands::drr::add_drr_timetable_slot,
            commands::drr::book_drr_timetable_ahead,
            commands::drr::end_drr_timetable_slot,
            commands::drr::book_drr_test,
            commands::drr::record_drr_test_results,
            commands::drr::record_drr_test_missed,
            commands::drr::record_drr_failure,
            commands::drr::give_drr_warning,
            commands::drr::produce_drr_warning_letter,
            commands::drr::record_drr_breach,
            commands::drr::record_drr_court_decision,
            commands::drr::schedule_drr_review,
            commands::drr::record_drr_provider_views,
            commands::drr::produce_drr_progress_report,
            commands::drr::produce_drr_appointment_card,
            commands::drr::record_drr_review_outcome,
            commands::prison::prison_lists,
            commands::prison::client_prison,
            commands::prison::record_prison_spell,
            commands::prison::change_prison_spell,
            commands::prison::record_prison_transfer,
            commands::prison::cancel_prison_release,
            commands::prison::record_release,
            commands::prison::save_throughcare_plan,
            commands::prison::produce_handover_summary,
            commands::prison::produce_release_plan,
            commands::prison::record_referral,
            commands::prison::update_treatment_episode,
            commands::prison::coming_releases,
            commands::prison::releases_this_week,
            commands::prison::continuity_rate,
            commands::dashboard::dashboard,
            commands::dashboard::figure_list,
            commands::dashboard::weekly_tracker,
            commands::dashboard::save_return,
            commands::sync::sync_status,
            commands::sync::export_bundle,
            commands::sync::import_bundles,
            commands::sync::sync_conflicts,
            commands::sync::settle_conflict,
            commands::sync::make_join_file,
            commands::sync::make_hub_file,
            commands::sync::revoke_device,
            commands::sync::choose_join_file,
            commands::sync::join_team,
            commands::governance::access_report,
            commands::governance::record_disclosure,
            commands::governance::client_disclosures,
            commands::governance::subject_access_summary,
            commands::governance::cases_for_retention_review,
            commands::governance::review_retention,
            commands::backups::back_up,
            commands::backups::verify_backup,
            commands::backups::restore_backup,
            commands::backups::backup_schedule,
            commands::backups::set_backup_schedule,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Throughline could not start: {e}");
            std::process::exit(1);
        });
}

/// A plain sentence instead of a toolkit error when there is no screen to draw on.
fn missing_display() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "Throughline is a desktop app and needs a display, but none was found (DISPLAY and \
         WAYLAND_DISPLAY are not set).\nOn a machine without a screen, run it in a virtual one: \
         xvfb-run -a make run"
            .into(),
    )
}
