//! Who may say what (sync.md "Trust"). Before anything in a bundle is written, every operation
//! it carries is checked against:
//! - its origin laptop: never this laptop (unless it is one this laptop made), a chain from the
//!   head held here to a head that laptop signed ([`super::chains`]), no clock more than a day
//!   ahead;
//! - its author: a change to workers, their keys or team settings from an administrator, to
//!   laptops and retention decisions, merges and dismissed duplicates from a team lead, anything
//!   else from a worker with a casework role, each judged by the roles the author held at the
//!   change's own time (its clock), as the team's accepted history of roles says; and every
//!   change but casework signed by its author's own key ([`crate::store::signing`]), one the team
//!   knows as theirs, so no laptop can put such a change in another worker's name;
//! - revocation: it cannot be undone, and what a revoked laptop made after its revocation is set
//!   aside wherever it arrives (named in the import's result), never applied.
//!
//! Anything else refuses the whole bundle with the change, the worker and why.
use super::apply::Incoming;
use super::bundle::Body;
use super::chains::{self, Head};
use super::SyncError;
use crate::accounts::permissions::Permission;
use crate::accounts::roles::{self, Role};
use crate::store::{hlc, signing};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// A day, the furthest a laptop's clock may run ahead of this one's.
pub const CLOCK_SLACK_MS: i64 = 24 * 60 * 60 * 1000;

/// What an import may write, once every check has passed.
pub struct Checked {
    /// Operations to apply (those already held are skipped by apply).
    pub accepted: Vec<Incoming>,
    /// A revoked laptop's operations made after its revocation: kept aside, never applied.
    pub set_aside: Vec<Incoming>,
    /// The new head of each origin's chain, to keep.
    pub heads: Vec<(String, Head)>,
    /// Laptops this bundle revokes, and from when.
    pub revoked: Vec<(String, i64)>,
    /// Author signatures to keep with their operations: (op id, key, signature).
    pub signatures: Vec<(String, [u8; 32], Vec<u8>)>,
}

/// A laptop as trust sees it.
#[derive(Clone)]
struct Laptop {
    label: String,
    key: Option<VerifyingKey>,
    /// Milliseconds since the epoch.
    revoked_at: Option<i64>,
    /// A partnership hub: it makes no changes and vouches for no laptop.
    receives_only: bool,
}

/// One change of a worker's roles or active flag, as accepted.
#[derive(Clone)]
struct WorkerEvent {
    hlc: i64,
    device: String,
    roles: Option<Vec<Role>>,
    active: Option<bool>,
}

struct Authority {
    workers: HashMap<String, Vec<WorkerEvent>>,
    names: HashMap<String, String>,
    laptops: HashMap<String, Laptop>,
    /// Workers' keys the team knows (hex of the public key): whose, and the laptop keeping it.
    keys: HashMap<String, (String, String)>,
    /// The founding administrator and the laptop that made their account: the only worker who
    /// registers a key of their own ([`crate::accounts::worker_keys`]).
    founding: Option<(String, String)>,
}

fn new_value<'v>(fields: &'v Map<String, Value>, field: &str) -> Option<&'v Value> {
    fields.get(field).and_then(|change| change.get(1))
}

fn fields_of(op: &Incoming) -> Result<Map<String, Value>, SyncError> {
    match serde_json::from_str(&op.changes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(SyncError::Corrupt("a change in it could not be read".into())),
    }
}

fn millis_of(value: &Value) -> Option<i64> {
    value.as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).map(|t| t.timestamp_millis())
}

