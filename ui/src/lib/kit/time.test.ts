import { describe, expect, it } from 'vitest';

import { ago, dueText, duration, elapsed, isOverdue, localTime, whenZoned, zoneName } from './time';

const at = (hhmmss: string) => new Date(`2026-03-04T${hhmmss}Z`).getTime();

describe('time', () => {
  it('says lengths of time the way people read them', () => {
    const cases: [number, string][] = [
      [0, '0 s'],
      [40_000, '40 s'],
      [4 * 60_000 + 5_000, '4 min 05 s'],
      [12 * 60_000 + 30_000, '12 min'],
      [2 * 3_600_000 + 5 * 60_000, '2 h 05 min'],
      [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
      [2 * 86_400_000, '2 d'],
    ];
    for (const [ms, text] of cases) {
      expect(duration(ms), String(ms)).toBe(text);
    }
    expect(duration(30_000, false)).toBe('under a minute');
  });

  it('counts down, then says how overdue', () => {
    const now = at('14:00:00');
    expect(dueText('2026-03-04T14:12:00Z', now)).toBe('due in 12 min');
    expect(dueText('2026-03-04T14:03:20Z', now)).toBe('due in 3 min 20 s');
    expect(dueText('2026-03-04T13:59:30Z', now)).toBe('due now');
    expect(dueText('2026-03-04T13:48:00Z', now)).toBe('overdue by 12 min');
    expect(isOverdue('2026-03-04T13:59:30Z', now)).toBe(false);
    expect(isOverdue('2026-03-04T13:59:00Z', now)).toBe(true);
    expect(elapsed('2026-03-04T12:55:00Z', now)).toBe('1 h 05 min');
  });

  it('says how long ago, and a time ahead of this clock as a time', () => {
    const now = at('14:00:00');
    expect(ago('2026-03-04T13:59:40Z', now)).toBe('under a minute ago');
    expect(ago('2026-03-04T14:00:30Z', now)).toBe('under a minute ago');
    expect(ago('2026-03-04T13:48:00Z', now)).toBe('12 min ago');
    expect(ago('2026-03-02T12:00:00Z', now)).toBe('2 d 2 h ago');
    expect(ago('2026-03-04T14:05:00Z', now)).toBe(localTime('2026-03-04T14:05:00Z'));
    expect(ago('not a time', now)).toBe('not a time');
  });
});

describe('localTime', () => {
  it('shows a UTC instant in local time, and other text as given', () => {
    const iso = '2026-03-04T14:05:00Z';
    const local = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(localTime(iso)).toBe(
      `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}`,
    );
    expect(localTime('not a time')).toBe('not a time');
  });
});

describe('the zone named', () => {
  it('names the local zone after a local time', () => {
    const zone = zoneName(new Date('2026-03-04T13:05:00Z'));
    expect(zone.length).toBeGreaterThan(0);
    expect(whenZoned('2026-03-04T13:05:00Z')).toBe(`${localTime('2026-03-04T13:05:00Z')} ${zone}`);
    expect(whenZoned('not a time')).toBe('not a time');
  });
});
