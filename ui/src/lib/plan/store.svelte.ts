// The plan as the backend last gave it. A cache, not a second source of truth: `load` asks the
// backend again (later, on its change events).
import { getPlan, toApiError, type ApiError, type Plan } from '../api';

export type PlanState =
  { status: 'loading' } | { status: 'ready'; plan: Plan } | { status: 'failed'; error: ApiError };

export class PlanStore {
  // Raw: the plan is replaced whole, never mutated, so it needs no deep reactivity.
  state: PlanState = $state.raw({ status: 'loading' });

  readonly #fetch: () => Promise<Plan>;

  constructor(fetch: () => Promise<Plan> = getPlan) {
    this.#fetch = fetch;
  }

  async load(): Promise<void> {
    if (this.state.status === 'failed') {
      this.state = { status: 'loading' };
    }
    try {
      this.state = { status: 'ready', plan: await this.#fetch() };
    } catch (reason) {
      this.state = { status: 'failed', error: toApiError(reason) };
    }
  }
}
