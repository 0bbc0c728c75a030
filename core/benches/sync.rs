//! Sync by file at bench scale (issue "Sync by file", performance.md): a team's log of about a
//! million operations (the demo generator's clients and pathways, through the real write path)
//! exported as one bundle, imported on a laptop that has none of it, and imported again; beside
//! bare prepared INSERTs of the same operation rows into the same kind of encrypted database, in
//! one transaction. `make bench` runs it (release build).
mod support;
use std::time::{Duration, Instant};
use throughline_core::clock::Clock;
use throughline_core::demo;
use throughline_core::store::{DatabaseKey, Store};
use throughline_core::sync::join::{self, NewLaptop};
use throughline_core::sync::{self, ExportScope};

/// About a million operations; THROUGHLINE_BENCH_CLIENTS makes a smaller log for a quick look.
fn bench_clients() -> usize {
    std::env::var("THROUGHLINE_BENCH_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(40_000)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let (dir, clock, mut lead) = support::team();
    let now = clock.now();
    let actor = lead.actor();
    let workers: Vec<String> = (0..20).map(|i| format!("bench-worker-{i:02}")).collect();
    let started = Instant::now();
    let pop = demo::population(7, bench_clients(), now, &workers);
    demo::insert(lead.store_mut(), &actor, &pop).expect("clients");
    for (i, chunk) in pop.clients.chunks(10_000).enumerate() {
        demo::pathway::pathway(lead.store_mut(), &actor, 7 + i as u64, chunk, &workers, now).expect("pathways");
    }
    let built = started.elapsed();

    // A laptop enrolled for the lead, its database made as joining makes it.
    let package = {
        let file = join::make(lead.store_mut(), &actor, &NewLaptop { label: "Bench laptop".into(), worker_id: actor.worker_id.clone() })
            .expect("join file");
        join::open(&file.bytes, &file.passphrase).expect("open the join file")
    };
    let t = Instant::now();
    let (bundle, summary) = sync::export(lead.store_mut(), &actor, &ExportScope::Everything).expect("export");
    let export = t.elapsed();
    let ops = summary.operations;

    let other = tempfile::tempdir().expect("folder");
    let mut laptop = Store::create_in_team(
        &other.path().join("laptop.db"),
        &DatabaseKey::generate(),
        clock.clone(),
        &package.enrolment.team_id,
        &package.enrolment.team_name,
        &package.enrolment.device_id,
    )
    .expect("the laptop's database");
    // The join file's own bundle brings everything once; this bundle then changes nothing...
    let t = Instant::now();
    join::take_in(&mut laptop, &actor, &package.enrolment, &mut throughline_core::store::progress::Unwatched).expect("import");
    let import = t.elapsed();
    let t = Instant::now();
    let again = sync::import(&mut laptop, &actor, &package.enrolment.bundle().expect("bundle")).expect("re-import");
    let reimport = t.elapsed();
    assert!(again.already_imported);
    // ...and a fresh bundle of the same operations is checked operation by operation.
    let t = Instant::now();
    let overlap = sync::import(&mut laptop, &actor, &bundle).expect("overlapping import");
    let overlapping = t.elapsed();
    assert_eq!(overlap.new_operations, 0);
    assert_eq!(
        sync::records::content_hash(laptop.reader()).unwrap(),
        sync::records::content_hash(lead.store().reader()).unwrap(),
        "the laptop holds what the lead's holds"
    );

    // Bare SQLite: the rows the import writes (the operations, and the records as they end),
    // prepared INSERTs in one transaction, into the same schema with the same encryption.
    let log = sync::log(lead.store().reader()).expect("log");
    let bare_path = other.path().join("bare.db");
    let mut bare = Store::create(&bare_path, &DatabaseKey::generate(), clock.clone(), "Bare").expect("bare database");
    let source = lead.store().reader();
    let conn = bare.reader_mut();
    let t = Instant::now();
    let tx = conn.transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare("INSERT INTO operations (op_id, device_id, seq, hlc, worker_id, record_type, record_id, kind, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .expect("prepare");
        for o in &log {
            insert
                .execute(rusqlite::params![o.op_id, o.device_id, o.seq, o.hlc, o.worker_id, o.record_type, o.record_id, o.kind, o.changes])
                .expect("insert");
        }
    }
    let operations_only = t.elapsed();
    for (_, table) in sync::records::all() {
        let columns: Vec<String> = source
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}') WHERE name <> 'search_id'"))
            .and_then(|mut s| s.query_map([], |r| r.get(0)).and_then(|rows| rows.collect()))
            .expect("columns");
        let list = columns.join(", ");
        let mut read = source.prepare(&format!("SELECT {list} FROM {table}")).expect("read");
        let mut insert = tx
            .prepare(&format!("INSERT OR REPLACE INTO {table} ({list}) VALUES ({})", vec!["?"; columns.len()].join(", ")))
            .expect("prepare");
        let mut rows = read.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            let values: Vec<rusqlite::types::Value> = (0..columns.len()).map(|i| row.get(i).expect("value")).collect();
            insert.execute(rusqlite::params_from_iter(values)).expect("insert");
        }
    }
    tx.commit().expect("commit");
    let baseline = t.elapsed();
    drop(dir);

    let per_op = bundle.len() as f64 / ops as f64;
    let ratio = baseline.as_secs_f64() / import.as_secs_f64();
    println!(
        "\nSync: {ops} operations ({} clients) written in {:.0} s; bundle {:.1} MB\n",
        bench_clients(),
        built.as_secs_f64(),
        bundle.len() as f64 / 1e6
    );
    println!("| operation | measured | budget | |");
    println!("|---|---|---|---|");
    let line = |what: &str, got: String, budget: &str, ok: bool| {
        println!("| {what} | {got} | {budget} | {} |", if ok { "within" } else { "OVER" })
    };
    line("export everything", secs(export), "≤ 5 s", export <= Duration::from_secs(5));
    line("import on a laptop that has none of it", secs(import), "≤ 10 s", import <= Duration::from_secs(10));
    line("import throughput against bare prepared INSERTs of the same rows", format!("{ratio:.2}×"), "≥ 0.5×", ratio >= 0.5);
    line("re-import of the same bundle", secs(reimport), "≤ 1 s", reimport <= Duration::from_secs(1));
    line("import of a new bundle of operations already held", secs(overlapping), "", true);
    line("bundle size per operation", format!("{per_op:.1} bytes"), "≤ 60 bytes", per_op <= 60.0);
    println!("| bare SQLite: the same rows (operations and records), prepared INSERTs, one transaction | {} | | |", secs(baseline));
    println!("| bare SQLite: the operation rows alone | {} | | |", secs(operations_only));
}
