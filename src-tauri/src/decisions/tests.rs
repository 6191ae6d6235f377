//! The decision commands through IPC on the mock runtime, as the webview
//! calls them, with keyring-core's mock store as the keychain; and the
//! scheduler asking the profile's person to approve, once.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use keyring_core::api::CredentialStoreApi;
use keyring_core::{mock, Error as KeyringError};
use muster_core::clock::SystemClock;
use muster_core::decision::PrivateKey;
use serde_json::{json, Value};
use tauri::Manager;

use super::*;
use crate::keychain::{self, Keychain, Sensitive, SERVICE};
use crate::notifier::Notifications;
use crate::scheduler;
use crate::test_ui::{eventually, temp, MockNotifier, Ui};
use muster_core::ops::decision_file::{kind as file_kind, FileKind};

/// An app whose keychain is a fresh mock store.
fn app(dir: &Path, notifier: Arc<MockNotifier>) -> (Ui, Arc<mock::Store>) {
    let ui = Ui::with_notifier(dir, notifier);
    let store = mock::Store::new().unwrap();
    ui.app().state::<Keys>().use_store(store.clone());
    (ui, store)
}

fn declare(ui: &Ui) {
    ui.ok(
        "declare_incident",
        json!({"declaration": {
            "issue": "stolen-user-funds", "category": null, "title": null, "severity": "S1",
            "exercise": false, "description": "Outflow alert fired", "lead": null,
            "scribe": null, "communications": null,
        }}),
    );
}

fn request(ui: &Ui, policy: &str, statement: &str) -> Value {
    ui.ok(
        "request_decision",
        json!({"incident": "INC-1", "policy": policy, "statement": statement, "expiresInMinutes": 240}),
    )
}

fn set_up(ui: &Ui, contact: &str, rotate: bool) -> Result<Value, Value> {
    ui.call(
        "set_up_signing_key",
        json!({"contact": contact, "rotate": rotate}),
    )
}

fn profile_id(ui: &Ui) -> String {
    ui.app()
        .state::<AppState>()
        .write_now(|store| store.setting(PROFILE_ID))
        .unwrap_or_else(|e| panic!("{}", e.message))
        .unwrap_or_else(|| panic!("no profile id"))
}

/// Makes the next keychain call on `profile`'s entry fail with `error`.
fn fail_next(store: &Arc<mock::Store>, profile: &str, error: KeyringError) {
    let entry = store
        .build(SERVICE, &keychain::user(profile), None)
        .unwrap();
    let cred: &mock::Cred = entry
        .as_any()
        .downcast_ref()
        .unwrap_or_else(|| panic!("not a mock credential"));
    cred.set_error(error);
}

fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

fn boxed(text: &str) -> Box<dyn std::error::Error + Send + Sync> {
    text.to_owned().into()
}