impl Authority {
    fn read(conn: &Connection) -> Result<Authority, SyncError> {
        let mut workers: HashMap<String, Vec<WorkerEvent>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT record_id, hlc, device_id, changes FROM operations WHERE record_type = 'worker' ORDER BY hlc, device_id",
        )?;
        let rows: Vec<(String, i64, String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        for (worker, hlc, device, changes) in rows {
            let fields: Map<String, Value> = serde_json::from_str(&changes).unwrap_or_default();
            workers.entry(worker).or_default().push(event(hlc, device, &fields));
        }
        let mut names = HashMap::new();
        let mut stmt = conn.prepare_cached("SELECT id, display_name FROM workers")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            names.insert(id, name);
        }
        let mut laptops = HashMap::new();
        for d in super::laptop::all(conn)? {
            let laptop = Laptop {
                label: d.label.clone(),
                key: d.verifying_key().ok(),
                revoked_at: d.revoked_at.map(|t| t.timestamp_millis()),
                receives_only: d.receives_only,
            };
            laptops.insert(d.id, laptop);
        }
        let mut keys = HashMap::new();
        let mut stmt = conn.prepare_cached("SELECT id, worker_id, laptop_id FROM worker_keys")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))))? {
            let (key, whose) = row?;
            keys.insert(key, whose);
        }
        let founding = crate::accounts::worker_keys::founding(conn)?;
        Ok(Authority { workers, names, laptops, keys, founding })
    }

    /// Refuses `op` unless it carries a signature by a key the team knows as its author's (or,
    /// for the founding administrator registering their own key on the laptop that founded the
    /// team, by that very key).
    fn signed_by_author(&self, team_id: &str, op: &Incoming, signature: Option<&Signed>, what: &str) -> Result<(), SyncError> {
        let refuse = |why: &str| SyncError::NotAllowed { what: what.to_string(), who: self.name(&op.worker_id), why: why.to_string() };
        let Some((key, signature)) = signature else {
            return Err(refuse("with no signature of that worker's own (made by an older Throughline, or in their name by someone else)"));
        };
        if !signing::checks(key, &signing::message(team_id, &op.change()), signature) {
            return Err(refuse("whose signature does not match the change (it was altered after it was signed)"));
        }
        let key = hex::encode(key);
        match self.keys.get(&key) {
            Some((owner, _)) if *owner != op.worker_id => Err(refuse("signed with another worker's key")),
            // A thief with a lost laptop and a password signs nothing, from anywhere.
            Some((_, laptop)) if self.laptops.get(laptop).and_then(|l| l.revoked_at).is_some_and(|at| hlc::millis(op.hlc) >= at) => {
                Err(refuse("signed with a key kept on a laptop revoked before the change"))
            }
            Some(_) => Ok(()),
            None if self.is_root(op, &key) => Ok(()),
            None => Err(refuse("signed with a key the team does not know as that worker's")),
        }
    }

    /// The root of workers' keys: the founding administrator's first key, made known by
    /// themselves on the laptop that made their account (at set-up, or at their first sign-in
    /// there on a team from before workers had keys), signed by that very key. Once they have a
    /// key, any other is an administrator's to vouch for.
    fn is_root(&self, op: &Incoming, key: &str) -> bool {
        op.record_type == "worker_key"
            && op.record_id == key
            && self.founding.as_ref().is_some_and(|(w, d)| *w == op.worker_id && *d == op.device_id)
            && !self.keys.values().any(|(owner, _)| *owner == op.worker_id)
    }

    fn name(&self, worker: &str) -> String {
        self.names.get(worker).cloned().unwrap_or_else(|| format!("a worker this laptop does not know ({worker})"))
    }

    /// The roles and whether the account was active at `at`: the latest change of each at or
    /// before it; before the account's first change, what it was made with.
    fn standing_at(&self, worker: &str, at: i64) -> Option<(Vec<Role>, bool)> {
        let events = self.workers.get(worker)?;
        let latest = |pick: &dyn Fn(&WorkerEvent) -> bool| {
            events
                .iter()
                .filter(|e| pick(e) && e.hlc <= at)
                .max_by(|a, b| (a.hlc, &a.device).cmp(&(b.hlc, &b.device)))
                .or_else(|| events.iter().filter(|e| pick(e)).min_by(|a, b| (a.hlc, &a.device).cmp(&(b.hlc, &b.device))))
        };
        let roles = latest(&|e| e.roles.is_some()).and_then(|e| e.roles.clone()).unwrap_or_default();
        let active = latest(&|e| e.active.is_some()).and_then(|e| e.active).unwrap_or(true);
        Some((roles, active))
    }

    /// Refuses `op` unless its author held one of `allowed` (and an active account) at its time.
    fn require(&self, op: &Incoming, allowed: &[Role], what: &str, needs: &str) -> Result<(), SyncError> {
        let refuse = |why: String| SyncError::NotAllowed { what: what.to_string(), who: self.name(&op.worker_id), why };
        let Some((held, active)) = self.standing_at(&op.worker_id, op.hlc) else {
            return Err(refuse("a worker this team has no account for".into()));
        };
        if !active {
            return Err(refuse("whose account was no longer active then".into()));
        }
        if !held.iter().any(|r| allowed.contains(r)) {
            return Err(refuse(format!("who was not {needs} at the time")));
        }
        Ok(())
    }
}

