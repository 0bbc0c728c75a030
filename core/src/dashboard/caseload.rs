//! Caseload: who the team holds now, and who came to it in the period, new or already known.
use super::{Figure, Measure, Moment, OneWorker, Section};

pub const ACTIVE: Measure = Measure {
    key: "caseload.active",
    label: "Active clients at the end of the period",
    // Open cases now: a case closed during the period no longer counts. The narrow (status, id)
    // index: SQLite would otherwise read the wider caseload index (worker, status) to the end.
    events: "SELECT x.id AS client_id, :to AS at FROM {in_scope} clients x INDEXED BY clients_by_status WHERE x.status = 'active' {client_scope}",
    moment: Moment::Now,
    // A worker's open cases are one range of the caseload index (a merged record is never open).
    one_worker: OneWorker::Own("SELECT x.id AS client_id, :to AS at FROM clients x WHERE x.allocated_worker_id = :w AND x.status = 'active'"),
};

pub const NEW: Measure = Measure {
    key: "caseload.new",
    label: "New clients registered",
    events: "SELECT x.id AS client_id, x.created_at AS at FROM {in_scope} clients x
             WHERE x.created_at >= :from_at AND x.created_at < :to_at AND x.status != 'merged' {client_scope}",
    moment: Moment::Instant,
    one_worker: OneWorker::AmongTheTeams,
};

pub const KNOWN: Measure = Measure {
    key: "caseload.known",
    label: "Already known clients tested on arrest again",
    // Registered before the period and tested on arrest in it, counted once each (on their
    // first test). Those registered since are few, so they are set aside once rather than
    // each client looked up.
    events: "SELECT x.client_id, x.at FROM {first_tests} x WHERE x.client_id NOT IN (SELECT id FROM clients WHERE created_at >= :from_at)",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

pub const SECTION: Section = Section {
    key: "caseload",
    title: "Caseload",
    figures: &[Figure::Count(&ACTIVE), Figure::Count(&NEW), Figure::Count(&KNOWN)],
    breakdowns: &[],
};
