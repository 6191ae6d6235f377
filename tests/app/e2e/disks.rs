//! The window on a data folder it cannot write (a read-only mount): the plan
//! and the incidents are shown, every page says that nothing can be saved
//! and why, and a save is refused with that reason.

use std::rc::Rc;

use super::desktop::Desktop;
use super::harness::App;
use crate::cli::disks::{folder_with_an_incident, may_mount, read_only_view};

#[tokio::test(flavor = "current_thread")]
async fn on_a_read_only_folder_the_window_reads_everything_and_says_nothing_can_be_saved() {
    if !may_mount() {
        return;
    }
    let desktop = Rc::new(Desktop::start(true));
    let data = desktop.root.path().join("data");
    folder_with_an_incident(&data);
    let view = desktop.root.path().join("read-only");
    std::fs::create_dir(&view).unwrap();
    let _mounted = read_only_view(&data, &view);
    let app = App::start_on(desktop, view.clone(), &[]).await;

    let banner = app.find(".writes-off").await.text().await.unwrap();
    assert!(
        banner.contains("Reading only — nothing can be saved.")
            && banner.contains("Read-only file system"),
        "{banner}"
    );
    app.find("[data-nav='incidents']")
        .await
        .click()
        .await
        .unwrap();
    app.wait_for_text("main h1", "Incidents").await;
    let listed = app.texts("main").await.join("\n");
    assert!(listed.contains("INC-1"), "{listed}");
    app.screenshot("read-only-folder").await;

    // A save says why it cannot be done; the banner stays.
    app.go("#/settings").await;
    // The field is enabled once the profile has loaded.
    let field = app.find("#profile-name").await;
    for _ in 0..100 {
        if field.is_enabled().await.unwrap_or(false) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.fill("#profile-name", "Ada Example").await;
    app.click("form.card button[type='submit']").await;
    let said = app.find("#profile-problem").await.text().await.unwrap();
    assert!(
        said.contains("nothing was saved") && said.contains("Read-only file system"),
        "{said}"
    );
    assert!(app.find(".writes-off").await.is_displayed().await.unwrap());
    app.close().await;
}
