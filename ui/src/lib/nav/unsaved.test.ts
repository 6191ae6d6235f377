import { afterEach, describe, expect, it } from 'vitest';

import { keepUnsaved, leaveAnyway, navigate, router, startRouter, stayHere } from './router.svelte';

let release: (() => void) | undefined;
let stop: (() => void) | undefined;

afterEach(() => {
  release?.();
  stop?.();
  release = undefined;
  stop = undefined;
  router.leaving = undefined;
});

describe('leaving a page with unsaved text', () => {
  it('holds a move until the user says to leave, or stays', () => {
    navigate('#/incidents/INC-3');
    let typed = true;
    release = keepUnsaved(() => (typed ? 'The internal post-mortem' : undefined));

    navigate('#/');
    expect(router.route).toEqual({ page: 'incident', id: 'INC-3' });
    expect(router.leaving).toEqual({ href: '#/', what: 'The internal post-mortem' });
    stayHere();
    expect(router.leaving).toBeUndefined();
    expect(router.route).toEqual({ page: 'incident', id: 'INC-3' });

    navigate('#/');
    leaveAnyway();
    expect(router.route).toEqual({ page: 'overview' });
    expect(window.location.hash).toBe('#/');

    // Nothing typed, nothing held.
    typed = false;
    navigate('#/incidents/INC-3');
    navigate('#/');
    expect(router.leaving).toBeUndefined();
    expect(router.route).toEqual({ page: 'overview' });
  });

  it('holds a link or the sidebar too (a hash change), putting the address back', async () => {
    stop = startRouter();
    navigate('#/incidents/INC-3');
    release = keepUnsaved(() => 'The public post-mortem');
    window.location.hash = '#/settings';
    await new Promise((done) => window.addEventListener('hashchange', done, { once: true }));
    expect(router.route).toEqual({ page: 'incident', id: 'INC-3' });
    expect(router.leaving?.href).toBe('#/settings');
    expect(window.location.hash).toBe('#/incidents/INC-3');
    leaveAnyway();
    expect(router.route).toEqual({ page: 'settings' });
  });
});
