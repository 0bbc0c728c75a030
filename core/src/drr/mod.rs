//! The Drug Rehabilitation Requirement (domain.md "DRR order"; Sentencing Act 2020 Sch 9
//! paras 19-22): the court's order, its weekly timetable, the testing ledger, failures to
//! comply, warnings and breach, review hearings with their progress reports, completion and
//! revocation. Built on the shared pathway layer only (appointments, documents, calendar).
pub mod card;
pub mod compliance;
pub mod letters;
pub mod reviews;
pub mod testing;
pub mod timetable;

use crate::appointments::{self, AppointmentView, OwnerType, PathwayError};
use crate::calendar::{add_months, when};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems, ValidationErrors};
use crate::reference::{self, choice, Choice};
use crate::store::hlc;
use crate::store::record::sql_bool;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Sch 9 para 21: a treatment and testing period longer than this must provide for review.
pub const REVIEW_REQUIRED_OVER_MONTHS: u32 = 12;
/// A community order lasts at most three years (Sentencing Act 2020 s209).
pub const LONGEST_ORDER_MONTHS: u32 = 36;

pub const ORDER_STATUSES: &[Choice] = &[choice("active", "Active"), choice("completed", "Completed"), choice("revoked", "Revoked")];

/// A Drug Rehabilitation Requirement as stored. An amendment by the court updates it in
/// place; the operation log keeps every earlier value (shown as its amendments).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub client_id: String,
    pub court: String,
    pub sentenced_on: NaiveDate,
    pub order_months: u32,
    /// The treatment and testing period set by the court.
    pub treatment_months: u32,
    pub ends_on: NaiveDate,
    pub treatment_ends_on: NaiveDate,
    /// The order provides for review hearings (para 21).
    #[serde(with = "sql_bool")]
    pub reviews: bool,
    pub review_interval_months: Option<u32>,
    pub responsible_officer: String,
    pub treatment_provider: String,
    #[serde(with = "sql_bool")]
    pub residential: bool,
    pub exit_plan: Option<String>,
    pub exit_plan_recorded_at: Option<DateTime<Utc>>,
    /// active | completed | revoked
    pub status: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Order, "drr_order", "drr_orders");

impl Order {
    pub fn active(&self) -> bool {
        self.status == "active"
    }

    /// "a 12-month community order with a DRR (treatment and testing period 9 months)".
    pub fn words(&self) -> String {
        format!(
            "a {}-month order with a Drug Rehabilitation Requirement (treatment and testing period {} months)",
            self.order_months, self.treatment_months
        )
    }
}

/// What a worker types to record an order or the court's amendment of it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewOrder {
    pub court: String,
    /// "23/11/2026".
    pub sentenced_on: String,
    /// Whole months, as typed.
    pub order_months: String,
    pub treatment_months: String,
    pub reviews: Option<bool>,
    pub review_interval_months: String,
    /// The first review hearing (new orders with reviews only).
    pub first_review_on: String,
    pub responsible_officer: String,
    pub treatment_provider: String,
    pub residential: Option<bool>,
}

/// Completing or revoking an order.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct OrderEnding {
    /// "completed" or "revoked".
    pub status: String,
    pub ended_on: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OrderAmendment {
    pub at: DateTime<Utc>,
    pub by: String,
    /// "Treatment and testing period: 12 → 18".
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DrrOrderView {
    pub id: String,
    pub client_id: String,
    pub court: String,
    pub sentenced_on: NaiveDate,
    pub order_months: u32,
    pub treatment_months: u32,
    pub ends_on: NaiveDate,
    pub treatment_ends_on: NaiveDate,
    pub reviews: bool,
    pub review_interval_months: Option<u32>,
    pub responsible_officer: String,
    pub treatment_provider: String,
    pub residential: bool,
    pub exit_plan: Option<String>,
    pub status: String,
    pub status_label: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub recorded_by: String,
    pub amendments: Vec<OrderAmendment>,
    pub timetable: Vec<timetable::SlotView>,
    /// The timetable's appointments, in time order.
    pub appointments: Vec<AppointmentView>,
    pub tests: Vec<testing::DrrTestView>,
    pub failures: Vec<compliance::FailureView>,
    pub breaches: Vec<compliance::BreachView>,
    pub reviews_list: Vec<reviews::ReviewView>,
}

/// A client's DRR orders, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DrrSummary {
    pub orders: Vec<DrrOrderView>,
}

