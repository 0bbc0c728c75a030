//! Dates as workers type and read them. Calendar days are Europe/London days.
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// Accepts "03/03/1987", "3/3/1987", "3-3-1987", "3.3.1987" and "1987-03-03".
pub fn parse(typed: &str) -> Option<NaiveDate> {
    let t = typed.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if let [d, m, y] = parts.as_slice() {
        if y.len() == 4 {
            return NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
    }
    None
}

/// Today's date in England and Wales.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

/// Whole years from `born` to `on`.
pub fn age(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// "3 Mar 1987", as GOV.UK writes dates.
pub fn display(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// "Monday 7 Dec 2026": the day named, for paper handed to the person.
pub fn display_with_day(d: NaiveDate) -> String {
    d.format("%A %-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_ways_workers_write_dates() {
        for typed in ["03/03/1987", "3/3/1987", "3-3-1987", "3.3.1987", "1987-03-03", " 03/03/1987 "] {
            assert_eq!(parse(typed), Some(d(1987, 3, 3)), "{typed}");
        }
        for bad in ["31/02/1987", "3/3/87", "yesterday", ""] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn today_is_the_london_calendar_day() {
        // 23:30 UTC in British Summer Time is already the next day in London.
        let late = DateTime::parse_from_rfc3339("2026-07-01T23:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(today(late), d(2026, 7, 2));
        let winter = DateTime::parse_from_rfc3339("2026-12-01T23:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(today(winter), d(2026, 12, 1));
    }

    #[test]
    fn age_counts_birthdays_passed() {
        assert_eq!(age(d(1987, 3, 3), d(2026, 3, 2)), 38);
        assert_eq!(age(d(1987, 3, 3), d(2026, 3, 3)), 39);
    }

    #[test]
    fn displays_like_gov_uk() {
        assert_eq!(display(d(2026, 3, 3)), "3 Mar 2026");
    }
}
