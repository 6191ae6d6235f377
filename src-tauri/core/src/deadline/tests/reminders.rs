//! Escalation reminders, catch-up after a clock jump, `next_at`, and how
//! reminders read.

use super::*;

#[test]
fn an_escalation_reminds_every_quarter_hour_until_everyone_is_notified() {
    let plan = plan_with(vec![]);
    check(
        &plan,
        &[
            (
                "due as soon as it is required",
                escalated(),
                "2026-03-02T12:00:00Z",
                "due  02 12:00 (since 02 12:00) esc:INC-1:1:0
                 next 02 12:15 (since 02 12:00) esc:INC-1:1:1
                 next_at 02 12:15",
            ),
            (
                "a quarter of an hour later, and after",
                escalated(),
                "2026-03-02T12:20:00Z",
                "due  02 12:15 (since 02 12:00) esc:INC-1:1:1
                 next 02 12:30 (since 02 12:00) esc:INC-1:1:2
                 next_at 02 12:30",
            ),
            (
                "one still pending",
                escalated().notified("ada-example", "2026-03-02T12:05:00Z"),
                "2026-03-02T12:20:00Z",
                "due  02 12:15 (since 02 12:00) esc:INC-1:1:1
                 next 02 12:30 (since 02 12:00) esc:INC-1:1:2
                 next_at 02 12:30",
            ),
            (
                "everyone notified: gone",
                escalated()
                    .notified("ada-example", "2026-03-02T12:05:00Z")
                    .notified("ben-sample", "2026-03-02T12:16:00Z"),
                "2026-03-02T12:20:00Z",
                "next_at none",
            ),
        ],
    );
    // The pending contacts, and criticality.
    let cases: &[(Incident, &[&str])] = &[
        (escalated(), &["ada-example", "ben-sample"]),
        (
            escalated().notified("ada-example", "2026-03-02T12:05:00Z"),
            &["ben-sample"],
        ),
    ];
    for (incident, pending) in cases {
        let a = agenda(
            &plan,
            std::slice::from_ref(incident),
            utc("2026-03-02T12:20:00Z"),
            Berlin,
        );
        let got: Vec<_> = a
            .due
            .iter()
            .chain(&a.upcoming)
            .map(|d| (d.kind.clone(), d.critical))
            .collect();
        let kind = DueKind::Escalation {
            phase: Phase::Detected,
            contacts: pending.iter().copied().map(id).collect(),
        };
        assert_eq!(got, [(kind.clone(), true), (kind, true)], "{pending:?}");
    }
}

#[test]
fn escalation_series_are_numbered_by_phase_entry_in_order() {
    // Detected at 12:00 (Ada); then one transition at 12:10 straight to
    // resolved, requiring the validation (Chloe) and resolution (Brightline)
    // escalations: three series, numbered in order of first appearance.
    let incident = incident("2026-03-02T12:00:00Z")
        .escalated(Phase::Detected, "2026-03-02T12:00:00Z", &["ada-example"])
        .escalated(Phase::Validated, "2026-03-02T12:10:00Z", &["chloe-demo"])
        .escalated(
            Phase::Resolved,
            "2026-03-02T12:10:00Z",
            &["brightline-security"],
        )
        .entered(Phase::Resolved, "2026-03-02T12:10:00Z");
    let plan = plan_with(vec![]);
    check(
        &plan,
        &[
            (
                "all pending",
                incident.clone(),
                "2026-03-02T12:12:00Z",
                "due  02 12:00 (since 02 12:00) esc:INC-1:1:0
                 due  02 12:10 (since 02 12:10) esc:INC-1:2:0
                 due  02 12:10 (since 02 12:10) esc:INC-1:3:0
                 next 02 12:15 (since 02 12:00) esc:INC-1:1:1
                 next 02 12:25 (since 02 12:10) esc:INC-1:2:1
                 next 02 12:25 (since 02 12:10) esc:INC-1:3:1
                 next_at 02 12:15",
            ),
            (
                "the first done: the others keep their numbers",
                incident.notified("ada-example", "2026-03-02T12:11:00Z"),
                "2026-03-02T12:12:00Z",
                "due  02 12:10 (since 02 12:10) esc:INC-1:2:0
                 due  02 12:10 (since 02 12:10) esc:INC-1:3:0
                 next 02 12:25 (since 02 12:10) esc:INC-1:2:1
                 next 02 12:25 (since 02 12:10) esc:INC-1:3:1
                 next_at 02 12:25",
            ),
        ],
    );
}

