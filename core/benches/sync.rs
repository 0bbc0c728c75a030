//! Sync by file at bench scale (issue "Sync by file", performance.md): a team's log of about a
//! million operations (the demo generator's clients and pathways, through the real write path)
//! exported as one bundle, imported on a laptop that has none of it, and imported again; beside
//! bare prepared INSERTs of the same operation rows into the same kind of encrypted database, in
//! one transaction. Then a new laptop joins the team as it is, from a join file, beside copying
//! the file's bytes. `make bench` runs it (release build).
mod support;
use std::time::{Duration, Instant};
use throughline_core::accounts::{keyslots, Installation};
use throughline_core::clock::Clock;
use throughline_core::demo;
use throughline_core::store::progress::Unwatched;
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
    // A laptop that joined before the team's work below: it knows the team, and none of its data.
    let early = join::make(lead.store_mut(), &actor, &NewLaptop { label: "Bench laptop".into(), worker_id: actor.worker_id.clone() })
        .expect("join file");
    let package = join::open(&early.bytes, &early.passphrase).expect("open the join file").enrolment;
    let other = tempfile::tempdir().expect("folder");
    let laptop_path = other.path().join("laptop.db");
    let snapshot = join::snapshot_of(&early.bytes);
    let mut laptop = join::make_database(&laptop_path, &DatabaseKey::generate(), clock.clone(), &package, snapshot, &actor, &mut Unwatched)
        .expect("the laptop's database");

    let workers: Vec<String> = (0..20).map(|i| format!("bench-worker-{i:02}")).collect();
    let started = Instant::now();
    let pop = demo::population(7, bench_clients(), now, &workers);
    demo::insert(lead.store_mut(), &actor, &pop).expect("clients");
    for (i, chunk) in pop.clients.chunks(10_000).enumerate() {
        demo::pathway::pathway(lead.store_mut(), &actor, 7 + i as u64, chunk, &workers, now).expect("pathways");
    }
    let built = started.elapsed();

    // The first export chains the lead's own operations once; later ones start from that head.
    let t = Instant::now();
    sync::export(lead.store_mut(), &actor, &ExportScope::Everything).expect("first export");
    let first_export = t.elapsed();
    let t = Instant::now();
    let (bundle, summary) = sync::export(lead.store_mut(), &actor, &ExportScope::Everything).expect("export");
    let export = t.elapsed();
    let ops = summary.operations;

    // Every change, with every check a laptop makes, on the laptop that has none of them.
    let t = Instant::now();
    sync::import(&mut laptop, &actor, &bundle).expect("import");
    let import = t.elapsed();
    let t = Instant::now();
    let again = sync::import(&mut laptop, &actor, &bundle).expect("re-import");
    let reimport = t.elapsed();
    assert!(again.already_imported);
    // A fresh bundle of the same operations is checked operation by operation.
    let (overlap, _) = sync::export(lead.store_mut(), &actor, &ExportScope::Everything).expect("export again");
    let t = Instant::now();
    let overlap = sync::import(&mut laptop, &actor, &overlap).expect("overlapping import");
    let overlapping = t.elapsed();
    assert_eq!(overlap.new_operations, 0);
    assert_eq!(
        sync::records::content_hash(laptop.reader()).unwrap(),
        sync::records::content_hash(lead.store().reader()).unwrap(),
        "the laptop holds what the lead's holds"
    );

    // Joining the team as it is now: the join file made, then a new laptop from the file to its
    // worker signed in (real key derivation costs), beside copying the same bytes.
    let t = Instant::now();
    let file = join::make(lead.store_mut(), &actor, &NewLaptop { label: "Late laptop".into(), worker_id: actor.worker_id.clone() })
        .expect("join file");
    let make_join_file = t.elapsed();
    let join_file = other.path().join("late.throughline-join");
    std::fs::write(&join_file, &file.bytes).expect("join file written");
    let t = Instant::now();
    std::fs::copy(&join_file, other.path().join("copied")).expect("copy");
    std::fs::File::open(other.path().join("copied")).and_then(|f| f.sync_all()).expect("sync");
    let copying = t.elapsed();
    let joining = other.path().join("joining");
    let t = Instant::now();
    let (joined, _) = keyslots::with_production_kdf(|| {
        let bytes = std::fs::read(&join_file).expect("read");
        Installation::new(&joining, clock.clone()).join(&bytes, &file.passphrase, "quartz-meadow-lantern-417").expect("join")
    });
    let join = t.elapsed();
    assert_eq!(
        sync::records::content_hash(joined.store().reader()).unwrap(),
        sync::records::content_hash(lead.store().reader()).unwrap(),
        "the joined laptop holds what the lead's holds"
    );
    drop(joined);

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

    // A week of the team's work arriving on a laptop that holds the rest: the laptop tells the
    // lead what it holds, the lead records about 10,000 more changes, and the laptop imports
    // the bundle of what it has not acknowledged.
    let lead_id: String =
        lead.store().reader().query_row("SELECT device_id FROM installation WHERE id = 1", [], |r| r.get(0)).expect("lead's id");
    let (holds, _) =
        sync::export(&mut laptop, &actor, &ExportScope::NotAcknowledgedBy { device_ids: vec![lead_id] }).expect("laptop's export");
    sync::import(lead.store_mut(), &actor, &holds).expect("lead imports the laptop's");
    // Seeds apart from the team's chunks above (7, 8, ...), whose records' ids they make.
    let week = demo::population(1_000, 400, now, &workers);
    demo::insert(lead.store_mut(), &actor, &week).expect("a week's clients");
    demo::pathway::pathway(lead.store_mut(), &actor, 1_000, &week.clients, &workers, now).expect("a week's pathways");
    let (week_bundle, _) =
        sync::export(lead.store_mut(), &actor, &ExportScope::NotAcknowledgedBy { device_ids: vec![package.device_id.clone()] })
            .expect("a week's export");
    let t = Instant::now();
    let week_summary = sync::import(&mut laptop, &actor, &week_bundle).expect("a week's import");
    let week_import = t.elapsed();
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
    line("the first export after the work (chains the lead's own operations once)", secs(first_export), "", true);
    line("import on a laptop that has none of it", secs(import), "", true);
    line("import throughput against bare prepared INSERTs of the same rows", format!("{ratio:.2}×"), "≥ 0.8×", ratio >= 0.8);
    line("re-import of the same bundle", secs(reimport), "≤ 1 s", reimport <= Duration::from_secs(1));
    line("import of a new bundle of operations already held", secs(overlapping), "", true);
    line(
        &format!("import a week of the team's work ({} operations) on a laptop that holds the rest", week_summary.new_operations),
        secs(week_import),
        "≤ 1 s",
        week_import <= Duration::from_secs(1),
    );
    let join_ratio = join.as_secs_f64() / copying.as_secs_f64();
    line("join the team: join file to signed in", secs(join), "≤ 10 s", join <= Duration::from_secs(10));
    line("join against copying the join file's bytes", format!("{join_ratio:.1}×"), "≤ 3×", join_ratio <= 3.0);
    line("make the join file (lead's laptop)", secs(make_join_file), "", true);
    println!("| the join file | {:.1} MB | | |", file.bytes.len() as f64 / 1e6);
    println!("| copying the join file's bytes | {} | | |", secs(copying));
    line("bundle size per operation", format!("{per_op:.1} bytes"), "≤ 60 bytes", per_op <= 60.0);
    println!("| bare SQLite: the same rows (operations and records), prepared INSERTs, one transaction | {} | | |", secs(baseline));
    println!("| bare SQLite: the operation rows alone | {} | | |", secs(operations_only));
}
