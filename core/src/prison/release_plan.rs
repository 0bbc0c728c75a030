//! The release plan the person leaving prison is handed: where to go first, how their
//! prescribing continues, naloxone and the overdose risk after release, and who to call. Built
//! only from the throughcare plan and the booked appointment, in words for the person, and
//! audited as a print. (The handover summary is the same facts for the community team.)
use super::{first_appointments, plan_of, require_spell, PrisonSpell, ThroughcarePlan};
use crate::appointments::{AppointmentStatus, PathwayError};
use crate::calendar::when;
use crate::dates;
use crate::documents::{name_of, phrase, Document};
use crate::store::{Actor, Store};

fn release(spell: &PrisonSpell) -> String {
    let mut line = match (spell.released_on, spell.expected_release_on) {
        (Some(r), _) => format!("You were released on {}.", dates::display_with_day(r)),
        (None, Some(e)) => format!("You are due to be released on {}.", dates::display_with_day(e)),
        (None, None) => "Your release date is not known yet.".to_string(),
    };
    if let Some(l) = spell.licence_end_on {
        line.push_str(&format!(
            " You are on licence until {}: keep to its conditions and see your probation officer when you are told to.",
            dates::display(l)
        ));
    }
    line
}

fn prescribing(plan: &ThroughcarePlan) -> String {
    let detail = plan.prescribing_detail.as_deref().map(|d| format!(": {}", phrase(d))).unwrap_or_default();
    match plan.prescribing.as_str() {
        "bridging_arranged" => format!("A bridging prescription is arranged so your medication carries on from the day you leave{detail}."),
        "community_script_arranged" => format!("Your prescription carries on in the community{detail}."),
        "not_needed" => "You do not need a prescription when you leave.".to_string(),
        _ => "Your prescription is not arranged yet. If you were on medication in prison, tell your worker straight away.".to_string(),
    }
}

const OVERDOSE: &str = "After time in prison your body cannot take what it used to, so the risk of overdose is much higher in the first weeks after release. Do not use alone, and call 999 if someone overdoses.";

/// Produces the person's release plan for a prison spell with a throughcare plan.
pub fn for_person(store: &mut Store, actor: &Actor, spell_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let spell = require_spell(conn, spell_id)?;
    let plan = plan_of(conn, &spell.id)?
        .ok_or_else(|| PathwayError::NotAllowed("Record the throughcare plan first: the person's release plan is made from it.".into()))?;
    let client = crate::clients::require(conn, &spell.client_id)?;
    let first = first_appointments(conn, &spell.id)?.into_iter().find(|a| a.status == AppointmentStatus::Scheduled);
    let first_with = first.as_ref().map(|a| crate::clients::worker_name(conn, &a.worker_id)).transpose()?;
    let allocated = client.allocated_worker_id.as_deref().map(|w| crate::clients::worker_name(conn, w)).transpose()?;
    let worker = crate::clients::worker_name(conn, &actor.worker_id)?;
    let team = store.team_name()?;
    let now = store.clock().now();

    let mut paragraphs = vec![
        format!("This is the plan for {}, born {}, leaving {}.", name_of(&client), dates::display(client.date_of_birth), spell.prison),
        release(&spell),
    ];
    let mut headings = Vec::new();
    let mut section = |paragraphs: &mut Vec<String>, heading: &str, lines: Vec<String>| {
        headings.push(paragraphs.len() as u32);
        paragraphs.push(heading.to_string());
        paragraphs.extend(lines);
    };
    section(
        &mut paragraphs,
        "Your first appointment",
        vec![match (&first, &first_with) {
            (Some(a), Some(with)) => format!(
                "{}, at {}, with {with}. Go straight there: it is where your treatment in the community starts.",
                when::display_with_day(a.at),
                a.place
            ),
            _ => format!("It is not booked yet. Contact {team} on the day you are released and they will book it."),
        }],
    );
    section(&mut paragraphs, "Your medication", vec![prescribing(&plan)]);
    section(
        &mut paragraphs,
        "Naloxone",
        vec![
            if plan.naloxone_supplied {
                "You have been given naloxone. Keep it with you: it can reverse an opioid overdose while an ambulance comes.".to_string()
            } else {
                "Ask for naloxone at your first appointment: it can reverse an opioid overdose while an ambulance comes.".to_string()
            },
            OVERDOSE.to_string(),
        ],
    );
    let mut release_day = vec![format!("Where you will live: {}.", phrase(&plan.accommodation))];
    if let Some(g) = &plan.gate_contact {
        release_day.push(format!("Meeting you at the gate: {}.", phrase(g)));
    }
    section(&mut paragraphs, "On the day", release_day);
    section(
        &mut paragraphs,
        "Who to call",
        vec![
            match &allocated {
                Some(a) => format!("Your drug worker is {a}, at {team}. Call them if anything in this plan goes wrong."),
                None => format!("Call {team} if anything in this plan goes wrong."),
            },
            "In an emergency, call 999.".to_string(),
        ],
    );
    paragraphs.push(format!("Given to you by {worker}, {team}, on {}.", dates::display(when::london_date(now))));

    store.write(actor, |w| w.audit("printed release plan for the person", Some(&client.id), &spell.id))?;
    Ok(Document {
        headings: Some(headings),
        ..Document::about(&client, "Your plan for leaving prison", paragraphs, worker, now, ("prison_spell", spell.id))
    })
}
