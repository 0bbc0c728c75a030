//! The audit trail: append-only and hash-chained, so a removed or edited entry is detected.
use super::anchor::{Anchored, Head, ANCHORED_ACTION};
use super::progress::{Progress, Unwatched};
use super::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The record type of an entry for a list of people ([`append_list`]).
const LIST: &str = "list";
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as written to the audit trail.
pub struct AuditEntry<'a> {
    pub worker_id: Option<&'a str>,
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub detail: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    worker_id: Option<&str>,
    action: &str,
    record_type: Option<&str>,
    record_id: Option<&str>,
    client_id: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed so that moving text between fields changes the hash.
    for part in [
        prev,
        &seq.to_string(),
        at,
        worker_id.unwrap_or(""),
        action,
        record_type.unwrap_or(""),
        record_id.unwrap_or(""),
        client_id.unwrap_or(""),
        detail,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry, chained to the last, and returns its number. Call inside the
/// transaction it describes.
pub fn append(conn: &Connection, at: DateTime<Utc>, e: &AuditEntry<'_>) -> rusqlite::Result<i64> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let hash = entry_hash(&prev, seq, &at, e.worker_id, e.action, e.record_type, e.record_id, e.client_id, e.detail);
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, worker_id, action, record_type, record_id, client_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![seq, at, e.worker_id, e.action, e.record_type, e.record_id, e.client_id, e.detail, prev, hash])?;
    Ok(seq)
}

/// Appends one entry for a list of people shown together (a page of a caseload, of flags): the
/// people go in `audit_listed` under the entry, whose detail holds their number and a hash of
/// them, so the chain covers who was listed and the trail check finds a name added or taken out.
/// One entry a list, not one a person: a team lead's list of thousands costs one write.
pub fn append_list(conn: &Connection, at: DateTime<Utc>, worker_id: &str, action: &str, client_ids: &[&str]) -> rusqlite::Result<()> {
    let listed: std::collections::BTreeSet<&str> = client_ids.iter().copied().collect();
    let detail = list_detail(listed.iter().copied());
    let entry =
        AuditEntry { worker_id: Some(worker_id), action, record_type: Some(LIST), record_id: None, client_id: None, detail: &detail };
    let seq = append(conn, at, &entry)?;
    let mut insert = conn.prepare_cached("INSERT INTO audit_listed (client_id, seq) VALUES (?1, ?2)")?;
    for client in listed {
        insert.execute(params![client, seq])?;
    }
    Ok(())
}

/// "N people, listed <hash>": the hash over the ids in order, each length-prefixed.
fn list_detail<'a>(sorted_ids: impl Iterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    let mut n = 0;
    for id in sorted_ids {
        h.update((id.len() as u64).to_le_bytes());
        h.update(id.as_bytes());
        n += 1;
    }
    format!("{n} {}, listed {}", if n == 1 { "person" } else { "people" }, hex::encode(h.finalize()))
}

/// How many entries name a person for `action`, on their own or in a list.
pub fn count_naming(conn: &Connection, client_id: &str, action: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE action = ?2
            AND (client_id = ?1 OR seq IN (SELECT seq FROM audit_listed WHERE client_id = ?1))",
        [client_id, action],
        |r| r.get(0),
    )
}

/// Whether the people under a list entry are still those its detail was written with.
fn list_intact(conn: &Connection, seq: i64, detail: &str) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT client_id FROM audit_listed WHERE seq = ?1 ORDER BY client_id")?;
    let ids: Vec<String> = stmt.query_map([seq], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(list_detail(ids.iter().map(String::as_str)) == detail)
}

/// The result of checking the whole trail, in words a team lead can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChainCheck {
    #[ts(type = "number")]
    pub entries: i64,
    /// The first entry that does not match its hash or its predecessor, if any.
    #[ts(type = "number | null")]
    pub first_broken_entry: Option<i64>,
    /// True when nothing was changed, removed or cut off the end.
    pub intact: bool,
    /// What was found, or "none".
    pub problem: TrailProblem,
    /// In words: whether the trail is intact and, if not, what was found and where.
    pub finding: String,
    /// The last entry that checked out before the break (or the last entry when intact):
    /// where the trail can still be trusted up to.
    pub last_good: Option<EntrySummary>,
    /// What the team's other laptops last saw of this trail (from bundles), and of theirs.
    pub witnessed: Vec<Witnessed>,
}

/// One other laptop's view of a trail: this one's as it last saw it, or its own as this laptop
/// last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Witnessed {
    pub laptop: String,
    pub agrees: bool,
    pub words: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TrailProblem {
    None,
    /// An entry's contents no longer match its hash.
    Changed,
    /// Entries are missing from the middle (a gap, or an entry that does not follow its predecessor).
    Removed,
    /// The trail ends before where the anchor says it ended: entries cut off the end.
    CutFromEnd,
    /// The entry where the anchor says the trail ended is not the one that was written.
    EndReplaced,
    /// The anchor file is missing or does not open with this database's key.
    AnchorLost,
    /// Another laptop last saw an entry this trail no longer holds: cut or rewritten after an
    /// export.
    NotAsWitnessed,
}

