import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  listIncidents: vi.fn(),
  getAgenda: vi.fn(),
  onIncidentsChanged: vi.fn(),
  onAlert: vi.fn(),
  onOpenIncident: vi.fn(),
  onSchedulerSettled: vi.fn(),
  notificationStatus: vi.fn(),
}));
vi.mock('../api', async (original) => ({ ...(await original<object>()), ...api }));

import type { DueItem } from '../api';
import { ALERT_MS, Alerts, firstCards, watchAlerts } from './alerts.svelte';
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
  api.onSchedulerSettled.mockImplementation(listening('scheduler-settled'));
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

  /** An alert about `incident`; `critical` makes it an escalation. */
  function about(incident: string, critical = false): DueItem {
    const over = { key: `${critical ? 'esc' : 'upd'}:${incident}`, incident };
    return critical ? escalationDue(over) : dueItem(over);
  }

  const keys = (items: readonly DueItem[]) => items.map((i) => i.key);

  it('with desktop notifications, shows no card about the incident whose console is open', () => {
    vi.useFakeTimers();
    const alerts = new Alerts();
    alerts.status = { available: true, detail: 'dunst 1.9.0' };
    alerts.push(about('INC-3'));
    alerts.push(about('INC-3', true));
    alerts.push(about('INC-4', true));
    alerts.push(about('INC-5'));
    // Opening INC-3's console settles its alerts: its due strip shows them.
    alerts.watch('INC-3');
    expect(keys(alerts.cards)).toEqual(['upd:INC-5', 'esc:INC-4']);
    // New ones about it are not kept; those about other incidents are.
    alerts.push(about('INC-3', true));
    alerts.push(about('INC-6'));
    expect(keys(alerts.cards)).toEqual(['upd:INC-6', 'upd:INC-5', 'esc:INC-4']);
    // The escalation about another incident stays until dismissed; the rest leave.
    vi.advanceTimersByTime(ALERT_MS);
    expect(keys(alerts.cards)).toEqual(['esc:INC-4']);
    // Leaving the console does not bring INC-3's back.
    alerts.watch(undefined);
    expect(keys(alerts.items)).toEqual(['esc:INC-4']);
  });

  it('lets an exercise escalation card go like any other, a real one stays', () => {
    vi.useFakeTimers();
    const alerts = new Alerts();
    alerts.status = { available: true, detail: 'dunst 1.9.0' };
    alerts.push({ ...about('INC-7', true), exercise: true });
    alerts.push(about('INC-8', true));
    vi.advanceTimersByTime(ALERT_MS);
    expect(keys(alerts.cards)).toEqual(['esc:INC-8']);
  });

  it('on a moderator’s console, shows no card about exercises while notifications work', () => {
    const alerts = new Alerts();
    alerts.status = { available: true, detail: 'dunst 1.9.0' };
    alerts.push({ ...about('INC-7', true), exercise: true });
    alerts.push(about('INC-8', true));
    alerts.moderating = true;
    // A real incident's escalation still shows over the console.
    expect(keys(alerts.cards)).toEqual(['esc:INC-8']);
    alerts.moderating = false;
    expect(keys(alerts.cards)).toEqual(['esc:INC-8', 'esc:INC-7']);
    // Without a notification service the cards are the only place: all of them show.
    alerts.moderating = true;
    alerts.status = { available: false, detail: 'no session bus' };
    expect(keys(alerts.cards)).toEqual(['esc:INC-8', 'esc:INC-7']);
  });

  it('hides the open console’s alerts when the notification service answers late', () => {
    const alerts = new Alerts();
    alerts.watch('INC-3');
    alerts.push(about('INC-3'));
    alerts.push(about('INC-4'));
    expect(keys(alerts.cards)).toEqual(['upd:INC-4', 'upd:INC-3']);
    alerts.status = { available: true, detail: 'dunst 1.9.0' };
    expect(keys(alerts.cards)).toEqual(['upd:INC-4']);
  });

  it('without desktop notifications, keeps every card, the open console’s too', () => {
    vi.useFakeTimers();
    const alerts = new Alerts();
    alerts.status = { available: false, detail: 'no session bus' };
    alerts.push(about('INC-3'));
    alerts.watch('INC-3');
    alerts.push(about('INC-3', true));
    alerts.push(about('INC-4'));
    vi.advanceTimersByTime(10 * ALERT_MS);
    expect(keys(alerts.cards)).toEqual(['upd:INC-4', 'esc:INC-3', 'upd:INC-3']);
  });

  it('puts escalations first when only a few cards show', () => {
    const cards = [about('A'), about('B', true), about('C'), about('D', true), about('E')];
    expect(keys(firstCards(cards, 3))).toEqual(['esc:B', 'esc:D', 'upd:A']);
    expect(keys(firstCards(cards, 9))).toEqual(['esc:B', 'esc:D', 'upd:A', 'upd:C', 'upd:E']);
  });

  it('shows each alert event and follows open-incident', async () => {
    const alerts = new Alerts();
    const open = vi.fn();
    const stop = watchAlerts(alerts, open);
    await waitFor(() => expect(handlers.has('alert')).toBe(true));
    handlers.get('alert')?.(escalationDue());
    handlers.get('open-incident')?.('INC-3');
    await waitFor(() => expect(alerts.items.map((i) => i.key)).toEqual([escalationDue().key]));
    expect(open).toHaveBeenCalledWith('INC-3');
    expect(alerts.status?.detail).toBe('dunst 1.9.0');
    stop();
    expect(handlers.size).toBe(0);
  });

  it('marks on the page how many changes the scheduler has taken in', async () => {
    const stop = watchAlerts(new Alerts(), vi.fn());
    await waitFor(() => expect(handlers.has('scheduler-settled')).toBe(true));
    handlers.get('scheduler-settled')?.(7);
    expect(document.documentElement.dataset['schedulerSettled']).toBe('7');
    stop();
  });

  it('asks again with each alert whether it reached the desktop before hiding it', async () => {
    const alerts = new Alerts();
    const stop = watchAlerts(alerts, vi.fn());
    await waitFor(() => expect(alerts.quiet).toBe(true));
    alerts.watch('INC-3');
    handlers.get('alert')?.(dueItem());
    handlers.get('alert')?.(about('INC-4'));
    await waitFor(() => expect(keys(alerts.cards)).toEqual(['upd:INC-4']));
    expect(keys(alerts.items)).toEqual(['upd:INC-4']);
    // The service went away: this one only shows in the window, so it stays, as a card.
    api.notificationStatus.mockResolvedValue({ available: false, detail: 'no session bus' });
    handlers.get('alert')?.(escalationDue());
    await waitFor(() => expect(keys(alerts.cards)).toEqual([escalationDue().key, 'upd:INC-4']));
    expect(alerts.persistent).toBe(true);
    stop();
  });
});

