//! The demo team's sync week: the court worker's laptop joined the team, worked apart, and its
//! bundle came back to the team lead's laptop, with one detail both changed while apart waiting
//! in the conflicts inbox. Only `make run`'s demo has it (the end-to-end journeys start without).
use super::{DemoError, DEMO_PASSWORD};
use crate::accounts::{workers, Installation};
use crate::clients::{self, Client, NewClient};
use crate::clock::Clock;
use crate::notes::{self, NewNote};
use crate::sync::join::{self, NewLaptop};
use crate::sync::{self, ExportScope};
use std::sync::Arc;

/// A client's details as the edit form holds them.
fn form_of(c: &Client) -> NewClient {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    NewClient {
        surname: c.surname.clone(),
        forenames: c.forenames.clone(),
        date_of_birth: c.date_of_birth.format("%d/%m/%Y").to_string(),
        sex: serde_json::to_value(c.sex).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
        gender_identity: text(&c.gender_identity),
        ethnicity: text(&c.ethnicity),
        no_fixed_abode: c.no_fixed_abode,
        address: text(&c.address),
        postcode: text(&c.postcode),
        gp: text(&c.gp),
        phone: text(&c.phone),
        pnc: text(&c.pnc),
        nhs_number: text(&c.nhs_number),
        prison_number: text(&c.prison_number),
        primary_substance: text(&c.primary_substance),
        secondary_substance: text(&c.secondary_substance),
        injecting_status: text(&c.injecting_status),
        risk_notes: text(&c.risk_notes),
    }
}

fn sync_error(e: impl std::fmt::Display) -> DemoError {
    DemoError::Sync(e.to_string())
}

/// Enrols the court laptop, works on it apart, and imports its bundle on the lead's laptop.
pub fn sync_week(dir: &std::path::Path, clock: Arc<dyn Clock>) -> Result<(), DemoError> {
    let mut lead = Installation::new(dir, clock.clone()).sign_in("lead", DEMO_PASSWORD)?;
    let lead_actor = lead.actor();
    let court_id = workers::by_login(lead.store().reader(), "court")
        .map_err(sync_error)?
        .map(|w| w.id)
        .ok_or_else(|| sync_error("no court worker"))?;
    let file = join::make(lead.store_mut(), &lead_actor, &NewLaptop { label: "Court laptop".into(), worker_id: court_id.clone() })
        .map_err(sync_error)?;

    let court_dir = court_laptop_folder(dir);
    let (mut court, _recovery) =
        Installation::new(&court_dir, clock.clone()).join(&file.bytes, &file.passphrase, DEMO_PASSWORD).map_err(sync_error)?;
    let court_actor = court.actor();
    let theirs: Vec<String> = court
        .store()
        .reader()
        .prepare("SELECT id FROM clients WHERE allocated_worker_id = ?1 AND status = 'active' ORDER BY surname, forenames LIMIT 2")
        .and_then(|mut s| s.query_map([&court_id], |r| r.get(0)).and_then(|rows| rows.collect()))
        .map_err(sync_error)?;
    let [first, second] = theirs.as_slice() else { return Ok(()) };

    // At court: a new phone number for one client, and a note for another.
    let before = clients::get(court.store().reader(), first).map_err(sync_error)?.ok_or_else(|| sync_error("client"))?;
    clients::update_details(court.store_mut(), &court_actor, first, &NewClient { phone: "07700 900318".into(), ..form_of(&before) })
        .map_err(sync_error)?;
    let note = NewNote {
        text: "Seen in the cells before the hearing; bail address confirmed with the duty solicitor.".into(),
        ..Default::default()
    };
    notes::add_note(court.store_mut(), &court_actor, second, &note).map_err(sync_error)?;
    let lead_laptop = sync::status::status(court.store().reader(), None).map_err(sync_error)?;
    let lead_device: Vec<String> = lead_laptop.devices.iter().filter(|d| !d.this_laptop).map(|d| d.id.clone()).collect();
    let (bundle, _) =
        sync::export(court.store_mut(), &court_actor, &ExportScope::NotAcknowledgedBy { device_ids: lead_device }).map_err(sync_error)?;
    drop(court);
    let _ = std::fs::remove_dir_all(&court_dir);

    // Meanwhile at the office, the lead takes another number for the same client from the GP.
    let before = clients::get(lead.store().reader(), first).map_err(sync_error)?.ok_or_else(|| sync_error("client"))?;
    clients::update_details(lead.store_mut(), &lead_actor, first, &NewClient { phone: "0113 496 0721".into(), ..form_of(&before) })
        .map_err(sync_error)?;
    sync::import(lead.store_mut(), &lead_actor, &bundle).map_err(sync_error)?;
    Ok(())
}

/// A folder beside the demo's for the court laptop, gone once its bundle is made.
fn court_laptop_folder(dir: &std::path::Path) -> std::path::PathBuf {
    let court = dir.with_file_name(format!("{}-court-laptop", dir.file_name().and_then(|n| n.to_str()).unwrap_or("demo")));
    let _ = std::fs::remove_dir_all(&court);
    court
}
