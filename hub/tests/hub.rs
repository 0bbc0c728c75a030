//! The partnership hub on a real PostgreSQL (a throwaway cluster the test starts), as a
//! partnership lives it: three districts enrol the hub and send it their bundles in any order,
//! more than once, and its figures are each team's own; a bundle from a team never enrolled,
//! from a revoked laptop, or damaged on the way is refused with its reason and changes nothing;
//! and the report opens with its charts and tables.
use chrono::Datelike;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::dashboard::returns::{self, Heading};
use throughline_core::dashboard::{self, Period, Whose};
use throughline_core::demo::{self, DEMO_PASSWORD};
use throughline_core::store::progress::Unwatched;
use throughline_core::sync::join::NewLaptop;
use throughline_core::sync::{self, devices, hub, ExportScope};
use throughline_hub::cluster::Cluster;
use throughline_hub::figures;
use throughline_hub::{Hub, Outcome};

const HUB_PASSPHRASE: &str = "calder-heron-granite-88";

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T09:00:00Z"))
}

/// A district's team, made as the demo makes one, its lead signed in.
struct District {
    _dir: tempfile::TempDir,
    path: PathBuf,
    clock: Arc<FixedClock>,
}

impl District {
    fn new(name: &str, seed: u64, clock: &Arc<FixedClock>) -> District {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team");
        demo::create_named_team(&path, clock.clone(), &format!("{name} Criminal Justice Drug Team"), seed, 40, 40).expect("the team");
        District { _dir: dir, path, clock: clock.clone() }
    }

    fn lead(&self) -> Session {
        Installation::new(&self.path, self.clock.clone()).sign_in("lead", DEMO_PASSWORD).expect("the lead signs in")
    }

    /// The lead enrols the hub: its file and passphrase.
    fn hub_file(&self) -> hub::HubEnrolment {
        let mut lead = self.lead();
        let actor = lead.actor();
        hub::make(lead.store_mut(), &actor, "Partnership hub").expect("the hub's enrolment file")
    }

