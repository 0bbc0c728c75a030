//! Coming releases: everyone still in prison with an expected release up to some days ahead
//! (and anyone whose expected date has passed with no release recorded), soonest first, with
//! what is not yet in place for each.
use super::{first_appointments, missing, plan_of, Continuity, CUSTODY_TYPES};
use crate::appointments::AppointmentStatus;
use crate::calendar::when;
use crate::clients::family;
use crate::reference;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ComingRelease {
    pub spell_id: String,
    pub client_id: String,
    pub client_name: String,
    pub prison: String,
    pub custody_type_label: String,
    pub expected_release_on: NaiveDate,
    /// Days from today; negative when the date has passed with no release recorded.
    #[ts(type = "number")]
    pub days_until: i64,
    pub allocated_worker: Option<String>,
    pub plan_recorded: bool,
    /// "3 Dec 2026 at 10:00, Westbridge Recovery Hub", when booked.
    pub first_appointment: Option<String>,
    /// What is not yet in place, in words; empty when everything is.
    pub missing: Vec<String>,
}

/// An open spell's expected release as read, before what is missing is worked out.
struct Expected {
    spell_id: String,
    prison: String,
    custody_type: String,
    on: NaiveDate,
    client_id: String,
    client_name: String,
    allocated: Option<String>,
}

/// Expected releases up to `days` ahead of today (London), soonest first; with `worker`, only
/// the clients allocated to that worker.
pub fn coming(conn: &Connection, now: DateTime<Utc>, days: u32, worker: Option<&str>) -> rusqlite::Result<Vec<ComingRelease>> {
    let today = when::london_date(now);
    let until = today + Duration::days(i64::from(days));
    let mut stmt = conn.prepare_cached(
        "SELECT x.id, x.prison, x.custody_type, x.expected_release_on, c.id AS client_id,
                c.forenames || ' ' || c.surname AS client_name, c.allocated_worker_id
         FROM prison_spells x
         CROSS JOIN clients m ON m.id = x.client_id
         CROSS JOIN clients c ON c.id = (CASE WHEN m.status = 'merged' THEN m.merged_into ELSE m.id END)
         WHERE x.released_on IS NULL AND x.expected_release_on IS NOT NULL AND x.expected_release_on <= ?1
           AND c.status = 'active' AND (?2 IS NULL OR c.allocated_worker_id = ?2)
         ORDER BY x.expected_release_on, client_name",
    )?;
    let until_text = until.to_string();
    let rows: Vec<Expected> = stmt
        .query_map(rusqlite::params![until_text, worker], |r| {
            Ok(Expected {
                spell_id: r.get("id")?,
                prison: r.get("prison")?,
                custody_type: r.get("custody_type")?,
                on: r.get("expected_release_on")?,
                client_id: r.get("client_id")?,
                client_name: r.get("client_name")?,
                allocated: r.get("allocated_worker_id")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        let plan = plan_of(conn, &e.spell_id)?;
        let booked = first_appointments(conn, &e.spell_id)?;
        let first = booked.iter().find(|a| matches!(a.status, AppointmentStatus::Scheduled | AppointmentStatus::Attended));
        out.push(ComingRelease {
            custody_type_label: reference::label(CUSTODY_TYPES, &e.custody_type),
            days_until: (e.on - today).num_days(),
            allocated_worker: e.allocated.as_deref().map(|w| crate::clients::worker_name(conn, w)).transpose()?,
            plan_recorded: plan.is_some(),
            first_appointment: first.map(|a| format!("{}, {}", when::display(a.at), a.place)),
            missing: missing(plan.as_ref(), &booked),
            spell_id: e.spell_id,
            client_id: e.client_id,
            client_name: e.client_name,
            prison: e.prison,
            expected_release_on: e.on,
        });
    }
    Ok(out)
}

/// Releases expected in the seven days from today (for Today), overdue ones included.
pub fn this_week(conn: &Connection, now: DateTime<Utc>, worker: Option<&str>) -> rusqlite::Result<Vec<ComingRelease>> {
    coming(conn, now, 6, worker)
}

/// How the releases of a recent period fared against the three-week ambition (003: 75% of
/// releases in community treatment within 21 days).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContinuityRate {
    /// The period's first day (London); it runs to today.
    pub since: NaiveDate,
    pub releases: u32,
    /// In community treatment within 21 days.
    pub within: u32,
    /// Treatment started after day 21, or not at all by then.
    pub not_within: u32,
    /// Still inside the 21 days with no treatment start.
    pub open: u32,
    /// `within` as a whole percentage of the releases with a result; none when none has one.
    pub percent_within: Option<u32>,
}

/// The continuity-of-care results of every release in the last `days` days.
pub fn continuity_rate(conn: &Connection, now: DateTime<Utc>, days: u32) -> rusqlite::Result<ContinuityRate> {
    let today = when::london_date(now);
    let since = today - Duration::days(i64::from(days));
    let mut stmt = conn.prepare_cached(
        "SELECT x.released_on, c.id
         FROM prison_spells x
         CROSS JOIN clients m ON m.id = x.client_id
         CROSS JOIN clients c ON c.id = (CASE WHEN m.status = 'merged' THEN m.merged_into ELSE m.id END)
         WHERE x.released_on IS NOT NULL AND x.released_on >= ?1 AND x.released_on <= ?2",
    )?;
    let rows: Vec<(NaiveDate, String)> =
        stmt.query_map([since.to_string(), today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut rate = ContinuityRate { since, releases: 0, within: 0, not_within: 0, open: 0, percent_within: None };
    for (released_on, client_id) in rows {
        let episodes = super::treatment::episodes_of(conn, &family(conn, &client_id)?)?;
        rate.releases += 1;
        match super::continuity::result(released_on, &episodes, today).result {
            Continuity::Within => rate.within += 1,
            Continuity::Outside | Continuity::NotStarted => rate.not_within += 1,
            Continuity::Open => rate.open += 1,
        }
    }
    let decided = rate.within + rate.not_within;
    rate.percent_within = (decided > 0).then(|| (rate.within * 100 + decided / 2) / decided);
    Ok(rate)
}
