// The plan as the backend last gave it, whole or in outline. A cache, not a second source of
// truth: `load` asks the backend again, on its change events (`watch`) or when someone asks to
// retry. The window starts on the outline (what the frame and the Overview show); the whole plan
// is asked for once a page that shows it is opened, and kept up to date from then on.
import {
  getPlan,
  getPlanOutline,
  onPlanChanged,
  type ApiError,
  type Plan,
  type PlanOutline,
} from '../api';
import { Resource } from '../kit/resource.svelte';

export type Loaded<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; error: ApiError };

class Cached<T> {
  // A failure replaces what was shown: the page says why instead of showing an old plan.
  readonly #resource: Resource<T>;

  constructor(fetch: () => Promise<T>) {
    this.#resource = new Resource(fetch, { refreshOn: [onPlanChanged], forgetOnError: true });
  }

  get state(): Loaded<T> {
    const { value, problem, loading } = this.#resource;
    if (value !== undefined) {
      return { status: 'ready', value };
    }
    if (problem !== undefined && !loading) {
      return { status: 'failed', error: problem };
    }
    return { status: 'loading' };
  }

  async load(): Promise<void> {
    await this.#resource.refresh();
  }

  /** Loads now and again whenever the backend says the plan changed, until called back. */
  watch(): () => void {
    return this.#resource.watch();
  }
}

/** The whole plan. */
export class PlanStore extends Cached<Plan> {
  constructor(fetch: () => Promise<Plan> = getPlan) {
    super(fetch);
  }
}

/** The plan's outline: its details, each section's size and its people. */
export class OutlineStore extends Cached<PlanOutline> {
  constructor(fetch: () => Promise<PlanOutline> = getPlanOutline) {
    super(fetch);
  }
}
