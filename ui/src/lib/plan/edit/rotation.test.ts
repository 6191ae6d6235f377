import { describe, expect, it } from 'vitest';

import type { OnCallRotation } from '../../api';
import { browserTimeZone, localInputToUtc } from '../../kit/dates';
import { rotationDraft, rotationFromDraft } from './rotation';

describe('rotation drafts', () => {
  it('starts a new rotation with every owner, this week, in the browser time zone', () => {
    const draft = rotationDraft(undefined, ['ada', 'chloe'], new Date(2026, 0, 5, 12));
    expect(draft).toEqual({
      members: ['ada', 'chloe'],
      handoverDay: 'monday',
      handoverTime: '09:00',
      timeZone: browserTimeZone(),
      startsOn: '2026-01-05',
      overrides: [],
    });
    expect(rotationFromDraft('hack', draft).handoverTime).toBe('09:00:00');
  });

  it('round-trips a stored rotation, overrides in UTC', () => {
    const from = localInputToUtc('2026-02-01T09:00') ?? '';
    const until = localInputToUtc('2026-02-03T18:30') ?? '';
    const stored: OnCallRotation = {
      category: 'hack',
      members: ['chloe', 'ada'],
      handoverDay: 'friday',
      handoverTime: '17:00:00',
      timeZone: 'Europe/Berlin',
      startsOn: '2026-01-02',
      overrides: [{ member: 'ada', from, until, note: 'Swap' }],
    };
    const draft = rotationDraft(stored, ['ada', 'chloe']);
    expect(draft.handoverTime).toBe('17:00');
    expect(draft.overrides[0]).toEqual({
      member: 'ada',
      from: '2026-02-01 09:00',
      until: '2026-02-03 18:30',
      note: 'Swap',
    });
    expect(rotationFromDraft('hack', draft)).toEqual(stored);
  });
});
