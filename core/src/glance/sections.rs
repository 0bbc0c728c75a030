//! What each stage's section of the record holds, in a few words for its heading, and whether
//! it is the stage the person is in now (the record shows that one open, the rest folded).
use super::facts::Facts;
use super::where_now::WhereNow;
use crate::dates::display;
use crate::prison::continuity;
use crate::reference;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SectionGlance {
    /// The section: "custody", "court", "drr", "prison" or "treatment".
    pub section: String,
    /// "12-month order, review 2 Dec 2026"; "Nothing recorded" when empty.
    pub holds: String,
    /// The person is at this stage now.
    pub current: bool,
}

type Holds = fn(&Facts) -> String;
type Current = fn(&Facts, WhereNow) -> bool;

/// Each section, what it holds and when it is current.
const SECTIONS: &[(&str, Holds, Current)] = &[
    ("custody", custody, |_, at| at == WhereNow::InCustody),
    ("court", court, |_, at| at == WhereNow::OnBail),
    ("drr", drr, |_, at| at == WhereNow::OnDrr),
    ("prison", prison, prison_current),
    ("treatment", treatment, |_, at| matches!(at, WhereNow::Released | WhereNow::InTreatment)),
];

pub fn all(f: &Facts, at: WhereNow) -> Vec<SectionGlance> {
    SECTIONS
        .iter()
        .map(|(section, holds, current)| SectionGlance { section: section.to_string(), holds: holds(f), current: current(f, at) })
        .collect()
}

/// In prison, or within the three weeks after release: the section holds the first community
/// appointment and the handover summary the community team needs then, even once treatment
/// has started.
fn prison_current(f: &Facts, at: WhereNow) -> bool {
    let handover = f.latest_spell().and_then(|s| s.released_on).is_some_and(|r| f.today <= continuity::deadline(r));
    matches!(at, WhereNow::InPrison | WhereNow::Released) || (handover && at != WhereNow::NotActive)
}

const NOTHING: &str = "Nothing recorded";

/// "2 tests on arrest, latest 23 Nov 2026"
fn custody(f: &Facts) -> String {
    let Some(latest) = f.tests.last() else {
        return NOTHING.into();
    };
    let n = f.tests.len();
    let tests = if n == 1 { "1 test on arrest".to_string() } else { format!("{n} tests on arrest") };
    let pending = if f.assessment_to_come().is_some() { ", assessment booked" } else { "" };
    format!("{tests}, latest {}{pending}", display(crate::calendar::when::london_date(latest.tested_at)))
}

/// "Bail with RoB, next hearing 2 Dec 2026" or "3 hearings, latest 23 Nov 2026"
fn court(f: &Facts) -> String {
    let Some(latest) = f.hearings.last() else {
        return NOTHING.into();
    };
    let n = f.hearings.len();
    let hearings = if n == 1 { "1 hearing".to_string() } else { format!("{n} hearings") };
    let bail = match f.latest_bail() {
        Some(b) if b.restriction_on_bail => "bail with a Restriction on Bail, ".to_string(),
        Some(b) => format!("{}, ", reference::label(crate::court::BAIL_STATUSES, &b.bail_status).to_lowercase()),
        None => String::new(),
    };
    let next = match f.next_hearing_on() {
        Some(d) => format!("next hearing {}", display(d)),
        None => format!("latest {}", display(crate::calendar::when::london_date(latest.at))),
    };
    capitalise(&format!("{bail}{hearings}, {next}"))
}

/// "12-month order, review 2 Dec 2026" or "12-month order, completed 1 Dec 2027"
fn drr(f: &Facts) -> String {
    let Some(o) = f.latest_order() else {
        return "No order".into();
    };
    let detail = if o.active() {
        match f.next_reviews.iter().find(|r| r.order_id == o.id) {
            Some(r) => format!("review {}", display(r.review_on)),
            None => format!("ends {}", display(o.ends_on)),
        }
    } else {
        let ended = o.ended_on.map(|d| format!(" {}", display(d))).unwrap_or_default();
        format!("{}{ended}", reference::label(crate::drr::ORDER_STATUSES, &o.status).to_lowercase())
    };
    format!("{}-month order, {detail}", o.order_months)
}

/// "HMP Forest Bank, release due 14 Jan 2027" or "Released 28 Nov 2026 from HMP Forest Bank"
fn prison(f: &Facts) -> String {
    let Some(s) = f.latest_spell() else {
        return NOTHING.into();
    };
    match (s.released_on, s.expected_release_on) {
        (Some(r), _) => format!("Released {} from {}", display(r), s.prison),
        (None, Some(d)) if s.release_cancelled_on.is_none() => format!("{}, release due {}", s.prison, display(d)),
        (None, _) => format!("{}, no release date", s.prison),
    }
}

/// "Westbridge Recovery Hub since 1 Dec 2026" or "Referred to Westbridge Recovery Hub 24 Nov 2026"
fn treatment(f: &Facts) -> String {
    let Some(e) = f.episodes.iter().max_by_key(|e| (e.referred_on, e.made.created_at)) else {
        return "No referral".into();
    };
    match (e.treatment_started_on, e.discharged_on) {
        (_, Some(d)) => format!("Discharged from {} {}", e.service, display(d)),
        (Some(s), None) => format!("{} since {}", e.service, display(s)),
        (None, None) => format!("Referred to {} {}", e.service, display(e.referred_on)),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