/// An operation's author's key and signature, as its bundle carries them.
pub type Signed = ([u8; 32], Vec<u8>);

fn event(hlc: i64, device: String, fields: &Map<String, Value>) -> WorkerEvent {
    WorkerEvent {
        hlc,
        device,
        roles: new_value(fields, "roles").and_then(Value::as_str).map(roles::from_text),
        active: new_value(fields, "active").and_then(|v| v.as_bool().or_else(|| v.as_i64().map(|n| n != 0))),
    }
}

/// What a kind of record is, in words, and who may change it.
fn rule_for(record_type: &str) -> (&'static str, &'static [Role], &'static str) {
    match record_type {
        "worker" => ("a worker's account or roles", Permission::Administer.roles(), "an administrator"),
        "worker_key" => ("a worker's signing key", Permission::Administer.roles(), "an administrator"),
        "team_setting" => ("a team setting", Permission::Administer.roles(), "an administrator"),
        "device" => ("a laptop's enrolment", Permission::LeadTeam.roles(), "a team lead"),
        "retention_review" => ("a retention decision", Permission::LeadTeam.roles(), "a team lead"),
        "client_merge" => ("a merge of two records", Permission::LeadTeam.roles(), "a team lead"),
        "duplicate_dismissal" => ("a dismissed possible duplicate", Permission::LeadTeam.roles(), "a team lead"),
        _ => ("a client's record", Permission::Casework.roles(), "a worker with a casework role"),
    }
}

