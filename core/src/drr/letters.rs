//! The DRR's printable documents, built only from the recorded facts: the warning letter
//! after an unacceptable failure, and the progress report the court must receive before each
//! review (Sch 9 para 21: the test results and the treatment provider's views).
use super::compliance::{self, period_ends_on, standing, Standing};
use super::{day_of, require_order, reviews, testing, timetable, Order};
use crate::appointments::{self, AppointmentStatus, OwnerType, PathwayError};
use crate::codes::ErrorCode;
use crate::dates;
use crate::documents::{name_of, Document};
use crate::error::ValidationErrors;
use crate::reference;
use crate::store::{Actor, Store};
use chrono::{Duration, NaiveDate};

fn order_sentence(o: &Order) -> String {
    format!("On {} {} made {}, ending on {}.", dates::display(o.sentenced_on), o.court, o.words(), dates::display(o.ends_on))
}

/// Produces (or reprints) the warning letter; the first production is recorded on the
/// warning and every one is audited as a print.
pub fn warning_letter(store: &mut Store, actor: &Actor, warning_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let warning =
        compliance::get_warning(conn, warning_id)?.ok_or(PathwayError::NotFound("No warning with that reference is on this laptop."))?;
    let failure = compliance::get_failure(conn, &warning.failure_id)?
        .ok_or(PathwayError::NotFound("The failure this warning is about is not on this laptop."))?;
    let order = require_order(conn, &warning.order_id)?;
    let client = crate::clients::require(conn, &warning.client_id)?;
    let worker = crate::clients::worker_name(conn, &warning.made.created_by)?;
    let months = crate::accounts::settings::load(conn)?.drr_warning_months;
    let team = store.team_name()?;

    let after = store.write(actor, |w| -> Result<compliance::Warning, PathwayError> {
        let after = match warning.letter_produced_at {
            Some(_) => warning.clone(),
            None => compliance::Warning { letter_produced_at: Some(w.now()), ..warning.clone() },
        };
        w.update(&warning, &after)?;
        w.audit("printed DRR warning letter", Some(&warning.client_id), &warning.id)?;
        Ok(after)
    })?;
    let produced_at = after.letter_produced_at.unwrap_or_else(|| store.clock().now());

    let name = name_of(&client);
    let mut paragraphs = vec![format!("This letter is to {name}, born {}.", dates::display(client.date_of_birth))];
    paragraphs.push(format!(
        "{} Your responsible officer is {} and your treatment provider is {}.",
        order_sentence(&order),
        order.responsible_officer,
        order.treatment_provider
    ));
    paragraphs.push(format!("On {}: {}.", dates::display(failure.occurred_on), failure.what.trim_end_matches('.')));
    paragraphs.push(match &failure.reason {
        Some(r) => format!("This failure to comply with the requirement was decided unacceptable: {}.", r.trim_end_matches('.')),
        None => "This failure to comply with the requirement was decided unacceptable.".into(),
    });
    paragraphs.push(format!(
        "This is a formal warning. If you fail again to comply without an acceptable reason on or before {}, you will be returned to court, which may revoke the order and sentence you again.",
        dates::display(period_ends_on(warning.given_on, months))
    ));
    paragraphs.push(format!("This warning is given by {worker}, {team}, on {}.", dates::display(warning.given_on)));
    Ok(Document::about(
        &client,
        "Warning: failure to comply with a Drug Rehabilitation Requirement",
        paragraphs,
        worker,
        produced_at,
        ("drr_warning", warning.id),
    ))
}

fn in_period(day: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    day >= from && day <= to
}

