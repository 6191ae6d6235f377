import { describe, expect, it } from 'vitest';

import type { Finding } from '../../api';
import { fixturePlan } from '../../plan/fixture';
import {
  addDays,
  clockText,
  consoleKey,
  currentRun,
  declaredAt,
  elementLabel,
  elementOptions,
  emptyFindingForm,
  expectedNumber,
  fileName,
  findingDraft,
  findingForm,
  injectToDeclare,
  isOverdue,
  isWebLink,
  measuredRows,
  measuredText,
  metState,
  metWord,
  nextScenario,
  objectiveEvidence,
  offsetText,
  parseLogLine,
  scenarioNumber,
  scenarioStates,
  secondsBetween,
  sortFindings,
  takenExpected,
  unsendableFinding,
  withinText,
} from './console';
import { endedView, fixtureExercise, fixtureView, run, runningView, scenarios } from './fixture';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'IMP-1',
    exercise: 'EX-1',
    scenario: null,
    issue: 'Ben’s number is out of date',
    element: null,
    correctiveAction: 'Update it',
    owner: 'ben',
    due: '2026-04-01',
    createdAt: '2026-03-04T15:00:00Z',
    doneAt: null,
    ...over,
  };
}

describe('parseLogLine', () => {
  it('takes a plain line as it is, trimmed', () => {
    expect(parseLogLine('  Called the auditors ', 3, 'said')).toEqual({
      ok: true,
      text: 'Called the auditors',
      expected: null,
    });
  });

  it('links expected action N with "#N " and strips the prefix', () => {
    expect(parseLogLine('#2 Paused the pool', 3, 'did')).toEqual({
      ok: true,
      text: 'Paused the pool',
      expected: 2,
    });
    expect(parseLogLine('#3    Told the police', 3, 'said')).toEqual({
      ok: true,
      text: 'Told the police',
      expected: 3,
    });
  });

  it('refuses an N the scenario does not have, saying which there are', () => {
    expect(parseLogLine('#4 Something', 3, 'did')).toEqual({
      ok: false,
      error: 'There is no expected action #4: use #1 to #3.',
    });
    expect(parseLogLine('#0 Something', 3, 'did')).toMatchObject({ ok: false });
    expect(parseLogLine('#1 Something', 0, 'did')).toEqual({
      ok: false,
      error: 'There is no expected action #1: this scenario expects none.',
    });
  });

  it('refuses empty text, a bare #N and a note that claims an expected action', () => {
    expect(parseLogLine('   ', 3, 'said')).toEqual({
      ok: false,
      error: 'Type what was said or done, then Enter.',
    });
    expect(parseLogLine('#2', 3, 'did')).toMatchObject({ ok: false });
    expect(parseLogLine('#2 Paused', 3, 'note')).toMatchObject({ ok: false });
  });

  it('leaves "#" that is not a prefix alone', () => {
    expect(parseLogLine('#2nd attempt failed', 3, 'did')).toEqual({
      ok: true,
      text: '#2nd attempt failed',
      expected: null,
    });
    expect(parseLogLine('Called #ops', 3, 'said')).toMatchObject({ ok: true, expected: null });
  });

  it('refuses a line longer than the backend takes', () => {
    expect(parseLogLine('x'.repeat(500), 3, 'note')).toMatchObject({ ok: true });
    expect(parseLogLine('x'.repeat(501), 3, 'note')).toMatchObject({ ok: false });
  });
});

describe('clock and offsets', () => {
  it('counts mm:ss, then h:mm:ss past an hour', () => {
    expect(clockText(0)).toBe('00:00');
    expect(clockText(247)).toBe('04:07');
    expect(clockText(3599)).toBe('59:59');
    expect(clockText(3600)).toBe('1:00:00');
    expect(clockText(5025n)).toBe('1:23:45');
    expect(clockText(-5)).toBe('00:00');
    expect(clockText(null)).toBe('00:00');
    expect(offsetText(62)).toBe('+01:02');
  });

  it('measures whole seconds between times, never negative', () => {
    expect(secondsBetween('2026-03-04T13:50:00Z', '2026-03-04T13:52:30.900Z')).toBe(150);
    expect(secondsBetween('2026-03-04T13:50:00Z', Date.parse('2026-03-04T13:49:00Z'))).toBe(0);
    expect(secondsBetween('nonsense', '2026-03-04T13:49:00Z')).toBe(0);
  });
});

