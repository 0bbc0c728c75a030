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
}

#[test]
fn apostrophes_accents_and_quotes_do_not_break_search() {
    let (_d, clock, s) = team();
    assert_eq!(names(&s, &clock, "o'brien"), ["O'Brien"]);
    assert_eq!(names(&s, &clock, "wisniewski"), ["Wiśniewski"]);
    assert!(names(&s, &clock, "\"; DROP TABLE clients; --").is_empty());
    assert!(names(&s, &clock, "   ").is_empty());
}