/// Checks a bundle's operations (`incoming`, unpacked from `body`) and heads. `me` is this laptop; `trusted` is set for the bundle
/// inside a join file (made by a team lead's laptop, opened with its passphrase), which brings a
/// new laptop everything the team holds, chains from before heads were signed included.
pub fn check(
    conn: &Connection,
    team_id: &str,
    me: &str,
    incoming: Vec<Incoming>,
    body: &Body,
    now_ms: i64,
    trusted: bool,
) -> Result<Checked, SyncError> {
    let mut authority = Authority::read(conn)?;
    let mut signed: HashMap<usize, Signed> = HashMap::new();
    let mut verified: HashSet<usize> = HashSet::new();
    for s in &body.signatures {
        if s.op as usize >= incoming.len() {
            return Err(SyncError::Corrupt("it refers to a change it does not hold".into()));
        }
        signed.insert(s.op as usize, (s.key, s.signature.clone()));
    }
    let label = |a: &Authority, id: &str| a.laptops.get(id).map(|l| l.label.clone()).unwrap_or_else(|| id.to_string());

    // Clocks: none more than a day ahead of this laptop's.
    if let Some(op) = incoming.iter().find(|op| hlc::millis(op.hlc) > now_ms + CLOCK_SLACK_MS) {
        let when = super::millis_to_time(op.hlc).with_timezone(&chrono_tz::Europe::London).format("%d/%m/%Y %H:%M").to_string();
        return Err(SyncError::FutureClock { laptop: label(&authority, &op.device_id), when });
    }

    // Workers first (their roles decide everything else), then laptops, each in clock order
    // against what was accepted before it.
    let mut order: Vec<usize> =
        (0..incoming.len()).filter(|&i| matches!(incoming[i].record_type.as_str(), "worker" | "worker_key" | "device")).collect();
    order.sort_by(|&a, &b| (incoming[a].hlc, &incoming[a].device_id).cmp(&(incoming[b].hlc, &incoming[b].device_id)));
    let mut revoked = Vec::new();
    let mut held = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM operations WHERE op_id = ?1)")?;
    for i in order {
        let op = &incoming[i];
        // Already accepted here (the same change arriving again): judged when it first came.
        if held.query_row([&op.op_id], |r| r.get::<_, bool>(0))? {
            continue;
        }
        // What a revoked laptop made after its revocation is set aside below, whatever it says.
        if authority.laptops.get(&op.device_id).and_then(|l| l.revoked_at).is_some_and(|at| hlc::millis(op.hlc) >= at) {
            continue;
        }
        let fields = fields_of(op)?;
        // Judged against the keys known before it (a key it makes known signs nothing before it
        // is accepted), and reported after its author's roles, the likelier reason.
        let to_check = !trusted && signing::needs_author(&op.change());
        let signature = match to_check {
            true => authority.signed_by_author(team_id, op, signed.get(&i), rule_for(&op.record_type).0),
            false => Ok(()),
        };
        if op.record_type == "worker_key" {
            worker_key(&mut authority, op, &fields, trusted)?;
        } else if op.record_type == "worker" {
            let (what, allowed, needs) = rule_for("worker");
            if !trusted {
                authority.require(op, allowed, what, needs)?;
            }
            authority.workers.entry(op.record_id.clone()).or_default().push(event(op.hlc, op.device_id.clone(), &fields));
            if let Some(name) = new_value(&fields, "display_name").and_then(Value::as_str) {
                authority.names.insert(op.record_id.clone(), name.to_string());
            }
        } else {
            laptop_change(&mut authority, team_id, op, &fields, trusted, &mut revoked)?;
        }
        signature?;
        if to_check {
            verified.insert(i);
        }
    }
    drop(held);

    // Each origin's chain, from the head held here to the head it signed.
    let mut by_origin: HashMap<&str, Vec<&Incoming>> = HashMap::new();
    for op in &incoming {
        by_origin.entry(op.device_id.as_str()).or_default().push(op);
    }
    let mut new_heads = Vec::new();
    // Per origin, the number up to which this laptop held its operations before this bundle.
    let mut held_up_to: HashMap<String, i64> = HashMap::new();
    for (origin, ops) in by_origin {
        if origin == me {
            own_operations(conn, &ops)?;
            held_up_to.insert(origin.to_string(), i64::MAX);
            continue;
        }
        if let Some(hub) = authority.laptops.get(origin).filter(|l| l.receives_only) {
            return Err(SyncError::FromHub(hub.label.clone()));
        }
        let mut head = chains::held(conn, origin)?;
        let start = head.seq;
        held_up_to.insert(origin.to_string(), start);
        for op in ops.iter().filter(|op| op.seq > start) {
            if op.seq != head.seq + 1 {
                return Err(SyncError::Gap { laptop: label(&authority, origin), from: head.seq + 1, to: op.seq - 1 });
            }
            head = Head { seq: op.seq, chain: chains::link(&head.chain, op), signature: None };
        }
        if head.seq == start {
            continue;
        }
        let signed = body
            .origins
            .iter()
            .position(|o| o == origin)
            .and_then(|i| body.heads.iter().find(|h| h.origin as usize == i))
            .filter(|h| h.seq == head.seq && h.chain == head.chain);
        let key = authority.laptops.get(origin).and_then(|l| l.key);
        match (signed, key) {
            (Some(s), Some(key)) => {
                head.signature = s.signature.clone();
                if !chains::verify(team_id, origin, &head, &key) {
                    return Err(SyncError::Unvouched(label(&authority, origin)));
                }
            }
            (None, _) if trusted => {}
            (_, None) => return Err(SyncError::UnknownOrigin(origin.to_string())),
            (None, Some(_)) => return Err(SyncError::Unvouched(label(&authority, origin))),
        }
        new_heads.push((origin.to_string(), head));
    }

    // Everything else: its author's standing at its time; a revoked laptop's later work aside.
    let mut aside = Vec::with_capacity(incoming.len());
    for (i, op) in incoming.iter().enumerate() {
        if let Some(at) = authority.laptops.get(&op.device_id).and_then(|l| l.revoked_at) {
            if hlc::millis(op.hlc) >= at {
                aside.push(true);
                continue;
            }
        }
        // One this laptop already holds was judged when it came (one under a held number with
        // other content is refused as it is applied).
        let new_here = op.seq > held_up_to.get(&op.device_id).copied().unwrap_or(0);
        if new_here && !trusted && !matches!(op.record_type.as_str(), "worker" | "worker_key" | "device") {
            let (what, allowed, needs) = rule_for(&op.record_type);
            authority.require(op, allowed, what, needs)?;
            if signing::needs_author(&op.change()) {
                authority.signed_by_author(team_id, op, signed.get(&i), what)?;
                verified.insert(i);
            }
        }
        aside.push(false);
    }
    // Only signatures that were checked here are kept and passed on: one a relaying laptop
    // attached to a change this laptop already held would otherwise travel in its name.
    let signatures = signed
        .into_iter()
        .filter(|(i, _)| trusted || verified.contains(i))
        .map(|(i, (key, signature))| (incoming[i].op_id.clone(), key, signature))
        .collect();
    let (mut accepted, mut set_aside) = (Vec::with_capacity(incoming.len()), Vec::new());
    for (op, aside) in incoming.into_iter().zip(aside) {
        if aside {
            set_aside.push(op);
        } else {
            accepted.push(op);
        }
    }
    Ok(Checked { accepted, set_aside, heads: new_heads, revoked, signatures })
}

