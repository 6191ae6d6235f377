//! What a moderator waits for while typing the log: one `log` action and the
//! console's whole view rebuilt after it (the read-back of every scenario run
//! so far, measured times, phases), as the `act_on_exercise` command does,
//! synced to disk with synchronous=FULL — early in a scenario and after 600
//! entries. And the readiness dashboard over two years of exercises. Compared
//! with one frame at 60 Hz (16.7 ms): the log must keep up with typing.
//! Prints the median and the 99th percentile.
//!
//! Run with `cargo bench -p muster-core --bench exercises`.

use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Duration as Span, Utc};
use muster_core::clock::FixedClock;
use muster_core::exercise::model::{
    ExerciseAction, ExerciseId, ExerciseSetup, LogKind, Objective, Scenario,
};
use muster_core::plan::id;
use muster_core::store::Store;

const ENTRIES: usize = 600;
const READINESS_RUNS: usize = 100;
/// One frame at 60 Hz.
const FRAME_MS: f64 = 1000.0 / 60.0;

mod common;

use common::{percentiles, run_in_temp, BenchResult};

fn main() -> ExitCode {
    run_in_temp("exercises", measure)
}

fn setup(
    store: &mut Store,
    date: chrono::NaiveDate,
) -> Result<ExerciseSetup, Box<dyn std::error::Error>> {
    let scenarios: Vec<Scenario> = [("oracle-failure", "sc-1"), ("stolen-user-funds", "sc-2")]
        .into_iter()
        .map(|(issue, key)| store.draft_scenario(&id(issue), key))
        .collect::<Result<_, _>>()?;
    Ok(ExerciseSetup {
        title: "Bench exercise".to_owned(),
        date,
        moderator: id("ada-example"),
        participants: vec![id("ben-sample"), id("dara-mock")],
        scope: "Two scenarios".to_owned(),
        objectives: vec![Objective {
            key: "obj-1".to_owned(),
            text: "Escalate on time".to_owned(),
        }],
        scenarios,
    })
}

fn act(
    store: &mut Store,
    x: &ExerciseId,
    action: ExerciseAction,
    at: DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error>> {
    store.act_on_exercise(x, &action, &FixedClock(at))?;
    Ok(())
}

fn measure(dir: &std::path::Path) -> BenchResult {
    let t0: DateTime<Utc> = "2026-11-24T09:00:00Z".parse()?;
    let mut store = Store::open_in(dir, &FixedClock(t0))?;

    // Two years of monthly exercises, each with both scenarios run and logged.
    for month in 0..24i64 {
        let start = t0 - Span::days(730 - month * 30);
        let setup = setup(&mut store, start.date_naive())?;
        let x = store.create_exercise(&setup, &FixedClock(start))?.id;
        act(&mut store, &x, ExerciseAction::Start, start)?;
        for (n, scenario) in ["sc-1", "sc-2"].into_iter().enumerate() {
            let at = start + Span::minutes(40 * n as i64);
            let scenario = scenario.to_owned();
            act(
                &mut store,
                &x,
                ExerciseAction::StartScenario {
                    scenario: scenario.clone(),
                },
                at,
            )?;
            for k in 0..10 {
                act(
                    &mut store,
                    &x,
                    ExerciseAction::Log {
                        scenario: scenario.clone(),
                        kind: LogKind::Did,
                        text: format!("Step {k}"),
                        expected: Some(format!("exp-{}", k + 1)),
                    },
                    at + Span::minutes(k),
                )?;
            }
            act(
                &mut store,
                &x,
                ExerciseAction::EndScenario { scenario },
                at + Span::minutes(30),
            )?;
        }
        act(&mut store, &x, ExerciseAction::End, start + Span::hours(2))?;
    }

    // Today's exercise: the moderator types the log.
    let setup = setup(&mut store, t0.date_naive())?;
    let x = store.create_exercise(&setup, &FixedClock(t0))?.id;
    act(&mut store, &x, ExerciseAction::Start, t0)?;
    act(
        &mut store,
        &x,
        ExerciseAction::StartScenario {
            scenario: "sc-1".to_owned(),
        },
        t0,
    )?;
    let expected = setup.scenarios[0].expected.len();
    let frame = format!("   (one frame: {FRAME_MS:.1} ms)");
    let mut times = Vec::with_capacity(ENTRIES);
    for k in 0..common::runs(ENTRIES) {
        let at = t0 + Span::seconds(5 * k as i64 + 1);
        let action = ExerciseAction::Log {
            scenario: "sc-1".to_owned(),
            kind: if k % 3 == 0 {
                LogKind::Said
            } else {
                LogKind::Did
            },
            text: format!("Responder action number {k}, as the moderator typed it"),
            expected: (k % 2 == 0).then(|| format!("exp-{}", (k / 2) % expected + 1)),
        };
        let started = Instant::now();
        store.act_on_exercise(&x, &action, &FixedClock(at))?;
        let view = store.exercise_view(&x, at)?;
        times.push(started.elapsed());
        assert_eq!(view.exercise.runs[0].log.len(), k + 1);
    }
    let (n, tail) = (times.len(), times.len().min(100));
    percentiles(
        &format!("log + view, entries 1–{tail}"),
        times[..tail].to_vec(),
        &frame,
    );
    percentiles(
        &format!("log + view, entries {}–{n}", n - tail + 1),
        times[n - tail..].to_vec(),
        &frame,
    );

    let now = t0 + Span::hours(1);
    let mut times = Vec::with_capacity(READINESS_RUNS);
    for _ in 0..common::runs(READINESS_RUNS) {
        let started = Instant::now();
        let readiness = store.readiness(now, chrono_tz::Europe::Berlin)?;
        times.push(started.elapsed());
        assert_eq!(readiness.exercises_last_12_months, 11);
    }
    percentiles("readiness, 25 exercises / 49 incidents", times, &frame);
    Ok(())
}
