//! Information governance as a team meets it: the access report, the disclosure log and the
//! subject access summary.
mod support;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::accounts::Reads;
use throughline_core::clients;
use throughline_core::governance::{access, disclosures, subject_access};
use throughline_core::notes;
use throughline_core::store::audit::{self, TrailProblem};

#[test]
fn the_access_report_names_everyone_who_viewed_or_changed_the_record_and_is_itself_audited() {
    let mut team = support::team();
    let id = team.register();
    team.lead
        .add_worker(&NewWorker {
            display_name: "Dan Kowalski".into(),
            login: "dan".into(),
            roles: vec![Role::Custody],
            password: "custody-suite-seven".into(),
        })
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
    assert!(
        text.contains("2 people have accessed this record: Dan Kowalski (viewed once); Priya Shah (changed once, printed once)."),
        "{text}"
    );
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

#[test]
fn a_record_read_with_its_parts_is_named_first_whichever_arrived_first() {
    let mut team = support::team();
    let id = team.register();
    // The record screen asks for the record and its parts at once; here custody arrives first.
    team.lead.reads_about(&id, "viewed custody");
    team.lead.finish_reads(true).unwrap();
    let actor = team.lead.actor();
    clients::open(team.lead.store_mut(), &actor, &id).unwrap();

    let report = access::access_report(team.lead.store_mut(), &actor, &id).unwrap();
    let text = report.paragraphs.join("\n");
    assert!(text.contains("Priya Shah viewed: client record, custody."), "{text}");
}

#[test]
fn a_list_of_people_shown_is_one_audit_entry_that_each_persons_access_report_still_finds() {
    let mut team = support::team();
    let names = ["Adams", "Baker", "Clarke", "Davies", "Evans"];
    let ids: Vec<String> = names.iter().map(|n| team.register_named(n, "Sam")).collect();
    let entries =
        |team: &support::Team| -> i64 { team.lead.store().reader().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap() };
    let before = entries(&team);
    team.lead.reads_about_each(ids.iter().map(String::as_str), "listed in a caseload");
    team.lead.finish_reads(true).unwrap();
    assert_eq!(entries(&team), before + 1, "one entry for the whole list");
    for id in &ids {
        assert_eq!(audit::count_naming(team.lead.store().reader(), id, "listed in a caseload").unwrap(), 1);
    }
    let actor = team.lead.actor();
    let report = access::access_report(team.lead.store_mut(), &actor, &ids[2]).unwrap();
    let text = report.paragraphs.join("\n");
    assert!(text.contains("Priya Shah viewed: listed in a caseload"), "{text}");
    assert!(team.lead.store().verify_audit_chain().unwrap().intact);

    // Someone with the key who takes a name out of the list (the guard dropped) is found out.
    let seq: i64 = team.lead.store().reader().query_row("SELECT max(seq) FROM audit_listed", [], |r| r.get(0)).unwrap();
    team.lead
        .store()
        .reader()
        .execute_batch(&format!("DROP TRIGGER audit_listed_is_append_only_delete; DELETE FROM audit_listed WHERE client_id = '{}'", ids[2]))
        .unwrap();
    let check = team.lead.store().verify_audit_chain().unwrap();
    assert_eq!((check.problem, check.first_broken_entry), (TrailProblem::Changed, Some(seq)));
    assert!(
        check.finding.contains(&format!("The people listed in entry {seq} have been changed since it was written.")),
        "{}",
        check.finding
    );
}

fn disclosure(basis: &str, legal_basis: &str) -> disclosures::NewDisclosure {
    disclosures::NewDisclosure {
        disclosed_on: "20/11/2026".into(),
        recipient: "PC Jones, West Yorkshire Police safeguarding team".into(),
        what: "Current address and that he attends the service".into(),
        purpose: "A welfare check after a threat to his safety".into(),
        basis: basis.into(),
        legal_basis: legal_basis.into(),
    }
}

#[test]
fn a_disclosure_says_on_what_basis_and_without_consent_must_name_the_law() {
    let mut team = support::team();
    let id = team.register();
    let actor = team.lead.actor();
    let refused = disclosures::record(team.lead.store_mut(), &actor, &id, &disclosure("legal_basis", "")).unwrap_err();
    let clients::ClientError::Invalid(problems) = refused else { panic!("a form error") };
    assert_eq!(problems.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), vec!["legal_basis"]);
    let future = disclosures::NewDisclosure { disclosed_on: "24/11/2026".into(), ..disclosure("consent", "") };
    assert!(disclosures::record(team.lead.store_mut(), &actor, &id, &future).is_err());

    disclosures::record(team.lead.store_mut(), &actor, &id, &disclosure("consent", "")).unwrap();
    disclosures::record(
        team.lead.store_mut(),
        &actor,
        &id,
        &disclosure("legal_basis", "Safeguarding: risk of serious harm (DPA 2018 Sch 1 para 18)"),
    )
    .unwrap();
    let shown = disclosures::for_client(team.lead.store().reader(), &id).unwrap();
    let bases: Vec<&str> = shown.iter().map(|d| d.basis_label.as_str()).collect();
    assert!(bases.contains(&"With their consent"));
    assert!(bases.contains(&"Without consent: Safeguarding: risk of serious harm (DPA 2018 Sch 1 para 18)"));
    assert_eq!(shown[0].recorded_by, "Priya Shah");
}

