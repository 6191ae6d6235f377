//! Exercises as data: the set-up the moderator writes, the run's append-only
//! log, the evaluation, the findings that become improvement items, and the
//! views computed from them (read-back, measured times, readiness, the
//! participant view). These types are the IPC contract with the UI (ts-rs).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::incident::{IncidentId, Phase};
use crate::plan::{Id, Section};

/// An exercise's id, e.g. `EX-3`, numbered in creation order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct ExerciseId(pub String);

impl ExerciseId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ExerciseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An improvement item's id, e.g. `IMP-7`, numbered across all exercises.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct FindingId(pub String);

impl FindingId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// ---- set-up -----------------------------------------------------------------

/// What the moderator plans before the day; editable while the exercise is
/// planned, fixed once it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseSetup {
    pub title: String,
    /// The day it is held.
    pub date: NaiveDate,
    /// The moderator, who also records: a contact on either team.
    pub moderator: Id,
    /// Contacts on either team; the moderator need not be listed.
    pub participants: Vec<Id>,
    /// What is exercised and what is not, in a sentence or two.
    pub scope: String,
    pub objectives: Vec<Objective>,
    /// Run in this order; at least one.
    pub scenarios: Vec<Scenario>,
}

/// One objective the exercise is rated on, e.g. "Escalate a stolen-funds alert".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Objective {
    /// Unique within the exercise (`obj-1`, …): what ratings and targets point at.
    pub key: String,
    pub text: String,
}

/// One scenario with its moderator-only script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    /// Unique within the exercise (`sc-1`, …).
    pub key: String,
    pub title: String,
    /// The potential issue it rehearses: the exercise incident is declared
    /// from it (procedures, escalation, cadence). None for a scenario written
    /// fresh, which then needs `category`.
    pub issue: Option<Id>,
    /// The category of a scenario written fresh; ignored when `issue` is set.
    pub category: Option<Id>,
    /// The situation the moderator describes when the scenario opens.
    pub situation: String,
    /// Discoveries the moderator can declare at any moment, in any order.
    pub injects: Vec<Inject>,
    /// What responders should do, in the order they should do it.
    pub expected: Vec<ExpectedAction>,
    /// Capability targets with times.
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Inject {
    /// Unique within the scenario (`inj-1`, …).
    pub key: String,
    /// Short, for the deck's button: "Attacker moves funds to a mixer".
    pub title: String,
    /// What the moderator reads out and the participant view shows.
    pub text: String,
}

/// An expected action, usually one of the linked procedures' steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedAction {
    /// Unique within the scenario (`exp-1`, …).
    pub key: String,
    pub text: String,
    /// The procedure step it comes from: marking that step done in the
    /// exercise incident's checklist counts as taking this action.
    pub procedure: Option<Id>,
    pub step: Option<Id>,
}

/// What a capability target measures, from detection (the scenario's start,
/// when its exercise incident is declared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Measure {
    /// Until everyone the plan said to tell upon detection was marked notified.
    Escalation,
    /// Until the first decision of the incident reached its quorum (approved).
    DecisionQuorum,
    /// Until the first checklist step needing a decision was marked done after
    /// that decision was approved: the action itself.
    Action,
    /// Until the incident entered `mitigated` (or a later phase).
    Mitigated,
    /// Until the incident entered `resolved`.
    Resolved,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::Escalation,
        Measure::DecisionQuorum,
        Measure::Action,
        Measure::Mitigated,
        Measure::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Escalation => "escalation",
            Measure::DecisionQuorum => "decisionQuorum",
            Measure::Action => "action",
            Measure::Mitigated => "mitigated",
            Measure::Resolved => "resolved",
        }
    }

    /// "Detection → escalation", for tables and the chart's legend.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Escalation => "Detection → escalation",
            Measure::DecisionQuorum => "Detection → decision quorum",
            Measure::Action => "Detection → action",
            Measure::Mitigated => "Detection → mitigated",
            Measure::Resolved => "Detection → resolved",
        }
    }

    pub fn parse(text: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// "Core team notified within 15 minutes".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// Unique within the scenario (`tgt-1`, …).
    pub key: String,
    /// As the moderator words it: "Core team notified".
    pub label: String,
    pub measure: Measure,
    pub within_minutes: u32,
    /// The objective it evidences, if any.
    pub objective: Option<String>,
}