/// A worker's signing key made known: by an administrator (the founding administrator's own
/// on the laptop that founded the team, signed by that key), once, for an account the team has;
/// a key never changes and is never anyone else's.
fn worker_key(authority: &mut Authority, op: &Incoming, fields: &Map<String, Value>, trusted: bool) -> Result<(), SyncError> {
    let (what, allowed, needs) = rule_for("worker_key");
    let refuse = |a: &Authority, why: &str| SyncError::NotAllowed { what: what.into(), who: a.name(&op.worker_id), why: why.into() };
    if !matches!(op.kind, "create" | "append") {
        return Err(refuse(authority, "changing a worker's key, which never changes"));
    }
    let text = |field: &str| new_value(fields, field).and_then(Value::as_str).unwrap_or_default().to_string();
    let (owner, laptop) = (text("worker_id"), text("laptop_id"));
    if text("id") != op.record_id || !authority.workers.contains_key(&owner) {
        return Err(SyncError::Corrupt("a worker's key in it names no worker of the team".into()));
    }
    if authority.keys.get(&op.record_id).is_some_and(|(held, _)| *held != owner) {
        return Err(refuse(authority, "giving a key the team knows as one worker's to another"));
    }
    if !trusted {
        authority.require(op, allowed, what, needs)?;
        // Judged at its own clock and as the team stands now: a key lasts, so an administrator
        // who has since left or lost the role cannot date one back to when they held it.
        let still = authority
            .standing_at(&op.worker_id, i64::MAX)
            .is_some_and(|(roles, active)| active && roles.iter().any(|r| allowed.contains(r)));
        if !still {
            return Err(refuse(authority, "who is no longer an administrator (a key lasts, so only one who still is vouches for it)"));
        }
    }
    authority.keys.insert(op.record_id.clone(), (owner, laptop));
    Ok(())
}

