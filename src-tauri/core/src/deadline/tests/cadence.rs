//! Update cadences, channels to open, waivers, and the console's cadence lines.

use super::*;

#[test]
fn an_hourly_cadence_falls_due_each_hour_from_the_opening() {
    let opened = incident("2026-03-02T12:00:00Z");
    check(
        &hourly(),
        &[
            (
                "before the first hour",
                opened.clone(),
                "2026-03-02T12:59:59Z",
                "next 02 13:00 (since 02 13:00) upd:INC-1:internal:2026-03-02T13:00:00Z
                 next_at 02 13:00",
            ),
            (
                "due at the hour itself; not posted, it comes back in 15 minutes",
                opened.clone(),
                "2026-03-02T13:00:00Z",
                "due  02 13:00 (since 02 13:00) upd:INC-1:internal:2026-03-02T13:00:00Z
                 next 02 13:15 (since 02 13:00) upd:INC-1:internal:2026-03-02T13:15:00Z
                 next_at 02 13:15",
            ),
            (
                "two missed: only the latest reminder is due, overdue since the first",
                opened,
                "2026-03-02T14:37:00Z",
                "due  02 14:30 (since 02 13:00) upd:INC-1:internal:2026-03-02T14:30:00Z
                 next 02 14:45 (since 02 13:00) upd:INC-1:internal:2026-03-02T14:45:00Z
                 next_at 02 14:45",
            ),
        ],
    );
}

#[test]
fn a_minute_cadence_falls_due_each_period_of_minutes() {
    let plan = plan_with(vec![
        rule(
            "tight",
            Audience::Responders,
            Timing::EveryMinutes { minutes: 1 },
        ),
        rule(
            "five",
            Audience::Internal,
            Timing::EveryMinutes { minutes: 5 },
        ),
    ]);
    let opened = incident("2026-03-02T12:00:00Z");
    check(
        &plan,
        &[
            (
                "nothing due yet",
                opened.clone(),
                "2026-03-02T12:00:30Z",
                "next 02 12:01 (since 02 12:01) upd:INC-1:tight:2026-03-02T12:01:00Z
                 next 02 12:05 (since 02 12:05) upd:INC-1:five:2026-03-02T12:05:00Z
                 next_at 02 12:01",
            ),
            (
                "both overdue, the longest overdue first",
                opened.clone(),
                "2026-03-02T12:07:10Z",
                "due  02 12:07 (since 02 12:01) upd:INC-1:tight:2026-03-02T12:07:00Z
                 due  02 12:05 (since 02 12:05) upd:INC-1:five:2026-03-02T12:05:00Z
                 next 02 12:08 (since 02 12:01) upd:INC-1:tight:2026-03-02T12:08:00Z
                 next 02 12:10 (since 02 12:05) upd:INC-1:five:2026-03-02T12:10:00Z
                 next_at 02 12:08",
            ),
            (
                "an update for the minute rule restarts it from the update",
                opened.posted(Some("tight"), "2026-03-02T12:06:30Z"),
                "2026-03-02T12:07:10Z",
                "due  02 12:05 (since 02 12:05) upd:INC-1:five:2026-03-02T12:05:00Z
                 next 02 12:07 (since 02 12:07) upd:INC-1:tight:2026-03-02T12:07:30Z
                 next 02 12:10 (since 02 12:05) upd:INC-1:five:2026-03-02T12:10:00Z
                 next_at 02 12:07",
            ),
        ],
    );
}

#[test]
fn an_update_restarts_its_own_rule_only() {
    let plan = plan_with(vec![
        rule(
            "internal",
            Audience::Internal,
            Timing::EveryHours { hours: 1 },
        ),
        rule("users", Audience::Users, Timing::EveryHours { hours: 4 }),
    ]);
    let opened = || incident("2026-03-02T12:00:00Z");
    check(
        &plan,
        &[
            (
                "an internal update restarts internal; users keeps its clock",
                opened().posted(Some("internal"), "2026-03-02T12:40:00Z"),
                "2026-03-02T12:50:00Z",
                "next 02 13:40 (since 02 13:40) upd:INC-1:internal:2026-03-02T13:40:00Z
                 next 02 16:00 (since 02 16:00) upd:INC-1:users:2026-03-02T16:00:00Z
                 next_at 02 13:40",
            ),
            (
                "the latest update counts, and clears what was overdue",
                opened()
                    .posted(Some("internal"), "2026-03-02T12:40:00Z")
                    .posted(Some("internal"), "2026-03-02T14:10:00Z"),
                "2026-03-02T14:20:00Z",
                "next 02 15:10 (since 02 15:10) upd:INC-1:internal:2026-03-02T15:10:00Z
                 next 02 16:00 (since 02 16:00) upd:INC-1:users:2026-03-02T16:00:00Z
                 next_at 02 15:10",
            ),
            (
                "an update for another rule or none restarts nothing",
                opened()
                    .posted(Some("users"), "2026-03-02T12:40:00Z")
                    .posted(None, "2026-03-02T12:45:00Z"),
                "2026-03-02T13:20:00Z",
                "due  02 13:15 (since 02 13:00) upd:INC-1:internal:2026-03-02T13:15:00Z
                 next 02 13:30 (since 02 13:00) upd:INC-1:internal:2026-03-02T13:30:00Z
                 next 02 16:40 (since 02 16:40) upd:INC-1:users:2026-03-02T16:40:00Z
                 next_at 02 13:30",
            ),
        ],
    );
}