/// The fixed lists the DRR forms choose from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DrrLists {
    pub weekdays: Vec<Choice>,
    pub test_results: Vec<Choice>,
    pub sample_types: Vec<Choice>,
    pub court_decisions: Vec<Choice>,
}

pub fn lists() -> DrrLists {
    DrrLists {
        weekdays: timetable::WEEKDAYS.to_vec(),
        test_results: testing::RESULTS.to_vec(),
        sample_types: testing::SAMPLE_TYPES.to_vec(),
        court_decisions: compliance::COURT_DECISIONS.to_vec(),
    }
}

pub(crate) fn date_field(p: &mut Problems, field: &str, typed: &str, what: &str) -> Option<NaiveDate> {
    if typed.trim().is_empty() {
        p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter {what}.")));
        return None;
    }
    let parsed = dates::parse(typed);
    if parsed.is_none() {
        p.push(FieldError::new(field, ErrorCode::ValidationDateFormat, format!("Enter {what} as day/month/year, like 23/11/2026.")));
    }
    parsed
}

pub(crate) fn not_future(p: &mut Problems, field: &str, day: Option<NaiveDate>, today: NaiveDate, message: &str) -> Option<NaiveDate> {
    match day {
        Some(d) if d > today => {
            p.push(FieldError::new(field, ErrorCode::ValidationDateFuture, message));
            None
        }
        other => other,
    }
}

fn months_field(p: &mut Problems, field: &str, typed: &str, what: &str) -> Option<u32> {
    match typed.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) if typed.trim().is_empty() => {
            p.push(FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter {what} in whole months.")));
            None
        }
        Err(_) => {
            p.push(FieldError::new(field, ErrorCode::ValidationMonths, format!("Enter {what} as a whole number of months, like 12.")));
            None
        }
    }
}

/// The earliest day a review may be after `previous` (the order or the last review): reviews
/// are at intervals of not less than one calendar month (para 21(3)).
pub fn earliest_review_after(previous: NaiveDate) -> NaiveDate {
    add_months(previous, 1)
}

pub(crate) fn review_too_soon(field: &str, previous: NaiveDate, after: &str) -> FieldError {
    FieldError::new(
        field,
        ErrorCode::ValidationReviewTooSoon,
        format!(
            "Reviews are at intervals of not less than one month: a review after {after} on {} can be no earlier than {}.",
            dates::display(previous),
            dates::display(earliest_review_after(previous))
        ),
    )
}

/// The order's terms, checked against the law as typed.
struct Terms {
    court: String,
    sentenced_on: NaiveDate,
    order_months: u32,
    treatment_months: u32,
    reviews: bool,
    review_interval_months: Option<u32>,
    responsible_officer: String,
    treatment_provider: String,
    residential: bool,
}