/// The timeline's event kinds, without the reminders the scheduler adds
/// on its own time.
fn kinds(view: &Value) -> Vec<String> {
    view["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| *k != "reminderSent")
        .map(str::to_owned)
        .collect()
}

fn count(seen: &Arc<Mutex<Vec<Value>>>) -> usize {
    seen.lock().map(|s| s.len()).unwrap_or(0)
}

#[test]
fn request_list_sign_attest_and_status_answer_through_ipc_and_tell_the_ui() {
    let dir = temp();
    let (ui, _keychain) = app(dir.path(), Arc::default());
    let decisions_changed = ui.events(crate::events::DECISIONS_CHANGED);
    let incidents_changed = ui.events(crate::events::INCIDENTS_CHANGED);
    let plan_changed = ui.events(crate::events::PLAN_CHANGED);

    let none = ui.ok("signing_key_status", json!({}));
    assert_eq!(none["keychain"], json!("noKey"), "{none}");
    assert_eq!(none["contact"], Value::Null);
    assert_eq!(none["fingerprint"], Value::Null);

    let ready = set_up(&ui, "ada-example", false).unwrap();
    assert_eq!(ready["keychain"], json!("ready"), "{ready}");
    assert_eq!(ready["contact"], json!("ada-example"));
    assert_eq!(ready["name"], json!("Ada Example"));
    let fingerprint = ready["fingerprint"].as_str().unwrap_or_default().to_owned();
    assert!(fingerprint.starts_with("SHA256:"), "{ready}");
    assert_eq!(ui.ok("signing_key_status", json!({})), ready);
    eventually("plan-changed", || count(&plan_changed) == 1);

    declare(&ui);
    let requested = request(
        &ui,
        "notify-law-enforcement",
        "Report the theft to the police",
    );
    let id = requested["request"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(id.starts_with("DEC-") && id.len() == 20, "{requested}");
    assert_eq!(requested["request"]["local"], json!(true));
    assert_eq!(requested["quorum"]["state"], json!("pending"));
    assert_eq!(
        requested["quorum"]["waitingFor"],
        json!(["ada-example", "ben-sample"])
    );

    let listed = ui.ok("list_decisions", json!({}));
    assert_eq!(listed, json!([requested]));

    let signed = ui.ok(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "approve"}}),
    );
    assert_eq!(signed["signature"]["signer"], json!("ada-example"));
    assert_eq!(signed["signature"]["verdict"], json!("approve"));
    assert_eq!(signed["signature"]["fingerprint"], json!(fingerprint));
    let text = signed["signature"]["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("Muster decision signature v1\n"), "{text}");
    assert_eq!(signed["status"]["quorum"]["state"], json!("pending"));
    assert_eq!(
        signed["status"]["quorum"]["waitingFor"],
        json!(["ben-sample"])
    );

    let attested = ui.ok(
        "attest_approval",
        json!({"id": id, "approver": "ben-sample", "channel": "phone",
               "approvedAt": Utc::now().to_rfc3339(), "witness": "chloe-demo"}),
    );
    assert_eq!(attested["quorum"]["state"], json!("approved"), "{attested}");
    assert_eq!(attested["attestations"][0]["counts"], json!(true));
    assert_eq!(attested["signatures"][0]["contact"], json!("ada-example"));

    let listed = ui.ok("list_decisions", json!({}));
    assert_eq!(listed, json!([attested]));
    let view = ui.ok("incident_view", json!({"id": "INC-1"}));
    assert_eq!(
        kinds(&view),
        [
            "declared",
            "decisionRequested",
            "decisionSigned",
            "decisionAttested",
            "decisionResolved"
        ]
    );

    // Request, signature, attestation: each told the UI.
    eventually("three decisions-changed", || count(&decisions_changed) == 3);
    eventually("incidents-changed for each event", || {
        count(&incidents_changed) >= 4
    });
}

#[test]
fn bad_arguments_are_refused_before_any_dialog_or_keychain() {
    let dir = temp();
    let (ui, keychain) = app(dir.path(), Arc::default());
    set_up(&ui, "ada-example", false).unwrap();
    declare(&ui);
    let id = request(&ui, "pause-contract", "Pause the Vault contract on mainnet")["request"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Were the keychain asked, it would answer "locked".
    fail_next(
        &keychain,
        &profile_id(&ui),
        KeyringError::NoStorageAccess(boxed("SS Error: object locked")),
    );
    for (cmd, args, code, says) in [
        (
            "request_decision",
            json!({"incident": "INC-1", "policy": "pause-contract", "statement": "Pause", "expiresInMinutes": 0}),
            "invalidInput",
            "a request expires between 1 minute and 30 days after it is made, not 0 minutes",
        ),
        (
            "request_decision",
            json!({"incident": "INC-1", "policy": "pause-contract", "statement": "Pause", "expiresInMinutes": i64::MAX}),
            "invalidInput",
            "a request expires between 1 minute and 30 days",
        ),
        (
            "request_decision",
            json!({"incident": "INC-1", "policy": "pause-contract", "statement": " ", "expiresInMinutes": 60}),
            "invalidInput",
            "the statement is empty: write it in one line",
        ),
        (
            "sign_decision",
            json!({"id": "DEC-0000000000000000", "answer": {"verdict": "approve"}}),
            "notFound",
            "DEC-0000000000000000",
        ),
        (
            "attest_approval",
            json!({"id": id, "approver": "ben-sample", "channel": "phone", "approvedAt": "yesterday", "witness": "chloe-demo"}),
            "invalidInput",
            "`yesterday` is not a time",
        ),
        (
            "save_signature_file",
            json!({"id": id, "text": "hello"}),
            "refused",
            "this is not a Muster decision signature",
        ),
        (
            "export_decision_request",
            json!({"id": "DEC-0000000000000000"}),
            "notFound",
            "DEC-0000000000000000",
        ),
        (
            "export_decision_bundle",
            json!({"id": "DEC-0000000000000000"}),
            "notFound",
            "DEC-0000000000000000",
        ),
    ] {
        let reply = ui.call(cmd, args.clone());
        let Err(error) = reply else {
            panic!("{cmd} {args} succeeded: {reply:?}")
        };
        let message = error["message"].as_str().unwrap_or_default();
        assert_eq!(error["code"], json!(code), "{cmd} {args}: {error}");
        assert!(message.contains(says), "{cmd} {args}: {message}");
    }
    // None of them asked the keychain: its answer is still to come.
    let reply = ui.call(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "approve"}}),
    );
    assert_eq!(
        reply.err().map(|e| e["message"].clone()),
        Some(json!(
            "the keychain is locked (SS Error: object locked): unlock it and try again"
        ))
    );
    // A signature made for this decision is saved only under its id.
    let signed = ui.ok(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "approve"}}),
    );
    let reply = ui.call(
        "save_signature_file",
        json!({"id": "DEC-0000000000000000", "text": signed["signature"]["text"]}),
    );
    assert_eq!(
        reply.err().map(|e| e["message"].clone()),
        Some(json!(format!(
            "this signature file is for {id}, not DEC-0000000000000000"
        )))
    );
}

