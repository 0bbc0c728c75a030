//! What the scenario tests share: a team set up on a new laptop with a fixed clock, its first
//! team lead signed in. Each test file adds the helpers its own stage needs.
#![allow(dead_code)]
use std::sync::Arc;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clock::FixedClock;
use throughline_core::testing;

pub struct Team {
    pub _dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub lead: Session,
    pub settings: TeamSettings,
}

pub fn team_at(now: &str) -> Team {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(now));
    let lead = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
    Team { _dir: dir, clock, lead, settings: TeamSettings::default() }
}

/// Monday 23 November 2026, 09:00 (GMT).
pub fn team() -> Team {
    team_at("2026-11-23T09:00:00Z")
}
