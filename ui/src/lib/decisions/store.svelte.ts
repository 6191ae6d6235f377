// The decisions and this profile's signing key as the backend last gave them, for the sidebar's
// badge, the decisions page and the incident console. A cache: the decisions are asked for again
// on `decisions-changed` and when the next pending request expires (a request expires with time,
// not only with data; with none pending, every five minutes at most); the
// key's status on `plan-changed` (it names the person) and after a set-up, not on a timer, so a
// locked keychain is not asked over and over.
import {
  listDecisions,
  onDecisionsChanged,
  onPlanChanged,
  signingKeyStatus,
  type DecisionStatus,
  type SignatureFile,
  type SigningKeyStatus,
} from '../api';
import { Resource, untilNext, type Every } from '../kit/resource.svelte';
import { latestFor, waitsFor } from './quorum';

export const REFRESH_MS = 30_000;

/** When the decisions are asked for again: as the first pending request expires. */
const AT_NEXT_EXPIRY: Every<DecisionStatus[]> = (statuses) =>
  untilNext(
    (statuses ?? [])
      .filter((s) => s.quorum.state === 'pending')
      .map((s) => s.request.expires)
      .sort()[0],
  );

export class DecisionList {
  /**
   * Signatures made on this computer for requests imported from another one, by decision: they
   * are saved as files and sent back, so the decisions page keeps offering to save them.
   */
  signed: Readonly<Record<string, SignatureFile>> = $state.raw({});
  // Names and policies in the statuses come from the plan, so a plan change asks for both.
  readonly #statuses: Resource<DecisionStatus[]>;
  readonly #key: Resource<SigningKeyStatus | undefined>;

  constructor(
    list: () => Promise<DecisionStatus[]> = listDecisions,
    key: () => Promise<SigningKeyStatus> = signingKeyStatus,
  ) {
    this.#statuses = new Resource(
      async () => {
        const statuses = await list();
        // An answer of another shape (an older backend) counts as nothing.
        return Array.isArray(statuses) ? statuses : [];
      },
      { refreshOn: [onDecisionsChanged, onPlanChanged], every: AT_NEXT_EXPIRY },
    );
    this.#key = new Resource(
      async () => {
        const status = await key();
        // An answer of another shape (an older backend) counts as not known yet.
        return typeof status?.keychain === 'string' ? status : undefined;
      },
      { refreshOn: [onPlanChanged] },
    );
  }

  /** Undefined until the first answer. */
  get statuses(): DecisionStatus[] | undefined {
    return this.#statuses.value;
  }

  get error(): string {
    return this.#statuses.error;
  }

  /** Undefined until the first answer. */
  get key(): SigningKeyStatus | undefined {
    return this.#key.value;
  }

  get keyError(): string {
    return this.#key.error;
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
    this.#statuses.set([...others, status]);
  }

  remember(signature: SignatureFile): void {
    this.signed = { ...this.signed, [signature.decision]: signature };
  }

  async refresh(): Promise<void> {
    await this.#statuses.refresh();
  }

  async refreshKey(): Promise<void> {
    await this.#key.refresh();
  }

  /** Forgets everything (a test starts from nothing). */
  clear(): void {
    this.#statuses.reset();
    this.#key.reset();
    this.signed = {};
  }

  /** Takes the status a set-up answered with. */
  setKey(key: SigningKeyStatus): void {
    this.#key.set(key);
  }

  /**
   * Keeps the decisions fresh (on `decisions-changed`, `plan-changed` and as the next pending
   * request expires, or every `every` ms) and the key's status (on `plan-changed`: not on a
   * timer) until called back.
   */
  watch(every: Every<DecisionStatus[]> = AT_NEXT_EXPIRY): () => void {
    const stops = [this.#statuses.watch(every), this.#key.watch()];
    return () => stops.forEach((stop) => stop());
  }
}

export const decisions = new DecisionList();

/** Keeps `list` fresh until the returned function is called. */
export function watchDecisions(
  list: DecisionList = decisions,
  every: Every<DecisionStatus[]> = AT_NEXT_EXPIRY,
): () => void {
  return list.watch(every);
}