fn check_terms(p: &mut Problems, input: &NewOrder, today: NaiveDate) -> Option<Terms> {
    let court = p.check(text::required("court", "Sentencing court", &input.court, 200));
    let sentenced_on = date_field(p, "sentenced_on", &input.sentenced_on, "the date of sentence");
    let sentenced_on = not_future(p, "sentenced_on", sentenced_on, today, "The date of sentence cannot be in the future.");
    let order_months = match months_field(p, "order_months", &input.order_months, "the length of the order") {
        Some(n) if !(1..=LONGEST_ORDER_MONTHS).contains(&n) => {
            p.push(FieldError::new(
                "order_months",
                ErrorCode::ValidationOrderLength,
                format!("An order lasts from 1 to {LONGEST_ORDER_MONTHS} months (three years)."),
            ));
            None
        }
        other => other,
    };
    let treatment_months = match months_field(p, "treatment_months", &input.treatment_months, "the treatment and testing period") {
        Some(0) => {
            p.push(FieldError::new(
                "treatment_months",
                ErrorCode::ValidationMonths,
                "The treatment and testing period is at least 1 month.",
            ));
            None
        }
        Some(t) if order_months.is_some_and(|o| t > o) => {
            p.push(FieldError::new(
                "treatment_months",
                ErrorCode::ValidationTreatmentOutlastsOrder,
                format!(
                    "The treatment and testing period cannot outlast the order: it can be at most {} months.",
                    order_months.unwrap_or_default()
                ),
            ));
            None
        }
        other => other,
    };
    let reviews = match input.reviews {
        Some(r) => Some(r),
        None => {
            p.push(FieldError::new("reviews", ErrorCode::ValidationRequired, "Record whether the order provides for review hearings."));
            None
        }
    };
    if let (Some(t), Some(false)) = (treatment_months, reviews) {
        if t > REVIEW_REQUIRED_OVER_MONTHS {
            p.push(FieldError::new(
                "reviews",
                ErrorCode::ValidationReviewRequired,
                "A treatment and testing period longer than 12 months must provide for review hearings (Sentencing Act 2020 Sch 9 para 21).",
            ));
        }
    }
    let review_interval_months = match reviews {
        Some(true) => match months_field(p, "review_interval_months", &input.review_interval_months, "the interval between reviews") {
            Some(0) => {
                p.push(FieldError::new(
                    "review_interval_months",
                    ErrorCode::ValidationReviewInterval,
                    "Reviews are at intervals of not less than one month.",
                ));
                None
            }
            Some(n) => Some(Some(n)),
            None => None,
        },
        _ => Some(None),
    };
    let responsible_officer = p.check(text::required("responsible_officer", "Responsible officer", &input.responsible_officer, 200));
    let treatment_provider = p.check(text::required("treatment_provider", "Treatment provider", &input.treatment_provider, 200));
    let residential = match input.residential {
        Some(r) => Some(r),
        None => {
            p.push(FieldError::new("residential", ErrorCode::ValidationRequired, "Choose residential or non-residential treatment."));
            None
        }
    };
    Some(Terms {
        court: court?,
        sentenced_on: sentenced_on?,
        order_months: order_months?,
        treatment_months: treatment_months?,
        reviews: reviews?,
        review_interval_months: review_interval_months?,
        responsible_officer: responsible_officer?,
        treatment_provider: treatment_provider?,
        residential: residential?,
    })
}

pub fn get_order(conn: &Connection, id: &str) -> rusqlite::Result<Option<Order>> {
    crate::store::record::get(conn, id)
}

pub(crate) fn require_order(conn: &Connection, id: &str) -> Result<Order, PathwayError> {
    get_order(conn, id)?.ok_or(PathwayError::NotFound("No DRR order with that reference is on this laptop."))
}

pub(crate) fn require_active(order: &Order) -> Result<(), PathwayError> {
    if !order.active() {
        return Err(PathwayError::NotAllowed(format!(
            "This order is {}, so nothing more can be recorded against it.",
            reference::label(ORDER_STATUSES, &order.status).to_lowercase()
        )));
    }
    Ok(())
}

pub fn orders_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<Order>> {
    let mut list: Vec<Order> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by(|a, b| b.sentenced_on.cmp(&a.sentenced_on).then(b.made.created_at.cmp(&a.made.created_at)));
    Ok(list)
}

/// Records a DRR order; with reviews, its first review hearing is scheduled with it.
pub fn record_order(store: &mut Store, actor: &Actor, client_id: &str, input: &NewOrder) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let ids = crate::clients::family(store.reader(), &client.id)?;
    if orders_of(store.reader(), &ids)?.iter().any(Order::active) {
        return Err(PathwayError::NotAllowed(
            "This person already has an active DRR order. Record the court's amendment on it, or complete or revoke it first.".into(),
        ));
    }
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let terms = check_terms(&mut p, input, today);
    let first_review = match terms.as_ref() {
        Some(t) if t.reviews => {
            match date_field(&mut p, "first_review_on", &input.first_review_on, "the date of the first review hearing") {
                Some(d) if d < earliest_review_after(t.sentenced_on) => {
                    p.push(review_too_soon("first_review_on", t.sentenced_on, "the order made"));
                    None
                }
                other => other,
            }
        }
        _ => None,
    };
    let terms = p.complete(terms)?;
    let _now = store.clock().now();
    let mut order = Order {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id.clone(),
        court: terms.court.clone(),
        sentenced_on: terms.sentenced_on,
        order_months: terms.order_months,
        treatment_months: terms.treatment_months,
        ends_on: add_months(terms.sentenced_on, terms.order_months),
        treatment_ends_on: add_months(terms.sentenced_on, terms.treatment_months),
        reviews: terms.reviews,
        review_interval_months: terms.review_interval_months,
        responsible_officer: terms.responsible_officer,
        treatment_provider: terms.treatment_provider,
        residential: terms.residential,
        exit_plan: None,
        exit_plan_recorded_at: None,
        status: "active".into(),
        ended_on: None,
        end_reason: None,
        made: Made::on_write(),
    };
    let mut review = first_review.map(|day| reviews::new_review(store, actor, &order, day, &terms.court));
    store.write(actor, |w| -> Result<(), PathwayError> {
        w.create(&mut order)?;
        if let Some(r) = &mut review {
            w.create(r)?;
        }
        Ok(())
    })?;
    Ok(order.id)
}

