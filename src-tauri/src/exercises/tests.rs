//! The exercise commands through IPC on the mock runtime, as the webview
//! calls them: set-up, the moderator's actions (a scenario declares its
//! exercise incident), refusals that change nothing, the participants'
//! window, readiness, and the report saved with its attached files.

use std::path::Path;

use muster_core::clock::SystemClock;
use muster_core::exercise::{ExerciseAction, ExerciseId, ExerciseSetup};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

use super::*;
use crate::test_ui::{eventually, temp, Ui};
use muster_core::exercise::AttachmentKind;
use muster_core::ops::report::write as write_report_at;
use muster_core::store::Store;

/// A set-up on the starter plan: one scenario from a potential issue, with
/// an inject, an expected action and a target.
fn setup() -> Value {
    json!({
        "title": "Stolen funds drill",
        "date": Utc::now().date_naive(),
        "moderator": "ada-example",
        "participants": ["dara-mock"],
        "scope": "From the outflow alert to containment; no real transactions",
        "objectives": [{"key": "obj-1", "text": "Escalate a stolen-funds alert"}],
        "scenarios": [{
            "key": "sc-1",
            "title": "Funds drained from the pool",
            "issue": "stolen-user-funds",
            "category": null,
            "situation": "The outflow alert fires at 03:10",
            "injects": [{"key": "inj-1", "title": "Funds move", "text": "The attacker moves funds to a mixer"}],
            "expected": [{"key": "exp-1", "text": "Open the war room", "procedure": null, "step": null}],
            "targets": [{"key": "tgt-1", "label": "Core team notified", "measure": "escalation", "withinMinutes": 15, "objective": "obj-1"}],
        }],
    })
}

fn act(ui: &Ui, action: Value) -> Value {
    ui.ok("act_on_exercise", json!({"id": "EX-1", "action": action}))
}

#[test]
fn an_exercise_is_set_up_started_and_its_scenario_declares_an_exercise_incident() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    let exercises_changed = ui.events(crate::events::EXERCISES_CHANGED);
    let incidents_changed = ui.events(crate::events::INCIDENTS_CHANGED);

    let created = ui.ok("create_exercise", json!({"setup": setup()}));
    assert_eq!(created["id"], json!("EX-1"));
    assert_eq!(created["status"], json!("planned"));
    let listed = ui.ok("list_exercises", json!({}));
    assert_eq!(listed[0]["id"], json!("EX-1"), "{listed}");
    assert_eq!(listed[0]["scenarios"], json!(1), "{listed}");

    let mut edited = setup();
    edited["title"] = json!("Stolen funds drill, night shift");
    let updated = ui.ok(
        "update_exercise_setup",
        json!({"id": "EX-1", "setup": edited}),
    );
    assert_eq!(
        updated["setup"]["title"],
        json!("Stolen funds drill, night shift")
    );

    let started = act(&ui, json!({"action": "start"}));
    assert_eq!(started["exercise"]["status"], json!("running"));
    let view = act(&ui, json!({"action": "startScenario", "scenario": "sc-1"}));
    assert_eq!(view["exercise"]["current"], json!("sc-1"), "{view}");
    let runs = view["exercise"]["runs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(runs.len(), 1, "{view}");
    let incident = runs[0]["incident"].clone();
    act(
        &ui,
        json!({"action": "revealSituation", "scenario": "sc-1"}),
    );
    act(
        &ui,
        json!({"action": "log", "scenario": "sc-1", "kind": "did", "text": "Opened the war room", "expected": "exp-1"}),
    );

    let view = ui.ok("exercise_view", json!({"id": "EX-1"}));
    assert_eq!(view["exercise"]["runs"][0]["incident"], incident);
    assert_eq!(view["readBacks"][0]["scenario"], json!("sc-1"), "{view}");
    assert_eq!(view["readBacks"][0]["expected"][0]["status"], json!("done"));

    let incidents = ui.ok("list_incidents", json!({}));
    let declared: Vec<&Value> = incidents
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["id"] == incident)
        .collect();
    assert_eq!(declared.len(), 1, "{incidents}");
    assert_eq!(declared[0]["exercise"], json!(true), "{incidents}");

    let participants = ui.ok("participant_view", json!({"id": "EX-1"}));
    assert_eq!(
        participants["scenario"]["situation"],
        json!("The outflow alert fires at 03:10")
    );
    assert!(
        !participants.to_string().contains("Open the war room"),
        "the participants see no expected action: {participants}"
    );

    eventually("exercises-changed for every write", || {
        exercises_changed
            .lock()
            .map(|c| c.len() >= 6)
            .unwrap_or(false)
    });
    eventually("incidents-changed when the scenario started", || {
        incidents_changed
            .lock()
            .map(|c| !c.is_empty())
            .unwrap_or(false)
    });
}

