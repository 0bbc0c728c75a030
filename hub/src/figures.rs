//! The partnership's figures, from the same measure definitions the laptops use: each measure's
//! SQL (`dashboard::team_events`) runs on PostgreSQL over a team's schema, its events come back,
//! and core turns them into the dashboard's figures (`dashboard::from_counts`), exactly as it
//! does on a laptop. A partnership's figure is worked out from all its teams' events together.
use crate::schema;
use chrono::{DateTime, Duration, Utc};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;
use throughline_core::calendar::when;
use throughline_core::dashboard::{self, Dashboard, Event, Events, Measure, Period, Together};
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

/// These measures' events for one team in a period.
pub fn team_events(
    db: &mut postgres::Client,
    team_id: &str,
    period: Period,
    now: DateTime<Utc>,
    measures: &[&'static Measure],
) -> Result<Events, postgres::Error> {
    let mut tx = db.transaction()?;
    // Each measure is one short query: compiling it (JIT) would cost more than it saves.
    tx.batch_execute(&format!(
        "SET LOCAL search_path TO {}, public; SET LOCAL TIME ZONE 'UTC'; SET LOCAL jit = off;",
        schema::team_schema(team_id)
    ))?;
    let values = parameters(period, now);
    let unknown = String::new();
    let mut of = HashMap::new();
    for m in measures {
        let (sql, names) = postgres_sql(&format!("SELECT * FROM ({}) e", dashboard::team_events(m)));
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            names.iter().map(|n| values.get(n.as_str()).unwrap_or(&unknown) as &(dyn postgres::types::ToSql + Sync)).collect();
        let statement = tx.prepare(&sql)?;
        let column = |name: &str| statement.columns().iter().position(|c| c.name() == name);
        // Every measure yields these two (core's tests run each one's SQL).
        let (client_id, at) = (column("client_id").expect("a measure's client_id"), column("at").expect("a measure's at"));
        let (part, days) = (column("part"), column("days"));
        let events = tx
            .query(&statement, &params)?
            .iter()
            .map(|r| Event {
                client_id: r.get::<_, &str>(client_id).into(),
                at: r.get::<_, &str>(at).into(),
                part: part.and_then(|i| r.get(i)),
                days: days.and_then(|i| r.get(i)),
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
