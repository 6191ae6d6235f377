//! The deadline engine: a pure function of (plan, incidents, now, time zone)
//! to what is due now and when the next thing falls due. The shell's
//! scheduler sleeps until `Agenda::next_at` and raises what `to_notify`
//! returns; nothing here reads a clock or sends anything.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::incident::model::{Incident, IncidentId, Phase};
use crate::plan::{Audience, Id, Plan};

/// How long after an escalation falls due, while someone on it has not been
/// marked notified, the next reminder comes.
pub const ESCALATION_REMINDER_MINUTES: i64 = 15;

/// What a due item is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DueKind {
    /// People who must be told because the incident entered `phase`.
    Escalation { phase: Phase, contacts: Vec<Id> },
    /// A recurring update to an audience (rule timing `everyHours`), or the
    /// channel a rule with timing `untilCompletion` asks to open.
    Update { rule: Id, audience: Audience },
    /// A post-mortem due some days after resolution.
    PostMortem { rule: Id, audience: Audience },
}

/// One thing due at one moment. `key` names this occurrence: the scheduler
/// raises each key at most once, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueItem {
    pub key: String,
    pub incident: IncidentId,
    pub incident_title: String,
    pub exercise: bool,
    pub kind: DueKind,
    /// This occurrence's due time.
    pub due_at: DateTime<Utc>,
    /// The first missed occurrence of the same series: overdue since then.
    pub overdue_since: DateTime<Utc>,
    /// One line for a notification's summary, e.g. "INC-3 Oracle failure: internal update due".
    /// Starts with "EXERCISE — " for exercise incidents.
    pub title: String,
    /// Who or which audience, the channel, the deadline in local time.
    pub body: String,
    /// Escalations are critical; the rest normal.
    pub critical: bool,
}

/// What is due now and what comes next, across all incidents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Agenda {
    /// Due at or before `now`: only the latest occurrence of each series.
    pub due: Vec<DueItem>,
    /// The next occurrence of each series after `now`, soonest first.
    pub upcoming: Vec<DueItem>,
    /// The soonest `due_at` in `upcoming`: when the scheduler must wake.
    pub next_at: Option<DateTime<Utc>>,
}

/// The state of one communication rule for one incident, for the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CadenceLine {
    pub rule: Id,
    pub audience: Audience,
    /// e.g. "every hour", "at resolution + 2 days".
    pub timing: String,
    pub channel: String,
    pub responsible: Option<String>,
    pub optional: bool,
    pub state: CadenceState,
    pub last_update_at: Option<DateTime<Utc>>,
    /// When the next update (or the post-mortem) is due; none when done,
    /// waived or not yet running.
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CadenceState {
    /// Running; the next update is not due yet.
    OnTrack,
    /// Due now or past due.
    Overdue,
    /// Waits for resolution (post-mortems) or does not run in this phase.
    NotYet,
    /// Post-mortem published, or the incident is over for this rule.
    Done,
    Waived,
}

/// What is due for `incidents` at `now`. Post-mortem days count in `zone`'s
/// calendar (so "+2 days" keeps the local time across a DST change).
pub fn agenda(plan: &Plan, incidents: &[Incident], now: DateTime<Utc>, zone: Tz) -> Agenda {
    let _ = (plan, incidents, now, zone);
    todo!("deadline engine")
}

/// The communication rules that apply to `incident`, each with its state.
pub fn cadence(plan: &Plan, incident: &Incident, now: DateTime<Utc>, zone: Tz) -> Vec<CadenceLine> {
    let _ = (plan, incident, now, zone);
    todo!("cadence lines")
}

/// The due items not raised before: one per series even after a long sleep
/// or a clock jump (only the latest occurrence is in `agenda.due`).
pub fn to_notify<'a>(agenda: &'a Agenda, sent: &HashSet<String>) -> Vec<&'a DueItem> {
    agenda
        .due
        .iter()
        .filter(|d| !sent.contains(&d.key))
        .collect()
}
