//! Retention (security.md "Governance features"): a closed case is kept for the team's retention
//! period, then comes up for a team lead's review. The lead keeps it, with the reason and a date
//! to look again, or anonymises it: the person's names, identifiers and what was written about
//! them are removed from every record, from the history of changes, from the search index and
//! from the database file's free space, while the records' dates and codes stay so the returns
//! count the case as before. Nothing is deleted, and both decisions are audited and sync.
use crate::clients::{self, reference, Client, ClientError, ClientStatus};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{FieldError, Problems};
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionReview {
    pub id: String,
    pub client_id: String,
    /// "kept" or "anonymised".
    pub decision: String,
    pub reason: String,
    /// For a case kept: when it comes up for review again.
    pub review_again_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(RetentionReview, "retention_review", "retention_reviews");

/// A closed case past the retention period, as the review list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseForReview {
    pub client_id: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub closed_on: NaiveDate,
    pub closed_reason_label: Option<String>,
    pub allocated_worker: Option<String>,
    /// The last time it was kept, if it was: why, by whom, when.
    pub last_kept: Option<String>,
}

/// One page of the closed cases past the retention period, longest closed first, and how many
/// there are in all: a team that has worked for years can have thousands, decided one by one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CasesForReview {
    pub total: u32,
    pub offset: u32,
    pub page_size: u32,
    pub cases: Vec<CaseForReview>,
}

/// How many cases a page of the review shows.
pub const REVIEW_PAGE: u32 = 50;

/// What the team lead decided for one case.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewRetentionReview {
    /// "kept" or "anonymised".
    pub decision: String,
    pub reason: String,
    /// For a case kept, as typed: "29/11/2027".
    pub review_again_on: String,
}

/// What anonymising a case removed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Anonymised {
    /// The records about the person that held names, identifiers or free text, their own
    /// included.
    pub records: usize,
    /// Earlier changes in the history whose values were removed.
    pub changes: usize,
}

/// Left in place of what was removed, so a field that held something still shows it did.
pub const REMOVED: &str = "(anonymised)";
const NAME: &str = "Anonymised";

/// How a column's value is removed.
#[derive(Clone, Copy)]
enum Remove {
    /// Free text or an identifier: replaced by [`REMOVED`].
    Text,
    /// A name: the surname becomes "Anonymised", forenames nothing.
    Surname,
    Forenames,
    /// Only the year is kept (1 January), for age bands.
    YearOfBirth,
}

/// Columns of a table and how anonymising removes each.
type Removed = &'static [(&'static str, Remove)];

/// Every record about a person that holds who they are or what was written about them: its
/// table, the columns naming the client, and the columns removed. A test checks that every
/// text column of every table about a client is either here or in [`KEPT`], so a new column
/// cannot be forgotten.
const PERSONAL: &[(&str, &str, &[&str], Removed)] = &[
    (
        "client",
        "clients",
        &["id"],
        &[
            ("surname", Remove::Surname),
            ("forenames", Remove::Forenames),
            ("date_of_birth", Remove::YearOfBirth),
            ("gender_identity", Remove::Text),
            ("address", Remove::Text),
            ("postcode", Remove::Text),
            ("gp", Remove::Text),
            ("phone", Remove::Text),
            ("pnc", Remove::Text),
            ("nhs_number", Remove::Text),
            ("prison_number", Remove::Text),
            ("risk_notes", Remove::Text),
        ],
    ),
    ("client_alias", "client_aliases", &["client_id"], &[("surname", Remove::Text), ("forenames", Remove::Text)]),
    ("consent", "consents", &["client_id"], &[("scope", Remove::Text)]),
    (
        "client_merge",
        "client_merges",
        &["survivor_id", "merged_id"],
        &[("reasons", Remove::Text), ("survivor_before", Remove::Text), ("merged_before", Remove::Text)],
    ),
    ("appointment", "appointments", &["client_id"], &[("place", Remove::Text)]),
    ("contact", "contacts", &["client_id"], &[("summary", Remove::Text)]),
    ("case_note", "case_notes", &["client_id"], &[("text", Remove::Text)]),
    ("conditional_caution", "conditional_cautions", &["client_id"], &[("conditions", Remove::Text)]),
    ("court_hearing", "court_hearings", &["client_id"], &[("outcome", Remove::Text), ("court_note", Remove::Text)]),
    ("bail_decision", "bail_decisions", &["client_id"], &[("conditions", Remove::Text)]),
    ("drr_suitability_assessment", "drr_suitability_assessments", &["client_id"], &[("proposal", Remove::Text)]),
    ("drr_order", "drr_orders", &["client_id"], &[("exit_plan", Remove::Text)]),
    ("drr_timetable_slot", "drr_timetable", &["client_id"], &[("place", Remove::Text)]),
    ("drr_test", "drr_tests", &["client_id"], &[("missed_reason", Remove::Text)]),
    ("drr_failure", "drr_failures", &["client_id"], &[("what", Remove::Text), ("reason", Remove::Text)]),
    ("drr_review", "drr_reviews", &["client_id"], &[("provider_views", Remove::Text), ("outcome", Remove::Text)]),
    ("prison_spell", "prison_spells", &["client_id"], &[("in_prison_treatment", Remove::Text), ("release_cancelled_reason", Remove::Text)]),
    (
        "throughcare_plan",
        "throughcare_plans",
        &["client_id"],
        &[("accommodation", Remove::Text), ("prescribing_detail", Remove::Text), ("gate_contact", Remove::Text)],
    ),
    (
        "disclosure",
        "disclosures",
        &["client_id"],
        &[("recipient", Remove::Text), ("what", Remove::Text), ("purpose", Remove::Text), ("legal_basis", Remove::Text)],
    ),
];

