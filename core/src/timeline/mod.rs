//! A client's timeline: every pathway record in date order, including those of records merged
//! into this one, for reading a history at a glance, a case transfer or a subject access request.
mod prison;

use crate::appointments::{self, Appointment, AppointmentStatus, OwnerType};
use crate::calendar::when;
use crate::reference;
use crate::custody::{self, caution, TestResult};
use crate::{court, notes};
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

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// London calendar day.
    pub date: NaiveDate,
    pub stage: Stage,
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
    let booked: HashMap<String, Appointment> =
        appointments::of_clients(conn, &ids)?.into_iter().map(|a| (a.id.clone(), a)).collect();
    for r in custody::assessments_of(conn, &ids)? {
        let Some(a) = booked.get(&r.appointment_id) else { continue };
        let decision = match r.follow_up_required {
            Some(true) => "; follow-up required (RA4)",
            Some(false) => "; requirement ceased (RA5)",
            None => "",
        };
        push(a.at, Stage::Custody, r.kind.label(), format!("{}{decision}", appointment_words(a)), "required_assessment", &r.id, &r.client_id);
    }
    let mut others: Vec<&Appointment> = booked.values().filter(|a| a.owner_type != OwnerType::RequiredAssessment).collect();
    others.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    for a in others {
        let stage = match a.owner_type {
            OwnerType::RestrictionOnBail => Stage::Court,
            OwnerType::ConditionalCaution | OwnerType::RequiredAssessment => Stage::Custody,
            OwnerType::General => Stage::Community,
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
        push(n.created_at, Stage::Notes, kind, summary, "case_note", &n.id, &n.client_id);
    }
    out.extend(prison::entries(conn, &ids)?);
    // Stable: records at the same moment keep the order above (a hearing before its bail decision).
    out.sort_by_key(|a| a.at);
    Ok(out)
}
