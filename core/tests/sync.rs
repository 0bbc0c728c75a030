//! Sync by file, as a team's laptops live it: a team lead's laptop enrols the others with join
//! files, workers change records while apart, bundles travel both ways, and every laptop ends
//! with the same records and the same list of conflicts. Bundles that are broken, replayed or
//! from elsewhere change nothing and say why.
mod support;

use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::workers::{self, NewWorker};
use throughline_core::accounts::{Installation, Session};
use throughline_core::clients::{self, duplicates, merge, NewClient};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::governance::retention;
use throughline_core::store::DatabaseKey;
use throughline_core::sync::conflicts::{self, Settle};
use throughline_core::sync::join::NewLaptop;
use throughline_core::sync::{self, devices, laptop, records, BundleSummary, ExportScope, SyncError};
use throughline_core::testing;

struct Laptop {
    dir: tempfile::TempDir,
    session: Session,
}

impl Laptop {
    fn founding(clock: &Arc<FixedClock>) -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        let session = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
        Laptop { dir, session }
    }

    /// This (team lead's) laptop enrols a new one for `worker_id`, which joins with the file.
    fn enrol(&mut self, clock: &Arc<FixedClock>, label: &str, worker_id: &str) -> Laptop {
        tick(clock);
        let actor = self.session.actor();
        let laptop = NewLaptop { label: label.into(), worker_id: worker_id.into() };
        let file = sync::join::make(self.session.store_mut(), &actor, &laptop).expect("the lead makes a join file");
        let dir = tempfile::tempdir().unwrap();
        let (session, _recovery) = Installation::new(dir.path(), clock.clone())
            .join(&file.bytes, &file.passphrase.to_lowercase(), "quartz-meadow-lantern-417")
            .expect("the new laptop joins with the file and its passphrase");
        Laptop { dir, session }
    }

    fn export(&mut self, scope: &ExportScope) -> Vec<u8> {
        let actor = self.session.actor();
        sync::export(self.session.store_mut(), &actor, scope).expect("export").0
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

    fn register(&mut self, surname: &str, forenames: &str) -> String {
        support::register_named(&mut self.session, surname, forenames)
    }

    /// Changes one detail of a client's record, as the edit form would.
    fn edit(&mut self, client_id: &str, field: &str, value: &str) {
        let actor = self.session.actor();
        let c = clients::get(self.session.store().reader(), client_id).unwrap().unwrap();
        let mut input = NewClient {
            surname: c.surname,
            forenames: c.forenames,
            date_of_birth: c.date_of_birth.format("%d/%m/%Y").to_string(),
            sex: "female".into(),
            phone: c.phone.unwrap_or_default(),
            risk_notes: c.risk_notes.unwrap_or_default(),
            ..Default::default()
        };
        match field {
            "phone" => input.phone = value.into(),
            _ => input.risk_notes = value.into(),
        }
        clients::update_details(self.session.store_mut(), &actor, client_id, &input).unwrap();
    }

    fn field(&self, client_id: &str, field: &str) -> Option<String> {
        let c = clients::get(self.session.store().reader(), client_id).unwrap().unwrap();
        if field == "phone" {
            c.phone
        } else {
            c.risk_notes
        }
    }

    fn conflicts(&self) -> Vec<conflicts::Conflict> {
        conflicts::list(self.session.store().reader(), None).unwrap()
    }
}

/// The team lead's laptop and one it enrolled (for the lead herself), on one fixed clock.
fn two_laptops(label: &str) -> (Arc<FixedClock>, Laptop, Laptop) {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let lead_id = lead.session.worker().id.clone();
    let other = lead.enrol(&clock, label, &lead_id);
    (clock, lead, other)
}

/// Sends everything `from` holds to `to`.
fn send(from: &mut Laptop, to: &mut Laptop) -> BundleSummary {
    let bundle = from.export(&ExportScope::Everything);
    to.import(&bundle).expect("a bundle from a team laptop imports")
}

