//! The client register as a custody suite uses it: finding people however their name was
//! spelt, refusing a second record, spotting and merging duplicates, consent and caseloads.
use std::sync::Arc;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clients::aliases::{self, NewAlias};
use throughline_core::clients::consent::{self, NewConsent};
use throughline_core::clients::{self, caseload, duplicates, history, merge, ClientStatus, NewClient};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::demo;
use throughline_core::glance;
use throughline_core::testing;
use throughline_core::Coded;

struct Team {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    lead: Session,
}

fn team() -> Team {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    let lead = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
    Team { _dir: dir, clock, lead }
}

fn person(surname: &str, forenames: &str, dob: &str) -> NewClient {
    NewClient {
        surname: surname.into(),
        forenames: forenames.into(),
        date_of_birth: dob.into(),
        sex: "male".into(),
        ..NewClient::default()
    }
}

impl Team {
    fn register(&mut self, input: NewClient) -> String {
        let actor = self.lead.actor();
        clients::register(self.lead.store_mut(), &actor, &input).unwrap().id
    }

    fn find(&self, query: &str) -> Vec<String> {
        clients::search(self.lead.store().reader(), query, self.clock.now())
            .unwrap()
            .into_iter()
            .map(|r| format!("{} {}", r.forenames, r.surname))
            .collect()
    }

    fn client(&self, id: &str) -> clients::Client {
        clients::get(self.lead.store().reader(), id).unwrap().unwrap()
    }
}

#[test]
fn names_spelt_differently_still_find_the_person() {
    let mut t = team();
    t.register(person("Smith", "John", "03/03/1987"));
    t.register(person("Khan", "Mohammed", "14/06/1990"));
    t.register(person("O'Brien", "Siobhan", "25/12/1979"));
    assert_eq!(t.find("smyth"), ["John Smith"]);
    assert_eq!(t.find("muhammad khan"), ["Mohammed Khan"]);
    assert_eq!(t.find("obrien"), ["Siobhan O'Brien"]);
    assert_eq!(t.find("smith john"), ["John Smith"], "forename and surname swapped");
    assert_eq!(t.find("john smith 1987"), ["John Smith"]);
}

#[test]
fn an_alias_finds_the_person_and_shows_in_results() {
    let mut t = team();
    let id = t.register(person("Smith", "John", "03/03/1987"));
    let actor = t.lead.actor();
    aliases::add(t.lead.store_mut(), &actor, &id, &NewAlias { surname: String::new(), forenames: "Smudge".into() }).unwrap();
    aliases::add(t.lead.store_mut(), &actor, &id, &NewAlias { surname: "Jones".into(), forenames: "Johnny".into() }).unwrap();
    let found = clients::search(t.lead.store().reader(), "smudge", t.clock.now()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].aliases, ["Smudge", "Johnny Jones"]);
    assert_eq!(t.find("johnny jones"), ["John Smith"]);

    let empty = aliases::add(t.lead.store_mut(), &actor, &id, &NewAlias::default()).err().unwrap();
    assert_eq!(empty.code(), "validation.required");
    // A removed alias no longer finds them.
    let alias_id = clients::open(t.lead.store_mut(), &actor, &id).unwrap().aliases[0].id.clone();
    aliases::remove(t.lead.store_mut(), &actor, &alias_id).unwrap();
    assert!(t.find("smudge").is_empty());
}

#[test]
fn exact_identifier_matches_come_first_and_alone() {
    let mut t = team();
    t.register(NewClient { pnc: "1987/1234567U".into(), ..person("Smith", "John", "03/03/1987") });
    t.register(person("Smith", "Jon", "04/04/1988"));
    assert_eq!(t.find("1987/1234567U"), ["John Smith"]);
    assert_eq!(t.find("smith"), ["John Smith", "Jon Smith"].map(String::from));
}

