//! End-to-end: updates out. A communication rule's target is set up in
//! Settings (its address into the real keychain, gnome-keyring here); an
//! update posted from the console says it will also be sent there, and a
//! local webhook receiver gets exactly the text shown; the timeline says it
//! was sent; the address is in no file of the data folder.

use std::sync::mpsc;
use std::time::Duration;

use super::harness::{free_port, App};

const RULE: &str = "internal-hourly-update";
const TEXT: &str =
    "Oracle feed stale since 02:40; borrowing paused while we confirm. «Next» at 03:40.";

#[tokio::test(flavor = "current_thread")]
async fn an_update_sent_to_its_webhook_arrives_with_exactly_the_text_shown() {
    let app = App::start(&[]).await;
    // The team's webhook, here on this machine.
    let port = free_port();
    let server = tiny_http::Server::http(("127.0.0.1", port)).unwrap();
    let (got, arrived) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok(mut request) = server.recv() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let _ = got.send((request.url().to_owned(), body));
            let _ = request.respond(tiny_http::Response::empty(204));
        }
    });
    let secret_path = "/hooks/T0001/B0002/secret-part";

    app.go("#/settings").await;
    app.scroll_to("[data-testid='update-targets']", "center")
        .await;
    app.click(&format!("[data-rule='{RULE}'] [data-action='set-target']"))
        .await;
    app.click("#target-kind option[value='json']").await;
    app.fill(
        "#target-url",
        &format!("http://127.0.0.1:{port}{secret_path}"),
    )
    .await;
    app.click("[data-action='save-target']").await;
    app.wait_for_text(
        &format!("[data-rule='{RULE}'] [data-testid='update-target-state']"),
        &format!("Sent to JSON endpoint (127.0.0.1:{port})"),
    )
    .await;
    app.screenshot("update-target-set").await;

    let id = app.declare_by_script("oracle-failure");
    app.go(&format!("#/incidents/{id}")).await;
    app.click(&format!(
        "[data-testid='cadence-line'][data-rule='{RULE}'] [data-action='post-update']"
    ))
    .await;
    app.fill("[data-testid='update-text']", TEXT).await;
    app.wait_for_text_containing(
        "[data-testid='update-send']",
        &format!("Also send exactly this text to a JSON endpoint (127.0.0.1:{port})"),
    )
    .await;
    app.screenshot("update-send-shown").await;
    app.click("[data-testid='update-submit']").await;

    let (path, body) = arrived
        .recv_timeout(Duration::from_secs(20))
        .expect("the update reached the webhook");
    assert_eq!(path, secret_path);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["text"], TEXT);
    assert_eq!(body["incident"], id.as_str());
    assert_eq!(body["rule"], RULE);
    app.wait_for_text_containing(
        "[data-testid='timeline']",
        &format!("Update for {RULE} sent to a JSON endpoint (127.0.0.1:{port})"),
    )
    .await;
    app.wait_for_text_containing("[data-testid='timeline']", "HTTP 204")
        .await;

    // The address (with its secret path) is in the keychain, in no file of
    // the data folder (backups too).
    let mut files = Vec::new();
    super::decisions::files(
        &app.data_dir,
        std::path::Path::new("/nonexistent"),
        &mut files,
    );
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let found = bytes
            .windows(secret_path.len())
            .any(|w| w == secret_path.as_bytes());
        assert!(!found, "{} holds the webhook's address", file.display());
    }
    app.close().await;
}