describe('scenarios', () => {
  it('knows the scenario running, or else the last one run', () => {
    expect(currentRun(fixtureExercise())).toBeUndefined();
    expect(currentRun(runningView().exercise)?.scenario).toBe('sc-1');
    expect(currentRun(endedView().exercise)?.scenario).toBe('sc-2');
  });

  it('says which scenario is next and how each stands', () => {
    const planned = fixtureExercise();
    expect(nextScenario(planned)?.key).toBe('sc-1');
    expect(scenarioStates(planned).map((s) => s.state)).toEqual(['next', 'waiting']);

    const running = runningView().exercise;
    expect(nextScenario(running)?.key).toBe('sc-2');
    expect(scenarioStates(running).map((s) => s.state)).toEqual(['running', 'next']);

    const between = fixtureExercise({
      status: 'running',
      runs: [run({ endedAt: '2026-03-04T14:10:00Z' })],
    });
    expect(scenarioStates(between).map((s) => s.state)).toEqual(['ran', 'next']);

    expect(nextScenario(endedView().exercise)).toBeUndefined();
    expect(scenarioNumber(running, 'sc-2')).toBe('Scenario 2 of 2');
  });

  it('counts an expected action taken once the read-back matched it', () => {
    expect([...takenExpected(endedView().readBacks[0])]).toEqual(['exp-1', 'exp-2', 'exp-3']);
    expect(takenExpected(endedView().readBacks[1]).size).toBe(0);
    expect(takenExpected(undefined).size).toBe(0);
  });

  it('knows when an inject was declared and which inject N can be declared now', () => {
    const [scenario, other] = scenarios();
    const declared = run({ injects: [{ inject: 'inj-1', at: '2026-03-04T13:53:10Z' }] });
    expect(declaredAt(declared, 'inj-1')).toBe('2026-03-04T13:53:10Z');
    expect(declaredAt(declared, 'inj-2')).toBeUndefined();
    expect(injectToDeclare(scenario!, declared, 2)).toEqual({ ok: true, inject: 'inj-2' });
    expect(injectToDeclare(scenario!, declared, 1)).toEqual({
      ok: false,
      error: 'Inject 1 (“Funds move to a mixer”) is already declared.',
    });
    expect(injectToDeclare(scenario!, declared, 5)).toEqual({
      ok: false,
      error: 'There is no inject 5: this scenario has 2.',
    });
    expect(injectToDeclare({ ...other!, injects: [] }, run(), 1)).toEqual({
      ok: false,
      error: 'There is no inject 1: this scenario has none.',
    });
  });

  it('numbers an expected action as the log links it', () => {
    const [scenario] = scenarios();
    expect(expectedNumber(scenario!, 'exp-2')).toBe(2);
    expect(expectedNumber(scenario!, 'gone')).toBeUndefined();
    expect(expectedNumber(scenario!, null)).toBeUndefined();
  });
});

