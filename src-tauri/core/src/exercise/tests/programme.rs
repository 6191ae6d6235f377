//! The programme: next due day by the policy, and the reminders around it.

use chrono_tz::Tz;

use super::fixture::*;
use crate::exercise::programme::{next_due, reminders};
use crate::plan::ExercisePolicy;

/// The starter plan's: every 4 weeks for 6 months, then every 6 months.
fn policy() -> ExercisePolicy {
    crate::starter::plan(date(2026, 1, 1)).exercise_policy
}

#[test]
fn next_due_follows_the_cadence_while_new_then_established() {
    let p = policy();
    let since = date(2026, 1, 10); // new until 2026-07-10
                                   // None held: one while-new period after the plan's first day.
    assert_eq!(next_due(&p, since, &[]), date(2026, 2, 7));
    // While new: four weeks after the last one held, whatever the order given.
    assert_eq!(
        next_due(&p, since, &[date(2026, 3, 1), date(2026, 2, 1)]),
        date(2026, 3, 29)
    );
    // Four weeks after would fall outside the new period: six months after.
    assert_eq!(
        next_due(&p, since, &[date(2026, 6, 20)]),
        date(2026, 12, 20)
    );
    assert_eq!(next_due(&p, since, &[date(2026, 6, 11)]), date(2026, 7, 9));
    // Established.
    assert_eq!(next_due(&p, since, &[date(2027, 8, 31)]), date(2028, 2, 29));
    // A plan never new: established from its first day.
    let old = ExercisePolicy {
        new_for_months: 0,
        ..policy()
    };
    assert_eq!(next_due(&old, since, &[]), date(2026, 7, 10));
}

#[test]
fn reminders_come_at_nine_local_a_week_before_and_the_day_after() {
    let zone: Tz = chrono_tz::Europe::Amsterdam;
    let due = date(2026, 12, 1);
    let soon = utc("2026-11-24T08:00:00Z");
    let overdue = utc("2026-12-02T08:00:00Z");

    let (now, next) = reminders(due, zone, utc("2026-11-24T07:59:59Z"));
    assert!(now.is_empty());
    assert_eq!(next, Some(soon));

    let (now, next) = reminders(due, zone, soon);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].key, "exercise-due:2026-12-01:soon");
    assert_eq!(now[0].at, soon);
    assert_eq!(now[0].title, "Live exercise due in 7 days (2026-12-01)");
    assert!(now[0].body.contains("exercise policy"), "{}", now[0].body);
    assert!(now[0].body.contains("Plan one in Muster → Exercises"));
    assert_eq!(next, Some(overdue));

    let (now, next) = reminders(due, zone, utc("2027-01-01T00:00:00Z"));
    assert_eq!(
        now.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        [
            "exercise-due:2026-12-01:soon",
            "exercise-due:2026-12-01:overdue"
        ]
    );
    assert_eq!(now[1].title, "Live exercise overdue since 2026-12-01");
    assert_eq!(now[1].at, overdue);
    assert_eq!(next, None);

    // Summer time: 09:00 in Amsterdam is 07:00 UTC; in UTC, 09:00.
    let (_, next) = reminders(date(2026, 7, 10), zone, utc("2026-01-01T00:00:00Z"));
    assert_eq!(next, Some(utc("2026-07-03T07:00:00Z")));
    let (_, next) = reminders(date(2026, 7, 10), Tz::UTC, utc("2026-01-01T00:00:00Z"));
    assert_eq!(next, Some(utc("2026-07-03T09:00:00Z")));
}
