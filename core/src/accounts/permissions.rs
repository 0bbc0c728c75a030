//! Who may do what, written once (domain.md "Who uses it"). The shell checks these before
//! every command and the UI shows its menus and forms from the same list, exported with each
//! worker, so no role list is copied anywhere else.
use super::roles::Role;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Find, register and work with clients' records: anyone who works with clients.
    Casework,
    /// Tests on arrest, required assessments, conditional cautions.
    Custody,
    /// Hearings, bail and Restriction on Bail, DRR suitability.
    Court,
    /// DRR orders, their timetable, tests, compliance and reviews.
    Drr,
    /// Prison spells, throughcare plans and releases.
    Prison,
    /// Caseloads and allocation, team flags, possible duplicates and merges.
    LeadTeam,
    /// The list of the team's workers.
    SeeWorkers,
    /// Checking the audit trail.
    CheckAudit,
    /// Accounts, passwords and team settings.
    Administer,
    /// Exporting and importing sync bundles, the sync status, and conflicts over one's own
    /// changes (enrolling and revoking laptops, and every conflict, are a team lead's).
    Sync,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::Casework,
        Permission::Custody,
        Permission::Court,
        Permission::Drr,
        Permission::Prison,
        Permission::LeadTeam,
        Permission::SeeWorkers,
        Permission::CheckAudit,
        Permission::Administer,
        Permission::Sync,
    ];

    /// The roles that hold this permission. A team lead may do any stage's work.
    pub const fn roles(self) -> &'static [Role] {
        match self {
            Permission::Casework => &Role::CASEWORK,
            Permission::Custody => &[Role::Custody, Role::TeamLead],
            Permission::Court => &[Role::Court, Role::TeamLead],
            Permission::Drr => &[Role::Community, Role::TeamLead],
            Permission::Prison => &[Role::PrisonLink, Role::TeamLead],
            Permission::LeadTeam => &[Role::TeamLead],
            Permission::SeeWorkers | Permission::CheckAudit => &[Role::Administrator, Role::TeamLead],
            Permission::Administer => &[Role::Administrator],
            Permission::Sync => &Role::ALL,
        }
    }

    /// Everything a worker with these roles may do.
    pub fn granted(roles: &[Role]) -> Vec<Permission> {
        Permission::ALL.into_iter().filter(|p| p.roles().iter().any(|r| roles.contains(r))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Permission::{self, *};
    use super::Role;

    /// domain.md "Who uses it": each role's work, and a team lead's review of everyone's.
    #[test]
    fn each_role_may_do_what_domain_md_says() {
        let of = |role| Permission::granted(&[role]);
        assert_eq!(of(Role::Custody), [Casework, Custody, Sync]);
        assert_eq!(of(Role::Court), [Casework, Court, Sync]);
        assert_eq!(of(Role::Community), [Casework, Drr, Sync]);
        assert_eq!(of(Role::PrisonLink), [Casework, Prison, Sync]);
        assert_eq!(of(Role::TeamLead), [Casework, Custody, Court, Drr, Prison, LeadTeam, SeeWorkers, CheckAudit, Sync]);
        // An administrator manages accounts and settings but does not see clients.
        assert_eq!(of(Role::Administrator), [SeeWorkers, CheckAudit, Administer, Sync]);
        // Roles add up: one person can be custody and court worker on different days.
        assert_eq!(Permission::granted(&[Role::Custody, Role::Court]), [Casework, Custody, Court, Sync]);
    }
}
