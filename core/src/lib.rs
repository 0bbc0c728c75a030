//! Throughline's core: the domain, its rules and the encrypted store. No window, no Tauri:
//! everything here builds and tests on any machine.
pub mod accounts;
pub mod boundary;
pub mod clients;
pub mod clock;
pub mod dates;
pub mod demo;
pub mod error;
pub mod phonetic;
mod ids;
pub mod store;
pub mod text;

pub use error::{Coded, ErrorPayload, FieldError};
