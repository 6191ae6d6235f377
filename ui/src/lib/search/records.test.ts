import { describe, expect, it } from 'vitest';

import { decision } from '../decisions/fixture';
import { summary } from '../incident/fixture';
import { matchRecords } from './records';

const records = {
  incidents: [
    summary({ id: 'INC-3', title: 'Drained pool', severity: 'S1', phase: 'mitigated' }),
    summary({ id: 'INC-13', title: 'Oracle failure', severity: 'S2' }),
  ],
  decisions: [decision()],
  exercises: [
    {
      id: 'EX-2',
      title: 'Spring exercise: drained pool',
      date: '2026-04-01',
      status: 'ended' as const,
      scenarios: 2,
      moderator: 'ada',
      openFindings: 1,
    },
  ],
};

describe('matchRecords', () => {
  it('finds incidents, decisions and exercises by title, every word typed', () => {
    const hits = matchRecords('drained pool', records);
    expect(hits.map((h) => [h.kind, h.id])).toEqual([
      ['incident', 'INC-3'],
      ['exercise', 'EX-2'],
    ]);
    expect(hits[0]?.href).toBe('#/incidents/INC-3');
    expect(hits[1]?.href).toBe('#/exercises/EX-2');
  });

  it('puts an id typed whole first, then what refers to it', () => {
    // The decision asked on INC-3 follows the incident.
    expect(matchRecords('inc-3', records).map((h) => h.id)).toEqual([
      'INC-3',
      decision().request.id,
    ]);
    expect(matchRecords('INC-13', records)[0]?.id).toBe('INC-13');
  });

  it('finds a decision by its statement or id and opens it in the log', () => {
    const d = decision();
    const words = d.request.statement.split(' ').slice(0, 2).join(' ');
    const hit = matchRecords(words, records).find((h) => h.kind === 'decision');
    expect(hit?.id).toBe(d.request.id);
    expect(hit?.href).toBe(`#/decisions-log/${d.request.id}`);
  });

  it('finds nothing for nothing typed, or a word no record has', () => {
    expect(matchRecords('  ', records)).toEqual([]);
    expect(matchRecords('zebra', records)).toEqual([]);
    expect(matchRecords('pool', {})).toEqual([]);
  });
});
