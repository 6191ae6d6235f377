//! The incident as data: the events of its append-only timeline and the state
//! folded from them. These types are also the IPC contract with the UI (ts-rs),
//! so they hold no behaviour beyond small lookups; the fold is in
//! `incident::state`, the hash chain in `incident::chain`, escalation in
//! `incident::escalation` and deadlines in `crate::deadline`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::decision::model::{DecisionId, QuorumState, Verdict};
use crate::export::Team;
use crate::plan::{Audience, Id, Reach, Severity};

/// An incident's id, e.g. `INC-7`: `INC-` and a number counted per database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct IncidentId(pub String);

impl IncidentId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for IncidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an incident is in its life. Ordered: a transition goes forward,
/// except a reopen, which goes back to `Validated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// Noticed, being triaged.
    Detected,
    /// Confirmed real.
    Validated,
    /// Contained: the bleeding has stopped.
    Mitigated,
    /// Service restored; post-mortems fall due from here.
    Resolved,
    /// Post-mortems done, actions tracked.
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Detected,
        Phase::Validated,
        Phase::Mitigated,
        Phase::Resolved,
        Phase::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Detected => "detected",
            Phase::Validated => "validated",
            Phase::Mitigated => "mitigated",
            Phase::Resolved => "resolved",
            Phase::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Detected => "Detected",
            Phase::Validated => "Validated",
            Phase::Mitigated => "Mitigated",
            Phase::Resolved => "Resolved",
            Phase::Closed => "Closed",
        }
    }

    pub fn parse(text: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// Still being worked on: update cadences run.
    pub fn is_open(self) -> bool {
        self < Phase::Resolved
    }
}

/// A role in the response, assigned from the teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Coordinates and decides; does not debug.
    Lead,
    /// Keeps the timeline.
    Scribe,
    /// Owns internal and external updates.
    Communications,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Lead, Role::Scribe, Role::Communications];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Scribe => "scribe",
            Role::Communications => "communications",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "Incident lead",
            Role::Scribe => "Scribe",
            Role::Communications => "Communications manager",
        }
    }
}

/// Who holds a role. The name is copied so the record stays readable after
/// the plan changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub role: Role,
    pub contact: Id,
    pub name: String,
}

/// How far a checklist step has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    Open,
    Done,
    Skipped,
    Blocked,
}

/// A procedure as it stood when the incident was declared: the checklist
/// keeps working if the plan is edited during the response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProcedureSnapshot {
    pub id: Id,
    pub title: String,
    pub steps: Vec<StepSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepSnapshot {
    pub id: Id,
    pub action: String,
    pub how: String,
    pub tools: String,
    pub test: String,
    pub expected_minutes: Option<u32>,
    /// The decision policy whose approval this step needs.
    pub decision: Option<Id>,
}

/// Someone who must be told, as the plan said at the moment of a transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub contact: Id,
    pub name: String,
    pub team: Team,
    /// Job title or organisation role.
    pub role: String,
    pub reach: Reach,
    /// Chosen because the category's on-call rotation had them on call.
    pub on_call: bool,
}

