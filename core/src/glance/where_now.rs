//! Where a person is on the pathway now, in the words a worker would use on the phone. Each
//! place is one small rule; the first that holds, in the order of [`RULES`], is where they
//! are: a person in prison is in prison whatever their order says, a person released is
//! waiting to be handed over to treatment, a test on arrest today is today's news.
use super::facts::Facts;
use crate::calendar::when;
use crate::clients::ClientStatus;
use crate::custody::AssessmentKind;
use crate::dates::display;
use crate::prison::continuity;
use crate::reference;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WhereNow {
    /// Tested on arrest in the last day, or a required assessment still to come.
    InCustody,
    /// On bail with a Restriction on Bail.
    OnBail,
    OnDrr,
    InPrison,
    /// Released, within the three weeks to start community treatment (003).
    Released,
    InTreatment,
    /// A closed case, or nothing current.
    NotActive,
}

impl WhereNow {
    pub fn label(self) -> &'static str {
        match self {
            WhereNow::InCustody => "In custody",
            WhereNow::OnBail => "On bail with a Restriction on Bail",
            WhereNow::OnDrr => "On a DRR",
            WhereNow::InPrison => "In prison",
            WhereNow::Released => "Released",
            WhereNow::InTreatment => "In community treatment",
            WhereNow::NotActive => "Not active",
        }
    }
}

/// Where a person is, and the sentence that says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub at: WhereNow,
    /// "On a DRR: 12-month order, next review 2 Dec 2026"
    pub words: String,
}

type Rule = fn(&Facts) -> Option<Standing>;

/// The pathway's places, the one that decides first first.
const RULES: &[Rule] = &[case_closed, in_prison, released_awaiting_treatment, in_custody, on_a_drr, on_bail_with_rob, in_treatment];

pub fn where_now(f: &Facts) -> Standing {
    RULES.iter().find_map(|rule| rule(f)).unwrap_or_else(|| standing(WhereNow::NotActive, "nothing current".into()))
}

fn standing(at: WhereNow, detail: String) -> Standing {
    Standing { words: format!("{}: {detail}", at.label()), at }
}

fn case_closed(f: &Facts) -> Option<Standing> {
    if f.client.status == ClientStatus::Active {
        return None;
    }
    let reason = f.client.closed_reason.as_deref().map(|r| reference::label(crate::clients::reference::CLOSE_REASONS, r).to_lowercase());
    Some(standing(WhereNow::NotActive, reason.map_or("case closed".into(), |r| format!("case closed ({r})"))))
}

/// A prison spell with no release recorded.
fn in_prison(f: &Facts) -> Option<Standing> {
    let spell = f.latest_spell().filter(|s| s.released_on.is_none())?;
    let release = match spell.expected_release_on {
        Some(d) if spell.release_cancelled_on.is_none() => format!("release due {}", display(d)),
        _ => "no release date".into(),
    };
    Some(Standing { at: WhereNow::InPrison, words: format!("In prison at {}, {release}", spell.prison) })
}

/// Released, no community treatment start yet, and still inside the three weeks (003).
fn released_awaiting_treatment(f: &Facts) -> Option<Standing> {
    let released_on = f.latest_spell()?.released_on?;
    let deadline = continuity::deadline(released_on);
    let started = f.episodes.iter().filter_map(|e| e.treatment_started_on).any(|s| s >= released_on);
    if started || f.today > deadline {
        return None;
    }
    Some(Standing { at: WhereNow::Released, words: format!("Released {}: into treatment by {}", display(released_on), display(deadline)) })
}

/// How long after a test on arrest the person counts as in custody: a detention runs on a
/// clock, not the calendar, so a test at 23:47 still is at 02:00.
const IN_CUSTODY_AFTER_TEST: chrono::Duration = chrono::Duration::hours(24);

/// Tested on arrest in the last day, or a required assessment still to come, with no bail
/// decided since.
fn in_custody(f: &Facts) -> Option<Standing> {
    let bailed_since = |day| f.latest_bail().is_some_and(|b| b.decided_on >= day);
    if let Some(t) = f.tests.iter().rev().find(|t| t.tested_at <= f.now && f.now - t.tested_at < IN_CUSTODY_AFTER_TEST) {
        if !bailed_since(when::london_date(t.tested_at)) {
            let result = if t.positive() { format!("positive for {}", t.positive_for()) } else { "not positive".into() };
            let tested = when::display(t.tested_at);
            return Some(standing(WhereNow::InCustody, format!("tested on arrest {tested} at {}, {result}", t.custody_suite)));
        }
    }
    let (r, a) = f.assessment_to_come()?;
    if bailed_since(when::london_date(r.made.created_at)) {
        return None;
    }
    let kind = if r.kind == AssessmentKind::Initial { "initial" } else { "follow-up" };
    Some(standing(WhereNow::InCustody, format!("{kind} required assessment pending {}, {}", when::display(a.at), a.place)))
}

/// An active order whose term has not run out.
fn on_a_drr(f: &Facts) -> Option<Standing> {
    let order = f.orders.iter().filter(|o| o.active() && o.ends_on >= f.today).max_by_key(|o| o.sentenced_on)?;
    let next = match f.next_reviews.iter().find(|r| r.order_id == order.id) {
        Some(r) => format!("next review {}", display(r.review_on)),
        None => format!("ends {}", display(order.ends_on)),
    };
    Some(standing(WhereNow::OnDrr, format!("{}-month order, {next}", order.order_months)))
}

/// The latest bail decision imposed a Restriction on Bail, and no sentence (an order or a
/// prison reception) has followed it.
fn on_bail_with_rob(f: &Facts) -> Option<Standing> {
    let bail = f.latest_bail().filter(|b| b.restriction_on_bail)?;
    let sentenced = f.orders.iter().any(|o| o.sentenced_on >= bail.decided_on);
    let received = f.spells.iter().any(|s| s.received_on >= bail.decided_on);
    if sentenced || received {
        return None;
    }
    let next = match f.next_hearing_on() {
        Some(d) => format!("next hearing {}", display(d)),
        None => format!("since {}", display(bail.decided_on)),
    };
    Some(standing(WhereNow::OnBail, next))
}

/// Community treatment started and not discharged.
fn in_treatment(f: &Facts) -> Option<Standing> {
    let e = f
        .episodes
        .iter()
        .filter(|e| e.discharged_on.is_none())
        .filter_map(|e| e.treatment_started_on.map(|s| (s, e)))
        .max_by_key(|(s, _)| *s)?;
    Some(standing(WhereNow::InTreatment, format!("{} since {}", e.1.service, display(e.0))))
}
