//! A live exercise through the window, as a moderator runs one: set up two
//! scenarios from the plan, run them from the console (reveal, injects by
//! button and by Alt+digit, a keyboard log with `#N` links), read back, rate
//! the objectives, record a finding that shows in the plan check, attach a
//! recording and notes, and write the after-action report with the command
//! line. The participants' window shows only what was revealed. A set-up
//! saved with mistakes shows core's own messages beside its fields.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use muster_core::clock::SystemClock;
use muster_core::exercise::ExerciseId;
use muster_core::plan::Id;
use muster_core::store::Store;

use super::harness::{App, PATIENCE};
use super::starter_plan;
use crate::text;

/// The Alt key, for [`App::chord`].
const ALT: char = '\u{E00A}';

const FIRST_ISSUE: &str = "oracle-failure";
const SECOND_ISSUE: &str = "key-holder-unreachable";
const MODERATOR: &str = "ada-example";
const PARTICIPANT: &str = "ben-sample";

fn open_store(app: &App) -> Store {
    Store::open_in(&app.data_dir, &SystemClock).unwrap()
}

/// Dismisses the reminder cards (the exercise incidents' escalations, also
/// shown by the desktop), as a person would before reading the page.
async fn dismiss_alerts(app: &App) {
    while let Some(button) = app
        .client
        .find_all(Locator::Css("[data-action='dismiss-alert']"))
        .await
        .unwrap_or_default()
        .into_iter()
        .next()
    {
        button.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types one line into the console's log and presses Enter.
async fn log(app: &App, line: &str) {
    let input = app.find("[data-testid='log-input']").await;
    input
        .send_keys(&format!("{line}\u{E007}"))
        .await
        .unwrap_or_else(|e| panic!("cannot log {line:?}: {e}"));
}

async fn set_up_two_scenarios(app: &App) -> ExerciseId {
    app.go("#/exercises").await;
    app.find("[data-testid='programme']").await;
    app.click_centered("[data-testid='new-exercise']").await;
    // Saved empty, the form shows core's problems, each beside its field.
    app.click_centered("[data-testid='setup-save']").await;
    app.find("[data-testid='setup-errors'] li").await;
    let mut problems = Vec::new();
    for li in app
        .client
        .find_all(Locator::Css("[data-testid='setup-errors'] li"))
        .await
        .unwrap_or_default()
    {
        problems.push(li.text().await.unwrap_or_default());
    }
    for expected in [
        "The exercise needs a title",
        "The exercise needs a moderator",
        "Objective 1 has no text",
        "The exercise needs at least one scenario",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected}: {problems:?}"
        );
    }
    for field in ["setup-title", "setup-moderator"] {
        let invalid = app
            .find(&format!("[data-testid='{field}']"))
            .await
            .attr("aria-invalid")
            .await
            .unwrap_or_default();
        assert_eq!(invalid.as_deref(), Some("true"), "{field}");
    }
    app.screenshot("exercise-setup-problems").await;
    assert!(open_store(app).exercises().unwrap().is_empty());
    // Each fix is checked by core again; its message goes once the answer is in
    // (waited for, so nothing moves under the next click).
    app.fill("[data-testid='setup-title']", "Q4 live exercise")
        .await;
    app.wait_for_count("[data-testid='setup-title'][aria-invalid='true']", 0)
        .await;
    app.click_centered(&format!(
        "[data-testid='setup-moderator'] option[value='{MODERATOR}']"
    ))
    .await;
    app.wait_for_count("[data-testid='setup-moderator'][aria-invalid='true']", 0)
        .await;
    app.click_centered(&format!(
        "[data-testid='setup-participant'][data-contact='{PARTICIPANT}']"
    ))
    .await;
    app.fill(
        "[data-testid='setup-scope']",
        "Oracle failure and an unreachable key holder",
    )
    .await;
    // The form opens with one empty objective; a second is added.
    for (n, objective) in ["Escalate within the plan's times", "Approve a pause"]
        .iter()
        .enumerate()
    {
        if n > 0 {
            app.click_until(
                "[data-testid='objective-add']",
                "[data-testid='objective-text']",
                n + 1,
            )
            .await;
        }
        app.wait_for_count("[data-testid='objective-text']", n + 1)
            .await;
        let fields = app
            .client
            .find_all(Locator::Css("[data-testid='objective-text']"))
            .await
            .unwrap_or_default();
        fields[n].send_keys(objective).await.unwrap();
    }
    for (n, issue) in [FIRST_ISSUE, SECOND_ISSUE].iter().enumerate() {
        app.click_centered(&format!(
            "[data-testid='scenario-issue'] option[value='{issue}']"
        ))
        .await;
        app.click_until(
            "[data-testid='scenario-add']",
            "[data-testid='scenario-card']",
            n + 1,
        )
        .await;
    }
    app.wait_for_count("[data-testid='setup-form'] [aria-invalid='true']", 0)
        .await;
    // One inject per scenario, written by the moderator.
    for (key, title, body) in [
        (
            "sc-1",
            "Price feed frozen",
            "The ETH/USD feed has not updated for 40 minutes",
        ),
        (
            "sc-2",
            "Signer on a plane",
            "The second multisig signer is unreachable until tomorrow",
        ),
    ] {
        let card = format!("[data-testid='scenario-card'][data-scenario='{key}']");
        app.click_until(
            &format!("{card} [data-testid='inject-add']"),
            &format!("{card} [data-testid='inject-title']"),
            1,
        )
        .await;
        app.fill(&format!("{card} [data-testid='inject-title']"), title)
            .await;
        app.fill(&format!("{card} [data-testid='inject-text']"), body)
            .await;
    }
    app.screenshot("exercise-setup").await;
    app.click_centered("[data-testid='setup-save']").await;
    app.find("[data-testid='exercise-status'][data-status='planned']")
        .await;
    let ids = open_store(app).exercises().unwrap();
    assert_eq!(ids.len(), 1, "{ids:?}");
    ids[0].id.clone()
}