/// A name for the n-th made-up person: letters only, as names must be ("Ab", "Ac", ...).
fn made_up_name(n: usize) -> String {
    let mut name = String::from("A");
    let mut n = n;
    loop {
        name.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return name;
        }
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))
}

fn tick(clock: &FixedClock) {
    clock.advance(chrono::Duration::seconds(1));
}

#[test]
fn the_sync_screen_opens_on_a_laptop_that_has_not_made_or_used_a_join_file_yet() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let status = |lead: &Laptop| sync::status::status(lead.session.store().reader(), None).expect("the Sync screen opens");
    let before = status(&lead);
    assert!(before.devices.is_empty());
    lead.register("Lopez", "Maria");
    assert_eq!(status(&lead).not_exported, before.not_exported + 1);
}

#[test]
fn a_laptop_joins_the_team_with_its_data_and_its_worker_signs_in_there() {
    let clock = clock();
    let mut lead = Laptop::founding(&clock);
    let john = lead.register("Smith", "John");
    let lead_id = lead.session.worker().id.clone();
    let laptop = lead.enrol(&clock, "Custody suite laptop", &lead_id);

    assert_eq!(laptop.session.worker().display_name, "Priya Shah");
    assert_eq!(laptop.hash(), lead.hash(), "the joined laptop holds exactly the team's data");
    assert!(clients::get(laptop.session.store().reader(), &john).unwrap().is_some());
    let labels: Vec<String> = laptop::all(laptop.session.store().reader()).unwrap().into_iter().map(|d| d.label).collect();
    assert_eq!(labels, ["Priya Shah's laptop", "Custody suite laptop"]);

    // A worker added on the lead's laptop afterwards arrives with the next bundle, roles and
    // all; their password does not travel (an administrator there sets one).
    let sam = lead
        .session
        .add_worker(&NewWorker {
            display_name: "Sam Lee".into(),
            login: "sam".into(),
            roles: vec![Role::Custody],
            password: "tangerine-orbit-cellar-92".into(),
        })
        .unwrap();
    let mut laptop = laptop;
    send(&mut lead, &mut laptop);
    let arrived = workers::by_login(laptop.session.store().reader(), "sam").unwrap().expect("Sam is on the other laptop");
    assert_eq!((arrived.roles(), arrived.id), (vec![Role::Custody], sam.id));
    assert!(Installation::new(laptop.dir.path(), clock.clone()).sign_in("sam", "tangerine-orbit-cellar-92").is_err());

    // The worker signs in there again later with the password they chose.
    let dir = laptop.dir.path().to_path_buf();
    drop(laptop.session);
    Installation::new(&dir, clock.clone()).sign_in(testing::LEAD_LOGIN, "quartz-meadow-lantern-417").expect("signs in on the new laptop");

    // A wrong passphrase is refused with its reason.
    let actor = lead.session.actor();
    let file = sync::join::make(lead.session.store_mut(), &actor, &NewLaptop { label: "Spare".into(), worker_id: lead_id }).unwrap();
    let other = tempfile::tempdir().unwrap();
    let refused = Installation::new(other.path(), clock.clone()).join(&file.bytes, "AAAAA-BBBBB-CCCCC-DDDDD", "quartz-meadow-lantern-417");
    assert!(matches!(refused, Err(sync::join::JoinError::Sync(SyncError::PassphraseWrong))));
    assert!(!other.path().join("throughline.db").exists(), "a refused join leaves no database behind");
}

