import { render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { DecisionStatus, ExerciseSummary, Gap } from '../api';
import { approver, decision, keyStatus, signatureFile } from '../decisions/fixture';
import { DecisionList } from '../decisions';
import { summary } from '../exercise/fixture';
import { ExerciseList } from '../exercise';
import { NOW } from '../incident/fixture';
import { fixtureOutline } from '../plan/fixture';
import Sidebar from './Sidebar.svelte';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
});

afterEach(() => {
  vi.useRealTimers();
});

async function sidebar(statuses: DecisionStatus[], contact: string | null = 'ben') {
  const list = new DecisionList(
    () => Promise.resolve(statuses),
    () => Promise.resolve(keyStatus({ contact })),
  );
  await Promise.all([list.refresh(), list.refreshKey()]);
  const view = render(Sidebar, {
    plan: fixtureOutline(),
    current: 'overview',
    decisions: list,
    onsearch: () => {},
    onprint: () => {},
  });
  const badge = () => view.container.querySelector('[data-testid="decisions-badge"]');
  return { ...view, list, badge };
}

describe('Sidebar: the Decisions badge', () => {
  it('counts pending decisions that wait for this profile, on the Decisions entry', async () => {
    const { badge, container } = await sidebar([
      // Waits for Ben (required, not yet signed).
      decision(),
      decision({ request: { id: 'DEC-2' } }),
      // Settled, or Ben already answered: not counted.
      decision({ request: { id: 'DEC-3' }, state: 'approved' }),
      decision({
        request: { id: 'DEC-4' },
        approvers: [approver('ada', 'waiting'), approver('ben', 'signed')],
      }),
      // Expired by now, though the backend said pending a moment ago.
      decision({ request: { id: 'DEC-5', expires: '2026-03-04T13:59:00Z' } }),
      // Ben only in the pool, and nobody more is needed from it.
      decision({
        request: { id: 'DEC-6' },
        approvers: [approver('ada', 'waiting'), approver('ben', 'waiting', false)],
        additionalMissing: 0,
      }),
    ]);
    expect(badge()?.textContent).toBe('2');
    expect(badge()?.closest('a')?.getAttribute('data-nav')).toBe('decisions-log');
    expect(badge()?.closest('a')?.getAttribute('href')).toBe('#/decisions-log');
    expect(container.textContent).toContain('2 waiting for you');
  });

  it('shows no badge when nothing waits, or before the profile says who it is', async () => {
    expect((await sidebar([decision()], null)).badge()).toBeNull();
  });

  it('drops a decision once signed here for another computer', async () => {
    const { badge, list } = await sidebar([decision()]);
    expect(badge()?.textContent).toBe('1');
    list.remember(signatureFile());
    await waitFor(() => expect(badge()).toBeNull());
  });
});

describe('Sidebar: exercises and readiness', () => {
  async function shown(summaries: ExerciseSummary[], gaps: Gap[] = []) {
    const exercises = new ExerciseList(() => Promise.resolve(summaries));
    await exercises.refresh();
    return render(Sidebar, {
      plan: fixtureOutline(),
      current: 'exercises',
      gaps,
      exercises,
      onsearch: () => {},
      onprint: () => {},
    });
  }

  it('has entries for the exercises and the readiness dashboard', async () => {
    const { container } = await shown([]);
    const exercises = container.querySelector('[data-nav="exercises"]');
    const readiness = container.querySelector('[data-nav="readiness"]');
    expect(exercises?.getAttribute('href')).toBe('#/exercises');
    expect(exercises?.textContent).toContain('Exercises');
    expect(exercises?.getAttribute('aria-current')).toBe('page');
    expect(readiness?.getAttribute('href')).toBe('#/readiness');
    expect(readiness?.textContent).toContain('Readiness');
    expect(container.querySelector('[data-testid="readiness-badge"]')).toBeNull();
    expect(container.querySelector('[data-testid="exercises-upcoming"]')).toBeNull();
  });

  it('counts exercises to come, and says when one is running', async () => {
    const planned = await shown([
      summary({ id: 'EX-1', status: 'ended' }),
      summary({ id: 'EX-2', status: 'planned' }),
    ]);
    expect(planned.getByTestId('exercises-upcoming').textContent).toBe('1');
    planned.unmount();
    const running = await shown([summary({ id: 'EX-2', status: 'running' })]);
    expect(running.getByTestId('exercise-live').textContent).toBe('LIVE');
    expect(running.container.textContent).toContain('an exercise is running');
  });

  it('badges Readiness with the improvement items past due', async () => {
    const item = (level: Gap['level'], element: string): Gap => ({
      kind: 'improvementOpen',
      level,
      section: 'coreTeam',
      element,
      message: element,
    });
    const { getByTestId, container } = await shown(
      [],
      [item('problem', 'ben'), item('warning', 'ada'), item('problem', 'eli')],
    );
    expect(getByTestId('readiness-badge').textContent).toBe('2');
    expect(container.textContent).toContain('2 improvement items overdue');
  });
});
