//! The partnership hub at scale (performance.md "hub"), release build, on a throwaway
//! PostgreSQL: a team's log (the demo generator's clients and pathways through the real write
//! path) sent as one bundle to a hub enrolled before the work, which imports it with a laptop's
//! checks and copies the team's records into PostgreSQL; the same team enrolled as it is on
//! another hub (from the snapshot its enrolment file carries); the same operation rows by a bare
//! binary COPY in the same run; a known bundle imported again; and a year's report over a
//! partnership of thirteen such teams (the team and twelve copies of it in PostgreSQL). `make
//! bench` runs it.
//! THROUGHLINE_BENCH_CLIENTS sets the team's size (default 4,000 clients, about 100,000
//! operations; 40,000 is about a million, the budget's scale).
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use std::sync::Arc;
use std::time::{Duration, Instant};
use throughline_core::accounts::Installation;
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::dashboard::Period;
use throughline_core::demo;
use throughline_core::store::progress::Unwatched;
use throughline_core::sync::{self, hub, ExportScope};
use throughline_hub::cluster::Cluster;
use throughline_hub::schema::INDEXES;
use throughline_hub::Hub;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// How many copies of the team the report's partnership holds besides the team itself.
const COPIES: usize = 12;

/// Copies the hub's one team `copies` times in PostgreSQL, each as a team of its own: its
/// tables and indexes under another schema, and a row in `hub.teams`.
fn copy_team(db: &mut postgres::Client, copies: usize) {
    let (team_id, schema): (String, String) = {
        let row = db.query_one("SELECT team_id, schema_name FROM hub.teams", &[]).expect("the team");
        (row.get(0), row.get(1))
    };
    for k in 1..=copies {
        let copy_id = format!("{team_id}-copy{k}");
        let copy = throughline_hub::schema::team_schema(&copy_id);
        let mut sql = format!("CREATE SCHEMA {copy};");
        for table in throughline_hub::schema::tables() {
            sql += &format!("CREATE TABLE {copy}.{table} AS SELECT * FROM {schema}.{table}; ANALYZE {copy}.{table};");
        }
        for (i, (table, columns)) in INDEXES.iter().enumerate() {
            sql += &format!("CREATE INDEX {table}_{i} ON {copy}.{table} ({columns});");
        }
        db.batch_execute(&sql).expect("a copy of the team");
        db.execute(
            "INSERT INTO hub.teams (team_id, team_name, schema_name, hub_label, enrolled_at, operations, continuity_target_percent, counted_with)
             SELECT $2, team_name || ' ' || $3, $4, hub_label, enrolled_at, operations, continuity_target_percent, counted_with
             FROM hub.teams WHERE team_id = $1",
            &[&team_id, &copy_id, &k.to_string(), &copy],
        )
        .expect("the copy's team");
    }
}