#[tokio::test(flavor = "current_thread")]
async fn a_moderator_runs_a_two_scenario_exercise_and_the_report_has_every_section() {
    let app = App::start(&[]).await;
    app.find("[data-section='overview']").await;
    let plan = starter_plan();
    let id = set_up_two_scenarios(&app).await;
    let exercise = open_store(&app).exercise(&id).unwrap();
    let first = &exercise.setup.scenarios[0];
    assert_eq!(first.issue.as_ref().map(|i| i.as_str()), Some(FIRST_ISSUE));
    let expected = plan
        .procedures_for(&Id::parse(FIRST_ISSUE).unwrap())
        .flat_map(|p| &p.steps)
        .count();
    assert_eq!(
        first.expected.len(),
        expected,
        "the scenario expects every step of the issue's procedures"
    );
    assert!(expected >= 4, "the oracle procedures have {expected} steps");

    // ---- scenario 1 -------------------------------------------------------
    app.click("[data-testid='tab-run']").await;
    app.click("[data-testid='start-exercise']").await;
    app.find("[data-testid='exercise-status'][data-status='running']")
        .await;
    app.click("[data-testid='start-scenario'][data-scenario='sc-1']")
        .await;
    app.find("[data-testid='scenario-clock']").await;
    app.click("[data-testid='reveal-situation']").await;
    app.click("[data-testid='inject-card'][data-declared='false'] [data-testid='declare-inject']")
        .await;
    app.find("[data-testid='inject-card'][data-declared='true']")
        .await;

    // The keyboard log: said, then did (Alt+D), `#N` links an expected action.
    log(&app, "#1 Check the oracle dashboards").await;
    app.wait_for_count("[data-testid='log-entry']", 1).await;
    app.chord(ALT, "d").await;
    log(&app, "#3 Paused the affected markets").await;
    log(&app, "#2 Confirmed the price deviation").await;
    log(&app, "Called the auditors for a second opinion").await;
    app.wait_for_count("[data-testid='log-entry']", 4).await;
    let kinds: Vec<String> = {
        let mut out = Vec::new();
        for e in app
            .client
            .find_all(Locator::Css("[data-testid='log-entry']"))
            .await
            .unwrap_or_default()
        {
            out.push(e.attr("data-kind").await.ok().flatten().unwrap_or_default());
        }
        out
    };
    assert_eq!(
        kinds.iter().filter(|k| *k == "said").count(),
        1,
        "one said and three did: {kinds:?}"
    );
    assert_eq!(kinds.iter().filter(|k| *k == "did").count(), 3, "{kinds:?}");

    // A responder works the exercise incident in its own console: everyone the
    // plan says to tell upon detection is told (the escalation time is measured).
    app.click("[data-testid='open-incident']").await;
    app.find("[data-testid='incident-console']").await;
    app.find("[data-testid='exercise-label']").await;
    let pending = "[data-testid='recipient'] [data-testid='mark-notified']";
    loop {
        let buttons = app
            .client
            .find_all(Locator::Css(pending))
            .await
            .unwrap_or_default();
        let Some(button) = buttons.first() else {
            break;
        };
        let left = buttons.len();
        button.click().await.unwrap();
        // Marked: the console shows one person fewer to tell.
        let deadline = Instant::now() + PATIENCE;
        while app.texts(pending).await.len() >= left {
            assert!(
                Instant::now() < deadline,
                "marking notified changed nothing"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    app.go(&format!("#/exercises/{id}/run")).await;
    app.find("[data-testid='log-input']").await;

    // The projector's window shows the situation and the declared inject only.
    participant_window_shows_only_what_was_revealed(&app, first).await;

    app.screenshot("exercise-console").await;
    app.click("[data-testid='end-scenario']").await;

    // ---- read-back of scenario 1 -------------------------------------------
    app.click("[data-testid='tab-readback']").await;
    let readback = "[data-testid='readback'][data-scenario='sc-1']";
    app.find(readback).await;
    let statuses = |css: &'static str| {
        let app = &app;
        async move {
            let mut out = Vec::new();
            for e in app
                .client
                .find_all(Locator::Css(&format!("{readback} {css}")))
                .await
                .unwrap_or_default()
            {
                out.push(
                    e.attr("data-status")
                        .await
                        .ok()
                        .flatten()
                        .unwrap_or_default(),
                );
            }
            out
        }
    };
    let expected_rows = statuses("[data-testid='expected-row']").await;
    assert_eq!(expected_rows.len(), expected, "{expected_rows:?}");
    assert_eq!(expected_rows[0], "done", "{expected_rows:?}");
    assert_eq!(
        expected_rows[1..3]
            .iter()
            .filter(|s| *s == "outOfOrder")
            .count(),
        1,
        "#3 before #2 puts one of them out of order: {expected_rows:?}"
    );
    assert!(
        expected_rows[3..].iter().all(|s| s == "missed"),
        "{expected_rows:?}"
    );
    let taken_rows = statuses("[data-testid='taken-row']").await;
    assert_eq!(taken_rows.len(), 4, "{taken_rows:?}");
    assert_eq!(taken_rows[3], "extra", "{taken_rows:?}");
    // Everyone was told within seconds: the 15-minute escalation target is met.
    app.find(&format!(
        "{readback} [data-testid='target-row'][data-met='true']"
    ))
    .await;
    app.screenshot("exercise-readback").await;

    // ---- scenario 2, its inject declared with Alt+1 -----------------------------
    app.click("[data-testid='tab-run']").await;
    app.click("[data-testid='start-scenario'][data-scenario='sc-2']")
        .await;
    app.click("[data-testid='log-input']").await;
    app.chord(ALT, "1").await;
    app.find("[data-testid='inject-card'][data-declared='true']")
        .await;
    log(&app, "#1 Tried the signer's phone and chat").await;
    app.wait_for_count("[data-testid='log-entry']", 1).await;
    app.click("[data-testid='end-scenario']").await;
    app.click("[data-testid='end-exercise']").await;
    app.click("[data-action='confirm']").await;
    app.find("[data-testid='exercise-status'][data-status='ended']")
        .await;

    // ---- evaluation and a finding -----------------------------------------
    app.click("[data-testid='tab-evaluation']").await;
    app.find("[data-testid='measured-panel']").await;
    app.screenshot("exercise-evaluation-top").await;
    for (objective, rating) in [("obj-1", "S"), ("obj-2", "M")] {
        let card = format!("[data-testid='objective-rating'][data-objective='{objective}']");
        app.click(&format!(
            "{card} [data-testid='rate'][data-rating='{rating}']"
        ))
        .await;
        app.fill(
            &format!("{card} [data-testid='observations']"),
            "The team found the runbook quickly",
        )
        .await;
        app.fill(
            &format!("{card} [data-testid='strengths']"),
            "Clear roles from the start",
        )
        .await;
        app.fill(
            &format!("{card} [data-testid='areas']"),
            "Nobody had the signer's backup number",
        )
        .await;
        app.click(&format!("{card} [data-testid='save-rating']"))
            .await;
    }
    app.click("[data-testid='add-finding']").await;
    app.fill(
        "[data-testid='finding-issue']",
        "Ben's phone number is out of date",
    )
    .await;
    app.fill(
        "[data-testid='finding-action']",
        "Update Ben's phone number and verify it",
    )
    .await;
    app.click(&format!(
        "[data-testid='finding-owner'] option[value='{MODERATOR}']"
    ))
    .await;
    app.click("[data-testid='finding-section'] option[value='coreTeam']")
        .await;
    app.click(&format!(
        "[data-testid='finding-element'] option[value='{PARTICIPANT}']"
    ))
    .await;
    app.click("[data-testid='finding-save']").await;
    app.find("[data-testid='finding-row'][data-open='true']")
        .await;
    app.screenshot("exercise-evaluation").await;

    // ---- recordings and notes, then the report ------------------------------
    app.click("[data-testid='tab-report']").await;
    app.fill("[data-testid='attach-label']", "Recording of the session")
        .await;
    app.fill(
        "[data-testid='attach-url']",
        "https://drive.example.com/q4-exercise.mp4",
    )
    .await;
    app.click("[data-testid='attach-link']").await;
    app.find("[data-testid='attachment-row']").await;
    // A file (the hot wash's notes) through the OS file chooser: copied into
    // the data folder, then beside the report.
    let out_dir = tempfile::tempdir().unwrap();
    let notes_file = out_dir.path().join("hot-wash-notes.txt");
    std::fs::write(
        &notes_file,
        "Hot wash, scenario 1: the pause took 25 minutes.\n",
    )
    .unwrap();
    app.click("[data-testid='attach-file']").await;
    app.choose_in_os_dialog("Attach a file to the exercise", &notes_file)
        .await;
    app.wait_for_count("[data-testid='attachment-row']", 2)
        .await;
    app.fill(
        "[data-testid='notes']",
        "Hot wash: the pause decision took too long to reach quorum.",
    )
    .await;
    app.click("[data-testid='save-notes']").await;
    let deadline = Instant::now() + PATIENCE;
    while open_store(&app)
        .exercise(&id)
        .map(|e| e.notes.is_empty())
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "the notes were not saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The report reads as a document: rendered Markdown (headings, lists,
    // tables), not its source.
    app.find("[data-testid='report-preview'] h1").await;
    app.scroll_to("[data-testid='report-preview']", "start")
        .await;
    app.screenshot("after-action-report").await;

    // The printable report, saved from the window through the OS save dialog,
    // with the attached file beside it where the report links it.
    let html = out_dir.path().join("q4-after-action.html");
    app.click("[data-testid='save-report'][data-format='html']")
        .await;
    app.choose_in_os_dialog("Save the after-action report", &html)
        .await;
    let copied = out_dir.path().join("attachments/hot-wash-notes.txt");
    let deadline = Instant::now() + PATIENCE;
    while !(html.is_file() && copied.is_file()) {
        assert!(
            Instant::now() < deadline,
            "the report or its attachment was not saved"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(page.contains("attachments/hot-wash-notes.txt"), "{page}");
    assert!(!page.contains("<script"), "{page}");
    assert_eq!(
        std::fs::read(&copied).ok(),
        std::fs::read(&notes_file).ok(),
        "the attachment beside the report is the file attached"
    );

    let md = out_dir.path().join("report.md");
    let run = app.muster(&[
        "exercise",
        "report",
        id.as_str(),
        "--out",
        &md.display().to_string(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report = std::fs::read_to_string(&md).unwrap();
    for needle in [
        "After-action report: Q4 live exercise",
        "EXERCISE",
        "## Overview",
        "Oracle failure and an unreachable key holder",
        "Ada Example",
        "Ben Sample",
        "## Ratings by objective",
        "Escalate within the plan's times",
        "Approve a pause",
        "## Strengths",
        "Clear roles from the start",
        "## Areas for improvement",
        "Nobody had the signer's backup number",
        "## Improvement plan",
        "Ben's phone number is out of date",
        "Update Ben's phone number and verify it",
        "## Read-back:",
        "Called the auditors for a second opinion",
        "Tried the signer's phone and chat",
        "## Recordings and notes",
        "https://drive.example.com/q4-exercise.mp4",
        "Hot wash: the pause decision took too long",
    ] {
        assert!(
            report.contains(needle),
            "the report lacks {needle:?}:\n{report}"
        );
    }
    assert_eq!(
        report.matches("## Read-back:").count(),
        2,
        "one read-back per scenario:\n{report}"
    );
    let ratings = report
        .split("## Ratings by objective")
        .nth(1)
        .and_then(|r| r.split("## Strengths").next())
        .unwrap_or_default();
    assert!(
        ratings.contains('S') && ratings.contains('M'),
        "both ratings:\n{ratings}"
    );

    // ---- the finding is an open item in the plan check ----------------------------
    app.go("#/check").await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let gaps = app.texts("[data-section='check']").await.join("\n");
        if gaps.contains("Update Ben's phone number") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the plan check does not show the improvement item:\n{gaps}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // ---- the readiness dashboard -----------------------------------------------
    app.go("#/readiness").await;
    app.find("[data-testid='trend-chart']").await;
    let held = app
        .find("[data-testid='ready-held']")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        held.starts_with("1 of 2"),
        "one exercise held of the two a year the policy asks for: {held:?}"
    );
    app.find("[data-testid='open-item']").await;
    dismiss_alerts(&app).await;
    app.screenshot("readiness-dashboard").await;
    app.client
        .execute(
            "document.querySelector(\"[data-testid='trend-chart']\").scrollIntoView({block: 'center'})",
            vec![],
        )
        .await.unwrap();
    app.screenshot("readiness-trend").await;
    let readiness = app.muster(&["readiness"]);
    assert!(readiness.status.success(), "{}", text(&readiness.stderr));
    let printed = text(&readiness.stdout);
    assert!(printed.contains("Update Ben's phone number"), "{printed}");

    // The exercise never counted as a real incident.
    let figures = open_store(&app)
        .readiness(chrono::Utc::now(), chrono_tz::UTC)
        .unwrap();
    assert_eq!(figures.real_incidents.last_12_months, 0, "{figures:?}");
    app.close().await;
}

/// Opens the participants' window, checks it shows the revealed situation
/// and the declared inject and nothing of the script, and comes back.
async fn participant_window_shows_only_what_was_revealed(
    app: &App,
    scenario: &muster_core::exercise::Scenario,
) {
    let main = app.client.window().await.unwrap();
    app.click_centered("[data-testid='open-participant']").await;
    // A new window is a new web process: on a loaded machine it comes
    // slowly, and a click can be lost under a re-render. Clicking again is
    // safe (an open participants' window is brought forward, never doubled).
    let deadline = Instant::now() + PATIENCE * 3;
    let mut clicked = Instant::now();
    let other = loop {
        let handles = app.client.windows().await.unwrap_or_default();
        if let Some(h) = handles.into_iter().find(|h| *h != main) {
            break h;
        }
        if Instant::now() >= deadline {
            panic!(
                "no participant window opened; the page:\n{}",
                app.describe_page().await
            );
        }
        if clicked.elapsed() > Duration::from_secs(10) {
            app.click_centered("[data-testid='open-participant']").await;
            clicked = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    app.client.switch_to_window(other).await.unwrap();
    app.find("[data-testid='participant-view']").await;
    app.wait_for_text(
        "[data-testid='participant-situation']",
        scenario.situation.trim(),
    )
    .await;
    app.wait_for_count("[data-testid='participant-inject']", 1)
        .await;
    let shown = app
        .texts("[data-testid='participant-view']")
        .await
        .join("\n");
    assert!(shown.contains("EXERCISE"), "{shown}");
    for hidden in scenario.expected.iter().map(|e| &e.text) {
        assert!(
            !shown.contains(hidden.as_str()),
            "the script leaked: {hidden}"
        );
    }
    app.screenshot("exercise-participant").await;
    // The projector's window reads the exercise, and nothing else: its
    // capability grants no other command.
    let said = super::lockdown::ipc_answer(app, "get_plan").await;
    assert!(
        said.contains("not allowed"),
        "get_plan from the participants' window: {said}"
    );
    app.client.switch_to_window(main).await.unwrap();
}
