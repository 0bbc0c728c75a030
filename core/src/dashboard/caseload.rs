//! Caseload: who the team holds now, and who came to it in the period, new or already known.
use super::{Figure, Measure, Section};

pub const ACTIVE: Measure = Measure {
    key: "caseload.active",
    label: "Active clients at the end of the period",
    // Open cases now: a case closed during the period no longer counts.
    events: "SELECT x.id AS client_id, :to AS on_day FROM clients x WHERE x.status = 'active' {client_scope}",
};

pub const NEW: Measure = Measure {
    key: "caseload.new",
    label: "New clients registered",
    events: "SELECT x.id AS client_id, london_date(x.created_at) AS on_day FROM clients x
             WHERE x.created_at >= :from_at AND x.created_at < :to_at AND x.status != 'merged' {client_scope}",
};

pub const KNOWN: Measure = Measure {
    key: "caseload.known",
    label: "Already known clients tested on arrest again",
    // Registered before the period and tested on arrest in it, counted once each.
    events: "SELECT x.client_id, london_date(min(x.tested_at)) AS on_day FROM tests_on_arrest x
             JOIN clients c ON c.id = x.client_id
             WHERE x.tested_at >= :from_at AND x.tested_at < :to_at AND c.created_at < :from_at {scope}
             GROUP BY x.client_id",
};

pub const SECTION: Section = Section {
    key: "caseload",
    title: "Caseload",
    figures: &[Figure::Now(&ACTIVE), Figure::Count(&NEW), Figure::Count(&KNOWN)],
    breakdowns: &[],
};
