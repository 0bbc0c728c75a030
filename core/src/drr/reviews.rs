//! Review hearings (Sch 9 para 21): the schedule follows the order's interval, never closer
//! than one calendar month; before each, the court must receive a progress report.
use super::{date_field, earliest_review_after, require_active, require_order, review_too_soon, Order};
use crate::appointments::PathwayError;
use crate::calendar::add_months;
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems, ValidationErrors};
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub id: String,
    pub client_id: String,
    pub order_id: String,
    pub review_on: NaiveDate,
    pub court: String,
    /// The treatment provider's views, as the worker typed them for the report.
    pub provider_views: Option<String>,
    /// When the progress report was first produced (clears DRR-REVIEW-DUE).
    pub report_produced_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub outcome_recorded_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Review, "drr_review", "drr_reviews");

/// The hearing's outcome and the next review the court set.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct ReviewOutcome {
    pub outcome: String,
    /// Optional: "23/01/2027". Blank when the court set no further review.
    pub next_review_on: String,
}

/// Scheduling a review hearing by hand (after an amendment, or a date the court moved).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewReview {
    pub review_on: String,
    pub court: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReviewView {
    pub id: String,
    pub order_id: String,
    pub review_on: NaiveDate,
    pub court: String,
    pub provider_views: Option<String>,
    pub report_produced_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub outcome_recorded_at: Option<DateTime<Utc>>,
    /// The date the order's interval suggests for the next review.
    pub suggested_next_on: Option<NaiveDate>,
}

