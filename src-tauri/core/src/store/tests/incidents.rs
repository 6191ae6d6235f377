//! Store tests of incidents: declaring from the plan, the lifecycle with who
//! and when, refusals that change nothing, reminders raised once, post-mortem
//! deadlines, the tamper test, and the migrations under the incident tables.

use std::path::Path;

use chrono_tz::Europe::Berlin;

use super::*;
use crate::incident::model::{
    Declaration, Incident, IncidentAction, IncidentId, Phase, Role, StepStatus,
};
use crate::plan::{id, Audience, Severity};
use crate::testing::{at, utc};

fn ok<T>(result: Result<T>) -> T {
    result.unwrap()
}

/// A store seeded on 2026-03-01 with the starter plan, with Ada as the author.
fn open(dir: &Path) -> Store {
    let mut store = ok(Store::open_in(dir, &at("2026-03-01T09:30:00Z")));
    ok(store.set_profile_name("Ada Example"));
    store
}

fn declaration(issue: &str) -> Declaration {
    Declaration {
        issue: Some(id(issue)),
        category: None,
        title: None,
        severity: Severity::S1,
        exercise: false,
        description: "The ETH feed stopped updating".to_owned(),
        lead: Some(id("ada-example")),
        scribe: Some(id("ben-sample")),
        communications: None,
    }
}

fn inc(n: u32) -> IncidentId {
    IncidentId(format!("INC-{n}"))
}

/// Acts as `author` at `when`.
fn act(store: &mut Store, author: &str, when: &str, action: IncidentAction) -> Incident {
    ok(store.set_profile_name(author));
    ok(store.act_on_incident(&inc(1), &action, &at(when)))
}

fn transition(to: Phase, note: &str) -> IncidentAction {
    IncidentAction::Transition {
        to,
        note: note.to_owned(),
    }
}

/// The event count and head hash on the incident's row, and the events stored.
fn chain_state(store: &Store, id: &IncidentId) -> (u32, String, u32) {
    let c = store.connection();
    let (count, head) = c
        .query_row(
            "SELECT event_count, head_hash FROM incident WHERE id = ?1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let rows = c
        .query_row(
            "SELECT count(*) FROM incident_event WHERE incident = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    (count, head, rows)
}

fn contacts(incident: &Incident, phase: Phase) -> Vec<String> {
    incident
        .escalations
        .iter()
        .filter(|e| e.phase == phase)
        .map(|e| e.recipient.contact.to_string())
        .collect()
}

#[test]
fn declaring_from_an_issue_snapshots_its_procedures_and_the_detection_escalation() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    let plan = ok(store.plan());

    let incident =
        ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));

    assert_eq!(incident.id, inc(1));
    assert_eq!(
        (
            incident.title.as_str(),
            incident.category.as_str(),
            incident.issue.clone()
        ),
        (
            "Oracle failure",
            "protocol-problem",
            Some(id("oracle-failure"))
        )
    );
    let expected: Vec<_> = plan
        .procedures_for(&id("oracle-failure"))
        .map(|p| {
            (
                p.id.clone(),
                p.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
            )
        })
        .collect();
    let got: Vec<_> = incident
        .procedures
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                p.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(got
        .iter()
        .any(|(p, _)| p.as_str() == "handle-oracle-failure"));
    // Protocol problems: no rotation, so the owners Ada and Dara, upon detection.
    assert_eq!(
        contacts(&incident, Phase::Detected),
        ["ada-example", "dara-mock"]
    );
    assert_eq!(
        incident
            .roles
            .iter()
            .map(|r| (r.role, r.name.as_str()))
            .collect::<Vec<_>>(),
        vec![(Role::Lead, "Ada Example"), (Role::Scribe, "Ben Sample")]
    );
    assert_eq!(
        (incident.declared_at, incident.declared_by.as_str()),
        (utc("2026-03-02T10:00:00Z"), "Ada Example")
    );
    // Stored: the event, the summary row, and a second declaration counts on.
    let events = ok(store.events(&inc(1)));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].prev_hash, crate::incident::chain::GENESIS);
    assert_eq!(ok(store.incident(&inc(1))), incident);
    let second =
        ok(store.declare_incident(&declaration("gas-price-spike"), &at("2026-03-02T11:00:00Z")));
    assert_eq!(second.id, inc(2));
    // Network problems have a rotation: only Dara, on call from 2 March 09:00 London time.
    assert_eq!(contacts(&second, Phase::Detected), ["dara-mock"]);
    assert!(second.escalations[0].recipient.on_call);
    let list = ok(store.incidents());
    assert_eq!(
        list.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["INC-2", "INC-1"],
        "newest first"
    );
}

