// The only module that talks to the Rust side. Every command goes through `call`, which turns a
// rejection into an `ApiError` so the views can branch on a closed set of codes.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { EVENTS, type Command, type Commands } from './contract.gen';
import { launchMarks, markLaunch } from './launch';

import type {
  AlertReceiverView,
  CommandStatus,
  TargetKind,
  TargetSecret,
  UpdateTarget,
  Agenda,
  RosterView,
  Answer,
  AppInfo,
  Audience,
  BackupInfo,
  Declaration,
  DecisionStatus,
  DueItem,
  ExportKind,
  IncidentAction,
  IncidentFormat,
  IncidentSummary,
  ResponseFigures,
  IncidentView,
  TimelineEntry,
  NotificationStatus,
  Phase,
  PostMortem,
  Recipient,
  ReportFormat,
  ColumnMapping,
  ContactsPreview,
  DiffEntry,
  OnCallNow,
  ErrorCode,
  FolderPreview,
  Gap,
  Id,
  ImportedFile,
  LinkedFolder,
  Plan,
  PlanConflict,
  PlanOutline,
  PlanEdit,
  Problem,
  Profile,
  RevisionInfo,
  Section,
  SearchHit,
  SignOutcome,
  SigningKeyStatus,
  Team,
  TeamView,
  Exercise,
  ExerciseAction,
  ExerciseSetup,
  ExerciseSummary,
  ExerciseView,
  Finding,
  ParticipantView,
  Readiness,
  ReportSaved,
  Scenario,
} from './types.gen';

export type { RosterAsideView, RosterVersionView, RosterView } from './types.gen';
export type {
  AlertReceiverView,
  CommandStatus,
  TargetKind,
  TargetSecret,
  UpdateTarget,
  StepCommand,
  AlertRule,
  Attachment,
  AttachmentKind,
  DeclaredInject,
  ElementRef,
  Exercise,
  ExerciseAction,
  ExerciseEvent,
  ExerciseEventBody,
  ExerciseId,
  ExerciseSetup,
  ExerciseStatus,
  ExerciseSummary,
  ExerciseView,
  ExpectedAction,
  ExpectedRow,
  ExpectedStatus,
  Finding,
  FindingDraft,
  FindingId,
  IncidentFigures,
  IncidentPhase,
  Inject,
  IssueExercised,
  LogEntry,
  LogKind,
  MeasuredTarget,
  MeasuredTime,
  Measure,
  Objective,
  ObjectiveRating,
  ParticipantScenario,
  ParticipantView,
  ProgrammeReminder,
  ReadBack,
  Readiness,
  ReportSaved,
  RevealedInject,
  Rating,
  Scenario,
  ScenarioRun,
  TakenRow,
  TakenSource,
  TakenStatus,
  Target,
  TrendPoint,
  Agenda,
  Answer,
  ApproverStanding,
  AppInfo,
  Attestation,
  BackupInfo,
  BackupKind,
  DecisionId,
  DecisionRequest,
  DecisionStatus,
  Quorum,
  QuorumState,
  SignatureFile,
  SignatureInfo,
  SignOutcome,
  SigningKeyStatus,
  Standing,
  Verdict,
  CadenceLine,
  CadenceState,
  Declaration,
  DueItem,
  DueKind,
  Escalation,
  Event,
  EventBody,
  ExportKind,
  Incident,
  IncidentAction,
  IncidentFormat,
  IncidentId,
  IncidentSummary,
  ResponseFigures,
  IncidentView,
  NotificationStatus,
  Notified,
  Phase,
  PhaseTime,
  PostMortem,
  ProcedureSnapshot,
  Publication,
  Recipient,
  ReportFormat,
  Role,
  RoleAssignment,
  StepRecord,
  StepSnapshot,
  StepStatus,
  TimelineEntry,
  UpdateRecord,
  Waiver,
  ColumnMapping,
  ContactsPreview,
  CsvPreview,
  DiffEntry,
  DiffKind,
  Field,
  FieldDiff,
  FolderPreview,
  Gap,
  GapKind,
  PlanConflict,
  ConflictValue,
  ImportedContact,
  ImportedFile,
  KeychainState,
  GapLevel,
  LinkedFolder,
  Location,
  MappedColumn,
  OnCallNow,
  OnCallOverride,
  OnCallRotation,
  PlanEdit,
  Problem,
  Profile,
  RevisionInfo,
  SearchHit,
  Section,
  SnippetPart,
  Weekday,
  Audience,
  Category,
  CommunicationRule,
  CoreMember,
  DecisionPolicy,
  Detection,
  ErrorCode,
  EscalationRule,
  ExercisePolicy,
  ExtendedContact,
  Id,
  IpcError,
  Monitoring,
  NotifyWhen,
  Plan,
  PlanMeta,
  PlanOutline,
  Person,
  SectionCounts,
  PotentialIssue,
  Procedure,
  Reach,
  Severity,
  Step,
  Team,
  Heard,
  LinkState,
  QuarantinedFile,
  TeamProfile,
  TeamStatus,
  TeamView,
  Timing,
  Transport,
} from './types.gen';

