//! Store tests of the wall between exercises and real incidents: real
//! incident figures never change, and an exercise signature is never
//! accepted on a real decision.

use chrono_tz::Europe::Berlin;

use super::*;
use crate::exercise::readiness::incident_figures;
use crate::incident::model::{Declaration, IncidentAction, IncidentId, StepStatus};
use crate::plan::Severity;

#[test]
fn an_exercise_never_changes_real_incident_figures() {
    let dir = tempdir();
    let mut store = open(dir.path());
    let real = ok(store.declare_incident(
        &Declaration {
            issue: Some(id("gas-price-spike")),
            category: None,
            title: None,
            severity: Severity::S3,
            exercise: false,
            description: "Base fee at 300 gwei".to_owned(),
            lead: Some(id("ada-example")),
            scribe: None,
            communications: None,
        },
        &at("2026-05-01T08:00:00Z"),
    ));
    let now = utc("2026-05-04T12:00:00Z");
    let figures = |store: &mut Store| {
        let incidents: Vec<_> = ok(store.incidents())
            .into_iter()
            .map(|s| {
                let events = ok(store.events(&s.id));
                (ok(store.incident(&s.id)), events)
            })
            .collect();
        incident_figures(&incidents, now)
    };
    let before = figures(&mut store);
    let before_readiness = ok(store.readiness(now, Berlin)).real_incidents;
    assert_eq!(before.last_12_months, 1);
    assert_eq!(before.open, 1);
    assert_eq!(before_readiness, before);

    // Run a scenario and work its incident: notified, steps, phases.
    let ex = running(&mut store);
    let drill = ex.runs[0].incident.clone();
    let drill_incident = ok(store.incident(&drill));
    for (i, contact) in drill_incident.escalations.iter().enumerate() {
        ok(store.act_on_incident(
            &drill,
            &IncidentAction::MarkNotified {
                contact: contact.recipient.contact.clone(),
                channel: "Signal".to_owned(),
            },
            &at(&format!("2026-05-04T10:0{}:00Z", 2 + i.min(7))),
        ));
    }
    ok(store.act_on_incident(
        &drill,
        &IncidentAction::MarkStep {
            procedure: id("handle-oracle-failure"),
            step: id("confirm-bad-price"),
            status: StepStatus::Done,
            note: String::new(),
        },
        &at("2026-05-04T10:10:00Z"),
    ));
    act(&mut store, "2026-05-04T11:00:00Z", ExerciseAction::End);

    assert_eq!(figures(&mut store), before);
    assert_eq!(ok(store.readiness(now, Berlin)).real_incidents, before);
    // The real incident itself is untouched.
    assert_eq!(ok(store.incident(&real.id)), real);
    let readiness = ok(store.readiness(now, Berlin));
    assert_eq!(readiness.exercises_last_12_months, 1);
    assert_eq!(readiness.last_exercise, Some(day("2026-05-04")));
}

#[test]
fn an_exercise_signature_is_never_accepted_on_a_real_decision() {
    use crate::decision::model::Answer;
    use crate::decision::tests::fixture::key_of;
    use crate::decision::tests::fixture::{
        at as fat, laptop, nonce, refused as decision_refused, signature, signature_in,
    };
    use crate::decision::{EXERCISE_NAMESPACE, NAMESPACE};

    let dir = tempdir();
    let mut store = laptop(dir.path(), "ada-example", None);
    let mut s = setup(&mut store);
    s.date = day("2026-11-24");
    ok(store.create_exercise(&s, &fat("2026-11-21T09:00:00Z")));
    ok(store.act_on_exercise(&ex1(), &ExerciseAction::Start, &fat("2026-11-24T02:50:00Z")));
    let ex = ok(store.act_on_exercise(
        &ex1(),
        &start_scenario("sc-2"),
        &fat("2026-11-24T02:55:00Z"),
    ));
    let drill = ex.runs[0].incident.clone();
    let real = ok(store.declare_incident(
        &Declaration {
            issue: Some(id("stolen-user-funds")),
            category: None,
            title: None,
            severity: Severity::S1,
            exercise: false,
            description: "Funds are leaving the Vault".to_owned(),
            lead: Some(id("ada-example")),
            scribe: None,
            communications: None,
        },
        &fat("2026-11-24T02:59:00Z"),
    ))
    .id;
    let ask = |store: &mut Store, incident: &IncidentId, n: u8| {
        ok(store.request_decision(
            incident,
            &id("pause-contract"),
            "Pause the Vault contract on mainnet",
            chrono::Duration::hours(4),
            nonce(n),
            &fat("2026-11-24T03:00:00Z"),
        ))
    };
    let on_drill = ask(&mut store, &drill, 1);
    let on_real = ask(&mut store, &real, 2);
    assert_eq!(on_drill.namespace, EXERCISE_NAMESPACE);
    assert_eq!(on_real.namespace, NAMESPACE);

    let exercise_before = ok(store.exercise(&ex1()));
    // Ben signs the real request under the exercise namespace.
    let drill_sig = signature_in(
        &key_of("ben-sample"),
        &on_real,
        &Answer::Approve,
        EXERCISE_NAMESPACE,
    );
    decision_refused(
        &mut store,
        &real,
        "an exercise signature cannot count on a real decision",
        |s| s.import_signature(&drill_sig, &fat("2026-11-24T03:05:00Z")),
    );
    // Ben's valid signature of the exercise request, moved onto the real one.
    let moved = signature(&key_of("ben-sample"), &on_drill, &Answer::Approve)
        .replace(on_drill.id.as_str(), on_real.id.as_str());
    decision_refused(
        &mut store,
        &real,
        "an exercise signature cannot count on a real decision",
        |s| s.import_signature(&moved, &fat("2026-11-24T03:05:00Z")),
    );
    // The exercise's own decision takes it as an exercise signature.
    let own = signature(&key_of("ben-sample"), &on_drill, &Answer::Approve);
    ok(store.import_signature(&own, &fat("2026-11-24T03:06:00Z")));
    assert_eq!(ok(store.exercise(&ex1())), exercise_before);
    assert!(
        ok(store.decision_status(&on_real.id, &fat("2026-11-24T03:07:00Z")))
            .signatures
            .is_empty()
    );
}
