//! Prison releases and continuity of care: seen at the gate, and in community treatment within
//! 21 days of release against the team's target (003: a national ambition of 75%).
use super::{Figure, Measure, Moment, OneWorker, Section};

pub const RELEASES: Measure = Measure {
    key: "prison.releases",
    label: "Prison releases",
    events: "SELECT x.client_id, x.released_on AS at FROM {in_scope} prison_spells x WHERE x.released_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

pub const SEEN_AT_GATE: Measure = Measure {
    key: "prison.seen_at_gate",
    label: "Seen at the gate",
    events: "SELECT x.client_id, x.released_on AS at FROM {in_scope} prison_spells x
             WHERE x.released_on BETWEEN :from AND :to AND x.seen_at_gate = 1 {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

/// A treatment start from the day of release to day 21 (prison::continuity).
pub const IN_TREATMENT: Measure = Measure {
    key: "prison.in_treatment_21_days",
    label: "In community treatment within 21 days of release",
    events: "SELECT x.client_id, x.released_on AS at FROM {in_scope} prison_spells x
             WHERE x.released_on BETWEEN :from AND :to {scope}
             AND EXISTS (SELECT 1 FROM treatment_episodes te WHERE te.client_id = x.client_id
                         AND te.treatment_started_on BETWEEN x.released_on AND date(x.released_on, '+21 days'))",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

pub const SECTION: Section = Section {
    key: "prison",
    title: "Prison release and continuity of care",
    figures: &[
        Figure::Count(&RELEASES),
        Figure::Rate { of: &SEEN_AT_GATE, out_of: &RELEASES, target: None },
        Figure::Rate { of: &IN_TREATMENT, out_of: &RELEASES, target: Some(|s| s.continuity_target_percent) },
    ],
    breakdowns: &[],
};
