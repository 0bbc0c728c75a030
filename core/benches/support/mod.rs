//! What the benchmarks share: a team set up on a new laptop at a fixed moment.
use std::sync::Arc;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clock::FixedClock;
use throughline_core::testing;

/// A new team at Monday 23 November 2026, 09:00, its lead signed in. Keep the folder alive as
/// long as the session.
pub fn team() -> (tempfile::TempDir, Arc<FixedClock>, Session) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    let session = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
    (dir, clock, session)
}