#[test]
fn after_a_clock_jump_each_series_catches_up_once() {
    let plan = plan_with(vec![
        rule(
            "internal",
            Audience::Internal,
            Timing::EveryHours { hours: 1 },
        ),
        rule("users", Audience::Users, Timing::EveryHours { hours: 4 }),
    ]);
    let incidents = [incident("2026-03-02T12:00:00Z")];
    let mut sent = HashSet::new();
    // (what happens, the clock then, the reminders raised)
    let steps: &[(&str, &str, &[&str])] = &[
        (
            "on time",
            "2026-03-02T13:00:01Z",
            &["upd:INC-1:internal:2026-03-02T13:00:00Z"],
        ),
        (
            "the same item is not raised again",
            "2026-03-02T13:10:00Z",
            &[],
        ),
        (
            "still not posted a quarter of an hour later: raised again, once",
            "2026-03-02T13:20:00Z",
            &["upd:INC-1:internal:2026-03-02T13:15:00Z"],
        ),
        (
            "five hours ahead: the latest of each series, once",
            "2026-03-02T18:00:01Z",
            &[
                "upd:INC-1:internal:2026-03-02T18:00:00Z",
                "upd:INC-1:users:2026-03-02T18:00:00Z",
            ],
        ),
        ("asked again", "2026-03-02T18:00:02Z", &[]),
        (
            "back to the first hour: already raised",
            "2026-03-02T13:10:00Z",
            &[],
        ),
        ("back before anything was due", "2026-03-02T12:30:00Z", &[]),
        ("forward again to where it was", "2026-03-02T18:10:00Z", &[]),
    ];
    for (what, now, expected) in steps {
        let a = agenda(&plan, &incidents, utc(now), Berlin);
        let raised: Vec<String> = to_notify(&a, &sent)
            .into_iter()
            .map(|d| d.key.clone())
            .collect();
        assert_eq!(raised, *expected, "{what} (at {now})");
        sent.extend(raised);
    }
}

#[test]
fn next_at_is_the_soonest_upcoming_and_none_when_nothing_runs() {
    let plan = hourly();
    let first = incident("2026-03-02T12:00:00Z");
    let mut second = incident("2026-03-02T12:20:00Z");
    second.id = IncidentId("INC-2".to_owned());
    let closed = first
        .clone()
        .entered(Phase::Resolved, "2026-03-02T12:10:00Z")
        .entered(Phase::Closed, "2026-03-02T12:15:00Z");
    let cases: &[(&str, Vec<Incident>, &str, Option<&str>)] = &[
        ("no incidents", vec![], "2026-03-02T12:30:00Z", None),
        (
            "only a closed one",
            vec![closed],
            "2026-03-02T12:30:00Z",
            None,
        ),
        (
            "the soonest of two",
            vec![second.clone(), first.clone()],
            "2026-03-02T12:30:00Z",
            Some("2026-03-02T13:00:00Z"),
        ),
        (
            "after the first fell due",
            vec![first, second],
            "2026-03-02T13:10:00Z",
            Some("2026-03-02T13:15:00Z"),
        ),
    ];
    for (name, incidents, now, expected) in cases {
        let a = agenda(&plan, incidents, utc(now), Berlin);
        assert_eq!(a.next_at, expected.map(utc), "{name}");
        assert_eq!(a.next_at, a.upcoming.first().map(|d| d.due_at), "{name}");
        let soonest_first = a.upcoming.windows(2).all(|w| w[0].due_at <= w[1].due_at);
        assert!(soonest_first, "{name}: upcoming not sorted");
    }
}

