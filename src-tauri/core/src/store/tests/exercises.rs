//! Store tests of live exercises: a whole run through the store, refusals
//! that change nothing, the participant view that never shows the script,
//! improvement items in the plan check, programme reminders recorded once,
//! and the wall between exercises and real incidents (figures, signatures).

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Berlin;

use super::*;
use crate::clock::FixedClock;
use crate::exercise::model::{
    AttachmentKind, ElementRef, Exercise, ExerciseAction, ExerciseEventBody, ExerciseId,
    ExerciseSetup, ExerciseStatus, FindingDraft, FindingId, Inject, LogKind, Objective, Rating,
};
use crate::exercise::readiness::incident_figures;
use crate::incident::model::{Declaration, IncidentAction, IncidentId, Phase, StepStatus};
use crate::plan::check::{GapKind, GapLevel};
use crate::plan::{id, Section, Severity};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn at(text: &str) -> FixedClock {
    FixedClock(utc(text))
}

fn ok<T>(result: Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A store seeded on 2026-03-01 with the starter plan; Ada moderates.
fn open(dir: &Path) -> Store {
    let mut store = ok(Store::open_in(dir, &at("2026-03-01T09:30:00Z")));
    ok(store.set_profile_name("Ada Example"));
    store
}

fn ex1() -> ExerciseId {
    ExerciseId("EX-1".to_owned())
}

const SITUATION: &str = "SECRET-SITUATION: the ETH price on the pool reads 1 USD";
const INJECT_TEXT: &str = "SECRET-INJECT: a liquidation bot drains three accounts";
const HIDDEN_INJECT: &str = "SECRET-UNDECLARED: a reporter calls the CEO";

/// Two scenarios drafted from the plan: the oracle failure (with two
/// injects and a fixed situation) and stolen user funds.
fn setup(store: &mut Store) -> ExerciseSetup {
    let mut oracle = ok(store.draft_scenario(&id("oracle-failure"), "sc-1"));
    oracle.situation = SITUATION.to_owned();
    oracle.injects = vec![
        Inject {
            key: "inj-1".to_owned(),
            title: "Bot liquidations".to_owned(),
            text: INJECT_TEXT.to_owned(),
        },
        Inject {
            key: "inj-2".to_owned(),
            title: "Press call".to_owned(),
            text: HIDDEN_INJECT.to_owned(),
        },
    ];
    oracle.targets[0].objective = Some("obj-1".to_owned());
    let funds = ok(store.draft_scenario(&id("stolen-user-funds"), "sc-2"));
    ExerciseSetup {
        title: "Spring drill".to_owned(),
        date: day("2026-05-04"),
        moderator: id("ada-example"),
        participants: vec![id("ben-sample"), id("dara-mock")],
        scope: "From detection to the first decision; no real transactions".to_owned(),
        objectives: vec![
            Objective {
                key: "obj-1".to_owned(),
                text: "Escalate within 15 minutes".to_owned(),
            },
            Objective {
                key: "obj-2".to_owned(),
                text: "Pause with a quorum".to_owned(),
            },
        ],
        scenarios: vec![oracle, funds],
    }
}

fn act(store: &mut Store, when: &str, action: ExerciseAction) -> Exercise {
    ok(store.act_on_exercise(&ex1(), &action, &at(when)))
}

fn start_scenario(key: &str) -> ExerciseAction {
    ExerciseAction::StartScenario {
        scenario: key.to_owned(),
    }
}

fn log(scenario: &str, kind: LogKind, text: &str, expected: Option<&str>) -> ExerciseAction {
    ExerciseAction::Log {
        scenario: scenario.to_owned(),
        kind,
        text: text.to_owned(),
        expected: expected.map(str::to_owned),
    }
}

fn inject(scenario: &str, key: &str) -> ExerciseAction {
    ExerciseAction::DeclareInject {
        scenario: scenario.to_owned(),
        inject: key.to_owned(),
    }
}

fn finding(owner: &str, element: Option<(Section, &str)>, due: &str) -> FindingDraft {
    FindingDraft {
        scenario: Some("sc-1".to_owned()),
        issue: "Ben's phone number is out of date".to_owned(),
        element: element.map(|(section, key)| ElementRef {
            section,
            key: key.to_owned(),
        }),
        corrective_action: "Update Ben's phone number".to_owned(),
        owner: id(owner),
        due: day(due),
    }
}

/// A planned EX-1, created on 2026-04-20.
fn planned(store: &mut Store) -> Exercise {
    let s = setup(store);
    ok(store.create_exercise(&s, &at("2026-04-20T10:00:00Z")))
}

/// EX-1 running since 10:00 on 2026-05-04, scenario 1 started at 10:01.
fn running(store: &mut Store) -> Exercise {
    planned(store);
    act(store, "2026-05-04T10:00:00Z", ExerciseAction::Start);
    act(store, "2026-05-04T10:01:00Z", start_scenario("sc-1"))
}

/// Every row count an exercise write can touch, and every exercise as folded.
fn state(store: &mut Store) -> (Vec<u32>, String) {
    let counts = [
        "exercise",
        "exercise_event",
        "exercise_rating",
        "finding",
        "exercise_attachment",
        "incident",
        "incident_event",
        "setting",
    ]
    .iter()
    .map(|t| {
        store
            .connection()
            .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{t}: {e}"))
    })
    .collect();
    let rows: Vec<String> = store
        .connection()
        .prepare("SELECT id || setup || status || notes || updated_at FROM exercise")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let folded: Vec<Exercise> = ok(store.exercises())
        .iter()
        .map(|e| ok(store.exercise(&e.id)))
        .collect();
    (counts, format!("{rows:?}{folded:?}"))
}

/// Runs `act`, which must be refused with a message containing `expected`,
/// and checks that nothing changed.
fn refused<T: std::fmt::Debug>(
    store: &mut Store,
    expected: &str,
    act: impl FnOnce(&mut Store) -> Result<T>,
) {
    let before = state(store);
    let result = act(store);
    match &result {
        Err(Error::Refused(message)) => assert!(
            message.contains(expected),
            "expected a refusal containing {expected:?}, got: {message}"
        ),
        other => panic!("expected a refusal containing {expected:?}, got {other:?}"),
    }
    assert_eq!(state(store), before, "a refusal changed something");
}

fn refused_action(store: &mut Store, expected: &str, action: ExerciseAction) {
    refused(store, expected, |s| {
        s.act_on_exercise(&ex1(), &action, &at("2026-05-04T10:30:00Z"))
    });
}

fn kinds(exercise_events: &[ExerciseEventBody]) -> Vec<&'static str> {
    exercise_events
        .iter()
        .map(|b| match b {
            ExerciseEventBody::Started => "started",
            ExerciseEventBody::ScenarioStarted { .. } => "scenarioStarted",
            ExerciseEventBody::SituationRevealed { .. } => "situationRevealed",
            ExerciseEventBody::InjectDeclared { .. } => "injectDeclared",
            ExerciseEventBody::Logged { .. } => "logged",
            ExerciseEventBody::ScenarioEnded { .. } => "scenarioEnded",
            ExerciseEventBody::Ended => "ended",
        })
        .collect()
}