#[test]
fn a_locked_or_missing_keychain_is_refused_with_guidance_and_changes_nothing() {
    let dir = temp();
    let (ui, keychain) = app(dir.path(), Arc::default());
    set_up(&ui, "ada-example", false).unwrap();
    declare(&ui);
    let id = request(&ui, "pause-contract", "Pause the Vault contract on mainnet")["request"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let profile = profile_id(&ui);
    let decisions_changed = ui.events(crate::events::DECISIONS_CHANGED);
    let snapshot = || {
        (
            ui.ok("list_decisions", json!({})),
            kinds(&ui.ok("incident_view", json!({"id": "INC-1"}))),
            ui.ok("get_plan", json!({})),
            ui.ok("list_revisions", json!({})),
        )
    };
    let before = snapshot();

    let locked = "the keychain is locked (SS Error: object locked): unlock it and try again";
    let unavailable = "no keychain is available (zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files): start your desktop's keyring (gnome-keyring or KWallet) and try again";
    for (error, state, says, shows, attempt) in [
        (
            KeyringError::NoStorageAccess(boxed("SS Error: object locked")),
            "locked",
            locked,
            locked,
            "sign_decision",
        ),
        (
            KeyringError::NoStorageAccess(boxed("SS Error: object locked")),
            "locked",
            locked,
            locked,
            "set_up_signing_key",
        ),
        (
            KeyringError::PlatformFailure(boxed("zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")),
            "unavailable",
            unavailable,
            unavailable,
            "sign_decision",
        ),
        (
            KeyringError::NoEntry,
            "noKey",
            "no signing key for this profile in the keychain: set one up in Settings → Signing key",
            "the keychain holds no signing key for this profile, though the plan lists SHA256:",
            "sign_decision",
        ),
    ] {
        fail_next(&keychain, &profile, error);
        let reply = match attempt {
            "sign_decision" => ui.call(
                "sign_decision",
                json!({"id": id, "answer": {"verdict": "approve"}}),
            ),
            _ => set_up(&ui, "ada-example", true),
        };
        let Err(refusal) = reply else {
            panic!("{attempt} succeeded on a {state} keychain: {reply:?}")
        };
        assert_eq!(refusal["code"], json!("unavailable"), "{refusal}");
        assert_eq!(refusal["message"], json!(says), "{attempt}");
        let status = ui.ok("signing_key_status", json!({}));
        assert_eq!(status["keychain"], json!(state), "{status}");
        assert!(
            status["detail"]
                .as_str()
                .unwrap_or_default()
                .starts_with(shows),
            "{status}"
        );
        assert_eq!(snapshot(), before, "{attempt} on a {state} keychain");
    }
    assert_eq!(count(&decisions_changed), 0);

    // Unlocked again: the same request signs, and the status is ready.
    let signed = ui.ok(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "reject", "reason": "the oracle recovered"}}),
    );
    assert_eq!(signed["status"]["quorum"]["state"], json!("rejected"));
    assert_eq!(
        ui.ok("signing_key_status", json!({}))["keychain"],
        json!("ready")
    );
}

/// Whether `T` implements `Serialize`: the inherent constant wins when it
/// applies, the trait's otherwise.
struct Probe<T>(PhantomData<T>);

trait Otherwise {
    const SERIALIZES: bool = false;
}

impl<T> Otherwise for Probe<T> {}

impl<T: Serialize> Probe<T> {
    const SERIALIZES: bool = true;
}

