//! Everything the incident console shows, in one value.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::Incident;
use super::timeline::TimelineEntry;
use crate::deadline::{self, CadenceLine, DueItem};
use crate::plan::Plan;

/// How many of an incident's newest events the console's view holds; the
/// earlier ones come a page at a time when asked for.
pub const TIMELINE_PAGE: u32 = 300;

/// One incident as the console shows it at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentView {
    pub incident: Incident,
    /// Each applicable communication rule with its deadline.
    pub cadence: Vec<CadenceLine>,
    /// This incident's items due now (escalations not done, updates overdue).
    pub due: Vec<DueItem>,
    /// The newest events (at most [`TIMELINE_PAGE`]), oldest first, in
    /// the chain's order, described for people. The incident's
    /// `event_count` says how many there are in all.
    pub timeline: Vec<TimelineEntry>,
    /// Whether an escalation calls this laptop's person and they have not
    /// acknowledged it yet (the console then offers "Acknowledge").
    pub called: bool,
}

/// The console's view of `incident` at `now`, with deadlines in `zone`'s
/// calendar, and `timeline` (the newest page of its entries).
pub fn view(
    plan: &Plan,
    incident: &Incident,
    timeline: Vec<TimelineEntry>,
    now: DateTime<Utc>,
    zone: Tz,
) -> IncidentView {
    let agenda = deadline::agenda(plan, std::slice::from_ref(incident), now, zone);
    IncidentView {
        incident: incident.clone(),
        cadence: deadline::cadence(plan, incident, now, zone),
        due: agenda
            .due
            .into_iter()
            .filter(|d| d.incident == incident.id)
            .collect(),
        timeline,
        called: false,
    }
}

/// Marks each entry of `entries` (in the chain's order) timed before the one
/// before it; `before` is the time of the event just before the first.
pub fn mark_clock_back(entries: &mut [TimelineEntry], before: Option<DateTime<Utc>>) {
    let mut previous = before;
    for entry in entries.iter_mut() {
        entry.clock_back = previous.is_some_and(|p| entry.at < p);
        previous = Some(entry.at);
    }
}

/// Whether an escalation of `incident` calls `person` at `now` and is not
/// yet acknowledged (or marked notified): one that names them, or paging
/// that has reached them while nobody answered (see `paging`).
pub fn calls(
    plan: &crate::plan::Plan,
    incident: &Incident,
    person: &crate::plan::Id,
    now: DateTime<Utc>,
) -> bool {
    let named = incident
        .escalations
        .iter()
        .any(|e| &e.recipient.contact == person && e.notified.is_none());
    named
        || (!incident
            .acknowledgements
            .iter()
            .any(|a| &a.contact == person)
            && super::paging::paged(plan, incident, now).contains(person))
}
