import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ getReadiness: vi.fn(), saveExport: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { ExerciseSummary } from '../api';
import { toasts } from '../undo';
import { fixturePlan } from '../plan/fixture';
import ExercisesPage from './ExercisesPage.svelte';
import { readiness, summary } from './fixture';
import { ExerciseList } from './store.svelte';

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function page(summaries: ExerciseSummary[]) {
  const list = new ExerciseList(() => Promise.resolve(summaries));
  await list.refresh();
  const view = render(ExercisesPage, { plan: fixturePlan(), list });
  await waitFor(() => expect(view.queryByTestId('next-due')).not.toBeNull());
  return view;
}

beforeEach(() => {
  api.getReadiness.mockReset();
  api.saveExport.mockReset();
  api.getReadiness.mockResolvedValue(readiness());
  toasts.clear();
  window.location.hash = '#/exercises';
});

describe('ExercisesPage', () => {
  it('invites planning the first exercise when there is none', async () => {
    const { container, getByTestId } = await page([]);
    expect(text(getByTestId('exercises-empty'))).toContain('No exercise yet — plan the first one');
    expect(container.querySelectorAll('[data-testid="new-exercise"]')).toHaveLength(1);
    // In the header, where it was while the list loaded: it does not move.
    expect(getByTestId('new-exercise').closest('header')).not.toBeNull();
    expect(container.querySelectorAll('[data-section]')).toHaveLength(1);
    await fireEvent.click(getByTestId('new-exercise'));
    expect(window.location.hash).toBe('#/exercises/new');
  });

  it('shows the programme: policy, next due with its date, held against required', async () => {
    const { getByTestId } = await page([]);
    const programme = getByTestId('programme');
    expect(text(programme)).toContain('Every 4 weeks while the plan is new');
    expect(text(getByTestId('next-due'))).toBe('2 May 2026 (2026-05-02) — in 59 days');
    expect(text(programme)).toContain('1 of 2');
    expect(text(programme)).toContain('2 Nov 2025');
    expect(text(programme)).toContain('None planned');
  });

  it('marks the next exercise overdue', async () => {
    api.getReadiness.mockResolvedValue(readiness({ nextDue: '2026-02-20', daysUntilDue: -12n }));
    const { getByTestId } = await page([]);
    expect(text(getByTestId('next-due'))).toContain('overdue by 12 days');
    expect(getByTestId('next-due').classList.contains('overdue')).toBe(true);
  });

  it('lists running, planned and held exercises with their status', async () => {
    const { container } = await page([
      summary({
        id: 'EX-1',
        title: 'Autumn',
        status: 'ended',
        date: '2025-11-02',
        openFindings: 2,
      }),
      summary({ id: 'EX-2', title: 'Spring', status: 'planned', date: '2026-03-20' }),
      summary({ id: 'EX-3', title: 'Now', status: 'running', date: '2026-03-04' }),
    ]);
    const rows = Array.from(
      container.querySelectorAll<HTMLElement>('[data-testid="exercise-row"]'),
    );
    expect(rows.map((r) => [r.dataset.exercise, r.dataset.status])).toEqual([
      ['EX-3', 'running'],
      ['EX-2', 'planned'],
      ['EX-1', 'ended'],
    ]);
    expect(rows[0]?.querySelector('a')?.getAttribute('href')).toBe('#/exercises/EX-3/run');
    expect(rows[1]?.querySelector('a')?.getAttribute('href')).toBe('#/exercises/EX-2');
    expect(text(rows[1])).toContain('Ada Example');
    expect(text(rows[2])).toContain('2 open');
  });

  it('exports the calendar with the planned exercises through the .ics export', async () => {
    api.saveExport.mockResolvedValue('/home/ada/muster.ics');
    const { getByTestId } = await page([summary()]);
    await fireEvent.click(getByTestId('export-ics'));
    expect(api.saveExport).toHaveBeenCalledWith('calendar');
    await waitFor(() => expect(toasts.current?.text).toBe('Calendar saved: /home/ada/muster.ics'));
  });

  it('says when the programme cannot be worked out, and still lists', async () => {
    api.getReadiness.mockRejectedValue({ code: 'storage', message: 'disk full' });
    const list = new ExerciseList(() => Promise.resolve([summary()]));
    await list.refresh();
    const { findByRole, container } = render(ExercisesPage, { plan: fixturePlan(), list });
    expect(text(await findByRole('alert'))).toContain('disk full');
    expect(container.querySelectorAll('[data-testid="exercise-row"]')).toHaveLength(1);
  });
});
