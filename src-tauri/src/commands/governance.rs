//! Information governance: who read a person's data (the access report), what was shared with
//! whom (the disclosure log), everything held about one person (the subject access summary), and
//! the review of closed cases past the retention period.
use super::pathway::read;
use crate::state::{coded, reading, reading_record, signed_in, AppState, CommandResult};
use tauri::State;
use throughline_core::accounts::permissions::Permission;
use throughline_core::accounts::{Reading, Reads};
use throughline_core::documents::Document;
use throughline_core::governance::disclosures::{self, DisclosureView, NewDisclosure};
use throughline_core::governance::retention::{self, Anonymised, CasesForReview, NewRetentionReview};
use throughline_core::governance::{access, subject_access};

/// Team leads and administrators: everyone who viewed, changed, printed or exported this
/// person's data. Producing it is audited.
#[tauri::command]
pub async fn access_report(app: State<'_, AppState>, client_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, Permission::CheckAudit.roles(), |s| {
        let actor = s.actor();
        access::access_report(s.store_mut(), &actor, &client_id).map_err(coded)
    }))
}

/// Any caseworker records what they shared.
#[tauri::command]
pub async fn record_disclosure(app: State<'_, AppState>, client_id: String, input: NewDisclosure) -> CommandResult<String> {
    signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        disclosures::record(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[tauri::command]
pub async fn client_disclosures(app: State<'_, AppState>, client_id: String) -> CommandResult<Vec<DisclosureView>> {
    reading_record(&app, Permission::Casework.roles(), |s| client_disclosures_read(s, &client_id))
}

/// What `client_disclosures` reads, and notes for the audit trail whose data it read.
pub(crate) fn client_disclosures_read(s: &mut dyn Reads, client_id: &str) -> CommandResult<Vec<DisclosureView>> {
    s.reads_about(client_id, "viewed disclosures");
    disclosures::for_client(s.conn(), client_id).map_err(coded)
}

/// Any caseworker (a subject access request, a case transfer). Producing it is audited.
#[tauri::command]
pub async fn subject_access_summary(app: State<'_, AppState>, client_id: String) -> CommandResult<Document> {
    app.produced.remember(signed_in(&app, Permission::Casework.roles(), |s| {
        let actor = s.actor();
        subject_access::summary(s.store_mut(), &actor, &client_id).map_err(coded)
    }))
}

/// Team leads: closed cases past the team's retention period, waiting for a decision. The list
/// names people, so each one shown is audited.
#[tauri::command]
pub async fn cases_for_retention_review(app: State<'_, AppState>, offset: u32) -> CommandResult<CasesForReview> {
    reading(&app, Permission::LeadTeam.roles(), move |s| cases_for_retention_review_read(s, offset)).await
}

pub(crate) fn cases_for_retention_review_read(s: &mut Reading, offset: u32) -> CommandResult<CasesForReview> {
    let page = read(retention::due_for_review(s.store().reader(), s.store().clock().now(), &s.team_settings(), offset))?;
    for case in &page.cases {
        s.reads_about(&case.client_id, "listed for a retention review");
    }
    Ok(page)
}

/// Team leads: keep a case past the retention period, or anonymise it.
#[tauri::command]
pub async fn review_retention(app: State<'_, AppState>, client_id: String, input: NewRetentionReview) -> CommandResult<Anonymised> {
    signed_in(&app, Permission::LeadTeam.roles(), |s| {
        let actor = s.actor();
        retention::review(s.store_mut(), &actor, &client_id, &input).map_err(coded)
    })
}

#[cfg(test)]
mod tests {
    use super::super::{clients, drr, flags, pathway, prison};
    use crate::state::{read_here, reading_record, signed_in, AppState, SessionState};
    use std::sync::Arc;
    use throughline_core::accounts::permissions::Permission;
    use throughline_core::accounts::Installation;
    use throughline_core::clients::NewClient;
    use throughline_core::clock::FixedClock;
    use throughline_core::testing;

    fn team_with_a_client() -> (tempfile::TempDir, AppState, String) {
        let dir = tempfile::tempdir().unwrap();
        let app = AppState::new(Installation::new(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))));
        let mut lead = testing::set_up_team(&app.installation);
        let actor = lead.actor();
        let input = NewClient {
            surname: "Smith".into(),
            forenames: "John".into(),
            date_of_birth: "03/03/1987".into(),
            sex: "male".into(),
            ..Default::default()
        };
        let id = throughline_core::clients::register(lead.store_mut(), &actor, &input).unwrap().id;
        *app.session() = SessionState::SignedIn(Box::new(lead));
        (dir, app, id)
    }

    fn audited(app: &AppState, client: &str, action: &str) -> i64 {
        match &*app.session() {
            SessionState::SignedIn(s) => throughline_core::store::audit::count_naming(s.store().reader(), client, action).unwrap(),
            _ => panic!("signed in"),
        }
    }

    fn open_record(app: &AppState, id: &str) {
        if let SessionState::SignedIn(s) = &mut *app.session() {
            let actor = s.actor();
            s.opened_record(id);
            throughline_core::clients::open(s.store_mut(), &actor, id).unwrap();
        }
    }

    /// Each command that reads a person's data leaves one audit entry naming them; reading it
    /// again (the refresh after a save) adds none; opening the record again starts afresh.
    #[test]
    fn each_client_reading_command_leaves_one_audit_entry_naming_the_client() {
        let (_dir, app, id) = team_with_a_client();
        let casework = Permission::Casework.roles();
        // The parts of a record, read on the session's connection; then lists, on readings.
        type Part = fn(&mut dyn throughline_core::accounts::Reads, &str) -> Result<(), throughline_core::ErrorPayload>;
        type List = fn(&mut throughline_core::accounts::Reading) -> Result<(), throughline_core::ErrorPayload>;
        let parts: [(&str, Part); 10] = [
            ("viewed disclosures", |s, id| super::client_disclosures_read(s, id).map(drop)),
            ("viewed the record's history", |s, id| clients::client_history_read(s, id).map(drop)),
            ("viewed custody", |s, id| pathway::client_custody_read(s, id).map(drop)),
            ("viewed court", |s, id| pathway::client_court_read(s, id).map(drop)),
            ("viewed contacts and notes", |s, id| pathway::client_notes_read(s, id).map(drop)),
            ("viewed the timeline", |s, id| pathway::client_timeline_read(s, id).map(drop)),
            ("viewed the DRR", |s, id| drr::client_drr_read(s, id).map(drop)),
            ("viewed prison and treatment", |s, id| prison::client_prison_read(s, id).map(drop)),
            ("viewed flags", |s, id| flags::client_flags_read(s, id).map(drop)),
            ("viewed the record at a glance", |s, id| clients::client_glance_read(s, id).map(drop)),
        ];
        let lists: [(&str, List); 2] = [
            ("shown in search results", |s| clients::search_clients_read(s, "smith").map(drop)),
            ("listed in a caseload", |s| {
                let worker = s.worker().id.clone();
                clients::caseload_read(s, &worker, 0).map(drop)
            }),
        ];
        let read_all = |times: i64| {
            for (action, part) in parts {
                reading_record(&app, casework, |s| part(s, &id)).unwrap();
                assert_eq!(audited(&app, &id, action), times, "{action}");
            }
            for (action, list) in lists {
                read_here(&app, casework, list).unwrap();
                assert_eq!(audited(&app, &id, action), times, "{action}");
            }
        };
        open_record(&app, &id);
        assert_eq!(audited(&app, &id, "viewed client record"), 1);
        read_all(1);
        // Read again (the refresh after a save): not audited again.
        read_all(1);
        // The record opened again is a new view.
        open_record(&app, &id);
        read_all(2);
    }

    #[test]
    fn each_case_listed_for_a_retention_review_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at("2016-01-04T09:00:00Z"));
        let app = AppState::new(Installation::new(dir.path(), clock.clone()));
        let mut lead = testing::set_up_team(&app.installation);
        let actor = lead.actor();
        let input = NewClient {
            surname: "Hale".into(),
            forenames: "Tom".into(),
            date_of_birth: "30/01/1979".into(),
            sex: "male".into(),
            ..Default::default()
        };
        let id = throughline_core::clients::register(lead.store_mut(), &actor, &input).unwrap().id;
        throughline_core::clients::close(lead.store_mut(), &actor, &id, "moved_away").unwrap();
        drop(lead);
        clock.advance(chrono::Duration::days(9 * 365));
        let lead = app.installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).unwrap();
        *app.session() = SessionState::SignedIn(Box::new(lead));
        let listed = read_here(&app, Permission::LeadTeam.roles(), |s| super::cases_for_retention_review_read(s, 0)).unwrap();
        assert_eq!(listed.cases.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Tom Hale"]);
        assert_eq!(audited(&app, &id, "listed for a retention review"), 1);
    }

    #[test]
    fn only_team_leads_and_administrators_produce_an_access_report() {
        let (_dir, app, id) = team_with_a_client();
        let produce = |app: &AppState| {
            signed_in(app, Permission::CheckAudit.roles(), |s| {
                let actor = s.actor();
                throughline_core::governance::access::access_report(s.store_mut(), &actor, &id).map_err(crate::state::coded)
            })
        };
        assert!(produce(&app).unwrap().paragraphs.iter().any(|p| p.contains("Priya Shah")));
        if let SessionState::SignedIn(s) = &mut *app.session() {
            s.add_worker(&throughline_core::accounts::workers::NewWorker {
                display_name: "Dan Kowalski".into(),
                login: "dan".into(),
                roles: vec![throughline_core::accounts::roles::Role::Custody],
                password: "custody-suite-seven".into(),
            })
            .unwrap();
        }
        *app.session() = SessionState::SignedIn(Box::new(app.installation.sign_in("dan", "custody-suite-seven").unwrap()));
        assert_eq!(produce(&app).unwrap_err().code, throughline_core::ErrorCode::AuthForbidden);
    }
}
