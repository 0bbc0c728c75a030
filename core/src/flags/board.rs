//! Flags as a screen shows them. A worker's statutory flags come one by one, most pressing
//! first; whole-case flags (consent, contact) come as one line per rule with a count that
//! opens the list. A team lead sees counts by rule, severity and worker with the oldest
//! flag of each, and opens any count as a list a page at a time: no screen receives tens of
//! thousands of flags.
use super::{compute_shared, compute_some, rule, Flag, RuleKind, Scope, Severity};
use crate::accounts::settings::TeamSettings;
use crate::accounts::workers;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;
use ts_rs::TS;

/// How many flags one page of a list holds.
pub const PAGE_SIZE: usize = 50;

/// One whole-case rule summarised: "12 of your clients have no current consent to share."
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FlagSummary {
    pub code: String,
    pub severity: Severity,
    pub severity_label: String,
    pub count: u32,
    pub words: String,
    /// The earliest due date among them.
    pub oldest_due: NaiveDate,
}

/// A caseload's flags as Today shows them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FlagBoard {
    /// Statutory flags, most severe first, then soonest due.
    pub statutory: Vec<Flag>,
    /// Whole-case flags, one line per rule, in registry order.
    pub whole_case: Vec<FlagSummary>,
}

/// Splits flags (already most pressing first) into the statutory list and whole-case lines.
pub fn board(flags: Vec<Flag>, whose: Whose) -> FlagBoard {
    let mut statutory = Vec::new();
    let mut whole_case: Vec<FlagSummary> = Vec::new();
    for flag in flags {
        let kind = rule(&flag.code).map_or(RuleKind::Statutory, |r| r.kind);
        if kind == RuleKind::Statutory {
            statutory.push(flag);
            continue;
        }
        match whole_case.iter_mut().find(|s| s.code == flag.code) {
            Some(s) => {
                s.count += 1;
                s.oldest_due = s.oldest_due.min(flag.due);
                s.severity = s.severity.min(flag.severity);
            }
            None => whole_case.push(FlagSummary {
                code: flag.code.clone(),
                severity: flag.severity,
                severity_label: String::new(),
                count: 1,
                words: String::new(),
                oldest_due: flag.due,
            }),
        }
    }
    let order: Vec<&str> = super::codes();
    whole_case.sort_by_key(|s| order.iter().position(|c| *c == s.code));
    for s in &mut whole_case {
        s.severity_label = s.severity.label().into();
        s.words = summary(&s.code, s.count, whose);
    }
    FlagBoard { statutory, whole_case }
}

/// Whose clients a summary speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Mine,
    Team,
}

/// The line that sums up a whole-case rule's flags: "12 of your clients have no current
/// consent to share."
fn summary(code: &str, count: u32, whose: Whose) -> String {
    let who = match (whose, count) {
        (Whose::Mine, 1) => "1 of your clients".to_string(),
        (Whose::Mine, n) => format!("{n} of your clients"),
        (Whose::Team, 1) => "1 client".to_string(),
        (Whose::Team, n) => format!("{n} clients"),
    };
    let (has, have) = if count == 1 { ("has", "is") } else { ("have", "are") };
    match code {
        "CONSENT-MISSING" => format!("{who} {has} no current consent to share information."),
        "CASE-NO-CONTACT" => format!("{who} {have} without a recorded contact for longer than the team allows."),
        other => format!("{who} {has} an open {other} flag."),
    }
}

/// Flags counted one way (by rule, or by worker), with the oldest of them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FlagCount {
    /// A rule code, or a worker's id ("" for clients allocated to no one).
    pub key: String,
    /// The rule's title or the worker's name, as the screen shows it.
    pub label: String,
    pub urgent: u32,
    pub due: u32,
    pub info: u32,
    pub total: u32,
    /// The flag due longest ago: the oldest unresolved.
    pub oldest: Flag,
}

impl FlagCount {
    fn new(key: String, label: String, first: &Flag) -> Self {
        FlagCount { key, label, urgent: 0, due: 0, info: 0, total: 0, oldest: first.clone() }
    }

    fn add(&mut self, flag: &Flag) {
        match flag.severity {
            Severity::Urgent => self.urgent += 1,
            Severity::Due => self.due += 1,
            Severity::Info => self.info += 1,
        }
        self.total += 1;
        if (flag.due, flag.severity) < (self.oldest.due, self.oldest.severity) {
            self.oldest = flag.clone();
        }
    }
}

/// The team's open flags counted by rule and by worker.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TeamFlags {
    pub urgent: u32,
    pub due: u32,
    pub info: u32,
    pub total: u32,
    /// One line per rule with open flags, in registry order.
    pub by_rule: Vec<FlagCount>,
    /// One line per worker with open flags, most urgent first; clients allocated to no one last.
    pub by_worker: Vec<FlagCount>,
}