fn main() {
    let clients: usize = std::env::var("THROUGHLINE_BENCH_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(4_000);
    let work = tempfile::tempdir().expect("folder");
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    let team_dir = work.path().join("team");
    // The team's workers first, and a hub enrolled then (it holds none of the work to come).
    demo::create_team(&team_dir, clock.clone(), 7, 0, 0).expect("the team");
    let mut lead = Installation::new(&team_dir, clock.clone()).sign_in("lead", demo::DEMO_PASSWORD).expect("sign in");
    let actor = lead.actor();
    let early = hub::make(lead.store_mut(), &actor, "Hub enrolled early").expect("the hub's file");
    let workers: Vec<String> = demo::DEMO_WORKERS
        .iter()
        .map(|(login, ..)| throughline_core::accounts::workers::by_login(lead.store().reader(), login).expect("read").expect("worker").id)
        .collect();
    let started = Instant::now();
    let pop = demo::population(7, clients, clock.now(), &workers);
    demo::insert(lead.store_mut(), &actor, &pop).expect("clients");
    for (i, chunk) in pop.clients.chunks(10_000).enumerate() {
        demo::pathway::pathway(lead.store_mut(), &actor, 7 + i as u64, chunk, &workers, clock.now()).expect("pathways");
    }
    let built = started.elapsed();
    let (bundle, summary) = sync::export(lead.store_mut(), &actor, &ExportScope::Everything).expect("export");
    let ops = summary.operations;
    let bundle_path = work.path().join("team.throughline");
    std::fs::write(&bundle_path, &bundle).expect("bundle");
    let late = hub::make(lead.store_mut(), &actor, "Hub enrolled now").expect("the hub's file");

    let cluster = Cluster::start(&work.path().join("postgres")).expect("PostgreSQL");
    let mut db = postgres::Client::connect(&cluster.conninfo("hub"), postgres::NoTls).expect("connect");
    db.batch_execute("CREATE DATABASE hub_enrolled_now").expect("a second hub's database");

    // The team's whole log as a bundle, on a hub that has none of it: every check a laptop makes.
    let mut hub = Hub::open(&work.path().join("hub"), "bench-hub-passphrase", &cluster.conninfo("hub"), clock.clone()).expect("hub");
    hub.enrol(&early.bytes, &early.passphrase, &mut Unwatched).expect("enrol early");
    let t = Instant::now();
    hub.import_file(&bundle_path, &mut Unwatched).expect("import");
    let import = t.elapsed();
    let t = Instant::now();
    hub.import_file(&bundle_path, &mut Unwatched).expect("again");
    let reimport = t.elapsed();
    // A partnership of thirteen teams for the report: this one and twelve copies of it under
    // other team ids (at the budget's 40,000 clients a team, 520,000 clients).
    let partnership_clients = clients * (1 + COPIES);
    copy_team(hub.database(), COPIES);
    let year = Period { from: "2025-11-24".parse().unwrap(), to: "2026-11-23".parse().unwrap() };
    let t = Instant::now();
    hub.report(year, &work.path().join("report")).expect("report");
    let report = t.elapsed();

    // The team as it is now enrolled on another hub: its snapshot taken in, then copied.
    let mut now_hub =
        Hub::open(&work.path().join("hub-now"), "bench-hub-passphrase", &cluster.conninfo("hub_enrolled_now"), clock.clone()).expect("hub");
    let t = Instant::now();
    now_hub.enrol(&late.bytes, &late.passphrase, &mut Unwatched).expect("enrol now");
    let enrol = t.elapsed();

    // Bare PostgreSQL: the same operation rows by binary COPY into a plain table, one transaction.
    let log = sync::log(lead.store().reader()).expect("log");
    db.batch_execute(
        "CREATE TABLE bare_operations (op_id text PRIMARY KEY, device_id text, seq bigint, hlc bigint, worker_id text,
                                       record_type text, record_id text, kind text, changes text)",
    )
    .expect("table");
    let t = Instant::now();
    let mut tx = db.transaction().expect("transaction");
    let sink = tx.copy_in("COPY bare_operations FROM STDIN BINARY").expect("copy");
    let types = [Type::TEXT, Type::TEXT, Type::INT8, Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT];
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    for o in &log {
        writer
            .write(&[&o.op_id, &o.device_id, &o.seq, &o.hlc, &o.worker_id, &o.record_type, &o.record_id, &o.kind, &o.changes])
            .expect("row");
    }
    writer.finish().expect("finish");
    tx.commit().expect("commit");
    let bare = t.elapsed();

    let ratio = bare.as_secs_f64() / import.as_secs_f64();
    let enrol_ratio = bare.as_secs_f64() / enrol.as_secs_f64();
    println!(
        "\nHub: one team of {clients} clients, {ops} operations (made in {:.0} s), bundle {:.1} MB\n",
        built.as_secs_f64(),
        bundle.len() as f64 / 1e6
    );
    println!("| operation | measured | budget | |");
    println!("|---|---|---|---|");
    let line = |what: &str, got: String, budget: &str, ok: bool| {
        println!("| {what} | {got} | {budget} | {} |", if ok { "within" } else { "OVER" })
    };
    line("import the team's log as one bundle (every check, replica, copy into PostgreSQL)", secs(import), "", true);
    line("its throughput against a bare COPY of the same operation rows", format!("{ratio:.2}×"), "≥ 0.5×", ratio >= 0.5);
    line("enrol the team as it is (its snapshot, copy into PostgreSQL)", secs(enrol), "", true);
    line("its throughput against a bare COPY of the same operation rows", format!("{enrol_ratio:.2}×"), "≥ 0.5×", enrol_ratio >= 0.5);
    line("re-import of a known bundle", secs(reimport), "≤ 1 s", reimport <= Duration::from_secs(1));
    let report_line = format!("a year's partnership report, {} teams, {partnership_clients} clients", 1 + COPIES);
    if partnership_clients >= 500_000 {
        line(&report_line, secs(report), "≤ 2 s (500,000 clients)", report <= Duration::from_secs(2));
    } else {
        println!("| {report_line} | {} | ≤ 2 s at 500,000 clients | not at that scale |", secs(report));
    }
    println!("| bare PostgreSQL: binary COPY of the operation rows, one transaction | {} | | |", secs(bare));
    let _ = clock.now();
}