fn logged_bodies(store: &Store) -> Vec<ExerciseEventBody> {
    store
        .connection()
        .prepare("SELECT body FROM exercise_event WHERE exercise = 'EX-1' ORDER BY seq")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|b| serde_json::from_str(b).unwrap_or_else(|e| panic!("{b}: {e}")))
        .collect()
}

#[test]
fn a_whole_exercise_runs_through_the_store() {
    let dir = tempdir();
    let mut store = open(dir.path());

    // Planned: listed, editable.
    let created = planned(&mut store);
    assert_eq!(created.id, ex1());
    assert_eq!(created.status, ExerciseStatus::Planned);
    assert_eq!(created.created_at, utc("2026-04-20T10:00:00Z"));
    let mut edited = created.setup.clone();
    edited.scope = "Detection to decision".to_owned();
    let updated = ok(store.update_exercise_setup(&ex1(), &edited, &at("2026-04-21T10:00:00Z")));
    assert_eq!(updated.setup.scope, "Detection to decision");
    let listed = ok(store.exercises());
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].title.as_str(),
            listed[0].scenarios,
            listed[0].status
        ),
        ("Spring drill", 2, ExerciseStatus::Planned)
    );

    // Start, first scenario: its exercise incident is declared at its start.
    let started = act(&mut store, "2026-05-04T10:00:00Z", ExerciseAction::Start);
    assert_eq!(started.status, ExerciseStatus::Running);
    assert_eq!(started.started_at, Some(utc("2026-05-04T10:00:00Z")));
    let ex = act(&mut store, "2026-05-04T10:01:00Z", start_scenario("sc-1"));
    assert_eq!(ex.current.as_deref(), Some("sc-1"));
    let run = &ex.runs[0];
    let incident = ok(store.incident(&run.incident));
    assert!(incident.exercise);
    assert_eq!(incident.issue, Some(id("oracle-failure")));
    // The issue's own severity (a fresh scenario would be S2).
    assert_eq!(incident.severity, Severity::S1);
    assert_eq!(incident.declared_at, run.started_at);
    assert!(incident
        .description
        .starts_with("Exercise EX-1, scenario 1 of 2"));
    assert!(incident.roles.is_empty());

    act(
        &mut store,
        "2026-05-04T10:02:00Z",
        ExerciseAction::RevealSituation {
            scenario: "sc-1".to_owned(),
        },
    );
    act(&mut store, "2026-05-04T10:05:00Z", inject("sc-1", "inj-1"));
    act(
        &mut store,
        "2026-05-04T10:06:00Z",
        log("sc-1", LogKind::Said, "Compare the feed", Some("exp-1")),
    );
    act(
        &mut store,
        "2026-05-04T10:07:00Z",
        log("sc-1", LogKind::Note, "Dara hesitated", Some("exp-2")),
    );
    // The responders tick a step in the exercise incident's checklist.
    ok(store.act_on_incident(
        &run.incident,
        &IncidentAction::MarkStep {
            procedure: id("handle-oracle-failure"),
            step: id("pause-affected-markets"),
            status: StepStatus::Done,
            note: String::new(),
        },
        &at("2026-05-04T10:09:00Z"),
    ));
    let ex = act(
        &mut store,
        "2026-05-04T10:20:00Z",
        ExerciseAction::EndScenario {
            scenario: "sc-1".to_owned(),
        },
    );
    assert_eq!(ex.current, None);
    let run = &ex.runs[0];
    assert_eq!(run.ended_at, Some(utc("2026-05-04T10:20:00Z")));
    assert_eq!(run.revealed_at, Some(utc("2026-05-04T10:02:00Z")));
    assert_eq!(run.injects.len(), 1);
    assert_eq!(run.log.len(), 2);
    assert_eq!(run.log[1].expected, None, "a note never matches");
    assert_eq!(run.log[0].author, "Ada Example");
    // Ending the scenario leaves its incident as it is.
    assert_eq!(ok(store.incident(&run.incident)).phase, Phase::Detected);

    // Second scenario, ended by ending the exercise.
    act(&mut store, "2026-05-04T10:30:00Z", start_scenario("sc-2"));
    act(
        &mut store,
        "2026-05-04T10:31:00Z",
        log("sc-2", LogKind::Did, "Paused the pool", Some("exp-2")),
    );
    let ex = act(&mut store, "2026-05-04T11:00:00Z", ExerciseAction::End);
    assert_eq!(ex.status, ExerciseStatus::Ended);
    assert_eq!(ex.ended_at, Some(utc("2026-05-04T11:00:00Z")));
    assert_eq!(ex.runs.len(), 2);
    assert_eq!(ex.runs[1].ended_at, Some(utc("2026-05-04T11:00:00Z")));
    assert_eq!(ex.runs[1].incident, IncidentId("INC-2".to_owned()));
    assert_eq!(
        kinds(&logged_bodies(&store)),
        [
            "started",
            "scenarioStarted",
            "situationRevealed",
            "injectDeclared",
            "logged",
            "logged",
            "scenarioEnded",
            "scenarioStarted",
            "logged",
            "scenarioEnded",
            "ended"
        ]
    );

    // Evaluation: a rating replaced, a finding, done; attachments and notes.
    let rate = |rating: Rating| ExerciseAction::Rate {
        objective: "obj-1".to_owned(),
        rating,
        observations: "Told in 12 minutes".to_owned(),
        strengths: "Calm".to_owned(),
        areas_for_improvement: "Phone numbers".to_owned(),
    };
    act(&mut store, "2026-05-04T11:10:00Z", rate(Rating::P));
    let ex = act(&mut store, "2026-05-04T11:12:00Z", rate(Rating::S));
    assert_eq!(ex.ratings.len(), 1);
    assert_eq!(
        (ex.ratings[0].rating, ex.ratings[0].rated_at),
        (Rating::S, utc("2026-05-04T11:12:00Z"))
    );
    let ex = act(
        &mut store,
        "2026-05-04T11:15:00Z",
        ExerciseAction::AddFinding {
            draft: finding(
                "ben-sample",
                Some((Section::CoreTeam, "ben-sample")),
                "2026-06-01",
            ),
        },
    );
    assert_eq!(ex.findings.len(), 1);
    assert_eq!(ex.findings[0].id, FindingId("IMP-1".to_owned()));
    assert_eq!(ok(store.exercises())[0].open_findings, 1);
    // A step as the element.
    act(
        &mut store,
        "2026-05-04T11:16:00Z",
        ExerciseAction::AddFinding {
            draft: finding(
                "dara-mock",
                Some((
                    Section::Procedures,
                    "handle-oracle-failure/confirm-bad-price",
                )),
                "2026-05-20",
            ),
        },
    );
    let all = ok(store.findings());
    assert_eq!(
        all.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        ["IMP-2", "IMP-1"],
        "soonest due first"
    );
    let ex = act(
        &mut store,
        "2026-05-10T09:00:00Z",
        ExerciseAction::CompleteFinding {
            id: FindingId("IMP-2".to_owned()),
            done: true,
        },
    );
    assert_eq!(ex.findings[1].done_at, Some(utc("2026-05-10T09:00:00Z")));
    assert_eq!(
        ok(store.findings())
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>(),
        ["IMP-1", "IMP-2"],
        "open first"
    );

    let source = dir.path().join("recording.txt");
    std::fs::write(&source, "the call").unwrap_or_else(|e| panic!("{e}"));
    let attach = |kind, target: &str| ExerciseAction::Attach {
        kind,
        label: String::new(),
        target: target.to_owned(),
    };
    act(
        &mut store,
        "2026-05-04T12:00:00Z",
        attach(AttachmentKind::Link, "https://drive.example.com/video"),
    );
    act(
        &mut store,
        "2026-05-04T12:01:00Z",
        attach(AttachmentKind::File, &source.display().to_string()),
    );
    let ex = act(
        &mut store,
        "2026-05-04T12:02:00Z",
        attach(AttachmentKind::File, &source.display().to_string()),
    );
    let targets: Vec<&str> = ex.attachments.iter().map(|a| a.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "https://drive.example.com/video",
            "recording.txt",
            "recording (2).txt"
        ]
    );
    let folder = dir.path().join("exercises").join("EX-1");
    assert_eq!(store.exercise_folder(&ex1()), folder);
    assert_eq!(
        std::fs::read_to_string(folder.join("recording (2).txt")).ok(),
        Some("the call".to_owned())
    );
    let ex = act(
        &mut store,
        "2026-05-04T12:03:00Z",
        ExerciseAction::RemoveAttachment { number: 3 },
    );
    assert_eq!(ex.attachments.len(), 2);
    assert!(!folder.join("recording (2).txt").exists());
    let ex = act(
        &mut store,
        "2026-05-04T12:04:00Z",
        ExerciseAction::SaveNotes {
            text: "Good drill.".to_owned(),
        },
    );
    assert_eq!(ex.notes, "Good drill.");

    // The views.
    let now = utc("2026-05-04T12:30:00Z");
    let view = ok(store.exercise_view(&ex1(), now));
    assert_eq!(view.read_backs.len(), 2);
    assert_eq!(view.phases.len(), 2);
    let rb = &view.read_backs[0];
    assert_eq!(rb.scenario, "sc-1");
    assert_eq!(rb.expected[0].taken_at, Some(utc("2026-05-04T10:06:00Z")));
    assert!(rb
        .taken
        .iter()
        .any(|t| t.source == crate::exercise::model::TakenSource::Checklist));
    let md = ok(store.exercise_report(&ex1(), false, now));
    assert!(md.contains("After-action report: Spring drill"), "{md}");
    assert!(md.contains("Read-back: Oracle failure"), "{md}");
    let html = ok(store.exercise_report(&ex1(), true, now));
    assert!(html.starts_with("<!doctype html>"), "{html}");

    // The log cannot be changed behind Muster's back either.
    let c = store.connection();
    assert!(c
        .execute("UPDATE exercise_event SET author = 'Mallory'", [])
        .is_err());
    assert!(c.execute("DELETE FROM exercise_event", []).is_err());
}

