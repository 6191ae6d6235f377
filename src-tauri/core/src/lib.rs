//! Muster's core: the emergency response plan, its validation and its storage.
//!
//! Architecture invariant: this crate knows nothing of Tauri, windows, keychains
//! or notification daemons. Time and other outside effects come in as
//! arguments or small traits (see [`clock`]), so everything here is testable
//! without a display.

pub mod alert;
pub mod clock;
pub mod deadline;
pub mod decision;
pub mod error;
pub mod exercise;
pub mod export;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod folder;
pub mod generate;
pub mod incident;
pub mod ops;
pub mod plan;
pub mod search;
pub mod starter;
pub mod store;
pub mod team;
#[cfg(test)]
mod testing;

pub use error::{Error, ErrorCode, Result};
/// The SQLite connection type, for the shell's read-only search connection.
pub use rusqlite::Connection;
