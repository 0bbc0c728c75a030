//! The team lead's dashboard (domain.md "What team leads need to see"): the pathway's measures
//! for a period, for the team or one worker, each with its trend by week or month and the list
//! of clients behind it.
//!
//! Every figure is a count of *events*: a measure is one SQL query that yields a row per event
//! (`client_id`, `at`, and for some a `part` or `days`) inside the period. The figure, its
//! trend and its client list are all read from that one query, so the list behind a number
//! always has that many rows. Each stage brings its measures in its own file and adds its
//! section to [`SECTIONS`] by one line.
//!
//! Clients are counted under their allocated worker today: a case that moved between workers
//! during the period counts for the worker who holds it now.
mod caseload;
mod court;
mod custody;
mod drr;
mod prison;
pub mod returns;
mod treatment;

use crate::accounts::settings::TeamSettings;
use crate::calendar::when;
use crate::dates;
use crate::error::{FieldError, ValidationErrors};
use crate::ErrorCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{named_params, Connection};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// One counted kind of event. `events` is SQL over a record aliased `x` that yields
/// `client_id` and `at` (what the event is counted by: an instant or a London date, as
/// `moment` says) for each event in the period. The worker filter goes where `{in_scope}`
/// (before the record's table) and `{scope}` (records) or `{client_scope}` (clients) stand.
/// `{tests}` is the tests on arrest in scope (all of them for the team; one worker's in the
/// period, found once for the six measures that read them). `{first_tests}` is each client's
/// first test on arrest in the period (`client_id`, `at`, and `again`: re-arrested within 12
/// months), worked out once for the measures that follow a client from it.
/// It may read `:from` and `:to` (London dates, inclusive), `:from_at` and `:to_at` (the
/// instants those days begin and end) and `:today`; `london_date(instant)` gives an instant's
/// London day where a rule needs one row by row.
pub struct Measure {
    pub key: &'static str,
    /// What one event is, for a heading over its client list: "Tests on arrest".
    pub label: &'static str,
    pub events: &'static str,
    pub moment: Moment,
    /// How one worker's events are found.
    pub one_worker: OneWorker,
}

impl Measure {
    /// Whether a shorter period's events can be cut from a longer one's: the events whose
    /// moment falls in it (as the trend's weeks and months are), or for how things stand now
    /// (`Moment::Now`) the same events, dated at its end. Not so for first tests on arrest in
    /// the period (a month's first test may be the year's second).
    pub fn cut_from_longer(&self) -> bool {
        !self.events.contains("{first_tests}")
    }
}

/// How a measure finds one worker's events: a plan for the worker's dashboard alone, which
/// the team's figures and the hub do not use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneWorker {
    /// Through each of the worker's clients, by the record's client-keyed index: for records
    /// a team has many of in a period (appointments). (Tests on arrest, `{tests}` and
    /// `{first_tests}`, are one range of the kept table by worker.)
    ClientByClient,
    /// Among the whole team's in the period, kept where the client is the worker's: for
    /// records a team has few of in a period (DRRs made, releases), where that reads less than
    /// visiting each of a caseload's two thousand clients.
    AmongTheTeams,
    /// A query of its own over what is kept by worker (`:w`): the caseload itself. A test
    /// holds it to count what the team's events hold of the worker's clients.
    Own(&'static str),
}

/// What a measure's `at` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// A stored UTC instant ("2026-11-23T14:30:00Z"): counted on its London day.
    Instant,
    /// A London calendar date ("2026-11-23").
    Day,
    /// The end of the period: a count of how things stand, not of events in it.
    Now,
}

impl Moment {
    /// A London day's first moment in the form `at` is stored, for comparing in SQL.
    fn start_of(self, day: NaiveDate) -> String {
        match self {
            Moment::Instant => when::sql(when::start_of_day(day)),
            Moment::Day | Moment::Now => day.to_string(),
        }
    }

    fn day_of(self, at: &str) -> Option<NaiveDate> {
        match self {
            Moment::Instant => when::london_day_of(at),
            Moment::Day | Moment::Now => at.parse().ok(),
        }
    }
}

/// How a figure reads its measures.
pub enum Figure {
    /// How many events; for a measure of how things stand (`Moment::Now`), how many at the end
    /// of the period, with no trend.
    Count(&'static Measure),
    /// `of` out of `out_of`, as a percentage; `target` reads the team's target percentage.
    Rate { of: &'static Measure, out_of: &'static Measure, target: Option<fn(&TeamSettings) -> u32> },
    /// The median of the measure's `days` column: a waiting time.
    MedianDays(&'static Measure),
}

/// A rate split by the measure's `part` column: tests and positives by trigger offence.
pub struct Breakdown {
    pub title: &'static str,
    pub part_heading: &'static str,
    /// A part as the table names it.
    pub name: fn(&str) -> String,
    pub of: &'static Measure,
    pub out_of: &'static Measure,
}

/// One stage's measures, as the dashboard shows them.
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub figures: &'static [Figure],
    pub breakdowns: &'static [Breakdown],
}

/// Every section, in pathway order.
pub const SECTIONS: &[&Section] =
    &[&caseload::SECTION, &custody::SECTION, &custody::REARREST, &court::SECTION, &drr::SECTION, &prison::SECTION, &treatment::SECTION];

/// The measure with this key, wherever it is used.
pub fn measure(key: &str) -> Option<&'static Measure> {
    measures().into_iter().find(|m| m.key == key)
}

/// Every measure once, in section order: what the benchmark times one by one.
pub fn measures() -> Vec<&'static Measure> {
    let mut all: Vec<&'static Measure> = Vec::new();
    for s in SECTIONS {
        for f in s.figures {
            match f {
                Figure::Count(m) | Figure::MedianDays(m) => all.push(m),
                Figure::Rate { of, out_of, .. } => all.extend([*of, *out_of]),
            }
        }
    }
    all.extend(returns::TRACKER.iter().map(|c| c.measure));
    let mut seen = std::collections::HashSet::new();
    all.retain(|m| seen.insert(m.key));
    all
}

/// How SQLite plans one measure's count (`make bench` prints it with THROUGHLINE_BENCH_PLANS=1).
pub fn plan(conn: &Connection, now: DateTime<Utc>, period: Period, whose: Whose<'_>, m: &'static Measure) -> rusqlite::Result<Vec<String>> {
    let reader = Reader::new(conn, period, now, whose)?;
    let sql = format!("EXPLAIN QUERY PLAN SELECT count(*) FROM ({}) e", reader.events(m)?);
    reader.query(&sql, &[], |r| r.get::<_, String>(3))
}

/// How many events of one measure fall in the period.
pub fn count(conn: &Connection, now: DateTime<Utc>, period: Period, whose: Whose<'_>, m: &'static Measure) -> rusqlite::Result<u32> {
    Ok(Reader::new(conn, period, now, whose)?.by_bucket(m, period.grain())?.iter().sum())
}

/// A period of London calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The periods a team lead picks from; `Between` takes typed dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodChoice {
    ThisWeek,
    ThisMonth,
    ThisQuarter,
    Last12Months,
    Between,
}