#[test]
fn the_same_field_changed_on_two_laptops_keeps_one_winner_everywhere_lists_the_conflict_and_restores_the_other() {
    let (clock, mut lead, mut court) = two_laptops("Court laptop");
    let john = lead.register("Smith", "John");
    send(&mut lead, &mut court);

    // Apart: the lead records one phone number, the court worker another a second later.
    lead.edit(&john, "phone", "07700 900111");
    tick(&clock);
    court.edit(&john, "phone", "07700 900222");
    let to_lead = send(&mut court, &mut lead);
    assert_eq!((to_lead.new_operations, to_lead.open_conflicts), (1, 1));
    send(&mut lead, &mut court);

    for laptop in [&lead, &court] {
        assert_eq!(laptop.field(&john, "phone").as_deref(), Some("07700 900222"), "the later change wins on every laptop");
        let listed = laptop.conflicts();
        assert_eq!(listed.len(), 1);
        let c = &listed[0];
        assert_eq!((c.field.as_str(), c.client_name.as_deref()), ("phone", Some("John Smith")));
        assert_eq!(c.kept.value, "07700 900222");
        assert_eq!(c.kept.device_label, "Court laptop");
        assert_eq!(c.others.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(), ["07700 900111"]);
    }
    assert_eq!(lead.hash(), court.hash());

    // The court worker restores the lead's number: a change like any other, which closes the
    // conflict wherever it reaches.
    let listed = court.conflicts();
    let settle = Settle {
        record_type: listed[0].record_type.clone(),
        record_id: john.clone(),
        field: "phone".into(),
        keep_op_id: listed[0].others[0].op_id.clone(),
    };
    let actor = court.session.actor();
    conflicts::settle(court.session.store_mut(), &actor, &settle).unwrap();
    assert!(matches!(conflicts::settle(court.session.store_mut(), &actor, &settle), Err(SyncError::ConflictSettled)));
    send(&mut court, &mut lead);
    for laptop in [&lead, &court] {
        assert_eq!(laptop.field(&john, "phone").as_deref(), Some("07700 900111"));
        assert!(laptop.conflicts().is_empty());
    }
    assert_eq!(lead.hash(), court.hash());

    // A change made after seeing the other laptop's value is no conflict.
    tick(&clock);
    lead.edit(&john, "phone", "07700 900333");
    send(&mut lead, &mut court);
    assert!(court.conflicts().is_empty());
    assert_eq!(court.field(&john, "phone").as_deref(), Some("07700 900333"));
}

#[test]
fn the_same_person_registered_on_two_laptops_becomes_a_possible_duplicate_and_a_merge_converges_with_an_edit() {
    let (clock, mut lead, mut custody) = two_laptops("Custody laptop");

    let on_lead = lead.register("Okafor", "Grace");
    let on_custody = custody.register("Okafor", "Grace");
    send(&mut custody, &mut lead);
    send(&mut lead, &mut custody);
    let pairs = duplicates::pairs(lead.session.store().reader(), clock.now()).unwrap();
    let pair: HashSet<String> = pairs.iter().flat_map(|p| [p.first.id.clone(), p.second.id.clone()]).collect();
    assert_eq!(pair, HashSet::from([on_lead.clone(), on_custody.clone()]), "the lead sees the pair after the exchange");

    // The lead merges them while the custody worker, still apart, records a phone number on
    // the record that is being merged away.
    let actor = lead.session.actor();
    merge::merge(lead.session.store_mut(), &actor, &on_lead, &on_custody, "same name and date of birth").unwrap();
    tick(&clock);
    custody.edit(&on_custody, "phone", "07700 900444");
    send(&mut custody, &mut lead);
    send(&mut lead, &mut custody);

    assert_eq!(lead.hash(), custody.hash(), "both laptops hold the same records");
    for laptop in [&lead, &custody] {
        let merged = clients::get(laptop.session.store().reader(), &on_custody).unwrap().unwrap();
        assert_eq!(merged.merged_into.as_deref(), Some(on_lead.as_str()), "the merge holds on both laptops");
        assert_eq!(merged.phone.as_deref(), Some("07700 900444"), "and the phone recorded apart is not lost");
        assert!(duplicates::pairs(laptop.session.store().reader(), clock.now()).unwrap().is_empty());
    }
}

