use chrono::NaiveDate;

use super::*;
use crate::plan::AlertRule;
use crate::starter;

fn plan() -> Plan {
    starter::plan(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default())
}

/// An Alertmanager webhook (version 4) as Alertmanager 0.25 sends it.
pub(crate) fn webhook(status: &str, alerts: &[(&str, &str, &str)]) -> String {
    let alerts: Vec<String> = alerts
        .iter()
        .map(|(name, fingerprint, starts)| {
            format!(
                r#"{{"status":"{status}","labels":{{"alertname":"{name}","env":"prod"}},
                "annotations":{{"summary":"{name} in prod","description":"Seen by the watcher.","runbook_url":"https://runbooks.example.org/{name}"}},
                "startsAt":"{starts}","endsAt":"0001-01-01T00:00:00Z",
                "generatorURL":"http://prometheus.example.org/graph?g0.expr=up","fingerprint":"{fingerprint}"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"receiver":"muster","status":"{status}","alerts":[{}],"groupLabels":{{}},
        "commonLabels":{{}},"commonAnnotations":{{}},"externalURL":"http://alertmanager.example.org:9093",
        "version":"4","groupKey":"{{}}:{{}}","truncatedAlerts":0}}"#,
        alerts.join(",")
    )
}

#[test]
fn an_alertmanager_webhook_is_read_with_its_labels_links_and_fingerprint() {
    let body = webhook(
        "firing",
        &[("OracleStale", "3f2a9c", "2026-03-01T09:00:00.123Z")],
    );
    let delivery = parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(delivery.source, "Alertmanager");
    let [alert] = delivery.alerts.as_slice() else {
        panic!("one alert: {delivery:?}")
    };
    assert_eq!(alert.status, AlertStatus::Firing);
    assert_eq!(alert.summary, "OracleStale in prod");
    assert_eq!(alert.description, "Seen by the watcher.");
    assert_eq!(alert.fingerprint, "3f2a9c");
    assert_eq!(alert.starts_at, "2026-03-01T09:00:00.123+00:00");
    assert_eq!(
        alert.links,
        [
            "http://prometheus.example.org/graph?g0.expr=up",
            "https://runbooks.example.org/OracleStale",
            "http://alertmanager.example.org:9093"
        ]
    );
    assert_eq!(alert.labels.get("env").map(String::as_str), Some("prod"));
}

#[test]
fn a_grafana_contact_point_s_webhook_is_read_as_grafana() {
    let body = webhook("firing", &[("OracleStale", "9c1", "2026-03-01T09:00:00Z")]).replace(
        r#""version":"4""#,
        r#""version":"1","orgId":1,"title":"[FIRING:1] OracleStale""#,
    );
    let delivery = parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(delivery.source, "Grafana");
    assert_eq!(delivery.alerts[0].fingerprint, "9c1");
    let plan = plan();
    assert_eq!(
        route(&plan, &delivery.alerts[0]).map(|r| r.issue.id.to_string()),
        Ok("oracle-failure".to_owned())
    );
}

