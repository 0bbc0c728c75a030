//! A client's timeline: every pathway record in date order, including those of records merged
//! into this one, for reading a history at a glance, a case transfer or a subject access request.
mod prison;

use crate::appointments::{self, Appointment, AppointmentStatus, OwnerType};
use crate::calendar::when;
use crate::custody::{self, caution, TestResult};
use crate::reference::{self, choice, Choice};
use crate::{court, drr, notes};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Custody,
    Court,
    Community,
    Prison,
    Notes,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Custody => "Custody",
            Stage::Court => "Court",
            Stage::Community => "Community",
            Stage::Prison => "Prison",
            Stage::Notes => "Contacts and notes",
        }
    }
}

/// The stages a timeline can be filtered by, in pathway order.
pub const STAGES: &[Choice] = &[
    choice("custody", "Custody"),
    choice("court", "Court"),
    choice("community", "Community"),
    choice("prison", "Prison"),
    choice("notes", "Contacts and notes"),
];

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// London calendar day.
    pub date: NaiveDate,
    pub stage: Stage,
    pub stage_label: String,
    /// What the record is, in words: "Test on arrest".
    pub kind: String,
    /// One line naming the facts.
    pub summary: String,
    pub record_type: String,
    pub record_id: String,
    /// The client record it belongs to (differs from the one opened for merged records).
    pub client_id: String,
}

fn result_words(r: TestResult) -> &'static str {
    match r {
        TestResult::Positive => "positive",
        TestResult::Negative => "negative",
        TestResult::Refused => "refused",
        TestResult::NotTested => "not tested",
    }
}

fn appointment_words(a: &Appointment) -> String {
    let base = format!("{} at {}", when::display(a.at), a.place);
    let outcome = match (a.status, a.remained) {
        (AppointmentStatus::Attended, Some(false)) => "attended but did not remain".to_string(),
        (AppointmentStatus::Attended, Some(true)) => "attended and remained".to_string(),
        (AppointmentStatus::Cancelled, _) => format!("cancelled by the {}", a.cancelled_by.as_deref().unwrap_or("service")),
        (status, _) => status.label().to_lowercase(),
    };
    let reported = match (a.failure_reported_at, a.failure_document_at) {
        (Some(_), _) => "; reported",
        (None, Some(_)) => "; document produced, not yet marked sent",
        _ => "",
    };
    format!("{base}: {outcome}{reported}")
}