#[test]
fn a_database_rebuilt_from_the_operation_log_alone_holds_the_same_content() {
    let (clock, mut lead, mut court) = two_laptops("Court laptop");
    let john = lead.register("Smith", "John");
    send(&mut lead, &mut court);
    lead.edit(&john, "phone", "07700 900001");
    court.edit(&john, "phone", "07700 900002");
    court.edit(&john, "risk_notes", "lives with partner");
    send(&mut court, &mut lead);

    let mut log = sync::log(lead.session.store().reader()).unwrap();
    log.reverse(); // the worst order: every change before the record it changes
    let dir = tempfile::tempdir().unwrap();
    let mut rebuilt =
        throughline_core::store::Store::create(&dir.path().join("rebuilt.db"), &DatabaseKey::generate(), clock.clone(), "Rebuilt").unwrap();
    sync::replay(&mut rebuilt, &lead.session.actor(), &log).unwrap();
    assert_eq!(records::content_hash(rebuilt.reader()).unwrap(), lead.hash());
    assert_eq!(conflicts::list(rebuilt.reader(), None).unwrap().len(), 1);
}

/// Whether anything in this laptop's database file (every page, decrypted) holds `text`.
fn file_holds(laptop: &Laptop, text: &str) -> bool {
    let pages = support::decrypted_pages(&laptop.dir.path().join("throughline.db"), &laptop.session.database_key_for_tests());
    support::holds(&pages, text)
}

#[test]
fn an_anonymisation_reaches_every_laptop_and_removes_a_change_made_there_before_it_arrived() {
    let (clock, mut lead, mut court) = two_laptops("Court laptop");
    let ada = lead.register("Quillfeather", "Ada");
    lead.edit(&ada, "phone", "07700 900417");
    let actor = lead.session.actor();
    clients::close(lead.session.store_mut(), &actor, &ada, "moved_away").unwrap();
    send(&mut lead, &mut court);
    assert!(file_holds(&court, "Quillfeather"));

    // Nine years on, the court laptop adds a note to the closed record before it hears that
    // the lead anonymised the case.
    clock.advance(chrono::Duration::days(9 * 366));
    court.edit(&ada, "risk_notes", "Brother Tobias visits");
    tick(&clock);
    let actor = lead.session.actor();
    let review = retention::NewRetentionReview { decision: "anonymised".into(), ..Default::default() };
    retention::review(lead.session.store_mut(), &actor, &ada, &review).unwrap();

    send(&mut lead, &mut court);
    send(&mut court, &mut lead);
    for laptop in [&lead, &court] {
        for text in ["Quillfeather", "07700 900417", "Tobias"] {
            assert!(!file_holds(laptop, text), "{text} is still on a laptop");
        }
        let c = clients::get(laptop.session.store().reader(), &ada).unwrap().unwrap();
        assert_eq!((c.surname.as_str(), c.risk_notes.as_deref()), ("Anonymised", Some(retention::REMOVED)));
    }
    assert_eq!(lead.hash(), court.hash());
}

