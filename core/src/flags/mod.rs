//! Flags: what must happen next (domain.md "Flags"). Computed from the records whenever they
//! are asked for and never stored, so they cannot go stale. Each rule is one small function
//! in an area's list below; a later stage (DRR, prison) adds its own list to [`REGISTRY`]
//! without touching the engine. Where a rule would otherwise walk years of settled history,
//! it reads a small table the write transaction keeps (`case_activity`, `assessments_to_book`:
//! migrations/0004), whose equality with the records a property test holds.
pub mod board;
pub(crate) mod casework;
mod court;
mod custody;
mod drr;
mod prison;
pub mod today;

use crate::accounts::settings::TeamSettings;
use crate::calendar::when;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Urgent,
    Due,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Urgent => "Urgent",
            Severity::Due => "Due",
            Severity::Info => "For information",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Flag {
    /// The rule code of domain.md: "CUS-FAIL-ATTEND".
    pub code: String,
    pub severity: Severity,
    /// The severity in words, so colour is never the only signal.
    pub severity_label: String,
    pub client_id: String,
    pub client_name: String,
    pub due: NaiveDate,
    /// A plain-English sentence naming the facts that raised it.
    pub sentence: String,
    /// What clears it.
    pub action: String,
    /// The record it is about ("client" for whole-case flags).
    pub record_type: String,
    pub record_id: String,
    /// The worker the client is allocated to, if any.
    pub worker_id: Option<String>,
}

/// Whose flags are wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Client(String),
    /// The active clients allocated to a worker.
    Worker(String),
    Everyone,
}

/// What a rule sees: the database, "now", the team's thresholds and the scope.
pub struct Context<'a> {
    pub conn: &'a Connection,
    pub now: DateTime<Utc>,
    /// Today in London.
    pub today: NaiveDate,
    pub settings: &'a TeamSettings,
    pub scope: &'a Scope,
    /// Whether the scope is a caseload large enough that a whole-case rule reads its partial
    /// index whole rather than each person's row ([`SCANNED_FROM`]).
    scans_rule_indexes: bool,
}

/// A caseload of this many people or more reads a whole-case rule's partial index (the few
/// thousand flagged across the team) whole and tests each entry against the caseload; a
/// smaller one, as every real caseload is (a few dozen people), probes each person's row.
/// Counted cold, as Today reads (a reading's pages let go of after each read): probing costs
/// about a page per person, scattered across `case_activity`, while the team's index is one
/// run of pages (about a page per sixty flagged). So at 100,000 clients the two cost the same
/// near two hundred people, and in a smaller team sooner; at 2,000 (the pathway bench's
/// caseloads) probing read 1,900 pages a rule (20 ms) and the index 300-400 (5-6 ms).
pub(crate) const SCANNED_FROM: usize = 500;

/// What a rule is about, which decides where a worker sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A deadline with legal consequences (an offence, a breach, a court's order): listed
    /// one by one, first.
    Statutory,
    /// Good casework about the whole case (consent, keeping in contact): summarised per rule
    /// with a count, after the statutory flags.
    WholeCase,
}

/// One rule: its code, its kind and the function that finds its flags.
pub struct Rule {
    pub code: &'static str,
    /// What it is about, in a few words, where a screen lists the rules.
    pub title: &'static str,
    pub kind: RuleKind,
    pub check: fn(&Context<'_>) -> rusqlite::Result<Vec<Flag>>,
}

/// Every rule, by area.
pub const REGISTRY: &[&[Rule]] = &[custody::RULES, court::RULES, drr::RULES, prison::RULES, casework::RULES];

/// The codes of every rule, in registry order.
pub fn codes() -> Vec<&'static str> {
    rules().map(|r| r.code).collect()
}

/// Columns every record-driven rule selects first: the client the flag belongs to (the
/// survivor when the record's client was merged) and their name.
pub(crate) const CLIENT_COLUMNS: &str =
    "c.id AS client_id, c.forenames || ' ' || c.surname AS client_name, c.allocated_worker_id AS client_worker_id";

