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
}
