//! The calendar every area reads: London wall-clock time for instants (`when`) and the
//! working days of England and Wales. Below the areas; imports nothing of theirs.
pub mod when;
pub mod working_days;

use chrono::{Months, NaiveDate};

/// `day` plus whole calendar months (31 Jan + 1 month = 28 or 29 Feb), never 30-day blocks.
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_calendar_month_is_not_thirty_days() {
        assert_eq!(add_months(d(2027, 1, 31), 1), d(2027, 2, 28));
        assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29));
        assert_eq!(add_months(d(2027, 3, 15), 1), d(2027, 4, 15));
        assert_eq!(add_months(d(2026, 11, 23), 12), d(2027, 11, 23));
    }
}