#[test]
fn no_answer_carries_the_private_key() {
    // The secret's wrapper cannot be serialised at all, checked when this
    // compiles (the probe works: a String can).
    const { assert!(!Probe::<Sensitive<String>>::SERIALIZES) };
    const { assert!(!Probe::<Sensitive<[u8; 32]>>::SERIALIZES) };
    const { assert!(Probe::<String>::SERIALIZES) };

    let dir = temp();
    let (ui, keychain) = app(dir.path(), Arc::default());
    let mut answers: Vec<String> = Vec::new();
    let mut keep = |reply: Result<Value, Value>| -> Value {
        let value = reply.unwrap_or_else(|e| e);
        answers.push(value.to_string());
        value
    };
    keep(ui.call("signing_key_status", json!({})));
    keep(set_up(&ui, "ada-example", false));
    keep(set_up(&ui, "ada-example", false)); // refused: a key exists
    keep(set_up(&ui, "ada-example", true)); // rotated
    keep(ui.call("signing_key_status", json!({})));
    declare(&ui);
    let requested = keep(ui.call(
        "request_decision",
        json!({"incident": "INC-1", "policy": "notify-law-enforcement", "statement": "Report the theft", "expiresInMinutes": 60}),
    ));
    let id = requested["request"]["id"].clone();
    keep(ui.call(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "approve"}}),
    ));
    keep(ui.call(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "approve"}}),
    )); // refused: signed already
    keep(ui.call(
        "attest_approval",
        json!({"id": id, "approver": "ben-sample", "channel": "phone",
               "approvedAt": Utc::now().to_rfc3339(), "witness": "chloe-demo"}),
    ));
    keep(ui.call("list_decisions", json!({})));
    keep(ui.call("incident_view", json!({"id": "INC-1"})));
    keep(ui.call("get_plan", json!({})));

    // The key as the keychain holds it: its PEM text and its 32-byte seed.
    let entry = keychain
        .build(SERVICE, &keychain::user(&profile_id(&ui)), None)
        .unwrap();
    let pem = String::from_utf8(entry.get_secret().unwrap()).unwrap();
    let key = PrivateKey::from_openssh(&pem).unwrap();
    let seed = key
        .key_data()
        .ed25519()
        .map(|pair| pair.private.to_bytes())
        .unwrap_or_else(|| panic!("not an ed25519 key"));
    let mut needles: Vec<String> = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .map(str::to_owned)
        .collect();
    assert!(needles.len() >= 3, "{} PEM lines", needles.len());
    needles.push("PRIVATE KEY".to_owned());
    needles.push(seed.iter().map(|b| format!("{b:02x}")).collect());
    needles.push(format!(
        "[{}]",
        seed.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
    ));
    assert_eq!(answers.len(), 12);
    for answer in &answers {
        for needle in &needles {
            assert!(
                !answer.contains(needle.as_str()),
                "an answer carries {needle}: {answer}"
            );
        }
    }
}

#[test]
fn the_app_asks_the_profiles_person_to_approve_once() {
    let dir = temp();
    let notifier = Arc::new(MockNotifier::default());
    let (ui, _keychain) = app(dir.path(), notifier.clone());
    set_up(&ui, "ada-example", false).unwrap();
    declare(&ui);
    let requested = request(&ui, "pause-contract", "Pause the Vault contract on mainnet");
    eventually("the approval notification", || notifier.notes().len() == 1);
    let note = &notifier.notes()[0];
    assert_eq!(
        note.title,
        "Your approval is needed: Pause the Vault contract on mainnet"
    );
    let id = requested["request"]["id"].as_str().unwrap_or_default();
    assert!(
        note.body
            .starts_with(&format!("{id} on INC-1 under “Pause contract”, expires ")),
        "{}",
        note.body
    );
    // Later passes (another write wakes the scheduler) do not ask again.
    let changed = ui.events(crate::events::INCIDENTS_CHANGED);
    ui.ok(
        "act_on_incident",
        json!({"id": "INC-1", "action": {"kind": "addNote", "text": "hello"}}),
    );
    eventually("the note's event", || count(&changed) >= 1);
    ui.scheduler_settled();
    assert_eq!(notifier.notes().len(), 1);
    assert_eq!(notifier.withdrawn(), Vec::<String>::new());

    // Once she has answered, the question's pop-up is withdrawn.
    ui.ok(
        "sign_decision",
        json!({"id": id, "answer": {"verdict": "approve"}}),
    );
    eventually("the question withdrawn", || {
        notifier.withdrawn() == vec![note.key.clone()]
    });
}