#[test]
fn an_unplanned_incident_takes_its_category_and_title_from_the_declaration() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    let unplanned = Declaration {
        issue: None,
        category: Some(id("operational-problem")),
        title: Some("  Office flooded ".to_owned()),
        exercise: true,
        ..declaration("oracle-failure")
    };
    let incident = ok(store.declare_incident(&unplanned, &at("2026-03-02T10:00:00Z")));
    assert_eq!(
        (
            incident.title.as_str(),
            incident.issue.clone(),
            incident.procedures.len(),
            incident.exercise
        ),
        ("Office flooded", None, 0, true)
    );
    assert_eq!(
        contacts(&incident, Phase::Detected),
        ["ben-sample", "chloe-demo"]
    );
}

#[test]
fn a_bad_declaration_is_refused_and_declares_nothing() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    let unplanned = |category: Option<&str>, title: Option<&str>| Declaration {
        issue: None,
        category: category.map(id),
        title: title.map(str::to_owned),
        ..declaration("oracle-failure")
    };
    let cases = [
        (declaration("no-such-issue"), vec![("issue", "no potential issue has the id `no-such-issue`")]),
        (
            unplanned(None, Some("Flood")),
            vec![("category", "an unplanned incident needs a category: choose one of hacker-attack, network-problem, protocol-problem, operational-problem")],
        ),
        (unplanned(Some("weather"), Some("Flood")), vec![("category", "no category has the id `weather`")]),
        (
            unplanned(Some("operational-problem"), Some("   ")),
            vec![("title", "an unplanned incident needs a title: say in a few words what is happening")],
        ),
        (
            Declaration {
                communications: Some(id("nobody")),
                ..declaration("oracle-failure")
            },
            vec![("communications", "the communications manager `nobody` is not a contact in the core or extended team")],
        ),
        // Every mistake at once, each at its field.
        (
            Declaration {
                lead: Some(id("nobody")),
                scribe: Some(id("no-one")),
                ..unplanned(Some("weather"), None)
            },
            vec![
                ("category", "no category has the id `weather`"),
                ("title", "an unplanned incident needs a title: say in a few words what is happening"),
                ("lead", "the incident lead `nobody` is not a contact in the core or extended team"),
                ("scribe", "the scribe `no-one` is not a contact in the core or extended team"),
            ],
        ),
    ];
    for (bad, expected) in cases {
        let got = store.declare_incident(&bad, &at("2026-03-02T10:00:00Z"));
        let Err(Error::Invalid {
            what: "declaration",
            problems,
        }) = got
        else {
            panic!("{bad:?}: {got:?}")
        };
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.location.field, p.message.as_str()))
            .collect();
        assert_eq!(found, expected);
        assert!(problems.iter().all(|p| p.location.section == "declaration"));
    }
    assert_eq!(ok(store.incidents()), vec![]);
}

