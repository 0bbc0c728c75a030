use std::sync::Arc;
use std::time::Instant;
use throughline_core::accounts::Installation;
use throughline_core::clock::SystemClock;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let q = std::env::args().nth(2).unwrap();
    let inst = Installation::new(dir, Arc::new(SystemClock));
    let s = inst.sign_in("admin", "demo-password").unwrap();
    let conn = s.store().reader();
    for _ in 0..3 {
        let t = Instant::now();
        let r = throughline_core::clients::search(conn, &q, chrono::Utc::now()).unwrap();
        println!("{} results in {:?}", r.len(), t.elapsed());
    }
    for sql in std::env::args().skip(4) {
        for _ in 0..2 {
            let t = Instant::now();
            let n: i64 = conn.query_row(&sql, [], |r| r.get(0)).unwrap();
            println!("{n} in {:?}: {sql}", t.elapsed());
        }
    }
    let sql = std::env::args().nth(3);
    if let Some(sql) = sql {
        let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = st.query_map([], |r| Ok(format!("{} {}", r.get::<_, i64>(1)?, r.get::<_, String>(3)?))).unwrap();
        for r in rows { println!("{}", r.unwrap()); }
    }
}