#[test]
fn broken_foreign_or_replayed_bundles_change_nothing_and_say_why() {
    let (clock, mut lead, mut court) = two_laptops("Court laptop");
    let lead_id = lead.session.worker().id.clone();
    let mut lost = lead.enrol(&clock, "Laptop left on a train", &lead_id);
    send(&mut lead, &mut court);
    for name in ["Smith", "Jones", "Khan"] {
        court.register(name, "Alex");
    }
    let good = court.export(&ExportScope::Everything);
    let before = lead.hash();

    // Thousands of damaged copies: flipped bytes, cuts, swapped halves.
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let mut reasons: BTreeSet<String> = BTreeSet::new();
    for i in 0..3000 {
        let mut bad = good.clone();
        match i % 3 {
            0 => {
                let at = next(bad.len());
                bad[at] ^= 1 << next(8);
            }
            1 => bad.truncate(next(bad.len())),
            _ => {
                let (a, b) = (next(bad.len()), next(bad.len()));
                let (a, b) = (a.min(b), a.max(b));
                bad[a..b].rotate_left((b - a) / 2);
                if bad == good {
                    continue;
                }
            }
        }
        let err = lead.import(&bad).expect_err("a damaged bundle is refused");
        reasons.insert(format!("{err:?}").split('(').next().unwrap().to_string());
    }
    assert_eq!(lead.hash(), before, "no damaged bundle changed anything");
    assert!(reasons.is_subset(&BTreeSet::from(
        ["NotABundle", "Truncated", "BadSignature", "Corrupt", "FutureFormat", "OlderFormat", "OtherTeam", "UnknownDevice"]
            .map(String::from)
    )));
    assert!(reasons.contains("BadSignature") && reasons.contains("Truncated"));

    // Another laptop's signature on these bytes.
    let mut swapped = good.clone();
    let other = lead.export(&ExportScope::Everything);
    let n = swapped.len();
    swapped[n - 64..].copy_from_slice(&other[other.len() - 64..]);
    assert!(matches!(lead.import(&swapped), Err(SyncError::BadSignature)));

    // A bundle from another team.
    let mut stranger = Laptop::founding(&clock);
    assert!(matches!(lead.import(&stranger.export(&ExportScope::Everything)), Err(SyncError::OtherTeam)));

    // A revoked laptop's bundle, once the revocation has reached this laptop.
    let lost_id = lost.device_id();
    let actor = lead.session.actor();
    devices::revoke(lead.session.store_mut(), &actor, &lost_id).unwrap();
    let before = lead.hash();
    lost.register("Lee", "Sam");
    let from_lost = lost.export(&ExportScope::Everything);
    assert!(matches!(lead.import(&from_lost), Err(SyncError::RevokedDevice(label)) if label == "Laptop left on a train"));
    send(&mut lead, &mut court);
    assert!(matches!(court.import(&from_lost), Err(SyncError::RevokedDevice(_))));

    // A bundle from a newer version's format.
    let mut future = good.clone();
    future[9] = 9;
    assert!(matches!(lead.import(&future), Err(SyncError::FutureFormat(9))));
    assert_eq!(lead.hash(), before);

    // The good bundle applies once; importing it again changes nothing and says so.
    let first = lead.import(&good).unwrap();
    assert_eq!(first.new_operations, 3);
    let after = lead.hash();
    let again = lead.import(&good).unwrap();
    assert!(again.already_imported);
    assert_eq!(lead.hash(), after);
}

/// One step of a random team week.
#[derive(Debug, Clone)]
enum Step {
    Register { laptop: usize },
    Edit { laptop: usize, client: usize, field: bool },
    Exchange { from: usize, to: usize, everything: bool },
    Reimport { to: usize, bundle: usize },
}

fn step(laptops: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0..laptops).prop_map(|laptop| Step::Register { laptop }),
        4 => (0..laptops, 0..6usize, any::<bool>()).prop_map(|(laptop, client, field)| Step::Edit { laptop, client, field }),
        3 => (0..laptops, 0..laptops, any::<bool>()).prop_map(|(from, to, everything)| Step::Exchange { from, to, everything }),
        1 => (0..laptops, 0..20usize).prop_map(|(to, bundle)| Step::Reimport { to, bundle }),
    ]
}

fn week() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (3usize..=5).prop_flat_map(|n| (Just(n), proptest::collection::vec(step(n), 10..40)))
}

/// What the test itself knows of each edit: the operation that made it, and which earlier edits
/// its laptop held when it was made.
struct Edit {
    client: String,
    field: &'static str,
    value: String,
    op_id: String,
    knew: BTreeSet<usize>,
}

