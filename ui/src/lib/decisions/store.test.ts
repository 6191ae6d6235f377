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

const handlers = new Map<string, () => void>();

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  handlers.clear();
  const listening = (name: string) => (handler: () => void) => {
    handlers.set(name, handler);
    return Promise.resolve(() => handlers.delete(name));
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

    handlers.get('decisions-changed')?.();
    expect(api.listDecisions).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.listDecisions).toHaveBeenCalledTimes(3);
    // The keychain is not asked on the timer: a locked one would be asked over and over.
    expect(api.signingKeyStatus).toHaveBeenCalledTimes(1);

    api.signingKeyStatus.mockResolvedValue(keyStatus({ contact: 'ada' }));
    handlers.get('plan-changed')?.();
    await vi.waitFor(() => expect(list.contact).toBe('ada'));

    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(handlers.size).toBe(0);
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
