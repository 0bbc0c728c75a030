//! Upgrades keep everything. `fixtures/upgrade-v1/` holds a team's encrypted database and key
//! slots as Throughline 0.1.0 wrote them (schema 7, migrations 0001-0007), made by the demo
//! generator on a fixed clock, and `expected.txt` beside them: every client, flag, timeline
//! entry and handover document as that version read them. Every later version must open it,
//! update it in one go, and read exactly the same. Never regenerate it once committed: a new
//! fixture for a new release goes beside it.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::Installation;
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::{clients, court, custody, demo, flags, prison, timeline};

const FIXTURE_TIME: &str = "2026-11-23T09:00:00Z";
const FIXTURE_SCHEMA: i64 = 7;
/// The demo password of 0.1.0, which the fixture's key slots were made with (later versions'
/// demo password is stronger; an upgrade keeps the passwords people already have).
const FIXTURE_PASSWORD: &str = "demo-password";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade-v1")
}

/// Everything a worker would read, one line a fact, in a stable order.
fn read_everything(installation: &Installation, clock: &Arc<FixedClock>) -> Vec<String> {
    let mut lead = installation.sign_in(demo::DEMO_ADMIN.0, FIXTURE_PASSWORD).expect("the administrator signs in");
    let conn = lead.store().reader();
    let ids: Vec<String> =
        conn.prepare("SELECT id FROM clients ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let mut lines = Vec::new();
    for id in &ids {
        let c = clients::get(conn, id).unwrap().unwrap();
        lines.push(format!(
            "client {}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
            c.id, c.surname, c.forenames, c.date_of_birth, c.pnc, c.nhs_number, c.status, c.allocated_worker_id, c.merged_into
        ));
        for f in flags::for_client(conn, clock.now(), &TeamSettings::default(), id).unwrap() {
            lines.push(format!("  flag {}|{}|{}|{}|{}", f.code, f.severity_label, f.due, f.record_type, f.record_id));
        }
        for t in timeline::for_client(conn, id).unwrap() {
            lines.push(format!("  timeline {}|{}|{}|{}|{}", t.at.to_rfc3339(), t.kind, t.summary, t.record_type, t.record_id));
        }
    }
    let spells: Vec<String> = conn
        .prepare("SELECT id FROM prison_spells ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let failed: Vec<String> = conn
        .prepare("SELECT id FROM appointments WHERE status = 'did_not_attend' OR remained = 0 ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let actor = lead.actor();
    // The evidential statement or breach of bail notice each failed appointment produces.
    for appointment in failed {
        let doc = custody::statement::produce(lead.store_mut(), &actor, &appointment)
            .or_else(|_| court::notice::produce(lead.store_mut(), &actor, &appointment));
        if let Ok(doc) = doc {
            lines.push(format!("document {}|{}|{}|{}", doc.title, doc.subject, doc.produced_on, doc.paragraphs.join(" / ")));
        }
    }
    for spell in spells {
        let doc = prison::handover::produce(lead.store_mut(), &actor, &spell).expect("the handover summary is produced");
        lines.push(format!("document {}|{}|{}|{}", doc.title, doc.subject, doc.produced_on, doc.paragraphs.join(" / ")));
    }
    lines
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Makes the fixture (once, with MAKE_UPGRADE_FIXTURE=1, by the version it stands for).
fn make_fixture(clock: &Arc<FixedClock>) {
    let made = tempfile::tempdir().unwrap();
    demo::create_installation(made.path(), clock.clone(), 13, 40).unwrap();
    std::fs::create_dir_all(fixture()).unwrap();
    for f in ["throughline.db", "keyslots.json"] {
        std::fs::copy(made.path().join(f), fixture().join(f)).unwrap();
    }
    let reading = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), reading.path());
    let lines = read_everything(&Installation::new(reading.path(), clock.clone()), clock);
    std::fs::write(fixture().join("expected.txt"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_database_from_0_1_0_opens_updates_and_reads_the_same() {
    let clock = Arc::new(FixedClock::at(FIXTURE_TIME));
    if std::env::var_os("MAKE_UPGRADE_FIXTURE").is_some() && !fixture().join("keyslots.json").exists() {
        make_fixture(&clock);
    }

    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let installation = Installation::new(dir.path(), clock.clone());
    let read = read_everything(&installation, &clock);
    let expected: Vec<String> = std::fs::read_to_string(fixture().join("expected.txt")).unwrap().lines().map(str::to_string).collect();
    assert!(expected.iter().filter(|l| l.starts_with("client ")).count() >= 10, "the fixture has its clients");
    assert!(expected.iter().any(|l| l.contains("  flag ")), "and flags");
    assert!(expected.iter().any(|l| l.starts_with("document ")), "and documents");
    for (line, (got, want)) in read.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "line {} of expected.txt", line + 1);
    }
    assert_eq!(read.len(), expected.len());

    let mut lead = installation.sign_in(demo::DEMO_ADMIN.0, FIXTURE_PASSWORD).unwrap();
    // Its free space was written before deletions were zeroed: the first anonymisation
    // rebuilds the file once, and then the file is as clean as a new one.
    let clean = |lead: &throughline_core::accounts::Session| -> bool {
        lead.store().reader().query_row("SELECT free_space_clean FROM installation", [], |r| r.get(0)).unwrap()
    };
    assert!(!clean(&lead));
    lead.store_mut().erase_free_space().unwrap();
    assert!(clean(&lead));
    let version: i64 = lead.store().reader().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, throughline_core::store::latest_schema(), "updated to this version's schema");
    assert!(version >= FIXTURE_SCHEMA);
    assert_eq!(lead.store().integrity_problems().unwrap(), None);
    assert_eq!(lead.store().verify_audit_chain().unwrap().first_broken_entry, None);
}
