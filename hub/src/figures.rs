//! The partnership's figures, from the same measure definitions the laptops use: the measures'
//! SQL (`dashboard::team_events_by_day`) runs on PostgreSQL over a team's schema, their events
//! come back counted by day, and core turns them into the dashboard's figures
//! (`dashboard::from_counts`), exactly as it does on a laptop. Most measures' events are
//! counted once, over all time, when a team is copied in ([`kept`]), and a report cuts its
//! period from them. A partnership's figure is worked out from all its teams' events together.
use crate::schema;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;
use throughline_core::calendar::when;
use throughline_core::dashboard::{self, Dashboard, Event, Events, Measure, Moment, Period, Together};
use throughline_core::store::shared::share_out;

/// A measure's SQL (SQLite's dialect) as PostgreSQL runs it, and its parameters in order. The
/// changes are these and no more: named parameters become numbered ones (all text, as the
/// laptop binds them); SQLite's index hints go; `min(a, b)` of two values is `least`; `date`
/// with a modifier is `sqlite_date` (schema.rs defines it, with `julianday` and
/// `london_date`, to SQLite's meaning).
pub fn postgres_sql(sqlite: &str) -> (String, Vec<String>) {
    static PARAM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":([a-z_]+)\b").expect("pattern"));
    static INDEXED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"INDEXED BY \w+").expect("pattern"));
    static MIN_OF_TWO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bmin\((:[a-z_]+), (:[a-z_]+)\)").expect("pattern"));
    static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bdate\(").expect("pattern"));
    let sql = INDEXED.replace_all(sqlite, "");
    let sql = MIN_OF_TWO.replace_all(&sql, "least($1, $2)");
    let sql = DATE.replace_all(&sql, "sqlite_date(");
    let mut names: Vec<String> = Vec::new();
    let sql = PARAM.replace_all(&sql, |c: &regex::Captures<'_>| {
        let name = c[1].to_string();
        let n = match names.iter().position(|x| *x == name) {
            Some(i) => i + 1,
            None => {
                names.push(name);
                names.len()
            }
        };
        format!("${n}::text")
    });
    (sql.into_owned(), names)
}

/// The period's parameters, as the laptop's dashboard binds them.
fn parameters(period: Period, now: DateTime<Utc>) -> HashMap<&'static str, String> {
    HashMap::from([
        ("from", period.from.to_string()),
        ("to", period.to.to_string()),
        ("from_at", when::sql(when::start_of_day(period.from))),
        ("to_at", when::sql(when::start_of_day(period.to + Duration::days(1)))),
        ("today", throughline_core::dates::today(now).to_string()),
    ])
}

/// The measures whose people the report lists (released, and whether in treatment within 21
/// days): read one event a row, with the client. The others are read counted by day
/// (`dashboard::team_events_by_day`), which sends a fraction of the rows for the same figures.
pub const LISTED: [&str; 2] = [RELEASES, IN_TREATMENT];
pub const RELEASES: &str = "prison.releases";
pub const IN_TREATMENT: &str = "prison.in_treatment_21_days";

/// Where a team's kept counts live in its schema (see [`kept`]).
pub const COUNTED: &str = "counted_by_day";

/// Whether the hub keeps a measure's events counted by day, over all time, when it copies a
/// team in, so that a report cuts its period from them rather than reading the records again.
/// So for every measure whose shorter periods are cut from longer ones, except how things
/// stand now, what is due by today (today moves on between copies) and the people listed.
pub fn kept(m: &Measure) -> bool {
    m.cut_from_longer() && m.moment != Moment::Now && !m.events.contains(":today") && !LISTED.contains(&m.key)
}

/// The kept measures' query, which says what a team's kept counts are: a copy whose counts
/// were made by another (the hub updated since) is made again.
pub fn kept_sql() -> String {
    dashboard::team_events_by_day(&dashboard::measures().into_iter().filter(|m| kept(m)).collect::<Vec<_>>())
}

