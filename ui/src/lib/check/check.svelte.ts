// The plan check's last answer. A cache like the plan store: `refresh` asks the backend again,
// and an answer older than the latest request is dropped.
import { planCheck, type Gap } from '../api';
import { Resource } from '../kit/resource.svelte';

export class PlanCheck {
  readonly #gaps: Resource<Gap[]>;

  constructor(fetch: () => Promise<Gap[]> = planCheck) {
    this.#gaps = new Resource(fetch);
  }

  /** Undefined until the first answer. */
  get gaps(): Gap[] | undefined {
    return this.#gaps.value;
  }

  get error(): string {
    return this.#gaps.error;
  }

  async refresh(): Promise<void> {
    await this.#gaps.refresh();
  }
}
