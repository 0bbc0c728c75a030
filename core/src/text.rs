//! Checks shared by every free-text field: length-limited, no control characters.
use crate::codes::ErrorCode;
use crate::error::FieldError;

/// Trims `value` and checks it is at most `max` characters with no control characters.
/// Returns `Ok(None)` for an empty optional value.
pub fn optional(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(field, ErrorCode::ValidationTooLong, format!("{label} must be {max} characters or fewer.")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            ErrorCode::ValidationControlCharacters,
            format!("{label} contains characters that cannot be stored (such as tabs or line breaks). Retype it."),
        ));
    }
    Ok(Some(trimmed.to_string()))
}

/// As [`optional`], but line breaks are allowed (notes).
pub fn optional_multiline(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let normalised = value.replace("\r\n", "\n");
    let probe: String = normalised.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    optional(field, label, &probe, max)?;
    let trimmed = normalised.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_string()))
}

/// As [`optional`], but the field must be filled in.
pub fn required(field: &str, label: &str, value: &str, max: usize) -> Result<String, FieldError> {
    optional(field, label, value, max)?
        .ok_or_else(|| FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter {}.", label.to_lowercase())))
}

/// A person's name (a client's, an alias, a worker's): letters in any alphabet, with accents,
/// and the spaces, hyphens, apostrophes and full stops real names carry. Markup, digits and
/// other symbols are refused naming what to remove. Empty is `Ok(None)`.
pub fn optional_name(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let Some(name) = optional(field, label, value, max)? else {
        return Ok(None);
    };
    let mut refused: Vec<char> = Vec::new();
    for c in name.chars() {
        let allowed = c.is_alphabetic() || is_name_mark(c) || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '.');
        if !allowed && !refused.contains(&c) {
            refused.push(c);
        }
    }
    if refused.is_empty() {
        return Ok(Some(name));
    }
    let shown: Vec<String> =
        refused.iter().map(|c| if c.is_whitespace() { "the tab or special space".into() } else { format!("\"{c}\"") }).collect();
    Err(FieldError::new(
        field,
        ErrorCode::ValidationNameCharacters,
        format!(
            "{label} can only have letters (accents are fine), spaces, hyphens, apostrophes and full stops. Remove {}.",
            join_words(&shown)
        ),
    ))
}

/// As [`optional_name`], but the name must be filled in.
pub fn required_name(field: &str, label: &str, value: &str, max: usize) -> Result<String, FieldError> {
    optional_name(field, label, value, max)?
        .ok_or_else(|| FieldError::new(field, ErrorCode::ValidationRequired, format!("Enter {}.", label.to_lowercase())))
}

/// Combining accents typed as separate characters (decomposed Unicode) belong to the letter.
fn is_name_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_ordinary_text() {
        assert_eq!(required("surname", "Surname", "  O'Brien ", 100).unwrap(), "O'Brien");
    }

    #[test]
    fn empty_required_field_asks_for_it() {
        let e = required("surname", "Surname", "   ", 100).unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationRequired);
        assert_eq!(e.message, "Enter surname.");
    }

    #[test]
    fn overlong_and_control_characters_are_refused() {
        let long = "a".repeat(10_000);
        assert_eq!(required("surname", "Surname", &long, 100).unwrap_err().code, ErrorCode::ValidationTooLong);
        assert_eq!(required("surname", "Surname", "Smi\u{0}th", 100).unwrap_err().code, ErrorCode::ValidationControlCharacters);
    }

    #[test]
    fn names_keep_letters_accents_and_the_marks_real_names_have() {
        for name in ["O'Brien", "Smith-Jones", "St. John", "Zoë Núñez", "D\u{2019}Arcy", "Łukasz", "Nguyễn"] {
            assert_eq!(required_name("surname", "Surname", name, 100).unwrap(), name);
        }
        assert_eq!(optional_name("alias_surname", "Surname", "  ", 100).unwrap(), None);
    }

    #[test]
    fn names_refuse_markup_and_symbols_saying_what_to_remove() {
        let e = required_name("surname", "Surname", "<b>Smith</b>", 100).unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationNameCharacters);
        assert_eq!(
            e.message,
            "Surname can only have letters (accents are fine), spaces, hyphens, apostrophes and full stops. Remove \"<\", \">\" and \"/\"."
        );
        assert_eq!(required_name("forenames", "Forenames", "John2", 100).unwrap_err().code, ErrorCode::ValidationNameCharacters);
        assert_eq!(required_name("surname", "Surname", "Smi\u{0}th", 100).unwrap_err().code, ErrorCode::ValidationControlCharacters);
        assert_eq!(required_name("surname", "Surname", " ", 100).unwrap_err().code, ErrorCode::ValidationRequired);
    }
}