#[test]
fn titles_and_bodies_say_what_who_where_and_when_in_local_time() {
    let plan = plan_with(vec![
        rule("war-room", Audience::Responders, Timing::UntilCompletion),
        rule(
            "internal",
            Audience::Internal,
            Timing::EveryHours { hours: 1 },
        ),
        rule(
            "internal-pm",
            Audience::InternalPostMortem,
            Timing::AfterResolutionDays { days: 2 },
        ),
    ]);
    /// (key, title, body) of one reminder.
    type Text<'a> = (&'a str, &'a str, &'a str);
    let cases: &[(&str, Incident, &str, Tz, &[Text])] = &[
        (
            "open, two updates missed, in Berlin",
            escalated(),
            "2026-03-02T14:20:00Z",
            Berlin,
            &[
                (
                    "esc:INC-1:1:9",
                    "INC-1 Oracle failure: notify 2 people now (detection)",
                    "Due 15:15 CET — Ada Example, Ben Sample. Overdue since 13:00 (10 missed)",
                ),
                (
                    "chan:INC-1:war-room:9",
                    "INC-1 Oracle failure: open the responders channel",
                    "Due 13:00 CET in #war-room — Ben Sample. Still not done at 15:15 CET",
                ),
                (
                    "upd:INC-1:internal:2026-03-02T14:15:00Z",
                    "INC-1 Oracle failure: internal update overdue",
                    "Due 15:00 CET in #war-room — Ben Sample. Overdue since 14:00 (2 missed)",
                ),
                (
                    "chan:INC-1:war-room:10",
                    "INC-1 Oracle failure: open the responders channel",
                    "Due 13:00 CET in #war-room — Ben Sample. Still not done at 15:30 CET",
                ),
                (
                    "esc:INC-1:1:10",
                    "INC-1 Oracle failure: notify 2 people now (detection)",
                    "Due 15:30 CET — Ada Example, Ben Sample. Overdue since 13:00 (11 missed)",
                ),
                (
                    "upd:INC-1:internal:2026-03-02T14:30:00Z",
                    "INC-1 Oracle failure: internal update overdue",
                    "Due 15:00 CET in #war-room — Ben Sample. Overdue since 14:00 (2 missed)",
                ),
            ],
        ),
        (
            "the first occurrence, one person left, in New York",
            escalated()
                .notified("ada-example", "2026-03-02T12:01:00Z")
                .posted(Some("war-room"), "2026-03-02T12:02:00Z"),
            "2026-03-02T12:05:00Z",
            New_York,
            &[
                (
                    "esc:INC-1:1:0",
                    "INC-1 Oracle failure: notify 1 person now (detection)",
                    "Due 07:00 EST — Ben Sample",
                ),
                (
                    "esc:INC-1:1:1",
                    "INC-1 Oracle failure: notify 1 person now (detection)",
                    "Due 07:15 EST — Ben Sample. Overdue since 07:00 (2 missed)",
                ),
                (
                    "upd:INC-1:internal:2026-03-02T13:00:00Z",
                    "INC-1 Oracle failure: internal update due",
                    "Due 08:00 EST in #war-room — Ben Sample",
                ),
            ],
        ),
        (
            "a post-mortem names the day",
            incident("2026-03-28T09:00:00Z")
                .posted(Some("war-room"), "2026-03-28T09:01:00Z")
                .entered(Phase::Resolved, "2026-03-28T13:00:00Z"),
            "2026-03-28T14:00:00Z",
            Berlin,
            &[(
                "pm:INC-1:internal-pm",
                "INC-1 Oracle failure: internal post-mortem due",
                "Due Mon 30 Mar 14:00 CEST in #war-room — Ben Sample",
            )],
        ),
    ];
    for (name, incident, now, zone, expected) in cases {
        let a = agenda(&plan, std::slice::from_ref(incident), utc(now), *zone);
        let expected: Vec<_> = expected
            .iter()
            .map(|(k, t, b)| ((*k).to_owned(), (*t).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(texts(&a), expected, "{name}");
    }
}

#[test]
fn exercise_incidents_are_labelled() {
    let real = escalated();
    let mut drill = escalated();
    drill.id = IncidentId("INC-2".to_owned());
    drill.title = "Drill".to_owned();
    drill.exercise = true;
    let a = agenda(
        &hourly(),
        &[real, drill],
        utc("2026-03-02T13:00:00Z"),
        Berlin,
    );
    let got: Vec<_> = a
        .due
        .iter()
        .map(|d| (d.title.as_str(), d.exercise))
        .collect();
    assert_eq!(
        got,
        [
            (
                "INC-1 Oracle failure: notify 2 people now (detection)",
                false
            ),
            (
                "EXERCISE — INC-2 Drill: notify 2 people now (detection)",
                true
            ),
            ("INC-1 Oracle failure: internal update due", false),
            ("EXERCISE — INC-2 Drill: internal update due", true),
        ]
    );
}
