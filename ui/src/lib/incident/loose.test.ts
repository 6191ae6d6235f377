import { describe, expect, it } from 'vitest';

import { decision } from '../decisions/fixture';
import { fixtureIncident } from './fixture';
import { looseEnds, looseEndsText } from './loose';

describe('looseEnds', () => {
  it('names the decisions of this incident still pending, and the post-mortems not published', () => {
    const mine = decision();
    const incident = fixtureIncident({ id: mine.request.incident, publications: [] });
    const other = decision({ request: { incident: 'INC-99' } });
    const ends = looseEnds(incident, [mine, other]);
    expect(ends.pending).toEqual([`${mine.request.policyTitle} (${mine.request.id})`]);
    expect(ends.unpublished).toEqual(['internal', 'public']);
    expect(looseEndsText(ends, true)).toBe(
      `${mine.request.policyTitle} (${mine.request.id}) is still pending: not approved. Closing closes it unapproved, on the record. The internal and public post-mortems are not published.`,
    );
    // Resolving leaves the decision open, and says nothing of post-mortems: they are written after.
    expect(looseEndsText(ends, false)).toBe(
      `${mine.request.policyTitle} (${mine.request.id}) is still pending: not approved, and it stays so.`,
    );
    const two = looseEnds(incident, [mine, decision({ request: { id: 'DEC-2' } })]);
    expect(looseEndsText(two, true)).toContain(
      'are still pending: not approved. Closing closes them unapproved, on the record.',
    );
  });

  it('says nothing when nothing is left open', () => {
    const incident = fixtureIncident({
      publications: [
        { audience: 'internalPostMortem', rule: null, at: '2026-03-05T10:00:00Z', by: 'Ada' },
        { audience: 'publicPostMortem', rule: null, at: '2026-03-05T10:00:00Z', by: 'Ada' },
      ],
    });
    expect(looseEndsText(looseEnds(incident, []), true)).toBe('');
  });
});
