//! The session held by the shell, and the check every command makes before core runs.
use serde::Serialize;
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use throughline_core::accounts::roles::Role;
use throughline_core::accounts::{AccountError, Installation, InstanceLock, Reading, Reads, Session};
use throughline_core::documents::Document;
use throughline_core::ErrorCode;
use throughline_core::{Coded, ErrorPayload};

pub enum SessionState {
    SignedOut,
    /// Locked after idling or by the worker: the database is closed and the key dropped.
    Locked {
        login: String,
    },
    SignedIn(Box<Session>),
}

pub struct AppState {
    pub installation: Installation,
    pub session: Mutex<SessionState>,
    /// The join file chosen on a laptop joining a team, until the worker joins with it.
    pub join_file: Mutex<Option<Vec<u8>>>,
    /// This copy's hold on the data folder, or why it could not have it (another copy has it,
    /// the folder cannot be written): then nothing opens the database until it can.
    claim: Mutex<Result<InstanceLock, ErrorPayload>>,
    /// Why the last automatic backup failed, for the Backups screen; cleared when one succeeds.
    automatic_backup_problem: Mutex<Option<String>>,
    /// Set by the worker's Cancel; the long task running sees it at its next report.
    pub cancel_task: std::sync::atomic::AtomicBool,
    pub produced: Produced,
    /// The team's open flags as last counted (see `board::Kept`).
    pub team_flags: std::sync::Arc<throughline_core::flags::board::Kept>,
}

/// The documents core has produced for the worker signed in, each known by a digest of its
/// content under a key made at start-up. Save as PDF takes only these, so a file with the
/// team's name and the protective marking on it holds what core wrote from the record, never
/// text composed in the web view.
#[derive(Default)]
pub struct Produced {
    key: RandomState,
    seen: Mutex<HashSet<u64>>,
}

impl Produced {
    fn digest(&self, document: &Document) -> u64 {
        self.key.hash_one(serde_json::to_vec(document).unwrap_or_default())
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Passes a produced document on to the web view, remembering it.
    pub fn remember(&self, document: CommandResult<Document>) -> CommandResult<Document> {
        document.inspect(|d| {
            let digest = self.digest(d);
            self.seen().insert(digest);
        })
    }

    pub fn was_produced(&self, document: &Document) -> bool {
        self.seen().contains(&self.digest(document))
    }

    /// A new worker signs in, or the worker signs out: what was produced before is not theirs.
    pub fn forget(&self) {
        self.seen().clear();
    }
}

impl AppState {
    pub fn new(installation: Installation) -> Self {
        let claim = claim_folder(&installation);
        AppState {
            installation,
            session: Mutex::new(SessionState::SignedOut),
            claim: Mutex::new(claim),
            automatic_backup_problem: Mutex::new(None),
            join_file: Mutex::new(None),
            cancel_task: Default::default(),
            produced: Produced::default(),
            team_flags: Default::default(),
        }
    }

    pub fn automatic_backup_problem(&self) -> Option<String> {
        self.automatic_backup_problem.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Writes the team's automatic backup if one is due, while someone is signed in (the key
    /// is needed). It holds the session while it writes: a few seconds every few days.
    pub fn automatic_backup(&self) {
        let mut state = self.session();
        let SessionState::SignedIn(session) = &mut *state else { return };
        let outcome = session.automatic_backup();
        drop(state);
        let mut problem = self.automatic_backup_problem.lock().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Ok(Some(_)) => *problem = None,
            Ok(None) => {}
            Err(e) => *problem = Some(e.to_string()),
        }
    }

