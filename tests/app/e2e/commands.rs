//! End-to-end: steps that run. A command that came by a plan import shows in
//! the console as not trusted and cannot run; reviewed and trusted, it runs
//! after asking, its outcome is shown and the step marked done; the same
//! command changed by one byte in a later import is untrusted again.

use std::path::Path;

use super::harness::App;

/// The plan folder exported from the app's data folder, with `script` as the
/// command of the first step of the oracle procedure, imported back.
fn import_with_command(app: &App, dir: &Path, script: &str) {
    if !dir.exists() {
        let out = app.muster(&["plan", "export", &dir.display().to_string()]);
        assert!(out.status.success(), "{}", super::super::text(&out.stderr));
    }
    let file = dir.join("procedures/handle-oracle-failure.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // Drop a command written before, then add this one after the first step.
    let text = match text.find("[step.command]") {
        Some(at) => {
            let end = text[at..].find("\n\n").map_or(text.len(), |e| at + e + 1);
            format!("{}{}", &text[..at], &text[end..])
        }
        None => text,
    };
    let second = text
        .match_indices("[[step]]")
        .nth(1)
        .map(|(i, _)| i)
        .unwrap();
    let command =
        format!("[step.command]\nargv = [\"sh\", \"-c\", \"{script}\"]\ntimeout-seconds = 20\n\n");
    std::fs::write(
        &file,
        format!("{}{command}{}", &text[..second], &text[second..]),
    )
    .unwrap();
    let out = app.muster(&["plan", "import", &dir.display().to_string()]);
    assert!(
        out.status.success(),
        "{}{}",
        super::super::text(&out.stdout),
        super::super::text(&out.stderr)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_imported_command_runs_only_once_trusted_and_a_changed_byte_takes_the_trust_back() {
    let app = App::start(&[]).await;
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("plan");
    import_with_command(&app, &folder, "echo feed checked");
    let id = app.declare_by_script("oracle-failure");
    app.go(&format!("#/incidents/{id}")).await;

    // Imported: shown, not trusted, nothing to run.
    let untrusted = "[data-testid='step-command'][data-trusted='false']";
    app.find(untrusted).await;
    assert!(app.texts("[data-action='run-command']").await.is_empty());
    app.click(&format!("{untrusted} [data-action='review-command']"))
        .await;
    app.wait_for_text_containing(
        "[data-testid='review-command']",
        "sh -c 'echo feed checked'",
    )
    .await;
    app.screenshot("command-review").await;
    app.click("[data-action='trust-command']").await;

    // Trusted: it runs after asking, and the step is done.
    let trusted = "[data-testid='step-command'][data-trusted='true']";
    app.click(&format!("{trusted} [data-action='run-command']"))
        .await;
    app.click("[data-action='confirm-run']").await;
    app.wait_for_text_containing("[data-testid='command-outcome']", "succeeded")
        .await;
    app.wait_for_text_containing("[data-testid='command-output']", "feed checked")
        .await;
    app.screenshot("command-ran").await;
    app.click("[data-testid='run-command'] [data-action='cancel']")
        .await;
    app.find("[data-testid='step'][data-status='done']").await;

    // One byte changed by another import: untrusted again.
    import_with_command(&app, &folder, "echo feed checked!");
    app.find(untrusted).await;

    // A command that outlives its time limit is stopped with what it started,
    // and the step is blocked saying so.
    import_with_command(&app, &folder, "echo waiting; sleep 60 & sleep 60");
    let file = folder.join("procedures/handle-oracle-failure.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("timeout-seconds = 20", "timeout-seconds = 1"),
    )
    .unwrap();
    let out = app.muster(&["plan", "import", &folder.display().to_string()]);
    assert!(out.status.success(), "{}", super::super::text(&out.stderr));
    // The console shows the command as last imported before anything is clicked.
    app.wait_for_text_containing(untrusted, "stops after 1 s")
        .await;
    app.click("[data-testid='step'][data-status='done'] [data-action='step-open']")
        .await;
    app.wait_for_count("[data-testid='step'][data-status='done']", 0)
        .await;
    app.click(&format!("{untrusted} [data-action='review-command']"))
        .await;
    app.wait_for_text_containing("[data-testid='review-command']", "Stopped after 1 s")
        .await;
    app.click("[data-action='trust-command']").await;
    app.click(&format!("{trusted} [data-action='run-command']"))
        .await;
    app.click("[data-action='confirm-run']").await;
    app.wait_for_text_containing(
        "[data-testid='command-outcome']",
        "stopped at its time limit",
    )
    .await;
    app.click("[data-testid='run-command'] [data-action='cancel']")
        .await;
    app.wait_for_text_containing(
        "[data-testid='step'][data-status='blocked'] [data-testid='step-record']",
        "its command was stopped at its time limit",
    )
    .await;
    app.close().await;
}
