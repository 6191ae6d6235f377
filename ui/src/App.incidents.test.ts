import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const listen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/event', () => ({ listen }));

import App from './App.svelte';
import { appInfo, calls as callsOf, go, showing } from './App.testing';
import type { Agenda, IncidentSummary } from './lib/api';
import { alerts, closeDeclare } from './lib/incident';
import { dueItem, escalationDue, fixtureView, summary } from './lib/incident/fixture';
import { fixturePlan, outlineOf } from './lib/plan/fixture';

const calls = (command: string) => callsOf(invoke, command);
const handlers = new Map<string, (event: { payload: unknown }) => void>();

function backend(summaries: IncidentSummary[] = [], agenda: Partial<Agenda> = {}) {
  invoke.mockImplementation(async (command: string) => {
    switch (command) {
      case 'get_plan':
        return fixturePlan();
      case 'get_plan_outline':
        return outlineOf(fixturePlan());
      case 'list_incidents':
        return summaries;
      case 'get_agenda':
        return { due: [], upcoming: [], nextAt: null, ...agenda };
      case 'notification_status':
        return { available: true, detail: 'dunst 1.9.0' };
      case 'declare_incident':
      case 'incident_view':
        return fixtureView();
      case 'get_linked_folder':
        return { dir: null, writeBack: false };
      case 'app_info':
        return appInfo();
      default:
        return [];
    }
  });
}

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
  handlers.clear();
  listen.mockImplementation(async (name: string, handler: (e: { payload: unknown }) => void) => {
    handlers.set(name, handler);
    return () => handlers.delete(name);
  });
  backend();
  alerts.clear();
  closeDeclare();
  window.history.replaceState(null, '', '#/');
});

afterEach(() => {
  window.history.replaceState(null, '', '#/');
});

function nav(container: HTMLElement) {
  return container.querySelector<HTMLElement>('a[data-nav="incidents"]') as HTMLElement;
}

