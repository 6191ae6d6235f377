// Words for the plan's coded values. They follow the Rust `label()`/`describe()` functions so
// the app, the CLI and exported files say the same thing.
import type {
  Audience,
  EscalationRule,
  ExercisePolicy,
  Monitoring,
  NotifyWhen,
  Severity,
  Timing,
} from '../api';

/** "1 hour", "4 hours". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const SEVERITY: Record<Severity, string> = {
  S1: 'critical',
  S2: 'major',
  S3: 'minor',
  S4: 'low',
};

export function severityLabel(severity: Severity): string {
  return SEVERITY[severity];
}

const MONITORING: Record<Monitoring, string> = {
  manual: 'Manual',
  automated: 'Automated',
};

export function monitoringLabel(monitoring: Monitoring): string {
  return MONITORING[monitoring];
}

const NOTIFY_WHEN: Record<NotifyWhen, string> = {
  uponDetection: 'upon detection',
  uponValidation: 'upon validation',
  uponResolution: 'upon resolution',
  never: 'not notified',
};

export function notifyWhenLabel(when: NotifyWhen): string {
  return NOTIFY_WHEN[when];
}

/** "Core team: upon detection · Extended team: upon validation". */
export function escalationText(rule: EscalationRule): string {
  const teams = `Core team: ${notifyWhenLabel(rule.core)} · Extended team: ${notifyWhenLabel(rule.extended)}`;
  const minutes = rule.pageAfterMinutes;
  return minutes === null ? teams : `${teams} · Unanswered after ${minutes} min: page the backup`;
}

const AUDIENCE: Record<Audience, string> = {
  responders: 'Responders',
  internal: 'Internal',
  users: 'Users',
  internalPostMortem: 'Internal post-mortem',
  publicPostMortem: 'Public post-mortem',
};

export function audienceLabel(audience: Audience): string {
  return AUDIENCE[audience];
}

export function timingLabel(timing: Timing): string {
  switch (timing.kind) {
    case 'untilCompletion':
      return 'open until completion';
    case 'everyHours':
      return timing.hours === 1 ? 'every hour' : `every ${timing.hours} hours`;
    case 'everyMinutes':
      return timing.minutes === 1 ? 'every minute' : `every ${timing.minutes} minutes`;
    case 'afterResolutionDays':
      return `at resolution + ${count(timing.days, 'day')}`;
  }
}

function every(n: number, unit: string): string {
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

/** "Every 4 weeks while the plan is new (its first 6 months), then every 6 months; sessions of 2 hours". */
export function exercisePolicyText(policy: ExercisePolicy): string {
  const whileNew = every(policy.whileNewEveryWeeks, 'week');
  const established = every(policy.establishedEveryMonths, 'month');
  const first = policy.newForMonths === 1 ? 'month' : `${policy.newForMonths} months`;
  return (
    `${whileNew.charAt(0).toUpperCase()}${whileNew.slice(1)} while the plan is new ` +
    `(its first ${first}), then ${established}; sessions of ${count(policy.sessionHours, 'hour')}`
  );
}

/** "about 10 min", "about 1 h 30 min". */
export function minutesLabel(minutes: number | null): string | undefined {
  if (minutes === null) {
    return undefined;
  }
  if (minutes < 60) {
    return `about ${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

export type Segment = { code: boolean; text: string };

/** Splits `inline code` out of a text so it can be shown as code, as text. */
export function codeSegments(text: string): Segment[] {
  const parts = text.split('`');
  if (parts.length < 3 || parts.length % 2 === 0) {
    return text === '' ? [] : [{ code: false, text }];
  }
  return parts.map((part, i) => ({ code: i % 2 === 1, text: part })).filter((s) => s.text !== '');
}
