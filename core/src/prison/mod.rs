//! Prison, release and throughcare (domain.md "Prison and release"): the prison spell from
//! reception to release, transfers, every change of the expected release date (kept in the
//! operation log, as RA2 variations are), the throughcare plan with the first community
//! appointment, the release at the gate, and whether the person reached community treatment
//! within 21 days (003: the national ambition is 75% of releases needing support).
pub mod continuity;
pub mod handover;
pub mod release_plan;
pub mod releases;
pub mod treatment;

use crate::appointments::{self, AppointmentStatus, AppointmentView, NewAppointment, OwnerType, PathwayError};
use crate::calendar::when;
use crate::clients::family;
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems};
use crate::reference::{self, choice, Choice};
use crate::store::hlc;
use crate::store::record::Made;
use crate::store::record::{from_row, sql_bool};
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use continuity::{Continuity, ContinuityOfCare};

pub const CUSTODY_TYPES: &[Choice] = &[choice("remanded", "Remanded"), choice("sentenced", "Sentenced")];

/// How prescribing continues through the gate; the first two and "not needed" are in place.
pub const PRESCRIBING: &[Choice] = &[
    choice("bridging_arranged", "Bridging prescription arranged"),
    choice("community_script_arranged", "Community prescription arranged"),
    choice("not_needed", "No prescribing needed"),
    choice("not_arranged", "Not yet arranged"),
];

/// The kind Throughline gives the first community appointment after release.
pub const FIRST_APPOINTMENT: &str = "First community appointment";