/// What the dashboard is asked for, as the screen sends it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct DashboardAsk {
    pub period: PeriodChoice,
    /// For `Between`, as typed: "01/04/2026".
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// One worker's caseload, or the whole team.
    #[serde(default)]
    pub worker_id: Option<String>,
}

/// The longest period the dashboard reads at once.
const MAX_YEARS: i32 = 5;

impl Period {
    /// The chosen period as of `today`: a week starts on Monday, a quarter in January, April,
    /// July or October.
    pub fn choose(ask: &DashboardAsk, today: NaiveDate) -> Result<Period, ValidationErrors> {
        let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
        let period = match ask.period {
            PeriodChoice::ThisWeek => Period { from: today - Duration::days(today.weekday().num_days_from_monday().into()), to: today },
            PeriodChoice::ThisMonth => Period { from: month_start(today), to: today },
            PeriodChoice::ThisQuarter => {
                let first_month = (today.month0() / 3) * 3 + 1;
                Period { from: NaiveDate::from_ymd_opt(today.year(), first_month, 1).unwrap_or(today), to: today }
            }
            PeriodChoice::Last12Months => {
                let year_ago = today.with_year(today.year() - 1).unwrap_or(today - Duration::days(365));
                Period { from: year_ago + Duration::days(1), to: today }
            }
            PeriodChoice::Between => return Self::typed(&ask.from, &ask.to),
        };
        Ok(period)
    }

    fn typed(from: &str, to: &str) -> Result<Period, ValidationErrors> {
        let mut errors = Vec::new();
        let mut day = |field: &str, typed: &str, what: &str| {
            if typed.trim().is_empty() {
                errors.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter the {what} day of the period.")));
                return None;
            }
            let parsed = dates::parse(typed);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    field,
                    ErrorCode::ValidationDateFormat,
                    format!("Enter the {what} day as day/month/year, like 01/04/2026."),
                ));
            }
            parsed
        };
        let (from, to) = (day("from", from, "first"), day("to", to, "last"));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.push(FieldError::new("to", ErrorCode::ValidationPeriodOrder, "The last day must be on or after the first day."));
            } else if to > from.with_year(from.year() + MAX_YEARS).unwrap_or(to) {
                errors.push(FieldError::new(
                    "to",
                    ErrorCode::ValidationPeriodTooLong,
                    format!("Choose a period of {MAX_YEARS} years or less."),
                ));
            } else {
                return Ok(Period { from, to });
            }
        }
        Err(ValidationErrors(errors))
    }

    /// Weeks for a period of up to three months, months beyond.
    pub fn grain(&self) -> Grain {
        if (self.to - self.from).num_days() <= 92 {
            Grain::Week
        } else {
            Grain::Month
        }
    }

    /// The first day of each week or month the period touches, in order.
    pub fn buckets(&self) -> Vec<NaiveDate> {
        self.buckets_of(self.grain())
    }

    pub fn buckets_of(&self, grain: Grain) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut at = grain.start_of(self.from);
        while at <= self.to {
            starts.push(at);
            at = grain.next(at);
        }
        starts
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    Week,
    Month,
}

impl Grain {
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Grain::Week => day - Duration::days(day.weekday().num_days_from_monday().into()),
            Grain::Month => day.with_day(1).unwrap_or(day),
        }
    }

    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Grain::Week => start + Duration::days(7),
            Grain::Month => start.checked_add_months(chrono::Months::new(1)).unwrap_or(start + Duration::days(31)),
        }
    }
}

/// How a figure reads: a count, a rate, a waiting time, or a count now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    Count,
    Rate,
    MedianDays,
    Now,
}

/// One figure as the screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FigureView {
    pub kind: FigureKind,
    pub label: String,
    /// The events counted, and the key that lists the clients behind them.
    pub count: Part,
    /// For a rate: what it is out of.
    pub out_of: Option<Part>,
    /// For a rate: `count` as a whole percentage of `out_of`; none when `out_of` is 0.
    #[ts(type = "number | null")]
    pub percent: Option<u32>,
    #[ts(type = "number | null")]
    pub target_percent: Option<u32>,
    /// For a waiting time: the median in days; none when nothing was counted.
    #[ts(type = "number | null")]
    pub median_days: Option<f64>,
    /// One value per bucket of the dashboard: the count, or for a waiting time the median.
    /// Empty for a figure that is a count now.
    pub trend: Vec<Option<f64>>,
    /// For a rate: what each bucket's count is out of.
    pub trend_out_of: Vec<u32>,
}

