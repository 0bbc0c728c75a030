//! The breach of bail notice for a missed Restriction on Bail appointment, built only from
//! the recorded facts.
use super::{get_bail, get_hearing, BAIL_STATUSES};
use crate::appointments::{self, OwnerType, PathwayError};
use crate::calendar::when;
use crate::dates;
use crate::documents::{self, Document};
use crate::reference;
use crate::store::{Actor, Store};

/// Produces (or reprints) the notice for a missed RoB appointment; the first production is
/// recorded on the appointment and every one is audited as a print.
pub fn produce(store: &mut Store, actor: &Actor, appointment_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let before = appointments::require(conn, appointment_id)?;
    appointments::require_failure(&before, OwnerType::RestrictionOnBail)?;
    let bail =
        get_bail(conn, &before.owner_id)?.ok_or(PathwayError::NotFound("The bail decision of this appointment is not on this laptop."))?;
    let hearing = get_hearing(conn, &bail.hearing_id)?;
    let client = crate::clients::require(conn, &before.client_id)?;
    let worker = crate::clients::worker_name(conn, &before.worker_id)?;
    let team = store.team_name()?;

    let after = store.write(actor, |w| appointments::document_produced(w, &before, "breach of bail notice"))?;
    let produced_at = after.failure_document_at.unwrap_or_else(|| store.clock().now());
    let produced_on = when::london_date(produced_at);

    let name = documents::name_of(&client);
    let mut paragraphs = vec![format!(
        "This notice concerns {name}, born {}, PNC number {}.",
        dates::display(client.date_of_birth),
        client.pnc.as_deref().unwrap_or("not recorded")
    )];
    let court = hearing.as_ref().map_or_else(|| "the court".to_string(), |h| h.court.clone());
    paragraphs.push(format!(
        "On {} {court} granted {} with a Restriction on Bail: {name} must attend an assessment of their dependency on or propensity to misuse specified Class A drugs and any follow-up the assessor considers appropriate.",
        dates::display(bail.decided_on),
        reference::label(BAIL_STATUSES, &bail.bail_status).to_lowercase()
    ));
    if let Some(c) = &bail.conditions {
        paragraphs.push(format!("The bail conditions recorded are: {c}"));
    }
    paragraphs.push(format!(
        "{name} was required to attend a Restriction on Bail appointment ({}) on {} at {}.",
        before.kind,
        when::display(before.at),
        before.place
    ));
    paragraphs.push(format!("{name} did not attend."));
    paragraphs.push(format!("This notice is given by {worker}, {team}, on {}.", dates::display(produced_on)));
    Ok(Document::about(
        &client,
        "Breach of bail notice: Restriction on Bail appointment missed",
        paragraphs,
        worker,
        produced_at,
        ("appointment", before.id),
    ))
}
