//! NHS numbers: ten digits, the last a modulus 11 check digit.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NhsProblem {
    Format,
    CheckDigit,
}

/// Returns the ten digits, accepting spaces or dashes as typed ("943 476 5919").
pub fn parse(typed: &str) -> Result<String, NhsProblem> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(NhsProblem::Format);
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(digit, weight)| digit * weight).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return Err(NhsProblem::CheckDigit),
        c => c,
    };
    if check != d[9] {
        return Err(NhsProblem::CheckDigit);
    }
    Ok(digits)
}

/// "943 476 5919", as printed on NHS letters.
pub fn display(digits: &str) -> String {
    if digits.len() == 10 {
        format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        digits.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_with_or_without_spaces() {
        assert_eq!(parse("9434765919"), Ok("9434765919".into()));
        assert_eq!(parse("943 476 5919"), Ok("9434765919".into()));
        assert_eq!(parse("943-476-5919"), Ok("9434765919".into()));
        // Another known-valid number.
        assert_eq!(parse("4010232137"), Ok("4010232137".into()));
    }

    #[test]
    fn wrong_check_digit_is_refused() {
        assert_eq!(parse("9434765918"), Err(NhsProblem::CheckDigit));
    }

    #[test]
    fn check_value_of_ten_can_never_be_valid() {
        // 1000000010 -> weights give sum 10+1*2... choose digits whose remainder is 1.
        // 0000000060: 6*2 = 12, 12 % 11 = 1, 11 - 1 = 10: no valid check digit exists.
        for last in 0..=9 {
            assert_eq!(parse(&format!("000000006{last}")), Err(NhsProblem::CheckDigit));
        }
    }

    #[test]
    fn wrong_length_or_letters_are_format_problems() {
        for bad in ["", "943476591", "94347659190", "94347659l9"] {
            assert_eq!(parse(bad), Err(NhsProblem::Format), "{bad}");
        }
    }

    #[test]
    fn displays_in_three_groups() {
        assert_eq!(display("9434765919"), "943 476 5919");
    }
}
