//! A worker's caseload by what needs attention: people with an urgent flag first, then those
//! with one due, then by their next appointment, then by surname. The order comes from one
//! computation of the caseload's statutory flags (the one Today makes) and one indexed read of
//! next appointments, so a caseload of thousands still opens at once; only the page shown
//! reads where each person is.
use super::facts::Facts;
use super::where_now::where_now;
use crate::accounts::settings::TeamSettings;
use crate::appointments::PathwayError;
use crate::calendar::when;
use crate::clients::caseload::PAGE_SIZE;
use crate::clients::search::results;
use crate::clients::{Client, SearchResult};
use crate::flags::{self, RuleKind, Scope, Severity};
use crate::store::record::from_row;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

/// One person on a caseload page, with what needs attention.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseloadPerson {
    pub person: SearchResult,
    /// Where they are now, in a few words: "On a DRR".
    pub stage: String,
    /// The sentence behind it: "On a DRR: 12-month order, next review 2 Dec 2026".
    pub standing: String,
    /// Open statutory flags by severity.
    pub urgent: u32,
    pub due: u32,
    /// The next booked appointment: "2 Dec 2026 at 10:00".
    pub next_appointment: Option<String>,
}

/// A page of a worker's active clients, most in need of attention first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseloadPage {
    /// How many active clients the worker holds.
    pub total: u32,
    pub offset: u32,
    /// How many people a full page holds.
    pub page_size: u32,
    pub people: Vec<CaseloadPerson>,
}

/// What orders one person on the caseload.
#[derive(Debug, Clone, Default)]
struct Attention {
    urgent: u32,
    due: u32,
    next_appointment: Option<DateTime<Utc>>,
    surname: String,
    forenames: String,
}

impl Attention {
    /// Urgent first, then due, then the soonest appointment (none last), then by name.
    fn order(&self) -> (bool, bool, bool, Option<DateTime<Utc>>, &str, &str) {
        (self.urgent == 0, self.due == 0, self.next_appointment.is_none(), self.next_appointment, &self.surname, &self.forenames)
    }
}

/// A worker's active clients from `offset`, most in need of attention first.
pub fn of_worker(
    conn: &Connection,
    worker_id: &str,
    now: DateTime<Utc>,
    settings: &TeamSettings,
    offset: u32,
) -> Result<CaseloadPage, PathwayError> {
    let mut people = caseload_with_next_appointments(conn, worker_id, now)?;
    // Statutory flags only: the whole-case reminders (consent, contact) are on most of a
    // caseload and would bury the deadlines that carry an offence or a breach.
    let open = flags::compute_some(conn, now, settings, &Scope::Worker(worker_id.into()), |r| r.kind == RuleKind::Statutory)?;
    for f in open {
        if let Some(p) = people.get_mut(&f.client_id) {
            match f.severity {
                Severity::Urgent => p.urgent += 1,
                Severity::Due => p.due += 1,
                Severity::Info => {}
            }
        }
    }
    let mut ordered: Vec<(String, Attention)> = people.into_iter().collect();
    ordered.sort_by(|(a_id, a), (b_id, b)| a.order().cmp(&b.order()).then(a_id.cmp(b_id)));
    let total = ordered.len() as u32;
    let page: Vec<(String, Attention)> = ordered.into_iter().skip(offset as usize).take(PAGE_SIZE as usize).collect();
    Ok(CaseloadPage { total, offset, page_size: PAGE_SIZE, people: lines(conn, page, now)? })
}

/// The worker's active clients, each with their next booked appointment (their own or one of a
/// record merged into them), through the appointments' (client, status, time) index.
fn caseload_with_next_appointments(conn: &Connection, worker_id: &str, now: DateTime<Utc>) -> rusqlite::Result<HashMap<String, Attention>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.surname, s.forenames,
                (SELECT min(a.at) FROM appointments a WHERE a.client_id = s.id AND a.status = 'scheduled' AND a.at >= ?2)
         FROM clients s WHERE s.allocated_worker_id = ?1 AND s.status = 'active'
         UNION ALL
         SELECT s.id, s.surname, s.forenames,
                (SELECT min(a.at) FROM appointments a WHERE a.client_id = m.id AND a.status = 'scheduled' AND a.at >= ?2)
         FROM clients s JOIN clients m ON m.merged_into = s.id WHERE s.allocated_worker_id = ?1 AND s.status = 'active'",
    )?;
    let mut people: HashMap<String, Attention> = HashMap::new();
    let rows = stmt.query_map([worker_id, when::sql(now).as_str()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
    })?;
    for row in rows {
        let (id, surname, forenames, next) = row?;
        let next = next.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc));
        let p = people.entry(id).or_insert_with(|| Attention { surname, forenames, ..Default::default() });
        p.next_appointment = match (p.next_appointment, next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(people)
}

/// The page's people as the list shows them, with where each is now.
fn lines(conn: &Connection, page: Vec<(String, Attention)>, now: DateTime<Utc>) -> Result<Vec<CaseloadPerson>, PathwayError> {
    let mut stmt = conn.prepare_cached("SELECT * FROM clients WHERE id = ?1")?;
    let mut clients: Vec<Client> = Vec::with_capacity(page.len());
    for (id, _) in &page {
        clients.push(stmt.query_row([id], from_row)?);
    }
    let found = results(conn, clients, now)?;
    let mut out = Vec::with_capacity(page.len());
    for (person, (id, a)) in found.into_iter().zip(page) {
        let standing = where_now(&Facts::read(conn, &id, now)?);
        out.push(CaseloadPerson {
            person,
            stage: standing.at.label().into(),
            standing: standing.words,
            urgent: a.urgent,
            due: a.due,
            next_appointment: a.next_appointment.map(when::display),
        });
    }
    Ok(out)
}
