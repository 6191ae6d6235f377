//! Tests of the fold, one rule each.

use super::fixture::{recipient, utc, Timeline};
use super::*;
use crate::export::Team;
use crate::incident::model::{Recipient, Role, RoleAssignment, StepStatus};
use crate::plan::{id, Audience, Severity};

fn fold_ok(t: &Timeline) -> Incident {
    fold(&t.events).unwrap()
}

fn phase(from: Phase, to: Phase, escalate: Vec<Recipient>) -> EventBody {
    EventBody::PhaseChanged {
        from,
        to,
        note: String::new(),
        escalate,
    }
}

fn note(text: &str) -> EventBody {
    EventBody::Note {
        text: text.to_owned(),
    }
}

#[test]
fn a_timeline_must_start_with_its_declaration() {
    let mut not_declared = Timeline::declared("2026-03-01T10:00:00Z");
    not_declared.events.remove(0);
    not_declared.push("2026-03-01T10:01:00Z", "Ada", note("hello"));
    let mut twice = Timeline::declared("2026-03-01T10:00:00Z");
    twice.push("2026-03-01T10:01:00Z", "Ada", super::fixture::declaration());
    let cases: [(&str, &[Event], &str); 3] = [
        ("empty", &[], "an incident without events cannot be read"),
        (
            "note first",
            &not_declared.events,
            "the first event of INC-3 is not its declaration",
        ),
        (
            "declared twice",
            &twice.events,
            "INC-3 is declared a second time in event 2",
        ),
    ];
    for (name, events, message) in cases {
        let got = fold(events).err().map(|e| e.to_string());
        assert_eq!(
            got,
            Some(format!("stored data is unreadable: {message}")),
            "{name}"
        );
    }
}

#[test]
fn the_declaration_sets_the_incident_up_and_requires_the_detection_escalation() {
    let t = Timeline::declared("2026-03-01T10:00:00Z");
    let at = utc("2026-03-01T10:00:00Z");
    let i = fold_ok(&t);
    assert_eq!(
        (
            i.id.as_str(),
            i.title.as_str(),
            i.phase,
            i.severity,
            i.exercise
        ),
        (
            "INC-3",
            "Oracle failure",
            Phase::Detected,
            Severity::S1,
            false
        )
    );
    assert_eq!(
        (i.issue, i.category),
        (Some(id("oracle-failure")), id("protocol-problem"))
    );
    assert_eq!(
        (
            i.declared_at,
            i.declared_by.as_str(),
            i.opened_at,
            i.resolved_at
        ),
        (at, "Ada Example", at, None)
    );
    assert_eq!(
        i.phases,
        vec![PhaseTime {
            phase: Phase::Detected,
            at,
            by: "Ada Example".to_owned()
        }]
    );
    assert_eq!(
        i.escalations
            .iter()
            .map(|e| (
                e.phase,
                e.at,
                e.recipient.contact.as_str(),
                e.notified.is_none()
            ))
            .collect::<Vec<_>>(),
        vec![
            (Phase::Detected, at, "ada-example", true),
            (Phase::Detected, at, "dara-mock", true)
        ]
    );
    assert_eq!(i.procedures.len(), 1);
    assert_eq!(i.roles.len(), 2);
    assert_eq!((i.event_count, i.last_event_at), (1, at));
}

#[test]
fn transitions_are_listed_with_time_and_author_and_resolution_is_kept() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    t.push(
        "2026-03-01T10:05:00Z",
        "Ben",
        phase(Phase::Detected, Phase::Validated, vec![]),
    )
    .push(
        "2026-03-01T11:00:00Z",
        "Ada",
        phase(Phase::Validated, Phase::Resolved, vec![]),
    )
    .push(
        "2026-03-03T09:00:00Z",
        "Ada",
        phase(Phase::Resolved, Phase::Closed, vec![]),
    );
    let i = fold_ok(&t);
    assert_eq!(
        i.phases
            .iter()
            .map(|p| (p.phase, p.at, p.by.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (Phase::Detected, utc("2026-03-01T10:00:00Z"), "Ada Example"),
            (Phase::Validated, utc("2026-03-01T10:05:00Z"), "Ben"),
            (Phase::Resolved, utc("2026-03-01T11:00:00Z"), "Ada"),
            (Phase::Closed, utc("2026-03-03T09:00:00Z"), "Ada"),
        ]
    );
    assert_eq!(i.phase, Phase::Closed);
    assert_eq!(i.resolved_at, Some(utc("2026-03-01T11:00:00Z")));
    assert_eq!(i.opened_at, utc("2026-03-01T10:00:00Z"));
    assert_eq!(i.event_count, 4);
    assert_eq!(i.last_event_at, utc("2026-03-03T09:00:00Z"));
}

