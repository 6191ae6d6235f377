import { describe, expect, it } from 'vitest';

import { attestInstant, unsendableAttestation, type AttestForm } from './attest';
import { approver, DEC, decision } from './fixture';
import { expiryText, latestFor, ordered, stillNeeded, waitsFor } from './quorum';
import { unsendableRequest } from './request';

const NOW = Date.parse('2026-03-04T14:00:00Z');

describe('waitsFor', () => {
  const check = (status: ReturnType<typeof decision>, contact: string | null, expected: boolean) =>
    expect(waitsFor(status, contact, NOW)).toBe(expected);

  it('is true for a required approver who has not answered a pending decision', () => {
    check(decision(), 'ben', true);
    check(decision(), 'ada', false);
    check(decision(), null, false);
    check(decision(), 'zed', false);
    check(decision({ state: 'approved' }), 'ben', false);
    check(decision({ request: { expires: '2026-03-04T14:00:00Z' } }), 'ben', false);
  });

  it('counts the additional pool only while more of it are needed', () => {
    check(decision(), 'chloe', false);
    check(decision({ additionalMissing: 1 }), 'chloe', true);
  });

  it('leaves out what was signed here for another computer', () => {
    expect(waitsFor(decision(), 'ben', NOW, new Set([DEC]))).toBe(false);
  });
});

describe('stillNeeded', () => {
  it('names the required approvers missing, then how many more of the pool', () => {
    expect(stillNeeded(decision())).toEqual(['Ben Sample']);
    expect(
      stillNeeded(
        decision({
          approvers: [approver('ada', 'signed'), approver('chloe', 'waiting', false)],
          waitingFor: [],
          additionalMissing: 1,
        }),
      ),
    ).toEqual(['1 more of: Chloe Demo']);
    expect(stillNeeded(decision({ state: 'rejected' }))).toEqual([]);
  });
});

describe('latestFor', () => {
  it('finds the newest decision requested here on an incident under a policy', () => {
    const old = decision({ request: { id: 'DEC-old', created: '2026-03-04T13:00:00Z' } });
    const newer = decision({ request: { id: 'DEC-new', created: '2026-03-04T13:50:00Z' } });
    const imported = decision({
      request: { id: 'DEC-imp', created: '2026-03-04T13:55:00Z', local: false },
    });
    const other = decision({ request: { id: 'DEC-oth', incident: 'INC-4' } });
    expect(latestFor([old, newer, imported, other], 'INC-3', 'pause')?.request.id).toBe('DEC-new');
    expect(latestFor([old, newer], 'INC-3', 'upgrade')).toBeUndefined();
  });
});

describe('expiryText', () => {
  it('counts down, then says how long ago', () => {
    expect(expiryText('2026-03-04T17:30:00Z', NOW)).toBe('expires in 3 h 30 min');
    expect(expiryText('2026-03-04T14:04:30Z', NOW)).toBe('expires in 4 min 30 s');
    expect(expiryText('2026-03-04T13:20:00Z', NOW)).toBe('expired 40 min ago');
  });
});

describe('ordered', () => {
  it('puts open decisions first, soonest to expire on top, then the settled, newest first', () => {
    const a = decision({ request: { id: 'a', expires: '2026-03-04T18:00:00Z' } });
    const b = decision({ request: { id: 'b', expires: '2026-03-04T15:00:00Z' } });
    const c = decision({ request: { id: 'c', created: '2026-03-04T10:00:00Z' }, state: 'expired' });
    const d = decision({
      request: { id: 'd', created: '2026-03-04T12:00:00Z' },
      state: 'approved',
    });
    const { open, settled } = ordered([a, b, c, d]);
    expect(open.map((s) => s.request.id)).toEqual(['b', 'a']);
    expect(settled.map((s) => s.request.id)).toEqual(['d', 'c']);
  });
});

describe('unsendableAttestation', () => {
  const window = { created: '2026-03-04T13:30:20Z', expires: '2026-03-04T17:30:00Z' };
  const local = (iso: string) => {
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const form = (over: Partial<AttestForm> = {}): AttestForm => ({
    approver: 'ben',
    channel: 'phone',
    at: local('2026-03-04T13:45:00Z'),
    witness: 'ada',
    ...over,
  });

  it('sends anything of the right shape: the rules are core’s', () => {
    expect(unsendableAttestation(form())).toEqual({});
    // A blank channel or a witness who is the approver is for core to say.
    expect(unsendableAttestation(form({ channel: ' ', witness: 'ben' }))).toEqual({});
  });

  it('keeps back only what cannot be sent: nobody chosen, a time that is not a time', () => {
    expect(unsendableAttestation({ approver: '', channel: ' ', at: '', witness: '' })).toEqual({
      approver: 'Choose who approved.',
      at: 'Give the date and time they approved, as YYYY-MM-DD HH:MM.',
      witness: 'Name who heard the approval given.',
    });
  });

  it('sends the request’s own instant for a time in its minute', () => {
    expect(attestInstant(local('2026-03-04T13:30:00Z'), window.created)).toBe(window.created);
    expect(attestInstant(local('2026-03-04T13:45:00Z'), window.created)).toBe(
      '2026-03-04T13:45:00Z',
    );
    expect(attestInstant('nonsense', window.created)).toBeUndefined();
  });
});

describe('unsendableRequest', () => {
  it('keeps back only an expiry that is not a whole number; the rest is core’s', () => {
    expect(unsendableRequest(240)).toEqual({});
    expect(unsendableRequest(0)).toEqual({});
    expect(unsendableRequest(43_201)).toEqual({});
    for (const minutes of [1.5, null, undefined]) {
      expect(unsendableRequest(minutes).minutes).toBe(
        'Give a whole number of minutes (240 is four hours).',
      );
    }
  });
});
