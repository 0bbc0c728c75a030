//! Information governance (security.md "Governance features"): who has looked at or changed a
//! person's data (the access report), what was shared with whom (the disclosure log), and
//! everything held about one person (the subject access summary).
pub mod access;
pub mod disclosures;
pub mod subject_access;
