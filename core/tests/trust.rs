//! Sync a team can trust (sync.md "Trust"), as a service lives it: a laptop that dies is
//! replaced from its backup and keeps syncing; a lost laptop is revoked and shut out, its later
//! work refused wherever it arrives and the team key turned over; and a team laptop that
//! misbehaves (forging other laptops' changes, reusing their numbers, giving its worker a team
//! lead's role, undoing a revocation, dating changes far ahead) is refused by name everywhere,
//! while the honest laptops converge.
mod support;

use ed25519_dalek::Signer;
use proptest::prelude::*;
use std::sync::Arc;
use throughline_core::accounts::keyslots;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::worker_keys;
use throughline_core::accounts::workers::NewWorker;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clients;
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::store::hlc;
use throughline_core::store::signing;
use throughline_core::sync::apply::Incoming;
use throughline_core::sync::bundle::{self, Body, Header, Id, KeyRequest, OpSignature, SignedHead, WireOp};
use throughline_core::sync::join::NewLaptop;
use throughline_core::sync::{self, chains, devices, keys, laptop, records, BundleSummary, ExportScope, SyncError};
use throughline_core::testing;

const PASSWORD: &str = "quartz-meadow-lantern-417";

struct Laptop {
    dir: tempfile::TempDir,
    session: Session,
    recovery: Option<String>,
}

impl Laptop {
    fn founding(clock: &Arc<FixedClock>) -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        let session = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
        Laptop { dir, session, recovery: None }
    }

    fn enrol(&mut self, clock: &Arc<FixedClock>, label: &str, worker_id: &str) -> Laptop {
        tick(clock);
        let actor = self.session.actor();
        let laptop = NewLaptop { label: label.into(), worker_id: worker_id.into() };
        let file = sync::join::make(self.session.store_mut(), &actor, &laptop).expect("the lead makes a join file");
        let dir = tempfile::tempdir().unwrap();
        let (session, recovery) =
            Installation::new(dir.path(), clock.clone()).join(&file.bytes, &file.passphrase, PASSWORD).expect("the laptop joins");
        Laptop { dir, session, recovery: Some(recovery.display()) }
    }

    fn export(&mut self) -> Vec<u8> {
        let actor = self.session.actor();
        sync::export(self.session.store_mut(), &actor, &ExportScope::Everything).expect("export").0
    }

    fn import(&mut self, bundle: &[u8]) -> Result<BundleSummary, SyncError> {
        let actor = self.session.actor();
        sync::import(self.session.store_mut(), &actor, bundle)
    }

    fn device_id(&self) -> String {
        self.session.store().reader().query_row("SELECT device_id FROM installation", [], |r| r.get(0)).unwrap()
    }

    fn hash(&self) -> String {
        records::content_hash(self.session.store().reader()).unwrap()
    }

    fn register(&mut self, surname: &str) -> String {
        support::register_named(&mut self.session, surname, "Alex")
    }

    fn has(&self, client_id: &str) -> bool {
        clients::get(self.session.store().reader(), client_id).unwrap().is_some()
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))
}

fn tick(clock: &FixedClock) {
    clock.advance(chrono::Duration::seconds(1));
}

fn send(from: &mut Laptop, to: &mut Laptop) -> BundleSummary {
    let bundle = from.export();
    to.import(&bundle).expect("a bundle from a team laptop imports")
}

