//! Two laptops and a team folder: what one declares and does reaches the
//! other's timeline through signed files; concurrent work on both merges;
//! nothing is taken in twice; a laptop out of the team writes nothing.

use std::path::Path;

use crate::fixtures::{at, declare, key_of, laptop, ok};
use crate::incident::model::{EventBody, IncidentAction, IncidentId};
use crate::store::Store;
use crate::team::folder::{self, scan};
use crate::team::SignedEvent;
use crate::testing::temp;

/// The folders two laptops and their team folder live in, kept while a test runs.
struct Folders {
    _laptops: [tempfile::TempDir; 2],
    shared: tempfile::TempDir,
}

impl Folders {
    /// The team folder.
    fn path(&self) -> &Path {
        self.shared.path()
    }
}

/// Ada's and Ben's laptops (keyed starter plans, each profile set), both in
/// one team folder.
fn ada_and_ben() -> (Store, Store, Folders) {
    let (a, b, shared) = (temp(), temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut ben = laptop(b.path(), "ben-sample", None);
    ok(ada.join_team(shared.path(), "ada-laptop"));
    ok(ben.join_team(shared.path(), "ben-laptop"));
    let folders = Folders {
        _laptops: [a, b],
        shared,
    };
    (ada, ben, folders)
}

/// What the shell does for `who`: signs the outbox with their key and
/// writes it to the folder, then takes in what the folder holds.
fn sync(store: &mut Store, dir: &Path, who: &str) -> crate::store::Intake {
    for envelope in ok(store.team_outbox()) {
        let signed = SignedEvent::sign(envelope, &key_of(who)).unwrap();
        folder::write(dir, &signed).unwrap();
        ok(store.team_signed(&signed.id(), &signed.to_file()));
    }
    let found = scan(dir, &ok(store.plan()));
    assert_eq!(found.quarantined, [], "{who}");
    ok(store.take_in(&found, &at("2026-11-24T03:30:00Z")))
}

fn note(store: &mut Store, id: &IncidentId, text: &str, when: &str) {
    ok(store.act_on_incident(
        id,
        &IncidentAction::AddNote {
            text: text.to_owned(),
        },
        &at(when),
    ));
}

fn notes(store: &mut Store, id: &IncidentId) -> Vec<(String, String)> {
    ok(store.events(id))
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::Note { text } => Some((e.author, text)),
            _ => None,
        })
        .collect()
}

#[test]
fn what_one_laptop_declares_and_does_reaches_the_other_and_concurrent_work_merges() {
    let (mut ada, mut ben, shared) = ada_and_ben();

    // Ada declares: an id no other laptop makes, and it reaches Ben.
    let id = declare(&mut ada, false);
    assert!(
        id.as_str().starts_with("INC-") && id.as_str().len() == 9,
        "{id}"
    );
    assert_eq!(ok(ada.team_outbox()).len(), 1);
    sync(&mut ada, shared.path(), "ada-example");
    assert!(ok(ada.team_outbox()).is_empty());
    let taken = sync(&mut ben, shared.path(), "ben-sample");
    assert_eq!((taken.new, taken.incidents.clone()), (1, vec![id.clone()]));
    let there = ok(ben.incident(&id));
    let here = ok(ada.incident(&id));
    assert_eq!(there.title, here.title);
    assert_eq!(there.declared_by, "Ada Example");
    assert_eq!(there.escalations.len(), here.escalations.len());

    // Ben adds a note; Ada sees it, by Ben.
    note(&mut ben, &id, "Contract paused", "2026-11-24T03:05:00Z");
    sync(&mut ben, shared.path(), "ben-sample");
    sync(&mut ada, shared.path(), "ada-example");
    assert_eq!(
        notes(&mut ada, &id),
        [("Ben Sample".to_owned(), "Contract paused".to_owned())]
    );

    // Both write at once, having seen the same: both notes reach both.
    note(&mut ada, &id, "Funds traced", "2026-11-24T03:10:00Z");
    note(&mut ben, &id, "Exchange told", "2026-11-24T03:10:00Z");
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");
    sync(&mut ada, shared.path(), "ada-example");
    // Both laptops show them in one order, though they arrived in another.
    let on_ada = notes(&mut ada, &id);
    assert_eq!(on_ada, notes(&mut ben, &id));
    assert_eq!(on_ada.len(), 3);
    assert_eq!(on_ada[0].1, "Contract paused");
    // Taking in again changes nothing.
    let again = sync(&mut ada, shared.path(), "ada-example");
    assert_eq!((again.new, again.incidents.len()), (0, 0));
    assert_eq!(
        ok(ada.incident(&id)).event_count,
        ok(ben.incident(&id)).event_count
    );
    // Each laptop's own chain still verifies.
    assert_eq!(ok(ada.verify_incident(&id)).first_bad, None);
    assert_eq!(ok(ben.verify_incident(&id)).first_bad, None);

    // The status says who was heard from.
    let status = ok(ada.team_status());
    assert_eq!(status.unsigned, 0);
    assert_eq!(status.teammates.len(), 1);
    assert_eq!(status.teammates[0].person.as_str(), "ben-sample");
    assert_eq!(status.teammates[0].events, 2);
}

