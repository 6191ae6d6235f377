import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import { ApiError, type ExerciseAction, type ScenarioRun } from '../../api';
import ConsoleLog from './ConsoleLog.svelte';
import { run, scenarios } from './fixture';

function open(over: { run?: ScenarioRun; running?: boolean } = {}) {
  const onlog = vi
    .fn<(action: ExerciseAction) => Promise<ApiError | undefined>>()
    .mockResolvedValue(undefined);
  const rendered = render(ConsoleLog, {
    scenario: scenarios()[0]!,
    run: over.run ?? run(),
    running: over.running ?? true,
    kind: 'said',
    onlog,
  });
  const q = <T extends Element = HTMLElement>(selector: string) =>
    rendered.container.querySelector<T>(selector) as T;
  const all = (selector: string) => Array.from(rendered.container.querySelectorAll(selector));
  return { ...rendered, q, all, onlog };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function typeLine(input: HTMLInputElement, line: string) {
  await fireEvent.input(input, { target: { value: line } });
  await fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
}

describe('ConsoleLog', () => {
  it('logs a line with Enter in the kind chosen, "#N " linking expected action N', async () => {
    const { q, onlog } = open();
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    await typeLine(input, '#2 Paused the pool');
    expect(input.value).toBe('');
    await fireEvent.click(q('[data-testid="log-kind"][data-kind="note"]'));
    expect(q('[data-kind="note"]').getAttribute('aria-pressed')).toBe('true');
    expect(input.placeholder).toBe('A note for the read-back — Enter logs it');
    await waitFor(() => expect(document.activeElement).toBe(input));
    await typeLine(input, 'Ben hesitates');
    expect(onlog.mock.calls.map(([action]) => action)).toEqual([
      { action: 'log', scenario: 'sc-1', kind: 'said', text: 'Paused the pool', expected: 'exp-2' },
      { action: 'log', scenario: 'sc-1', kind: 'note', text: 'Ben hesitates', expected: null },
    ]);
  });

  it('says inline why it cannot take a line, and puts a refused one back', async () => {
    const { q, onlog } = open();
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    await typeLine(input, '#4 Something');
    expect(text(q('[data-testid="log-error"]'))).toBe(
      'There is no expected action #4: use #1 to #3.',
    );
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(onlog).not.toHaveBeenCalled();
    await fireEvent.input(input, { target: { value: 'Too late' } });
    expect(q('[data-testid="log-error"]')).toBeNull();
    onlog.mockResolvedValueOnce(new ApiError('refused', 'The scenario has ended.'));
    await fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
    await waitFor(() =>
      expect(text(q('[data-testid="log-error"]'))).toBe('Not logged: The scenario has ended.'),
    );
    expect(input.value).toBe('Too late');
  });

  it('lists the entries newest first; once ended, without a line to type in', () => {
    const { q, all } = open({
      running: false,
      run: run({
        endedAt: '2026-03-04T14:10:00Z',
        log: [
          {
            seq: 1,
            at: '2026-03-04T13:51:05Z',
            author: 'Ada Example',
            kind: 'did',
            text: 'Opened the war room',
            expected: 'exp-1',
          },
          {
            seq: 2,
            at: '2026-03-04T13:57:00Z',
            author: 'Ada Example',
            kind: 'note',
            text: 'Ben hesitates',
            expected: null,
          },
        ],
      }),
    });
    expect(q('[data-testid="log-input"]')).toBeNull();
    expect(text(q('.count'))).toBe('2 entries');
    expect(all('[data-testid="log-entry"]').map(text)).toEqual([
      '+07:00 Note Ben hesitates',
      '+01:05 Did Opened the war room ✓ #1 Open the war room',
    ]);
  });

  it('puts the cursor in the line when asked, unless a dialog is open', () => {
    const { q, component } = open();
    const input = q<HTMLInputElement>('[data-testid="log-input"]');
    const dialog = document.body.appendChild(document.createElement('div'));
    dialog.setAttribute('aria-modal', 'true');
    component.focus();
    expect(document.activeElement).not.toBe(input);
    dialog.remove();
    component.focus();
    expect(document.activeElement).toBe(input);
  });
});
