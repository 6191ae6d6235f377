//! Store tests of live exercises: a whole run through the store, refusals
//! that change nothing, the participant view that never shows the script,
//! improvement items in the plan check, programme reminders recorded once,
//! and the wall between exercises and real incidents (figures, signatures).

use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::clock::FixedClock;
use crate::exercise::model::{
    ElementRef, Exercise, ExerciseAction, ExerciseId, ExerciseSetup, FindingDraft, Inject, LogKind,
    Objective,
};
use crate::plan::{id, Section};
use crate::testing::{at, utc};

fn ok<T>(result: Result<T>) -> T {
    result.unwrap()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
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
        .unwrap();
    let folded: Vec<Exercise> = ok(store.exercises())
        .iter()
        .map(|e| ok(store.exercise(&e.id)))
        .collect();
    (counts, format!("{rows:?}{folded:?}"))
}

mod real_incidents;
mod refusals;
mod run;
mod views;
