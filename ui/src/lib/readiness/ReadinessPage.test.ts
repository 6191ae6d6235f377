import { render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ getReadiness: vi.fn(), incidentFigures: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { Readiness } from '../api';
import { finding, readiness, summary } from '../exercise/fixture';
import { fixturePlan } from '../plan/fixture';
import ReadinessPage from './ReadinessPage.svelte';

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function page(figures: Readiness) {
  api.getReadiness.mockResolvedValue(figures);
  const shown = render(ReadinessPage, { plan: fixturePlan() });
  await waitFor(() => expect(shown.queryByTestId('ready-held')).not.toBeNull());
  return shown;
}

beforeEach(() => {
  api.getReadiness.mockReset();
  api.incidentFigures.mockReset();
  api.incidentFigures.mockResolvedValue([]);
});

describe('ReadinessPage', () => {
  it("shows each real incident's response times, their median and the trend", async () => {
    const figure = (n: number, resolve: number | null) => ({
      id: `INC-${n}`,
      title: `Incident ${n}`,
      severity: 'S1' as const,
      declaredAt: '2026-03-01T10:00:00Z',
      toNotify: 4,
      toMitigate: 30,
      toResolve: resolve,
    });
    api.incidentFigures.mockResolvedValue(
      [60, 90, 120, 150, 180, 300, 360, 420, 480, 540].map((m, i) => figure(10 - i, m)),
    );
    const { getByTestId } = await page(readiness());
    await waitFor(() => expect(getByTestId('incident-figures')).toBeTruthy());
    const first = getByTestId('incident-figures').querySelector('tbody tr');
    expect(text(first)).toContain('INC-10 Incident 10');
    expect(text(first)).toContain('4 min');
    expect(text(first)).toContain('1 h');
    expect(text(getByTestId('incident-figures-median'))).toContain('Median of 10');
    expect(text(getByTestId('incident-trend'))).toContain('resolved in 2 h');
    expect(text(getByTestId('incident-trend'))).toContain('(was 7 h');
  });

  it('shows the figures against the policy, with empty states', async () => {
    const { container, getByTestId, queryAllByTestId } = await page(readiness());
    expect(container.querySelectorAll('[data-section]')).toHaveLength(1);
    expect(getByTestId('readiness').dataset.section).toBe('readiness');
    expect(text(getByTestId('ready-held'))).toContain('1 of 2 in the last 12 months');
    expect(text(getByTestId('ready-held'))).toContain('Last held: 2 Nov 2025');
    expect(text(getByTestId('ready-next-due'))).toBe('Next due in 59 days 2 May 2026 (2026-05-02)');
    expect(getByTestId('ready-next-due').dataset.overdue).toBe('false');
    expect(text(getByTestId('ready-next-planned'))).toContain('Nothing planned');
    expect(getByTestId('never-empty')).toBeTruthy();
    expect(getByTestId('stale-empty')).toBeTruthy();
    expect(text(getByTestId('items-empty'))).toContain('No open improvement items');
    expect(getByTestId('trend-empty')).toBeTruthy();
    expect(queryAllByTestId('open-item')).toHaveLength(0);
    const real = getByTestId('real-incidents');
    expect(text(real)).toContain('Declared in the last 12 months 3');
    expect(text(real)).toContain('Open now 1');
    expect(text(real)).toContain('7 min');
    expect(text(container)).toContain('Real incidents only');
  });

  it('highlights an overdue exercise and overdue improvement items, with links', async () => {
    const { getByTestId, getAllByTestId } = await page(
      readiness({
        nextDue: '2026-02-20',
        daysUntilDue: -12n,
        nextPlanned: summary({ id: 'EX-4', title: 'Catch-up', date: '2026-03-11' }),
        openItems: [
          finding({ id: 'IMP-2', due: '2026-03-01' }),
          finding({
            id: 'IMP-5',
            exercise: 'EX-2',
            due: '2026-04-01',
            element: null,
            owner: 'eli',
            correctiveAction: 'Rehearse the press line',
          }),
        ],
        overdueItems: 1,
      }),
    );
    const due = getByTestId('ready-next-due');
    expect(due.dataset.overdue).toBe('true');
    expect(due.classList.contains('overdue')).toBe(true);
    expect(text(due)).toContain('Next due overdue by 12 days');
    expect(text(getByTestId('ready-next-planned'))).toContain('Catch-up');
    expect(text(getByTestId('ready-next-planned'))).toContain('11 Mar 2026, in 7 days');
    expect(text(getByTestId('overdue-items'))).toBe('1 overdue');
    const items = getAllByTestId('open-item');
    expect(items.map((i) => [i.dataset.finding, i.dataset.overdue])).toEqual([
      ['IMP-2', 'true'],
      ['IMP-5', 'false'],
    ]);
    const links = (row: HTMLElement) =>
      Array.from(row.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(links(items[0]!)).toEqual(['#/exercises/EX-1/evaluation', '#/core-team/ben']);
    expect(links(items[1]!)).toEqual(['#/exercises/EX-2/evaluation']);
    expect(text(items[1])).toContain('Eli Forum');
    expect(text(items[0])).toContain('overdue');
  });

  it('lists issues never or long ago rehearsed, linked to the issue', async () => {
    const { getAllByTestId } = await page(
      readiness({
        neverExercised: [{ issue: 'gas', title: 'Gas spike', last: null }],
        stale: [{ issue: 'drain', title: 'Drained pool', last: '2024-10-01' }],
      }),
    );
    const never = getAllByTestId('never-issue');
    expect(never.map((n) => n.dataset.issue)).toEqual(['gas']);
    expect(never[0]?.querySelector('a')?.getAttribute('href')).toBe('#/issues/gas');
    const stale = getAllByTestId('stale-issue');
    expect(text(stale[0])).toBe('Drained pool — last 1 Oct 2024');
  });

  it('draws the trend per measure with a legend', async () => {
    const { getByTestId } = await page(
      readiness({
        trend: [
          { exercise: 'EX-1', date: '2025-06-01', measure: 'escalation', seconds: 1800n },
          { exercise: 'EX-2', date: '2025-11-02', measure: 'escalation', seconds: 600n },
          { exercise: 'EX-2', date: '2025-11-02', measure: 'resolved', seconds: 5400n },
        ],
      }),
    );
    const chart = getByTestId('trend-chart');
    expect(chart.querySelectorAll('svg polyline')).toHaveLength(1);
    expect(chart.querySelectorAll('svg circle')).toHaveLength(3);
    expect(
      Array.from(chart.querySelectorAll('.legend li')).map((li) => li.getAttribute('data-measure')),
    ).toEqual(['escalation', 'resolved']);
    expect(text(chart)).toContain('0 min');
    expect(text(chart)).toContain('1 h 30 min');
    expect(text(chart)).toContain('EX-1');
  });

  it('says when the figures cannot be worked out', async () => {
    api.getReadiness.mockRejectedValue({ code: 'storage', message: 'disk full' });
    const { findByRole } = render(ReadinessPage, { plan: fixturePlan() });
    expect(text(await findByRole('alert'))).toBe('Could not work out readiness: disk full');
  });
});
