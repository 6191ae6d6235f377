//! The plan-folder commands through IPC on Tauri's mock runtime, with the
//! app's real context and capabilities: export, preview, import, refusal of
//! a bad folder, and writing edits back to a linked folder.

use std::path::Path;

use serde_json::json;

use crate::test_ui::Ui;

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn export_preview_and_import_a_plan_folder() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("plan");
    let ui = Ui::open(&root.path().join("data"));

    let summary = ui.ok("export_plan_folder", json!({ "dir": path(&folder) }));
    assert!(
        summary
            .as_str()
            .is_some_and(|s| s.starts_with("Exported the plan to ")),
        "{summary}"
    );
    let same = ui.ok("preview_plan_folder", json!({ "dir": path(&folder) }));
    assert_eq!(
        (same["changes"].clone(), same["errors"].clone()),
        (json!([]), json!([]))
    );

    let issues = folder.join("issues.toml");
    let text = read(&issues).replacen("title = \"Protocol DDoS\"", "title = \"Protocol flood\"", 1);
    std::fs::write(&issues, text).unwrap();
    let preview = ui.ok("preview_plan_folder", json!({ "dir": path(&folder) }));
    let fields = &preview["changes"][0]["fields"][0];
    assert_eq!(
        (fields["field"].clone(), fields["after"].clone()),
        (json!("title"), json!("Protocol flood"))
    );

    let revision = ui.ok("import_plan_folder", json!({ "dir": path(&folder) }));
    assert!(revision["summary"]
        .as_str()
        .is_some_and(|s| s.starts_with("Imported the plan from ")));
    assert_eq!(
        ui.ok("get_plan", json!({}))["issues"][0]["title"],
        json!("Protocol flood")
    );
}

#[test]
fn a_folder_with_problems_is_previewed_with_located_errors_and_never_imported() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("plan");
    let ui = Ui::open(&root.path().join("data"));
    ui.ok("export_plan_folder", json!({ "dir": path(&folder) }));
    let before = ui.ok("get_plan", json!({}));
    let issues = folder.join("issues.toml");
    std::fs::write(
        &issues,
        read(&issues).replacen("severity = \"S2\"", "severity = \"S9\"", 1),
    )
    .unwrap();

    let preview = ui.ok("preview_plan_folder", json!({ "dir": path(&folder) }));
    let errors = preview["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{preview}");
    let first = errors[0].as_str().unwrap_or_default();
    assert!(
        first.starts_with(&format!("{}:", path(&issues)))
            && first.contains("unknown severity `S9`"),
        "{first}"
    );

    let refused = ui.call("import_plan_folder", json!({ "dir": path(&folder) }));
    let Err(error) = refused else {
        panic!("a bad folder was imported: {refused:?}")
    };
    assert_eq!(error["code"], json!("invalidInput"), "{error}");
    assert_eq!(ui.ok("get_plan", json!({})), before);
}

#[test]
fn a_linked_folder_with_write_back_receives_every_edit() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("plan");
    std::fs::create_dir_all(&folder).unwrap();
    let ui = Ui::open(&root.path().join("data"));

    let missing = ui.call(
        "set_linked_folder",
        json!({ "dir": path(&root.path().join("nope")), "writeBack": true }),
    );
    assert!(missing.is_err_and(|e| e["code"] == json!("unavailable")));
    let linked = ui.ok(
        "set_linked_folder",
        json!({ "dir": path(&folder), "writeBack": true }),
    );
    assert_eq!(linked, json!({ "dir": path(&folder), "writeBack": true }));
    assert_eq!(ui.ok("get_linked_folder", json!({})), linked);

    let mut meta = ui.ok("get_plan", json!({}))["meta"].clone();
    meta["name"] = json!("Written back");
    ui.ok(
        "apply_edit",
        json!({ "edit": { "kind": "saveMeta", "meta": meta } }),
    );
    assert!(read(&folder.join("plan.toml")).contains("name = \"Written back\""));

    // Undo goes through the same path: the folder follows it back.
    let revision = ui.ok("list_revisions", json!({}))[0]["id"].clone();
    ui.ok("undo_revision", json!({ "id": revision }));
    let plan_toml = read(&folder.join("plan.toml"));
    assert!(
        !plan_toml.contains("Written back") && plan_toml.contains("Harbor Protocol"),
        "{plan_toml}"
    );

    let unlinked = ui.ok(
        "set_linked_folder",
        json!({ "dir": null, "writeBack": false }),
    );
    assert_eq!(unlinked, json!({ "dir": null, "writeBack": false }));
}