#[test]
fn the_lifecycle_records_who_did_what_and_when() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));

    act(
        &mut store,
        "Ben Sample",
        "2026-03-02T10:05:00Z",
        transition(Phase::Validated, "second source agrees"),
    );
    act(
        &mut store,
        "Ben Sample",
        "2026-03-02T10:06:00Z",
        IncidentAction::MarkNotified {
            contact: id("ada-example"),
            channel: "phone".to_owned(),
        },
    );
    act(
        &mut store,
        "Dara Mock",
        "2026-03-02T10:09:00Z",
        IncidentAction::MarkStep {
            procedure: id("handle-oracle-failure"),
            step: id("pause-affected-markets"),
            status: StepStatus::Done,
            note: "guardian Safe executed".to_owned(),
        },
    );
    act(
        &mut store,
        "Ben Sample",
        "2026-03-02T10:30:00Z",
        IncidentAction::PostUpdate {
            rule: Some(id("internal-hourly-update")),
            audience: Audience::Internal,
            channel: String::new(),
            text: "Markets paused".to_owned(),
        },
    );
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T10:40:00Z",
        IncidentAction::SetSeverity {
            severity: Severity::S2,
            note: "no loss".to_owned(),
        },
    );
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T10:41:00Z",
        IncidentAction::AssignRole {
            role: Role::Communications,
            contact: id("eli-forum"),
        },
    );
    act(
        &mut store,
        "Dara Mock",
        "2026-03-02T11:00:00Z",
        transition(Phase::Mitigated, ""),
    );
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T12:00:00Z",
        transition(Phase::Resolved, "feed back"),
    );
    act(
        &mut store,
        "Ben Sample",
        "2026-03-03T09:00:00Z",
        IncidentAction::PublishPostMortem {
            audience: Audience::InternalPostMortem,
            text: "# Post-mortem".to_owned(),
        },
    );
    act(
        &mut store,
        "Ada Example",
        "2026-03-03T09:05:00Z",
        IncidentAction::WaiveCommunication {
            rule: id("public-post-mortem"),
            reason: "no user was affected".to_owned(),
        },
    );
    let i = act(
        &mut store,
        "Ada Example",
        "2026-03-03T09:10:00Z",
        transition(Phase::Closed, ""),
    );

    let phases: Vec<_> = i
        .phases
        .iter()
        .map(|p| (p.phase, p.at, p.by.as_str()))
        .collect();
    assert_eq!(
        phases,
        vec![
            (Phase::Detected, utc("2026-03-02T10:00:00Z"), "Ada Example"),
            (Phase::Validated, utc("2026-03-02T10:05:00Z"), "Ben Sample"),
            (Phase::Mitigated, utc("2026-03-02T11:00:00Z"), "Dara Mock"),
            (Phase::Resolved, utc("2026-03-02T12:00:00Z"), "Ada Example"),
            (Phase::Closed, utc("2026-03-03T09:10:00Z"), "Ada Example"),
        ]
    );
    // Validation of a protocol problem brings in the extended team.
    assert_eq!(contacts(&i, Phase::Validated).len(), 5);
    let ada = i
        .escalations
        .iter()
        .find(|e| e.recipient.contact.as_str() == "ada-example");
    assert_eq!(
        ada.and_then(|e| e.notified.clone())
            .map(|n| (n.at, n.by, n.channel)),
        Some((
            utc("2026-03-02T10:06:00Z"),
            "Ben Sample".to_owned(),
            "phone".to_owned()
        ))
    );
    assert_eq!(
        i.steps
            .iter()
            .map(|s| (s.step.as_str(), s.status, s.by.as_str()))
            .collect::<Vec<_>>(),
        vec![("pause-affected-markets", StepStatus::Done, "Dara Mock")]
    );
    // A blank channel takes the rule's.
    assert_eq!(
        i.updates
            .iter()
            .map(|u| (u.channel.as_str(), u.by.as_str()))
            .collect::<Vec<_>>(),
        vec![(
            "Slack #incident-updates and email to team@example.com",
            "Ben Sample"
        )]
    );
    assert_eq!(
        (i.severity, i.resolved_at),
        (Severity::S2, Some(utc("2026-03-02T12:00:00Z")))
    );
    assert_eq!(i.roles.last().map(|r| r.name.as_str()), Some("Eli Forum"));
    assert_eq!(i.event_count, 12);
    // The summary row follows, and the chain is intact.
    let summary = ok(store.incidents());
    assert_eq!(
        (
            summary[0].phase,
            summary[0].severity,
            summary[0].last_event_at
        ),
        (Phase::Closed, Severity::S2, utc("2026-03-03T09:10:00Z"))
    );
    assert_eq!(chain_state(&store, &inc(1)).0, 12);
    assert_eq!(ok(store.verify_incident(&inc(1))).first_bad, None);
    assert_eq!(
        ok(store.active_incidents()),
        vec![],
        "a closed incident is not active"
    );
    // The published text is the saved post-mortem.
    let pm = ok(store.post_mortem(&inc(1), Audience::InternalPostMortem, Berlin));
    assert_eq!(
        (pm.text.as_str(), pm.edited, pm.published_at),
        ("# Post-mortem", true, Some(utc("2026-03-03T09:00:00Z")))
    );
}

