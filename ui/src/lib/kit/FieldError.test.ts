import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';

import FieldError from './FieldError.svelte';

describe('FieldError', () => {
  it('keeps the room of a problem that cleared, so nothing below moves, and shows the next', async () => {
    const { container, rerender } = render(FieldError, {
      props: { message: 'A title is needed', field: 'title', id: 'f-error' },
    });
    const shown = () => container.querySelector('[data-field-error="title"]');
    const room = () => container.querySelector('[data-field-error-room="title"]');
    expect(shown()?.textContent?.trim()).toBe('A title is needed');
    expect(shown()?.id).toBe('f-error');
    expect(room()).toBeNull();

    // Fixed: the message goes (nothing announces it), its line stays, invisible.
    await rerender({ message: undefined, field: 'title', id: 'f-error' });
    expect(shown()).toBeNull();
    expect(room()?.textContent).toBe('A title is needed');
    expect(room()?.getAttribute('aria-hidden')).toBe('true');
    expect(room()?.classList.contains('held')).toBe(true);

    await rerender({ message: 'At most 200 characters', field: 'title', id: 'f-error' });
    expect(shown()?.textContent?.trim()).toBe('At most 200 characters');
    expect(room()).toBeNull();
  });

  it('gives the room back when the form that stays open went through', async () => {
    const { container, rerender } = render(FieldError, {
      props: { message: 'Write the note first', field: 'text', reset: 0 },
    });
    await rerender({ message: undefined, field: 'text', reset: 0 });
    expect(container.querySelector('[data-field-error-room="text"]')).not.toBeNull();
    await rerender({ message: undefined, field: 'text', reset: 1 });
    expect(container.querySelector('p')).toBeNull();
  });

  it('takes no room before a first problem, and announces one found while typing', async () => {
    const { container, rerender } = render(FieldError, {
      props: { message: '', field: 'reason', alert: true },
    });
    expect(container.querySelector('p')).toBeNull();
    await rerender({ message: 'Say why', field: 'reason', alert: true });
    expect(container.querySelector('[data-field-error="reason"]')?.getAttribute('role')).toBe(
      'alert',
    );
  });
});
