//! Retention as a team lead meets it: a case closed in 2017 comes up for review once the team's
//! eight years have passed; it is kept with a reason until a date, or anonymised, after which
//! nothing in the database file names the person while the returns count the case as before.
mod support;
use support::{decrypted_pages, holds, team_at, Team};
use throughline_core::clients::{self, aliases, NewClient};
use throughline_core::clock::Clock;
use throughline_core::court::{self, NewHearing};
use throughline_core::custody::{self, NewTestOnArrest};
use throughline_core::dashboard::{self, Dashboard, Period, Whose};
use throughline_core::governance::disclosures::{self, NewDisclosure};
use throughline_core::governance::retention::{self, NewRetentionReview};
use throughline_core::notes::{self, NewContact, NewNote};
use throughline_core::Coded;

fn close(t: &mut Team, id: &str) {
    let actor = t.lead.actor();
    clients::close(t.lead.store_mut(), &actor, id, "treatment_completed").unwrap();
}

fn due(t: &Team) -> Vec<retention::CaseForReview> {
    retention::due_for_review(t.lead.store().reader(), t.clock.now(), &t.settings, 0).unwrap().cases
}

fn review(t: &mut Team, id: &str, decision: &str, reason: &str, again: &str) -> Result<retention::Anonymised, clients::ClientError> {
    let actor = t.lead.actor();
    let input = NewRetentionReview { decision: decision.into(), reason: reason.into(), review_again_on: again.into() };
    retention::review(t.lead.store_mut(), &actor, id, &input)
}

#[test]
fn a_closed_case_comes_up_for_review_after_eight_years_and_a_kept_one_again_on_its_date() {
    let mut t = team_at("2017-03-01T10:00:00Z");
    let john = t.register_named("Smith", "John");
    let still_open = t.register_named("Okafor", "Grace");
    t.set_clock("2017-06-30T15:00:00Z");
    close(&mut t, &john);

    // A day short of eight years: not yet, and the lead is told until when it is kept.
    t.set_clock("2025-06-29T09:00:00Z");
    assert!(due(&t).is_empty());
    let early = review(&mut t, &john, "anonymised", "", "").unwrap_err();
    assert_eq!(
        early.to_string(),
        "This case closed on 30 Jun 2017 and is kept until 30 Jun 2025 (the team's retention period is 8 years)."
    );

    t.set_clock("2025-06-30T09:00:00Z");
    let list = due(&t);
    assert_eq!(list.len(), 1, "only the closed case; {still_open} is open");
    assert_eq!((list[0].name.as_str(), list[0].closed_on.to_string().as_str()), ("John Smith", "2017-06-30"));
    assert_eq!(list[0].closed_reason_label.as_deref(), Some("Treatment completed"));
    assert_eq!(list[0].last_kept, None);

    // Keeping it needs a reason and a date to look again, after today.
    let bad = review(&mut t, &john, "kept", "", "30/06/2025").unwrap_err();
    let fields: Vec<String> = bad.payload().fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
    assert_eq!(
        fields,
        ["reason: Say why the case is kept beyond the retention period.", "review_again_on: Choose a date after today to review it again."]
    );
    review(&mut t, &john, "kept", "Named in a serious case review that is still open.", "30/06/2026").unwrap();
    assert!(due(&t).is_empty());

    t.set_clock("2026-06-30T09:00:00Z");
    let again = due(&t);
    assert_eq!(again.len(), 1);
    assert_eq!(
        again[0].last_kept.as_deref(),
        Some("Kept on 30 Jun 2025 by Priya Shah: Named in a serious case review that is still open.")
    );

    // The team may keep cases longer: with ten years, it is not due yet.
    t.settings.retention_years = 10;
    assert!(due(&t).is_empty());
}

#[test]
fn a_long_list_of_cases_due_comes_fifty_at_a_time_longest_closed_first() {
    let mut t = team_at("2017-01-02T10:00:00Z");
    let ids: Vec<String> = (0..52).map(|i| t.register_named(&format!("Walker{}", char::from(b'a' + (i % 26) as u8)), "Sam")).collect();
    // One closed each day, the first on 3 January 2017.
    for id in &ids {
        t.clock.advance(chrono::Duration::days(1));
        close(&mut t, id);
    }
    t.set_clock("2026-01-05T09:00:00Z");
    let first = retention::due_for_review(t.lead.store().reader(), t.clock.now(), &t.settings, 0).unwrap();
    assert_eq!((first.total, first.cases.len()), (52, 50));
    assert_eq!(first.cases[0].closed_on.to_string(), "2017-01-03");
    assert_eq!(first.cases.iter().map(|c| &c.client_id).collect::<Vec<_>>(), ids.iter().take(50).collect::<Vec<_>>());
    let next = retention::due_for_review(t.lead.store().reader(), t.clock.now(), &t.settings, 50).unwrap();
    assert_eq!((next.total, next.offset), (52, 50));
    assert_eq!(next.cases.iter().map(|c| &c.client_id).collect::<Vec<_>>(), ids.iter().skip(50).collect::<Vec<_>>());
}