#[test]
fn cadences_run_only_while_the_incident_is_open() {
    let updated =
        || incident("2026-03-02T12:00:00Z").posted(Some("internal"), "2026-03-02T12:30:00Z");
    let now = "2026-03-02T14:40:00Z";
    check(
        &hourly(),
        &[
            (
                "mitigated is still open",
                updated().entered(Phase::Mitigated, "2026-03-02T12:45:00Z"),
                now,
                "due  02 14:30 (since 02 13:30) upd:INC-1:internal:2026-03-02T14:30:00Z
                 next 02 14:45 (since 02 13:30) upd:INC-1:internal:2026-03-02T14:45:00Z
                 next_at 02 14:45",
            ),
            (
                "resolved stops the updates",
                updated().entered(Phase::Resolved, "2026-03-02T12:45:00Z"),
                now,
                "next_at none",
            ),
            (
                "closed has nothing due",
                updated()
                    .entered(Phase::Resolved, "2026-03-02T12:45:00Z")
                    .entered(Phase::Closed, "2026-03-02T12:50:00Z"),
                now,
                "next_at none",
            ),
            (
                "a reopen restarts from the reopening, not from the earlier update",
                updated()
                    .entered(Phase::Resolved, "2026-03-02T12:45:00Z")
                    .reopened("2026-03-02T14:10:00Z"),
                now,
                "next 02 15:10 (since 02 15:10) upd:INC-1:internal:2026-03-02T15:10:00Z
                 next_at 02 15:10",
            ),
        ],
    );
}

#[test]
fn a_waived_rule_is_never_due() {
    let plan = plan_with(vec![
        rule(
            "internal",
            Audience::Internal,
            Timing::EveryHours { hours: 1 },
        ),
        rule("users", Audience::Users, Timing::EveryHours { hours: 4 }),
        rule(
            "public-pm",
            Audience::PublicPostMortem,
            Timing::AfterResolutionDays { days: 5 },
        ),
    ]);
    let opened = || {
        incident("2026-03-02T12:00:00Z")
            .waived("users")
            .waived("public-pm")
    };
    check(
        &plan,
        &[
            (
                "while open",
                opened(),
                "2026-03-02T20:00:00Z",
                "due  02 20:00 (since 02 13:00) upd:INC-1:internal:2026-03-02T20:00:00Z
                 next 02 20:15 (since 02 13:00) upd:INC-1:internal:2026-03-02T20:15:00Z
                 next_at 02 20:15",
            ),
            (
                "after resolution",
                opened().entered(Phase::Resolved, "2026-03-02T13:00:00Z"),
                "2026-03-09T20:00:00Z",
                "next_at none",
            ),
        ],
    );
    let states: Vec<_> = cadence(&plan, &opened(), utc("2026-03-02T20:00:00Z"), Berlin)
        .into_iter()
        .map(|l| (l.rule.to_string(), l.state, l.due_at))
        .collect();
    assert_eq!(
        states,
        [
            (
                "internal".to_owned(),
                CadenceState::Overdue,
                Some(utc("2026-03-02T13:00:00Z"))
            ),
            ("users".to_owned(), CadenceState::Waived, None),
            ("public-pm".to_owned(), CadenceState::Waived, None),
        ]
    );
}

#[test]
fn a_channel_is_due_at_the_opening_until_an_update_is_posted_for_it() {
    let plan = plan_with(vec![rule(
        "war-room",
        Audience::Responders,
        Timing::UntilCompletion,
    )]);
    let opened = || incident("2026-03-02T12:00:00Z");
    check(
        &plan,
        &[
            (
                "due at the opening",
                opened(),
                "2026-03-02T12:00:00Z",
                "due  02 12:00 (since 02 12:00) chan:INC-1:war-room
                 next 02 12:15 (since 02 12:00) chan:INC-1:war-room:1
                 next_at 02 12:15",
            ),
            (
                "still not opened: raised again every 15 minutes, the latest only",
                opened(),
                "2026-03-02T15:00:00Z",
                "due  02 15:00 (since 02 12:00) chan:INC-1:war-room:12
                 next 02 15:15 (since 02 12:00) chan:INC-1:war-room:13
                 next_at 02 15:15",
            ),
            (
                "an update for the rule opens it",
                opened().posted(Some("war-room"), "2026-03-02T12:03:00Z"),
                "2026-03-02T15:00:00Z",
                "next_at none",
            ),
            (
                "not once resolved",
                opened().entered(Phase::Resolved, "2026-03-02T13:00:00Z"),
                "2026-03-02T15:00:00Z",
                "next_at none",
            ),
        ],
    );
}

