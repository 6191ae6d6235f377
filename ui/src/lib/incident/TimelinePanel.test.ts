import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import type { TimelineEntry } from '../api';
import TimelinePanel from './TimelinePanel.svelte';

/** Entries `from`..=`to`, a note each. */
function entries(from: number, to: number): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (let seq = from; seq <= to; seq++) {
    out.push({
      seq,
      at: new Date(Date.UTC(2026, 2, 4, 12, 0, seq)).toISOString(),
      author: 'Ada Example',
      kind: 'note',
      text: `note ${seq}`,
      detail: '',
      hash: `h${seq}`,
      clockBack: false,
    });
  }
  return out;
}

function shown(container: HTMLElement): number[] {
  return [...container.querySelectorAll('[data-testid="timeline-entry"]')].map((li) =>
    Number(li.getAttribute('data-seq')),
  );
}

const props = {
  act: async () => undefined,
  onexport: () => undefined,
};

describe('TimelinePanel', () => {
  it('shows a short timeline whole, with nothing to ask for', () => {
    const { container, queryByText } = render(TimelinePanel, {
      ...props,
      entries: entries(1, 5),
      total: 5,
      loadEarlier: vi.fn(),
    });
    expect(shown(container)).toEqual([5, 4, 3, 2, 1]);
    expect(container.querySelector('[data-action="timeline-earlier"]')).toBeNull();
    expect(queryByText(/Newest first · 5 events/)).not.toBeNull();
  });

  it('shows a long timeline newest first, and earlier events a page at a time', async () => {
    const loadEarlier = vi.fn(async (before: number, limit: number) =>
      entries(Math.max(1, before - limit), before - 1),
    );
    const { container, getByTestId, rerender } = render(TimelinePanel, {
      ...props,
      entries: entries(701, 1000),
      total: 1000,
      loadEarlier,
    });
    expect(shown(container)).toHaveLength(300);
    expect(getByTestId('timeline-count').textContent).toMatch(/1000 events, the newest 300 shown/);
    const earlier = container.querySelector<HTMLButtonElement>('[data-action="timeline-earlier"]');
    expect(earlier?.textContent).toBe('Show 300 earlier events');

    await fireEvent.click(earlier!);
    await waitFor(() => expect(shown(container)).toHaveLength(600));
    expect(loadEarlier).toHaveBeenCalledWith(701, 300);
    expect(shown(container).at(-1)).toBe(401);

    // Five more events: the view moves on; what was shown stays, nothing is missing between.
    await rerender({ ...props, entries: entries(706, 1005), total: 1005, loadEarlier });
    await waitFor(() => expect(shown(container)).toHaveLength(605));
    expect(shown(container)[0]).toBe(1005);
    expect(loadEarlier).toHaveBeenCalledTimes(1);

    // More came than the view holds: the gap is read, once.
    await rerender({ ...props, entries: entries(1401, 1700), total: 1700, loadEarlier });
    await waitFor(() => expect(loadEarlier).toHaveBeenCalledTimes(2));
    expect(loadEarlier).toHaveBeenLastCalledWith(1401, 1401 - 1 - 1005);
    await waitFor(() => expect(shown(container)).toHaveLength(1300));
    const seqs = shown(container);
    expect(seqs.every((seq, i) => i === 0 || seqs[i - 1] === seq + 1)).toBe(true);
  });

  it('closes a hole larger than one answer holds, a page at a time', async () => {
    // The backend answers at most 1,200 entries a time.
    const loadEarlier = vi.fn(async (before: number, limit: number) =>
      entries(Math.max(1, before - Math.min(limit, 1200)), before - 1),
    );
    const { container, rerender } = render(TimelinePanel, {
      ...props,
      entries: entries(701, 1000),
      total: 1000,
      loadEarlier,
    });
    await fireEvent.click(container.querySelector('[data-action="timeline-earlier"]')!);
    await waitFor(() => expect(shown(container)).toHaveLength(600));
    // 2,000 events came at once (a laptop back online): 1001–2700 are not held yet.
    await rerender({ ...props, entries: entries(2701, 3000), total: 3000, loadEarlier });
    await waitFor(() => expect(shown(container)).toHaveLength(2600));
    const seqs = shown(container);
    expect(seqs.every((seq, i) => i === 0 || seqs[i - 1] === seq + 1)).toBe(true);
    expect(loadEarlier).toHaveBeenCalledTimes(3);
  });

  it('keeps what the view held while an earlier page was on its way', async () => {
    let answer: (page: TimelineEntry[]) => void = () => undefined;
    const loadEarlier = vi.fn(
      (before: number, limit: number) =>
        new Promise<TimelineEntry[]>((resolve) => {
          answer = () => resolve(entries(Math.max(1, before - limit), before - 1));
        }),
    );
    const { container, rerender } = render(TimelinePanel, {
      ...props,
      entries: entries(201, 500),
      total: 500,
      loadEarlier,
    });
    await fireEvent.click(container.querySelector('[data-action="timeline-earlier"]')!);
    // One event more before the answer: the view moves on to 202–501.
    await rerender({ ...props, entries: entries(202, 501), total: 501, loadEarlier });
    answer([]);
    await waitFor(() => expect(shown(container)).toHaveLength(501));
    expect(shown(container).at(-1)).toBe(1);
  });

  it('says when earlier events cannot be read, and keeps what it shows', async () => {
    const loadEarlier = vi.fn(async () => {
      throw new Error('the database is busy');
    });
    const { container, findByRole } = render(TimelinePanel, {
      ...props,
      entries: entries(301, 600),
      total: 600,
      loadEarlier,
    });
    await fireEvent.click(container.querySelector('[data-action="timeline-earlier"]')!);
    expect((await findByRole('alert')).textContent).toMatch(/Could not read the earlier events/);
    expect(shown(container)).toHaveLength(300);
  });
});
