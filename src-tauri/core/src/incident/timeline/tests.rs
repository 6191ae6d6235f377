//! Tests of the timeline: one line per event kind, and the exports.

use chrono_tz::Europe::Berlin;

use super::*;
use crate::export::Team;
use crate::incident::model::{Phase, Role, RoleAssignment};
use crate::incident::state::fixture::{declaration, recipient, Timeline};
use crate::incident::state::fold;
use crate::plan::{id, Audience, Severity};

/// One event of every kind after the declaration, 10:00 UTC onwards.
fn every_kind() -> Vec<(EventBody, &'static str, &'static str)> {
    vec![
        (
            declaration(),
            "Declared S1 (critical) in protocol-problem: Oracle failure",
            "The ETH feed stopped updating at block 19000000\nIncident lead: Ada Example\nScribe: Ben Sample\nTo notify upon detection: Ada Example, Dara Mock",
        ),
        (
            EventBody::PhaseChanged {
                from: Phase::Detected,
                to: Phase::Validated,
                note: "feed confirmed stale".to_owned(),
                escalate: vec![recipient("eli-forum", "Eli Forum", Team::Extended)],
            },
            "Detected → Validated: feed confirmed stale",
            "To notify: Eli Forum",
        ),
        (
            EventBody::PhaseChanged {
                from: Phase::Resolved,
                to: Phase::Validated,
                note: "price off again".to_owned(),
                escalate: vec![],
            },
            "Reopened: Resolved → Validated: price off again",
            "",
        ),
        (
            EventBody::SeverityChanged {
                from: Severity::S1,
                to: Severity::S2,
                note: String::new(),
            },
            "Severity S1 → S2 (major)",
            "",
        ),
        (
            EventBody::RoleAssigned {
                assignment: RoleAssignment {
                    role: Role::Communications,
                    contact: id("eli-forum"),
                    name: "Eli Forum".to_owned(),
                },
            },
            "Communications manager: Eli Forum",
            "",
        ),
        (
            EventBody::StepMarked {
                procedure: id("handle-oracle-failure"),
                step: id("pause-pool"),
                status: crate::incident::model::StepStatus::Blocked,
                note: "waiting for a signer\nChloe is travelling".to_owned(),
            },
            "Step pause-pool of handle-oracle-failure blocked: waiting for a signer",
            "waiting for a signer\nChloe is travelling",
        ),
        (
            EventBody::ContactNotified {
                contact: id("dara-mock"),
                name: "Dara Mock".to_owned(),
                channel: "phone".to_owned(),
            },
            "Notified Dara Mock by phone",
            "",
        ),
        (
            EventBody::UpdatePosted {
                rule: Some(id("internal-hourly-update")),
                audience: Audience::Internal,
                channel: "#incident-updates".to_owned(),
                text: "Pool paused; feed still stale.".to_owned(),
            },
            "Update to internal in #incident-updates",
            "Pool paused; feed still stale.",
        ),
        (
            EventBody::CommunicationWaived {
                rule: id("public-post-mortem"),
                reason: "no user was affected".to_owned(),
            },
            "Waived public-post-mortem: no user was affected",
            "",
        ),
        (
            EventBody::ReminderSent {
                key: "k".to_owned(),
                title: "INC-3 Oracle failure: internal update due".to_owned(),
                body: "Due 12:00 CET".to_owned(),
                delivered: false,
                detail: "no notification service".to_owned(),
            },
            "Reminder shown in the window only: INC-3 Oracle failure: internal update due: no notification service",
            "Due 12:00 CET",
        ),
        (
            EventBody::PostMortemPublished {
                audience: Audience::PublicPostMortem,
                rule: None,
                text: "# What happened".to_owned(),
            },
            "Public post-mortem published",
            "# What happened",
        ),
        (
            EventBody::Note {
                text: "Chainlink confirms\nthe outage".to_owned(),
            },
            "Note: Chainlink confirms",
            "Chainlink confirms\nthe outage",
        ),
    ]
}

#[test]
fn every_event_kind_reads_as_one_line_with_its_longer_text_apart() {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    t.events.clear();
    for (minute, (body, _, _)) in every_kind().into_iter().enumerate() {
        t.push(
            &format!("2026-03-01T10:{minute:02}:00Z"),
            "Ben Sample",
            body,
        );
    }
    for (event, (_, text, detail)) in t.events.iter().zip(every_kind()) {
        let entry = describe(event);
        assert_eq!((entry.text.as_str(), entry.detail.as_str()), (text, detail));
        assert_eq!(
            (entry.seq, entry.at, entry.author.as_str(), &entry.hash),
            (event.seq, event.at, "Ben Sample", &event.hash)
        );
    }
}