#[test]
fn a_refused_exercise_action_arrives_as_refused_and_changes_nothing() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    ui.ok("create_exercise", json!({"setup": setup()}));
    let before = ui.ok("exercise_view", json!({"id": "EX-1"}));

    for (cmd, args, code) in [
        (
            "act_on_exercise",
            json!({"id": "EX-1", "action": {"action": "startScenario", "scenario": "sc-1"}}),
            "refused",
        ),
        (
            "act_on_exercise",
            json!({"id": "EX-9", "action": {"action": "start"}}),
            "notFound",
        ),
        ("exercise_view", json!({"id": "EX-9"}), "notFound"),
        ("participant_view", json!({"id": "EX-9"}), "notFound"),
        (
            "exercise_report",
            json!({"id": "EX-9", "format": "markdown"}),
            "notFound",
        ),
        (
            "save_exercise_report",
            json!({"id": "EX-9", "format": "html"}),
            "notFound",
        ),
        ("open_participant_window", json!({"id": "EX-9"}), "notFound"),
        ("delete_exercise", json!({"id": "EX-9"}), "notFound"),
    ] {
        let reply = ui.call(cmd, args.clone());
        let Err(error) = reply else {
            panic!("{cmd} {args} succeeded: {reply:?}")
        };
        assert_eq!(error["code"], json!(code), "{cmd} {args}: {error}");
        assert!(
            !error["message"].as_str().unwrap_or_default().is_empty(),
            "{error}"
        );
    }
    let mut bad = setup();
    bad["moderator"] = json!("nobody-here");
    let reply = ui.call("create_exercise", json!({"setup": bad}));
    assert!(reply.is_err(), "{reply:?}");

    let after = ui.ok("exercise_view", json!({"id": "EX-1"}));
    assert_eq!(after["exercise"], before["exercise"]);
    assert_eq!(ui.ok("list_incidents", json!({})), json!([]));
    assert_eq!(
        ui.ok("list_exercises", json!({})).as_array().map(Vec::len),
        Some(1)
    );

    // Started, the set-up is fixed and the exercise cannot be deleted.
    act(&ui, json!({"action": "start"}));
    for (cmd, args) in [
        (
            "update_exercise_setup",
            json!({"id": "EX-1", "setup": setup()}),
        ),
        ("delete_exercise", json!({"id": "EX-1"})),
    ] {
        let reply = ui.call(cmd, args);
        let Err(error) = reply else {
            panic!("{cmd} succeeded: {reply:?}")
        };
        assert_eq!(error["code"], json!("refused"), "{cmd}: {error}");
    }
}

#[test]
fn readiness_findings_and_the_plan_check_answer_for_exercises() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    let readiness = ui.ok("readiness", json!({}));
    assert_eq!(readiness["exercisesLast12Months"], json!(0), "{readiness}");
    assert!(
        readiness["requiredPerYear"].as_u64().unwrap_or(0) >= 2,
        "{readiness}"
    );
    assert!(readiness["nextDue"].is_string(), "{readiness}");
    assert_eq!(readiness["realIncidents"]["open"], json!(0), "{readiness}");
    assert!(
        readiness["neverExercised"]
            .as_array()
            .is_some_and(|n| !n.is_empty()),
        "nothing was exercised yet: {readiness}"
    );

    ui.ok("create_exercise", json!({"setup": setup()}));
    act(&ui, json!({"action": "start"}));
    act(
        &ui,
        json!({"action": "addFinding", "draft": {
            "scenario": "sc-1", "issue": "Ben's phone number is out of date",
            "element": null, "correctiveAction": "Update Ben's phone number",
            "owner": "dara-mock", "due": Utc::now().date_naive(),
        }}),
    );
    let findings = ui.ok("list_findings", json!({}));
    assert_eq!(findings[0]["id"], json!("IMP-1"), "{findings}");
    let gaps = ui.ok("plan_check", json!({}));
    assert!(
        gaps.as_array()
            .into_iter()
            .flatten()
            .any(|g| g["kind"] == json!("improvementOpen")),
        "{gaps}"
    );
    let readiness = ui.ok("readiness", json!({}));
    assert_eq!(
        readiness["openItems"][0]["id"],
        json!("IMP-1"),
        "{readiness}"
    );

    let scenario = ui.ok(
        "draft_scenario",
        json!({"issue": "stolen-user-funds", "key": "sc-2"}),
    );
    assert_eq!(scenario["key"], json!("sc-2"));
    assert_eq!(scenario["issue"], json!("stolen-user-funds"));
    let report = ui.ok("exercise_report", json!({"id": "EX-1", "format": "html"}));
    assert!(
        report
            .as_str()
            .is_some_and(|r| r.to_lowercase().starts_with("<!doctype html>")),
        "{report}"
    );
}