/// The starter plan's cadence for `incident` at `now`, one line per rule:
/// rule, state, due (UTC "day hh:mm"), last update, responsible.
fn cadence_lines(incident: &Incident, now: &str) -> Vec<String> {
    let t =
        |t: Option<DateTime<Utc>>| t.map_or("-".to_owned(), |t| t.format("%d %H:%M").to_string());
    cadence(&starter::plan(day()), incident, utc(now), Berlin)
        .into_iter()
        .map(|l| {
            format!(
                "{} {:?} due {} last {} {}",
                l.rule,
                l.state,
                t(l.due_at),
                t(l.last_update_at),
                l.responsible.unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn cadence_lines_follow_the_plan_with_state_and_deadline() {
    let open = || {
        incident("2026-03-02T12:00:00Z")
            .posted(Some("internal-hourly-update"), "2026-03-02T12:30:00Z")
    };
    let mut hacked = open();
    hacked.category = id("hacker-attack");
    let resolved = || {
        open()
            .waived("public-post-mortem")
            .entered(Phase::Resolved, "2026-03-02T13:00:00Z")
    };
    let cases: &[(&str, Incident, &str, &str)] = &[
        (
            "open: the channel overdue, updates on track, post-mortems not yet",
            open(),
            "2026-03-02T13:10:00Z",
            "responders-war-room Overdue due 02 12:00 last - Ben Sample
             internal-hourly-update OnTrack due 02 13:30 last 02 12:30 Ben Sample
             user-updates OnTrack due 02 16:00 last - Eli Forum
             internal-post-mortem NotYet due - last - Ben Sample
             public-post-mortem NotYet due - last - Ada Example",
        ),
        (
            "a rule for some categories applies to those only",
            hacked,
            "2026-03-02T13:40:00Z",
            "responders-war-room Overdue due 02 12:00 last - Ben Sample
             internal-hourly-update Overdue due 02 13:30 last 02 12:30 Ben Sample
             user-updates OnTrack due 02 16:00 last - Eli Forum
             app-banner Overdue due 02 13:00 last - Dara Mock
             internal-post-mortem NotYet due - last - Ben Sample
             public-post-mortem NotYet due - last - Ada Example",
        ),
        (
            "resolved: updates done, the post-mortem running, the waived one waived",
            resolved(),
            "2026-03-02T13:10:00Z",
            "responders-war-room Done due - last - Ben Sample
             internal-hourly-update Done due - last 02 12:30 Ben Sample
             user-updates Done due - last - Eli Forum
             internal-post-mortem OnTrack due 04 13:00 last - Ben Sample
             public-post-mortem Waived due - last - Ada Example",
        ),
        (
            "published",
            resolved().published(Audience::InternalPostMortem, "2026-03-05T09:00:00Z"),
            "2026-03-05T10:00:00Z",
            "responders-war-room Done due - last - Ben Sample
             internal-hourly-update Done due - last 02 12:30 Ben Sample
             user-updates Done due - last - Eli Forum
             internal-post-mortem Done due - last 05 09:00 Ben Sample
             public-post-mortem Waived due - last - Ada Example",
        ),
        (
            "closed with the post-mortem unpublished: over",
            resolved().entered(Phase::Closed, "2026-03-03T13:00:00Z"),
            "2026-03-05T10:00:00Z",
            "responders-war-room Done due - last - Ben Sample
             internal-hourly-update Done due - last 02 12:30 Ben Sample
             user-updates Done due - last - Eli Forum
             internal-post-mortem Done due - last - Ben Sample
             public-post-mortem Waived due - last - Ada Example",
        ),
    ];
    for (name, incident, now, expected) in cases {
        assert_eq!(
            cadence_lines(incident, now).join("\n"),
            lines(expected),
            "{name}"
        );
    }
    // The descriptive fields come from the rule.
    let first = cadence(
        &starter::plan(day()),
        &open(),
        utc("2026-03-02T13:10:00Z"),
        Berlin,
    );
    let described: Vec<_> = first
        .iter()
        .map(|l| (l.audience, l.timing.as_str(), l.optional))
        .collect();
    assert_eq!(
        described,
        [
            (Audience::Responders, "open until completion", false),
            (Audience::Internal, "every hour", false),
            (Audience::Users, "every 4 hours", false),
            (
                Audience::InternalPostMortem,
                "at resolution + 2 days",
                false
            ),
            (Audience::PublicPostMortem, "at resolution + 5 days", true),
        ]
    );
}
