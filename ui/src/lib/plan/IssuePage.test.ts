import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import { fixturePlan } from './fixture';
import IssuePage from './IssuePage.svelte';

function texts(root: HTMLElement, testid: string): string[] {
  return Array.from(root.querySelectorAll(`[data-testid="${testid}"]`)).map(
    (el) => el.textContent ?? '',
  );
}

const ondeclare = vi.fn();

describe('IssuePage', () => {
  it('asks the app to declare an incident from this issue', async () => {
    ondeclare.mockClear();
    const { container } = render(IssuePage, { plan: fixturePlan(), id: 'drain', ondeclare });
    const button = container.querySelector('[data-action="declare-incident"]') as HTMLElement;
    await fireEvent.click(button);
    expect(ondeclare).toHaveBeenCalledWith('drain');
  });

  it('shows the issue with its detection, escalation and owners', () => {
    const { container, getByRole } = render(IssuePage, {
      plan: fixturePlan(),
      id: 'drain',
      ondeclare,
    });
    const page = container.querySelector('[data-testid="issue-page"]');
    expect(page).not.toBeNull();
    expect(getByRole('heading', { level: 1 }).textContent).toBe('Drained pool');
    expect(texts(container, 'detection-signal')).toEqual(['Outflow above 5%']);
    expect(texts(container, 'escalation')).toEqual([
      'Core team: upon detection · Extended team: upon validation · Unanswered after 5 min: page the backup',
    ]);
    expect(texts(container, 'owner-name')).toEqual(['Ada Example', 'Chloe Demo']);
    expect(container.textContent).toContain('ada@example.com');
    expect(container.querySelector('a[href="mailto:chloe@example.com"]')).not.toBeNull();
  });

  it('lists every step of its procedures in order', () => {
    const { container } = render(IssuePage, { plan: fixturePlan(), id: 'drain', ondeclare });
    expect(texts(container, 'step-action')).toEqual([
      'Open the war room',
      'Pause the pool',
      'Tell the police',
      'Pause the other pool',
      'Ship the fix',
      'Check the pause',
    ]);
    expect(container.textContent).toContain('How to pause the pool');
    // Inline code in a step's details is shown as code, as text.
    expect(container.querySelector('dd code')?.textContent).toBe('cast');
  });

  it('marks steps that need a decision and lists each decision once', () => {
    const { container, getAllByText } = render(IssuePage, {
      plan: fixturePlan(),
      id: 'drain',
      ondeclare,
    });
    const chips = getAllByText(/^Needs decision:/).map((el) => [
      el.textContent,
      el.getAttribute('href'),
    ]);
    expect(chips).toEqual([
      ['Needs decision: Pause contract', '#/decisions/pause'],
      ['Needs decision: Notify law enforcement', '#/decisions/police'],
      ['Needs decision: Pause contract', '#/decisions/pause'],
      ['Needs decision: Upgrade contract', '#/decisions/upgrade'],
      ['Needs decision: Pause contract', '#/decisions/pause'],
    ]);
    expect(texts(container, 'decision-title')).toEqual([
      'Pause contract',
      'Notify law enforcement',
      'Upgrade contract',
    ]);
    expect(container.textContent).toContain('plus 1 of: Ben Sample, Chloe Demo');
  });

  it('is one section page with no rows', () => {
    const { container } = render(IssuePage, { plan: fixturePlan(), id: 'drain', ondeclare });
    const sections = container.querySelectorAll('[data-section]');
    expect(Array.from(sections).map((el) => el.getAttribute('data-section'))).toEqual(['issues']);
    expect(container.querySelectorAll('[data-row]').length).toBe(0);
  });

  it('says calmly what is missing', () => {
    const { container } = render(IssuePage, { plan: fixturePlan(), id: 'phish', ondeclare });
    expect(container.textContent).toContain('Nobody on the core team owns this category yet.');
    expect(container.textContent).toContain('No procedure answers this issue yet.');
    expect(texts(container, 'escalation')).toEqual([
      'No escalation rule for Operational problem yet.',
    ]);
  });

  it('shows a clear state with a way back for an unknown id', () => {
    const { container, getByRole } = render(IssuePage, {
      plan: fixturePlan(),
      id: 'nope',
      ondeclare,
    });
    expect(getByRole('heading', { level: 1 }).textContent).toBe('No issue with id “nope”');
    expect(getByRole('link', { name: 'Back to potential issues' }).getAttribute('href')).toBe(
      '#/issues',
    );
    expect(container.querySelector('[data-testid="issue-page"]')).toBeNull();
  });
});
