import { describe, expect, it } from 'vitest';

import type { ResponseFigures } from '../api';
import { median, trend } from './figures';

function f(n: number, toResolve: number | null): ResponseFigures {
  return {
    id: `INC-${n}`,
    title: `Incident ${n}`,
    severity: 'S2',
    declaredAt: '2026-03-01T10:00:00Z',
    toNotify: 5,
    toMitigate: null,
    toResolve,
  };
}

describe('incident figures', () => {
  it('takes the median of the figures known', () => {
    expect(median([f(1, 30), f(2, null), f(3, 90), f(4, 60)], 'toResolve')).toBe(60);
    expect(median([f(1, 30), f(2, 90)], 'toResolve')).toBe(60);
    expect(median([f(1, null)], 'toResolve')).toBeNull();
    expect(median([], 'toMitigate')).toBeNull();
  });

  it('compares the latest five with the five before, when there are both', () => {
    const newestFirst = [10, 20, 30, 40, 50, 100, 110, 120, 130, 140].map((m, i) => f(10 - i, m));
    expect(trend(newestFirst, 'toResolve')).toEqual({ recent: 30, before: 120 });
    expect(trend(newestFirst.slice(0, 5), 'toResolve')).toBeNull();
  });
});
