//! What the scenario tests share: a team set up on a new laptop with a fixed clock, its first
//! team lead signed in. Each test file adds the helpers its own stage needs.
#![allow(dead_code)]
use std::sync::Arc;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::{Clock, FixedClock};
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

impl Team {
    /// John Smith, born 3 March 1987, PNC 2019/0012345 with its check letter.
    pub fn register(&mut self) -> String {
        let actor = self.lead.actor();
        let input = NewClient {
            surname: "Smith".into(),
            forenames: "John".into(),
            date_of_birth: "03/03/1987".into(),
            sex: "male".into(),
            pnc: john_smith_pnc(),
            ..Default::default()
        };
        clients::register(self.lead.store_mut(), &actor, &input).unwrap().id
    }

    /// Someone born on 14 June 1990, registered by the team lead.
    pub fn register_named(&mut self, surname: &str, forenames: &str) -> String {
        let actor = self.lead.actor();
        let input = NewClient {
            surname: surname.into(),
            forenames: forenames.into(),
            date_of_birth: "14/06/1990".into(),
            sex: "female".into(),
            ..Default::default()
        };
        clients::register(self.lead.store_mut(), &actor, &input).unwrap().id
    }

    /// Moves the fixed clock on to `rfc3339`.
    pub fn set_clock(&self, rfc3339: &str) {
        let to = chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&chrono::Utc);
        self.clock.advance(to - self.clock.now());
    }
}

/// John Smith's PNC id, in its long form.
pub fn john_smith_pnc() -> String {
    format!("2019/0012345{}", clients::pnc::check_letter(19, 12345))
}

/// Monday 23 November 2026, 09:00 (GMT).
pub fn team() -> Team {
    team_at("2026-11-23T09:00:00Z")
}