#[test]
fn a_refusal_changes_nothing() {
    let dir = tempdir();
    let mut store = open(dir.path());
    planned(&mut store);

    // Before the start: nothing can be run.
    refused_action(&mut store, "has not started", start_scenario("sc-1"));
    refused_action(
        &mut store,
        "has not started",
        ExerciseAction::AddFinding {
            draft: finding("ben-sample", None, "2026-06-01"),
        },
    );
    // A set-up with a bad link is refused while planned.
    let mut bad = setup(&mut store);
    bad.scenarios[1].expected[2].step = Some(id("no-such-step"));
    refused(
        &mut store,
        "scenario 2 (“Stolen user funds”): expected action 3 links to step `contain-exploit/no-such-step`, which the plan does not have",
        |s| s.update_exercise_setup(&ex1(), &bad, &at("2026-04-21T10:00:00Z")),
    );
    let mut bad = setup(&mut store);
    bad.moderator = id("nobody");
    refused(&mut store, "moderator `nobody`", |s| {
        s.create_exercise(&bad, &at("2026-04-21T10:00:00Z"))
    });

    act(&mut store, "2026-05-04T10:00:00Z", ExerciseAction::Start);
    act(&mut store, "2026-05-04T10:01:00Z", start_scenario("sc-1"));

    // Set-up fixed once started; no deleting.
    let good = setup(&mut store);
    refused(&mut store, "its set-up is fixed", |s| {
        s.update_exercise_setup(&ex1(), &good, &at("2026-05-04T10:02:00Z"))
    });
    refused(&mut store, "can no longer be deleted", |s| {
        s.delete_exercise(&ex1())
    });
    refused_action(&mut store, "already started", ExerciseAction::Start);

    // One scenario at a time; each once.
    refused_action(
        &mut store,
        "scenario 1 (“Oracle failure”) is still running: end it before you start scenario 2",
        start_scenario("sc-2"),
    );
    refused_action(
        &mut store,
        "EX-1 has no scenario `sc-9`",
        start_scenario("sc-9"),
    );

    // Unknown or repeated injects; bad log entries.
    refused_action(&mut store, "has no inject `inj-9`", inject("sc-1", "inj-9"));
    act(&mut store, "2026-05-04T10:05:00Z", inject("sc-1", "inj-1"));
    refused_action(&mut store, "already declared", inject("sc-1", "inj-1"));
    refused_action(
        &mut store,
        "a log entry needs text",
        log("sc-1", LogKind::Said, "  ", None),
    );
    refused_action(
        &mut store,
        "at most 500 characters",
        log("sc-1", LogKind::Did, &"x".repeat(501), None),
    );
    refused_action(
        &mut store,
        "a log entry is one line",
        log("sc-1", LogKind::Did, "one\ntwo", None),
    );
    refused_action(
        &mut store,
        "has no expected action `exp-99`",
        log("sc-1", LogKind::Did, "Paused", Some("exp-99")),
    );
    refused_action(
        &mut store,
        "scenario 2 (“Stolen user funds”) is not running",
        log("sc-2", LogKind::Did, "Paused", None),
    );

    // Rating an unknown objective; findings with unknown owner or element.
    refused_action(
        &mut store,
        "has no objective `obj-9`",
        ExerciseAction::Rate {
            objective: "obj-9".to_owned(),
            rating: Rating::P,
            observations: String::new(),
            strengths: String::new(),
            areas_for_improvement: String::new(),
        },
    );
    refused_action(
        &mut store,
        "the owner `nobody` is not a contact",
        ExerciseAction::AddFinding {
            draft: finding("nobody", None, "2026-06-01"),
        },
    );
    refused_action(
        &mut store,
        "concerns the core member `ghost`, which the plan does not have",
        ExerciseAction::AddFinding {
            draft: finding(
                "ben-sample",
                Some((Section::CoreTeam, "ghost")),
                "2026-06-01",
            ),
        },
    );
    refused_action(
        &mut store,
        "concerns the step `handle-oracle-failure/nope`",
        ExerciseAction::AddFinding {
            draft: finding(
                "ben-sample",
                Some((Section::Procedures, "handle-oracle-failure/nope")),
                "2026-06-01",
            ),
        },
    );
    let mut blank = finding("ben-sample", None, "2026-06-01");
    blank.corrective_action = " ".to_owned();
    refused_action(
        &mut store,
        "needs a corrective action",
        ExerciseAction::AddFinding { draft: blank },
    );
    refused_action(
        &mut store,
        "EX-1 has no improvement item IMP-7",
        ExerciseAction::CompleteFinding {
            id: FindingId("IMP-7".to_owned()),
            done: true,
        },
    );

    // Attachments: a missing file, a folder, a bad link.
    let missing = dir.path().join("no-such-file.mp4");
    refused_action(
        &mut store,
        "does not exist",
        ExerciseAction::Attach {
            kind: AttachmentKind::File,
            label: "Recording".to_owned(),
            target: missing.display().to_string(),
        },
    );
    refused_action(
        &mut store,
        "is not a file",
        ExerciseAction::Attach {
            kind: AttachmentKind::File,
            label: "Recording".to_owned(),
            target: dir.path().display().to_string(),
        },
    );
    refused_action(
        &mut store,
        "is not a web address",
        ExerciseAction::Attach {
            kind: AttachmentKind::Link,
            label: "Video".to_owned(),
            target: "javascript:alert(1)".to_owned(),
        },
    );
    refused_action(
        &mut store,
        "has no attachment 4",
        ExerciseAction::RemoveAttachment { number: 4 },
    );
    assert!(!dir.path().join("exercises").join("EX-1").exists());

    // A scenario that ended is closed; it does not run twice.
    act(
        &mut store,
        "2026-05-04T10:20:00Z",
        ExerciseAction::EndScenario {
            scenario: "sc-1".to_owned(),
        },
    );
    refused_action(
        &mut store,
        "scenario 1 (“Oracle failure”) has ended: its log is closed",
        log("sc-1", LogKind::Said, "Late", None),
    );
    refused_action(
        &mut store,
        "has ended: its log is closed",
        ExerciseAction::RevealSituation {
            scenario: "sc-1".to_owned(),
        },
    );
    refused_action(
        &mut store,
        "already ran (as INC-1): each scenario runs once",
        start_scenario("sc-1"),
    );

    // Once the exercise is over, nothing more runs.
    act(&mut store, "2026-05-04T11:00:00Z", ExerciseAction::End);
    refused_action(&mut store, "EX-1 has ended", ExerciseAction::End);
    refused_action(&mut store, "EX-1 has ended", start_scenario("sc-2"));
}

