// Choices the forms offer, built from the plan: categories, contacts, issues, decisions, and
// the coded values with the words the views use for them.
import type { Audience, Monitoring, NotifyWhen, Plan, Severity, Weekday } from '../../api';
import { audienceLabel, monitoringLabel, notifyWhenLabel, severityLabel } from '../labels';

export type Option = { value: string; label: string };

export function categoryOptions(plan: Plan): Option[] {
  return plan.categories.map((c) => ({ value: c.id, label: c.name }));
}

export function issueOptions(plan: Plan): Option[] {
  return plan.issues.map((i) => ({ value: i.id, label: i.title }));
}

export function decisionOptions(plan: Plan): Option[] {
  return plan.decisions.map((d) => ({ value: d.id, label: d.title }));
}

/** Everyone on either team: core members first, then the extended team. */
export function contactOptions(plan: Plan): Option[] {
  return [
    ...plan.coreTeam.map((m) => ({ value: m.id, label: `${m.name} (core team)` })),
    ...plan.extendedTeam.map((c) => ({ value: c.id, label: `${c.name} (extended team)` })),
  ];
}

/** Every contact id in use, for making a new contact's id unique across both teams. */
export function contactIds(plan: Plan): string[] {
  return [...plan.coreTeam.map((m) => m.id), ...plan.extendedTeam.map((c) => c.id)];
}

const SEVERITIES: Severity[] = ['S1', 'S2', 'S3', 'S4'];
export const SEVERITY_OPTIONS: Option[] = SEVERITIES.map((s) => ({
  value: s,
  label: `${s} — ${severityLabel(s)}`,
}));

const MONITORINGS: Monitoring[] = ['automated', 'manual'];
export const MONITORING_OPTIONS: Option[] = MONITORINGS.map((m) => ({
  value: m,
  label: monitoringLabel(m),
}));

const NOTIFY: NotifyWhen[] = ['uponDetection', 'uponValidation', 'uponResolution', 'never'];
export const NOTIFY_OPTIONS: Option[] = NOTIFY.map((n) => ({
  value: n,
  label: n === 'never' ? 'Not at all' : notifyWhenLabel(n).replace(/^u/, 'U'),
}));

const AUDIENCES: Audience[] = [
  'responders',
  'internal',
  'users',
  'internalPostMortem',
  'publicPostMortem',
];
export const AUDIENCE_OPTIONS: Option[] = AUDIENCES.map((a) => ({
  value: a,
  label: audienceLabel(a),
}));

export const WEEKDAYS: Weekday[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
export const WEEKDAY_OPTIONS: Option[] = WEEKDAYS.map((d) => ({
  value: d,
  label: d.charAt(0).toUpperCase() + d.slice(1),
}));

/** The value as one of the choices, or `fallback` when it is not one. */
export function oneOf<T extends string>(value: string, choices: readonly T[], fallback: T): T {
  return (choices as readonly string[]).includes(value) ? (value as T) : fallback;
}
