//! Helpers every core test shares: a time from RFC 3339 text, a clock
//! pinned to it, and a temporary folder. Test-only (`#[cfg(test)]`).

pub use crate::fixtures::{at, utc};

/// A temporary folder, removed when dropped.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"))
}
