import { describe, expect, it } from 'vitest';

import { blankRow, moved, stepIds, toRow, toSteps } from './steps';

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
