//! Appointment times as workers type and read them: a London date and a 24-hour time, stored
//! as a UTC instant. chrono-tz decides what a local time means, so the two clock changes a year
//! are never guessed: a skipped time is refused, and a repeated one (the night the clocks go
//! back) is recorded once the worker says which of the two it was, "01:30 BST" (the first) or
//! "01:30 GMT" (the second).
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{FieldError, Problems};
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Europe::London;

/// Accepts "14:30", "9:05", "14.30" and "1430" (24-hour).
pub fn parse_time(typed: &str) -> Option<NaiveTime> {
    let t = typed.trim();
    let (h, m) = match t.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) => t.split_at(2),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Which of the two 01:xx times the night the clocks go back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The first, still British Summer Time (UTC+1).
    Bst,
    /// The second, after the clocks went back (GMT, UTC+0).
    Gmt,
}

/// Splits "01:30 BST" into the time and which of a repeated time it is. "first" and "second"
/// are understood too; any case.
pub fn split_which(typed: &str) -> (&str, Option<Which>) {
    let t = typed.trim();
    if let Some((time, word)) = t.rsplit_once(' ') {
        let which = match word.to_ascii_lowercase().as_str() {
            "bst" | "first" => Some(Which::Bst),
            "gmt" | "second" => Some(Which::Gmt),
            _ => None,
        };
        if which.is_some() {
            return (time.trim(), which);
        }
    }
    (t, None)
}

/// The London calendar day of an instant.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    dates::today(at)
}

/// The London day of a stored instant ("2026-11-23T14:30:00Z", or any RFC 3339 time), None
/// if it is not one. Since 1948 London has never been behind UTC nor more than an hour ahead,
/// so before 23:00 UTC the day is the stored text's own date, read straight off it: the
/// dashboard and the hub date hundreds of thousands of events, and only the last hour of a UTC
/// day (or an older instant) is worked out.
pub fn london_day_of(stored: &str) -> Option<NaiveDate> {
    let b = stored.as_bytes();
    let number = |at: usize, len: usize| -> Option<u32> {
        b.get(at..at + len)?.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let canonical = b.len() == 20 && [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')].iter().all(|&(i, c)| b[i] == c);
    if canonical {
        if let (Some(y), Some(m), Some(d), Some(h), Some(min), Some(sec)) =
            (number(0, 4), number(5, 2), number(8, 2), number(11, 2), number(14, 2), number(17, 2))
        {
            if y >= 1948 && h < 23 && min < 60 && sec < 60 {
                return NaiveDate::from_ymd_opt(y as i32, m, d);
            }
        }
    }
    DateTime::parse_from_rfc3339(stored).ok().map(|t| london_date(t.with_timezone(&Utc)))
}

/// Makes `london_date(instant)` available to SQL: a stored UTC instant's London day
/// ("2026-11-23"), or NULL for NULL.
pub fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function("london_date", 1, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        let Some(text) = ctx.get::<Option<String>>(0)? else { return Ok(None) };
        let day = london_day_of(&text).ok_or_else(|| rusqlite::Error::UserFunctionError(format!("not a time: {text}").into()))?;
        Ok(Some(day.to_string()))
    })
}

/// "14:30", London time; "01:30 BST" or "01:30 GMT" in the hour the clocks go back, which
/// happens twice.
pub fn london_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&London);
    let shown = local.format("%H:%M").to_string();
    match London.from_local_datetime(&local.naive_local()) {
        LocalResult::Ambiguous(..) => format!("{shown} {}", if local.offset().fix().local_minus_utc() != 0 { "BST" } else { "GMT" }),
        _ => shown,
    }
}

/// "3 Mar 2026 at 14:30", London time.
pub fn display(at: DateTime<Utc>) -> String {
    format!("{} at {}", dates::display(london_date(at)), london_time(at))
}

/// "Sunday 25 Oct 2026 at 01:30 BST": the day named, for paper handed to the person so nobody
/// misreads the date.
pub fn display_with_day(at: DateTime<Utc>) -> String {
    format!("{} at {}", dates::display_with_day(london_date(at)), london_time(at))
}

