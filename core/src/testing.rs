//! The team every test and benchmark starts from: one set-up, one first team lead, one
//! password, shared by core's scenario tests, the shell's tests and the benchmarks (the
//! end-to-end journeys start from the demo team, `demo::create_installation`, with
//! `demo::DEMO_PASSWORD`). Compiled into core so that each of them uses it without a feature.
use crate::accounts::keyslots::RecoveryKey;
use crate::accounts::{Installation, Session, SetUpInput};

pub const TEAM_NAME: &str = "Westbridge Criminal Justice Drug Team";
/// The first team lead (and administrator): Priya Shah.
pub const LEAD_LOGIN: &str = "priya";
pub const LEAD_PASSWORD: &str = "kettle-lantern-harbour";

/// Sets the team up on `installation` and returns its first team lead, signed in.
pub fn set_up_team(installation: &Installation) -> Session {
    set_up_team_with_recovery(installation).0
}

/// As [`set_up_team`], with the recovery key shown at set-up (for restoring a backup).
pub fn set_up_team_with_recovery(installation: &Installation) -> (Session, RecoveryKey) {
    let input = SetUpInput {
        team_name: TEAM_NAME.into(),
        display_name: "Priya Shah".into(),
        login: LEAD_LOGIN.into(),
        password: LEAD_PASSWORD.into(),
    };
    installation.set_up(&input).expect("a new team sets up")
}
