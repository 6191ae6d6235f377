// Generated from src-tauri/contract.rs and src-tauri/src/events.rs; do not edit.
// Regenerate with `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`.

import type {
  Agenda,
  AlertReceiverView,
  Answer,
  AppInfo,
  Audience,
  BackupInfo,
  ColumnMapping,
  CommandStatus,
  ContactsPreview,
  DecisionStatus,
  Declaration,
  DiffEntry,
  Exercise,
  ExerciseAction,
  ExerciseSetup,
  ExerciseSummary,
  ExerciseView,
  ExportKind,
  Finding,
  FolderPreview,
  Gap,
  Id,
  ImportedFile,
  IncidentAction,
  IncidentFormat,
  IncidentSummary,
  IncidentView,
  LinkedFolder,
  NotificationStatus,
  OnCallNow,
  ParticipantView,
  Phase,
  Plan,
  PlanConflict,
  PlanEdit,
  PlanOutline,
  PostMortem,
  Problem,
  Profile,
  Readiness,
  Recipient,
  ReportFormat,
  ReportSaved,
  ResponseFigures,
  RevisionInfo,
  RosterView,
  Scenario,
  SearchHit,
  Section,
  SignOutcome,
  SigningKeyStatus,
  TargetKind,
  TargetSecret,
  Team,
  TeamView,
  TimelineEntry,
  UpdateTarget,
} from './types.gen';

/** Every IPC command of the app. */
export const COMMANDS = [
  'get_plan',
  'get_plan_outline',
  'apply_edit',
  'check_plan_edit',
  'plan_check',
  'plan_conflicts',
  'settle_conflict',
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
  'mark_painted',
  'list_backups',
  'backup_now',
  'restore_backup',
  'last_restore',
  'declare_incident',
  'list_incidents',
  'incident_figures',
  'get_reminder_minutes',
  'set_reminder_minutes',
  'incident_view',
  'incident_timeline',
  'act_on_incident',
  'acknowledge_incident',
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
  'team_status',
  'join_team',
  'leave_team',
  'sync_team',
  'roster_view',
  'pin_roster',
  'sign_roster',
  'step_commands',
  'trust_step_command',
  'run_step_command',
  'update_targets',
  'set_update_target',
  'send_update',
  'alert_receiver',
  'set_alert_receiver',
  'renew_alert_token',
] as const;

/** The name of an IPC command. */
export type Command = (typeof COMMANDS)[number];

