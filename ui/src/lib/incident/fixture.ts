// A small incident for tests, on the test plan (`plan/fixture.ts`): INC-3 "Drained pool", a
// hacker attack, validated at 13:10 UTC on 4 March 2026; the tests' clock reads 14:00 (`NOW`).
// Ada was told on detection, Chloe not yet; Eli (extended team) is still to be told on
// validation. The users' update is 12 minutes overdue.
import type {
  CadenceLine,
  DueItem,
  Incident,
  IncidentSummary,
  IncidentView,
  ProcedureSnapshot,
  Recipient,
  TimelineEntry,
} from '../api';
import { fixturePlan } from '../plan/fixture';

export const NOW = '2026-03-04T14:00:00Z';

function snapshot(id: string): ProcedureSnapshot {
  const procedure = fixturePlan().procedures.find((p) => p.id === id);
  if (procedure === undefined) {
    throw new Error(`no procedure ${id} in the test plan`);
  }
  return { id: procedure.id, title: procedure.title, steps: procedure.steps };
}

export function recipient(contact: 'ada' | 'chloe' | 'eli' | 'metro'): Recipient {
  const plan = fixturePlan();
  const core = plan.coreTeam.find((m) => m.id === contact);
  if (core !== undefined) {
    return {
      contact,
      name: core.name,
      team: 'core',
      role: core.role,
      reach: core.reach,
      onCall: false,
    };
  }
  const extended = plan.extendedTeam.find((c) => c.id === contact);
  if (extended === undefined) {
    throw new Error(`no contact ${contact} in the test plan`);
  }
  return {
    contact,
    name: extended.name,
    team: 'extended',
    role: extended.role,
    reach: extended.reach,
    onCall: false,
  };
}

export function fixtureIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'INC-3',
    title: 'Drained pool',
    issue: 'drain',
    category: 'hack',
    severity: 'S1',
    exercise: false,
    description: 'Outflow of 7% in ten minutes.',
    phase: 'validated',
    declaredAt: '2026-03-04T13:00:00Z',
    declaredBy: 'Ada Example',
    phases: [
      { phase: 'detected', at: '2026-03-04T13:00:00Z', by: 'Ada Example' },
      { phase: 'validated', at: '2026-03-04T13:10:00Z', by: 'Ben Sample' },
    ],
    openedAt: '2026-03-04T13:00:00Z',
    resolvedAt: null,
    roles: [{ role: 'lead', contact: 'ada', name: 'Ada Example' }],
    acknowledgements: [],
    procedures: [snapshot('contain'), snapshot('patch')],
    steps: [
      {
        procedure: 'contain',
        step: 'war-room',
        status: 'done',
        note: 'Signal group open',
        by: 'Ben Sample',
        at: '2026-03-04T13:05:00Z',
      },
    ],
    escalations: [
      {
        phase: 'detected',
        at: '2026-03-04T13:00:00Z',
        recipient: recipient('ada'),
        notified: { at: '2026-03-04T13:02:00Z', by: 'Ben Sample', channel: 'phone' },
      },
      {
        phase: 'detected',
        at: '2026-03-04T13:00:00Z',
        recipient: recipient('chloe'),
        notified: null,
      },
      {
        phase: 'validated',
        at: '2026-03-04T13:10:00Z',
        recipient: recipient('eli'),
        notified: null,
      },
    ],
    updates: [],
    waivers: [],
    publications: [],
    reminders: [],
    eventCount: 5,
    lastEventAt: '2026-03-04T13:20:00Z',
    ...over,
  };
}

export function cadence(): CadenceLine[] {
  return [
    {
      rule: 'war-room',
      audience: 'responders',
      timing: 'open until completion',
      channel: 'Signal group',
      responsible: 'Ben Sample',
      optional: false,
      state: 'done',
      lastUpdateAt: '2026-03-04T13:05:00Z',
      dueAt: null,
    },
    {
      rule: 'users',
      audience: 'users',
      timing: 'every 4 hours',
      channel: 'Status page',
      responsible: 'Eli Forum',
      optional: false,
      state: 'overdue',
      lastUpdateAt: null,
      dueAt: '2026-03-04T13:48:00Z',
    },
    {
      rule: 'public-pm',
      audience: 'publicPostMortem',
      timing: 'at resolution + 1 day',
      channel: 'Blog',
      responsible: null,
      optional: true,
      state: 'notYet',
      lastUpdateAt: null,
      dueAt: null,
    },
  ];
}

export function dueItem(over: Partial<DueItem> = {}): DueItem {
  return {
    key: 'upd:INC-3:users:2026-03-04T13:48:00Z',
    incident: 'INC-3',
    incidentTitle: 'Drained pool',
    exercise: false,
    kind: { kind: 'update', rule: 'users', audience: 'users' },
    dueAt: '2026-03-04T13:48:00Z',
    overdueSince: '2026-03-04T13:48:00Z',
    title: 'INC-3 Drained pool: users update due',
    body: 'Due 13:48 UTC on Status page — Eli Forum',
    critical: false,
    ...over,
  };
}

export function escalationDue(over: Partial<DueItem> = {}): DueItem {
  return dueItem({
    key: 'esc:INC-3:4:3',
    kind: { kind: 'escalation', phase: 'validated', contacts: ['eli'] },
    dueAt: '2026-03-04T13:55:00Z',
    overdueSince: '2026-03-04T13:10:00Z',
    title: 'INC-3 Drained pool: notify 1 person now (validation)',
    body: 'Eli Forum (Community liaison)',
    critical: true,
    ...over,
  });
}

export function timeline(): TimelineEntry[] {
  const entry = (
    seq: number,
    at: string,
    author: string,
    kind: string,
    text: string,
    detail = '',
  ): TimelineEntry => ({ seq, at, author, kind, text, detail, hash: `h${seq}`, clockBack: false });
  return [
    entry(1, '2026-03-03T23:58:00Z', 'Ada Example', 'declared', 'Declared: Drained pool (S1)'),
    entry(
      2,
      '2026-03-04T13:02:00Z',
      'Ben Sample',
      'contactNotified',
      'Ada Example notified by phone',
    ),
    entry(3, '2026-03-04T13:05:00Z', 'Ben Sample', 'stepMarked', 'Open the war room: done'),
    entry(4, '2026-03-04T13:10:00Z', 'Ben Sample', 'phaseChanged', 'Detected → Validated'),
    entry(
      5,
      '2026-03-04T13:20:00Z',
      'Ada Example',
      'note',
      'Note',
      '<b>Attacker</b> funded via a mixer',
    ),
  ];
}

export function fixtureView(
  over: Partial<Incident> = {},
  view: Partial<IncidentView> = {},
): IncidentView {
  return {
    incident: fixtureIncident(over),
    cadence: cadence(),
    due: [dueItem(), escalationDue()],
    timeline: timeline(),
    called: false,
    ...view,
  };
}

export function summary(over: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id: 'INC-3',
    title: 'Drained pool',
    category: 'hack',
    severity: 'S1',
    phase: 'validated',
    exercise: false,
    declaredAt: '2026-03-04T13:00:00Z',
    lastEventAt: '2026-03-04T13:20:00Z',
    ...over,
  };
}