describe('AlertStack', () => {
  function shown(alerts: Alerts, open?: string) {
    const view = render(AlertStack, { alerts, open });
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

  it('with desktop notifications, is compact: three narrow cards, then “+N more”', async () => {
    const alerts = new Alerts();
    alerts.status = { available: true, detail: 'dunst 1.9.0' };
    for (const incident of ['INC-4', 'INC-5', 'INC-6', 'INC-7']) {
      alerts.push(dueItem({ key: `upd:${incident}`, incident, title: `${incident}: update due` }));
    }
    alerts.push(escalationDue({ key: 'esc:INC-8', incident: 'INC-8' }));
    alerts.push(dueItem({ key: 'upd:INC-3' }));
    const { container, cards } = shown(alerts, 'INC-3');
    const stack = container.querySelector('[data-testid="alerts"]') as HTMLElement;
    expect(stack.classList.contains('compact')).toBe(true);
    expect(container.textContent).not.toContain('Desktop notifications are unavailable');
    const key = (c: Element) => c.getAttribute('data-key');
    expect(cards().map(key)).toEqual(['esc:INC-8', 'upd:INC-7', 'upd:INC-6']);
    const more = container.querySelector('[data-action="more-alerts"]') as HTMLElement;
    expect(more.textContent).toBe('+2 more');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(container.querySelector('[data-action="dismiss-all"]')?.textContent).toBe(
      'Dismiss all 5',
    );

    await fireEvent.click(more);
    expect(cards().map(key)).toEqual([
      'esc:INC-8',
      'upd:INC-7',
      'upd:INC-6',
      'upd:INC-5',
      'upd:INC-4',
    ]);
    expect(more.textContent).toBe('Show fewer');
    await fireEvent.click(more);
    expect(cards().length).toBe(3);

    await fireEvent.click(container.querySelector('[data-action="dismiss-all"]') as Element);
    expect(container.querySelector('[data-testid="alerts"]')).toBeNull();
  });

  it('shows nothing while the only alerts are about the open console', () => {
    const alerts = new Alerts();
    alerts.status = { available: true, detail: 'dunst 1.9.0' };
    alerts.push(escalationDue());
    alerts.push(dueItem());
    const { container } = shown(alerts, 'INC-3');
    expect(container.querySelector('[data-testid="alerts"]')).toBeNull();
    expect(alerts.items).toEqual([]);
  });

  it('says alerts show here when desktop notifications are unavailable', () => {
    const alerts = new Alerts();
    alerts.status = { available: false, detail: 'no session bus' };
    for (const key of ['a', 'b', 'c']) {
      alerts.push(dueItem({ key } as Partial<DueItem>));
    }
    alerts.push(dueItem({ key: 'd', incident: 'INC-4' }));
    alerts.push(escalationDue());
    const { container, cards } = shown(alerts, 'INC-3');
    expect(container.textContent).toContain('Desktop notifications are unavailable');
    expect(cards().map((c) => c.getAttribute('data-key'))).toEqual([
      escalationDue().key,
      'd',
      'c',
      'b',
      'a',
    ]);
    const stack = container.querySelector('[data-testid="alerts"]') as HTMLElement;
    expect(stack.classList.contains('compact')).toBe(false);
    expect(container.querySelector('[data-action="more-alerts"]')).toBeNull();
    expect(container.querySelector('[data-action="dismiss-all"]')).not.toBeNull();
  });
});
