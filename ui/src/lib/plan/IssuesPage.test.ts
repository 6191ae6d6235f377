import { render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Plan } from '../api';
import { PAGE } from '../kit/progressive.svelte';
import { fixturePlan } from './fixture';
import IssuesPage from './IssuesPage.svelte';
import ProceduresPage from './ProceduresPage.svelte';
import TeamPage from './TeamPage.svelte';

/** An IntersectionObserver the test drives: `reach()` says every sentinel came into view. */
function observer() {
  const watched = new Set<{ node: Element; fire: () => void }>();
  class Fake {
    #callback: IntersectionObserverCallback;
    constructor(callback: IntersectionObserverCallback) {
      this.#callback = callback;
    }
    observe(node: Element) {
      const entry = { isIntersecting: true, target: node } as unknown as IntersectionObserverEntry;
      watched.add({ node, fire: () => this.#callback([entry], this as never) });
    }
    unobserve(node: Element) {
      for (const w of watched) if (w.node === node) watched.delete(w);
    }
    disconnect() {
      watched.clear();
    }
  }
  vi.stubGlobal('IntersectionObserver', Fake);
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
  return {
    reach: () => [...watched].forEach((w) => w.fire()),
  };
}

/** The fixture plan with `n` issues in its first category and `n` procedures. */
function large(n: number): Plan {
  const plan = fixturePlan();
  const [issue] = plan.issues;
  const [procedure] = plan.procedures;
  if (!issue || !procedure) throw new Error('the fixture has an issue and a procedure');
  plan.issues = Array.from({ length: n }, (_, i) => ({
    ...issue,
    id: `issue-${i}`,
    title: `Issue ${i}`,
  }));
  plan.procedures = Array.from({ length: n }, (_, i) => ({
    ...procedure,
    id: `procedure-${i}`,
    title: `Procedure ${i}`,
    issues: [`issue-${i}`],
  }));
  return plan;
}

afterEach(() => vi.unstubAllGlobals());

describe('long plan pages', () => {
  it('draw the first rows of a long list of issues, and the rest as the end comes near', async () => {
    const io = observer();
    const total = 2 * PAGE + 50;
    const plan = large(total);
    const { container } = render(IssuesPage, { plan });
    const rows = () => container.querySelectorAll('li.issue').length;
    expect(rows()).toBe(PAGE);
    expect(container.textContent).toContain(`Showing the first ${PAGE} issues…`);
    io.reach();
    await waitFor(() => expect(rows()).toBe(2 * PAGE));
    await new Promise((resolve) => setTimeout(resolve, 5));
    io.reach();
    await waitFor(() => expect(rows()).toBe(total));
    expect(container.textContent).not.toContain('Showing the first');
    // Rows drawn later still move past their neighbours: the last can go up, not down.
    const row = (n: number) => container.querySelectorAll('li.issue')[n];
    const button = (n: number, way: string) =>
      row(n)?.querySelector<HTMLButtonElement>(`[data-action="move-${way}"]`);
    const last = total - 1;
    expect(row(last)?.textContent).toContain(`Issue ${last}`);
    expect([button(last, 'up')?.disabled, button(last, 'down')?.disabled]).toEqual([false, true]);
    expect([button(0, 'up')?.disabled, button(0, 'down')?.disabled]).toEqual([true, false]);
  });

  it('name each procedure’s issues by title from one lookup, a page at a time', async () => {
    const io = observer();
    const plan = large(PAGE + 50);
    const { container } = render(ProceduresPage, { plan });
    const rows = () => container.querySelectorAll('ul.procedures > li').length;
    expect(rows()).toBe(PAGE);
    expect(container.querySelector('ul.procedures > li')?.textContent).toContain('Issue 0');
    io.reach();
    await waitFor(() => expect(rows()).toBe(PAGE + 50));
    expect(container.textContent).not.toContain('Showing the first');
  });

  it('draw down to a contact a link points at, past the first page', async () => {
    observer();
    const plan = fixturePlan();
    const [member] = plan.extendedTeam;
    if (!member) throw new Error('the fixture has an extended contact');
    plan.extendedTeam = Array.from({ length: 500 }, (_, i) => ({
      ...member,
      id: `contact-${i}`,
      name: `Contact ${i}`,
    }));
    // In the second page: drawn down to it, and no further than that page.
    const pointed = `contact-${PAGE + Math.floor(PAGE / 2)}`;
    const { container } = render(TeamPage, { plan, team: 'extended', contact: pointed });
    await waitFor(() =>
      expect(container.querySelector(`[data-contact="${pointed}"]`)).not.toBeNull(),
    );
    expect(container.querySelectorAll('tr[data-row]').length).toBe(2 * PAGE);
  });
});
