//! `muster alert`: an alert from a script opens an incident on the issue it
//! names or its labels mean, the same alert again changes nothing, a
//! resolution is noted, and what means no issue or cannot be read is
//! refused with exit 1 and nothing stored.

use std::io::Write;
use std::process::{Command, Stdio};

use muster_core::clock::SystemClock;
use muster_core::store::Store;

use super::{muster_utc, ok, temp, text};

#[test]
fn an_alert_from_a_script_opens_one_incident_and_its_resolution_is_noted() {
    let dir = temp();
    let data = dir.path();
    let opened = ok(
        data,
        &[
            "alert",
            "--issue",
            "oracle-failure",
            "--summary",
            "ETH/USD feed stale",
            "--link",
            "https://grafana.example.org/d/1",
        ],
    );
    assert_eq!(
        opened,
        "INC-1\nOpened INC-1 on oracle-failure, in detected\n"
    );
    let again = ok(
        data,
        &[
            "alert",
            "--issue",
            "oracle-failure",
            "--summary",
            "ETH/USD feed stale",
        ],
    );
    assert_eq!(again, "Taken before: nothing changed\n");
    // By labels: the starter plan's rule for the RPC outage.
    let by_labels = ok(
        data,
        &[
            "alert",
            "--label",
            "alertname=RpcProviderDown",
            "--severity",
            "s2",
        ],
    );
    assert!(
        by_labels.starts_with("INC-2\nOpened INC-2 on rpc-provider-outage"),
        "{by_labels}"
    );
    let resolved = ok(data, &["alert", "--issue", "oracle-failure", "--resolved"]);
    assert_eq!(
        resolved,
        "INC-1\nNoted the resolution on INC-1; it stays open\n"
    );
    let listed = ok(data, &["incident", "list"]);
    assert_eq!(listed.lines().count(), 3, "two open incidents: {listed}");
    let timeline = ok(
        data,
        &[
            "incident", "export", "INC-1", "--format", "markdown", "--out", "-",
        ],
    );
    assert!(
        timeline.contains("Alert firing (command line): ETH/USD feed stale"),
        "{timeline}"
    );
    assert!(
        timeline.contains("https://grafana.example.org/d/1"),
        "{timeline}"
    );
    assert!(
        timeline.contains("Alert resolved (command line)"),
        "{timeline}"
    );
    assert!(timeline.contains("**Phase:** Detected"), "{timeline}");
}

#[test]
fn an_alert_that_means_no_issue_or_cannot_be_read_stores_nothing() {
    let dir = temp();
    let data = dir.path();
    ok(data, &["plan", "show"]);
    let unrouted = muster_utc(
        data,
        &[
            "alert",
            "--label",
            "alertname=DiskFull",
            "--label",
            "host=db1",
        ],
    );
    assert_eq!(unrouted.status.code(), Some(1));
    assert_eq!(
        text(&unrouted.stdout),
        "Not taken: no alert rule in the plan matches {alertname=DiskFull, host=db1}: add one to the potential issue it means\n"
    );
    for body in [
        "not json",
        r#"{"version":"4","alerts":[{"status":"boom","labels":{"a":"b"}}]}"#,
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
            .args([
                "--data-dir",
                &data.display().to_string(),
                "alert",
                "--file",
                "-",
            ])
            .env_remove("MUSTER_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{body}");
        assert!(
            text(&out.stderr).starts_with("muster: "),
            "{}",
            text(&out.stderr)
        );
    }
    let listed = ok(data, &["incident", "list", "--all"]);
    assert_eq!(listed.lines().count(), 1, "no incident: {listed}");
    let store = Store::open_in(data, &SystemClock).unwrap();
    let deliveries: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM alert_delivery", [], |r| r.get(0))
        .unwrap();
    assert_eq!(deliveries, 0, "no delivery was kept");
}
