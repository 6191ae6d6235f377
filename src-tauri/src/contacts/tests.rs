//! The contacts-import commands through IPC on the mock runtime: a CSV is
//! previewed with a suggested mapping, imported with the mapping the person
//! confirmed, and a bad file is refused with nothing changed.

use serde_json::json;

use crate::test_ui::Ui;

#[test]
fn a_csv_is_previewed_then_imported_with_the_confirmed_mapping() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("people.csv");
    let csv = "Full name,E-mail,Mobile,Notes\r\nZoe Quickfind,zoe@example.com,+1 555 0142,met at the offsite\r\n\"Yusuf, Jr.\",yusuf@example.org,,\r\n";
    std::fs::write(&file, csv).unwrap();
    let ui = Ui::open(&root.path().join("data"));
    let path = file.display().to_string();

    let preview = ui.ok("preview_contacts", json!({ "path": path }));
    assert_eq!(preview["errors"], json!([]));
    assert_eq!(preview["csv"]["rows"], json!(2));
    let fields: Vec<(String, String)> = preview["csv"]["suggested"]["columns"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap_or_default().to_owned(),
                c["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            ("Full name".into(), "name".into()),
            ("E-mail".into(), "email".into()),
            ("Mobile".into(), "phone".into())
        ]
    );

    // The person drops the phone column before importing.
    let mapping = json!({ "columns": [
        { "header": "Full name", "field": "name" },
        { "header": "E-mail", "field": "email" },
    ] });
    let before = ui.ok("get_plan", json!({}))["extendedTeam"]
        .as_array()
        .map_or(0, Vec::len);
    let revision = ui.ok(
        "import_contacts",
        json!({ "path": path, "mapping": mapping, "team": "extended" }),
    );
    assert!(
        revision["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Imported 2 contacts from ")),
        "{revision}"
    );
    let team = ui.ok("get_plan", json!({}))["extendedTeam"].clone();
    let added = &team[before];
    assert_eq!(
        (added["name"].clone(), added["reach"]["email"].clone()),
        (json!("Zoe Quickfind"), json!("zoe@example.com"))
    );
    assert_eq!(added["reach"]["phone"], json!(null));
    assert_eq!(team[before + 1]["name"], json!("Yusuf, Jr."));
}

#[test]
fn a_bad_contacts_file_is_located_and_nothing_is_imported() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("broken.csv");
    std::fs::write(&file, "Name,Email\r\n\"Unclosed,x@example.com\r\n").unwrap();
    let ui = Ui::open(&root.path().join("data"));
    let path = file.display().to_string();

    let preview = ui.ok("preview_contacts", json!({ "path": path }));
    let errors = preview["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{preview}");
    assert!(
        errors[0]
            .as_str()
            .is_some_and(|e| e.starts_with(&format!("{path}:2:"))),
        "{errors:?}"
    );

    let before = ui.ok("get_plan", json!({}));
    let mapping = json!({ "columns": [{ "header": "Name", "field": "name" }] });
    let refused = ui.call(
        "import_contacts",
        json!({ "path": path, "mapping": mapping, "team": "core" }),
    );
    assert!(refused.is_err_and(|e| e["code"] == json!("invalidInput")));
    assert_eq!(ui.ok("get_plan", json!({})), before);
}
