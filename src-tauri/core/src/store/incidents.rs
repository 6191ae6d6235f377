//! Incidents in the store: events appended to the hash chain in the same
//! transaction as the incident's summary row, folded back into state on read.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Store;
use crate::clock::Clock;
use crate::deadline::{Agenda, DueItem};
use crate::error::Result;
use crate::incident::model::{
    Declaration, Event, Incident, IncidentAction, IncidentId, IncidentSummary, Verification,
};
use crate::incident::view::IncidentView;
use crate::plan::Audience;

/// A stored post-mortem: the team's edited text, or a fresh draft.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PostMortem {
    pub incident: crate::incident::model::IncidentId,
    pub audience: Audience,
    pub text: String,
    /// False while the text is the generated draft, never edited.
    pub edited: bool,
    pub updated_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// From the plan's post-mortem rule for this audience.
    pub due_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Declares an incident: its first event, with the procedures and
    /// who must be notified upon detection.
    pub fn declare_incident(
        &mut self,
        declaration: &Declaration,
        clock: &dyn Clock,
    ) -> Result<Incident> {
        let _ = (declaration, clock);
        todo!()
    }

    /// Applies one action as one event, or refuses it and changes nothing.
    pub fn act_on_incident(
        &mut self,
        id: &IncidentId,
        action: &IncidentAction,
        clock: &dyn Clock,
    ) -> Result<Incident> {
        let _ = (id, action, clock);
        todo!()
    }

    pub fn incident(&mut self, id: &IncidentId) -> Result<Incident> {
        let _ = id;
        todo!()
    }

    /// Every incident, newest first.
    pub fn incidents(&mut self) -> Result<Vec<IncidentSummary>> {
        todo!()
    }

    /// The incidents still worked on or awaiting post-mortems (not closed), folded.
    pub fn active_incidents(&mut self) -> Result<Vec<Incident>> {
        todo!()
    }

    /// The stored events of one incident, oldest first.
    pub fn events(&mut self, id: &IncidentId) -> Result<Vec<Event>> {
        let _ = id;
        todo!()
    }

    /// The console's view of one incident at `now`.
    pub fn incident_view(
        &mut self,
        id: &IncidentId,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<IncidentView> {
        let _ = (id, now, zone);
        todo!()
    }

    /// What is due across the active incidents at `now`.
    pub fn agenda(&mut self, now: DateTime<Utc>, zone: Tz) -> Result<Agenda> {
        let _ = (now, zone);
        todo!()
    }

    /// Records that a reminder for `item` was raised (or could only be shown
    /// in the window: `delivered` false with `detail` saying why), as a
    /// `ReminderSent` event. Returns false, changing nothing, when this key
    /// was recorded before: the same due item is never raised twice.
    pub fn record_reminder(
        &mut self,
        item: &DueItem,
        delivered: bool,
        detail: &str,
        clock: &dyn Clock,
    ) -> Result<bool> {
        let _ = (item, delivered, detail, clock);
        todo!()
    }

    /// Recomputes the chain: `first_bad` names the first event that fails.
    pub fn verify_incident(&mut self, id: &IncidentId) -> Result<Verification> {
        let _ = id;
        todo!()
    }

    /// The post-mortem for `audience`: the saved text, or a draft from the timeline.
    pub fn post_mortem(
        &mut self,
        id: &IncidentId,
        audience: Audience,
        zone: Tz,
    ) -> Result<PostMortem> {
        let _ = (id, audience, zone);
        todo!()
    }

    /// Saves an edited post-mortem text (not an event; publishing is).
    pub fn save_post_mortem(
        &mut self,
        id: &IncidentId,
        audience: Audience,
        text: &str,
        clock: &dyn Clock,
    ) -> Result<PostMortem> {
        let _ = (id, audience, text, clock);
        todo!()
    }
}
