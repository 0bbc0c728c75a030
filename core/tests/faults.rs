//! A laptop's faults get a specific sentence and lose nothing: a second copy on the same data
//! folder, a data folder removed under a running Throughline, a damaged database or key slots.
mod support;

use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::FixedClock;
use throughline_core::{testing, Coded, ErrorCode};

fn laptop() -> (tempfile::TempDir, Installation) {
    let dir = tempfile::tempdir().unwrap();
    let installation = Installation::new(dir.path().join("data"), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
    drop(testing::set_up_team(&installation));
    (dir, installation)
}

#[test]
fn one_copy_of_throughline_holds_a_data_folder_at_a_time() {
    let (_dir, installation) = laptop();
    let first = installation.claim().unwrap();
    let second = installation.claim().err().expect("a second copy is refused");
    assert_eq!(second.code(), ErrorCode::StoreInUse);
    assert!(second.to_string().contains("already open on this laptop"), "{second}");
    drop(first);
    installation.claim().expect("free once the first copy has ended");
}

#[test]
fn damaged_key_slots_say_so_and_where_to_find_good_ones() {
    let (dir, installation) = laptop();
    std::fs::write(dir.path().join("data/keyslots.json"), b"{\"version\": 1, \"slots\": [").unwrap();
    let refused = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).err().unwrap();
    assert_eq!(refused.code(), ErrorCode::StoreSlotsDamaged);
    assert!(refused.to_string().contains("keyslots.json from the latest backup"), "{refused}");
}

#[test]
fn a_damaged_database_is_not_called_a_wrong_password() {
    let (dir, installation) = laptop();
    let db = dir.path().join("data/throughline.db");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[..4096] {
        *b = 0x5a;
    }
    std::fs::write(&db, bytes).unwrap();
    let refused = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).err().unwrap();
    assert_eq!(refused.code(), ErrorCode::StoreCorrupt, "{refused}");
    assert!(refused.to_string().contains("Restore the latest backup"), "{refused}");
}

#[test]
fn a_data_folder_removed_under_a_running_throughline_refuses_changes_in_words() {
    let (dir, installation) = laptop();
    let mut lead = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).unwrap();
    let actor = lead.actor();
    let input = NewClient {
        surname: "Moved".into(),
        forenames: "Alex".into(),
        date_of_birth: "01/02/1990".into(),
        sex: "female".into(),
        ..Default::default()
    };
    clients::register(lead.store_mut(), &actor, &input).unwrap();
    // The USB drive or network folder holding the data goes away.
    std::fs::rename(dir.path().join("data"), dir.path().join("gone")).unwrap();
    let refused = clients::register(lead.store_mut(), &actor, &input).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::StoreReadOnly, "{refused}");
    assert!(refused.to_string().contains("drive holding it was removed"), "{refused}");
}