/// Joins a pathway record `x` to its client `c`. CROSS JOIN keeps SQLite driving from the
/// record: for everyone from the rule's (partial) index, for a worker or one client through
/// `{records}`, which probes the record's client-keyed index once per client in scope.
pub(crate) const CLIENT_JOIN: &str = "CROSS JOIN clients m ON m.id = x.client_id
     CROSS JOIN clients c ON c.id = (CASE WHEN m.status = 'merged' THEN m.merged_into ELSE m.id END)";

/// Resolves a worker's or a client's scope once per computation into `temp.flag_scope`:
/// every client record whose records count (the clients themselves and any record merged
/// into them). Rules then start from these few hundred ids instead of testing every record
/// in the database for membership. Only ids go in (the temp store is in memory).
fn resolve_scope(conn: &Connection, scope: &Scope) -> rusqlite::Result<usize> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS flag_scope (member_id TEXT PRIMARY KEY) WITHOUT ROWID;
         DELETE FROM temp.flag_scope;",
    )?;
    let sql = match scope {
        Scope::Everyone => return Ok(0),
        Scope::Client(_) => {
            "INSERT OR IGNORE INTO temp.flag_scope SELECT :scope UNION ALL SELECT id FROM clients WHERE merged_into = :scope"
        }
        Scope::Worker(_) => {
            "INSERT OR IGNORE INTO temp.flag_scope
             SELECT id FROM clients WHERE allocated_worker_id = :scope AND status = 'active'
             UNION ALL SELECT mm.id FROM clients s JOIN clients mm ON mm.merged_into = s.id
             WHERE s.allocated_worker_id = :scope AND s.status = 'active'"
        }
    };
    conn.prepare_cached(sql)?.execute(named_params! { ":scope": scope.id() })
}

impl Scope {
    fn id(&self) -> Option<&str> {
        match self {
            Scope::Client(id) | Scope::Worker(id) => Some(id),
            Scope::Everyone => None,
        }
    }
}

impl<'a> Context<'a> {
    /// The rules' context, with the scope resolved on `conn`.
    fn resolved(
        conn: &'a Connection,
        now: DateTime<Utc>,
        settings: &'a TeamSettings,
        scope: &'a Scope,
        scanned_from: usize,
    ) -> rusqlite::Result<Context<'a>> {
        let members = resolve_scope(conn, scope)?;
        let scans_rule_indexes = matches!(scope, Scope::Worker(_)) && members >= scanned_from;
        Ok(Context { conn, now, today: when::london_date(now), settings, scope, scans_rule_indexes })
    }

    /// The scope as a filter on a pathway record `x`.
    pub(crate) fn record_filter(&self) -> &'static str {
        match self.scope {
            Scope::Everyone => "1",
            _ => "x.client_id IN temp.flag_scope",
        }
    }

    /// The scope as a filter on the client `c`.
    pub(crate) fn client_filter(&self) -> &'static str {
        match self.scope {
            Scope::Everyone => "1",
            _ => "c.id IN temp.flag_scope",
        }
    }

    /// The scope as a filter on a client's `case_activity` row `ca`. For a large caseload
    /// `+` keeps SQLite from probing `case_activity` once per person, so the rule reads its
    /// partial index and tests each entry against the caseload.
    pub(crate) fn activity_filter(&self) -> &'static str {
        match self.scope {
            Scope::Everyone => "1",
            _ if self.scans_rule_indexes => "+ca.client_id IN temp.flag_scope",
            _ => "ca.client_id IN temp.flag_scope",
        }
    }

    /// The scope as a filter on an `assessments_to_book` row `b`: tested before the record
    /// it names is read, so only the scope's records are.
    pub(crate) fn to_book_filter(&self) -> &'static str {
        match self.scope {
            Scope::Everyone => "1",
            _ => "b.client_id IN temp.flag_scope",
        }
    }

    /// Runs a rule's query. `sql` may use `{records}` / `{clients}` / `{activity}` /
    /// `{to_book}` for the scope filters, `{client_join}` and `{client_columns}`, and `:a`,
    /// `:b` for the rule's own values.
    pub(crate) fn rows(
        &self,
        sql: &str,
        a: &str,
        b: &str,
        mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<Flag>,
    ) -> rusqlite::Result<Vec<Flag>> {
        let sql = sql
            .replace("{records}", self.record_filter())
            .replace("{clients}", self.client_filter())
            .replace("{activity}", self.activity_filter())
            .replace("{to_book}", self.to_book_filter())
            .replace("{client_join}", CLIENT_JOIN)
            .replace("{client_columns}", CLIENT_COLUMNS);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
        for (name, value) in named_params! { ":a": a, ":b": b } {
            if stmt.parameter_index(name)?.is_some() {
                params.push((name, *value));
            }
        }
        let rows = stmt.query_map(params.as_slice(), |r| {
            let mut flag = map(r)?;
            flag.worker_id = r.get("client_worker_id")?;
            Ok(flag)
        })?;
        rows.collect()
    }
}