#[test]
fn a_reopen_goes_back_to_validated_and_restarts_the_clocks() {
    let dir = ok(tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string())));
    let mut store = open(dir.path());
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T12:00:00Z",
        transition(Phase::Resolved, ""),
    );
    let pm = ok(store.post_mortem(&inc(1), Audience::InternalPostMortem, Berlin));
    assert_eq!(pm.due_at, Some(utc("2026-03-04T12:00:00Z")));

    let i = act(
        &mut store,
        "Ben Sample",
        "2026-03-02T15:00:00Z",
        IncidentAction::Reopen {
            reason: "the feed froze again".to_owned(),
        },
    );
    assert_eq!(
        (i.phase, i.opened_at, i.resolved_at),
        (Phase::Validated, utc("2026-03-02T15:00:00Z"), None)
    );
    let last = i.phases.last().map(|p| (p.phase, p.by.as_str()));
    assert_eq!(last, Some((Phase::Validated, "Ben Sample")));
    // Entering validation again asks for the extended team again.
    assert_eq!(
        i.escalations
            .iter()
            .filter(|e| e.at == utc("2026-03-02T15:00:00Z"))
            .count(),
        5
    );
    let pm = ok(store.post_mortem(&inc(1), Audience::InternalPostMortem, Berlin));
    assert_eq!(
        pm.due_at, None,
        "no post-mortem is due until the next resolution"
    );
    act(
        &mut store,
        "Ada Example",
        "2026-03-02T18:00:00Z",
        transition(Phase::Resolved, ""),
    );
    let pm = ok(store.post_mortem(&inc(1), Audience::InternalPostMortem, Berlin));
    assert_eq!(pm.due_at, Some(utc("2026-03-04T18:00:00Z")));
}

mod chain;
mod refusals;

/// A clock stepped back between two writes: the timeline keeps the chain's
/// order, marks the entry timed before its predecessor, and verify says so.
#[test]
fn a_clock_stepped_back_is_shown_as_such_and_verify_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let id =
        ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-04T13:00:00Z"))).id;
    let note = |text: &str| IncidentAction::AddNote {
        text: text.to_owned(),
    };
    act(&mut store, "Ada", "2026-03-04T13:10:00Z", note("On it"));
    // The laptop's clock is set back an hour.
    act(
        &mut store,
        "Ada",
        "2026-03-04T12:10:00Z",
        note("After the clock moved"),
    );
    act(
        &mut store,
        "Ada",
        "2026-03-04T12:20:00Z",
        note("Later still"),
    );

    let verified = ok(store.verify_incident(&id));
    assert_eq!(verified.first_bad, None, "the chain itself is intact");
    let back: Vec<(u32, String, String)> = verified
        .clock_back
        .iter()
        .map(|b| (b.seq, b.at.to_rfc3339(), b.after.to_rfc3339()))
        .collect();
    assert_eq!(
        back,
        [(
            3,
            "2026-03-04T12:10:00+00:00".to_owned(),
            "2026-03-04T13:10:00+00:00".to_owned()
        )]
    );
    let view = ok(store.incident_view(&id, utc("2026-03-04T12:30:00Z"), Berlin));
    let shown: Vec<(u32, bool)> = view
        .timeline
        .iter()
        .map(|e| (e.seq, e.clock_back))
        .collect();
    assert_eq!(
        shown,
        [(1, false), (2, false), (3, true), (4, false)],
        "chain order, jump marked"
    );
}

