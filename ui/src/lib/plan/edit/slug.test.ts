import { describe, expect, it } from 'vitest';

import { MAX_ID_LEN, slugify, uniqueId } from './slug';

/** The form of id core's `Id::parse` accepts (core itself judges; this only checks the slugs). */
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('slugify', () => {
  it('makes ids the backend accepts', () => {
    const cases: [string, string][] = [
      ['Drained pool', 'drained-pool'],
      ['  Gas   spike!! ', 'gas-spike'],
      ['Crème brûlée – 2FA reset', 'creme-brulee-2fa-reset'],
      ['--a--b--', 'a-b'],
      ['Ünïcödé', 'unicode'],
      ['日本語', ''],
      ['', ''],
    ];
    for (const [input, expected] of cases) {
      expect(slugify(input), input).toBe(expected);
      if (expected !== '') {
        expect(expected, input).toMatch(ID);
      }
    }
  });

  it('keeps within the length limit without a trailing hyphen', () => {
    const long = `${'a'.repeat(63)} b`;
    expect(slugify(long)).toBe('a'.repeat(63));
    const slug = slugify('word '.repeat(30));
    expect(slug.length).toBeLessThanOrEqual(MAX_ID_LEN);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('uniqueId', () => {
  it('adds a number when the id is taken', () => {
    expect(uniqueId('Drained pool', [])).toBe('drained-pool');
    expect(uniqueId('Drained pool', ['drained-pool'])).toBe('drained-pool-2');
    expect(uniqueId('Drained pool', ['drained-pool', 'drained-pool-2'])).toBe('drained-pool-3');
  });

  it('falls back when the title gives nothing', () => {
    expect(uniqueId('', [], 'step')).toBe('step');
    expect(uniqueId('!!!', ['step'], 'step')).toBe('step-2');
    expect(uniqueId('', [])).toBe('item');
  });

  it('shortens the base to fit the suffix', () => {
    const base = 'a'.repeat(MAX_ID_LEN);
    const id = uniqueId(base, [base]);
    expect(id).toBe(`${'a'.repeat(MAX_ID_LEN - 2)}-2`);
    expect(id).toMatch(ID);
  });
});
