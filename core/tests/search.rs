//! Finding a person the ways a custody worker has to hand.
use std::sync::Arc;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::testing;

fn register(s: &mut Session, surname: &str, forenames: &str, dob: &str, pnc: &str, nhs: &str) {
    let actor = s.actor();
    clients::register(
        s.store_mut(),
        &actor,
        &NewClient {
            surname: surname.into(),
            forenames: forenames.into(),
            date_of_birth: dob.into(),
            sex: "male".into(),
            pnc: pnc.into(),
            nhs_number: nhs.into(),
            ..NewClient::default()
        },
    )
    .unwrap();
}

fn team() -> (tempfile::TempDir, Arc<FixedClock>, Session) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    let mut s = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
    register(&mut s, "Smith", "John", "03/03/1987", "1987/1234567U", "9434765919");
    register(&mut s, "Smithson", "Karl", "12/07/1990", "", "");
    register(&mut s, "Goldsmith", "Lee", "01/01/1987", "", "");
    register(&mut s, "O'Brien", "Siobhan", "25/12/1979", "", "");
    register(&mut s, "Wiśniewski", "Tomasz", "14/02/1985", "", "");
    (dir, clock, s)
}

fn names(s: &Session, clock: &FixedClock, query: &str) -> Vec<String> {
    clients::search(s.store().reader(), query, clock.now()).unwrap().into_iter().map(|r| r.surname).collect()
}

#[test]
fn part_of_a_name_finds_them_with_exact_and_starting_surnames_first() {
    let (_d, clock, s) = team();
    assert_eq!(names(&s, &clock, "smith"), ["Smith", "Smithson", "Goldsmith"]);
    assert_eq!(names(&s, &clock, "SMI"), ["Smith", "Smithson", "Goldsmith"]);
    assert_eq!(names(&s, &clock, "ohn"), ["Smith"], "matches inside forenames");
    assert_eq!(names(&s, &clock, "sm"), ["Smith", "Smithson"], "two letters match the start of a name");
}

#[test]
fn a_pnc_id_in_any_common_form_finds_the_person() {
    let (_d, clock, s) = team();
    for typed in ["1987/1234567U", "87/1234567U", "87/1234567u"] {
        assert_eq!(names(&s, &clock, typed), ["Smith"], "{typed}");
    }
    assert!(names(&s, &clock, "87/1234567A").is_empty(), "a wrong check letter finds nobody");
}

#[test]
fn an_nhs_number_with_or_without_spaces_finds_the_person() {
    let (_d, clock, s) = team();
    assert_eq!(names(&s, &clock, "943 476 5919"), ["Smith"]);
    assert_eq!(names(&s, &clock, "9434765919"), ["Smith"]);
}

#[test]
fn dates_of_birth_and_years_narrow_a_name() {
    let (_d, clock, s) = team();
    assert_eq!(names(&s, &clock, "03/03/1987"), ["Smith"]);
    assert_eq!(names(&s, &clock, "smith 1987"), ["Smith", "Goldsmith"]);
    // The date narrows whom the name finds only inside a longer name, as well as by sound.
    assert_eq!(names(&s, &clock, "smith 01/01/1987"), ["Goldsmith"]);
    assert_eq!(names(&s, &clock, "smith 1990"), ["Smithson"]);
    assert_eq!(names(&s, &clock, "1987 smith"), ["Smith", "Goldsmith"], "the year typed first");
    assert!(names(&s, &clock, "smith 1979").is_empty());
}

#[test]
fn apostrophes_accents_and_quotes_do_not_break_search() {
    let (_d, clock, s) = team();
    assert_eq!(names(&s, &clock, "o'brien"), ["O'Brien"]);
    assert_eq!(names(&s, &clock, "wisniewski"), ["Wiśniewski"]);
    assert!(names(&s, &clock, "\"; DROP TABLE clients; --").is_empty());
    assert!(names(&s, &clock, "   ").is_empty());
}

