import { afterEach, describe, expect, it, vi } from 'vitest';

import { Resource, untilNext, type ChangeEvent } from './resource.svelte';

/** A promise settled from outside, to answer requests in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake backend event: `fire` calls every handler still listening. */
function changeEvent() {
  const handlers = new Set<() => void>();
  const on: ChangeEvent = (handler) => {
    handlers.add(handler);
    return Promise.resolve(() => handlers.delete(handler));
  };
  return { on, fire: () => handlers.forEach((h) => h()), handlers };
}

/** A loader whose answers are given by the test, one request at a time. */
function scripted<T>() {
  const pending: ReturnType<typeof deferred<T>>[] = [];
  const loader = vi.fn(() => {
    const next = deferred<T>();
    pending.push(next);
    return next.promise;
  });
  return { loader, pending };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Resource', () => {
  it('loads, and says it is loading until the answer comes', async () => {
    const { loader, pending } = scripted<string>();
    const plan = new Resource(loader);
    expect(plan.value).toBeUndefined();
    const done = plan.refresh();
    expect(plan.loading).toBe(true);
    pending[0]?.resolve('v1');
    expect(await done).toBe(true);
    expect(plan.value).toBe('v1');
    expect(plan.loading).toBe(false);
    expect(plan.error).toBe('');
  });

  it('answers `current` from the request already out, and asks when none is', async () => {
    const { loader, pending } = scripted<string>();
    const res = new Resource(loader);
    const first = res.refresh();
    const now = res.current();
    expect(loader).toHaveBeenCalledTimes(1);
    pending[0]?.resolve('v1');
    expect(await now).toBe(true);
    expect(await first).toBe(true);
    expect(res.value).toBe('v1');
    // Nothing out: `current` asks.
    const again = res.current();
    expect(loader).toHaveBeenCalledTimes(2);
    pending[1]?.resolve('v2');
    expect(await again).toBe(true);
    expect(res.value).toBe('v2');
    // A failure out is waited for too, and never thrown at the one waiting.
    const failing = res.refresh();
    const waiting = res.current();
    pending[2]?.reject(new Error('gone'));
    expect(await failing).toBe(true);
    expect(await waiting).toBe(true);
    expect(loader).toHaveBeenCalledTimes(3);
  });

  it('keeps the answer of the latest request when an earlier one answers last', async () => {
    const { loader, pending } = scripted<string>();
    const res = new Resource(loader);
    const first = res.refresh();
    const second = res.refresh();
    pending[1]?.resolve('newer');
    pending[0]?.resolve('older');
    expect(await second).toBe(true);
    expect(await first).toBe(false);
    expect(res.value).toBe('newer');
    expect(res.loading).toBe(false);
  });

  it('ignores an earlier failure that arrives after a newer answer', async () => {
    const { loader, pending } = scripted<string>();
    const res = new Resource(loader);
    const first = res.refresh();
    const second = res.refresh();
    pending[1]?.resolve('newer');
    pending[0]?.reject({ code: 'storage', message: 'disk full' });
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    expect(res.value).toBe('newer');
    expect(res.error).toBe('');
  });

  it('keeps the last answer beside the error when a refresh fails, unless told to forget it', async () => {
    const keeping = new Resource(vi.fn().mockResolvedValueOnce('v1').mockRejectedValue('boom'));
    await keeping.refresh();
    await keeping.refresh();
    expect(keeping.value).toBe('v1');
    expect(keeping.error).toBe('boom');
    expect(keeping.problem?.code).toBe('internal');

    const forgetting = new Resource(
      vi.fn().mockResolvedValueOnce('v1').mockRejectedValue({ code: 'notFound', message: 'gone' }),
      { forgetOnError: true },
    );
    await forgetting.refresh();
    await forgetting.refresh();
    expect(forgetting.value).toBeUndefined();
    expect(forgetting.problem).toEqual(expect.objectContaining({ code: 'notFound' }));
  });

  it('clears the error once a request succeeds', async () => {
    const res = new Resource(vi.fn().mockRejectedValueOnce('boom').mockResolvedValue('v2'));
    await res.refresh();
    expect(res.error).toBe('boom');
    await res.refresh();
    expect(res.error).toBe('');
    expect(res.value).toBe('v2');
  });

  it('lets a value set by hand win over requests still out, and reset forget all', async () => {
    const { loader, pending } = scripted<string>();
    const res = new Resource(loader);
    const out = res.refresh();
    res.set('from an action');
    pending[0]?.resolve('stale');
    expect(await out).toBe(false);
    expect(res.value).toBe('from an action');

    const again = res.refresh();
    res.reset();
    pending[1]?.resolve('stale too');
    await again;
    expect(res.value).toBeUndefined();
    expect(res.loading).toBe(false);
  });

  it('loads with another loader under the same latest-wins rule', async () => {
    const { loader, pending } = scripted<string>();
    const res = new Resource<string>();
    expect(await res.refresh()).toBe(false);
    const a = res.load(loader);
    const b = res.load(() => Promise.resolve('b'));
    pending[0]?.resolve('a');
    await Promise.all([a, b]);
    expect(res.value).toBe('b');
  });

  it('throws a failure to the caller when asked to, leaving the error alone', async () => {
    const res = new Resource(() => Promise.resolve('v1'));
    await res.refresh();
    await expect(
      res.load(() => Promise.reject({ code: 'conflict', message: 'changed' }), { rethrow: true }),
    ).rejects.toEqual({ code: 'conflict', message: 'changed' });
    expect(res.error).toBe('');
    expect(res.value).toBe('v1');
    expect(res.loading).toBe(false);
  });

  it('refreshes on each of its change events and its timer while watched, and stops', async () => {
    vi.useFakeTimers();
    const plan = changeEvent();
    const incidents = changeEvent();
    let n = 0;
    const loader = vi.fn(() => Promise.resolve(++n));
    const res = new Resource(loader, { refreshOn: [plan.on, incidents.on], every: 30_000 });

    const stop = res.watch();
    await vi.advanceTimersByTimeAsync(0);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(res.value).toBe(1);

    plan.fire();
    await vi.advanceTimersByTimeAsync(0);
    incidents.fire();
    await vi.advanceTimersByTimeAsync(0);
    expect(loader).toHaveBeenCalledTimes(3);
    expect(res.value).toBe(3);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(loader).toHaveBeenCalledTimes(4);

    stop();
    expect(plan.handlers.size + incidents.handlers.size).toBe(0);
    plan.fire();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(loader).toHaveBeenCalledTimes(4);
  });

  it('sets its timer from each answer: until the next deadline, and never without one', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T10:00:00Z') });
    const answers = ['2026-12-07T10:00:30Z', null, null];
    const loader = vi.fn(() => Promise.resolve(answers.shift() ?? null));
    const res = new Resource<string | null>(loader, {
      every: (next) => (next ? untilNext(next) : undefined),
    });
    const stop = res.watch();
    await vi.advanceTimersByTimeAsync(0);
    expect(loader).toHaveBeenCalledTimes(1);
    // Nothing before the deadline; asked again just after it.
    await vi.advanceTimersByTimeAsync(29_000);
    expect(loader).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(loader).toHaveBeenCalledTimes(2);
    // That answer names no deadline: no timer wakes, for an hour.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(loader).toHaveBeenCalledTimes(2);
    stop();
  });

  it('sets its timer again from an answer taken in another way', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T10:00:00Z') });
    const loader = vi.fn(() => Promise.resolve<string | null>(null));
    const res = new Resource<string | null>(loader, { every: (next) => untilNext(next) });
    const stop = res.watch();
    await vi.advanceTimersByTimeAsync(0);
    expect(loader).toHaveBeenCalledTimes(1);
    // An action's reply names a deadline a minute away: asked again then, not in five minutes.
    res.set('2026-12-07T10:01:00Z');
    await vi.advanceTimersByTimeAsync(61_000);
    expect(loader).toHaveBeenCalledTimes(2);
    stop();
  });

  it('answers `current` with the newest answer when a later request overtook the one out', async () => {
    const { loader, pending } = scripted<string>();
    const res = new Resource(loader);
    void res.refresh();
    const now = res.current();
    void res.refresh(); // a change event asks again before the first answer
    pending[0]?.resolve('old');
    pending[1]?.resolve('new');
    expect(await now).toBe(true);
    expect(res.value).toBe('new');
  });

  it('waits until a deadline, at least a second and at most five minutes', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(untilNext('2026-12-07T10:00:30Z', now)).toBe(30_250);
    expect(untilNext('2026-12-07T09:00:00Z', now)).toBe(1000);
    expect(untilNext('2026-12-07T12:00:00Z', now)).toBe(300_000);
    expect(untilNext(null, now)).toBe(300_000);
    expect(untilNext('not a time', now)).toBe(300_000);
  });

  it('takes the newest answer when events arrive faster than the backend answers', async () => {
    const plan = changeEvent();
    const { loader, pending } = scripted<string>();
    const res = new Resource(loader, { refreshOn: [plan.on] });
    const stop = res.watch();
    await Promise.resolve();
    plan.fire();
    expect(loader).toHaveBeenCalledTimes(2);
    pending[1]?.resolve('after the change');
    pending[0]?.resolve('before the change');
    await vi.waitFor(() => expect(res.value).toBe('after the change'));
    await Promise.resolve();
    expect(res.value).toBe('after the change');
    stop();
  });

  it('works without events when they cannot be listened to', async () => {
    const broken: ChangeEvent = () => Promise.reject(new Error('no Tauri'));
    const res = new Resource(() => Promise.resolve('v1'), { refreshOn: [broken] });
    const stop = res.watch();
    await vi.waitFor(() => expect(res.value).toBe('v1'));
    stop();
  });
});