/// One entry as the check names it: its number, when, who and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EntrySummary {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub worker: Option<String>,
    pub action: String,
}

impl EntrySummary {
    fn words(&self) -> String {
        let when = DateTime::parse_from_rfc3339(&self.at)
            .map(|t| crate::calendar::when::display(t.with_timezone(&Utc)))
            .unwrap_or_else(|_| self.at.clone());
        match &self.worker {
            Some(who) => format!("entry {} ({}, {who}: {})", self.seq, when, self.action),
            None => format!("entry {} ({}: {})", self.seq, when, self.action),
        }
    }
}

/// Checks the chain alone (no anchor): an edited or removed entry is found, entries cut off the
/// end are not. See [`check`].
pub fn verify(conn: &Connection) -> Result<ChainCheck, StoreError> {
    check(conn, None, &mut Unwatched)
}

/// What the worker reads while the trail is checked.
pub const CHECKING: &str = "Checking the audit trail";

/// Checks the whole trail: each entry against its hash and its predecessor, then the end against
/// the anchor kept outside the database (`None`: not checked). A large team's trail holds
/// millions of entries (2.5 million at bench scale: several seconds), so `progress` is told the
/// entries checked, and may stop the check.
pub fn check(conn: &Connection, anchored: Option<&Anchored>, progress: &mut dyn Progress) -> Result<ChainCheck, StoreError> {
    // The last entry's number, from the key: counting the rows would read the whole table first.
    let total = conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| r.get::<_, i64>(0))?.max(0) as u64;
    progress.step(CHECKING, 0, total)?;
    let mut stmt = conn.prepare(
        "SELECT a.seq, a.at, a.worker_id, a.action, a.record_type, a.record_id, a.client_id, a.detail, a.prev_hash, a.hash, w.display_name
         FROM audit_log a LEFT JOIN workers w ON w.id = a.worker_id ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut entries = 0;
    let mut last_good: Option<EntrySummary> = None;
    let mut was_anchored = false;
    let mut hash_at_anchor: Option<String> = None;
    let anchor_seq = match anchored {
        Some(Anchored::Head(h)) => Some(h.seq),
        _ => None,
    };
    let mut broken: Option<(TrailProblem, i64, String)> = None;
    while let Some(r) = rows.next()? {
        entries += 1;
        progress.item(CHECKING, entries as u64, total)?;
        if broken.is_some() {
            continue;
        }
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let worker: Option<String> = r.get(2)?;
        let action: String = r.get(3)?;
        let rtype: Option<String> = r.get(4)?;
        let rid: Option<String> = r.get(5)?;
        let client: Option<String> = r.get(6)?;
        let detail: String = r.get(7)?;
        let prev: String = r.get(8)?;
        let hash: String = r.get(9)?;
        let name: Option<String> = r.get(10)?;
        let recomputed =
            entry_hash(&prev, seq, &at, worker.as_deref(), &action, rtype.as_deref(), rid.as_deref(), client.as_deref(), &detail);
        if hash != recomputed {
            broken = Some((TrailProblem::Changed, seq, format!("Entry {seq} has been changed since it was written.")));
        } else if rtype.as_deref() == Some(LIST) && !list_intact(conn, seq, &detail)? {
            broken =
                Some((TrailProblem::Changed, seq, format!("The people listed in entry {seq} have been changed since it was written.")));
        } else if seq != expected_seq {
            let missing = if seq - expected_seq == 1 {
                format!("Entry {expected_seq} has been removed.")
            } else {
                format!("Entries {expected_seq} to {} have been removed.", seq - 1)
            };
            broken = Some((TrailProblem::Removed, seq, missing));
        } else if prev != expected_prev {
            broken = Some((
                TrailProblem::Removed,
                seq,
                format!("Entry {seq} does not follow the entry before it: entries were removed or replaced just before it."),
            ));
        }
        if broken.is_some() {
            continue;
        }
        was_anchored |= action == ANCHORED_ACTION;
        if Some(seq) == anchor_seq {
            hash_at_anchor = Some(hash.clone());
        }
        last_good = Some(EntrySummary { seq, at, worker: name.or(worker), action });
        expected_prev = hash;
        expected_seq += 1;
    }
    let last_seq = expected_seq - 1;
    if broken.is_none() {
        broken = match anchored {
            Some(Anchored::Head(head)) if head.seq > last_seq => {
                let cut = head.seq - last_seq;
                Some((
                    TrailProblem::CutFromEnd,
                    last_seq + 1,
                    if cut == 1 {
                        format!("The last entry (entry {}) has been cut off the end.", head.seq)
                    } else {
                        format!("The last {cut} entries (entries {} to {}) have been cut off the end.", last_seq + 1, head.seq)
                    },
                ))
            }
            Some(Anchored::Head(head)) if hash_at_anchor.as_deref() != Some(head.hash.as_str()) => Some((
                TrailProblem::EndReplaced,
                head.seq,
                format!("Entry {} is not the entry the trail ended with when it was last written: the end was replaced.", head.seq),
            )),
            Some(Anchored::Missing) if was_anchored => Some((
                TrailProblem::AnchorLost,
                last_seq,
                "The record of where the trail ends, kept beside the database (throughline.anchor), is missing, so entries cut off the end could not be looked for.".into(),
            )),
            Some(Anchored::Unreadable) => Some((
                TrailProblem::AnchorLost,
                last_seq,
                "The record of where the trail ends, kept beside the database (throughline.anchor), has been altered or replaced, so entries cut off the end could not be looked for.".into(),
            )),
            _ => None,
        };
    }
    let witnessed = witnessed(conn)?;
    if broken.is_none() {
        if let Some(w) = witnessed.iter().find(|w| !w.agrees && w.words.starts_with("This laptop")) {
            broken = Some((TrailProblem::NotAsWitnessed, last_seq, w.words.clone()));
        }
    }
    Ok(match broken {
        None => ChainCheck {
            witnessed,
            entries,
            first_broken_entry: None,
            intact: true,
            problem: TrailProblem::None,
            finding: match (&last_good, anchored.is_some()) {
                (Some(last), true) => format!(
                    "The audit trail is intact. All {entries} entries were checked: none has been changed or removed, and none cut off the end (the last is {}).",
                    last.words()
                ),
                (Some(last), false) => format!("The audit trail is intact. All {entries} entries were checked: none has been changed or removed (the last is {}).", last.words()),
                (None, _) => "The audit trail is empty.".into(),
            },
            last_good,
        },
        Some((problem, at, what)) => {
            let trusted = match &last_good {
                Some(last) => format!(" The trail can be trusted up to {}.", last.words()),
                None => " No entry can be trusted.".into(),
            };
            ChainCheck {
                witnessed,
                entries,
                first_broken_entry: Some(at),
                intact: false,
                problem,
                finding: format!(
                    "The audit trail has been tampered with. {what}{trusted} Tell your information governance lead today and do not delete anything."
                ),
                last_good,
            }
        }
    })
}

