// Words for the incident's coded values (phases, roles, step marks, cadence states), following
// the Rust `label()` functions so the console, the CLI and the exports say the same thing.
import type { CadenceState, Phase, Role, StepStatus, Team } from '../api';

/** The life of an incident, in order. */
export const PHASES: readonly Phase[] = [
  'detected',
  'validated',
  'mitigated',
  'resolved',
  'closed',
];

const PHASE: Record<Phase, string> = {
  detected: 'Detected',
  validated: 'Validated',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export function phaseLabel(phase: Phase): string {
  return PHASE[phase];
}

/** Still being worked on: update cadences run. */
export function isOpen(phase: Phase): boolean {
  return PHASES.indexOf(phase) < PHASES.indexOf('resolved');
}

/**
 * Where a transition may go from `phase`: any later phase (skipping is allowed), but Closed only
 * from Resolved. Empty for a closed incident, which can only be reopened.
 */
export function transitionsFrom(phase: Phase): Phase[] {
  if (phase === 'resolved') {
    return ['closed'];
  }
  const at = PHASES.indexOf(phase);
  return PHASES.filter((p, i) => i > at && p !== 'closed');
}

/** The phase a "Move to …" button offers: the next one, if any. */
export function nextPhase(phase: Phase): Phase | undefined {
  return transitionsFrom(phase)[0];
}

/** The phases a transition from `from` to `to` enters, in order (skipped ones included). */
export function phasesEntered(from: Phase, to: Phase): Phase[] {
  const start = PHASES.indexOf(from);
  const end = PHASES.indexOf(to);
  return PHASES.filter((_, i) => i > start && i <= end);
}

export const ROLES: readonly Role[] = ['lead', 'scribe', 'communications'];

const ROLE: Record<Role, string> = {
  lead: 'Incident lead',
  scribe: 'Scribe',
  communications: 'Communications manager',
};

export function roleLabel(role: Role): string {
  return ROLE[role];
}

const STEP: Record<StepStatus, string> = {
  open: 'To do',
  done: 'Done',
  skipped: 'Skipped',
  blocked: 'Blocked',
};

export function stepStatusLabel(status: StepStatus): string {
  return STEP[status];
}

const CADENCE: Record<CadenceState, string> = {
  onTrack: 'On track',
  overdue: 'Overdue',
  notYet: 'Not running yet',
  done: 'Done',
  waived: 'Not needed',
};

export function cadenceStateLabel(state: CadenceState): string {
  return CADENCE[state];
}

export function teamLabel(team: Team): string {
  return team === 'core' ? 'Core team' : 'Extended team';
}

/** How someone was told, for "Mark notified". */
export const CHANNELS = [
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'chat', label: 'Chat' },
  { value: 'other', label: 'Other' },
] as const;

export type Channel = (typeof CHANNELS)[number]['value'];
