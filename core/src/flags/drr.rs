//! DRR rules: what a court's Drug Rehabilitation Requirement obliges the worker to do next
//! (warn, return to court, report before a review, chase a test, plan the exit).
use super::{due_then_urgent, flag, instant, Context, Flag, Rule, RuleKind, Severity};
use crate::calendar::when;
use crate::dates;
use crate::drr::compliance::{period_ends_on, within_warning_period};
use chrono::{Duration, NaiveDate};

pub const RULES: &[Rule] = &[
    Rule { code: "DRR-WARNING-DUE", title: "DRR failure with no warning", kind: RuleKind::Statutory, check: warning_due },
    Rule { code: "DRR-BREACH", title: "DRR breach: return to court", kind: RuleKind::Statutory, check: breach },
    Rule { code: "DRR-REVIEW-DUE", title: "DRR review soon with no progress report", kind: RuleKind::Statutory, check: review_due },
    Rule { code: "DRR-TEST-MISSED", title: "DRR test with no result", kind: RuleKind::Statutory, check: test_missed },
    Rule { code: "DRR-ENDING", title: "DRR ending with no exit plan", kind: RuleKind::Statutory, check: ending },
];

fn day(r: &rusqlite::Row<'_>, column: &str) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(column)?;
    dates::parse(&text).ok_or_else(|| rusqlite::Error::InvalidColumnType(0, column.into(), rusqlite::types::Type::Text))
}

/// Every unacceptable failure of a live order with neither its own warning nor a return to
/// court: a breach when it falls within the period of a warning of another failure (the latest
/// given on or before it), otherwise a warning is due. Both rules read this one query.
fn open_failures(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let months = ctx.settings.drr_warning_months;
    ctx.rows(
        "SELECT {client_columns}, x.id, x.occurred_on, x.what,
                (SELECT max(w.given_on) FROM drr_warnings w
                 WHERE w.order_id = x.order_id AND w.failure_id <> x.id AND w.given_on <= x.occurred_on) AS last_warning_on
         FROM drr_failures x {client_join}
         JOIN drr_orders o ON o.id = x.order_id
         WHERE x.acceptable = 0 AND {records} AND c.status = 'active' AND o.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM drr_warnings w WHERE w.failure_id = x.id)
           AND NOT EXISTS (SELECT 1 FROM drr_breaches b WHERE b.failure_id = x.id)",
        "",
        "",
        |r| {
            let name: String = r.get("client_name")?;
            let on = day(r, "occurred_on")?;
            let what = r.get::<_, String>("what")?.trim_end_matches('.').to_lowercase();
            let warned = r
                .get::<_, Option<String>>("last_warning_on")?
                .and_then(|t| dates::parse(&t))
                .filter(|w| within_warning_period(on, *w, months));
            Ok(match warned {
                Some(w) => flag(
                    "DRR-BREACH",
                    Severity::Urgent,
                    r.get("client_id")?,
                    name.clone(),
                    on,
                    format!(
                        "{name} failed to comply again on {} ({what}), within the warning period of the warning given on {} (until {}): a breach of the DRR.",
                        dates::display(on),
                        dates::display(w),
                        dates::display(period_ends_on(w, months))
                    ),
                    "Return the case to court and record the breach action.",
                    ("drr_failure", r.get("id")?),
                ),
                None => flag(
                    "DRR-WARNING-DUE",
                    Severity::Due,
                    r.get("client_id")?,
                    name.clone(),
                    on,
                    format!(
                        "{name} failed to comply with their DRR on {} ({what}), decided unacceptable, and no warning is recorded.",
                        dates::display(on)
                    ),
                    "Give the warning and print the warning letter.",
                    ("drr_failure", r.get("id")?),
                ),
            })
        },
    )
}

/// An unacceptable failure to comply with no warning recorded (and not a breach).
fn warning_due(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    Ok(open_failures(ctx)?.into_iter().filter(|f| f.code == "DRR-WARNING-DUE").collect())
}

/// A further unacceptable failure within the warning period (team setting, default 12
/// months) of a warning, with no return to court recorded.
fn breach(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    Ok(open_failures(ctx)?.into_iter().filter(|f| f.code == "DRR-BREACH").collect())
}

/// A review hearing within the team's days (default 7) with no progress report produced.
fn review_due(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let until = (ctx.today + Duration::days(i64::from(ctx.settings.drr_review_due_days))).to_string();
    ctx.rows(
        "SELECT {client_columns}, x.id, x.review_on, x.court
         FROM drr_reviews x {client_join}
         JOIN drr_orders o ON o.id = x.order_id
         WHERE x.report_produced_at IS NULL AND x.outcome_recorded_at IS NULL AND x.review_on <= :a
           AND {records} AND c.status = 'active' AND o.status = 'active'",
        &until,
        "",
        |r| {
            let on = day(r, "review_on")?;
            let name: String = r.get("client_name")?;
            Ok(flag(
                "DRR-REVIEW-DUE",
                if on <= ctx.today { Severity::Urgent } else { Severity::Due },
                r.get("client_id")?,
                name.clone(),
                on,
                format!(
                    "{name} has a DRR review hearing at {} on {} and no progress report is prepared.",
                    r.get::<_, String>("court")?,
                    dates::display(on)
                ),
                "Enter the treatment provider's views and produce the progress report.",
                ("drr_review", r.get("id")?),
            ))
        },
    )
}

/// A scheduled test whose time has passed with neither a result nor a reason recorded.
fn test_missed(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let now = when::sql(ctx.now);
    ctx.rows(
        "SELECT {client_columns}, x.id, a.at, a.place
         FROM drr_tests x {client_join}
         JOIN appointments a ON a.id = x.appointment_id
         WHERE x.taken_on IS NULL AND x.missed_reason IS NULL AND a.at <= :a AND a.status <> 'cancelled'
           AND {records} AND c.status = 'active'",
        &now,
        "",
        |r| {
            let at = instant(r, "at")?;
            let name: String = r.get("client_name")?;
            let on = when::london_date(at);
            Ok(flag(
                "DRR-TEST-MISSED",
                due_then_urgent(ctx.today, on + Duration::days(1)),
                r.get("client_id")?,
                name.clone(),
                on,
                format!(
                    "{name} had a DRR drug test on {} at {} and no result or reason is recorded.",
                    when::display(at),
                    r.get::<_, String>("place")?
                ),
                "Record the test's result, or that it was missed and why.",
                ("drr_test", r.get("id")?),
            ))
        },
    )
}

/// A live order ending within the team's days (default 14) with no exit plan.
fn ending(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let until = (ctx.today + Duration::days(i64::from(ctx.settings.drr_ending_days))).to_string();
    ctx.rows(
        "SELECT {client_columns}, x.id, x.ends_on, x.court
         FROM drr_orders x {client_join}
         WHERE x.status = 'active' AND x.exit_plan IS NULL AND x.ends_on <= :a AND {records} AND c.status = 'active'",
        &until,
        "",
        |r| {
            let on = day(r, "ends_on")?;
            let name: String = r.get("client_name")?;
            Ok(flag(
                "DRR-ENDING",
                if on <= ctx.today { Severity::Urgent } else { Severity::Due },
                r.get("client_id")?,
                name.clone(),
                on,
                format!(
                    "{name}'s DRR made at {} ends on {} and no exit plan is recorded.",
                    r.get::<_, String>("court")?,
                    dates::display(on)
                ),
                "Record the exit plan for the end of the order.",
                ("drr_order", r.get("id")?),
            ))
        },
    )
}
