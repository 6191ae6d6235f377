import { render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ getExerciseView: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { ExerciseTab } from '../nav';
import { fixturePlan } from '../plan/fixture';
import ExercisePage from './ExercisePage.svelte';
import { view } from './fixture';

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function page(tab: ExerciseTab = 'setup') {
  const shown = render(ExercisePage, { plan: fixturePlan(), id: 'EX-1', tab });
  await waitFor(() => expect(shown.queryByTestId('exercise-status')).not.toBeNull());
  return shown;
}

beforeEach(() => {
  api.getExerciseView.mockReset();
});

describe('ExercisePage', () => {
  it('shows the exercise, its status and the five tabs, the set-up form while planned', async () => {
    api.getExerciseView.mockResolvedValue(view());
    const { container, getByTestId } = await page();
    expect(api.getExerciseView).toHaveBeenCalledWith('EX-1');
    expect(getByTestId('exercise-status').dataset.status).toBe('planned');
    expect(text(container.querySelector('h1'))).toBe('EXERCISE Spring exercise');
    const tabs = ['setup', 'run', 'readback', 'evaluation', 'report'].map((t) =>
      getByTestId(`tab-${t}`),
    );
    expect(tabs.map((t) => t.getAttribute('href'))).toEqual([
      '#/exercises/EX-1',
      '#/exercises/EX-1/run',
      '#/exercises/EX-1/readback',
      '#/exercises/EX-1/evaluation',
      '#/exercises/EX-1/report',
    ]);
    expect(tabs[0]?.getAttribute('aria-current')).toBe('page');
    expect((getByTestId('setup-title') as HTMLInputElement).value).toBe('Spring exercise');
    expect(container.querySelectorAll('[data-section]')).toHaveLength(1);
  });

  it('shows the set-up read-only once the exercise has started', async () => {
    api.getExerciseView.mockResolvedValue(view({ status: 'running' }));
    const { queryByTestId, getByTestId } = await page();
    expect(getByTestId('exercise-status').dataset.status).toBe('running');
    expect(queryByTestId('setup-form')).toBeNull();
    expect(text(getByTestId('setup-summary'))).toContain('Ada Example');
    expect(text(getByTestId('setup-summary'))).toContain('Ben Sample, Eli Forum');
  });

  it('on a teammate’s laptop, says whose laptop runs the exercise and offers no console', async () => {
    api.getExerciseView.mockResolvedValue(view({ status: 'running', drivenFrom: 'ada' }));
    const { getByTestId, queryByTestId } = await page('run');
    expect(text(getByTestId('driven-from'))).toBe(
      'Ada Example moderates this exercise: it runs from their laptop, and this one follows it. Open the participants’ view',
    );
    expect(getByTestId('driven-from').querySelector('a')?.getAttribute('href')).toBe(
      '#/participant/EX-1',
    );
    expect(text(getByTestId('run-elsewhere'))).toContain('driven from Ada Example’s laptop');
    expect(queryByTestId('run-console')).toBeNull();
  });

  it('says the day it was held when that was not the day planned', async () => {
    api.getExerciseView.mockResolvedValue(view({ status: 'running' }));
    const planned = await page();
    expect(text(planned.container.querySelector('.meta'))).toMatch(/^20 Mar 2026 · moderated by/);
    planned.unmount();
    // Noon UTC is the same day in any test machine's zone from UTC−11 to UTC+11.
    api.getExerciseView.mockResolvedValue(
      view({ status: 'running', startedAt: '2026-03-04T12:00:00Z' }),
    );
    const held = await page();
    expect(text(held.container.querySelector('.meta'))).toMatch(
      /^Held 4 Mar 2026 \(planned for 20 Mar 2026\) · moderated by/,
    );
  });

  it('opens the tab the route names', async () => {
    api.getExerciseView.mockResolvedValue(view({ status: 'running' }));
    const { getByTestId, queryByTestId } = await page('run');
    expect(getByTestId('tab-run').getAttribute('aria-current')).toBe('page');
    expect(queryByTestId('setup-summary')).toBeNull();
  });

  it('says when there is no such exercise', async () => {
    api.getExerciseView.mockRejectedValue({ code: 'notFound', message: 'No exercise EX-1' });
    const { findByTestId } = render(ExercisePage, {
      plan: fixturePlan(),
      id: 'EX-1',
      tab: 'setup',
    });
    expect(text(await findByTestId('exercise-error'))).toBe('There is no exercise EX-1.');
  });
});