#[test]
fn registering_shows_likely_matches_and_an_identifier_match_is_certain() {
    let mut t = team();
    t.register(NewClient { pnc: "1987/1234567U".into(), ..person("Smith", "John", "03/03/1987") });
    t.register(person("Khan", "Mohammed", "14/06/1990"));
    let now = t.clock.now();
    let conn = t.lead.store().reader();

    let typed = person("Smyth", "Jon", "03/03/1987");
    let found = duplicates::candidates_for(conn, &typed, now).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].client.surname, "Smith");
    assert!(found[0].reasons.contains(&"Same date of birth".to_string()));
    assert!(found[0].reasons.iter().any(|r| r.contains("Smyth / Smith")), "{:?}", found[0].reasons);
    assert!(!found[0].same_identifier);

    let swapped = duplicates::candidates_for(conn, &person("Mohammed", "Khan", "14/06/1990"), now).unwrap();
    assert_eq!(swapped[0].reasons[1], "Forenames and surname swapped round");

    let by_pnc = duplicates::candidates_for(conn, &NewClient { pnc: "87/1234567U".into(), ..person("Brown", "Lee", "") }, now).unwrap();
    assert!(by_pnc[0].same_identifier);
    assert_eq!(by_pnc[0].reasons, ["Same PNC id"]);

    assert!(duplicates::candidates_for(conn, &person("Jones", "Sarah", "03/03/1987"), now).unwrap().is_empty());
}

#[test]
fn merge_then_undo_restores_both_records_exactly() {
    let mut t = team();
    let a = t.register(NewClient { nhs_number: "943 476 5919".into(), ..person("Smith", "John", "03/03/1987") });
    let b = t.register(NewClient { pnc: "1987/1234567U".into(), postcode: "ls1 4ab".into(), ..person("Smyth", "Jon", "03/03/1987") });
    let actor = t.lead.actor();
    aliases::add(t.lead.store_mut(), &actor, &b, &NewAlias { surname: String::new(), forenames: "Smudge".into() }).unwrap();
    let (a_before, b_before) = (t.client(&a), t.client(&b));

    let merge_id = merge::merge(t.lead.store_mut(), &actor, &a, &b, "Same date of birth; surnames sound alike").unwrap();
    let survivor = t.client(&a);
    assert_eq!(survivor.pnc.as_deref(), Some("1987/1234567U"), "identifiers of both are kept");
    assert_eq!(survivor.nhs_number.as_deref(), Some("9434765919"));
    assert_eq!(survivor.postcode.as_deref(), Some("LS1 4AB"));
    assert_eq!(t.client(&b).status, ClientStatus::Merged);
    // Found as one person, by either name, alias or identifier.
    assert_eq!(t.find("smyth"), ["John Smith"]);
    assert_eq!(t.find("smudge"), ["John Smith"]);
    assert_eq!(t.find("1987/1234567U"), ["John Smith"]);
    let record = clients::open(t.lead.store_mut(), &actor, &a).unwrap();
    let names: Vec<String> = record.aliases.iter().map(|x| format!("{} {}", x.forenames, x.surname).trim().to_string()).collect();
    assert_eq!(names, ["Jon Smyth", "Smudge"]);
    assert_eq!(record.merges.len(), 1);
    // A merged record cannot be changed until the merge is undone.
    let refused = clients::update_details(t.lead.store_mut(), &actor, &b, &person("Smyth", "Jon", "03/03/1987")).err().unwrap();
    assert_eq!(refused.code(), "client.not_allowed");
    let merged_alias = clients::open(t.lead.store_mut(), &actor, &b).unwrap().aliases[0].id.clone();
    assert_eq!(aliases::remove(t.lead.store_mut(), &actor, &merged_alias).err().unwrap().code(), "client.not_allowed");

    merge::undo(t.lead.store_mut(), &actor, &merge_id).unwrap();
    assert_eq!(t.client(&a), a_before);
    assert_eq!(t.client(&b), b_before);
    assert_eq!(t.find("smyth"), ["Jon Smyth", "John Smith"].map(String::from), "two people again, exact surname first");
    assert!(merge::undo(t.lead.store_mut(), &actor, &merge_id).is_err(), "an undone merge cannot be undone twice");
    // The merge and its undo are both in the audit trail.
    let audited: i64 =
        t.lead.store().reader().query_row("SELECT count(*) FROM audit_log WHERE record_type = 'client_merge'", [], |r| r.get(0)).unwrap();
    assert_eq!(audited, 2);
}

