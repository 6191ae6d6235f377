//! Store tests of refusals: each exercise action that makes no sense is
//! refused with what is wrong, and changes nothing.

use super::*;
use crate::exercise::model::{AttachmentKind, FindingId, Rating};

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
        Err(Error::Invalid { problems, .. }) => assert!(
            problems.iter().any(|p| p.message.contains(expected)),
            "expected a problem containing {expected:?}, got: {problems:?}"
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
