// The only module that talks to the Rust side. Every command goes through `call`, which turns a
// rejection into an `ApiError` so the views can branch on a closed set of codes.
import { invoke } from '@tauri-apps/api/core';

import type { AppInfo, ErrorCode, Plan } from './types.gen';

export type {
  AppInfo,
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

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
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
      return new ApiError(code, message);
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