/// All the time a team's kept counts cover.
fn all_time() -> Period {
    Period { from: NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date"), to: NaiveDate::from_ymd_opt(2999, 12, 31).expect("a date") }
}

/// The kept counts a period's are cut from: `at` from the day before its first (a summer
/// day's first hour is the day before's 23:00 in UTC) up to the day after its last.
fn kept_window(period: Period) -> (String, String) {
    ((period.from - Duration::days(1)).to_string(), (period.to + Duration::days(1)).to_string())
}

/// Counts the kept measures' events of the team whose copy is in `schema` into its
/// [`COUNTED`] table (in the copy's transaction).
pub fn count_kept(tx: &mut postgres::Transaction<'_>, schema: &str, now: DateTime<Utc>) -> Result<u64, postgres::Error> {
    tx.batch_execute(&format!(
        "CREATE TABLE {schema}.{COUNTED} (measure text NOT NULL, at text NOT NULL, part text, days double precision, events bigint NOT NULL);
         SET LOCAL search_path TO {schema}, public; SET LOCAL TIME ZONE 'UTC'; SET LOCAL jit = off;"
    ))?;
    let (sql, names) = postgres_sql(&kept_sql());
    let values = parameters(all_time(), now);
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
        names.iter().map(|n| &values[n.as_str()] as &(dyn postgres::types::ToSql + Sync)).collect();
    tx.execute(&format!("INSERT INTO {schema}.{COUNTED} (measure, at, part, days, events) {sql}"), &params)
}

/// These measures' events for one team in a period: the kept ones cut from its kept counts,
/// the others read from its records.
pub fn team_events(
    db: &mut postgres::Client,
    team_id: &str,
    period: Period,
    now: DateTime<Utc>,
    measures: &[&'static Measure],
) -> Result<Events, postgres::Error> {
    let mut tx = db.transaction()?;
    // Each measure's part of a query is short: compiling it (JIT) would cost more than it saves.
    tx.batch_execute(&format!(
        "SET LOCAL search_path TO {}, public; SET LOCAL TIME ZONE 'UTC'; SET LOCAL jit = off;",
        schema::team_schema(team_id)
    ))?;
    let (from_kept, read): (Vec<&'static Measure>, Vec<&'static Measure>) = measures.iter().partition(|m| kept(m));
    let (listed, counted): (Vec<&'static Measure>, Vec<&'static Measure>) = read.iter().partition(|m| LISTED.contains(&m.key));
    let mut of: HashMap<&'static str, Vec<Event>> = HashMap::new();
    let counted_row = |r: &postgres::Row| Event {
        client_id: None,
        at: r.get::<_, &str>("at").into(),
        part: r.get("part"),
        days: r.get("days"),
        count: r.get::<_, i64>("events") as u32,
    };
    if !from_kept.is_empty() {
        let (from, to) = kept_window(period);
        let keys: HashMap<&str, &'static str> = from_kept.iter().map(|m| (m.key, m.key)).collect();
        let mut all = Events { period: all_time(), of: HashMap::new() };
        for r in tx.query(&format!("SELECT measure, at, part, days, events FROM {COUNTED} WHERE at >= $1 AND at < $2"), &[&from, &to])? {
            if let Some(key) = keys.get(r.get::<_, &str>("measure")) {
                all.of.entry(key).or_default().push(counted_row(&r));
            }
        }
        if let Some(cut) = all.cut_into(&[period]).pop() {
            of.extend(cut.of.into_iter().filter(|(key, _)| keys.contains_key(key)));
        }
    }
    let values = parameters(period, now);
    let unknown = String::new();
    let mut query = |sql: &str| -> Result<Vec<postgres::Row>, postgres::Error> {
        let (sql, names) = postgres_sql(sql);
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            names.iter().map(|n| values.get(n.as_str()).unwrap_or(&unknown) as &(dyn postgres::types::ToSql + Sync)).collect();
        tx.query(&sql, &params)
    };
    if !counted.is_empty() {
        let keys: HashMap<&str, &'static str> = counted.iter().map(|m| (m.key, m.key)).collect();
        for r in query(&dashboard::team_events_by_day(&counted))? {
            if let Some(key) = keys.get(r.get::<_, &str>("measure")) {
                of.entry(key).or_default().push(counted_row(&r));
            }
        }
    }
    for m in listed {
        // Every measure yields `client_id` and `at`, and these two no part or days.
        let events = query(&format!("SELECT e.client_id, e.at FROM ({}) e", dashboard::team_events(m)))?
            .iter()
            .map(|r| Event {
                client_id: Some(r.get::<_, &str>(0).into()),
                at: r.get::<_, &str>(1).into(),
                part: None,
                days: None,
                count: 1,
            })
            .collect();
        of.insert(m.key, events);
    }
    tx.commit()?;
    Ok(Events { period, of })
}

/// One team's figures, or the partnership's.
pub struct Figures {
    pub name: String,
    pub team_id: Option<String>,
    /// The team's events (none for the partnership, whose figures count its teams' together).
    pub events: Events,
    pub dashboard: Dashboard,
}

/// The continuity-of-care ambition (the partnership's, and each team's unless it set its own).
pub const CONTINUITY_AMBITION: u32 = 75;

/// Every team's figures for the period, and the partnership's from all their events together.
/// A person known to two teams is two records, one in each: each team counts its own events,
/// and the partnership counts every team's (as the teams' own returns add up). The teams are
/// shared out among `connections`, so PostgreSQL reads several at once.
pub fn partnership(
    connections: &mut [&mut postgres::Client],
    period: Period,
    now: DateTime<Utc>,
) -> Result<(Vec<Figures>, Figures), postgres::Error> {
    let teams: Vec<(String, String, i32)> = connections[0]
        .query("SELECT team_id, team_name, continuity_target_percent FROM hub.teams ORDER BY team_name, team_id", &[])?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let measures = dashboard::measures();
    let read = share_out(connections, teams.len(), |db, next| {
        let mut mine = Vec::new();
        while let Some(i) = next() {
            let (team_id, _, target) = &teams[i];
            let events = team_events(db, team_id, period, now, &measures)?;
            let Ok(dashboard) = dashboard::from_counts(&events, period, &settings_with_target(*target as u32));
            mine.push((i, (events, dashboard)));
        }
        Ok::<_, postgres::Error>(mine)
    })?;
    let every: Vec<&Events> = read.iter().map(|(events, _)| events).collect();
    let Ok(dashboard) = dashboard::from_counts(&Together { period, teams: &every }, period, &settings_with_target(CONTINUITY_AMBITION));
    let all = Figures { name: "The partnership".into(), team_id: None, events: Events { period, of: HashMap::new() }, dashboard };
    let out = teams
        .into_iter()
        .zip(read)
        .map(|((team_id, name, _), (events, dashboard))| Figures { name, team_id: Some(team_id), events, dashboard })
        .collect();
    Ok((out, all))
}

pub(crate) fn settings_with_target(percent: u32) -> throughline_core::accounts::settings::TeamSettings {
    throughline_core::accounts::settings::TeamSettings { continuity_target_percent: percent, ..Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A period's kept counts include what happened in its first and last London hours, in
    /// summer and winter: an instant's key keeps its UTC date, and a day's is the day.
    #[test]
    fn a_periods_window_holds_its_first_and_last_london_hours() {
        for (from, to) in [("2026-07-01", "2026-07-31"), ("2026-01-01", "2026-01-31")] {
            let period = Period { from: from.parse().unwrap(), to: to.parse().unwrap() };
            let (low, high) = kept_window(period);
            let first = when::sql(when::start_of_day(period.from));
            let last = when::sql(when::start_of_day(period.to + Duration::days(1)) - Duration::seconds(1));
            for at in [&first[..10], &last[..10], from, to] {
                assert!(low.as_str() <= at && at < high.as_str(), "{at} in {low}..{high}");
            }
        }
        let summer = kept_window(Period { from: "2026-07-01".parse().unwrap(), to: "2026-07-31".parse().unwrap() });
        assert_eq!(summer, ("2026-06-30".into(), "2026-08-01".into()), "1 July begins at 23:00 UTC on 30 June");
    }
}
