//! The weekly timetable ("key work Tuesday 10:00, group Thursday 14:00"): each slot books
//! ordinary appointments for the weeks ahead at the same London wall-clock time, across the
//! clock changes, so they show on the worker's Today like any other.
use super::{date_field, require_active, require_order, Order};
use crate::appointments::{self, Appointment, AppointmentStatus, Booking, OwnerType, PathwayError};
use crate::calendar::when;
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{AllGiven, FieldError, Problems};
use crate::reference::{self, choice, Choice};
use crate::store::record::from_row;
use crate::store::record::Made;
use crate::store::{Actor, Store, StoreError, Write};
use crate::text;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How far ahead a slot's appointments are booked.
pub const WEEKS_AHEAD: i64 = 8;

pub const WEEKDAYS: &[Choice] = &[
    choice("1", "Monday"),
    choice("2", "Tuesday"),
    choice("3", "Wednesday"),
    choice("4", "Thursday"),
    choice("5", "Friday"),
    choice("6", "Saturday"),
    choice("7", "Sunday"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub id: String,
    pub client_id: String,
    pub order_id: String,
    /// 1 Monday .. 7 Sunday.
    pub weekday: u32,
    /// London wall-clock "10:00".
    pub time: String,
    pub kind: String,
    pub place: String,
    pub worker_id: String,
    pub starts_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Slot, "drr_timetable_slot", "drr_timetable");

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewSlot {
    /// "1" Monday .. "7" Sunday.
    pub weekday: String,
    pub time: String,
    /// "Key work", "Group".
    pub kind: String,
    pub place: String,
    /// Empty: the worker setting it.
    pub worker_id: String,
    /// The first week it applies; empty: today.
    pub starts_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SlotView {
    pub id: String,
    pub order_id: String,
    pub weekday: u32,
    pub weekday_label: String,
    pub time: String,
    pub kind: String,
    pub place: String,
    pub worker: String,
    pub starts_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Slot>> {
    crate::store::record::get(conn, id)
}

pub fn slots_of(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<Slot>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM drr_timetable WHERE order_id = ?1 ORDER BY weekday, time, created_at")?;
    let rows = stmt.query_map([order_id], from_row)?.collect();
    rows
}

pub fn view(conn: &Connection, s: Slot) -> rusqlite::Result<SlotView> {
    Ok(SlotView {
        weekday_label: reference::label(WEEKDAYS, &s.weekday.to_string()),
        worker: crate::clients::worker_name(conn, &s.worker_id)?,
        id: s.id,
        order_id: s.order_id,
        weekday: s.weekday,
        time: s.time,
        kind: s.kind,
        place: s.place,
        starts_on: s.starts_on,
        ended_on: s.ended_on,
    })
}

/// The instants of a slot's sessions from `from` to `until` inclusive, each at the slot's
/// London wall-clock time (a time the clocks skip is left out that week).
pub fn sessions(slot: &Slot, from: NaiveDate, until: NaiveDate) -> Vec<DateTime<Utc>> {
    let Some(time) = when::parse_time(&slot.time) else { return Vec::new() };
    let mut day = from;
    while day.weekday().number_from_monday() != slot.weekday {
        day += Duration::days(1);
    }
    let mut out = Vec::new();
    while day <= until {
        if let Some(at) = when::london_at(day, time) {
            out.push(at);
        }
        day += Duration::weeks(1);
    }
    out
}

/// The last day a slot books up to: eight weeks from today, never past the order or the slot.
fn horizon(order: &Order, slot_end: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    let mut until = today + Duration::weeks(WEEKS_AHEAD);
    if order.ends_on < until {
        until = order.ends_on;
    }
    match slot_end {
        Some(e) if e < until => e,
        _ => until,
    }
}

/// The sessions of a slot not yet booked, up to the horizon.
fn missing(conn: &Connection, order: &Order, slot: &Slot, today: NaiveDate, now: DateTime<Utc>) -> rusqlite::Result<Vec<DateTime<Utc>>> {
    let booked: Vec<DateTime<Utc>> = appointments::of_owner(conn, OwnerType::DrrTimetable, &slot.id)?.into_iter().map(|a| a.at).collect();
    let from = if slot.starts_on > today { slot.starts_on } else { today };
    Ok(sessions(slot, from, horizon(order, slot.ended_on, today)).into_iter().filter(|at| *at > now && !booked.contains(at)).collect())
}

fn book(w: &mut Write<'_>, ids: Vec<String>, slot: &Slot, list: Vec<DateTime<Utc>>) -> Result<(), StoreError> {
    for (id, at) in ids.into_iter().zip(list) {
        let booking = Booking { kind: slot.kind.clone(), at, place: slot.place.clone(), worker_id: slot.worker_id.clone() };
        appointments::create(w, id, &slot.client_id, OwnerType::DrrTimetable, &slot.id, booking)?;
    }
    Ok(())
}

/// Adds a weekly slot and books its appointments for the weeks ahead.
pub fn add_slot(store: &mut Store, actor: &Actor, order_id: &str, input: &NewSlot) -> Result<String, PathwayError> {
    let order = require_order(store.reader(), order_id)?;
    require_active(&order)?;
    let now = store.clock().now();
    let today = dates::today(now);
    let mut p = Problems::default();
    let weekday = match input.weekday.trim().parse::<u32>() {
        Ok(n) if (1..=7).contains(&n) => Some(n),
        _ => {
            p.push(FieldError::new("weekday", ErrorCode::ValidationRequired, "Choose the day of the week."));
            None
        }
    };
    let time = match when::parse_time(&input.time) {
        Some(t) => Some(t),
        None => {
            p.push(FieldError::new("time", ErrorCode::ValidationTimeFormat, "Enter the time as 24-hour hours and minutes, like 14:30."));
            None
        }
    };
    let kind = p.check(text::required("kind", "What the session is", &input.kind, 100));
    let place = p.check(text::required("place", "Place", &input.place, 200));
    let worker_id = match input.worker_id.trim() {
        "" => Some(actor.worker_id.clone()),
        id => match crate::accounts::workers::by_id(store.reader(), id) {
            Ok(Some(w)) if w.active => Some(w.id),
            _ => {
                p.push(FieldError::new("worker_id", ErrorCode::ValidationNotInList, "Choose an active worker from the list."));
                None
            }
        },
    };
    let starts_on = match input.starts_on.trim() {
        "" => Some(today),
        typed => date_field(&mut p, "starts_on", typed, "the first week"),
    };
    if starts_on.is_some_and(|d| d > order.ends_on) {
        p.push(FieldError::new(
            "starts_on",
            ErrorCode::ValidationAfterOrder,
            format!("The order ends on {}: the timetable cannot start after it.", dates::display(order.ends_on)),
        ));
    }
    let (weekday, time, kind, place, worker_id, starts_on) = p.complete((weekday, time, kind, place, worker_id, starts_on).all())?;
    let mut slot = Slot {
        id: crate::ids::new_id(store.clock()),
        client_id: order.client_id.clone(),
        order_id: order.id.clone(),
        weekday,
        time: time.format("%H:%M").to_string(),
        kind,
        place,
        worker_id,
        starts_on,
        ended_on: None,
        made: Made::on_write(),
    };
    let list = missing(store.reader(), &order, &slot, today, now)?;
    let ids = list.iter().map(|_| crate::ids::new_id(store.clock())).collect();
    store.write(actor, |w| -> Result<(), StoreError> {
        w.create(&mut slot)?;
        book(w, ids, &slot, list)
    })?;
    Ok(slot.id)
}

/// Books the next weeks of every live slot of an order (run when the worker asks, so the
/// timetable always reaches eight weeks ahead). Returns how many appointments were booked.
pub fn book_ahead(store: &mut Store, actor: &Actor, order_id: &str) -> Result<usize, PathwayError> {
    let order = require_order(store.reader(), order_id)?;
    require_active(&order)?;
    let now = store.clock().now();
    let today = dates::today(now);
    let mut plan = Vec::new();
    for slot in slots_of(store.reader(), &order.id)? {
        if slot.ended_on.is_some_and(|e| e < today) {
            continue;
        }
        let list = missing(store.reader(), &order, &slot, today, now)?;
        let ids: Vec<String> = list.iter().map(|_| crate::ids::new_id(store.clock())).collect();
        plan.push((slot, ids, list));
    }
    let count = plan.iter().map(|(_, _, l)| l.len()).sum();
    store.write(actor, |w| -> Result<(), StoreError> {
        for (slot, ids, list) in plan {
            book(w, ids, &slot, list)?;
        }
        Ok(())
    })?;
    Ok(count)
}

/// What ending slots on a day changes: each live slot ends, and its booked appointments after
/// that day are cancelled by the service. Appointments with an outcome are never touched.
pub(crate) struct Stops(Vec<(Slot, Slot)>, Vec<(Appointment, Appointment)>);

pub(crate) fn stops_for(conn: &Connection, order_id: &str, last_day: NaiveDate) -> rusqlite::Result<Stops> {
    let mut slots = Vec::new();
    let mut cancels = Vec::new();
    let after = when::start_of_day(last_day + Duration::days(1));
    for s in slots_of(conn, order_id)? {
        if s.ended_on.is_some_and(|e| e <= last_day) {
            continue;
        }
        for a in appointments::of_owner(conn, OwnerType::DrrTimetable, &s.id)? {
            if a.status == AppointmentStatus::Scheduled && a.at >= after {
                let cancelled = Appointment { status: AppointmentStatus::Cancelled, cancelled_by: Some("service".into()), ..a.clone() };
                cancels.push((a, cancelled));
            }
        }
        slots.push((s.clone(), Slot { ended_on: Some(last_day), ..s }));
    }
    Ok(Stops(slots, cancels))
}

pub(crate) fn apply_stops(w: &mut Write<'_>, stops: Stops) -> Result<(), StoreError> {
    let now = w.now();
    for (before, after) in stops.0 {
        w.update(&before, &after)?;
    }
    for (before, after) in stops.1 {
        w.update(&before, &Appointment { outcome_recorded_at: Some(now), ..after })?;
    }
    Ok(())
}

/// Ends one slot after a day (a changed timetable is an ended slot and a new one); its later
/// appointments are cancelled, recorded outcomes kept.
pub fn end_slot(store: &mut Store, actor: &Actor, slot_id: &str, last_day: &str) -> Result<(), PathwayError> {
    let slot = get(store.reader(), slot_id)?.ok_or(PathwayError::NotFound("No timetable slot with that reference is on this laptop."))?;
    if slot.ended_on.is_some() {
        return Err(PathwayError::NotAllowed("This part of the timetable has already ended.".into()));
    }
    let today = dates::today(store.clock().now());
    let mut p = Problems::default();
    let day = match last_day.trim() {
        "" => Some(today),
        typed => date_field(&mut p, "ended_on", typed, "the last day of this session"),
    };
    let day = p.complete(day)?;
    let mut stops = stops_for(store.reader(), &slot.order_id, day)?;
    stops.0.retain(|(s, _)| s.id == slot.id);
    stops.1.retain(|(a, _)| a.owner_id == slot.id);
    store.write(actor, |w| apply_stops(w, stops))?;
    Ok(())
}
