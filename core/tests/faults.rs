//! A laptop's faults get a specific sentence and lose nothing: a second copy on the same data
//! folder, a data folder removed under a running Throughline, a damaged database or key slots,
//! and a real full disk (a small filesystem mounted for the test).
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

/// A small filesystem of its own, mounted for one test and gone with it (root only, as CI runs).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(mounted.success(), "mounting a {size} filesystem needs root (CI runs as root; run `make test` as root)");
        SmallDisk { dir }
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Fills what is left of the disk, then frees `keep` bytes: the database has that much to
    /// grow into before the disk is full.
    fn fill_leaving(&self, keep: u64) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0x5a_u8; 64 * 1024];
        let mut written = 0u64;
        loop {
            match file.write(&block) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        file.set_len(written.saturating_sub(keep)).unwrap();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

#[test]
fn a_real_full_disk_refuses_in_words_loses_nothing_and_work_resumes_once_space_is_freed() {
    let disk = SmallDisk::mount("24m");
    let installation = Installation::new(disk.path().join("data"), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
    drop(testing::set_up_team(&installation));
    let filler = disk.fill_leaving(1024 * 1024);

    let mut lead = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).unwrap();
    let actor = lead.actor();
    let person = |n: usize| NewClient {
        surname: "Fuller".into(),
        forenames: format!("Sam {}{}", char::from(b'A' + (n % 26) as u8), char::from(b'a' + (n / 26 % 26) as u8)),
        date_of_birth: format!("{:02}/03/1985", 1 + n % 28),
        sex: "male".into(),
        ..Default::default()
    };
    let mut saved = Vec::new();
    let refused = loop {
        match clients::register(lead.store_mut(), &actor, &person(saved.len())) {
            Ok(c) => saved.push(c.id),
            Err(e) => break e,
        }
        assert!(saved.len() < 20_000, "the disk never filled");
    };
    eprintln!("the disk filled after {} people", saved.len());
    assert!(!saved.is_empty(), "there was room for some people first");
    assert_eq!(refused.code(), ErrorCode::StoreDiskFull, "{refused}");
    assert!(refused.to_string().contains("disk is full") && refused.to_string().contains("Everything saved before is safe"), "{refused}");
    // Still full: the next change is refused the same way, and what was saved reads back.
    assert_eq!(clients::register(lead.store_mut(), &actor, &person(99_999)).unwrap_err().code(), ErrorCode::StoreDiskFull);
    for id in &saved {
        clients::require(lead.store().reader(), id).expect("everyone saved before the disk filled");
    }

    // Space is freed: the same session carries on, and so does the next sign-in.
    std::fs::remove_file(filler).unwrap();
    let after = clients::register(lead.store_mut(), &actor, &person(100_000)).expect("saving works again once there is room");
    drop(lead);
    let lead = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).unwrap();
    for id in saved.iter().chain([&after.id]) {
        clients::require(lead.store().reader(), id).expect("everyone saved is there after signing in again");
    }
    assert_eq!(lead.store().verify_audit_chain().unwrap().first_broken_entry, None, "the audit trail is whole");
}
