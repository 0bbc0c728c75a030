//! Information governance (security.md "Governance features"): who has looked at or changed a
//! person's data (the access report), what was shared with whom (the disclosure log), and
//! everything held about one person (the subject access summary), and closed cases reviewed
//! once past the retention period (kept, or anonymised).
pub mod access;
pub mod disclosures;
pub mod retention;
pub mod subject_access;