#[test]
fn each_approval_is_asked_for_once_even_after_a_restart() {
    let dir = temp();
    let data = dir.path().join("data");
    let clock = SystemClock;
    let ask = |state: &AppState, notifications: &Notifications| {
        tauri::async_runtime::block_on(scheduler::ask_approvers(
            state,
            notifications,
            Arc::new(SystemClock),
            chrono_tz::Tz::UTC,
            |_: &DecisionId| -> crate::notifier::OnAction { Box::new(|_| {}) },
        ))
        .unwrap_or_else(|e| panic!("{}", e.message))
    };
    let mock = Arc::new(MockNotifier::default());
    let notifications = Notifications::new(mock.clone());
    let keys = Keychain::on(mock::Store::new().unwrap());
    let state = AppState::open(data.clone(), "Tess Tester");
    // Nobody to ask before the profile says who it is.
    assert!(ask(&state, &notifications).is_empty());
    let decision = state
        .write_now(|store| {
            let ada = id("ada-example");
            let seed = Sensitive::new([1u8; 32]);
            signing::set_up(store, &keys, &ada, false, seed, &clock)?;
            let declaration = muster_core::incident::Declaration {
                issue: Some(id("stolen-user-funds")),
                category: None,
                title: None,
                severity: muster_core::plan::Severity::S1,
                exercise: true,
                description: String::new(),
                lead: None,
                scribe: None,
                communications: None,
            };
            let incident = store.declare_incident(&declaration, &clock)?;
            // Ada is required for the pause; an additional approver is not
            // needed (none is), so Chloe is never asked.
            let request = store.request_decision(
                &incident.id,
                &id("pause-contract"),
                "Pause the Vault contract",
                chrono::Duration::hours(4),
                [7; 32],
                &clock,
            )?;
            Ok(request.id)
        })
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(ask(&state, &notifications), std::slice::from_ref(&decision));
    assert!(ask(&state, &notifications).is_empty());
    let notes = mock.notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0].title,
        "EXERCISE — Your approval is needed: Pause the Vault contract"
    );
    assert!(!notes[0].critical, "an exercise is not critical");
    drop(state);

    // Remembered in the data folder: a restarted app does not ask again.
    let state = AppState::open(data, "Tess Tester");
    assert!(ask(&state, &notifications).is_empty());
    state
        .write_now(|store| store.set_profile_contact(&id("chloe-demo")))
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert!(ask(&state, &notifications).is_empty());
    // Ben is required and was never asked here.
    state
        .write_now(|store| store.set_profile_contact(&id("ben-sample")))
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(ask(&state, &notifications), [decision]);
    assert_eq!(mock.notes().len(), 2);
}

#[test]
fn files_are_told_apart_by_their_first_line() {
    for (text, kind) in [
        (
            "Muster decision request v1\nnamespace: x\n",
            Some(FileKind::Request),
        ),
        ("Muster decision request v1\r\n", Some(FileKind::Request)),
        (
            "\u{feff}Muster decision signature v1\ndecision: DEC-1\n",
            Some(FileKind::Signature),
        ),
        ("Muster decision signature v1", Some(FileKind::Signature)),
        ("Muster decision request v2\n", None),
        ("muster decision request v1\n", None),
        ("", None),
        ("-----BEGIN SSH SIGNATURE-----\n", None),
    ] {
        assert_eq!(file_kind(text.as_bytes()), kind, "{text:?}");
    }
}

#[test]
fn a_bundle_goes_into_a_new_or_empty_folder_named_after_the_decision() {
    let dir = temp();
    let id = DecisionId("DEC-1f3a9c0b7d2e4a61".to_owned());
    let first = dir.path().join("DEC-1f3a9c0b7d2e4a61");
    assert_eq!(bundle_folder(dir.path(), &id), first);
    std::fs::create_dir(&first).unwrap();
    assert_eq!(bundle_folder(dir.path(), &id), first, "empty: used");
    std::fs::write(first.join("record.txt"), "x").unwrap();
    assert_eq!(
        bundle_folder(dir.path(), &id),
        dir.path().join("DEC-1f3a9c0b7d2e4a61-2")
    );
    std::fs::write(dir.path().join("DEC-1f3a9c0b7d2e4a61-2"), "a file").unwrap();
    assert_eq!(
        bundle_folder(dir.path(), &id),
        dir.path().join("DEC-1f3a9c0b7d2e4a61-3")
    );
}