#[test]
fn an_event_whose_declaration_has_not_arrived_waits_and_then_applies() {
    let (a, b, shared, early) = (temp(), temp(), temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut ben = laptop(b.path(), "ben-sample", None);
    ok(ada.join_team(shared.path(), "ada-laptop"));
    ok(ben.join_team(shared.path(), "ben-laptop"));
    let id = declare(&mut ada, false);
    note(&mut ada, &id, "First look", "2026-11-24T03:01:00Z");
    let outbox = ok(ada.team_outbox());
    assert_eq!(outbox.len(), 2);
    // Only the note has reached Ben's copy of the folder.
    let signed: Vec<SignedEvent> = outbox
        .into_iter()
        .map(|e| SignedEvent::sign(e, &key_of("ada-example")).unwrap())
        .collect();
    folder::write(early.path(), &signed[1]).unwrap();
    let plan = ok(ben.plan());
    let first = ok(ben.take_in(&scan(early.path(), &plan), &at("2026-11-24T03:02:00Z")));
    assert_eq!((first.new, first.waiting), (1, 1));
    assert!(ben.incident(&id).is_err());
    // The declaration arrives: both apply, in order.
    folder::write(early.path(), &signed[0]).unwrap();
    let then = ok(ben.take_in(&scan(early.path(), &plan), &at("2026-11-24T03:03:00Z")));
    assert_eq!((then.new, then.waiting), (1, 0));
    assert_eq!(
        notes(&mut ben, &id),
        [("Ada Example".to_owned(), "First look".to_owned())]
    );
}

#[test]
fn a_laptop_out_of_the_team_numbers_incidents_and_writes_no_team_event() {
    let dir = temp();
    let mut alone = laptop(dir.path(), "ada-example", None);
    let id = declare(&mut alone, false);
    assert_eq!(id.as_str(), "INC-1");
    assert!(ok(alone.team_outbox()).is_empty());
    assert!(ok(alone.team_status()).profile.is_none());
    // Joining needs a folder that exists.
    let missing = alone.join_team(&dir.path().join("nope"), "ada-laptop");
    assert_eq!(
        missing.err().map(|e| e.code()),
        Some(crate::ErrorCode::Unavailable)
    );
}

#[test]
fn a_reminder_a_laptop_showed_stays_on_that_laptop() {
    let (mut ada, mut ben, shared) = ada_and_ben();
    let id = declare(&mut ada, false);
    let agenda = ok(ada.agenda(crate::fixtures::utc("2026-11-24T03:00:00Z"), chrono_tz::UTC));
    let item = agenda.due.first().unwrap().clone();
    assert!(ok(ada.record_reminder(
        &item,
        true,
        "shown",
        &at("2026-11-24T03:00:00Z")
    )));
    // Only the declaration goes out; the incident still reads, declaration first.
    assert_eq!(ok(ada.team_outbox()).len(), 1);
    assert_eq!(
        ok(ada.incident(&id)).reminders,
        std::slice::from_ref(&item.key)
    );
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");
    // Ben's laptop raises its own reminders: Ada's are not his.
    assert!(ok(ben.incident(&id)).reminders.is_empty());
}

#[test]
fn a_decision_requested_on_one_laptop_is_signed_on_another_and_the_quorum_is_the_same_everywhere() {
    use crate::decision::model::{Answer, QuorumState};
    use crate::fixtures::request;

    let (mut ada, mut ben, shared) = ada_and_ben();
    let incident = declare(&mut ada, false);
    let r = request(&mut ada, &incident, "pause-contract", 1);
    ok(ada.sign_decision(
        &r.id,
        &Answer::Approve,
        &key_of("ada-example"),
        &at("2026-11-24T03:01:00Z"),
    ));
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");

    // The request is on Ben's laptop, with Ada's approval counted there too.
    let clock = at("2026-11-24T03:02:00Z");
    let there = ok(ben.decision_status(&r.id, &clock));
    assert_eq!(there.request.record, r.record);
    assert_eq!(there.signatures.len(), 1);
    // Ben approves in his own window; his signature reaches Ada's laptop.
    ok(ben.sign_decision(&r.id, &Answer::Approve, &key_of("ben-sample"), &clock));
    sync(&mut ben, shared.path(), "ben-sample");
    sync(&mut ada, shared.path(), "ada-example");
    let here = ok(ada.decision_status(&r.id, &clock));
    let there = ok(ben.decision_status(&r.id, &clock));
    assert_eq!(here.signatures.len(), 2);
    assert_eq!(here.quorum, there.quorum);
    assert_eq!(
        here.quorum.state,
        QuorumState::Approved,
        "{:?}",
        here.quorum
    );
    // Both timelines say so, each written by its own laptop.
    for store in [&mut ada, &mut ben] {
        let resolved = ok(store.events(&incident))
            .into_iter()
            .filter(|e| matches!(e.body, EventBody::DecisionResolved { .. }))
            .count();
        assert_eq!(resolved, 1);
    }
    // Nothing waits or failed to apply.
    let status = ok(ada.team_status());
    assert_eq!(
        (status.waiting, status.not_applied.len()),
        (0, 0),
        "{status:?}"
    );
}

#[test]
fn a_decision_pending_when_the_incident_closes_closes_on_every_laptop_whatever_arrives_first() {
    use crate::decision::model::QuorumState;
    use crate::fixtures::request;
    use crate::incident::model::Phase;

    let (mut ada, mut ben, shared) = ada_and_ben();
    let incident = declare(&mut ada, false);
    let early = request(&mut ada, &incident, "pause-contract", 1);
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");
    // A second request and the closing reach Ben in one intake.
    let late = request(&mut ada, &incident, "pause-contract", 2);
    for to in [Phase::Resolved, Phase::Closed] {
        let action = IncidentAction::Transition {
            to,
            note: String::new(),
        };
        ok(ada.act_on_incident(&incident, &action, &at("2026-11-24T03:10:00Z")));
    }
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");

    let clock = at("2026-11-24T03:31:00Z");
    for (who, store) in [("Ada", &mut ada), ("Ben", &mut ben)] {
        for r in [&early, &late] {
            let status = ok(store.decision_status(&r.id, &clock));
            assert_eq!(status.quorum.state, QuorumState::Closed, "{who}: {}", r.id);
        }
        let closed = ok(store.events(&incident))
            .into_iter()
            .filter(|e| {
                matches!(
                    e.body,
                    EventBody::DecisionResolved {
                        state: QuorumState::Closed,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(closed, 2, "{who}: one line per decision, written here");
        let status = ok(store.team_status());
        assert_eq!(
            (status.waiting, status.not_applied.len()),
            (0, 0),
            "{who}: {status:?}"
        );
    }
}

#[test]
fn the_person_called_acknowledges_on_their_laptop_and_every_laptop_sees_who_has_it() {
    let (a, b, shared) = (temp(), temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut dara = laptop(b.path(), "dara-mock", None);
    ok(ada.join_team(shared.path(), "ada-laptop"));
    ok(dara.join_team(shared.path(), "dara-laptop"));
    let id = declare(&mut ada, false);
    let incident = ok(ada.incident(&id));
    let called: Vec<&str> = incident
        .escalations
        .iter()
        .map(|e| e.recipient.contact.as_str())
        .collect();
    assert!(called.contains(&"dara-mock"), "{called:?}");
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut dara, shared.path(), "dara-mock");
    let now = crate::fixtures::utc("2026-11-24T03:01:00Z");
    assert!(ok(dara.incident_view(&id, now, chrono_tz::UTC)).called);
    assert!(
        !ok(ada.incident_view(&id, now, chrono_tz::UTC)).called || called.contains(&"ada-example")
    );

    ok(dara.acknowledge(&id, &at("2026-11-24T03:01:00Z")));
    assert!(!ok(dara.incident_view(&id, now, chrono_tz::UTC)).called);
    // Twice is refused: there is nothing left to acknowledge.
    let again = dara.acknowledge(&id, &at("2026-11-24T03:02:00Z"));
    assert!(again.is_err_and(|e| e.to_string().contains("nothing to acknowledge")));
    sync(&mut dara, shared.path(), "dara-mock");
    sync(&mut ada, shared.path(), "ada-example");
    let on_ada = ok(ada.incident(&id));
    let dara_there = on_ada
        .escalations
        .iter()
        .find(|e| e.recipient.contact.as_str() == "dara-mock")
        .unwrap();
    let notified = dara_there.notified.as_ref().unwrap();
    assert_eq!(notified.channel, crate::store::ACKNOWLEDGED);
}

#[test]
fn verifying_an_incident_checks_every_team_event_signature_and_names_what_is_missing() {
    let (mut ada, mut ben, shared) = ada_and_ben();
    let id = declare(&mut ada, false);
    note(&mut ada, &id, "One", "2026-11-24T03:01:00Z");
    // Not signed yet: said, not a problem.
    let before = ok(ada.verify_team_events(&id));
    assert_eq!(
        (before.events, before.unsigned, before.problems.len()),
        (2, 2, 0)
    );
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");
    let there = ok(ben.verify_team_events(&id));
    assert_eq!((there.events, there.signed), (2, 2), "{there:?}");
    assert!(there.problems.is_empty() && there.waiting.is_empty());

    // Someone with the database file swaps a stored event for another one.
    let files: Vec<(String, Vec<u8>)> = {
        let mut stmt = ben
            .conn
            .prepare("SELECT id, file FROM team_event WHERE thread = ?1 ORDER BY lamport")
            .unwrap();
        stmt.query_map([format!("incident/{id}")], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    ben.conn
        .execute(
            "UPDATE team_event SET file = ?2 WHERE id = ?1",
            rusqlite::params![files[0].0, files[1].1],
        )
        .unwrap();
    let altered = ok(ben.verify_team_events(&id));
    assert!(
        altered.problems.iter().any(|p| p.contains("was altered")),
        "{altered:?}"
    );
}

#[test]
fn a_laptop_back_from_a_day_offline_takes_everything_in_and_only_what_is_open_is_due() {
    use crate::incident::model::Phase;

    let (mut ada, mut ben, shared) = ada_and_ben();
    // While Ben is offline: three incidents, two of them over by the time he is back.
    let ids: Vec<IncidentId> = (0..3).map(|_| declare(&mut ada, false)).collect();
    for done in &ids[..2] {
        for (to, when) in [
            (Phase::Resolved, "2026-11-24T04:00:00Z"),
            (Phase::Closed, "2026-11-24T05:00:00Z"),
        ] {
            ok(ada.act_on_incident(
                done,
                &IncidentAction::Transition {
                    to,
                    note: String::new(),
                },
                &at(when),
            ));
        }
    }
    sync(&mut ada, shared.path(), "ada-example");
    let back = sync(&mut ben, shared.path(), "ben-sample");
    assert_eq!(back.new, ids.len() + 4, "{back:?}");
    for id in &ids[..2] {
        assert_eq!(ok(ben.incident(id)).phase, Phase::Closed);
    }
    // Only the open incident has anything due: no storm of stale alerts.
    let agenda = ok(ben.agenda(crate::fixtures::utc("2026-11-25T03:00:00Z"), chrono_tz::UTC));
    assert!(!agenda.due.is_empty());
    assert!(
        agenda.due.iter().all(|d| d.incident == ids[2]),
        "{:?}",
        agenda.due
    );
}

/// Ben's laptop writes `body` as an event of `thread` (after what Ada's store
/// knows of it), signed with his real key, into the folder.
fn ben_writes(
    ada: &mut Store,
    dir: &Path,
    thread: &str,
    kind: &str,
    body: serde_json::Value,
    seq: u64,
) -> crate::team::EventId {
    let known: std::collections::BTreeMap<_, _> = {
        let mut out = std::collections::BTreeMap::new();
        for (id, file) in ok(ada.team_files()) {
            let signed: SignedEvent = serde_json::from_slice(&file).unwrap();
            out.insert(id, signed.event);
        }
        out
    };
    let seen = crate::team::order(thread, &known);
    let mut ben = crate::team::Writer {
        person: crate::plan::id("ben-sample"),
        device: "ben-laptop".to_owned(),
        last_seq: seq - 1,
    };
    let envelope = ben.next(
        &seen,
        thread,
        kind,
        body,
        crate::fixtures::utc("2026-11-24T03:05:00Z"),
    );
    let signed = SignedEvent::sign(envelope, &key_of("ben-sample")).unwrap();
    folder::write(dir, &signed).unwrap();
    signed.id()
}

#[test]
fn a_teammates_late_event_is_judged_for_a_clock_set_back_in_the_order_every_laptop_shows() {
    let (mut ada, mut ben, folders) = ada_and_ben();
    let shared = folders.shared.path();
    let id = declare(&mut ada, false);
    sync(&mut ada, shared, "ada-example");
    sync(&mut ben, shared, "ben-sample");
    // Both note at once, apart: Ben's (earlier) reaches Ada after hers.
    note(&mut ben, &id, "Vault paused", "2026-11-24T03:05:00Z");
    note(&mut ada, &id, "Exchanges told", "2026-11-24T03:10:00Z");
    sync(&mut ben, shared, "ben-sample");
    sync(&mut ada, shared, "ada-example");
    let events = ok(ada.events(&id));
    assert_eq!(events.len(), 3);
    // What the console marks: an entry timed before the one before it in
    // the order every laptop shows, not in the order it arrived here.
    let mut expected: Vec<(u32, bool)> = events
        .windows(2)
        .map(|w| (w[1].seq, w[1].at < w[0].at))
        .collect();
    expected.push((events[0].seq, false));
    expected.sort_unstable();
    let view = ok(ada.incident_view(
        &id,
        crate::fixtures::utc("2026-11-24T03:20:00Z"),
        chrono_tz::UTC,
    ));
    let shown: Vec<(u32, bool)> = view
        .timeline
        .iter()
        .map(|e| (e.seq, e.clock_back))
        .collect();
    assert_eq!(shown, expected);
    let page = ok(ada.incident_timeline(&id, 3, 10));
    let paged: Vec<(u32, bool)> = page.iter().map(|e| (e.seq, e.clock_back)).collect();
    assert_eq!(paged, expected[..2]);
}

#[test]
fn a_teammate_cannot_forge_what_muster_never_sends_nor_wedge_the_intake() {
    let (a, shared) = (temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    // An incident from before the team folder stays on this laptop.
    let old = declare(&mut ada, false);
    assert_eq!(old.as_str(), "INC-1");
    ok(ada.join_team(shared.path(), "ada-laptop"));
    note(&mut ada, &old, "before the team", "2026-11-24T03:00:00Z");
    assert!(ok(ada.team_outbox()).is_empty(), "INC-1 is not the team's");
    let id = declare(&mut ada, false);
    sync(&mut ada, shared.path(), "ada-example");
    let thread = format!("incident/{id}");

    // Signed by Ben, valid, but what Muster never sends.
    let reminder = ben_writes(
        &mut ada,
        shared.path(),
        &thread,
        "incident.event",
        serde_json::json!({"incident": id, "event": EventBody::ReminderSent {
            key: "esc:x".to_owned(),
            title: "t".to_owned(),
            body: "b".to_owned(),
            delivered: true,
            detail: "d".to_owned(),
        }}),
        1,
    );
    let ack = ben_writes(
        &mut ada,
        shared.path(),
        &thread,
        "incident.event",
        serde_json::json!({"incident": id, "event": EventBody::ContactNotified {
            contact: crate::plan::id("dara-mock"),
            name: "Dara Mock".to_owned(),
            channel: crate::store::ACKNOWLEDGED.to_owned(),
        }}),
        2,
    );
    // A malformed decision request must not stop the intake.
    let bad_request = ben_writes(
        &mut ada,
        shared.path(),
        "decision/DEC-0000000000000000",
        "decision.request",
        serde_json::json!({"incident": id, "record": "not a record"}),
        3,
    );
    // An event on INC-1, which is not the team's incident of that id.
    let on_old = ben_writes(
        &mut ada,
        shared.path(),
        &format!("incident/{old}"),
        "incident.event",
        serde_json::json!({"incident": old, "event": EventBody::Note { text: "hijack".to_owned() }}),
        4,
    );
    // And one sound note, which still applies.
    let fine = ben_writes(
        &mut ada,
        shared.path(),
        &thread,
        "incident.event",
        serde_json::json!({"incident": id, "event": EventBody::Note { text: "Exchange told".to_owned() }}),
        5,
    );
    let plan = ok(ada.plan());
    let found = scan(shared.path(), &plan);
    assert_eq!(found.quarantined, []);
    ok(ada.take_in(&found, &at("2026-11-24T03:10:00Z")));
    let status = ok(ada.team_status());
    let refused = status.not_applied.join("\n");
    for id in [&reminder, &ack, &bad_request, &on_old] {
        assert!(
            refused.contains(id.short()),
            "{} applied: {refused}",
            id.short()
        );
    }
    assert!(!refused.contains(fine.short()));
    assert_eq!(
        notes(&mut ada, &id),
        [("Ben Sample".to_owned(), "Exchange told".to_owned())]
    );
    assert!(ok(ada.incident(&id)).reminders.is_empty());
    assert!(notes(&mut ada, &old).iter().all(|(_, t)| t != "hijack"));
}

#[test]
fn a_teammate_s_event_with_text_no_form_would_take_is_refused_whatever_its_kind() {
    let (a, shared) = (temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    ok(ada.join_team(shared.path(), "ada-laptop"));
    let id = declare(&mut ada, false);
    sync(&mut ada, shared.path(), "ada-example");
    let thread = format!("incident/{id}");
    let alert = |labels: &[(&str, &str)], summary: &str| EventBody::AlertReceived {
        source: "Alertmanager".to_owned(),
        status: crate::alert::AlertStatus::Firing,
        summary: summary.to_owned(),
        description: String::new(),
        labels: labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        links: Vec::new(),
        fingerprint: "f1".to_owned(),
    };
    let hostile = [
        // A note whose text turns backwards after an invisible override.
        EventBody::Note {
            text: "Paid \u{202E}0001 USDC".to_owned(),
        },
        // A command's output with a terminal escape, as no laptop writes it.
        EventBody::CommandRan {
            procedure: crate::plan::id("p"),
            step: crate::plan::id("s"),
            command: "pause-vault".to_owned(),
            sha256: "0".repeat(64),
            dry_run: false,
            exit_code: Some(0),
            timed_out: false,
            output: "ok\u{1b}[2J".to_owned(),
            millis: 5,
        },
        // An alert label named like a one-line field, holding a direction mark.
        alert(
            &[("alertname", "OracleStale"), ("title", "x\u{2067}y")],
            "Stale",
        ),
        // An update's answer with a bell in it.
        EventBody::UpdateSent {
            rule: crate::plan::id("r"),
            target: crate::ops::send::TargetKind::Slack,
            destination: "hooks.slack.com".to_owned(),
            ok: true,
            detail: "HTTP 200\u{7}".to_owned(),
        },
    ];
    let mut refused_ids = Vec::new();
    for (n, body) in hostile.into_iter().enumerate() {
        refused_ids.push(ben_writes(
            &mut ada,
            shared.path(),
            &thread,
            "incident.event",
            serde_json::json!({"incident": id, "event": body}),
            n as u64 + 1,
        ));
    }
    // The same kind, sound, is taken: an alert whose label values are long
    // free text is not held to a title's one line.
    let fine = ben_writes(
        &mut ada,
        shared.path(),
        &thread,
        "incident.event",
        serde_json::json!({"incident": id, "event": alert(&[("alertname", "OracleStale"), ("title", &"long ".repeat(100))], "Stale")}),
        5,
    );
    let before = ok(ada.events(&id)).len();
    let plan = ok(ada.plan());
    let found = scan(shared.path(), &plan);
    ok(ada.take_in(&found, &at("2026-11-24T03:10:00Z")));
    let status = ok(ada.team_status());
    let refused = status.not_applied.join("\n");
    for event in &refused_ids {
        assert!(
            refused.contains(event.short()),
            "{} applied: {refused}",
            event.short()
        );
    }
    assert!(refused.contains("direction control"), "{refused}");
    assert!(refused.contains("control character"), "{refused}");
    assert!(!refused.contains(fine.short()), "{refused}");
    let events = ok(ada.events(&id));
    assert_eq!(events.len(), before + 1, "only the sound alert is taken");
    assert!(matches!(
        events.last().map(|e| &e.body),
        Some(EventBody::AlertReceived { .. })
    ));
}

#[test]
fn an_unanswered_call_pages_the_backup_whose_acknowledgement_reaches_every_laptop() {
    use crate::deadline::concern;
    use crate::incident::Declaration;
    use crate::plan::{id, Severity};

    let (a, b, d, shared) = (temp(), temp(), temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut ben = laptop(b.path(), "ben-sample", None);
    let mut dara = laptop(d.path(), "dara-mock", None);
    ok(ada.join_team(shared.path(), "ada-laptop"));
    ok(ben.join_team(shared.path(), "ben-laptop"));
    ok(dara.join_team(shared.path(), "dara-laptop"));
    // Ben leads; Dara is on call for hacker attacks; Ada is the backup. The
    // starter plan pages after 5 minutes.
    let declaration = Declaration {
        issue: Some(id("stolen-user-funds")),
        category: None,
        title: None,
        severity: Severity::S1,
        exercise: false,
        description: "Funds are leaving the Vault".to_owned(),
        lead: Some(id("ben-sample")),
        scribe: None,
        communications: None,
    };
    let incident = ok(ben.declare_incident(&declaration, &at("2026-11-24T03:00:00Z"))).id;
    for (store, who) in [
        (&mut ben, "ben-sample"),
        (&mut ada, "ada-example"),
        (&mut dara, "dara-mock"),
    ] {
        sync(store, shared.path(), who);
    }
    let t = crate::fixtures::utc;
    let zone = chrono_tz::UTC;
    assert!(!ok(ada.incident_view(&incident, t("2026-11-24T03:09:00Z"), zone)).called);
    let view = ok(ada.incident_view(&incident, t("2026-11-24T03:10:30Z"), zone));
    assert!(view.called, "the backup is paged 10 minutes in");
    let plan = ok(ada.plan());
    let folded = ok(ada.incident(&incident));
    let agenda = ok(ada.agenda(t("2026-11-24T03:10:30Z"), zone));
    let mine: Vec<String> = agenda
        .due
        .iter()
        .filter_map(|d| concern::for_person(d, &folded, &plan, &id("ada-example")))
        .map(|d| d.title)
        .collect();
    // Only the page pops up for Ada: the escalation itself is Dara's and Ben's.
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(mine[0].ends_with(": you are paged (detected)"), "{mine:?}");

    ok(ada.acknowledge(&incident, &at("2026-11-24T03:10:40Z")));
    sync(&mut ada, shared.path(), "ada-example");
    for (store, who) in [(&mut ben, "ben-sample"), (&mut dara, "dara-mock")] {
        sync(store, shared.path(), who);
        let there = ok(store.incident(&incident));
        let acks: Vec<&str> = there
            .acknowledgements
            .iter()
            .map(|a| a.contact.as_str())
            .collect();
        assert_eq!(acks, ["ada-example"], "on {who}'s laptop");
        let later = ok(store.agenda(t("2026-11-24T03:30:00Z"), zone));
        assert!(
            later
                .due
                .iter()
                .chain(&later.upcoming)
                .all(|d| !d.key.starts_with("page:")),
            "paging stopped on {who}'s laptop"
        );
    }
}

#[test]
fn an_approval_attested_on_one_laptop_counts_on_every_laptop_where_the_policy_allows() {
    use crate::decision::model::{Answer, QuorumState, Standing};
    use crate::fixtures::request;
    use crate::plan::id;

    let (mut ada, mut ben, shared) = ada_and_ben();
    let incident = declare(&mut ada, false);
    // Notify law enforcement allows attested approvals; pause contract not.
    let law = request(&mut ada, &incident, "notify-law-enforcement", 2);
    let pause = request(&mut ada, &incident, "pause-contract", 3);
    let clock = at("2026-11-24T03:15:00Z");
    ok(ada.sign_decision(&law.id, &Answer::Approve, &key_of("ada-example"), &clock));
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");

    // Ben approved on a call that Ada took.
    let call = crate::fixtures::utc("2026-11-24T03:10:00Z");
    let here = ok(ada.attest_approval(
        &law.id,
        &id("ben-sample"),
        "phone",
        call,
        &id("ada-example"),
        &clock,
    ));
    assert_eq!(here.quorum.state, QuorumState::Approved);
    let not_counted = ok(ada.attest_approval(
        &pause.id,
        &id("ben-sample"),
        "phone",
        call,
        &id("ada-example"),
        &clock,
    ));
    assert_eq!(not_counted.quorum.state, QuorumState::Pending);
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut ben, shared.path(), "ben-sample");

    for (decision, state) in [
        (&law.id, QuorumState::Approved),
        (&pause.id, QuorumState::Pending),
    ] {
        let there = ok(ben.decision_status(decision, &clock));
        let here = ok(ada.decision_status(decision, &clock));
        assert_eq!(there.quorum, here.quorum, "{decision}");
        assert_eq!(there.quorum.state, state, "{decision}");
        assert_eq!(there.attestations.len(), 1, "{decision}");
        assert_eq!(there.attestations[0].approver_name, "Ben Sample");
        assert_eq!(there.attestations[0].witness_name, "Ada Example");
    }
    let law_there = ok(ben.decision_status(&law.id, &clock));
    assert!(law_there
        .quorum
        .approvers
        .iter()
        .any(|a| a.standing == Standing::Attested));
    // The timelines agree: each laptop wrote its own attested line.
    for store in [&mut ada, &mut ben] {
        let attested = ok(store.events(&incident))
            .into_iter()
            .filter(|e| matches!(e.body, EventBody::DecisionAttested { .. }))
            .count();
        assert_eq!(attested, 2);
    }
    let status = ok(ben.team_status());
    assert_eq!(
        (status.waiting, status.not_applied.len()),
        (0, 0),
        "{status:?}"
    );
}

#[test]
fn the_moderators_laptop_runs_an_exercise_that_participants_follow_on_theirs() {
    use crate::exercise::model::{
        ExerciseAction, ExerciseSetup, ExerciseStatus, LogKind, Objective,
    };
    use crate::plan::id;

    let (a, d, b, shared) = (temp(), temp(), temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut dara = laptop(d.path(), "dara-mock", None);
    let mut ben = laptop(b.path(), "ben-sample", None);
    for (store, device) in [
        (&mut ada, "ada-laptop"),
        (&mut dara, "dara-laptop"),
        (&mut ben, "ben-laptop"),
    ] {
        ok(store.join_team(shared.path(), device));
    }
    let mut scenario = ok(ada.draft_scenario(&id("oracle-failure"), "sc-1"));
    scenario.situation = "SECRET-SITUATION: the ETH price reads 1 USD".to_owned();
    let setup = ExerciseSetup {
        title: "Spring drill".to_owned(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
        moderator: id("ada-example"),
        participants: vec![id("dara-mock"), id("ben-sample")],
        scope: "From detection to the first decision".to_owned(),
        objectives: vec![Objective {
            key: "obj-1".to_owned(),
            text: "Escalate within 15 minutes".to_owned(),
        }],
        scenarios: vec![scenario],
    };
    let created = ok(ada.create_exercise(&setup, &at("2026-11-24T09:00:00Z")));
    let ex = created.id.clone();
    assert!(
        ex.0.starts_with("EX-") && ex.0.len() == 8,
        "a team exercise gets an id no other laptop makes: {}",
        ex.0
    );
    let act = |store: &mut Store, when: &str, action: ExerciseAction| {
        ok(store.act_on_exercise(&ex, &action, &at(when)))
    };
    act(&mut ada, "2026-11-24T09:01:00Z", ExerciseAction::Start);
    let started = act(
        &mut ada,
        "2026-11-24T09:02:00Z",
        ExerciseAction::StartScenario {
            scenario: "sc-1".to_owned(),
        },
    );
    let incident = started.runs[0].incident.clone();
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut dara, shared.path(), "dara-mock");

    // Dara follows: the exercise and its exercise-mode incident are here,
    // the situation hidden until the moderator reveals it.
    let now = crate::fixtures::utc("2026-11-24T09:03:00Z");
    let view = ok(dara.participant_view(&ex, now));
    assert_eq!(view.status, ExerciseStatus::Running);
    let shown = view.scenario.clone().unwrap();
    assert_eq!(shown.incident, incident);
    assert_eq!(shown.situation, "");
    assert!(ok(dara.incident(&incident)).exercise);
    // Dara takes part: her laptop pops it up, once; Ada's, which runs it, not.
    let taking_part = |store: &mut Store| -> Vec<String> {
        ok(store.programme_reminders(now, chrono_tz::UTC))
            .0
            .into_iter()
            .filter(|r| r.key.starts_with("exercise-running:"))
            .map(|r| r.title)
            .collect()
    };
    assert_eq!(
        taking_part(&mut dara),
        [format!(
            "EXERCISE — {} Spring drill has started: you take part",
            ex.0
        )]
    );
    assert_eq!(taking_part(&mut ada), Vec::<String>::new());
    // Only the moderator's laptop runs it.
    let refused = dara.act_on_exercise(
        &ex,
        &ExerciseAction::RevealSituation {
            scenario: "sc-1".to_owned(),
        },
        &at("2026-11-24T09:03:00Z"),
    );
    assert!(
        refused.is_err_and(|e| e.to_string().contains("Ada Example moderates")),
        "a participant drove the exercise"
    );

    act(
        &mut ada,
        "2026-11-24T09:04:00Z",
        ExerciseAction::RevealSituation {
            scenario: "sc-1".to_owned(),
        },
    );
    act(
        &mut ada,
        "2026-11-24T09:05:00Z",
        ExerciseAction::Log {
            scenario: "sc-1".to_owned(),
            kind: LogKind::Did,
            text: "Dara paused the pool on the fork".to_owned(),
            expected: None,
        },
    );
    act(&mut ada, "2026-11-24T09:30:00Z", ExerciseAction::End);
    sync(&mut ada, shared.path(), "ada-example");
    sync(&mut dara, shared.path(), "dara-mock");
    let view = ok(dara.participant_view(&ex, now));
    assert_eq!(view.status, ExerciseStatus::Ended);
    assert_eq!(taking_part(&mut dara), Vec::<String>::new(), "it has ended");
    assert_eq!(
        view.scenario.map(|s| s.situation),
        Some("SECRET-SITUATION: the ETH price reads 1 USD".to_owned())
    );
    let here = ok(ada.exercise(&ex));
    let there = ok(dara.exercise(&ex));
    assert_eq!(there.runs, here.runs, "the same run log on both laptops");
    assert_eq!(here.driven_from, None, "Ada's laptop drives");
    assert_eq!(there.driven_from, Some(id("ada-example")), "Dara's follows");
    assert_eq!(there.status, ExerciseStatus::Ended);
    let listed: Vec<String> = ok(dara.exercises()).into_iter().map(|s| s.id.0).collect();
    assert_eq!(listed, std::slice::from_ref(&ex.0));

    // Ben is no moderator: a log entry he writes into the thread is refused
    // on every laptop, with why, and changes nothing.
    sync(&mut ben, shared.path(), "ben-sample");
    let before = ok(ben.exercise(&ex));
    let forged = {
        assert!(ok(ben.team_outbox()).is_empty());
        let thread = format!("exercise/{}", ex.0);
        let mut writer = crate::team::Writer {
            person: id("ben-sample"),
            device: "ben-laptop".to_owned(),
            last_seq: 0,
        };
        let seen = crate::team::order(&thread, &Default::default());
        let body = serde_json::json!({
            "exercise": ex.0,
            "event": crate::exercise::model::ExerciseEventBody::Ended,
        });
        writer.next(
            &seen,
            &thread,
            "exercise.event",
            body,
            crate::fixtures::utc("2026-11-24T09:41:00Z"),
        )
    };
    let signed = SignedEvent::sign(forged, &key_of("ben-sample")).unwrap();
    folder::write(shared.path(), &signed).unwrap();
    sync(&mut dara, shared.path(), "dara-mock");
    let status = ok(dara.team_status());
    assert!(
        status
            .not_applied
            .iter()
            .any(|why| why.contains("only the moderator's laptop runs an exercise")),
        "{status:?}"
    );
    assert_eq!(ok(dara.exercise(&ex)).runs, here.runs);
    assert_eq!(before.runs, here.runs);
}
