//! `muster incident declare|list|verify|export`, run as a monitor or a
//! responder would run them; and the tamper test: a timeline edited or cut
//! behind Muster's back fails `verify`, which names the first bad event.

use std::fs;
use std::path::Path;

use muster_core::clock::SystemClock;
use muster_core::incident::{IncidentAction, IncidentId, Phase};
use muster_core::Connection;

use super::super::text;
use super::{muster_utc as muster, ok, store, temp};

fn inc(n: u32) -> IncidentId {
    IncidentId(format!("INC-{n}"))
}

fn act(data: &Path, id: &IncidentId, action: IncidentAction) {
    store(data)
        .act_on_incident(id, &action, &SystemClock)
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

fn note(text: &str) -> IncidentAction {
    IncidentAction::AddNote {
        text: text.to_owned(),
    }
}

#[test]
fn declare_prints_the_new_id_first_then_who_must_be_notified_now() {
    let root = temp();
    let data = root.path().join("data");

    let out = ok(
        &data,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("INC-1"), "{out}");
    assert_eq!(
        lines
            .next()
            .map(|l| l.split(", declared by").next().unwrap_or_default()),
        Some("Stolen user funds (S1 critical)"),
        "{out}"
    );
    let incident = store(&data).incident(&inc(1)).unwrap();
    let names: Vec<&str> = incident
        .escalations
        .iter()
        .filter(|e| e.phase == Phase::Detected)
        .map(|e| e.recipient.name.as_str())
        .collect();
    assert!(
        !names.is_empty(),
        "the starter plan escalates upon detection"
    );
    assert!(out.contains("Notify now (detection):\n"), "{out}");
    for name in names {
        assert!(
            out.contains(&format!("  {name} (")),
            "{name} missing:\n{out}"
        );
    }

    // An unplanned exercise, in a category, with a severity by its name.
    let category = incident.category.to_string();
    let out = ok(
        &data,
        &[
            "incident",
            "declare",
            "--category",
            &category,
            "--title",
            "Strange outflow",
            "--severity",
            "major",
            "--exercise",
            "--description",
            "Seen on the dashboard",
        ],
    );
    assert!(
        out.starts_with("INC-2\nEXERCISE — Strange outflow (S2 major)"),
        "{out}"
    );
    let second = store(&data).incident(&inc(2)).unwrap();
    assert!(second.exercise && second.issue.is_none());
    assert_eq!(second.description, "Seen on the dashboard");
}

#[test]
fn bad_declarations_are_refused_with_a_clear_message_and_nothing_is_written() {
    let root = temp();
    let data = root.path().join("data");
    for (args, code, says) in [
        (
            vec!["--issue", "stolen-user-funds", "--severity", "S9"],
            2,
            "use one of S1 (critical), S2 (major), S3 (minor), S4 (low)",
        ),
        (vec!["--severity", "S1"], 2, "--issue <ID>"),
        (
            vec!["--issue", "Not An Id", "--severity", "S1"],
            2,
            "use lowercase letters, digits and hyphens",
        ),
        (
            vec!["--category", "hacker", "--severity", "S1"],
            2,
            "--title <T>",
        ),
        (
            vec!["--issue", "no-such-issue", "--severity", "S1"],
            1,
            "no-such-issue",
        ),
    ] {
        let mut all = vec!["incident", "declare"];
        all.extend(&args);
        let out = muster(&data, &all);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let listed = ok(&data, &["incident", "list", "--all"]);
    assert_eq!(listed, "No incidents\n");
}

#[test]
fn list_shows_the_open_incidents_and_with_all_every_incident() {
    let root = temp();
    let data = root.path().join("data");
    assert_eq!(
        ok(&data, &["incident", "list"]),
        "No open incidents (--all lists resolved and closed ones too)\n"
    );
    ok(
        &data,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
    ok(
        &data,
        &[
            "incident",
            "declare",
            "--issue",
            "protocol-ddos",
            "--severity",
            "S3",
            "--exercise",
        ],
    );
    act(
        &data,
        &inc(1),
        IncidentAction::Transition {
            to: Phase::Resolved,
            note: "drained funds recovered".to_owned(),
        },
    );

    let open = ok(&data, &["incident", "list"]);
    let rows: Vec<&str> = open.lines().collect();
    assert_eq!(rows.len(), 2, "{open}");
    let header: Vec<&str> = rows[0].split_whitespace().collect();
    assert_eq!(header, ["ID", "SEVERITY", "PHASE", "DECLARED", "TITLE"]);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(rows[1].starts_with("INC-2  S3 minor  Detected  "), "{open}");
    assert!(rows[1].contains(&format!("{today} ")), "{open}");
    assert!(rows[1].contains(" UTC  EXERCISE — Protocol DDoS"), "{open}");

    let all = ok(&data, &["incident", "list", "--all"]);
    let ids: Vec<&str> = all
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ids, ["INC-2", "INC-1"], "newest first:\n{all}");
    assert!(all.contains("Resolved"), "{all}");
    assert!(
        all.lines()
            .nth(2)
            .is_some_and(|l| l.ends_with("  Stolen user funds")),
        "{all}"
    );
}

/// A data folder with INC-1 and four more events.
fn incident_with_events(data: &Path) -> u32 {
    ok(
        data,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
    for n in 1..=3 {
        act(data, &inc(1), note(&format!("finding {n}")));
    }
    act(
        data,
        &inc(1),
        IncidentAction::Transition {
            to: Phase::Validated,
            note: "confirmed".to_owned(),
        },
    );
    store(data).events(&inc(1)).unwrap().len() as u32
}

/// Runs `sql` on the database behind Muster's back, triggers dropped.
fn tamper(data: &Path, sql: &str) {
    let conn = Connection::open(data.join(muster_core::store::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER incident_event_no_update; DROP TRIGGER incident_event_no_delete; {sql}"
    ))
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[test]
fn verify_says_an_intact_chain_is_intact() {
    let root = temp();
    let data = root.path().join("data");
    let events = incident_with_events(&data);
    assert_eq!(events, 5);
    let out = muster(&data, &["incident", "verify", "INC-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "INC-1: 5 events, chain intact\n");
}

#[test]
fn verify_fails_naming_the_first_event_edited_or_deleted_behind_musters_back() {
    for (sql, expected) in [
        (
            "UPDATE incident_event SET body = replace(body, 'finding 2', 'finding two') \
             WHERE incident = 'INC-1' AND seq = 3",
            "INC-1: event 3: its content does not match its hash (edited?)\n",
        ),
        (
            "UPDATE incident_event SET author = 'Mallory' WHERE incident = 'INC-1' AND seq = 2",
            "INC-1: event 2: its content does not match its hash (edited?)\n",
        ),
        (
            "DELETE FROM incident_event WHERE incident = 'INC-1' AND seq = 3",
            "INC-1: event 4: it does not follow event 2 (an event was deleted or reordered?)\n",
        ),
        (
            "DELETE FROM incident_event WHERE incident = 'INC-1' AND seq = 5",
            "INC-1: event 5: the timeline ends early: event 5 is missing (deleted?)\n",
        ),
    ] {
        let root = temp();
        let data = root.path().join("data");
        incident_with_events(&data);
        tamper(&data, sql);

        let out = muster(&data, &["incident", "verify", "INC-1"]);
        assert_eq!(out.status.code(), Some(1), "{sql}");
        assert_eq!(text(&out.stdout), expected, "{sql}");
        assert!(
            text(&out.stderr).contains("was changed outside Muster"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn verify_and_export_of_an_unknown_incident_fail_with_a_message() {
    let root = temp();
    let data = root.path().join("data");
    for args in [
        vec!["incident", "verify", "INC-7"],
        vec![
            "incident", "export", "INC-7", "--format", "json", "--out", "-",
        ],
    ] {
        let out = muster(&data, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("muster: ") && stderr.contains("INC-7"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn export_writes_the_timeline_as_markdown_or_json_to_a_file_or_standard_output() {
    let root = temp();
    let data = root.path().join("data");
    let events = incident_with_events(&data);
    let stored = store(&data).events(&inc(1)).unwrap();

    let md = root.path().join("INC-1.md");
    let out = muster(
        &data,
        &[
            "incident",
            "export",
            "INC-1",
            "--format",
            "markdown",
            "--out",
            &md.display().to_string(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = fs::read_to_string(&md).unwrap();
    assert!(
        written.starts_with("# INC-1: Stolen user funds\n"),
        "{written}"
    );
    assert!(written.contains("finding 3"), "{written}");
    for event in &stored {
        assert!(
            written.contains(&event.hash),
            "hash of event {} missing",
            event.seq
        );
    }
    let printed = ok(
        &data,
        &[
            "incident", "export", "INC-1", "--format", "markdown", "--out", "-",
        ],
    );
    assert_eq!(printed, written);

    let json = ok(
        &data,
        &[
            "incident", "export", "INC-1", "--format", "json", "--out", "-",
        ],
    );
    let value: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("not JSON: {e}\n{json}"));
    assert_eq!(value["incident"]["id"], serde_json::json!("INC-1"));
    let hashes: Vec<&str> = value["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["hash"].as_str())
        .collect();
    assert_eq!(hashes.len() as u32, events);
    let expected: Vec<&str> = stored.iter().map(|e| e.hash.as_str()).collect();
    assert_eq!(hashes, expected);
}
