import { fireEvent, render } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';

import Modal from './Modal.svelte';

const FIELDS = createRawSnippet(() => ({
  render: () =>
    '<div><input name="line" /><select name="list"><option>a</option></select><textarea name="text"></textarea></div>',
}));
const TEXT = createRawSnippet(() => ({ render: () => '<p>Sure?</p>' }));

type Keys = 'enter' | 'save' | 'none';

function open(over: Record<string, unknown> = {}) {
  const props = {
    title: 'Do it',
    testid: 'modal',
    oncancel: vi.fn(),
    onsubmit: vi.fn(),
    submitLabel: 'Do it',
    children: FIELDS,
    ...over,
  };
  const view = render(Modal, props);
  const dialog = view.getByTestId('modal');
  const q = (selector: string) => dialog.querySelector(selector) as HTMLElement;
  return { ...view, props, dialog, q };
}

describe('Modal', () => {
  // Which presses run the action, by key mode: [where, key, modifiers] → sent?
  const PRESSES: [string, string, Partial<KeyboardEvent>][] = [
    ['[name="line"]', 'Enter', {}],
    ['[name="list"]', 'Enter', {}],
    ['[name="text"]', 'Enter', {}],
    ['[name="line"]', 'Enter', { shiftKey: true }],
    ['[name="text"]', 'Enter', { ctrlKey: true }],
    ['[name="text"]', 's', { ctrlKey: true }],
  ];

  function check(keys: Keys, expected: boolean[]) {
    it(`sends on the presses its “${keys}” keys name`, async () => {
      const { q, props, unmount } = open({ keys });
      const sent: boolean[] = [];
      for (const [where, key, mods] of PRESSES) {
        props.onsubmit.mockClear();
        await fireEvent.keyDown(q(where), { key, ...mods });
        sent.push(props.onsubmit.mock.calls.length > 0);
      }
      expect(sent).toEqual(expected);
      unmount();
    });
  }

  check('enter', [true, true, false, false, true, false]);
  check('save', [false, false, false, false, true, true]);
  check('none', [false, false, false, false, false, false]);

  it('keeps Enter in a one-line field from sending the form by itself', async () => {
    const { q } = open({ keys: 'none' });
    const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    q('[name="line"]').dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('cancels with Escape unless busy, and keeps keys from the page underneath', async () => {
    const page = vi.fn();
    document.addEventListener('keydown', page);
    const { dialog, props, rerender } = open();
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(props.oncancel).toHaveBeenCalledTimes(1);
    await rerender({ busy: true });
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(props.oncancel).toHaveBeenCalledTimes(1);
    expect(page).not.toHaveBeenCalled();
    document.removeEventListener('keydown', page);
  });

  it('asks before dropping what was typed, by Escape or Cancel, and keeps it on “Keep editing”', async () => {
    const { q, props, dialog } = open();
    (q('[name="text"]') as HTMLTextAreaElement).value = 'Half an update';
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(props.oncancel).not.toHaveBeenCalled();
    expect(q('[data-testid="discard-question"]').textContent).toBe(
      'Discard what you wrote? It has not been sent.',
    );
    expect(document.activeElement).toBe(q('[data-action="keep-editing"]'));
    await fireEvent.click(q('[data-action="keep-editing"]'));
    expect(q('[data-testid="discard-question"]')).toBeNull();
    expect((q('[name="text"]') as HTMLTextAreaElement).value).toBe('Half an update');
    await fireEvent.click(q('[data-action="cancel"]'));
    expect(props.oncancel).not.toHaveBeenCalled();
    await fireEvent.click(q('[data-action="discard"]'));
    expect(props.oncancel).toHaveBeenCalledTimes(1);
  });

  it('cancels at once when nothing was changed, or when the form asks on its own', async () => {
    const untouched = open();
    await fireEvent.click(untouched.q('[data-action="cancel"]'));
    expect(untouched.props.oncancel).toHaveBeenCalledTimes(1);
    untouched.unmount();
    const own = open({ guard: false });
    (own.q('[name="line"]') as HTMLInputElement).value = 'typed';
    await fireEvent.keyDown(own.dialog, { key: 'Escape' });
    expect(own.props.oncancel).toHaveBeenCalledTimes(1);
  });

  it('starts on the first field, keeps Tab inside, and gives focus back on closing', async () => {
    const before = document.createElement('button');
    document.body.append(before);
    before.focus();
    const { q, unmount } = open();
    expect(document.activeElement).toBe(q('[name="line"]'));
    const submit = q('[data-action="submit"]');
    submit.focus();
    await fireEvent.keyDown(submit, { key: 'Tab' });
    expect(document.activeElement).toBe(q('[name="line"]'));
    await fireEvent.keyDown(q('[name="line"]'), { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(submit);
    unmount();
    expect(document.activeElement).toBe(before);
    before.remove();
  });

  it('without fields starts on Cancel when the action is dangerous, else on the action', () => {
    const safe = open({ children: TEXT });
    expect(document.activeElement).toBe(safe.q('[data-action="submit"]'));
    safe.unmount();
    const risky = open({ children: TEXT, danger: true });
    expect(document.activeElement).toBe(risky.q('[data-action="cancel"]'));
    expect(risky.q('[data-action="submit"]').classList.contains('danger')).toBe(true);
  });

  it('keeps focus inside when the action button goes', async () => {
    const { q, rerender } = open({ children: TEXT });
    await rerender({ submitLabel: undefined });
    await new Promise((resolve) => setTimeout(resolve));
    expect(q('[data-action="submit"]')).toBeNull();
    expect(document.activeElement).toBe(q('[data-action="cancel"]'));
  });
});
