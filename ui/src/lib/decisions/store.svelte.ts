// The decisions and this profile's signing key as the backend last gave them, for the sidebar's
// badge, the decisions page and the incident console. A cache: the decisions are asked for again
// on `decisions-changed` and every 30 s (a request expires with time, not only with data); the
// key's status on `plan-changed` (it names the person) and after a set-up, not on a timer, so a
// locked keychain is not asked over and over.
import {
  keepListening,
  listDecisions,
  onDecisionsChanged,
  onPlanChanged,
  signingKeyStatus,
  toApiError,
  type DecisionStatus,
  type SignatureFile,
  type SigningKeyStatus,
} from '../api';
import { latestFor, waitsFor } from './quorum';

export const REFRESH_MS = 30_000;

export class DecisionList {
  /** Undefined until the first answer. */
  statuses: DecisionStatus[] | undefined = $state.raw();
  error = $state('');
  /** Undefined until the first answer. */
  key: SigningKeyStatus | undefined = $state.raw();
  keyError = $state('');
  /**
   * Signatures made on this computer for requests imported from another one, by decision: they
   * are saved as files and sent back, so the decisions page keeps offering to save them.
   */
  signed: Readonly<Record<string, SignatureFile>> = $state.raw({});
  readonly #list: () => Promise<DecisionStatus[]>;
  readonly #key: () => Promise<SigningKeyStatus>;
  #seq = 0;
  #keySeq = 0;

  constructor(
    list: () => Promise<DecisionStatus[]> = listDecisions,
    key: () => Promise<SigningKeyStatus> = signingKeyStatus,
  ) {
    this.#list = list;
    this.#key = key;
  }

  /** The person this profile signs as, once known. */
  get contact(): string | null {
    return this.key?.contact ?? null;
  }

  /** Pending decisions that wait for this profile's person. */
  waitingForMe(now: number = Date.now()): DecisionStatus[] {
    const here = new Set(Object.keys(this.signed));
    return (this.statuses ?? []).filter((s) => waitsFor(s, this.contact, now, here));
  }

  /** The newest decision requested here on `incident` under `policy`. */
  latest(incident: string, policy: string): DecisionStatus | undefined {
    return latestFor(this.statuses ?? [], incident, policy);
  }

  find(id: string): DecisionStatus | undefined {
    return this.statuses?.find((s) => s.request.id === id);
  }

  /** Takes in one decision's new status at once (the change event refreshes the rest). */
  put(status: DecisionStatus): void {
    const others = (this.statuses ?? []).filter((s) => s.request.id !== status.request.id);
    this.statuses = [...others, status];
  }

  remember(signature: SignatureFile): void {
    this.signed = { ...this.signed, [signature.decision]: signature };
  }

  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const statuses = await this.#list();
      if (seq === this.#seq) {
        // An answer of another shape (an older backend) counts as nothing.
        this.statuses = Array.isArray(statuses) ? statuses : [];
        this.error = '';
      }
    } catch (reason) {
      if (seq === this.#seq) {
        this.error = toApiError(reason).message;
      }
    }
  }

  async refreshKey(): Promise<void> {
    const seq = ++this.#keySeq;
    try {
      const key = await this.#key();
      if (seq === this.#keySeq) {
        // An answer of another shape (an older backend) counts as not known yet.
        this.key = typeof key?.keychain === 'string' ? key : undefined;
        this.keyError = '';
      }
    } catch (reason) {
      if (seq === this.#keySeq) {
        this.keyError = toApiError(reason).message;
      }
    }
  }

  /** Forgets everything (a test starts from nothing). */
  clear(): void {
    ++this.#seq;
    ++this.#keySeq;
    this.statuses = undefined;
    this.error = '';
    this.key = undefined;
    this.keyError = '';
    this.signed = {};
  }

  /** Takes the status a set-up answered with. */
  setKey(key: SigningKeyStatus): void {
    ++this.#keySeq;
    this.key = key;
    this.keyError = '';
  }
}

export const decisions = new DecisionList();

/** Keeps `list` fresh until the returned function is called. */
export function watchDecisions(list: DecisionList = decisions, every = REFRESH_MS): () => void {
  const unlisten = keepListening(
    onDecisionsChanged(() => void list.refresh()),
    onPlanChanged(() => {
      void list.refreshKey();
      // Names and policies in the statuses come from the plan.
      void list.refresh();
    }),
  );
  void list.refresh();
  void list.refreshKey();
  const timer = setInterval(() => void list.refresh(), every);
  return () => {
    clearInterval(timer);
    unlisten();
  };
}