pub(crate) fn new_review(store: &Store, _actor: &Actor, order: &Order, day: NaiveDate, court: &str) -> Review {
    Review {
        id: crate::ids::new_id(store.clock()),
        client_id: order.client_id.clone(),
        order_id: order.id.clone(),
        review_on: day,
        court: court.into(),
        provider_views: None,
        report_produced_at: None,
        outcome: None,
        outcome_recorded_at: None,
        made: Made::on_write(),
    }
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Review>> {
    crate::store::record::get(conn, id)
}

pub(crate) fn require(conn: &Connection, id: &str) -> Result<Review, PathwayError> {
    get(conn, id)?.ok_or(PathwayError::NotFound("No review hearing with that reference is on this laptop."))
}

pub fn of_order(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM drr_reviews WHERE order_id = ?1 ORDER BY review_on, created_at")?;
    let rows = stmt.query_map([order_id], from_row)?.collect();
    rows
}

/// The review (or the order) before `day`, from which the one-month interval is counted.
fn previous_before(order: &Order, list: &[Review], day: NaiveDate, except: Option<&str>) -> (NaiveDate, &'static str) {
    list.iter()
        .filter(|r| Some(r.id.as_str()) != except && r.review_on <= day)
        .map(|r| r.review_on)
        .max()
        .map_or((order.sentenced_on, "the order made"), |d| (d, "the review"))
}

/// Checks a review date against the order and the reviews already scheduled.
fn check_review_day(p: &mut Problems, field: &str, order: &Order, list: &[Review], day: NaiveDate) {
    let (previous, after) = previous_before(order, list, day, None);
    if day < earliest_review_after(previous) {
        p.push(review_too_soon(field, previous, after));
        return;
    }
    if let Some(next) = list.iter().map(|r| r.review_on).filter(|d| *d > day).min() {
        if next < earliest_review_after(day) {
            p.push(FieldError::new(
                field,
                ErrorCode::ValidationReviewTooSoon,
                format!("Reviews are at intervals of not less than one month, and a review is already set for {}.", dates::display(next)),
            ));
        }
    }
    if day > order.ends_on {
        p.push(FieldError::new(
            field,
            ErrorCode::ValidationReviewAfterOrder,
            format!("The order ends on {}: a review cannot be after it.", dates::display(order.ends_on)),
        ));
    }
}

/// Schedules a review hearing of an order that provides for them.
pub fn schedule(store: &mut Store, actor: &Actor, order_id: &str, input: &NewReview) -> Result<String, PathwayError> {
    let order = require_order(store.reader(), order_id)?;
    require_active(&order)?;
    if !order.reviews {
        return Err(PathwayError::NotAllowed(
            "This order does not provide for review hearings. Record the court's amendment first if it now does.".into(),
        ));
    }
    let list = of_order(store.reader(), &order.id)?;
    let mut p = Problems::default();
    let day = date_field(&mut p, "review_on", &input.review_on, "the date of the review hearing");
    let court = match input.court.trim() {
        "" => Some(order.court.clone()),
        _ => p.check(text::required("court", "Court", &input.court, 200)),
    };
    if let Some(d) = day {
        check_review_day(&mut p, "review_on", &order, &list, d);
    }
    let (day, court) = p.complete((day, court).all())?;
    let mut review = new_review(store, actor, &order, day, &court);
    store.write(actor, |w| w.create(&mut review))?;
    Ok(review.id)
}

/// Records the treatment provider's views for the progress report.
pub fn record_provider_views(store: &mut Store, actor: &Actor, review_id: &str, views: &str) -> Result<(), PathwayError> {
    let before = require(store.reader(), review_id)?;
    let views = text::optional_multiline("provider_views", "The treatment provider's views", views, 10_000)
        .map_err(|e| ValidationErrors(vec![e]))?
        .ok_or_else(|| ValidationErrors::one("provider_views", ErrorCode::ValidationRequired, "Enter the treatment provider's views."))?;
    if before.report_produced_at.is_some() {
        return Err(PathwayError::NotAllowed(
            "The progress report has been produced with the views as they were. Add a case note for anything new.".into(),
        ));
    }
    let after = Review { provider_views: Some(views), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records what the court decided at the review and schedules the next one it set.
pub fn record_outcome(store: &mut Store, actor: &Actor, review_id: &str, input: &ReviewOutcome) -> Result<Option<String>, PathwayError> {
    let before = require(store.reader(), review_id)?;
    let order = require_order(store.reader(), &before.order_id)?;
    if before.outcome_recorded_at.is_some() {
        return Err(PathwayError::NotAllowed("The outcome of this review is already recorded.".into()));
    }
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let outcome = p.check(text::required("outcome", "Outcome", &input.outcome.replace("\r\n", "\n").replace('\n', " "), 2000));
    if before.review_on > today {
        p.push(FieldError::new(
            "outcome",
            ErrorCode::ValidationOutcomeInFuture,
            format!("This review is not until {}. Record the outcome once it has taken place.", dates::display(before.review_on)),
        ));
    }
    let next = match input.next_review_on.trim() {
        "" => Some(None),
        typed => date_field(&mut p, "next_review_on", typed, "the next review date").map(Some),
    };
    if let Some(Some(n)) = next {
        let list = of_order(store.reader(), &order.id)?;
        let others: Vec<Review> = list.into_iter().filter(|r| r.review_on > before.review_on || r.id == before.id).collect();
        if n <= before.review_on || n < earliest_review_after(before.review_on) {
            p.push(review_too_soon("next_review_on", before.review_on, "the review"));
        } else {
            check_review_day(&mut p, "next_review_on", &order, &others, n);
        }
    }
    let (outcome, next) = p.complete((outcome, next).all())?;
    let after = Review { outcome: Some(outcome), outcome_recorded_at: Some(store.clock().now()), ..before.clone() };
    let mut next_review = next.map(|day| new_review(store, actor, &order, day, &before.court));
    store.write(actor, |w| -> Result<(), PathwayError> {
        w.update(&before, &after)?;
        if let Some(r) = &mut next_review {
            w.create(r)?;
        }
        Ok(())
    })?;
    Ok(next_review.map(|r| r.id))
}

pub fn views(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<ReviewView>> {
    let interval = super::get_order(conn, order_id)?.and_then(|o| o.review_interval_months);
    Ok(of_order(conn, order_id)?
        .into_iter()
        .map(|r| ReviewView {
            suggested_next_on: interval.map(|m| add_months(r.review_on, m)),
            id: r.id,
            order_id: r.order_id,
            review_on: r.review_on,
            court: r.court,
            provider_views: r.provider_views,
            report_produced_at: r.report_produced_at,
            outcome: r.outcome,
            outcome_recorded_at: r.outcome_recorded_at,
        })
        .collect())
}
