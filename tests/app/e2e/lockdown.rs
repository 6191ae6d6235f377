//! The window's lock-down on the real app: every IPC message passes Tauri's
//! isolation application (`isolation/`, generated from the contract), which
//! lets through only Muster's own commands and listening to its events.

use super::harness::App;

/// What the current window's own IPC answers to `cmd`: "ok" or the error's text.
pub(super) async fn ipc_answer(app: &App, cmd: &str) -> String {
    let answer = app
        .client
        .execute_async(
            "const [cmd, done] = arguments;
             window.__TAURI_INTERNALS__.invoke(cmd, {}).then(
               () => done('ok'),
               (e) => done(String(e && e.message ? e.message : e)),
             );",
            vec![serde_json::json!(cmd)],
        )
        .await
        .unwrap();
    answer.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn every_message_of_the_window_passes_musters_isolation_which_refuses_what_is_not_its_own() {
    let app = App::start(&[]).await;
    app.find("[data-nav='incidents']").await;
    // Muster's own command passes.
    assert_eq!(ipc_answer(&app, "app_info").await, "ok");
    // The isolation frame is there and never shows: Tauri hides it with an
    // inline style, which the strict CSP refuses, so Muster's own sheet does;
    // shown, it made the whole page scroll by its height.
    let frame = app
        .client
        .execute(
            "const f = document.getElementById('__tauri_isolation__');
             return [f !== null, f && getComputedStyle(f).display,
                     document.scrollingElement.scrollHeight <= innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(frame, serde_json::json!([true, "none", true]));
    // Anything else is turned away in the isolation frame, before the Rust side.
    for cmd in [
        "plugin:window|close",
        "plugin:event|emit",
        "plugin:shell|open",
    ] {
        let said = ipc_answer(&app, cmd).await;
        assert!(
            said.contains("refused by Muster's isolation"),
            "{cmd}: {said}"
        );
    }
    app.close().await;
}
