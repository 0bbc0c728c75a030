//! Printable documents (domain.md "Documents Throughline produces"): plain paragraphs built
//! from the recorded facts, which the UI lays out with print styles.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Document {
    pub title: String,
    /// Who it is about, for the heading: "John Smith, born 3 Mar 1987".
    pub subject: String,
    pub paragraphs: Vec<String>,
    /// The worker whose statement or notice it is.
    pub signed_by: String,
    /// The date it was first produced (a reprint shows the same date).
    pub produced_on: NaiveDate,
    pub produced_at: DateTime<Utc>,
    pub client_id: String,
    /// The record it was produced from.
    pub record_type: String,
    pub record_id: String,
}
