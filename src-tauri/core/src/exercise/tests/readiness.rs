//! Readiness with a pinned clock: 23:30 UTC on 2026-06-14 is already
//! 2026-06-15 in Amsterdam, so "today" there is the 15th.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::fixture::*;
use crate::exercise::model::*;
use crate::exercise::readiness::{incident_figures, readiness, ReadinessInput};
use crate::incident::state::fold;
use crate::incident::{Event, Incident, Phase};
use crate::plan::{ExercisePolicy, Plan};

fn now() -> DateTime<Utc> {
    utc("2026-06-14T23:30:00Z")
}

const ZONE: Tz = chrono_tz::Europe::Amsterdam;

fn plan() -> Plan {
    crate::starter::plan(date(2026, 1, 1))
}

/// An ended exercise that ran `sc-1` rehearsing `issue`.
fn ended(n: u32, day: chrono::NaiveDate, issue: &str) -> Exercise {
    let mut x = exercise(n, day, ExerciseStatus::Ended);
    x.setup.scenarios[0].issue = Some(crate::plan::id(issue));
    x.runs.push(run(
        "2026-01-01T10:00:00Z",
        Some("2026-01-01T11:00:00Z"),
        &[],
    ));
    x
}

fn input<'a>(
    plan: &'a Plan,
    exercises: &'a [(Exercise, Vec<ReadBack>)],
    incidents: &'a [(Incident, Vec<Event>)],
) -> ReadinessInput<'a> {
    ReadinessInput {
        plan,
        plan_since: date(2024, 1, 1),
        exercises,
        incidents,
    }
}

fn with(exercises: Vec<Exercise>) -> Vec<(Exercise, Vec<ReadBack>)> {
    exercises.into_iter().map(|x| (x, Vec::new())).collect()
}

#[test]
fn exercises_held_count_the_twelve_months_up_to_today_in_the_zone() {
    let plan = plan();
    let exercises = with(vec![
        ended(1, date(2025, 6, 15), "stolen-user-funds"), // exactly 12 months ago: out
        ended(2, date(2025, 6, 16), "oracle-failure"),
        ended(3, date(2026, 6, 15), "oracle-failure"), // today (in Amsterdam): in
        exercise(4, date(2026, 3, 1), ExerciseStatus::Planned),
        exercise(5, date(2026, 4, 1), ExerciseStatus::Running),
    ]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.as_of, now());
    assert_eq!(r.exercises_last_12_months, 2);
    assert_eq!(r.last_exercise, Some(date(2026, 6, 15)));
    // In UTC it is still the 14th: today's exercise is not held yet.
    let today = with(vec![ended(3, date(2026, 6, 15), "oracle-failure")]);
    let r = readiness(&input(&plan, &today, &[]), now(), ZONE);
    assert_eq!(r.exercises_last_12_months, 1);
    let r = readiness(&input(&plan, &today, &[]), now(), Tz::UTC);
    assert_eq!(r.exercises_last_12_months, 0);
}

#[test]
fn an_exercise_is_held_on_the_local_day_it_started_not_the_day_planned() {
    let plan = plan();
    // Planned for next month, run early: at 23:30 UTC on the 14th, the 15th in Amsterdam.
    let mut early = ended(1, date(2026, 7, 20), "oracle-failure");
    early.started_at = Some(utc("2026-06-14T23:30:00Z"));
    let exercises = with(vec![early]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.exercises_last_12_months, 1);
    assert_eq!(r.last_exercise, Some(date(2026, 6, 15)));
    assert!(r
        .never_exercised
        .iter()
        .all(|i| i.issue.as_str() != "oracle-failure"));
    // Run late, after the twelve months it was planned in: counted where it ran.
    let mut late = ended(2, date(2025, 6, 1), "oracle-failure");
    late.started_at = Some(utc("2025-06-20T09:00:00Z"));
    let exercises = with(vec![late]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.exercises_last_12_months, 1);
}

#[test]
fn at_least_two_a_year_or_as_many_as_the_established_cadence_asks() {
    let exercises = with(Vec::new());
    for (every, required) in [(6, 2), (12, 2), (24, 2), (5, 3), (3, 4), (1, 12), (0, 12)] {
        let mut plan = plan();
        plan.exercise_policy.established_every_months = every;
        let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
        assert_eq!(r.required_per_year, required, "every {every} months");
    }
}

#[test]
fn next_due_is_by_the_policy_while_new_and_once_established() {
    let plan = plan();
    // Established (the plan dates from 2024): six months after the last one.
    let exercises = with(vec![ended(1, date(2026, 2, 1), "oracle-failure")]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.next_due, date(2026, 8, 1));
    assert_eq!(r.days_until_due, 47);

    // New (first saved on 2026-05-01): four weeks after the last one.
    let exercises = with(vec![ended(1, date(2026, 6, 1), "oracle-failure")]);
    let mut new = input(&plan, &exercises, &[]);
    new.plan_since = date(2026, 5, 1);
    let r = readiness(&new, now(), ZONE);
    assert_eq!(r.next_due, date(2026, 6, 29));
    assert_eq!(r.days_until_due, 14);

    // Overdue: negative days.
    let exercises = with(vec![ended(1, date(2025, 11, 1), "oracle-failure")]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.next_due, date(2026, 5, 1));
    assert_eq!(r.days_until_due, -45);
}