// Every code core sends: a record, so a code added in core fails the type check until it is here.
const ERROR_CODES: Record<ErrorCode, true> = {
  notFound: true,
  invalidInput: true,
  refused: true,
  unavailable: true,
  databaseTooNew: true,
  databaseDamaged: true,
  storage: true,
  internal: true,
};

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** A command failed. `code` tells the UI what kind of failure it was. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /** For `invalidInput`: each problem with the section, element and field it concerns. */
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, problems: Problem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.problems = problems;
  }
}

/** Turns whatever a command rejected with into an `ApiError`. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) {
    return reason;
  }
  if (typeof reason === 'object' && reason !== null && 'code' in reason && 'message' in reason) {
    const { code, message } = reason;
    if (isErrorCode(code) && typeof message === 'string') {
      const problems =
        'problems' in reason && Array.isArray(reason.problems) ? reason.problems : [];
      return new ApiError(code, message, problems as Problem[]);
    }
  }
  if (reason instanceof Error) {
    return new ApiError('internal', reason.message);
  }
  if (typeof reason === 'string') {
    return new ApiError('internal', reason);
  }
  let text: string;
  try {
    text = JSON.stringify(reason) ?? String(reason);
  } catch {
    text = String(reason);
  }
  return new ApiError('internal', text);
}

/**
 * Calls `command` with its arguments, typed from the Rust command itself (`contract.gen.ts`):
 * a wrapper that passes other arguments, or promises another result, fails the type check.
 */
async function call<C extends Command>(
  command: C,
  ...args: Commands[C]['args'] extends null ? [] : [Commands[C]['args']]
): Promise<Commands[C]['result']> {
  try {
    return await invoke<Commands[C]['result']>(command, args[0] ?? undefined);
  } catch (reason) {
    throw toApiError(reason);
  }
}

/** The whole plan as stored. */
export function getPlan(): Promise<Plan> {
  return call('get_plan');
}

/** What the frame and the Overview show of the plan: its details, each section's size, its people. */
export function getPlanOutline(): Promise<PlanOutline> {
  return call('get_plan_outline');
}

/** The copies of the database in the data folder's backups, newest first. */
export function listBackups(): Promise<BackupInfo[]> {
  return call('list_backups');
}

/** Copies the whole database now; the copy's path. */
export function backupNow(): Promise<string> {
  return call('backup_now');
}

/** Checks the backup at `path`, then restarts Muster to put it in place (never resolves). */
export function restoreBackup(path: string): Promise<void> {
  return call('restore_backup', { path });
}

/** What the restore asked for before the last restart did, if one was. */
export function lastRestore(): Promise<string | null> {
  return call('last_restore');
}

/** Version, data folder and schema version, for the About line. */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}

let painted = false;

/**
 * Says, once per launch, that the first meaningful view is on screen (two animation frames
 * after it was drawn): the launch benchmark's mark (see `mark_painted`). Never fails.
 */
