//! Printable documents (domain.md "Documents Throughline produces"): plain paragraphs built
//! from the recorded facts, which the UI lays out with print styles and `pdf` saves as files.
pub mod pdf;

use crate::calendar::when;
use crate::clients::Client;
use crate::dates;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Document {
    pub title: String,
    /// Who it is about, for the heading: "John Smith, born 3 Mar 1987".
    pub subject: String,
    pub paragraphs: Vec<String>,
    /// Which paragraphs head a section (a long document such as the subject access summary).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub headings: Option<Vec<u32>>,
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

/// The person a document is about, as every document names them: "John Smith".
pub fn name_of(client: &Client) -> String {
    format!("{} {}", client.forenames, client.surname)
}

/// A recorded phrase inside a sentence: its own full stop dropped.
pub fn phrase(value: &str) -> &str {
    value.trim_end_matches('.')
}

impl Document {
    /// A document about `client` produced from one record: the heading names them with their
    /// date of birth, and it is dated the London day it was first produced.
    pub fn about(
        client: &Client,
        title: impl Into<String>,
        paragraphs: Vec<String>,
        signed_by: String,
        produced_at: DateTime<Utc>,
        record: (&str, String),
    ) -> Document {
        Document {
            title: title.into(),
            subject: format!("{}, born {}", name_of(client), dates::display(client.date_of_birth)),
            paragraphs,
            headings: None,
            signed_by,
            produced_on: when::london_date(produced_at),
            produced_at,
            client_id: client.id.clone(),
            record_type: record.0.into(),
            record_id: record.1,
        }
    }
}
