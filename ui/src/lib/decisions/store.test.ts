import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  listDecisions: vi.fn(),
  signingKeyStatus: vi.fn(),
  onDecisionsChanged: vi.fn(),
  onPlanChanged: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { decision, keyStatus } from './fixture';
import { DecisionList, watchDecisions } from './store.svelte';

// Every handler listening to each event, as Tauri keeps them: several may listen to one event.
const handlers = new Map<string, Set<() => void>>();
const fire = (name: string) => handlers.get(name)?.forEach((handler) => handler());
const listeners = () => [...handlers.values()].reduce((n, set) => n + set.size, 0);

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  handlers.clear();
  const listening = (name: string) => (handler: () => void) => {
    const set = handlers.get(name) ?? new Set();
    handlers.set(name, set.add(handler));
    return Promise.resolve(() => void set.delete(handler));
  };
  api.onDecisionsChanged.mockImplementation(listening('decisions-changed'));
  api.onPlanChanged.mockImplementation(listening('plan-changed'));
  api.listDecisions.mockResolvedValue([decision()]);
  api.signingKeyStatus.mockResolvedValue(keyStatus());
});

afterEach(() => {
  vi.useRealTimers();
});

describe('watchDecisions', () => {
  it('asks for the decisions on decisions-changed and on a timer, the key on plan-changed', async () => {
    vi.useFakeTimers();
    const list = new DecisionList();
    const stop = watchDecisions(list, 1000);
    await vi.waitFor(() => expect(list.statuses).toHaveLength(1));
    expect(list.contact).toBe('ben');
    expect(api.listDecisions).toHaveBeenCalledTimes(1);
    expect(api.signingKeyStatus).toHaveBeenCalledTimes(1);

    fire('decisions-changed');
    expect(api.listDecisions).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.listDecisions).toHaveBeenCalledTimes(3);
    // The keychain is not asked on the timer: a locked one would be asked over and over.
    expect(api.signingKeyStatus).toHaveBeenCalledTimes(1);

    api.signingKeyStatus.mockResolvedValue(keyStatus({ contact: 'ada' }));
    fire('plan-changed');
    await vi.waitFor(() => expect(list.contact).toBe('ada'));

    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(listeners()).toBe(0);
    expect(api.listDecisions).toHaveBeenCalledTimes(4);
  });

  it('keeps what it had and says why when a refresh fails', async () => {
    const list = new DecisionList();
    await list.refresh();
    api.listDecisions.mockRejectedValue({ code: 'storage', message: 'database is locked' });
    await list.refresh();
    expect(list.statuses).toHaveLength(1);
    expect(list.error).toBe('database is locked');
  });
});
