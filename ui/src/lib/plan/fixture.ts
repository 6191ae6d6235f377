// A small hand-made plan for tests: every section has a few entries, with the awkward cases
// (a decision used twice, an approver from the extended team, an unknown id, a category
// nobody owns) that the views must handle.
import type { Plan, PlanOutline, Step } from '../api';
import { planCounts } from './lookup';

function step(id: string, action: string, decision: string | null = null): Step {
  return {
    id,
    action,
    how: `How to ${action.toLowerCase()}`,
    tools: 'Safe UI, `cast`',
    test: `Check ${id}`,
    expectedMinutes: 10,
    decision,
  };
}

export function fixturePlan(): Plan {
  return {
    meta: {
      name: 'Test plan',
      organisation: 'Test org',
      summary: 'A plan for tests.',
      isExample: true,
    },
    categories: [
      { id: 'hack', name: 'Hacker attack', description: 'Someone attacks us.' },
      { id: 'net', name: 'Network problem', description: 'The chain misbehaves.' },
      { id: 'ops', name: 'Operational problem', description: 'Nobody owns this yet.' },
    ],
    issues: [
      {
        id: 'drain',
        category: 'hack',
        title: 'Drained pool',
        description: 'Funds leave the pool.',
        detection: { signal: 'Outflow above 5%', monitoring: 'automated', source: 'Forta bot' },
        severity: 'S1',
      },
      {
        id: 'gas',
        category: 'net',
        title: 'Gas spike',
        description: 'Fees climb.',
        detection: { signal: 'Base fee above 150 gwei', monitoring: 'manual', source: 'Grafana' },
        severity: 'S3',
      },
      {
        id: 'phish',
        category: 'ops',
        title: 'Phishing site',
        description: 'A look-alike site.',
        detection: { signal: 'User reports', monitoring: 'manual', source: 'Discord' },
        severity: 'S4',
      },
      {
        id: 'stray',
        category: 'gone',
        title: 'Stray issue',
        description: 'Its category was removed.',
        detection: { signal: 'None', monitoring: 'manual', source: 'Nobody' },
        severity: 'S2',
      },
    ],
    procedures: [
      {
        id: 'contain',
        title: 'Contain the exploit',
        summary: 'Stop the loss first.',
        issues: ['drain'],
        steps: [
          step('war-room', 'Open the war room'),
          step('pause', 'Pause the pool', 'pause'),
          step('police', 'Tell the police', 'police'),
          step('pause-again', 'Pause the other pool', 'pause'),
        ],
      },
      {
        id: 'patch',
        title: 'Patch and upgrade',
        summary: 'Fix it.',
        issues: ['drain', 'gas'],
        steps: [step('ship', 'Ship the fix', 'upgrade'), step('check', 'Check the pause', 'pause')],
      },
      {
        id: 'wait',
        title: 'Wait it out',
        summary: 'Fees come down.',
        issues: ['gas'],
        steps: [step('watch', 'Watch the fees')],
      },
    ],
    escalation: [
      { category: 'hack', core: 'uponDetection', extended: 'uponValidation', pageAfterMinutes: 5 },
      { category: 'net', core: 'uponDetection', extended: 'never', pageAfterMinutes: null },
    ],
    coreTeam: [
      {
        id: 'ada',
        name: 'Ada Example',
        role: 'CEO',
        categories: ['hack', 'net'],
        reach: { email: 'ada@example.com', chat: '@ada', phone: '+1 555 0100' },
        publicKey: null,
        retiredKeys: [],
        lastVerified: '2026-01-15',
      },
      {
        id: 'ben',
        name: 'Ben Sample',
        role: 'COO',
        categories: ['net'],
        reach: { email: null, chat: null, phone: '+1 555 0101' },
        publicKey: null,
        retiredKeys: [],
        lastVerified: null,
      },
      {
        id: 'chloe',
        name: 'Chloe Demo',
        role: 'CFO',
        categories: ['hack'],
        reach: { email: 'chloe@example.com', chat: null, phone: null },
        publicKey: null,
        retiredKeys: [],
        lastVerified: '2026-01-15',
      },
    ],
    extendedTeam: [
      {
        id: 'eli',
        name: 'Eli Forum',
        role: 'Community liaison',
        reach: { email: 'eli@example.com', chat: '@eli', phone: null },
        lastVerified: '2026-01-15',
      },
      {
        id: 'metro',
        name: 'Metro Police',
        role: 'Law enforcement',
        reach: { email: null, chat: null, phone: '+1 555 0112' },
        lastVerified: null,
      },
    ],
    onCall: [],
    communications: [
      {
        id: 'war-room',
        audience: 'responders',
        timing: { kind: 'untilCompletion' },
        channel: 'Signal group',
        responsible: 'ben',
        categories: [],
        optional: false,
        notes: '',
      },
      {
        id: 'users',
        audience: 'users',
        timing: { kind: 'everyHours', hours: 4 },
        channel: 'Status page',
        responsible: 'eli',
        categories: ['hack', 'net'],
        optional: false,
        notes: 'Say what users should do.',
      },
      {
        id: 'public-pm',
        audience: 'publicPostMortem',
        timing: { kind: 'afterResolutionDays', days: 1 },
        channel: 'Blog',
        responsible: null,
        categories: ['hack'],
        optional: true,
        notes: '',
      },
    ],
    decisions: [
      {
        id: 'upgrade',
        title: 'Upgrade contract',
        description: 'Skip the timelock.',
        required: ['ada'],
        additional: ['ben', 'chloe'],
        additionalNeeded: 1,
        attestedAllowed: false,
      },
      {
        id: 'pause',
        title: 'Pause contract',
        description: 'Stop the pool.',
        required: ['ada', 'ben'],
        additional: ['chloe'],
        additionalNeeded: 0,
        attestedAllowed: false,
      },
      {
        id: 'police',
        title: 'Notify law enforcement',
        description: 'Report the theft.',
        required: ['ada', 'metro'],
        additional: ['nobody-here'],
        additionalNeeded: 1,
        attestedAllowed: true,
      },
    ],
    exercisePolicy: {
      whileNewEveryWeeks: 4,
      newForMonths: 6,
      establishedEveryMonths: 6,
      sessionHours: 2,
    },
  };
}

/** `plan`'s outline, as the backend's `get_plan_outline` makes it (core's `plan::outline`). */
export function outlineOf(plan: Plan): PlanOutline {
  return {
    meta: plan.meta,
    exercisePolicy: plan.exercisePolicy,
    counts: planCounts(plan),
    people: [...plan.coreTeam, ...plan.extendedTeam].map(({ id, name }) => ({ id, name })),
  };
}

/** The fixture plan's outline. */
export function fixtureOutline(): PlanOutline {
  return outlineOf(fixturePlan());
}
