// Something the backend owns, as the UI last saw it: a cache, never a second source of truth.
// One loader asks for it; the backend's change events (and, where time matters, a timer) ask
// again; and the latest request wins, so a slow earlier answer never overwrites a newer one.
// Every page and store that shows backend data loads it through this, not by hand.
import { untrack } from 'svelte';

import { keepListening, toApiError, type ApiError } from '../api';

/**
 * A backend change event, as `lib/api` listens to it (`onPlanChanged`, `onIncidentsChanged`, …):
 * calls `handler` on every event and resolves to the function that stops listening.
 */
export type ChangeEvent = (handler: () => void) => Promise<() => void>;

export type ResourceOptions<T = unknown> = {
  /** The change events after which the answer is out of date. */
  refreshOn?: readonly ChangeEvent[];
  /**
   * Also ask again after this long, in milliseconds, while watched (what is due moves with
   * time): a fixed period, or one worked out from the latest answer (until its next deadline),
   * counted from the latest answer; `undefined`: no timer.
   */
  every?: Every<T>;
  /** A failure forgets the last answer instead of keeping it beside the error. */
  forgetOnError?: boolean;
};

export type Every<T> = number | ((value: T | undefined) => number | undefined);

/**
 * How long until `at` (an ISO time), plus a moment so that it has passed: at least a second, and
 * at most five minutes (a laptop that slept wakes its timers late); five minutes without one.
 */
export function untilNext(at: string | null | undefined, now: number = Date.now()): number {
  const LONGEST = 5 * 60_000;
  const when = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(when) ? LONGEST : Math.min(Math.max(when - now + 250, 1000), LONGEST);
}

export class Resource<T> {
  /** The latest answer; undefined until the first one (and after a failure, with `forgetOnError`). */
  value: T | undefined = $state.raw();
  /** Why the latest request failed; undefined once one succeeds. */
  problem: ApiError | undefined = $state.raw();
  /** Whether the latest request is still waiting for its answer. */
  loading = $state(false);

  readonly #loader: (() => Promise<T>) | undefined;
  readonly #refreshOn: readonly ChangeEvent[];
  readonly #every: Every<T> | undefined;
  readonly #forgetOnError: boolean;
  /** Counts requests; an answer is taken only while its request is still the latest. */
  #latest = 0;
  /** The latest request, while it is out. */
  #out: Promise<boolean> | undefined;
  /** Called with each answer taken in (the watchers' timers are set from it). */
  readonly #taken = new Set<() => void>();

  /**
   * `loader` asks the backend (it may read the caller's current props: it runs untracked). A
   * resource without one is only ever given loaders by `load`.
   */
  constructor(loader?: () => Promise<T>, options: ResourceOptions<T> = {}) {
    this.#loader = loader;
    this.#refreshOn = options.refreshOn ?? [];
    this.#every = options.every;
    this.#forgetOnError = options.forgetOnError ?? false;
  }

  /** The latest failure's message, or '' when the latest request succeeded. */
  get error(): string {
    return this.problem?.message ?? '';
  }

  /** Asks again with the resource's own loader. */
  refresh(): Promise<boolean> {
    const loader = this.#loader;
    if (loader === undefined) {
      return Promise.resolve(false);
    }
    return this.load(loader);
  }

  /**
   * The answer as of now, without asking twice: waits for the request already out when there is
   * one (at start-up, the watcher's first), and asks otherwise. Resolves as `refresh` does.
   */
  async current(): Promise<boolean> {
    let took = await (this.loading && this.#out !== undefined ? this.#out : this.refresh());
    // Overtaken (a change event asked again meanwhile): the newest request's answer, then.
    while (!took && this.loading && this.#out !== undefined) {
      took = await this.#out;
    }
    // Nothing out any more: the newest answer (or failure) is in.
    return took || (!this.loading && (this.value !== undefined || this.problem !== undefined));
  }

  /**
   * Asks with `loader`. Resolves true when its answer (or its failure) was taken in, false when
   * a later request, `set` or `reset` came first. With `rethrow`, a failure is thrown to the
   * caller (whatever came since) and the resource's error is left alone.
   */
  load(loader: () => Promise<T>, options: { rethrow?: boolean } = {}): Promise<boolean> {
    const out = this.#load(loader, options);
    this.#out = out.catch(() => true);
    return out;
  }

  async #load(loader: () => Promise<T>, options: { rethrow?: boolean }): Promise<boolean> {
    const mine = ++this.#latest;
    this.loading = true;
    let answer: T;
    try {
      answer = await untrack(loader);
    } catch (reason) {
      if (options.rethrow) {
        if (mine === this.#latest) {
          this.loading = false;
        }
        throw reason;
      }
      if (mine !== this.#latest) {
        return false;
      }
      this.loading = false;
      this.problem = toApiError(reason);
      if (this.#forgetOnError) {
        this.value = undefined;
      }
      return true;
    }
    if (mine !== this.#latest) {
      return false;
    }
    this.loading = false;
    this.value = answer;
    this.problem = undefined;
    this.#taken.forEach((then) => then());
    return true;
  }

  /** Takes an answer that came another way (an action's reply); requests still out lose. */
  set(value: T): void {
    this.#latest++;
    this.loading = false;
    this.value = value;
    this.problem = undefined;
    this.#taken.forEach((then) => then());
  }

  /** Forgets everything, as before the first request; requests still out lose. */
  reset(): void {
    this.#latest++;
    this.loading = false;
    this.value = undefined;
    this.problem = undefined;
  }

  /** Lets requests still out lose, keeping what is shown. */
  cancel(): void {
    this.#latest++;
    this.loading = false;
  }

  /**
   * Asks now, then again on each of its change events and on its timer, until the returned
   * function is called. Without events (no Tauri, e.g. in unit tests) the timer still works.
   * A fixed period is a steady interval; one worked out from the answer is set again after
   * each answer, so it never wakes sooner than the answer's next deadline, and not at all when
   * it names none.
   */
  watch(every: Every<T> | undefined = this.#every): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refresh = () => void this.refresh();
    // Asked on the timer: a failure sets the timer again from the answer still held.
    const timed = () =>
      void this.refresh().then(() => {
        if (this.problem !== undefined) {
          schedule();
        }
      });
    const schedule = () => {
      if (typeof every !== 'function') {
        return;
      }
      clearTimeout(timer);
      const delay = every(this.value);
      timer = stopped || delay === undefined ? undefined : setTimeout(timed, delay);
    };
    // Set from every answer taken in, whoever asked for it.
    this.#taken.add(schedule);
    const stopListening = keepListening(...this.#refreshOn.map((on) => on(refresh)));
    timed();
    const interval = typeof every === 'number' ? setInterval(refresh, every) : undefined;
    return () => {
      stopped = true;
      this.#taken.delete(schedule);
      clearTimeout(timer);
      clearInterval(interval);
      stopListening();
    };
  }
}
