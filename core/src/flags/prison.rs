//! Prison rules: a release coming with nothing in place, an expected release date passed with
//! no release recorded, and a release with no community treatment start (003: in treatment
//! within three weeks). Dates are London calendar dates, so a clock change moves nothing.
use super::{flag, Context, Flag, Rule, RuleKind, Severity};
use crate::dates;
use crate::prison::continuity;
use chrono::{Duration, NaiveDate};

pub const RULES: &[Rule] = &[
    Rule {
        code: "PRISON-RELEASE-NO-PLAN",
        title: "Release coming with no throughcare plan or first appointment",
        kind: RuleKind::Statutory,
        check: release_no_plan,
    },
    Rule {
        code: "PRISON-RELEASE-UNCONFIRMED",
        title: "Expected release date passed, release not recorded",
        kind: RuleKind::Statutory,
        check: release_unconfirmed,
    },
    Rule { code: "PRISON-NO-TREATMENT", title: "Released, no community treatment start", kind: RuleKind::Statutory, check: no_treatment },
];

/// An expected release within the team's days (policy default 14) with no throughcare plan
/// or no first community appointment booked; urgent on the day itself.
fn release_no_plan(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let until = ctx.today + Duration::days(i64::from(ctx.settings.prison_release_plan_days));
    ctx.rows(
        "SELECT {client_columns}, x.id, x.prison, x.expected_release_on,
                EXISTS (SELECT 1 FROM throughcare_plans p WHERE p.spell_id = x.id) AS has_plan,
                EXISTS (SELECT 1 FROM appointments a WHERE a.owner_type = 'throughcare' AND a.owner_id = x.id
                        AND a.status IN ('scheduled', 'attended')) AS has_appointment
         FROM prison_spells x {client_join}
         WHERE x.released_on IS NULL AND x.expected_release_on >= :a AND x.expected_release_on <= :b
           AND {records} AND c.status = 'active'
           AND NOT (has_plan AND has_appointment)",
        &ctx.today.to_string(),
        &until.to_string(),
        |r| {
            let day: NaiveDate = r.get("expected_release_on")?;
            let name: String = r.get("client_name")?;
            let missing = match (r.get::<_, bool>("has_plan")?, r.get::<_, bool>("has_appointment")?) {
                (false, false) => "no throughcare plan and no first community appointment",
                (false, true) => "no throughcare plan",
                _ => "no first community appointment",
            };
            Ok(flag(
                "PRISON-RELEASE-NO-PLAN",
                if day <= ctx.today { Severity::Urgent } else { Severity::Due },
                r.get("client_id")?,
                name.clone(),
                day,
                format!(
                    "{name} is expected to be released from {} on {} and has {missing}.",
                    r.get::<_, String>("prison")?,
                    dates::display(day)
                ),
                "Record the throughcare plan and book the first community appointment.",
                ("prison_spell", r.get("id")?),
            ))
        },
    )
}

/// The expected release date has passed and no release (or new date) is recorded: the person
/// may be out with nothing in place.
fn release_unconfirmed(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    ctx.rows(
        "SELECT {client_columns}, x.id, x.prison, x.expected_release_on
         FROM prison_spells x {client_join}
         WHERE x.released_on IS NULL AND x.expected_release_on < :a AND {records} AND c.status = 'active'",
        &ctx.today.to_string(),
        "",
        |r| {
            let day: NaiveDate = r.get("expected_release_on")?;
            let name: String = r.get("client_name")?;
            Ok(flag(
                "PRISON-RELEASE-UNCONFIRMED",
                Severity::Urgent,
                r.get("client_id")?,
                name.clone(),
                day + Duration::days(1),
                format!(
                    "{name} was expected to be released from {} on {} and no release is recorded.",
                    r.get::<_, String>("prison")?,
                    dates::display(day)
                ),
                "Record the release, or the new expected release date.",
                ("prison_spell", r.get("id")?),
            ))
        },
    )
}

/// Released and no community treatment start on or after the release: due on day 21 (003),
/// urgent from the team's day (policy default 14). Back in prison since ends it.
fn no_treatment(ctx: &Context<'_>) -> rusqlite::Result<Vec<Flag>> {
    let urgent_from = i64::from(ctx.settings.prison_treatment_urgent_days);
    ctx.rows(
        "SELECT {client_columns}, x.id, x.prison, x.released_on
         FROM prison_spells x {client_join}
         WHERE x.released_on IS NOT NULL AND x.released_on <= :a AND {records} AND c.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM treatment_episodes t
                           WHERE t.client_id IN (SELECT c.id UNION ALL SELECT mc.id FROM clients mc WHERE mc.merged_into = c.id)
                             AND t.treatment_started_on >= x.released_on)
           AND NOT EXISTS (SELECT 1 FROM prison_spells y
                           WHERE y.client_id = x.client_id AND y.id <> x.id AND y.received_on >= x.released_on)",
        &ctx.today.to_string(),
        "",
        |r| {
            let released: NaiveDate = r.get("released_on")?;
            let deadline = continuity::deadline(released);
            let day = (ctx.today - released).num_days();
            let name: String = r.get("client_name")?;
            let sentence = if ctx.today > deadline {
                format!(
                    "{name} was released from {} on {} and no community treatment had started by day 21 ({}).",
                    r.get::<_, String>("prison")?,
                    dates::display(released),
                    dates::display(deadline)
                )
            } else {
                format!(
                    "{name} was released from {} on {} (day {day} of 21) and no community treatment start is recorded.",
                    r.get::<_, String>("prison")?,
                    dates::display(released)
                )
            };
            Ok(flag(
                "PRISON-NO-TREATMENT",
                if day >= urgent_from { Severity::Urgent } else { Severity::Due },
                r.get("client_id")?,
                name.clone(),
                deadline,
                sentence,
                "Record the community treatment start.",
                ("prison_spell", r.get("id")?),
            ))
        },
    )
}
