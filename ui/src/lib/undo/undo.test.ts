import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../api', async (original) => ({
  ...(await original<typeof import('../api')>()),
  undoRevision: vi.fn(),
}));

import { ApiError, undoRevision, type RevisionInfo } from '../api';
import Toast from './Toast.svelte';
import { isUndoKey, toasts, undo, Toasts, UndoStack } from './undo.svelte';

const revert = vi.mocked(undoRevision);

function revision(id: number, summary: string): RevisionInfo {
  return { id, createdAt: '2026-01-15T10:00:00Z', author: 'Ada', summary };
}

beforeEach(() => {
  revert.mockReset();
  undo.clear();
  toasts.clear();
});

describe('UndoStack', () => {
  it('remembers the revisions the session made, not the no-ops', () => {
    const stack = new UndoStack(new Toasts());
    stack.push(revision(3, 'Edited issue “A”'));
    stack.push(null);
    stack.push(revision(4, 'Deleted issue “B”'));
    expect(stack.entries.map((e) => e.id)).toEqual([3, 4]);
    expect(stack.canUndo).toBe(true);
  });

  it('undoes the newest first and says what it undid', async () => {
    const feedback = new Toasts();
    const stack = new UndoStack(feedback);
    stack.push(revision(3, 'Edited issue “A”'));
    stack.push(revision(4, 'Deleted issue “B”'));
    revert.mockResolvedValue(revision(5, 'Undid: Deleted issue “B”'));
    await stack.undoLast();
    expect(revert).toHaveBeenCalledWith(4);
    expect(stack.entries.map((e) => e.id)).toEqual([3]);
    expect(feedback.current?.text).toBe(
      'Undone: Deleted issue “B” — Ctrl+Z undoes the edit before it',
    );
    expect(feedback.current?.undoable).toBe(false);
    await stack.undoLast();
    expect(revert).toHaveBeenLastCalledWith(3);
    expect(stack.entries).toEqual([]);
    await stack.undoLast();
    expect(revert).toHaveBeenCalledTimes(2);
    expect(feedback.current?.text).toBe('Nothing to undo in this session');
  });

  it('drops a revision the backend refuses to undo and shows why', async () => {
    const feedback = new Toasts();
    const stack = new UndoStack(feedback);
    stack.push(revision(3, 'Edited issue “A”'));
    stack.push(revision(4, 'Edited issue “B”'));
    const message = 'cannot undo: issue “B” has changed since';
    revert.mockRejectedValueOnce(new ApiError('refused', message));
    await stack.undoLast();
    expect(stack.entries.map((e) => e.id)).toEqual([3]);
    expect(feedback.current).toEqual({ text: message, undoable: false, problem: true });
  });

  it('keeps the revision when undoing failed for another reason', async () => {
    const stack = new UndoStack(new Toasts());
    stack.push(revision(3, 'Edited issue “A”'));
    revert.mockRejectedValueOnce(new ApiError('storage', 'disk full'));
    await stack.undoLast();
    expect(stack.entries.map((e) => e.id)).toEqual([3]);
  });
});

describe('Ctrl+Z', () => {
  it('recognises the key', () => {
    const key = { altKey: false, shiftKey: false, metaKey: false, code: 'KeyZ' };
    expect(isUndoKey({ ...key, ctrlKey: true, key: 'z' })).toBe(true);
    expect(isUndoKey({ ...key, ctrlKey: false, metaKey: true, key: 'z' })).toBe(true);
    expect(isUndoKey({ ...key, ctrlKey: true, shiftKey: true, key: 'Z' })).toBe(false);
    expect(isUndoKey({ ...key, ctrlKey: false, key: 'z' })).toBe(false);
    expect(isUndoKey({ ...key, ctrlKey: true, key: 'y', code: 'KeyY' })).toBe(false);
  });

  it('undoes the last edit from the page, and toasts', async () => {
    undo.push(revision(8, 'Edited issue “A”'));
    undo.push(revision(9, 'Added issue “B”'));
    revert.mockResolvedValue(revision(10, 'Undid: Added issue “B”'));
    const { findByTestId } = render(Toast);
    await fireEvent.keyDown(document.body, { key: 'z', code: 'KeyZ', ctrlKey: true });
    expect(revert).toHaveBeenCalledWith(9);
    const toast = await findByTestId('toast');
    await waitFor(() => expect(toast.textContent).toContain('Undone: Added issue “B”'));
    expect(toast.getAttribute('role')).toBe('status');
    expect(toast.querySelector('[data-action="undo"]')).toBeNull();
    expect(undo.entries.map((e) => e.id)).toEqual([8]);
  });

  it('leaves Ctrl+Z in a text field to the browser', async () => {
    undo.push(revision(8, 'Edited issue “A”'));
    render(Toast);
    const input = document.createElement('input');
    document.body.append(input);
    await fireEvent.keyDown(input, { key: 'z', code: 'KeyZ', ctrlKey: true });
    input.remove();
    expect(revert).not.toHaveBeenCalled();
    expect(undo.entries.length).toBe(1);
  });

  it('toasts a refusal and drops the entry', async () => {
    undo.push(revision(8, 'Edited issue “A”'));
    revert.mockRejectedValue({ code: 'refused', message: 'cannot undo: it changed since' });
    const { findByTestId } = render(Toast);
    await fireEvent.keyDown(document.body, { key: 'z', code: 'KeyZ', ctrlKey: true });
    const toast = await findByTestId('toast');
    await waitFor(() => expect(toast.textContent).toContain('cannot undo: it changed since'));
    expect(undo.entries).toEqual([]);
  });

  it('offers Undo in the toast after an edit', async () => {
    undo.push(revision(8, 'Edited issue “A”'));
    toasts.show('Saved — Ctrl+Z to undo', { undoable: true });
    revert.mockResolvedValue(revision(9, 'Undid: Edited issue “A”'));
    const { findByTestId } = render(Toast);
    const toast = await findByTestId('toast');
    const button = toast.querySelector('[data-action="undo"]');
    expect(button?.textContent).toBe('Undo');
    await fireEvent.click(button as Element);
    expect(revert).toHaveBeenCalledWith(8);
    await waitFor(() => expect(toast.textContent).toContain('Undone: Edited issue “A”'));
  });
});
