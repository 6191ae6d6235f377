import { describe, expect, it } from 'vitest';

import { DEFAULT_TIMEOUT, blankRow, moved, stepIds, toCommand, toRow, toSteps } from './steps';

describe('step rows', () => {
  const saved = toRow(
    {
      id: 'pause',
      action: 'Pause',
      how: '',
      tools: '',
      test: '',
      expectedMinutes: 5,
      decision: 'pause',
    },
    1,
  );

  it('gives new steps ids from their action, unique within the procedure', () => {
    const a = blankRow(2);
    a.step.action = 'Pause';
    const b = blankRow(3);
    b.step.action = 'Pause';
    const c = blankRow(4);
    expect(stepIds([saved, a, b, c])).toEqual(['pause', 'pause-2', 'pause-3', 'step']);
  });

  it('turns rows back into steps', () => {
    const extra = blankRow(2);
    extra.step.action = 'Check it';
    expect(toSteps([saved, extra])).toEqual([
      {
        id: 'pause',
        action: 'Pause',
        how: '',
        tools: '',
        test: '',
        expectedMinutes: 5,
        decision: 'pause',
      },
      {
        id: 'check-it',
        action: 'Check it',
        how: '',
        tools: '',
        test: '',
        expectedMinutes: null,
        decision: null,
      },
    ]);
  });

  it('moves rows', () => {
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
});

describe('a step command in the form', () => {
  const step = {
    id: 'pause',
    action: 'Pause the pool',
    how: '',
    tools: '',
    test: '',
    expectedMinutes: null,
    decision: null,
    command: {
      argv: ['scripts/pause.sh', '--pool', 'main pool', ''],
      dir: '/srv/ops',
      timeoutSeconds: 90,
      env: ['RPC_URL', 'SAFE_ADDRESS'],
    },
  };

  it('comes back exactly as it was when the form leaves it alone', () => {
    const marked = { ...step, automatable: true };
    expect(toSteps([toRow(marked, 1)])).toEqual([marked]);
    const row = toRow(step, 1);
    expect(row.step.run).toEqual({
      line: "scripts/pause.sh --pool 'main pool' ''",
      dir: '/srv/ops',
      timeout: 90,
      env: 'RPC_URL, SAFE_ADDRESS',
    });
    expect(toSteps([row])).toEqual([step]);
  });

  it('is left out when its line is empty, and gets the default time limit when none is given', () => {
    const row = toRow(step, 1);
    row.step.run = { line: '  ', dir: 'x', timeout: 5, env: 'A' };
    expect(toSteps([row])[0]).not.toHaveProperty('command');
    row.step.run = { line: 'true', dir: '', timeout: null, env: 'A B,C' };
    expect(toSteps([row])[0]?.command).toEqual({
      argv: ['true'],
      dir: '',
      timeoutSeconds: DEFAULT_TIMEOUT,
      env: ['A', 'B', 'C'],
    });
  });

  it('says why a line cannot be sent', () => {
    expect(toCommand({ line: "run 'open", dir: '', timeout: null, env: '' })).toEqual({
      error: 'The command cannot be read: a single quote is not closed.',
    });
  });
});
