//! Everything the incident console shows, in one value.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{Event, Incident};
use super::timeline::{describe_in, TimelineEntry};
use crate::deadline::{self, CadenceLine, DueItem};
use crate::plan::Plan;

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
    /// Whether an escalation calls this laptop's person and they have not
    /// acknowledged it yet (the console then offers "Acknowledge").
    pub called: bool,
}

/// The console's view of `incident` (folded from `events`) at `now`, with
/// deadlines in `zone`'s calendar.
pub fn view(
    plan: &Plan,
    incident: &Incident,
    events: &[Event],
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
        timeline: {
            let mut entries: Vec<_> = events.iter().map(|e| describe_in(incident, e)).collect();
            for i in 1..entries.len() {
                entries[i].clock_back = entries[i].at < entries[i - 1].at;
            }
            entries
        },
        called: false,
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
