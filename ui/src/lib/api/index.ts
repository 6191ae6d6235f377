// The only module that talks to the Rust side. Every command goes through `call`, which turns a
// rejection into an `ApiError` so the views can branch on a closed set of codes.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

import type {
  AppInfo,
  DiffEntry,
  OnCallNow,
  ErrorCode,
  Gap,
  Plan,
  PlanEdit,
  Problem,
  Profile,
  RevisionInfo,
  SearchHit,
} from './types.gen';

export type {
  AppInfo,
  DiffEntry,
  DiffKind,
  FieldDiff,
  Gap,
  GapKind,
  GapLevel,
  Location,
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
  PotentialIssue,
  Procedure,
  Reach,
  Severity,
  Step,
  Timing,
} from './types.gen';

const ERROR_CODES: readonly ErrorCode[] = [
  'notFound',
  'invalidInput',
  'refused',
  'databaseTooNew',
  'databaseDamaged',
  'storage',
  'internal',
];

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}

/** The whole plan as stored. */
export function getPlan(): Promise<Plan> {
  return call<Plan>('get_plan');
}

/** Version, data folder and schema version, for the About line. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/** Applies one edit to the plan; `null` when it changed nothing. */
export function applyEdit(edit: PlanEdit): Promise<RevisionInfo | null> {
  return call<RevisionInfo | null>('apply_edit', { edit });
}

/** Gaps in the stored plan, for the check panel and the badge. */
export function planCheck(): Promise<Gap[]> {
  return call<Gap[]>('plan_check');
}

/** Who holds each on-call rotation now, and until when. */
export function onCallNow(): Promise<OnCallNow[]> {
  return call<OnCallNow[]>('on_call_now');
}

/** Full-text search over the plan, best first. Runs off the UI thread in the backend. */
export function searchPlan(query: string, limit = 20): Promise<SearchHit[]> {
  return call<SearchHit[]>('search_plan', { query, limit });
}

/** The newest revisions first. */
export function listRevisions(): Promise<RevisionInfo[]> {
  return call<RevisionInfo[]>('list_revisions');
}

/** What changed from revision `from` to revision `to`. */
export function diffRevisions(from: number, to: number): Promise<DiffEntry[]> {
  return call<DiffEntry[]>('diff_revisions', { from, to });
}

/** Makes the plan what it was at a revision, as a new revision. */
export function restoreRevision(id: number): Promise<RevisionInfo | null> {
  return call<RevisionInfo | null>('restore_revision', { id });
}

/** Undoes one revision as a new revision; refused if what it changed has changed since. */
export function undoRevision(id: number): Promise<RevisionInfo> {
  return call<RevisionInfo>('undo_revision', { id });
}

export function getProfile(): Promise<Profile> {
  return call<Profile>('get_profile');
}

export function setProfileName(name: string): Promise<Profile> {
  return call<Profile>('set_profile_name', { name });
}

/** Opens the system print dialog for what the window shows. */
export function printWindow(): Promise<void> {
  return call<void>('print_window');
}

/** Calls `handler` whenever the stored plan changed. Returns a function that stops listening. */
export async function onPlanChanged(handler: () => void): Promise<() => void> {
  return listen('plan-changed', () => handler());
}