/// A flag with the severity label filled in.
#[allow(clippy::too_many_arguments)]
pub(crate) fn flag(
    code: &str,
    severity: Severity,
    client_id: String,
    client_name: String,
    due: NaiveDate,
    sentence: String,
    action: &str,
    record: (&str, String),
) -> Flag {
    Flag {
        code: code.into(),
        severity,
        severity_label: severity.label().into(),
        client_id,
        client_name,
        due,
        sentence,
        action: action.into(),
        record_type: record.0.into(),
        record_id: record.1,
        worker_id: None,
    }
}

/// Due until the due date has passed, then urgent.
pub(crate) fn due_then_urgent(today: NaiveDate, due: NaiveDate) -> Severity {
    if today > due {
        Severity::Urgent
    } else {
        Severity::Due
    }
}

/// Reads a stored instant column.
pub(crate) fn instant(row: &Row<'_>, column: &str) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(column)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// The one order of flags everywhere: most severe first, then soonest due.
pub fn most_pressing_first(a: &Flag, b: &Flag) -> std::cmp::Ordering {
    a.severity
        .cmp(&b.severity)
        .then(a.due.cmp(&b.due))
        .then(a.client_name.cmp(&b.client_name))
        .then(a.code.cmp(&b.code))
        .then(a.record_id.cmp(&b.record_id))
}

/// Every rule, in registry order.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    REGISTRY.iter().flat_map(|area| area.iter())
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    rules().find(|r| r.code == code)
}

/// The open flags in the scope raised by the rules `wanted` picks, most pressing first.
pub fn compute_some(
    conn: &Connection,
    now: DateTime<Utc>,
    settings: &TeamSettings,
    scope: &Scope,
    wanted: impl Fn(&Rule) -> bool,
) -> rusqlite::Result<Vec<Flag>> {
    compute_scanning_from(conn, now, settings, scope, wanted, SCANNED_FROM)
}

fn compute_scanning_from(
    conn: &Connection,
    now: DateTime<Utc>,
    settings: &TeamSettings,
    scope: &Scope,
    wanted: impl Fn(&Rule) -> bool,
    scanned_from: usize,
) -> rusqlite::Result<Vec<Flag>> {
    let ctx = Context::resolved(conn, now, settings, scope, scanned_from)?;
    let mut flags = Vec::new();
    for rule in rules().filter(|r| wanted(r)) {
        flags.extend((rule.check)(&ctx)?);
    }
    flags.sort_by(most_pressing_first);
    Ok(flags)
}