/// One time in prison, from reception to release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrisonSpell {
    pub id: String,
    pub client_id: String,
    /// Where the person is now; a transfer moves it.
    pub prison: String,
    pub received_on: NaiveDate,
    /// A value of [`CUSTODY_TYPES`].
    pub custody_type: String,
    pub expected_release_on: Option<NaiveDate>,
    pub licence_end_on: Option<NaiveDate>,
    pub in_prison_treatment: Option<String>,
    pub released_on: Option<NaiveDate>,
    #[serde(with = "appointments::opt_bool")]
    pub seen_at_gate: Option<bool>,
    pub release_recorded_at: Option<DateTime<Utc>>,
    /// Further remand: the expected release will not happen.
    pub release_cancelled_on: Option<NaiveDate>,
    pub release_cancelled_reason: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(PrisonSpell, "prison_spell", "prison_spells");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrisonTransfer {
    pub id: String,
    pub client_id: String,
    pub spell_id: String,
    pub from_prison: String,
    pub to_prison: String,
    pub transferred_on: NaiveDate,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(PrisonTransfer, "prison_transfer", "prison_transfers");

/// What is arranged for the day of release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThroughcarePlan {
    pub id: String,
    pub client_id: String,
    pub spell_id: String,
    /// Where the person will live on release ("No fixed abode" is an answer).
    pub accommodation: String,
    /// A value of [`PRESCRIBING`].
    pub prescribing: String,
    pub prescribing_detail: Option<String>,
    #[serde(with = "sql_bool")]
    pub naloxone_supplied: bool,
    /// Who meets them at the gate.
    pub gate_contact: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(ThroughcarePlan, "throughcare_plan", "throughcare_plans");

impl ThroughcarePlan {
    pub fn prescribing_in_place(&self) -> bool {
        self.prescribing != "not_arranged"
    }
}

/// A new prison spell as typed: dates "23/11/2026".
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewSpell {
    pub prison: String,
    pub received_on: String,
    pub custody_type: String,
    pub expected_release_on: String,
    pub licence_end_on: String,
    pub in_prison_treatment: String,
}

/// A change to a spell while the person is in: sentenced after remand, a new expected release
/// date or licence end, the treatment they are having.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct SpellChange {
    pub custody_type: String,
    pub expected_release_on: String,
    pub licence_end_on: String,
    pub in_prison_treatment: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewTransfer {
    pub to_prison: String,
    pub transferred_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewRelease {
    pub released_on: String,
    pub seen_at_gate: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewPlan {
    pub accommodation: String,
    pub prescribing: String,
    pub prescribing_detail: String,
    pub naloxone_supplied: Option<bool>,
    pub gate_contact: String,
}

/// A change of the expected release date, from the operation log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReleaseDateChange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TransferView {
    pub id: String,
    pub from_prison: String,
    pub to_prison: String,
    pub transferred_on: NaiveDate,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlanView {
    pub id: String,
    pub accommodation: String,
    pub prescribing: String,
    pub prescribing_label: String,
    pub prescribing_detail: Option<String>,
    pub naloxone_supplied: bool,
    pub gate_contact: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SpellView {
    pub id: String,
    pub client_id: String,
    pub prison: String,
    pub received_on: NaiveDate,
    pub custody_type: String,
    pub custody_type_label: String,
    pub expected_release_on: Option<NaiveDate>,
    pub licence_end_on: Option<NaiveDate>,
    pub in_prison_treatment: Option<String>,
    pub released_on: Option<NaiveDate>,
    pub seen_at_gate: Option<bool>,
    pub release_cancelled_on: Option<NaiveDate>,
    pub release_cancelled_reason: Option<String>,
    /// Still in prison (no release recorded).
    pub in_prison: bool,
    pub release_date_changes: Vec<ReleaseDateChange>,
    pub transfers: Vec<TransferView>,
    pub plan: Option<PlanView>,
    /// The first community appointment (and any rebooked after it), in time order.
    pub appointments: Vec<AppointmentView>,
    /// What is not yet in place for the release, in words.
    pub missing: Vec<String>,
    /// After release: community treatment within 21 days, or not, or still open.
    pub continuity: Option<ContinuityOfCare>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PrisonSummary {
    /// Newest first.
    pub spells: Vec<SpellView>,
    pub episodes: Vec<treatment::EpisodeView>,
}

/// The fixed lists the prison and treatment forms choose from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PrisonLists {
    pub custody_types: Vec<Choice>,
    pub prescribing: Vec<Choice>,
    pub modalities: Vec<Choice>,
    pub discharge_reasons: Vec<Choice>,
}

pub fn lists() -> PrisonLists {
    PrisonLists {
        custody_types: CUSTODY_TYPES.to_vec(),
        prescribing: PRESCRIBING.to_vec(),
        modalities: treatment::MODALITIES.to_vec(),
        discharge_reasons: treatment::DISCHARGE_REASONS.to_vec(),
    }
}

/// A typed date: `Some(None)` when blank, `None` (with a problem noted) when unreadable.
pub(crate) fn optional_date(p: &mut Problems, field: &str, typed: &str, what: &str) -> Option<Option<NaiveDate>> {
    if typed.trim().is_empty() {
        return Some(None);
    }
    match dates::parse(typed) {
        Some(d) => Some(Some(d)),
        None => {
            p.push(FieldError::new(field, ErrorCode::ValidationDateFormat, format!("Enter {what} as day/month/year, like 23/11/2026.")));
            None
        }
    }
}

/// A date that must be given and not be in the future.
pub(crate) fn past_date(p: &mut Problems, field: &str, typed: &str, what: &str, today: NaiveDate) -> Option<NaiveDate> {
    match optional_date(p, field, typed, what)? {
        None => {
            p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter {what}.")));
            None
        }
        Some(d) if d > today => {
            let mut what = what.to_string();
            if let Some(first) = what.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            p.push(FieldError::new(field, ErrorCode::ValidationDateFuture, format!("{what} cannot be in the future.")));
            None
        }
        Some(d) => Some(d),
    }
}

/// An optional date that, when given, must not be in the future.
pub(crate) fn optional_past_date(p: &mut Problems, field: &str, typed: &str, what: &str, today: NaiveDate) -> Option<Option<NaiveDate>> {
    match optional_date(p, field, typed, what)? {
        Some(d) if d > today => {
            p.push(FieldError::new(field, ErrorCode::ValidationDateFuture, format!("The {what} cannot be in the future.")));
            None
        }
        other => Some(other),
    }
}

fn choose(p: &mut Problems, field: &str, list: &[Choice], value: &str, what: &str) -> Option<String> {
    if reference::is_in(list, value.trim()) {
        Some(value.trim().to_string())
    } else {
        p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Choose {what} from the list.")));
        None
    }
}

/// An optional choice: `Some(None)` when blank.
pub(crate) fn choose_optional(p: &mut Problems, field: &str, list: &[Choice], value: &str, what: &str) -> Option<Option<String>> {
    if value.trim().is_empty() {
        return Some(None);
    }
    choose(p, field, list, value, what).map(Some)
}

pub fn get_spell(conn: &Connection, id: &str) -> rusqlite::Result<Option<PrisonSpell>> {
    crate::store::record::get(conn, id)
}

pub fn require_spell(conn: &Connection, id: &str) -> Result<PrisonSpell, PathwayError> {
    get_spell(conn, id)?.ok_or(PathwayError::NotFound("No prison spell with that reference is on this laptop."))
}

pub fn plan_of(conn: &Connection, spell_id: &str) -> rusqlite::Result<Option<ThroughcarePlan>> {
    conn.prepare_cached("SELECT * FROM throughcare_plans WHERE spell_id = ?1")?.query_row([spell_id], from_row).optional()
}

fn refuse_if_released(spell: &PrisonSpell, doing: &str) -> Result<(), PathwayError> {
    match spell.released_on {
        Some(d) => Err(PathwayError::NotAllowed(format!(
            "A release on {} is recorded for this prison spell, so it cannot be {doing}. Record a new prison spell if they are back in prison.",
            dates::display(d)
        ))),
        None => Ok(()),
    }
}

/// The expected release must not come before reception, and the licence must not end before
/// the release.
fn check_release_dates(p: &mut Problems, received_on: NaiveDate, expected: Option<NaiveDate>, licence_end: Option<NaiveDate>) {
    if let Some(e) = expected {
        if e < received_on {
            p.push(FieldError::new(
                "expected_release_on",
                ErrorCode::ValidationReleaseBeforeReception,
                format!("The expected release cannot be before reception on {}.", dates::display(received_on)),
            ));
        }
    }
    if let (Some(l), Some(e)) = (licence_end, expected) {
        if l < e {
            p.push(FieldError::new(
                "licence_end_on",
                ErrorCode::ValidationLicenceBeforeRelease,
                format!("The licence cannot end before the release on {}.", dates::display(e)),
            ));
        }
    }
}

/// Records a reception into prison.
pub fn record_spell(store: &mut Store, actor: &Actor, client_id: &str, input: &NewSpell) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let ids = family(store.reader(), &client.id)?;
    if let Some(open) = spells_of(store.reader(), &ids)?.into_iter().find(|s| s.released_on.is_none()) {
        return Err(PathwayError::NotAllowed(format!(
            "{} {} is already recorded as in {} since {}. Record their release or a transfer instead.",
            client.forenames,
            client.surname,
            open.prison,
            dates::display(open.received_on)
        )));
    }
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let prison = p.check(text::required("prison", "Prison", &input.prison, 200));
    let received_on = past_date(&mut p, "received_on", &input.received_on, "the date of reception", today);
    let custody_type = choose(&mut p, "custody_type", CUSTODY_TYPES, &input.custody_type, "remanded or sentenced");
    let expected = optional_date(&mut p, "expected_release_on", &input.expected_release_on, "the expected release date");
    let licence = optional_date(&mut p, "licence_end_on", &input.licence_end_on, "the licence end date");
    let treatment = p.check(text::optional_multiline("in_prison_treatment", "Treatment in prison", &input.in_prison_treatment, 2000));
    if let (Some(r), Some(e), Some(l)) = (received_on, expected, licence) {
        check_release_dates(&mut p, r, e, l);
    }
    let (prison, received_on, custody_type, expected_release_on, licence_end_on, in_prison_treatment) =
        p.complete((prison, received_on, custody_type, expected, licence, treatment).all())?;
    let mut spell = PrisonSpell {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        prison,
        received_on,
        custody_type,
        expected_release_on,
        licence_end_on,
        in_prison_treatment,
        released_on: None,
        seen_at_gate: None,
        release_recorded_at: None,
        release_cancelled_on: None,
        release_cancelled_reason: None,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut spell))?;
    Ok(spell.id)
}

/// Changes what is known while the person is in: a new expected release date (the old one
/// stays in the history), the licence end, sentenced after remand, treatment in prison.
pub fn change_spell(store: &mut Store, actor: &Actor, spell_id: &str, input: &SpellChange) -> Result<(), PathwayError> {
    let before = require_spell(store.reader(), spell_id)?;
    refuse_if_released(&before, "changed")?;
    let mut p = Problems::default();
    let custody_type = choose(&mut p, "custody_type", CUSTODY_TYPES, &input.custody_type, "remanded or sentenced");
    let expected = optional_date(&mut p, "expected_release_on", &input.expected_release_on, "the expected release date");
    let licence = optional_date(&mut p, "licence_end_on", &input.licence_end_on, "the licence end date");
    let treatment = p.check(text::optional_multiline("in_prison_treatment", "Treatment in prison", &input.in_prison_treatment, 2000));
    if let (Some(e), Some(l)) = (expected, licence) {
        check_release_dates(&mut p, before.received_on, e, l);
    }
    let (custody_type, expected_release_on, licence_end_on, in_prison_treatment) =
        p.complete((custody_type, expected, licence, treatment).all())?;
    let new_date = expected_release_on.is_some() && expected_release_on != before.expected_release_on;
    let after = PrisonSpell {
        custody_type,
        expected_release_on,
        licence_end_on,
        in_prison_treatment,
        // A new expected date replaces a cancelled release.
        release_cancelled_on: if new_date { None } else { before.release_cancelled_on },
        release_cancelled_reason: if new_date { None } else { before.release_cancelled_reason.clone() },
        ..before.clone()
    };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records a transfer to another prison; the spell follows the person.
pub fn record_transfer(store: &mut Store, actor: &Actor, spell_id: &str, input: &NewTransfer) -> Result<String, PathwayError> {
    let before = require_spell(store.reader(), spell_id)?;
    refuse_if_released(&before, "transferred")?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let to_prison = p.check(text::required("to_prison", "Prison transferred to", &input.to_prison, 200));
    let on = past_date(&mut p, "transferred_on", &input.transferred_on, "the date of the transfer", today);
    if on.is_some_and(|d| d < before.received_on) {
        p.push(FieldError::new(
            "transferred_on",
            ErrorCode::ValidationTransferBeforeReception,
            format!("The transfer cannot be before reception on {}.", dates::display(before.received_on)),
        ));
    }
    if to_prison.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(&before.prison)) {
        p.push(FieldError::new("to_prison", ErrorCode::ValidationSamePrison, format!("They are already recorded at {}.", before.prison)));
    }
    let (to_prison, transferred_on) = p.complete((to_prison, on).all())?;
    let mut transfer = PrisonTransfer {
        id: crate::ids::new_id(store.clock()),
        client_id: before.client_id.clone(),
        spell_id: before.id.clone(),
        from_prison: before.prison.clone(),
        to_prison: to_prison.clone(),
        transferred_on,
        made: Made::on_write(),
    };
    let after = PrisonSpell { prison: to_prison, ..before.clone() };
    store.write(actor, |w| {
        w.create(&mut transfer)?;
        w.update(&before, &after).map(|_| ())
    })?;
    Ok(transfer.id)
}

/// The expected release will not happen (further remand): the date is cleared, so nothing
/// is flagged until a new one is recorded.
pub fn cancel_release(store: &mut Store, actor: &Actor, spell_id: &str, reason: &str) -> Result<(), PathwayError> {
    let before = require_spell(store.reader(), spell_id)?;
    refuse_if_released(&before, "cancelled")?;
    let reason = text::required("reason", "Reason", reason, 500).map_err(|e| crate::error::ValidationErrors(vec![e]))?;
    if before.expected_release_on.is_none() {
        return Err(PathwayError::NotAllowed("No expected release date is recorded, so there is no release to cancel.".into()));
    }
    let after = PrisonSpell {
        custody_type: "remanded".into(),
        expected_release_on: None,
        release_cancelled_on: Some(dates::today(store.clock().now())),
        release_cancelled_reason: Some(reason),
        ..before.clone()
    };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records the release: the actual date and whether the person was seen at the gate.
pub fn record_release(store: &mut Store, actor: &Actor, spell_id: &str, input: &NewRelease) -> Result<(), PathwayError> {
    let before = require_spell(store.reader(), spell_id)?;
    refuse_if_released(&before, "released again")?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let released_on = past_date(&mut p, "released_on", &input.released_on, "the date of release", today);
    if let Some(r) = released_on {
        if r < before.received_on {
            p.push(FieldError::new(
                "released_on",
                ErrorCode::ValidationReleaseBeforeReception,
                format!("The release cannot be before reception on {}.", dates::display(before.received_on)),
            ));
        }
        if let Some(l) = before.licence_end_on.filter(|l| *l < r) {
            p.push(FieldError::new(
                "released_on",
                ErrorCode::ValidationLicenceBeforeRelease,
                format!("The licence is recorded as ending on {}, before this release. Correct the licence end first.", dates::display(l)),
            ));
        }
    }
    if input.seen_at_gate.is_none() {
        p.push(FieldError::new("seen_at_gate", ErrorCode::ValidationRequired, "Record whether they were seen at the gate."));
    }
    let (Some(released_on), Some(seen)) = (released_on, input.seen_at_gate) else {
        return Err(p.into_error().into());
    };
    p.finish()?;
    let after = PrisonSpell {
        released_on: Some(released_on),
        seen_at_gate: Some(seen),
        release_recorded_at: Some(store.clock().now()),
        ..before.clone()
    };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records or changes the throughcare plan of a spell.
pub fn save_plan(store: &mut Store, actor: &Actor, spell_id: &str, input: &NewPlan) -> Result<String, PathwayError> {
    let spell = require_spell(store.reader(), spell_id)?;
    let mut p = Problems::default();
    let accommodation = p.check(text::required("accommodation", "Accommodation on release", &input.accommodation, 500));
    let prescribing = choose(&mut p, "prescribing", PRESCRIBING, &input.prescribing, "how prescribing continues");
    let detail = p.check(text::optional_multiline("prescribing_detail", "Prescribing detail", &input.prescribing_detail, 2000));
    let gate = p.check(text::optional("gate_contact", "Who meets them at the gate", &input.gate_contact, 200));
    if input.naloxone_supplied.is_none() {
        p.push(FieldError::new("naloxone_supplied", ErrorCode::ValidationRequired, "Record whether naloxone was supplied."));
    }
    let (Some(accommodation), Some(prescribing), Some(prescribing_detail), Some(gate_contact), Some(naloxone_supplied)) =
        (accommodation, prescribing, detail, gate, input.naloxone_supplied)
    else {
        return Err(p.into_error().into());
    };
    p.finish()?;
    let existing = plan_of(store.reader(), &spell.id)?;
    let mut plan = ThroughcarePlan {
        id: existing.as_ref().map_or_else(|| crate::ids::new_id(store.clock()), |e| e.id.clone()),
        client_id: spell.client_id.clone(),
        spell_id: spell.id.clone(),
        accommodation,
        prescribing,
        prescribing_detail,
        naloxone_supplied,
        gate_contact,
        made: existing.as_ref().map_or_else(Made::on_write, |e| e.made.clone()),
    };
    store.write(actor, |w| match &existing {
        Some(before) => w.update(before, &plan).map(|_| ()),
        None => w.create(&mut plan),
    })?;
    Ok(plan.id)
}

/// Books the first community appointment after release (an ordinary appointment, owned by
/// the spell, whose outcome says whether it was kept).
pub fn book_first_appointment(store: &mut Store, actor: &Actor, spell_id: &str, input: &NewAppointment) -> Result<String, PathwayError> {
    let spell = require_spell(store.reader(), spell_id)?;
    let mut p = Problems::default();
    let kind = if input.kind.trim().is_empty() { Some(FIRST_APPOINTMENT) } else { None };
    let booking = appointments::check_booking(&mut p, store.reader(), actor, input, kind);
    if let Some(b) = &booking {
        if when::london_date(b.at) < spell.received_on {
            p.push(FieldError::new(
                "date",
                ErrorCode::ValidationAppointmentBeforeReception,
                "The community appointment cannot be before reception into prison.",
            ));
        }
    }
    let booking = p.complete(booking)?;
    let id = crate::ids::new_id(store.clock());
    store.write(actor, |w| appointments::create(w, id.clone(), &spell.client_id, OwnerType::Throughcare, &spell.id, booking))?;
    Ok(id)
}

pub fn spells_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<PrisonSpell>> {
    let mut list: Vec<PrisonSpell> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by(|a, b| a.received_on.cmp(&b.received_on).then(a.made.created_at.cmp(&b.made.created_at)));
    Ok(list)
}

pub fn transfers_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<PrisonTransfer>> {
    let mut list: Vec<PrisonTransfer> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by(|a, b| a.transferred_on.cmp(&b.transferred_on).then(a.made.created_at.cmp(&b.made.created_at)));
    Ok(list)
}

/// Every change of a spell's expected release date, oldest first, from the operation log.
pub fn release_date_changes(conn: &Connection, spell_id: &str) -> rusqlite::Result<Vec<ReleaseDateChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, worker_id, changes FROM operations
         WHERE record_type = 'prison_spell' AND record_id = ?1 AND kind = 'update' ORDER BY hlc",
    )?;
    let rows: Vec<(i64, String, String)> =
        stmt.query_map([spell_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (stamp, worker, changes) in rows {
        let Ok(Value::Object(changes)) = serde_json::from_str::<Value>(&changes) else { continue };
        let Some([from, to]) = changes.get("expected_release_on").and_then(Value::as_array).map(Vec::as_slice) else { continue };
        let (Ok(from), Ok(to)) = (serde_json::from_value(from.clone()), serde_json::from_value(to.clone())) else { continue };
        out.push(ReleaseDateChange {
            from,
            to,
            changed_at: DateTime::from_timestamp_millis(hlc::millis(stamp)).unwrap_or_default(),
            changed_by: crate::clients::worker_name(conn, &worker)?,
        });
    }
    Ok(out)
}

/// The appointments booked for after a spell's release, in time order.
pub fn first_appointments(conn: &Connection, spell_id: &str) -> rusqlite::Result<Vec<appointments::Appointment>> {
    appointments::of_owner(conn, OwnerType::Throughcare, spell_id)
}

/// What is not yet in place for a release, in words, in the order a worker fixes them.
pub fn missing(plan: Option<&ThroughcarePlan>, booked: &[appointments::Appointment]) -> Vec<String> {
    let mut out = Vec::new();
    if plan.is_none() {
        out.push("No throughcare plan".to_string());
    }
    if !booked.iter().any(|a| matches!(a.status, AppointmentStatus::Scheduled | AppointmentStatus::Attended)) {
        out.push("No first community appointment".into());
    }
    if !plan.is_some_and(ThroughcarePlan::prescribing_in_place) {
        out.push("No prescribing continuity".into());
    }
    if let Some(p) = plan {
        if !p.naloxone_supplied {
            out.push("Naloxone not supplied".into());
        }
        if p.gate_contact.is_none() {
            out.push("Nobody to meet them at the gate".into());
        }
    }
    out
}

fn plan_view(conn: &Connection, p: ThroughcarePlan) -> rusqlite::Result<PlanView> {
    Ok(PlanView {
        prescribing_label: reference::label(PRESCRIBING, &p.prescribing),
        recorded_by: crate::clients::worker_name(conn, &p.made.created_by)?,
        id: p.id,
        accommodation: p.accommodation,
        prescribing: p.prescribing,
        prescribing_detail: p.prescribing_detail,
        naloxone_supplied: p.naloxone_supplied,
        gate_contact: p.gate_contact,
    })
}

/// A client's prison spells (newest first) and treatment episodes.
pub fn for_client(conn: &Connection, client_id: &str, now: DateTime<Utc>) -> Result<PrisonSummary, PathwayError> {
    let ids = family(conn, client_id)?;
    let today = when::london_date(now);
    let episodes = treatment::episodes_of(conn, &ids)?;
    let transfers = transfers_of(conn, &ids)?;
    let mut spells = Vec::new();
    for s in spells_of(conn, &ids)?.into_iter().rev() {
        let plan = plan_of(conn, &s.id)?;
        let booked = first_appointments(conn, &s.id)?;
        let missing = if s.released_on.is_none() { missing(plan.as_ref(), &booked) } else { Vec::new() };
        let continuity = s.released_on.map(|r| continuity::result(r, &episodes, today));
        spells.push(SpellView {
            custody_type_label: reference::label(CUSTODY_TYPES, &s.custody_type),
            release_date_changes: release_date_changes(conn, &s.id)?,
            transfers: transfers
                .iter()
                .filter(|t| t.spell_id == s.id)
                .map(|t| {
                    Ok(TransferView {
                        id: t.id.clone(),
                        from_prison: t.from_prison.clone(),
                        to_prison: t.to_prison.clone(),
                        transferred_on: t.transferred_on,
                        recorded_by: crate::clients::worker_name(conn, &t.made.created_by)?,
                    })
                })
                .collect::<rusqlite::Result<_>>()?,
            plan: plan.map(|p| plan_view(conn, p)).transpose()?,
            appointments: appointments::views(conn, booked, now)?,
            missing,
            continuity,
            in_prison: s.released_on.is_none(),
            recorded_by: crate::clients::worker_name(conn, &s.made.created_by)?,
            id: s.id,
            client_id: s.client_id,
            prison: s.prison,
            received_on: s.received_on,
            custody_type: s.custody_type,
            expected_release_on: s.expected_release_on,
            licence_end_on: s.licence_end_on,
            in_prison_treatment: s.in_prison_treatment,
            released_on: s.released_on,
            seen_at_gate: s.seen_at_gate,
            release_cancelled_on: s.release_cancelled_on,
            release_cancelled_reason: s.release_cancelled_reason,
        });
    }
    let episodes = episodes.into_iter().map(|e| treatment::view(conn, e)).collect::<rusqlite::Result<_>>()?;
    Ok(PrisonSummary { spells, episodes })
}
