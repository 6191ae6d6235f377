//! The read-back: matching the steps taken to the expected actions.

use super::fixture::*;
use crate::exercise::model::{ExpectedStatus, LogKind, ReadBack, TakenSource, TakenStatus};
use crate::exercise::readback::{longest_increasing, read_back};
use crate::incident::EventBody;

const START: &str = "2026-03-02T10:00:00Z";
const PROC: &str = "handle-oracle-failure";

/// A taken row: its text, the expected action it counts as, its status.
type Row = (String, Option<String>, TakenStatus);

fn check(
    log: &[Entry<'_>],
    steps: &[(&str, EventBody)],
    ended: Option<&str>,
) -> (ReadBack, Vec<ExpectedStatus>, Vec<Row>) {
    let mut t = exercise_timeline(START);
    for (at, body) in steps {
        t.push(at, "Ben", body.clone());
    }
    let r = read_back(
        &scenario(),
        &run(START, ended, log),
        &t.events,
        utc("2026-03-02T11:00:00Z"),
    );
    let expected = r.expected.iter().map(|x| x.status).collect();
    let taken = r
        .taken
        .iter()
        .map(|t| (t.text.clone(), t.expected.clone(), t.status))
        .collect();
    (r, expected, taken)
}

fn row(text: &str, expected: Option<&str>, status: TakenStatus) -> Row {
    (text.to_owned(), expected.map(str::to_owned), status)
}

#[test]
fn log_entries_and_checklist_steps_take_expected_actions_in_order() {
    let (r, expected, taken) = check(
        &[
            (
                "2026-03-02T10:02:00Z",
                LogKind::Said,
                "Check the feed",
                Some("exp-1"),
            ),
            (
                "2026-03-02T10:04:00Z",
                LogKind::Note,
                "Ben hesitates",
                Some("exp-2"),
            ),
            (
                "2026-03-02T10:05:00Z",
                LogKind::Did,
                "Rang Ada and Dara",
                Some("exp-2"),
            ),
        ],
        &[("2026-03-02T10:09:00Z", step_done(PROC, "pause-pool"))],
        None,
    );
    assert_eq!(expected, [ExpectedStatus::Done; 3]);
    assert_eq!(
        taken,
        [
            row("Check the feed", Some("exp-1"), TakenStatus::InOrder),
            row("Rang Ada and Dara", Some("exp-2"), TakenStatus::InOrder),
            // The checklist's text is the step's action in the snapshot.
            row(
                "Pause the lending pool",
                Some("exp-3"),
                TakenStatus::InOrder
            ),
        ]
    );
    assert_eq!((r.missed, r.out_of_order, r.extra), (0, 0, 0));
    assert_eq!(r.taken[2].source, TakenSource::Checklist);
    assert_eq!(r.taken[2].kind, LogKind::Did);
    assert_eq!(r.taken[2].offset_seconds, 540);
    assert_eq!(r.expected[0].taken_at, Some(utc("2026-03-02T10:02:00Z")));
    assert_eq!(r.expected[2].offset_seconds, Some(540));
    assert_eq!(
        (r.scenario.as_str(), r.title.as_str()),
        ("sc-1", "Oracle drill")
    );
    assert_eq!(r.incident.as_str(), "INC-3");
}

#[test]
fn the_first_match_takes_it_and_later_ones_are_extra() {
    let (r, expected, taken) = check(
        &[
            (
                "2026-03-02T10:01:00Z",
                LogKind::Said,
                "Look at the feed",
                Some("exp-1"),
            ),
            (
                "2026-03-02T10:02:00Z",
                LogKind::Did,
                "Looked again",
                Some("exp-1"),
            ),
            ("2026-03-02T10:03:00Z", LogKind::Did, "Tweeted", None),
            (
                "2026-03-02T10:04:00Z",
                LogKind::Did,
                "Names no action",
                Some("exp-9"),
            ),
        ],
        &[
            // Already taken by the log: extra.
            ("2026-03-02T10:05:00Z", step_done(PROC, "confirm-feed")),
            // Marked done twice: the second is extra.
            ("2026-03-02T10:06:00Z", step_done(PROC, "pause-pool")),
            ("2026-03-02T10:07:00Z", step_done(PROC, "pause-pool")),
            ("2026-03-02T10:08:00Z", step_done("other", "step")),
        ],
        None,
    );
    assert_eq!(
        expected,
        [
            ExpectedStatus::Done,
            ExpectedStatus::Missed,
            ExpectedStatus::Done
        ]
    );
    assert_eq!(
        taken,
        [
            row("Look at the feed", Some("exp-1"), TakenStatus::InOrder),
            row("Looked again", None, TakenStatus::Extra),
            row("Tweeted", None, TakenStatus::Extra),
            row("Names no action", None, TakenStatus::Extra),
            row("Confirm the feed is stale", None, TakenStatus::Extra),
            row(
                "Pause the lending pool",
                Some("exp-3"),
                TakenStatus::InOrder
            ),
            row("Pause the lending pool", None, TakenStatus::Extra),
            // A step not in the snapshot is named by its ids.
            row("other/step", None, TakenStatus::Extra),
        ]
    );
    assert_eq!((r.missed, r.out_of_order, r.extra), (1, 0, 6));
    assert_eq!(r.expected[1].taken_at, None);
}

#[test]
fn out_of_order_is_outside_the_longest_run_in_expected_order() {
    // 3, 1, 2: the pause came too early.
    let (r, expected, taken) = check(
        &[
            (
                "2026-03-02T10:02:00Z",
                LogKind::Did,
                "Confirmed",
                Some("exp-1"),
            ),
            (
                "2026-03-02T10:03:00Z",
                LogKind::Said,
                "Tell everyone",
                Some("exp-2"),
            ),
        ],
        &[("2026-03-02T10:01:00Z", step_done(PROC, "pause-pool"))],
        None,
    );
    assert_eq!(
        expected,
        [
            ExpectedStatus::Done,
            ExpectedStatus::Done,
            ExpectedStatus::OutOfOrder
        ]
    );
    assert_eq!(
        taken.iter().map(|t| t.2).collect::<Vec<_>>(),
        [
            TakenStatus::OutOfOrder,
            TakenStatus::InOrder,
            TakenStatus::InOrder
        ]
    );
    assert_eq!((r.missed, r.out_of_order, r.extra), (0, 1, 0));

    // 2, 1 with 3 missed: the one taken before an action expected earlier.
    let (r, expected, _) = check(
        &[
            (
                "2026-03-02T10:01:00Z",
                LogKind::Said,
                "Tell everyone",
                Some("exp-2"),
            ),
            (
                "2026-03-02T10:02:00Z",
                LogKind::Did,
                "Confirmed",
                Some("exp-1"),
            ),
        ],
        &[],
        None,
    );
    assert_eq!(
        expected,
        [
            ExpectedStatus::Done,
            ExpectedStatus::OutOfOrder,
            ExpectedStatus::Missed
        ]
    );
    assert_eq!((r.missed, r.out_of_order, r.extra), (1, 1, 0));
}

#[test]
fn on_a_tie_the_log_comes_first_and_nothing_after_the_end_counts() {
    let (r, _, taken) = check(
        &[
            (
                "2026-03-02T10:05:00Z",
                LogKind::Did,
                "Paused it",
                Some("exp-3"),
            ),
            (
                "2026-03-02T10:05:00Z",
                LogKind::Said,
                "Then confirm",
                Some("exp-1"),
            ),
            (
                "2026-03-02T10:31:00Z",
                LogKind::Did,
                "After the end",
                Some("exp-2"),
            ),
        ],
        &[
            ("2026-03-02T10:05:00Z", step_done(PROC, "confirm-feed")),
            ("2026-03-02T10:31:00Z", step_done(PROC, "pause-pool")),
            (
                "2026-03-02T10:32:00Z",
                notified("ada-example", "Ada Example"),
            ),
            ("2026-03-02T10:32:00Z", notified("dara-mock", "Dara Mock")),
        ],
        Some("2026-03-02T10:30:00Z"),
    );
    assert_eq!(
        taken,
        [
            row("Paused it", Some("exp-3"), TakenStatus::OutOfOrder),
            row("Then confirm", Some("exp-1"), TakenStatus::InOrder),
            row("Confirm the feed is stale", None, TakenStatus::Extra),
        ]
    );
    // Over: the escalation after the end is not measured, and the targets
    // not reached are not met.
    assert!(r.measured.iter().all(|m| m.seconds.is_none()));
    assert_eq!(
        r.targets.iter().map(|t| t.met).collect::<Vec<_>>(),
        [Some(false), Some(false)]
    );
}

#[test]
fn targets_are_pending_while_the_scenario_runs() {
    let mut t = exercise_timeline(START);
    t.push(
        "2026-03-02T10:04:00Z",
        "Ben",
        notified("ada-example", "Ada Example"),
    )
    .push(
        "2026-03-02T10:06:00Z",
        "Ben",
        notified("dara-mock", "Dara Mock"),
    );
    let r = read_back(
        &scenario(),
        &run(START, None, &[]),
        &t.events,
        utc("2026-03-02T10:10:00Z"),
    );
    assert_eq!(
        r.targets
            .iter()
            .map(|t| (t.target.as_str(), t.measured_seconds, t.met))
            .collect::<Vec<_>>(),
        [("tgt-1", Some(360), Some(true)), ("tgt-2", None, None)]
    );
    assert_eq!(r.measured.len(), 5);
    assert_eq!((r.missed, r.out_of_order, r.extra), (3, 0, 0));
}

#[test]
fn the_longest_increasing_run_prefers_the_later_smaller_values() {
    assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
    assert_eq!(longest_increasing(&[0, 1, 2]), [0, 1, 2]);
    assert_eq!(longest_increasing(&[2, 0, 1]), [1, 2]);
    assert_eq!(longest_increasing(&[0, 2, 1]), [0, 2]);
    assert_eq!(longest_increasing(&[1, 0]), [1]);
    assert_eq!(longest_increasing(&[3, 0, 4, 1, 2, 5]), [1, 3, 4, 5]);
}
