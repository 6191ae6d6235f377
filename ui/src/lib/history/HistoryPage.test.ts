import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { DiffEntry, RevisionInfo } from '../api';
import { fixturePlan } from '../plan/fixture';

const api = vi.hoisted(() => ({
  listRevisions: vi.fn(),
  diffRevisions: vi.fn(),
  restoreRevision: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import HistoryPage from './HistoryPage.svelte';
import { localTime } from '../kit/time';

const REVISIONS: RevisionInfo[] = [
  { id: 3, createdAt: '2026-03-04T09:05:00Z', author: 'Ada', summary: 'Changed issue “Gas spike”' },
  { id: 2, createdAt: '2026-03-03T17:40:00Z', author: 'Ben', summary: 'Added procedure “Wait”' },
  { id: 1, createdAt: '2026-03-01T08:00:00Z', author: 'Muster', summary: 'Starter plan' },
];

const DIFF: DiffEntry[] = [
  {
    section: 'issues',
    key: 'gas',
    title: 'Gas spike',
    kind: 'changed',
    fields: [
      { field: 'detection.signal', before: 'Base fee above 100 gwei', after: '<i>150</i> gwei' },
      { field: 'severity', before: 'S3', after: '' },
    ],
  },
  {
    section: 'procedures',
    key: '',
    title: 'Order of procedures',
    kind: 'moved',
    fields: [{ field: 'order', before: 'a, b', after: 'b, a' }],
  },
];

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.listRevisions.mockResolvedValue(REVISIONS);
  api.diffRevisions.mockResolvedValue(DIFF);
});

async function shown() {
  const view = render(HistoryPage, { plan: fixturePlan() });
  await waitFor(() => expect(view.container.querySelectorAll('[data-row]').length).toBe(3));
  const row = (id: number) => {
    const el = view.container.querySelector<HTMLElement>(`[data-revision="${id}"]`);
    if (el === null) {
      throw new Error(`no row ${id}`);
    }
    return el;
  };
  return { ...view, row };
}

function cells(row: HTMLElement): string[] {
  return Array.from(row.querySelectorAll('td'))
    .slice(1, 5)
    .map((td) => td.textContent?.trim() ?? '');
}

describe('HistoryPage', () => {
  it('lists revisions newest first with local time, author and summary', async () => {
    const { container, row } = await shown();
    expect(container.querySelectorAll('[data-section="history"]').length).toBe(1);
    expect(cells(row(3))).toEqual([
      '3',
      localTime('2026-03-04T09:05:00Z'),
      'Ada',
      'Changed issue “Gas spike”',
    ]);
    expect(localTime('2026-03-04T09:05:00Z')).toMatch(/^2026-03-0[45] \d\d:\d5$/);
    // The newest is the current plan; the oldest has nothing before it to compare with.
    expect(row(3).querySelector('[data-action="restore"]')).toBeNull();
    expect(row(1).querySelector('[data-action="compare-previous"]')).toBeNull();
  });

  it('shows what a revision changed, field by field, as text', async () => {
    const { row, findByTestId } = await shown();
    await fireEvent.click(row(3).querySelector('[data-action="compare-previous"]') as Element);
    const diff = await findByTestId('diff');
    expect(api.diffRevisions).toHaveBeenCalledWith(2, 3);
    expect(diff.querySelector('h2')?.textContent).toBe('Changes from revision 2 to revision 3');
    const entries = Array.from(diff.querySelectorAll('article'));
    expect(
      entries.map((e) => e.querySelector('h3')?.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual([
      'Changed Gas spike Potential issues',
      'Reordered Order of procedures Response procedures',
    ]);
    const table = Array.from(entries[0]?.querySelectorAll('tbody tr') ?? []).map((tr) =>
      Array.from(tr.children).map((c) => c.textContent?.trim()),
    );
    expect(table).toEqual([
      ['detection › signal', 'Base fee above 100 gwei', '<i>150</i> gwei'],
      ['severity', 'S3', '—'],
    ]);
    expect(diff.querySelector('i')).toBeNull();
    expect(diff.querySelectorAll('[data-row]').length).toBe(0);
  });

  it('compares the two revisions ticked, oldest first', async () => {
    const { row, findByTestId } = await shown();
    await fireEvent.click(row(3).querySelector('input[type="checkbox"]') as Element);
    expect(api.diffRevisions).not.toHaveBeenCalled();
    await fireEvent.click(row(1).querySelector('input[type="checkbox"]') as Element);
    await findByTestId('diff');
    expect(api.diffRevisions).toHaveBeenCalledWith(1, 3);
  });

  it('restores a revision only after it is confirmed', async () => {
    api.restoreRevision.mockResolvedValue({
      id: 4,
      createdAt: '2026-03-05T10:00:00Z',
      author: 'Ada',
      summary: 'Restored revision 2',
    });
    const { row, getByTestId, queryByTestId, findByRole } = await shown();
    const restore = row(2).querySelector<HTMLElement>('[data-action="restore"]');
    await fireEvent.click(restore as Element);
    const dialog = getByTestId('confirm');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('Restore revision 2?');
    expect(document.activeElement?.getAttribute('data-action')).toBe('dismiss');

    await fireEvent.click(dialog.querySelector('[data-action="dismiss"]') as Element);
    expect(queryByTestId('confirm')).toBeNull();
    expect(api.restoreRevision).not.toHaveBeenCalled();

    await fireEvent.click(restore as Element);
    await fireEvent.keyDown(getByTestId('confirm'), { key: 'Escape' });
    expect(queryByTestId('confirm')).toBeNull();
    expect(api.restoreRevision).not.toHaveBeenCalled();

    await fireEvent.click(restore as Element);
    await fireEvent.click(
      getByTestId('confirm').querySelector('[data-action="confirm"]') as Element,
    );
    expect(queryByTestId('confirm')).toBeNull();
    expect(api.restoreRevision).toHaveBeenCalledTimes(1);
    expect(api.restoreRevision).toHaveBeenCalledWith(2);
    await waitFor(async () =>
      expect((await findByRole('status')).textContent).toBe('Restored revision 2'),
    );
    expect(api.listRevisions).toHaveBeenCalledTimes(2);
  });

  it('says why a restore failed', async () => {
    api.restoreRevision.mockRejectedValue({ code: 'refused', message: 'the plan is locked' });
    const { row, getByTestId, findByRole } = await shown();
    await fireEvent.click(row(1).querySelector('[data-action="restore"]') as Element);
    await fireEvent.click(
      getByTestId('confirm').querySelector('[data-action="confirm"]') as Element,
    );
    await waitFor(async () =>
      expect((await findByRole('status')).textContent).toBe(
        'Could not restore revision 1: the plan is locked',
      ),
    );
  });
});
