//! A worker's Today: their appointments on today's London date, then their caseload's
//! statutory flags (most severe first, then soonest due), then one line per whole-case rule.
use super::board::{board, FlagSummary, Whose};
use super::{compute_shared, Flag, Scope};
use crate::accounts::settings::TeamSettings;
use crate::appointments::{self, DayAppointment};
use crate::calendar::when;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Today {
    /// Today's London date.
    pub date: NaiveDate,
    /// The day's first [`APPOINTMENTS_SHOWN`] appointments, in time order; the rest on asking.
    pub appointments: Vec<DayAppointment>,
    /// How many appointments the worker has today in all.
    pub appointments_total: u32,
    /// The caseload's most pressing statutory flags (at most [`FLAGS_SHOWN`]), most severe
    /// first, then soonest due; the rest a page at a time from the flags list.
    pub flags: Vec<Flag>,
    /// How many statutory flags the caseload has in all.
    pub flags_total: u32,
    /// The caseload's whole-case flags, one line per rule, each opening its list.
    pub summaries: Vec<FlagSummary>,
}

/// How many of the caseload's statutory flags Today shows: the most pressing, at once.
pub const FLAGS_SHOWN: usize = 50;

/// How many of the day's appointments Today reads at once: a worker's whole day, and the start
/// of a team lead's, whose day can run to thousands.
pub const APPOINTMENTS_SHOWN: u32 = 50;

/// The worker's Today, the caseload's rules shared out among `connections` (at least one): the
/// app gives `store::shared::FOR_TODAY`, as a caseload can be thousands of people (at bench
/// scale a worker holds 17,000, whose rules took 150 ms on one core and 108 on two).
pub fn for_worker_today(
    connections: &mut [&mut Connection],
    now: DateTime<Utc>,
    settings: &TeamSettings,
    worker_id: &str,
) -> rusqlite::Result<Today> {
    let date = when::london_date(now);
    let mut flags = board(compute_shared(connections, now, settings, &Scope::Worker(worker_id.into()))?, Whose::Mine);
    let conn: &Connection = connections.first().expect("Today is read on at least one connection");
    let flags_total = flags.statutory.len() as u32;
    flags.statutory.truncate(FLAGS_SHOWN);
    Ok(Today {
        date,
        appointments: appointments::of_worker_on(conn, worker_id, date, Some(APPOINTMENTS_SHOWN))?,
        appointments_total: appointments::count_of_worker_on(conn, worker_id, date)?,
        flags: flags.statutory,
        flags_total,
        summaries: flags.whole_case,
    })
}