#[test]
fn a_reopen_restarts_the_open_period_and_forgets_the_resolution() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    t.push(
        "2026-03-01T11:00:00Z",
        "Ada",
        phase(Phase::Detected, Phase::Resolved, vec![]),
    )
    .push(
        "2026-03-02T08:00:00Z",
        "Ada",
        phase(Phase::Resolved, Phase::Closed, vec![]),
    )
    .push(
        "2026-03-02T09:00:00Z",
        "Ben",
        phase(
            Phase::Closed,
            Phase::Validated,
            vec![recipient("eli-forum", "Eli Forum", Team::Extended)],
        ),
    );
    let i = fold_ok(&t);
    assert_eq!(
        (i.phase, i.opened_at, i.resolved_at),
        (Phase::Validated, utc("2026-03-02T09:00:00Z"), None)
    );
    let last = i
        .escalations
        .last()
        .map(|e| (e.phase, e.at, e.recipient.name.as_str()));
    assert_eq!(
        last,
        Some((Phase::Validated, utc("2026-03-02T09:00:00Z"), "Eli Forum"))
    );
    // Resolved again: the new resolution counts.
    t.push(
        "2026-03-02T12:00:00Z",
        "Ben",
        phase(Phase::Validated, Phase::Resolved, vec![]),
    );
    assert_eq!(fold_ok(&t).resolved_at, Some(utc("2026-03-02T12:00:00Z")));
}

#[test]
fn each_transition_adds_its_escalations_under_the_phase_entered() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    let extended = vec![
        recipient("eli-forum", "Eli Forum", Team::Extended),
        recipient("brightline-security", "Brightline", Team::Extended),
    ];
    t.push(
        "2026-03-01T10:05:00Z",
        "Ben",
        phase(Phase::Detected, Phase::Resolved, extended),
    );
    let i = fold_ok(&t);
    assert_eq!(
        i.escalations
            .iter()
            .map(|e| (e.phase, e.recipient.contact.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (Phase::Detected, "ada-example"),
            (Phase::Detected, "dara-mock"),
            (Phase::Resolved, "eli-forum"),
            (Phase::Resolved, "brightline-security"),
        ]
    );
}

#[test]
fn a_notification_marks_every_pending_escalation_of_that_contact_only() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    let ada = recipient("ada-example", "Ada Example", Team::Core);
    t.push(
        "2026-03-01T10:01:00Z",
        "Ben",
        EventBody::ContactNotified {
            contact: id("ada-example"),
            name: "Ada Example".to_owned(),
            channel: "phone".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:02:00Z",
        "Ben",
        phase(Phase::Detected, Phase::Validated, vec![ada]),
    )
    .push(
        "2026-03-01T10:03:00Z",
        "Chloe",
        EventBody::ContactNotified {
            contact: id("ada-example"),
            name: "Ada Example".to_owned(),
            channel: "chat".to_owned(),
        },
    );
    let i = fold_ok(&t);
    let marks: Vec<_> = i
        .escalations
        .iter()
        .map(|e| {
            (
                e.phase,
                e.recipient.contact.as_str(),
                e.notified
                    .as_ref()
                    .map(|n| (n.at, n.by.as_str(), n.channel.as_str())),
            )
        })
        .collect();
    assert_eq!(
        marks,
        vec![
            (
                Phase::Detected,
                "ada-example",
                Some((utc("2026-03-01T10:01:00Z"), "Ben", "phone"))
            ),
            (Phase::Detected, "dara-mock", None),
            (
                Phase::Validated,
                "ada-example",
                Some((utc("2026-03-01T10:03:00Z"), "Chloe", "chat"))
            ),
        ]
    );
}