    /// The lead's bundle of everything, saved in `folder`.
    fn send(&self, folder: &Path, name: &str) -> PathBuf {
        let mut lead = self.lead();
        let actor = lead.actor();
        let (bytes, _) = sync::export(lead.store_mut(), &actor, &ExportScope::Everything).expect("export");
        let path = folder.join(format!("{name}.throughline"));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn register(&self, surname: &str) {
        let mut lead = self.lead();
        let actor = lead.actor();
        let form = throughline_core::clients::NewClient {
            surname: surname.into(),
            forenames: "Jordan".into(),
            date_of_birth: "14/02/1990".into(),
            sex: "male".into(),
            ..Default::default()
        };
        throughline_core::clients::register(lead.store_mut(), &actor, &form).expect("a new client");
    }
}

/// A hub in its own folder, on its own database of a shared cluster.
fn hub_on(cluster: &Cluster, database: &str, dir: &Path, clock: &Arc<FixedClock>) -> Hub {
    let mut admin = postgres::Client::connect(&cluster.conninfo("postgres"), postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {database}")).unwrap();
    Hub::open(dir, HUB_PASSPHRASE, &cluster.conninfo(database), clock.clone()).expect("the hub opens")
}

fn year() -> Period {
    Period { from: "2025-11-24".parse().unwrap(), to: "2026-11-23".parse().unwrap() }
}

fn imported(outcome: Outcome) -> throughline_core::sync::BundleSummary {
    match outcome {
        Outcome::Imported { summary, .. } => summary,
        Outcome::Refused { reason } => panic!("refused: {reason}"),
    }
}

#[test]
fn three_districts_in_any_order_twice_give_each_teams_own_figures() {
    let clock = clock();
    let work = tempfile::tempdir().unwrap();
    let cluster = Cluster::start(&work.path().join("postgres")).expect("PostgreSQL starts");
    let districts: Vec<District> =
        [("Calder Vale", 11), ("Airebank", 12), ("Northfield", 13)].iter().map(|(n, s)| District::new(n, *s, &clock)).collect();
    let files: Vec<hub::HubEnrolment> = districts.iter().map(District::hub_file).collect();

    // Each district works on after enrolling the hub, then sends the hub a bundle.
    let drop = work.path().join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for (i, d) in districts.iter().enumerate() {
        d.register(["Newcome", "Arden", "Birtles"][i]);
    }
    let bundles: Vec<PathBuf> = districts.iter().enumerate().map(|(i, d)| d.send(&drop, &format!("district-{i}"))).collect();

    // Two hubs: enrolled and fed in different orders, the second hub twice over.
    let mut first = hub_on(&cluster, "first", &work.path().join("first"), &clock);
    let mut second = hub_on(&cluster, "second", &work.path().join("second"), &clock);
    for f in &files {
        first.enrol(&f.bytes, &f.passphrase, &mut Unwatched).expect("enrolled");
    }
    for f in files.iter().rev() {
        second.enrol(&f.bytes, &f.passphrase, &mut Unwatched).expect("enrolled");
    }
    for b in &bundles {
        assert_eq!(imported(first.import_file(b, &mut Unwatched).unwrap()).new_operations, 1, "the new client, and nothing else");
    }
    for b in [&bundles[2], &bundles[0], &bundles[1], &bundles[1], &bundles[0], &bundles[2]] {
        imported(second.import_file(b, &mut Unwatched).unwrap());
    }
    let again = imported(second.import_file(&bundles[0], &mut Unwatched).unwrap());
    assert!(again.already_imported && again.new_operations == 0, "a bundle already held changes nothing");

    let (teams_1, all_1) = figures::partnership(&mut [first.database()], year(), clock.now()).unwrap();
    let (teams_2, all_2) = figures::partnership(&mut [second.database()], year(), clock.now()).unwrap();
    assert_eq!(teams_1.len(), 3);
    for (a, b) in teams_1.iter().zip(&teams_2) {
        assert_eq!(a.dashboard, b.dashboard, "{}: the same figures whatever the order", a.name);
    }
    assert_eq!(all_1.dashboard, all_2.dashboard);

    // Each team's figures on the hub are its lead laptop's, figure by figure.
    for d in &districts {
        let lead = d.lead();
        let name = lead.store().team_name().unwrap();
        let settings = lead.team_settings();
        let mut lead = lead;
        let laptop = dashboard::dashboard(&mut [lead.store_mut().reader_mut()], clock.now(), &settings, year(), Whose::Team).unwrap();
        let on_hub = teams_1.iter().find(|t| t.name == name).expect("the team on the hub");
        assert_eq!(on_hub.dashboard, laptop, "{name}: the hub and the lead's laptop agree");
    }
    // The partnership counts every team's events: its tests on arrest are the teams' sum.
    let tests =
        |d: &dashboard::Dashboard| d.sections.iter().flat_map(|s| &s.figures).find(|f| f.count.key == "custody.tests").unwrap().count.count;
    assert_eq!(tests(&all_1.dashboard), teams_1.iter().map(|t| tests(&t.dashboard)).sum::<u32>());
    assert!(tests(&all_1.dashboard) > 0, "the demo teams tested people on arrest this year");

    // A hub made before the kept table of first tests on arrest was copied holds a team
    // without it: the report copies that team again from its replica first.
    let schema: String = first.database().query_one("SELECT schema_name FROM hub.teams ORDER BY team_name LIMIT 1", &[]).unwrap().get(0);
    first.database().batch_execute(&format!("DROP TABLE {schema}.arrests_in_sequence")).unwrap();
    // And one whose kept counts an earlier version made (here, lost): counted again first.
    let other: String =
        first.database().query_one("SELECT schema_name FROM hub.teams ORDER BY team_name OFFSET 1 LIMIT 1", &[]).unwrap().get(0);
    first
        .database()
        .batch_execute(&format!(
            "DELETE FROM {other}.{}; UPDATE hub.teams SET counted_with = 'an earlier version' WHERE schema_name = '{other}'",
            figures::COUNTED
        ))
        .unwrap();

    // The report: charts and the same figures as tables, people by attributor only, and a
    // monthly return a team.
    let written = first.report(year(), &work.path().join("report")).expect("the report");
    let copied_again: bool =
        first.database().query_one(&format!("SELECT to_regclass('{schema}.arrests_in_sequence') IS NOT NULL"), &[]).unwrap().get(0);
    assert!(copied_again, "the team lacking a table was copied again");
    let counted: i64 = first.database().query_one(&format!("SELECT count(*) FROM {other}.{}", figures::COUNTED), &[]).unwrap().get(0);
    assert!(counted > 0, "the team counted by an earlier version was counted again");
    let html = std::fs::read_to_string(&written.html).unwrap();
    assert!(html.contains("id=\"continuity-chart\"><svg") && html.contains("id=\"tests-chart\"><svg"), "both charts are drawn");
    assert!(html.contains("Calder Vale Criminal Justice Drug Team") && html.contains("Against the 75% ambition"));
    assert!(!html.contains("Newcome"), "no surname leaves the teams");
    assert_eq!(written.csv.len(), 3);
    let csv = std::fs::read_to_string(&written.csv[0]).unwrap();
    assert!(csv.starts_with("layout,team,caseload") && csv.lines().count() > 12 * 10, "twelve months of figures");
    // Each team's monthly return from the hub is its lead laptop's, month by month, in the file
    // named after it.
    for d in &districts {
        let mut lead = d.lead();
        let name = lead.store().team_name().unwrap();
        let settings = lead.team_settings();
        let mut expected = String::new();
        let mut from = year().from.with_day(1).unwrap();
        while from <= year().to {
            let next = from.checked_add_months(chrono::Months::new(1)).unwrap();
            let month = Period { from: from.max(year().from), to: (next - chrono::Duration::days(1)).min(year().to) };
            let laptop = dashboard::dashboard(&mut [lead.store_mut().reader_mut()], clock.now(), &settings, month, Whose::Team).unwrap();
            let one = returns::monthly_csv(&laptop, &Heading { team: &name, worker: None });
            expected.push_str(if expected.is_empty() { &one } else { one.split_once('\n').map_or("", |(_, rows)| rows) });
            from = next;
        }
        let file_key: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let file = written.csv.iter().find(|p| p.file_name().unwrap().to_string_lossy().contains(&file_key)).expect("the team's file");
        assert_eq!(std::fs::read_to_string(file).unwrap(), expected, "{name}: the hub's monthly return is the lead laptop's");
    }
    let status = first.status().unwrap();
    assert_eq!(status.teams.len(), 3);
    assert!(status.refused.is_empty());
}

#[test]
fn a_bundle_the_hub_cannot_trust_is_refused_with_its_reason_and_changes_nothing() {
    let clock = clock();
    let work = tempfile::tempdir().unwrap();
    let cluster = Cluster::start(&work.path().join("postgres")).expect("PostgreSQL starts");
    let district = District::new("Kirkmoor", 21, &clock);
    let stranger = District::new("Elsewhere", 22, &clock);
    let mut hub = hub_on(&cluster, "kirkmoor", &work.path().join("hub"), &clock);
    let file = district.hub_file();
    hub.enrol(&file.bytes, &file.passphrase, &mut Unwatched).expect("enrolled");
    assert!(matches!(hub.enrol(&file.bytes, &file.passphrase, &mut Unwatched), Err(throughline_hub::HubError::AlreadyEnrolled(..))));

    // A court laptop joins the district and works; then the lead revokes it.
    let court_dir = tempfile::tempdir().unwrap();
    let mut court = {
        let mut lead = district.lead();
        let actor = lead.actor();
        let court_id = throughline_core::accounts::workers::by_login(lead.store().reader(), "court").unwrap().unwrap().id;
        let join = sync::join::make(lead.store_mut(), &actor, &NewLaptop { label: "Court laptop".into(), worker_id: court_id }).unwrap();
        drop(lead);
        Installation::new(court_dir.path(), clock.clone()).join(&join.bytes, &join.passphrase, DEMO_PASSWORD).expect("joins").0
    };
    let drop_folder = work.path().join("drop");
    std::fs::create_dir_all(&drop_folder).unwrap();
    let good = district.send(&drop_folder, "kirkmoor");
    imported(hub.import_file(&good, &mut Unwatched).unwrap());
    let figures_before = figures::partnership(&mut [hub.database()], year(), clock.now()).unwrap().1.dashboard;
    let operations_before = hub.status().unwrap().teams[0].operations;

    let refused = |hub: &mut Hub, path: &Path, why: &str| match hub.import_file(path, &mut Unwatched).unwrap() {
        Outcome::Refused { reason } => assert!(reason.contains(why), "refused for another reason: {reason}"),
        Outcome::Imported { .. } => panic!("{} was imported", path.display()),
    };
    // From a team the hub never enrolled.
    let foreign = stranger.send(&drop_folder, "elsewhere");
    refused(&mut hub, &foreign, "a team the hub has not enrolled");
    // Damaged on the way: one byte changed, or cut short.
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let damaged = drop_folder.join("damaged.throughline");
    std::fs::write(&damaged, &bytes).unwrap();
    refused(&mut hub, &damaged, "changed after it was exported");
    let cut = drop_folder.join("cut.throughline");
    std::fs::write(&cut, &std::fs::read(&good).unwrap()[..40]).unwrap();
    refused(&mut hub, &cut, "incomplete");
    // The court laptop is revoked (the hub hears of it from the lead); its later bundle is refused.
    {
        let mut lead = district.lead();
        let actor = lead.actor();
        let court_device = devices::views(lead.store().reader(), "").unwrap().into_iter().find(|d| d.label == "Court laptop").unwrap().id;
        devices::revoke(lead.store_mut(), &actor, &court_device).unwrap();
    }
    imported(hub.import_file(&district.send(&drop_folder, "kirkmoor-after-revoking"), &mut Unwatched).unwrap());
    let after_revoking = hub.status().unwrap().teams[0].operations;
    let court_bundle = {
        let actor = court.actor();
        let (bytes, _) = sync::export(court.store_mut(), &actor, &ExportScope::Everything).unwrap();
        let path = drop_folder.join("court.throughline");
        std::fs::write(&path, bytes).unwrap();
        path
    };
    refused(&mut hub, &court_bundle, "revoked");

    let status = hub.status().unwrap();
    assert_eq!(status.teams[0].operations, after_revoking, "no refused bundle changed the team");
    assert!(after_revoking > operations_before);
    assert_eq!(status.refused.len(), 4, "each refusal is listed with its reason");
    assert!(status.teams[0].laptops.iter().any(|l| l.label == "Court laptop" && l.revoked_at.is_some()));
    let figures_after = figures::partnership(&mut [hub.database()], year(), clock.now()).unwrap().1.dashboard;
    assert_eq!(figures_before, figures_after, "the figures are as they were (the revocation changed no casework)");

    // The lead revokes the hub itself: the next bundle is sealed with a key the hub never got.
    {
        let mut lead = district.lead();
        let actor = lead.actor();
        let hub_device = devices::views(lead.store().reader(), "").unwrap().into_iter().find(|d| d.hub).unwrap().id;
        devices::revoke(lead.store_mut(), &actor, &hub_device).unwrap();
    }
    refused(&mut hub, &district.send(&drop_folder, "kirkmoor-after-revoking-the-hub"), "team key this laptop was not given");
}

#[test]
fn the_hub_opens_only_with_its_own_passphrase() {
    let clock = clock();
    let work = tempfile::tempdir().unwrap();
    let cluster = Cluster::start(&work.path().join("postgres")).expect("PostgreSQL starts");
    let dir = work.path().join("hub");
    let too_short = Hub::open(&dir, "short", &cluster.conninfo("hub"), clock.clone());
    assert!(matches!(too_short, Err(throughline_hub::HubError::Sync(e)) if e.to_string().contains("at least 12 characters")));
    drop(Hub::open(&dir, HUB_PASSPHRASE, &cluster.conninfo("hub"), clock.clone()).expect("made on first use"));
    let wrong = Hub::open(&dir, "not-the-hub-passphrase", &cluster.conninfo("hub"), clock.clone());
    assert!(matches!(wrong, Err(throughline_hub::HubError::HubPassphraseWrong(_))));
    Hub::open(&dir, HUB_PASSPHRASE, &cluster.conninfo("hub"), clock).expect("opens again with its own");
}

/// SQLite's date functions mean the same on the hub's PostgreSQL, including for what is not a
/// date (a record a laptop sent with one malformed): no figure then, on either, rather than a
/// hub whose copy of the team, or whose report, fails.
#[test]
fn a_date_means_on_the_hub_what_it_means_on_a_laptop() {
    let work = tempfile::tempdir().unwrap();
    let cluster = Cluster::start(&work.path().join("postgres")).expect("PostgreSQL starts");
    let mut hub = hub_on(&cluster, "dates", &work.path().join("hub"), &clock());
    let laptop = rusqlite::Connection::open_in_memory().unwrap();
    for value in ["2026-03-01", "2026-03-29T23:30:00Z", "2026-13-45", "not a date", ""] {
        let on_hub: (Option<f64>, Option<String>) = {
            let r = hub.database().query_one("SELECT julianday($1), sqlite_date($1, '+21 days')", &[&value]).unwrap();
            (r.get(0), r.get(1))
        };
        let on_laptop: (Option<f64>, Option<String>) =
            laptop.query_row("SELECT julianday(?1), date(?1, '+21 days')", [value], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(on_hub, on_laptop, "{value:?}");
    }
}