/// The name keys carry what ranking reads (migrations/0023); they must stay what the records say
/// through everything that changes a person's names, date of birth or status.
fn name_keys_as_the_records_say(s: &Session) {
    let kept = "SELECT key, search_id, status, surname, forenames, date_of_birth FROM client_name_keys";
    let defined = "SELECT key, search_id, status, surname, forenames, date_of_birth FROM client_name_keys_from_records";
    let differ: i64 = s
        .store()
        .reader()
        .query_row(
            &format!("SELECT (SELECT count(*) FROM ({kept} EXCEPT {defined})) + (SELECT count(*) FROM ({defined} EXCEPT {kept}))"),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(differ, 0, "name keys differ from the records");
}

fn id_of(s: &Session, clock: &FixedClock, query: &str) -> String {
    clients::search(s.store().reader(), query, clock.now()).unwrap().remove(0).id
}

#[test]
fn a_name_spelt_another_way_finds_people_as_their_records_now_are() {
    let (_d, clock, mut s) = team();
    let actor = s.actor();
    let smith = id_of(&s, &clock, "smith");
    let karl = id_of(&s, &clock, "smithson");
    name_keys_as_the_records_say(&s);

    // A corrected date of birth and a new surname: found by the new ones, not the old.
    let corrected = NewClient {
        surname: "Smyth".into(),
        forenames: "John".into(),
        date_of_birth: "03/03/1988".into(),
        sex: "male".into(),
        pnc: "1987/1234567U".into(),
        nhs_number: "9434765919".into(),
        ..NewClient::default()
    };
    clients::update_details(s.store_mut(), &actor, &smith, &corrected).unwrap();
    name_keys_as_the_records_say(&s);
    assert_eq!(names(&s, &clock, "smythe 1988"), ["Smyth"], "sounds alike, born in the corrected year");
    assert!(names(&s, &clock, "smythe 1987").is_empty(), "not by the old year");

    // An alias adds the names it is known by.
    let alias = clients::aliases::add(
        s.store_mut(),
        &actor,
        &karl,
        &clients::aliases::NewAlias { surname: "Quinlan".into(), forenames: "Carl".into() },
    )
    .unwrap();
    name_keys_as_the_records_say(&s);
    assert_eq!(names(&s, &clock, "quinlann"), ["Smithson"], "an alias spelt another way");
    clients::aliases::remove(s.store_mut(), &actor, &alias).unwrap();
    name_keys_as_the_records_say(&s);
    assert!(names(&s, &clock, "quinlann").is_empty());

    // Merged into another record: found only as the record it was merged into.
    let merge = clients::merge::merge(s.store_mut(), &actor, &karl, &smith, "same person").unwrap();
    name_keys_as_the_records_say(&s);
    assert_eq!(names(&s, &clock, "smythe"), ["Smithson"], "the merged record's names are the survivor's aliases");
    clients::merge::undo(s.store_mut(), &actor, &merge).unwrap();
    name_keys_as_the_records_say(&s);
    assert_eq!(names(&s, &clock, "smythe"), ["Smyth"]);

    // Closed and reopened: still found, as a closed case is.
    clients::close(s.store_mut(), &actor, &smith, "moved_away").unwrap();
    name_keys_as_the_records_say(&s);
    assert_eq!(names(&s, &clock, "smythe"), ["Smyth"]);
}

#[test]
fn several_words_each_narrow_the_people_a_name_finds() {
    let (_d, clock, s) = team();
    assert_eq!(names(&s, &clock, "john smith"), ["Smith"]);
    assert_eq!(names(&s, &clock, "smith john"), ["Smith"], "names typed the other way round");
    assert_eq!(names(&s, &clock, "smith lee"), ["Goldsmith"], "a word inside a longer name, narrowed by another");
    assert_eq!(names(&s, &clock, "sm ka"), ["Smithson"], "two short words");
    assert_eq!(names(&s, &clock, "smith 87/1234567U"), ["Smith"], "a name and a PNC id");
    assert!(names(&s, &clock, "smithson 87/1234567U").is_empty());
}
