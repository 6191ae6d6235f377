// One open form's dealings with the backend: checking, saving, and the errors shown beside its
// fields. Core is the only judge of the plan's rules: as the user types, the form asks it what
// saving now would be refused for (`checkPlanEdit`, saving nothing; the latest answer wins), and
// shows its words beside each field that was edited, or beside every field once Save was
// pressed. The form itself checks only what cannot even be sent — a number that is not a whole
// number, a time that is not a time — and such a form is not sent.
import { applyEdit, checkPlanEdit, toApiError, type PlanEdit } from '../../api';
import { toasts, undo } from '../../undo';
import { mapProblems, type ProblemTarget } from './problems';

/** Messages by field key, from the form's own checks; undefined for a field that is fine. */
export type Checks = Record<string, string | undefined>;

/** How long typing must pause before core is asked again. */
export const CHECK_DELAY_MS = 150;

export type SessionOptions = {
  /** Which element the form edits, to match the backend's problems to it. */
  target: () => ProblemTarget;
  /** The field keys the form shows (see `stepKey` for steps). */
  fields: () => Iterable<string>;
  /** The edit Save would send now. */
  edit: () => PlanEdit;
  /** What the inputs hold that cannot be sent at all, by field; never a plan rule. */
  unsendable?: () => Checks;
  /** Fields whose messages depend on another field: editing the key shows theirs too. */
  linked?: (key: string) => readonly string[];
};

export class EditSession {
  saving = $state(false);
  attempted = $state(false);
  touched: Record<string, boolean> = $state({});
  /** What the last Save was refused for, by field. */
  server: Record<string, string[]> = $state({});
  /** What core said of the form as it stands, by field (asked as the user types). */
  live: Record<string, string[]> = $state({});
  /** Problems for no field on the form, and refusals: shown at the top of the form. */
  summary: string[] = $state([]);
  readonly #options: SessionOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  /** The field was edited: its messages may show, the backend's old word on it goes, and core is asked again. */
  touch(key: string): void {
    for (const k of [key, ...(this.#options.linked?.(key) ?? [])]) {
      this.touched[k] = true;
    }
    if (key in this.server) {
      delete this.server[key];
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.check(), CHECK_DELAY_MS);
  }

  #unsendable(): Checks {
    return this.#options.unsendable?.() ?? {};
  }

  /** Whether a field holds what cannot be sent. */
  get blocked(): boolean {
    return Object.values(this.#unsendable()).some((m) => m !== undefined);
  }

  /** Asks core what saving now would be refused for; the latest answer wins. */
  async check(): Promise<void> {
    clearTimeout(this.#timer);
    const mine = ++this.#asked;
    if (this.blocked) {
      return;
    }
    try {
      const problems = await checkPlanEdit(this.#options.edit());
      if (mine === this.#asked) {
        const target = this.#options.target();
        this.live = mapProblems(problems, target, this.#options.fields()).fields;
      }
    } catch {
      // A check that could not run says nothing; Save asks again and reports.
    }
  }

  /** What to show under a field, if anything. */
  error(key: string): string | undefined {
    const server = this.server[key];
    if (server !== undefined && server.length > 0) {
      return server.join(' · ');
    }
    if (!(this.attempted || this.touched[key])) {
      return undefined;
    }
    const live = this.live[key];
    return (
      this.#unsendable()[key] ??
      (live !== undefined && live.length > 0 ? live.join(' · ') : undefined)
    );
  }

  /** Sends the form's edit. True when it was stored (the caller closes the form), false otherwise. */
  async save(): Promise<boolean> {
    if (this.saving) {
      return false;
    }
    this.attempted = true;
    if (this.blocked) {
      return false;
    }
    clearTimeout(this.#timer);
    this.#asked += 1; // an answer to an earlier check must not overwrite what Save finds
    this.saving = true;
    this.server = {};
    this.live = {};
    this.summary = [];
    try {
      const info = await applyEdit(this.#options.edit());
      undo.push(info);
      toasts.show(info ? 'Saved — Ctrl+Z to undo' : 'Saved — nothing had changed', {
        undoable: Boolean(info),
      });
      return true;
    } catch (reason) {
      const error = toApiError(reason);
      if (error.code === 'invalidInput' && error.problems.length > 0) {
        const mapped = mapProblems(error.problems, this.#options.target(), this.#options.fields());
        this.server = mapped.fields;
        this.summary = mapped.general;
      } else {
        this.summary = [error.message];
      }
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Stops a pending check (the form closed). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#asked += 1;
  }
}

/**
 * Why a number input's value cannot be sent as the plan's whole numbers (0 or more), or
 * undefined. `optional` numbers may be left empty. Ranges are core's to say.
 */
export function notWhole(value: number | null, optional = false): string | undefined {
  if (value === null) {
    return optional ? undefined : 'Write a whole number.';
  }
  if (!Number.isInteger(value) || value < 0 || value > 4_294_967_295) {
    return optional ? 'Write a whole number, or leave it empty.' : 'Write a whole number.';
  }
  return undefined;
}

/** A one-click edit (move, mark verified): applied at once, reported in the toast. */
export async function runEdit(edit: PlanEdit, done: string): Promise<boolean> {
  try {
    const info = await applyEdit(edit);
    undo.push(info);
    toasts.show(info ? `${done} — Ctrl+Z to undo` : `${done} — nothing had changed`, {
      undoable: Boolean(info),
    });
    return true;
  } catch (reason) {
    toasts.show(toApiError(reason).message, { problem: true });
    return false;
  }
}

/** A deep, plain copy of an element for a form to edit. */
export function copy<T>(value: T): T {
  return structuredClone($state.snapshot(value)) as T;
}

/** Whether two plain values differ, for "discard your changes?". */
export function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
