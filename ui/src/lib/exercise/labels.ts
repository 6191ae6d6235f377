// The words the exercise pages use for coded values, and the small date and time formats they
// share with the readiness dashboard.
import type { ExerciseStatus, Measure, Rating } from '../api';

export const MEASURES: readonly Measure[] = [
  'escalation',
  'decisionQuorum',
  'action',
  'mitigated',
  'resolved',
];

const MEASURE_LABELS: Record<Measure, string> = {
  escalation: 'Everyone told on detection',
  decisionQuorum: 'Decision quorum reached',
  action: 'Decided action taken',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/** "Everyone told on detection": what a target or the trend chart measures, from detection. */
export function measureLabel(measure: Measure): string {
  return MEASURE_LABELS[measure];
}

export const MEASURE_OPTIONS = MEASURES.map((m) => ({ value: m, label: measureLabel(m) }));

const STATUS_LABELS: Record<ExerciseStatus, string> = {
  planned: 'Planned',
  running: 'Running',
  ended: 'Held',
};

export function statusLabel(status: ExerciseStatus): string {
  return STATUS_LABELS[status];
}

const RATING_LABELS: Record<Rating, string> = {
  P: 'Performed without challenges',
  S: 'Performed with some challenges',
  M: 'Performed with major challenges',
  U: 'Unable to be performed',
};

export function ratingLabel(rating: Rating): string {
  return RATING_LABELS[rating];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12 May 2026" for `2026-05-12`; anything else as it is. */
export function dayLabel(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = match === null ? undefined : MONTHS[Number(match[2]) - 1];
  if (match === null || month === undefined) {
    return date;
  }
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/** "in 5 days", "tomorrow", "today", "overdue by 1 day". */
/** The local calendar day (`YYYY-MM-DD`) of an instant, e.g. when an exercise started. */
export function localDay(iso: string): string {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export function dueIn(days: number): string {
  if (days === 0) {
    return 'today';
  }
  if (days === 1) {
    return 'tomorrow';
  }
  if (days > 0) {
    return `in ${days} days`;
  }
  return `overdue by ${-days} day${days === -1 ? '' : 's'}`;
}

/** Whole days from `from` to `to`, both `YYYY-MM-DD`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** "4 min", "1 h 05 min", "45 s": a measured time, from seconds. */
export function durationLabel(seconds: number | bigint | null | undefined): string {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const s = Math.max(0, Math.round(Number(seconds)));
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.round(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)} h ${String(rest).padStart(2, '0')} min`;
}
