//! The subject access summary: everything Throughline holds about one person on this laptop
//! (details, aliases, consent, the timeline of every stage, contacts and notes, the documents
//! produced about them, and the disclosures made), as one printable document for a subject
//! access request or a case transfer. Producing it is audited.
use super::disclosures;
use crate::appointments::PathwayError;
use crate::calendar::when;
use crate::clients::{self, ClientRecord};
use crate::dates;
use crate::documents::Document;
use crate::store::{Actor, Store};
use rusqlite::Connection;

pub const PRODUCED: &str = "printed subject access summary";

/// The summary's sections, each headed in the document.
const SECTIONS: [&str; 5] = ["Details", "Timeline", "Contacts and case notes", "Documents produced", "Disclosures"];

/// The summary as a printable document, after recording in the trail that it was produced.
pub fn summary(store: &mut Store, actor: &Actor, client_id: &str) -> Result<Document, PathwayError> {
    let client = clients::require(store.reader(), client_id)?;
    store.write(actor, |w| w.audit(PRODUCED, Some(&client.id), ""))?;
    let now = store.clock().now();
    let conn = store.reader();
    let record = clients::reread(conn, &client.id, now)?;
    let name = crate::documents::name_of(&client);
    let mut p = vec![format!(
        "Everything Throughline holds about {name} on this laptop, as at {}: their details, every record of their pathway in date order, contacts and case notes, the documents produced about them and what was shared with whom.",
        when::display(now)
    )];
    p.push("Details".into());
    p.extend(details(&record));
    if !record.aliases.is_empty() {
        p.push(format!(
            "Also known as: {}.",
            record.aliases.iter().map(|a| format!("{} {}", a.forenames, a.surname).trim().to_string()).collect::<Vec<_>>().join("; ")
        ));
    }
    for c in &record.consents {
        p.push(format!(
            "Consent to share given on {} with {}; review by {}{}.",
            dates::display(c.given_on),
            c.scope,
            dates::display(c.review_on),
            c.withdrawn_on.map(|d| format!("; withdrawn on {}", dates::display(d))).unwrap_or_default()
        ));
    }

    p.push("Timeline".into());
    let timeline = crate::timeline::for_client(conn, &client.id)?;
    if timeline.is_empty() {
        p.push("Nothing recorded.".into());
    }
    p.extend(timeline.iter().map(|e| format!("{} — {}: {}", dates::display(e.date), e.stage_label, e.summary)));

    p.push("Contacts and case notes".into());
    let notes = crate::notes::for_client(conn, &client.id)?;
    if notes.contacts.is_empty() && notes.notes.is_empty() {
        p.push("None.".into());
    }
    p.extend(
        notes.contacts.iter().map(|c| format!("{} — {} (recorded by {}): {}", when::display(c.at), c.kind_label, c.recorded_by, c.summary)),
    );
    p.extend(notes.notes.iter().map(|n| format!("{} — case note by {}: {}", when::display(n.written_at), n.written_by, n.text)));

    p.push("Documents produced".into());
    let produced = documents_produced(conn, &client.id)?;
    if produced.is_empty() {
        p.push("None.".into());
    }
    p.extend(produced);

    p.push("Disclosures".into());
    let shared = disclosures::for_client(conn, &client.id)?;
    if shared.is_empty() {
        p.push("Nothing has been recorded as shared.".into());
    }
    p.extend(shared.iter().map(|d| {
        format!(
            "{} — shared with {}: {}. Why: {}. Basis: {}. Recorded by {}.",
            dates::display(d.disclosed_on),
            d.recipient,
            d.what,
            d.purpose,
            d.basis_label,
            d.recorded_by
        )
    }));
    let headings: Vec<u32> = p.iter().enumerate().filter(|(_, text)| SECTIONS.contains(&text.as_str())).map(|(i, _)| i as u32).collect();
    let mut document = Document::about(&client, "Subject access summary", p, actor.name.clone(), now, ("client", client.id.clone()));
    document.headings = Some(headings);
    Ok(document)
}

fn details(r: &ClientRecord) -> Vec<String> {
    let mut d = vec![
        format!("Name: {} {}", r.forenames, r.surname),
        format!("Date of birth: {}", dates::display(r.date_of_birth)),
        format!("Sex: {}", serde_json::to_value(r.sex).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()),
    ];
    let mut add = |label: &str, value: &Option<String>| {
        if let Some(v) = value {
            d.push(format!("{label}: {v}"));
        }
    };
    add("Gender identity", &r.gender_identity);
    add("Ethnicity", &r.ethnicity_label);
    add("Address", &r.address);
    add("Postcode", &r.postcode);
    add("Phone", &r.phone);
    add("GP", &r.gp);
    add("PNC id", &r.pnc);
    add("NHS number", &r.nhs_number);
    add("Prison number", &r.prison_number);
    add("Substances", &r.substances_label);
    add("Injecting", &r.injecting_label);
    add("Risk notes", &r.risk_notes);
    add("Allocated worker", &r.allocated_worker);
    if r.no_fixed_abode {
        d.push("No fixed abode".into());
    }
    d.push(format!(
        "Case: {}{}",
        serde_json::to_value(r.status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        r.closed_reason_label.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
    ));
    d.push(format!("Registered on {} by {}", when::display(r.registered_at), r.registered_by));
    d
}

/// Letters, statements, notices and reports printed about the person, from the audit trail.
fn documents_produced(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<String>> {
    let ids = serde_json::to_string(&clients::family(conn, client_id)?).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, a.action, coalesce(w.display_name, 'a worker not on this laptop')
         FROM audit_log a LEFT JOIN workers w ON w.id = a.worker_id
         WHERE a.client_id IN (SELECT value FROM json_each(?1)) AND a.action LIKE 'printed %' AND a.action != ?2
         ORDER BY a.seq",
    )?;
    let rows =
        stmt.query_map(rusqlite::params![ids, PRODUCED], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (at, action, who) = row?;
        let at = chrono::DateTime::parse_from_rfc3339(&at).map(|t| when::display(t.with_timezone(&chrono::Utc))).unwrap_or(at);
        out.push(format!("{at} — {} (by {who})", action.trim_start_matches("printed ")));
    }
    Ok(out)
}
