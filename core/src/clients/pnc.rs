//! Police National Computer ids: `YYYY/NNNNNNNL`, or short `YY/NNNNNNNL`, where the letter
//! checks the year and serial (domain.md).
use chrono::Datelike;

const CHECK_LETTERS: &[u8; 23] = b"ZABCDEFGHJKLMNPQRTUVWXY";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PncProblem {
    /// Not in the shape of a PNC id at all.
    Format,
    /// The shape is right but the check letter is not; carries the letter it should be.
    CheckLetter { expected: char },
}

pub fn check_letter(two_digit_year: u32, serial: u32) -> char {
    let n = u64::from(two_digit_year) * 10_000_000 + u64::from(serial);
    CHECK_LETTERS[(n % 23) as usize] as char
}

/// Parses what a worker typed and returns the canonical long form, e.g. `2019/0012345B`.
/// A two-digit year is taken as this century unless that would be in the future.
pub fn parse(typed: &str, this_year: i32) -> Result<String, PncProblem> {
    let cleaned: String = typed.trim().to_uppercase().chars().filter(|c| !c.is_whitespace()).collect();
    let cleaned = with_slash(&cleaned).unwrap_or(cleaned);
    let (year, rest) = cleaned.split_once('/').ok_or(PncProblem::Format)?;
    if rest.len() < 2 || !rest.is_char_boundary(rest.len() - 1) {
        return Err(PncProblem::Format);
    }
    let (serial, letter) = rest.split_at(rest.len() - 1);
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(year) || !all_digits(serial) || serial.len() > 7 || !letter.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(PncProblem::Format);
    }
    let serial: u32 = serial.parse().map_err(|_| PncProblem::Format)?;
    let full_year: i32 = match year.len() {
        4 => year.parse().map_err(|_| PncProblem::Format)?,
        2 => {
            let yy: i32 = year.parse().map_err(|_| PncProblem::Format)?;
            let century = this_year - this_year % 100;
            if century + yy > this_year {
                century - 100 + yy
            } else {
                century + yy
            }
        }
        _ => return Err(PncProblem::Format),
    };
    if full_year < 1900 || full_year > this_year {
        return Err(PncProblem::Format);
    }
    let expected = check_letter((full_year % 100) as u32, serial);
    if !letter.starts_with(expected) {
        return Err(PncProblem::CheckLetter { expected });
    }
    Ok(format!("{full_year}/{serial:07}{expected}"))
}

/// A PNC id typed without its slash, as some police systems print it (`20040046583U`, or
/// `040046583U` for the short year), with the slash put back. Only the full seven-digit
/// serial is read this way: without the slash, a shorter one could not be told from the year.
fn with_slash(cleaned: &str) -> Option<String> {
    let (digits, letter) = cleaned.split_at_checked(cleaned.len().checked_sub(1)?)?;
    if !letter.chars().all(|c| c.is_ascii_alphabetic()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year_len = match digits.len() {
        11 => 4,
        9 => 2,
        _ => return None,
    };
    Some(format!("{}/{}{letter}", &digits[..year_len], &digits[year_len..]))
}

/// True when the text looks like someone typing a PNC id (for search), with or without its slash.
pub fn looks_like(text: &str) -> bool {
    let t = text.trim();
    (t.contains('/') && t.chars().next().is_some_and(|c| c.is_ascii_digit())) || with_slash(&t.to_uppercase()).is_some()
}

pub fn this_year(now: chrono::DateTime<chrono::Utc>) -> i32 {
    now.with_timezone(&chrono_tz::Europe::London).year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_letter_follows_mod_23() {
        // 871234567 mod 23 = 18 -> U
        assert_eq!(check_letter(87, 1_234_567), 'U');
        // 0 mod 23 = 0 -> Z
        assert_eq!(check_letter(0, 0), 'Z');
        // 190012345 mod 23 = 1 -> A ... computed independently below
        let n: u64 = 190_012_345;
        assert_eq!(check_letter(19, 12_345), CHECK_LETTERS[(n % 23) as usize] as char);
    }

    #[test]
    fn typed_without_its_slash_is_read_as_the_slashed_form() {
        assert_eq!(parse("20040046583U", 2026).unwrap(), parse("2004/0046583U", 2026).unwrap());
        assert_eq!(parse("2004 0046583u", 2026).unwrap(), parse("2004/0046583U", 2026).unwrap());
        assert_eq!(parse("040046583U", 2026).unwrap(), parse("2004/0046583U", 2026).unwrap());
        assert!(looks_like("20040046583U"));
        assert!(!looks_like("4857773456"), "an NHS number is not a PNC id");
        assert_eq!(parse("2004004658U", 2026), Err(PncProblem::Format), "too short to tell the year from the serial");
    }

    #[test]
    fn long_form_is_accepted_and_kept() {
        assert_eq!(parse("1987/1234567U", 2026), Ok("1987/1234567U".into()));
    }

    #[test]
    fn short_form_and_missing_zeros_become_the_long_form() {
        let letter = check_letter(19, 12_345);
        assert_eq!(parse(&format!("19/12345{letter}"), 2026), Ok(format!("2019/0012345{letter}")));
        assert_eq!(parse(&format!(" 2019/0012345{} ", letter.to_ascii_lowercase()), 2026), Ok(format!("2019/0012345{letter}")));
    }

    #[test]
    fn short_year_after_this_one_is_last_century() {
        let letter = check_letter(87, 1_234_567);
        assert_eq!(parse(&format!("87/1234567{letter}"), 2026), Ok("1987/1234567U".into()));
    }

    #[test]
    fn wrong_check_letter_says_which_it_should_be() {
        assert_eq!(parse("1987/1234567A", 2026), Err(PncProblem::CheckLetter { expected: 'U' }));
    }

    #[test]
    fn wrong_shapes_are_format_problems() {
        for bad in ["", "1987", "1987/", "1987/U", "1987/12345678U", "87-1234567U", "ABCD/1234567U", "2030/1234567U", "1987/12é"] {
            assert_eq!(parse(bad, 2026), Err(PncProblem::Format), "{bad}");
        }
    }
}
