//! Throughline's core: the domain, its rules and the encrypted store. No window, no Tauri:
//! everything here builds and tests on any machine.
pub mod accounts;
pub mod appointments;
pub mod boundary;
pub mod calendar;
pub mod clients;
pub mod clock;
pub mod codes;
pub mod court;
pub mod custody;
pub mod dashboard;
pub mod dates;
pub mod demo;
pub mod documents;
pub mod drr;
#[cfg(test)]
mod durability;
pub mod error;
pub mod flags;
pub mod glance;
pub mod governance;
mod ids;
pub mod notes;
pub mod phonetic;
pub mod prison;
pub mod reference;
pub mod stages;
pub mod store;
pub mod sync;
pub mod testing;
pub mod text;
pub mod timeline;

pub use codes::ErrorCode;

/// This build's version (the workspace's, which the package and the About screen show).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub use error::{Coded, ErrorPayload, FieldError};
