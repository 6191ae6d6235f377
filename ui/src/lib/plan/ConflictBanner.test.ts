import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  planConflicts: vi.fn(),
  settleConflict: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { PlanConflict } from '../api';
import ConflictBanner from './ConflictBanner.svelte';
import { conflictField, conflictScope, conflicts } from './conflicts.svelte';
import { fixtureOutline } from './fixture';

const SIGNAL: PlanConflict = {
  section: 'issues',
  key: 'drain',
  field: '/detection/signal',
  title: 'Drained pool',
  values: [
    {
      value: 'Outflow above 5%',
      shown: 'Outflow above 5%',
      author: 'ben',
      at: '2026-12-01T10:02:00Z',
      event: 'b'.repeat(64),
    },
    {
      value: '<b>Outflow</b> above 3%',
      shown: '<b>Outflow</b> above 3%',
      author: 'ada',
      at: '2026-12-01T10:01:00Z',
      event: 'a'.repeat(64),
    },
  ],
};

const OTHER: PlanConflict = { ...SIGNAL, key: 'other', title: 'Another issue' };

beforeEach(async () => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  api.planConflicts.mockResolvedValue([SIGNAL, OTHER]);
  await conflicts.refresh();
});

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('ConflictBanner', () => {
  it("shows each value of the element's conflicts with who wrote it, as text", async () => {
    const { container } = render(ConflictBanner, {
      people: fixtureOutline().people,
      section: ['issues'],
      key: 'drain',
    });
    await waitFor(() =>
      expect(container.querySelectorAll('[data-testid="conflict"]')).toHaveLength(1),
    );
    const conflict = container.querySelector('[data-testid="conflict"]');
    expect(conflict?.getAttribute('data-field')).toBe('/detection/signal');
    expect(text(conflict?.querySelector('h3'))).toBe('Detection signal');
    const values = Array.from(container.querySelectorAll('[data-testid="conflict-value"]'));
    expect(values.map((v) => v.getAttribute('data-author'))).toEqual(['ben', 'ada']);
    expect(text(values[0])).toContain('shown now');
    expect(text(values[1])).toContain('Ada Example');
    // Hostile text stays text.
    expect(values[1]?.querySelector('b')).toBeNull();
    expect(text(values[1])).toContain('<b>Outflow</b> above 3%');
  });

  it('keeps the chosen value by its event, and says why when that is refused', async () => {
    api.settleConflict.mockRejectedValueOnce({
      code: 'refused',
      message: 'the keychain is locked',
    });
    const { container } = render(ConflictBanner, {
      people: fixtureOutline().people,
      section: ['issues'],
      key: 'drain',
    });
    await waitFor(() =>
      expect(container.querySelectorAll('[data-action="keep-value"]')).toHaveLength(2),
    );
    const keepAdas = container.querySelectorAll('[data-action="keep-value"]')[1] as HTMLElement;
    expect(text(keepAdas)).toBe("Keep Ada Example's");
    await fireEvent.click(keepAdas);
    expect(api.settleConflict).toHaveBeenCalledWith(
      'issues',
      'drain',
      '/detection/signal',
      'a'.repeat(64),
    );
    await waitFor(() =>
      expect(text(container.querySelector('.error-text'))).toBe('the keychain is locked'),
    );
  });

  it('lists a whole section with each element named, and nothing when all is settled', async () => {
    const { container } = render(ConflictBanner, {
      people: fixtureOutline().people,
      section: ['issues'],
    });
    await waitFor(() =>
      expect(container.querySelectorAll('[data-testid="conflict"]')).toHaveLength(2),
    );
    expect(text(container.querySelectorAll('h3')[1])).toBe('Another issue · Detection signal');
    api.planConflicts.mockResolvedValue([]);
    await conflicts.refresh();
    await waitFor(() => expect(container.querySelector('[data-testid="conflict"]')).toBeNull());
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });
});

describe('conflict words', () => {
  it('names fields for people, and the pages that show them', () => {
    expect(conflictField('/detection/signal')).toBe('Detection signal');
    expect(conflictField('/pageAfterMinutes')).toBe('Page after minutes');
    expect(conflictField('')).toBe('Whether it stays in the plan');
    expect(conflictScope({ page: 'issue', id: 'drain' })).toEqual({
      sections: ['issues'],
      key: 'drain',
    });
    expect(conflictScope({ page: 'overview' })?.sections).toContain('meta');
    expect(conflictScope({ page: 'incidents' })).toBeUndefined();
  });
});
