//! Custody (002, 000): tests on arrest and their positive rate by trigger offence and substance,
//! the required assessments that follow, conditional cautions, and re-arrest.
use super::{Breakdown, Figure, Measure, Moment, OneWorker, Section};
use crate::custody::TRIGGER_OFFENCES;
use crate::reference;

/// A trigger offence code as the breakdown names it.
fn offence(code: &str) -> String {
    match code {
        "discretionary" => "Discretionary test".into(),
        "not_recorded" => "Trigger offence not recorded".into(),
        code => reference::label(TRIGGER_OFFENCES, code),
    }
}

pub const TESTS: Measure = Measure {
    key: "custody.tests",
    label: "Tests on arrest",
    events: "SELECT x.client_id, x.tested_at AS at,
             CASE WHEN x.discretionary = 1 THEN 'discretionary' ELSE coalesce(x.trigger_offence, 'not_recorded') END AS part
             FROM {tests} x WHERE x.tested_at >= :from_at AND x.tested_at < :to_at",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

/// Positive for opiates or cocaine (or both): an initial assessment is required (s9).
pub const POSITIVE: Measure = Measure {
    key: "custody.positive",
    label: "Positive tests",
    events: "SELECT x.client_id, x.tested_at AS at,
             CASE WHEN x.discretionary = 1 THEN 'discretionary' ELSE coalesce(x.trigger_offence, 'not_recorded') END AS part
             FROM {tests} x WHERE x.tested_at >= :from_at AND x.tested_at < :to_at
             AND (x.opiates = 'positive' OR x.cocaine = 'positive')",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

pub const OPIATES: Measure = Measure {
    key: "custody.positive_opiates",
    label: "Positive for opiates",
    events: "SELECT x.client_id, x.tested_at AS at FROM {tests} x
             WHERE x.tested_at >= :from_at AND x.tested_at < :to_at AND x.opiates = 'positive'",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

pub const COCAINE: Measure = Measure {
    key: "custody.positive_cocaine",
    label: "Positive for cocaine",
    events: "SELECT x.client_id, x.tested_at AS at FROM {tests} x
             WHERE x.tested_at >= :from_at AND x.tested_at < :to_at AND x.cocaine = 'positive'",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

/// A refusal is an offence in its own right.
pub const REFUSED: Measure = Measure {
    key: "custody.refused",
    label: "Tests refused",
    events: "SELECT x.client_id, x.tested_at AS at FROM {tests} x
             WHERE x.tested_at >= :from_at AND x.tested_at < :to_at AND (x.opiates = 'refused' OR x.cocaine = 'refused')",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

/// Positive tests in the period whose initial assessment was attended and completed (RA3:
/// attended and remained), whenever it took place.
pub const ASSESSED: Measure = Measure {
    key: "custody.assessed",
    label: "Positive tests with the initial assessment attended and completed",
    events: "SELECT x.client_id, x.tested_at AS at FROM {tests} x
             WHERE x.tested_at >= :from_at AND x.tested_at < :to_at
             AND (x.opiates = 'positive' OR x.cocaine = 'positive')
             AND EXISTS (SELECT 1 FROM required_assessments ra
                         JOIN appointments a ON a.owner_type = 'required_assessment' AND a.owner_id = ra.id
                         WHERE ra.test_id = x.id AND ra.kind = 'initial' AND a.status = 'attended' AND a.remained = 1)",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

/// Required assessments (initial or follow-up) in the period not attended or left early: each
/// an offence (000).
pub const ASSESSMENT_FAILED: Measure = Measure {
    key: "custody.assessment_failed",
    label: "Failures to attend or remain at a required assessment",
    events: "SELECT x.client_id, x.at AS at FROM {in_scope} appointments x
             WHERE x.owner_type = 'required_assessment' AND x.at >= :from_at AND x.at < :to_at {scope}
             AND (x.status = 'did_not_attend' OR x.remained = 0)",
    moment: Moment::Instant,
    one_worker: OneWorker::AmongTheTeams,
};

pub const CAUTIONS: Measure = Measure {
    key: "custody.cautions",
    label: "Conditional cautions given",
    events: "SELECT x.client_id, x.given_on AS at FROM {in_scope} conditional_cautions x WHERE x.given_on BETWEEN :from AND :to {scope}",
    moment: Moment::Day,
    one_worker: OneWorker::AmongTheTeams,
};

/// Every booked appointment of the caution attended: none missed, none still to come.
pub const CAUTIONS_COMPLIED: Measure = Measure {
    key: "custody.cautions_complied",
    label: "Conditional cautions complied with",
    events: "SELECT x.client_id, x.given_on AS at FROM {in_scope} conditional_cautions x WHERE x.given_on BETWEEN :from AND :to {scope}
             AND EXISTS (SELECT 1 FROM appointments a WHERE a.owner_type = 'conditional_caution' AND a.owner_id = x.id AND a.status = 'attended')
             AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.owner_type = 'conditional_caution' AND a.owner_id = x.id
                             AND a.status IN ('scheduled', 'did_not_attend'))",
    moment: Moment::Day,
    one_worker: OneWorker::ClientByClient,
};

pub const SECTION: Section = Section {
    key: "custody",
    title: "Custody",
    figures: &[
        Figure::Count(&TESTS),
        Figure::Rate { of: &POSITIVE, out_of: &TESTS, target: None },
        Figure::Rate { of: &OPIATES, out_of: &TESTS, target: None },
        Figure::Rate { of: &COCAINE, out_of: &TESTS, target: None },
        Figure::Count(&REFUSED),
        Figure::Rate { of: &ASSESSED, out_of: &POSITIVE, target: None },
        Figure::Count(&ASSESSMENT_FAILED),
        Figure::Count(&CAUTIONS),
        Figure::Rate { of: &CAUTIONS_COMPLIED, out_of: &CAUTIONS, target: None },
    ],
    breakdowns: &[Breakdown {
        title: "Positive rate by trigger offence",
        part_heading: "Trigger offence",
        name: offence,
        of: &POSITIVE,
        out_of: &TESTS,
    }],
};

/// Each client's first test on arrest in the period starts their year of follow-up.
pub const COHORT: Measure = Measure {
    key: "rearrest.cohort",
    label: "Clients tested on arrest",
    events: "SELECT x.client_id, x.at FROM {first_tests} x",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

/// Of the cohort, those tested on arrest again on a later day within 12 months (day 1 to 365).
pub const REARRESTED: Measure = Measure {
    key: "rearrest.again",
    label: "Tested on arrest again within 12 months",
    events: "SELECT s.client_id, s.at FROM {first_tests} s WHERE s.again",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

pub const REARREST: Section = Section {
    key: "rearrest",
    title: "Re-arrest",
    figures: &[Figure::Rate { of: &REARRESTED, out_of: &COHORT, target: None }],
    breakdowns: &[],
};