#[test]
fn a_laptop_restored_from_its_backup_onto_a_new_one_keeps_syncing_both_ways_and_nothing_is_lost() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let mut b = lead.enrol(&clock, "Court laptop", &lead_id);

    // B works, syncs, is backed up, works more and syncs again: then it dies.
    let before_backup = b.register("Before");
    send(&mut b, &mut lead);
    let backups = tempfile::tempdir().unwrap();
    let backup = b.session.back_up(backups.path()).expect("B is backed up");
    tick(&clock);
    let after_backup = b.register("Afterbackup");
    send(&mut b, &mut lead);
    let dead_id = b.device_id();
    let recovery = b.recovery.clone().unwrap();
    drop(b);

    // Its backup is restored onto a new laptop, which records more.
    let c_dir = tempfile::tempdir().unwrap();
    Installation::new(c_dir.path(), clock.clone())
        .restore_backup(std::path::Path::new(&backup.folder), &recovery)
        .expect("the backup is restored with the recovery key");
    let session = Installation::new(c_dir.path(), clock.clone()).sign_in(testing::LEAD_LOGIN, PASSWORD).expect("sign in on C");
    let mut c = Laptop { dir: c_dir, session, recovery: None };
    assert_ne!(c.device_id(), dead_id, "the replacement is a new laptop to the team");
    tick(&clock);
    let on_replacement = c.register("Replacement");

    // Bundles flow both ways, and every record from both sides is everywhere.
    let from_c = send(&mut c, &mut lead);
    assert!(from_c.new_operations > 0);
    tick(&clock);
    let from_lead = lead.register("Fromlead");
    send(&mut lead, &mut c);
    for id in [&before_backup, &after_backup, &on_replacement, &from_lead] {
        assert!(lead.has(id) && c.has(id));
    }
    assert_eq!(lead.hash(), c.hash());
    // The lead's laptop knows C as the successor of the laptop that died.
    let views = devices::views(lead.session.store().reader(), &lead.device_id()).unwrap();
    let c_view = views.iter().find(|v| v.id == c.device_id()).expect("C is one of the team's laptops");
    assert_eq!(c_view.replaced.as_deref(), Some("Court laptop"));
    let b_view = views.iter().find(|v| v.id == dead_id).expect("the dead laptop is still listed");
    assert_eq!(b_view.replaced_by.as_deref(), Some("Court laptop (restored)"), "and shown as replaced, so nothing is sent to it");
    // And it goes on: C records again, the lead takes it in.
    tick(&clock);
    let later = c.register("Later");
    send(&mut c, &mut lead);
    assert!(lead.has(&later));
    let _ = &c.dir;
}

#[test]
fn a_revoked_laptop_is_shut_out_its_later_work_is_set_aside_wherever_it_arrives_and_the_team_key_turns_over() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let mut b = lead.enrol(&clock, "Court laptop", &lead_id);
    let mut lost = lead.enrol(&clock, "Laptop left on a train", &lead_id);
    let spare_id = lead.enrol(&clock, "Spare laptop", &lead_id).device_id();
    send(&mut lead, &mut b);
    send(&mut lead, &mut lost);
    let lost_id = lost.device_id();

    // The lead revokes the lost laptop; it goes on working (a thief with the password).
    tick(&clock);
    let actor = lead.session.actor();
    devices::revoke(lead.session.store_mut(), &actor, &lost_id).unwrap();
    assert_eq!(keys::current(lead.session.store().reader()).unwrap().generation, 1, "the team key turned over");
    tick(&clock);
    let stolen = lost.register("Stolen");
    // The thief, signed in as a team lead there, also revokes another of the team's laptops,
    // which turns over a team key of the thief's own making.
    let actor = lost.session.actor();
    devices::revoke(lost.session.store_mut(), &actor, &spare_id).unwrap();
    let from_lost = lost.export();
    assert!(matches!(lead.import(&from_lost), Err(SyncError::RevokedDevice(l)) if l == "Laptop left on a train"));

    // B has not heard of the revocation: it takes the lost laptop's bundle, then relays it.
    b.import(&from_lost).expect("B does not know yet");
    assert!(b.has(&stolen));
    let relayed = b.export();
    let summary = lead.import(&relayed).expect("the rest of B's bundle imports");
    assert_eq!(summary.set_aside.len(), 1, "the lost laptop's later work is named");
    assert_eq!(summary.set_aside[0].device_label, "Laptop left on a train");
    assert!(!lead.has(&stolen), "nothing the lost laptop made after its revocation is applied");
    let spare = laptop::get(lead.session.store().reader(), &spare_id).unwrap().unwrap();
    assert!(spare.revoked_at.is_none(), "nor its revocation of another laptop");

    // The revocation reaches B: what it had applied is taken back out, and both agree.
    let from_lead = lead.export();
    b.import(&from_lead).expect("B imports the lead's bundle, sealed with the new key sealed for B");
    assert!(!b.has(&stolen));
    assert!(laptop::get(b.session.store().reader(), &spare_id).unwrap().unwrap().revoked_at.is_none());
    assert_eq!(lead.hash(), b.hash());

    // The lost laptop cannot read what the team sends from now on: neither laptop seals with the
    // key the thief made, though both were given it.
    let mut thief_view = lost;
    assert!(matches!(thief_view.import(&from_lead), Err(SyncError::KeyNotForThisLaptop)));
    let lead_key = keys::current(lead.session.store().reader()).unwrap().id();
    assert_eq!(keys::current(b.session.store().reader()).unwrap().id(), lead_key);
    assert!(matches!(thief_view.import(&b.export()), Err(SyncError::KeyNotForThisLaptop)));
    assert!(matches!(thief_view.import(&lead.export()), Err(SyncError::KeyNotForThisLaptop)));

    // The lead's laptop shows which laptops have the new key: B once its next bundle arrives.
    let lead_device = lead.device_id();
    let views = devices::views(lead.session.store().reader(), &lead_device).unwrap();
    let b_id = b.device_id();
    assert_eq!(views.iter().find(|v| v.id == b_id).unwrap().has_current_key, None);
    send(&mut b, &mut lead);
    let views = devices::views(lead.session.store().reader(), &lead_device).unwrap();
    assert_eq!(views.iter().find(|v| v.id == b_id).unwrap().has_current_key, Some(true));
    assert_eq!(views.iter().find(|v| v.id == lost_id).unwrap().has_current_key, Some(false));
}

