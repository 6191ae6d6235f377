import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';

import type { ExerciseView } from '../../api';
import { fixturePlan } from '../../plan/fixture';
import { endedView, fixtureView, runningView } from './fixture';
import ReadBackTab from './ReadBackTab.svelte';

function open(view: ExerciseView) {
  const rendered = render(ReadBackTab, { plan: fixturePlan(), view, onchange: () => {} });
  const root = rendered.container;
  const all = (selector: string, within: ParentNode = root) =>
    Array.from(within.querySelectorAll(selector));
  const q = (selector: string) => root.querySelector<HTMLElement>(selector) as HTMLElement;
  return { ...rendered, root, q, all };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('ReadBackTab', () => {
  it('says there is nothing to read back before a scenario ran', () => {
    const { root, all } = open(fixtureView());
    expect(all('[data-testid="readback"]').length).toBe(0);
    expect(text(root.querySelector('h2'))).toBe('Nothing to read back yet');
  });

  it('puts the expected actions beside those taken, with times and statuses', () => {
    const { all, q, root } = open(endedView());
    const sections = all('[data-testid="readback"]');
    expect(sections.map((s) => s.getAttribute('data-scenario'))).toEqual(['sc-1', 'sc-2']);
    const first = q('[data-testid="readback"][data-scenario="sc-1"]');
    const expected = all('[data-testid="expected-row"]', first);
    expect(expected.map((r) => r.getAttribute('data-status'))).toEqual([
      'done',
      'outOfOrder',
      'done',
    ]);
    expect(text(expected[1])).toBe('#2 Pause the pool +08:00 Out of order');
    const taken = all('[data-testid="taken-row"]', first);
    expect(taken.map((r) => r.getAttribute('data-status'))).toEqual([
      'inOrder',
      'inOrder',
      'outOfOrder',
      'extra',
    ]);
    expect(text(taken[1])).toBe('+05:00 Tell the police checklist · #3 In order');
    expect(text(taken[3])).toBe('+12:00 Called the auditors said Extra');
    expect(text(first.querySelector('[data-testid="count-missed"]'))).toBe('0 missed');
    expect(text(first.querySelector('[data-testid="count-out-of-order"]'))).toBe('1 out of order');
    expect(text(first.querySelector('[data-testid="count-extra"]'))).toBe('1 extra');
    const second = q('[data-testid="readback"][data-scenario="sc-2"]');
    expect(text(second.querySelector('[data-testid="expected-row"]'))).toBe(
      '#1 Watch the fees — Missed',
    );
    expect(root.querySelectorAll('[data-section], [data-row], [style]').length).toBe(0);
  });

  it('measures detection, escalation, quorum and action, and the targets met or not', () => {
    const { all, q } = open(endedView());
    const first = q('[data-testid="readback"][data-scenario="sc-1"]');
    expect(all('[data-testid="measures"] li', first).map(text)).toEqual([
      'Detection +00:00',
      '→ Everyone told on detection +04:00',
      '→ Decision quorum reached +07:00',
      '→ Decided action taken +08:00',
      '→ Mitigated did not happen',
      '→ Resolved did not happen',
    ]);
    const targets = all('[data-testid="target-row"]', first);
    expect(targets.map((t) => t.getAttribute('data-met'))).toEqual(['true', 'false']);
    expect(targets.map((t) => Array.from(t.children).map(text).join(' | '))).toEqual([
      'Core team told | Everyone told on detection | 15 min | 4 min | Met',
      'Pool paused | Decided action taken | 5 min | 8 min | Not met',
    ]);
    const second = q('[data-testid="readback"][data-scenario="sc-2"]');
    expect(text(second.querySelector('[data-testid="no-targets"]'))).toBe(
      'No capability targets were set for this scenario.',
    );
  });

  it('marks a running scenario’s read-back provisional and its pending targets', () => {
    const view = runningView(
      {},
      {
        targets: [
          {
            target: 'tgt-1',
            label: 'Core team told',
            measure: 'escalation',
            withinMinutes: 15,
            measuredSeconds: null,
            met: null,
          },
        ],
      },
    );
    const { q } = open(view);
    expect(q('[data-testid="readback-provisional"]')).not.toBeNull();
    expect(q('[data-testid="target-row"]').getAttribute('data-met')).toBe('pending');
    expect(text(q('[data-testid="target-row"] .result'))).toBe('Pending');
  });

  it('reads back aloud: large plain sentences, in order', async () => {
    const { q } = open(endedView());
    expect(q('.aloud-text')).toBeNull();
    await fireEvent.click(q('[data-testid="read-aloud"]'));
    expect(q('[data-testid="read-aloud"]').getAttribute('aria-pressed')).toBe('true');
    const first = q('[data-testid="readback"][data-scenario="sc-1"] .aloud-text');
    expect(text(first.querySelector('.summary'))).toBe(
      'We expected 3 actions. 3 were taken, 1 out of order; 0 missed. 1 other step was taken besides.',
    );
    expect(Array.from(first.querySelectorAll('li')).map(text)).toEqual([
      '+01:00 Opened the war room — in order',
      '+05:00 Tell the police — in order',
      '+08:00 Paused the pool — out of order',
      '+12:00 Called the auditors — extra',
    ]);
    const second = q('[data-testid="readback"][data-scenario="sc-2"] .aloud-text');
    expect(Array.from(second.querySelectorAll('.status-missed')).map(text)).toEqual([
      'Watch the fees',
    ]);
  });
});
