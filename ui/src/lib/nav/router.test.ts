import { afterEach, describe, expect, it } from 'vitest';

import { navigate, router, startRouter } from './router.svelte';

afterEach(() => {
  window.history.replaceState(null, '', '#/');
});

describe('navigate', () => {
  it('changes the route at once and keeps the hash in step', async () => {
    const stop = startRouter();
    navigate('#/print');
    expect(router.route).toEqual({ page: 'print' });
    expect(window.location.hash).toBe('#/print');
    const before = router.route;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    // The hash change that follows names the same route: nothing changes.
    expect(router.route).toBe(before);
    navigate('#/core-team/ada');
    expect(router.route).toEqual({ page: 'core-team', contact: 'ada' });
    navigate('#/decisions-log/DEC-1f3a9c0b7d2e4a61');
    expect(router.route).toEqual({ page: 'decisions-log', focus: 'DEC-1f3a9c0b7d2e4a61' });
    stop();
  });
});