/// Records the court's amendment of an order's terms; the old terms stay in its history.
pub fn amend_order(store: &mut Store, actor: &Actor, order_id: &str, input: &NewOrder) -> Result<(), PathwayError> {
    let before = require_order(store.reader(), order_id)?;
    require_active(&before)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let Some(t) = check_terms(&mut p, input, today).filter(|_| p.is_empty()) else {
        return Err(p.into_error().into());
    };
    let after = Order {
        court: t.court,
        sentenced_on: t.sentenced_on,
        order_months: t.order_months,
        treatment_months: t.treatment_months,
        ends_on: add_months(t.sentenced_on, t.order_months),
        treatment_ends_on: add_months(t.sentenced_on, t.treatment_months),
        reviews: t.reviews,
        review_interval_months: t.review_interval_months,
        responsible_officer: t.responsible_officer,
        treatment_provider: t.treatment_provider,
        residential: t.residential,
        ..before.clone()
    };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Records the exit plan for the end of the order (clears DRR-ENDING).
pub fn record_exit_plan(store: &mut Store, actor: &Actor, order_id: &str, plan: &str) -> Result<(), PathwayError> {
    let before = require_order(store.reader(), order_id)?;
    require_active(&before)?;
    let plan = text::optional_multiline("exit_plan", "Exit plan", plan, 10_000)
        .map_err(|e| ValidationErrors(vec![e]))?
        .ok_or_else(|| ValidationErrors::one("exit_plan", ErrorCode::ValidationRequired, "Enter the exit plan."))?;
    let after = Order { exit_plan: Some(plan), exit_plan_recorded_at: Some(store.clock().now()), ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// Completes or revokes an order. Its timetable ends that day: appointments after it are
/// cancelled by the service; those already recorded are kept.
pub fn end_order(store: &mut Store, actor: &Actor, order_id: &str, input: &OrderEnding) -> Result<(), PathwayError> {
    let before = require_order(store.reader(), order_id)?;
    require_active(&before)?;
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let status = match input.status.as_str() {
        s @ ("completed" | "revoked") => Some(s.to_string()),
        _ => {
            p.push(FieldError::new("status", ErrorCode::ValidationRequired, "Choose whether the order was completed or revoked."));
            None
        }
    };
    let ended_on = date_field(&mut p, "ended_on", &input.ended_on, "the date the order ended");
    let ended_on = not_future(&mut p, "ended_on", ended_on, today, "The order cannot end in the future. Record it on the day.");
    if ended_on.is_some_and(|d| d < before.sentenced_on) {
        p.push(FieldError::new("ended_on", ErrorCode::ValidationEndedBeforeOrder, "The order cannot end before it was made."));
    }
    let reason = p.check(text::required("reason", "Reason", &input.reason, 2000));
    let (status, ended_on, reason) = p.complete((status, ended_on, reason).all())?;
    let after = Order { status, ended_on: Some(ended_on), end_reason: Some(reason), ..before.clone() };
    let stops = timetable::stops_for(store.reader(), &before.id, ended_on)?;
    store.write(actor, |w| -> Result<(), PathwayError> {
        w.update(&before, &after)?;
        timetable::apply_stops(w, stops)?;
        Ok(())
    })?;
    Ok(())
}

fn field_words(field: &str) -> Option<&'static str> {
    Some(match field {
        "court" => "Sentencing court",
        "sentenced_on" => "Date of sentence",
        "order_months" => "Length of order (months)",
        "treatment_months" => "Treatment and testing period (months)",
        "reviews" => "Review hearings",
        "review_interval_months" => "Review interval (months)",
        "responsible_officer" => "Responsible officer",
        "treatment_provider" => "Treatment provider",
        "residential" => "Residential",
        _ => return None,
    })
}

fn value_words(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) if n.as_i64() == Some(1) => "yes".into(),
        Value::String(s) => dates::parse(s).map_or_else(|| s.clone(), dates::display),
        other => other.to_string(),
    }
}