/// A counted measure: what it is, how many, and the key that lists them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Part {
    pub key: String,
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BreakdownRow {
    /// The part's code, which lists its clients.
    pub part: String,
    pub label: String,
    pub count: u32,
    pub out_of: u32,
    #[ts(type = "number | null")]
    pub percent: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BreakdownView {
    pub title: String,
    pub part_heading: String,
    pub of: Part,
    pub out_of: Part,
    pub rows: Vec<BreakdownRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SectionView {
    pub key: String,
    pub title: String,
    pub figures: Vec<FigureView>,
    pub breakdowns: Vec<BreakdownView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dashboard {
    pub period: Period,
    pub grain: Grain,
    /// The first day of each week or month of the trends.
    pub buckets: Vec<NaiveDate>,
    pub worker_id: Option<String>,
    pub sections: Vec<SectionView>,
}

/// Whose figures: the team's, or one worker's caseload.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    Team,
    Worker(&'a str),
}

impl<'a> Whose<'a> {
    pub fn of(worker_id: Option<&'a str>) -> Self {
        worker_id.map_or(Whose::Team, Whose::Worker)
    }
}

/// Each client's first test on arrest in the period (`client_id`, `at`), and `again`: whether
/// they were tested on arrest again on a later day within 12 months (day 1 to 365). Read from
/// the tests kept in sequence by the write transaction (migrations/0016): a test is the first
/// in the period when the one before it came before the period. (`again` is written to be
/// true or false in PostgreSQL as well as SQLite.)
const FIRST_TESTS: &str = "SELECT x.client_id, x.tested_at AS at, (x.days_to_next IS NOT NULL AND x.days_to_next <= 365) AS again
     FROM {in_scope} arrests_in_sequence x
     WHERE x.tested_at >= :from_at AND x.tested_at < :to_at AND (x.previous_at IS NULL OR x.previous_at < :from_at) {scope}";

/// The tests on arrest in the period that `{tests}` stands for on one worker's dashboard: one
/// range of the kept table, which carries each test's results and whose caseload it is in
/// (migrations/0022).
const WORKERS_TESTS: &str = "SELECT x.test_id, x.client_id, x.tested_at, x.opiates, x.cocaine, x.discretionary, x.trigger_offence
     FROM arrests_in_sequence x WHERE x.worker_id = :w AND x.tested_at >= :from_at AND x.tested_at < :to_at";

/// Where [`FIRST_TESTS`] finds one worker's: the same kept table's range for their caseload.
const WORKERS_FIRST_TESTS: &str = "AND x.worker_id = :w";

/// The same as [`FIRST_TESTS`], worked out from the tests on arrest alone: what the kept table
/// and the figures read from it are held equal to (core/tests/dashboard.rs).
const FIRST_TESTS_FROM_RECORDS: &str = "SELECT f.client_id, f.at,
     EXISTS (SELECT 1 FROM tests_on_arrest r WHERE r.client_id = f.client_id
             AND r.tested_at > f.at AND r.tested_at < strftime('%Y-%m-%dT%H:%M:%SZ', f.at, '+367 days')
             AND julianday(london_date(r.tested_at)) - julianday(london_date(f.at)) BETWEEN 1 AND 365) AS again
     FROM (SELECT x.client_id, min(x.tested_at) AS at FROM tests_on_arrest x
           WHERE x.tested_at >= :from_at AND x.tested_at < :to_at GROUP BY x.client_id) f";

/// A measure's events for a whole team as one query, for an engine other than this laptop's
/// (the partnership hub, over a copy of [`READS`]): `{first_tests}` is a subquery of the kept
/// `arrests_in_sequence` rather than a table made beforehand. Parameters and functions are as
/// [`Measure::events`] says.
pub fn team_events(m: &Measure) -> String {
    whole_team(m, &format!("({FIRST_TESTS})"), "tests_on_arrest")
}

/// As [`team_events`], with each client's first tests worked out from the tests on arrest
/// alone, as the kept table is held to be.
pub fn team_events_from_records(m: &Measure) -> String {
    whole_team(m, &format!("({FIRST_TESTS_FROM_RECORDS})"), "tests_on_arrest")
}

/// Measures' events for a whole team as [`team_events`] reads them, counted, in one query: how
/// many events of each measure (`measure`, its key) on each London day, with each part and
/// days the measure yields (`at`, `part`, `days`, `events`; `part` and `days` NULL where it
/// yields none; a measure yields them `AS part` and `AS days`). Far fewer rows than one an
/// event for another engine to send, the same figures, and the clients' first tests worked out
/// once for the measures that read them.
///
/// An instant (in the form the laptop stores one) stands for its London day as the start of
/// its UTC day or, from 23:00, as 23:00: London is never behind UTC nor more than an hour
/// ahead, and changes its clocks at 01:00 UTC, so every instant in each of those two parts of
/// a UTC day has the same London day.
pub fn team_events_by_day(measures: &[&Measure]) -> String {
    let arms: Vec<String> = measures
        .iter()
        .map(|m| {
            let day = match m.moment {
                // Each engine's cheapest: a byte count and one comparison rather than another
                // substring (an instant in any other form stands for itself).
                Moment::Instant => {
                    "CASE WHEN octet_length(e.at) <> 20 THEN e.at
                          WHEN e.at >= substr(e.at, 1, 11) || '23' THEN substr(e.at, 1, 11) || '23:00:00Z'
                          ELSE substr(e.at, 1, 11) || '00:00:00Z' END"
                }
                Moment::Day | Moment::Now => "e.at",
            };
            let yielded = |column: &str| m.events.contains(&format!("AS {column}")).then(|| format!("e.{column}"));
            let (part, days) = (yielded("part"), yielded("days"));
            let by: String = [part.as_deref(), days.as_deref()].into_iter().flatten().map(|c| format!(", {c}")).collect();
            format!(
                "SELECT '{}' AS measure, {day} AS at, {} AS part, {} AS days, count(*) AS events FROM ({}) e GROUP BY {day}{by}",
                m.key,
                part.as_deref().unwrap_or("CAST(NULL AS TEXT)"),
                days.as_deref().unwrap_or("CAST(NULL AS DOUBLE PRECISION)"),
                whole_team(m, "first_tests", "tests_on_arrest"),
            )
        })
        .collect();
    let first_tests = measures.iter().any(|m| m.events.contains("{first_tests}"));
    let with = if first_tests { format!("WITH first_tests AS ({}) ", unscoped(FIRST_TESTS)) } else { String::new() };
    format!("{with}{}", arms.join(" UNION ALL "))
}

/// A measure's events for the whole team, `{first_tests}` and `{tests}` read from these (a
/// subquery in brackets, or a table's name).
fn whole_team(m: &Measure, first_tests: &str, tests: &str) -> String {
    unscoped(&m.events.replace("{first_tests}", first_tests).replace("{tests}", tests))
}

/// SQL for the whole team: no worker's scope.
fn unscoped(sql: &str) -> String {
    sql.replace("{in_scope}", "").replace("{scope}", "").replace("{client_scope}", "")
}

/// The tables and columns the measures read: all a copy of a team's records needs for its
/// figures to be worked out elsewhere (a test runs every measure on just these).
pub const READS: &[(&str, &[&str])] = &[
    ("clients", &["id", "status", "merged_into", "created_at"]),
    ("arrests_in_sequence", &["client_id", "tested_at", "previous_at", "days_to_next"]),
    ("tests_on_arrest", &["id", "client_id", "tested_at", "discretionary", "trigger_offence", "opiates", "cocaine"]),
    ("required_assessments", &["id", "test_id", "kind", "appointment_id"]),
    ("appointments", &["id", "client_id", "owner_type", "owner_id", "at", "status", "remained"]),
    ("conditional_cautions", &["id", "client_id", "given_on"]),
    ("bail_decisions", &["id", "client_id", "decided_on", "restriction_on_bail", "bail_status"]),
    ("drr_orders", &["id", "client_id", "sentenced_on", "ended_on", "status"]),
    ("drr_breaches", &["id", "client_id", "returned_on"]),
    ("drr_reviews", &["id", "client_id", "review_on", "outcome_recorded_at", "report_produced_at"]),
    ("prison_spells", &["id", "client_id", "released_on", "seen_at_gate"]),
    ("treatment_episodes", &["id", "client_id", "referred_on", "treatment_started_on", "criminal_justice"]),
];

/// What a figure needs of its measures, however they are read: this laptop counts in SQLite
/// ([`Reader`]); the partnership hub reads the events from PostgreSQL ([`Events`]). Figures,
/// rates and medians are worked out from these alone, so both say the same.
pub trait Counts {
    type Error;
    /// Events per week or month of the period, in order.
    fn by_bucket(&self, m: &'static Measure, grain: Grain) -> Result<Vec<u32>, Self::Error>;
    /// Events per part.
    fn by_part(&self, m: &'static Measure) -> Result<BTreeMap<String, u32>, Self::Error>;
    /// Each event's day and its `days` column.
    fn days(&self, m: &'static Measure) -> Result<Vec<(NaiveDate, f64)>, Self::Error>;
}

/// Events of a measure as another engine read them: one client's event (`count` 1), or, read
/// by [`team_events_by_day`], how many there were on one London day with this part and days.
/// `at` is as the measure's `events` yield it, or an instant on the same London day.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    // Shared text: an event is cut into a month's list without copying its strings.
    /// Whose event it is, where events are read one by one (for a list of people).
    pub client_id: Option<std::sync::Arc<str>>,
    pub at: std::sync::Arc<str>,
    pub part: Option<String>,
    pub days: Option<f64>,
    pub count: u32,
}

/// Every measure's events in a period, read elsewhere (per team, or several teams' together).
#[derive(Debug, Clone)]
pub struct Events {
    pub period: Period,
    pub of: HashMap<&'static str, Vec<Event>>,
}

impl Events {
    fn of(&self, m: &Measure) -> &[Event] {
        self.of.get(m.key).map_or(&[], Vec::as_slice)
    }

    /// The events of each of `parts` (periods within this one, none overlapping another) of
    /// the measures that can be cut from it ([`Measure::cut_from_longer`]); the others' must be
    /// read for each part itself. Each event's day is worked out once.
    pub fn cut_into(&self, parts: &[Period]) -> Vec<Events> {
        let mut out: Vec<Events> = parts.iter().map(|p| Events { period: *p, of: HashMap::new() }).collect();
        for m in measures().into_iter().filter(|m| m.cut_from_longer()) {
            let mut each: Vec<Vec<Event>> = vec![Vec::new(); parts.len()];
            if m.moment == Moment::Now {
                // How things stand now: the same people, dated at each part's end.
                for (list, part) in each.iter_mut().zip(parts) {
                    let end: std::sync::Arc<str> = part.to.to_string().into();
                    list.extend(self.of(m).iter().map(|e| Event { at: end.clone(), ..e.clone() }));
                }
            } else {
                for e in self.of(m) {
                    let part = m.moment.day_of(&e.at).and_then(|day| parts.iter().position(|p| p.from <= day && day <= p.to));
                    if let Some(i) = part {
                        each[i].push(e.clone());
                    }
                }
            }
            for (part, list) in out.iter_mut().zip(each) {
                part.of.insert(m.key, list);
            }
        }
        out
    }
}

impl Counts for Events {
    type Error = std::convert::Infallible;

    fn by_bucket(&self, m: &'static Measure, grain: Grain) -> Result<Vec<u32>, Self::Error> {
        let starts = self.period.buckets_of(grain);
        let mut counts = vec![0; starts.len()];
        if m.moment == Moment::Now {
            if let Some(last) = counts.last_mut() {
                *last = self.of(m).iter().map(|e| e.count).sum();
            }
            return Ok(counts);
        }
        let bucket_of: HashMap<NaiveDate, usize> = starts.iter().enumerate().map(|(i, start)| (*start, i)).collect();
        for e in self.of(m) {
            if let Some(i) = m.moment.day_of(&e.at).and_then(|day| bucket_of.get(&grain.start_of(day))) {
                counts[*i] += e.count;
            }
        }
        Ok(counts)
    }

    fn by_part(&self, m: &'static Measure) -> Result<BTreeMap<String, u32>, Self::Error> {
        let mut parts = BTreeMap::new();
        for e in self.of(m) {
            *parts.entry(e.part.clone().unwrap_or_default()).or_insert(0) += e.count;
        }
        Ok(parts)
    }

    fn days(&self, m: &'static Measure) -> Result<Vec<(NaiveDate, f64)>, Self::Error> {
        let each = self.of(m).iter().filter_map(|e| Some(((m.moment.day_of(&e.at)?, e.days?), e.count as usize)));
        Ok(each.flat_map(|(wait, count)| std::iter::repeat_n(wait, count)).collect())
    }
}

/// Several teams' events in a period counted together, as the partnership's figures are,
/// without copying them: each team's count in a week, of a part, adds up, and the waits are
/// all of theirs.
pub struct Together<'e> {
    pub period: Period,
    pub teams: &'e [&'e Events],
}

impl Counts for Together<'_> {
    type Error = std::convert::Infallible;

    fn by_bucket(&self, m: &'static Measure, grain: Grain) -> Result<Vec<u32>, Self::Error> {
        let mut sum = vec![0; self.period.buckets_of(grain).len()];
        for team in self.teams {
            let Ok(counts) = team.by_bucket(m, grain);
            sum.iter_mut().zip(counts).for_each(|(s, c)| *s += c);
        }
        Ok(sum)
    }

    fn by_part(&self, m: &'static Measure) -> Result<BTreeMap<String, u32>, Self::Error> {
        let mut parts = BTreeMap::new();
        for team in self.teams {
            let Ok(counts) = team.by_part(m);
            counts.into_iter().for_each(|(part, n)| *parts.entry(part).or_insert(0) += n);
        }
        Ok(parts)
    }

    fn days(&self, m: &'static Measure) -> Result<Vec<(NaiveDate, f64)>, Self::Error> {
        let mut all = Vec::new();
        for team in self.teams {
            let Ok(days) = team.days(m);
            all.extend(days);
        }
        Ok(all)
    }
}

/// Reads the measures for one period and scope on one connection. A measure several figures
/// share is counted once.
pub(crate) struct Reader<'c> {
    conn: &'c Connection,
    period: Period,
    today: NaiveDate,
    /// One worker's caseload rather than the team: whose.
    worker: Option<String>,
    counted: RefCell<HashMap<(&'static str, Grain), Vec<u32>>>,
    first_tests: Cell<bool>,
    /// Whether one worker's tests in the period have been copied to `temp.dashboard_tests`.
    tests: Cell<bool>,
}

impl<'c> Reader<'c> {
    pub(crate) fn new(conn: &'c Connection, period: Period, now: DateTime<Utc>, whose: Whose<'_>) -> rusqlite::Result<Self> {
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS dashboard_scope (member_id TEXT PRIMARY KEY) WITHOUT ROWID;
             DELETE FROM temp.dashboard_scope;",
        )?;
        if let Whose::Worker(id) = whose {
            // The worker's clients, open or closed, and every record merged into them (as the
            // view `clients_dashboard_worker` says, by which the kept tests are found).
            conn.prepare_cached(
                "INSERT OR IGNORE INTO temp.dashboard_scope
                 SELECT id FROM clients WHERE allocated_worker_id = :w AND status != 'merged'
                 UNION ALL SELECT mm.id FROM clients s JOIN clients mm ON mm.merged_into = s.id AND mm.status = 'merged'
                 WHERE s.allocated_worker_id = :w",
            )?
            .execute(named_params! { ":w": id })?;
        }
        Ok(Reader {
            conn,
            period,
            today: dates::today(now),
            worker: match whose {
                Whose::Worker(id) => Some(id.to_string()),
                Whose::Team => None,
            },
            counted: RefCell::default(),
            first_tests: Cell::new(false),
            tests: Cell::new(false),
        })
    }

    /// A measure's events as SQL, the scope filled in. For one worker the query starts from
    /// their clients (CROSS JOIN keeps that order) and probes each one's records through the
    /// client-keyed indexes, instead of reading the whole team's period.
    fn events(&self, m: &Measure) -> rusqlite::Result<String> {
        self.events_found(m, m.one_worker)
    }

    /// As [`Reader::events`], one worker's found as `how` says.
    fn events_found(&self, m: &Measure, how: OneWorker) -> rusqlite::Result<String> {
        if m.events.contains("{first_tests}") && !self.first_tests.replace(true) {
            self.conn.execute_batch(
                // Appended in time order, one row per client by how it is filled: no key to keep.
                "CREATE TEMP TABLE IF NOT EXISTS dashboard_first_tests (client_id TEXT NOT NULL, at TEXT NOT NULL, again INTEGER NOT NULL);
                 DELETE FROM temp.dashboard_first_tests;",
            )?;
            let fill = format!("INSERT INTO temp.dashboard_first_tests {FIRST_TESTS}").replace("{in_scope}", "");
            let fill = fill.replace("{scope}", if self.worker.is_some() { WORKERS_FIRST_TESTS } else { "" });
            self.query(&fill, &[], |_| Ok(()))?;
        }
        if self.worker.is_some() && m.events.contains("{tests}") && !self.tests.replace(true) {
            // A caseload's tests in the period, copied once for the six measures that count
            // them (each would otherwise read the range again).
            self.conn.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS dashboard_tests (id TEXT NOT NULL, client_id TEXT NOT NULL,
                   tested_at TEXT NOT NULL, opiates TEXT, cocaine TEXT, discretionary INTEGER, trigger_offence TEXT);
                 DELETE FROM temp.dashboard_tests;",
            )?;
            self.query(&format!("INSERT INTO temp.dashboard_tests {WORKERS_TESTS}"), &[], |_| Ok(()))?;
        }
        let tests = if self.worker.is_some() { "temp.dashboard_tests" } else { "tests_on_arrest" };
        let events = match how {
            OneWorker::Own(sql) if self.worker.is_some() => sql,
            _ => m.events,
        };
        Ok(self.scoped(events, how).replace("{first_tests}", "temp.dashboard_first_tests").replace("{tests}", tests))
    }

    fn scoped(&self, sql: &str, how: OneWorker) -> String {
        let (from, records, clients) = match (self.worker.is_some(), how) {
            (false, _) => ("", "", ""),
            (true, OneWorker::ClientByClient) => {
                ("temp.dashboard_scope sc CROSS JOIN", "AND x.client_id = sc.member_id", "AND x.id = sc.member_id")
            }
            // The unary plus keeps SQLite from starting at the worker's clients instead.
            (true, OneWorker::AmongTheTeams) => ("", "AND +x.client_id IN temp.dashboard_scope", "AND +x.id IN temp.dashboard_scope"),
            (true, OneWorker::Own(_)) => ("", "", ""),
        };
        sql.replace("{in_scope}", from).replace("{scope}", records).replace("{client_scope}", clients)
    }

    /// Runs `sql` (which wraps a measure's events as `e`) with the period's parameters.
    fn query<T>(
        &self,
        sql: &str,
        extra: &[(&str, &dyn rusqlite::ToSql)],
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        self.query_in(self.period, sql, extra, map)
    }

    /// Runs `sql` with the parameters of `period` (the whole period, or one week or month of it).
    fn query_in<T>(
        &self,
        period: Period,
        sql: &str,
        extra: &[(&str, &dyn rusqlite::ToSql)],
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let (from, to, today) = (period.from.to_string(), period.to.to_string(), self.today.to_string());
        let from_at = when::sql(when::start_of_day(period.from));
        let to_at = when::sql(when::start_of_day(period.to + Duration::days(1)));
        let mut stmt = self.conn.prepare_cached(sql)?;
        let all = named_params! { ":from": from, ":to": to, ":from_at": from_at, ":to_at": to_at, ":today": today, ":w": self.worker };
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
        for (name, value) in all.iter().chain(extra.iter()) {
            if stmt.parameter_index(name)?.is_some() {
                params.push((name, *value));
            }
        }
        let rows = stmt.query_map(params.as_slice(), map)?;
        rows.collect()
    }
}

