//! A worker's Today: their appointments on today's London date and their caseload's open
//! flags, soonest due first.
use super::{for_worker, Flag};
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
    pub appointments: Vec<DayAppointment>,
    /// The open flags of the worker's caseload, soonest due first (most severe first on a day).
    pub flags: Vec<Flag>,
}

pub fn for_worker_today(conn: &Connection, now: DateTime<Utc>, settings: &TeamSettings, worker_id: &str) -> rusqlite::Result<Today> {
    let date = when::london_date(now);
    let mut flags = for_worker(conn, now, settings, worker_id)?;
    flags.sort_by(|a, b| a.due.cmp(&b.due).then(a.severity.cmp(&b.severity)).then(a.client_name.cmp(&b.client_name)));
    Ok(Today { date, appointments: appointments::of_worker_on(conn, worker_id, date)?, flags })
}
