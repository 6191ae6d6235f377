import { describe, expect, it } from 'vitest';

import type { Problem } from '../../api';
import { fieldWords, mapProblems, stepKey } from './problems';

function problem(section: string, element: string, field: string, message: string): Problem {
  return { location: { section, element, field }, message };
}

describe('mapProblems', () => {
  it('puts each problem beside its field', () => {
    const mapped = mapProblems(
      [
        problem('issues', 'drain', 'title', 'must not be empty'),
        problem('issues', 'drain', 'category', 'no category has the id `x`'),
        problem('issues', 'drain', 'title', 'second message'),
      ],
      { sections: ['issues'], element: 'drain' },
      ['title', 'category', 'signal'],
    );
    expect(mapped).toEqual({
      fields: {
        title: ['must not be empty', 'second message'],
        category: ['no category has the id `x`'],
      },
      general: [],
    });
  });

  it('finds the step a problem is about', () => {
    const mapped = mapProblems(
      [
        problem('procedures', 'contain/pause', 'action', 'must not be empty'),
        problem('procedures', 'contain/pause', 'decision', 'no decision policy has the id `x`'),
        problem('procedures', 'contain/gone', 'action', 'must not be empty'),
        problem('procedures', 'contain', 'title', 'must not be empty'),
      ],
      { sections: ['procedures'], element: 'contain' },
      ['title', stepKey('pause', 'action'), stepKey('pause', 'decision')],
    );
    expect(mapped.fields).toEqual({
      [stepKey('pause', 'action')]: ['must not be empty'],
      [stepKey('pause', 'decision')]: ['no decision policy has the id `x`'],
      title: ['must not be empty'],
    });
    expect(mapped.general).toEqual(['Step “gone”, action: must not be empty']);
  });

  it('keeps problems that match no field for the summary', () => {
    const mapped = mapProblems(
      [
        problem('decisions', 'pause', 'additionalNeeded', 'asks for 3 but lists 2'),
        problem('communications', 'users', 'responsible', 'no contact has the id `x`'),
        problem('exercise policy', '', 'sessionHours', '0 is out of range 1 to 24'),
      ],
      { sections: ['decisions'], element: 'pause' },
      ['title'],
    );
    expect(mapped.fields).toEqual({});
    expect(mapped.general).toEqual([
      'Additional needed: asks for 3 but lists 2',
      'Communications “users”, responsible: no contact has the id `x`',
      'Exercise policy, sessionHours: 0 is out of range 1 to 24',
    ]);
  });

  it('matches whole-plan parts and either team', () => {
    expect(
      mapProblems(
        [problem('exercise policy', '', 'sessionHours', '0 is out of range 1 to 24')],
        { sections: ['exercise policy'], element: '' },
        ['sessionHours'],
      ).fields,
    ).toEqual({ sessionHours: ['0 is out of range 1 to 24'] });
    expect(
      mapProblems(
        [problem('extended team', 'ada', 'id', '`ada` is used twice')],
        { sections: ['core team', 'extended team'], element: 'ada' },
        ['id', 'name'],
      ).fields,
    ).toEqual({ id: ['`ada` is used twice'] });
  });
});

describe('fieldWords', () => {
  it('turns camelCase into words', () => {
    expect(fieldWords('additionalNeeded')).toBe('Additional needed');
    expect(fieldWords('timeZone')).toBe('Time zone');
    expect(fieldWords('title')).toBe('Title');
  });
});
