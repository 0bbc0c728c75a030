//! Team settings: the policy defaults of domain.md, changeable by an administrator.
use crate::error::{FieldError, ValidationErrors};
use crate::store::record::{from_row, Record};
use crate::store::{StoreError, Write};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One stored setting.
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
pub struct TeamSettings {
    /// security.md: lock after this many idle minutes (default 5).
    pub idle_lock_minutes: u32,
}

impl Default for TeamSettings {
    fn default() -> Self {
        TeamSettings { idle_lock_minutes: 5 }
    }
}

const IDLE_LOCK: &str = "idle_lock_minutes";

pub fn load(conn: &Connection) -> rusqlite::Result<TeamSettings> {
    let mut settings = TeamSettings::default();
    let mut stmt = conn.prepare("SELECT * FROM team_settings")?;
    for row in stmt.query_map([], from_row::<TeamSetting>)? {
        let row = row?;
        if row.id == IDLE_LOCK {
            if let Ok(m) = row.value.parse() {
                settings.idle_lock_minutes = m;
            }
        }
    }
    Ok(settings)
}

pub fn validate(s: &TeamSettings) -> Result<(), ValidationErrors> {
    if !(1..=60).contains(&s.idle_lock_minutes) {
        return Err(ValidationErrors(vec![FieldError::new(
            IDLE_LOCK,
            "validation.idle_lock_range",
            "Choose between 1 and 60 minutes.",
        )]));
    }
    Ok(())
}

/// Saves whichever settings changed, each as its own record.
pub fn save(w: &mut Write<'_>, new: &TeamSettings) -> Result<(), StoreError> {
    let old = load(w.reader())?;
    let pairs = [(IDLE_LOCK, old.idle_lock_minutes.to_string(), new.idle_lock_minutes.to_string())];
    for (id, was, now) in pairs {
        if was == now {
            continue;
        }
        let after = TeamSetting { id: id.into(), value: now };
        let exists: bool =
            w.reader().query_row("SELECT count(*) FROM team_settings WHERE id = ?1", [id], |r| r.get(0))?;
        if exists {
            w.update(&TeamSetting { id: id.into(), value: was }, &after)?;
        } else {
            w.create(&after)?;
        }
    }
    Ok(())
}
