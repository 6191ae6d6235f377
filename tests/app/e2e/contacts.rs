//! End-to-end: importing contacts through the OS file chooser, with the
//! column-mapping preview, into the extended team.

use super::harness::App;

#[tokio::test(flavor = "current_thread")]
async fn contacts_are_imported_from_a_csv_chosen_in_the_os_file_chooser() {
    let files = tempfile::tempdir().unwrap();
    let csv = files.path().join("people.csv");
    let text = "Full name,E-mail,Mobile,Team notes\r\nZoe Quickfind,zoe@example.com,+1 555 0142,met at the offsite\r\n\"Yusuf, Jr.\",yusuf@example.org,,\r\nMaría Ñúñez,maria@example.net,+34 600 000 000,on call Fridays\r\n";
    std::fs::write(&csv, text).unwrap();
    let app = App::start(&[]).await;
    let rows = "[data-section='extended-team'] [data-row]";
    app.go("#/extended-team").await;
    // Counted once the page shows its rows (counted earlier, a slow first
    // paint read 0 and the three imported were never "3 more").
    app.find(rows).await;
    let before = app.texts(rows).await.len();

    app.click("[data-action='import-contacts']").await;
    app.choose_in_os_dialog("Import contacts", &csv).await;
    let dialog = app.find("[data-testid='contacts-import']").await;
    let shown = dialog.text().await.unwrap_or_default();
    assert!(
        shown.contains("Zoe Quickfind") && shown.contains("3 contacts"),
        "{shown}"
    );
    app.screenshot("contacts-import").await;
    app.click("[data-action='import-contacts-confirm']").await;

    let deadline = std::time::Instant::now() + super::harness::PATIENCE;
    while app.texts(rows).await.len() != before + 3 {
        if std::time::Instant::now() >= deadline {
            panic!(
                "the three contacts never appeared\n{}",
                app.describe_page().await
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let names = app.texts(rows).await.join("\n");
    assert!(
        names.contains("María Ñúñez") && names.contains("Yusuf, Jr."),
        "{names}"
    );
    app.close().await;
}
