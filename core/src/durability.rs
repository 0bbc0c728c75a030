//! Nothing committed is lost: a laptop's Throughline killed at any moment while writing, or
//! writing to a full disk, leaves a sound database with every change it said was saved. A test of
//! the store through the whole app (set-up, registering people), so it sits above both layers.
use crate::accounts::Installation;
use crate::clients::{self, ClientError, NewClient};
use crate::clock::{FixedClock, SystemClock};
use crate::store::{integrity_problems, Actor, DatabaseKey, Store, StoreError};
use crate::testing;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

const CHILD_DIR: &str = "THROUGHLINE_CRASH_CHILD_DIR";
const CHILD_KEY: &str = "THROUGHLINE_CRASH_CHILD_KEY";

/// `n` in letters (names have no digits): 0 "a", 25 "z", 26 "ab"...
fn letters(mut n: u64) -> String {
    let mut out = String::new();
    loop {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}

fn someone(n: u64) -> NewClient {
    NewClient {
        surname: format!("Crash{}", ["Able", "Baker", "Cole", "Dunn", "Ellis"][(n % 5) as usize]),
        forenames: format!("Sam {}", letters(n)),
        date_of_birth: format!("{:02}/0{}/1985", 1 + n % 28, 1 + n % 9),
        sex: "male".into(),
        ..Default::default()
    }
}

/// The writer the crash test kills: run as this test executable again with the folder and key
/// in its environment. It registers people through the one write path and prints each id only
/// once `register` has returned, that is once the transaction is committed.
#[test]
fn child_writer() {
    let (Some(dir), Some(key)) = (std::env::var_os(CHILD_DIR), std::env::var_os(CHILD_KEY)) else { return };
    let bytes: [u8; 32] = hex::decode(key.to_str().unwrap()).unwrap().try_into().unwrap();
    let key = DatabaseKey(Zeroizing::new(bytes));
    let mut store = Store::open(&Path::new(&dir).join("throughline.db"), &key, Arc::new(SystemClock)).unwrap();
    let worker_id: String = store.reader().query_row("SELECT id FROM workers LIMIT 1", [], |r| r.get(0)).unwrap();
    let actor = Actor { worker_id, name: "Priya Shah".into() };
    println!("ready");
    for n in 0.. {
        let id = clients::register(&mut store, &actor, &someone(n)).unwrap().id;
        println!("saved {id}");
    }
}

/// Everything a laptop needs after a crash: the database opens, SQLite finds nothing wrong,
/// the audit chain is unbroken, and every change acknowledged is there.
fn check_after_crash(db: &Path, key: &DatabaseKey, acknowledged: &HashSet<String>) -> usize {
    let store = Store::open(db, key, Arc::new(SystemClock)).expect("the database opens after the crash");
    assert_eq!(integrity_problems(store.reader()).unwrap(), None);
    let chain = store.verify_audit_chain().unwrap();
    assert_eq!(chain.first_broken_entry, None, "the audit chain verifies");
    let present: HashSet<String> =
        store.reader().prepare("SELECT id FROM clients").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let lost: Vec<_> = acknowledged.difference(&present).collect();
    assert!(lost.is_empty(), "saved and acknowledged, then lost: {lost:?}");
    present.len()
}

#[test]
fn killing_the_app_mid_write_loses_nothing_it_said_was_saved() {
    let rounds: usize = std::env::var("THROUGHLINE_CRASH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(600);
    let dir = tempfile::tempdir().unwrap();
    let lead = testing::set_up_team(&Installation::new(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))));
    let key = lead.database_key().clone();
    drop(lead);
    let db = dir.path().join("throughline.db");
    let seed: u64 = rand::random();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let mut acknowledged = HashSet::new();
    let mut killed_mid_write = 0;
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["durability::child_writer", "--exact", "--nocapture", "--test-threads=1", "-q"])
            .env(CHILD_DIR, dir.path())
            .env(CHILD_KEY, hex::encode(key.0.as_ref()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait until it has saved one person (so a loaded machine still kills it while it
        // writes, not while it starts), then kill it at a random moment a few writes on.
        for line in lines.by_ref() {
            if let Some(id) = line.unwrap().strip_prefix("saved ") {
                acknowledged.insert(id.to_string());
                break;
            }
        }
        std::thread::sleep(Duration::from_micros(rng.gen_range(0..12_000)));
        // SIGKILL: no destructor, no flush, no chance to finish the transaction.
        child.kill().unwrap();
        child.wait().unwrap();
        for line in lines {
            if let Some(id) = line.unwrap().strip_prefix("saved ") {
                acknowledged.insert(id.to_string());
            }
        }
        let present = check_after_crash(&db, &key, &acknowledged);
        // A write begun and not acknowledged may or may not have committed; never more than one.
        assert!(present <= acknowledged.len() + 1, "round {round}: {present} present, {} acknowledged", acknowledged.len());
        if present > acknowledged.len() {
            killed_mid_write += 1;
            // It committed before the kill: count it from here on.
            let store = Store::open(&db, &key, Arc::new(SystemClock)).unwrap();
            let ids: Vec<String> = store
                .reader()
                .prepare("SELECT id FROM clients")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            acknowledged.extend(ids);
        }
    }
    eprintln!(
        "crash safety: {rounds} kills (seed {seed}) in {:.1} s, {} people saved, {killed_mid_write} kills after a commit before its acknowledgement",
        started.elapsed().as_secs_f64(),
        acknowledged.len()
    );
    // Every round saved someone before its kill; some kills must also have landed in the moment
    // this test is for, after a commit and before the app said so.
    assert!(killed_mid_write > 0, "no kill landed between a commit and its acknowledgement in {rounds} rounds");
}

#[test]
fn a_full_disk_refuses_the_change_in_words_and_keeps_everything_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut lead = testing::set_up_team(&Installation::new(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))));
    let key = lead.database_key().clone();
    let actor = lead.actor();
    let store = lead.store_mut();
    // The disk is nearly full: the database may grow by a few pages only.
    let pages: i64 = store.reader().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    store.reader().execute_batch(&format!("PRAGMA max_page_count = {}", pages + 12)).unwrap();
    let mut saved = Vec::new();
    let refused = loop {
        match clients::register(store, &actor, &someone(saved.len() as u64)) {
            Ok(c) => saved.push(c.id),
            Err(e) => break e,
        }
        assert!(saved.len() < 10_000, "the disk never filled");
    };
    assert!(matches!(refused, ClientError::Store(StoreError::DiskFull)), "{refused:?}");
    assert_eq!(crate::Coded::code(&refused), crate::ErrorCode::StoreDiskFull);
    assert!(refused.to_string().contains("disk is full") && refused.to_string().contains("Everything saved before is safe"));
    assert!(!saved.is_empty());
    // Still full: the next change is refused the same way and the store carries on.
    assert!(matches!(clients::register(store, &actor, &someone(99_999)), Err(ClientError::Store(StoreError::DiskFull))));
    drop(lead);

    let acknowledged: HashSet<String> = saved.into_iter().collect();
    let present = check_after_crash(&dir.path().join("throughline.db"), &key, &acknowledged);
    assert_eq!(present, acknowledged.len(), "nothing half-written is left either");
}