/// As [`compute`], with the rules shared out among `connections` (see [`crate::store::shared`]):
/// for a scope as large as everyone's, where the rules' time adds up.
pub fn compute_shared(
    connections: &mut [&mut Connection],
    now: DateTime<Utc>,
    settings: &TeamSettings,
    scope: &Scope,
) -> rusqlite::Result<Vec<Flag>> {
    let all: Vec<&'static Rule> = rules().collect();
    let found = crate::store::shared::share_out(connections, all.len(), |conn, next| {
        let ctx = Context::resolved(conn, now, settings, scope, SCANNED_FROM)?;
        let mut mine = Vec::new();
        while let Some(i) = next() {
            mine.push((i, (all[i].check)(&ctx)?));
        }
        Ok::<_, rusqlite::Error>(mine)
    })?;
    let mut flags: Vec<Flag> = found.into_iter().flatten().collect();
    flags.sort_by(most_pressing_first);
    Ok(flags)
}

/// Every open flag in the scope, most pressing first.
pub fn compute(conn: &Connection, now: DateTime<Utc>, settings: &TeamSettings, scope: &Scope) -> rusqlite::Result<Vec<Flag>> {
    compute_some(conn, now, settings, scope, |_| true)
}

pub fn for_client(conn: &Connection, now: DateTime<Utc>, settings: &TeamSettings, client_id: &str) -> rusqlite::Result<Vec<Flag>> {
    compute(conn, now, settings, &Scope::Client(client_id.into()))
}

pub fn for_worker(conn: &Connection, now: DateTime<Utc>, settings: &TeamSettings, worker_id: &str) -> rusqlite::Result<Vec<Flag>> {
    compute(conn, now, settings, &Scope::Worker(worker_id.into()))
}

pub fn for_everyone(conn: &Connection, now: DateTime<Utc>, settings: &TeamSettings) -> rusqlite::Result<Vec<Flag>> {
    compute(conn, now, settings, &Scope::Everyone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Installation;
    use crate::clock::{Clock, FixedClock};

    /// A caseload's flags are the same whether its whole-case rules probe each person's row or
    /// read the rule's index whole, and they are everyone's flags on that caseload, as Today
    /// counts them.
    #[test]
    fn a_caseload_finds_everyones_flags_on_it_by_probing_or_scanning() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-11-23T11:00:00Z"));
        crate::demo::create_installation(dir.path(), clock.clone(), 2026, 400).unwrap();
        let mut lead = Installation::new(dir.path(), clock.clone()).sign_in("lead", crate::demo::DEMO_PASSWORD).unwrap();
        // Today reads on two readings, as the app does.
        let (mut first, mut second) = (lead.start_reading().unwrap(), lead.start_reading().unwrap());
        let (conn, now, settings) = (lead.store().reader(), clock.now(), lead.team_settings());
        let everyone = for_everyone(conn, now, &settings).unwrap();
        for worker in lead.list_workers().unwrap() {
            let scope = Scope::Worker(worker.id.clone());
            let probed = compute_scanning_from(conn, now, &settings, &scope, |_| true, usize::MAX).unwrap();
            let scanned = compute_scanning_from(conn, now, &settings, &scope, |_| true, 0).unwrap();
            assert_eq!(scanned, probed, "{}", worker.display_name);
            let theirs: Vec<&Flag> = everyone.iter().filter(|f| f.worker_id.as_deref() == Some(worker.id.as_str())).collect();
            assert_eq!(probed.iter().collect::<Vec<_>>(), theirs, "{}", worker.display_name);
            let statutory = theirs.iter().filter(|f| rule(&f.code).is_some_and(|r| r.kind == RuleKind::Statutory)).count();
            let both = &mut [first.store_mut().reader_mut(), second.store_mut().reader_mut()];
            let today = today::for_worker_today(both, now, &settings, &worker.id).unwrap();
            assert_eq!(today.flags_total as usize, statutory, "{}'s Today", worker.display_name);
            assert!(today.flags.iter().all(|f| theirs.contains(&f)), "{}'s Today shows their own flags", worker.display_name);
        }
        assert!(everyone.iter().any(|f| f.code == "CONSENT-MISSING") && everyone.iter().any(|f| f.code == "CASE-NO-CONTACT"));
    }
}