impl Counts for Reader<'_> {
    type Error = rusqlite::Error;

    fn by_bucket(&self, m: &'static Measure, grain: Grain) -> rusqlite::Result<Vec<u32>> {
        if let Some(counts) = self.counted.borrow().get(&(m.key, grain)) {
            return Ok(counts.clone());
        }
        let starts = self.period.buckets_of(grain);
        let events = self.events(m)?;
        let counts = if m.moment == Moment::Now {
            // How things stand at the end: one count, in the last bucket.
            let total = self.query(&format!("SELECT count(*) FROM ({events}) e"), &[], |r| r.get::<_, u32>(0))?;
            let mut counts = vec![0; starts.len()];
            if let (Some(last), Some(n)) = (counts.last_mut(), total.first()) {
                *last = *n;
            }
            counts
        } else if self.worker.is_some() || m.events.contains("{first_tests}") {
            // One pass, each event put in its bucket by comparing `at` with where each bucket
            // begins (in the form `at` is stored): for one worker's few events, and for what is
            // counted once per client (their first event of the whole period falls in one bucket).
            let bounds: Vec<String> = starts.iter().skip(1).map(|d| m.moment.start_of(*d)).collect();
            let whens: String = bounds.iter().enumerate().map(|(i, b)| format!("WHEN e.at < '{b}' THEN {i} ")).collect();
            let bucket = if bounds.is_empty() { "0".to_string() } else { format!("CASE {whens}ELSE {} END", bounds.len()) };
            let sql = format!("SELECT {bucket} AS bucket, count(*) FROM ({events}) e GROUP BY bucket");
            let mut counts = vec![0; starts.len()];
            for (i, n) in self.query(&sql, &[], |r| Ok((r.get::<_, u32>(0)? as usize, r.get::<_, u32>(1)?)))? {
                counts[i] = n;
            }
            counts
        } else {
            // The team's many events: each week or month is counted as a period of its own,
            // which reads an index range and sorts nothing.
            let sql = format!("SELECT count(*) FROM ({events}) e");
            let mut counts = Vec::with_capacity(starts.len());
            for start in &starts {
                let within =
                    Period { from: (*start).max(self.period.from), to: (grain.next(*start) - Duration::days(1)).min(self.period.to) };
                counts.push(self.query_in(within, &sql, &[], |r| r.get::<_, u32>(0))?.first().copied().unwrap_or(0));
            }
            counts
        };
        self.counted.borrow_mut().insert((m.key, grain), counts.clone());
        Ok(counts)
    }

    fn by_part(&self, m: &'static Measure) -> rusqlite::Result<BTreeMap<String, u32>> {
        // Counted here rather than by GROUP BY, which sorts a year's tests on arrest first.
        let sql = format!("SELECT e.part FROM ({}) e", self.events(m)?);
        let mut parts: BTreeMap<String, u32> = BTreeMap::new();
        for part in self.query(&sql, &[], |r| r.get::<_, String>(0))? {
            *parts.entry(part).or_insert(0) += 1;
        }
        Ok(parts)
    }

    fn days(&self, m: &'static Measure) -> rusqlite::Result<Vec<(NaiveDate, f64)>> {
        let sql = format!("SELECT e.at, e.days FROM ({}) e", self.events(m)?);
        let rows = self.query(&sql, &[], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))?;
        Ok(rows.into_iter().filter_map(|(at, days)| Some((m.moment.day_of(&at)?, days))).collect())
    }
}

