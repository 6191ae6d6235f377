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
import IssueForm from './IssueForm.svelte';

const apply = vi.mocked(applyEdit);

function input(root: HTMLElement, name: string): HTMLInputElement {
  const found = root.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (found === null) {
    throw new Error(`no field ${name}`);
  }
  return found;
}

function click(root: HTMLElement, action: string): Promise<boolean> {
  const button = root.querySelector(`[data-action="${action}"]`);
  if (button === null) {
    throw new Error(`no ${action} button`);
  }
  return fireEvent.click(button);
}

beforeEach(() => {
  apply.mockReset();
  undo.clear();
  toasts.clear();
});

describe('IssueForm', () => {
  it('saves the edited issue in place and closes', async () => {
    apply.mockResolvedValue({ id: 7, createdAt: '', author: 'me', summary: 'Edited issue' });
    const plan = fixturePlan();
    const onclose = vi.fn();
    const { container } = render(IssueForm, { plan, issue: plan.issues[0], onclose });
    expect(input(container, 'title').value).toBe('Drained pool');
    await fireEvent.input(input(container, 'title'), { target: { value: 'Drained main pool' } });
    await fireEvent.input(input(container, 'signal'), { target: { value: 'Outflow above 2%' } });
    await click(container, 'save');
    await waitFor(() => expect(onclose).toHaveBeenCalled());
    const before = fixturePlan().issues[0];
    expect(apply).toHaveBeenCalledTimes(1);
    expect(apply).toHaveBeenCalledWith({
      kind: 'saveIssue',
      issue: {
        ...before,
        title: 'Drained main pool',
        detection: { ...before?.detection, signal: 'Outflow above 2%' },
      },
      position: null,
    });
    expect(undo.entries).toEqual([{ id: 7, summary: 'Edited issue' }]);
    expect(toasts.current?.text).toBe('Saved — Ctrl+Z to undo');
  });

  it('saves the alert rules typed one a line, and will not send a line it cannot read', async () => {
    apply.mockResolvedValue({ id: 8, createdAt: '', author: 'me', summary: 'Edited issue' });
    const plan = fixturePlan();
    const onclose = vi.fn();
    const { container } = render(IssueForm, { plan, issue: plan.issues[0], onclose });
    const rules = input(container, 'alerts');
    await fireEvent.input(rules, { target: { value: 'alertname=PoolDrained; S1\nOracleStale' } });
    await click(container, 'save');
    const error = await waitFor(() => {
      const found = container.querySelector('[data-field-error="alerts"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(error.textContent).toContain('Line 2: write each label as name=value');
    expect(apply).not.toHaveBeenCalled();
    await fireEvent.input(rules, {
      target: { value: 'alertname=PoolDrained; S1\nalertname=Outflow, env=prod' },
    });
    await click(container, 'save');
    await waitFor(() => expect(onclose).toHaveBeenCalled());
    const before = fixturePlan().issues[0];
    expect(apply).toHaveBeenCalledWith({
      kind: 'saveIssue',
      issue: {
        ...before,
        detection: {
          ...before?.detection,
          alerts: [
            { labels: { alertname: 'PoolDrained' }, severity: 'S1' },
            { labels: { alertname: 'Outflow', env: 'prod' }, severity: null },
          ],
        },
      },
      position: null,
    });
  });

  it('shows the backend problem beside its field and keeps the input', async () => {
    apply.mockRejectedValue(
      new ApiError('invalidInput', 'the plan has problems', [
        { location: { section: 'issues', element: 'drain', field: 'title' }, message: 'too long' },
        { location: { section: 'issues', element: 'drain', field: 'weird' }, message: 'odd' },
      ]),
    );
    const onclose = vi.fn();
    const plan = fixturePlan();
    const { container } = render(IssueForm, { plan, issue: plan.issues[0], onclose });
    await fireEvent.input(input(container, 'title'), { target: { value: 'A very long title' } });
    await click(container, 'save');
    const error = await waitFor(() => {
      const found = container.querySelector('[data-field-error="title"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(error.textContent).toBe('too long');
    expect(input(container, 'title').getAttribute('aria-describedby')).toContain(error.id);
    expect(input(container, 'title').value).toBe('A very long title');
    expect(container.querySelector('[data-testid="form-errors"]')?.textContent).toContain(
      'Weird: odd',
    );
    expect(onclose).not.toHaveBeenCalled();
    expect(container.querySelector<HTMLButtonElement>('[data-action="save"]')?.disabled).toBe(
      false,
    );
  });

  it('leaves the title to core, showing its word beside it, and makes an id for a new issue', async () => {
    apply.mockRejectedValueOnce(
      new ApiError('invalidInput', 'the plan has problems', [
        {
          location: { section: 'issues', element: 'issue', field: 'title' },
          message: 'give the issue a title',
        },
      ]),
    );
    apply.mockResolvedValue({ id: 8, createdAt: '', author: 'me', summary: 'Added issue' });
    const plan = fixturePlan();
    const { container } = render(IssueForm, { plan, onclose: vi.fn() });
    const title = input(container, 'title');
    await fireEvent.input(title, { target: { value: 'x' } });
    await fireEvent.input(title, { target: { value: '  ' } });
    // No rule of the form's own: nothing is said until core is asked.
    expect(container.querySelector('[data-field-error="title"]')).toBeNull();
    expect(container.querySelector('[data-testid="element-id"] code')?.textContent).toBe('issue');
    await click(container, 'save');
    await waitFor(() =>
      expect(container.querySelector('[data-field-error="title"]')?.textContent).toBe(
        'give the issue a title',
      ),
    );
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(apply.mock.calls[0]?.[0]).toMatchObject({
      kind: 'saveIssue',
      issue: { id: 'issue', title: '  ' },
    });
    await fireEvent.input(title, { target: { value: 'Drain' } });
    expect(container.querySelector('[data-field-error="title"]')).toBeNull();
    expect(container.querySelector('[data-testid="element-id"] code')?.textContent).toBe('drain-2');
    await click(container, 'save');
    await waitFor(() => expect(apply).toHaveBeenCalledTimes(2));
    expect(apply.mock.calls[1]?.[0]).toMatchObject({
      kind: 'saveIssue',
      issue: { id: 'drain-2', title: 'Drain', category: 'hack' },
      position: null,
    });
  });

  it('disables its buttons while saving', async () => {
    let finish: (value: null) => void = () => {};
    apply.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const plan = fixturePlan();
    const { container } = render(IssueForm, { plan, issue: plan.issues[1], onclose: vi.fn() });
    await click(container, 'save');
    const save = container.querySelector<HTMLButtonElement>('[data-action="save"]');
    const cancel = container.querySelector<HTMLButtonElement>('[data-action="cancel"]');
    expect(save?.disabled).toBe(true);
    expect(cancel?.disabled).toBe(true);
    finish(null);
    await waitFor(() => expect(save?.disabled).toBe(false));
  });

  it('asks before discarding changes', async () => {
    const onclose = vi.fn();
    const plan = fixturePlan();
    const { container } = render(IssueForm, { plan, issue: plan.issues[0], onclose });
    await fireEvent.input(input(container, 'title'), { target: { value: 'Changed' } });
    await fireEvent.keyDown(input(container, 'title'), { key: 'Escape' });
    const confirm = container.ownerDocument.querySelector('[data-testid="confirm"]');
    expect(confirm?.textContent).toContain('Discard your changes?');
    await click(document.body, 'dismiss');
    expect(onclose).not.toHaveBeenCalled();
    expect(input(container, 'title').value).toBe('Changed');
    await click(container, 'cancel');
    await click(document.body, 'confirm');
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(apply).not.toHaveBeenCalled();
  });

  it('cancels an unchanged form at once, and saves with Ctrl+Enter', async () => {
    apply.mockResolvedValue(null);
    const onclose = vi.fn();
    const plan = fixturePlan();
    const { container } = render(IssueForm, { plan, issue: plan.issues[0], onclose });
    await fireEvent.keyDown(input(container, 'title'), { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(input(container, 'signal'), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(apply).toHaveBeenCalledTimes(1));
  });
});
