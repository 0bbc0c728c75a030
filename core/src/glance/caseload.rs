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
    let mut people = caseload_with_next_appointments(conn, worker_id, now, flags::SCANNED_FROM)?;
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
/// record merged into them). A caseload of [`flags::SCANNED_FROM`] or more reads the team's
/// booked appointments from now whole, from their partial index (one run of pages: 564 at
/// 100,000 clients), rather than probing each person's (a page or more each, scattered: 4,000
/// pages and 450 ms of a 17,000-person caseload's first opening with the file cache cold).
fn caseload_with_next_appointments(
    conn: &Connection,
    worker_id: &str,
    now: DateTime<Utc>,
    scanned_from: usize,
) -> rusqlite::Result<HashMap<String, Attention>> {
    let mut people: HashMap<String, Attention> = HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT id, surname, forenames FROM clients WHERE allocated_worker_id = ?1 AND status = 'active'")?;
    for row in stmt.query_map([worker_id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))? {
        let (id, surname, forenames) = row?;
        people.insert(id, Attention { surname, forenames, ..Default::default() });
    }
    // Each record merged into someone on the caseload, with whom it now is.
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, s.id FROM clients s JOIN clients m ON m.merged_into = s.id WHERE s.allocated_worker_id = ?1 AND s.status = 'active'",
    )?;
    let merged: HashMap<String, String> = stmt.query_map([worker_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;

    let from = when::sql(now);
    let scanning = people.len() >= scanned_from;
    let probed: Vec<String> = if scanning { Vec::new() } else { people.keys().chain(merged.keys()).cloned().collect() };
    // Each booked appointment kept as its person's next if it is sooner; only those on the
    // caseload are read as times.
    let mut keep = |client_id: &str, at: &str| {
        let whose = merged.get(client_id).map_or(client_id, String::as_str);
        if let Some(p) = people.get_mut(whose) {
            if let Ok(at) = DateTime::parse_from_rfc3339(at) {
                let at = at.with_timezone(&Utc);
                p.next_appointment = Some(p.next_appointment.map_or(at, |soonest| soonest.min(at)));
            }
        }
    };
    if scanning {
        let mut stmt = conn.prepare_cached("SELECT client_id, at FROM appointments WHERE status = 'scheduled' AND at >= ?1")?;
        let mut rows = stmt.query([from.as_str()])?;
        while let Some(r) = rows.next()? {
            keep(r.get_ref(0)?.as_str()?, r.get_ref(1)?.as_str()?);
        }
    } else {
        let mut stmt =
            conn.prepare_cached("SELECT min(at) FROM appointments WHERE client_id = ?1 AND status = 'scheduled' AND at >= ?2")?;
        for id in probed {
            if let Some(at) = stmt.query_row([id.as_str(), from.as_str()], |r| r.get::<_, Option<String>>(0))? {
                keep(&id, &at);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Installation;
    use crate::clock::{Clock, FixedClock};

    /// Each person's next appointment is the same whether it is read person by person or from
    /// the team's booked appointments whole, and a record merged into someone brings theirs.
    #[test]
    fn next_appointments_are_the_same_probed_or_read_whole_and_follow_a_merge() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-11-23T11:00:00Z"));
        crate::demo::create_installation(dir.path(), clock.clone(), 2026, 400).unwrap();
        let mut lead = Installation::new(dir.path(), clock.clone()).sign_in("lead", crate::demo::DEMO_PASSWORD).unwrap();
        let now = clock.now();
        let next = |conn: &Connection, worker: &str, scanned_from: usize| -> Vec<(String, Option<DateTime<Utc>>)> {
            let mut people: Vec<_> = caseload_with_next_appointments(conn, worker, now, scanned_from)
                .unwrap()
                .into_iter()
                .map(|(id, a)| (id, a.next_appointment))
                .collect();
            people.sort();
            people
        };

        // Someone with no appointment to come takes in the record of someone else who has one.
        let conn = lead.store().reader();
        let (survivor, worker): (String, String) = conn
            .query_row(
                "SELECT id, allocated_worker_id FROM clients c WHERE status = 'active' AND allocated_worker_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.client_id = c.id AND a.status = 'scheduled' AND a.at >= ?1) LIMIT 1",
                [when::sql(now)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let (other, booked): (String, String) = conn
            .query_row(
                "SELECT a.client_id, min(a.at) FROM appointments a JOIN clients c ON c.id = a.client_id
                 WHERE a.status = 'scheduled' AND a.at >= ?1 AND c.status = 'active' AND c.allocated_worker_id <> ?2
                 GROUP BY a.client_id LIMIT 1",
                [when::sql(now), worker.clone()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let actor = lead.actor();
        crate::clients::merge::merge(lead.store_mut(), &actor, &survivor, &other, "Same person: PNC matched").unwrap();

        let conn = lead.store().reader();
        let mut seen_booked = 0;
        for w in lead.list_workers().unwrap() {
            let probed = next(conn, &w.id, usize::MAX);
            assert_eq!(next(conn, &w.id, 0), probed, "{}", w.display_name);
            seen_booked += probed.iter().filter(|(_, at)| at.is_some()).count();
        }
        assert!(seen_booked > 50, "the demo books appointments to come: {seen_booked}");
        let theirs = next(conn, &worker, 0).into_iter().find(|(id, _)| *id == survivor).unwrap().1;
        assert_eq!(theirs.map(when::sql), Some(booked), "the merged record's appointment is the survivor's next");
    }
}