#[test]
fn the_subject_access_summary_holds_details_timeline_notes_documents_and_disclosures() {
    let mut team = support::team();
    let id = team.register();
    let actor = team.lead.actor();
    notes::record_contact(
        team.lead.store_mut(),
        &actor,
        &id,
        &notes::NewContact {
            kind: "phone".into(),
            date: "22/11/2026".into(),
            time: "14:30".into(),
            summary: "Rang about his appointment".into(),
        },
    )
    .unwrap();
    notes::add_note(team.lead.store_mut(), &actor, &id, &notes::NewNote { text: "Wants help with housing.".into(), ..Default::default() })
        .unwrap();
    team.lead.store_mut().write(&actor, |w| w.audit("printed DRR warning letter", Some(&id), "w-1")).unwrap();
    disclosures::record(team.lead.store_mut(), &actor, &id, &disclosure("legal_basis", "Crime and Disorder Act 1998 s115")).unwrap();

    let summary = subject_access::summary(team.lead.store_mut(), &actor, &id).unwrap();
    assert_eq!(summary.title, "Subject access summary");
    assert_eq!(summary.subject, "John Smith, born 3 Mar 1987");
    let text = summary.paragraphs.join("\n");
    for expected in [
        "Name: John Smith",
        "Date of birth: 3 Mar 1987",
        &format!("PNC id: {}", support::john_smith_pnc()),
        "Registered on 23 Nov 2026 at 09:00 by Priya Shah",
        "22 Nov 2026 at 14:30 — Phone call (recorded by Priya Shah): Rang about his appointment",
        "case note by Priya Shah: Wants help with housing.",
        "23 Nov 2026 at 09:00 — DRR warning letter (by Priya Shah)",
        "20 Nov 2026 — shared with PC Jones, West Yorkshire Police safeguarding team: Current address and that he attends the service. Why: A welfare check after a threat to his safety. Basis: Without consent: Crime and Disorder Act 1998 s115. Recorded by Priya Shah.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let timeline_at = summary.paragraphs.iter().position(|p| p == "Timeline").unwrap();
    let headed: Vec<&str> = summary.headings.clone().unwrap().iter().map(|&i| summary.paragraphs[i as usize].as_str()).collect();
    assert_eq!(headed, ["Details", "Timeline", "Contacts and case notes", "Documents produced", "Disclosures"]);
    assert!(
        summary.paragraphs[timeline_at + 1].starts_with("22 Nov 2026 — Community: Rang about his appointment"),
        "{}",
        summary.paragraphs[timeline_at + 1]
    );
    let audited: i64 = team
        .lead
        .store()
        .reader()
        .query_row("SELECT count(*) FROM audit_log WHERE action = ?1 AND client_id = ?2", [subject_access::PRODUCED, &id], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 1);
}
