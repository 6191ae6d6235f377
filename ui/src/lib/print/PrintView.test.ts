import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import { SECTIONS } from '../nav';
import { fixturePlan } from '../plan/fixture';
import PrintView from './PrintView.svelte';

function setup() {
  const plan = fixturePlan();
  plan.onCall = [
    {
      category: 'hack',
      members: ['ada', 'chloe'],
      handoverDay: 'monday',
      handoverTime: '09:00',
      timeZone: 'Europe/Berlin',
      startsOn: '2026-01-05',
      overrides: [{ member: 'chloe', from: '2026-02-02', until: '2026-02-09', note: 'Ada away' }],
    },
  ];
  const onprint = vi.fn();
  return { plan, onprint, ...render(PrintView, { plan, onprint }) };
}

describe('PrintView', () => {
  it('is one page root with a cover, contents and every section', () => {
    const { container } = setup();
    expect(
      Array.from(container.querySelectorAll('[data-section]')).map((e) =>
        e.getAttribute('data-section'),
      ),
    ).toEqual(['print']);
    expect(container.querySelectorAll('[data-row]').length).toBe(0);
    const cover = container.querySelector('.cover');
    expect(cover?.querySelector('h1')?.textContent).toBe('Test plan');
    expect(cover?.textContent).toContain('Test org');
    expect(cover?.textContent).toMatch(/Printed \S/);
    expect(cover?.textContent).toContain(
      'Keep a printed copy where the team can reach it when laptops are down',
    );
    const parts = Array.from(container.querySelectorAll('section.part > h2')).map(
      (h) => h.textContent,
    );
    expect(parts).toEqual([
      ...SECTIONS.map((s) => `${s.number}. ${s.title}`),
      'Exercise policy',
      'Contact sheet',
    ]);
    const contents = Array.from(container.querySelectorAll('.contents li')).map((li) =>
      li.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(contents[0]).toBe('Potential issues (4 issues)');
    expect(contents.length).toBe(9);
  });

  it('prints every step with its details and the decisions it needs', () => {
    const { container, plan } = setup();
    const text = container.textContent ?? '';
    for (const step of plan.procedures.flatMap((p) => p.steps)) {
      expect(text).toContain(step.action);
      expect(text).toContain(step.how);
    }
    expect(text).toContain('Needs decision: Pause contract');
    expect(text).toContain('Outflow above 5%');
    expect(text).toContain('Mondays at 09:00 (Europe/Berlin)');
    expect(text).toContain('Ada Example → Chloe Demo');
    expect(text).toContain('Chloe Demo from 2026-02-02 until 2026-02-09 (Ada away)');
    expect(text).toContain('Every 4 weeks while the plan is new');
    // `inline code` is shown as code, as text.
    expect(
      Array.from(container.querySelectorAll('code')).some((c) => c.textContent === 'cast'),
    ).toBe(true);
  });

  it('has everyone from both teams on the contact sheet', () => {
    const { getByTestId, plan } = setup();
    const sheet = getByTestId('contact-sheet');
    const rows = Array.from(sheet.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.children).map((c) => c.textContent?.trim()),
    );
    expect(rows.map((r) => r[0])).toEqual([
      ...plan.coreTeam.map((m) => m.name),
      ...plan.extendedTeam.map((c) => c.name),
    ]);
    expect(rows[0]).toEqual([
      'Ada Example',
      'Core',
      'CEO',
      'ada@example.com',
      '@ada',
      '+1 555 0100',
      'Hacker attack, Network problem',
    ]);
    expect(rows[4]).toEqual([
      'Metro Police',
      'Extended',
      'Law enforcement',
      '—',
      '—',
      '+1 555 0112',
      '—',
    ]);
  });

  it('prints on request and shows why it could not', async () => {
    const { getByRole, onprint, rerender, findByRole } = setup();
    await fireEvent.click(getByRole('button', { name: 'Print' }));
    expect(onprint).toHaveBeenCalledTimes(1);
    await rerender({ error: 'Could not open the print dialog: no printer' });
    expect((await findByRole('alert')).textContent).toBe(
      'Could not open the print dialog: no printer',
    );
  });
});
