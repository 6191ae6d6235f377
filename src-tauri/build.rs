//! Build script: runs tauri-build against the root tauri.conf.json and the
//! capabilities under src-tauri/capabilities, and declares the app's own IPC
//! commands so that each one needs an explicit grant in a capability file.

/// Every IPC command of the app; each must also be granted in src-tauri/capabilities.
const COMMANDS: &[&str] = &[
    "get_plan",
    "apply_edit",
    "plan_check",
    "on_call_now",
    "search_plan",
    "list_revisions",
    "diff_revisions",
    "restore_revision",
    "undo_revision",
    "get_profile",
    "set_profile_name",
    "print_window",
    "pick_folder",
    "export_plan_folder",
    "preview_plan_folder",
    "import_plan_folder",
    "get_linked_folder",
    "set_linked_folder",
    "pick_contacts_file",
    "preview_contacts",
    "import_contacts",
    "save_export",
    "app_info",
    "declare_incident",
    "list_incidents",
    "incident_view",
    "act_on_incident",
    "escalation_preview",
    "get_agenda",
    "get_post_mortem",
    "save_post_mortem",
    "export_incident",
    "notification_status",
    "quit_app",
    "signing_key_status",
    "set_up_signing_key",
    "request_decision",
    "list_decisions",
    "sign_decision",
    "attest_approval",
    "export_decision_request",
    "save_signature_file",
    "import_decision_file",
    "export_decision_bundle",
    "list_exercises",
    "create_exercise",
    "update_exercise_setup",
    "delete_exercise",
    "exercise_view",
    "act_on_exercise",
    "participant_view",
    "open_participant_window",
    "draft_scenario",
    "exercise_report",
    "save_exercise_report",
    "choose_attachment_file",
    "list_findings",
    "readiness",
];

fn main() {
    // tauri-build does not watch a custom capabilities path; without this a
    // changed grant would not reach the binary until a clean build.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
