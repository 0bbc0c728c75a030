//! Court (000): Restriction on Bail imposed and kept, and bail refused.
use super::{Figure, Measure, Section};

pub const ROB_IMPOSED: Measure = Measure {
    key: "court.rob_imposed",
    label: "Restriction on Bail imposed",
    events: "SELECT x.client_id, x.decided_on AS on_day FROM bail_decisions x
             WHERE x.decided_on BETWEEN :from AND :to AND x.restriction_on_bail = 1 {scope}",
};

/// Restriction on Bail appointments whose time came in the period and have an outcome.
pub const ROB_DUE: Measure = Measure {
    key: "court.rob_due",
    label: "Restriction on Bail appointments due",
    events: "SELECT x.client_id, london_date(x.at) AS on_day FROM appointments x
             WHERE x.owner_type = 'restriction_on_bail' AND x.at >= :from_at AND x.at < :to_at {scope}
             AND x.status IN ('attended', 'did_not_attend')",
};

pub const ROB_KEPT: Measure = Measure {
    key: "court.rob_kept",
    label: "Restriction on Bail appointments kept",
    events: "SELECT x.client_id, london_date(x.at) AS on_day FROM appointments x
             WHERE x.owner_type = 'restriction_on_bail' AND x.at >= :from_at AND x.at < :to_at {scope} AND x.status = 'attended'",
};

pub const REMANDED: Measure = Measure {
    key: "court.remanded",
    label: "Bail refused (remanded in custody)",
    events: "SELECT x.client_id, x.decided_on AS on_day FROM bail_decisions x
             WHERE x.decided_on BETWEEN :from AND :to AND x.bail_status = 'remanded' {scope}",
};

pub const SECTION: Section = Section {
    key: "court",
    title: "Court",
    figures: &[Figure::Count(&ROB_IMPOSED), Figure::Rate { of: &ROB_KEPT, out_of: &ROB_DUE, target: None }, Figure::Count(&REMANDED)],
    breakdowns: &[],
};
