import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';

import type { ReadBack, Scenario } from '../../api';
import ExpectedList from './ExpectedList.svelte';
import { readBack, scenarios } from './fixture';

function open(scenario: Scenario, rb: ReadBack | undefined) {
  const rendered = render(ExpectedList, { scenario, readBack: rb });
  const all = (selector: string) => Array.from(rendered.container.querySelectorAll(selector));
  return { ...rendered, all };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('ExpectedList', () => {
  it('ticks what the read-back counts as taken, out of order or not, with when', () => {
    const { all, container } = open(
      scenarios()[0]!,
      readBack({
        expected: [
          {
            key: 'exp-1',
            text: 'Open the war room',
            status: 'done',
            takenAt: '2026-03-04T13:51:05Z',
            offsetSeconds: 65n,
          },
          {
            key: 'exp-2',
            text: 'Pause the pool',
            status: 'outOfOrder',
            takenAt: '2026-03-04T13:58:00Z',
            offsetSeconds: 480n,
          },
          {
            key: 'exp-3',
            text: 'Tell the police',
            status: 'missed',
            takenAt: null,
            offsetSeconds: null,
          },
        ],
      }),
    );
    expect(text(container.querySelector('.count'))).toBe('2 of 3 taken');
    const items = all('[data-testid="expected-item"]');
    expect(items.map((e) => e.getAttribute('data-taken'))).toEqual(['true', 'true', 'false']);
    expect(items.map(text)).toEqual([
      '✓ #1 Open the war room taken +01:05',
      '✓ #2 Pause the pool taken out of order +08:00',
      '#3 Tell the police',
    ]);
  });

  it('counts nothing taken without a read-back, and says when none are expected', () => {
    const [scenario] = scenarios();
    const none = open(scenario!, undefined);
    expect(none.all('[data-testid="expected-item"][data-taken="true"]').length).toBe(0);
    expect(text(none.container.querySelector('.count'))).toBe('0 of 3 taken');
    none.unmount();
    const { container } = open({ ...scenario!, expected: [] }, undefined);
    expect(text(container.querySelector('.empty'))).toBe(
      'This scenario lists no expected actions.',
    );
  });
});
