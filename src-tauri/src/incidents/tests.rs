//! The incident commands through IPC on the mock runtime, as the webview
//! calls them, and the scheduler behind them raising each reminder once.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Utc;
use muster_core::export::Team;
use muster_core::incident::escalation;
use muster_core::incident::{Phase, Recipient};
use muster_core::plan::{id, Plan};
use serde_json::{json, Value};
use tauri::Manager;

use crate::state::AppState;
use crate::test_ui::{eventually, temp, MockNotifier, Ui};

fn declaration(issue: &str) -> Value {
    json!({"declaration": {
        "issue": issue, "category": null, "title": null, "severity": "S1",
        "exercise": false, "description": "Outflow alert fired", "lead": null,
        "scribe": null, "communications": null,
    }})
}

fn keys(items: &Value) -> BTreeSet<String> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["key"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn declare_view_act_and_agenda_answer_through_ipc_and_tell_the_ui() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    let changed = ui.events("incidents-changed");

    let declared = ui.ok("declare_incident", declaration("stolen-user-funds"));
    assert_eq!(declared["incident"]["id"], json!("INC-1"));
    assert_eq!(declared["incident"]["title"], json!("Stolen user funds"));
    assert_eq!(declared["incident"]["phase"], json!("detected"));
    assert_eq!(declared["timeline"][0]["kind"], json!("declared"));

    let viewed = ui.ok("incident_view", json!({"id": "INC-1"}));
    assert_eq!(
        viewed["incident"]["declaredAt"],
        declared["incident"]["declaredAt"]
    );

    let acted = ui.ok(
        "act_on_incident",
        json!({"id": "INC-1", "action": {"kind": "transition", "to": "validated", "note": "confirmed on chain"}}),
    );
    assert_eq!(acted["incident"]["phase"], json!("validated"));
    let kinds: Vec<&str> = acted["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| *k != "reminderSent")
        .collect();
    assert_eq!(kinds, ["declared", "phaseChanged"]);

    let listed = ui.ok("list_incidents", json!({}));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["phase"], json!("validated"));

    let agenda = ui.ok("get_agenda", json!({}));
    assert!(
        keys(&agenda["due"]).contains("chan:INC-1:responders-war-room"),
        "{agenda}"
    );
    assert!(
        agenda["nextAt"].is_string(),
        "an hourly update is upcoming: {agenda}"
    );

    eventually("two incidents-changed events", || {
        changed.lock().map(|c| c.len() >= 2).unwrap_or(false)
    });
}

#[test]
fn refusals_and_unknown_incidents_arrive_as_coded_errors_and_change_nothing() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    ui.ok("declare_incident", declaration("stolen-user-funds"));
    for (cmd, args, code) in [
        ("incident_view", json!({"id": "INC-9"}), "notFound"),
        (
            "act_on_incident",
            json!({"id": "INC-9", "action": {"kind": "addNote", "text": "hello"}}),
            "notFound",
        ),
        (
            "act_on_incident",
            json!({"id": "INC-1", "action": {"kind": "transition", "to": "closed", "note": ""}}),
            "refused",
        ),
        (
            "declare_incident",
            declaration("no-such-issue"),
            "invalidInput",
        ),
        (
            "export_incident",
            json!({"id": "INC-9", "format": "markdown"}),
            "notFound",
        ),
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
    let listed = ui.ok("list_incidents", json!({}));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let view = ui.ok("incident_view", json!({"id": "INC-1"}));
    assert_eq!(view["incident"]["phase"], json!("detected"));
}

