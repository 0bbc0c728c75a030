//! The written notices the person is handed before they leave the cells (Drugs Act 2005 s9-11):
//! the requirement to attend and remain for an initial (RA1) or follow-up (RA4) assessment,
//! and a change of its time (RA2). Built only from what was recorded; every production is
//! audited as a print, like the statement.
use super::{get_assessment, get_test, AssessmentKind, RequiredAssessment};
use crate::appointments::{self, Appointment, OwnerType, PathwayError, Variation};
use crate::calendar::when;
use crate::clients::Client;
use crate::dates;
use crate::documents::{self, Document};
use crate::store::{Actor, Store};

/// Which section of the Act a notice is given under, and its form.
fn section(kind: AssessmentKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        AssessmentKind::Initial => ("an initial assessment", "section 9", "RA1"),
        AssessmentKind::FollowUp => ("a follow-up assessment", "section 10", "RA4"),
    }
}

const OFFENCE: &str = "If you fail without good cause to attend, or to remain for the whole of the assessment, you commit an offence under section 12 of the Drugs Act 2005 and may be liable on summary conviction to imprisonment for up to three months, a fine not exceeding level 4 on the standard scale, or both.";

fn signatures() -> [String; 2] {
    [
        "Signature of the person given this notice: ______________________________   Date: ____________".into(),
        "Signature of the drug worker: ______________________________   Date: ____________".into(),
    ]
}

fn to(client: &Client) -> String {
    format!(
        "To {}, born {}, PNC number {}.",
        documents::name_of(client),
        dates::display(client.date_of_birth),
        client.pnc.as_deref().unwrap_or("not recorded")
    )
}

/// The assessment an appointment is for, refusing any other appointment.
fn assessment_of(store: &Store, a: &Appointment) -> Result<RequiredAssessment, PathwayError> {
    if a.owner_type != OwnerType::RequiredAssessment {
        return Err(PathwayError::NotAllowed("Notices are given for required assessment appointments only.".into()));
    }
    get_assessment(store.reader(), &a.owner_id)?.ok_or(PathwayError::NotFound("The assessment of this appointment is not on this laptop."))
}

/// The notice of the requirement (RA1 or RA4) for an assessment booked with notice given. It
/// gives the time as it was when the notice was handed over; a later change has its own RA2.
pub fn requirement(store: &mut Store, actor: &Actor, assessment_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let assessment =
        get_assessment(conn, assessment_id)?.ok_or(PathwayError::NotFound("No assessment with that reference is on this laptop."))?;
    let (Some(given_at), Some(given_by)) = (assessment.notice_given_at, assessment.notice_given_by.as_deref()) else {
        return Err(PathwayError::NotAllowed(
            "This assessment was carried out straight away, so no notice of an appointment was given.".into(),
        ));
    };
    let appointment = appointments::require(conn, &assessment.appointment_id)?;
    let client = crate::clients::require(conn, &assessment.client_id)?;
    let worker = crate::clients::worker_name(conn, given_by)?;
    let team = store.team_name()?;
    let variations = appointments::variations(conn, &appointment.id)?;
    let at_notice = variations.iter().find(|v| v.varied_at > given_at).map_or(appointment.at, |v| v.from);
    let (what, section, form) = section(assessment.kind);

    let mut paragraphs = vec![to(&client)];
    paragraphs.push(match assessment.kind {
        AssessmentKind::Initial => {
            let test = assessment.test_id.as_deref().map(|id| get_test(store.reader(), id)).transpose()?.flatten();
            match test {
                Some(t) => format!(
                    "On {} you were tested for specified Class A drugs at {} and the test was positive for {}.",
                    dates::display(when::london_date(t.tested_at)),
                    t.custody_suite,
                    t.positive_for()
                ),
                None => "You have tested positive for a specified Class A drug.".into(),
            }
        }
        AssessmentKind::FollowUp => {
            "At the end of your initial assessment the assessor decided that a follow-up assessment is appropriate.".into()
        }
    });
    paragraphs.push(format!(
        "Under {section} of the Drugs Act 2005 you are required to attend {what} of your drug misuse with a drug worker and to remain for its duration."
    ));
    paragraphs.push(format!("Your appointment is on {}, at {}.", when::display_with_day(at_notice), appointment.place));
    paragraphs.push("You must attend at that time and remain until the assessment is finished.".into());
    paragraphs.push(OFFENCE.into());
    paragraphs.push(format!(
        "If you cannot attend at that time, contact {team} before the appointment. Only a drug worker can change the time, and any change will be given to you in writing."
    ));
    paragraphs.push(format!("This notice was given to you by {worker}, {team}, on {}.", when::display(given_at)));
    paragraphs.extend(signatures());

    store.write(actor, |w| w.audit(&format!("printed {form} notice"), Some(&assessment.client_id), &assessment.id))?;
    Ok(Document::about(
        &client,
        format!("Notice of requirement to attend {what} ({form})"),
        paragraphs,
        worker,
        given_at,
        ("required_assessment", assessment.id),
    ))
}

/// The notice of a changed time (RA2) for an assessment appointment: its latest change.
pub fn changed_time(store: &mut Store, actor: &Actor, appointment_id: &str) -> Result<Document, PathwayError> {
    let appointment = appointments::require(store.reader(), appointment_id)?;
    let assessment = assessment_of(store, &appointment)?;
    let variations = appointments::variations(store.reader(), appointment_id)?;
    let Some(Variation { from, to: new_at, varied_at, varied_by }) = variations.last().cloned() else {
        return Err(PathwayError::NotAllowed(
            "The time of this appointment has not been changed, so there is no notice of a change to give.".into(),
        ));
    };
    let client = crate::clients::require(store.reader(), &appointment.client_id)?;
    let team = store.team_name()?;
    let (what, section, _) = section(assessment.kind);

    let paragraphs = vec![
        to(&client),
        format!("The time of your appointment for {what} under {section} of the Drugs Act 2005 has been changed."),
        format!("It was on {}.", when::display_with_day(from)),
        format!("It is now on {}, at {}.", when::display_with_day(new_at), appointment.place),
        "You must attend at the new time and remain until the assessment is finished.".into(),
        OFFENCE.into(),
        format!("This notice was given to you by {varied_by}, {team}, on {}.", when::display(varied_at)),
    ]
    .into_iter()
    .chain(signatures())
    .collect();

    store.write(actor, |w| w.audit("printed RA2 notice", Some(&appointment.client_id), &appointment.id))?;
    Ok(Document::about(
        &client,
        "Notice of a changed appointment time (RA2)",
        paragraphs,
        varied_by,
        varied_at,
        ("appointment", appointment.id),
    ))
}