/// Text columns of tables about a client that stay: codes from the reference lists, places
/// and services (not the person), and the retention decisions themselves. Columns named
/// `id`, `*_id`, `*_on`, `*_at`, `*_by` and `at` are references, dates and workers, and stay.
pub const KEPT: &[(&str, &[&str])] = &[
    (
        "clients",
        &["sex", "ethnicity", "primary_substance", "secondary_substance", "injecting_status", "status", "closed_reason", "merged_into"],
    ),
    // The audit trail says who did what to which record and which fields changed, never the
    // values; it stays whole, so its chain still checks and the access report still reads.
    ("audit_log", &["action", "record_type", "detail", "prev_hash", "hash"]),
    ("case_activity", &["quiet_since", "consent_until"]),
    ("client_aliases", &["source"]),
    ("appointments", &["owner_type", "kind", "status"]),
    ("tests_on_arrest", &["custody_suite", "trigger_offence", "opiates", "cocaine", "sample_type"]),
    ("required_assessments", &["kind"]),
    ("conditional_cautions", &["complete_by"]),
    ("contacts", &["kind"]),
    ("case_notes", &["record_type"]),
    ("court_hearings", &["court", "hearing_type"]),
    ("bail_decisions", &["bail_status"]),
    ("drr_orders", &["court", "responsible_officer", "treatment_provider", "status", "end_reason"]),
    ("drr_timetable", &["time", "kind"]),
    ("drr_tests", &["sample_type", "opiates", "cocaine", "benzodiazepines", "methadone", "cannabis"]),
    ("drr_breaches", &["court_decision"]),
    ("drr_reviews", &["court"]),
    ("prison_spells", &["prison", "custody_type"]),
    ("prison_transfers", &["from_prison", "to_prison"]),
    ("throughcare_plans", &["prescribing"]),
    ("treatment_episodes", &["service", "modality", "discharge_reason"]),
    ("disclosures", &["basis"]),
    ("retention_reviews", &["decision", "reason"]),
    ("assessments_to_book", &["kind"]),
    // The test's own results, kept with it (above), copied for the dashboard.
    ("arrests_in_sequence", &["opiates", "cocaine", "trigger_offence"]),
];

/// The tables and their personal columns, for the completeness test.
pub fn personal_columns() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    PERSONAL.iter().map(|(_, table, _, columns)| (*table, columns.iter().map(|(c, _)| *c).collect()))
}

/// The kind of record (as operations name it) of each table about a client, for the test that
/// holds these names to the synced records' own.
pub fn personal_record_types() -> impl Iterator<Item = (&'static str, &'static str)> {
    PERSONAL.iter().map(|(record_type, table, _, _)| (*record_type, *table))
}

/// What anonymising leaves in place of `value`.
fn removed(value: &Value, how: Remove) -> Value {
    match (value, how) {
        (Value::Null, _) => Value::Null,
        (_, Remove::Surname) => NAME.into(),
        (_, Remove::Forenames) => "".into(),
        (Value::String(dob), Remove::YearOfBirth) => format!("{}-01-01", dob.get(..4).unwrap_or("1900")).into(),
        (Value::String(s), Remove::Text) if s.is_empty() => "".into(),
        _ => REMOVED.into(),
    }
}