// ---- the run ----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExerciseStatus {
    /// Set up, not started: the set-up can still change, or the exercise be deleted.
    Planned,
    /// Started: scenarios are run one at a time.
    Running,
    /// Over: read-back, evaluation, findings and the report.
    Ended,
}

/// What the moderator records about something responders did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LogKind {
    /// What a responder says they would do.
    Said,
    /// What a responder actually executed.
    Did,
    /// The moderator's own observation; never a step taken.
    Note,
}

/// One entry of the exercise's append-only log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ExerciseEventBody {
    /// The exercise began (planned → running).
    Started,
    /// A scenario opened: its exercise-mode incident was declared.
    ScenarioStarted {
        scenario: String,
        incident: IncidentId,
    },
    /// The moderator showed the situation to the participants.
    SituationRevealed {
        scenario: String,
    },
    InjectDeclared {
        scenario: String,
        inject: String,
    },
    /// A step said or done (or a note), optionally matched to an expected action.
    Logged {
        scenario: String,
        kind: LogKind,
        text: String,
        expected: Option<String>,
    },
    /// The scenario closed; its read-back is final.
    ScenarioEnded {
        scenario: String,
    },
    /// The exercise is over (running → ended).
    Ended,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseEvent {
    /// 1-based position in the exercise's log.
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub author: String,
    pub body: ExerciseEventBody,
}

/// A scenario as it ran, folded from the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRun {
    pub scenario: String,
    pub incident: IncidentId,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub revealed_at: Option<DateTime<Utc>>,
    /// In the order declared.
    pub injects: Vec<DeclaredInject>,
    /// Said, did and notes, in the order logged.
    pub log: Vec<LogEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeclaredInject {
    pub inject: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub author: String,
    pub kind: LogKind,
    pub text: String,
    pub expected: Option<String>,
}

// ---- evaluation, findings, attachments -------------------------------------

/// HSEEP's four ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::P, Rating::S, Rating::M, Rating::U];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::P => "P",
            Rating::S => "S",
            Rating::M => "M",
            Rating::U => "U",
        }
    }

    /// "Performed without challenges", …
    pub fn label(self) -> &'static str {
        match self {
            Rating::P => "Performed without challenges",
            Rating::S => "Performed with some challenges",
            Rating::M => "Performed with major challenges",
            Rating::U => "Unable to be performed",
        }
    }

    pub fn parse(text: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ObjectiveRating {
    pub objective: String,
    pub rating: Rating,
    pub observations: String,
    pub strengths: String,
    pub areas_for_improvement: String,
    pub rated_at: DateTime<Utc>,
    pub rated_by: String,
}

/// A plan element a finding concerns: the same section and key as a plan
/// check gap (`procedure-id/step-id` for a step, a contact's id, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElementRef {
    pub section: Section,
    pub key: String,
}

/// A finding and the improvement item it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub id: FindingId,
    pub exercise: ExerciseId,
    /// The scenario it was found in, if any.
    pub scenario: Option<String>,
    /// What went wrong: "Ben's phone number is out of date".
    pub issue: String,
    pub element: Option<ElementRef>,
    /// What to do about it: "Update Ben's phone number".
    pub corrective_action: String,
    /// A contact on either team.
    pub owner: Id,
    pub due: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// When it was marked done; open until then.
    pub done_at: Option<DateTime<Utc>>,
}

