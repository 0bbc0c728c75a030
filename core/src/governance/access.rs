//! The access report: for one person, everyone who viewed, changed, printed or exported their
//! data on this laptop, when and what, from the audit trail. Producing it is audited too.
use crate::calendar::when;
use crate::clients::{self, ClientError};
use crate::documents::Document;
use crate::store::{Actor, Store};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::collections::BTreeMap;

pub const PRODUCED: &str = "produced an access report";

/// What kind of access an audit entry records, in the report's words.
pub fn kind_of(action: &str) -> &'static str {
    match action {
        "create" | "append" | "update" | "anonymised a closed case" => "changed",
        // A record read, or the person shown in a list (search results, a caseload, flags).
        a if a.starts_with("viewed") || shown_in_a_list(a) => "viewed",
        a if a.starts_with("printed") || a.starts_with("produced") => "printed",
        a if a.starts_with("exported") => "exported",
        _ => "other",
    }
}

/// The person shown in a list (search results, a caseload, flags) rather than their record read.
fn shown_in_a_list(action: &str) -> bool {
    action.starts_with("shown in ") || action.starts_with("listed ")
}

/// How the report names the opening of the record itself ("viewed client record").
const OPENED: &str = "client record";

/// One line of the report: consecutive entries by one worker, of one kind, in one minute (the
/// parts of a record read as it opens) are one line.
struct Line {
    at: DateTime<Utc>,
    worker: String,
    kind: &'static str,
    what: Vec<String>,
}

fn described(action: &str, record_type: Option<&str>, detail: &str) -> String {
    let thing = record_type.map(|t| t.replace('_', " ")).unwrap_or_default();
    match action {
        "create" | "append" => format!("added a {thing}"),
        "update" if detail.is_empty() => format!("changed the {thing}"),
        "update" => format!("changed the {thing} ({})", detail.replace('_', " ")),
        a => a.strip_prefix("viewed ").or_else(|| a.strip_prefix("printed ")).unwrap_or(a).to_string(),
    }
}

/// The report as a printable document, after recording in the trail that it was produced.
pub fn access_report(store: &mut Store, actor: &Actor, client_id: &str) -> Result<Document, ClientError> {
    let client = clients::require(store.reader(), client_id)?;
    store.write(actor, |w| w.audit(PRODUCED, Some(&client.id), ""))?;
    let now = store.clock().now();
    let lines = lines(store.reader(), &client.id)?;

    let mut per_worker: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for l in &lines {
        *per_worker.entry(l.worker.as_str()).or_default().entry(l.kind).or_default() += 1;
    }
    let name = crate::documents::name_of(&client);
    let mut paragraphs = vec![
        format!(
            "Everyone who viewed, changed, printed or exported {name}'s data in Throughline on this laptop, from its audit trail, as at {}. Each line is one occasion: a record opened counts once, with the parts of it that were read.",
            when::display(now)
        ),
        format!(
            "{} {} accessed this record: {}.",
            per_worker.len(),
            if per_worker.len() == 1 { "person has" } else { "people have" },
            per_worker
                .iter()
                .map(|(who, kinds)| {
                    let counts: Vec<String> = kinds.iter().map(|(kind, n)| format!("{kind} {}", times(*n))).collect();
                    format!("{who} ({})", counts.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
    ];
    paragraphs.extend(lines.iter().map(|l| format!("{} — {} {}: {}.", when::display(l.at), l.worker, l.kind, l.what.join(", "))));
    Ok(Document::about(&client, "Access report", paragraphs, actor.name.clone(), now, ("client", client.id.clone())))
}

fn times(n: usize) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// The person's entries in the trail (theirs and those of records merged into theirs), oldest
/// first, grouped into lines.
fn lines(conn: &Connection, client_id: &str) -> Result<Vec<Line>, ClientError> {
    let ids = clients::family(conn, client_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, coalesce(w.display_name, 'a worker not on this laptop'), a.action, a.record_type, a.detail
         FROM audit_log a LEFT JOIN workers w ON w.id = a.worker_id
         WHERE a.client_id IN (SELECT value FROM json_each(?1))
            OR a.seq IN (SELECT seq FROM audit_listed WHERE client_id IN (SELECT value FROM json_each(?1)))
         ORDER BY a.seq",
    )?;
    let ids = serde_json::to_string(&ids)?;
    let rows = stmt.query_map([ids], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?, r.get::<_, String>(4)?))
    })?;
    let mut lines: Vec<Line> = Vec::new();
    for row in rows {
        let (at, worker, action, record_type, detail) = row?;
        let Ok(at) = DateTime::parse_from_rfc3339(&at).map(|t| t.with_timezone(&Utc)) else { continue };
        let kind = kind_of(&action);
        let what = described(&action, record_type.as_deref(), &detail);
        if let Some(last) = lines.last_mut() {
            let same_minute = when::display(last.at) == when::display(at);
            if last.worker == worker && last.kind == kind && same_minute {
                if !last.what.contains(&what) {
                    // A record's parts are read as it opens, in whatever order they arrive:
                    // the record itself is named first, after any list the person was shown in.
                    let at = if what == OPENED { last.what.iter().take_while(|w| shown_in_a_list(w)).count() } else { last.what.len() };
                    last.what.insert(at, what);
                }
                continue;
            }
        }
        lines.push(Line { at, worker, kind, what: vec![what] });
    }
    Ok(lines)
}
