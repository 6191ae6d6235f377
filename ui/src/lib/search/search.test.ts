import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { SearchHit } from '../api';
import { DEBOUNCE_MS, LIMIT, LiveSearch } from './search.svelte';

function hit(title: string): SearchHit {
  return { section: 'issues', element: title.toLowerCase(), title, snippet: [] };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveSearch', () => {
  it('waits for typing to pause, then searches once for what is typed', async () => {
    const search = vi.fn().mockResolvedValue([hit('Gas spike')]);
    const live = new LiveSearch(search);
    live.set('g');
    live.set('ga');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS - 1);
    live.set('gas');
    expect(live.status).toBe('searching');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS - 1);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search.mock.calls).toEqual([['gas', LIMIT]]);
    expect(live.hits.map((h) => h.title)).toEqual(['Gas spike']);
    expect(live.status).toBe('done');
  });

  it('drops an answer to an older query', async () => {
    const answers: ((hits: SearchHit[]) => void)[] = [];
    const search = vi.fn(() => new Promise<SearchHit[]>((resolve) => answers.push(resolve)));
    const live = new LiveSearch(search);
    live.set('pa');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    live.set('pause');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(search.mock.calls).toEqual([
      ['pa', LIMIT],
      ['pause', LIMIT],
    ]);
    answers[1]?.([hit('Pause contract')]);
    await vi.advanceTimersByTimeAsync(0);
    answers[0]?.([hit('Patch'), hit('Pause contract')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(live.hits.map((h) => h.title)).toEqual(['Pause contract']);
  });

  it('clears at once when the query is emptied, and ignores what was under way', async () => {
    let answer: (hits: SearchHit[]) => void = () => {};
    const live = new LiveSearch(() => new Promise((resolve) => (answer = resolve)));
    live.set('gas');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    live.set('  ');
    answer([hit('Gas spike')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(live.hits).toEqual([]);
    expect(live.status).toBe('idle');
  });

  it('reports a failed search', async () => {
    const live = new LiveSearch(() => Promise.reject({ code: 'storage', message: 'disk full' }));
    live.set('gas');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(live.status).toBe('failed');
    expect(live.error).toBe('disk full');
  });
});
