// Scrolling a page to the element a link pointed at (a contact, a decision policy).

/** Scrolls the element under `root` whose `data-<attribute>` is `value` into view. */
export function scrollToMarked(
  root: HTMLElement | undefined,
  attribute: string,
  value: string | undefined,
): void {
  if (root === undefined || value === undefined) {
    return;
  }
  const target = Array.from(root.querySelectorAll<HTMLElement>(`[data-${attribute}]`)).find(
    (el) => el.getAttribute(`data-${attribute}`) === value,
  );
  target?.scrollIntoView?.({ block: 'center' });
}
