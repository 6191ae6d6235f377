import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  listIncidents: vi.fn(),
  getAgenda: vi.fn(),
  onIncidentsChanged: vi.fn(),
  onAlert: vi.fn(),
  onOpenIncident: vi.fn(),
  notificationStatus: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { DueItem } from '../api';
import { Alerts, watchAlerts } from './alerts.svelte';
import AlertStack from './AlertStack.svelte';
import { dueItem, escalationDue, summary } from './fixture';
import { IncidentList, watchIncidents } from './store.svelte';

type Handler = (payload: unknown) => void;
const handlers = new Map<string, Handler>();

beforeEach(() => {
  for (const fn of Object.values(api)) {
    fn.mockReset();
  }
  handlers.clear();
  const listening = (name: string) => (handler: Handler) => {
    handlers.set(name, handler);
    return Promise.resolve(() => handlers.delete(name));
  };
  api.onIncidentsChanged.mockImplementation(listening('incidents-changed'));
  api.onAlert.mockImplementation(listening('alert'));
  api.onOpenIncident.mockImplementation(listening('open-incident'));
  api.notificationStatus.mockResolvedValue({ available: true, detail: 'dunst 1.9.0' });
  api.listIncidents.mockResolvedValue([
    summary(),
    summary({ id: 'INC-4', exercise: true }),
    summary({ id: 'INC-5', phase: 'closed' }),
  ]);
  api.getAgenda.mockResolvedValue({
    due: [dueItem(), dueItem({ key: 'x', incident: 'INC-4', exercise: true })],
    upcoming: [],
    nextAt: null,
  });
});

afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState(null, '', '#/');
});

describe('IncidentList', () => {
  it('counts real incidents and what is due on them, never exercises', async () => {
    const list = new IncidentList();
    await list.refresh();
    expect(list.activeCount).toBe(1);
    expect(list.activeExercises).toBe(1);
    expect(list.realDue).toBe(1);
    expect(list.exerciseDue).toBe(1);
  });

  it('keeps the last answer and the error when a refresh fails', async () => {
    const list = new IncidentList();
    await list.refresh();
    api.listIncidents.mockRejectedValueOnce({ code: 'storage', message: 'disk full' });
    await list.refresh();
    expect(list.error).toBe('disk full');
    expect(list.summaries?.length).toBe(3);
  });

  it('refreshes on every change event and every 30 seconds', async () => {
    vi.useFakeTimers();
    const list = new IncidentList();
    const stop = watchIncidents(list, 30_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.listIncidents).toHaveBeenCalledTimes(1);
    handlers.get('incidents-changed')?.(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.listIncidents).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.listIncidents).toHaveBeenCalledTimes(3);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.listIncidents).toHaveBeenCalledTimes(3);
    expect(handlers.has('incidents-changed')).toBe(false);
  });
});

describe('alerts', () => {
  it('stacks alerts newest first; critical ones stay, others leave after a while', async () => {
    vi.useFakeTimers();
    const alerts = new Alerts(60_000);
    alerts.push(escalationDue());
    alerts.push(dueItem());
    expect(alerts.items.map((i) => i.key)).toEqual([dueItem().key, escalationDue().key]);
    alerts.push(dueItem());
    expect(alerts.items.length).toBe(2);
    vi.advanceTimersByTime(60_000);
    expect(alerts.items.map((i) => i.key)).toEqual([escalationDue().key]);
    alerts.dismiss(escalationDue().key);
    expect(alerts.items).toEqual([]);
  });

  it('keeps every alert when there is no notification service', () => {
    vi.useFakeTimers();
    const alerts = new Alerts(60_000);
    alerts.status = { available: false, detail: 'no session bus' };
    alerts.push(dueItem());
    vi.advanceTimersByTime(600_000);
    expect(alerts.items.length).toBe(1);
  });

  it('shows each alert event and follows open-incident', async () => {
    const alerts = new Alerts();
    const open = vi.fn();
    const stop = watchAlerts(alerts, open);
    await waitFor(() => expect(handlers.has('alert')).toBe(true));
    handlers.get('alert')?.(escalationDue());
    handlers.get('open-incident')?.('INC-3');
    expect(alerts.items.map((i) => i.key)).toEqual([escalationDue().key]);
    expect(open).toHaveBeenCalledWith('INC-3');
    await waitFor(() => expect(alerts.status?.detail).toBe('dunst 1.9.0'));
    stop();
    expect(handlers.size).toBe(0);
  });
});

describe('AlertStack', () => {
  function shown(alerts: Alerts) {
    const view = render(AlertStack, { alerts });
    const cards = () => Array.from(view.container.querySelectorAll('[data-testid="alert-card"]'));
    return { ...view, cards };
  }

  it('shows stacked cards with title, body and Open; critical ones as alerts', async () => {
    const alerts = new Alerts();
    alerts.push(escalationDue());
    alerts.push(
      dueItem({ exercise: true, title: 'EXERCISE — INC-3 Drained pool: users update due' }),
    );
    const { cards, container } = shown(alerts);
    expect(cards().map((c) => c.getAttribute('role'))).toEqual(['status', 'alert']);
    const [update, escalation] = cards() as [HTMLElement, HTMLElement];
    expect(update.textContent).toContain('EXERCISE');
    expect(update.querySelector('[data-testid="exercise-label"]')).not.toBeNull();
    expect(escalation.textContent).toContain('notify 1 person now (validation)');
    expect(escalation.textContent).toContain('Eli Forum (Community liaison)');
    expect(container.querySelector('[data-section]')).toBeNull();
    expect(container.querySelector('[data-row]')).toBeNull();

    const open = escalation.querySelector<HTMLAnchorElement>('[data-action="open-alert"]');
    expect(open?.getAttribute('href')).toBe('#/incidents/INC-3');
    await fireEvent.click(open as HTMLElement);
    expect(window.location.hash).toBe('#/incidents/INC-3');
    await waitFor(() => expect(cards().length).toBe(1));
    await fireEvent.click(cards()[0]?.querySelector('[data-action="dismiss-alert"]') as Element);
    await waitFor(() => expect(cards().length).toBe(0));
  });

  it('says alerts show here when desktop notifications are unavailable', () => {
    const alerts = new Alerts();
    alerts.status = { available: false, detail: 'no session bus' };
    for (const key of ['a', 'b', 'c']) {
      alerts.push(dueItem({ key } as Partial<DueItem>));
    }
    const { container, cards } = shown(alerts);
    expect(container.textContent).toContain('Desktop notifications are unavailable');
    expect(cards().length).toBe(3);
    expect(container.querySelector('[data-action="dismiss-all"]')).not.toBeNull();
  });
});