export function markPainted(): void {
  if (painted || typeof requestAnimationFrame !== 'function') {
    return;
  }
  painted = true;
  markLaunch('drawn');
  requestAnimationFrame(() => {
    // The first frame's callbacks run before it is drawn; the second's once it was.
    markLaunch('frame');
    requestAnimationFrame(() => {
      markLaunch('painted');
      call('mark_painted', { marks: launchMarks() }).catch(() => undefined);
    });
  });
}

/** Applies one edit to the plan; `null` when it changed nothing. */
export function applyEdit(edit: PlanEdit): Promise<RevisionInfo | null> {
  return call('apply_edit', { edit });
}

/** What saving `edit` would be refused for (saving nothing): core's located problems. */
export function checkPlanEdit(edit: PlanEdit): Promise<Problem[]> {
  return call('check_plan_edit', { edit });
}

/** Gaps in the stored plan, for the check panel and the badge. */
export function planCheck(): Promise<Gap[]> {
  return call('plan_check');
}

/** What the team's plan leaves disputed: fields two laptops changed without seeing each other. */
export function planConflicts(): Promise<PlanConflict[]> {
  return call('plan_conflicts');
}

/**
 * Keeps the value that the team event `keep` wrote to `field` of the element, settling the
 * conflict on every laptop. The conflicts left.
 */
export function settleConflict(
  section: Section,
  key: string,
  field: string,
  keep: string,
): Promise<PlanConflict[]> {
  return call('settle_conflict', { section, key, field, keep });
}

/** Who holds each on-call rotation now, and until when. */
export function onCallNow(): Promise<OnCallNow[]> {
  return call('on_call_now');
}

/** Full-text search over the plan, best first. Runs off the UI thread in the backend. */
export function searchPlan(query: string, limit = 20): Promise<SearchHit[]> {
  return call('search_plan', { query, limit });
}

/** The newest revisions first. */
export function listRevisions(): Promise<RevisionInfo[]> {
  return call('list_revisions');
}

/** What changed from revision `from` to revision `to`. */
export function diffRevisions(from: number, to: number): Promise<DiffEntry[]> {
  return call('diff_revisions', { from, to });
}

/** Makes the plan what it was at a revision, as a new revision. */
export function restoreRevision(id: number): Promise<RevisionInfo | null> {
  return call('restore_revision', { id });
}

/** Undoes one revision as a new revision; refused if what it changed has changed since. */
export function undoRevision(id: number): Promise<RevisionInfo> {
  return call('undo_revision', { id });
}

export function getProfile(): Promise<Profile> {
  return call('get_profile');
}

export function setProfileName(name: string): Promise<Profile> {
  return call('set_profile_name', { name });
}

/** Opens the system print dialog for what the window shows. */
export function printWindow(): Promise<void> {
  return call('print_window');
}

/** Opens the system folder chooser; `null` when it was cancelled. */
export function pickFolder(title: string): Promise<string | null> {
  return call('pick_folder', { title });
}

/** Writes the stored plan to `dir` as a plan folder; resolves to a one-line summary. */
export function exportPlanFolder(dir: string): Promise<string> {
  return call('export_plan_folder', { dir });
}

/** What importing the plan folder `dir` would change, or the problems that stop it. */
export function previewPlanFolder(dir: string): Promise<FolderPreview> {
  return call('preview_plan_folder', { dir });
}

/** Replaces the stored plan with the folder's, as one revision; `null` when nothing changed. */
export function importPlanFolder(dir: string): Promise<RevisionInfo | null> {
  return call('import_plan_folder', { dir });
}

export function getLinkedFolder(): Promise<LinkedFolder> {
  return call('get_linked_folder');
}

/** Links (and watches) a folder, or unlinks with `null`. */
export function setLinkedFolder(dir: string | null, writeBack: boolean): Promise<LinkedFolder> {
  return call('set_linked_folder', { dir, writeBack });
}

/** Opens the system file chooser for a contacts file (CSV or vCard); `null` when cancelled. */
export function pickContactsFile(): Promise<string | null> {
  return call('pick_contacts_file');
}

/** What a contacts file holds (for a CSV, its columns and a suggested mapping), or its problems. */
export function previewContacts(path: string): Promise<ContactsPreview> {
  return call('preview_contacts', { path });
}