#[test]
fn an_action_is_checked_against_the_state_kept_beside_the_chain_which_verify_holds_to_the_timeline()
{
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let id =
        ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-04T13:00:00Z"))).id;
    let note = |text: &str| IncidentAction::AddNote {
        text: text.to_owned(),
    };
    act(&mut store, "Ada", "2026-03-04T13:10:00Z", note("On it"));
    let folded = |store: &mut Store| crate::incident::state::fold(&ok(store.events(&id))).unwrap();
    assert_eq!(ok(store.incident(&id)), folded(&mut store));

    // As a database from before the state was kept (schema 14) has it: no
    // state, or one kept at another head. The timeline is folded instead,
    // and the next action keeps the state again.
    for (forget, to) in [
        (
            "UPDATE incident SET folded = NULL, folded_head = NULL",
            Phase::Validated,
        ),
        (
            "UPDATE incident SET folded_head = 'an older head'",
            Phase::Mitigated,
        ),
    ] {
        store.connection().execute(forget, []).unwrap();
        assert_eq!(ok(store.incident(&id)), folded(&mut store));
        let after = act(
            &mut store,
            "Ada",
            "2026-03-04T13:20:00Z",
            transition(to, "Moved on"),
        );
        assert_eq!(after, folded(&mut store));
        assert_eq!(ok(store.incident(&id)).phase, to);
        assert!(!ok(store.verify_incident(&id)).state_differs);
    }

    // The kept state altered outside Muster: verify says so though the
    // chain itself is intact.
    store
        .connection()
        .execute(
            "UPDATE incident SET folded = replace(folded, '\"phase\":\"mitigated\"', '\"phase\":\"closed\"')",
            [],
        )
        .unwrap();
    let verified = ok(store.verify_incident(&id));
    assert_eq!(verified.first_bad, None);
    assert!(verified.state_differs, "{verified:?}");
}

#[test]
fn a_long_incident_s_console_holds_its_newest_events_and_earlier_ones_come_a_page_at_a_time() {
    use crate::incident::view::TIMELINE_PAGE;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let id =
        ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-04T13:00:00Z"))).id;
    let page = TIMELINE_PAGE as usize;
    let events = page * 2 + 50;
    let start = utc("2026-03-04T13:00:00Z");
    for n in 2..=events {
        // Event `page + 50` (the first of the newest page) is timed before
        // the one before it: the clock was set back across the page's edge.
        let offset = if n == events - page + 1 { 0 } else { n as i64 };
        let when = start + chrono::Duration::seconds(offset);
        ok(store.act_on_incident(
            &id,
            &IncidentAction::AddNote {
                text: format!("note {n}"),
            },
            &crate::clock::FixedClock(when),
        ));
    }
    let zone = chrono_tz::UTC;
    let view = ok(store.incident_view(&id, utc("2026-03-04T15:00:00Z"), zone));
    assert_eq!(view.incident.event_count as usize, events);
    let seqs: Vec<u32> = view.timeline.iter().map(|e| e.seq).collect();
    let newest: Vec<u32> = ((events - page + 1) as u32..=events as u32).collect();
    assert_eq!(seqs, newest, "the newest page, oldest first");
    assert!(
        view.timeline[0].clock_back,
        "seen against the event before the page"
    );
    assert_eq!(view.timeline.iter().filter(|e| e.clock_back).count(), 1);

    // The page before, then what is left.
    let before = ok(store.incident_timeline(&id, seqs[0], TIMELINE_PAGE));
    let expected: Vec<u32> = (51..=page as u32 + 50).collect();
    assert_eq!(before.iter().map(|e| e.seq).collect::<Vec<_>>(), expected);
    assert_eq!(before[0].text, "Note: note 51");
    let first = ok(store.incident_timeline(&id, 51, TIMELINE_PAGE));
    assert_eq!(first.len(), 50);
    assert_eq!(first[0].kind, "declared");
    assert!(ok(store.incident_timeline(&id, 1, TIMELINE_PAGE)).is_empty());
    // The pages together are the timeline.
    let all: Vec<_> = first
        .into_iter()
        .chain(before)
        .chain(view.timeline)
        .collect();
    let stored = ok(store.events(&id));
    assert_eq!(all.len(), stored.len());
    assert!(all
        .iter()
        .zip(&stored)
        .all(|(a, b)| a.seq == b.seq && a.hash == b.hash));
    // An unknown incident is not found.
    assert!(store
        .incident_timeline(&IncidentId("INC-99".to_owned()), 10, 10)
        .is_err());
}

