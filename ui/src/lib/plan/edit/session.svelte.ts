// One open form's dealings with the backend: saving, and the errors shown beside its fields.
// The form's own checks (what the inputs hold, e.g. numbers in range) show once a field has been
// edited or Save was pressed; they never stop a save. The backend, which is the authority and
// the only one to say that a text is missing, is asked on every Save.
import { applyEdit, toApiError, type PlanEdit } from '../../api';
import { toasts, undo } from '../../undo';
import { mapProblems, type ProblemTarget } from './problems';

/** Messages by field key, from the form's own checks; undefined for a field that is fine. */
export type Checks = Record<string, string | undefined>;

export type SessionOptions = {
  /** Which element the form edits, to match the backend's problems to it. */
  target: () => ProblemTarget;
  /** The field keys the form shows (see `stepKey` for steps). */
  fields: () => Iterable<string>;
  /** The form's own checks on its current values. */
  checks: () => Checks;
  /** Fields whose checks depend on another field: editing the key shows theirs too. */
  linked?: (key: string) => readonly string[];
};

export class EditSession {
  saving = $state(false);
  attempted = $state(false);
  touched: Record<string, boolean> = $state({});
  server: Record<string, string[]> = $state({});
  /** Problems for no field on the form, and refusals: shown at the top of the form. */
  summary: string[] = $state([]);
  readonly #options: SessionOptions;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  /** The field was edited: its own check may show, and the backend's old word on it goes. */
  touch(key: string): void {
    for (const k of [key, ...(this.#options.linked?.(key) ?? [])]) {
      this.touched[k] = true;
    }
    if (key in this.server) {
      delete this.server[key];
    }
  }

  /** What to show under a field, if anything. */
  error(key: string): string | undefined {
    const server = this.server[key];
    if (server !== undefined && server.length > 0) {
      return server.join(' · ');
    }
    if (this.attempted || this.touched[key]) {
      return this.#options.checks()[key];
    }
    return undefined;
  }

  /** Whether the form's own checks found something. */
  get hasClientErrors(): boolean {
    return Object.values(this.#options.checks()).some((m) => m !== undefined);
  }

  /** Sends the edit. True when it was stored (the caller closes the form), false otherwise. */
  async save(edit: PlanEdit): Promise<boolean> {
    if (this.saving) {
      return false;
    }
    this.attempted = true;
    this.saving = true;
    this.server = {};
    this.summary = [];
    try {
      const info = await applyEdit(edit);
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
