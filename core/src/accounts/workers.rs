//! Worker accounts: who can sign in, and with which roles.
use super::permissions::Permission;
use super::roles::{self, Role};
use crate::codes::ErrorCode;
use crate::error::{FieldError, ValidationErrors};
use crate::store::record::{from_row, sql_bool, Record};
use crate::store::{StoreError, Write};
use crate::text;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A worker as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Worker {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub roles: String,
    #[serde(with = "sql_bool")]
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl Record for Worker {
    const TYPE: &'static str = "worker";
    const TABLE: &'static str = "workers";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        None
    }
}

impl Worker {
    pub fn roles(&self) -> Vec<Role> {
        roles::from_text(&self.roles)
    }

    pub fn has_any(&self, wanted: &[Role]) -> bool {
        self.roles().iter().any(|r| wanted.contains(r))
    }

    pub fn view(&self) -> WorkerView {
        WorkerView {
            id: self.id.clone(),
            login: self.login.clone(),
            display_name: self.display_name.clone(),
            roles: self.roles(),
            permissions: Permission::granted(&self.roles()),
            active: self.active,
        }
    }
}

/// A worker as the UI sees one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WorkerView {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// What those roles allow (accounts::permissions): the UI's menus and forms follow it.
    pub permissions: Vec<Permission>,
    pub active: bool,
}

/// What an administrator types to add a worker.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewWorker {
    pub display_name: String,
    pub login: String,
    pub roles: Vec<Role>,
    pub password: String,
}

pub const PASSWORD_MIN: usize = 10;

/// Checks a new password: long enough, and hard to guess by zxcvbn's estimate (dictionaries of
/// common passwords, words and names, keyboard patterns, dates, repeats), which must put it
/// beyond ten thousand million guesses (score 3 of 4), the level its authors give for a key
/// slot a thief can attack offline. `about` holds what a guesser would try first (the worker's
/// sign-in name and name). The message says what is wrong and what would be better.
pub fn check_password(field: &str, password: &str, about: &[&str]) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(FieldError::new(
            field,
            ErrorCode::ValidationPasswordTooShort,
            format!("Use at least {PASSWORD_MIN} characters. Three random words make a good password."),
        ));
    }
    if n > 200 {
        return Err(FieldError::new(field, ErrorCode::ValidationTooLong, "Use 200 characters or fewer."));
    }
    let mut hints: Vec<&str> = vec!["throughline", "drug", "team", "custody", "court", "prison"];
    hints.extend(about.iter().copied());
    hints.extend(about.iter().flat_map(|a| a.split([' ', '.', '-', '_'])).filter(|w| w.len() > 2));
    let estimate = zxcvbn::zxcvbn(password, &hints);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let mut why: Vec<String> = Vec::new();
    if let Some(feedback) = estimate.feedback() {
        why.extend(feedback.warning().map(|w| w.to_string()));
        why.extend(feedback.suggestions().iter().map(|s| s.to_string()).filter(|s| !s.starts_with("Capitalization")));
    }
    let guesses = estimate.guesses_log10();
    Err(FieldError::new(
        field,
        ErrorCode::ValidationPasswordWeak,
        format!(
            "This password would be guessed too easily (in about 10^{:.0} tries; it needs more than 10^10). {}Three or four random words, like \"copper lantern orchard tide\", make a strong password that is easy to remember.",
            guesses.floor(),
            if why.is_empty() { String::new() } else { format!("{} ", why.join(" ")) }
        ),
    ))
}

pub fn check_login(field: &str, login: &str) -> Result<String, FieldError> {
    let login = text::required(field, "Sign-in name", login, 40)?.to_lowercase();
    if login.chars().count() < 2 || !login.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)) {
        return Err(FieldError::new(
            field,
            ErrorCode::ValidationLoginFormat,
            "Use 2 to 40 letters, digits, dots, dashes or underscores, such as amira.khan.",
        ));
    }
    Ok(login)
}

/// Checks every field at once and returns a worker ready to save.
pub fn validate(input: &NewWorker, now: DateTime<Utc>, id: String) -> Result<Worker, ValidationErrors> {
    let mut errors = Vec::new();
    let name = text::required_name("display_name", "Full name", &input.display_name, 100).map_err(|e| errors.push(e)).ok();
    let login = check_login("login", &input.login).map_err(|e| errors.push(e)).ok();
    if input.roles.is_empty() {
        errors.push(FieldError::new("roles", ErrorCode::ValidationRolesRequired, "Choose at least one role."));
    }
    if let Err(e) = check_password("password", &input.password, &[&input.login, &input.display_name]) {
        errors.push(e);
    }
    match (name, login) {
        (Some(display_name), Some(login)) if errors.is_empty() => {
            Ok(Worker { id, login, display_name, roles: roles::to_text(&input.roles), active: true, created_at: now })
        }
        _ => Err(ValidationErrors(errors)),
    }
}

/// Switches a worker's account off through the one write path: audited, and it syncs as a
/// `worker` operation, so every laptop it reaches refuses them and removes their key slot
/// (`Session::forget_leavers`). The caller checks who may be deactivated.
pub fn deactivate(w: &mut Write<'_>, before: &Worker) -> Result<Worker, StoreError> {
    let after = Worker { active: false, ..before.clone() };
    w.update(before, &after)?;
    w.audit("deactivated a worker", None, &format!("{} ({})", before.display_name, before.login))?;
    Ok(after)
}

/// Active workers holding the administrator role.
pub fn active_administrators(conn: &Connection) -> rusqlite::Result<Vec<Worker>> {
    Ok(all(conn)?.into_iter().filter(|w| w.active && w.has_any(&[Role::Administrator])).collect())
}

pub fn by_login(conn: &Connection, login: &str) -> rusqlite::Result<Option<Worker>> {
    conn.query_row("SELECT * FROM workers WHERE login = ?1", [login.trim()], from_row).optional()
}

pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<Worker>> {
    crate::store::record::get(conn, id)
}

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<Worker>> {
    let mut stmt = conn.prepare("SELECT * FROM workers ORDER BY display_name")?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weak_password_is_refused_with_a_message_that_helps() {
        let weak = check_password("password", "password123", &[]).unwrap_err();
        assert_eq!(weak.code, ErrorCode::ValidationPasswordWeak);
        assert!(weak.message.starts_with("This password would be guessed too easily"), "{}", weak.message);
        assert!(weak.message.contains("common password"), "{}", weak.message);
        assert!(weak.message.contains("random words"), "{}", weak.message);
        // The worker's own name is among the first guesses.
        let own = check_password("password", "amira.khan1", &["amira.khan", "Amira Khan"]).unwrap_err();
        assert_eq!(own.code, ErrorCode::ValidationPasswordWeak, "{}", own.message);
        assert_eq!(check_password("password", "short", &[]).unwrap_err().code, ErrorCode::ValidationPasswordTooShort);
        for strong in ["kettle-lantern-harbour", "copper lantern orchard tide", "custody-suite-seven"] {
            assert!(check_password("password", strong, &["amira"]).is_ok(), "{strong}");
        }
    }
}
