// Exercises, their views and the readiness figures, for the tests of the exercise pages and the
// readiness dashboard. Each takes overrides.
import type {
  Exercise,
  ExerciseSetup,
  ExerciseSummary,
  ExerciseView,
  Finding,
  Readiness,
  Scenario,
} from '../api';

export const TODAY = '2026-03-04';

export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    key: 'sc-1',
    title: 'Drained pool',
    issue: 'drain',
    category: null,
    situation: 'Outflow alert fires at 09:12.',
    injects: [{ key: 'inj-1', title: 'Mixer', text: 'Funds move to a mixer.' }],
    expected: [
      { key: 'exp-1', text: 'Pause the contract', procedure: 'contain', step: 'pause' },
      { key: 'exp-2', text: 'Tell the core team', procedure: null, step: null },
    ],
    targets: [
      {
        key: 'tgt-1',
        label: 'Core team notified',
        measure: 'escalation',
        withinMinutes: 15,
        objective: null,
      },
    ],
    ...overrides,
  };
}

export function setup(overrides: Partial<ExerciseSetup> = {}): ExerciseSetup {
  return {
    title: 'Spring exercise',
    date: '2026-03-20',
    moderator: 'ada',
    participants: ['ben', 'eli'],
    scope: 'The front end only.',
    objectives: [{ key: 'obj-1', text: 'Escalate a stolen-funds alert' }],
    scenarios: [scenario()],
    ...overrides,
  };
}

export function exercise(overrides: Partial<Exercise> = {}): Exercise {
  return {
    id: 'EX-1',
    setup: setup(),
    status: 'planned',
    createdAt: '2026-03-01T10:00:00Z',
    startedAt: null,
    endedAt: null,
    current: null,
    runs: [],
    ratings: [],
    drivenFrom: null,
    findings: [],
    attachments: [],
    notes: '',
    ...overrides,
  };
}

export function view(overrides: Partial<Exercise> = {}): ExerciseView {
  return { exercise: exercise(overrides), readBacks: [], phases: [], now: '2026-03-04T14:00:00Z' };
}

export function summary(overrides: Partial<ExerciseSummary> = {}): ExerciseSummary {
  return {
    id: 'EX-1',
    title: 'Spring exercise',
    date: '2026-03-20',
    status: 'planned',
    scenarios: 1,
    moderator: 'ada',
    openFindings: 0,
    ...overrides,
  };
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'IMP-1',
    exercise: 'EX-1',
    scenario: 'sc-1',
    issue: "Ben's phone number is out of date",
    element: { section: 'coreTeam', key: 'ben' },
    correctiveAction: "Update Ben's phone number",
    owner: 'ada',
    due: '2026-03-10',
    createdAt: '2026-02-01T10:00:00Z',
    doneAt: null,
    ...overrides,
  };
}

export function readiness(overrides: Partial<Readiness> = {}): Readiness {
  return {
    asOf: '2026-03-04T14:00:00Z',
    exercisesLast12Months: 1,
    requiredPerYear: 2,
    lastExercise: '2025-11-02',
    nextDue: '2026-05-02',
    daysUntilDue: 59n,
    nextPlanned: null,
    neverExercised: [],
    stale: [],
    openItems: [],
    overdueItems: 0,
    trend: [],
    realIncidents: { last12Months: 3, open: 1, medianEscalationSeconds: 420n },
    ...overrides,
  };
}
