// Reminders raised by the backend's scheduler, shown inside the window as a stack of cards,
// newest on top. Escalations are critical and stay until dismissed; other reminders leave after
// a while. When desktop notifications work, the window stays quiet: no card about the incident
// whose console is open (its due strip shows what is due there) and only a few cards at once.
// When they are unavailable, the window is the only place reminders show: every card stays.
import {
  keepListening,
  notificationStatus,
  onAlert,
  onOpenIncident,
  onSchedulerSettled,
  type DueItem,
  type NotificationStatus,
} from '../api';
import { navigate, incidentHref } from '../nav';

/** How long a non-critical alert stays when desktop notifications work. */
export const ALERT_MS = 120_000;

/** How many cards show at once while desktop notifications work; the rest are "+N more". */
export const QUIET_CARDS = 3;

export class Alerts {
  /** Newest first. */
  items: DueItem[] = $state.raw([]);
  /** Undefined until the backend answered. */
  status: NotificationStatus | undefined = $state.raw();
  /** The incident whose console is open, if any. */
  watching: string | undefined = $state();
  /**
   * Whether a moderator's exercise console is open: the exercise incidents' reminders are for
   * the responders (who got them on the desktop), so when quiet they do not cover the console.
   */
  moderating = $state(false);
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #stayMs: number;

  constructor(stayMs = ALERT_MS) {
    this.#stayMs = stayMs;
  }

  /** Whether every alert stays until dismissed: there is no desktop notification service. */
  get persistent(): boolean {
    return this.status !== undefined && !this.status.available;
  }

  /** Whether desktop notifications work, so the window only adds what the page does not show. */
  get quiet(): boolean {
    return this.status?.available === true;
  }

  /**
   * The alerts to show as cards, newest first: when quiet, none about the open console's, and
   * none about exercises while moderating.
   */
  get cards(): DueItem[] {
    return this.quiet ? this.items.filter((i) => !this.#settled(i)) : this.items;
  }

  #settled(item: DueItem): boolean {
    return item.incident === this.watching || (this.moderating && item.exercise);
  }

  push(item: DueItem): void {
    if (this.quiet && item.incident === this.watching) {
      // The desktop notification went out and the console's due strip shows it.
      return;
    }
    this.#forget(item.key);
    this.items = [item, ...this.items.filter((i) => i.key !== item.key)];
    // Real escalations stay until dismissed; exercise ones leave like the rest once the
    // desktop has shown them (they come back every 15 minutes until everyone is told).
    if ((!item.critical || item.exercise) && !this.persistent) {
      this.#timers.set(
        item.key,
        setTimeout(() => this.dismiss(item.key), this.#stayMs),
      );
    }
  }

  /**
   * Follows the console: `id` is open now (undefined: no console). When quiet, alerts about it
   * are settled, since its due strip shows them; they do not come back when the console closes.
   */
  watch(id: string | undefined): void {
    this.watching = id;
    if (this.quiet && id !== undefined) {
      for (const item of this.items.filter((i) => i.incident === id)) {
        this.dismiss(item.key);
      }
    }
  }

  dismiss(key: string): void {
    this.#forget(key);
    this.items = this.items.filter((i) => i.key !== key);
  }

  clear(): void {
    for (const key of this.#timers.keys()) {
      this.#forget(key);
    }
    this.items = [];
  }

  #forget(key: string): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
  }
}

export const alerts = new Alerts();

/** The first `limit` cards, escalations before the rest (newest first within each). */
export function firstCards(cards: readonly DueItem[], limit: number): DueItem[] {
  const critical = cards.filter((c) => c.critical);
  const rest = cards.filter((c) => !c.critical);
  return [...critical, ...rest].slice(0, limit);
}

/**
 * Shows every `alert` in `state` and follows `open-incident` (tray item, notification action)
 * to the incident's console, until the returned function is called. The notification status is
 * asked at the start and again with each alert, before it is shown: the scheduler has just tried
 * to raise it, so the answer says whether it reached the desktop.
 */
export function watchAlerts(
  state: Alerts = alerts,
  open: (id: string) => void = (id) => navigate(incidentHref(id)),
): () => void {
  const ask = () =>
    notificationStatus().then(
      (status) => (state.status = status),
      () => {
        // Unknown: the last answer stands.
      },
    );
  const stop = keepListening(
    onAlert((item) => void ask().then(() => state.push(item))),
    onOpenIncident(open),
    // Marked on the page: a test waits for it before saying nothing more was raised.
    onSchedulerSettled((seen) => {
      document.documentElement.dataset['schedulerSettled'] = String(seen);
    }),
  );
  void ask();
  return stop;
}
