//! Continuity of care after a release: did community treatment start within 21 calendar days
//! (003: the national ambition is 75% of releases needing support in treatment within three
//! weeks)? Days are London calendar dates, so a clock change never moves the deadline.
use super::treatment::TreatmentEpisode;
use crate::dates;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

/// Three weeks after release (003).
pub const CONTINUITY_DAYS: i64 = 21;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Continuity {
    /// Community treatment started within 21 days of release.
    Within,
    /// Treatment started, but after day 21.
    Outside,
    /// Day 21 has passed and no treatment start is recorded.
    NotStarted,
    /// Still within the 21 days, no treatment start yet.
    Open,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContinuityOfCare {
    pub result: Continuity,
    /// The result in words, naming the dates.
    pub label: String,
    pub released_on: NaiveDate,
    /// Day 21 after release: the last day that counts.
    pub deadline: NaiveDate,
    pub treatment_started_on: Option<NaiveDate>,
    /// Days from release to treatment start.
    #[ts(type = "number | null")]
    pub days_to_treatment: Option<i64>,
}

/// The last day a treatment start counts as within the three weeks.
pub fn deadline(released_on: NaiveDate) -> NaiveDate {
    released_on + Duration::days(CONTINUITY_DAYS)
}

/// The result for a release, from the client's treatment episodes: the first treatment start
/// on or after the release day counts.
pub fn result(released_on: NaiveDate, episodes: &[TreatmentEpisode], today: NaiveDate) -> ContinuityOfCare {
    let deadline = deadline(released_on);
    let started = episodes.iter().filter_map(|e| e.treatment_started_on).filter(|s| *s >= released_on).min();
    let days = started.map(|s| (s - released_on).num_days());
    let (result, label) = match (started, days) {
        (Some(s), Some(d)) if s <= deadline => {
            (Continuity::Within, format!("In community treatment within 21 days: started {} (day {d} after release).", dates::display(s)))
        }
        (Some(s), Some(d)) => {
            (Continuity::Outside, format!("Community treatment started after 21 days: {} (day {d} after release).", dates::display(s)))
        }
        _ if today > deadline => (
            Continuity::NotStarted,
            format!("Not in community treatment within 21 days: no treatment start by {}.", dates::display(deadline)),
        ),
        _ => (
            Continuity::Open,
            format!(
                "Still open: day {} of 21 after release; treatment must start by {}.",
                (today - released_on).num_days().max(0),
                dates::display(deadline)
            ),
        ),
    };
    ContinuityOfCare { result, label, released_on, deadline, treatment_started_on: started, days_to_treatment: days }
}
