//! Store tests of an exercise run: the whole run through the store, a
//! scenario start as one write with its incident, deleting a planned
//! exercise, and the tamper test of the hash-chained log.

use super::*;
use crate::exercise::model::{
    AttachmentKind, ExerciseEventBody, ExerciseStatus, FindingId, Rating,
};
use crate::incident::model::{IncidentAction, IncidentId, Phase, StepStatus};
use crate::plan::Severity;

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
        .unwrap()
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
    std::fs::write(&source, "the call").unwrap();
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
            &result,
            Err(Error::Invalid { what: "declaration", problems })
                if problems.len() == 1 && problems[0].location.field == "issue"
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
    std::fs::write(&source, "brief").unwrap();
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
