// The plan check's last answer. A cache like the plan store: `refresh` asks the backend again,
// and an answer older than the latest request is dropped.
import { planCheck, toApiError, type Gap } from '../api';

export class PlanCheck {
  /** Undefined until the first answer. */
  gaps: Gap[] | undefined = $state.raw(undefined);
  error = $state('');

  readonly #fetch: () => Promise<Gap[]>;
  #seq = 0;

  constructor(fetch: () => Promise<Gap[]> = planCheck) {
    this.#fetch = fetch;
  }

  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const gaps = await this.#fetch();
      if (seq === this.#seq) {
        this.gaps = gaps;
        this.error = '';
      }
    } catch (reason) {
      if (seq === this.#seq) {
        this.error = toApiError(reason).message;
      }
    }
  }
}