describe('App: incidents', () => {
  // First: a link clicked in another test of this file can leave jsdom a pending move to
  // #/incidents, which would land in this one.
  it('stays on the page a launch asked for, urgent incident or not', async () => {
    backend([summary({ id: 'INC-9', severity: 'S1', phase: 'detected' })]);
    await go('#/issues');
    const { container } = render(App);
    await showing(container, 'issues');
    await waitFor(() => expect(calls('list_incidents').length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window.location.hash).toBe('#/issues');
  });

  it('puts Incidents at the top of the sidebar, counting real active ones, marking what is due', async () => {
    // S3: an S1/S2 one would open the app on its console (tested below).
    backend(
      [
        summary({ severity: 'S3' }),
        summary({ id: 'INC-4', exercise: true }),
        summary({ id: 'INC-1', phase: 'closed' }),
      ],
      { due: [dueItem(), escalationDue()] },
    );
    const { container } = render(App);
    await showing(container, 'overview');
    const links = Array.from(container.querySelectorAll('a[data-nav]'));
    expect(links[0]?.getAttribute('data-nav')).toBe('incidents');
    await waitFor(() =>
      expect(nav(container).querySelector('[data-testid="incident-count"]')?.textContent).toBe('1'),
    );
    expect(nav(container).querySelector('[data-testid="incident-due-marker"]')).not.toBeNull();
    expect(nav(container).textContent).toContain('2 due now');
    expect(nav(container).querySelector('[data-testid="exercise-count"]')?.textContent).toBe(
      'EX 1',
    );
    await fireEvent.click(nav(container));
    await go('#/incidents');
    await showing(container, 'incidents');
    expect(nav(container).getAttribute('aria-current')).toBe('page');
  });

  it('opens on an open S1 or S2 incident at launch, unless the launch asked for a page', async () => {
    backend([summary({ id: 'INC-3', severity: 'S2', phase: 'detected' })]);
    const { container } = render(App);
    await waitFor(() => expect(window.location.hash).toBe('#/incidents/INC-3'));
    // Decided on the list the sidebar's watcher asked for at launch: asked once, not twice.
    expect(calls('list_incidents').length).toBe(1);
    const root = await showing(container, 'incidents');
    await waitFor(() => expect(root.getAttribute('data-testid')).toBe('incident-console'));
  });

  it('has no due marker for what is due on exercises only', async () => {
    backend([summary({ exercise: true })], { due: [dueItem({ exercise: true })] });
    const { container } = render(App);
    await showing(container, 'overview');
    await waitFor(() =>
      expect(nav(container).querySelector('[data-testid="exercise-count"]')).not.toBeNull(),
    );
    expect(nav(container).querySelector('[data-testid="incident-count"]')?.textContent).toBe('0');
    expect(nav(container).querySelector('[data-testid="incident-due-marker"]')).toBeNull();
  });

  it('declares from anywhere with Ctrl+Shift+N and opens the console', async () => {
    const { container } = render(App);
    await showing(container, 'overview');
    const input = document.createElement('input');
    document.body.append(input);
    await fireEvent.keyDown(input, { key: 'N', code: 'KeyN', ctrlKey: true, shiftKey: true });
    input.remove();
    const dialog = await waitFor(() => {
      const found = document.body.querySelector<HTMLElement>('[data-testid="declare-dialog"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    await fireEvent.change(dialog.querySelector('[data-testid="declare-issue"]') as Element, {
      target: { value: 'drain' },
    });
    await fireEvent.click(dialog.querySelector('[data-testid="declare-submit"]') as Element);
    await waitFor(() => expect(window.location.hash).toBe('#/incidents/INC-3'));
    const root = await showing(container, 'incidents');
    await waitFor(() => expect(root.getAttribute('data-testid')).toBe('incident-console'));
    expect(document.body.querySelector('[data-testid="declare-dialog"]')).toBeNull();
    expect(calls('declare_incident')[0]?.[1]).toMatchObject({
      declaration: { issue: 'drain', severity: 'S1', exercise: false },
    });
    await waitFor(() =>
      expect(container.querySelector('[data-testid="toast"]')?.textContent).toContain(
        'Declared: INC-3 Drained pool',
      ),
    );
  });

  it('says so when Ctrl+Shift+N cannot read the plan to declare from, and opens nothing', async () => {
    const base = invoke.getMockImplementation();
    let failures = 1;
    invoke.mockImplementation(async (command: string, args?: unknown) => {
      if (command === 'get_plan' && failures > 0) {
        failures--;
        throw { code: 'databaseDamaged', message: 'the file muster.sqlite3 is damaged' };
      }
      return base?.(command, args);
    });
    const { container } = render(App);
    await showing(container, 'overview');
    await fireEvent.keyDown(document.body, {
      key: 'N',
      code: 'KeyN',
      ctrlKey: true,
      shiftKey: true,
    });
    await waitFor(() =>
      expect(container.querySelector('[data-testid="toast"]')?.textContent).toContain(
        'Could not open the plan to declare: the file muster.sqlite3 is damaged',
      ),
    );
    expect(document.body.querySelector('[data-testid="declare-dialog"]')).toBeNull();
    expect(calls('declare_incident')).toHaveLength(0);
    await showing(container, 'overview');
    // Asked again: the plan is read and the dialog opens.
    await fireEvent.keyDown(document.body, {
      key: 'N',
      code: 'KeyN',
      ctrlKey: true,
      shiftKey: true,
    });
    await waitFor(() =>
      expect(document.body.querySelector('[data-testid="declare-dialog"]')).not.toBeNull(),
    );
    closeDeclare();
  });

  it('declares from an issue page, starting from that issue', async () => {
    const { container } = render(App);
    await go('#/issues/gas');
    await showing(container, 'issues');
    await fireEvent.click(
      container.querySelector(
        '[data-testid="issue-page"] [data-action="declare-incident"]',
      ) as Element,
    );
    const select = document.body.querySelector<HTMLSelectElement>('[data-testid="declare-issue"]');
    expect(select?.value).toBe('gas');
    expect(
      document.body.querySelector<HTMLSelectElement>('[data-testid="declare-severity"]')?.value,
    ).toBe('S3');
    // Ctrl+Shift+N over an open dialog does not open a second one.
    await fireEvent.keyDown(document.body, {
      key: 'N',
      code: 'KeyN',
      ctrlKey: true,
      shiftKey: true,
    });
    expect(document.body.querySelectorAll('[data-testid="declare-dialog"]').length).toBe(1);
  });

  it('quits with Ctrl+Q at once when no real incident is open', async () => {
    backend([summary({ id: 'INC-1', phase: 'closed' }), summary({ id: 'INC-2', exercise: true })]);
    const { container } = render(App);
    await showing(container, 'overview');
    await fireEvent.keyDown(document.body, { key: 'q', code: 'KeyQ', ctrlKey: true });
    await waitFor(() => expect(calls('quit_app')).toEqual([['quit_app', undefined]]));
    expect(document.body.querySelector('[data-testid="confirm"]')).toBeNull();
  });

  it('asks before quitting while a real incident is open, from Ctrl+Q or the tray', async () => {
    backend([summary({ id: 'INC-7', title: 'Oracle failure', phase: 'mitigated' })]);
    const { container } = render(App);
    await showing(container, 'overview');
    await fireEvent.keyDown(document.body, { key: 'q', code: 'KeyQ', ctrlKey: true });
    const dialog = await waitFor(() => {
      const found = document.body.querySelector('[data-testid="confirm"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(dialog.textContent).toContain('INC-7 Oracle failure is open');
    expect(dialog.textContent).toContain('reminders and pop-ups stop');
    await fireEvent.click(dialog.querySelector('[data-action="dismiss"]') as HTMLElement);
    expect(calls('quit_app')).toEqual([]);
    // The tray's Quit asks the same, and "Quit anyway" quits.
    await waitFor(() => expect(handlers.has('quit-requested')).toBe(true));
    handlers.get('quit-requested')?.({ payload: null });
    const again = await waitFor(() => {
      const found = document.body.querySelector('[data-testid="confirm"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    await fireEvent.click(again.querySelector('[data-action="confirm"]') as HTMLElement);
    await waitFor(() => expect(calls('quit_app')).toEqual([['quit_app', undefined]]));
  });

  it('shows alerts in the window and opens the incident the tray asks for', async () => {
    const { container } = render(App);
    await showing(container, 'overview');
    await waitFor(() => expect(handlers.has('alert')).toBe(true));
    handlers.get('alert')?.({ payload: escalationDue() });
    handlers.get('alert')?.({ payload: dueItem() });
    await waitFor(() =>
      expect(document.body.querySelectorAll('[data-testid="alert-card"]').length).toBe(2),
    );
    expect(container.querySelectorAll('[data-section]').length).toBe(1);
    handlers.get('open-incident')?.({ payload: 'INC-3' });
    await waitFor(() => expect(window.location.hash).toBe('#/incidents/INC-3'));
    const root = await showing(container, 'incidents');
    await waitFor(() => expect(root.getAttribute('data-testid')).toBe('incident-console'));
  });

  it('shows no card about the open console when desktop notifications work', async () => {
    window.history.replaceState(null, '', '#/incidents/INC-3');
    const { container } = render(App);
    const root = await showing(container, 'incidents');
    await waitFor(() => expect(root.getAttribute('data-testid')).toBe('incident-console'));
    await waitFor(() => expect(handlers.has('alert')).toBe(true));
    await waitFor(() => expect(alerts.quiet).toBe(true));
    const cards = () => Array.from(document.body.querySelectorAll('[data-testid="alert-card"]'));
    handlers.get('alert')?.({ payload: escalationDue() });
    handlers.get('alert')?.({ payload: dueItem() });
    handlers.get('alert')?.({ payload: escalationDue({ key: 'esc:INC-4', incident: 'INC-4' }) });
    await waitFor(() =>
      expect(cards().map((c) => c.getAttribute('data-key'))).toEqual(['esc:INC-4']),
    );
    expect(root.querySelectorAll('[data-testid="due-item"]').length).toBe(2);
    expect(container.querySelectorAll('[data-section]').length).toBe(1);
  });

  it('refreshes the sidebar when incidents change', async () => {
    const { container } = render(App);
    await showing(container, 'overview');
    await waitFor(() => expect(handlers.has('incidents-changed')).toBe(true));
    backend([summary()]);
    handlers.get('incidents-changed')?.({ payload: null });
    await waitFor(() =>
      expect(nav(container).querySelector('[data-testid="incident-count"]')?.textContent).toBe('1'),
    );
  });
});