/// What the moderator writes for a finding (new or edited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingDraft {
    pub scenario: Option<String>,
    pub issue: String,
    pub element: Option<ElementRef>,
    pub corrective_action: String,
    pub owner: Id,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AttachmentKind {
    /// A web address (a video on the team's drive, …).
    Link,
    /// A file copied into the data folder (`exercises/EX-n/`).
    File,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// 1-based, per exercise.
    pub number: u32,
    pub kind: AttachmentKind,
    pub label: String,
    /// The address, or for a file its name inside `exercises/EX-n/`.
    pub target: String,
    pub added_at: DateTime<Utc>,
}

// ---- the exercise -----------------------------------------------------------

/// An exercise as stored and folded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Exercise {
    pub id: ExerciseId,
    pub setup: ExerciseSetup,
    pub status: ExerciseStatus,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The scenario running now, if any.
    pub current: Option<String>,
    /// Scenarios started so far, in the order run.
    pub runs: Vec<ScenarioRun>,
    pub ratings: Vec<ObjectiveRating>,
    pub findings: Vec<Finding>,
    pub attachments: Vec<Attachment>,
    /// The moderator's notes, published with the report.
    pub notes: String,
    /// In a team, when this laptop is not the moderator's: the moderator,
    /// from whose laptop the exercise runs (this one follows it).
    pub driven_from: Option<Id>,
}

/// A row of the exercise list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseSummary {
    pub id: ExerciseId,
    pub title: String,
    pub date: NaiveDate,
    pub status: ExerciseStatus,
    pub scenarios: u32,
    pub moderator: Id,
    pub open_findings: u32,
}

/// Everything the moderator can do to an exercise; each is checked and
/// either applied whole or refused with a message, changing nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ExerciseAction {
    /// Planned → running.
    Start,
    /// Declares the scenario's exercise incident and opens it; refused while
    /// another scenario runs or when this one already ran.
    StartScenario {
        scenario: String,
    },
    RevealSituation {
        scenario: String,
    },
    DeclareInject {
        scenario: String,
        inject: String,
    },
    Log {
        scenario: String,
        kind: LogKind,
        text: String,
        expected: Option<String>,
    },
    EndScenario {
        scenario: String,
    },
    /// Running → ended (ends a running scenario first).
    End,
    Rate {
        objective: String,
        rating: Rating,
        observations: String,
        strengths: String,
        areas_for_improvement: String,
    },
    AddFinding {
        draft: FindingDraft,
    },
    EditFinding {
        id: FindingId,
        draft: FindingDraft,
    },
    /// Marks an improvement item done (or open again with `done: false`).
    CompleteFinding {
        id: FindingId,
        done: bool,
    },
    RemoveFinding {
        id: FindingId,
    },
    /// A link, or a file path to copy into the data folder.
    Attach {
        kind: AttachmentKind,
        label: String,
        target: String,
    },
    RemoveAttachment {
        number: u32,
    },
    SaveNotes {
        text: String,
    },
}

// ---- views ------------------------------------------------------------------

/// How an expected action fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExpectedStatus {
    /// Taken, in order.
    Done,
    /// Taken, but before an action expected earlier.
    OutOfOrder,
    /// Not taken.
    Missed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedRow {
    pub key: String,
    pub text: String,
    pub status: ExpectedStatus,
    /// When it was first taken; seconds from the scenario's start.
    pub taken_at: Option<DateTime<Utc>>,
    pub offset_seconds: Option<i64>,
}

/// Where a step taken was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TakenSource {
    /// The moderator's log ("said" or "did").
    Log,
    /// The exercise incident's checklist (a step marked done).
    Checklist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TakenStatus {
    InOrder,
    OutOfOrder,
    /// Matches no expected action.
    Extra,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakenRow {
    pub at: DateTime<Utc>,
    pub offset_seconds: i64,
    pub text: String,
    /// `said`/`did` for the log; `did` for the checklist.
    pub kind: LogKind,
    pub source: TakenSource,
    /// The expected action it counts as, if any.
    pub expected: Option<String>,
    pub status: TakenStatus,
}

/// A capability target beside what was measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeasuredTarget {
    pub target: String,
    pub label: String,
    pub measure: Measure,
    pub within_minutes: u32,
    /// Seconds from detection; none when it never happened.
    pub measured_seconds: Option<i64>,
    /// Whether it happened within the target; none while the scenario still
    /// runs and it has not happened yet (it may still).
    pub met: Option<bool>,
}

