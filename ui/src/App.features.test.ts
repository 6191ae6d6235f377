import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import App from './App.svelte';
import { backend, calls as callsOf, go, sections, showing } from './App.testing';
import type { Gap, SearchHit } from './lib/api';
import { decision, keyStatus } from './lib/decisions/fixture';
import { fixturePlan, outlineOf } from './lib/plan/fixture';
import { noRoster, notInTeam } from './lib/settings/fixture';

const calls = (command: string) => callsOf(invoke, command);

beforeEach(() => {
  invoke.mockReset();
  backend(invoke);
  window.history.replaceState(null, '', '#/');
});

afterEach(() => {
  window.history.replaceState(null, '', '#/');
});

describe('App: check, search, history, print, settings', () => {
  it('shows the plan check with a badge counting problems, else warnings', async () => {
    const gap = (level: Gap['level'], element: string): Gap => ({
      kind: level === 'problem' ? 'contactUnreachable' : 'contactNotVerified',
      level,
      section: 'coreTeam',
      element,
      message: `${element} needs attention`,
    });
    backend(invoke, [gap('problem', 'ada'), gap('warning', 'ben'), gap('problem', 'chloe')]);
    const { container } = render(App);
    await showing(container, 'overview');
    const badge = () => container.querySelector('[data-testid="check-badge"]');
    await waitFor(() => expect(badge()?.textContent).toBe('2'));
    expect(badge()?.classList.contains('problem')).toBe(true);
    expect(badge()?.closest('a')?.getAttribute('data-nav')).toBe('check');

    await go('#/check');
    const root = await showing(container, 'check');
    expect(root.querySelectorAll('[data-row]').length).toBe(3);
    expect(container.querySelectorAll('[data-row]').length).toBe(3);
    expect(container.querySelector('a[data-nav="check"]')?.getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('opens the search palette with Ctrl+K from anywhere and jumps to a result', async () => {
    const hit: SearchHit = {
      section: 'issues',
      element: 'gas',
      title: 'Gas spike',
      snippet: [{ text: 'fee', hit: true }],
    };
    backend(invoke, [], [hit]);
    const { container } = render(App);
    await showing(container, 'overview');
    const palette = () => container.querySelector('[data-testid="palette"]');
    expect(palette()).toBeNull();

    const input = document.createElement('input');
    document.body.append(input);
    await fireEvent.keyDown(input, { key: 'k', code: 'KeyK', ctrlKey: true });
    input.remove();
    expect(palette()).not.toBeNull();
    expect(sections(container)).toEqual(['overview']);
    const field = container.querySelector<HTMLInputElement>('[data-testid="palette-input"]');
    expect(document.activeElement).toBe(field);
    await fireEvent.keyDown(field as HTMLInputElement, { key: 'Escape' });
    expect(palette()).toBeNull();

    await fireEvent.keyDown(document.body, { key: 'k', code: 'KeyK', metaKey: true });
    const opened = container.querySelector<HTMLInputElement>('[data-testid="palette-input"]');
    await fireEvent.input(opened as HTMLInputElement, { target: { value: 'fee' } });
    await waitFor(() =>
      expect(container.querySelectorAll('[data-testid="palette-result"]').length).toBe(1),
    );
    expect(calls('search_plan')).toEqual([['search_plan', { query: 'fee', limit: 20 }]]);
    await fireEvent.keyDown(opened as HTMLInputElement, { key: 'Enter' });
    expect(palette()).toBeNull();
    expect(window.location.hash).toBe('#/issues/gas');
    await waitFor(() =>
      expect(container.querySelector('[data-testid="issue-page"] h1')?.textContent).toBe(
        'Gas spike',
      ),
    );
  });

  it('hands what is typed in the sidebar search to the palette', async () => {
    const { container } = render(App);
    await showing(container, 'overview');
    const sidebar = container.querySelector<HTMLInputElement>('[data-testid="sidebar-search"]');
    await fireEvent.input(sidebar as HTMLInputElement, { target: { value: 'p' } });
    const field = container.querySelector<HTMLInputElement>('[data-testid="palette-input"]');
    expect(field?.value).toBe('p');
    expect(document.activeElement).toBe(field);
    expect(sidebar?.value).toBe('');
    await waitFor(() =>
      expect(calls('search_plan')).toEqual([['search_plan', { query: 'p', limit: 20 }]]),
    );
  });

  it('prints the plan from the sidebar: the print view first, then the dialog once', async () => {
    let shownWhenPrinted: boolean | undefined;
    invoke.mockImplementation(async (command: string) => {
      if (command === 'print_window') {
        shownWhenPrinted = document.querySelector('[data-section="print"]') !== null;
        return null;
      }
      return command === 'get_plan'
        ? fixturePlan()
        : command === 'get_plan_outline'
          ? outlineOf(fixturePlan())
          : [];
    });
    const { container } = render(App);
    await showing(container, 'overview');
    const button = container.querySelector<HTMLElement>('button[data-action="print"]');
    await fireEvent.click(button as HTMLElement);
    const root = await showing(container, 'print');
    expect(window.location.hash).toBe('#/print');
    await waitFor(() => expect(calls('print_window')).toHaveLength(1));
    expect(shownWhenPrinted).toBe(true);
    expect(root.querySelector('[data-testid="contact-sheet"]')).not.toBeNull();
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls('print_window')).toHaveLength(1);
  });

  it('draws the first page with its banners in place, so nothing moves under the pointer', async () => {
    // The profile answers after the plan: the page waits for it rather than pushing its
    // content down when the banner appears.
    let answer: (profile: { name: string }) => void = () => undefined;
    const base = invoke.getMockImplementation();
    invoke.mockImplementation(async (command: string, args?: unknown) => {
      if (command === 'get_profile') {
        return new Promise((resolve) => (answer = resolve));
      }
      if (command === 'app_info') {
        return { ...(await base?.(command, args)), writesOff: 'the disk is full' };
      }
      return base?.(command, args);
    });
    const { container, queryByTestId } = render(App);
    await waitFor(() => expect(calls('get_plan_outline').length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sections(container)).toEqual([]);
    expect(container.textContent).toContain('Loading plan');
    answer({ name: 'Muster user' });
    await showing(container, 'overview');
    // Both banners are there with the first page, not added after it.
    expect(queryByTestId('identity-banner')).not.toBeNull();
    expect(container.querySelector('.writes-off')?.textContent).toMatch(/the disk is full/i);
    expect(calls('get_profile')).toHaveLength(1);
    expect(calls('app_info')).toHaveLength(1);
  });

  it('opens the history and the settings', async () => {
    invoke.mockImplementation(async (command: string) => {
      switch (command) {
        case 'get_plan':
          return fixturePlan();
        case 'get_plan_outline':
          return outlineOf(fixturePlan());
        case 'list_revisions':
          return [{ id: 1, createdAt: '2026-03-01T08:00:00Z', author: 'Ada', summary: 'Start' }];
        case 'get_profile':
          return { name: 'Ada' };
        case 'app_info':
          return {
            version: '0.1.0',
            dataDir: '/data',
            schemaVersion: 1,
            timeZone: 'UTC',
            timeZoneProblem: null,
            writesOff: null,
          };
        case 'team_status':
          return notInTeam();
        case 'roster_view':
          return noRoster();
        default:
          return [];
      }
    });
    const { container } = render(App);
    await go('#/history');
    const history = await showing(container, 'history');
    await waitFor(() => expect(history.querySelectorAll('[data-row]').length).toBe(1));
    await go('#/settings');
    const settings = await showing(container, 'settings');
    await waitFor(() => expect(settings.textContent).toContain('/data'));
    const team = settings.querySelector<HTMLElement>('[data-testid="team-folder"]');
    await waitFor(() => expect(team?.dataset.state).toBe('not-joined'));
    expect(calls('team_status').length).toBeGreaterThan(0);
  });

  it('counts the decisions waiting for me in the sidebar and lists them on their page', async () => {
    invoke.mockImplementation(async (command: string) => {
      switch (command) {
        case 'get_plan':
          return fixturePlan();
        case 'get_plan_outline':
          return outlineOf(fixturePlan());
        case 'list_decisions':
          return [decision({ request: { expires: '2999-01-01T00:00:00Z' } })];
        case 'signing_key_status':
          return keyStatus();
        default:
          return [];
      }
    });
    const { container } = render(App);
    await showing(container, 'overview');
    const badge = () => container.querySelector('[data-testid="decisions-badge"]');
    await waitFor(() => expect(badge()?.textContent).toBe('1'));
    await go('#/decisions-log');
    const root = await showing(container, 'decisions-log');
    await waitFor(() => expect(root.querySelectorAll('[data-row]').length).toBe(1));
    expect(root.getAttribute('data-testid')).toBe('decisions-page');
    expect(container.querySelectorAll('[data-row]').length).toBe(1);
    expect(
      container.querySelector('a[data-nav="decisions-log"]')?.getAttribute('aria-current'),
    ).toBe('page');
  });

  it('opens a team page for a contact link', async () => {
    const { container } = render(App);
    await go('#/extended-team/metro');
    const root = await showing(container, 'extended-team');
    expect(root.querySelectorAll('[data-row]').length).toBe(2);
    // The team pages mark each contact's row; the route names the one to scroll to.
    expect(root.querySelector('[data-contact="metro"]')).not.toBeNull();
    expect(
      container.querySelector('a[data-nav="extended-team"]')?.getAttribute('aria-current'),
    ).toBe('page');
  });

  it('shows a banner when the linked folder differs at start-up; Review opens the folder page', async () => {
    invoke.mockImplementation(async (command: string) => {
      switch (command) {
        case 'get_plan':
          return fixturePlan();
        case 'get_plan_outline':
          return outlineOf(fixturePlan());
        case 'get_linked_folder':
          return { dir: '/linked', writeBack: false };
        case 'preview_plan_folder':
          return {
            dir: '/linked',
            changes: [
              { section: 'issues', key: 'gas', title: 'Gas spike', kind: 'changed', fields: [] },
            ],
            errors: [],
            warnings: [],
          };
        default:
          return [];
      }
    });
    const { container } = render(App);
    await showing(container, 'overview');
    const banner = await waitFor(() => {
      const found = container.querySelector('[data-testid="folder-banner"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(banner.textContent).toContain('The linked plan folder changed: 1 change');
    expect(calls('preview_plan_folder')).toEqual([['preview_plan_folder', { dir: '/linked' }]]);
    await fireEvent.click(banner.querySelector('[data-action="review-folder"]') as Element);
    const root = await showing(container, 'folder');
    expect(root.querySelector('[data-testid="folder-preview"] .dir')?.textContent).toBe(
      'Folder: /linked',
    );
    expect(root.querySelector('[data-testid="linked-folder"]')?.textContent).toContain('/linked');
    expect(container.querySelector('a[data-nav="folder"]')?.getAttribute('aria-current')).toBe(
      'page',
    );
    await fireEvent.click(banner.querySelector('[data-action="dismiss-folder-banner"]') as Element);
    expect(container.querySelector('[data-testid="folder-banner"]')).toBeNull();
    expect(sections(container)).toEqual(['folder']);
  });
});