/// Counts the team's open flags, the rules shared out among `connections` (at least one).
pub fn team(connections: &mut [&mut Connection], now: DateTime<Utc>, settings: &TeamSettings) -> rusqlite::Result<TeamFlags> {
    let flags = compute_shared(connections, now, settings, &Scope::Everyone)?;
    let names: BTreeMap<String, String> = workers::all(connections[0])?.into_iter().map(|w| (w.id, w.display_name)).collect();
    let mut by_rule: BTreeMap<String, FlagCount> = BTreeMap::new();
    let mut by_worker: BTreeMap<String, FlagCount> = BTreeMap::new();
    let (mut urgent, mut due, mut info) = (0, 0, 0);
    for flag in &flags {
        match flag.severity {
            Severity::Urgent => urgent += 1,
            Severity::Due => due += 1,
            Severity::Info => info += 1,
        }
        let title = || rule(&flag.code).map_or_else(|| flag.code.clone(), |r| r.title.to_string());
        by_rule.entry(flag.code.clone()).or_insert_with(|| FlagCount::new(flag.code.clone(), title(), flag)).add(flag);
        let worker = flag.worker_id.clone().unwrap_or_default();
        let label = names.get(&worker).cloned().unwrap_or_else(|| "Allocated to no one".into());
        by_worker.entry(worker.clone()).or_insert_with(|| FlagCount::new(worker, label, flag)).add(flag);
    }
    let order = super::codes();
    let mut by_rule: Vec<FlagCount> = by_rule.into_values().collect();
    by_rule.sort_by_key(|c| order.iter().position(|code| *code == c.key));
    let mut by_worker: Vec<FlagCount> = by_worker.into_values().collect();
    by_worker.sort_by(|a, b| {
        a.key.is_empty().cmp(&b.key.is_empty()).then(b.urgent.cmp(&a.urgent)).then(b.total.cmp(&a.total)).then(a.label.cmp(&b.label))
    });
    Ok(TeamFlags { urgent, due, info, total: urgent + due + info, by_rule, by_worker })
}

/// Team flags as last counted, kept while the sign-in, the records and the minute are the
/// same: Dashboard, Caseloads and Team flags each show them, and a team lead goes from one to
/// the next. One count at a time: asked again while counting, the second asking waits for the
/// first rather than counting again beside it on the same two cores.
#[derive(Default)]
pub struct Kept(Mutex<Option<(CountedFor, TeamFlags)>>);

/// The sign-in, the records' version and the minute a count was made for.
type CountedFor = (u64, i64, i64);

impl Kept {
    /// [`team`], or the count kept for `session` if nothing has changed since it was made.
    pub fn team(
        &self,
        session: u64,
        connections: &mut [&mut Connection],
        now: DateTime<Utc>,
        settings: &TeamSettings,
    ) -> rusqlite::Result<TeamFlags> {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = (session, crate::store::records_version(connections[0])?, now.timestamp().div_euclid(60));
        if let Some((made_for, flags)) = kept.as_ref() {
            if *made_for == key {
                return Ok(flags.clone());
            }
        }
        *kept = None;
        let flags = team(connections, now, settings)?;
        *kept = Some((key, flags.clone()));
        Ok(flags)
    }

    /// Lets go of the kept count, which names people: on locking and signing out.
    pub fn forget(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Which flags a list shows: any combination of one rule, one worker's caseload ("" for
/// clients allocated to no one) and one severity.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, TS)]
pub struct FlagFilter {
    pub code: Option<String>,
    pub worker_id: Option<String>,
    pub severity: Option<Severity>,
    /// The first flag of the page, counted from 0.
    pub offset: u32,
}

/// One page of a list of flags, most pressing first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FlagPage {
    /// How many flags the whole list holds.
    pub total: u32,
    pub offset: u32,
    /// How many flags a full page holds.
    pub page_size: u32,
    pub flags: Vec<Flag>,
}

pub fn page(conn: &Connection, now: DateTime<Utc>, settings: &TeamSettings, filter: &FlagFilter) -> rusqlite::Result<FlagPage> {
    // A worker's own caseload is a scope of its own, far cheaper than everyone's.
    let scope = match filter.worker_id.as_deref() {
        Some(worker) if !worker.is_empty() => Scope::Worker(worker.into()),
        _ => Scope::Everyone,
    };
    let code = filter.code.as_deref();
    let flags = compute_some(conn, now, settings, &scope, |r| code.is_none_or(|c| c == r.code))?;
    let chosen: Vec<Flag> = flags
        .into_iter()
        .filter(|f| filter.severity.is_none_or(|s| s == f.severity))
        .filter(|f| filter.worker_id.as_deref() != Some("") || f.worker_id.is_none())
        .collect();
    let offset = (filter.offset as usize).min(chosen.len());
    Ok(FlagPage {
        total: chosen.len() as u32,
        offset: offset as u32,
        page_size: PAGE_SIZE as u32,
        flags: chosen.into_iter().skip(offset).take(PAGE_SIZE).collect(),
    })
}