/// One scenario's read-back: the steps taken beside the steps expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReadBack {
    pub scenario: String,
    pub title: String,
    pub incident: IncidentId,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// In the expected order.
    pub expected: Vec<ExpectedRow>,
    /// In the order taken.
    pub taken: Vec<TakenRow>,
    pub missed: u32,
    pub out_of_order: u32,
    pub extra: u32,
    /// Every measure (targets or not), for the chart.
    pub measured: Vec<MeasuredTime>,
    pub targets: Vec<MeasuredTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeasuredTime {
    pub measure: Measure,
    /// Seconds from detection; none when it did not happen.
    pub seconds: Option<i64>,
}

/// The moderator's console: the exercise, the read-back of every scenario
/// run so far, and the phase of each exercise incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseView {
    pub exercise: Exercise,
    pub read_backs: Vec<ReadBack>,
    pub phases: Vec<IncidentPhase>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentPhase {
    pub incident: IncidentId,
    pub phase: Phase,
}

/// What the projector shows: only what the moderator has revealed. Never
/// the script, the expected actions, the targets or undeclared injects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantView {
    pub exercise: ExerciseId,
    pub title: String,
    pub status: ExerciseStatus,
    /// The running scenario, or the last one run.
    pub scenario: Option<ParticipantScenario>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantScenario {
    /// "Scenario 2 of 3".
    pub number: u32,
    pub of: u32,
    pub title: String,
    pub incident: IncidentId,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Empty until revealed.
    pub situation: String,
    /// Declared injects, oldest first.
    pub injects: Vec<RevealedInject>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevealedInject {
    pub title: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

// ---- readiness --------------------------------------------------------------

/// The readiness dashboard and `muster readiness`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub as_of: DateTime<Utc>,
    /// Ended exercises held in the 12 months up to today.
    pub exercises_last_12_months: u32,
    /// What the policy asks for in 12 months: at least two.
    pub required_per_year: u32,
    pub last_exercise: Option<NaiveDate>,
    /// When the next exercise is due by the policy (see `programme::next_due`).
    pub next_due: NaiveDate,
    /// Days until `next_due`; negative when overdue.
    pub days_until_due: i64,
    /// The next planned exercise, if one is set up.
    pub next_planned: Option<ExerciseSummary>,
    /// Potential issues no ended exercise ever rehearsed.
    pub never_exercised: Vec<IssueExercised>,
    /// Potential issues last rehearsed more than 12 months ago.
    pub stale: Vec<IssueExercised>,
    /// Open improvement items, soonest due first.
    pub open_items: Vec<Finding>,
    pub overdue_items: u32,
    /// Measured times across ended exercises, oldest first.
    pub trend: Vec<TrendPoint>,
    /// Real incidents only (exercises never count): for comparison.
    pub real_incidents: IncidentFigures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IssueExercised {
    pub issue: Id,
    pub title: String,
    pub last: Option<NaiveDate>,
}

/// One measure of one exercise: the median over its scenarios that reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    pub exercise: ExerciseId,
    pub date: NaiveDate,
    pub measure: Measure,
    pub seconds: i64,
}

/// Figures over real incidents; exercise incidents are never counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentFigures {
    /// Declared in the 12 months up to now.
    pub last_12_months: u32,
    /// Not closed.
    pub open: u32,
    /// Median seconds from declaration to everyone told upon detection, over
    /// the last 12 months' incidents that got there.
    pub median_escalation_seconds: Option<i64>,
}

/// Something the programme reminds about: an exercise due soon or overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammeReminder {
    /// Raised once, ever: `exercise-due:{date}:soon` or `exercise-due:{date}:overdue`.
    pub key: String,
    pub at: DateTime<Utc>,
    /// "Live exercise due in 7 days (2026-12-01)".
    pub title: String,
    pub body: String,
}