#[test]
fn the_escalation_preview_is_what_core_records() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    let plan: Plan = ui
        .app()
        .state::<AppState>()
        .write_now(|store| store.plan())
        .unwrap_or_else(|e| panic!("{}", e.message));
    let preview = |category: &str, phases: &[Phase]| -> Vec<Recipient> {
        let reply = ui.ok(
            "escalation_preview",
            json!({"category": category, "phases": phases}),
        );
        serde_json::from_value(reply).unwrap_or_else(|e| panic!("not recipients: {e}"))
    };
    // Asked between two readings of the clock: a rotation handing over in
    // between would make the two differ, and the answer is one of them.
    let check = |category: &str, phase: Phase| {
        let category_id = id(category);
        let before = escalation::recipients(&plan, &category_id, phase, Utc::now());
        let answer = preview(category, &[phase]);
        let after = escalation::recipients(&plan, &category_id, phase, Utc::now());
        assert!(
            answer == before || answer == after,
            "{category} {phase:?}: {answer:?} is not core's {before:?}"
        );
        answer
    };
    // Hacker attack: the core team (its rotation) upon detection, the
    // extended team upon validation, nobody on mitigation.
    let detected = check("hacker-attack", Phase::Detected);
    assert!(
        !detected.is_empty() && detected.iter().all(|r| r.team == Team::Core),
        "{detected:?}"
    );
    let validated = check("hacker-attack", Phase::Validated);
    assert!(
        !validated.is_empty() && validated.iter().all(|r| r.team == Team::Extended),
        "{validated:?}"
    );
    assert!(check("hacker-attack", Phase::Mitigated).is_empty());

    // A transition skipping phases: each phase entered, in order, nobody twice.
    let skipped = preview(
        "hacker-attack",
        &[Phase::Validated, Phase::Mitigated, Phase::Resolved],
    );
    let entering = escalation::entering(
        &plan,
        &id("hacker-attack"),
        Phase::Detected,
        Phase::Resolved,
        Utc::now(),
    );
    assert_eq!(skipped, entering);

    // An unknown category has no escalation rule: nobody. A bad phase is refused.
    assert_eq!(preview("no-such-category", &[Phase::Detected]), []);
    let bad = ui.call(
        "escalation_preview",
        json!({"category": "hacker-attack", "phases": ["sideways"]}),
    );
    assert!(bad.is_err(), "{bad:?}");
}

#[test]
fn post_mortems_are_drafted_and_saved() {
    let dir = temp();
    let ui = Ui::open(dir.path());
    ui.ok("declare_incident", declaration("stolen-user-funds"));
    let draft = ui.ok(
        "get_post_mortem",
        json!({"id": "INC-1", "audience": "internalPostMortem"}),
    );
    assert_eq!(draft["edited"], json!(false));
    assert!(!draft["text"].as_str().unwrap_or_default().is_empty());
    let saved = ui.ok(
        "save_post_mortem",
        json!({"id": "INC-1", "audience": "internalPostMortem", "text": "Our write-up"}),
    );
    assert_eq!(
        (&saved["text"], &saved["edited"]),
        (&json!("Our write-up"), &json!(true))
    );
    let again = ui.ok(
        "get_post_mortem",
        json!({"id": "INC-1", "audience": "internalPostMortem"}),
    );
    assert_eq!(again["text"], json!("Our write-up"));
}

#[test]
fn notification_status_reports_the_service() {
    let dir = temp();
    let ui = Ui::with_notifier(
        dir.path(),
        Arc::new(MockNotifier::answering(Ok("dunst 1.9.0".to_owned()))),
    );
    assert_eq!(
        ui.ok("notification_status", json!({})),
        json!({"available": true, "detail": "dunst 1.9.0"})
    );
}

