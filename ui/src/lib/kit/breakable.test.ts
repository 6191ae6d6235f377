import { describe, expect, it } from 'vitest';
import { breakPoints } from './breakable';

describe('breakPoints', () => {
  it('breaks after dots and @, keeping every character', () => {
    expect(breakPoints('incident@brightline.example.org')).toEqual([
      'incident@',
      'brightline.',
      'example.',
      'org',
    ]);
  });

  it('keeps a text with no break point whole', () => {
    expect(breakPoints('Ada')).toEqual(['Ada']);
    expect(breakPoints('')).toEqual(['']);
  });

  it('joins back to the text, whatever it holds', () => {
    for (const text of [
      '@eli',
      'a..b',
      'x@example.com?bcc=y',
      '-_-',
      'https://a.b/c-d_e',
      '‮evil.txt',
    ]) {
      expect(breakPoints(text).join('')).toBe(text);
    }
  });
});
