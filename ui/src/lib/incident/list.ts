// The incident list, sorted for people: real incidents still being worked on first, then past
// ones; exercises always apart, never counted with real incidents.
import type { Agenda, DueItem, IncidentSummary, Severity } from '../api';
import { PHASES, isOpen } from './labels';

export type IncidentGroups = {
  /** Real incidents in an open phase (detected, validated, mitigated): most severe first. */
  active: IncidentSummary[];
  /** Real incidents resolved or closed: newest first. */
  past: IncidentSummary[];
  /** Exercises, open ones first, then newest first. */
  exercises: IncidentSummary[];
};

const SEVERITY_ORDER: Severity[] = ['S1', 'S2', 'S3', 'S4'];

function newestFirst(a: IncidentSummary, b: IncidentSummary): number {
  return b.declaredAt.localeCompare(a.declaredAt);
}

function mostUrgentFirst(a: IncidentSummary, b: IncidentSummary): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || newestFirst(a, b)
  );
}

export function groupIncidents(summaries: readonly IncidentSummary[]): IncidentGroups {
  const real = summaries.filter((s) => !s.exercise);
  const exercises = summaries.filter((s) => s.exercise);
  return {
    active: real.filter((s) => isOpen(s.phase)).sort(mostUrgentFirst),
    past: real.filter((s) => !isOpen(s.phase)).sort(newestFirst),
    exercises: [...exercises].sort(
      (a, b) => Number(isOpen(b.phase)) - Number(isOpen(a.phase)) || newestFirst(a, b),
    ),
  };
}

/** What is due now for one incident, escalations first, then the longest overdue. */
export function dueFor(agenda: Agenda | undefined, id: string): DueItem[] {
  return sortDue((agenda?.due ?? []).filter((d) => d.incident === id));
}

/** Escalations (critical) first, then by how long overdue, the oldest first. */
export function sortDue(items: readonly DueItem[]): DueItem[] {
  return [...items].sort(
    (a, b) =>
      Number(b.critical) - Number(a.critical) ||
      Number(b.kind.kind === 'escalation') - Number(a.kind.kind === 'escalation') ||
      a.overdueSince.localeCompare(b.overdueSince),
  );
}

/** The phase's place in the life of an incident, for a stepper: 0 for detected. */
export function phaseIndex(phase: IncidentSummary['phase']): number {
  return PHASES.indexOf(phase);
}

/** A due item's title without the incident's name, for the incident's own console. */
export function dueHeadline(item: DueItem): string {
  for (const prefix of [
    `EXERCISE — ${item.incident} ${item.incidentTitle}: `,
    `${item.incident} ${item.incidentTitle}: `,
  ]) {
    if (item.title.startsWith(prefix)) {
      const rest = item.title.slice(prefix.length);
      return rest.charAt(0).toUpperCase() + rest.slice(1);
    }
  }
  return item.title;
}

/** "Escalation", "Update", "Post-mortem": what kind of thing is due. */
export function dueKindLabel(item: DueItem): string {
  switch (item.kind.kind) {
    case 'escalation':
      return 'Escalation';
    case 'update':
      return 'Update';
    case 'postMortem':
      return 'Post-mortem';
  }
}
