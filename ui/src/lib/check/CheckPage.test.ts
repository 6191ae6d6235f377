import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { Gap } from '../api';

const api = vi.hoisted(() => ({ applyEdit: vi.fn(), planCheck: vi.fn() }));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import { PlanCheck } from './check.svelte';
import CheckPage from './CheckPage.svelte';
import { localDate } from '../kit/dates';

const GAPS: Gap[] = [
  {
    kind: 'issueWithoutProcedure',
    level: 'problem',
    section: 'issues',
    element: 'phish',
    message: 'Issue “Phishing site” (phish) has no response procedure',
  },
  {
    kind: 'issueWithoutDetection',
    level: 'warning',
    section: 'issues',
    element: 'gas',
    message: 'Issue “Gas spike” (gas) has no detection signal',
  },
  {
    kind: 'stepWithMissingDecision',
    level: 'problem',
    section: 'procedures',
    element: 'contain/police',
    message: 'Step “Tell the police” needs a decision no policy defines',
  },
  {
    kind: 'contactNotVerified',
    level: 'warning',
    section: 'coreTeam',
    element: 'ben',
    message: 'Core member “Ben Sample” (ben) was never verified',
  },
];

function rows(root: HTMLElement, level: string): string[][] {
  return Array.from(root.querySelectorAll(`[data-level="${level}"] [data-row]`)).map((row) => [
    row.querySelector('a')?.textContent ?? '',
    row.querySelector('a')?.getAttribute('href') ?? '',
  ]);
}

beforeEach(() => {
  api.applyEdit.mockReset();
  api.planCheck.mockReset();
});

async function shown(gaps: Gap[]) {
  api.planCheck.mockResolvedValue(gaps);
  const check = new PlanCheck();
  await check.refresh();
  return { check, ...render(CheckPage, { check }) };
}

describe('CheckPage', () => {
  it('lists problems first, then warnings, with counts and links', async () => {
    const { container } = await shown(GAPS);
    const root = container.querySelector<HTMLElement>('[data-section="check"]');
    if (root === null) {
      throw new Error('no check section');
    }
    expect(
      Array.from(root.querySelectorAll('h2')).map((h) => h.textContent?.replace(/\s+/g, ' ')),
    ).toEqual(['Problems 2', 'Warnings 2']);
    expect(rows(root, 'problem')).toEqual([
      ['Issue “Phishing site” (phish) has no response procedure', '#/issues/phish'],
      ['Step “Tell the police” needs a decision no policy defines', '#/procedures/contain'],
    ]);
    expect(rows(root, 'warning')).toEqual([
      ['Issue “Gas spike” (gas) has no detection signal', '#/issues/gas'],
      ['Core member “Ben Sample” (ben) was never verified', '#/core-team/ben'],
    ]);
    expect(root.querySelectorAll('[data-row]').length).toBe(4);
    expect(root.querySelectorAll('[data-action="mark-verified"]').length).toBe(1);
  });

  it('shows open improvement items like other gaps, tagged and linked to the element', async () => {
    const { container } = await shown([
      {
        kind: 'improvementOpen',
        level: 'problem',
        section: 'coreTeam',
        element: 'ben',
        message:
          'IMP-2 from EX-1: Update Ben’s phone number (Ada Example), overdue since 2026-03-01',
      },
    ]);
    const row = container.querySelector('[data-kind="improvementOpen"]');
    expect(row?.closest('[data-level]')?.getAttribute('data-level')).toBe('problem');
    expect(row?.querySelector('a')?.getAttribute('href')).toBe('#/core-team/ben');
    expect(row?.querySelector('[data-testid="gap-tag"]')?.textContent).toBe('Improvement item');
    expect(
      Array.from(row?.querySelectorAll('a') ?? []).map((a) => a.getAttribute('href')),
    ).toContain('#/readiness');
  });

  it('says so when there is nothing to fix', async () => {
    const { container } = await shown([]);
    expect(container.textContent).toContain('No gaps: the plan check found nothing to fix.');
    expect(container.querySelectorAll('[data-row]').length).toBe(0);
  });

  it('marks a contact verified today and checks again', async () => {
    const { container } = await shown(GAPS);
    api.applyEdit.mockResolvedValue({ id: 9, createdAt: '', author: 'me', summary: 'Verified' });
    api.planCheck.mockResolvedValue(GAPS.filter((g) => g.kind !== 'contactNotVerified'));
    const button = container.querySelector<HTMLButtonElement>('[data-action="mark-verified"]');
    if (button === null) {
      throw new Error('no button');
    }
    await fireEvent.click(button);
    expect(api.applyEdit).toHaveBeenCalledTimes(1);
    expect(api.applyEdit).toHaveBeenCalledWith({
      kind: 'markVerified',
      contact: 'ben',
      on: localDate(),
    });
    expect(localDate()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await waitFor(() =>
      expect(container.querySelectorAll('[data-action="mark-verified"]').length).toBe(0),
    );
  });

  it('shows why marking failed', async () => {
    const { container, findByRole } = await shown(GAPS);
    api.applyEdit.mockRejectedValue({ code: 'notFound', message: 'no contact ben' });
    await fireEvent.click(container.querySelector('[data-action="mark-verified"]') as Element);
    expect((await findByRole('alert')).textContent).toBe(
      'Could not mark the contact verified: no contact ben',
    );
  });
});

describe('PlanCheck', () => {
  it('keeps only the answer to the latest request', async () => {
    let first: (gaps: Gap[]) => void = () => {};
    api.planCheck
      .mockReturnValueOnce(new Promise((resolve) => (first = resolve)))
      .mockResolvedValueOnce([]);
    const check = new PlanCheck();
    const older = check.refresh();
    await check.refresh();
    first(GAPS);
    await older;
    expect(check.gaps).toEqual([]);
  });
});