/// A laptop's enrolment or revocation: by a team lead, or a restored laptop naming itself the
/// successor of the one it was (vouched for by that laptop's key). A revocation is for good and
/// a laptop's key never changes.
fn laptop_change(
    authority: &mut Authority,
    team_id: &str,
    op: &Incoming,
    fields: &Map<String, Value>,
    trusted: bool,
    revoked: &mut Vec<(String, i64)>,
) -> Result<(), SyncError> {
    let (what, allowed, needs) = rule_for("device");
    let refuse = |a: &Authority, why: &str| SyncError::NotAllowed { what: what.into(), who: a.name(&op.worker_id), why: why.into() };
    let known = authority.laptops.get(&op.record_id).cloned();
    let successor_of = new_value(fields, "successor_of").and_then(Value::as_str);
    match (&known, op.kind) {
        (None, "create" | "append") => {
            let key = new_value(fields, "public_key")
                .and_then(Value::as_str)
                .and_then(|k| hex::decode(k).ok())
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .and_then(|b| VerifyingKey::from_bytes(&b).ok())
                .ok_or_else(|| SyncError::Corrupt("a laptop's key is malformed".into()))?;
            if let Some(before) = successor_of {
                let vouched = authority
                    .laptops
                    .get(before)
                    .filter(|l| !l.receives_only && l.revoked_at.is_none_or(|at| hlc::millis(op.hlc) < at))
                    .and_then(|l| l.key)
                    .zip(new_value(fields, "succession_signature").and_then(Value::as_str).and_then(|s| hex::decode(s).ok()))
                    .is_some_and(|(predecessor, signature)| {
                        Signature::from_slice(&signature)
                            .is_ok_and(|s| predecessor.verify(&succession_message(team_id, before, &op.record_id, &key), &s).is_ok())
                    });
                if !vouched || op.device_id != op.record_id {
                    return Err(refuse(authority, "as the successor of a laptop that did not vouch for it, or was revoked"));
                }
            } else if !trusted {
                if op.device_id == op.record_id {
                    return Err(refuse(authority, "by the very laptop it enrols: a laptop cannot enrol itself"));
                }
                authority.require(op, allowed, what, needs)?;
            }
            let label = new_value(fields, "label").and_then(Value::as_str).unwrap_or_default().to_string();
            let revoked_at = new_value(fields, "revoked_at").and_then(millis_of);
            let receives_only = new_value(fields, "receives_only").is_some_and(|v| v.as_bool() == Some(true) || v.as_i64() == Some(1));
            if receives_only && successor_of.is_some() {
                return Err(refuse(authority, "as a hub succeeding a laptop: a hub replaces no laptop"));
            }
            authority.laptops.insert(op.record_id.clone(), Laptop { label, key: Some(key), revoked_at, receives_only });
        }
        (Some(laptop), _) => {
            if op.kind == "create" || op.kind == "append" {
                // The same enrolment arriving again is already held; another is not allowed.
                if laptop.key.is_some_and(|k| new_value(fields, "public_key").and_then(Value::as_str) == Some(&hex::encode(k.to_bytes()))) {
                    return Ok(());
                }
                return Err(refuse(authority, "enrolling again a laptop the team already has"));
            }
            for locked in ["public_key", "successor_of", "succession_signature", "enrolled_at", "enrolled_by", "id", "receives_only"] {
                if fields.contains_key(locked) {
                    return Err(refuse(authority, "changing a laptop's key or enrolment, which never change"));
                }
            }
            if fields.contains_key("key_after_revocation") && new_value(fields, "revoked_at").and_then(millis_of).is_none() {
                return Err(refuse(authority, "naming a team key other than at a revocation"));
            }
            if !trusted {
                authority.require(op, allowed, what, needs)?;
            }
            if let Some(at) = new_value(fields, "revoked_at").and_then(millis_of) {
                if op.device_id == op.record_id {
                    return Err(refuse(
                        authority,
                        "by the very laptop it revokes (a laptop cannot revoke itself, nor choose the team's next key)",
                    ));
                }
                revoked.push((op.record_id.clone(), at));
                // Two team leads may revoke the same laptop before they hear of each other: the
                // earlier revocation holds.
                if let Some(l) = authority.laptops.get_mut(&op.record_id) {
                    l.revoked_at = Some(l.revoked_at.map_or(at, |was| was.min(at)));
                }
            } else if fields.contains_key("revoked_at") {
                return Err(refuse(authority, "undoing a laptop's revocation, which is for good"));
            }
            if let Some(label) = new_value(fields, "label").and_then(Value::as_str) {
                if let Some(l) = authority.laptops.get_mut(&op.record_id) {
                    l.label = label.to_string();
                }
            }
        }
        (None, _) => return Err(SyncError::Corrupt("it changes a laptop it never enrolled".into())),
    }
    Ok(())
}

/// What a laptop restored from a backup has the old laptop's key sign: the team, the old
/// laptop, the new one and its key.
pub fn succession_message(team_id: &str, before: &str, after: &str, key: &VerifyingKey) -> Vec<u8> {
    let mut m = b"throughline succession v1".to_vec();
    for part in [team_id.as_bytes(), before.as_bytes(), after.as_bytes()] {
        m.extend_from_slice(&(part.len() as u64).to_be_bytes());
        m.extend_from_slice(part);
    }
    m.extend_from_slice(key.as_bytes());
    m
}

/// Operations naming this laptop as their origin must be ones it made: same number, same id.
fn own_operations(conn: &Connection, ops: &[&Incoming]) -> Result<(), SyncError> {
    let mut stmt = conn.prepare_cached("SELECT op_id FROM operations WHERE device_id = ?1 AND seq = ?2")?;
    for op in ops {
        let held: Option<String> = stmt.query_row(rusqlite::params![op.device_id, op.seq], |r| r.get(0)).optional()?;
        if held.as_deref() != Some(op.op_id.as_str()) {
            return Err(SyncError::ClaimsThisLaptop);
        }
    }
    Ok(())
}

/// The key a laptop this one does not know yet vouches for itself with, when the bundle it
/// signed carries its enrolment as the successor of a laptop this one knows (a laptop restored
/// from a backup, sending its first bundle). Whether the old laptop really vouched for it is
/// checked with everything else ([`check`]).
pub fn successor_key(body_ops: &[Incoming], device_id: &str) -> Option<VerifyingKey> {
    body_ops.iter().filter(|op| op.record_type == "device" && op.record_id == device_id && op.device_id == device_id).find_map(|op| {
        let fields = fields_of(op).ok()?;
        new_value(&fields, "successor_of")?;
        let key: [u8; 32] = hex::decode(new_value(&fields, "public_key")?.as_str()?).ok()?.try_into().ok()?;
        VerifyingKey::from_bytes(&key).ok()
    })
}
