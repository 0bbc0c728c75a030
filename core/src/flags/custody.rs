//! Custody rules: the required assessments that must follow a positive test (Drugs Act 2005
//! Part 3) and the failures that must be reported.
use super::{due_then_urgent, flag, instant, Context, Flag, Rule, RuleKind, Scope, Severity};
use crate::calendar::when;
use crate::dates;
use chrono::Duration;

pub const RULES: &[Rule] = &[
    Rule {
        code: "CUS-ASSESS-MISSING",
        title: "Positive test, no initial assessment booked",
        kind: RuleKind::Statutory,
        check: assessment_missing,
    },
    Rule {
        code: "CUS-FAIL-ATTEND",
        title: "Failed to attend or remain at a required assessment",
        kind: RuleKind::Statutory,
        check: failed_to_attend,
    },
    Rule { code: "CUS-FOLLOWUP-DUE", title: "Follow-up assessment not booked", kind: RuleKind::Statutory, check: follow_up_due },
    Rule { code: "APPT-NO-OUTCOME", title: "Appointment with no outcome recorded", kind: RuleKind::Statutory, check: no_outcome },
];

/// A positive test and no initial assessment booked or recorded within the team's days
/// (policy default 1), counted in London calendar days from the test. Reads
/// `assessments_to_book`, which holds only the tests still waiting.
fn assessment_missing(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let days = i64::from(ctx.settings.assessment_booking_days);
    ctx.rows(
        "SELECT {client_columns}, x.id, x.tested_at, x.custody_suite, x.opiates, x.cocaine
         FROM assessments_to_book b CROSS JOIN tests_on_arrest x ON x.id = b.record_id {client_join}
         WHERE b.kind = 'initial' AND {to_book} AND {records} AND c.status = 'active'",
        "",
        "",
        |r| {
            let tested = instant(r, "tested_at")?;
            let due = when::london_date(tested) + Duration::days(days);
            let substances = match (r.get::<_, String>("opiates")? == "positive", r.get::<_, String>("cocaine")? == "positive") {
                (true, true) => "opiates and cocaine",
                (true, false) => "opiates",
                _ => "cocaine",
            };
            let name: String = r.get("client_name")?;
            Ok(flag(
                "CUS-ASSESS-MISSING",
                due_then_urgent(ctx.today, due),
                r.get("client_id")?,
                name.clone(),
                due,
                format!(
                    "{name} tested positive for {substances} at {} on {} and no initial assessment is booked or recorded.",
                    r.get::<_, String>("custody_suite")?,
                    when::display(tested)
                ),
                "Book the initial required assessment and give notice (RA1), or record it if it was carried out in custody.",
                ("test_on_arrest", r.get("id")?),
            ))
        },
    )
}

fn failure_action(document_produced: bool, produce: &str, mark: &str) -> String {
    if document_produced {
        mark.to_string()
    } else {
        produce.to_string()
    }
}

/// A required assessment not attended, or attended but not remained for, and not yet
/// reported to the police (an offence: Drugs Act 2005 s12).
fn failed_to_attend(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    ctx.rows(
        "SELECT {client_columns}, x.id, x.at, x.place, x.kind, x.status, x.failure_document_at
         FROM appointments x {client_join}
         WHERE x.failure_reported_at IS NULL AND (x.status = 'did_not_attend' OR x.remained = 0)
           AND x.owner_type = 'required_assessment' AND {records} AND c.status = 'active'",
        "",
        "",
        |r| {
            let at = instant(r, "at")?;
            let name: String = r.get("client_name")?;
            let what = if r.get::<_, String>("status")? == "did_not_attend" {
                "did not attend"
            } else {
                "attended but did not remain for the whole assessment"
            };
            let produced = r.get::<_, Option<String>>("failure_document_at")?.is_some();
            let mut f = flag(
                "CUS-FAIL-ATTEND",
                Severity::Urgent,
                r.get("client_id")?,
                name.clone(),
                when::london_date(at),
                format!("{name} {what}: {} on {} at {}.", r.get::<_, String>("kind")?, when::display(at), r.get::<_, String>("place")?),
                "",
                ("appointment", r.get("id")?),
            );
            f.action = failure_action(
                produced,
                "Produce the evidential statement and mark it sent to the police.",
                "Mark the evidential statement as sent to the police.",
            );
            Ok(f)
        },
    )
}

/// A follow-up assessment required at the end of the initial one (RA4) and not booked.
fn follow_up_due(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let days = i64::from(ctx.settings.assessment_booking_days);
    ctx.rows(
        "SELECT {client_columns}, x.id, x.decided_at
         FROM assessments_to_book b CROSS JOIN required_assessments x ON x.id = b.record_id {client_join}
         WHERE b.kind = 'follow_up' AND {to_book} AND {records} AND c.status = 'active'",
        "",
        "",
        |r| {
            let decided = instant(r, "decided_at")?;
            let due = when::london_date(decided) + Duration::days(days);
            let name: String = r.get("client_name")?;
            Ok(flag(
                "CUS-FOLLOWUP-DUE",
                due_then_urgent(ctx.today, due),
                r.get("client_id")?,
                name.clone(),
                due,
                format!(
                    "A follow-up assessment was required at the end of {name}'s initial assessment on {} (RA4) and none is booked.",
                    dates::display(when::london_date(decided))
                ),
                "Book the follow-up assessment and give notice of it.",
                ("required_assessment", r.get("id")?),
            ))
        },
    )
}

/// An appointment whose London day passed more than the team's days ago (policy default 1)
/// with no outcome recorded. A DRR drug test has its own flag (DRR-TEST-MISSED), so it does
/// not raise this one too.
fn no_outcome(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let days = i64::from(ctx.settings.appointment_outcome_days);
    // Appointments before the start of (today - days) are on a day more than `days` ago.
    let cutoff = when::sql(when::start_of_day(ctx.today - Duration::days(days)));
    // Appointments left without an outcome are few in the whole team, so for a caseload it is
    // quicker to look through all of them than through every appointment of each client in it
    // (0.9 ms against 8 ms for a 17,000-client caseload); one client's are found by the client.
    let appointments = match ctx.scope {
        Scope::Client(_) => "appointments x",
        Scope::Worker(_) | Scope::Everyone => "appointments x INDEXED BY appointments_awaiting_outcome",
    };
    ctx.rows(
        &"SELECT {client_columns}, x.id, x.at, x.place, x.kind
         FROM {appointments} {client_join}
         WHERE x.status = 'scheduled' AND x.at < :a AND {records} AND c.status = 'active'
           AND x.owner_type <> 'drr_test'"
            .replace("{appointments}", appointments),
        &cutoff,
        "",
        |r| {
            let at = instant(r, "at")?;
            let name: String = r.get("client_name")?;
            Ok(flag(
                "APPT-NO-OUTCOME",
                Severity::Due,
                r.get("client_id")?,
                name.clone(),
                when::london_date(at) + Duration::days(days),
                format!(
                    "{} with {name} on {} at {} has no outcome recorded.",
                    r.get::<_, String>("kind")?,
                    when::display(at),
                    r.get::<_, String>("place")?
                ),
                "Record whether the person attended, or that the appointment was cancelled.",
                ("appointment", r.get("id")?),
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_custody_rule_has_a_distinct_code() {
        let mut codes: Vec<&str> = super::RULES.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), super::RULES.len());
    }
}