/// The day a case closed on or before which it is past the retention period today.
fn closed_by(settings: &crate::accounts::settings::TeamSettings, today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12 * settings.retention_years)).unwrap_or(NaiveDate::MIN)
}

/// Closed cases past the team's retention period, not anonymised and not kept for now: the
/// longest closed first, a page from `offset`.
pub fn due_for_review(
    conn: &Connection,
    now: DateTime<Utc>,
    settings: &crate::accounts::settings::TeamSettings,
    offset: u32,
) -> rusqlite::Result<CasesForReview> {
    let today = dates::today(now);
    let before = crate::calendar::when::sql(crate::calendar::when::start_of_day(closed_by(settings, today).succ_opt().unwrap_or(today)));
    const DUE: &str = "FROM clients c
         WHERE c.status = 'closed' AND c.anonymised_at IS NULL AND c.closed_at < ?1
           AND NOT EXISTS (SELECT 1 FROM retention_reviews r
                           WHERE r.client_id = c.id AND r.decision = 'kept' AND r.review_again_on > ?2)";
    let total = conn.prepare_cached(&format!("SELECT count(*) {DUE}"))?.query_row(params![before, today], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!("SELECT c.* {DUE} ORDER BY c.closed_at, c.id LIMIT ?3 OFFSET ?4"))?;
    let page: Vec<Client> = stmt.query_map(params![before, today, REVIEW_PAGE, offset], from_row)?.collect::<rusqlite::Result<_>>()?;
    let cases = page.into_iter().map(|c| case_for_review(conn, c)).collect::<rusqlite::Result<_>>()?;
    Ok(CasesForReview { total, offset, page_size: REVIEW_PAGE, cases })
}

fn case_for_review(conn: &Connection, c: Client) -> rusqlite::Result<CaseForReview> {
    let last_kept = conn
        .prepare_cached("SELECT * FROM retention_reviews WHERE client_id = ?1 AND decision = 'kept' ORDER BY created_at DESC LIMIT 1")?
        .query_row([&c.id], from_row::<RetentionReview>)
        .optional()?;
    let last_kept = match last_kept {
        Some(r) => Some(format!(
            "Kept on {} by {}: {}",
            dates::display(dates::today(r.made.created_at)),
            clients::worker_name(conn, &r.made.created_by)?,
            r.reason
        )),
        None => None,
    };
    Ok(CaseForReview {
        name: format!("{} {}", c.forenames, c.surname),
        date_of_birth: c.date_of_birth,
        closed_on: dates::today(c.closed_at.unwrap_or(c.made.created_at)),
        closed_reason_label: c.closed_reason.as_deref().map(|r| reference::label(reference::CLOSE_REASONS, r)),
        allocated_worker: c.allocated_worker_id.as_deref().map(|w| clients::worker_name(conn, w)).transpose()?,
        last_kept,
        client_id: c.id,
    })
}