impl Laptop {
    /// The clients this laptop holds, in a fixed order, so a step can pick one by number.
    fn clients_held(&self) -> Vec<String> {
        let reader = self.session.store().reader();
        let mut rows = reader.prepare("SELECT id FROM clients ORDER BY id").unwrap();
        rows.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    fn holds_operation(&self, op_id: &str) -> bool {
        let reader = self.session.store().reader();
        reader.query_row("SELECT EXISTS (SELECT 1 FROM operations WHERE op_id = ?1)", [op_id], |r| r.get(0)).unwrap()
    }

    /// The operation this laptop made last for a client's record.
    fn last_change_to(&self, client_id: &str) -> String {
        let reader = self.session.store().reader();
        reader
            .query_row(
                "SELECT op_id FROM operations WHERE device_id = (SELECT device_id FROM installation)
                   AND record_type = 'client' AND record_id = ?1 ORDER BY seq DESC LIMIT 1",
                [client_id],
                |r| r.get(0),
            )
            .unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn any_exchange_schedule_converges_and_lists_every_change_made_apart((n, steps) in week()) {
        let clock = clock();
        let mut laptops = vec![Laptop::founding(&clock)];
        let lead_id = laptops[0].session.worker().id.clone();
        for i in 1..n {
            let joined = laptops[0].enrol(&clock, &format!("Laptop {i}"), &lead_id);
            laptops.push(joined);
        }
        // Everyone learns every laptop of the team before the week starts.
        let roster = laptops[0].export(&ExportScope::Everything);
        for l in laptops.iter_mut().skip(1) {
            l.import(&roster).unwrap();
        }
        laptops[0].register("Smith", "John");
        let roster = laptops[0].export(&ExportScope::Everything);
        for l in laptops.iter_mut().skip(1) {
            l.import(&roster).unwrap();
        }

        // What a laptop knows is read from the laptop itself: a bundle made for one laptop and
        // opened on another carries only what its maker thought the first one lacked.
        let mut registered = 1;
        let mut edits: Vec<Edit> = Vec::new();
        let mut bundles: Vec<Vec<u8>> = Vec::new();
        for s in &steps {
            tick(&clock);
            match *s {
                Step::Register { laptop } => {
                    laptops[laptop].register("Person", &made_up_name(registered));
                    registered += 1;
                }
                Step::Edit { laptop, client, field } => {
                    let held = laptops[laptop].clients_held();
                    let id = held[client % held.len()].clone();
                    let knew = (0..edits.len()).filter(|&i| laptops[laptop].holds_operation(&edits[i].op_id)).collect();
                    let field = if field { "phone" } else { "risk_notes" };
                    let value = if field == "phone" { format!("07700 9{:05}", edits.len()) } else { format!("note {}", edits.len()) };
                    laptops[laptop].edit(&id, field, &value);
                    let op_id = laptops[laptop].last_change_to(&id);
                    edits.push(Edit { client: id, field, value, op_id, knew });
                }
                Step::Exchange { from, to, everything } => {
                    if from == to { continue }
                    let scope = if everything {
                        ExportScope::Everything
                    } else {
                        ExportScope::NotAcknowledgedBy { device_ids: vec![laptops[to].device_id()] }
                    };
                    let bundle = laptops[from].export(&scope);
                    laptops[to].import(&bundle).unwrap();
                    bundles.push(bundle);
                }
                Step::Reimport { to, bundle } => {
                    let Some(bytes) = bundles.get(bundle) else { continue };
                    laptops[to].import(bytes).unwrap();
                }
            }
        }
        // The week ends: everyone sends to the lead, the lead sends to everyone.
        for i in 1..n {
            let bundle = laptops[i].export(&ExportScope::Everything);
            laptops[0].import(&bundle).unwrap();
        }
        let all = laptops[0].export(&ExportScope::Everything);
        for l in laptops.iter_mut().skip(1) {
            l.import(&all).unwrap();
        }

        let hash = laptops[0].hash();
        for l in &laptops {
            prop_assert_eq!(&l.hash(), &hash);
        }
        // Expected conflicts: per client and field, the edits no other edit of it had seen.
        let mut expected: BTreeMap<(String, &str), BTreeSet<String>> = BTreeMap::new();
        for (i, e) in edits.iter().enumerate() {
            let superseded = edits.iter().any(|later| later.client == e.client && later.field == e.field && later.knew.contains(&i));
            if !superseded {
                expected.entry((e.client.clone(), e.field)).or_default().insert(e.value.clone());
            }
        }
        expected.retain(|_, values| values.len() > 1);
        for l in &laptops {
            let listed: BTreeMap<(String, &str), BTreeSet<String>> = l
                .conflicts()
                .into_iter()
                .map(|c| {
                    let field = if c.field == "phone" { "phone" } else { "risk_notes" };
                    let values = std::iter::once(c.kept.value).chain(c.others.into_iter().map(|o| o.value)).collect();
                    ((c.record_id, field), values)
                })
                .collect();
            prop_assert_eq!(&listed, &expected);
        }
    }
}

/// The child's side of the test below: sign in on the laptop and import the bundle.
fn import_in_child(folder: &str, bundle: &str) {
    let clock: Arc<FixedClock> = clock();
    let mut session = Installation::new(folder, clock).sign_in(testing::LEAD_LOGIN, "quartz-meadow-lantern-417").expect("sign in");
    let actor = session.actor();
    let bytes = std::fs::read(bundle).expect("bundle");
    sync::import(session.store_mut(), &actor, &bytes).expect("import");
    println!("imported");
}

#[test]
fn an_import_killed_at_any_moment_leaves_the_laptop_as_it_was_or_fully_imported() {
    const CHILD: &str = "THROUGHLINE_IMPORT_CHILD";
    if let Ok(args) = std::env::var(CHILD) {
        let (folder, bundle) = args.split_once('|').expect("folder|bundle");
        return import_in_child(folder, bundle);
    }
    let (clock, mut lead, court) = two_laptops("Court laptop");
    for i in 0..1500 {
        lead.register("Person", &made_up_name(i));
    }
    let bundle = lead.export(&ExportScope::Everything);
    let path = court.dir.path().join("bundle.throughline");
    std::fs::write(&path, &bundle).unwrap();
    let (before, after) = (court.hash(), lead.hash());
    let folder = court.dir.path().to_path_buf();
    drop(court.session);

    let run_child = |folder: &std::path::Path| {
        std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "an_import_killed_at_any_moment_leaves_the_laptop_as_it_was_or_fully_imported", "--nocapture"])
            .env(CHILD, format!("{}|{}", folder.display(), path.display()))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // Each run starts from a copy of the laptop as it was.
    let fresh_copy = || {
        let copy = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
            }
        }
        copy
    };
    // How long a whole run takes here, so the kills fall anywhere within it.
    let trial = fresh_copy();
    let started = std::time::Instant::now();
    assert!(run_child(trial.path()).wait().unwrap().success());
    let whole_run = started.elapsed().as_millis() as u64;

    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut cut_short = 0;
    const KILLS: usize = 16;
    for attempt in 0..=KILLS {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let laptop = fresh_copy();
        let mut child = run_child(laptop.path());
        if attempt < KILLS {
            std::thread::sleep(std::time::Duration::from_millis(rng % whole_run));
            let _ = child.kill(); // SIGKILL: no chance to tidy up
        }
        let finished = child.wait().unwrap();
        if attempt == KILLS {
            assert!(finished.success(), "the last import is let run to the end");
        }

        let session = Installation::new(laptop.path(), clock.clone()).sign_in(testing::LEAD_LOGIN, "quartz-meadow-lantern-417").unwrap();
        let conn = session.store().reader();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
        let hash = records::content_hash(conn).unwrap();
        assert!(hash == before || hash == after, "the laptop holds all of the bundle or none of it");
        cut_short += usize::from(hash == before);
        if attempt == KILLS {
            assert_eq!(hash, after, "an import let run holds everything");
        }
    }
    assert!(cut_short > 0, "at least one import was killed before it finished");
}
