//! Information governance as a team lead meets it: the access report.
mod support;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::clients;
use throughline_core::governance::access;

#[test]
fn the_access_report_names_everyone_who_viewed_or_changed_the_record_and_is_itself_audited() {
    let mut team = support::team();
    let id = team.register();
    team.lead
        .add_worker(&NewWorker { display_name: "Dan Kowalski".into(), login: "dan".into(), roles: vec![Role::Custody], password: "custody-suite-seven".into() })
        .unwrap();
    let installation = throughline_core::accounts::Installation::new(team._dir.path(), team.clock.clone());
    let mut dan = installation.sign_in("dan", "custody-suite-seven").unwrap();
    let actor = dan.actor();
    clients::open(dan.store_mut(), &actor, &id).unwrap();

    let actor = team.lead.actor();
    let report = access::access_report(team.lead.store_mut(), &actor, &id).unwrap();
    assert_eq!(report.title, "Access report");
    assert_eq!(report.subject, "John Smith, born 3 Mar 1987");
    let text = report.paragraphs.join("\n");
    assert!(text.contains("2 people have accessed this record: Dan Kowalski (viewed once); Priya Shah (changed once, printed once)."), "{text}");
    assert!(text.contains("23 Nov 2026 at 09:00 — Priya Shah changed: added a client."), "{text}");
    assert!(text.contains("23 Nov 2026 at 09:00 — Dan Kowalski viewed: client record."), "{text}");
    assert!(text.contains("Priya Shah printed: produced an access report."), "{text}");
    let audited: i64 = team
        .lead
        .store()
        .reader()
        .query_row("SELECT count(*) FROM audit_log WHERE action = ?1 AND client_id = ?2", [access::PRODUCED, &id], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 1);
}