#[test]
fn undo_keeps_changes_made_after_the_merge() {
    let mut t = team();
    let a = t.register(person("Smith", "John", "03/03/1987"));
    let b = t.register(NewClient { phone: "07700 900123".into(), ..person("Smyth", "Jon", "03/03/1987") });
    let actor = t.lead.actor();
    let merge_id = merge::merge(t.lead.store_mut(), &actor, &a, &b, "").unwrap();
    let edited =
        NewClient { phone: "07700 900123".into(), gp: "Park Lane Medical Practice".into(), ..person("Smith", "John", "03/03/1987") };
    clients::update_details(t.lead.store_mut(), &actor, &a, &edited).unwrap();
    merge::undo(t.lead.store_mut(), &actor, &merge_id).unwrap();
    let survivor = t.client(&a);
    assert_eq!(survivor.phone, None, "what the merge gave is taken back");
    assert_eq!(survivor.gp.as_deref(), Some("Park Lane Medical Practice"), "later edits stay");
}

#[test]
fn the_duplicate_finder_finds_planted_duplicates_in_generated_data() {
    let mut t = team();
    let now = t.clock.now();
    let actor = t.lead.actor();
    let pop = demo::population(7, 5_000, now, std::slice::from_ref(&actor.worker_id));
    demo::insert(t.lead.store_mut(), &actor, &pop).unwrap();
    let pairs = duplicates::pairs(t.lead.store().reader(), now).unwrap();
    // A team lead reads them a page at a time, in the same order.
    let second = duplicates::page(t.lead.store().reader(), now, duplicates::PAGE_SIZE).unwrap();
    assert_eq!(second.total as usize, pairs.len());
    assert_eq!(second.pairs[..], pairs[duplicates::PAGE_SIZE as usize..][..second.pairs.len()]);
    let found: std::collections::HashSet<(String, String)> =
        pairs
            .iter()
            .map(|p| {
                if p.first.id < p.second.id {
                    (p.first.id.clone(), p.second.id.clone())
                } else {
                    (p.second.id.clone(), p.first.id.clone())
                }
            })
            .collect();
    let planted: Vec<(String, String)> = pop
        .planted_duplicates
        .iter()
        .map(|(i, j)| {
            let (a, b) = (pop.clients[*i].id.clone(), pop.clients[*j].id.clone());
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    let recalled = planted.iter().filter(|p| found.contains(p)).count();
    for (i, j) in &pop.planted_duplicates {
        let (a, b) = (&pop.clients[*i], &pop.clients[*j]);
        let key = if a.id < b.id { (a.id.clone(), b.id.clone()) } else { (b.id.clone(), a.id.clone()) };
        if !found.contains(&key) {
            println!("missed: {} {} / {} {}", a.forenames, a.surname, b.forenames, b.surname);
        }
    }
    let false_suggestions = found.len() - recalled;
    println!(
        "planted {}, found {recalled}, recall {:.1}%, other suggestions {false_suggestions}",
        planted.len(),
        100.0 * recalled as f64 / planted.len() as f64
    );
    assert!(planted.len() > 50);
    assert!(recalled * 100 >= planted.len() * 95, "recall under 95%: {recalled} of {}", planted.len());
    assert!(false_suggestions * 10 <= planted.len(), "too many other suggestions: {false_suggestions}");

    // A team lead dismisses one pair: it is not suggested again.
    let first = &pairs[0];
    duplicates::dismiss(t.lead.store_mut(), &actor, &first.first.id, &first.second.id).unwrap();
    assert_eq!(duplicates::pairs(t.lead.store().reader(), now).unwrap().len(), pairs.len() - 1);
}

#[test]
fn every_change_to_a_record_is_in_its_history() {
    let mut t = team();
    let id = t.register(person("Smith", "John", "03/03/1987"));
    let actor = t.lead.actor();
    t.clock.advance(chrono::Duration::hours(2));
    let changed = clients::update_details(
        t.lead.store_mut(),
        &actor,
        &id,
        &NewClient {
            surname: "Smith-Jones".into(),
            ethnicity: "white_irish".into(),
            no_fixed_abode: true,
            ..person("Smith", "John", "03/03/1987")
        },
    )
    .unwrap();
    assert_eq!(changed, ["ethnicity", "no_fixed_abode", "surname"]);
    let h = history::for_client(t.lead.store().reader(), &id).unwrap();
    let surname = h.iter().find(|c| c.field == "surname").unwrap();
    assert_eq!((surname.old_value.as_deref(), surname.new_value.as_deref()), (Some("Smith"), Some("Smith-Jones")));
    assert_eq!(surname.by, "Priya Shah");
    assert_eq!(surname.at, t.clock.now());
    let ethnicity = h.iter().find(|c| c.field == "ethnicity").unwrap();
    assert_eq!(ethnicity.new_value.as_deref(), Some("Irish"));
    assert_eq!(h.iter().find(|c| c.field == "no_fixed_abode").unwrap().new_value.as_deref(), Some("Yes"));
}

#[test]
fn bad_details_are_refused_field_by_field_and_nothing_changes() {
    let mut t = team();
    let id = t.register(person("Smith", "John", "03/03/1987"));
    let actor = t.lead.actor();
    let before = t.client(&id);
    let bad = NewClient {
        postcode: "not a postcode".into(),
        phone: "12".into(),
        prison_number: "12345".into(),
        ethnicity: "martian".into(),
        risk_notes: "Lives with partner.\nDog at address.".into(),
        ..person("Smith", "John", "03/03/1987")
    };
    let err = clients::update_details(t.lead.store_mut(), &actor, &id, &bad).err().unwrap();
    let fields: Vec<String> = err.fields().into_iter().map(|f| f.field).collect();
    assert_eq!(fields, ["ethnicity", "postcode", "phone", "prison_number"]);
    assert_eq!(t.client(&id), before);
    // Multi-line risk notes are fine.
    let good = NewClient {
        risk_notes: "Lives with partner.\nDog at address.".into(),
        prison_number: "a1234bc".into(),
        ..person("Smith", "John", "03/03/1987")
    };
    clients::update_details(t.lead.store_mut(), &actor, &id, &good).unwrap();
    assert_eq!(t.client(&id).prison_number.as_deref(), Some("A1234BC"));
}

#[test]
fn consent_is_current_until_withdrawn_or_due_for_review() {
    let mut t = team();
    let id = t.register(person("Smith", "John", "03/03/1987"));
    let actor = t.lead.actor();
    let given = NewConsent {
        given_on: "23/11/2026".into(),
        scope: "Police, probation and the treatment provider".into(),
        review_on: String::new(),
    };
    let consent_id = consent::record(t.lead.store_mut(), &actor, &id, &given, 12).unwrap();
    let record = clients::open(t.lead.store_mut(), &actor, &id).unwrap();
    assert!(record.has_current_consent);
    assert_eq!(record.consents[0].review_on.to_string(), "2027-11-23", "reviewed after the team's 12 months");

    t.clock.advance(chrono::Duration::days(366));
    assert!(!clients::open(t.lead.store_mut(), &actor, &id).unwrap().has_current_consent, "past its review date");

    let future = NewConsent { given_on: "01/01/2030".into(), ..given.clone() };
    assert_eq!(consent::record(t.lead.store_mut(), &actor, &id, &future, 12).err().unwrap().code(), "validation.date_future");
    let backwards = NewConsent { review_on: "01/01/2020".into(), ..given.clone() };
    assert_eq!(consent::record(t.lead.store_mut(), &actor, &id, &backwards, 12).err().unwrap().code(), "validation.review_before_given");

    consent::withdraw(t.lead.store_mut(), &actor, &consent_id).unwrap();
    let record = clients::open(t.lead.store_mut(), &actor, &id).unwrap();
    assert!(record.consents[0].withdrawn_on.is_some());
}

#[test]
fn clients_are_allocated_to_workers_and_caseloads_counted() {
    let mut t = team();
    let dan = t
        .lead
        .add_worker(&NewWorker {
            display_name: "Dan Kowalski".into(),
            login: "dan".into(),
            roles: vec![Role::Custody],
            password: "custody-suite-seven".into(),
        })
        .unwrap();
    let admin_only = t
        .lead
        .add_worker(&NewWorker {
            display_name: "Ali Admin".into(),
            login: "ali".into(),
            roles: vec![Role::Administrator],
            password: "custody-suite-seven".into(),
        })
        .unwrap();
    let a = t.register(person("Smith", "John", "03/03/1987"));
    let b = t.register(person("Jones", "Sarah", "04/04/1990"));
    let actor = t.lead.actor();
    caseload::allocate(t.lead.store_mut(), &actor, &a, Some(&dan.id)).unwrap();
    let refused = caseload::allocate(t.lead.store_mut(), &actor, &b, Some(&admin_only.id)).err().unwrap();
    assert_eq!(refused.code(), "validation.worker_cannot_hold_caseload");

    let dans = glance::caseload::of_worker(t.lead.store().reader(), &dan.id, t.clock.now(), &TeamSettings::default(), 0).unwrap();
    assert_eq!(dans.people.iter().map(|r| r.person.surname.as_str()).collect::<Vec<_>>(), ["Smith"]);
    let sizes = caseload::sizes(t.lead.store().reader()).unwrap();
    let shown: Vec<(String, i64)> = sizes.into_iter().map(|s| (s.worker, s.active_clients)).collect();
    assert_eq!(shown, [("Dan Kowalski".to_string(), 1), ("Priya Shah".to_string(), 1)]);

    clients::close(t.lead.store_mut(), &actor, &a, "treatment_completed").unwrap();
    let dans = glance::caseload::of_worker(t.lead.store().reader(), &dan.id, t.clock.now(), &TeamSettings::default(), 0).unwrap();
    assert_eq!((dans.total, dans.people.len()), (0, 0), "closed cases leave the caseload");
}

#[test]
fn a_big_caseload_reads_a_page_at_a_time_by_surname_with_nobody_missed_or_twice() {
    let mut t = team();
    let me = t.lead.worker().id.clone();
    let actor = t.lead.actor();
    // 230 people registered in no particular order of surname.
    let mut surnames = Vec::new();
    for i in 0..230u32 {
        let surname = format!("P{}", ["a", "e", "i", "o", "u"][(i * 7 % 5) as usize].repeat(1 + (i * 13 % 17) as usize));
        let id = t.register(person(&surname, "Sam", &format!("{:02}/01/1980", 1 + i % 28)));
        caseload::allocate(t.lead.store_mut(), &actor, &id, Some(&me)).unwrap();
        surnames.push(surname);
    }
    surnames.sort();
    let mut shown = Vec::new();
    let mut offset = 0;
    loop {
        let page = glance::caseload::of_worker(t.lead.store().reader(), &me, t.clock.now(), &TeamSettings::default(), offset).unwrap();
        assert_eq!(page.total, 230);
        assert!(page.people.len() as u32 <= page.page_size);
        shown.extend(page.people.iter().map(|p| (p.person.surname.clone(), p.person.id.clone())));
        offset += page.people.len() as u32;
        if page.people.is_empty() || offset >= page.total {
            break;
        }
    }
    assert_eq!(shown.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(), surnames, "every page in surname order");
    let distinct: std::collections::HashSet<_> = shown.iter().map(|(_, id)| id).collect();
    assert_eq!(distinct.len(), 230, "nobody twice");
    assert_eq!(
        glance::caseload::of_worker(t.lead.store().reader(), &me, t.clock.now(), &TeamSettings::default(), 0).unwrap().people.len(),
        100,
        "a page is a hundred"
    );
}
