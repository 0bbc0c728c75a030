//! The throughcare handover summary (prison to community team): who the person is, risks,
//! substances and prescribing, the plan, the appointments and contacts, built only from the
//! recorded facts so it says nothing that was not recorded.
use super::treatment::{self, DISCHARGE_REASONS, MODALITIES};
use super::{first_appointments, plan_of, require_spell, transfers_of, CUSTODY_TYPES, PRESCRIBING};
use crate::appointments::{self, AppointmentStatus, PathwayError};
use crate::calendar::when;
use crate::clients::family;
use crate::clients::reference::{INJECTING, SUBSTANCES};
use crate::dates;
use crate::documents::{self, phrase, Document};
use crate::reference;
use crate::store::{Actor, Store};

fn or_not_recorded(value: Option<&str>) -> String {
    value.map_or_else(|| "not recorded".to_string(), |v| phrase(v).to_string())
}

/// Produces (or reprints) the summary for a prison spell; every production is audited as a print.
pub fn produce(store: &mut Store, actor: &Actor, spell_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let spell = require_spell(conn, spell_id)?;
    let client = crate::clients::require(conn, &spell.client_id)?;
    let ids = family(conn, &client.id)?;
    let plan = plan_of(conn, &spell.id)?;
    let booked = first_appointments(conn, &spell.id)?;
    let transfers: Vec<_> = transfers_of(conn, &ids)?.into_iter().filter(|t| t.spell_id == spell.id).collect();
    let episodes = treatment::episodes_of(conn, &ids)?;
    let allocated = client.allocated_worker_id.as_deref().map(|w| crate::clients::worker_name(conn, w)).transpose()?;
    let worker = crate::clients::worker_name(conn, &actor.worker_id)?;
    let team = store.team_name()?;
    let now = store.clock().now();
    let mut appointment_lines = Vec::new();
    for a in &booked {
        let with = crate::clients::worker_name(conn, &a.worker_id)?;
        let status = match a.status {
            AppointmentStatus::Scheduled => "booked".to_string(),
            AppointmentStatus::Attended => "kept".to_string(),
            s => s.label().to_lowercase(),
        };
        appointment_lines.push(format!("{}: {} at {} with {with} ({status}).", a.kind, when::display(a.at), a.place));
    }
    let later: Vec<_> = appointments::of_clients(conn, &ids)?
        .into_iter()
        .filter(|a| a.at > now && a.status == AppointmentStatus::Scheduled && a.owner_id != spell.id)
        .collect();
    for a in &later {
        appointment_lines.push(format!("{}: {} at {} (booked).", a.kind, when::display(a.at), a.place));
    }
    store.write(actor, |w| w.audit("printed throughcare handover summary", Some(&client.id), &spell.id))?;

    let name = documents::name_of(&client);
    let mut paragraphs = vec![format!(
        "This summary hands over the care of {name}, born {}, from {} to the community team.",
        dates::display(client.date_of_birth),
        spell.prison
    )];
    paragraphs.push(format!(
        "PNC number {}; NHS number {}; prison number {}.",
        or_not_recorded(client.pnc.as_deref()),
        or_not_recorded(client.nhs_number.as_deref()),
        or_not_recorded(client.prison_number.as_deref())
    ));
    let mut custody = format!(
        "Received into {} on {}, {}.",
        transfers.first().map_or(spell.prison.as_str(), |t| t.from_prison.as_str()),
        dates::display(spell.received_on),
        reference::label(CUSTODY_TYPES, &spell.custody_type).to_lowercase()
    );
    for t in &transfers {
        custody.push_str(&format!(" Transferred to {} on {}.", t.to_prison, dates::display(t.transferred_on)));
    }
    paragraphs.push(custody);
    let release = match (spell.released_on, spell.expected_release_on) {
        (Some(r), _) => format!(
            "Released on {}; {}.",
            dates::display(r),
            if spell.seen_at_gate == Some(true) { "seen at the gate" } else { "not seen at the gate" }
        ),
        (None, Some(e)) => format!("Expected release: {}.", dates::display(e)),
        (None, None) => "No release date is recorded.".to_string(),
    };
    let licence = spell.licence_end_on.map(|l| format!(" Licence ends {}.", dates::display(l))).unwrap_or_default();
    paragraphs.push(format!("{release}{licence}"));
    paragraphs.push(format!(
        "Risks: {}. Injecting: {}.",
        or_not_recorded(client.risk_notes.as_deref()),
        client.injecting_status.as_deref().map_or_else(|| "not recorded".to_string(), |i| reference::label(INJECTING, i).to_lowercase())
    ));
    let substance = |s: &Option<String>| s.as_deref().map_or_else(|| "not recorded".to_string(), |v| reference::label(SUBSTANCES, v));
    paragraphs.push(format!(
        "Substances: primary {}; secondary {}.",
        substance(&client.primary_substance),
        substance(&client.secondary_substance)
    ));
    paragraphs.push(format!("Treatment in prison: {}.", or_not_recorded(spell.in_prison_treatment.as_deref())));
    match &plan {
        Some(p) => {
            let detail = p.prescribing_detail.as_deref().map(|d| format!(": {}", phrase(d))).unwrap_or_default();
            paragraphs.push(format!("Prescribing on release: {}{detail}.", reference::label(PRESCRIBING, &p.prescribing)));
            paragraphs.push(format!("Accommodation on release: {}.", phrase(&p.accommodation)));
            paragraphs.push(format!("Naloxone: {}.", if p.naloxone_supplied { "supplied" } else { "not supplied" }));
            paragraphs.push(format!("Met at the gate by: {}.", p.gate_contact.as_deref().map_or("nobody arranged", phrase)));
        }
        None => paragraphs.push("No throughcare plan is recorded.".to_string()),
    }
    if appointment_lines.is_empty() {
        paragraphs.push("No community appointment is booked.".to_string());
    } else {
        paragraphs.extend(appointment_lines);
    }
    for e in episodes.iter().filter(|e| e.discharged_on.is_none() || e.referred_on >= spell.received_on) {
        let mut line = format!("Referred to {} on {}", e.service, dates::display(e.referred_on));
        if let Some(a) = e.assessed_on {
            line.push_str(&format!("; assessed {}", dates::display(a)));
        }
        if let Some(s) = e.treatment_started_on {
            let modality =
                e.modality.as_deref().map(|m| format!(" ({})", reference::label(MODALITIES, m).to_lowercase())).unwrap_or_default();
            line.push_str(&format!("; treatment started {}{modality}", dates::display(s)));
        }
        if let Some(d) = e.discharged_on {
            let why = e
                .discharge_reason
                .as_deref()
                .map(|r| format!(" ({})", reference::label(DISCHARGE_REASONS, r).to_lowercase()))
                .unwrap_or_default();
            line.push_str(&format!("; discharged {}{why}", dates::display(d)));
        }
        paragraphs.push(format!("{line}."));
    }
    let address = if client.no_fixed_abode { "no fixed abode".to_string() } else { or_not_recorded(client.address.as_deref()) };
    paragraphs.push(format!(
        "Contacts: allocated worker {}; GP {}; phone {}; address {address}.",
        or_not_recorded(allocated.as_deref()),
        or_not_recorded(client.gp.as_deref()),
        or_not_recorded(client.phone.as_deref())
    ));
    let produced_on = when::london_date(now);
    paragraphs.push(format!("Produced by {worker}, {team}, on {}.", dates::display(produced_on)));
    Ok(Document::about(&client, "Throughcare handover summary", paragraphs, worker, now, ("prison_spell", spell.id)))
}