/// Records a team lead's review of a case past the retention period: kept (with the reason and
/// when to look again) or anonymised. Returns what anonymising removed (nothing when kept).
pub fn review(store: &mut Store, actor: &Actor, client_id: &str, input: &NewRetentionReview) -> Result<Anonymised, ClientError> {
    let client = clients::require(store.reader(), client_id)?;
    let now = store.clock().now();
    let today = dates::today(now);
    let settings = crate::accounts::settings::load(store.reader())?;
    if client.anonymised_at.is_some() {
        return Err(ClientError::NotAllowed("This case was anonymised already.".into()));
    }
    let closed_on = match (client.status, client.closed_at) {
        (ClientStatus::Closed, Some(at)) => dates::today(at),
        _ => return Err(ClientError::NotAllowed("Only a closed case comes up for a retention review.".into())),
    };
    if closed_on > closed_by(&settings, today) {
        let due = closed_on.checked_add_months(Months::new(12 * settings.retention_years)).unwrap_or(closed_on);
        return Err(ClientError::NotAllowed(format!(
            "This case closed on {} and is kept until {} (the team's retention period is {} years).",
            dates::display(closed_on),
            dates::display(due),
            settings.retention_years
        )));
    }
    let mut p = Problems::default();
    let decision = match input.decision.as_str() {
        "kept" | "anonymised" => Some(input.decision.clone()),
        "" => {
            p.push(FieldError::new("decision", ErrorCode::ValidationRequired, "Choose whether to keep the case or anonymise it."));
            None
        }
        _ => {
            p.push(FieldError::new("decision", ErrorCode::ValidationNotInList, "Choose to keep the case or to anonymise it."));
            None
        }
    };
    let reason = match decision.as_deref() {
        Some("kept") => p.check(text::optional_multiline("reason", "Why the case is kept", &input.reason, 1000)).flatten().or_else(|| {
            if !p.0.iter().any(|e| e.field == "reason") {
                p.push(FieldError::new("reason", ErrorCode::ValidationRequired, "Say why the case is kept beyond the retention period."));
            }
            None
        }),
        _ => p
            .check(text::optional_multiline("reason", "Why the case is anonymised", &input.reason, 1000))
            .map(|r| r.unwrap_or_else(|| format!("Closed more than {} years ago.", settings.retention_years))),
    };
    let review_again_on = match decision.as_deref() {
        Some("kept") => review_again(&mut p, &input.review_again_on, today),
        _ => None,
    };
    let (Some(decision), Some(reason), true) = (decision, reason, p.is_empty()) else {
        return Err(p.into_error().into());
    };
    let mut review = RetentionReview {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id.clone(),
        decision: decision.clone(),
        reason,
        review_again_on,
        made: Made::on_write(),
    };
    if decision == "kept" {
        store.write(actor, |w| w.append(&mut review))?;
        return Ok(Anonymised { records: 0, changes: 0 });
    }
    let removed = store.write(actor, |w| -> Result<Anonymised, ClientError> {
        // The record and every record merged into it are the same person.
        let family = clients::family(w.reader(), &client.id)?;
        for id in &family {
            let before = clients::require(w.reader(), id)?;
            w.update(&before, &anonymised(&before, w.now())?)?;
        }
        w.append(&mut review)?;
        let mut removed = remove_people(w.transaction(), &family)?;
        // Their own records count too (anonymised above, so remove_people found nothing left).
        removed.records += family.len();
        w.audit(
            "anonymised a closed case",
            Some(&client.id),
            &format!("{} records, {} earlier changes", removed.records, removed.changes),
        )?;
        Ok(removed)
    })?;
    store.erase_free_space()?;
    Ok(removed)
}

fn review_again(p: &mut Problems, typed: &str, today: NaiveDate) -> Option<NaiveDate> {
    if typed.trim().is_empty() {
        p.push(FieldError::new("review_again_on", ErrorCode::ValidationRequired, "Enter when to review the case again."));
        return None;
    }
    match dates::parse(typed) {
        None => {
            p.push(FieldError::new(
                "review_again_on",
                ErrorCode::ValidationDateFormat,
                "Enter when to review it again as day/month/year, like 29/11/2027.",
            ));
            None
        }
        Some(d) if d <= today => {
            p.push(FieldError::new(
                "review_again_on",
                ErrorCode::ValidationReviewAgainNotFuture,
                "Choose a date after today to review it again.",
            ));
            None
        }
        Some(d) if d.year() > today.year() + 10 => {
            p.push(FieldError::new(
                "review_again_on",
                ErrorCode::ValidationReviewAgainNotFuture,
                "Review a kept case again within ten years.",
            ));
            None
        }
        d => d,
    }
}

/// The client as anonymising leaves it.
fn anonymised(c: &Client, now: DateTime<Utc>) -> Result<Client, serde_json::Error> {
    let mut fields = crate::store::record::fields_of(c)?;
    remove_from_row("clients", &mut fields);
    fields.insert("anonymised_at".into(), serde_json::to_value(now)?);
    serde_json::from_value(Value::Object(fields))
}

/// How a column of a table is removed, when it is personal.
fn how_removed(table: &str, column: &str) -> Option<Remove> {
    let (_, _, _, columns) = PERSONAL.iter().find(|(_, t, _, _)| *t == table)?;
    columns.iter().find(|(c, _)| *c == column).map(|(_, how)| *how)
}

/// Replaces `value` by what anonymising leaves; true when that changed it.
fn remove(value: &mut Value, how: Remove) -> bool {
    let new = removed(value, how);
    let changed = *value != new;
    *value = new;
    changed
}

/// Removes the personal columns of a row of `table`; returns how many held something.
fn remove_from_row(table: &str, row: &mut serde_json::Map<String, Value>) -> usize {
    row.iter_mut().filter_map(|(column, value)| Some(remove(value, how_removed(table, column)?))).filter(|c| *c).count()
}

/// Removes the personal values from an operation's changes (each `[old, new, seen...]`);
/// returns how many held something.
fn remove_from_change(table: &str, changes: &mut serde_json::Map<String, Value>) -> usize {
    let mut count = 0;
    for (column, change) in changes.iter_mut() {
        let (Some(how), Value::Array(values)) = (how_removed(table, column), change) else { continue };
        count += values.iter_mut().take(2).filter_map(|v| remove(v, how).then_some(())).count();
    }
    count
}