fn part(m: &Measure, count: u32) -> Part {
    Part { key: m.key.into(), label: m.label.into(), count }
}

fn percent(count: u32, out_of: u32) -> Option<u32> {
    (out_of > 0).then(|| ((f64::from(count) * 100.0 / f64::from(out_of)).round()) as u32)
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

/// One section's figures and breakdowns for a period, from counts read on any engine.
pub fn section<C: Counts>(counts: &C, s: &Section, period: Period, settings: &TeamSettings) -> Result<SectionView, C::Error> {
    let buckets = period.buckets();
    Ok(SectionView {
        key: s.key.into(),
        title: s.title.into(),
        figures: s.figures.iter().map(|f| figure(counts, period, f, &buckets, settings)).collect::<Result<_, _>>()?,
        breakdowns: s.breakdowns.iter().map(|b| breakdown(counts, b)).collect::<Result<_, _>>()?,
    })
}

fn figure<C: Counts>(c: &C, period: Period, f: &Figure, buckets: &[NaiveDate], settings: &TeamSettings) -> Result<FigureView, C::Error> {
    let view = match f {
        Figure::Count(m) => {
            let counts = c.by_bucket(m, period.grain())?;
            let now = m.moment == Moment::Now;
            let trend = if now { Vec::new() } else { counts.iter().map(|n| Some((*n).into())).collect() };
            FigureView {
                kind: if now { FigureKind::Now } else { FigureKind::Count },
                label: m.label.into(),
                count: part(m, counts.iter().sum()),
                out_of: None,
                percent: None,
                target_percent: None,
                median_days: None,
                trend,
                trend_out_of: Vec::new(),
            }
        }
        Figure::Rate { of, out_of, target } => {
            let (counts, totals) = (c.by_bucket(of, period.grain())?, c.by_bucket(out_of, period.grain())?);
            let (n, total) = (counts.iter().sum(), totals.iter().sum());
            FigureView {
                kind: FigureKind::Rate,
                label: of.label.into(),
                count: part(of, n),
                out_of: Some(part(out_of, total)),
                percent: percent(n, total),
                target_percent: target.map(|t| t(settings)),
                median_days: None,
                trend: counts.iter().map(|n| Some((*n).into())).collect(),
                trend_out_of: totals,
            }
        }
        Figure::MedianDays(m) => {
            let rows = c.days(m)?;
            let grain = period.grain();
            let trend =
                buckets.iter().map(|b| median(rows.iter().filter(|(d, _)| grain.start_of(*d) == *b).map(|(_, v)| *v).collect())).collect();
            FigureView {
                kind: FigureKind::MedianDays,
                label: m.label.into(),
                count: part(m, rows.len() as u32),
                out_of: None,
                percent: None,
                target_percent: None,
                median_days: median(rows.iter().map(|(_, v)| *v).collect()),
                trend,
                trend_out_of: Vec::new(),
            }
        }
    };
    Ok(view)
}

fn breakdown<C: Counts>(c: &C, b: &Breakdown) -> Result<BreakdownView, C::Error> {
    let (of, out_of) = (c.by_part(b.of)?, c.by_part(b.out_of)?);
    let mut rows: Vec<BreakdownRow> = out_of
        .iter()
        .map(|(name, total)| {
            let n = of.get(name).copied().unwrap_or(0);
            BreakdownRow { part: name.clone(), label: (b.name)(name), count: n, out_of: *total, percent: percent(n, *total) }
        })
        .collect();
    rows.sort_by(|x, y| y.out_of.cmp(&x.out_of).then(x.label.cmp(&y.label)));
    Ok(BreakdownView {
        title: b.title.into(),
        part_heading: b.part_heading.into(),
        of: part(b.of, of.values().sum()),
        out_of: part(b.out_of, out_of.values().sum()),
        rows,
    })
}

/// The dashboard for a period, for the team or one worker. Its sections are shared out among
/// `connections` (see [`crate::store::shared`]): with two, a laptop's two cores halve the wait.
pub fn dashboard(
    connections: &mut [&mut Connection],
    now: DateTime<Utc>,
    settings: &TeamSettings,
    period: Period,
    whose: Whose<'_>,
) -> rusqlite::Result<Dashboard> {
    let buckets = period.buckets();
    let sections = crate::store::shared::share_out(connections, SECTIONS.len(), |conn, next| {
        let reader = Reader::new(conn, period, now, whose)?;
        let mut mine = Vec::new();
        while let Some(i) = next() {
            mine.push((i, section(&reader, SECTIONS[i], period, settings)?));
        }
        Ok::<_, rusqlite::Error>(mine)
    })?;
    let worker_id = match whose {
        Whose::Team => None,
        Whose::Worker(id) => Some(id.to_string()),
    };
    Ok(Dashboard { period, grain: period.grain(), buckets, worker_id, sections })
}

/// The whole team's dashboard from counts read on another engine (the partnership hub's).
pub fn from_counts<C: Counts>(counts: &C, period: Period, settings: &TeamSettings) -> Result<Dashboard, C::Error> {
    let sections = SECTIONS.iter().map(|s| section(counts, s, period, settings)).collect::<Result<_, _>>()?;
    Ok(Dashboard { period, grain: period.grain(), buckets: period.buckets(), worker_id: None, sections })
}

/// How many clients one page of a figure's list holds.
pub const PAGE_SIZE: u32 = 50;

/// Which list: a measure's events in a period (a bucket of a trend is a shorter period), for the
/// team or one worker, optionally one part of a breakdown.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FigureListAsk {
    pub key: String,
    pub period: Period,
    #[serde(default)]
    pub worker_id: Option<String>,
    #[serde(default)]
    pub part: Option<String>,
    #[serde(default)]
    pub offset: u32,
}

