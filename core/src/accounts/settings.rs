//! Team settings: the policy defaults of domain.md, changeable by an administrator. Each
//! setting is stored as its own record, so a change syncs and shows in the history alone.
use crate::codes::ErrorCode;
use crate::error::{FieldError, ValidationErrors};
use crate::store::record::{from_row, Record};
use crate::store::{StoreError, Write};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// One stored setting; `value` is JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamSetting {
    pub id: String,
    pub value: String,
}

impl Record for TeamSetting {
    const TYPE: &'static str = "team_setting";
    const TABLE: &'static str = "team_settings";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        None
    }
}

/// The settings a team can change, with their defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TeamSettings {
    /// security.md: lock after this many idle minutes (default 5).
    pub idle_lock_minutes: u32,
    /// domain.md: consent to share is reviewed after this many months (default 12).
    pub consent_review_months: u32,
    /// domain.md CUS-ASSESS-MISSING: days after a positive test to book the initial
    /// assessment (default 1).
    pub assessment_booking_days: u32,
    /// domain.md APPT-NO-OUTCOME: days after an appointment to record its outcome (default 1).
    pub appointment_outcome_days: u32,
    /// domain.md COURT-HEARING-SOON: working days before a hearing by which a court report or
    /// note is wanted (default 2).
    pub hearing_soon_working_days: u32,
    /// domain.md CASE-NO-CONTACT: days without contact before a case is flagged (default 28).
    pub case_no_contact_days: u32,
    /// domain.md DRR-BREACH: months, beginning with the day of a warning, within which a
    /// further unacceptable failure is a breach (default 12).
    pub drr_warning_months: u32,
    /// domain.md DRR-REVIEW-DUE: days before a review hearing by which the progress report is
    /// wanted (default 7).
    pub drr_review_due_days: u32,
    /// domain.md DRR-ENDING: days before an order ends by which an exit plan is wanted
    /// (default 14).
    pub drr_ending_days: u32,
    /// domain.md PRISON-RELEASE-NO-PLAN: days before an expected release by which the
    /// throughcare plan and first community appointment are wanted (default 14).
    pub prison_release_plan_days: u32,
    /// domain.md PRISON-NO-TREATMENT: the day after release from which a missing treatment
    /// start is urgent (default 14; it is due on day 21, 003).
    pub prison_treatment_urgent_days: u32,
    /// The dashboard's target for releases in community treatment within 21 days, as a
    /// percentage (default 75: the national ambition, 003).
    pub continuity_target_percent: u32,
    /// Automatic backups: every this many days (0: none, the default), to `backup_folder`.
    pub backup_every_days: u32,
    /// Retention: a closed case comes up for review this many years after it closed (default
    /// 8, the period the NHS records code gives for adult health records).
    pub retention_years: u32,
    /// Where automatic backups go (chosen in the system's dialog), empty when none is chosen.
    pub backup_folder: String,
}

impl Default for TeamSettings {
    fn default() -> Self {
        TeamSettings {
            idle_lock_minutes: 5,
            consent_review_months: 12,
            assessment_booking_days: 1,
            appointment_outcome_days: 1,
            hearing_soon_working_days: 2,
            case_no_contact_days: 28,
            drr_warning_months: 12,
            drr_review_due_days: 7,
            drr_ending_days: 14,
            prison_release_plan_days: 14,
            prison_treatment_urgent_days: 14,
            continuity_target_percent: 75,
            retention_years: 8,
            backup_every_days: 0,
            backup_folder: String::new(),
        }
    }
}

fn as_map(s: &TeamSettings) -> Map<String, Value> {
    match serde_json::to_value(s) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// The stored settings over the defaults; a stored value this version does not know is ignored.
pub fn load(conn: &Connection) -> rusqlite::Result<TeamSettings> {
    let mut map = as_map(&TeamSettings::default());
    let mut stmt = conn.prepare("SELECT * FROM team_settings")?;
    for row in stmt.query_map([], from_row::<TeamSetting>)? {
        let row = row?;
        if let (true, Ok(v)) = (map.contains_key(&row.id), serde_json::from_str(&row.value)) {
            map.insert(row.id, v);
        }
    }
    Ok(serde_json::from_value(Value::Object(map)).unwrap_or_default())
}

pub fn validate(s: &TeamSettings) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    if !(1..=60).contains(&s.idle_lock_minutes) {
        errors.push(FieldError::new("idle_lock_minutes", ErrorCode::ValidationIdleLockRange, "Choose between 1 and 60 minutes."));
    }
    if !(1..=36).contains(&s.consent_review_months) {
        errors.push(FieldError::new("consent_review_months", ErrorCode::ValidationConsentReviewRange, "Choose between 1 and 36 months."));
    }
    let ranges: [(&str, u32, u32, u32, &str); 12] = [
        ("assessment_booking_days", s.assessment_booking_days, 0, 7, "days"),
        ("appointment_outcome_days", s.appointment_outcome_days, 0, 14, "days"),
        ("hearing_soon_working_days", s.hearing_soon_working_days, 1, 10, "working days"),
        ("case_no_contact_days", s.case_no_contact_days, 7, 180, "days"),
        ("drr_warning_months", s.drr_warning_months, 1, 24, "months"),
        ("drr_review_due_days", s.drr_review_due_days, 1, 28, "days"),
        ("drr_ending_days", s.drr_ending_days, 1, 60, "days"),
        ("prison_release_plan_days", s.prison_release_plan_days, 1, 56, "days"),
        ("prison_treatment_urgent_days", s.prison_treatment_urgent_days, 1, 21, "days"),
        ("continuity_target_percent", s.continuity_target_percent, 1, 100, "per cent"),
        ("backup_every_days", s.backup_every_days, 0, 31, "days"),
        ("retention_years", s.retention_years, 1, 30, "years"),
    ];
    for (field, value, low, high, unit) in ranges {
        if !(low..=high).contains(&value) {
            errors.push(FieldError::new(field, ErrorCode::ValidationSettingRange, format!("Choose between {low} and {high} {unit}.")));
        }
    }
    if s.backup_every_days > 0 && s.backup_folder.trim().is_empty() {
        errors.push(FieldError::new("backup_folder", ErrorCode::ValidationRequired, "Choose the folder for automatic backups."));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// Saves whichever settings changed, each as its own record.
pub fn save(w: &mut Write<'_>, new: &TeamSettings) -> Result<(), StoreError> {
    let old = as_map(&load(w.reader())?);
    for (id, value) in as_map(new) {
        if old.get(&id) == Some(&value) {
            continue;
        }
        let mut after = TeamSetting { id: id.clone(), value: value.to_string() };
        let stored: Option<TeamSetting> = {
            use rusqlite::OptionalExtension;
            w.reader().query_row("SELECT * FROM team_settings WHERE id = ?1", [&id], from_row).optional()?
        };
        match stored {
            Some(before) => w.update(&before, &after)?,
            None => {
                w.create(&mut after)?;
                Vec::new()
            }
        };
    }
    Ok(())
}
