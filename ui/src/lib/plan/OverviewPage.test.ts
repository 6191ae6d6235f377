import { render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ listRevisions: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { fixtureOutline } from './fixture';
import OverviewPage from './OverviewPage.svelte';

beforeEach(() => api.listRevisions.mockReset());

describe('OverviewPage', () => {
  it('shows who changed what, newest first, at most six', async () => {
    api.listRevisions.mockResolvedValue(
      Array.from({ length: 8 }, (_, i) => ({
        id: 8 - i,
        createdAt: `2026-12-01T10:0${8 - i}:00Z`,
        author: i % 2 === 0 ? 'Ben Sample' : 'Ada Example',
        summary: `Edited issue “Drained pool” (${8 - i}) (from Ben Sample's laptop)`,
      })),
    );
    const { container } = render(OverviewPage, { plan: fixtureOutline() });
    await waitFor(() =>
      expect(container.querySelectorAll('[data-testid="change-feed-item"]')).toHaveLength(6),
    );
    const first = container.querySelector('[data-testid="change-feed-item"]');
    expect(first?.querySelector('.who')?.textContent).toBe('Ben Sample');
    expect(first?.querySelector('.what')?.textContent).toContain('(8)');
  });

  it('says the changes are loading until they come, then that there is none yet', async () => {
    let answer: (value: []) => void = () => {};
    api.listRevisions.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { container } = render(OverviewPage, { plan: fixtureOutline() });
    await waitFor(() => expect(api.listRevisions).toHaveBeenCalled());
    expect(container.textContent).toContain('Loading the recent changes…');
    expect(container.textContent).not.toContain('No change yet.');
    answer([]);
    await waitFor(() => expect(container.textContent).toContain('No change yet.'));
    expect(container.querySelector('[data-loading]')).toBeNull();
  });
});