/// Ada Quillfeather's case from 2017: custody, court, contacts, notes, an alias and a
/// disclosure, each holding something that names her.
fn adas_case(t: &mut Team) -> String {
    let actor = t.lead.actor();
    let input = NewClient {
        surname: "Quillfeather".into(),
        forenames: "Ada".into(),
        date_of_birth: "12/05/1990".into(),
        sex: "female".into(),
        address: "14 Larkspur Road".into(),
        postcode: "LS6 2QT".into(),
        phone: "07700 900417".into(),
        nhs_number: "943 476 5919".into(),
        risk_notes: "Lives with her brother Tobias".into(),
        ..Default::default()
    };
    let store = t.lead.store_mut();
    let ada = clients::register(store, &actor, &input).unwrap().id;
    aliases::add(store, &actor, &ada, &aliases::NewAlias { surname: "Quill".into(), forenames: "Addie".into() }).unwrap();
    let test = NewTestOnArrest {
        custody_suite: "Westbridge custody suite".into(),
        arrested_date: "01/03/2017".into(),
        arrested_time: "08:10".into(),
        trigger_offence: "theft".into(),
        tested_date: "01/03/2017".into(),
        tested_time: "09:30".into(),
        opiates: "positive".into(),
        cocaine: "negative".into(),
        sample_type: "oral_fluid".into(),
        ..Default::default()
    };
    custody::record_test(store, &actor, &ada, &test).unwrap();
    let contact =
        NewContact { kind: "phone".into(), date: "01/03/2017".into(), time: "11:00".into(), summary: "Rang from Larkspur Road".into() };
    notes::record_contact(store, &actor, &ada, &contact).unwrap();
    notes::add_note(store, &actor, &ada, &NewNote { text: "Tobias Quillfeather will bring her in.".into(), ..Default::default() }).unwrap();
    let hearing = NewHearing {
        court: "Westbridge Magistrates' Court".into(),
        date: "02/03/2017".into(),
        time: "10:00".into(),
        hearing_type: "first_appearance".into(),
        ..Default::default()
    };
    let hearing = court::record_hearing(store, &actor, &ada, &hearing).unwrap();
    court::record_note(store, &actor, &hearing, "Ms Quillfeather asked for help with her benefits.").unwrap();
    let disclosure = NewDisclosure {
        disclosed_on: "01/03/2017".into(),
        recipient: "Larkspur Housing Association".into(),
        what: "Her address".into(),
        purpose: "Tenancy support".into(),
        basis: "consent".into(),
        ..Default::default()
    };
    disclosures::record(store, &actor, &ada, &disclosure).unwrap();
    ada
}

/// A count about one person, read straight from the database.
fn count_of(t: &Team, sql: &str, id: &str) -> i64 {
    t.lead.store().reader().query_row(sql, [id], |r| r.get(0)).unwrap()
}

fn year_2017(t: &mut Team) -> Dashboard {
    let (now, settings) = (t.clock.now(), t.settings.clone());
    let period = Period { from: "2017-01-01".parse().unwrap(), to: "2017-12-31".parse().unwrap() };
    let mut other = t.lead.start_reading().unwrap();
    let mut both = [t.lead.store_mut().reader_mut(), other.store_mut().reader_mut()];
    dashboard::dashboard(&mut both, now, &settings, period, Whose::Team).unwrap()
}

/// What names Ada, as stored: her names, identifiers, address and what was written about her.
const ADA: &[&str] = &["Quillfeather", "Larkspur", "LS6 2QT", "07700 900417", "9434765919", "1990-05-12", "Tobias", "Addie"];