/**
 * Adds the file's contacts to `team` as one revision; `mapping` is needed for a CSV file and
 * `null` for a vCard. Rejects with `refused`, listing every located problem, changing nothing.
 */
export function importContacts(
  path: string,
  mapping: ColumnMapping | null,
  team: Team,
): Promise<RevisionInfo | null> {
  return call('import_contacts', { path, mapping, team });
}

/**
 * Keeps the event listeners being set up until the returned function is called, which stops
 * them all, those still being set up included. One that cannot be set up (no Tauri, e.g. in unit
 * tests) is left out: the caller works without it.
 */
export function keepListening(...listeners: Promise<() => void>[]): () => void {
  let stopped = false;
  const stops: (() => void)[] = [];
  for (const listening of listeners) {
    listening.then(
      (stop) => (stopped ? stop() : stops.push(stop)),
      () => {
        // Without events the caller's own refresh (a timer, a button, the next load) still works.
      },
    );
  }
  return () => {
    stopped = true;
    for (const stop of stops.splice(0)) {
      stop();
    }
  };
}

/** Calls `handler` whenever the stored plan changed. Returns a function that stops listening. */
export async function onPlanChanged(handler: () => void): Promise<() => void> {
  return listen(EVENTS.planChanged, () => handler());
}

/** Calls `handler` (with the time, RFC 3339) when files in the linked folder changed. */
export async function onLinkedFolderChanged(handler: (at: string) => void): Promise<() => void> {
  return listen<string>(EVENTS.linkedFolderChanged, (event) => handler(event.payload));
}

/** Calls `handler` with the message when writing edits back to the linked folder failed. */
export async function onWriteBackFailed(handler: (message: string) => void): Promise<() => void> {
  return listen<string>(EVENTS.writeBackFailed, (event) => handler(event.payload));
}

/** Saves an export (binder, calendar, contacts) where the person chooses; `null` when cancelled. */
export function saveExport(kind: ExportKind): Promise<string | null> {
  return call('save_export', { kind });
}

// Incidents. Every change goes through `actOnIncident`; the backend records it as one event on
// the incident's timeline and answers with the console's new view (or a refusal).

/** Declares an incident (or an exercise) and answers with its console view. */
export function declareIncident(declaration: Declaration): Promise<IncidentView> {
  return call('declare_incident', { declaration });
}

/** Every incident and exercise, as list rows. */
export function listIncidents(): Promise<IncidentSummary[]> {
  return call('list_incidents');
}

/** How often an overdue update is raised again on this laptop, in minutes. */
export function getReminderMinutes(): Promise<number> {
  return call('get_reminder_minutes');
}

/** Sets it (5–120 minutes); refused outside, changing nothing. */
export function setReminderMinutes(minutes: number): Promise<number> {
  return call('set_reminder_minutes', { minutes });
}

/** The response figures of every real incident (minutes to tell, mitigate, resolve), newest first. */
export function incidentFigures(): Promise<ResponseFigures[]> {
  return call('incident_figures');
}

/** One incident as the console shows it now: state, cadence, what is due, the timeline. */
export function incidentView(id: string): Promise<IncidentView> {
  return call('incident_view', { id });
}

/**
 * Up to `limit` timeline entries of incident `id` recorded before event `before`, oldest first:
 * the page before those the console shows (its view holds the newest).
 */
export function incidentTimeline(
  id: string,
  before: number,
  limit: number,
): Promise<TimelineEntry[]> {
  return call('incident_timeline', { id, before, limit });
}

/** Records one action on an incident; rejects with `refused` when it does not apply. */
export function actOnIncident(id: string, action: IncidentAction): Promise<IncidentView> {
  return call('act_on_incident', { id, action });
}

/**
 * This laptop's person acknowledges that an escalation of incident `id` reached them: they count
 * as notified, and the team sees who has it.
 */
export function acknowledgeIncident(id: string): Promise<IncidentView> {
  return call('acknowledge_incident', { id });
}

/**
 * Whom the stored plan says to tell, now, on entering `phases` (in order) of an incident in
 * `category`, each person once: the list declaring or the transition would record.
 */