/// The instant a London calendar day starts (midnight always exists in the UK).
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    London.from_local_datetime(&midnight).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// A London wall-clock time on a day as an instant, for times Throughline generates (a weekly
/// timetable): the earlier of a repeated time; None for a time the clocks skip.
pub fn london_at(day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    London.from_local_datetime(&day.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

/// An instant as stored in the database (the form serde writes), for comparisons in SQL.
pub fn sql(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The local times skipped or repeated around `local`, as "01:00" and "02:00".
fn gap_around(local: NaiveDateTime) -> (String, String) {
    let exists = |t: NaiveDateTime| !matches!(London.from_local_datetime(&t), LocalResult::None);
    let mut start = local;
    for _ in 0..180 {
        if exists(start - Duration::minutes(1)) {
            break;
        }
        start -= Duration::minutes(1);
    }
    let mut end = local;
    for _ in 0..180 {
        if exists(end) {
            break;
        }
        end += Duration::minutes(1);
    }
    (start.format("%H:%M").to_string(), end.format("%H:%M").to_string())
}

fn repeated_around(local: NaiveDateTime) -> (String, String) {
    let ambiguous = |t: NaiveDateTime| matches!(London.from_local_datetime(&t), LocalResult::Ambiguous(..));
    let mut start = local;
    for _ in 0..180 {
        if !ambiguous(start - Duration::minutes(1)) {
            break;
        }
        start -= Duration::minutes(1);
    }
    let mut end = local;
    for _ in 0..180 {
        if !ambiguous(end) {
            break;
        }
        end += Duration::minutes(1);
    }
    (start.format("%H:%M").to_string(), end.format("%H:%M").to_string())
}

/// Converts a typed London date and time to an instant, noting any problem against the field
/// the worker must change. `what` names the moment in messages ("the appointment").
pub fn instant(p: &mut Problems, date_field: &str, time_field: &str, date: &str, time: &str, what: &str) -> Option<DateTime<Utc>> {
    let day = if date.trim().is_empty() {
        p.push(FieldError::new(date_field, ErrorCode::ValidationRequired, format!("Enter the date of {what}.")));
        None
    } else {
        let parsed = dates::parse(date);
        if parsed.is_none() {
            p.push(FieldError::new(
                date_field,
                ErrorCode::ValidationDateFormat,
                format!("Enter the date of {what} as day/month/year, like 23/11/2026."),
            ));
        }
        parsed
    };
    let clock_time = if time.trim().is_empty() {
        p.push(FieldError::new(time_field, ErrorCode::ValidationRequired, format!("Enter the time of {what}.")));
        None
    } else {
        let parsed = parse_time(split_which(time).0);
        if parsed.is_none() {
            p.push(FieldError::new(
                time_field,
                ErrorCode::ValidationTimeFormat,
                format!("Enter the time of {what} in 24-hour hours and minutes, like 14:30."),
            ));
        }
        parsed
    };
    let local = day?.and_time(clock_time?);
    let which = split_which(time).1;
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) => {
            let summer = t.offset().fix().local_minus_utc() != 0;
            match which {
                Some(Which::Bst) if !summer => {
                    p.push(wrong_zone(time_field, local, "GMT", "BST"));
                    None
                }
                Some(Which::Gmt) if summer => {
                    p.push(wrong_zone(time_field, local, "BST", "GMT"));
                    None
                }
                _ => Some(t.with_timezone(&Utc)),
            }
        }
        LocalResult::Ambiguous(first, second) if which.is_some() => {
            Some(if which == Some(Which::Bst) { first } else { second }.with_timezone(&Utc))
        }
        LocalResult::None => {
            let (from, to) = gap_around(local);
            p.push(FieldError::new(
                time_field,
                ErrorCode::ValidationTimeDoesNotExist,
                format!(
                    "{} does not exist on {}: the clocks go forward that night, so times from {from} to just before {to} are skipped. Enter a time before {from} or from {to}.",
                    local.format("%H:%M"),
                    dates::display(local.date())
                ),
            ));
            None
        }
        LocalResult::Ambiguous(..) => {
            let (from, to) = repeated_around(local);
            p.push(FieldError::new(
                time_field,
                ErrorCode::ValidationTimeAmbiguous,
                format!(
                    "{time} happens twice on {}: the clocks go back that night, so {from} to {to} is repeated. Say which it was: the first {time} (BST, before the clocks went back) or the second (GMT, after).",
                    dates::display(local.date()),
                    time = local.format("%H:%M"),
                ),
            ));
            None
        }
    }
}

fn wrong_zone(field: &str, local: NaiveDateTime, is: &str, typed: &str) -> FieldError {
    FieldError::new(
        field,
        ErrorCode::ValidationTimeFormat,
        format!("London is on {is} at {} on {}: remove \"{typed}\" from the time.", local.format("%H:%M"), dates::display(local.date())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// Read straight off the text or worked out, a stored instant's London day is the same,
    /// through both changes of the clocks in each of three years.
    #[test]
    fn an_instants_london_day_read_off_its_text_is_the_day_worked_out() {
        let mut at = utc("2025-01-01T00:00:00Z");
        while at < utc("2028-01-01T00:00:00Z") {
            let stored = sql(at);
            assert_eq!(london_day_of(&stored), Some(london_date(at)), "{stored}");
            at += chrono::Duration::minutes(37);
        }
        assert_eq!(london_day_of("2026-07-01T23:30:00Z"), NaiveDate::from_ymd_opt(2026, 7, 2), "BST, the next day");
        assert_eq!(london_day_of("2026-12-01T23:30:00Z"), NaiveDate::from_ymd_opt(2026, 12, 1), "GMT, the same day");
        assert_eq!(london_day_of("2026-07-01T23:30:00+01:00"), NaiveDate::from_ymd_opt(2026, 7, 1), "any RFC 3339 time");
        assert_eq!(london_day_of("1944-06-05T22:30:00Z"), NaiveDate::from_ymd_opt(1944, 6, 6), "double summer time, two hours ahead");
        for bad in ["2026-13-01T10:00:00Z", "2026-02-30T10:00:00Z", "2026-07-01T10:0a:00Z", "2026-07-01", "", "2026-07-01T25:00:00Z"] {
            assert_eq!(london_day_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_24_hour_times() {
        for (typed, h, m) in [("14:30", 14, 30), ("9:05", 9, 5), ("14.30", 14, 30), ("1430", 14, 30), (" 00:00 ", 0, 0)] {
            assert_eq!(parse_time(typed), NaiveTime::from_hms_opt(h, m, 0), "{typed}");
        }
        for bad in ["24:00", "2:3", "2pm", "", "14:300", "12345"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn summer_and_winter_times_convert_to_utc() {
        let mut p = Problems::default();
        assert_eq!(instant(&mut p, "d", "t", "01/07/2026", "14:30", "it"), Some(utc("2026-07-01T13:30:00Z")));
        assert_eq!(instant(&mut p, "d", "t", "01/12/2026", "14:30", "it"), Some(utc("2026-12-01T14:30:00Z")));
        assert!(p.is_empty());
    }

    #[test]
    fn the_skipped_hour_in_march_is_refused_naming_the_gap() {
        let mut p = Problems::default();
        assert_eq!(instant(&mut p, "d", "t", "29/03/2026", "01:30", "it"), None);
        assert_eq!(p.0[0].code, ErrorCode::ValidationTimeDoesNotExist);
        assert_eq!(p.0[0].field, "t");
        assert!(p.0[0].message.contains("from 01:00 to just before 02:00"), "{}", p.0[0].message);
    }

    #[test]
    fn the_repeated_hour_in_october_asks_which_of_the_two_it_was() {
        let mut p = Problems::default();
        assert_eq!(instant(&mut p, "d", "t", "25/10/2026", "01:30", "it"), None);
        assert_eq!(p.0[0].code, ErrorCode::ValidationTimeAmbiguous);
        assert!(p.0[0].message.contains("01:00 to 02:00 is repeated. Say which it was"), "{}", p.0[0].message);
    }

    #[test]
    fn the_repeated_hour_is_recorded_once_the_worker_says_which() {
        let mut p = Problems::default();
        assert_eq!(instant(&mut p, "d", "t", "25/10/2026", "01:30 BST", "it"), Some(utc("2026-10-25T00:30:00Z")));
        assert_eq!(instant(&mut p, "d", "t", "25/10/2026", "01:30 gmt", "it"), Some(utc("2026-10-25T01:30:00Z")));
        assert_eq!(instant(&mut p, "d", "t", "25/10/2026", "0130 first", "it"), Some(utc("2026-10-25T00:30:00Z")));
        assert_eq!(instant(&mut p, "d", "t", "25/10/2026", "01:30 second", "it"), Some(utc("2026-10-25T01:30:00Z")));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(london_time(utc("2026-10-25T00:30:00Z")), "01:30 BST");
        assert_eq!(london_time(utc("2026-10-25T01:30:00Z")), "01:30 GMT");
        assert_eq!(london_time(utc("2026-10-25T02:30:00Z")), "02:30");
        // Outside the repeated hour the zone is what the calendar says; a contrary one is refused.
        assert_eq!(instant(&mut p, "d", "t", "01/07/2026", "14:30 BST", "it"), Some(utc("2026-07-01T13:30:00Z")));
        assert_eq!(instant(&mut p, "d", "t", "01/07/2026", "14:30 GMT", "it"), None);
        assert_eq!(p.0[0].code, ErrorCode::ValidationTimeFormat);
        assert!(p.0[0].message.contains("London is on BST"), "{}", p.0[0].message);
    }

    #[test]
    fn stored_instants_sort_as_text_like_serde_writes_them() {
        let at = utc("2026-11-23T09:00:00Z");
        assert_eq!(serde_json::to_value(at).unwrap(), serde_json::Value::String(sql(at)));
    }

    #[test]
    fn a_london_day_starts_at_midnight_local() {
        let day = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(start_of_day(day), utc("2026-06-30T23:00:00Z"));
    }
}
