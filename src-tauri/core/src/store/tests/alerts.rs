//! Store tests of alerts taken in: a firing alert opens one incident in
//! "detected" or joins the open one, repeats change nothing, a resolution is
//! noted and closes nothing, and a refused or unrouted alert stores nothing.

use std::path::Path;

use super::*;
use crate::alert::{parse, Delivery, Taken};
use crate::incident::model::{EventBody, IncidentAction, IncidentId, Phase};
use crate::incident::timeline::describe;
use crate::testing::at;

fn ok<T>(result: Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn open(dir: &Path) -> Store {
    let mut store = ok(Store::open_in(dir, &at("2026-03-01T09:30:00Z")));
    ok(store.set_profile_name("Ada Example"));
    store
}

fn delivery(body: &str) -> Delivery {
    parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn webhook(status: &str, alerts: &[(&str, &str, &str)]) -> Delivery {
    delivery(&crate::alert::tests::webhook(status, alerts))
}

/// Rows of every table an alert may write.
fn counts(store: &Store) -> (i64, i64, i64) {
    let count = |table: &str| -> i64 {
        ok(store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(Error::from))
    };
    (
        count("incident"),
        count("incident_event"),
        count("alert_delivery"),
    )
}

const STARTS: &str = "2026-03-01T09:00:00Z";

#[test]
fn a_firing_alert_opens_one_incident_in_detected_and_repeats_change_nothing() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let now = at("2026-03-01T10:00:00Z");
    let taken = ok(store.take_alerts(&webhook("firing", &[("OracleStale", "f1", STARTS)]), &now));
    let [Taken::Opened { incident, issue }] = taken.as_slice() else {
        panic!("{taken:?}")
    };
    assert_eq!(issue.as_str(), "oracle-failure");
    let opened = ok(store.incident(incident));
    assert_eq!(opened.phase, Phase::Detected);
    assert_eq!(opened.severity, crate::plan::Severity::S1);
    assert!(!opened.exercise);
    assert!(
        !opened.escalations.is_empty(),
        "the escalation rules' people are named"
    );
    let events = ok(store.events(incident));
    let entry = describe(&events[1]);
    assert_eq!(entry.kind, "alertReceived");
    assert_eq!(
        entry.text,
        "Alert firing (Alertmanager): OracleStale in prod"
    );
    assert!(
        entry
            .detail
            .contains("Labels: alertname=OracleStale, env=prod"),
        "{entry:?}"
    );
    assert!(entry
        .detail
        .contains("https://runbooks.example.org/OracleStale"));

    // Alertmanager's retry and its repeat interval: the same alert again.
    let before = counts(&store);
    for _ in 0..3 {
        let again =
            ok(store.take_alerts(&webhook("firing", &[("OracleStale", "f1", STARTS)]), &now));
        assert_eq!(again, [Taken::Repeat]);
    }
    assert_eq!(counts(&store), before);
    assert_eq!(ok(store.incidents()).len(), 1);
}

#[test]
fn another_alert_for_the_open_issue_joins_its_incident_and_a_resolution_closes_nothing() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let now = at("2026-03-01T10:00:00Z");
    let first = ok(store.take_alerts(&webhook("firing", &[("OracleStale", "f1", STARTS)]), &now));
    let Taken::Opened { incident, .. } = &first[0] else {
        panic!("{first:?}")
    };
    // A second feed goes stale: another fingerprint, the same issue.
    let second = ok(store.take_alerts(
        &webhook("firing", &[("OracleStale", "f2", "2026-03-01T09:05:00Z")]),
        &now,
    ));
    assert_eq!(
        second,
        [Taken::Joined {
            incident: incident.clone(),
            issue: crate::plan::id("oracle-failure")
        }]
    );
    // The first resolves: noted, the incident stays where it was.
    let resolved =
        ok(store.take_alerts(&webhook("resolved", &[("OracleStale", "f1", STARTS)]), &now));
    assert_eq!(
        resolved,
        [Taken::Resolved {
            incident: incident.clone()
        }]
    );
    let again = ok(store.take_alerts(&webhook("resolved", &[("OracleStale", "f1", STARTS)]), &now));
    assert_eq!(again, [Taken::Repeat]);
    let state = ok(store.incident(incident));
    assert_eq!(state.phase, Phase::Detected);
    let last = ok(store.events(incident)).pop().map(|e| describe(&e));
    assert_eq!(
        last.map(|e| e.text),
        Some("Alert resolved (Alertmanager): OracleStale in prod".to_owned())
    );
    // It fires again later: a new start, the same open incident.
    let refired = ok(store.take_alerts(
        &webhook("firing", &[("OracleStale", "f1", "2026-03-01T11:00:00Z")]),
        &now,
    ));
    assert!(matches!(&refired[..], [Taken::Joined { incident: i, .. }] if i == incident));
    assert_eq!(ok(store.incidents()).len(), 1);
}