export function escalationPreview(category: Id, phases: readonly Phase[]): Promise<Recipient[]> {
  return call('escalation_preview', { category, phases: [...phases] });
}

/** What is due now and next across every incident and exercise. */
export function getAgenda(): Promise<Agenda> {
  return call('get_agenda');
}

/** The stored post-mortem for an audience, or a fresh draft from the timeline. */
export function getPostMortem(id: string, audience: Audience): Promise<PostMortem> {
  return call('get_post_mortem', { id, audience });
}

/** Keeps the team's post-mortem text (not published). */
export function savePostMortem(id: string, audience: Audience, text: string): Promise<PostMortem> {
  return call('save_post_mortem', { id, audience, text });
}

/** Saves the incident as Markdown or JSON where the person chooses; `null` when cancelled. */
export function exportIncident(id: string, format: IncidentFormat): Promise<string | null> {
  return call('export_incident', { id, format });
}

/** Whether desktop notifications reach a notification service, and which. */
export function notificationStatus(): Promise<NotificationStatus> {
  return call('notification_status');
}

/** Quits Muster (closing the window only hides it in the tray). */
export function quitApp(): Promise<void> {
  return call('quit_app');
}

/** Calls `handler` after every change to any incident. Returns a function that stops listening. */
export async function onIncidentsChanged(handler: () => void): Promise<() => void> {
  return listen(EVENTS.incidentsChanged, () => handler());
}

/** Calls `handler` with every reminder the scheduler raises. */
export async function onAlert(handler: (item: DueItem) => void): Promise<() => void> {
  return listen<DueItem>(EVENTS.alert, (event) => handler(event.payload));
}

/**
 * Calls `handler` with the count of changes the scheduler has taken in, after each of its passes:
 * everything due for those changes has been raised by then.
 */
export async function onSchedulerSettled(handler: (seen: number) => void): Promise<() => void> {
  return listen<number>(EVENTS.schedulerSettled, (event) => handler(event.payload));
}

/** Calls `handler` with an incident id when the tray or a notification asks to open it. */
export async function onOpenIncident(handler: (id: string) => void): Promise<() => void> {
  return listen<string>(EVENTS.openIncident, (event) => handler(event.payload));
}

/** Calls `handler` when Quit was chosen in the tray while a real incident is open. */
export async function onQuitRequested(handler: () => void): Promise<() => void> {
  return listen(EVENTS.quitRequested, () => handler());
}

// Signed decisions. The signing key lives in the OS keychain; these commands only ever see its
// fingerprint and public half. Every decision write is followed by `decisions-changed`.

/** Who this profile signs as, its key's fingerprint, and whether the keychain can be used. */
export function signingKeyStatus(): Promise<SigningKeyStatus> {
  return call('signing_key_status');
}

/**
 * Creates the signing key in the keychain and puts its public half on `contact` in the plan;
 * with `rotate`, replaces the current key, which is retired from now.
 */
export function setUpSigningKey(contact: Id, rotate: boolean): Promise<SigningKeyStatus> {
  return call('set_up_signing_key', { contact, rotate });
}

/** Asks for a decision under `policy` on an incident; it expires after `expiresInMinutes`. */
export function requestDecision(
  incident: string,
  policy: Id,
  statement: string,
  expiresInMinutes: number,
): Promise<DecisionStatus> {
  return call('request_decision', {
    incident,
    policy,
    statement,
    expiresInMinutes,
  });
}

/** Every decision: those requested here and those imported to be signed. */
export function listDecisions(): Promise<DecisionStatus[]> {
  return call('list_decisions');
}

/** Signs an approval or a rejection with the keychain key. */
export function signDecision(id: string, answer: Answer): Promise<SignOutcome> {
  return call('sign_decision', { id, answer });
}

/** Records an approval given without a signature (`approvedAt` RFC 3339): UNSIGNED. */
export function attestApproval(
  id: string,
  approver: Id,
  channel: string,
  approvedAt: string,
  witness: Id,
): Promise<DecisionStatus> {
  return call('attest_approval', { id, approver, channel, approvedAt, witness });
}

/** Saves the request file where the person chooses; `null` when cancelled. */
export function exportDecisionRequest(id: string): Promise<string | null> {
  return call('export_decision_request', { id });
}