/** Each command's arguments (as the window names them) and result, from the Rust types. */
export type Commands = {
  get_plan: { args: null; result: Plan };
  get_plan_outline: { args: null; result: PlanOutline };
  apply_edit: { args: { edit: PlanEdit }; result: RevisionInfo | null };
  check_plan_edit: { args: { edit: PlanEdit }; result: Array<Problem> };
  plan_check: { args: null; result: Array<Gap> };
  plan_conflicts: { args: null; result: Array<PlanConflict> };
  settle_conflict: { args: { section: Section; key: string; field: string; keep: string }; result: Array<PlanConflict> };
  on_call_now: { args: null; result: Array<OnCallNow> };
  search_plan: { args: { query: string; limit: number }; result: Array<SearchHit> };
  list_revisions: { args: null; result: Array<RevisionInfo> };
  diff_revisions: { args: { from: number; to: number }; result: Array<DiffEntry> };
  restore_revision: { args: { id: number }; result: RevisionInfo | null };
  undo_revision: { args: { id: number }; result: RevisionInfo };
  get_profile: { args: null; result: Profile };
  set_profile_name: { args: { name: string }; result: Profile };
  print_window: { args: null; result: void };
  pick_folder: { args: { title: string }; result: string | null };
  export_plan_folder: { args: { dir: string }; result: string };
  preview_plan_folder: { args: { dir: string }; result: FolderPreview };
  import_plan_folder: { args: { dir: string }; result: RevisionInfo | null };
  get_linked_folder: { args: null; result: LinkedFolder };
  set_linked_folder: { args: { dir: string | null; writeBack: boolean }; result: LinkedFolder };
  pick_contacts_file: { args: null; result: string | null };
  preview_contacts: { args: { path: string }; result: ContactsPreview };
  import_contacts: { args: { path: string; mapping: ColumnMapping | null; team: Team }; result: RevisionInfo | null };
  save_export: { args: { kind: ExportKind }; result: string | null };
  app_info: { args: null; result: AppInfo };
  mark_painted: { args: { marks: Array<[string, number]> }; result: void };
  list_backups: { args: null; result: Array<BackupInfo> };
  backup_now: { args: null; result: string };
  restore_backup: { args: { path: string }; result: void };
  last_restore: { args: null; result: string | null };
  declare_incident: { args: { declaration: Declaration }; result: IncidentView };
  list_incidents: { args: null; result: Array<IncidentSummary> };
  incident_figures: { args: null; result: Array<ResponseFigures> };
  get_reminder_minutes: { args: null; result: number };
  set_reminder_minutes: { args: { minutes: number }; result: number };
  incident_view: { args: { id: string }; result: IncidentView };
  incident_timeline: { args: { id: string; before: number; limit: number }; result: Array<TimelineEntry> };
  act_on_incident: { args: { id: string; action: IncidentAction }; result: IncidentView };
  acknowledge_incident: { args: { id: string }; result: IncidentView };
  escalation_preview: { args: { category: Id; phases: Array<Phase> }; result: Array<Recipient> };
  get_agenda: { args: null; result: Agenda };
  get_post_mortem: { args: { id: string; audience: Audience }; result: PostMortem };
  save_post_mortem: { args: { id: string; audience: Audience; text: string }; result: PostMortem };
  export_incident: { args: { id: string; format: IncidentFormat }; result: string | null };
  notification_status: { args: null; result: NotificationStatus };
  quit_app: { args: null; result: void };
  signing_key_status: { args: null; result: SigningKeyStatus };
  set_up_signing_key: { args: { contact: Id; rotate: boolean }; result: SigningKeyStatus };
  request_decision: { args: { incident: string; policy: Id; statement: string; expiresInMinutes: number }; result: DecisionStatus };
  list_decisions: { args: null; result: Array<DecisionStatus> };
  sign_decision: { args: { id: string; answer: Answer }; result: SignOutcome };
  attest_approval: { args: { id: string; approver: Id; channel: string; approvedAt: string; witness: Id }; result: DecisionStatus };
  export_decision_request: { args: { id: string }; result: string | null };
  save_signature_file: { args: { id: string; text: string }; result: string | null };
  import_decision_file: { args: null; result: ImportedFile | null };
  export_decision_bundle: { args: { id: string }; result: string | null };
  list_exercises: { args: null; result: Array<ExerciseSummary> };
  create_exercise: { args: { setup: ExerciseSetup }; result: Exercise };
  update_exercise_setup: { args: { id: string; setup: ExerciseSetup }; result: Exercise };
  delete_exercise: { args: { id: string }; result: void };
  exercise_view: { args: { id: string }; result: ExerciseView };
  act_on_exercise: { args: { id: string; action: ExerciseAction }; result: ExerciseView };
  participant_view: { args: { id: string }; result: ParticipantView };
  open_participant_window: { args: { id: string }; result: void };
  draft_scenario: { args: { issue: Id; key: string }; result: Scenario };
  check_exercise_setup: { args: { setup: ExerciseSetup }; result: Array<Problem> };
  exercise_report: { args: { id: string; format: ReportFormat }; result: string };
  save_exercise_report: { args: { id: string; format: ReportFormat }; result: ReportSaved | null };
  choose_attachment_file: { args: null; result: string | null };
  list_findings: { args: null; result: Array<Finding> };
  readiness: { args: null; result: Readiness };
  team_status: { args: null; result: TeamView };
  join_team: { args: { dir: string; device: string }; result: TeamView };
  leave_team: { args: null; result: TeamView };
  sync_team: { args: null; result: TeamView };
  roster_view: { args: null; result: RosterView };
  pin_roster: { args: { fingerprint: string }; result: RosterView };
  sign_roster: { args: { fingerprint: string }; result: RosterView };
  step_commands: { args: null; result: Array<CommandStatus> };
  trust_step_command: { args: { procedure: Id; step: Id; sha256: string }; result: CommandStatus };
  run_step_command: { args: { id: string; procedure: Id; step: Id; dryRun: boolean }; result: IncidentView };
  update_targets: { args: null; result: Array<UpdateTarget> };
  set_update_target: { args: { rule: Id; kind: TargetKind | null; secret: TargetSecret | null }; result: Array<UpdateTarget> };
  send_update: { args: { id: string; rule: Id; text: string }; result: IncidentView };
  alert_receiver: { args: null; result: AlertReceiverView };
  set_alert_receiver: { args: { on: boolean; port: number }; result: AlertReceiverView };
  renew_alert_token: { args: null; result: AlertReceiverView };
};

/** The events the shell sends to the window. */
export const EVENTS = {
  planChanged: 'plan-changed',
  incidentsChanged: 'incidents-changed',
  decisionsChanged: 'decisions-changed',
  exercisesChanged: 'exercises-changed',
  teamChanged: 'team-changed',
  writeBackFailed: 'linked-folder-write-failed',
  linkedFolderChanged: 'linked-folder-changed',
  alert: 'alert',
  openIncident: 'open-incident',
  quitRequested: 'quit-requested',
  schedulerSettled: 'scheduler-settled',
} as const;

/** The name of an event the shell sends. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
