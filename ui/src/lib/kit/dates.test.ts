import { describe, expect, it } from 'vitest';

import {
  isDate,
  isKnownTimeZone,
  localInputToUtc,
  timeForInput,
  timeFromInput,
  localDate,
  utcToLocalInput,
} from './dates';

describe('dates', () => {
  it('writes the local date', () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localDate(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31');
  });

  it('converts datetime-local values to UTC and back', () => {
    const local = new Date(2026, 2, 1, 9, 30);
    const utc = localInputToUtc('2026-03-01T09:30');
    expect(utc).toBe(local.toISOString().replace('.000Z', 'Z'));
    expect(utc?.endsWith('Z')).toBe(true);
    expect(utcToLocalInput(utc ?? '')).toBe('2026-03-01 09:30');
    expect(localInputToUtc('2026-03-01 09:30')).toBe(utc);
    expect(localInputToUtc(' 2026-03-01 9:30 ')).toBe(utc);
    expect(localInputToUtc('')).toBeUndefined();
    expect(localInputToUtc('yesterday')).toBeUndefined();
    expect(utcToLocalInput('not a date')).toBe('');
    // Not real: refused rather than rolled over into another day.
    expect(localInputToUtc('2026-02-30 09:00')).toBeUndefined();
    expect(localInputToUtc('2026-03-01 24:00')).toBeUndefined();
    expect(localInputToUtc('2026-03-01 09:60')).toBeUndefined();
    expect(localInputToUtc('03/01/2026 09:30')).toBeUndefined();
  });

  it('reads dates written YYYY-MM-DD, real ones only', () => {
    expect(isDate('2027-01-15')).toBe(true);
    expect(isDate(' 2028-02-29 ')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
    expect(isDate('2027-13-01')).toBe(false);
    expect(isDate('01/15/2027')).toBe(false);
    expect(isDate('2027-1-5')).toBe(false);
    expect(isDate('')).toBe(false);
  });

  it('converts hand-over times', () => {
    expect(timeForInput('09:00:00')).toBe('09:00');
    expect(timeFromInput('09:00')).toBe('09:00:00');
    expect(timeFromInput('09:00:30')).toBe('09:00:30');
    expect(timeFromInput('9:05')).toBe('09:05:00');
  });

  it('knows IANA time zones', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
