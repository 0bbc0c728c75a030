//! The record at a glance: where a person is on the pathway now, what is booked next, what is
//! due next and who follows them up, so a worker need not scroll a record to find out. It sits
//! above the stages, as `stages.rs` does: it reads every stage through its own queries and
//! reuses the flags for deadlines; no stage imports it.
pub mod caseload;
mod facts;
mod sections;
mod where_now;

use crate::accounts::settings::TeamSettings;
use crate::appointments::PathwayError;
use crate::calendar::when;
use crate::flags::{self, Flag, Severity};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

pub use facts::Facts;
pub use sections::SectionGlance;
pub use where_now::{where_now, Standing, WhereNow};

/// The next booked appointment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NextAppointment {
    pub kind: String,
    pub at: DateTime<Utc>,
    /// London calendar day and 24-hour time.
    pub date: NaiveDate,
    pub time: String,
    pub place: String,
}

/// The most pressing open flag: what must happen, and by when.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NextDeadline {
    pub code: String,
    /// The flag's sentence naming the facts.
    pub what: String,
    /// What clears it.
    pub action: String,
    pub due: NaiveDate,
    pub severity: Severity,
    pub severity_label: String,
    /// The due date has passed.
    pub overdue: bool,
}

/// How many open flags the person has, by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct FlagCounts {
    pub urgent: u32,
    pub due: u32,
    pub info: u32,
}

/// A person's record at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Glance {
    pub client_id: String,
    pub where_now: WhereNow,
    /// "On a DRR"
    pub where_label: String,
    /// "On a DRR: 12-month order, next review 2 Dec 2026"
    pub standing: String,
    pub next_appointment: Option<NextAppointment>,
    pub next_deadline: Option<NextDeadline>,
    pub flags: FlagCounts,
    /// The worker the person is allocated to.
    pub allocated_worker: Option<String>,
    /// What each stage's section of the record holds, in the record's order.
    pub sections: Vec<SectionGlance>,
}

/// A person's record at a glance at `now`.
pub fn for_client(conn: &Connection, client_id: &str, now: DateTime<Utc>, settings: &TeamSettings) -> Result<Glance, PathwayError> {
    let facts = Facts::read(conn, client_id, now)?;
    let standing = where_now(&facts);
    let open = flags::for_client(conn, now, settings, client_id)?;
    Ok(Glance {
        client_id: client_id.to_string(),
        where_label: standing.at.label().into(),
        sections: sections::all(&facts, standing.at),
        where_now: standing.at,
        standing: standing.words,
        next_appointment: next_appointment(conn, &facts.family, now)?,
        next_deadline: next_deadline(&open, facts.today),
        flags: counts(&open),
        allocated_worker: allocated_worker(conn, &facts)?,
    })
}

/// The first appointment still booked from now, of the person or any record merged into them.
pub fn next_appointment(conn: &Connection, family: &[String], now: DateTime<Utc>) -> rusqlite::Result<Option<NextAppointment>> {
    let from = when::sql(now);
    let mut stmt = conn.prepare_cached(
        "SELECT kind, at, place FROM appointments WHERE client_id = ?1 AND status = 'scheduled' AND at >= ?2 ORDER BY at LIMIT 1",
    )?;
    let mut next: Option<NextAppointment> = None;
    for id in family {
        let found = stmt
            .query_row([id.as_str(), from.as_str()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .optional()?;
        let Some((kind, at, place)) = found else { continue };
        let Ok(at) = DateTime::parse_from_rfc3339(&at).map(|t| t.with_timezone(&Utc)) else { continue };
        if next.as_ref().is_none_or(|n| at < n.at) {
            next = Some(NextAppointment { kind, at, date: when::london_date(at), time: when::london_time(at), place });
        }
    }
    Ok(next)
}

/// The flag a worker must act on first: statutory deadlines before whole-case reminders, each
/// most pressing first (the flags' own order).
fn next_deadline(open: &[Flag], today: NaiveDate) -> Option<NextDeadline> {
    let statutory = |f: &&Flag| flags::rule(&f.code).is_none_or(|r| r.kind == flags::RuleKind::Statutory);
    let first = open.iter().find(statutory).or_else(|| open.first())?;
    Some(NextDeadline {
        code: first.code.clone(),
        what: first.sentence.clone(),
        action: first.action.clone(),
        due: first.due,
        severity: first.severity,
        severity_label: first.severity_label.clone(),
        overdue: first.due < today,
    })
}

fn counts(open: &[Flag]) -> FlagCounts {
    let mut c = FlagCounts::default();
    for f in open {
        match f.severity {
            Severity::Urgent => c.urgent += 1,
            Severity::Due => c.due += 1,
            Severity::Info => c.info += 1,
        }
    }
    c
}

fn allocated_worker(conn: &Connection, facts: &Facts) -> rusqlite::Result<Option<String>> {
    facts.client.allocated_worker_id.as_deref().map(|w| crate::clients::worker_name(conn, w)).transpose()
}
