//! Drug Rehabilitation Requirements: starts, endings (completed or revoked), breaches, and
//! review hearings held with the progress report the court must have (Sentencing Act 2020
//! Sch 9 para 21).
use super::{Figure, Measure, Moment, OneWorker, Section};

pub const STARTS: Measure = Measure {
    key: "drr.starts",
    label: "DRRs made",
    events: "SELECT x.client_id, x.sentenced_on AS at FROM {in_scope} drr_orders x WHERE x.sentenced_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

pub const ENDED: Measure = Measure {
    key: "drr.ended",
    label: "DRRs ended (completed or revoked)",
    events: "SELECT x.client_id, x.ended_on AS at FROM {in_scope} drr_orders x
             WHERE x.status IN ('completed', 'revoked') AND x.ended_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

pub const COMPLETED: Measure = Measure {
    key: "drr.completed",
    label: "DRRs completed",
    events: "SELECT x.client_id, x.ended_on AS at FROM {in_scope} drr_orders x
             WHERE x.status = 'completed' AND x.ended_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

pub const REVOKED: Measure = Measure {
    key: "drr.revoked",
    label: "DRRs revoked",
    events: "SELECT x.client_id, x.ended_on AS at FROM {in_scope} drr_orders x
             WHERE x.status = 'revoked' AND x.ended_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

pub const BREACHES: Measure = Measure {
    key: "drr.breaches",
    label: "DRR breaches returned to court",
    events: "SELECT x.client_id, x.returned_on AS at FROM {in_scope} drr_breaches x WHERE x.returned_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

/// Review hearings whose day has come in the period.
pub const REVIEWS_DUE: Measure = Measure {
    key: "drr.reviews_due",
    label: "DRR review hearings due",
    events: "SELECT x.client_id, x.review_on AS at FROM {in_scope} drr_reviews x
             WHERE x.review_on BETWEEN :from AND min(:to, :today) {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

/// Held (outcome recorded) with the progress report produced by the hearing day.
pub const REVIEWS_ON_TIME: Measure = Measure {
    key: "drr.reviews_on_time",
    label: "DRR reviews held with the progress report ready",
    events: "SELECT x.client_id, x.review_on AS at FROM {in_scope} drr_reviews x
             WHERE x.review_on BETWEEN :from AND min(:to, :today) {scope}
             AND x.outcome_recorded_at IS NOT NULL AND london_date(x.report_produced_at) <= x.review_on",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

pub const SECTION: Section = Section {
    key: "drr",
    title: "Drug Rehabilitation Requirements",
    figures: &[
        Figure::Count(&STARTS),
        Figure::Rate { of: &COMPLETED, out_of: &ENDED, target: None },
        Figure::Count(&REVOKED),
        Figure::Count(&BREACHES),
        Figure::Rate { of: &REVIEWS_ON_TIME, out_of: &REVIEWS_DUE, target: None },
    ],
    breakdowns: &[],
};
