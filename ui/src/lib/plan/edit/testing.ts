// Helpers for the editor tests: find things by their hooks, fill fields, click actions.
import { fireEvent } from '@testing-library/svelte';

import type { RevisionInfo } from '../../api';

export function revision(id: number, summary = 'Edited'): RevisionInfo {
  return { id, createdAt: '2026-01-15T10:00:00Z', author: 'Ada', summary };
}

export function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (found === null) {
    throw new Error(`nothing matches ${selector}`);
  }
  return found;
}

export function field(root: ParentNode, name: string): HTMLInputElement {
  return find<HTMLInputElement>(root, `[name="${name}"]`);
}

export async function type(root: ParentNode, name: string, value: string): Promise<void> {
  await fireEvent.input(field(root, name), { target: { value } });
}

export async function choose(root: ParentNode, name: string, value: string): Promise<void> {
  await fireEvent.change(field(root, name), { target: { value } });
}

export async function act(root: ParentNode, action: string): Promise<void> {
  await fireEvent.click(find(root, `[data-action="${action}"]`));
}

/** The open editor form (it is a modal dialog inside the page). */
export function form(): HTMLElement {
  return find(document.body, '[role="dialog"][aria-modal="true"]');
}

export function confirmDialog(): HTMLElement | null {
  return document.body.querySelector('[data-testid="confirm"]');
}