#[test]
fn anonymising_leaves_no_trace_of_the_person_in_the_database_file_and_the_returns_count_the_same() {
    let mut t = team_at("2017-03-01T12:00:00Z");
    let ada = adas_case(&mut t);
    let grace = t.register_named("Okafor", "Grace");
    t.set_clock("2017-09-01T10:00:00Z");
    close(&mut t, &ada);
    t.set_clock("2026-11-29T10:00:00Z");
    let returns_before = year_2017(&mut t);
    let key = t.lead.database_key_for_tests();
    let file = t._dir.path().join("throughline.db");

    // Before: her details are in the pages, as the search below would find them.
    let pages = decrypted_pages(&file, &key);
    for text in ADA {
        assert!(holds(&pages, text), "{text} is in the database before anonymising");
    }

    let removed = review(&mut t, &ada, "anonymised", "", "").unwrap();
    // Her own record, alias, contact, note, hearing and disclosure; and the changes that named
    // her (the record's first and last, the alias, contact, note, court note and disclosure).
    assert_eq!((removed.records, removed.changes), (6, 7));
    assert_eq!(year_2017(&mut t), returns_before, "the returns count her case as before");
    assert!(clients::search(t.lead.store().reader(), "Quillfeather", t.clock.now()).unwrap().is_empty());
    // Her entry has left the search index, and is not put back under her new name.
    assert_eq!(count_of(&t, "SELECT count(*) FROM client_search WHERE rowid = (SELECT search_id FROM clients WHERE id = ?1)", &ada), 0);
    let actor = t.lead.actor();
    let record = clients::open(t.lead.store_mut(), &actor, &ada).unwrap();
    assert_eq!(
        (record.surname.as_str(), record.forenames.as_str(), record.date_of_birth.to_string().as_str()),
        ("Anonymised", "", "1990-01-01")
    );
    assert_eq!((record.address.as_deref(), record.nhs_number.as_deref()), (Some(retention::REMOVED), Some(retention::REMOVED)));
    assert!(record.anonymised_at.is_some());
    let again = review(&mut t, &ada, "anonymised", "", "").unwrap_err();
    assert_eq!(again.to_string(), "This case was anonymised already.");
    // Nothing new is recorded about an anonymised person, and nothing already there is lost.
    let contact = NewContact { kind: "phone".into(), date: "29/11/2026".into(), time: "09:00".into(), summary: "Rang".into() };
    let refused = notes::record_contact(t.lead.store_mut(), &actor, &ada, &contact).unwrap_err();
    assert!(refused.to_string().contains("anonymised after a retention review"), "{refused}");
    assert_eq!(year_2017(&mut t), returns_before);
    assert_eq!(count_of(&t, "SELECT count(*) FROM audit_log WHERE action = 'anonymised a closed case' AND client_id = ?1", &ada), 1);
    assert!(!due(&t).iter().any(|c| c.client_id == ada));

    // After, with the laptop closed: nothing names her in any page of the file or its log,
    // while Grace, whose case is open, is still there to be found.
    drop(t.lead);
    let pages = decrypted_pages(&file, &key);
    for text in ADA {
        assert!(!holds(&pages, text), "{text} is still in the database file");
    }
    assert!(holds(&pages, "Okafor"), "{grace} is kept");
}

/// Every text column of every table about a client is either removed on anonymising or kept
/// on purpose, so a column a new stage adds cannot be forgotten.
#[test]
fn every_column_about_a_client_is_either_removed_or_kept_on_purpose() {
    let t = support::team();
    let conn = t.lead.store().reader();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'client_search%' AND name NOT LIKE 'sqlite%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let decided = |table: &str, column: &str| {
        retention::personal_columns().any(|(t, columns)| t == table && columns.contains(&column))
            || retention::KEPT.iter().any(|(t, columns)| *t == table && columns.contains(&column))
    };
    let mut undecided = Vec::new();
    for table in tables {
        let columns: Vec<(String, String)> = conn
            .prepare("SELECT name, type FROM pragma_table_info(?1)")
            .unwrap()
            .query_map([&table], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let about_a_client = table == "clients" || columns.iter().any(|(c, _)| c == "client_id" || c == "survivor_id");
        for (column, kind) in columns.iter().filter(|_| about_a_client) {
            let reference = column == "id" || column == "at" || ["_id", "_on", "_at", "_by"].iter().any(|s| column.ends_with(s));
            if kind.eq_ignore_ascii_case("TEXT") && !reference && !decided(&table, column) {
                undecided.push(format!("{table}.{column}"));
            }
        }
    }
    assert!(undecided.is_empty(), "decide whether anonymising removes these: {undecided:?}");
}

/// Anonymising finds a record's stored changes by the kind of record its table holds: the kinds
/// it names are the synced records' own, so a change arriving later is cleared too.
#[test]
fn the_kinds_of_record_anonymising_names_are_the_synced_ones() {
    let synced = throughline_core::sync::records::all();
    for (record_type, table) in retention::personal_record_types() {
        assert!(synced.contains(&(record_type, table)), "{table} holds {record_type} records, as sync names them");
    }
}