/// Calls `cmd` from the window labelled `label` of `ui`'s app.
fn call_from(ui: &Ui, label: &str, cmd: &str, args: Value) -> Result<Value, Value> {
    let window = ui
        .app()
        .get_webview_window(label)
        .unwrap_or_else(|| panic!("no window {label}"));
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost"
            .parse()
            .unwrap_or_else(|e| panic!("url: {e}")),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&window, request).map(|b| {
        b.deserialize::<Value>()
            .unwrap_or_else(|e| panic!("not JSON: {e}"))
    })
}

#[test]
fn the_participant_window_opens_on_the_exercise_once_and_may_read_its_view() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    ui.ok("create_exercise", json!({"setup": setup()}));
    ui.ok("create_exercise", json!({"setup": setup()}));

    ui.ok("open_participant_window", json!({"id": "EX-1"}));
    let window = ui
        .app()
        .get_webview_window(PARTICIPANT_WINDOW)
        .unwrap_or_else(|| panic!("no participants' window"));
    let fragment = |w: &tauri::WebviewWindow<tauri::test::MockRuntime>| {
        w.url().ok().and_then(|u| u.fragment().map(str::to_owned))
    };
    assert_eq!(fragment(&window).as_deref(), Some("/participant/EX-1"));
    assert!(
        window
            .url()
            .is_ok_and(|u| u.path().ends_with("/index.html")),
        "{:?}",
        window.url()
    );
    // Open already: it shows the other exercise instead; still one window.
    ui.ok("open_participant_window", json!({"id": "EX-2"}));
    let windows = ui.app().webview_windows();
    assert_eq!(windows.len(), 2, "{:?}", windows.keys());
    assert_eq!(fragment(&window).as_deref(), Some("/participant/EX-2"));

    let view = call_from(
        &ui,
        PARTICIPANT_WINDOW,
        "participant_view",
        json!({"id": "EX-2"}),
    )
    .unwrap_or_else(|e| panic!("participant_view from the participants' window: {e}"));
    assert_eq!(view["exercise"], json!("EX-2"));
    assert_eq!(view["status"], json!("planned"));

    // A window the capability does not name may call nothing.
    WebviewWindowBuilder::new(ui.app(), "stranger", Default::default())
        .build()
        .unwrap_or_else(|e| panic!("mock window: {e}"));
    let reply = call_from(&ui, "stranger", "participant_view", json!({"id": "EX-2"}));
    assert!(reply.is_err(), "{reply:?}");
}

fn store_in(data: &Path) -> Store {
    Store::open_in(data, &SystemClock).unwrap()
}

fn exercise_with_a_recording(store: &mut Store, recording: &Path) -> ExerciseId {
    let setup: ExerciseSetup =
        serde_json::from_value(setup()).unwrap_or_else(|e| panic!("set-up: {e}"));
    let id = store
        .create_exercise(&setup, &SystemClock)
        .unwrap_or_else(|e| panic!("create: {e}"))
        .id;
    for action in [
        ExerciseAction::Start,
        ExerciseAction::StartScenario {
            scenario: "sc-1".to_owned(),
        },
        ExerciseAction::End,
        ExerciseAction::Attach {
            kind: AttachmentKind::File,
            label: "Recording of the call".to_owned(),
            target: recording.display().to_string(),
        },
        ExerciseAction::Attach {
            kind: AttachmentKind::Link,
            label: "Slides".to_owned(),
            target: "https://example.invalid/slides".to_owned(),
        },
    ] {
        store
            .act_on_exercise(&id, &action, &SystemClock)
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
    id
}

#[test]
fn a_saved_exercise_report_has_its_attached_files_copied_beside_it() {
    let dir = temp();
    let recording = dir.path().join("call recording.txt");
    std::fs::write(&recording, "what was said").unwrap();
    let mut store = store_in(&dir.path().join("data"));
    let id = exercise_with_a_recording(&mut store, &recording);
    let stored = store.exercise_folder(&id);
    assert!(
        stored.join("call recording.txt").is_file(),
        "the store keeps attached files in {}",
        stored.display()
    );

    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let path = out.join(ReportFormat::Markdown.file_name(&id));
    assert!(path.ends_with("EX-1-after-action.md"));
    let saved =
        write_report_at(&mut store, &id, ReportFormat::Markdown, &path, Utc::now()).unwrap();
    assert_eq!(saved.copied, ["call recording.txt"]);
    assert!(saved.missing.is_empty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# After-action report: "), "{text}");
    assert_eq!(
        std::fs::read_to_string(out.join("attachments").join("call recording.txt")).ok(),
        Some("what was said".to_owned())
    );

    // Nowhere to write: refused, and nothing is left behind.
    let nowhere = dir.path().join("no-such-folder").join("report.html");
    let refused = write_report_at(&mut store, &id, ReportFormat::Html, &nowhere, Utc::now());
    let Err(error) = refused else {
        panic!("wrote into a missing folder")
    };
    assert!(
        error.to_string().contains(&nowhere.display().to_string()),
        "{error}"
    );
    assert!(!dir.path().join("no-such-folder").exists());
}
