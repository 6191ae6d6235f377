//! End-to-end tests: the real `muster` binary in a real window, driven as a
//! person would use it, with screenshots kept under target/e2e/.

mod alerts;
mod approvals;
mod background;
mod commands;
mod contacts;
mod decisions;
mod desktop;
mod disks;
mod editor;
mod exercises;
mod folder;
mod harness;
mod incidents;
mod keychain;
mod layout;
mod lockdown;
mod roster;
mod syncthing;
mod team;
mod updates;

use fantoccini::Locator;
use muster_core::plan::Plan;
use muster_core::starter;
use serde_json::json;

use harness::App;

fn starter_plan() -> Plan {
    starter::plan(super::today())
}

#[tokio::test(flavor = "current_thread")]
async fn opens_an_issue_and_shows_its_procedures_escalation_owners_and_decisions() {
    let app = App::start(&[]).await;
    let plan = starter_plan();
    // The issue whose procedures need the most decisions shows the most of the page.
    let issue = plan
        .issues
        .iter()
        .max_by_key(|i| {
            plan.procedures_for(&i.id)
                .flat_map(|p| &p.steps)
                .filter(|s| s.decision.is_some())
                .count()
        })
        .unwrap_or_else(|| panic!("the starter plan has no issues"));

    app.find("[data-nav='issues']").await.click().await.unwrap();
    app.find(&format!("[data-issue='{}']", issue.id))
        .await
        .click()
        .await
        .unwrap();

    let title = app
        .find("[data-testid='issue-page'] h1")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(title, issue.title);
    let expected_steps: Vec<String> = plan
        .procedures_for(&issue.id)
        .flat_map(|p| p.steps.iter().map(|s| s.action.clone()))
        .collect();
    assert!(!expected_steps.is_empty());
    assert_eq!(
        app.texts("[data-testid='step-action']").await,
        expected_steps
    );

    let signal = app
        .find("[data-testid='detection-signal']")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(signal, issue.detection.signal);

    let owners: Vec<String> = plan
        .core_team
        .iter()
        .filter(|m| m.categories.contains(&issue.category))
        .map(|m| m.name.clone())
        .collect();
    assert_eq!(app.texts("[data-testid='owner-name']").await, owners);

    // Each decision once, in the order the steps first need it.
    let mut decisions: Vec<String> = Vec::new();
    for title in plan
        .procedures_for(&issue.id)
        .flat_map(|p| &p.steps)
        .filter_map(|s| s.decision.as_ref())
        .filter_map(|d| plan.decision(d))
        .map(|d| d.title.clone())
    {
        if !decisions.contains(&title) {
            decisions.push(title);
        }
    }
    assert!(!decisions.is_empty(), "the chosen issue needs no decision");
    assert_eq!(app.texts("[data-testid='decision-title']").await, decisions);

    let escalation = app
        .find("[data-testid='escalation']")
        .await
        .text()
        .await
        .unwrap_or_default();
    let rule = plan
        .escalation
        .iter()
        .find(|r| r.category == issue.category)
        .unwrap_or_else(|| panic!("no escalation rule for {}", issue.category));
    assert!(escalation.contains(rule.core.label()), "{escalation}");

    app.screenshot("issue-page").await;
    app.client
        .execute("document.querySelector(\"[data-testid='step-action']\").scrollIntoView({block: 'start'})", vec![])
        .await.unwrap();
    app.screenshot("issue-page-steps").await;
    // The app honoured --data-dir: its database is in the test's own folder.
    assert!(app.data_dir.join(muster_core::store::DB_FILE).is_file());
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn every_section_of_the_plan_is_reachable_from_the_sidebar() {
    let app = App::start(&[]).await;
    let plan = starter_plan();
    let sections = [
        ("issues", plan.issues.len()),
        ("procedures", plan.procedures.len()),
        ("escalation", plan.escalation.len()),
        ("core-team", plan.core_team.len()),
        ("extended-team", plan.extended_team.len()),
        ("communications", plan.communications.len()),
        ("decisions", plan.decisions.len()),
    ];
    for (section, count) in sections {
        app.find(&format!("[data-nav='{section}']"))
            .await
            .click()
            .await
            .unwrap();
        app.find(&format!("[data-section='{section}']")).await;
        let rows = app
            .client
            .find_all(Locator::Css("[data-section] [data-row]"))
            .await
            .unwrap_or_default();
        assert_eq!(rows.len(), count, "rows in section {section}");
        app.screenshot(&format!("section-{section}")).await;
    }
    // The escalation page says who is on call now, as core computes it.
    app.click("[data-nav='escalation']").await;
    let rotation = &plan.on_call[0];
    let holder = muster_core::plan::oncall::on_call_now(rotation, chrono::Utc::now())
        .member
        .and_then(|id| plan.contact_name(&id).map(str::to_owned))
        .unwrap_or_else(|| panic!("nobody on call in the starter plan"));
    let shown = app
        .find(&format!(
            "[data-rotation='{}'] [data-testid='on-call-now']",
            rotation.category
        ))
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        shown.starts_with(&format!("On call now: {holder} until ")),
        "{shown}"
    );
    app.screenshot("escalation-on-call").await;
    app.find("[data-nav='overview']")
        .await
        .click()
        .await
        .unwrap();
    app.find("[data-section='overview']").await;
    app.screenshot("overview").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn follows_the_os_dark_setting() {
    let app = App::start(&[("GTK_THEME", "Adwaita:dark")]).await;
    app.find("[data-section='overview']").await;
    let background = app
        .client
        .execute(
            "return getComputedStyle(document.body).backgroundColor",
            vec![],
        )
        .await
        .unwrap();
    let dark = app
        .client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dark, json!(true));
    let rgb: Vec<u32> = background
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    assert!(
        rgb.len() == 3 && rgb.iter().all(|c| *c < 80),
        "background is not dark: {background}"
    );
    app.screenshot("overview-dark").await;
    app.close().await;
}

