//! Tests of the post-mortem drafts: prefilled from the timeline, blameless,
//! and the public one without internal details.

use chrono::NaiveDate;
use chrono_tz::Europe::Berlin;

use super::*;
use crate::decision::{DecisionId, DecisionRequest, Quorum};
use crate::export::Team;
use crate::incident::model::{Phase, StepStatus};
use crate::incident::state::fixture::{recipient, Timeline};
use crate::incident::state::fold;
use crate::incident::IncidentId;
use crate::plan::id;
use crate::starter;

fn plan() -> Plan {
    starter::plan(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default())
}

/// INC-3 declared 10:00 UTC (11:00 in Berlin), validated, the pause step
/// done, an update to users and one internal, notes, resolved at 11:05 UTC.
fn resolved() -> (Incident, Vec<Event>) {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    t.push(
        "2026-03-01T10:05:00Z",
        "Ben Sample",
        EventBody::PhaseChanged {
            from: Phase::Detected,
            to: Phase::Validated,
            note: "second source agrees".to_owned(),
            escalate: vec![recipient("eli-forum", "Eli Forum", Team::Extended)],
        },
    )
    .push(
        "2026-03-01T10:06:00Z",
        "Ben Sample",
        EventBody::ContactNotified {
            contact: id("ada-example"),
            name: "Ada Example".to_owned(),
            channel: "phone".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:09:00Z",
        "Dara Mock",
        EventBody::StepMarked {
            procedure: id("handle-oracle-failure"),
            step: id("pause-pool"),
            status: StepStatus::Done,
            note: "guardian Safe executed the pause".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:20:00Z",
        "Eli Forum",
        EventBody::UpdatePosted {
            rule: Some(id("user-updates")),
            audience: Audience::Users,
            channel: "Discord #announcements".to_owned(),
            text: "Borrowing is paused while we check a price feed".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:30:00Z",
        "Ben Sample",
        EventBody::UpdatePosted {
            rule: Some(id("internal-hourly-update")),
            audience: Audience::Internal,
            channel: "Slack #incident-updates".to_owned(),
            text: "Feed stale since block 19000000".to_owned(),
        },
    )
    .push(
        "2026-03-01T10:40:00Z",
        "Muster",
        EventBody::ReminderSent {
            key: "k".to_owned(),
            title: "INC-3 Oracle failure: internal update due".to_owned(),
            body: String::new(),
            delivered: true,
            detail: String::new(),
        },
    )
    .push(
        "2026-03-01T10:50:00Z",
        "Dara Mock",
        EventBody::Note {
            text: "Chainlink says the node operator restarted".to_owned(),
        },
    )
    .push(
        "2026-03-01T11:05:00Z",
        "Ada Example",
        EventBody::PhaseChanged {
            from: Phase::Validated,
            to: Phase::Resolved,
            note: String::new(),
            escalate: vec![],
        },
    );
    let incident = fold(&t.events).unwrap();
    (incident, t.events)
}

/// A decision requested under `policy` on INC-3, standing at `state`.
fn requested(policy: &str, state: QuorumState) -> DecisionStatus {
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T10:20:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    DecisionStatus {
        request: DecisionRequest {
            id: DecisionId("DEC-0123456789abcdef".to_owned()),
            incident: IncidentId("INC-3".to_owned()),
            policy: id(policy),
            policy_title: "Pause contract".to_owned(),
            statement: "Pause the lending pool".to_owned(),
            namespace: String::new(),
            exercise: false,
            created: at,
            expires: at + chrono::Duration::hours(1),
            record_sha256: String::new(),
            record: String::new(),
            local: true,
            requested_by: "Ada Example".to_owned(),
        },
        quorum: Quorum {
            state,
            approvers: vec![],
            additional_needed: 0,
            additional_approved: 0,
            waiting_for: vec![],
            additional_missing: 0,
            summary: String::new(),
        },
        signatures: vec![],
        attestations: vec![],
    }
}

fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "missing {line:?} in\n{text}"
    );
}

#[test]
fn the_internal_draft_is_prefilled_from_the_timeline() {
    let (incident, events) = resolved();
    let text = draft(
        &plan(),
        &incident,
        &events,
        &[],
        Audience::InternalPostMortem,
        Berlin,
    );
    for line in [
        "# Post-mortem: INC-3 Oracle failure",
        "## Summary",
        "INC-3 was declared on 2026-03-01 11:00 CET by Ada Example as S1 (critical), in the category Protocol problem, for the potential issue Oracle failure (`oracle-failure`). It was resolved on 2026-03-01 12:05 CET, 1 h 5 min after it was declared.",
        "The ETH feed stopped updating at block 19000000",
        "| Validated | 2026-03-01 11:05 CET | Ben Sample |",
        "Roles: Incident lead: Ada Example; Scribe: Ben Sample.",
        "## Impact",
        "- **To fill:** who was affected, and how many",
        "## Timeline (Europe/Berlin)",
        "| 2026-03-01 11:05 CET | Ben Sample | Detected → Validated: second source agrees |",
        "| 2026-03-01 11:30 CET | Ben Sample | Update to internal in Slack \\#incident-updates<br>Feed stale since block 19000000 |",
        "| 2026-03-01 11:50 CET | Dara Mock | Note: Chainlink says the node operator restarted |",
        "| Ada Example | core | detected at 2026-03-01 11:00 CET | 2026-03-01 11:06 CET by Ben Sample (phone) |",
        "| Eli Forum | extended | validated at 2026-03-01 11:05 CET | **not recorded** |",
        "## What went well",
        "## What went badly",
        "| Action | Owner | Due |",
        "| **To fill:** | **To fill:** | **To fill:** |",
    ] {
        has_line(&text, line);
    }
    has_line(
        &text,
        "| 2026-03-01 11:09 CET | Dara Mock | Step “Pause the lending pool” (Handle an oracle failure) done: guardian Safe executed the pause |",
    );
    assert!(
        !text.contains("internal update due"),
        "reminders are left out:\n{text}"
    );
}

#[test]
fn decisions_list_each_step_that_needed_one_with_its_status() {
    let (incident, events) = resolved();
    let text = draft(
        &plan(),
        &incident,
        &events,
        &[],
        Audience::InternalPostMortem,
        Berlin,
    );
    has_line(&text, "| Procedure | Step | Decision | Status | Note |");
    has_line(
        &text,
        "| Handle an oracle failure | Pause the lending pool | Pause contract: not requested | done (Dara Mock, 2026-03-01 11:09 CET) | guardian Safe executed the pause |",
    );
    // The step was marked done while its decision is still pending: the
    // draft says pending, not only done; a later approval says approved.
    let mut asked = requested("pause-contract", QuorumState::Pending);
    let drafted = |asked: &DecisionStatus| {
        draft(
            &plan(),
            &incident,
            &events,
            std::slice::from_ref(asked),
            Audience::InternalPostMortem,
            Berlin,
        )
    };
    let text = drafted(&asked);
    has_line(
        &text,
        "| Handle an oracle failure | Pause the lending pool | Pause contract: **pending** (not approved), DEC-0123456789abcdef | done (Dara Mock, 2026-03-01 11:09 CET) | guardian Safe executed the pause |",
    );
    // Still pending when the incident closed: closed with it, said so.
    asked.quorum.state = QuorumState::Closed;
    let text = drafted(&asked);
    assert!(
        text.contains("| Pause contract: **pending** when the incident closed: closed unapproved, DEC-0123456789abcdef | done"),
        "{text}"
    );
    asked.quorum.state = QuorumState::Approved;
    let text = drafted(&asked);
    assert!(
        text.contains("| Pause contract: approved, DEC-0123456789abcdef |"),
        "{text}"
    );
    // A step not marked yet says so; without decision steps the section says there were none.
    let (mut open, _) = resolved();
    open.steps.clear();
    let text = draft(
        &plan(),
        &open,
        &events,
        &[],
        Audience::InternalPostMortem,
        Berlin,
    );
    has_line(
        &text,
        "| Handle an oracle failure | Pause the lending pool | Pause contract: not requested | not done | — |",
    );
    open.procedures[0].steps.retain(|s| s.decision.is_none());
    let text = draft(
        &plan(),
        &open,
        &events,
        &[],
        Audience::InternalPostMortem,
        Berlin,
    );
    has_line(
        &text,
        "No step of the procedures followed needed a decision.",
    );
}

#[test]
fn the_public_draft_is_short_and_leaves_out_internal_details() {
    let (incident, events) = resolved();
    let text = draft(
        &plan(),
        &incident,
        &events,
        &[],
        Audience::PublicPostMortem,
        Berlin,
    );
    for line in [
        "# Incident report: Oracle failure",
        "On 2026-03-01 11:00 CET we detected a critical incident (Protocol problem: Oracle failure). It was resolved on 2026-03-01 12:05 CET, 1 h 5 min after it was declared.",
        "- **To fill:** what happened, in plain words",
        "- **To fill:** what users experienced, and for how long",
        "| 2026-03-01 11:00 CET | Detected |",
        "| 2026-03-01 11:05 CET | Validated |",
        "| 2026-03-01 11:20 CET | Update to users |",
        "| 2026-03-01 12:05 CET | Resolved |",
        "| What we are changing | By when |",
    ] {
        has_line(&text, line);
    }
    for internal in [
        "Ada",
        "Ben",
        "Dara",
        "Eli",
        "Chloe",
        "Slack",
        "announcements",
        "Discord",
        "phone",
        "second source",
        "Chainlink",
        "block 19000000",
        "guardian",
        "INC-3",
    ] {
        let body = text.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert!(!body.contains(internal), "{internal:?} leaked into\n{text}");
    }
    let internal = draft(
        &plan(),
        &incident,
        &events,
        &[],
        Audience::InternalPostMortem,
        Berlin,
    );
    assert!(
        text.len() * 2 < internal.len(),
        "the public draft is the shorter one"
    );
}

#[test]
fn an_unplanned_unresolved_exercise_says_so() {
    let (mut incident, events) = resolved();
    incident.issue = None;
    incident.exercise = true;
    incident.resolved_at = None;
    incident.phase = Phase::Mitigated;
    let text = draft(
        &plan(),
        &incident,
        &events,
        &[],
        Audience::InternalPostMortem,
        Berlin,
    );
    assert!(
        text.starts_with("# EXERCISE — Post-mortem: INC-3 Oracle failure\n"),
        "{text}"
    );
    assert!(text.contains(
        "in the category Protocol problem, as an unplanned incident (no potential issue in the plan matched). It is not resolved yet (phase: mitigated)."
    ), "{text}");
    let public = draft(
        &plan(),
        &incident,
        &events,
        &[],
        Audience::PublicPostMortem,
        Berlin,
    );
    assert!(
        public.starts_with("# EXERCISE — Incident report: Oracle failure\n"),
        "{public}"
    );
    assert!(
        public.contains("a critical incident (Protocol problem). It is not resolved yet"),
        "{public}"
    );
}

#[test]
fn durations_read_in_days_hours_and_minutes() {
    let cases = [
        (0, "0 min"),
        (40, "40 min"),
        (65, "1 h 5 min"),
        (1440, "1 day"),
        (3060, "2 days 3 h"),
    ];
    for (minutes, expected) in cases {
        assert_eq!(duration(Duration::minutes(minutes)), expected);
    }
}
