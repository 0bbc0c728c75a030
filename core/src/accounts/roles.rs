//! The roles of domain.md. Additive: one worker can hold several.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Custody,
    Court,
    Community,
    PrisonLink,
    TeamLead,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Custody, Role::Court, Role::Community, Role::PrisonLink, Role::TeamLead, Role::Administrator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Custody => "custody",
            Role::Court => "court",
            Role::Community => "community",
            Role::PrisonLink => "prison_link",
            Role::TeamLead => "team_lead",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles that work with clients' records. An administrator alone manages accounts and
    /// settings but does not see clients: they have no need to.
    pub const CASEWORK: [Role; 5] = [Role::Custody, Role::Court, Role::Community, Role::PrisonLink, Role::TeamLead];
}

/// Stored as compact text ("custody,court") so a worker row stays flat.
pub fn to_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

pub fn from_text(text: &str) -> Vec<Role> {
    let mut roles: Vec<Role> = text.split(',').filter_map(Role::parse).collect();
    roles.sort();
    roles.dedup();
    roles
}