/// Every kind of link a person may click: mail and phone links from the
/// plan, a web link, and links no plan should be able to make the window
/// follow. Web, mail and phone links reach the OS's handler (`xdg-open`,
/// here a stub on PATH that records its argument); the window never leaves
/// the app.
#[tokio::test(flavor = "current_thread")]
async fn links_open_outside_the_app_and_the_window_stays_on_it() {
    let links = harness::LinkRecorder::new();
    let app = App::start(&[("PATH", &links.path_env())]).await;
    let opened = || links.opened();
    let still_on_the_app = || async {
        let protocol = app
            .client
            .execute("return location.protocol", vec![])
            .await
            .unwrap();
        assert_eq!(protocol, json!("tauri:"), "the window left the app");
        app.find("[data-nav='overview']").await;
    };

    app.find("[data-nav='core-team']")
        .await
        .click()
        .await
        .unwrap();
    app.find("[data-section='core-team']").await;
    let mail = app
        .find("[data-section='core-team'] a[href^='mailto:']")
        .await;
    let href = mail.attr("href").await.unwrap().unwrap_or_default();
    mail.click().await.unwrap();
    assert_eq!(links.wait_for(&href).await, href);
    still_on_the_app().await;

    // Links a plan's text could carry: web and phone go out; file, data and
    // javascript go nowhere; none moves the window.
    for (href, leaves) in [
        ("https://status.example.com/incident?id=1", true),
        ("tel:+15550142", true),
        ("file:///etc/passwd", false),
        ("data:text/html,<h1>gone</h1>", false),
    ] {
        app.client
            .execute(
                "const a = document.createElement('a'); a.href = arguments[0]; a.id = 'probe'; \
                 a.textContent = 'probe'; document.body.prepend(a); a.click(); a.remove();",
                vec![json!(href)],
            )
            .await
            .unwrap();
        if leaves {
            assert_eq!(links.wait_for(href).await, href);
        } else {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            assert!(!opened().contains(href), "{href} was opened");
        }
        still_on_the_app().await;
    }
    app.screenshot("links-stay-in-app").await;
    app.close().await;
}
