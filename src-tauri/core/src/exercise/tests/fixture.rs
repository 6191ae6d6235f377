//! Exercises, runs and exercise-incident timelines for the tests, built from
//! the incident fixture (INC-3, "Oracle failure": steps `confirm-feed` and
//! `pause-pool`, the second needing the `pause-contract` decision; Ada and
//! Dara to tell upon detection).

use chrono::{DateTime, NaiveDate, Utc};

pub(crate) use crate::incident::state::fixture::{utc, Timeline};

use crate::decision::model::{DecisionId, QuorumState};
use crate::exercise::model::*;
use crate::incident::{EventBody, IncidentId, Phase, StepStatus};
use crate::plan::{id, Section};

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// INC-3 declared at `at` as an exercise incident.
pub(crate) fn exercise_timeline(at: &str) -> Timeline {
    let mut t = Timeline::declared(at);
    if let Some(EventBody::Declared { exercise, .. }) = t.events.first_mut().map(|e| &mut e.body) {
        *exercise = true;
    }
    t
}

pub(crate) fn notified(contact: &str, name: &str) -> EventBody {
    EventBody::ContactNotified {
        contact: id(contact),
        name: name.to_owned(),
        channel: "phone".to_owned(),
    }
}

pub(crate) fn step_done(procedure: &str, step: &str) -> EventBody {
    EventBody::StepMarked {
        procedure: id(procedure),
        step: id(step),
        status: StepStatus::Done,
        note: String::new(),
    }
}

pub(crate) fn resolved(state: QuorumState) -> EventBody {
    EventBody::DecisionResolved {
        decision: DecisionId("DEC-1".to_owned()),
        state,
        summary: String::new(),
    }
}

pub(crate) fn phase(from: Phase, to: Phase) -> EventBody {
    EventBody::PhaseChanged {
        from,
        to,
        note: String::new(),
        escalate: Vec::new(),
    }
}

fn expected(key: &str, text: &str, step: Option<&str>) -> ExpectedAction {
    ExpectedAction {
        key: key.to_owned(),
        text: text.to_owned(),
        procedure: step.map(|_| id("handle-oracle-failure")),
        step: step.map(id),
    }
}

pub(crate) fn target(key: &str, measure: Measure, within_minutes: u32) -> Target {
    Target {
        key: key.to_owned(),
        label: format!("{} in time", measure.label()),
        measure,
        within_minutes,
        objective: Some("obj-1".to_owned()),
    }
}

/// `sc-1`, "Oracle drill" on `oracle-failure`: expected `exp-1` (the
/// `confirm-feed` step), `exp-2` (tell the core team, no step), `exp-3` (the
/// `pause-pool` step); targets on escalation (15 min) and action (30 min).
pub(crate) fn scenario() -> Scenario {
    Scenario {
        key: "sc-1".to_owned(),
        title: "Oracle drill".to_owned(),
        issue: Some(id("oracle-failure")),
        category: None,
        situation: "The ETH price has not moved for an hour".to_owned(),
        injects: vec![Inject {
            key: "inj-1".to_owned(),
            title: "Liquidations start".to_owned(),
            text: "Keepers liquidate at the stale price".to_owned(),
        }],
        expected: vec![
            expected("exp-1", "Confirm the feed is stale", Some("confirm-feed")),
            expected("exp-2", "Tell the core team", None),
            expected("exp-3", "Pause the lending pool", Some("pause-pool")),
        ],
        targets: vec![
            target("tgt-1", Measure::Escalation, 15),
            target("tgt-2", Measure::Action, 30),
        ],
    }
}

/// A log entry: at, kind, text, the expected action it names.
pub(crate) type Entry<'a> = (&'a str, LogKind, &'a str, Option<&'a str>);

/// `sc-1` run as INC-3 from `started`, with `log`.
pub(crate) fn run(started: &str, ended: Option<&str>, log: &[Entry<'_>]) -> ScenarioRun {
    ScenarioRun {
        scenario: "sc-1".to_owned(),
        incident: IncidentId("INC-3".to_owned()),
        started_at: utc(started),
        ended_at: ended.map(utc),
        revealed_at: Some(utc(started)),
        injects: Vec::new(),
        log: log
            .iter()
            .enumerate()
            .map(|(n, (at, kind, text, expected))| LogEntry {
                seq: n as u32 + 3,
                at: utc(at),
                author: "Ada Example".to_owned(),
                kind: *kind,
                text: (*text).to_owned(),
                expected: expected.map(str::to_owned),
            })
            .collect(),
    }
}

/// An exercise of the starter plan's people, with [`scenario`], on `date`.
pub(crate) fn exercise(n: u32, date: NaiveDate, status: ExerciseStatus) -> Exercise {
    Exercise {
        id: ExerciseId(format!("EX-{n}")),
        setup: ExerciseSetup {
            title: format!("Exercise {n}"),
            date,
            moderator: id("ada-example"),
            participants: vec![id("ben-sample"), id("dara-mock")],
            scope: "The oracle runbook; not the web app".to_owned(),
            objectives: vec![
                Objective {
                    key: "obj-1".to_owned(),
                    text: "Escalate a stale-price alert".to_owned(),
                },
                Objective {
                    key: "obj-2".to_owned(),
                    text: "Pause the pool with a quorum".to_owned(),
                },
            ],
            scenarios: vec![scenario()],
        },
        status,
        created_at: utc("2026-01-01T09:00:00Z"),
        started_at: None,
        ended_at: None,
        current: None,
        runs: Vec::new(),
        ratings: Vec::new(),
        findings: Vec::new(),
        attachments: Vec::new(),
        driven_from: None,
        notes: String::new(),
    }
}

/// `IMP-n` of EX-1, owned by Ben, due on `due`, done at `done` if any.
pub(crate) fn finding(n: u32, due: NaiveDate, done: Option<DateTime<Utc>>) -> Finding {
    Finding {
        id: FindingId(format!("IMP-{n}")),
        exercise: ExerciseId("EX-1".to_owned()),
        scenario: Some("sc-1".to_owned()),
        issue: format!("Problem {n}"),
        element: Some(ElementRef {
            section: Section::CoreTeam,
            key: "ben-sample".to_owned(),
        }),
        corrective_action: format!("Fix {n}"),
        owner: id("ben-sample"),
        due,
        created_at: utc("2026-01-01T12:00:00Z"),
        done_at: done,
    }
}
