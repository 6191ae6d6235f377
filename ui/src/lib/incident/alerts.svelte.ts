// Reminders raised by the backend's scheduler, shown inside the window as a stack of cards:
// always (a desktop notification can be missed or unavailable), newest on top. Escalations are
// critical and stay until dismissed; other reminders leave after a while, unless desktop
// notifications are unavailable, in which case the window is the only place they show.
import {
  notificationStatus,
  onAlert,
  onOpenIncident,
  type DueItem,
  type NotificationStatus,
} from '../api';
import { navigate } from '../app/router.svelte';
import { incidentHref } from '../nav/routes';

/** How long a non-critical alert stays when desktop notifications work. */
export const ALERT_MS = 120_000;

export class Alerts {
  /** Newest first. */
  items: DueItem[] = $state.raw([]);
  /** Undefined until the backend answered. */
  status: NotificationStatus | undefined = $state.raw();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #stayMs: number;

  constructor(stayMs = ALERT_MS) {
    this.#stayMs = stayMs;
  }

  /** Whether every alert stays until dismissed: there is no desktop notification service. */
  get persistent(): boolean {
    return this.status !== undefined && !this.status.available;
  }

  push(item: DueItem): void {
    this.#forget(item.key);
    this.items = [item, ...this.items.filter((i) => i.key !== item.key)];
    if (!item.critical && !this.persistent) {
      this.#timers.set(
        item.key,
        setTimeout(() => this.dismiss(item.key), this.#stayMs),
      );
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

/**
 * Shows every `alert` in `state` and follows `open-incident` (tray item, notification action)
 * to the incident's console, until the returned function is called.
 */
export function watchAlerts(
  state: Alerts = alerts,
  open: (id: string) => void = (id) => navigate(incidentHref(id)),
): () => void {
  let stopped = false;
  const stops: (() => void)[] = [];
  const keep = (listening: Promise<() => void>) =>
    listening.then(
      (stop) => (stopped ? stop() : stops.push(stop)),
      () => {
        // Without events (e.g. in unit tests) there are no alerts to show.
      },
    );
  void keep(onAlert((item) => state.push(item)));
  void keep(onOpenIncident(open));
  notificationStatus().then(
    (status) => (state.status = status),
    () => {
      // Unknown: alerts keep their usual behaviour.
    },
  );
  return () => {
    stopped = true;
    for (const stop of stops) {
      stop();
    }
  };
}