#[test]
fn the_scheduler_raises_each_due_item_once_with_an_alert_for_the_ui() {
    let dir = temp();
    let mock = Arc::new(MockNotifier::default());
    let ui = Ui::with_notifier(dir.path(), mock.clone());
    let alerts = ui.events("alert");

    ui.ok("declare_incident", declaration("stolen-user-funds"));
    let due = keys(&ui.ok("get_agenda", json!({}))["due"]);
    assert!(!due.is_empty());
    let shown = || -> BTreeSet<String> { mock.shown().into_iter().map(|d| d.key).collect() };
    eventually("a notification per due item", || shown() == due);
    eventually("an alert per notification", || {
        alerts.lock().map(|a| a.len() == due.len()).unwrap_or(false)
    });
    let view = ui.ok("incident_view", json!({"id": "INC-1"}));
    let reminders: BTreeSet<String> = view["incident"]["reminders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str().map(str::to_owned))
        .collect();
    assert_eq!(reminders, due);

    // A write wakes the scheduler; nothing new is due, so nothing is raised.
    ui.ok(
        "act_on_incident",
        json!({"id": "INC-1", "action": {"kind": "addNote", "text": "checking"}}),
    );
    ui.scheduler_settled();
    assert_eq!(
        mock.shown().len(),
        due.len(),
        "raised twice: {:?}",
        mock.shown()
    );

    // "Open" on a notification asks the UI to show that incident.
    let opened = ui.events("open-incident");
    assert!(mock.click_open());
    eventually("open-incident", || {
        opened
            .lock()
            .map(|o| o.first() == Some(&json!("INC-1")))
            .unwrap_or(false)
    });
}

#[test]
fn in_a_team_the_person_called_gets_their_own_pop_up_and_acknowledges_from_it() {
    let (dir, team) = (temp(), temp());
    let mock = Arc::new(MockNotifier::default());
    let ui = Ui::with_notifier(dir.path(), mock.clone());
    // This laptop is the person the plan calls first upon detection (the
    // on-call rotation decides who), in a team; someone else leads.
    let plan = ui.ok("get_plan", json!({}));
    let category = plan["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == json!("stolen-user-funds"))
        .unwrap()["category"]
        .clone();
    let preview = ui.ok(
        "escalation_preview",
        json!({"category": category, "phases": ["detected"]}),
    );
    let me = preview[0]["contact"].as_str().unwrap().to_owned();
    let lead = plan["coreTeam"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .find(|m| {
            preview
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["contact"] != json!(m))
        })
        .unwrap();
    let called = id(&me);
    ui.app()
        .state::<AppState>()
        .write_now(|store| {
            // Everyone has a key: each runs Muster on a laptop of their own.
            let keyed = muster_core::fixtures::with_keys(store.plan()?, None);
            store.replace_plan(&keyed, "Signing keys", &muster_core::clock::SystemClock)?;
            store.set_profile_contact(&called)?;
            store.join_team(team.path(), "my-laptop").map(|_| ())
        })
        .unwrap();
    let mut declared = declaration("stolen-user-funds");
    declared["declaration"]["lead"] = json!(lead);
    let view = ui.ok("declare_incident", declared);
    let incident = view["incident"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        view["called"],
        json!(true),
        "the console offers Acknowledge"
    );
    eventually("the pop-up calling this laptop's person", || {
        mock.shown()
            .iter()
            .any(|d| d.title.ends_with("you are called (detected)"))
    });
    ui.scheduler_settled();
    let shown = mock.shown();
    // Telling people is the lead's (Ada's) job: it does not pop up here.
    assert!(
        shown.iter().all(|d| !d.title.contains("people now")),
        "{shown:#?}"
    );
    assert!(shown
        .last()
        .unwrap()
        .key
        .ends_with(&format!(":called:{me}")));
    assert_eq!(
        ui.ok("incident_view", json!({"id": incident}))["called"],
        json!(true)
    );

    // "Acknowledge" on the pop-up: they count as notified, and say so.
    assert!(mock.choose(crate::notifier::Choice::Acknowledge));
    eventually("the acknowledgement", || {
        ui.ok("incident_view", json!({"id": incident}))["called"] == json!(false)
    });
    let view = ui.ok("incident_view", json!({"id": incident}));
    let mine = view["incident"]["escalations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["recipient"]["contact"] == json!(me))
        .unwrap()
        .clone();
    assert_eq!(
        mine["notified"]["channel"],
        json!(muster_core::store::ACKNOWLEDGED)
    );
}
