// A small exercise for the console's tests, on the test plan (`plan/fixture.ts`): EX-1 "Spring
// exercise" with two scenarios. `runningView()` has scenario 1 ("Drained pool") running since
// 13:50 UTC on 4 March 2026, its exercise incident INC-7; the tests' clock reads 14:00 (`NOW`).
import type {
  Exercise,
  ExerciseView,
  ParticipantView,
  ReadBack,
  Scenario,
  ScenarioRun,
} from '../../api';

export const NOW = '2026-03-04T14:00:00Z';
export const STARTED = '2026-03-04T13:50:00Z';

export function scenarios(): Scenario[] {
  return [
    {
      key: 'sc-1',
      title: 'Drained pool',
      issue: 'drain',
      category: null,
      situation: 'The outflow alert fires: 8% of the pool left in ten minutes.',
      injects: [
        { key: 'inj-1', title: 'Funds move to a mixer', text: 'The attacker moves 300 ETH.' },
        { key: 'inj-2', title: 'A journalist calls', text: 'She asks whether funds are safe.' },
      ],
      expected: [
        { key: 'exp-1', text: 'Open the war room', procedure: 'contain', step: 'war-room' },
        { key: 'exp-2', text: 'Pause the pool', procedure: 'contain', step: 'pause' },
        { key: 'exp-3', text: 'Tell the police', procedure: 'contain', step: 'police' },
      ],
      targets: [
        {
          key: 'tgt-1',
          label: 'Core team told',
          measure: 'escalation',
          withinMinutes: 15,
          objective: 'obj-1',
        },
        {
          key: 'tgt-2',
          label: 'Pool paused',
          measure: 'action',
          withinMinutes: 30,
          objective: 'obj-2',
        },
      ],
    },
    {
      key: 'sc-2',
      title: 'Gas spike',
      issue: 'gas',
      category: null,
      situation: 'Fees climb past 300 gwei.',
      injects: [{ key: 'inj-1', title: 'Users complain', text: 'Discord fills up.' }],
      expected: [{ key: 'exp-1', text: 'Watch the fees', procedure: 'wait', step: 'watch' }],
      targets: [],
    },
  ];
}

export function fixtureExercise(over: Partial<Exercise> = {}): Exercise {
  return {
    id: 'EX-1',
    setup: {
      title: 'Spring exercise',
      date: '2026-03-04',
      moderator: 'ada',
      participants: ['ben', 'chloe'],
      scope: 'The drained pool and a gas spike.',
      objectives: [
        { key: 'obj-1', text: 'Escalate within the plan’s times' },
        { key: 'obj-2', text: 'Approve a pause' },
      ],
      scenarios: scenarios(),
    },
    status: 'planned',
    createdAt: '2026-03-01T09:00:00Z',
    startedAt: null,
    endedAt: null,
    current: null,
    runs: [],
    ratings: [],
    drivenFrom: null,
    findings: [],
    attachments: [],
    notes: '',
    ...over,
  };
}

export function run(over: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    scenario: 'sc-1',
    incident: 'INC-7',
    startedAt: STARTED,
    endedAt: null,
    revealedAt: null,
    injects: [],
    log: [],
    ...over,
  };
}

export function readBack(over: Partial<ReadBack> = {}): ReadBack {
  return {
    scenario: 'sc-1',
    title: 'Drained pool',
    incident: 'INC-7',
    startedAt: STARTED,
    endedAt: null,
    expected: [
      {
        key: 'exp-1',
        text: 'Open the war room',
        status: 'missed',
        takenAt: null,
        offsetSeconds: null,
      },
      {
        key: 'exp-2',
        text: 'Pause the pool',
        status: 'missed',
        takenAt: null,
        offsetSeconds: null,
      },
      {
        key: 'exp-3',
        text: 'Tell the police',
        status: 'missed',
        takenAt: null,
        offsetSeconds: null,
      },
    ],
    taken: [],
    missed: 3,
    outOfOrder: 0,
    extra: 0,
    measured: [],
    targets: [],
    ...over,
  };
}

export function fixtureView(
  over: Partial<Exercise> = {},
  view: Partial<ExerciseView> = {},
): ExerciseView {
  return {
    exercise: fixtureExercise(over),
    readBacks: [],
    phases: [],
    now: NOW,
    ...view,
  };
}

/** Running, scenario 1 started ten minutes ago: nothing revealed, declared or logged yet. */
export function runningView(
  runOver: Partial<ScenarioRun> = {},
  readBackOver: Partial<ReadBack> = {},
): ExerciseView {
  return fixtureView(
    {
      status: 'running',
      startedAt: '2026-03-04T13:45:00Z',
      current: 'sc-1',
      runs: [run(runOver)],
    },
    {
      readBacks: [readBack(readBackOver)],
      phases: [{ incident: 'INC-7', phase: 'validated' }],
    },
  );
}

