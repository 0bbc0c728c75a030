//! Errors as the worker sees them: a stable `code` the UI can act on and a sentence to read.
use crate::codes::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

/// One field's problem, shown beside that field and in the error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code, message: message.into() }
    }
}

/// What every command returns when it fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    /// Empty unless the error is about particular fields of a form.
    pub fields: Vec<FieldError>,
}

/// Implemented by every area's error enum so the shell can turn it into an [`ErrorPayload`].
pub trait Coded: std::fmt::Display {
    fn code(&self) -> ErrorCode;
    fn fields(&self) -> Vec<FieldError> {
        Vec::new()
    }
    fn payload(&self) -> ErrorPayload {
        ErrorPayload { code: self.code(), message: self.to_string(), fields: self.fields() }
    }
}

/// Several field problems found at once, so a worker fixes them all in one go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.0))]
pub struct ValidationErrors(pub Vec<FieldError>);

fn summary(fields: &[FieldError]) -> String {
    match fields {
        [one] => one.message.clone(),
        many => format!("There are {} problems to fix before this can be saved.", many.len()),
    }
}

impl Coded for ValidationErrors {
    fn code(&self) -> ErrorCode {
        match self.0.as_slice() {
            [one] => one.code,
            _ => ErrorCode::ValidationSeveral,
        }
    }
    fn fields(&self) -> Vec<FieldError> {
        self.0.clone()
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        ValidationErrors(vec![e])
    }
}

impl ValidationErrors {
    pub fn one(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        ValidationErrors(vec![FieldError::new(field, code, message)])
    }
}

/// Collects field problems while a form is checked, so all are reported together.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    /// Keeps the value, or notes the problem and returns None.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_error(self) -> ValidationErrors {
        ValidationErrors(self.0)
    }

    /// The end of a form's checks: nothing was found wrong, or every problem at once.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        self.complete(Some(()))
    }

    /// The end of a form's checks: its values when each was given and nothing was found wrong,
    /// or every problem at once (a missing value's problem is among them). Several values come
    /// as a tuple of options through [`AllGiven::all`].
    pub fn complete<T>(self, values: Option<T>) -> Result<T, ValidationErrors> {
        match values {
            Some(values) if self.is_empty() => Ok(values),
            _ => Err(self.into_error()),
        }
    }
}

/// A form's checked values, each `None` where its field had a problem: all of them, or none.
pub trait AllGiven {
    type Values;
    fn all(self) -> Option<Self::Values>;
}

macro_rules! all_given {
    ($($value:ident: $kind:ident),+) => {
        impl<$($kind),+> AllGiven for ($(Option<$kind>,)+) {
            type Values = ($($kind,)+);
            fn all(self) -> Option<Self::Values> {
                let ($($value,)+) = self;
                Some(($($value?,)+))
            }
        }
    };
}

all_given!(a: A, b: B);
all_given!(a: A, b: B, c: C);
all_given!(a: A, b: B, c: C, d: D);
all_given!(a: A, b: B, c: C, d: D, e: E);
all_given!(a: A, b: B, c: C, d: D, e: E, f: F);
all_given!(a: A, b: B, c: C, d: D, e: E, f: F, g: G);
all_given!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_complete_only_with_every_value_and_no_problem() {
        let values = (Some(1), Some("court"));
        assert_eq!(Problems::default().complete(values.all()).unwrap(), (1, "court"));
        let mut p = Problems::default();
        let missing: Option<i32> = p.check(Err(FieldError::new("date", ErrorCode::ValidationRequired, "Enter the date.")));
        let err = p.complete((missing, Some("court")).all()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ValidationRequired);
        let mut p = Problems::default();
        p.push(FieldError::new("time", ErrorCode::ValidationTimeFormat, "Enter a time like 14:30."));
        assert_eq!(p.complete(Some(1)).unwrap_err().fields().len(), 1, "a problem beside present values still fails");
        assert!(Problems::default().finish().is_ok());
    }
}