/// What happened, one entry of the append-only timeline. Stored as the JSON
/// text that was hashed; never re-serialised for verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EventBody {
    /// The first event of every incident.
    Declared {
        title: String,
        /// The potential issue, or none for an unplanned incident.
        issue: Option<Id>,
        category: Id,
        severity: Severity,
        /// An exercise-mode incident: never mixed with real ones.
        exercise: bool,
        description: String,
        procedures: Vec<ProcedureSnapshot>,
        roles: Vec<RoleAssignment>,
        /// Who must be notified upon detection.
        escalate: Vec<Recipient>,
    },
    /// A lifecycle transition (forward, or a reopen back to `Validated`).
    PhaseChanged {
        from: Phase,
        to: Phase,
        note: String,
        /// Who must be notified because of this transition (every phase
        /// entered, including any skipped over).
        escalate: Vec<Recipient>,
    },
    SeverityChanged {
        from: Severity,
        to: Severity,
        note: String,
    },
    /// A role given to someone (replacing whoever held it).
    RoleAssigned {
        assignment: RoleAssignment,
    },
    StepMarked {
        procedure: Id,
        step: Id,
        status: StepStatus,
        note: String,
    },
    /// A required escalation done: this person has been told.
    ContactNotified {
        contact: Id,
        name: String,
        /// How: "email", "phone", "chat" or free text.
        channel: String,
    },
    /// An update posted to an audience; restarts that rule's clock.
    UpdatePosted {
        rule: Option<Id>,
        audience: Audience,
        channel: String,
        text: String,
    },
    /// An optional communication rule judged not needed for this incident.
    CommunicationWaived {
        rule: Id,
        reason: String,
    },
    /// Muster raised a reminder for a due item (a desktop notification, or an
    /// in-window alert when no notification service answered).
    ReminderSent {
        key: String,
        title: String,
        body: String,
        delivered: bool,
        detail: String,
    },
    PostMortemPublished {
        audience: Audience,
        rule: Option<Id>,
        text: String,
    },
    Note {
        text: String,
    },
    /// An approval requested under a decision policy. The record every
    /// approval signs is stored with the decision; its SHA-256 is here.
    DecisionRequested {
        decision: DecisionId,
        policy: Id,
        statement: String,
        expires: DateTime<Utc>,
        record_sha256: String,
    },
    /// A signature (approval or rejection) taken in after every check.
    DecisionSigned {
        decision: DecisionId,
        signer: Id,
        /// The signer's name as the plan said.
        name: String,
        verdict: Verdict,
        /// Empty for an approval.
        reason: String,
        /// The signing key's `SHA256:…` fingerprint.
        fingerprint: String,
    },
    /// An approval the scribe recorded without a signature: UNSIGNED.
    DecisionAttested {
        decision: DecisionId,
        approver: Id,
        name: String,
        /// How it was given: "phone", "video call", ...
        channel: String,
        approved_at: DateTime<Utc>,
        witness: Id,
        witness_name: String,
    },
    /// The quorum was reached (approved) or blocked by a required approver's
    /// rejection (rejected).
    DecisionResolved {
        decision: DecisionId,
        state: QuorumState,
        summary: String,
    },
    /// An alert from one of the team's monitors, taken in for this incident
    /// (the one it opened or joined), or its resolution: noted, never
    /// closing anything by itself.
    AlertReceived {
        /// "Alertmanager", "JSON", "command line".
        source: String,
        status: crate::alert::AlertStatus,
        summary: String,
        description: String,
        labels: std::collections::BTreeMap<String, String>,
        links: Vec<String>,
        fingerprint: String,
    },
    /// A step's command was run from the console (or, in a dry run, shown
    /// as it would run): exactly what ran, how it ended, what it printed.
    CommandRan {
        procedure: Id,
        step: Id,
        /// The command as the person saw it before agreeing.
        command: String,
        /// The SHA-256 of the command (what its trust is bound to).
        sha256: String,
        /// Not run: shown as it would have run (an exercise's default).
        dry_run: bool,
        /// The exit status; none when it was stopped, failed to start, or
        /// was a dry run.
        exit_code: Option<i32>,
        /// Stopped at its time limit, its children too.
        timed_out: bool,
        /// What it printed (standard output and error), at most
        /// [`MAX_COMMAND_OUTPUT`] bytes: the end is kept when it is longer.
        output: String,
        millis: u64,
    },
    /// An update also sent to its channel's target (a webhook, a bot, a
    /// room): where (never the secret), and how the target answered.
    UpdateSent {
        rule: Id,
        target: crate::ops::send::TargetKind,
        /// The host, and the chat or room.
        destination: String,
        ok: bool,
        /// The target's answer ("HTTP 200") or why it failed.
        detail: String,
    },
}

/// The most of a command's output kept on the timeline, in bytes.
pub const MAX_COMMAND_OUTPUT: usize = 16 * 1024;

/// One stored event with its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub incident: IncidentId,
    /// 1-based position in the incident's timeline.
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub author: String,
    pub body: EventBody,
    /// Hex SHA-256 of the previous event (64 zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 over this event's stored fields and `prev_hash`.
    pub hash: String,
}

/// A transition as it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhaseTime {
    pub phase: Phase,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// The latest mark of one checklist step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    pub procedure: Id,
    pub step: Id,
    pub status: StepStatus,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One person to tell because of one transition, and whether they were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    /// The phase whose entry required it.
    pub phase: Phase,
    /// When it became required.
    pub at: DateTime<Utc>,
    pub recipient: Recipient,
    pub notified: Option<Notified>,
}

/// A person's "I have it" to being called about an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Acknowledgement {
    pub contact: Id,
    pub at: DateTime<Utc>,
}

