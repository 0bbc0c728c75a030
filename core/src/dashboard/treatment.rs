//! Referrals into treatment and the wait from referral to treatment start, criminal-justice
//! referrals apart from the rest (004).
use super::{Figure, Measure, Section};

pub const REFERRALS: Measure = Measure {
    key: "treatment.referrals",
    label: "Referrals to treatment",
    events: "SELECT x.client_id, x.referred_on AS on_day FROM treatment_episodes x WHERE x.referred_on BETWEEN :from AND :to {scope}",
};

pub const WAIT_CJ: Measure = Measure {
    key: "treatment.wait_criminal_justice",
    label: "Days from referral to treatment start: criminal-justice referrals",
    events: "SELECT x.client_id, x.treatment_started_on AS on_day,
             julianday(x.treatment_started_on) - julianday(x.referred_on) AS days FROM treatment_episodes x
             WHERE x.treatment_started_on BETWEEN :from AND :to AND x.criminal_justice = 1 {scope}",
};

pub const WAIT_OTHER: Measure = Measure {
    key: "treatment.wait_other",
    label: "Days from referral to treatment start: other referrals",
    events: "SELECT x.client_id, x.treatment_started_on AS on_day,
             julianday(x.treatment_started_on) - julianday(x.referred_on) AS days FROM treatment_episodes x
             WHERE x.treatment_started_on BETWEEN :from AND :to AND x.criminal_justice = 0 {scope}",
};

pub const SECTION: Section = Section {
    key: "treatment",
    title: "Treatment",
    figures: &[Figure::Count(&REFERRALS), Figure::MedianDays(&WAIT_CJ), Figure::MedianDays(&WAIT_OTHER)],
    breakdowns: &[],
};
