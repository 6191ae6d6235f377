//! Post-mortem deadlines: local calendar days across daylight-saving changes.

use super::*;

#[test]
fn local_days_keep_the_wall_clock_time_across_daylight_saving() {
    // (zone, resolved, days, due, hours between them)
    let cases: &[(Tz, &str, u32, &str, i64)] = &[
        // No change in between: whole days.
        (
            Berlin,
            "2026-03-02T12:00:00Z",
            2,
            "2026-03-04T12:00:00Z",
            48,
        ),
        (Berlin, "2026-03-02T12:00:00Z", 0, "2026-03-02T12:00:00Z", 0),
        // Saturday 28 March 14:00 CET; clocks go forward on Sunday 29 March:
        // Monday 14:00 CEST is 47 hours later, Thursday 14:00 CEST 119.
        (
            Berlin,
            "2026-03-28T13:00:00Z",
            2,
            "2026-03-30T12:00:00Z",
            47,
        ),
        (
            Berlin,
            "2026-03-28T13:00:00Z",
            5,
            "2026-04-02T12:00:00Z",
            119,
        ),
        // Saturday 24 October 14:00 CEST; back on Sunday 25 October: 49 and 121 hours.
        (
            Berlin,
            "2026-10-24T12:00:00Z",
            2,
            "2026-10-26T13:00:00Z",
            49,
        ),
        (
            Berlin,
            "2026-10-24T12:00:00Z",
            5,
            "2026-10-29T13:00:00Z",
            121,
        ),
        // New York changes on 8 March and 1 November: Saturday 10:00 to Monday 10:00.
        (
            New_York,
            "2026-03-07T15:00:00Z",
            2,
            "2026-03-09T14:00:00Z",
            47,
        ),
        (
            New_York,
            "2026-03-07T15:00:00Z",
            5,
            "2026-03-12T14:00:00Z",
            119,
        ),
        (
            New_York,
            "2026-10-31T14:00:00Z",
            2,
            "2026-11-02T15:00:00Z",
            49,
        ),
        (
            New_York,
            "2026-10-31T14:00:00Z",
            5,
            "2026-11-05T15:00:00Z",
            121,
        ),
        // Resolved Friday 02:30: on Sunday 02:30 does not exist (the clocks
        // jump from 02:00 to 03:00); the deadline moves forward to 03:00.
        (
            Berlin,
            "2026-03-27T01:30:00Z",
            2,
            "2026-03-29T01:00:00Z",
            47,
        ),
        (
            New_York,
            "2026-03-06T07:30:00Z",
            2,
            "2026-03-08T07:00:00Z",
            47,
        ),
        // Resolved at a time that happens twice on the due day: the earlier.
        (
            Berlin,
            "2026-10-23T00:30:00Z",
            2,
            "2026-10-25T00:30:00Z",
            48,
        ),
        (
            New_York,
            "2026-10-30T05:30:00Z",
            2,
            "2026-11-01T05:30:00Z",
            48,
        ),
    ];
    for (zone, resolved, days, due, hours) in cases {
        let got = add_local_days(utc(resolved), *days, *zone);
        let between = (got - utc(resolved)).num_hours();
        assert_eq!(
            (got, between),
            (utc(due), *hours),
            "{zone} {resolved} + {days} days"
        );
    }
    // The Berlin gap in local time: Sunday 03:00 CEST.
    let gap = add_local_days(utc("2026-03-27T01:30:00Z"), 2, Berlin);
    assert_eq!(
        gap.with_timezone(&Berlin).format("%a %H:%M %Z").to_string(),
        "Sun 03:00 CEST"
    );
}

#[test]
fn post_mortems_fall_due_days_after_resolution_in_local_time() {
    // Saturday 28 March 14:00 CET, the day before Berlin's change to summer time.
    let resolved =
        || incident("2026-03-28T09:00:00Z").entered(Phase::Resolved, "2026-03-28T13:00:00Z");
    check(
        &post_mortems(),
        &[
            (
                "nothing before resolution",
                incident("2026-03-28T09:00:00Z").entered(Phase::Mitigated, "2026-03-28T10:00:00Z"),
                "2026-04-10T00:00:00Z",
                "next_at none",
            ),
            (
                "47 and 119 hours after resolution: 14:00 CEST",
                resolved(),
                "2026-03-29T10:00:00Z",
                "next 30 12:00 (since 30 12:00) pm:INC-1:internal-pm
                 next 02 12:00 (since 02 12:00) pm:INC-1:public-pm
                 next_at 30 12:00",
            ),
            (
                "the internal one overdue",
                resolved(),
                "2026-03-31T09:00:00Z",
                "due  30 12:00 (since 30 12:00) pm:INC-1:internal-pm
                 next 02 12:00 (since 02 12:00) pm:INC-1:public-pm
                 next_at 02 12:00",
            ),
            (
                "published for its audience: done",
                resolved().published(Audience::InternalPostMortem, "2026-03-31T08:00:00Z"),
                "2026-03-31T09:00:00Z",
                "next 02 12:00 (since 02 12:00) pm:INC-1:public-pm
                 next_at 02 12:00",
            ),
            (
                "a reopen takes them away until the next resolution",
                resolved().reopened("2026-03-29T08:00:00Z"),
                "2026-03-31T09:00:00Z",
                "next_at none",
            ),
            (
                "closed: nothing",
                resolved().entered(Phase::Closed, "2026-03-29T08:00:00Z"),
                "2026-03-31T09:00:00Z",
                "next_at none",
            ),
        ],
    );
}
