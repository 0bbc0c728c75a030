//! The client register at bench scale (performance.md): 100,000 people. Each operation is timed
//! beside the bare SQLite query that returns the same rows in the same order (no term parsing,
//! sound-alike keys, merged-record handling or result mapping), in the same run, and the table says
//! whether it is within budget. `make bench` runs it (release build).
mod support;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};
use throughline_core::clients::{self, duplicates, Client, NewClient};
use throughline_core::clock::Clock;
use throughline_core::demo;
use throughline_core::store::ReadStore;

const CLIENTS: usize = 100_000;

struct Timing {
    p50: Duration,
    p95: Duration,
}

fn time<T>(runs: &[T], mut f: impl FnMut(&T)) -> Timing {
    for r in runs.iter().take(20) {
        f(r); // warm the page cache and statement cache
    }
    let mut times: Vec<Duration> = runs
        .iter()
        .map(|r| {
            let start = Instant::now();
            f(r);
            start.elapsed()
        })
        .collect();
    times.sort();
    Timing { p50: times[times.len() / 2], p95: times[times.len() * 95 / 100] }
}

/// As [`time`], each run then letting go of the pages it read, as a reading in the app does.
fn reading_time<T>(store: &ReadStore, runs: &[T], mut f: impl FnMut(&T)) -> Timing {
    time(runs, |r| {
        f(r);
        store.let_go_of_pages();
    })
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, ours: &Timing, base: Option<&Timing>, budget_ms: f64, budget_ratio: Option<f64>) {
    let ratio = base.map(|b| ours.p95.as_secs_f64() / b.p95.as_secs_f64().max(1e-9));
    let within = ours.p95.as_secs_f64() * 1000.0 <= budget_ms && budget_ratio.zip(ratio).is_none_or(|(max, r)| r <= max);
    println!(
        "| {name} | {} / {} | {} | {} | p95 ≤ {budget_ms} ms{} | {} |",
        ms(ours.p50),
        ms(ours.p95),
        base.map_or("—".into(), |b| format!("{} / {}", ms(b.p50), ms(b.p95))),
        ratio.map_or("—".into(), |r| format!("{r:.2}×")),
        budget_ratio.map_or(String::new(), |r| format!(", ≤ {r}× baseline")),
        if within { "within" } else { "OVER" }
    );
}

