import { afterEach, describe, expect, it, vi } from 'vitest';

import { Clock } from './clock.svelte';

const at = (hhmmss: string) => new Date(`2026-03-04T${hhmmss}Z`).getTime();

describe('Clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks only while someone uses it', () => {
    vi.useFakeTimers();
    vi.setSystemTime(at('14:00:00'));
    const clock = new Clock(1000);
    expect(clock.ticking).toBe(false);
    const stopA = clock.use();
    const stopB = clock.use();
    vi.advanceTimersByTime(3000);
    expect(clock.now).toBe(at('14:00:03'));
    stopA();
    stopA();
    expect(clock.ticking).toBe(true);
    stopB();
    expect(clock.ticking).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(clock.now).toBe(at('14:00:03'));
  });
});
