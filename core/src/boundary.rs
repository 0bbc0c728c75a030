//! The TypeScript the UI uses for every type crossing the command boundary, generated from
//! these Rust types. `generated_types_are_current` fails when `ui/src/lib/api/types.ts` is
//! stale; run `make types` (UPDATE_TYPES=1) to rewrite it.
use ts_rs::TS;

/// Every exported declaration, in a stable order.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        crate::codes::ErrorCode::decl(&cfg),
        crate::error::FieldError::decl(&cfg),
        crate::error::ErrorPayload::decl(&cfg),
        crate::accounts::roles::Role::decl(&cfg),
        crate::accounts::workers::WorkerView::decl(&cfg),
        crate::accounts::workers::NewWorker::decl(&cfg),
        crate::accounts::SetUpInput::decl(&cfg),
        crate::accounts::SessionInfo::decl(&cfg),
        crate::accounts::settings::TeamSettings::decl(&cfg),
        crate::clients::Sex::decl(&cfg),
        crate::clients::ClientStatus::decl(&cfg),
        crate::clients::NewClient::decl(&cfg),
        crate::clients::SearchResult::decl(&cfg),
        crate::clients::ClientRecord::decl(&cfg),
        crate::reference::Choice::decl(&cfg),
        crate::clients::reference::ReferenceLists::decl(&cfg),
        crate::clients::aliases::AliasView::decl(&cfg),
        crate::clients::aliases::NewAlias::decl(&cfg),
        crate::clients::consent::ConsentView::decl(&cfg),
        crate::clients::consent::NewConsent::decl(&cfg),
        crate::clients::merge::MergeView::decl(&cfg),
        crate::clients::history::FieldChange::decl(&cfg),
        crate::clients::caseload::CaseloadSize::decl(&cfg),
        crate::clients::duplicates::DuplicateCandidate::decl(&cfg),
        crate::clients::duplicates::DuplicatePair::decl(&cfg),
        crate::store::audit::ChainCheck::decl(&cfg),
        crate::accounts::AppStatus::decl(&cfg),
        crate::accounts::SetUpDone::decl(&cfg),
        crate::documents::Document::decl(&cfg),
        crate::appointments::OwnerType::decl(&cfg),
        crate::appointments::AppointmentStatus::decl(&cfg),
        crate::appointments::Variation::decl(&cfg),
        crate::appointments::FailureDocument::decl(&cfg),
        crate::appointments::ReportedTo::decl(&cfg),
        crate::appointments::FailureReport::decl(&cfg),
        crate::appointments::AppointmentView::decl(&cfg),
        crate::appointments::NewAppointment::decl(&cfg),
        crate::appointments::NewOutcome::decl(&cfg),
        crate::appointments::DayAppointment::decl(&cfg),
        crate::stages::PathwayLists::decl(&cfg),
        crate::custody::TestResult::decl(&cfg),
        crate::custody::AssessmentKind::decl(&cfg),
        crate::custody::NewTestOnArrest::decl(&cfg),
        crate::custody::NewAssessment::decl(&cfg),
        crate::custody::TestView::decl(&cfg),
        crate::custody::AssessmentView::decl(&cfg),
        crate::custody::CustodySummary::decl(&cfg),
        crate::custody::caution::NewCaution::decl(&cfg),
        crate::custody::caution::CautionView::decl(&cfg),
        crate::court::NewHearing::decl(&cfg),
        crate::court::HearingOutcome::decl(&cfg),
        crate::court::NewBailDecision::decl(&cfg),
        crate::court::NewSuitability::decl(&cfg),
        crate::court::HearingView::decl(&cfg),
        crate::court::BailView::decl(&cfg),
        crate::court::SuitabilityView::decl(&cfg),
        crate::court::CourtSummary::decl(&cfg),
        crate::drr::NewOrder::decl(&cfg),
        crate::drr::OrderEnding::decl(&cfg),
        crate::drr::OrderAmendment::decl(&cfg),
        crate::drr::DrrOrderView::decl(&cfg),
        crate::drr::DrrSummary::decl(&cfg),
        crate::drr::DrrLists::decl(&cfg),
        crate::drr::timetable::NewSlot::decl(&cfg),
        crate::drr::timetable::SlotView::decl(&cfg),
        crate::drr::testing::NewDrrTest::decl(&cfg),
        crate::drr::testing::TestResults::decl(&cfg),
        crate::drr::testing::DrrTestView::decl(&cfg),
        crate::drr::compliance::NewFailure::decl(&cfg),
        crate::drr::compliance::CourtDecision::decl(&cfg),
        crate::drr::compliance::Standing::decl(&cfg),
        crate::drr::compliance::WarningView::decl(&cfg),
        crate::drr::compliance::FailureView::decl(&cfg),
        crate::drr::compliance::BreachView::decl(&cfg),
        crate::drr::reviews::NewReview::decl(&cfg),
        crate::drr::reviews::ReviewOutcome::decl(&cfg),
        crate::drr::reviews::ReviewView::decl(&cfg),
        crate::prison::NewSpell::decl(&cfg),
        crate::prison::SpellChange::decl(&cfg),
        crate::prison::NewTransfer::decl(&cfg),
        crate::prison::NewRelease::decl(&cfg),
        crate::prison::NewPlan::decl(&cfg),
        crate::prison::ReleaseDateChange::decl(&cfg),
        crate::prison::TransferView::decl(&cfg),
        crate::prison::PlanView::decl(&cfg),
        crate::prison::Continuity::decl(&cfg),
        crate::prison::ContinuityOfCare::decl(&cfg),
        crate::prison::SpellView::decl(&cfg),
        crate::prison::PrisonSummary::decl(&cfg),
        crate::prison::PrisonLists::decl(&cfg),
        crate::prison::treatment::EpisodeInput::decl(&cfg),
        crate::prison::treatment::EpisodeView::decl(&cfg),
        crate::prison::releases::ComingRelease::decl(&cfg),
        crate::prison::releases::ContinuityRate::decl(&cfg),
        crate::notes::NewContact::decl(&cfg),
        crate::notes::NewNote::decl(&cfg),
        crate::notes::ContactView::decl(&cfg),
        crate::notes::NoteView::decl(&cfg),
        crate::notes::ClientNotes::decl(&cfg),
        crate::timeline::Stage::decl(&cfg),
        crate::timeline::TimelineEntry::decl(&cfg),
        crate::accounts::permissions::Permission::decl(&cfg),
        crate::flags::Severity::decl(&cfg),
        crate::flags::Flag::decl(&cfg),
        crate::flags::today::Today::decl(&cfg),
        crate::flags::board::FlagSummary::decl(&cfg),
        crate::flags::board::FlagCount::decl(&cfg),
        crate::flags::board::TeamFlags::decl(&cfg),
        crate::flags::board::FlagFilter::decl(&cfg),
        crate::flags::board::FlagPage::decl(&cfg),
        crate::dashboard::Period::decl(&cfg),
        crate::dashboard::PeriodChoice::decl(&cfg),
        crate::dashboard::DashboardAsk::decl(&cfg),
        crate::dashboard::Grain::decl(&cfg),
        crate::dashboard::Part::decl(&cfg),
        crate::dashboard::FigureKind::decl(&cfg),
        crate::dashboard::FigureView::decl(&cfg),
        crate::dashboard::BreakdownRow::decl(&cfg),
        crate::dashboard::BreakdownView::decl(&cfg),
        crate::dashboard::SectionView::decl(&cfg),
        crate::dashboard::Dashboard::decl(&cfg),
        crate::dashboard::FigureListAsk::decl(&cfg),
        crate::dashboard::FigureClient::decl(&cfg),
        crate::dashboard::FigureList::decl(&cfg),
        crate::dashboard::returns::TrackerWeek::decl(&cfg),
        crate::dashboard::returns::Tracker::decl(&cfg),
        crate::dashboard::returns::ReturnKind::decl(&cfg),
        crate::accounts::backups::BackupSummary::decl(&cfg),
        crate::accounts::backups::BackupSchedule::decl(&cfg),
    ];
    let mut out = String::from("// Generated from the Rust types in throughline-core: do not edit. `make types` rewrites it.\n\n");
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_types_are_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/api/types.ts");
        let fresh = super::typescript();
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::write(path, &fresh).expect("write types.ts");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(committed == fresh, "ui/src/lib/api/types.ts is out of date with the Rust types: run `make types`");
    }
}