    /// Refuses to go on when this copy does not hold the data folder, after trying again to
    /// take it (the worker pressed Try again once the other copy closed).
    pub fn usable(&self) -> CommandResult<()> {
        let mut claim = self.claim.lock().unwrap_or_else(|e| e.into_inner());
        if claim.is_err() {
            *claim = self.installation.claim().map_err(coded);
        }
        claim.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    pub fn session(&self) -> std::sync::MutexGuard<'_, SessionState> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Takes the data folder for this copy. A copy just closed may still be letting it go (its
/// database closing): it is given a few seconds before this one says the folder is in use.
fn claim_folder(installation: &Installation) -> Result<InstanceLock, ErrorPayload> {
    let mut tries = 0;
    loop {
        match installation.claim() {
            Err(AccountError::InUse(_)) if tries < 25 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            claim => return claim.map_err(coded),
        }
    }
}

pub type CommandResult<T> = Result<T, ErrorPayload>;

pub fn error(code: ErrorCode, message: &str) -> ErrorPayload {
    ErrorPayload { code, message: message.into(), fields: Vec::new() }
}

pub fn coded(e: impl Coded) -> ErrorPayload {
    e.payload()
}

/// Locks the session in place: an audit entry, then the database is closed, and the team's
/// flags kept between screens are let go.
pub fn lock(app: &AppState, state: &mut SessionState, why: &str) {
    app.team_flags.forget();
    if let SessionState::SignedIn(session) = state {
        let login = session.worker().login.clone();
        let _ = session.record_end(why);
        *state = SessionState::Locked { login };
    }
}

/// Runs `work` for the signed-in worker if they hold one of `roles` (any role when empty).
/// This is the control; the UI hiding a button is only a convenience.
pub fn signed_in<T>(app: &AppState, roles: &[Role], work: impl FnOnce(&mut Session) -> CommandResult<T>) -> CommandResult<T> {
    let mut state = app.session();
    if let SessionState::SignedIn(session) = &*state {
        if session.is_idle() {
            lock(app, &mut state, "locked after idle time");
        }
    }
    match &mut *state {
        SessionState::SignedIn(session) => {
            if !roles.is_empty() && !session.has_any(roles) {
                return Err(error(ErrorCode::AuthForbidden, "Your role does not allow this. Ask your team lead if you need it."));
            }
            session.touch();
            work(session)
        }
        SessionState::Locked { .. } => Err(locked()),
        SessionState::SignedOut => Err(signed_out()),
    }
}

fn locked() -> ErrorPayload {
    error(ErrorCode::AuthLocked, "Throughline locked itself. Enter your password to carry on.")
}

fn signed_out() -> ErrorPayload {
    error(ErrorCode::AuthSignedOut, "Sign in first.")
}

/// Runs a read for the signed-in worker if they hold one of `roles`, on a connection of its
/// own and a thread kept for blocking work: the session is held only to check the worker and
/// take the connection, then to give it back, so a long read (a team's flags) neither keeps the
/// next command waiting nor takes one of the few threads commands start on. A read that began
/// before the session locked or changed hands returns nothing of what it read.
pub async fn reading<T, W>(app: &AppState, roles: &[Role], work: W) -> CommandResult<T>
where
    T: Send + 'static,
    W: FnOnce(&mut Reading) -> CommandResult<T> + Send + 'static,
{
    let mut reading = begin_reading(app, roles)?;
    let done = tauri::async_runtime::spawn_blocking(move || {
        let result = work(&mut reading);
        let_go_of_pages(&[&reading]);
        (reading, result)
    })
    .await;
    match done {
        Ok((reading, result)) => audited_then_given_back(end_reading(app, reading, result)).await,
        Err(_) => Err(error(ErrorCode::AppInterrupted, "Throughline could not finish reading this. Try again.")),
    }
}

/// A read of one person's record (a part of it: flags, the timeline, custody...) on the
/// session's own connection, the session held while it runs: a few milliseconds, on the
/// connection whose page cache stays warm as records open, where a reading's starts cold after
/// every write (performance.md "open a client"). What it read is audited before it is shown.
pub fn reading_record<T>(app: &AppState, roles: &[Role], work: impl FnOnce(&mut dyn Reads) -> CommandResult<T>) -> CommandResult<T> {
    signed_in(app, roles, |s| {
        let result = work(s);
        s.finish_reads(result.is_ok()).map_err(coded)?;
        result
    })
}

/// `count` readings at once, for a read shared among connections (the dashboard, Today, Team
/// flags; `store::shared` says how many each): the first is the one whose worker and audit are
/// used. Every connection goes back, and what was read is shown only if the session is still
/// the same.
pub async fn reading_shared<T, W>(app: &AppState, roles: &[Role], count: usize, work: W) -> CommandResult<T>
where
    T: Send + 'static,
    W: FnOnce(&mut [Reading]) -> CommandResult<T> + Send + 'static,
{
    let mut readings = Vec::with_capacity(count);
    for _ in 0..count {
        match begin_reading(app, roles) {
            Ok(reading) => readings.push(reading),
            Err(e) => return end_readings(app, readings, Err(e)),
        }
    }
    let done = tauri::async_runtime::spawn_blocking(move || {
        let result = work(&mut readings);
        let_go_of_pages(&readings.iter().collect::<Vec<_>>());
        (readings, result)
    })
    .await;
    match done {
        Ok((readings, result)) => audited_then_given_back(end_readings(app, readings, result)).await,
        Err(_) => Err(error(ErrorCode::AppInterrupted, "Throughline could not finish reading this. Try again.")),
    }
}

fn end_readings<T>(app: &AppState, readings: Vec<Reading>, result: CommandResult<T>) -> CommandResult<T> {
    readings.into_iter().fold(result, |result, reading| end_reading(app, reading, result))
}

/// A read run where it is called: for tests, which hold the session on this thread.
#[cfg(test)]
pub fn read_here<T>(app: &AppState, roles: &[Role], work: impl FnOnce(&mut Reading) -> CommandResult<T>) -> CommandResult<T> {
    let mut reading = begin_reading(app, roles)?;
    let result = work(&mut reading);
    end_reading(app, reading, result)
}

fn begin_reading(app: &AppState, roles: &[Role]) -> CommandResult<Reading> {
    signed_in(app, roles, |s| s.start_reading().map_err(coded))
}

/// A reading's pages are of no use once it is done (see `ReadStore::let_go_of_pages`).
fn let_go_of_pages(readings: &[&Reading]) {
    for reading in readings {
        reading.store().let_go_of_pages();
    }
}

/// The memory a reading let go of goes back to the system once what it read is in the audit
/// trail: handing it back briefly holds up the app's other allocations, so not before.
async fn audited_then_given_back<T>(result: CommandResult<T>) -> CommandResult<T> {
    let _ = tauri::async_runtime::spawn_blocking(crate::memory::give_back_freed).await;
    result
}

fn end_reading<T>(app: &AppState, reading: Reading, result: CommandResult<T>) -> CommandResult<T> {
    match &mut *app.session() {
        // What is shown of a person's data is in the audit trail first.
        SessionState::SignedIn(session) if result.is_ok() => match session.finish_reading_shown(reading).map_err(coded)? {
            true => result,
            false => Err(signed_out()),
        },
        SessionState::SignedIn(session) => match session.finish_reading(reading) {
            true => result,
            false => Err(signed_out()),
        },
        SessionState::Locked { .. } => Err(locked()),
        SessionState::SignedOut => Err(signed_out()),
    }
}

#[derive(Clone, Serialize)]
struct Locked {
    login: String,
}

/// Checks for a due automatic backup every this many idle checks (five minutes).
const BACKUP_CHECK_EVERY: u32 = 60;

/// Locks an idle session even when the worker has walked away, and tells the window; and
/// writes the team's automatic backup when one is due.
pub fn watch_for_idle(app: AppHandle) {
    let mut checks: u32 = 0;
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(5));
        checks = checks.wrapping_add(1);
        let state = app.state::<AppState>();
        {
            let mut session = state.session();
            if let SessionState::SignedIn(s) = &*session {
                if s.is_idle() {
                    lock(&state, &mut session, "locked after idle time");
                    if let SessionState::Locked { login } = &*session {
                        let _ = app.emit("session-locked", Locked { login: login.clone() });
                    }
                }
            }
        }
        if checks % BACKUP_CHECK_EVERY == 1 {
            state.automatic_backup();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use throughline_core::accounts::workers::NewWorker;
    use throughline_core::clock::FixedClock;
    use throughline_core::testing;

    fn team(dir: &std::path::Path, clock: Arc<FixedClock>) -> AppState {
        let app = AppState::new(Installation::new(dir, clock));
        let mut admin = testing::set_up_team(&app.installation);
        admin
            .add_worker(&NewWorker {
                display_name: "Dan Kowalski".into(),
                login: "dan".into(),
                roles: vec![Role::Custody],
                password: "custody-suite-seven".into(),
            })
            .unwrap();
        app
    }

    fn sign_in(app: &AppState, login: &str, password: &str) {
        let s = app.installation.sign_in(login, password).unwrap();
        *app.session() = SessionState::SignedIn(Box::new(s));
    }

    #[test]
    fn only_a_document_core_produced_for_this_worker_is_saved_as_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let app = team(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
        sign_in(&app, testing::LEAD_LOGIN, testing::LEAD_PASSWORD);
        let client = signed_in(&app, &[], |s| {
            let actor = s.actor();
            let input = throughline_core::clients::NewClient {
                surname: "Smith".into(),
                forenames: "John".into(),
                date_of_birth: "03/03/1987".into(),
                sex: "male".into(),
                ..Default::default()
            };
            Ok(throughline_core::clients::register(s.store_mut(), &actor, &input).unwrap().id)
        })
        .unwrap();
        let produced = app
            .produced
            .remember(signed_in(&app, &[], |s| {
                let actor = s.actor();
                Ok(throughline_core::governance::subject_access::summary(s.store_mut(), &actor, &client).unwrap())
            }))
            .unwrap();
        assert!(app.produced.was_produced(&produced));
        let mut edited = produced.clone();
        edited.paragraphs[0].push_str(" And something the record never said.");
        assert!(!app.produced.was_produced(&edited), "text changed in the web view is not core's document");
        app.produced.forget();
        assert!(!app.produced.was_produced(&produced), "signing out forgets what was produced");
    }

    /// (The second copy waits five seconds for the first to let go before saying so.)
    #[test]
    fn a_second_copy_on_the_same_data_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
        let first = team(dir.path(), clock.clone());
        assert!(first.usable().is_ok());
        let second = AppState::new(Installation::new(dir.path(), clock.clone()));
        let refused = second.usable().unwrap_err();
        assert_eq!(refused.code, ErrorCode::StoreInUse);
        assert!(refused.message.contains("already open"), "{}", refused.message);
        // Another folder is another installation.
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(AppState::new(Installation::new(elsewhere.path(), clock.clone())).usable().is_ok());
        // When the first copy ends, the folder is free again: Try again in the second copy
        // takes it, and so does a new one.
        drop(first);
        assert!(second.usable().is_ok());
        drop(second);
        assert!(AppState::new(Installation::new(dir.path(), clock)).usable().is_ok());
    }

    #[test]
    fn an_automatic_backup_failing_is_kept_for_the_backups_screen_until_one_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let app = team(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
        app.automatic_backup();
        assert_eq!(app.automatic_backup_problem(), None, "signed out: nothing to do");
        sign_in(&app, testing::LEAD_LOGIN, testing::LEAD_PASSWORD);
        let usb = tempfile::tempdir().unwrap();
        signed_in(&app, &[], |s| s.set_backup_schedule(1, Some(usb.path())).map_err(coded)).unwrap();
        // A backup that cannot be completed (its key slots cannot be copied) is reported.
        let slots = dir.path().join("keyslots.json");
        std::fs::rename(&slots, dir.path().join("aside.json")).unwrap();
        app.automatic_backup();
        let problem = app.automatic_backup_problem().expect("the failure is kept");
        assert!(problem.contains("The backup could not be written"), "{problem}");
        assert_eq!(std::fs::read_dir(usb.path()).unwrap().count(), 0, "no half backup left behind");
        std::fs::rename(dir.path().join("aside.json"), &slots).unwrap();
        app.automatic_backup();
        assert_eq!(app.automatic_backup_problem(), None, "cleared by the next backup");
        assert_eq!(std::fs::read_dir(usb.path()).unwrap().count(), 1);
        app.automatic_backup();
        assert_eq!(std::fs::read_dir(usb.path()).unwrap().count(), 1, "not due again the same day");
    }

    #[test]
    fn a_command_refuses_a_worker_without_the_role() {
        let dir = tempfile::tempdir().unwrap();
        let app = team(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
        sign_in(&app, "dan", "custody-suite-seven");
        let refused = signed_in(&app, &[Role::Administrator], |_| Ok(())).unwrap_err();
        assert_eq!(refused.code, ErrorCode::AuthForbidden);
        assert!(signed_in(&app, &Role::CASEWORK, |_| Ok(())).is_ok());
    }

    #[test]
    fn nothing_runs_when_signed_out() {
        let dir = tempfile::tempdir().unwrap();
        let app = team(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
        assert_eq!(signed_in(&app, &[], |_| Ok(())).unwrap_err().code, ErrorCode::AuthSignedOut);
    }

    #[test]
    fn an_idle_session_is_locked_before_the_command_runs() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
        let app = team(dir.path(), clock.clone());
        sign_in(&app, "dan", "custody-suite-seven");
        clock.advance(chrono::Duration::minutes(5));
        let mut ran = false;
        let err = signed_in(&app, &[], |_| {
            ran = true;
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::AuthLocked);
        assert!(!ran);
        assert!(matches!(&*app.session(), SessionState::Locked { login } if login == "dan"));
    }

    #[test]
    fn a_read_leaves_the_session_free_while_it_runs() {
        let dir = tempfile::tempdir().unwrap();
        let app = team(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
        sign_in(&app, "dan", "custody-suite-seven");
        let read = read_here(&app, &[], |r| {
            // Another command runs meanwhile (this would wait for ever if the read held the session).
            signed_in(&app, &[], |_| Ok(()))?;
            Ok(r.store().reader().query_row("SELECT count(*) FROM workers", [], |row| row.get::<_, i64>(0)).unwrap())
        });
        assert_eq!(read.unwrap(), 2);
        assert_eq!(read_here(&app, &[Role::Administrator], |_| Ok(())).unwrap_err().code, ErrorCode::AuthForbidden, "roles are checked");
    }

    #[test]
    fn a_read_that_outlives_the_session_shows_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let app = team(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
        sign_in(&app, "dan", "custody-suite-seven");
        let read = read_here(&app, &[], |_| {
            lock(&app, &mut app.session(), "locked by the worker");
            Ok("what was read")
        });
        assert_eq!(read.unwrap_err().code, ErrorCode::AuthLocked);
        assert_eq!(read_here(&app, &[], |_| Ok(())).unwrap_err().code, ErrorCode::AuthLocked, "a locked session refuses reads");

        sign_in(&app, "dan", "custody-suite-seven");
        let read = read_here(&app, &[], |_| {
            sign_in(&app, testing::LEAD_LOGIN, testing::LEAD_PASSWORD);
            Ok("what dan's session read")
        });
        assert_eq!(read.unwrap_err().code, ErrorCode::AuthSignedOut, "another worker signed in meanwhile");
    }
}
