//! Flags at bench scale (performance.md): 100,000 clients with their pathways (tests on arrest,
//! assessments, appointments, hearings, bail, contacts and notes from the demo generator).
//! Flags are computed when asked, never stored, so this is the cost a worker waits for.
//! `make bench` runs it (release build).
use std::sync::Arc;
use std::time::{Duration, Instant};
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::{Installation, SetUpInput};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::flags::{Context, Scope, REGISTRY};
use throughline_core::{demo, flags};

/// Bench scale; THROUGHLINE_BENCH_CLIENTS makes a smaller register for a quick look.
fn clients() -> usize {
    std::env::var("THROUGHLINE_BENCH_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000)
}
/// Workers sharing the register, so one caseload is about 2,000 clients.
const WORKERS: usize = 50;

fn crate_today(now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    throughline_core::dates::today(now)
}

fn p50_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    let now = clock.now();
    let (mut session, _) = Installation::new(dir.path(), clock.clone())
        .set_up(&SetUpInput { team_name: "Bench".into(), display_name: "Bench Lead".into(), login: "lead".into(), password: "bench-password".into() })
        .expect("set up");
    let actor = session.actor();
    let workers: Vec<String> = (0..WORKERS).map(|i| format!("bench-worker-{i:02}")).collect();

    let started = Instant::now();
    let pop = demo::population(42, clients(), now, &workers);
    demo::insert(session.store_mut(), &actor, &pop).expect("clients");
    for (i, chunk) in pop.clients.chunks(10_000).enumerate() {
        demo::pathway::pathway(session.store_mut(), &actor, 42 + i as u64, chunk, &workers, now).expect("pathways");
    }
    let built = started.elapsed();
    let conn = session.store().reader();
    let events: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM operations) - (SELECT count(*) FROM operations WHERE record_type IN ('client', 'client_alias', 'consent'))",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let settings = TeamSettings::default();

    let caseload: i64 = conn
        .query_row("SELECT count(*) FROM clients WHERE allocated_worker_id = ?1 AND status = 'active'", [&workers[0]], |r| r.get(0))
        .expect("caseload");
    let mut one = Vec::new();
    let mut found = 0;
    for w in workers.iter().cycle().take(60) {
        let start = Instant::now();
        found = flags::for_worker(conn, now, &settings, w).expect("flags").len();
        one.push(start.elapsed());
    }
    let mut all = Vec::new();
    let mut everyone = 0;
    for _ in 0..10 {
        let start = Instant::now();
        everyone = flags::for_everyone(conn, now, &settings).expect("flags").len();
        all.push(start.elapsed());
    }
    // Where the time goes: each rule on its own, for one caseload and for everyone.
    for scope in [Scope::Worker(workers[0].clone()), Scope::Everyone] {
        let ctx = Context { conn, now, today: crate_today(now), settings: &settings, scope: &scope };
        for rule in REGISTRY.iter().flat_map(|area| area.iter()) {
            let start = Instant::now();
            let n = (rule.check)(&ctx).expect("rule").len();
            println!("  {:<28} {:>8} flags {:>10}  ({})", rule.code, n, ms(start.elapsed()), if matches!(scope, Scope::Everyone) { "everyone" } else { "one caseload" });
        }
    }
    let (c50, c95) = p50_p95(one);
    let (a50, a95) = p50_p95(all);
    println!("\nFlags: {} clients, {events} pathway records written as operations; built in {:.0} s\n", clients(), built.as_secs_f64());
    println!("| operation | p50 | p95 | budget | |");
    println!("|---|---|---|---|---|");
    println!(
        "| flags for one worker's caseload (~{caseload} active clients, {found} flags) | {} | {} | ≤ 50 ms | {} |",
        ms(c50),
        ms(c95),
        if c95 <= Duration::from_millis(50) { "within" } else { "OVER" }
    );
    println!(
        "| flags for the whole database ({everyone} flags) | {} | {} | ≤ 500 ms | {} |",
        ms(a50),
        ms(a95),
        if a95 <= Duration::from_millis(500) { "within" } else { "OVER" }
    );
}

