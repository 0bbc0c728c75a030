//! The timeline's prison entries: receptions, transfers, cancelled and actual releases, the
//! throughcare plan, and referrals and treatment episodes.
use super::{Stage, TimelineEntry};
use crate::calendar::when;
use crate::dates;
use crate::prison::{self, continuity, treatment};
use crate::reference;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

fn entry(at: DateTime<Utc>, stage: Stage, kind: &str, summary: String, record: (&str, &str), client: &str) -> TimelineEntry {
    TimelineEntry {
        at,
        date: when::london_date(at),
        stage,
        stage_label: stage.label().into(),
        kind: kind.into(),
        summary,
        record_type: record.0.into(),
        record_id: record.1.into(),
        client_id: client.into(),
    }
}

fn day(d: NaiveDate) -> DateTime<Utc> {
    when::start_of_day(d)
}

pub(super) fn entries(conn: &Connection, ids: &[String]) -> rusqlite::Result<Vec<TimelineEntry>> {
    let mut out = Vec::new();
    let transfers = prison::transfers_of(conn, ids)?;
    let episodes = treatment::episodes_of(conn, ids)?;
    for s in prison::spells_of(conn, ids)? {
        let mine: Vec<_> = transfers.iter().filter(|t| t.spell_id == s.id).collect();
        let first_prison = mine.first().map_or(s.prison.as_str(), |t| t.from_prison.as_str());
        let expected = s.expected_release_on.map(|e| format!("; expected release {}", dates::display(e))).unwrap_or_default();
        out.push(entry(
            day(s.received_on),
            Stage::Prison,
            "Prison reception",
            format!("Received into {first_prison}, {}{expected}", reference::label(prison::CUSTODY_TYPES, &s.custody_type).to_lowercase()),
            ("prison_spell", &s.id),
            &s.client_id,
        ));
        for c in prison::release_date_changes(conn, &s.id)? {
            let date = |d: Option<NaiveDate>| d.map_or_else(|| "none".to_string(), dates::display);
            out.push(entry(
                c.changed_at,
                Stage::Prison,
                "Expected release changed",
                format!("From {} to {}, by {}", date(c.from), date(c.to), c.changed_by),
                ("prison_spell", &s.id),
                &s.client_id,
            ));
        }
        for t in mine {
            out.push(entry(
                day(t.transferred_on),
                Stage::Prison,
                "Prison transfer",
                format!("From {} to {}", t.from_prison, t.to_prison),
                ("prison_transfer", &t.id),
                &t.client_id,
            ));
        }
        if let (Some(on), Some(reason)) = (s.release_cancelled_on, &s.release_cancelled_reason) {
            out.push(entry(day(on), Stage::Prison, "Release cancelled", reason.clone(), ("prison_spell", &s.id), &s.client_id));
        }
        if let Some(plan) = prison::plan_of(conn, &s.id)? {
            out.push(entry(
                plan.made.created_at,
                Stage::Prison,
                "Throughcare plan",
                format!(
                    "Accommodation: {}; {}; naloxone {}; met at the gate by {}",
                    plan.accommodation,
                    reference::label(prison::PRESCRIBING, &plan.prescribing).to_lowercase(),
                    if plan.naloxone_supplied { "supplied" } else { "not supplied" },
                    plan.gate_contact.as_deref().unwrap_or("nobody arranged")
                ),
                ("throughcare_plan", &plan.id),
                &plan.client_id,
            ));
        }
        if let Some(r) = s.released_on {
            let gate = if s.seen_at_gate == Some(true) { "seen at the gate" } else { "not seen at the gate" };
            // The timeline has no "now": it names a treatment start, never a pending result.
            let result = continuity::result(r, &episodes, continuity::deadline(r));
            let started = if result.treatment_started_on.is_some() { format!(" {}", result.label) } else { String::new() };
            out.push(entry(
                day(r),
                Stage::Prison,
                "Release from prison",
                format!("Released from {}; {gate}.{started}", s.prison),
                ("prison_spell", &s.id),
                &s.client_id,
            ));
        }
    }
    for e in &episodes {
        let cj = if e.criminal_justice { " (criminal-justice referral)" } else { "" };
        out.push(entry(
            day(e.referred_on),
            Stage::Community,
            "Referral",
            format!("Referred to {}{cj}", e.service),
            ("treatment_episode", &e.id),
            &e.client_id,
        ));
        if let Some(s) = e.treatment_started_on {
            let modality = e.modality.as_deref().map(|m| reference::label(treatment::MODALITIES, m)).unwrap_or_default();
            out.push(entry(
                day(s),
                Stage::Community,
                "Treatment start",
                format!("{modality} at {}; {} days from referral", e.service, (s - e.referred_on).num_days()),
                ("treatment_episode", &e.id),
                &e.client_id,
            ));
        }
        if let Some(d) = e.discharged_on {
            let why = e.discharge_reason.as_deref().map(|r| reference::label(treatment::DISCHARGE_REASONS, r)).unwrap_or_default();
            out.push(entry(
                day(d),
                Stage::Community,
                "Treatment discharge",
                format!("{why}, {}", e.service),
                ("treatment_episode", &e.id),
                &e.client_id,
            ));
        }
    }
    Ok(out)
}
