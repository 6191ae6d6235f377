//! The timeline for people: one line per event, and the Markdown and JSON exports.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One event described for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub author: String,
    /// The event type, as in the stored JSON (`declared`, `phaseChanged`, ...).
    pub kind: String,
    /// One readable line, e.g. "Validated → Mitigated: pause confirmed".
    pub text: String,
    /// Longer text the event carries (an update's or a note's text), if any.
    pub detail: String,
    pub hash: String,
}