/// The channel an acknowledgement is recorded with: a `ContactNotified`
/// with it is the person themselves saying the call reached them.
pub const ACKNOWLEDGED: &str = "acknowledged in Muster";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Notified {
    pub at: DateTime<Utc>,
    pub by: String,
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRecord {
    pub rule: Option<Id>,
    pub audience: Audience,
    pub channel: String,
    pub text: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Waiver {
    pub rule: Id,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Publication {
    pub audience: Audience,
    pub rule: Option<Id>,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// An incident's state, folded from its events in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    pub id: IncidentId,
    pub title: String,
    pub issue: Option<Id>,
    pub category: Id,
    pub severity: Severity,
    pub exercise: bool,
    pub description: String,
    pub phase: Phase,
    pub declared_at: DateTime<Utc>,
    pub declared_by: String,
    /// Every transition in order, the declaration first.
    pub phases: Vec<PhaseTime>,
    /// When the incident last (re)entered an open phase: the start of the
    /// update cadences when no update has been posted since.
    pub opened_at: DateTime<Utc>,
    /// The latest resolution, unless reopened since.
    pub resolved_at: Option<DateTime<Utc>>,
    pub roles: Vec<RoleAssignment>,
    pub procedures: Vec<ProcedureSnapshot>,
    /// The latest mark of each step that has one.
    pub steps: Vec<StepRecord>,
    pub escalations: Vec<Escalation>,
    /// Who acknowledged being called, and when, in order — a person paged
    /// (see `paging`) as well as one the escalation named.
    #[serde(default)]
    pub acknowledgements: Vec<Acknowledgement>,
    pub updates: Vec<UpdateRecord>,
    pub waivers: Vec<Waiver>,
    pub publications: Vec<Publication>,
    /// Keys of the reminders already raised (see `deadline`).
    pub reminders: Vec<String>,
    pub event_count: u32,
    pub last_event_at: DateTime<Utc>,
}

impl Incident {
    /// One line naming the incident, its title and phase, as the tray menu
    /// lists it: "INC-3 Oracle failure — Mitigated"; an exercise's starts
    /// with "EXERCISE — ".
    pub fn label(&self) -> String {
        let exercise = if self.exercise { "EXERCISE — " } else { "" };
        format!(
            "{exercise}{} {} — {}",
            self.id,
            self.title,
            self.phase.label()
        )
    }
}

/// A row of the incident list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub title: String,
    pub category: Id,
    pub severity: Severity,
    pub phase: Phase,
    pub exercise: bool,
    pub declared_at: DateTime<Utc>,
    pub last_event_at: DateTime<Utc>,
}

/// What the responder asks for when declaring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Declaration {
    /// The potential issue; its category, procedures and default title follow.
    pub issue: Option<Id>,
    /// Required for an unplanned incident (no issue); ignored otherwise.
    pub category: Option<Id>,
    /// Defaults to the issue's title; required for an unplanned incident.
    pub title: Option<String>,
    pub severity: Severity,
    pub exercise: bool,
    pub description: String,
    /// Contacts (core or extended) for the roles; any may be left out.
    pub lead: Option<Id>,
    pub scribe: Option<Id>,
    pub communications: Option<Id>,
}

/// Everything a responder can do to an open (or closed) incident; each
/// becomes one event, or a refusal that changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum IncidentAction {
    /// Move forward to a later phase (skipping is allowed; the skipped
    /// phases' escalations are required too). `Closed` only from `Resolved`.
    Transition {
        to: Phase,
        note: String,
    },
    /// Back to `Validated` from `Resolved` or `Closed`.
    Reopen {
        reason: String,
    },
    SetSeverity {
        severity: Severity,
        note: String,
    },
    AssignRole {
        role: Role,
        contact: Id,
    },
    MarkStep {
        procedure: Id,
        step: Id,
        status: StepStatus,
        note: String,
    },
    MarkNotified {
        contact: Id,
        channel: String,
    },
    PostUpdate {
        rule: Option<Id>,
        audience: Audience,
        channel: String,
        text: String,
    },
    WaiveCommunication {
        rule: Id,
        reason: String,
    },
    PublishPostMortem {
        audience: Audience,
        text: String,
    },
    AddNote {
        text: String,
    },
}

/// The answer of `muster incident verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub incident: IncidentId,
    pub events: u32,
    /// The first event that does not check out, or none when intact.
    pub first_bad: Option<BadEvent>,
    /// Events timed earlier than the one before them in the chain: the
    /// recording laptop's clock was stepped back (or a teammate's runs
    /// behind). The chain's order stands; the times are shown as recorded.
    pub clock_back: Vec<ClockBack>,
    /// The state kept beside the chain's head (what actions are checked
    /// against) is not the fold of the timeline: the row was altered
    /// outside Muster.
    #[serde(default)]
    pub state_differs: bool,
}

/// An event whose recorded time is earlier than its predecessor's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClockBack {
    pub seq: u32,
    pub at: DateTime<Utc>,
    /// The previous event's time.
    pub after: DateTime<Utc>,
}

/// The events of a timeline (in chain order) timed earlier than the event
/// before them.
pub fn clock_back(events: &[(u32, DateTime<Utc>)]) -> Vec<ClockBack> {
    events
        .windows(2)
        .filter(|w| w[1].1 < w[0].1)
        .map(|w| ClockBack {
            seq: w[1].0,
            at: w[1].1,
            after: w[0].1,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadEvent {
    pub seq: u32,
    /// e.g. "its content does not match its hash (edited?)".
    pub reason: String,
}
