import { describe, expect, it } from 'vitest';

import { launchMarks, markLaunch } from './launch';

describe('launch marks', () => {
  it('notes each mark once, as milliseconds since the epoch, oldest first', () => {
    markLaunch('script');
    markLaunch('plan');
    markLaunch('plan');
    const marks = launchMarks();
    const names = marks.map(([name]) => name);
    expect(names.filter((n) => n === 'plan')).toHaveLength(1);
    expect(names).toContain('navigation');
    expect(names.indexOf('script')).toBeLessThan(names.indexOf('plan'));
    for (const [, at] of marks) {
      expect(at).toBeGreaterThanOrEqual(performance.timeOrigin);
      expect(at).toBeLessThanOrEqual(Date.now() + 1);
    }
    const times = marks.map(([, at]) => at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
