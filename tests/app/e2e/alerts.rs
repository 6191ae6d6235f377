//! End-to-end: alerts from a real Prometheus Alertmanager (the Debian
//! package), listening on 127.0.0.1 with a route to Muster's receiver,
//! turned on in Settings. An alert posted to Alertmanager's API opens one
//! incident on the issue the starter plan's alert rule names and the
//! escalation pops up; the same alert again (posted again, and re-sent by
//! Alertmanager's repeat interval) opens nothing new; its resolution is
//! noted on the timeline and closes nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use muster_core::alert::AlertStatus;
use muster_core::clock::SystemClock;
use muster_core::incident::{EventBody, IncidentId, Phase};
use muster_core::store::Store;

use super::desktop::{spawn, wait_until, Service};
use super::harness::{free_port, App, PATIENCE};
use super::incidents::wait_for_notification;

const ALERTMANAGER: &str = "/usr/bin/prometheus-alertmanager";

/// Alertmanager on 127.0.0.1:`port`, routing every alert to `url` with
/// `token`, re-sending a firing alert every 2 s, its resolution too.
fn alertmanager(dir: &Path, port: u16, url: &str, token: &str) -> Service {
    let config = dir.join("alertmanager.yml");
    std::fs::write(
        &config,
        format!(
            "route:\n  receiver: muster\n  group_by: ['alertname']\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 2s\n\
             receivers:\n  - name: muster\n    webhook_configs:\n      - url: {url}\n        send_resolved: true\n        http_config:\n          authorization:\n            credentials: {token}\n"
        ),
    )
    .unwrap();
    let service = spawn(
        "prometheus-alertmanager (apt-get install prometheus-alertmanager)",
        Command::new(ALERTMANAGER)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    wait_until("Alertmanager to be ready", || {
        http(port, "GET", "/-/ready", "").0 == 200
    });
    service
}

/// A plain HTTP/1.1 request; the status and body of the answer (0 when
/// nothing answered).
fn http(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Posts the starter plan's oracle alert to Alertmanager's API, firing
/// since `starts`, or resolved when `ends` is given.
fn post_alert(port: u16, starts: &str, ends: Option<&str>) {
    let ends = ends
        .map(|e| format!(r#","endsAt":"{e}""#))
        .unwrap_or_default();
    let body = format!(
        r#"[{{"labels":{{"alertname":"OracleStale","env":"prod","feed":"ETH/USD"}},
        "annotations":{{"summary":"ETH/USD feed stale for 12 minutes","runbook_url":"https://runbooks.example.org/oracle"}},
        "startsAt":"{starts}"{ends}}}]"#
    );
    let (status, answer) = http(port, "POST", "/api/v2/alerts", &body);
    assert_eq!(status, 200, "Alertmanager refused the alert: {answer}");
}

fn alert_events(store: &mut Store, id: &IncidentId, status: AlertStatus) -> usize {
    store
        .events(id)
        .unwrap()
        .iter()
        .filter(|e| matches!(&e.body, EventBody::AlertReceived { status: s, .. } if *s == status))
        .count()
}

#[tokio::test(flavor = "current_thread")]
async fn an_alertmanager_alert_opens_one_incident_that_pops_up_and_its_resolution_is_noted() {
    assert!(
        Path::new(ALERTMANAGER).is_file(),
        "{ALERTMANAGER} is missing: apt-get install prometheus-alertmanager (scripts/dev.sh installs it)"
    );
    let app = App::start(&[]).await;
    let receiver_port = free_port();

    // Settings → Alerts from monitors: on, on a free port; the token shows once.
    app.go("#/settings").await;
    app.scroll_to("[data-testid='alert-receiver']", "center")
        .await;
    app.wait_for_text_containing("[data-testid='alert-receiver-state']", "Off")
        .await;
    app.click("[data-testid='alert-receiver'] input[name='on']")
        .await;
    app.fill("#alert-port", &receiver_port.to_string()).await;
    app.click("[data-testid='alert-receiver'] button[type='submit']")
        .await;
    let url = format!("http://127.0.0.1:{receiver_port}/alerts");
    app.wait_for_text_containing(
        "[data-testid='alert-receiver-state']",
        &format!("Listening at {url}"),
    )
    .await;
    let token = app
        .find("#alert-token")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(token.len(), 64, "{token:?}");
    // Copy puts it on the clipboard, to paste into the monitor's settings.
    app.click("[data-testid='alert-token'] button").await;
    app.wait_for_text_containing("[data-testid='alert-token']", "Copied.")
        .await;
    let pasted = app
        .desktop
        .command("xclip")
        .args(["-selection", "clipboard", "-o"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&pasted.stdout), token);
    app.scroll_to("[data-testid='alert-token']", "center").await;
    app.screenshot("alert-receiver-on").await;

    // A request without the token is refused and stores nothing.
    let (status, _) = http(
        receiver_port,
        "POST",
        "/alerts",
        r#"{"issue":"oracle-failure"}"#,
    );
    assert_eq!(status, 401);

    let work = tempfile::tempdir().unwrap();
    let am_port = free_port();
    let _alertmanager = alertmanager(work.path(), am_port, &url, &token);
    let starts = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let posted = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    post_alert(am_port, &starts, None);

    // One incident on the oracle issue, in detected, and its escalation pops up.
    let mut store = Store::open_in(&app.data_dir, &SystemClock).unwrap();
    let deadline = Instant::now() + PATIENCE;
    let id = loop {
        if let Some(summary) = store.incidents().unwrap().first() {
            break summary.id.clone();
        }
        assert!(Instant::now() < deadline, "no incident from the alert");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let incident = store.incident(&id).unwrap();
    assert_eq!(
        incident.issue.as_ref().map(|i| i.as_str()),
        Some("oracle-failure")
    );
    assert_eq!(incident.phase, Phase::Detected);
    let popped = wait_for_notification(&app, "the alert's escalation", PATIENCE, |n| {
        n.summary.contains(id.as_str()) && n.urgency == Some(2)
    })
    .await;
    // Measured, not asserted: from the POST to Alertmanager to the pop-up's
    // call on the session bus (Alertmanager's group_wait is 0 s here).
    eprintln!(
        "alert posted to Alertmanager → escalation pop-up: {:.0} ms",
        (popped[0].time - posted) * 1000.0
    );
    // The window lists it: a change made by the receiver is published as any other.
    app.go("#/incidents").await;
    app.find(&format!(
        "[data-testid='incident-link'][href='#/incidents/{id}']"
    ))
    .await;

    // The same alert again, and Alertmanager's repeats (every 2 s): nothing new.
    post_alert(am_port, &starts, None);
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(store.incidents().unwrap().len(), 1, "one incident");
    assert_eq!(alert_events(&mut store, &id, AlertStatus::Firing), 1);

    // Resolved: noted on the timeline, the incident stays where it was.
    post_alert(am_port, &starts, Some(&starts));
    let deadline = Instant::now() + PATIENCE;
    while alert_events(&mut store, &id, AlertStatus::Resolved) == 0 {
        assert!(Instant::now() < deadline, "the resolution was not noted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(store.incident(&id).unwrap().phase, Phase::Detected);
    app.go(&format!("#/incidents/{id}")).await;
    app.wait_for_text_containing(
        "[data-testid='incident-console']",
        "Alert resolved (Alertmanager): ETH/USD feed stale for 12 minutes",
    )
    .await;
    app.scroll_to(
        "[data-testid='timeline-entry'].kind-alertReceived",
        "center",
    )
    .await;
    app.screenshot("alert-incident-console").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(alert_events(&mut store, &id, AlertStatus::Resolved), 1);
    drop(store);

    // The token is shown once and kept only as its SHA-256: no file of the
    // data folder (backups too) holds it, as typed or as its 32 bytes.
    let raw: Vec<u8> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&token[i..i + 2], 16).unwrap())
        .collect();
    let mut found = Vec::new();
    super::decisions::files(&app.data_dir, Path::new("/nonexistent"), &mut found);
    assert!(!found.is_empty());
    for file in found {
        let bytes = std::fs::read(&file).unwrap();
        for (what, needle) in [("the token", token.as_bytes()), ("its bytes", &raw[..])] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds {what}",
                file.display()
            );
        }
    }
    app.close().await;
}
