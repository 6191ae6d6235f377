import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { SearchHit } from '../api';

const api = vi.hoisted(() => ({ searchPlan: vi.fn(), listIncidents: vi.fn(), getAgenda: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { incidents } from '../incident';
import { summary } from '../incident/fixture';
import Palette from './Palette.svelte';

const HITS: SearchHit[] = [
  {
    section: 'issues',
    element: 'gas',
    title: 'Gas spike',
    snippet: [
      { text: 'Base ', hit: false },
      { text: 'fee', hit: true },
      { text: ' above <b>150</b> gwei', hit: false },
    ],
  },
  { section: 'coreTeam', element: 'ada', title: 'Ada Example', snippet: [] },
  {
    section: 'procedures',
    element: 'contain',
    title: 'Contain the exploit',
    snippet: [{ text: 'Pause', hit: true }],
  },
];

function setup(initial = '') {
  const onclose = vi.fn();
  const view = render(Palette, { initial, onclose });
  const input = view.getByTestId('palette-input') as HTMLInputElement;
  const results = () =>
    Array.from(view.container.querySelectorAll('[data-testid="palette-result"]'));
  const selected = () =>
    view.container.querySelector('[aria-selected="true"] .title')?.textContent ?? null;
  return { ...view, onclose, input, results, selected };
}

beforeEach(() => {
  api.searchPlan.mockReset();
  window.history.replaceState(null, '', '#/');
});

afterEach(async () => {
  window.history.replaceState(null, '', '#/');
  // The incident list is the app's one cache: leave it empty for the next test.
  api.listIncidents.mockResolvedValue([]);
  api.getAgenda.mockResolvedValue({ due: [], upcoming: [], nextAt: null });
  await incidents.refresh();
});

describe('Palette', () => {
  it('finds incidents too, by id or title, above the plan, and opens one', async () => {
    api.listIncidents.mockResolvedValue([summary({ id: 'INC-3', title: 'Drained pool' })]);
    api.getAgenda.mockResolvedValue({ due: [], upcoming: [], nextAt: null });
    await incidents.refresh();
    api.searchPlan.mockResolvedValue(HITS.slice(0, 1));
    const { input, results, onclose } = setup();
    await fireEvent.input(input, { target: { value: 'drained' } });
    await waitFor(() => expect(results().length).toBe(2));
    expect(results()[0]?.querySelector('.title')?.textContent).toBe('INC-3 Drained pool');
    expect(results()[0]?.getAttribute('href')).toBe('#/incidents/INC-3');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onclose).toHaveBeenCalled();
    await waitFor(() => expect(window.location.hash).toBe('#/incidents/INC-3'));
  });

  it('is a modal with its input focused and a hint while empty', () => {
    const { getByTestId, input, container } = setup();
    expect(getByTestId('palette').getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(input);
    expect(container.textContent).toContain(
      'Type to search the plan, incidents, decisions and exercises.',
    );
    expect(container.querySelector('[data-section]')).toBeNull();
  });

  it('searches as you type, once typing pauses, and marks the hits as text', async () => {
    api.searchPlan.mockResolvedValue(HITS);
    const { input, results } = setup();
    await fireEvent.input(input, { target: { value: 'f' } });
    await fireEvent.input(input, { target: { value: 'fe' } });
    await fireEvent.input(input, { target: { value: 'fee' } });
    await waitFor(() => expect(results().length).toBe(3));
    expect(api.searchPlan.mock.calls).toEqual([['fee', 20]]);
    const first = results()[0] as HTMLElement;
    expect(first.querySelector('.title')?.textContent).toBe('Gas spike');
    expect(first.querySelector('.section')?.textContent).toBe('Potential issues');
    expect(Array.from(first.querySelectorAll('mark')).map((m) => m.textContent)).toEqual(['fee']);
    expect(first.querySelector('.snippet')?.textContent).toBe('Base fee above <b>150</b> gwei');
    expect(first.querySelector('b')).toBeNull();
    expect(results()[1]?.querySelector('mark')).toBeNull();
  });

  it('ignores an answer that comes back after a newer one', async () => {
    const answers = new Map<string, (hits: SearchHit[]) => void>();
    api.searchPlan.mockImplementation(
      (query: string) => new Promise((resolve) => answers.set(query, resolve)),
    );
    const { input, results } = setup();
    await fireEvent.input(input, { target: { value: 'ga' } });
    await waitFor(() => expect(answers.has('ga')).toBe(true));
    await fireEvent.input(input, { target: { value: 'ada' } });
    await waitFor(() => expect(answers.has('ada')).toBe(true));
    answers.get('ada')?.([HITS[1] as SearchHit]);
    await waitFor(() => expect(results().length).toBe(1));
    answers.get('ga')?.(HITS);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(results().map((r) => r.querySelector('.title')?.textContent)).toEqual(['Ada Example']);
  });

  it('starts with what was typed elsewhere and says when nothing matches', async () => {
    api.searchPlan.mockResolvedValue([]);
    const { input, container } = setup('zzz');
    expect(input.value).toBe('zzz');
    await waitFor(() => expect(container.textContent).toContain('No matches for “zzz”.'));
    expect(api.searchPlan).toHaveBeenCalledWith('zzz', 20);
  });

  it('moves the selection with the arrow keys and opens it with Enter', async () => {
    api.searchPlan.mockResolvedValue(HITS);
    const { input, results, selected, onclose } = setup('a');
    await waitFor(() => expect(results().length).toBe(3));
    expect(selected()).toBe('Gas spike');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(selected()).toBe('Ada Example');
    expect(input.getAttribute('aria-activedescendant')).toBe('palette-option-1');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(selected()).toBe('Gas spike');
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(selected()).toBe('Contain the exploit');
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(window.location.hash).toBe('#/core-team/ada');
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('opens a result on click', async () => {
    api.searchPlan.mockResolvedValue(HITS);
    const { results, onclose } = setup('a');
    await waitFor(() => expect(results().length).toBe(3));
    await fireEvent.click(results()[2] as Element);
    expect(window.location.hash).toBe('#/procedures/contain');
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('closes on Escape and on a click outside, but not on a click inside', async () => {
    const { input, getByTestId, onclose } = setup();
    await fireEvent.click(getByTestId('palette'));
    expect(onclose).not.toHaveBeenCalled();
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(1);
    await fireEvent.click(getByTestId('palette').parentElement as Element);
    expect(onclose).toHaveBeenCalledTimes(2);
    expect(window.location.hash).toBe('#/');
  });
});