#[test]
fn faults_get_words_a_worker_can_act_on() {
    use rusqlite::ffi;
    let sqlite = |code: i32| StoreError::from(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None));
    assert!(matches!(sqlite(ffi::SQLITE_FULL), StoreError::DiskFull));
    assert!(matches!(sqlite(ffi::SQLITE_READONLY), StoreError::ReadOnly));
    assert!(matches!(sqlite(ffi::SQLITE_READONLY_DBMOVED), StoreError::ReadOnly), "the folder was removed under it");
    assert!(matches!(sqlite(ffi::SQLITE_CANTOPEN), StoreError::ReadOnly));
    assert!(matches!(sqlite(ffi::SQLITE_IOERR_WRITE), StoreError::ReadOnly));
    assert!(matches!(sqlite(ffi::SQLITE_CORRUPT), StoreError::Corrupt));
    assert!(matches!(sqlite(ffi::SQLITE_NOTADB), StoreError::Corrupt));
    assert!(matches!(sqlite(ffi::SQLITE_CONSTRAINT), StoreError::Database(_)));
    for e in [StoreError::DiskFull, StoreError::ReadOnly, StoreError::Corrupt] {
        assert!(!e.to_string().contains("SQLite") && e.to_string().len() > 60, "{e}");
    }
}
