// Generated from src-tauri/contract.rs and src-tauri/src/events.rs; do not edit.
// Regenerate with `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`.

/** Every IPC command of the app. */
export const COMMANDS = [
  'get_plan',
  'apply_edit',
  'plan_check',
  'on_call_now',
  'search_plan',
  'list_revisions',
  'diff_revisions',
  'restore_revision',
  'undo_revision',
  'get_profile',
  'set_profile_name',
  'print_window',
  'pick_folder',
  'export_plan_folder',
  'preview_plan_folder',
  'import_plan_folder',
  'get_linked_folder',
  'set_linked_folder',
  'pick_contacts_file',
  'preview_contacts',
  'import_contacts',
  'save_export',
  'app_info',
  'declare_incident',
  'list_incidents',
  'incident_view',
  'act_on_incident',
  'escalation_preview',
  'get_agenda',
  'get_post_mortem',
  'save_post_mortem',
  'export_incident',
  'notification_status',
  'quit_app',
  'signing_key_status',
  'set_up_signing_key',
  'request_decision',
  'list_decisions',
  'sign_decision',
  'attest_approval',
  'export_decision_request',
  'save_signature_file',
  'import_decision_file',
  'export_decision_bundle',
  'list_exercises',
  'create_exercise',
  'update_exercise_setup',
  'delete_exercise',
  'exercise_view',
  'act_on_exercise',
  'participant_view',
  'open_participant_window',
  'draft_scenario',
  'check_exercise_setup',
  'exercise_report',
  'save_exercise_report',
  'choose_attachment_file',
  'list_findings',
  'readiness',
] as const;

/** The name of an IPC command. */
export type Command = (typeof COMMANDS)[number];

/** The events the shell sends to the window. */
export const EVENTS = {
  planChanged: 'plan-changed',
  incidentsChanged: 'incidents-changed',
  decisionsChanged: 'decisions-changed',
  exercisesChanged: 'exercises-changed',
  writeBackFailed: 'linked-folder-write-failed',
  linkedFolderChanged: 'linked-folder-changed',
  alert: 'alert',
  openIncident: 'open-incident',
} as const;

/** The name of an event the shell sends. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
