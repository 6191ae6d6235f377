import { describe, expect, it } from 'vitest';

import {
  SECTIONS,
  decisionHref,
  issueHref,
  pageForShortcut,
  pageHref,
  pageOf,
  parseHash,
  procedureHref,
  type Route,
} from './routes';

describe('parseHash', () => {
  const cases: [string, Route][] = [
    ['', { page: 'overview' }],
    ['#', { page: 'overview' }],
    ['#/', { page: 'overview' }],
    ['#/issues', { page: 'issues' }],
    ['#/issues/', { page: 'issues' }],
    ['#/issues/stolen-user-funds', { page: 'issue', id: 'stolen-user-funds' }],
    ['#/procedures', { page: 'procedures' }],
    ['#/procedures/contain-exploit', { page: 'procedure', id: 'contain-exploit' }],
    ['#/escalation', { page: 'escalation' }],
    ['#/core-team', { page: 'core-team' }],
    ['#/extended-team', { page: 'extended-team' }],
    ['#/communications', { page: 'communications' }],
    ['#/decisions', { page: 'decisions' }],
    ['#/decisions/pause-contract', { page: 'decisions', focus: 'pause-contract' }],
    ['#/nowhere', { page: 'overview' }],
    ['#/escalation/x', { page: 'overview' }],
    ['#/issues/a/b', { page: 'overview' }],
    ['#/issues/%E0%A4%A', { page: 'issue', id: '%E0%A4%A' }],
  ];
  for (const [hash, expected] of cases) {
    it(`reads ${JSON.stringify(hash)}`, () => {
      expect(parseHash(hash)).toEqual(expected);
    });
  }

  it('reads back every href it builds', () => {
    expect(parseHash(issueHref('dns-hijack'))).toEqual({ page: 'issue', id: 'dns-hijack' });
    expect(parseHash(procedureHref('fail-over-rpc'))).toEqual({
      page: 'procedure',
      id: 'fail-over-rpc',
    });
    expect(parseHash(decisionHref('upgrade-contract'))).toEqual({
      page: 'decisions',
      focus: 'upgrade-contract',
    });
    for (const s of SECTIONS) {
      expect(pageOf(parseHash(pageHref(s.key)))).toBe(s.key);
    }
    expect(parseHash(pageHref('overview'))).toEqual({ page: 'overview' });
  });
});

describe('pageOf', () => {
  it('puts detail pages under their section', () => {
    expect(pageOf({ page: 'issue', id: 'x' })).toBe('issues');
    expect(pageOf({ page: 'procedure', id: 'x' })).toBe('procedures');
    expect(pageOf({ page: 'decisions', focus: 'x' })).toBe('decisions');
  });
});

describe('pageForShortcut', () => {
  it('maps 0 to the overview and 1..7 to the numbered sections', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(pageForShortcut)).toEqual([
      'overview',
      'issues',
      'procedures',
      'escalation',
      'core-team',
      'extended-team',
      'communications',
      'decisions',
      undefined,
      undefined,
    ]);
  });
});
