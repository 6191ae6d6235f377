//! Helpers every core test shares: a time from RFC 3339 text, a clock
//! pinned to it, and a temporary folder. Test-only (`#[cfg(test)]`).

use chrono::{DateTime, Utc};

use crate::clock::FixedClock;

/// The instant `text` (RFC 3339) names, in UTC.
pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A clock that always says `text` (RFC 3339).
pub fn at(text: &str) -> FixedClock {
    FixedClock(utc(text))
}

/// A temporary folder, removed when dropped.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"))
}
