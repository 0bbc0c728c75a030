//! The evidential statement of failure to attend or remain for a required assessment (Drugs
//! Act 2005 s12), generated only from the recorded facts so it says nothing that was not
//! recorded.
use super::{get_assessment, get_test, AssessmentKind};
use crate::appointments::{self, OwnerType, PathwayError};
use crate::calendar::when;
use crate::dates;
use crate::documents::{self, Document};
use crate::store::{Actor, Store};

/// Produces (or reprints) the statement for a failed assessment appointment. The first
/// production is recorded on the appointment; every one is audited as a print.
pub fn produce(store: &mut Store, actor: &Actor, appointment_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let before = appointments::require(conn, appointment_id)?;
    appointments::require_failure(&before, OwnerType::RequiredAssessment)?;
    let assessment = get_assessment(conn, &before.owner_id)?
        .ok_or(PathwayError::NotFound("The assessment of this appointment is not on this laptop."))?;
    let initial = match &assessment.initial_assessment_id {
        Some(id) => get_assessment(conn, id)?,
        None => Some(assessment.clone()),
    };
    let test = match initial.and_then(|i| i.test_id) {
        Some(id) => get_test(conn, &id)?,
        None => None,
    };
    let client = crate::clients::require(conn, &before.client_id)?;
    let worker = crate::clients::worker_name(conn, &before.worker_id)?;
    let team = store.team_name()?;
    let variations = appointments::variations(store.reader(), &before.id)?;
    let notice_by = assessment.notice_given_by.as_deref().map(|w| crate::clients::worker_name(store.reader(), w)).transpose()?;

    let after = store.write(actor, |w| appointments::document_produced(w, &before, "evidential statement"))?;
    let produced_at = after.failure_document_at.unwrap_or_else(|| store.clock().now());
    let produced_on = when::london_date(produced_at);

    let name = documents::name_of(&client);
    let what = match assessment.kind {
        AssessmentKind::Initial => "an initial assessment of their drug misuse under section 9 of the Drugs Act 2005",
        AssessmentKind::FollowUp => "a follow-up assessment of their drug misuse under section 10 of the Drugs Act 2005",
    };
    let mut paragraphs = vec![format!("I am {worker}, a drug worker with {team}.")];
    paragraphs.push(format!(
        "This statement concerns {name}, born {}, PNC number {}.",
        dates::display(client.date_of_birth),
        client.pnc.as_deref().unwrap_or("not recorded")
    ));
    if let Some(t) = &test {
        paragraphs.push(format!(
            "On {} {name} was tested for specified Class A drugs at {} and the test was positive for {}.",
            dates::display(when::london_date(t.tested_at)),
            t.custody_suite,
            t.positive_for()
        ));
    }
    let form = if assessment.kind == AssessmentKind::Initial { "RA1" } else { "RA4" };
    match (assessment.notice_given_at, &notice_by) {
        (Some(at), Some(by)) => paragraphs.push(format!(
            "On {} {by} gave {name} written notice ({form}) requiring them to attend and remain for {what}.",
            when::display(at)
        )),
        _ => paragraphs.push(format!("{name} was required to attend and remain for {what}.")),
    }
    for v in &variations {
        paragraphs.push(format!(
            "On {} {} varied the time of the appointment (RA2) from {} to {}.",
            when::display(v.varied_at),
            v.varied_by,
            when::display(v.from),
            when::display(v.to)
        ));
    }
    paragraphs.push(format!("The appointment was on {} at {}.", when::display(before.at), before.place));
    paragraphs.push(format!("{name} {}.", before.failure_words()));
    paragraphs.push(format!("I produced this statement on {}.", dates::display(produced_on)));
    Ok(Document::about(
        &client,
        "Evidential statement: failure to attend or remain for a required assessment",
        paragraphs,
        worker,
        produced_at,
        ("appointment", before.id),
    ))
}
