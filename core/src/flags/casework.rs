//! Whole-case rules: consent to share and keeping in contact.
use super::{flag, instant, Context, Flag, Rule, RuleKind, Severity};
use crate::calendar::when;
use crate::dates;
use chrono::{Duration, NaiveDate};

pub const RULES: &[Rule] = &[
    Rule { code: "CONSENT-MISSING", title: "No current consent to share", kind: RuleKind::WholeCase, check: consent_missing },
    Rule { code: "CASE-NO-CONTACT", title: "No recent contact", kind: RuleKind::WholeCase, check: no_contact },
];

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

/// An active client with no current consent to share: none given, withdrawn, or past its
/// review date (the same test as the client record's "current"). Reads `case_activity`, which
/// also keeps the latest consent's dates its words name, so only the clients it flags are
/// visited.
fn consent_missing(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let today = ctx.today.format("%Y-%m-%d").to_string();
    ctx.rows(
        "SELECT {client_columns}, c.created_at,
                ca.latest_consent_withdrawn_on AS withdrawn_on, ca.latest_consent_review_on AS review_on
         FROM case_activity ca CROSS JOIN clients c ON c.id = ca.client_id
         WHERE ca.active = 1 AND ca.consent_until < :a AND {activity} AND c.status = 'active'",
        &today,
        "",
        |r| {
            let name: String = r.get("client_name")?;
            let registered = when::london_date(instant(r, "created_at")?);
            let (sentence, due) = match (date(r.get("withdrawn_on")?), date(r.get("review_on")?)) {
                (Some(w), _) => (format!("{name} withdrew consent to share information on {}.", dates::display(w)), w),
                (None, Some(review)) if review < ctx.today => (
                    format!(
                        "{name}'s consent to share information was due for review on {} and has not been renewed.",
                        dates::display(review)
                    ),
                    review,
                ),
                _ => (format!("No consent to share information is recorded for {name}."), registered),
            };
            Ok(flag(
                "CONSENT-MISSING",
                Severity::Info,
                r.get("client_id")?,
                name,
                due,
                sentence,
                "Record the person's consent to share, with its scope and review date.",
                ("client", r.get("client_id")?),
            ))
        },
    )
}

/// An active client with no contact (a recorded contact or an attended appointment, theirs or
/// of a record merged into theirs) for the team's days (policy default 28), counted from
/// registration when there has been none. Reads `case_activity`, so only quiet clients are
/// visited.
fn no_contact(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let days = i64::from(ctx.settings.case_no_contact_days);
    // Last contact on or before (today - days), in London days.
    let cutoff = when::sql(when::start_of_day(ctx.today - Duration::days(days) + Duration::days(1)));
    ctx.rows(
        "SELECT * FROM (
           SELECT {client_columns}, c.created_at, ca.last_contact_at,
             (SELECT max(ma.last_contact_at) FROM clients mm CROSS JOIN case_activity ma ON ma.client_id = mm.id
               WHERE mm.merged_into = c.id) AS merged_last_contact
           FROM case_activity ca CROSS JOIN clients c ON c.id = ca.client_id
           WHERE ca.active = 1 AND ca.quiet_since < :a AND {activity} AND c.status = 'active')
         WHERE coalesce(merged_last_contact, '') < :a",
        &cutoff,
        "",
        |r| {
            let name: String = r.get("client_name")?;
            let registered = instant(r, "created_at")?;
            let own = r.get::<_, Option<String>>("last_contact_at")?;
            let merged = r.get::<_, Option<String>>("merged_last_contact")?;
            let last = [own, merged]
                .into_iter()
                .flatten()
                .filter_map(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&chrono::Utc))
                .max();
            let (since, words) = match last {
                Some(t) => (when::london_date(t), "the last contact"),
                None => (when::london_date(registered), "registration"),
            };
            let quiet = (ctx.today - since).num_days();
            Ok(flag(
                "CASE-NO-CONTACT",
                Severity::Due,
                r.get("client_id")?,
                name.clone(),
                since + Duration::days(days),
                format!("No contact with {name} is recorded for {quiet} days, since {words} on {}.", dates::display(since)),
                "Record a contact or an attended appointment with the person.",
                ("client", r.get("client_id")?),
            ))
        },
    )
}
