//! The pathway at bench scale (performance.md): 100,000 clients with years of pathway (about
//! 2,000,000 events from the demo generator, through the real write path). Flags, with every
//! rule in the registry, and the team lead's dashboard are computed when asked, so this is the
//! cost a worker waits for. `make bench` runs it (release build).
mod support;
use std::time::{Duration, Instant};
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::{connections, Reading, Reads};
use throughline_core::clock::Clock;
use throughline_core::dashboard::{self, Period, Whose};
use throughline_core::flags::board::{self, FlagFilter};
use throughline_core::flags::{Scope, Severity};
use throughline_core::store::shared;
use throughline_core::{clients, court, custody, demo, drr, flags, glance, governance, notes, prison, timeline};

/// The parts of a record the app reads when it opens, as the audit trail names them.
const PARTS: [&str; 7] = [
    "viewed flags",
    "viewed the timeline",
    "viewed custody",
    "viewed court",
    "viewed the DRR",
    "viewed prison and treatment",
    "viewed contacts and notes",
];

/// Bench scale; THROUGHLINE_BENCH_CLIENTS makes a smaller register for a quick look.
fn bench_clients() -> usize {
    std::env::var("THROUGHLINE_BENCH_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000)
}
/// Workers sharing the register, so one caseload is about 2,000 active clients.
const WORKERS: usize = 42;
/// What one rule may take for one caseload, so that every rule of every stage fits in 50 ms.
const RULE_BUDGET: Duration = Duration::from_millis(3);

fn p50_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One part of a client's record, read as the app reads it.
fn read_part(s: &mut impl Reads, part: usize, id: &str, now: chrono::DateTime<chrono::Utc>, settings: &TeamSettings) {
    let c = s.conn();
    match part {
        0 => drop(flags::for_client(c, now, settings, id).expect("flags")),
        1 => drop(timeline::for_client(c, id).expect("timeline")),
        2 => drop(custody::for_client(c, id, now).expect("custody")),
        3 => drop(court::for_client(c, id, now).expect("court")),
        4 => drop(drr::for_client(c, id, now).expect("drr")),
        5 => drop(prison::for_client(c, id, now).expect("prison")),
        _ => drop(notes::for_client(c, id).expect("notes")),
    }
}

fn main() {
    let (_dir, clock, mut session) = support::team();
    let now = clock.now();
    let actor = session.actor();
    let workers: Vec<String> = (0..WORKERS).map(|i| format!("bench-worker-{i:02}")).collect();

    let started = Instant::now();
    let pop = demo::population(42, bench_clients(), now, &workers);
    demo::insert(session.store_mut(), &actor, &pop).expect("clients");
    for (i, chunk) in pop.clients.chunks(10_000).enumerate() {
        demo::pathway::pathway(session.store_mut(), &actor, 42 + i as u64, chunk, &workers, now).expect("pathways");
    }
    session.store().refresh_statistics().expect("statistics");
    let built = started.elapsed();
    // Read connections as the app gives Today, Team flags and the dashboard (`store::shared`).
    let mut readings: Vec<Reading> = (0..shared::FOR_TODAY).map(|_| session.start_reading().expect("reader")).collect();
    let let_go = |readings: &[Reading]| readings.iter().for_each(|r| r.store().let_go_of_pages());
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
    // Today reads a caseload's flags on readings of its own, as here, which let go of their
    // pages when done (and the next audit entry would empty them anyway): each starts cold.
    for w in workers.iter().cycle().take(60) {
        let mut all = connections(&mut readings);
        let start = Instant::now();
        found = flags::compute_shared(&mut all, now, &settings, &Scope::Worker(w.clone())).expect("flags").len();
        one.push(start.elapsed());
        let_go(&readings);
    }
    // My caseload, on one reading, by what needs attention: the order from the caseload's flags
    // and next appointments, then where each person on the first page is now.
    let mut caseload_pages = Vec::new();
    for w in workers.iter().cycle().take(20) {
        let start = Instant::now();
        glance::caseload::of_worker(readings[0].store().reader(), w, now, &settings, 0).expect("caseload page");
        caseload_pages.push(start.elapsed());
    }
    // The Team flags screen: counts by rule, severity and worker, then the first page of a count.
    let mut team = Vec::new();
    let mut everyone = 0;
    for _ in 0..20 {
        let start = Instant::now();
        let counts = board::team(&mut connections(&mut readings[..shared::FOR_THE_TEAM]), now, &settings).expect("team flags");
        everyone = counts.total;
        // Choosing the first count opens its list: that rule alone runs.
        let first = counts.by_rule.first().map(|c| c.key.clone());
        board::page(conn, now, &settings, &FlagFilter { code: first, severity: Some(Severity::Urgent), ..FlagFilter::default() })
            .expect("page");
        team.push(start.elapsed());
    }
    // Opening a client: the record (an audited read, so it writes) and their flags.
    let ids: Vec<String> = {
        let mut stmt = conn.prepare("SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 200 OFFSET 1000").expect("ids");
        stmt.query_map([], |r| r.get(0)).expect("ids").collect::<Result<_, _>>().expect("ids")
    };
    let mut glances = Vec::new();
    for id in &ids {
        let start = Instant::now();
        glance::for_client(conn, id, now, &settings).expect("glance");
        glances.push(start.elapsed());
    }
    let mut opened = Vec::new();
    for id in &ids {
        let start = Instant::now();
        clients::open(session.store_mut(), &actor, id).expect("open");
        flags::for_client(session.store().reader(), now, &settings, id).expect("flags");
        opened.push(start.elapsed());
    }
    // The same opening with no part's read audited, to set the audit's cost against in the same run.
    let mut opened_unaudited = Vec::new();
    for id in &ids {
        let start = Instant::now();
        clients::open(session.store_mut(), &actor, id).expect("open");
        for part in 0..2 {
            read_part(&mut session, part, id, now, &settings);
        }
        opened_unaudited.push(start.elapsed());
    }
    // Opening a client as the app does: the record (audited), then each part of it on the
    // session's own connection, each part's read written to the audit trail as it ends (one
    // entry per part, naming the client).
    let mut opened_whole = Vec::new();
    let mut opened_budget = Vec::new();
    let mut audit_write = Vec::new();
    for id in &ids {
        let start = Instant::now();
        session.opened_record(id);
        clients::open(session.store_mut(), &actor, id).expect("open");
        for (part, what) in PARTS.iter().enumerate() {
            if part == 2 {
                // performance.md's "open a client": summary, flags, full timeline.
                opened_budget.push(start.elapsed());
            }
            read_part(&mut session, part, id, now, &settings);
            session.reads_about(id, what);
            let audited = Instant::now();
            session.finish_reads(true).expect("audited");
            audit_write.push(audited.elapsed());
        }
        opened_whole.push(start.elapsed());
    }
    // The same parts on a reading's own connection (as long reads are made), whose page cache
    // every audit entry written empties: what reading a record there would cost.
    let mut opened_on_readings = Vec::new();
    for id in &ids {
        let start = Instant::now();
        session.opened_record(id);
        clients::open(session.store_mut(), &actor, id).expect("open");
        for (part, what) in PARTS.iter().enumerate().take(2) {
            let mut r = session.start_reading().expect("reading");
            read_part(&mut r, part, id, now, &settings);
            r.reads_about(id, what);
            session.finish_reading_shown(r).expect("audited");
        }
        opened_on_readings.push(start.elapsed());
    }
    let apart = session.start_reading().expect("reader");
    let conn = apart.store().reader();
    // Where the time goes: every registered rule on its own, for one caseload and for everyone.
    println!("\nEach rule on its own (budget per rule: {} for one caseload):", ms(RULE_BUDGET));
    for everyone in [false, true] {
        for rule in flags::rules() {
            // The median of ten runs (ten caseloads), so one noisy moment names no rule.
            let mut times = Vec::new();
            let mut n = 0;
            for w in workers.iter().take(10) {
                let scope = if everyone { Scope::Everyone } else { Scope::Worker(w.clone()) };
                let start = Instant::now();
                n = flags::compute_some(conn, now, &settings, &scope, |r| r.code == rule.code).expect("rule").len();
                times.push(start.elapsed());
            }
            let (took, _) = p50_p95(times);
            let scope = if everyone { Scope::Everyone } else { Scope::Worker(workers[9].clone()) };
            let over = matches!(scope, Scope::Worker(_)) && took > RULE_BUDGET;
            println!(
                "  {:<28} {:>8} flags {:>10}  ({}){}",
                rule.code,
                n,
                ms(took),
                if matches!(scope, Scope::Everyone) { "everyone" } else { "one caseload" },
                if over { "  OVER" } else { "" }
            );
        }
    }
    // The dashboard for the last year, for the team and for one worker, beside bare counts of
    // the same period's rows in the tables it reads.
    let today = throughline_core::dates::today(now);
    let year = Period { from: today - chrono::Duration::days(364), to: today };
    let (from_at, to_at) = (format!("{}T00:00:00Z", year.from), format!("{}T00:00:00Z", today + chrono::Duration::days(1)));
    let bare = [
        "SELECT count(*) FROM tests_on_arrest WHERE tested_at >= ?1 AND tested_at < ?2",
        "SELECT count(*) FROM clients WHERE created_at >= ?1 AND created_at < ?2",
        "SELECT count(*) FROM appointments WHERE at >= ?1 AND at < ?2",
        "SELECT count(*) FROM bail_decisions WHERE decided_on >= substr(?1, 1, 10) AND decided_on < substr(?2, 1, 10)",
        "SELECT count(*) FROM drr_orders WHERE sentenced_on >= substr(?1, 1, 10) AND sentenced_on < substr(?2, 1, 10)",
        "SELECT count(*) FROM prison_spells WHERE released_on >= substr(?1, 1, 10) AND released_on < substr(?2, 1, 10)",
        "SELECT count(*) FROM treatment_episodes WHERE referred_on >= substr(?1, 1, 10) AND referred_on < substr(?2, 1, 10)",
    ];
    let (mut team_board, mut worker_board, mut baseline) = (Vec::new(), Vec::new(), Vec::new());
    let mut tests_in_year = 0;
    // The first opening after signing in reads into cold page caches: timed on its own.
    let mut all = connections(&mut readings[..shared::FOR_THE_TEAM]);
    let start = Instant::now();
    dashboard::dashboard(&mut all, now, &settings, year, Whose::Team).expect("dashboard");
    let first_open = start.elapsed();
    // Each opening starts as the app's does: the readings' caches let go of after every read
    // (and a page cache is of no use after a write anyway, which nearly every screen makes).
    // Forty samples each, so that the p95 is not simply the slowest.
    for w in workers.iter().cycle().take(40) {
        let mut all = connections(&mut readings[..shared::FOR_THE_TEAM]);
        let start = Instant::now();
        let d = dashboard::dashboard(&mut all, now, &settings, year, Whose::Team).expect("dashboard");
        team_board.push(start.elapsed());
        tests_in_year = d.sections.iter().flat_map(|s| &s.figures).find(|f| f.count.key == "custody.tests").map_or(0, |f| f.count.count);
        let_go(&readings);
        let mut all = connections(&mut readings[..shared::FOR_THE_TEAM]);
        let start = Instant::now();
        dashboard::dashboard(&mut all, now, &settings, year, Whose::Worker(w)).expect("dashboard");
        worker_board.push(start.elapsed());
        let_go(&readings);
        let start = Instant::now();
        for sql in bare {
            let _: i64 = conn.query_row(sql, [&from_at, &to_at], |r| r.get(0)).expect("bare");
        }
        baseline.push(start.elapsed());
    }

    println!("\nEach dashboard measure on its own, for a year (the whole team, then one worker):");
    for m in dashboard::measures() {
        let time = |whose| {
            let start = Instant::now();
            let n = dashboard::count(conn, now, year, whose, m).expect("measure");
            (n, start.elapsed())
        };
        let ((n, team), (_, one)) = (time(Whose::Team), time(Whose::Worker(&workers[3])));
        println!("  {:<40} {n:>8} {:>10} {:>10}", m.key, ms(team), ms(one));
        if std::env::var_os("THROUGHLINE_BENCH_PLANS").is_some() {
            for whose in [Whose::Team, Whose::Worker(&workers[3])] {
                for step in dashboard::plan(conn, now, year, whose, m).expect("plan") {
                    println!("      {step}");
                }
            }
        }
    }

    let (c50, c95) = p50_p95(one);
    let (a50, a95) = p50_p95(team);
    let (o50, o95) = p50_p95(opened);
    println!(
        "\nFlags: {} clients, {events} pathway events written as operations, {} rules; built in {:.0} s (budget 60 s)\n",
        bench_clients(),
        flags::rules().count(),
        built.as_secs_f64()
    );
    println!("| operation | p50 | p95 | budget | |");
    println!("|---|---|---|---|---|");
    let line = |what: String, p50: Duration, p95: Duration, budget: Duration| {
        println!("| {what} | {} | {} | ≤ {} | {} |", ms(p50), ms(p95), ms(budget), if p95 <= budget { "within" } else { "OVER" });
    };
    line(format!("flags for one worker's caseload ({caseload} active clients, {found} flags)"), c50, c95, Duration::from_millis(40));
    line(format!("Team flags: counts for the whole database ({everyone} flags) and the first page"), a50, a95, Duration::from_millis(400));
    let (p50, p95) = p50_p95(caseload_pages);
    line("My caseload: the first page by what needs attention, with where each is now".into(), p50, p95, Duration::from_millis(1000));
    line("open a client: the record (audited) and their flags".into(), o50, o95, Duration::from_millis(15));
    let (l50, l95) = p50_p95(glances);
    println!("| the record at a glance (where they are now, next appointment and deadline) | {} | {} | | |", ms(l50), ms(l95));
    let (g50, g95) = p50_p95(opened_budget);
    line("open a client: record, flags and full timeline, each read audited (performance.md)".into(), g50, g95, Duration::from_millis(15));
    let (u50, u95) = p50_p95(opened_unaudited);
    println!("| the same with only the opening audited, parts read but not audited (same run) | {} | {} | | |", ms(u50), ms(u95));
    let (r50, r95) = p50_p95(opened_on_readings);
    println!("| the same with the parts read on a reading's own connection (cold after each write) | {} | {} | | |", ms(r50), ms(r95));
    let (h50, h95) = p50_p95(opened_whole);
    println!("| open a client: record and all seven parts one after another, each read audited | {} | {} | | |", ms(h50), ms(h95));
    let (e50, e95) = p50_p95(audit_write);
    line("  one part's read audit entry (written without waiting for the disk)".into(), e50, e95, Duration::from_millis(1));
    let (d50, d95) = p50_p95(team_board);
    let (w50, w95) = p50_p95(worker_board);
    let (b50, b95) = p50_p95(baseline);
    line(format!("dashboard for a year, the whole team ({tests_in_year} tests on arrest in it)"), d50, d95, Duration::from_millis(300));
    println!(
        "| dashboard for a year, the whole team, first opening (cold caches) | {} | | ≤ 300.0 ms | {} |",
        ms(first_open),
        if first_open <= Duration::from_millis(300) { "within" } else { "OVER" }
    );
    line("dashboard for a year, one worker's caseload".into(), w50, w95, Duration::from_millis(100));
    println!("| bare SQLite: a plain count of the year's rows in each table the dashboard reads | {} | {} | | |", ms(b50), ms(b95));

    // Anonymising one closed case past the retention period: its records, their history and the
    // search index (no budget in performance.md: a team lead's deliberate act, one case at a time).
    drop(readings);
    let due = governance::retention::due_for_review(session.store().reader(), now, &settings, 0).expect("due");
    let review = governance::retention::NewRetentionReview { decision: "anonymised".into(), ..Default::default() };
    let start = Instant::now();
    governance::retention::review(session.store_mut(), &actor, &due.cases[0].client_id, &review).expect("anonymise");
    println!("| anonymise one closed case ({} were due) | {} | | | |", due.total, ms(start.elapsed()));
}
