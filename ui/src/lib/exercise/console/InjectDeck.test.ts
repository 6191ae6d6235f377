import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import type { Scenario, ScenarioRun } from '../../api';
import { run, scenarios } from './fixture';
import InjectDeck from './InjectDeck.svelte';

function open(props: { scenario?: Scenario; run?: ScenarioRun; running?: boolean } = {}) {
  const ondeclare = vi.fn();
  const rendered = render(InjectDeck, {
    scenario: props.scenario ?? scenarios()[0]!,
    run: props.run ?? run(),
    running: props.running ?? true,
    ondeclare,
  });
  const all = (selector: string) => Array.from(rendered.container.querySelectorAll(selector));
  return { ...rendered, all, ondeclare };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('InjectDeck', () => {
  it('shows when an inject was declared, and a Declare button on the others', async () => {
    const { all, container, ondeclare } = open({
      run: run({ injects: [{ inject: 'inj-1', at: '2026-03-04T13:53:10Z' }] }),
    });
    expect(text(container.querySelector('.count'))).toBe('1 of 2 declared');
    expect(all('[data-testid="inject-card"]').map((c) => c.getAttribute('data-declared'))).toEqual([
      'true',
      'false',
    ]);
    expect(text(container.querySelector('[data-inject="inj-1"] [data-testid="inject-at"]'))).toBe(
      'Declared +03:10',
    );
    const buttons = all('[data-testid="declare-inject"]');
    expect(buttons.length).toBe(1);
    expect(text(buttons[0]?.querySelector('.muted'))).toBe('· Alt+2');
    await fireEvent.click(buttons[0]!);
    expect(ondeclare).toHaveBeenCalledWith(2);
  });

  it('offers Alt+N for the first nine only, and declares nothing once the scenario ended', () => {
    const [base] = scenarios();
    const injects = Array.from({ length: 10 }, (_, i) => ({
      key: `inj-${i + 1}`,
      title: '',
      text: '',
    }));
    const { all } = open({ scenario: { ...base!, injects }, running: false });
    const buttons = all('[data-testid="declare-inject"]') as HTMLButtonElement[];
    expect(buttons.map((b) => b.getAttribute('aria-keyshortcuts'))).toEqual([
      ...injects.slice(0, 9).map((_, i) => `Alt+${i + 1}`),
      null,
    ]);
    expect(text(buttons[9])).toBe('Declare');
    expect(buttons.every((b) => b.disabled)).toBe(true);
    expect(text(all('[data-testid="inject-card"] strong')[9])).toBe('Inject 10');
  });

  it('says so when the scenario has no injects', () => {
    const { container } = open({ scenario: { ...scenarios()[0]!, injects: [] } });
    expect(text(container.querySelector('.empty'))).toBe('This scenario has no injects.');
  });
});
