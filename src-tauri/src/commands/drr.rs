//! The Drug Rehabilitation Requirement: the order, timetable, testing ledger, failures,
//! warnings, breach, reviews and their documents. Community workers and team leads act; any
//! caseworker may read.
use crate::state::{coded, reading_record, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::Reads;
use throughline_core::documents::Document;
use throughline_core::drr::compliance::{self, CourtDecision, NewFailure};
use throughline_core::drr::reviews::{self, NewReview, ReviewOutcome};
use throughline_core::drr::testing::{self, NewDrrTest, TestResults};
use throughline_core::drr::timetable::{self, NewSlot};
use throughline_core::drr::{self, card, letters, DrrLists, DrrSummary, NewOrder, OrderEnding};

const DRR: &[Role] = Permission::Drr.roles();

#[tauri::command]
pub async fn drr_lists() -> DrrLists {
    drr::lists()
}

#[tauri::command]
pub async fn client_drr(app: State<'_, AppState>, client_id: String) -> CommandResult<DrrSummary> {
    reading_record(&app, Permission::Casework.roles(), |s| client_drr_read(s, &client_id))
}

/// What `client_drr` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_drr_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<DrrSummary> {
    s.reads_about(client_id, "viewed the DRR");
    drr::for_client(s.conn(), client_id, s.now()).map_err(coded)
}

#[tauri::command]
pub async fn record_drr_order(app: State<'_, AppState>, client_id: String, input: NewOrder) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        drr::record_order(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn amend_drr_order(app: State<'_, AppState>, order_id: String, input: NewOrder) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        drr::amend_order(s.store_mut(), &actor, &order_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_drr_exit_plan(app: State<'_, AppState>, order_id: String, plan: String) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        drr::record_exit_plan(s.store_mut(), &actor, &order_id, &plan).map_err(coded)
    })
}

#[tauri::command]
pub async fn end_drr_order(app: State<'_, AppState>, order_id: String, input: OrderEnding) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        drr::end_order(s.store_mut(), &actor, &order_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn add_drr_timetable_slot(app: State<'_, AppState>, order_id: String, input: NewSlot) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        timetable::add_slot(s.store_mut(), &actor, &order_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn book_drr_timetable_ahead(app: State<'_, AppState>, order_id: String) -> CommandResult<u32> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        timetable::book_ahead(s.store_mut(), &actor, &order_id).map(|n| n as u32).map_err(coded)
    })
}

#[tauri::command]
pub async fn end_drr_timetable_slot(app: State<'_, AppState>, slot_id: String, last_day: String) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        timetable::end_slot(s.store_mut(), &actor, &slot_id, &last_day).map_err(coded)
    })
}

#[tauri::command]
pub async fn book_drr_test(app: State<'_, AppState>, order_id: String, input: NewDrrTest) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        testing::book(s.store_mut(), &actor, &order_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_drr_test_results(app: State<'_, AppState>, test_id: String, input: TestResults) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        testing::record_results(s.store_mut(), &actor, &test_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_drr_test_missed(app: State<'_, AppState>, test_id: String, reason: String) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        testing::record_missed(s.store_mut(), &actor, &test_id, &reason).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_drr_failure(app: State<'_, AppState>, order_id: String, input: NewFailure) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        compliance::record_failure(s.store_mut(), &actor, &order_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn give_drr_warning(app: State<'_, AppState>, failure_id: String, given_on: String) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        compliance::give_warning(s.store_mut(), &actor, &failure_id, &given_on).map_err(coded)
    })
}

#[tauri::command]
pub async fn produce_drr_warning_letter(app: State<'_, AppState>, warning_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, DRR, |s| {
        let actor = s.actor();
        letters::warning_letter(s.store_mut(), &actor, &warning_id).map_err(coded)
    }))
}

#[tauri::command]
pub async fn record_drr_breach(app: State<'_, AppState>, failure_id: String, returned_on: String) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        compliance::record_breach(s.store_mut(), &actor, &failure_id, &returned_on).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_drr_court_decision(app: State<'_, AppState>, breach_id: String, input: CourtDecision) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        compliance::record_court_decision(s.store_mut(), &actor, &breach_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn schedule_drr_review(app: State<'_, AppState>, order_id: String, input: NewReview) -> CommandResult<String> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        reviews::schedule(s.store_mut(), &actor, &order_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn record_drr_provider_views(app: State<'_, AppState>, review_id: String, views: String) -> CommandResult<()> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        reviews::record_provider_views(s.store_mut(), &actor, &review_id, &views).map_err(coded)
    })
}

#[tauri::command]
pub async fn produce_drr_progress_report(app: State<'_, AppState>, review_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, DRR, |s| {
        let actor = s.actor();
        letters::progress_report(s.store_mut(), &actor, &review_id).map_err(coded)
    }))
}

/// The card the person takes away: their appointments and tests for the coming weeks.
#[tauri::command]
pub async fn produce_drr_appointment_card(app: State<'_, AppState>, order_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, DRR, |s| {
        let actor = s.actor();
        card::appointment_card(s.store_mut(), &actor, &order_id).map_err(coded)
    }))
}

#[tauri::command]
pub async fn record_drr_review_outcome(app: State<'_, AppState>, review_id: String, input: ReviewOutcome) -> CommandResult<Option<String>> {
    signed_in(&app, DRR, |s| {
        let actor = s.actor();
        reviews::record_outcome(s.store_mut(), &actor, &review_id, &input).map_err(coded)
    })
}
