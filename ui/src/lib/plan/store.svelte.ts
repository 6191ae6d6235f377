// The plan as the backend last gave it. A cache, not a second source of truth: `load` asks the
// backend again, on its change events (`watch`) or when someone asks to retry.
import { getPlan, onPlanChanged, type ApiError, type Plan } from '../api';
import { Resource } from '../kit/resource.svelte';

export type PlanState =
  { status: 'loading' } | { status: 'ready'; plan: Plan } | { status: 'failed'; error: ApiError };

export class PlanStore {
  // A failure replaces the plan shown: the page says why instead of showing an old plan.
  readonly #plan: Resource<Plan>;

  constructor(fetch: () => Promise<Plan> = getPlan) {
    this.#plan = new Resource(fetch, { refreshOn: [onPlanChanged], forgetOnError: true });
  }

  get state(): PlanState {
    const { value, problem, loading } = this.#plan;
    if (value !== undefined) {
      return { status: 'ready', plan: value };
    }
    if (problem !== undefined && !loading) {
      return { status: 'failed', error: problem };
    }
    return { status: 'loading' };
  }

  async load(): Promise<void> {
    await this.#plan.refresh();
  }

  /** Loads now and again whenever the backend says the plan changed, until called back. */
  watch(): () => void {
    return this.#plan.watch();
  }
}