#[test]
fn a_malformed_delivery_is_refused_with_what_is_wrong() {
    let cases: &[(&str, &str)] = &[
        ("", "not JSON"),
        ("[1]", "a JSON object"),
        ("{\"version\":\"3\",\"alerts\":[{\"status\":\"firing\",\"labels\":{}}]}", "Alertmanager's \"4\" or Grafana's \"1\" is read"),
        ("{\"version\":\"4\",\"alerts\":[]}", "no alerts"),
        ("{\"version\":\"4\",\"alerts\":[{\"status\":\"burning\",\"labels\":{\"a\":\"b\"}}]}", "alert 1: status \"burning\""),
        ("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"bad name\":\"b\"}}]}", "is not a label name"),
        ("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"b\\u202e\"}}]}", "direction character"),
        ("{\"summary\":\"x\"}", "name the issue"),
        ("{\"issue\":\"No Such\"}", "issue: id `No Such`"),
        ("{\"issue\":\"a\",\"severity\":\"S9\"}", "severity \"S9\""),
        ("{\"issue\":\"a\",\"colour\":\"red\"}", "unknown field `colour`"),
    ];
    for (body, expected) in cases {
        match parse(body.as_bytes()) {
            Ok(d) => panic!("{body:?} was taken: {d:?}"),
            Err(e) => assert!(e.contains(expected), "{body:?}: {e:?} lacks {expected:?}"),
        }
    }
    let many: Vec<String> = (0..=payload::MAX_ALERTS)
        .map(|n| format!(r#"{{"status":"firing","labels":{{"n":"{n}"}}}}"#))
        .collect();
    let body = format!(r#"{{"version":"4","alerts":[{}]}}"#, many.join(","));
    assert!(parse(body.as_bytes()).is_err_and(|e| e.contains("at most 500")));
}

#[test]
fn hostile_text_is_made_safe_not_refused() {
    let body = r#"{"issue":"oracle-failure","summary":"price \u202egnorw\u0007 feed\nsecond line",
        "description":"line one\r\nline two \u2066x\u2069","links":["javascript:alert(1)","https://ok.example.org/a","http://a b"]}"#;
    let delivery = parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let alert = &delivery.alerts[0];
    assert_eq!(alert.summary, "price \u{FFFD}gnorw\u{FFFD} feed");
    assert_eq!(alert.description, "line one\nline two \u{FFFD}x\u{FFFD}");
    assert_eq!(alert.links, ["https://ok.example.org/a"]);
    let long = "x".repeat(5000);
    let body = format!(r#"{{"issue":"oracle-failure","summary":"{long}"}}"#);
    let alert = &parse(body.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
        .alerts[0];
    assert_eq!(alert.summary.chars().count(), 300);
    assert!(alert.summary.ends_with('…'));
}

#[test]
fn the_simple_format_names_its_issue_or_is_routed_by_labels() {
    let named = parse(br#"{"issue":"oracle-failure","summary":"feed stale","severity":"S2"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let plan = plan();
    let r = route(&plan, &named.alerts[0]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.issue.id.as_str(), r.severity),
        ("oracle-failure", Severity::S2)
    );
    // Without a key, the same labels are the same alert.
    let a = parse(br#"{"labels":{"alertname":"OracleStale"}}"#).unwrap_or_else(|e| panic!("{e}"));
    let b = parse(br#"{"labels":{"alertname":"OracleStale"},"summary":"again"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.alerts[0].fingerprint, b.alerts[0].fingerprint);
    let r = route(&plan, &a.alerts[0]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.issue.id.as_str(), r.severity),
        ("oracle-failure", Severity::S1)
    );
    let unknown = parse(br#"{"issue":"no-such-issue"}"#).unwrap_or_else(|e| panic!("{e}"));
    assert!(route(&plan, &unknown.alerts[0])
        .is_err_and(|e| e.contains("no potential issue `no-such-issue`")));
}

#[test]
fn the_rule_naming_most_labels_wins_then_the_first_in_the_plan() {
    let mut plan = plan();
    let rule = |pairs: &[(&str, &str)], severity| AlertRule {
        labels: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        severity,
    };
    plan.issues[0].detection.alerts = vec![rule(&[("service", "pool")], None)];
    plan.issues[1].detection.alerts = vec![rule(
        &[("service", "pool"), ("kind", "outflow")],
        Some(Severity::S3),
    )];
    plan.issues[2].detection.alerts = vec![rule(&[("service", "pool")], None)];
    let alert = |labels: &str| {
        parse(format!(r#"{{"labels":{labels}}}"#).as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
            .alerts[0]
            .clone()
    };
    let r = route(
        &plan,
        &alert(r#"{"service":"pool","kind":"outflow","x":"y"}"#),
    );
    assert_eq!(
        r.map(|r| (r.issue.id.clone(), r.severity)),
        Ok((plan.issues[1].id.clone(), Severity::S3))
    );
    let r = route(&plan, &alert(r#"{"service":"pool","kind":"other"}"#));
    assert_eq!(r.map(|r| r.issue.id.clone()), Ok(plan.issues[0].id.clone()));
    let r = route(&plan, &alert(r#"{"service":"vault"}"#));
    assert!(r.is_err_and(|e| e.contains("no alert rule in the plan matches {service=vault}")));
}

#[test]
fn label_names_are_prometheus_names() {
    for ok in ["alertname", "_x", "a1_B"] {
        assert!(is_label_name(ok), "{ok}");
    }
    for bad in ["", "1a", "a-b", "a b", "ä", &"a".repeat(MAX_LABEL_NAME + 1)] {
        assert!(!is_label_name(bad), "{bad}");
    }
}
