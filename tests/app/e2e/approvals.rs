//! End-to-end: two profiles — two data folders with one plan, each with its
//! own key in the real Secret Service — complete a 2-of-2 approval through
//! the UI: the requester approves and exports the request, the other
//! approver imports it, approves and saves a signature file, the requester
//! imports it and the decision is approved; its bundle verifies.

use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use muster_core::clock::SystemClock;
use muster_core::plan::id;
use muster_core::store::Store;

use super::desktop::Desktop;
use super::harness::{App, PATIENCE};
use super::incidents::declare_oracle_failure;

const POLICY: &str = "pause-contract";

fn store(data: &Path) -> Store {
    Store::open_in(data, &SystemClock).unwrap()
}

/// "Pause contract" needs exactly Ada and Ben in this plan.
fn two_of_two(data: &Path) {
    let mut store = store(data);
    let mut plan = store.plan().unwrap();
    let policy = plan
        .decisions
        .iter_mut()
        .find(|d| d.id.as_str() == POLICY)
        .unwrap_or_else(|| panic!("no {POLICY} policy"));
    policy.required = vec![id("ada-example"), id("ben-sample")];
    policy.additional.clear();
    policy.additional_needed = 0;
    store
        .replace_plan(&plan, "Pause contract: Ada and Ben", &SystemClock)
        .unwrap();
}

/// Copies `who`'s public key from one plan into the other, as the team's
/// shared plan folder would.
fn share_key(from: &Path, to: &Path, who: &str) {
    let key = store(from)
        .plan()
        .unwrap()
        .core_team
        .into_iter()
        .find(|m| m.id.as_str() == who)
        .and_then(|m| m.public_key)
        .unwrap_or_else(|| panic!("{who} has no key in {from:?}"));
    let mut target = store(to);
    let mut plan = target.plan().unwrap();
    for m in &mut plan.core_team {
        if m.id.as_str() == who {
            m.public_key = Some(key.clone());
        }
    }
    target
        .replace_plan(&plan, &format!("{who}'s signing key"), &SystemClock)
        .unwrap();
}

/// Settings → Signing key: "I am <who>", set up, confirm; waits for the fingerprint.
async fn set_up_key(app: &App, who: &str) -> String {
    app.go("#/settings").await;
    app.click(&format!(
        "[data-testid='signing-contact'] option[value='{who}']"
    ))
    .await;
    app.click("[data-testid='set-up-key']").await;
    app.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let print = app.texts("[data-testid='key-fingerprint']").await.join("");
        if print.contains("SHA256:") {
            return print;
        }
        assert!(Instant::now() < deadline, "no fingerprint shown: {print:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the decision's card is in `state`.
async fn wait_for_state(app: &App, state: &str) -> String {
    let card = app
        .find(&format!(
            "[data-testid='decision-card'][data-state='{state}']"
        ))
        .await;
    card.attr("data-decision")
        .await
        .unwrap_or_default()
        .unwrap_or_default()
}

#[tokio::test(flavor = "current_thread")]
async fn two_profiles_complete_a_two_of_two_approval_through_the_ui() {
    let desktop = Rc::new(Desktop::start(true));
    let root = desktop.root.path().to_owned();
    let (a, b) = (root.join("ada"), root.join("ben"));
    let exchanged = root.join("exchanged");
    std::fs::create_dir_all(&exchanged).unwrap();
    two_of_two(&a);
    two_of_two(&b);

    let ada = App::start_on(desktop.clone(), a.clone(), &[]).await;
    let ben = App::start_on(desktop.clone(), b.clone(), &[]).await;
    let ada_print = set_up_key(&ada, "ada-example").await;
    let ben_print = set_up_key(&ben, "ben-sample").await;
    assert_ne!(ada_print, ben_print);
    ada.screenshot("signing-key").await;
    share_key(&a, &b, "ada-example");
    share_key(&b, &a, "ben-sample");

    // Ada declares an incident and requests the pause from its checklist.
    declare_oracle_failure(&ada).await;
    ada.click(&format!(
        "[data-testid='step-decision'][data-policy='{POLICY}'] [data-testid='request-decision']"
    ))
    .await;
    ada.fill(
        "[data-testid='decision-statement']",
        "Pause borrowing on the Vault markets",
    )
    .await;
    ada.click("[data-testid='decision-submit']").await;

    // She approves on her laptop and exports the request for Ben.
    ada.go("#/decisions-log").await;
    let id = wait_for_state(&ada, "pending").await;
    assert!(id.starts_with("DEC-"), "{id}");
    ada.click("[data-testid='decision-card'] [data-testid='approve']")
        .await;
    ada.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    let request = exchanged.join("request.txt");
    ada.click("[data-testid='decision-card'] [data-testid='export-request']")
        .await;
    ada.choose_in_os_dialog("Export the decision request", &request)
        .await;
    wait_until_file(&request).await;

    // Ben imports it, approves, and saves his signature.
    ben.go("#/decisions-log").await;
    ben.click("[data-testid='import-decision-file']").await;
    ben.choose_in_os_dialog("Import a decision request or signature file", &request)
        .await;
    ben.find(&format!(
        "[data-testid='decision-card'][data-decision='{id}']"
    ))
    .await;
    ben.click("[data-testid='decision-card'] [data-testid='approve']")
        .await;
    ben.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    let signature = exchanged.join("ben.sig.txt");
    ben.click("[data-testid='decision-card'] [data-testid='save-signature']")
        .await;
    ben.choose_in_os_dialog("Save the signature file", &signature)
        .await;
    wait_until_file(&signature).await;
    ben.screenshot("decision-approver").await;

    // Ada takes in Ben's signature: the quorum is reached.
    ada.click("[data-testid='import-decision-file']").await;
    ada.choose_in_os_dialog("Import a decision request or signature file", &signature)
        .await;
    assert_eq!(wait_for_state(&ada, "approved").await, id);
    ada.screenshot("decision-approved").await;

    // The bundle proves it to anyone. (Written from the command line: the GTK
    // folder chooser opens on "Recent" under Xvfb and does not take a typed
    // folder; the window's button calls the same store function.)
    let bundle = exchanged.join(&id);
    let bundled = desktop.run_muster(
        &a,
        &[
            "decision",
            "bundle",
            &id,
            "--out",
            &bundle.display().to_string(),
        ],
    );
    assert!(
        bundled.status.success(),
        "{}",
        String::from_utf8_lossy(&bundled.stderr)
    );
    let verified = desktop.run_muster(&a, &["decision", "verify", &bundle.display().to_string()]);
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    ben.close().await;
    ada.close().await;
}

async fn wait_until_file(path: &Path) {
    let deadline = Instant::now() + PATIENCE;
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} was not written",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