#[test]
fn a_scenario_start_is_one_write_with_its_incident() {
    let dir = tempdir();
    let mut store = open(dir.path());
    planned(&mut store);
    act(&mut store, "2026-05-04T10:00:00Z", ExerciseAction::Start);
    // The plan loses the scenario's issue after the set-up was written: the
    // declaration is refused, and neither the incident nor the log entry is written.
    let mut plan = ok(store.plan());
    plan.issues.retain(|i| i.id.as_str() != "oracle-failure");
    for p in &mut plan.procedures {
        p.issues.retain(|i| i.as_str() != "oracle-failure");
    }
    ok(store.replace_plan(&plan, "test", &at("2026-05-04T10:00:30Z")));
    let before = state(&mut store);
    let result =
        store.act_on_exercise(&ex1(), &start_scenario("sc-1"), &at("2026-05-04T10:01:00Z"));
    assert!(
        matches!(
            result,
            Err(Error::NotFound {
                what: "potential issue",
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(state(&mut store), before);
}

#[test]
fn a_planned_exercise_can_be_deleted_with_its_files() {
    let dir = tempdir();
    let mut store = open(dir.path());
    planned(&mut store);
    let source = dir.path().join("briefing.pdf");
    std::fs::write(&source, "brief").unwrap_or_else(|e| panic!("{e}"));
    act(
        &mut store,
        "2026-04-22T10:00:00Z",
        ExerciseAction::Attach {
            kind: AttachmentKind::File,
            label: "Briefing".to_owned(),
            target: source.display().to_string(),
        },
    );
    assert!(store.exercise_folder(&ex1()).join("briefing.pdf").exists());
    ok(store.delete_exercise(&ex1()));
    assert!(ok(store.exercises()).is_empty());
    assert!(!store.exercise_folder(&ex1()).exists());
    assert!(matches!(
        store.exercise(&ex1()),
        Err(Error::NotFound {
            what: "exercise",
            ..
        })
    ));
}

#[test]
fn the_participant_view_never_shows_the_script() {
    let dir = tempdir();
    let mut store = open(dir.path());
    running(&mut store);
    let secret = setup(&mut store);
    let json = |store: &mut Store| {
        let view = ok(store.participant_view(&ex1(), utc("2026-05-04T10:10:00Z")));
        serde_json::to_string(&view).unwrap_or_else(|e| panic!("{e}"))
    };
    let hidden = |text: &str| {
        let mut strings = vec![HIDDEN_INJECT.to_owned(), "Press call".to_owned()];
        for s in &secret.scenarios {
            strings.extend(s.expected.iter().map(|e| e.text.clone()));
            strings.extend(s.targets.iter().map(|t| t.label.clone()));
        }
        strings.extend(secret.objectives.iter().map(|o| o.text.clone()));
        strings.push(secret.scope.clone());
        for s in strings {
            assert!(
                !text.contains(&s),
                "the participant view shows {s:?}: {text}"
            );
        }
    };

    let before = json(&mut store);
    assert!(!before.contains("SECRET"), "{before}");
    hidden(&before);
    assert!(before.contains("\"number\":1,\"of\":2"), "{before}");

    act(
        &mut store,
        "2026-05-04T10:02:00Z",
        ExerciseAction::RevealSituation {
            scenario: "sc-1".to_owned(),
        },
    );
    act(&mut store, "2026-05-04T10:05:00Z", inject("sc-1", "inj-1"));
    let after = json(&mut store);
    assert!(
        after.contains(SITUATION) && after.contains(INJECT_TEXT),
        "{after}"
    );
    hidden(&after);
    let view = ok(store.participant_view(&ex1(), utc("2026-05-04T10:10:00Z")));
    let scenario = view.scenario.unwrap_or_else(|| panic!("no scenario"));
    assert_eq!(scenario.injects.len(), 1);
    assert_eq!(scenario.injects[0].at, utc("2026-05-04T10:05:00Z"));
}

#[test]
fn the_plan_check_shows_an_open_item_until_it_is_done() {
    let dir = tempdir();
    let mut store = open(dir.path());
    running(&mut store);
    let open_items = |store: &mut Store, now: &str| {
        ok(store.plan_check(utc(now)))
            .into_iter()
            .filter(|g| g.kind == GapKind::ImprovementOpen)
            .collect::<Vec<_>>()
    };
    assert!(open_items(&mut store, "2026-05-04T12:00:00Z").is_empty());
    act(
        &mut store,
        "2026-05-04T10:30:00Z",
        ExerciseAction::AddFinding {
            draft: finding(
                "ben-sample",
                Some((Section::CoreTeam, "ben-sample")),
                "2026-06-01",
            ),
        },
    );
    let gaps = open_items(&mut store, "2026-05-04T12:00:00Z");
    assert_eq!(gaps.len(), 1);
    let gap = &gaps[0];
    assert_eq!(
        (gap.level, gap.section, gap.element.as_str()),
        (GapLevel::Warning, Section::CoreTeam, "ben-sample")
    );
    assert!(gap.message.contains("IMP-1") && gap.message.contains("Ben Sample"));
    // In its section's place, after the check's own gaps there.
    let all = ok(store.plan_check(utc("2026-05-04T12:00:00Z")));
    let sections: Vec<Section> = all.iter().map(|g| g.section).collect();
    let mut sorted = sections.clone();
    sorted.sort();
    assert_eq!(sections, sorted);

    // Past its due day it is a problem.
    let late = open_items(&mut store, "2026-06-02T08:00:00Z");
    assert_eq!(late[0].level, GapLevel::Problem);
    assert!(late[0].message.contains("overdue since 2026-06-01"));

    act(
        &mut store,
        "2026-05-20T10:00:00Z",
        ExerciseAction::CompleteFinding {
            id: FindingId("IMP-1".to_owned()),
            done: true,
        },
    );
    assert!(open_items(&mut store, "2026-06-02T08:00:00Z").is_empty());
    // Open again, it shows again.
    act(
        &mut store,
        "2026-05-21T10:00:00Z",
        ExerciseAction::CompleteFinding {
            id: FindingId("IMP-1".to_owned()),
            done: false,
        },
    );
    assert_eq!(open_items(&mut store, "2026-05-22T08:00:00Z").len(), 1);
}

#[test]
fn an_exercise_never_changes_real_incident_figures() {
    let dir = tempdir();
    let mut store = open(dir.path());
    let real = ok(store.declare_incident(
        &Declaration {
            issue: Some(id("gas-price-spike")),
            category: None,
            title: None,
            severity: Severity::S3,
            exercise: false,
            description: "Base fee at 300 gwei".to_owned(),
            lead: Some(id("ada-example")),
            scribe: None,
            communications: None,
        },
        &at("2026-05-01T08:00:00Z"),
    ));
    let now = utc("2026-05-04T12:00:00Z");
    let figures = |store: &mut Store| {
        let incidents: Vec<_> = ok(store.incidents())
            .into_iter()
            .map(|s| {
                let events = ok(store.events(&s.id));
                (ok(store.incident(&s.id)), events)
            })
            .collect();
        incident_figures(&incidents, now)
    };
    let before = figures(&mut store);
    let before_readiness = ok(store.readiness(now, Berlin)).real_incidents;
    assert_eq!(before.last_12_months, 1);
    assert_eq!(before.open, 1);
    assert_eq!(before_readiness, before);

    // Run a scenario and work its incident: notified, steps, phases.
    let ex = running(&mut store);
    let drill = ex.runs[0].incident.clone();
    let drill_incident = ok(store.incident(&drill));
    for (i, contact) in drill_incident.escalations.iter().enumerate() {
        ok(store.act_on_incident(
            &drill,
            &IncidentAction::MarkNotified {
                contact: contact.recipient.contact.clone(),
                channel: "Signal".to_owned(),
            },
            &at(&format!("2026-05-04T10:0{}:00Z", 2 + i.min(7))),
        ));
    }
    ok(store.act_on_incident(
        &drill,
        &IncidentAction::MarkStep {
            procedure: id("handle-oracle-failure"),
            step: id("confirm-bad-price"),
            status: StepStatus::Done,
            note: String::new(),
        },
        &at("2026-05-04T10:10:00Z"),
    ));
    act(&mut store, "2026-05-04T11:00:00Z", ExerciseAction::End);

    assert_eq!(figures(&mut store), before);
    assert_eq!(ok(store.readiness(now, Berlin)).real_incidents, before);
    // The real incident itself is untouched.
    assert_eq!(ok(store.incident(&real.id)), real);
    let readiness = ok(store.readiness(now, Berlin));
    assert_eq!(readiness.exercises_last_12_months, 1);
    assert_eq!(readiness.last_exercise, Some(day("2026-05-04")));
}

#[test]
fn an_exercise_signature_is_never_accepted_on_a_real_decision() {
    use crate::decision::model::Answer;
    use crate::decision::tests::fixture::key_of;
    use crate::decision::tests::fixture::{
        at as fat, laptop, nonce, refused as decision_refused, signature, signature_in,
    };
    use crate::decision::{EXERCISE_NAMESPACE, NAMESPACE};

    let dir = tempdir();
    let mut store = laptop(dir.path(), "ada-example", None);
    let mut s = setup(&mut store);
    s.date = day("2026-11-24");
    ok(store.create_exercise(&s, &fat("2026-11-21T09:00:00Z")));
    ok(store.act_on_exercise(&ex1(), &ExerciseAction::Start, &fat("2026-11-24T02:50:00Z")));
    let ex = ok(store.act_on_exercise(
        &ex1(),
        &start_scenario("sc-2"),
        &fat("2026-11-24T02:55:00Z"),
    ));
    let drill = ex.runs[0].incident.clone();
    let real = ok(store.declare_incident(
        &Declaration {
            issue: Some(id("stolen-user-funds")),
            category: None,
            title: None,
            severity: Severity::S1,
            exercise: false,
            description: "Funds are leaving the Vault".to_owned(),
            lead: Some(id("ada-example")),
            scribe: None,
            communications: None,
        },
        &fat("2026-11-24T02:59:00Z"),
    ))
    .id;
    let ask = |store: &mut Store, incident: &IncidentId, n: u8| {
        ok(store.request_decision(
            incident,
            &id("pause-contract"),
            "Pause the Vault contract on mainnet",
            chrono::Duration::hours(4),
            nonce(n),
            &fat("2026-11-24T03:00:00Z"),
        ))
    };
    let on_drill = ask(&mut store, &drill, 1);
    let on_real = ask(&mut store, &real, 2);
    assert_eq!(on_drill.namespace, EXERCISE_NAMESPACE);
    assert_eq!(on_real.namespace, NAMESPACE);

    let exercise_before = ok(store.exercise(&ex1()));
    // Ben signs the real request under the exercise namespace.
    let drill_sig = signature_in(
        &key_of("ben-sample"),
        &on_real,
        &Answer::Approve,
        EXERCISE_NAMESPACE,
    );
    decision_refused(
        &mut store,
        &real,
        "an exercise signature cannot count on a real decision",
        |s| s.import_signature(&drill_sig, &fat("2026-11-24T03:05:00Z")),
    );
    // Ben's valid signature of the exercise request, moved onto the real one.
    let moved = signature(&key_of("ben-sample"), &on_drill, &Answer::Approve)
        .replace(on_drill.id.as_str(), on_real.id.as_str());
    decision_refused(
        &mut store,
        &real,
        "an exercise signature cannot count on a real decision",
        |s| s.import_signature(&moved, &fat("2026-11-24T03:05:00Z")),
    );
    // The exercise's own decision takes it as an exercise signature.
    let own = signature(&key_of("ben-sample"), &on_drill, &Answer::Approve);
    ok(store.import_signature(&own, &fat("2026-11-24T03:06:00Z")));
    assert_eq!(ok(store.exercise(&ex1())), exercise_before);
    assert!(
        ok(store.decision_status(&on_real.id, &fat("2026-11-24T03:07:00Z")))
            .signatures
            .is_empty()
    );
}

#[test]
fn programme_reminders_are_raised_once() {
    let dir = tempdir();
    let mut store = open(dir.path());
    let due = ok(store.next_exercise_due(chrono_tz::UTC));
    // Seeded 2026-03-01: while new, every 4 weeks.
    assert!(due > day("2026-03-01"), "{due}");
    let late = due.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc() + chrono::Duration::days(3);
    let (due_now, _) = ok(store.programme_reminders(late, Berlin));
    assert!(!due_now.is_empty());
    let keys: Vec<String> = due_now.iter().map(|r| r.key.clone()).collect();
    assert!(keys.iter().any(|k| k.ends_with(":overdue")), "{keys:?}");
    for r in &due_now {
        ok(store.record_programme_reminder(r, true, &FixedClock(late)));
        ok(store.record_programme_reminder(r, false, &FixedClock(late)));
    }
    let (again, _) = ok(store.programme_reminders(late, Berlin));
    assert!(again.is_empty(), "{again:?}");
    let stored = ok(store.setting(&format!("exercise.reminded:{}", keys[0])));
    assert!(stored.is_some_and(|v| v.starts_with("1 ")));

    // An ended exercise moves the due day on.
    let mut s = setup(&mut store);
    s.date = due;
    ok(store.create_exercise(&s, &at("2026-03-02T10:00:00Z")));
    ok(store.act_on_exercise(&ex1(), &ExerciseAction::Start, &at("2026-03-03T10:00:00Z")));
    ok(store.act_on_exercise(&ex1(), &ExerciseAction::End, &at("2026-03-03T11:00:00Z")));
    assert!(ok(store.next_exercise_due(chrono_tz::UTC)) > due);
}

#[test]
fn an_entry_edited_or_deleted_outside_muster_is_named_not_read_back() {
    let dir = tempdir();
    let mut store = open(dir.path());
    running(&mut store);
    act(
        &mut store,
        "2026-05-04T10:02:00Z",
        log("sc-1", LogKind::Did, "Paused the pool", None),
    );
    act(
        &mut store,
        "2026-05-04T10:03:00Z",
        log("sc-1", LogKind::Said, "Would tell the exchanges", None),
    );
    drop(store);
    let db = dir.path().join(crate::store::DB_FILE);
    let conn = ok(rusqlite::Connection::open(&db).map_err(crate::Error::from));
    let sql = |q: &str| conn.execute_batch(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    sql("DROP TRIGGER exercise_event_no_update; DROP TRIGGER exercise_event_no_delete;");

    // An edited entry: its content no longer matches its hash.
    sql("UPDATE exercise_event SET body = replace(body, 'Paused', 'Unpaused') WHERE seq = 3");
    let Err(error) = open(dir.path()).exercise(&ex1()) else {
        panic!("an edited log must not be read back")
    };
    let message = error.to_string();
    assert!(
        message.contains("EX-1") && message.contains("entry 3") && message.contains("edited"),
        "{message}"
    );
    assert_eq!(error.code(), crate::ErrorCode::DatabaseDamaged);

    // Put it back, then delete the last entry: the log ends early.
    sql("UPDATE exercise_event SET body = replace(body, 'Unpaused', 'Paused') WHERE seq = 3");
    ok(open(dir.path()).exercise(&ex1()));
    sql("DELETE FROM exercise_event WHERE seq = 4");
    let Err(error) = open(dir.path()).exercise(&ex1()) else {
        panic!("a shortened log must not be read back")
    };
    let message = error.to_string();
    assert!(
        message.contains("entry 4") && message.contains("missing"),
        "{message}"
    );
}