/// Produces (or reprints) the progress report for a review hearing (clears DRR-REVIEW-DUE).
/// It covers the days since the last review (or the order), up to the review itself.
pub fn progress_report(store: &mut Store, actor: &Actor, review_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let review = reviews::require(conn, review_id)?;
    let Some(views) = review.provider_views.clone() else {
        return Err(ValidationErrors::one(
            "provider_views",
            ErrorCode::ValidationProviderViewsRequired,
            "The court must receive the treatment provider's views: enter them before producing the report.",
        )
        .into());
    };
    let order = require_order(conn, &review.order_id)?;
    let client = crate::clients::require(conn, &review.client_id)?;
    let team = store.team_name()?;
    let worker = crate::clients::worker_name(conn, &actor.worker_id)?;
    let months = crate::accounts::settings::load(conn)?.drr_warning_months;
    let from = reviews::of_order(conn, &order.id)?
        .iter()
        .filter(|r| r.review_on < review.review_on)
        .map(|r| r.review_on + Duration::days(1))
        .max()
        .unwrap_or(order.sentenced_on);
    let to = review.review_on;
    let mut tests: Vec<(chrono::DateTime<chrono::Utc>, String)> = Vec::new();
    for t in testing::of_order(conn, &order.id)? {
        let a = appointments::require(conn, &t.appointment_id)?;
        let day = t.taken_on.unwrap_or_else(|| day_of(a.at));
        if !in_period(day, from, to) {
            continue;
        }
        match (&t.taken_on, &t.missed_reason) {
            (Some(d), _) => tests.push((
                a.at,
                format!(
                    "{} ({}): {}.",
                    dates::display(*d),
                    reference::label(testing::SAMPLE_TYPES, &t.sample_type).to_lowercase(),
                    t.results_words()
                ),
            )),
            (None, Some(r)) => tests.push((a.at, format!("{}: test missed ({}).", dates::display(day), r.trim_end_matches('.')))),
            (None, None) if a.at <= store.clock().now() => tests.push((a.at, format!("{}: no result recorded.", dates::display(day)))),
            _ => {}
        }
    }
    tests.sort_by_key(|t| t.0);
    let (mut attended, mut missed, mut cancelled) = (0, 0, 0);
    for slot in timetable::slots_of(conn, &order.id)? {
        for a in appointments::of_owner(conn, OwnerType::DrrTimetable, &slot.id)? {
            if !in_period(day_of(a.at), from, to) {
                continue;
            }
            match a.status {
                AppointmentStatus::Attended => attended += 1,
                AppointmentStatus::DidNotAttend => missed += 1,
                AppointmentStatus::Cancelled => cancelled += 1,
                _ => {}
            }
        }
    }
    let warnings = compliance::warnings_of(conn, &order.id)?;
    let breaches = compliance::breaches_of(conn, &order.id)?;
    let mut failures = Vec::new();
    for f in compliance::failures_of(conn, &order.id)? {
        if !in_period(f.occurred_on, from, to) {
            continue;
        }
        let words = match standing(&f, &warnings, &breaches, months) {
            Standing::Acceptable => {
                format!("decided acceptable ({})", f.reason.as_deref().unwrap_or("no reason recorded").trim_end_matches('.'))
            }
            Standing::WarningDue => "decided unacceptable; no warning given yet".into(),
            Standing::Warned => {
                let given = warnings.iter().find(|w| w.failure_id == f.id).map(|w| w.given_on).unwrap_or(f.occurred_on);
                format!("decided unacceptable; warning given on {}", dates::display(given))
            }
            Standing::Breach => "decided unacceptable, within the period of an earlier warning: a breach".into(),
            Standing::ReturnedToCourt => {
                let day = breaches.iter().find(|b| b.failure_id == f.id).map(|b| b.returned_on).unwrap_or(f.occurred_on);
                format!("decided unacceptable, within the period of an earlier warning; returned to court on {}", dates::display(day))
            }
        };
        failures.push(format!("{}: {}: {words}.", dates::display(f.occurred_on), f.what.trim_end_matches('.')));
    }

    let after = store.write(actor, |w| -> Result<reviews::Review, PathwayError> {
        let after = match review.report_produced_at {
            Some(_) => review.clone(),
            None => reviews::Review { report_produced_at: Some(w.now()), ..review.clone() },
        };
        w.update(&review, &after)?;
        w.audit("printed DRR progress report", Some(&review.client_id), &review.id)?;
        Ok(after)
    })?;
    let produced_at = after.report_produced_at.unwrap_or_else(|| store.clock().now());
    let produced_on = day_of(produced_at);

    let name = name_of(&client);
    let mut paragraphs = vec![format!(
        "This report concerns {name}, born {}, PNC number {}.",
        dates::display(client.date_of_birth),
        client.pnc.as_deref().unwrap_or("not recorded")
    )];
    paragraphs.push(format!(
        "{} The responsible officer is {}; {} treatment is provided by {}.",
        order_sentence(&order),
        order.responsible_officer,
        if order.residential { "residential" } else { "non-residential" },
        order.treatment_provider
    ));
    paragraphs.push(format!("This report covers {} to {}.", dates::display(from), dates::display(to)));
    if tests.is_empty() {
        paragraphs.push("Test results: no tests were due in this period.".into());
    } else {
        paragraphs.push(format!("Test results ({}):", tests.len()));
        paragraphs.extend(tests.into_iter().map(|t| t.1));
    }
    paragraphs.push(format!("Attendance at timetabled appointments: {attended} attended, {missed} not attended, {cancelled} cancelled."));
    if failures.is_empty() {
        paragraphs.push("Failures to comply: none recorded in this period.".into());
    } else {
        paragraphs.push(format!("Failures to comply ({}):", failures.len()));
        paragraphs.extend(failures);
    }
    paragraphs.push(format!("The treatment provider's views ({}): {}", order.treatment_provider, views));
    paragraphs.push(format!("This report is prepared by {worker}, {team}, on {}.", dates::display(produced_on)));
    Ok(Document::about(
        &client,
        format!("Progress report: Drug Rehabilitation Requirement review on {}", dates::display(review.review_on)),
        paragraphs,
        worker,
        produced_at,
        ("drr_review", review.id),
    ))
}
