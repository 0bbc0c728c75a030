//! One small function per command: check the session and role, call core, map the error.
pub mod clients;
pub mod drr;
pub mod flags;
pub mod pathway;
pub mod prison;
pub mod session;
pub mod settings;
pub mod workers;
