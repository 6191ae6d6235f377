//! Measured times from an exercise incident's events, and targets beside them.

use super::fixture::*;
use crate::decision::model::QuorumState;
use crate::exercise::measure::{against_targets, measure};
use crate::exercise::model::{Measure, MeasuredTime};
use crate::incident::{EventBody, Phase};

/// The seconds of every measure, in [`Measure::ALL`] order.
fn check(t: &Timeline, expected: [Option<i64>; 5]) {
    let got: Vec<(Measure, Option<i64>)> = measure(&t.events)
        .into_iter()
        .map(|m| (m.measure, m.seconds))
        .collect();
    let want: Vec<(Measure, Option<i64>)> = Measure::ALL.into_iter().zip(expected).collect();
    assert_eq!(got, want);
}

#[test]
fn every_measure_counts_from_the_declaration() {
    let mut t = exercise_timeline("2026-03-02T10:00:00Z");
    t.push(
        "2026-03-02T10:03:00Z",
        "Ben",
        notified("ada-example", "Ada Example"),
    )
    .push(
        "2026-03-02T10:04:00Z",
        "Ben",
        notified("ada-example", "Ada Example"),
    )
    .push(
        "2026-03-02T10:05:00Z",
        "Ben",
        notified("eli-forum", "Eli Forum"),
    )
    .push(
        "2026-03-02T10:07:00Z",
        "Ben",
        notified("dara-mock", "Dara Mock"),
    )
    .push(
        "2026-03-02T10:08:00Z",
        "Ben",
        notified("dara-mock", "Dara Mock"),
    )
    // A step needing the decision, before the quorum: not the action.
    .push(
        "2026-03-02T10:10:00Z",
        "Ben",
        step_done("handle-oracle-failure", "pause-pool"),
    )
    .push(
        "2026-03-02T10:11:00Z",
        "Ben",
        resolved(QuorumState::Rejected),
    )
    .push(
        "2026-03-02T10:12:00Z",
        "Ben",
        resolved(QuorumState::Approved),
    )
    .push(
        "2026-03-02T10:12:30Z",
        "Ben",
        resolved(QuorumState::Approved),
    )
    // A step needing no decision, after it: not the action either.
    .push(
        "2026-03-02T10:13:00Z",
        "Ben",
        step_done("handle-oracle-failure", "confirm-feed"),
    )
    .push(
        "2026-03-02T10:15:00Z",
        "Ben",
        step_done("handle-oracle-failure", "pause-pool"),
    )
    .push(
        "2026-03-02T10:20:00Z",
        "Ben",
        phase(Phase::Detected, Phase::Validated),
    )
    // A skip straight to resolved counts as mitigated too.
    .push(
        "2026-03-02T10:30:00Z",
        "Ben",
        phase(Phase::Validated, Phase::Resolved),
    )
    .push(
        "2026-03-02T10:40:00Z",
        "Ben",
        phase(Phase::Resolved, Phase::Closed),
    );
    check(
        &t,
        [Some(420), Some(720), Some(900), Some(1800), Some(1800)],
    );
}

#[test]
fn nothing_reached_is_none() {
    check(&exercise_timeline("2026-03-02T10:00:00Z"), [None; 5]);
    check(&Timeline { events: Vec::new() }, [None; 5]);

    // Not everyone told; a rejected decision is no quorum and so no action;
    // mitigated without resolved; a reopen does not reach resolved again.
    let mut t = exercise_timeline("2026-03-02T10:00:00Z");
    t.push(
        "2026-03-02T10:03:00Z",
        "Ben",
        notified("ada-example", "Ada Example"),
    )
    .push(
        "2026-03-02T10:05:00Z",
        "Ben",
        resolved(QuorumState::Rejected),
    )
    .push(
        "2026-03-02T10:06:00Z",
        "Ben",
        step_done("handle-oracle-failure", "pause-pool"),
    )
    .push(
        "2026-03-02T10:09:00Z",
        "Ben",
        phase(Phase::Detected, Phase::Mitigated),
    )
    .push(
        "2026-03-02T10:10:00Z",
        "Ben",
        phase(Phase::Mitigated, Phase::Validated),
    );
    check(&t, [None, None, None, Some(540), None]);

    // Nobody to tell upon detection: no escalation time, whoever is told.
    let mut t = exercise_timeline("2026-03-02T10:00:00Z");
    if let Some(EventBody::Declared { escalate, .. }) = t.events.first_mut().map(|e| &mut e.body) {
        escalate.clear();
    }
    t.push(
        "2026-03-02T10:03:00Z",
        "Ben",
        notified("ada-example", "Ada Example"),
    );
    check(&t, [None; 5]);
}

#[test]
fn targets_are_met_missed_or_pending() {
    let start = utc("2026-03-02T10:00:00Z");
    let targets = [
        target("on-time", Measure::Escalation, 15),
        target("late", Measure::DecisionQuorum, 10),
        target("not-yet", Measure::Action, 30),
        target("too-late-now", Measure::Mitigated, 5),
    ];
    let measured = vec![
        // Exactly at the limit is in time.
        MeasuredTime {
            measure: Measure::Escalation,
            seconds: Some(900),
        },
        MeasuredTime {
            measure: Measure::DecisionQuorum,
            seconds: Some(601),
        },
    ];
    let met = |ended: bool, now: &str| -> Vec<Option<bool>> {
        against_targets(&targets, &measured, start, ended, utc(now))
            .into_iter()
            .map(|t| t.met)
            .collect()
    };
    assert_eq!(
        met(false, "2026-03-02T10:10:00Z"),
        [Some(true), Some(false), None, Some(false)]
    );
    // The time allowed has passed at `now`: not met, even while running.
    assert_eq!(
        met(false, "2026-03-02T10:30:00Z"),
        [Some(true), Some(false), Some(false), Some(false)]
    );
    // Over: whatever did not happen was not met.
    assert_eq!(
        met(true, "2026-03-02T10:01:00Z"),
        [Some(true), Some(false), Some(false), Some(false)]
    );
    let rows = against_targets(&targets, &measured, start, false, start);
    assert_eq!(rows[0].target, "on-time");
    assert_eq!(rows[0].measured_seconds, Some(900));
    assert_eq!(rows[0].within_minutes, 15);
    assert_eq!(rows[2].measured_seconds, None);
}
