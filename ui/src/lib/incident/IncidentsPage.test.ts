import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { closeDeclare, declaring } from './declare.svelte';
import { NOW, dueItem, escalationDue, summary } from './fixture';
import IncidentsPage from './IncidentsPage.svelte';
import { IncidentList } from './store.svelte';

async function listOf(...summaries: ReturnType<typeof summary>[]) {
  const list = new IncidentList(
    () => Promise.resolve(summaries),
    () =>
      Promise.resolve({
        due: [
          dueItem(),
          escalationDue(),
          dueItem({ key: 'ex', incident: 'INC-7', exercise: true }),
        ],
        upcoming: [],
        nextAt: null,
      }),
  );
  await list.refresh();
  return list;
}

function rows(root: HTMLElement, within: string): string[] {
  return Array.from(root.querySelectorAll(`${within} [data-row]`)).map((r) =>
    Array.from(r.querySelectorAll('td'))
      .map((td) => text(td))
      .join(' | '),
  );
}

function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  closeDeclare();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('IncidentsPage', () => {
  it('keeps its Declare button in one place while the list loads and once it is empty', async () => {
    let answer: (found: ReturnType<typeof summary>[]) => void = () => undefined;
    const list = new IncidentList(
      () => new Promise((resolve) => (answer = resolve)),
      () => Promise.resolve({ due: [], upcoming: [], nextAt: null }),
    );
    const loading = list.refresh();
    const { getByTestId, findByTestId } = render(IncidentsPage, { list });
    const before = getByTestId('declare-incident');
    expect(before.closest('header')).not.toBeNull();
    answer([]);
    await loading;
    await findByTestId('incidents-empty');
    // The very element the pointer was on: not re-created elsewhere.
    expect(getByTestId('declare-incident')).toBe(before);
  });

  it('explains what declaring does when there is nothing yet, with the button', async () => {
    const { container, getByTestId } = render(IncidentsPage, { list: await listOf() });
    const empty = getByTestId('incidents-empty');
    expect(text(empty)).toContain('No incidents yet');
    expect(text(empty)).toContain("turns the issue's procedures into checklists");
    expect(container.querySelectorAll('[data-testid="declare-incident"]').length).toBe(1);
    await fireEvent.click(getByTestId('declare-incident'));
    expect(declaring.open).toBe(true);
    expect(declaring.issue).toBeUndefined();
    expect(container.querySelectorAll('[data-section]').length).toBe(1);
  });

  it('lists active incidents first, then past ones, and exercises apart, labelled', async () => {
    const list = await listOf(
      summary({ id: 'INC-1', title: 'Old gas spike', severity: 'S3', phase: 'closed' }),
      summary(),
      summary({
        id: 'INC-5',
        title: 'RPC down',
        severity: 'S2',
        phase: 'detected',
        declaredAt: '2026-03-04T13:45:00Z',
      }),
      summary({ id: 'INC-7', title: 'Tabletop: drained pool', exercise: true }),
    );
    const { container, getByRole } = render(IncidentsPage, { list });
    const sections = ['active', 'past', 'exercises'].map(
      (name) => getByRole('heading', { name: name.charAt(0).toUpperCase() + name.slice(1) }).id,
    );
    expect(sections).toEqual(['active-heading', 'past-heading', 'exercises-heading']);
    expect(rows(container, '[aria-labelledby="active-heading"]')).toEqual([
      'INC-3 Drained pool | S1 critical | Validated | open 1 h 00 min | 2 due, overdue',
      'INC-5 RPC down | S2 major | Detected | open 15 min | —',
    ]);
    expect(rows(container, '[aria-labelledby="past-heading"]')[0]).toContain('INC-1 Old gas spike');
    const exercises = rows(container, '[data-testid="exercises"]');
    expect(exercises).toEqual([
      'EXERCISE INC-7 Tabletop: drained pool | S1 critical | Validated | open 1 h 00 min | 1 due, overdue',
    ]);
    expect(
      container.querySelector('[data-incident="INC-7"] [data-testid="exercise-label"]'),
    ).not.toBeNull();
    expect(
      container.querySelector('[data-incident="INC-3"] [data-testid="exercise-label"]'),
    ).toBeNull();
    expect(
      container
        .querySelector('[data-incident="INC-3"] [data-testid="incident-link"]')
        ?.getAttribute('href'),
    ).toBe('#/incidents/INC-3');
    expect(container.querySelectorAll('[style]').length).toBe(0);
  });
});