/// Removes these people (a client and those merged into it) from every record about them, from
/// the history of changes to those records and from the search index, inside the caller's
/// transaction. The same on every laptop: run where the anonymisation is made and wherever it
/// arrives.
fn remove_people(tx: &Connection, people: &[String]) -> rusqlite::Result<Anonymised> {
    let mut done = Anonymised { records: 0, changes: 0 };
    let marks = vec!["?"; people.len()].join(", ");
    for (record_type, table, client_columns, columns) in PERSONAL {
        let which = client_columns.iter().map(|c| format!("{c} IN ({marks})")).collect::<Vec<_>>().join(" OR ");
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let select = format!("SELECT id, {} FROM {table} WHERE {which}", names.join(", "));
        let bound = client_columns.iter().flat_map(|_| people.iter());
        let rows: Vec<(String, serde_json::Map<String, Value>)> = tx
            .prepare(&select)?
            .query_map(rusqlite::params_from_iter(bound), |r| {
                let mut fields = serde_json::Map::new();
                for (i, name) in names.iter().enumerate() {
                    fields.insert((*name).to_string(), crate::store::record::from_sql(r.get_ref(i + 1)?));
                }
                Ok((r.get(0)?, fields))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let sets = names.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
        let mut update = tx.prepare(&format!("UPDATE {table} SET {sets} WHERE id = ?"))?;
        let mut ops = tx.prepare_cached("SELECT op_id, changes FROM operations WHERE record_type = ?1 AND record_id = ?2")?;
        let mut rewrite = tx.prepare_cached("UPDATE operations SET changes = ?2 WHERE op_id = ?1")?;
        for (id, mut fields) in rows {
            if remove_from_row(table, &mut fields) > 0 {
                let mut values: Vec<rusqlite::types::Value> = names.iter().map(|c| crate::store::record::to_sql(&fields[*c])).collect();
                values.push(id.clone().into());
                update.execute(rusqlite::params_from_iter(values))?;
                done.records += 1;
            }
            let history: Vec<(String, String)> =
                ops.query_map(params![record_type, id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            for (op_id, changes) in history {
                let Ok(Value::Object(mut changes)) = serde_json::from_str::<Value>(&changes) else { continue };
                if remove_from_change(table, &mut changes) > 0 {
                    rewrite.execute(params![op_id, Value::Object(changes).to_string()])?;
                    done.changes += 1;
                }
            }
        }
    }
    // Their names leave the search index (which removes a deleted entry at once: secure-delete).
    for id in people {
        let search_id: Option<i64> = tx.query_row("SELECT search_id FROM clients WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        if let Some(search_id) = search_id {
            tx.execute("DELETE FROM client_search WHERE rowid = ?1", [search_id])?;
            tx.execute("DELETE FROM client_name_keys WHERE search_id = ?1", [search_id])?;
        }
    }
    Ok(done)
}

/// After an import: any person anonymised on another laptop, or anonymised here and named
/// again by a change made elsewhere before it knew, is removed here too. Returns how many
/// people were; the caller then erases the file's free space.
pub(crate) fn remove_people_again<'r>(tx: &Connection, changed: impl Iterator<Item = (&'r str, &'r str)>) -> rusqlite::Result<usize> {
    let any: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM clients WHERE anonymised_at IS NOT NULL)", [], |r| r.get(0))?;
    if !any {
        return Ok(0);
    }
    let mut touched = BTreeSet::new();
    for (record_type, record_id) in changed {
        let Some((_, table, client_columns, _)) = PERSONAL.iter().find(|(t, _, _, _)| *t == record_type) else { continue };
        for column in client_columns.iter() {
            let client: Option<String> = tx
                .prepare_cached(&format!("SELECT {column} FROM {table} WHERE id = ?1"))?
                .query_row([record_id], |r| r.get(0))
                .optional()?;
            touched.extend(client);
        }
    }
    let mut anonymised = tx.prepare_cached("SELECT anonymised_at IS NOT NULL FROM clients WHERE id = ?1")?;
    let mut people = Vec::new();
    for id in touched {
        if anonymised.query_row([&id], |r| r.get::<_, bool>(0)).optional()? == Some(true) {
            people.push(id);
        }
    }
    if !people.is_empty() {
        remove_people(tx, &people)?;
    }
    Ok(people.len())
}