/** Saves a signature file where the person chooses; `null` when cancelled. */
export function saveSignatureFile(id: string, text: string): Promise<string | null> {
  return call('save_signature_file', { id, text });
}

/** Opens a request or signature file the person chooses; `null` when cancelled. */
export function importDecisionFile(): Promise<ImportedFile | null> {
  return call('import_decision_file');
}

/** Writes the approval bundle into a new folder inside the one chosen; `null` when cancelled. */
export function exportDecisionBundle(id: string): Promise<string | null> {
  return call('export_decision_bundle', { id });
}

/** Calls `handler` after every change to any decision. Returns a function that stops listening. */
export async function onDecisionsChanged(handler: () => void): Promise<() => void> {
  return listen(EVENTS.decisionsChanged, () => handler());
}

// Live exercises. Every exercise write is followed by `exercises-changed` (and, when a scenario
// starts, `incidents-changed`: its exercise-mode incident was declared).

/** Every exercise, newest first. */
export function listExercises(): Promise<ExerciseSummary[]> {
  return call('list_exercises');
}

/** Creates a planned exercise; rejects with `invalidInput` naming what is wrong in the set-up. */
export function createExercise(setup: ExerciseSetup): Promise<Exercise> {
  return call('create_exercise', { setup });
}

/** Replaces a planned exercise's set-up; `refused` once it has started. */
export function updateExerciseSetup(id: string, setup: ExerciseSetup): Promise<Exercise> {
  return call('update_exercise_setup', { id, setup });
}

/** Deletes a planned exercise; `refused` once it has started. */
export function deleteExercise(id: string): Promise<void> {
  return call('delete_exercise', { id });
}

/** The moderator's console: the exercise, each run's read-back and measured times. */
export function getExerciseView(id: string): Promise<ExerciseView> {
  return call('exercise_view', { id });
}

/** Records one moderator action; rejects with `refused` when it does not apply now. */
export function actOnExercise(id: string, action: ExerciseAction): Promise<ExerciseView> {
  return call('act_on_exercise', { id, action });
}

/** Only what the moderator has revealed: for the projector window. */
export function getParticipantView(id: string): Promise<ParticipantView> {
  return call('participant_view', { id });
}

/** Opens (or brings forward) the participant window for the projector. */
export function openParticipantWindow(id: string): Promise<void> {
  return call('open_participant_window', { id });
}

/** A scenario prefilled from a potential issue of the plan, keyed `key`. */
export function draftScenario(issue: string, key: string): Promise<Scenario> {
  return call('draft_scenario', { issue, key });
}

/**
 * Every problem core finds in `setup` against the stored plan, each located by section,
 * element and field; empty when it can be saved. The set-up form has no rules of its own.
 */
export function checkExerciseSetup(setup: ExerciseSetup): Promise<Problem[]> {
  return call('check_exercise_setup', { setup });
}

/** The after-action report's text, for the preview. */
export function getExerciseReport(id: string, format: ReportFormat): Promise<string> {
  return call('exercise_report', { id, format });
}

/**
 * Saves the report where the person chooses (attached files are copied beside it): where it was
 * written and which attached files could not go with it, or `null` when cancelled.
 */
export function saveExerciseReport(id: string, format: ReportFormat): Promise<ReportSaved | null> {
  return call('save_exercise_report', { id, format });
}

/** Asks for a recording or other file to attach; its path, or `null` when cancelled. */
export function chooseAttachmentFile(): Promise<string | null> {
  return call('choose_attachment_file');
}

/** Every improvement item from every exercise, open first. */
export function listFindings(): Promise<Finding[]> {
  return call('list_findings');
}

/** The readiness dashboard's figures. */
export function getReadiness(): Promise<Readiness> {
  return call('readiness');
}

/** Calls `handler` after every change to any exercise. Returns a function that stops listening. */
export async function onExercisesChanged(handler: () => void): Promise<() => void> {
  return listen(EVENTS.exercisesChanged, () => handler());
}