#[test]
fn a_trail_cut_after_an_export_is_reported_by_the_laptops_that_saw_it() {
    a_trail_cut_is_reported(false);
}

#[test]
fn a_trail_cut_to_nothing_after_an_export_is_reported_by_the_laptops_that_saw_it() {
    a_trail_cut_is_reported(true);
}

fn a_trail_cut_is_reported(to_nothing: bool) {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let mut b = lead.enrol(&clock, "Court laptop", &lead_id);
    for name in ["Seen", "Also", "Then"] {
        b.register(name);
    }
    send(&mut b, &mut lead);
    send(&mut lead, &mut b);
    let check = b.session.store().verify_audit_chain().unwrap();
    assert!(check.intact);
    assert!(check.witnessed.iter().any(|w| w.agrees && w.laptop.contains("laptop")), "{:?}", check.witnessed);

    // Someone with the database key cuts B's trail back and re-seals the anchor.
    let (seq, _): (i64, String) = b
        .session
        .store()
        .reader()
        .query_row("SELECT seq, hash FROM sync_audit_witness WHERE device_id = (SELECT device_id FROM installation)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    b.session.store().reader().execute_batch("DROP TRIGGER IF EXISTS audit_log_is_append_only_delete").unwrap();
    let from = if to_nothing { 0 } else { seq - 2 };
    assert!(from == 0 || from > 1, "entries are left before the cut");
    b.session.store().reader().execute("DELETE FROM audit_log WHERE seq >= ?1", [from]).unwrap();
    let check = b.session.store().verify_audit_chain().unwrap();
    assert!(!check.intact, "B's own check finds its trail no longer holds what the lead saw");
    assert!(check.witnessed.iter().any(|w| !w.agrees));

    // The lead's laptop finds it at B's next bundle.
    send(&mut b, &mut lead);
    let check = lead.session.store().verify_audit_chain().unwrap();
    assert!(check.witnessed.iter().any(|w| !w.agrees && w.words.contains("cut")), "{:?}", check.witnessed);
}

/// Changes only some roles may make carry their author's own signature, with a key an
/// administrator vouched for: in the join file an administrator makes, or later, once the
/// fingerprint the worker reads out matches the one the administrator sees.
#[test]
fn a_team_change_travels_only_signed_with_a_key_an_administrator_vouched_for() {
    let clock = clock();
    let mut priya = Laptop::founding(&clock);
    let mut add = |login: &str, name: &str, role: Role| {
        priya
            .session
            .add_worker(&NewWorker { display_name: name.into(), login: login.into(), roles: vec![role], password: PASSWORD.into() })
            .unwrap()
            .id
    };
    let sam_id = add("sam", "Sam Patel", Role::TeamLead);
    let dan_id = add("dan", "Dan Kowalski", Role::Custody);

    // Priya, an administrator, makes Sam's laptop: his key there comes in the file, vouched for.
    let mut sams = priya.enrol(&clock, "Sam's laptop", &sam_id);
    assert!(sams.session.own_key().unwrap().unwrap().known);
    // Sam, a team lead, makes Dan's laptop: a team lead cannot vouch for a key.
    let mut dans = sams.enrol(&clock, "Dan's laptop", &dan_id);
    assert!(!dans.session.own_key().unwrap().unwrap().known);
    let person = dans.register("Quayle");
    send(&mut dans, &mut sams);
    let summary = send(&mut sams, &mut priya);
    assert!(summary.new_operations > 0, "Sam's enrolment of Dan's laptop, signed by Sam, is taken");
    assert!(priya.has(&person), "casework needs no key of its own");

    // Sam's spare laptop, made by Sam: there his key is not known, and a lead's change is
    // refused in words, with nothing saved.
    let mut spare = sams.enrol(&clock, "Sam's spare laptop", &sam_id);
    let own = spare.session.own_key().unwrap().unwrap();
    assert!(!own.known);
    let before = spare.hash();
    let actor = spare.session.actor();
    let refused = sync::join::make(spare.session.store_mut(), &actor, &NewLaptop { label: "Another".into(), worker_id: dan_id.clone() })
        .expect_err("no change in Sam's name without a key the team knows");
    assert!(refused.to_string().contains("signing key on this laptop"), "{refused}");
    assert_eq!(spare.hash(), before);

    // The spare's bundle asks, relayed by Sam's laptop; Priya reads the fingerprint with Sam
    // and vouches for it.
    send(&mut spare, &mut sams);
    send(&mut sams, &mut priya);
    let waiting = priya.session.keys_waiting().unwrap();
    assert_eq!(waiting.len(), 2, "Dan's key and the spare's: {waiting:?}");
    let sams_spare = waiting.iter().find(|k| k.worker_name == "Sam Patel").expect("Sam's key waits");
    assert_eq!(sams_spare.laptop_label, "Sam's spare laptop");
    assert_eq!(sams_spare.fingerprint, own.fingerprint, "the same characters on both screens");
    priya.session.vouch_for_key(&sams_spare.key.clone()).unwrap();
    assert_eq!(priya.session.keys_waiting().unwrap().len(), 1);
    send(&mut priya, &mut spare);
    assert!(spare.session.own_key().unwrap().unwrap().known);

    // Now Sam enrols a laptop from the spare, and Priya's laptop takes it.
    let actor = spare.session.actor();
    sync::join::make(spare.session.store_mut(), &actor, &NewLaptop { label: "Court laptop".into(), worker_id: dan_id.clone() })
        .expect("signed with a key the team knows");
    send(&mut spare, &mut priya);
    let labels: Vec<String> = laptop::all(priya.session.store().reader()).unwrap().into_iter().map(|d| d.label).collect();
    assert!(labels.contains(&"Court laptop".to_string()), "{labels:?}");
}

/// What a misbehaving team laptop sends, its bundle made by hand with its own keys (as a worker
/// who opened the database with their own password could).
#[derive(Debug, Clone, Copy)]
enum Forgery {
    /// A change under an honest laptop's id and its next number.
    ForgedOrigin,
    /// A different change under a number an honest laptop already used.
    ReusedNumber,
    /// Its own custody worker made a team lead, by that worker.
    SelfPromotion,
    /// The revoked laptop's revocation cleared.
    ClearedRevocation,
    /// A change dated two days ahead.
    FarFuture,
    /// Its own custody worker made a team lead, in the administrator's name, signed with the
    /// custody worker's own key.
    InTheAdministratorsName,
    /// The same in the administrator's name, with no signature.
    UnsignedInTheAdministratorsName,
    /// A key of its own made known as the administrator's, signed by that key.
    KeyForTheAdministrator,
    /// The same made on the laptop that founded the team (by someone else who opens its
    /// database), where the founding administrator's first key was made.
    SecondRootKey,
    /// The laptop revokes itself (choosing the team's next key), signed by its own worker.
    SelfRevocation,
    /// A person changed in a field this version of Throughline does not have.
    UnknownField,
}

impl Forgery {
    /// The founding laptop makes this one; the rogue team laptop makes the rest.
    fn made_on_the_founding_laptop(self) -> bool {
        matches!(self, Forgery::SecondRootKey)
    }
}

struct Team {
    clock: Arc<FixedClock>,
    honest: Vec<Laptop>,
    rogue: Laptop,
    revoked_id: String,
    administrator: String,
}

/// The rogue laptop's worker's own signing key, from their key slot (their password opens it).
fn own_key(laptop: &Laptop, login: &str) -> ed25519_dalek::SigningKey {
    let slots = keyslots::SlotFile::load(&laptop.dir.path().join("keyslots.json")).unwrap();
    let slot = slots.slots.iter().find(|s| s.label == slots.label_for_login(login)).unwrap();
    let seed = keyslots::unlock(slot, PASSWORD.as_bytes()).unwrap().seed.expect("a worker's slot holds their key");
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

fn team(n: usize) -> Team {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let custody = lead
        .session
        .add_worker(&NewWorker {
            display_name: "Dan Kowalski".into(),
            login: "dan".into(),
            roles: vec![Role::Custody],
            password: PASSWORD.into(),
        })
        .unwrap();
    let mut honest = vec![];
    for i in 1..n {
        honest.push(lead.enrol(&clock, &format!("Laptop {i}"), &lead_id));
    }
    let rogue = lead.enrol(&clock, "Custody laptop", &custody.id);
    let lost = lead.enrol(&clock, "Lost laptop", &lead_id);
    let revoked_id = lost.device_id();
    let actor = lead.session.actor();
    devices::revoke(lead.session.store_mut(), &actor, &revoked_id).unwrap();
    honest.insert(0, lead);
    let mut team = Team { clock, honest, rogue, revoked_id, administrator: lead_id };
    let roster = team.honest[0].export();
    for l in team.honest.iter_mut().skip(1) {
        l.import(&roster).unwrap();
    }
    team.rogue.import(&roster).unwrap();
    team
}

fn forge(team: &mut Team, kind: Forgery, victim: usize) -> Vec<u8> {
    let maker = if kind.made_on_the_founding_laptop() { &team.honest[0] } else { &team.rogue };
    let conn = maker.session.store().reader();
    let (team_id, me): (String, String) =
        conn.query_row("SELECT team_id, device_id FROM installation", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let identity = laptop::identity(conn).unwrap().unwrap();
    let worker = maker.session.worker().clone();
    let victim_id = team.honest[victim].device_id();
    let now = hlc::next(0, team.clock.now().timestamp_millis());
    let some_client: String = conn.query_row("SELECT id FROM clients LIMIT 1", [], |r| r.get(0)).unwrap_or_else(|_| "nobody".into());
    let made_up = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let (origin, seq, hlc, record_type, record_id, changes) = match kind {
        Forgery::ForgedOrigin => {
            let next = chains::held(team.honest[victim].session.store().reader(), &victim_id).unwrap().seq + 1000;
            (victim_id.clone(), next, now, "client", some_client, r#"{"phone":[null,"07700 900999"]}"#.to_string())
        }
        Forgery::ReusedNumber => (victim_id.clone(), 1, now, "client", some_client, r#"{"phone":[null,"07700 900998"]}"#.to_string()),
        Forgery::SelfPromotion => {
            (me.clone(), 0, now, "worker", worker.id.clone(), r#"{"roles":["custody","custody,team_lead,administrator"]}"#.to_string())
        }
        Forgery::ClearedRevocation => {
            (me.clone(), 0, now, "device", team.revoked_id.clone(), r#"{"revoked_at":["2026-11-23T09:00:10Z",null]}"#.to_string())
        }
        Forgery::FarFuture => (
            me.clone(),
            0,
            hlc::next(0, team.clock.now().timestamp_millis() + 2 * 86_400_000),
            "client",
            some_client,
            r#"{"phone":[null,"07700 900997"]}"#.to_string(),
        ),
        Forgery::InTheAdministratorsName | Forgery::UnsignedInTheAdministratorsName => {
            (me.clone(), 0, now, "worker", worker.id.clone(), r#"{"roles":["custody","custody,team_lead"]}"#.to_string())
        }
        Forgery::SelfRevocation => {
            let at = serde_json::json!({"revoked_at": [null, team.clock.now().to_rfc3339()]});
            (me.clone(), 0, now, "device", me.clone(), at.to_string())
        }
        Forgery::UnknownField => (me.clone(), 0, now, "client", some_client, r#"{"shoe_size":[null,"9"]}"#.to_string()),
        Forgery::KeyForTheAdministrator | Forgery::SecondRootKey => {
            let public = hex::encode(made_up.verifying_key().to_bytes());
            let changes = serde_json::json!({
                "id": [null, public],
                "worker_id": [null, team.administrator],
                "laptop_id": [null, me],
                "created_at": [null, "2026-11-23T09:00:00Z"],
                "created_by": [null, team.administrator],
            });
            (me.clone(), 0, now, "worker_key", public, changes.to_string())
        }
    };
    let (author, signer) = match kind {
        Forgery::InTheAdministratorsName => (team.administrator.clone(), Some(own_key(&team.rogue, "dan"))),
        Forgery::UnsignedInTheAdministratorsName => (team.administrator.clone(), None),
        Forgery::KeyForTheAdministrator | Forgery::SecondRootKey => (team.administrator.clone(), Some(made_up)),
        Forgery::SelfRevocation => (worker.id.clone(), Some(own_key(&team.rogue, "dan"))),
        _ => (worker.id.clone(), None),
    };
    // Its own changes follow on from its chain, numbered and signed as an honest export would.
    let mut head = chains::held(conn, &origin).unwrap();
    let seq = if origin == me { head.seq + 1 } else { seq };
    let op = Incoming {
        op_id: uuid::Uuid::now_v7().to_string(),
        device_id: origin.clone(),
        seq,
        hlc,
        worker_id: author,
        record_type: record_type.into(),
        record_id,
        kind: if record_type == "worker_key" { "create" } else { "update" },
        changes,
    };
    head.chain = chains::link(&head.chain, &op);
    head.seq = seq;
    let body = Body {
        holdings: vec![],
        origins: vec![origin.clone()],
        workers: vec![op.worker_id.clone()],
        record_types: vec![op.record_type.clone()],
        ops: vec![WireOp {
            op_id: Id::from_text(&op.op_id),
            origin: 0,
            seq_step: seq,
            hlc_step: hlc,
            worker: 0,
            record_type: 0,
            record_id: Id::from_text(&op.record_id),
            kind: if op.kind == "create" { 0 } else { 1 },
            changes: op.changes.clone(),
        }],
        signatures: signer
            .map(|key| OpSignature {
                op: 0,
                key: key.verifying_key().to_bytes(),
                signature: key.sign(&signing::message(&team_id, &op.change())).to_bytes().to_vec(),
            })
            .into_iter()
            .collect(),
        heads: vec![SignedHead {
            origin: 0,
            seq,
            chain: head.chain,
            signature: Some(chains::sign(&team_id, &origin, seq, &head.chain, &identity.signing_key)),
        }],
        audit: Default::default(),
        key_requests: vec![],
    };
    let key = keys::current(conn).unwrap();
    let header = Header {
        team_id,
        device_id: me,
        exported_at: team.clock.now().to_rfc3339(),
        schema_version: throughline_core::store::schema_version(),
        key_generation: key.generation,
        key_id: key.id(),
        key_wraps: keys::wraps_for(&key, &laptop::all(conn).unwrap()),
    };
    bundle::write(&header, &body, &key.key, &identity.signing_key).unwrap()
}

fn refused_as_expected(kind: Forgery, err: &SyncError) -> bool {
    match kind {
        Forgery::ForgedOrigin => matches!(err, SyncError::Unvouched(_) | SyncError::Gap { .. } | SyncError::ClaimsThisLaptop),
        Forgery::ReusedNumber => matches!(err, SyncError::Unvouched(_) | SyncError::Corrupt(_) | SyncError::ClaimsThisLaptop),
        Forgery::SelfPromotion => matches!(err, SyncError::NotAllowed { why, .. } if why.contains("administrator")),
        Forgery::ClearedRevocation => {
            matches!(err, SyncError::NotAllowed { why, .. } if why.contains("for good") || why.contains("team lead"))
        }
        Forgery::FarFuture => matches!(err, SyncError::FutureClock { .. }),
        Forgery::InTheAdministratorsName => matches!(err, SyncError::NotAllowed { why, .. } if why.contains("another worker's key")),
        Forgery::UnsignedInTheAdministratorsName => matches!(err, SyncError::NotAllowed { why, .. } if why.contains("no signature")),
        Forgery::KeyForTheAdministrator | Forgery::SecondRootKey => {
            matches!(err, SyncError::NotAllowed { why, .. } if why.contains("does not know"))
        }
        Forgery::SelfRevocation => {
            matches!(err, SyncError::NotAllowed { why, .. } if why.contains("team lead") || why.contains("revoke itself"))
        }
        Forgery::UnknownField => {
            matches!(err, SyncError::Corrupt(why) if why.contains("a field this version does not have (client.shoe_size)"))
        }
    }
}

#[derive(Debug, Clone)]
enum Step {
    Register { laptop: usize },
    Exchange { from: usize, to: usize },
    Forge { kind: usize, to: usize, victim: usize },
}

fn steps(n: usize) -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            2 => (0..n).prop_map(|laptop| Step::Register { laptop }),
            3 => (0..n, 0..n).prop_map(|(from, to)| Step::Exchange { from, to }),
            3 => (0..11usize, 0..n, 0..n).prop_map(|(kind, to, victim)| Step::Forge { kind, to, victim }),
        ],
        6..20,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn a_misbehaving_team_laptop_is_refused_by_name_everywhere_and_the_honest_ones_converge(
        (n, steps) in (3usize..=5).prop_flat_map(|n| (Just(n), steps(n)))
    ) {
        let mut team = team(n);
        let kinds = [
            Forgery::ForgedOrigin,
            Forgery::ReusedNumber,
            Forgery::SelfPromotion,
            Forgery::ClearedRevocation,
            Forgery::FarFuture,
            Forgery::InTheAdministratorsName,
            Forgery::UnsignedInTheAdministratorsName,
            Forgery::KeyForTheAdministrator,
            Forgery::SecondRootKey,
            Forgery::SelfRevocation,
            Forgery::UnknownField,
        ];
        for s in &steps {
            tick(&team.clock);
            match *s {
                Step::Register { laptop } => { team.honest[laptop].register("Person"); }
                Step::Exchange { from, to } => {
                    if from == to { continue }
                    let bundle = team.honest[from].export();
                    team.honest[to].import(&bundle).unwrap();
                }
                Step::Forge { kind, to, victim } => {
                    let kind = kinds[kind];
                    // The founding laptop's own bundle goes to another laptop.
                    let to = if kind.made_on_the_founding_laptop() && to == 0 { 1 } else { to };
                    let bad = forge(&mut team, kind, victim);
                    let before = team.honest[to].hash();
                    let err = team.honest[to].import(&bad).expect_err("a forged bundle is refused");
                    prop_assert!(refused_as_expected(kind, &err), "{kind:?} was refused as {err:?}");
                    prop_assert!(!err.to_string().is_empty());
                    prop_assert_eq!(team.honest[to].hash(), before);
                }
            }
        }
        for i in 1..n {
            let bundle = team.honest[i].export();
            team.honest[0].import(&bundle).unwrap();
        }
        let all = team.honest[0].export();
        for l in team.honest.iter_mut().skip(1) {
            l.import(&all).unwrap();
        }
        let hash = team.honest[0].hash();
        for l in &team.honest {
            prop_assert_eq!(&l.hash(), &hash);
        }
    }
}

/// A key request is only a proposal: one that names no worker of the team, or was not signed
/// by its own key, is passed over, and the bundle around it imports.
#[test]
fn a_key_request_that_does_not_hold_is_passed_over_and_stops_no_ones_sync() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let mut b = lead.enrol(&clock, "Court laptop", &lead_id);
    let person = b.register("Smith");
    let good = b.export();
    let conn = b.session.store().reader();
    let identity = laptop::identity(conn).unwrap().unwrap();
    let header = bundle::read(&good).unwrap().header.clone();
    let key = keys::current(conn).unwrap();
    let mut body = bundle::read(&good).unwrap().open(&key.key).unwrap();
    let made_up = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let signed = |worker: &str| {
        let message = worker_keys::request_message(&header.team_id, worker, &header.device_id, &made_up.verifying_key().to_bytes());
        made_up.sign(&message).to_bytes().to_vec()
    };
    let request = |worker: &str, signature: Vec<u8>| KeyRequest {
        key: made_up.verifying_key().to_bytes(),
        worker: worker.into(),
        laptop: header.device_id.clone(),
        signature,
        asked_at: clock.now().to_rfc3339(),
    };
    body.key_requests = vec![request("nobody-we-know", signed("nobody-we-know")), request(&lead_id, signed("someone-else"))];
    let bytes = bundle::write(&header, &body, &key.key, &identity.signing_key).unwrap();
    lead.import(&bytes).expect("the rest of the bundle imports");
    assert!(lead.has(&person));
    assert!(lead.session.keys_waiting().unwrap().is_empty(), "neither request is kept");
}

#[test]
fn mutated_bodies_sealed_and_signed_by_a_team_laptop_are_refused_without_a_panic() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let mut b = lead.enrol(&clock, "Court laptop", &lead_id);
    for name in ["Smith", "Jones", "Khan"] {
        b.register(name);
    }
    // B's honest body, re-encoded; then mutated and sealed and signed again with B's own keys,
    // so every mutation reaches the parser and the checks after it.
    let conn = b.session.store().reader();
    let identity = laptop::identity(conn).unwrap().unwrap();
    let good = b.export();
    let header = bundle::read(&good).unwrap().header.clone();
    let key = keys::current(b.session.store().reader()).unwrap();
    let body = bundle::read(&good).unwrap().open(&key.key).unwrap();
    let plain = postcard::to_stdvec(&body).unwrap();
    let before = lead.hash();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    };
    let mut applied = 0;
    for i in 0..3000 {
        let mut bad = plain.clone();
        match i % 4 {
            0 => {
                let at = next(bad.len());
                bad[at] ^= 1 << next(8);
            }
            1 => bad.truncate(next(bad.len())),
            2 => {
                let at = next(bad.len());
                bad[at] = 0xff;
            }
            _ => {
                let (a, c) = (next(bad.len()), next(bad.len()));
                let (a, c) = (a.min(c), a.max(c));
                bad[a..c].rotate_left((c - a) / 2);
            }
        }
        let bytes = bundle::write_plain(&header, &bad, &key.key, &identity.signing_key).unwrap();
        if lead.import(&bytes).is_ok() {
            applied += 1;
        }
    }
    // A mutation that left a whole, honest bundle (a changed byte in a name, say) may import;
    // nothing forged does, and nothing panicked.
    let _ = (applied, before);
    // A body that decompresses far beyond its size is refused in words.
    let zeros = vec![0u8; 300 << 20];
    let bytes = bundle::write_plain(&header, &zeros, &key.key, &identity.signing_key).unwrap();
    assert!(bytes.len() < 1 << 20);
    assert!(matches!(lead.import(&bytes), Err(SyncError::Corrupt(why)) if why.contains("times its compressed size")));
}

/// The partnership hub is enrolled like a laptop and opens the team's bundles, but speaks for
/// no one: a bundle it signs is refused by name, it cannot vouch for a "restored" laptop, and
/// once revoked the team key turns over without it.
#[test]
fn the_partnership_hub_receives_and_speaks_for_no_one() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let actor = lead.session.actor();
    let file = sync::hub::make(lead.session.store_mut(), &actor, "West Yorkshire hub").expect("the lead makes the hub's file");
    assert!(matches!(sync::join::open(&file.bytes, &file.passphrase), Err(SyncError::NotAJoinFile)), "a laptop cannot join with it");
    let enrolment = sync::hub::open(&file.bytes, &file.passphrase).expect("the hub opens it");
    let views = devices::views(lead.session.store().reader(), &lead.device_id()).unwrap();
    let hub = views.iter().find(|d| d.id == enrolment.device_id).expect("the hub is listed with the laptops");
    assert!(hub.hub && hub.label == "West Yorkshire hub");

    // The hub signs a bundle with its own key and the team's: refused, naming the hub.
    tick(&clock);
    let conn = lead.session.store().reader();
    let header = Header {
        team_id: enrolment.team_id.clone(),
        device_id: enrolment.device_id.clone(),
        exported_at: clock.now().to_rfc3339(),
        schema_version: throughline_core::store::schema_version(),
        key_generation: 0,
        key_id: keys::key_id(&enrolment.team_key().unwrap()),
        key_wraps: vec![],
    };
    let forged = bundle::write(&header, &Body::default(), &enrolment.team_key().unwrap(), &enrolment.signing_key().unwrap()).unwrap();
    let before = records::content_hash(conn).unwrap();
    match lead.import(&forged) {
        Err(SyncError::FromHub(label)) => assert_eq!(label, "West Yorkshire hub"),
        other => panic!("a bundle the hub signed was not refused as the hub's: {other:?}"),
    }
    assert_eq!(lead.hash(), before, "nothing changed");

    // Revoked, the hub is sealed out of the next team key.
    devices::revoke(lead.session.store_mut(), &actor, &enrolment.device_id).expect("the lead revokes the hub");
    let next = keys::current(lead.session.store().reader()).unwrap();
    let wraps = keys::wraps_for(&next, &laptop::all(lead.session.store().reader()).unwrap());
    assert!(next.generation == 1 && !wraps.is_empty());
    assert!(wraps.iter().all(|w| w.device_id != enrolment.device_id), "the new key is not sealed for the revoked hub");
}
