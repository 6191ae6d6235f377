//! Everything the incident console shows, in one value.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::Incident;
use super::timeline::TimelineEntry;
use crate::deadline::{CadenceLine, DueItem};

/// One incident as the console shows it at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentView {
    pub incident: Incident,
    /// Each applicable communication rule with its deadline.
    pub cadence: Vec<CadenceLine>,
    /// This incident's items due now (escalations not done, updates overdue).
    pub due: Vec<DueItem>,
    /// Every event, oldest first, described for people.
    pub timeline: Vec<TimelineEntry>,
}
