import { describe, expect, it } from 'vitest';

import { summary } from '../incident/fixture';
import { launchedOnNoPage, openOnStart } from './start';

describe('openOnStart', () => {
  it('opens on the most severe open real incident, the latest first among equals', () => {
    const list = [
      summary({ id: 'INC-1', severity: 'S2', declaredAt: '2026-03-04T10:00:00Z' }),
      summary({ id: 'INC-2', severity: 'S1', declaredAt: '2026-03-04T09:00:00Z' }),
      summary({ id: 'INC-3', severity: 'S1', declaredAt: '2026-03-04T11:00:00Z' }),
    ];
    expect(openOnStart(list)?.id).toBe('INC-3');
  });

  it('stays on the page asked for with nothing urgent open', () => {
    expect(openOnStart([])).toBeUndefined();
    expect(
      openOnStart([
        summary({ id: 'INC-1', severity: 'S3' }),
        summary({ id: 'INC-2', severity: 'S1', phase: 'resolved' }),
        summary({ id: 'INC-3', severity: 'S1', exercise: true }),
      ]),
    ).toBeUndefined();
  });

  it('knows a launch that asked for no page', () => {
    expect(launchedOnNoPage('')).toBe(true);
    expect(launchedOnNoPage('#/')).toBe(true);
    expect(launchedOnNoPage('#/issues')).toBe(false);
  });
});
