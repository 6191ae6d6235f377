import { describe, expect, it } from 'vitest';

import type { Gap, GapKind, GapLevel, Section } from '../api';
import { badgeFor, gapHref, gapTag, groupGaps } from './gaps';
import { localDate } from '../kit/dates';

function gap(level: GapLevel, section: Section, element: string, kind: GapKind = 'invalid'): Gap {
  return { kind, level, section, element, message: `${section} ${element}` };
}

describe('gapHref', () => {
  const cases: [Section, string, string][] = [
    ['issues', 'drain', '#/issues/drain'],
    ['procedures', 'contain', '#/procedures/contain'],
    ['procedures', 'contain/pause', '#/procedures/contain'],
    ['escalation', 'ops', '#/escalation'],
    ['onCall', 'hack', '#/escalation'],
    ['coreTeam', 'ben', '#/core-team/ben'],
    ['extendedTeam', 'metro', '#/extended-team/metro'],
    ['communications', 'public-pm', '#/communications'],
    ['decisions', 'police', '#/decisions/police'],
    ['categories', 'ops', '#/issues'],
    ['meta', '', '#/'],
    ['exercisePolicy', '', '#/'],
  ];
  for (const [section, element, href] of cases) {
    it(`links a gap in ${section} ${JSON.stringify(element)} to ${href}`, () => {
      expect(gapHref(gap('problem', section, element))).toBe(href);
    });
  }
});

describe('open improvement items', () => {
  it('link to the element they concern, else to the readiness dashboard', () => {
    expect(gapHref(gap('warning', 'coreTeam', 'ben', 'improvementOpen'))).toBe('#/core-team/ben');
    expect(gapHref(gap('problem', 'procedures', 'contain/pause', 'improvementOpen'))).toBe(
      '#/procedures/contain',
    );
    expect(gapHref(gap('warning', 'exercisePolicy', '', 'improvementOpen'))).toBe('#/readiness');
  });

  it('are tagged as improvement items; other gaps are not tagged', () => {
    expect(gapTag(gap('warning', 'coreTeam', 'ben', 'improvementOpen'))).toBe('Improvement item');
    expect(gapTag(gap('warning', 'coreTeam', 'ben', 'contactNotVerified'))).toBeUndefined();
    expect(gapTag(gap('problem', 'issues', 'oracle-failure', 'conflict'))).toBe(
      'Changed on two laptops',
    );
  });
});

describe('groupGaps and badgeFor', () => {
  const p1 = gap('problem', 'issues', 'drain', 'issueWithoutProcedure');
  const w1 = gap('warning', 'coreTeam', 'ben', 'contactNotVerified');
  const p2 = gap('problem', 'decisions', 'police', 'approverOnNoTeam');
  const w2 = gap('warning', 'issues', 'gas', 'issueWithoutDetection');
  const s1 = gap('suggestion', 'issues', 'oracle', 'alertRuleMissing');

  it('puts problems first, suggestions last, and keeps the backend order within a group', () => {
    const groups = groupGaps([s1, w2, p1, w1, p2]);
    expect(groups.map((g) => [g.level, g.title, g.gaps])).toEqual([
      ['problem', 'Problems', [p1, p2]],
      ['warning', 'Warnings', [w2, w1]],
      ['suggestion', 'Suggestions', [s1]],
    ]);
  });

  it('counts problems, else warnings, else nothing: a suggestion raises no badge', () => {
    expect(badgeFor([w1, p1, w2, p2, s1])).toEqual({ level: 'problem', count: 2 });
    expect(badgeFor([w1, w2, s1])).toEqual({ level: 'warning', count: 2 });
    expect(badgeFor([s1])).toBeUndefined();
    expect(badgeFor([])).toBeUndefined();
  });
});

describe('localDate', () => {
  it('is the local calendar date, zero-padded', () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localDate(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31');
  });
});