#[test]
fn in_an_incident_a_step_is_named_by_its_action_and_procedure() {
    let (incident, events) = sample();
    let step = &events[5];
    assert_eq!(
        describe_in(&incident, step).text,
        "Step “Pause the lending pool” (Handle an oracle failure) blocked: waiting for a signer"
    );
    // Other events, and steps the snapshot does not hold, read as without the incident.
    let mut unknown = step.clone();
    if let EventBody::StepMarked { step, .. } = &mut unknown.body {
        *step = id("not-in-the-snapshot");
    }
    for event in events.iter().chain([&unknown]) {
        if event.seq != 6 || event.body != step.body {
            assert_eq!(describe_in(&incident, event), describe(event));
        }
    }
}

#[test]
fn the_kind_is_the_type_of_the_stored_json() {
    for (body, _, _) in every_kind() {
        let value = serde_json::to_value(&body).unwrap_or_default();
        assert_eq!(value["type"].as_str(), Some(kind(&body)), "{body:?}");
    }
}

fn sample() -> (Incident, Vec<Event>) {
    let mut t = Timeline::declared("2026-03-01T10:00:00Z");
    for (minute, (body, _, _)) in every_kind().into_iter().enumerate().skip(1) {
        t.push(
            &format!("2026-03-01T10:{minute:02}:00Z"),
            "Ben | Sample",
            body,
        );
    }
    let incident = fold(&t.events).unwrap();
    (incident, t.events)
}

#[test]
fn the_markdown_export_has_the_header_every_event_in_local_time_and_every_hash() {
    let (incident, events) = sample();
    let text = markdown(&incident, &events, Berlin);
    let expected_lines = [
        "# INC-3: Oracle failure",
        "- **Severity:** S2 (major)",
        "- **Phase:** Validated",
        "- **Category:** `protocol-problem`",
        "- **Potential issue:** `oracle-failure`",
        "- **Declared:** 2026-03-01 11:00 CET by Ada Example",
        "- **Incident lead:** Ada Example",
        "- **Communications manager:** Eli Forum",
        "## Timeline (Europe/Berlin)",
        "| 7 | 2026-03-01 11:06 CET | Ben \\| Sample | Notified Dara Mock by phone |",
        "| 8 | 2026-03-01 11:07 CET | Ben \\| Sample | Update to internal in \\#incident-updates<br>Pool paused; feed still stale. |",
        "| 6 | 2026-03-01 11:05 CET | Ben \\| Sample | Step “Pause the lending pool” (Handle an oracle failure) blocked: waiting for a signer<br>waiting for a signer<br>Chloe is travelling |",
        "| 12 | 2026-03-01 11:11 CET | Ben \\| Sample | Note: Chainlink confirms<br>Chainlink confirms<br>the outage |",
    ];
    for line in expected_lines {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(!text.contains("EXERCISE"));
    for e in &events {
        let row = format!(
            "| {} | {} | `{}` | `{}` |",
            e.seq,
            crate::incident::chain::timestamp(e.at),
            e.prev_hash,
            e.hash
        );
        assert!(text.lines().any(|l| l == row), "missing {row:?}");
    }
}

#[test]
fn an_exercise_is_marked_in_the_markdown_title_and_header() {
    let (mut incident, events) = sample();
    incident.exercise = true;
    let text = markdown(&incident, &events, Berlin);
    assert!(
        text.starts_with("# EXERCISE — INC-3: Oracle failure\n"),
        "{text}"
    );
    assert!(text.contains("**EXERCISE**: this incident was declared in exercise mode"));
}

#[test]
fn the_json_export_holds_the_incident_and_the_stored_events_with_hashes() {
    #[derive(Deserialize)]
    struct Export {
        incident: Incident,
        events: Vec<Event>,
    }
    let (incident, events) = sample();
    let text = json(&incident, &events);
    let back: Export = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!((back.incident, back.events), (incident, events.clone()));
    assert!(text.contains(&format!("\"hash\": \"{}\"", events[3].hash)));
    assert!(text.starts_with("{\n  \"incident\": {"), "pretty: {text}");
}
