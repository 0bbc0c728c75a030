//! Information governance (security.md "Governance features"): who has looked at or changed a
//! person's data (the access report), read from the audit trail.
pub mod access;