/// Every record of the client and of clients merged into them, oldest first.
pub fn for_client(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<TimelineEntry>> {
    let ids = crate::clients::family(conn, client_id)?;
    let mut out = Vec::new();
    let mut push = |at: DateTime<Utc>, stage, kind: &str, summary: String, record_type: &str, record_id: &str, client: &str| {
        out.push(TimelineEntry {
            at,
            date: when::london_date(at),
            stage,
            stage_label: stage.label().into(),
            kind: kind.into(),
            summary,
            record_type: record_type.into(),
            record_id: record_id.into(),
            client_id: client.into(),
        })
    };
    for t in custody::tests_of(conn, &ids)? {
        let why = match &t.trigger_offence {
            Some(o) => reference::label(custody::TRIGGER_OFFENCES, o).to_lowercase(),
            None => "discretionary test".into(),
        };
        push(
            t.tested_at,
            Stage::Custody,
            "Test on arrest",
            format!(
                "At {} ({why}): opiates {}, cocaine {}{}",
                t.custody_suite,
                result_words(t.opiates),
                result_words(t.cocaine),
                if t.disputed { "; disputed" } else { "" }
            ),
            "test_on_arrest",
            &t.id,
            &t.client_id,
        );
    }
    let booked: HashMap<String, Appointment> = appointments::of_clients(conn, &ids)?.into_iter().map(|a| (a.id.clone(), a)).collect();
    for r in custody::assessments_of(conn, &ids)? {
        let Some(a) = booked.get(&r.appointment_id) else { continue };
        let decision = match r.follow_up_required {
            Some(true) => "; follow-up required (RA4)",
            Some(false) => "; requirement ceased (RA5)",
            None => "",
        };
        push(
            a.at,
            Stage::Custody,
            r.kind.label(),
            format!("{}{decision}", appointment_words(a)),
            "required_assessment",
            &r.id,
            &r.client_id,
        );
    }
    let mut others: Vec<&Appointment> =
        booked.values().filter(|a| !matches!(a.owner_type, OwnerType::RequiredAssessment | OwnerType::DrrTest)).collect();
    others.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    for a in others {
        let stage = match a.owner_type {
            OwnerType::RestrictionOnBail => Stage::Court,
            OwnerType::ConditionalCaution | OwnerType::RequiredAssessment => Stage::Custody,
            OwnerType::General | OwnerType::DrrTimetable | OwnerType::DrrTest => Stage::Community,
            OwnerType::Throughcare => Stage::Prison,
        };
        push(a.at, stage, &a.kind, appointment_words(a), "appointment", &a.id, &a.client_id);
    }
    for c in caution::cautions_of(conn, &ids)? {
        let missed = booked.values().any(|a| a.owner_id == c.id && a.status == AppointmentStatus::DidNotAttend);
        push(
            when::start_of_day(c.given_on),
            Stage::Custody,
            "Conditional caution",
            format!("Conditions: {}{}", c.conditions, if missed { "; an appointment was missed" } else { "" }),
            "conditional_caution",
            &c.id,
            &c.client_id,
        );
    }
    let hearings = court::hearings_of(conn, &ids)?;
    let hearing_at: HashMap<&str, DateTime<Utc>> = hearings.iter().map(|h| (h.id.as_str(), h.at)).collect();
    for h in &hearings {
        let mut summary = format!("{} at {}", reference::label(court::HEARING_TYPES, &h.hearing_type), h.court);
        if let Some(o) = &h.outcome {
            summary.push_str(&format!(": {o}"));
        }
        if let Some(n) = h.next_hearing_on {
            summary.push_str(&format!("; next hearing {}", crate::dates::display(n)));
        }
        push(h.at, Stage::Court, "Court hearing", summary, "court_hearing", &h.id, &h.client_id);
    }
    for b in court::bail_of(conn, &ids)? {
        let at = hearing_at.get(b.hearing_id.as_str()).copied().unwrap_or_else(|| when::start_of_day(b.decided_on));
        push(
            at,
            Stage::Court,
            "Bail decision",
            format!(
                "{}{}{}",
                reference::label(court::BAIL_STATUSES, &b.bail_status),
                if b.restriction_on_bail { " with Restriction on Bail" } else { "" },
                b.conditions.as_deref().map(|c| format!(": {c}")).unwrap_or_default()
            ),
            "bail_decision",
            &b.id,
            &b.client_id,
        );
    }
    for s in court::suitability_of(conn, &ids)? {
        push(
            when::start_of_day(s.assessed_on),
            Stage::Court,
            "DRR suitability assessment",
            if s.suitable { "Suitable for a DRR".into() } else { "Not suitable for a DRR".into() },
            "drr_suitability_assessment",
            &s.id,
            &s.client_id,
        );
    }
    drr_entries(conn, &ids, &booked, &mut push)?;
    for c in notes::contacts_of(conn, &ids)? {
        let stage = if c.kind == "custody_cold_call" { Stage::Custody } else { Stage::Community };
        push(c.at, stage, &reference::label(notes::CONTACT_KINDS, &c.kind), c.summary.clone(), "contact", &c.id, &c.client_id);
    }
    for n in notes::notes_of(conn, &ids)? {
        let kind = if n.corrects_note_id.is_some() { "Case note (correction)" } else { "Case note" };
        let first_line = n.text.lines().next().unwrap_or_default();
        let summary: String = if first_line.chars().count() > 160 {
            first_line.chars().take(159).collect::<String>() + "…"
        } else {
            first_line.to_string()
        };
        push(n.made.created_at, Stage::Notes, kind, summary, "case_note", &n.id, &n.client_id);
    }
    out.extend(prison::entries(conn, &ids)?);
    // Stable: records at the same moment keep the order above (a hearing before its bail decision).
    out.sort_by_key(|a| a.at);
    Ok(out)
}

/// The DRR's records: the order, its tests, failures, warnings, returns to court and reviews
/// (its timetable appointments are listed with the other appointments).
fn drr_entries(
    conn: &Connection,
    ids: &[String],
    booked: &HashMap<String, Appointment>,
    push: &mut impl FnMut(DateTime<Utc>, Stage, &str, String, &str, &str, &str),
) -> rusqlite::Result<()> {
    let day = when::start_of_day;
    let months = crate::accounts::settings::load(conn)?.drr_warning_months;
    for o in drr::orders_of(conn, ids)? {
        let mut summary = format!(
            "Made at {}: {}-month order, treatment and testing {} months{}",
            o.court,
            o.order_months,
            o.treatment_months,
            match o.review_interval_months {
                Some(n) if o.reviews => format!(", reviews every {n} month{}", if n == 1 { "" } else { "s" }),
                _ => ", no reviews".into(),
            }
        );
        if let (Some(on), Some(why)) = (o.ended_on, &o.end_reason) {
            summary.push_str(&format!(
                "; {} on {}: {why}",
                reference::label(drr::ORDER_STATUSES, &o.status).to_lowercase(),
                crate::dates::display(on)
            ));
        }
        push(day(o.sentenced_on), Stage::Community, "DRR order", summary, "drr_order", &o.id, &o.client_id);
        for t in drr::testing::of_order(conn, &o.id)? {
            let Some(a) = booked.get(&t.appointment_id) else { continue };
            let words = match (&t.taken_on, &t.missed_reason) {
                (Some(_), _) => t.results_words(),
                (None, Some(r)) => format!("missed: {r}"),
                (None, None) => appointment_words(a),
            };
            push(a.at, Stage::Community, "DRR drug test", words, "drr_test", &t.id, &t.client_id);
        }
        let warnings = drr::compliance::warnings_of(conn, &o.id)?;
        let breaches = drr::compliance::breaches_of(conn, &o.id)?;
        for f in drr::compliance::failures_of(conn, &o.id)? {
            let standing = drr::compliance::standing(&f, &warnings, &breaches, months);
            push(
                day(f.occurred_on),
                Stage::Community,
                "DRR failure to comply",
                format!("{}: {}", f.what, standing.label()),
                "drr_failure",
                &f.id,
                &f.client_id,
            );
        }
        for w in &warnings {
            push(day(w.given_on), Stage::Community, "DRR warning", "Formal warning given".into(), "drr_warning", &w.id, &w.client_id);
        }
        for b in &breaches {
            let decision =
                b.court_decision.as_deref().map(|d| format!("; {}", reference::label(drr::compliance::COURT_DECISIONS, d).to_lowercase()));
            push(
                day(b.returned_on),
                Stage::Community,
                "DRR breach",
                format!("Returned to court{}", decision.unwrap_or_default()),
                "drr_breach",
                &b.id,
                &b.client_id,
            );
        }
        for r in drr::reviews::of_order(conn, &o.id)? {
            let summary = match (&r.outcome, r.report_produced_at) {
                (Some(outcome), _) => format!("At {}: {outcome}", r.court),
                (None, Some(_)) => format!("At {}: progress report produced", r.court),
                (None, None) => format!("At {}: progress report not yet produced", r.court),
            };
            push(day(r.review_on), Stage::Community, "DRR review hearing", summary, "drr_review", &r.id, &r.client_id);
        }
    }
    Ok(())
}