fn main() {
    let (_dir, clock, mut session) = support::team();
    let now = clock.now();
    let actor = session.actor();

    let started = Instant::now();
    let pop = demo::population(42, CLIENTS, now, std::slice::from_ref(&actor.worker_id));
    demo::insert(session.store_mut(), &actor, &pop).expect("insert");
    let generated = started.elapsed();

    let mut rng = StdRng::seed_from_u64(1);
    let sample: Vec<&Client> = (0..400).map(|_| &pop.clients[rng.gen_range(0..pop.clients.len())]).collect();
    println!(
        "\nClient register, {CLIENTS} clients ({} aliases); generated and written in {:.1} s\n",
        pop.aliases.len(),
        generated.as_secs_f64()
    );
    println!("| operation | Throughline p50 / p95 | bare SQLite p50 / p95 | ratio (p95) | budget | |");
    println!("|---|---|---|---|---|---|");

    {
        // Searches run as the app runs them: on a reading connection (not the session's own),
        // whose decrypted pages are let go after each read (src-tauri state.rs `reading`). The
        // bare queries run the same way, on the same connection.
        let reading = session.start_reading().expect("a reading connection");
        let store = reading.store();
        let conn = store.reader();
        // Search as you type: a name fragment (first four letters of a surname).
        let fragments: Vec<String> = sample.iter().map(|c| c.surname.chars().take(4).collect::<String>().to_lowercase()).collect();
        let ours = reading_time(store, &fragments, |q| {
            clients::search(conn, q, now).expect("search");
        });
        let mut bare_fts = conn.prepare("SELECT c.* FROM clients c WHERE c.search_id IN (SELECT rowid FROM client_search WHERE client_search MATCH ?1) ORDER BY c.surname, c.forenames LIMIT 50").unwrap();
        let base = reading_time(store, &fragments, |q| {
            let n = bare_fts.query_map([format!("\"{q}\"")], |_| Ok(())).unwrap().count();
            assert!(n > 0);
        });
        row("search: name fragment (4 letters)", &ours, Some(&base), 10.0, Some(2.0));

        // Name and year together: "smith 1987".
        let combined: Vec<String> =
            sample.iter().map(|c| format!("{} {}", c.surname.to_lowercase(), c.date_of_birth.format("%Y"))).collect();
        let ours = reading_time(store, &combined, |q| {
            clients::search(conn, q, now).expect("search");
        });
        let mut bare_combined = conn
        .prepare("SELECT c.* FROM clients c WHERE c.search_id IN (SELECT rowid FROM client_search WHERE client_search MATCH ?1) AND c.date_of_birth BETWEEN ?2 AND ?3 ORDER BY c.surname, c.forenames LIMIT 50")
        .unwrap();
        let base = reading_time(store, &combined, |q| {
            let (name, year) = q.rsplit_once(' ').unwrap();
            bare_combined.query_map([format!("\"{name}\""), format!("{year}-01-01"), format!("{year}-12-31")], |_| Ok(())).unwrap().count();
        });
        row("search: surname and year", &ours, Some(&base), 10.0, Some(2.0));

        // A PNC id typed in the short form.
        let pncs: Vec<String> = sample.iter().filter_map(|c| c.pnc.as_ref().map(|p| p[2..].to_string())).collect();
        let ours = reading_time(store, &pncs, |q| {
            clients::search(conn, q, now).expect("search");
        });
        let mut bare_pnc = conn.prepare("SELECT * FROM clients WHERE pnc = ?1").unwrap();
        let base = reading_time(store, &pncs, |q| {
            bare_pnc.query_map([format!("20{q}")], |_| Ok(())).unwrap().count();
        });
        row("search: PNC id (short form)", &ours, Some(&base), 10.0, Some(2.0));

        // An NHS number with spaces.
        let nhs: Vec<String> =
            sample.iter().filter_map(|c| c.nhs_number.as_ref().map(|n| format!("{} {} {}", &n[..3], &n[3..6], &n[6..]))).collect();
        let ours = reading_time(store, &nhs, |q| {
            clients::search(conn, q, now).expect("search");
        });
        let mut bare_nhs = conn.prepare("SELECT * FROM clients WHERE nhs_number = ?1").unwrap();
        let base = reading_time(store, &nhs, |q| {
            bare_nhs.query_map([q.replace(' ', "")], |_| Ok(())).unwrap().count();
        });
        row("search: NHS number", &ours, Some(&base), 10.0, Some(2.0));

        // A name spelt another way (sound-alike keys).
        let sounds: Vec<String> =
            ["smyth", "muhammad", "obrien", "thomson", "hussein", "shaun", "davis"].iter().map(|s| s.to_string()).collect();
        let many: Vec<String> = sounds.iter().cycle().take(200).cloned().collect();
        let ours = reading_time(store, &many, |q| {
            clients::search(conn, q, now).expect("search");
        });
        row("search: sounds-alike name", &ours, None, 10.0, None);

        // Duplicate candidates while registering: the typed person is a near twin of a known one.
        let typed: Vec<NewClient> = sample
            .iter()
            .map(|c| NewClient {
                surname: c.surname.clone(),
                forenames: c.forenames.clone(),
                date_of_birth: c.date_of_birth.format("%d/%m/%Y").to_string(),
                sex: "male".into(),
                ..NewClient::default()
            })
            .collect();
        let ours = reading_time(store, &typed, |input| {
            assert!(!duplicates::candidates_for(conn, input, now).expect("candidates").is_empty());
        });
        let mut bare_dob = conn.prepare("SELECT * FROM clients WHERE date_of_birth = ?1").unwrap();
        let base = reading_time(store, &sample, |c| {
            bare_dob.query_map([c.date_of_birth.to_string()], |_| Ok(())).unwrap().count();
        });
        row("duplicate candidates while registering", &ours, Some(&base), 20.0, None);
    }

    // Open a client: record, aliases, consent and merges (audited, so it writes).
    let ids: Vec<String> = sample.iter().map(|c| c.id.clone()).collect();
    let ours = time(&ids, |id| {
        clients::open(session.store_mut(), &actor, id).expect("open");
    });
    row("open a client (audited read)", &ours, None, 15.0, None);

    // Register one client: record + operation + audit, durable.
    let mut people: Vec<NewClient> = (0..200)
        .map(|i| NewClient {
            // Names carry no digits: Benchmarkaa, Benchmarkab, ...
            surname: format!("Benchmark{}{}", char::from(b'a' + (i / 26) as u8), char::from(b'a' + (i % 26) as u8)),
            forenames: "Test".into(),
            date_of_birth: "01/01/1990".into(),
            sex: "female".into(),
            ..NewClient::default()
        })
        .collect();
    people.shuffle(&mut rng);
    let ours = time(&people[20..], |p| {
        clients::register(session.store_mut(), &actor, p).expect("register");
    });
    // The same rows bare: each registered person's client row again, into a table made like
    // the register (the same columns and indexes, holding the same 100,000 people first, so
    // each insert finds b-trees as deep and as wide as a registration does) but without what
    // Throughline adds to a registration (the search index and case activity its triggers
    // keep, the operation, the audit entry and its anchor), one durable transaction each.
    let conn = session.store().reader();
    let table: String =
        conn.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'clients'", [], |r| r.get(0)).unwrap();
    conn.execute_batch(&table.replacen("TABLE clients", "TABLE bare_clients", 1)).unwrap();
    let indexes: Vec<String> = conn
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clients' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for sql in indexes {
        conn.execute_batch(&sql.replacen("INDEX ", "INDEX bare_", 1).replace(" ON clients ", " ON bare_clients ")).unwrap();
    }
    conn.execute_batch("INSERT INTO bare_clients SELECT * FROM clients; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    let registered: Vec<Vec<rusqlite::types::Value>> = {
        let mut stmt = conn.prepare("SELECT * FROM clients WHERE surname LIKE 'Benchmark%'").unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect()).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let columns = conn.prepare("SELECT * FROM clients").unwrap().column_names().map(String::from).collect::<Vec<_>>();
    let (id, search_id) = (columns.iter().position(|c| c == "id").unwrap(), columns.iter().position(|c| c == "search_id").unwrap());
    let marks = vec!["?"; columns.len()].join(", ");
    let mut insert = conn.prepare(&format!("INSERT INTO bare_clients VALUES ({marks})")).unwrap();
    let mut inserted = 0;
    let base = time(&registered, |row| {
        // Each under an id of its own: the first rows are timed twice (warming, then measured).
        inserted += 1;
        let (fresh, none) = (rusqlite::types::Value::Text(format!("bare-{inserted}")), rusqlite::types::Value::Null);
        let values = row.iter().enumerate().map(|(i, v)| {
            if i == id {
                &fresh
            } else if i == search_id {
                &none
            } else {
                v
            }
        });
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        insert.execute(rusqlite::params_from_iter(values)).unwrap();
        conn.execute_batch("COMMIT").unwrap();
    });
    row("register one client (record + op + audit), beside the same rows bare", &ours, Some(&base), 5.0, Some(3.0));

    let rate = CLIENTS as f64 / generated.as_secs_f64();
    println!(
        "\nGenerating and writing {CLIENTS} clients: {:.1} s ({rate:.0} a second; budget ≤ 60 s: {})",
        generated.as_secs_f64(),
        if generated.as_secs() <= 60 { "within" } else { "OVER" }
    );
}