describe('measured times', () => {
  it('words a measured time, a target and how it stands like the read-back', () => {
    expect(measuredText(240n, false)).toBe('+04:00');
    expect(measuredText(0, true)).toBe('+00:00');
    expect(measuredText(null, true)).toBe('not yet');
    expect(measuredText(null, false)).toBe('did not happen');
    expect(withinText(15)).toBe('≤ 15 min');
    expect([true, false, null, undefined].map(metState)).toEqual([
      'true',
      'false',
      'pending',
      'none',
    ]);
    expect((['true', 'false', 'pending', 'none'] as const).map(metWord)).toEqual([
      'Met',
      'Not met',
      'Pending',
      '',
    ]);
  });

  it('lists detection, escalation, quorum and action in order, beside their targets', () => {
    const rows = measuredRows(endedView().readBacks[0]!);
    expect(rows.map((r) => [r.measure, r.seconds, r.met])).toEqual([
      ['detection', 0, 'none'],
      ['escalation', 240, 'true'],
      ['decisionQuorum', 420, 'none'],
      ['action', 480, 'false'],
    ]);
    expect(rows[1]?.targets.map((t) => t.target)).toEqual(['tgt-1']);
    expect(rows[2]?.targets).toEqual([]);
    // Nothing measured and no targets: the first four rows all the same, never the phases.
    expect(measuredRows(endedView().readBacks[1]!).map((r) => [r.measure, r.seconds])).toEqual([
      ['detection', 0],
      ['escalation', null],
      ['decisionQuorum', null],
      ['action', null],
    ]);
  });

  it('adds mitigated and resolved when measured or targeted, plain numbers too', () => {
    // The backend's u64 fields arrive as plain numbers, whatever types.gen.ts says.
    const seconds = (n: number) => n as unknown as bigint;
    const rb = runningView(
      {},
      {
        measured: [
          { measure: 'action', seconds: seconds(300) },
          { measure: 'mitigated', seconds: seconds(900) },
          { measure: 'resolved', seconds: null },
        ],
        targets: [
          {
            target: 'tgt-1',
            label: 'Core team told',
            measure: 'escalation',
            withinMinutes: 15,
            measuredSeconds: null,
            met: null,
          },
          {
            target: 'tgt-3',
            label: 'Told quickly',
            measure: 'escalation',
            withinMinutes: 5,
            measuredSeconds: null,
            met: false,
          },
        ],
      },
    ).readBacks[0]!;
    const rows = measuredRows(rb);
    expect(rows.map((r) => [r.measure, r.seconds, r.met])).toEqual([
      ['detection', 0, 'none'],
      ['escalation', null, 'false'],
      ['decisionQuorum', null, 'none'],
      ['action', 300, 'none'],
      ['mitigated', 900, 'none'],
    ]);
    const targeted = measuredRows({
      ...rb,
      targets: [{ ...rb.targets[0]!, measure: 'resolved' }],
    });
    expect(targeted.map((r) => [r.measure, r.met]).slice(-2)).toEqual([
      ['mitigated', 'none'],
      ['resolved', 'pending'],
    ]);
  });

  it('finds the targets that evidence an objective, with their measured result', () => {
    const ended = endedView();
    expect(
      objectiveEvidence(ended, 'obj-1').map((e) => [e.target.key, e.met, e.result?.met]),
    ).toEqual([['tgt-1', 'true', true]]);
    expect(objectiveEvidence(ended, 'obj-2').map((e) => [e.target.key, e.met])).toEqual([
      ['tgt-2', 'false'],
    ]);
    expect(objectiveEvidence(ended, 'obj-9')).toEqual([]);

    // Before its scenario ran, a target is listed without a result, pending.
    const planned = objectiveEvidence(fixtureView(), 'obj-1');
    expect(planned.map((e) => [e.scenario.key, e.target.key, e.met, e.result, e.running])).toEqual([
      ['sc-1', 'tgt-1', 'pending', undefined, false],
    ]);
    const running = runningView(
      {},
      {
        targets: [
          {
            target: 'tgt-1',
            label: 'Core team told',
            measure: 'escalation',
            withinMinutes: 15,
            measuredSeconds: null,
            met: null,
          },
        ],
      },
    );
    expect(objectiveEvidence(running, 'obj-1').map((e) => [e.met, e.running])).toEqual([
      ['pending', true],
    ]);
  });
});

describe('consoleKey', () => {
  const press = (over: Partial<KeyboardEvent>) =>
    consoleKey({
      altKey: true,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      key: '',
      code: '',
      ...over,
    });

  it('reads Alt+S, Alt+D, Alt+N and Alt+1..9, by physical key first', () => {
    expect(press({ key: 's', code: 'KeyS' })).toEqual({ kind: 'said' });
    expect(press({ key: '∂', code: 'KeyD' })).toEqual({ kind: 'did' });
    expect(press({ key: 'n', code: '' })).toEqual({ kind: 'note' });
    expect(press({ key: '¡', code: 'Digit1' })).toEqual({ inject: 1 });
    expect(press({ key: '9', code: 'Numpad9' })).toEqual({ inject: 9 });
  });

  it('ignores everything else', () => {
    expect(press({ key: '0', code: 'Digit0' })).toBeUndefined();
    expect(press({ key: 'x', code: 'KeyX' })).toBeUndefined();
    expect(press({ key: 's', code: 'KeyS', altKey: false })).toBeUndefined();
    expect(press({ key: 's', code: 'KeyS', ctrlKey: true })).toBeUndefined();
    expect(press({ key: 'S', code: 'KeyS', shiftKey: true })).toBeUndefined();
  });
});

