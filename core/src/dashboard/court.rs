//! Court (000): Restriction on Bail imposed and kept, and bail refused.
use super::{Figure, Measure, Moment, OneWorker, Section};

pub const ROB_IMPOSED: Measure = Measure {
    key: "court.rob_imposed",
    label: "Restriction on Bail imposed",
    events: "SELECT x.client_id, x.decided_on AS at FROM {in_scope} bail_decisions x
             WHERE x.decided_on BETWEEN :from AND :to AND x.restriction_on_bail = 1 {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

/// Restriction on Bail appointments whose time came in the period and have an outcome.
pub const ROB_DUE: Measure = Measure {
    key: "court.rob_due",
    label: "Restriction on Bail appointments due",
    events: "SELECT x.client_id, x.at AS at FROM {in_scope} appointments x
             WHERE x.owner_type = 'restriction_on_bail' AND x.at >= :from_at AND x.at < :to_at {scope}
             AND x.status IN ('attended', 'did_not_attend')",
    moment: Moment::Instant,
    one_worker: OneWorker::AmongTheTeams,
};

pub const ROB_KEPT: Measure = Measure {
    key: "court.rob_kept",
    label: "Restriction on Bail appointments kept",
    events: "SELECT x.client_id, x.at AS at FROM {in_scope} appointments x
             WHERE x.owner_type = 'restriction_on_bail' AND x.at >= :from_at AND x.at < :to_at {scope} AND x.status = 'attended'",
    moment: Moment::Instant,
    one_worker: OneWorker::AmongTheTeams,
};

pub const REMANDED: Measure = Measure {
    key: "court.remanded",
    label: "Bail refused (remanded in custody)",
    events: "SELECT x.client_id, x.decided_on AS at FROM {in_scope} bail_decisions x
             WHERE x.decided_on BETWEEN :from AND :to AND x.bail_status = 'remanded' {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

pub const SECTION: Section = Section {
    key: "court",
    title: "Court",
    figures: &[Figure::Count(&ROB_IMPOSED), Figure::Rate { of: &ROB_KEPT, out_of: &ROB_DUE, target: None }, Figure::Count(&REMANDED)],
    breakdowns: &[],
};
