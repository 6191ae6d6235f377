import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { ApiError } from '../api';
import { fixturePlan } from './fixture';
import { PlanStore } from './store.svelte';

describe('PlanStore', () => {
  it('starts loading, then holds the plan', async () => {
    const plan = fixturePlan();
    const store = new PlanStore(() => Promise.resolve(plan));
    expect(store.state).toEqual({ status: 'loading' });
    await store.load();
    expect(store.state).toEqual({ status: 'ready', value: plan });
  });

  it('keeps the error code of a failed load', async () => {
    const store = new PlanStore(() =>
      Promise.reject(new ApiError('databaseTooNew', 'schema 7 is newer than 2')),
    );
    await store.load();
    expect(store.state.status).toBe('failed');
    if (store.state.status === 'failed') {
      expect(store.state.error.code).toBe('databaseTooNew');
      expect(store.state.error.message).toBe('schema 7 is newer than 2');
    }
  });

  it('turns an unexpected rejection into an internal error', async () => {
    const store = new PlanStore(() => Promise.reject(new Error('boom')));
    await store.load();
    expect(store.state).toMatchObject({ status: 'failed', error: { code: 'internal' } });
  });
});