/** Both scenarios ran and the exercise ended: the read-backs are final. */
export function endedView(): ExerciseView {
  return fixtureView(
    {
      status: 'ended',
      startedAt: '2026-03-04T13:45:00Z',
      endedAt: '2026-03-04T15:00:00Z',
      current: null,
      runs: [
        run({ endedAt: '2026-03-04T14:20:00Z' }),
        run({
          scenario: 'sc-2',
          incident: 'INC-8',
          startedAt: '2026-03-04T14:30:00Z',
          endedAt: '2026-03-04T14:50:00Z',
        }),
      ],
    },
    {
      readBacks: [
        readBack({
          endedAt: '2026-03-04T14:20:00Z',
          expected: [
            {
              key: 'exp-1',
              text: 'Open the war room',
              status: 'done',
              takenAt: '2026-03-04T13:51:00Z',
              offsetSeconds: 60n,
            },
            {
              key: 'exp-2',
              text: 'Pause the pool',
              status: 'outOfOrder',
              takenAt: '2026-03-04T13:58:00Z',
              offsetSeconds: 480n,
            },
            {
              key: 'exp-3',
              text: 'Tell the police',
              status: 'done',
              takenAt: '2026-03-04T13:55:00Z',
              offsetSeconds: 300n,
            },
          ],
          taken: [
            {
              at: '2026-03-04T13:51:00Z',
              offsetSeconds: 60n,
              text: 'Opened the war room',
              kind: 'did',
              source: 'log',
              expected: 'exp-1',
              status: 'inOrder',
            },
            {
              at: '2026-03-04T13:55:00Z',
              offsetSeconds: 300n,
              text: 'Tell the police',
              kind: 'did',
              source: 'checklist',
              expected: 'exp-3',
              status: 'inOrder',
            },
            {
              at: '2026-03-04T13:58:00Z',
              offsetSeconds: 480n,
              text: 'Paused the pool',
              kind: 'did',
              source: 'log',
              expected: 'exp-2',
              status: 'outOfOrder',
            },
            {
              at: '2026-03-04T14:02:00Z',
              offsetSeconds: 720n,
              text: 'Called the auditors',
              kind: 'said',
              source: 'log',
              expected: null,
              status: 'extra',
            },
          ],
          missed: 0,
          outOfOrder: 1,
          extra: 1,
          measured: [
            { measure: 'escalation', seconds: 240n },
            { measure: 'decisionQuorum', seconds: 420n },
            { measure: 'action', seconds: 480n },
            { measure: 'mitigated', seconds: null },
            { measure: 'resolved', seconds: null },
          ],
          targets: [
            {
              target: 'tgt-1',
              label: 'Core team told',
              measure: 'escalation',
              withinMinutes: 15,
              measuredSeconds: 240n,
              met: true,
            },
            {
              target: 'tgt-2',
              label: 'Pool paused',
              measure: 'action',
              withinMinutes: 5,
              measuredSeconds: 480n,
              met: false,
            },
          ],
        }),
        readBack({
          scenario: 'sc-2',
          title: 'Gas spike',
          incident: 'INC-8',
          startedAt: '2026-03-04T14:30:00Z',
          endedAt: '2026-03-04T14:50:00Z',
          expected: [
            {
              key: 'exp-1',
              text: 'Watch the fees',
              status: 'missed',
              takenAt: null,
              offsetSeconds: null,
            },
          ],
          missed: 1,
        }),
      ],
      phases: [
        { incident: 'INC-7', phase: 'resolved' },
        { incident: 'INC-8', phase: 'detected' },
      ],
    },
  );
}

export function participantView(over: Partial<ParticipantView> = {}): ParticipantView {
  return {
    exercise: 'EX-1',
    title: 'Spring exercise',
    status: 'running',
    scenario: {
      number: 1,
      of: 2,
      title: 'Drained pool',
      incident: 'INC-7',
      startedAt: STARTED,
      endedAt: null,
      situation: 'The outflow alert fires: 8% of the pool left in ten minutes.',
      injects: [
        {
          title: 'Funds move to a mixer',
          text: 'The attacker moves 300 ETH.',
          at: '2026-03-04T13:52:00Z',
        },
        {
          title: 'A journalist calls',
          text: 'She asks whether funds are safe.',
          at: '2026-03-04T13:55:30Z',
        },
      ],
    },
    now: NOW,
    ...over,
  };
}
