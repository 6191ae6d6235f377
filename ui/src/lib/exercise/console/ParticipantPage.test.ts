import { render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  getParticipantView: vi.fn(),
  onExercisesChanged: vi.fn(),
}));
vi.mock('../../api', async (original) => ({ ...(await original<object>()), ...api }));

import { NOW, participantView, scenarios } from './fixture';
import ParticipantPage from './ParticipantPage.svelte';

let changed: (() => void) | undefined;

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  changed = undefined;
  api.getParticipantView.mockResolvedValue(participantView());
  api.onExercisesChanged.mockImplementation((handler: () => void) => {
    changed = handler;
    return Promise.resolve(() => (changed = undefined));
  });
});

afterEach(() => {
  vi.useRealTimers();
});

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function open() {
  const rendered = render(ParticipantPage, { id: 'EX-1' });
  const q = (selector: string) => document.body.querySelector<HTMLElement>(selector) as HTMLElement;
  const all = (selector: string) => Array.from(document.body.querySelectorAll(selector));
  await waitFor(() => expect(q('[data-testid="participant-title"]')).not.toBeNull());
  return { ...rendered, q, all };
}

describe('ParticipantPage', () => {
  it('shows only what was revealed, in big type, under an EXERCISE banner', async () => {
    const { q, all } = await open();
    expect(api.getParticipantView).toHaveBeenCalledWith('EX-1');
    const page = q('[data-testid="participant-view"]');
    expect(text(page.querySelector('.banner'))).toMatch(/^EXERCISE/);
    expect(text(q('[data-testid="participant-title"]'))).toBe('Spring exercise');
    expect(text(q('[data-testid="participant-scenario"]'))).toBe('Scenario 1 of 2: Drained pool');
    expect(text(q('[data-testid="participant-clock"]'))).toBe('10:00');
    expect(text(q('[data-testid="participant-situation"]'))).toBe(
      'The outflow alert fires: 8% of the pool left in ten minutes.',
    );
    expect(all('[data-testid="participant-inject"]').map(text)).toEqual([
      '+05:30 A journalist calls She asks whether funds are safe.',
      '+02:00 Funds move to a mixer The attacker moves 300 ETH.',
    ]);
    // Nothing of the script: expected actions and targets never show.
    for (const hidden of [
      ...scenarios().flatMap((s) => s.expected.map((e) => e.text)),
      'Core team told',
    ]) {
      expect(text(page)).not.toContain(hidden);
    }
    expect(document.body.querySelectorAll('[data-section]').length).toBe(1);
    expect(document.body.querySelectorAll('[style]').length).toBe(0);
  });

  it('waits for the moderator until the situation is revealed, and follows changes', async () => {
    const base = participantView();
    const hidden = participantView({
      scenario: base.scenario && { ...base.scenario, situation: '', injects: [] },
    });
    api.getParticipantView.mockResolvedValue(hidden);
    const { q, all } = await open();
    expect(text(q('[data-testid="participant-situation"]'))).toBe('Waiting for the moderator…');
    expect(all('[data-testid="participant-inject"]').length).toBe(0);
    api.getParticipantView.mockResolvedValue(base);
    await waitFor(() => expect(changed).toBeDefined());
    changed?.();
    await waitFor(() => expect(all('[data-testid="participant-inject"]').length).toBe(2));
    expect(text(q('[data-testid="participant-situation"]'))).toMatch(/^The outflow alert/);
  });

  it('says so before the first scenario and after the end', async () => {
    api.getParticipantView.mockResolvedValue(
      participantView({ scenario: null, status: 'planned' }),
    );
    const { q, unmount } = await open();
    expect(text(q('[data-testid="participant-situation"]'))).toBe('Waiting for the moderator…');
    expect(q('[data-testid="participant-clock"]')).toBeNull();
    unmount();
    const base = participantView();
    api.getParticipantView.mockResolvedValue(
      participantView({
        status: 'ended',
        scenario: base.scenario && { ...base.scenario, endedAt: '2026-03-04T13:55:00Z' },
      }),
    );
    const again = await open();
    expect(text(again.q('[data-testid="participant-clock"]'))).toBe('05:00');
    expect(text(again.q('.ended'))).toBe('The exercise has ended. Thank you.');
  });
});