#[test]
fn steps_keep_their_latest_mark_in_the_order_first_marked() {
    let mark = |step: &str, status, note: &str| EventBody::StepMarked {
        procedure: id("handle-oracle-failure"),
        step: id(step),
        status,
        note: note.to_owned(),
    };
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    t.push(
        "2026-03-01T10:01:00Z",
        "Ben",
        mark("pause-pool", StepStatus::Blocked, "no signer"),
    )
    .push(
        "2026-03-01T10:02:00Z",
        "Ada",
        mark("confirm-feed", StepStatus::Done, ""),
    )
    .push(
        "2026-03-01T10:09:00Z",
        "Dara",
        mark("pause-pool", StepStatus::Done, "paused"),
    );
    let i = fold_ok(&t);
    assert_eq!(
        i.steps
            .iter()
            .map(|s| (
                s.step.as_str(),
                s.status,
                s.note.as_str(),
                s.by.as_str(),
                s.at
            ))
            .collect::<Vec<_>>(),
        vec![
            (
                "pause-pool",
                StepStatus::Done,
                "paused",
                "Dara",
                utc("2026-03-01T10:09:00Z")
            ),
            (
                "confirm-feed",
                StepStatus::Done,
                "",
                "Ada",
                utc("2026-03-01T10:02:00Z")
            ),
        ]
    );
}

#[test]
fn severity_and_roles_take_their_latest_value() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    let assign = |role, contact: &str, name: &str| EventBody::RoleAssigned {
        assignment: RoleAssignment {
            role,
            contact: id(contact),
            name: name.to_owned(),
        },
    };
    t.push(
        "2026-03-01T10:01:00Z",
        "Ada",
        EventBody::SeverityChanged {
            from: Severity::S1,
            to: Severity::S2,
            note: "funds safe".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:02:00Z",
        "Ada",
        assign(Role::Scribe, "chloe-demo", "Chloe Demo"),
    )
    .push(
        "2026-03-01T10:03:00Z",
        "Ada",
        assign(Role::Communications, "eli-forum", "Eli Forum"),
    );
    let i = fold_ok(&t);
    assert_eq!(i.severity, Severity::S2);
    assert_eq!(
        i.roles
            .iter()
            .map(|r| (r.role, r.contact.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (Role::Lead, "ada-example"),
            (Role::Scribe, "chloe-demo"),
            (Role::Communications, "eli-forum"),
        ]
    );
}

#[test]
fn updates_waivers_publications_and_reminders_are_collected_in_order() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    t.push(
        "2026-03-01T10:30:00Z",
        "Ben",
        EventBody::UpdatePosted {
            rule: Some(id("internal-hourly-update")),
            audience: Audience::Internal,
            channel: "#incident-updates".to_owned(),
            text: "Feed stale; pool paused".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:31:00Z",
        "Ada",
        EventBody::CommunicationWaived {
            rule: id("public-post-mortem"),
            reason: "near miss".to_owned(),
        },
    )
    .push(
        "2026-03-01T11:00:00Z",
        "Muster",
        EventBody::ReminderSent {
            key: "upd:INC-3:user-updates:2026-03-01T11:00:00Z".to_owned(),
            title: "INC-3 Oracle failure: users update due".to_owned(),
            body: String::new(),
            delivered: true,
            detail: String::new(),
        },
    )
    .push(
        "2026-03-03T11:00:00Z",
        "Ada",
        EventBody::PostMortemPublished {
            audience: Audience::InternalPostMortem,
            rule: Some(id("internal-post-mortem")),
            text: "# Post-mortem".to_owned(),
        },
    )
    .push("2026-03-03T11:05:00Z", "Ada", note("done"));
    let i = fold_ok(&t);
    assert_eq!(
        i.updates
            .iter()
            .map(|u| (u.rule.clone(), u.audience, u.at, u.by.as_str()))
            .collect::<Vec<_>>(),
        vec![(
            Some(id("internal-hourly-update")),
            Audience::Internal,
            utc("2026-03-01T10:30:00Z"),
            "Ben"
        )]
    );
    assert_eq!(
        i.waivers
            .iter()
            .map(|w| (w.rule.as_str(), w.reason.as_str(), w.by.as_str()))
            .collect::<Vec<_>>(),
        vec![("public-post-mortem", "near miss", "Ada")]
    );
    assert_eq!(
        i.reminders,
        vec!["upd:INC-3:user-updates:2026-03-01T11:00:00Z".to_owned()]
    );
    assert_eq!(
        i.publications
            .iter()
            .map(|p| (p.audience, p.rule.clone(), p.at))
            .collect::<Vec<_>>(),
        vec![(
            Audience::InternalPostMortem,
            Some(id("internal-post-mortem")),
            utc("2026-03-03T11:00:00Z")
        )]
    );
    assert_eq!(
        (i.event_count, i.last_event_at),
        (6, utc("2026-03-03T11:05:00Z"))
    );
}
