import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import ConfirmDialog from './ConfirmDialog.svelte';

function props(over: Record<string, unknown> = {}) {
  return {
    title: 'Delete issue “A”?',
    message: 'It will be removed.',
    confirmLabel: 'Delete',
    danger: true,
    onconfirm: vi.fn(),
    ondismiss: vi.fn(),
    ...over,
  };
}

describe('ConfirmDialog', () => {
  it('is a modal that starts on the safe button and keeps focus on its buttons', async () => {
    const p = props();
    const { getByTestId } = render(ConfirmDialog, p);
    const dialog = getByTestId('confirm');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('role')).toBe('dialog');
    const dismiss = dialog.querySelector<HTMLButtonElement>('[data-action="dismiss"]');
    const confirm = dialog.querySelector<HTMLButtonElement>('[data-action="confirm"]');
    expect(document.activeElement).toBe(dismiss);
    expect(confirm?.classList.contains('danger')).toBe(true);
    await fireEvent.keyDown(dismiss as Element, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
    await fireEvent.keyDown(confirm as Element, { key: 'Tab' });
    expect(document.activeElement).toBe(dismiss);
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(p.ondismiss).toHaveBeenCalledTimes(1);
    await fireEvent.click(confirm as Element);
    expect(p.onconfirm).toHaveBeenCalledTimes(1);
  });

  it('shows a failure in place of the question, as text', () => {
    const { getByTestId } = render(ConfirmDialog, props({ error: '<b>refused</b>' }));
    const dialog = getByTestId('confirm');
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe('<b>refused</b>');
    expect(dialog.querySelector('b')).toBeNull();
    expect(dialog.querySelector('[data-action="confirm"]')).toBeNull();
    expect(dialog.querySelector('[data-action="dismiss"]')?.textContent).toBe('Close');
  });
});
