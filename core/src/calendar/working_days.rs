//! Working days in England and Wales: Monday to Friday, not a bank holiday (Banking and
//! Financial Dealings Act 1971 Sch 1 and the royal proclamations of each year).
use chrono::{Datelike, Duration, NaiveDate, Weekday};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// Easter Sunday (the anonymous Gregorian algorithm).
fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let dd = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - dd - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    d(y, month as u32, day as u32)
}

fn first_monday(y: i32, m: u32) -> NaiveDate {
    let mut day = d(y, m, 1);
    while day.weekday() != Weekday::Mon {
        day += Duration::days(1);
    }
    day
}

fn last_monday(y: i32, m: u32) -> NaiveDate {
    let mut day = if m == 12 { d(y, 12, 31) } else { d(y, m + 1, 1) - Duration::days(1) };
    while day.weekday() != Weekday::Mon {
        day -= Duration::days(1);
    }
    day
}

fn weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The bank holidays of England and Wales in a year.
pub fn bank_holidays(y: i32) -> Vec<NaiveDate> {
    let mut days = Vec::with_capacity(9);
    // New Year's Day, or the next Monday.
    let mut new_year = d(y, 1, 1);
    while weekend(new_year) {
        new_year += Duration::days(1);
    }
    days.push(new_year);
    let easter = easter(y);
    days.push(easter - Duration::days(2));
    days.push(easter + Duration::days(1));
    // Early May: moved to Friday 8 May for VE Day in 2020; otherwise the first Monday.
    days.push(if y == 2020 { d(2020, 5, 8) } else { first_monday(y, 5) });
    // Spring: moved for the jubilees of 2002, 2012 and 2022.
    days.push(match y {
        2002 => d(2002, 6, 4),
        2012 => d(2012, 6, 4),
        2022 => d(2022, 6, 2),
        _ => last_monday(y, 5),
    });
    days.push(last_monday(y, 8));
    // Christmas and Boxing Day, with substitute days when they fall at a weekend.
    let christmas = d(y, 12, 25);
    match christmas.weekday() {
        Weekday::Fri => days.extend([christmas, d(y, 12, 28)]),
        Weekday::Sat => days.extend([d(y, 12, 27), d(y, 12, 28)]),
        Weekday::Sun => days.extend([d(y, 12, 26), d(y, 12, 27)]),
        _ => days.extend([christmas, d(y, 12, 26)]),
    }
    // One-off days by proclamation.
    match y {
        2002 => days.push(d(2002, 6, 3)),
        2011 => days.push(d(2011, 4, 29)),
        2012 => days.push(d(2012, 6, 5)),
        2022 => days.extend([d(2022, 6, 3), d(2022, 9, 19)]),
        2023 => days.push(d(2023, 5, 8)),
        _ => {}
    }
    days
}

pub fn is_working_day(day: NaiveDate) -> bool {
    !weekend(day) && !bank_holidays(day.year()).contains(&day)
}

/// The date `n` working days after `from` (not counting `from` itself).
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_2026_bank_holidays() {
        let expected =
            [d(2026, 1, 1), d(2026, 4, 3), d(2026, 4, 6), d(2026, 5, 4), d(2026, 5, 25), d(2026, 8, 31), d(2026, 12, 25), d(2026, 12, 28)];
        assert_eq!(bank_holidays(2026), expected);
    }

    #[test]
    fn substitute_days_follow_a_weekend_christmas() {
        // 2027: Christmas on a Saturday, Boxing Day on a Sunday.
        let days = bank_holidays(2027);
        assert!(days.contains(&d(2027, 12, 27)) && days.contains(&d(2027, 12, 28)));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        // Thursday 2 April 2026 + 2 working days: Good Friday and Easter Monday are skipped.
        assert_eq!(add_working_days(d(2026, 4, 2), 2), d(2026, 4, 8));
        // Friday + 1 working day is Monday.
        assert_eq!(add_working_days(d(2026, 11, 20), 1), d(2026, 11, 23));
    }
}
