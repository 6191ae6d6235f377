import { describe, expect, it } from 'vitest';

import { localTime, zoneName } from '../kit/time';
import { fixtureIncident } from './fixture';
import { nextUpdateAt, unfilled, updateTemplate } from './templates';

const NOW = Date.parse('2026-03-04T13:00:00Z');

describe('update templates', () => {
  it('starts each audience from its own skeleton, the incident filled in', () => {
    const incident = fixtureIncident({ id: 'INC-3', title: 'Drained pool', severity: 'S1' });
    const next = nextUpdateAt({ kind: 'everyHours', hours: 1 }, NOW);
    expect(next).toBe('2026-03-04T14:00:00.000Z');
    const time = `${localTime(next ?? '').slice(11)} ${zoneName(new Date(next ?? ''))}`;
    const internal = updateTemplate('internal', incident, next);
    expect(internal.split('\n')[0]).toBe(`INC-3 Drained pool (S1, ${incident.phase}).`);
    expect(internal).toContain('Impact: [');
    expect(internal.endsWith(`Next update: ${time}.`)).toBe(true);
    // Users get no id, severity or phase: what is affected and what to do.
    const users = updateTemplate('users', incident, next);
    expect(users).not.toContain('INC-3');
    expect(users).not.toContain('S1');
    expect(users).toContain('What to do: [');
    expect(updateTemplate('responders', incident, undefined)).toContain('Next update: [when].');
  });

  it('knows a text still holding a template part', () => {
    const incident = fixtureIncident();
    for (const audience of ['internal', 'users', 'responders'] as const) {
      expect(unfilled(updateTemplate(audience, incident))).toBeDefined();
    }
    expect(unfilled('Pool paused; next update 15:00.')).toBeUndefined();
  });

  it('knows the next update only for a cadence', () => {
    expect(nextUpdateAt({ kind: 'everyMinutes', minutes: 30 }, NOW)).toBe(
      '2026-03-04T13:30:00.000Z',
    );
    expect(nextUpdateAt({ kind: 'untilCompletion' }, NOW)).toBeUndefined();
    expect(nextUpdateAt(undefined, NOW)).toBeUndefined();
  });
});