// The team folder: incidents declared on one laptop reach the others through a folder that
// Syncthing, git or a share carries. The background link signs and sends this laptop's events and
// takes in teammates'; `team-changed` follows whatever it wrote, took in or found.

/** Every step of the plan that carries a command, with whether it may run on this laptop. */
export function stepCommands(): Promise<CommandStatus[]> {
  return call('step_commands');
}

/** Trusts exactly the reviewed command (by its SHA-256); refused when it changed since. */
export function trustStepCommand(
  procedure: string,
  step: string,
  sha256: string,
): Promise<CommandStatus> {
  return call('trust_step_command', { procedure, step, sha256 });
}

/**
 * Runs a step's command for an incident (or, with `dryRun`, records how it would run) and
 * returns the console's view with the run on the timeline.
 */
export function runStepCommand(
  id: string,
  procedure: string,
  step: string,
  dryRun: boolean,
): Promise<IncidentView> {
  return call('run_step_command', { id, procedure, step, dryRun });
}

/** Where this laptop sends each communication rule's updates (no secrets in it). */
export function updateTargets(): Promise<UpdateTarget[]> {
  return call('update_targets');
}

/**
 * Sets where a rule's updates go — the secret goes to the OS keychain — or, with no `kind`,
 * stops sending them anywhere.
 */
export function setUpdateTarget(
  rule: string,
  kind: TargetKind | null,
  secret: TargetSecret | null,
): Promise<UpdateTarget[]> {
  return call('set_update_target', { rule, kind, secret });
}

/** Sends an update just recorded under `rule` to the rule's target; the outcome is on the timeline. */
export function sendUpdate(id: string, rule: string, text: string): Promise<IncidentView> {
  return call('send_update', { id, rule, text });
}

/** The alert receiver on this laptop: on or off, its port and address, whether it listens. */
export function alertReceiver(): Promise<AlertReceiverView> {
  return call('alert_receiver');
}

/**
 * Turns the alert receiver on (on `port`, 1024–65535) or off. Turned on for the first time, a
 * token is made and returned this once in `newToken`.
 */
export function setAlertReceiver(on: boolean, port: number): Promise<AlertReceiverView> {
  return call('set_alert_receiver', { on, port });
}

/** A new token for the alert receiver, returned this once; the old one stops working. */
export function renewAlertToken(): Promise<AlertReceiverView> {
  return call('renew_alert_token');
}

/** The team folder, this laptop's place in it, and what the link last found. */
export function teamStatus(): Promise<TeamView> {
  return call('team_status');
}

/**
 * Joins the team folder `dir`, naming this laptop `device`. Rejects with `unavailable` (not a
 * folder), `refused` (no signing key yet) or `invalidInput` (a problem at field `device`).
 */
export function joinTeam(dir: string, device: string): Promise<TeamView> {
  return call('join_team', { dir, device });
}

/** Stops sending and taking in events on this laptop; incidents already here stay. */
export function leaveTeam(): Promise<TeamView> {
  return call('leave_team');
}

/** Goes round with the team folder now (a git folder is pulled and pushed too). */
export function syncTeam(): Promise<TeamView> {
  return call('sync_team');
}

// The team's signed roster: who holds which signing key, who approves in which policy, who may
// change it. Versions change only when signed as the version before requires; each laptop pins
// the first version by a fingerprint compared out of band.

/** The roster as this laptop holds it (before a pin: the version-1 rosters seen). */
export function rosterView(): Promise<RosterView> {
  return call('roster_view');
}

/**
 * Trusts the version-1 roster `fingerprint` names. Rejects with `notFound` (no such roster
 * seen) or `refused` (another roster is pinned, or this one is not signed by its admins).
 */
export function pinRoster(fingerprint: string): Promise<RosterView> {
  return call('pin_roster', { fingerprint });
}

/** Adds this profile's signature to the waiting version `fingerprint` names. */
export function signRoster(fingerprint: string): Promise<RosterView> {
  return call('sign_roster', { fingerprint });
}

/** Calls `handler` whenever the team folder's state changed. Returns a function that stops listening. */
export async function onTeamChanged(handler: () => void): Promise<() => void> {
  return listen(EVENTS.teamChanged, () => handler());
}
