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
}