describe('findings', () => {
  const plan = fixturePlan();

  it('offers a section’s elements, a procedure’s steps as procedure/step', () => {
    expect(elementOptions(plan, 'coreTeam').map((o) => o.value)).toEqual(['ada', 'ben', 'chloe']);
    expect(elementOptions(plan, 'procedures').slice(0, 3)).toEqual([
      { value: 'contain', label: 'Contain the exploit' },
      { value: 'contain/war-room', label: 'Contain the exploit › step 1: Open the war room' },
      { value: 'contain/pause', label: 'Contain the exploit › step 2: Pause the pool' },
    ]);
    expect(elementOptions(plan, 'escalation')).toEqual([
      { value: 'hack', label: 'Hacker attack' },
      { value: 'net', label: 'Network problem' },
    ]);
    expect(elementOptions(plan, 'communications')[1]?.value).toBe('users');
    expect(elementOptions(plan, '')).toEqual([]);
    expect(elementLabel(plan, 'issues', 'drain')).toBe('Drained pool');
    expect(elementLabel(plan, 'issues', 'gone')).toBe('gone (no longer in the plan)');
  });

  it('defaults the due day to 30 days from today', () => {
    expect(addDays('2026-03-04', 30)).toBe('2026-04-03');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(emptyFindingForm('2026-03-04').due).toBe('2026-04-03');
  });

  it('leaves the rules to core, catches only what cannot be sent, and builds the draft', () => {
    const form = emptyFindingForm('2026-03-04');
    // Empty texts and no owner are core's to refuse: the form sends them.
    expect(unsendableFinding(form)).toEqual([]);
    expect(findingDraft(form)).toMatchObject({ issue: '', correctiveAction: '', owner: '' });
    form.due = '';
    form.section = 'coreTeam';
    expect(unsendableFinding(form).map((p) => p.field)).toEqual(['due', 'element']);
    form.due = '2026-04-03';
    form.issue = '  Ben’s number is out of date ';
    form.correctiveAction = 'Update it';
    form.owner = 'ada';
    expect(unsendableFinding(form).map((p) => p.field)).toEqual(['element']);
    form.element = 'ben';
    expect(unsendableFinding(form)).toEqual([]);
    expect(findingDraft(form)).toEqual({
      scenario: null,
      issue: 'Ben’s number is out of date',
      element: { section: 'coreTeam', key: 'ben' },
      correctiveAction: 'Update it',
      owner: 'ada',
      due: '2026-04-03',
    });
    form.section = '';
    form.scenario = 'sc-1';
    expect(findingDraft(form)).toMatchObject({ element: null, scenario: 'sc-1' });
    expect(findingForm(finding({ element: { section: 'issues', key: 'drain' } }))).toMatchObject({
      section: 'issues',
      element: 'drain',
      scenario: '',
    });
  });

  it('sorts open items by due day first, done ones after, and knows overdue', () => {
    const sorted = sortFindings([
      finding({ id: 'IMP-1', doneAt: '2026-03-05T10:00:00Z' }),
      finding({ id: 'IMP-2', due: '2026-05-01' }),
      finding({ id: 'IMP-3', due: '2026-03-01' }),
    ]);
    expect(sorted.map((f) => f.id)).toEqual(['IMP-3', 'IMP-2', 'IMP-1']);
    expect(isOverdue(finding({ due: '2026-03-01' }), '2026-03-04')).toBe(true);
    expect(isOverdue(finding({ due: '2026-03-04' }), '2026-03-04')).toBe(false);
    expect(isOverdue(finding({ due: '2026-03-01', doneAt: NOW_ISO }), '2026-03-04')).toBe(false);
  });
});

const NOW_ISO = '2026-03-04T14:00:00Z';

describe('attachments', () => {
  it('names a file by its last path part and takes only web links', () => {
    expect(fileName('/home/ada/Recordings/session.mp4')).toBe('session.mp4');
    expect(fileName('C:\\Users\\ada\\notes.txt')).toBe('notes.txt');
    expect(isWebLink('https://drive.example.com/x.mp4')).toBe(true);
    expect(isWebLink(' http://example.com ')).toBe(true);
    expect(isWebLink('file:///etc/passwd')).toBe(false);
    expect(isWebLink('javascript:alert(1)')).toBe(false);
  });
});
