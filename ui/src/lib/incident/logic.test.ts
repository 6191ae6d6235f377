import { describe, expect, it } from 'vitest';

import type { Phase } from '../api';
import { canWaive, mostPressing } from './comms';
import { cadence, dueItem, escalationDue, summary } from './fixture';
import { nextPhase, phasesEntered, transitionsFrom } from './labels';
import { dueHeadline, groupIncidents, sortDue } from './list';

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
