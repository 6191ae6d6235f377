// Results as you type: each query waits a moment for the next key press, and an answer to an
// older query than the latest is dropped, so a slow search never overwrites a newer one.
import { searchPlan, type SearchHit } from '../api';
import { Resource } from '../kit/resource.svelte';

export type SearchStatus = 'idle' | 'searching' | 'done' | 'failed';

export type SearchFn = (query: string, limit: number) => Promise<SearchHit[]>;

/** How long typing must pause before a search runs, in milliseconds. */
export const DEBOUNCE_MS = 60;

export const LIMIT = 20;

export class LiveSearch {
  query = $state('');
  // Raw: each answer replaces the hits whole.
  hits: SearchHit[] = $state.raw([]);
  status: SearchStatus = $state('idle');
  error = $state('');

  readonly #search: SearchFn;
  readonly #delay: number;
  /** The latest query's answer: one to an older query is dropped. */
  readonly #answer = new Resource<SearchHit[]>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(search: SearchFn = searchPlan, delay = DEBOUNCE_MS) {
    this.#search = search;
    this.#delay = delay;
  }

  /** Takes what is typed now; the search runs once typing pauses. */
  set(query: string): void {
    this.query = query;
    clearTimeout(this.#timer);
    this.#answer.cancel();
    if (query.trim() === '') {
      this.hits = [];
      this.status = 'idle';
      return;
    }
    // The previous hits stay until the new ones arrive, so the list does not flicker.
    this.status = 'searching';
    this.#timer = setTimeout(() => void this.#run(query), this.#delay);
  }

  /** Stops: a search still under way is ignored when it answers. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#answer.cancel();
  }

  async #run(query: string): Promise<void> {
    if (!(await this.#answer.load(() => this.#search(query, LIMIT)))) {
      return;
    }
    if (this.#answer.problem === undefined) {
      this.hits = this.#answer.value ?? [];
      this.status = 'done';
    } else {
      this.hits = [];
      this.error = this.#answer.error;
      this.status = 'failed';
    }
  }
}
