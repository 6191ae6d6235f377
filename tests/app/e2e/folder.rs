//! End-to-end: a linked plan folder. A change someone else makes to its files
//! is noticed while the app runs, offered with what it changes, and taken in.

use muster_core::clock::SystemClock;
use muster_core::store::Store;

use super::harness::App;

#[tokio::test(flavor = "current_thread")]
async fn a_change_in_the_linked_folder_is_offered_and_taken_in() {
    let shared = tempfile::tempdir().unwrap();
    let folder = shared.path().join("plan");
    let app = App::start_prepared(&[], |dir| {
        let mut store = Store::open_in(dir, &SystemClock).unwrap();
        let plan = store.plan().unwrap();
        muster_core::folder::export(&plan, &folder).unwrap();
        muster_app::plan_folder::set_linked(&mut store, Some(&folder), false).unwrap();
    })
    .await;
    app.find("[data-section='overview']").await;

    // A teammate renames an issue in the shared folder (as a git pull would).
    let issues = folder.join("issues.toml");
    let text = std::fs::read_to_string(&issues).unwrap();
    let renamed = text.replacen("title = \"Protocol DDoS\"", "title = \"Protocol flood\"", 1);
    std::fs::write(&issues, renamed).unwrap();

    let banner = app.find("[data-testid='folder-banner']").await;
    let said = banner.text().await.unwrap_or_default();
    assert!(
        said.contains("The linked plan folder changed: 1 change"),
        "{said}"
    );
    app.screenshot("folder-banner").await;
    app.click("[data-testid='folder-banner'] a").await;
    app.find("[data-section='folder'] [data-testid='folder-preview']")
        .await;
    app.screenshot("folder-preview").await;
    app.click("[data-action='import-confirm']").await;
    app.click("[data-testid='confirm'] [data-action='confirm']")
        .await;

    app.go("#/issues/protocol-ddos").await;
    app.wait_for_text("[data-testid='issue-page'] h1", "Protocol flood")
        .await;
    app.close().await;
}
