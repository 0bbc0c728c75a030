//! Referrals into treatment and the wait from referral to treatment start, criminal-justice
//! referrals apart from the rest (004).
use super::{Figure, Measure, Moment, OneWorker, Section};

pub const REFERRALS: Measure = Measure {
    key: "treatment.referrals",
    label: "Referrals to treatment",
    events:
        "SELECT x.client_id, x.referred_on AS at FROM {in_scope} treatment_episodes x WHERE x.referred_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

pub const WAIT_CJ: Measure = Measure {
    key: "treatment.wait_criminal_justice",
    label: "Days from referral to treatment start: criminal-justice referrals",
    events: "SELECT x.client_id, x.treatment_started_on AS at,
             julianday(x.treatment_started_on) - julianday(x.referred_on) AS days FROM {in_scope} treatment_episodes x
             WHERE x.treatment_started_on BETWEEN :from AND :to AND x.criminal_justice = 1 {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

pub const WAIT_OTHER: Measure = Measure {
    key: "treatment.wait_other",
    label: "Days from referral to treatment start: other referrals",
    events: "SELECT x.client_id, x.treatment_started_on AS at,
             julianday(x.treatment_started_on) - julianday(x.referred_on) AS days FROM {in_scope} treatment_episodes x
             WHERE x.treatment_started_on BETWEEN :from AND :to AND x.criminal_justice = 0 {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

pub const SECTION: Section = Section {
    key: "treatment",
    title: "Treatment",
    figures: &[Figure::Count(&REFERRALS), Figure::MedianDays(&WAIT_CJ), Figure::MedianDays(&WAIT_OTHER)],
    breakdowns: &[],
};