#[test]
fn the_next_planned_is_the_soonest_from_today() {
    let plan = plan();
    let mut soon = exercise(3, date(2026, 6, 20), ExerciseStatus::Planned);
    soon.findings.push(finding(1, date(2026, 7, 1), None));
    let exercises = with(vec![
        exercise(1, date(2026, 6, 14), ExerciseStatus::Planned), // yesterday
        exercise(2, date(2026, 7, 1), ExerciseStatus::Planned),
        soon,
        exercise(4, date(2026, 6, 16), ExerciseStatus::Running),
    ]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(
        r.next_planned,
        Some(ExerciseSummary {
            id: ExerciseId("EX-3".to_owned()),
            title: "Exercise 3".to_owned(),
            date: date(2026, 6, 20),
            status: ExerciseStatus::Planned,
            scenarios: 1,
            moderator: crate::plan::id("ada-example"),
            open_findings: 1,
        })
    );
    // One planned for today counts.
    let exercises = with(vec![
        exercise(2, date(2026, 7, 1), ExerciseStatus::Planned),
        exercise(5, date(2026, 6, 15), ExerciseStatus::Planned),
    ]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.next_planned.map(|s| s.id.0), Some("EX-5".to_owned()));
    assert_eq!(
        readiness(&input(&plan, &[], &[]), now(), ZONE).next_planned,
        None
    );
}

#[test]
fn issues_never_exercised_and_stale() {
    let plan = plan();
    let mut not_run = ended(4, date(2026, 5, 1), "dns-hijack");
    not_run.runs.clear(); // set up, never started: not rehearsed
    let exercises = with(vec![
        ended(1, date(2025, 6, 15), "stolen-user-funds"), // exactly 12 months: stale
        ended(2, date(2025, 1, 1), "oracle-failure"),
        ended(3, date(2025, 6, 16), "oracle-failure"), // the latest counts: not stale
        not_run,
        {
            let mut x = exercise(5, date(2026, 5, 1), ExerciseStatus::Running);
            x.setup.scenarios[0].issue = Some(crate::plan::id("gas-price-spike"));
            x.runs.push(run("2026-05-01T10:00:00Z", None, &[]));
            x
        },
    ]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(
        r.stale,
        [IssueExercised {
            issue: crate::plan::id("stolen-user-funds"),
            title: plan
                .issue(&crate::plan::id("stolen-user-funds"))
                .map(|i| i.title.clone())
                .unwrap_or_default(),
            last: Some(date(2025, 6, 15)),
        }]
    );
    let never: Vec<&str> = r.never_exercised.iter().map(|i| i.issue.as_str()).collect();
    assert_eq!(never.len(), plan.issues.len() - 2);
    assert!(never.contains(&"dns-hijack") && never.contains(&"gas-price-spike"));
    assert!(!never.contains(&"oracle-failure") && !never.contains(&"stolen-user-funds"));
    assert!(r.never_exercised.iter().all(|i| i.last.is_none()));
    // In plan order.
    let order: Vec<&str> = plan
        .issues
        .iter()
        .map(|i| i.id.as_str())
        .filter(|i| never.contains(i))
        .collect();
    assert_eq!(never, order);
}

#[test]
fn open_items_soonest_due_first_and_overdue_before_today() {
    let plan = plan();
    let mut a = ended(1, date(2026, 5, 1), "oracle-failure");
    a.findings = vec![
        finding(2, date(2026, 6, 20), None),
        finding(10, date(2026, 6, 1), None),
        finding(3, date(2026, 6, 1), Some(utc("2026-06-02T10:00:00Z"))),
    ];
    let mut b = exercise(2, date(2026, 6, 1), ExerciseStatus::Running);
    b.findings = vec![
        finding(9, date(2026, 6, 1), None),
        finding(11, date(2026, 6, 15), None),
    ];
    let exercises = with(vec![a, b]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(
        r.open_items
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>(),
        ["IMP-9", "IMP-10", "IMP-11", "IMP-2"]
    );
    // Due today is not overdue yet.
    assert_eq!(r.overdue_items, 2);
}

fn measured(seconds: [Option<i64>; 5]) -> ReadBack {
    let mut t = exercise_timeline("2026-01-01T10:00:00Z");
    let mut r = crate::exercise::readback::read_back(
        &scenario(),
        &run("2026-01-01T10:00:00Z", Some("2026-01-01T11:00:00Z"), &[]),
        &t.push("2026-01-01T10:01:00Z", "Ben", notified("x", "X"))
            .events,
        utc("2026-01-01T11:00:00Z"),
    );
    r.measured = Measure::ALL
        .into_iter()
        .zip(seconds)
        .map(|(measure, seconds)| MeasuredTime { measure, seconds })
        .collect();
    r
}

#[test]
fn the_trend_is_each_ended_exercise_median_oldest_first() {
    let plan = plan();
    let exercises = vec![
        (
            ended(1, date(2026, 5, 1), "oracle-failure"),
            vec![
                measured([Some(100), None, None, None, Some(3000)]),
                measured([Some(900), None, None, None, None]),
                measured([Some(200), None, None, None, None]),
            ],
        ),
        (
            ended(2, date(2026, 2, 1), "oracle-failure"),
            vec![
                measured([Some(300), Some(60), None, None, None]),
                measured([Some(500), Some(61), None, None, None]),
            ],
        ),
        // Not ended: no point.
        (
            exercise(3, date(2026, 3, 1), ExerciseStatus::Running),
            vec![measured([Some(1), None, None, None, None])],
        ),
    ];
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    let point = |x: &str, d, measure, seconds| TrendPoint {
        exercise: ExerciseId(x.to_owned()),
        date: d,
        measure,
        seconds,
    };
    assert_eq!(
        r.trend,
        [
            point("EX-2", date(2026, 2, 1), Measure::Escalation, 400),
            point("EX-2", date(2026, 2, 1), Measure::DecisionQuorum, 60),
            point("EX-1", date(2026, 5, 1), Measure::Escalation, 200),
            point("EX-1", date(2026, 5, 1), Measure::Resolved, 3000),
        ]
    );
}

/// A real (or exercise) incident declared at `at`, closed if `closed`, with
/// everyone told after `told` seconds.
fn incident(at: &str, exercise: bool, closed: bool, told: i64) -> (Incident, Vec<Event>) {
    let mut t = if exercise {
        exercise_timeline(at)
    } else {
        Timeline::declared(at)
    };
    let later = |s: i64| (utc(at) + chrono::Duration::seconds(s)).to_rfc3339();
    t.push(&later(10), "Ben", notified("ada-example", "Ada Example"))
        .push(&later(told), "Ben", notified("dara-mock", "Dara Mock"));
    if closed {
        t.push(
            &later(told + 60),
            "Ben",
            phase(Phase::Detected, Phase::Resolved),
        )
        .push(
            &later(told + 120),
            "Ben",
            phase(Phase::Resolved, Phase::Closed),
        );
    }
    let events = t.events;
    match fold(&events) {
        Ok(incident) => (incident, events),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn real_incident_figures_never_include_exercises() {
    let plan = plan();
    let real = vec![
        incident("2026-06-01T10:00:00Z", false, true, 300),
        incident("2026-03-01T10:00:00Z", false, false, 600),
        incident("2026-02-01T10:00:00Z", false, false, 1200),
        // Declared 12 months ago to the second: not in the last 12 months, but open.
        incident("2025-06-14T23:30:00Z", false, false, 60),
    ];
    let figures = incident_figures(&real, now());
    assert_eq!(
        figures,
        IncidentFigures {
            last_12_months: 3,
            open: 3,
            median_escalation_seconds: Some(600),
        }
    );

    // Exercise incidents, running and ended, change nothing.
    let mut both = real.clone();
    both.extend([
        incident("2026-06-10T10:00:00Z", true, false, 5),
        incident("2026-06-11T10:00:00Z", true, true, 7),
        incident("2026-06-12T10:00:00Z", true, false, 9),
    ]);
    assert!(both.iter().filter(|(i, _)| i.exercise).count() == 3);
    assert_eq!(incident_figures(&both, now()), figures);
    let exercises = with(vec![ended(1, date(2026, 6, 10), "oracle-failure")]);
    let alone = readiness(&input(&plan, &exercises, &real), now(), ZONE);
    let mixed = readiness(&input(&plan, &exercises, &both), now(), ZONE);
    assert_eq!(alone.real_incidents, figures);
    assert_eq!(mixed, alone);
    assert_eq!(
        incident_figures(&[], now()),
        IncidentFigures {
            last_12_months: 0,
            open: 0,
            median_escalation_seconds: None,
        }
    );
}

#[test]
fn a_policy_change_moves_next_due() {
    let mut plan = plan();
    plan.exercise_policy = ExercisePolicy {
        while_new_every_weeks: 2,
        new_for_months: 3,
        established_every_months: 3,
        session_hours: 1,
    };
    let exercises = with(vec![ended(1, date(2026, 5, 1), "oracle-failure")]);
    let r = readiness(&input(&plan, &exercises, &[]), now(), ZONE);
    assert_eq!(r.next_due, date(2026, 8, 1));
    assert_eq!(r.required_per_year, 4);
}