#[test]
fn once_its_incident_is_resolved_the_issue_alerting_again_opens_a_new_one() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let now = at("2026-03-01T10:00:00Z");
    let first = ok(store.take_alerts(&webhook("firing", &[("OracleStale", "f1", STARTS)]), &now));
    let Taken::Opened { incident, .. } = &first[0] else {
        panic!("{first:?}")
    };
    ok(store.act_on_incident(
        incident,
        &IncidentAction::Transition {
            to: Phase::Resolved,
            note: "feed back".into(),
        },
        &now,
    ));
    let later = ok(store.take_alerts(
        &webhook("firing", &[("OracleStale", "f1", "2026-03-02T08:00:00Z")]),
        &at("2026-03-02T08:01:00Z"),
    ));
    let [Taken::Opened {
        incident: second, ..
    }] = later.as_slice()
    else {
        panic!("{later:?}")
    };
    assert_ne!(second, incident);
    // An exercise is never joined by a real alert.
    assert_eq!(ok(store.incidents()).len(), 2);
}

#[test]
fn an_alert_no_rule_matches_stores_nothing_and_says_why() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let before = counts(&store);
    let taken = ok(store.take_alerts(
        &delivery(r#"{"labels":{"alertname":"DiskFull","host":"db1"}}"#),
        &at("2026-03-01T10:00:00Z"),
    ));
    let [Taken::Unrouted { reason }] = taken.as_slice() else {
        panic!("{taken:?}")
    };
    assert!(
        reason.contains("{alertname=DiskFull, host=db1}"),
        "{reason}"
    );
    assert_eq!(counts(&store), before);
    let named = ok(store.take_alerts(
        &delivery(r#"{"issue":"no-such-issue","summary":"x"}"#),
        &at("2026-03-01T10:00:00Z"),
    ));
    assert!(matches!(&named[..], [Taken::Unrouted { reason }] if reason.contains("no-such-issue")));
    assert_eq!(counts(&store), before);
}

#[test]
fn a_delivery_that_fails_part_way_stores_none_of_it() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let before = counts(&store);
    // A delivery of two alerts whose second cannot be written (a trigger
    // refuses its row, as a full disk would).
    ok(store
        .conn
        .execute_batch(
            "CREATE TEMP TRIGGER refuse AFTER INSERT ON alert_delivery
             WHEN (SELECT count(*) FROM alert_delivery) > 1
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .map_err(Error::from));
    let two = webhook(
        "firing",
        &[
            ("OracleStale", "f1", STARTS),
            ("RpcProviderDown", "f2", STARTS),
        ],
    );
    assert!(store
        .take_alerts(&two, &at("2026-03-01T10:00:00Z"))
        .is_err());
    assert_eq!(counts(&store), before);
}

#[test]
fn two_laptop_processes_taking_the_same_alert_at_once_open_one_incident() {
    let dir = crate::testing::temp();
    drop(open(dir.path()));
    let body = crate::alert::tests::webhook("firing", &[("RpcProviderDown", "race", STARTS)]);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let dir = dir.path().to_owned();
            let body = body.clone();
            std::thread::spawn(move || {
                let mut store = open(&dir);
                ok(store.take_alerts(&delivery(&body), &at("2026-03-01T10:00:00Z")))
            })
        })
        .collect();
    let taken: Vec<Taken> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap_or_default())
        .collect();
    let opened = taken
        .iter()
        .filter(|t| matches!(t, Taken::Opened { .. }))
        .count();
    let repeats = taken.iter().filter(|t| **t == Taken::Repeat).count();
    assert_eq!((opened, repeats), (1, 3), "{taken:?}");
    let mut store = open(dir.path());
    assert_eq!(ok(store.incidents()).len(), 1);
}

#[test]
fn the_alert_event_is_part_of_the_verified_chain() {
    let dir = crate::testing::temp();
    let mut store = open(dir.path());
    let taken = ok(store.take_alerts(
        &delivery(r#"{"issue":"dns-hijack","summary":"records changed","links":["https://dns.example.org"]}"#),
        &at("2026-03-01T10:00:00Z"),
    ));
    let Taken::Opened { incident, .. } = &taken[0] else {
        panic!("{taken:?}")
    };
    let verification = ok(store.verify_incident(incident));
    assert!(verification.first_bad.is_none(), "{verification:?}");
    assert_eq!(verification.events, 2);
    let events = ok(store.events(incident));
    assert!(matches!(
        &events[1].body,
        EventBody::AlertReceived { source, links, .. } if source == "JSON" && links == &["https://dns.example.org"]
    ));
    assert_eq!(events[0].incident, IncidentId(incident.as_str().to_owned()));
}