/// The court's amendments of an order, oldest first, from the operation log.
pub fn amendments(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderAmendment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, worker_id, changes FROM operations
         WHERE record_type = 'drr_order' AND record_id = ?1 AND kind = 'update' ORDER BY hlc",
    )?;
    let rows: Vec<(i64, String, String)> =
        stmt.query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (stamp, worker, changes) in rows {
        let Ok(Value::Object(changes)) = serde_json::from_str::<Value>(&changes) else { continue };
        let words: Vec<String> = changes
            .iter()
            .filter_map(|(field, pair)| {
                let label = field_words(field)?;
                let [from, to] = pair.as_array()?.as_slice() else { return None };
                // Booleans are stored as 0 / 1, so compare their words.
                let (from, to) = (value_words(from), value_words(to));
                (from != to).then(|| format!("{label}: {from} → {to}"))
            })
            .collect();
        if words.is_empty() {
            continue;
        }
        out.push(OrderAmendment {
            at: DateTime::from_timestamp_millis(hlc::millis(stamp)).unwrap_or_default(),
            by: crate::clients::worker_name(conn, &worker)?,
            changes: words,
        });
    }
    Ok(out)
}

fn order_view(conn: &Connection, o: Order, now: DateTime<Utc>, warning_months: u32) -> Result<DrrOrderView, PathwayError> {
    let slots = timetable::slots_of(conn, &o.id)?;
    let mut booked = Vec::new();
    for s in &slots {
        booked.extend(appointments::of_owner(conn, OwnerType::DrrTimetable, &s.id)?);
    }
    booked.sort_by_key(|a| a.at);
    Ok(DrrOrderView {
        status_label: reference::label(ORDER_STATUSES, &o.status),
        recorded_by: crate::clients::worker_name(conn, &o.made.created_by)?,
        amendments: amendments(conn, &o.id)?,
        timetable: slots.into_iter().map(|s| timetable::view(conn, s)).collect::<rusqlite::Result<_>>()?,
        appointments: appointments::views(conn, booked, now)?,
        tests: testing::views(conn, &o.id, now)?,
        failures: compliance::failure_views(conn, &o, warning_months)?,
        breaches: compliance::breach_views(conn, &o.id)?,
        reviews_list: reviews::views(conn, &o.id)?,
        id: o.id,
        client_id: o.client_id,
        court: o.court,
        sentenced_on: o.sentenced_on,
        order_months: o.order_months,
        treatment_months: o.treatment_months,
        ends_on: o.ends_on,
        treatment_ends_on: o.treatment_ends_on,
        reviews: o.reviews,
        review_interval_months: o.review_interval_months,
        responsible_officer: o.responsible_officer,
        treatment_provider: o.treatment_provider,
        residential: o.residential,
        exit_plan: o.exit_plan,
        status: o.status,
        ended_on: o.ended_on,
        end_reason: o.end_reason,
    })
}

/// A client's DRR orders with everything recorded against them, newest order first.
pub fn for_client(conn: &Connection, client_id: &str, now: DateTime<Utc>) -> Result<DrrSummary, PathwayError> {
    let ids = crate::clients::family(conn, client_id)?;
    let warning_months = crate::accounts::settings::load(conn)?.drr_warning_months;
    let orders = orders_of(conn, &ids)?.into_iter().map(|o| order_view(conn, o, now, warning_months)).collect::<Result<_, _>>()?;
    Ok(DrrSummary { orders })
}

/// London date of an instant, for the DRR's calendar-day rules.
pub(crate) fn day_of(at: DateTime<Utc>) -> NaiveDate {
    when::london_date(at)
}
