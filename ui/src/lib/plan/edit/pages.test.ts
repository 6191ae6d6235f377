import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  applyEdit: vi.fn(),
  undoRevision: vi.fn(),
}));

import { ApiError, applyEdit } from '../../api';
import { toasts, undo } from '../../undo';
import { fixturePlan } from '../fixture';
import IssuePage from '../IssuePage.svelte';
import IssuesPage from '../IssuesPage.svelte';
import TeamPage from '../TeamPage.svelte';
import { localDate } from '../../kit/dates';
import { act, confirmDialog, field, find, form, revision, type } from './testing';

const apply = vi.mocked(applyEdit);

beforeEach(() => {
  apply.mockReset();
  undo.clear();
  toasts.clear();
});

function row(root: HTMLElement, issue: string): HTMLElement {
  return find(root, `[data-row]:has([data-issue="${issue}"])`);
}

const ondeclare = vi.fn();

describe('deleting', () => {
  it('asks first and deletes only after confirmation', async () => {
    apply.mockResolvedValue(revision(4, 'Deleted issue “Gas spike”'));
    const { container } = render(IssuesPage, { plan: fixturePlan() });
    await act(row(container, 'gas'), 'delete');
    const dialog = confirmDialog();
    expect(dialog?.textContent).toContain('Delete issue “Gas spike”?');
    expect(apply).not.toHaveBeenCalled();
    await act(dialog as HTMLElement, 'dismiss');
    expect(confirmDialog()).toBeNull();
    expect(apply).not.toHaveBeenCalled();

    await act(row(container, 'gas'), 'delete');
    await act(confirmDialog() as HTMLElement, 'confirm');
    expect(apply).toHaveBeenCalledWith({ kind: 'delete', section: 'issues', key: 'gas' });
    await waitFor(() => expect(confirmDialog()).toBeNull());
    expect(find(document.body, '[data-testid="toast"]').textContent).toContain(
      'Deleted issue “Gas spike” — Ctrl+Z to undo',
    );
    expect(undo.entries.map((e) => e.id)).toEqual([4]);
  });

  it('shows the backend refusal, naming what refers to it', async () => {
    const message =
      'cannot delete issue “Drained pool”: procedure “Contain the exploit” answers it. Change that first';
    apply.mockRejectedValue(new ApiError('refused', message));
    const { container } = render(IssuePage, { plan: fixturePlan(), id: 'drain', ondeclare });
    await act(container, 'delete');
    await act(confirmDialog() as HTMLElement, 'confirm');
    const alert = await waitFor(() => find(confirmDialog() as HTMLElement, '[role="alert"]'));
    expect(alert.textContent).toBe(message);
    expect(undo.entries).toEqual([]);
    await act(confirmDialog() as HTMLElement, 'dismiss');
    expect(confirmDialog()).toBeNull();
  });
});

describe('adding', () => {
  it('gives a new core member an id unique across both teams', async () => {
    apply.mockResolvedValue(revision(5, 'Added core member “Ada”'));
    const { container } = render(TeamPage, { plan: fixturePlan(), team: 'core' });
    await act(container, 'add');
    const sheet = form();
    await type(sheet, 'name', 'Ada');
    expect(find(sheet, '[data-testid="element-id"] code').textContent).toBe('ada-2');
    await type(sheet, 'name', 'Eli');
    expect(find(sheet, '[data-testid="element-id"] code').textContent).toBe('eli-2');
    await type(sheet, 'role', 'Engineer');
    await type(sheet, 'email', 'eli2@example.com');
    await fireEvent.click(find(sheet, '[name="categories"][value="net"]'));
    await act(sheet, 'save');
    await waitFor(() => expect(apply).toHaveBeenCalledTimes(1));
    expect(apply).toHaveBeenCalledWith({
      kind: 'saveCoreMember',
      member: {
        id: 'eli-2',
        name: 'Eli',
        role: 'Engineer',
        categories: ['net'],
        reach: { email: 'eli2@example.com', chat: null, phone: null },
        publicKey: null,
        retiredKeys: [],
        lastVerified: null,
      },
      position: null,
    });
    await waitFor(() => expect(document.body.querySelector('[role="dialog"]')).toBeNull());
    expect(find(document.body, '[data-testid="toast"]').textContent).toContain(
      'Saved — Ctrl+Z to undo',
    );
  });

  it('keeps one section and its rows while a form is open', async () => {
    const { container } = render(IssuesPage, { plan: fixturePlan() });
    await act(container, 'add');
    expect(form()).not.toBeNull();
    const sections = container.querySelectorAll('[data-section]');
    expect(sections.length).toBe(1);
    expect(container.querySelectorAll('[data-row]').length).toBe(4);
    expect(field(form(), 'title').value).toBe('');
  });

  it('offers the Add button in a calm empty state', async () => {
    const plan = { ...fixturePlan(), extendedTeam: [] };
    const { container } = render(TeamPage, { plan, team: 'extended' });
    expect(container.textContent).toContain('No extended team contacts yet.');
    expect(container.querySelectorAll('[data-action="add"]').length).toBe(1);
    await act(container, 'add');
    expect(field(form(), 'name').value).toBe('');
  });
});

describe('one-click edits', () => {
  it('moves an issue past its neighbour in the same category', async () => {
    apply.mockResolvedValue(revision(6, 'Moved issue'));
    const plan = fixturePlan();
    plan.issues.push({ ...plan.issues[0]!, id: 'drain-b', title: 'Second drain' });
    const { container } = render(IssuesPage, { plan });
    const first = row(container, 'drain');
    expect(find<HTMLButtonElement>(first, '[data-action="move-up"]').disabled).toBe(true);
    await act(first, 'move-down');
    expect(apply).toHaveBeenCalledWith({ kind: 'move', section: 'issues', key: 'drain', to: 4 });
  });

  it('marks a contact verified today', async () => {
    apply.mockResolvedValue(revision(7, 'Marked verified'));
    const { container } = render(TeamPage, { plan: fixturePlan(), team: 'core' });
    await act(find(container, '[data-contact="ben"]'), 'verify');
    expect(apply).toHaveBeenCalledWith({ kind: 'markVerified', contact: 'ben', on: localDate() });
  });
});

describe('the team pages', () => {
  it('are one page told which team; only the core team owns kinds of emergency', () => {
    const cases = [
      { team: 'core', section: 'core-team', columns: ['Member', 'Owns', 'Reach'] },
      { team: 'extended', section: 'extended-team', columns: ['Contact', 'Reach'] },
    ] as const;
    for (const { team, section, columns } of cases) {
      const plan = fixturePlan();
      const { container, unmount } = render(TeamPage, { plan, team });
      const page = find(container, `[data-section="${section}"]`);
      const heads = [...page.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
      expect(heads.slice(0, columns.length), team).toEqual(columns);
      const people = team === 'core' ? plan.coreTeam : plan.extendedTeam;
      expect(people.length, team).toBeGreaterThan(0);
      expect(
        [...page.querySelectorAll('[data-row]')].map((row) => row.getAttribute('data-contact')),
      ).toEqual(people.map((p) => p.id));
      unmount();
    }
  });
});
