//! End-to-end tests of the plan editor: edits that survive a restart, a new
//! contact found through Ctrl+K, the plan check, the history and the print view.

use std::path::Path;

use fantoccini::Locator;
use muster_core::clock::SystemClock;
use muster_core::plan::check::GapLevel;
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::Section;
use muster_core::store::Store;

use super::harness::{App, CONTROL};
use super::starter_plan;

fn open_store(dir: &Path) -> Store {
    Store::open_in(dir, &SystemClock)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", dir.display()))
}

#[tokio::test(flavor = "current_thread")]
async fn edits_to_an_issue_and_a_procedure_step_survive_a_restart() {
    let app = App::start(&[]).await;
    let plan = starter_plan();
    let issue = &plan.issues[0];
    let procedure = plan
        .procedures_for(&issue.id)
        .next()
        .unwrap_or_else(|| panic!("{} has no procedure", issue.id));
    let step = &procedure.steps[1];
    let (title, signal, action) = (
        "Protocol flooded with spam transactions",
        "Mempool backlog above 5,000 for ten minutes",
        "Page the on-call engineer by phone",
    );

    app.go(&format!("#/issues/{}", issue.id)).await;
    app.click("[data-testid='issue-page'] [data-action='edit']")
        .await;
    app.fill("[name='title']", title).await;
    app.fill("[name='signal']", signal).await;
    app.screenshot("editor-issue-form").await;
    app.click("[data-action='save']").await;
    app.wait_for_text("[data-testid='issue-page'] h1", title)
        .await;

    app.go(&format!("#/procedures/{}", procedure.id)).await;
    app.click("[data-testid='procedure-page'] [data-action='edit']")
        .await;
    app.fill(
        &format!("[data-step='{}'] [name='action']", step.id),
        action,
    )
    .await;
    app.click("[data-action='save']").await;
    app.wait_for_text(
        "[data-testid='procedure-page'] li:nth-of-type(2) [data-testid='step-action']",
        action,
    )
    .await;
    app.screenshot("editor-procedure-saved").await;

    let app = app.restart().await;

    app.go(&format!("#/issues/{}", issue.id)).await;
    app.wait_for_text("[data-testid='issue-page'] h1", title)
        .await;
    app.wait_for_text("[data-testid='detection-signal']", signal)
        .await;
    let actions = app
        .texts("[data-testid='issue-page'] [data-testid='step-action']")
        .await;
    assert!(actions.iter().any(|a| a == action), "{actions:?}");
    app.screenshot("editor-after-restart").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_new_contact_is_found_through_ctrl_k() {
    let app = App::start(&[]).await;
    let name = "Zoe Quickfind";

    app.click("[data-nav='core-team']").await;
    app.click("[data-section='core-team'] [data-action='add']")
        .await;
    app.fill("[name='name']", name).await;
    app.fill("[name='role']", "Security engineer").await;
    // Core judges the address as it is typed, saving nothing: a mail link
    // built from it must reach Zoe and nobody else.
    app.fill("[name='email']", "zoe@example.com?bcc=eve@evil.example")
        .await;
    app.wait_for_text(
        "[data-field-error='email']",
        "`zoe@example.com?bcc=eve@evil.example` has `?`: write one address only, such as name@example.com",
    )
    .await;
    app.screenshot("contact-email-core-check").await;
    app.fill("[name='email']", "zoe@example.com").await;
    let deadline = std::time::Instant::now() + super::harness::PATIENCE;
    while !app.texts("[data-field-error='email']").await.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "core's word on the fixed address never went"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.click("[data-action='save']").await;
    let plan = starter_plan();
    let rows = "[data-section='core-team'] [data-row]";
    let deadline = std::time::Instant::now() + super::harness::PATIENCE;
    while app.texts(rows).await.len() != plan.core_team.len() + 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new member never appeared"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    app.go("#/").await;
    app.find("[data-section='overview']").await;
    app.chord(CONTROL, "k").await;
    app.fill("[data-testid='palette-input']", "quickf").await;
    app.wait_for_text("[data-testid='palette-result'] .title", name)
        .await;
    app.screenshot("palette").await;
    app.find("[data-testid='palette-input']")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap();

    // A dialog with something typed in it asks before Escape drops it.
    app.go("#/incidents").await;
    app.click("[data-testid='declare-incident']").await;
    app.fill(
        "[data-testid='declare-dialog'] [name='description']",
        "Outflow of 7%",
    )
    .await;
    app.find("[data-testid='declare-dialog'] [name='description']")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    app.wait_for_text(
        "[data-testid='discard-question']",
        "Discard what you wrote? It has not been sent.",
    )
    .await;
    app.screenshot("dialog-discard-question").await;
    app.click("[data-action='keep-editing']").await;
    let kept = app
        .find("[data-testid='declare-dialog'] [name='description']")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, "Outflow of 7%");
    app.find("[data-testid='declare-dialog'] [name='description']")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    app.click("[data-action='discard']").await;
    let deadline = std::time::Instant::now() + super::harness::PATIENCE;
    while !app.texts("[data-testid='declare-dialog']").await.is_empty() {
        assert!(std::time::Instant::now() < deadline, "the dialog stayed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.go("#/").await;
    app.find("[data-section='overview']").await;
    app.chord(CONTROL, "k").await;
    app.fill("[data-testid='palette-input']", "quickf").await;
    app.wait_for_text("[data-testid='palette-result'] .title", name)
        .await;
    app.find("[data-testid='palette-input']")
        .await
        .send_keys("\u{E007}")
        .await
        .unwrap();

    app.find("[data-section='core-team']").await;
    let shown = app.texts(rows).await;
    assert!(shown.iter().any(|r| r.contains(name)), "{shown:?}");
    let palettes = app
        .client
        .find_all(Locator::Css("[data-testid='palette']"))
        .await
        .unwrap_or_default();
    assert!(palettes.is_empty(), "the palette stayed open");
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_plan_check_counts_gaps_and_links_to_them() {
    // Take away Network problem's escalation rule before the app starts.
    let app = App::start_prepared(&[], |dir| {
        let mut store = open_store(dir);
        let edit = PlanEdit::Delete {
            section: Section::Escalation,
            key: "network-problem".into(),
        };
        store.apply(&edit, &SystemClock).unwrap();
    })
    .await;
    // What the page lists: the plan's gaps and this laptop's own (updates
    // sent nowhere from here), as the store's plan check gives them.
    let gaps = open_store(&app.data_dir)
        .plan_check(chrono::Utc::now())
        .unwrap();
    let problems = gaps.iter().filter(|g| g.level == GapLevel::Problem).count();
    assert!(problems >= 1, "{gaps:?}");

    app.wait_for_text("[data-testid='check-badge']", &problems.to_string())
        .await;
    app.click("[data-nav='check']").await;
    app.find("[data-section='check']").await;
    let rows = app.texts("[data-section='check'] [data-row]").await;
    assert_eq!(rows.len(), gaps.len(), "{rows:?}");
    assert!(
        rows.iter().any(|r| r.contains("Network problem")),
        "{rows:?}"
    );
    app.screenshot("plan-check").await;

    app.click("[data-section='check'] [data-row] a").await;
    app.find("[data-section='escalation']").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn history_lists_every_revision_and_the_print_view_holds_the_whole_plan() {
    let app = App::start_prepared(&[], |dir| {
        let mut store = open_store(dir);
        store.set_profile_name("Ada Example").unwrap();
        let mut plan = store.plan().unwrap();
        plan.issues[0].title = "Protocol DDoS (revised)".into();
        let edit = PlanEdit::SaveIssue {
            issue: plan.issues[0].clone(),
            position: None,
        };
        store.apply(&edit, &SystemClock).unwrap();
    })
    .await;
    let revisions = open_store(&app.data_dir).revisions(100).unwrap();

    app.click("[data-nav='history']").await;
    app.find("[data-section='history']").await;
    let rows = app.texts("[data-section='history'] [data-row]").await;
    assert_eq!(rows.len(), revisions.len(), "{rows:?}");
    assert!(
        rows[0].contains("Ada Example") && rows[0].contains("Protocol DDoS (revised)"),
        "{rows:?}"
    );
    app.screenshot("history").await;

    // The print view itself; the Print button would open the system dialog.
    app.go("#/print").await;
    app.find("[data-section='print']").await;
    let plan = starter_plan();
    let contacts = app.texts("[data-testid='contact-sheet'] tbody tr").await;
    assert_eq!(
        contacts.len(),
        plan.core_team.len() + plan.extended_team.len()
    );
    app.screenshot("print-view").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn deleting_asks_first_refuses_what_is_referenced_and_undoes_with_ctrl_z() {
    let app = App::start(&[]).await;
    let plan = starter_plan();

    // A referenced contact: asked first, then refused with what refers to her.
    app.go("#/core-team").await;
    app.click("[data-contact='ada-example'] [data-action='delete']")
        .await;
    app.find("[data-testid='confirm']").await;
    app.screenshot("delete-confirm").await;
    app.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    let refusal = app
        .find("[data-testid='confirm'] [role='alert']")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        refusal.starts_with("cannot delete core member “Ada Example”: decision “Pause contract” requires their approval"),
        "{refusal}"
    );
    app.screenshot("delete-refused").await;
    app.click("[data-testid='confirm'] [data-action='dismiss']")
        .await;
    app.wait_for_count(
        "[data-section='core-team'] [data-row]",
        plan.core_team.len(),
    )
    .await;

    // An unreferenced rule: dismissing keeps it, confirming deletes it, Ctrl+Z brings it back.
    let rows = "[data-section='communications'] [data-row]";
    let last = plan.communications.len();
    let delete = format!("{rows}:nth-of-type({last}) [data-action='delete']");
    app.go("#/communications").await;
    app.wait_for_count(rows, last).await;
    app.click(&delete).await;
    app.click("[data-testid='confirm'] [data-action='dismiss']")
        .await;
    app.wait_for_count(rows, last).await;
    app.click(&delete).await;
    app.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    app.wait_for_count(rows, last - 1).await;
    app.find("[data-section='communications']")
        .await
        .click()
        .await
        .unwrap();
    app.chord(CONTROL, "z").await;
    app.wait_for_count(rows, last).await;
    app.close().await;
}
