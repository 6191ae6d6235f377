import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Phase } from '../api';
import { Clock } from './clock.svelte';
import { canWaive, mostPressing } from './comms';
import { cadence, dueItem, escalationDue, summary } from './fixture';
import { nextPhase, phasesEntered, transitionsFrom } from './labels';
import { dueHeadline, groupIncidents, sortDue } from './list';
import { dueText, duration, elapsed, isOverdue } from './time';

const at = (hhmmss: string) => new Date(`2026-03-04T${hhmmss}Z`).getTime();

describe('phases', () => {
  const cases: [Phase, Phase[], Phase | undefined][] = [
    ['detected', ['validated', 'mitigated', 'resolved'], 'validated'],
    ['validated', ['mitigated', 'resolved'], 'mitigated'],
    ['mitigated', ['resolved'], 'resolved'],
    ['resolved', ['closed'], 'closed'],
    ['closed', [], undefined],
  ];
  for (const [from, targets, next] of cases) {
    it(`goes forward from ${from}, closing only after resolution`, () => {
      expect(transitionsFrom(from)).toEqual(targets);
      expect(nextPhase(from)).toBe(next);
    });
  }

  it('lists every phase a transition enters, skipped ones included', () => {
    expect(phasesEntered('detected', 'resolved')).toEqual(['validated', 'mitigated', 'resolved']);
    expect(phasesEntered('validated', 'mitigated')).toEqual(['mitigated']);
  });
});

describe('time', () => {
  it('says lengths of time the way people read them', () => {
    const cases: [number, string][] = [
      [0, '0 s'],
      [40_000, '40 s'],
      [4 * 60_000 + 5_000, '4 min 05 s'],
      [12 * 60_000 + 30_000, '12 min'],
      [2 * 3_600_000 + 5 * 60_000, '2 h 05 min'],
      [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
      [2 * 86_400_000, '2 d'],
    ];
    for (const [ms, text] of cases) {
      expect(duration(ms), String(ms)).toBe(text);
    }
    expect(duration(30_000, false)).toBe('under a minute');
  });

  it('counts down, then says how overdue', () => {
    const now = at('14:00:00');
    expect(dueText('2026-03-04T14:12:00Z', now)).toBe('due in 12 min');
    expect(dueText('2026-03-04T14:03:20Z', now)).toBe('due in 3 min 20 s');
    expect(dueText('2026-03-04T13:59:30Z', now)).toBe('due now');
    expect(dueText('2026-03-04T13:48:00Z', now)).toBe('overdue by 12 min');
    expect(isOverdue('2026-03-04T13:59:30Z', now)).toBe(false);
    expect(isOverdue('2026-03-04T13:59:00Z', now)).toBe(true);
    expect(elapsed('2026-03-04T12:55:00Z', now)).toBe('1 h 05 min');
  });
});

describe('the incident list', () => {
  it('puts open real incidents first, most severe first; exercises apart', () => {
    const groups = groupIncidents([
      summary({ id: 'INC-1', phase: 'closed', declaredAt: '2026-02-01T10:00:00Z' }),
      summary({ id: 'INC-2', severity: 'S3', phase: 'detected' }),
      summary({ id: 'INC-3' }),
      summary({ id: 'INC-4', exercise: true, phase: 'closed' }),
      summary({ id: 'INC-5', exercise: true, phase: 'mitigated' }),
      summary({ id: 'INC-6', phase: 'resolved', declaredAt: '2026-03-01T10:00:00Z' }),
    ]);
    expect(groups.active.map((s) => s.id)).toEqual(['INC-3', 'INC-2']);
    expect(groups.past.map((s) => s.id)).toEqual(['INC-6', 'INC-1']);
    expect(groups.exercises.map((s) => s.id)).toEqual(['INC-5', 'INC-4']);
  });

  it('orders what is due: escalations first, then the longest overdue', () => {
    const late = dueItem({ key: 'late', overdueSince: '2026-03-04T12:00:00Z' });
    const soon = dueItem({ key: 'soon' });
    const esc = escalationDue();
    expect(sortDue([soon, late, esc]).map((d) => d.key)).toEqual([esc.key, 'late', 'soon']);
  });

  it('drops the incident name from a due title on its own console', () => {
    expect(dueHeadline(dueItem())).toBe('Users update due');
    expect(
      dueHeadline(
        dueItem({ exercise: true, title: 'EXERCISE — INC-3 Drained pool: internal update due' }),
      ),
    ).toBe('Internal update due');
    expect(dueHeadline(dueItem({ title: 'Something else' }))).toBe('Something else');
  });
});

describe('communications', () => {
  it('preselects the overdue update rule, never a post-mortem', () => {
    expect(mostPressing(cadence())?.rule).toBe('users');
    expect(cadence().map(canWaive)).toEqual([false, false, true]);
  });
});

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