/// The witness, the entry and hash it saw, when, whether of this trail, what was found, and
/// whose trail.
type WitnessRow = (String, i64, String, String, bool, Option<String>, String);

/// What other laptops last saw of this trail, checked against it, and what they were found to
/// have done to their own (sync/witness.rs keeps both from bundles).
fn witnessed(conn: &Connection) -> rusqlite::Result<Vec<Witnessed>> {
    // A backup from before laptops witnessed each other is checked as it is.
    let kept: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sync_audit_witness')", [], |r| r.get(0))?;
    if !kept {
        return Ok(Vec::new());
    }
    let me: String = conn.query_row("SELECT device_id FROM installation WHERE id = 1", [], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT coalesce(d.label, w.witness_id), w.seq, w.hash, w.at, w.device_id = ?1, w.problem, coalesce(o.label, w.device_id)
         FROM sync_audit_witness w LEFT JOIN devices d ON d.id = w.witness_id LEFT JOIN devices o ON o.id = w.device_id
         WHERE w.device_id = ?1 OR (w.witness_id = ?1 AND w.problem IS NOT NULL) ORDER BY 1",
    )?;
    let rows: Vec<WitnessRow> = stmt
        .query_map([&me], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (witness, seq, hash, at, of_me, problem, other) in rows {
        let when = DateTime::parse_from_rfc3339(&at).map(|t| crate::calendar::when::display(t.with_timezone(&Utc))).unwrap_or(at);
        if of_me {
            let agrees = has_entry(conn, &Head { seq, hash })?;
            let words = if agrees {
                format!("\"{witness}\" last saw this trail up to entry {seq} (by its bundle of {when}), and this trail still holds that entry as it was.")
            } else {
                format!("This laptop's trail no longer holds entry {seq} as \"{witness}\" last saw it (by its bundle of {when}): the trail was cut or rewritten after an export.")
            };
            out.push(Witnessed { laptop: witness, agrees, words });
        } else if let Some(problem) = problem {
            out.push(Witnessed { laptop: other.clone(), agrees: false, words: format!("\"{other}\" (bundle of {when}): {problem}.") });
        }
    }
    Ok(out)
}

/// The last entry's number and hash: what the anchor keeps.
pub fn head(conn: &Connection) -> rusqlite::Result<Option<Head>> {
    conn.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok(Head { seq: r.get(0)?, hash: r.get(1)? }))
        .optional()
}

/// True when entry `head.seq` is still there with the hash `head.hash`.
pub fn has_entry(conn: &Connection, head: &Head) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq = ?1 AND hash = ?2)")?
        .query_row(params![head.seq, head.hash], |r| r.get(0))
}