/// One client behind a figure: the event's day and who they are.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FigureClient {
    pub on_day: NaiveDate,
    pub client_id: String,
    pub client_name: String,
    pub date_of_birth: NaiveDate,
    pub worker_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FigureList {
    pub label: String,
    pub total: u32,
    pub offset: u32,
    pub page_size: u32,
    pub clients: Vec<FigureClient>,
}

/// The clients behind a figure, a page at a time, latest first. Merged records show as the
/// person they were merged into. None for a key no section has.
pub fn figure_list(conn: &Connection, now: DateTime<Utc>, ask: &FigureListAsk) -> rusqlite::Result<Option<FigureList>> {
    let Some(m) = measure(&ask.key) else { return Ok(None) };
    let reader = Reader::new(conn, ask.period, now, Whose::of(ask.worker_id.as_deref()))?;
    let part_filter = if ask.part.is_some() { "WHERE e.part = :part" } else { "" };
    let events = format!("SELECT e.* FROM ({}) e {part_filter}", reader.events(m)?);
    let part: &dyn rusqlite::ToSql = &ask.part;
    let total = reader.query(&format!("SELECT count(*) FROM ({events})"), &[(":part", part)], |r| r.get::<_, u32>(0))?;
    let sql = format!(
        "SELECT e.at, c.id, c.forenames || ' ' || c.surname, c.date_of_birth, w.display_name
         FROM ({events}) e
         JOIN clients m ON m.id = e.client_id
         JOIN clients c ON c.id = (CASE WHEN m.status = 'merged' THEN m.merged_into ELSE m.id END)
         LEFT JOIN workers w ON w.id = c.allocated_worker_id
         ORDER BY e.at DESC, c.surname, c.forenames, c.id
         LIMIT :limit OFFSET :offset"
    );
    let clients = reader.query(&sql, &[(":part", part), (":limit", &PAGE_SIZE), (":offset", &ask.offset)], |r| {
        let at: String = r.get(0)?;
        let unreadable = || rusqlite::Error::InvalidColumnType(0, "at".into(), rusqlite::types::Type::Text);
        Ok(FigureClient {
            on_day: m.moment.day_of(&at).ok_or_else(unreadable)?,
            client_id: r.get(1)?,
            client_name: r.get(2)?,
            date_of_birth: r.get(3)?,
            worker_name: r.get(4)?,
        })
    })?;
    Ok(Some(FigureList {
        label: m.label.into(),
        total: total.first().copied().unwrap_or(0),
        offset: ask.offset,
        page_size: PAGE_SIZE,
        clients,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of a team holding only [`READS`] answers every measure: nothing the measures read
    /// is left out of what the partnership hub copies.
    #[test]
    fn every_measure_reads_only_what_reads_lists() {
        let conn = Connection::open_in_memory().unwrap();
        for (table, columns) in READS {
            conn.execute_batch(&format!("CREATE TABLE {table} ({})", columns.join(", "))).unwrap();
        }
        conn.execute_batch("CREATE INDEX clients_by_status ON clients (status)").unwrap();
        when::register(&conn).unwrap();
        let period = Period { from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap() };
        let reader = Reader::new(&conn, period, DateTime::UNIX_EPOCH, Whose::Team).unwrap();
        for m in measures() {
            let sql = format!("SELECT count(*) FROM ({}) e", team_events(m));
            let counted = reader.query(&sql, &[], |r| r.get::<_, u32>(0));
            assert_eq!(counted.map_err(|e| format!("{}: {e}", m.key)), Ok(vec![0]));
        }
    }

    /// A team of 600 demo people with a year of pathways among three workers, on a fixed clock.
    fn team_with_a_year() -> (tempfile::TempDir, crate::accounts::Session, DateTime<Utc>, Vec<String>) {
        use crate::accounts::Installation;
        use crate::clock::{Clock, FixedClock};
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
        let mut session = crate::testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
        let (actor, now) = (session.actor(), clock.now());
        let workers: Vec<String> = (0..3).map(|i| format!("worker-{i}")).collect();
        let people = crate::demo::population(7, 600, now, &workers);
        crate::demo::insert(session.store_mut(), &actor, &people).unwrap();
        crate::demo::pathway::pathway(session.store_mut(), &actor, 7, &people.clients, &workers, now).unwrap();
        (dir, session, now, workers)
    }

    fn year() -> Period {
        Period { from: NaiveDate::from_ymd_opt(2025, 11, 24).unwrap(), to: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() }
    }

    /// Every measure's events for the team in `period`, each with its part and days, in order.
    fn read_events(reader: &Reader<'_>, m: &Measure, period: Period) -> Vec<Event> {
        let sql = format!("SELECT * FROM ({}) e", team_events(m));
        let mut events = reader
            .query_in(period, &sql, &[], |r| {
                let column = |name: &str| r.as_ref().column_index(name).ok();
                Ok(Event {
                    client_id: Some(r.get::<_, String>("client_id")?.into()),
                    at: r.get::<_, String>("at")?.into(),
                    part: column("part").map(|i| r.get(i)).transpose()?.flatten(),
                    days: column("days").map(|i| r.get(i)).transpose()?.flatten(),
                    count: 1,
                })
            })
            .unwrap();
        events.sort_by(|a, b| (&a.client_id, &a.at, &a.part).cmp(&(&b.client_id, &b.at, &b.part)));
        events
    }

    /// The plan a measure takes for one worker changes how quickly their events are found,
    /// never which: found among the team's, client by client, or (tests on arrest) from the
    /// kept table's range for their caseload, every measure counts what the team's events hold
    /// of their caseload.
    #[test]
    fn one_workers_events_are_the_same_found_either_way() {
        let (_dir, session, now, workers) = team_with_a_year();
        let year = year();
        let reader = Reader::new(session.store().reader(), year, now, Whose::Worker(&workers[0])).unwrap();
        let count = |m: &Measure, how| {
            let sql = format!("SELECT count(*) FROM ({}) e", reader.events_found(m, how).unwrap());
            reader.query(&sql, &[], |r| r.get::<_, u32>(0)).unwrap()[0]
        };
        let of_the_teams = |m: &Measure| {
            let sql = format!("SELECT count(*) FROM ({}) e WHERE e.client_id IN temp.dashboard_scope", team_events(m));
            reader.query(&sql, &[], |r| r.get::<_, u32>(0)).unwrap()[0]
        };
        let mut found = 0;
        for m in measures() {
            let by_client = count(m, OneWorker::ClientByClient);
            assert_eq!(count(m, OneWorker::AmongTheTeams), by_client, "{}", m.key);
            assert_eq!(count(m, m.one_worker), by_client, "{}", m.key);
            assert_eq!(of_the_teams(m), by_client, "{}", m.key);
            found += by_client;
        }
        assert!(found > 100, "the worker's caseload has events to count: {found}");
    }

    /// The partnership's figures counted from its teams' events together are the figures of
    /// all their events in one list: counts, parts and waits add up.
    #[test]
    fn teams_counted_together_give_the_figures_of_all_their_events() {
        let (_dir, session, now, _) = team_with_a_year();
        let year = year();
        let reader = Reader::new(session.store().reader(), year, now, Whose::Team).unwrap();
        let all = Events { period: year, of: measures().into_iter().map(|m| (m.key, read_events(&reader, m, year))).collect() };
        // Two teams: the people whose id ends in an even digit or letter, and the rest.
        let half = |even: bool| Events {
            period: year,
            of: all
                .of
                .iter()
                .map(|(k, v)| (*k, v.iter().filter(|e| (e.client_id.as_ref().unwrap().as_bytes()[35] % 2 == 0) == even).cloned().collect()))
                .collect(),
        };
        let (one, other) = (half(true), half(false));
        assert!(!one.of["custody.tests"].is_empty() && !other.of["custody.tests"].is_empty(), "both teams tested people");
        let settings = TeamSettings::default();
        let Ok(together) = from_counts(&Together { period: year, teams: &[&one, &other] }, year, &settings);
        let Ok(in_one_list) = from_counts(&all, year, &settings);
        assert_eq!(together, in_one_list);
        let waits = |d: &Dashboard| d.sections.iter().flat_map(|s| &s.figures).filter_map(|f| f.median_days).count();
        assert!(waits(&together) > 0, "a median wait is among the figures compared");
        let Ok(no_teams) = from_counts(&Together { period: year, teams: &[] }, year, &settings);
        let Ok(no_events) = from_counts(&Events { period: year, of: HashMap::new() }, year, &settings);
        assert_eq!(no_teams, no_events, "a partnership of no teams has figures of nothing, week by week");
    }

    /// Events counted by London day (as the hub reads a team's) give the figures of the same
    /// events one by one, for the year and for each month cut from it, though far fewer rows,
    /// including tests taken late in a summer evening, on the next day in London.
    #[test]
    fn events_counted_by_day_give_the_figures_of_the_events_one_by_one() {
        let (_dir, mut session, now, _) = team_with_a_year();
        let year = year();
        // Tests either side of midnight at the turn of a summer month (23:30 and 22:30 UTC on
        // its last day) and at half past eleven on the last night of a winter month.
        let client: String = session.store().reader().query_row("SELECT id FROM clients LIMIT 1", [], |r| r.get(0)).unwrap();
        let actor = session.actor();
        for (date, time) in [("2026-08-01", "00:30"), ("2026-07-31", "23:30"), ("2026-01-31", "23:30")] {
            let test = crate::custody::NewTestOnArrest {
                custody_suite: "Westbridge custody suite".into(),
                arrested_date: date.into(),
                arrested_time: time.into(),
                discretionary: true,
                tested_date: date.into(),
                tested_time: time.into(),
                opiates: "positive".into(),
                cocaine: "negative".into(),
                sample_type: "oral_fluid".into(),
                ..Default::default()
            };
            crate::custody::record_test(session.store_mut(), &actor, &client, &test).unwrap();
        }
        let reader = Reader::new(session.store().reader(), year, now, Whose::Team).unwrap();
        let counted_rows = reader
            .query_in(year, &team_events_by_day(&measures()), &[], |r| {
                Ok((
                    r.get::<_, String>("measure")?,
                    Event {
                        client_id: None,
                        at: r.get::<_, String>("at")?.into(),
                        part: r.get("part")?,
                        days: r.get("days")?,
                        count: r.get("events")?,
                    },
                ))
            })
            .unwrap();
        let one_by_one = Events { period: year, of: measures().into_iter().map(|m| (m.key, read_events(&reader, m, year))).collect() };
        let mut counted = Events { period: year, of: HashMap::new() };
        for (key, event) in counted_rows {
            let m = measures().into_iter().find(|m| m.key == key).unwrap();
            counted.of.entry(m.key).or_default().push(event);
        }
        let rows = |e: &Events| e.of.values().map(Vec::len).sum::<usize>();
        assert!(rows(&counted) < rows(&one_by_one), "{} rows counted, {} one by one", rows(&counted), rows(&one_by_one));
        let next_day_in_london = one_by_one.of["custody.tests"]
            .iter()
            .filter(|e| e.at.get(11..13) == Some("23") && when::london_day_of(&e.at).map(|d| d.to_string()).as_deref() != e.at.get(..10))
            .count();
        assert!(next_day_in_london > 0, "a test late on a summer evening, on the next day in London");
        let settings = TeamSettings::default();
        assert_eq!(from_counts(&counted, year, &settings), from_counts(&one_by_one, year, &settings));
        // Every wait, as a median of them reads them.
        let mut waits = 0;
        for m in measures() {
            let sorted = |e: &Events| {
                let Ok(mut days) = e.days(m);
                days.sort_by(|a, b| a.partial_cmp(b).unwrap());
                days
            };
            assert_eq!(sorted(&counted), sorted(&one_by_one), "{}", m.key);
            waits += sorted(&one_by_one).len();
        }
        assert!(waits > 50, "waits to compare: {waits}");
        let months: Vec<Period> = year
            .buckets_of(Grain::Month)
            .iter()
            .map(|start| Period { from: (*start).max(year.from), to: (Grain::Month.next(*start) - Duration::days(1)).min(year.to) })
            .collect();
        for ((month, counted), one_by_one) in months.iter().zip(counted.cut_into(&months)).zip(one_by_one.cut_into(&months)) {
            assert_eq!(from_counts(&counted, *month, &settings), from_counts(&one_by_one, *month, &settings), "{}", month.from);
        }
    }

    /// A row counted by day stands for as many events as it counts: in a trend, a breakdown
    /// and a median wait alike.
    #[test]
    fn a_counted_row_stands_for_its_count_of_events() {
        let year = year();
        let row = |at: &str, part: Option<&str>, days: Option<f64>, count| Event {
            client_id: None,
            at: at.into(),
            part: part.map(Into::into),
            days,
            count,
        };
        let one_by_one = |e: &Event| vec![Event { count: 1, ..e.clone() }; e.count as usize];
        let counted = Events {
            period: year,
            of: HashMap::from([
                (
                    custody::TESTS.key,
                    vec![row("2026-03-02T10:00:00Z", Some("theft"), None, 3), row("2026-05-02T23:00:00Z", Some("theft"), None, 1)],
                ),
                (treatment::WAIT_CJ.key, vec![row("2026-03-02", None, Some(4.0), 3), row("2026-03-09", None, Some(30.0), 2)]),
            ]),
        };
        let listed = Events { period: year, of: counted.of.iter().map(|(k, v)| (*k, v.iter().flat_map(one_by_one).collect())).collect() };
        let Ok(by_part) = counted.by_part(&custody::TESTS);
        assert_eq!(by_part, BTreeMap::from([("theft".to_string(), 4)]));
        let Ok(waits) = counted.days(&treatment::WAIT_CJ);
        assert_eq!(waits.iter().filter(|(_, d)| *d == 4.0).count(), 3, "{waits:?}");
        let settings = TeamSettings::default();
        assert_eq!(from_counts(&counted, year, &settings), from_counts(&listed, year, &settings));
    }

    /// The hub makes a month's figures from the year's events where a measure allows: those
    /// events cut to the month (its part and days too) are the month's own, read for it, for
    /// every month of the year including the part-months at either end. First tests are read
    /// again, and cutting would get them wrong.
    #[test]
    fn a_months_events_are_the_years_cut_to_it_where_the_measure_allows() {
        let (_dir, session, now, _) = team_with_a_year();
        let year = year();
        let reader = Reader::new(session.store().reader(), year, now, Whose::Team).unwrap();
        let whole = Events { period: year, of: measures().into_iter().map(|m| (m.key, read_events(&reader, m, year))).collect() };
        let mut months = Vec::new();
        let mut from = year.from;
        while from <= year.to {
            let next_month = from.with_day(1).unwrap().checked_add_months(chrono::Months::new(1)).unwrap();
            months.push(Period { from, to: (next_month - Duration::days(1)).min(year.to) });
            from = next_month;
        }
        assert_eq!((months.len(), months[0].to.day(), months[12].to.day()), (13, 30, 23), "two part-months and eleven whole");
        let (mut cut_events, mut first_tests_differ) = (0, false);
        for (part, cut) in months.iter().copied().zip(whole.cut_into(&months)) {
            for m in measures() {
                let own = read_events(&reader, m, part);
                match cut.of.get(m.key) {
                    Some(events) => {
                        let mut events = events.clone();
                        events.sort_by(|a, b| (&a.client_id, &a.at, &a.part).cmp(&(&b.client_id, &b.at, &b.part)));
                        assert_eq!(events, own, "{} in {}", m.key, part.from);
                        cut_events += own.len();
                    }
                    None => assert!(!m.cut_from_longer(), "{}", m.key),
                }
                if m.key == "rearrest.cohort" {
                    let naive: Vec<&Event> =
                        whole.of(m).iter().filter(|e| m.moment.day_of(&e.at).is_some_and(|d| part.from <= d && d <= part.to)).collect();
                    first_tests_differ |= naive.len() != own.len();
                }
            }
        }
        assert!(cut_events > 1000, "the months have events to compare: {cut_events}");
        assert!(first_tests_differ, "a month's first tests are not the year's cut to it");
    }
}
