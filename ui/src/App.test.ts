import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import App from './App.svelte';
import { backend, calls, go, showing } from './App.testing';
import { readiness, view } from './lib/exercise/fixture';
import { fixtureOutline, fixturePlan } from './lib/plan/fixture';

/** The backend double, answering the exercise commands too. */
function withExercises() {
  const base = invoke.getMockImplementation();
  invoke.mockImplementation(async (command: string, args?: unknown) => {
    switch (command) {
      case 'list_exercises':
        return [];
      case 'readiness':
        return readiness();
      case 'exercise_view':
        return view({ status: 'running' });
      case 'participant_view':
        return {
          exercise: 'EX-1',
          title: 'Spring exercise',
          status: 'planned',
          scenario: null,
          now: '2026-03-04T14:00:00Z',
        };
      default:
        return base?.(command, args);
    }
  });
}

beforeEach(() => {
  invoke.mockReset();
  backend(invoke);
  window.history.replaceState(null, '', '#/');
});

afterEach(() => {
  window.history.replaceState(null, '', '#/');
});

describe('App', () => {
  it('says it is loading, then shows the overview', async () => {
    let resolve: (plan: unknown) => void = () => {};
    invoke.mockReturnValueOnce(new Promise((r) => (resolve = r)));
    const { container, findByRole } = render(App);
    expect(container.textContent).toContain('Loading plan…');
    resolve(fixtureOutline());
    const root = await showing(container, 'overview');
    expect((await findByRole('heading', { level: 1 })).textContent).toBe('Test plan');
    expect(root.textContent).toContain(
      'Every 4 weeks while the plan is new (its first 6 months), then every 6 months; sessions of 2 hours',
    );
    expect(container.textContent).toContain(
      'Starter plan — the people, addresses and numbers are examples',
    );
    expect(invoke).toHaveBeenCalledWith('get_plan_outline', undefined);
  });

  it('has a sidebar link with a count for every section', async () => {
    invoke.mockResolvedValueOnce(fixtureOutline());
    const { container } = render(App);
    await showing(container, 'overview');
    const links = Array.from(container.querySelectorAll('a[data-nav]')).map((a) => [
      a.getAttribute('data-nav'),
      a.getAttribute('href'),
      a.textContent?.replace(/\s+/g, ' ').trim(),
    ]);
    expect(links).toEqual([
      ['incidents', '#/incidents', 'Incidents 0'],
      ['exercises', '#/exercises', 'Exercises'],
      ['readiness', '#/readiness', 'Readiness'],
      ['overview', '#/', 'Overview'],
      ['issues', '#/issues', '1 Potential issues 4'],
      ['procedures', '#/procedures', '2 Response procedures 3'],
      ['escalation', '#/escalation', '3 Escalation process 2'],
      ['core-team', '#/core-team', '4 Core response team 3'],
      ['extended-team', '#/extended-team', '5 Extended response team 2'],
      ['communications', '#/communications', '6 Communications process 3'],
      ['decisions', '#/decisions', '7 Decision process 3'],
      ['decisions-log', '#/decisions-log', 'Decisions'],
      ['check', '#/check', 'Plan check'],
      ['history', '#/history', 'History'],
      ['folder', '#/folder', 'Plan folder'],
      ['settings', '#/settings', 'Settings'],
    ]);
  });

  it('shows one row per entry in every section', async () => {
    invoke.mockResolvedValueOnce(fixtureOutline());
    const { container } = render(App);
    await showing(container, 'overview');
    const expected: [string, number][] = [
      ['issues', 4],
      ['procedures', 3],
      ['escalation', 2],
      ['core-team', 3],
      ['extended-team', 2],
      ['communications', 3],
      ['decisions', 3],
    ];
    for (const [section, rows] of expected) {
      await go(`#/${section}`);
      const root = await showing(container, section);
      expect(root.querySelectorAll('[data-row]').length, section).toBe(rows);
      expect(container.querySelectorAll('[data-row]').length, section).toBe(rows);
      expect(
        container.querySelector(`a[data-nav="${section}"]`)?.getAttribute('aria-current'),
      ).toBe('page');
    }
  });

  it('links each issue to its page', async () => {
    invoke.mockResolvedValueOnce(fixtureOutline());
    const { container } = render(App);
    await go('#/issues');
    const root = await showing(container, 'issues');
    const links = Array.from(root.querySelectorAll('a[data-issue]')).map((a) => [
      a.getAttribute('data-issue'),
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['drain', '#/issues/drain'],
      ['gas', '#/issues/gas'],
      ['phish', '#/issues/phish'],
      ['stray', '#/issues/stray'],
    ]);
    await go('#/issues/gas');
    await waitFor(() =>
      expect(container.querySelector('[data-testid="issue-page"] h1')?.textContent).toBe(
        'Gas spike',
      ),
    );
  });

  it('jumps to sections with Alt+digit, but not while typing', async () => {
    invoke.mockResolvedValueOnce(fixtureOutline());
    const { container } = render(App);
    await showing(container, 'overview');
    await fireEvent.keyDown(document.body, { key: '3', code: 'Digit3', altKey: true });
    expect(window.location.hash).toBe('#/escalation');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await showing(container, 'escalation');

    const input = document.createElement('input');
    document.body.append(input);
    await fireEvent.keyDown(input, { key: '0', code: 'Digit0', altKey: true });
    expect(window.location.hash).toBe('#/escalation');
    input.remove();

    await fireEvent.keyDown(document.body, { key: '0', code: 'Digit0', altKey: true });
    expect(window.location.hash).toBe('#/');
  });

  it('opens the exercises, a new exercise and the readiness dashboard', async () => {
    withExercises();
    const { container } = render(App);
    await showing(container, 'overview');
    await go('#/exercises');
    await showing(container, 'exercises');
    await go('#/exercises/new');
    await showing(container, 'exercise-new');
    await go('#/readiness');
    await showing(container, 'readiness');
    expect(container.querySelector('[data-nav="readiness"]')?.getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('leaves Alt+digit to the exercise console on its run tab', async () => {
    withExercises();
    const { container } = render(App);
    await showing(container, 'overview');
    await go('#/exercises/EX-1/run');
    await showing(container, 'exercise');
    await fireEvent.keyDown(document.body, { key: '3', code: 'Digit3', altKey: true });
    expect(window.location.hash).toBe('#/exercises/EX-1/run');
  });

  it('shows the participant view alone, without the sidebar', async () => {
    withExercises();
    window.history.replaceState(null, '', '#/participant/EX-1');
    const { container } = render(App);
    await waitFor(() =>
      expect(container.querySelector('[data-testid="participant-view"]')).not.toBeNull(),
    );
    expect(container.querySelector('.shell')).toBeNull();
    expect(container.querySelector('a[data-nav]')).toBeNull();
    await fireEvent.keyDown(document.body, { key: '3', code: 'Digit3', altKey: true });
    expect(window.location.hash).toBe('#/participant/EX-1');
    // The router outlives the app: leave it on the overview for the next test.
    await go('#/');
  });

  const failures: [string, string][] = [
    ['databaseTooNew', 'This plan was saved by a newer Muster'],
    ['databaseDamaged', 'The plan database is damaged'],
    ['storage', 'Muster could not load the plan'],
  ];
  for (const [code, heading] of failures) {
    it(`explains a ${code} failure`, async () => {
      invoke.mockRejectedValueOnce({ code, message: `<b>details</b> for ${code}` });
      const { findByRole, container } = render(App);
      const alert = await findByRole('alert');
      expect(alert.querySelector('h1')?.textContent).toBe(heading);
      expect(alert.querySelector('pre')?.textContent).toBe(`<b>details</b> for ${code}`);
      expect(alert.querySelector('b')).toBeNull();
      expect(container.querySelectorAll('[data-section]').length).toBe(0);
    });
  }

  it('starts on the outline alone, and asks for the whole plan once a page that shows it opens', async () => {
    let answer: (plan: unknown) => void = () => {};
    const base = invoke.getMockImplementation();
    invoke.mockImplementation(async (command: string, args?: unknown) =>
      command === 'get_plan' ? new Promise((resolve) => (answer = resolve)) : base?.(command, args),
    );
    const { container } = render(App);
    await showing(container, 'overview');
    // The counts and the people come with the outline.
    expect(container.querySelector('a[data-nav="issues"]')?.textContent).toContain('4');
    await go('#/incidents');
    await showing(container, 'incidents');
    await go('#/check');
    await showing(container, 'check');
    expect(calls(invoke, 'get_plan')).toHaveLength(0);
    await go('#/issues');
    await waitFor(() => expect(container.textContent).toContain('Loading the plan…'));
    expect(calls(invoke, 'get_plan')).toHaveLength(1);
    answer(fixturePlan());
    const issues = await showing(container, 'issues');
    expect(issues.querySelectorAll('[data-row]').length).toBe(4);
    // Kept from then on: the next page is drawn from it at once, and the Overview still works.
    await go('#/procedures');
    await showing(container, 'procedures');
    await go('#/');
    await showing(container, 'overview');
    expect(calls(invoke, 'get_plan')).toHaveLength(1);
  });

  it('says why a page cannot show the plan, keeps the frame, and tries again', async () => {
    const base = invoke.getMockImplementation();
    let fail = true;
    invoke.mockImplementation(async (command: string, args?: unknown) => {
      if (command === 'get_plan' && fail) {
        fail = false;
        throw { code: 'databaseDamaged', message: 'the file muster.sqlite3 is damaged' };
      }
      return base?.(command, args);
    });
    const { container, findByRole } = render(App);
    await showing(container, 'overview');
    await go('#/procedures');
    const alert = await findByRole('alert');
    expect(alert.textContent).toContain('the file muster.sqlite3 is damaged');
    // The sidebar is still there to go elsewhere.
    expect(container.querySelector('a[data-nav="overview"]')).not.toBeNull();
    await fireEvent.click(await findByRole('button', { name: 'Try again' }));
    const root = await showing(container, 'procedures');
    expect(root.querySelectorAll('[data-row]').length).toBe(3);
  });

  it('can try again after a failure', async () => {
    invoke.mockRejectedValueOnce('connection refused').mockResolvedValueOnce(fixtureOutline());
    const { findByRole, container } = render(App);
    await fireEvent.click(await findByRole('button', { name: 'Try again' }));
    await showing(container, 'overview');
  });
});