#[test]
fn hostile_or_oversized_text_in_an_incident_is_refused_by_field_and_changes_nothing() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let mut long = declaration("oracle-failure");
    long.title = Some("T".repeat(250));
    long.description = "Feed stale \u{202E}reversed".to_owned();
    match store.declare_incident(&long, &at("2026-03-02T09:00:00Z")) {
        Err(Error::Invalid { problems, .. }) => {
            let fields: Vec<&str> = problems.iter().map(|p| p.location.field).collect();
            assert_eq!(fields, ["description", "title"], "{problems:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(ok(store.incidents()).is_empty(), "nothing declared");

    let incident =
        ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T09:00:00Z")));
    let before = ok(store.events(&incident.id)).len();
    let note = IncidentAction::AddNote {
        text: "clear the screen \u{1b}[2J".to_owned(),
    };
    let refused = store.act_on_incident(&incident.id, &note, &at("2026-03-02T09:01:00Z"));
    assert!(
        matches!(&refused, Err(Error::Invalid { problems, .. }) if problems[0].location.field == "text"
            && problems[0].message.contains("U+001B")),
        "{refused:?}"
    );
    assert_eq!(ok(store.events(&incident.id)).len(), before);
    // A post-mortem is as long as it must be; an ordinary note with line breaks is fine.
    let fine = IncidentAction::AddNote {
        text: "Two lines\nof notes".to_owned(),
    };
    ok(store.act_on_incident(&incident.id, &fine, &at("2026-03-02T09:02:00Z")));
}

#[test]
fn an_overdue_update_comes_back_as_often_as_this_laptop_says_and_a_bad_interval_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    ok(store.declare_incident(&declaration("oracle-failure"), &at("2026-03-02T10:00:00Z")));
    // The starter's internal update is hourly: due 11:00, overdue after.
    let internal = |store: &mut Store, now: &str| -> Vec<String> {
        let agenda = ok(store.agenda(utc(now), Berlin));
        agenda
            .upcoming
            .iter()
            .filter(|d| d.key.starts_with("upd:INC-1:internal-hourly-update:"))
            .map(|d| d.due_at.format("%H:%M").to_string())
            .collect()
    };
    assert_eq!(ok(store.overdue_reminder()), 15, "the default");
    assert_eq!(internal(&mut store, "2026-03-02T11:01:00Z"), ["11:15"]);
    ok(store.set_overdue_reminder(30));
    assert_eq!(ok(store.overdue_reminder()), 30);
    assert_eq!(internal(&mut store, "2026-03-02T11:01:00Z"), ["11:30"]);
    for bad in [0, 4, 121, 10_000] {
        match store.set_overdue_reminder(bad) {
            Err(Error::Refused(why)) => {
                assert!(why.contains("between 5 and 120 minutes"), "{why}")
            }
            other => panic!("{bad} minutes: {other:?}"),
        }
    }
    assert_eq!(
        ok(store.overdue_reminder()),
        30,
        "unchanged by the refusals"
    );
    // An unreadable stored value counts as unset.
    ok(store.set_setting("reminders.overdue-every-minutes", Some("often")));
    assert_eq!(ok(store.overdue_reminder()), 15);
}
