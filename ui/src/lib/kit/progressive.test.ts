import { describe, expect, it } from 'vitest';

import { PAGE, Progressive, firstAcross } from './progressive.svelte';

describe('Progressive', () => {
  it('draws a page, more on demand, at least what a link needs, and all without an observer', () => {
    const list = new Progressive();
    expect(list.shown).toBe(PAGE);
    list.more();
    expect(list.shown).toBe(2 * PAGE);
    list.reveal(2 * PAGE + 1);
    expect(list.shown).toBe(3 * PAGE);
    list.reveal(5);
    expect(list.shown).toBe(3 * PAGE);
    // jsdom has no IntersectionObserver: the sentinel draws everything.
    expect(list.sentinel(document.createElement('li'))).toBeUndefined();
    expect(list.shown).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('firstAcross', () => {
  const groups = [
    { name: 'a', items: [1, 2, 3] },
    { name: 'b', items: [4, 5] },
    { name: 'c', items: [6] },
  ];
  const shown = (limit: number) => {
    const { groups: kept, cut } = firstAcross(groups, (g) => g.items, limit);
    return { kept: kept.map((g) => `${g.group.name}:${g.items.join('')}`), cut };
  };

  it('keeps the first items group by group and says when it cut', () => {
    expect(shown(4)).toEqual({ kept: ['a:123', 'b:4'], cut: true });
    expect(shown(3)).toEqual({ kept: ['a:123'], cut: true });
    expect(shown(6)).toEqual({ kept: ['a:123', 'b:45', 'c:6'], cut: false });
    expect(shown(100)).toEqual({ kept: ['a:123', 'b:45', 'c:6'], cut: false });
  });
});
