//! Court rules: missed Restriction on Bail appointments and hearings with no report.
use super::{flag, instant, Context, Flag, Rule, RuleKind, Severity};
use crate::calendar::when;
use crate::calendar::working_days::add_working_days;
use crate::reference;
use chrono::Duration;

pub const RULES: &[Rule] = &[
    Rule { code: "COURT-ROB-MISSED", title: "Restriction on Bail appointment missed", kind: RuleKind::Statutory, check: rob_missed },
    Rule { code: "COURT-HEARING-SOON", title: "Hearing soon with no court report", kind: RuleKind::Statutory, check: hearing_soon },
];

/// A missed RoB appointment "will lead to breach of bail" (domain.md): report it.
fn rob_missed(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    ctx.rows(
        "SELECT {client_columns}, x.id, x.at, x.place, x.failure_document_at
         FROM appointments x {client_join}
         WHERE x.failure_reported_at IS NULL AND (x.status = 'did_not_attend' OR x.remained = 0)
           AND x.owner_type = 'restriction_on_bail' AND x.status = 'did_not_attend'
           AND {records} AND c.status = 'active'",
        "",
        "",
        |r| {
            let at = instant(r, "at")?;
            let name: String = r.get("client_name")?;
            let produced = r.get::<_, Option<String>>("failure_document_at")?.is_some();
            Ok(flag(
                "COURT-ROB-MISSED",
                Severity::Urgent,
                r.get("client_id")?,
                name.clone(),
                when::london_date(at),
                format!(
                    "{name} did not attend the Restriction on Bail appointment on {} at {}: a breach of bail.",
                    when::display(at),
                    r.get::<_, String>("place")?
                ),
                if produced {
                    "Mark the breach of bail notice as reported to the court or police."
                } else {
                    "Produce the breach of bail notice and mark it reported to the court or police."
                },
                ("appointment", r.get("id")?),
            ))
        },
    )
}

/// A hearing within the team's working days (policy default 2; weekends and bank holidays
/// excluded) with no court report or note recorded.
fn hearing_soon(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let last_day = add_working_days(ctx.today, ctx.settings.hearing_soon_working_days);
    let until = when::sql(when::start_of_day(last_day + Duration::days(1)));
    let from = when::sql(ctx.now);
    ctx.rows(
        "SELECT {client_columns}, x.id, x.at, x.court, x.hearing_type
         FROM court_hearings x {client_join}
         WHERE x.court_note IS NULL AND x.at >= :a AND x.at < :b AND {records} AND c.status = 'active'",
        &from,
        &until,
        |r| {
            let at = instant(r, "at")?;
            let day = when::london_date(at);
            let name: String = r.get("client_name")?;
            Ok(flag(
                "COURT-HEARING-SOON",
                if day <= ctx.today { Severity::Urgent } else { Severity::Due },
                r.get("client_id")?,
                name.clone(),
                day,
                format!(
                    "{name} has a hearing ({}) at {} on {} and no court report or note is recorded.",
                    reference::label(crate::court::HEARING_TYPES, &r.get::<_, String>("hearing_type")?).to_lowercase(),
                    r.get::<_, String>("court")?,
                    when::display(at)
                ),
                "Record the court report or note for the hearing.",
                ("court_hearing", r.get("id")?),
            ))
        },
    )
}
