// This session's undo: the revisions the editor made, newest last, and the small toast that
// says what just happened. Ctrl+Z (outside text fields) undoes the newest revision through the
// backend, which refuses when what it changed has changed since.
import { toApiError, undoRevision, type RevisionInfo } from '../api';
import type { KeyPress } from '../kit/keys';

const TOAST_MS = 8000;

export type ToastMessage = {
  text: string;
  /** Offer the Undo button. */
  undoable: boolean;
  /** Something went wrong: shown with the danger colours. */
  problem: boolean;
};

export class Toasts {
  current: ToastMessage | undefined = $state();
  #timer: ReturnType<typeof setTimeout> | undefined;

  show(text: string, options: { undoable?: boolean; problem?: boolean } = {}): void {
    this.current = {
      text,
      undoable: options.undoable ?? false,
      problem: options.problem ?? false,
    };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.clear(), TOAST_MS);
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.current = undefined;
  }
}

export const toasts = new Toasts();

export type UndoEntry = { id: number; summary: string };

export class UndoStack {
  // Replaced whole on every change, never mutated.
  entries: readonly UndoEntry[] = $state.raw([]);
  busy = $state(false);
  readonly #toasts: Toasts;

  constructor(feedback: Toasts = toasts) {
    this.#toasts = feedback;
  }

  get canUndo(): boolean {
    return this.entries.length > 0 && !this.busy;
  }

  /** The revision ids, oldest first. */
  get ids(): number[] {
    return this.entries.map((e) => e.id);
  }

  /** Remembers a revision applyEdit made; `null` (nothing changed) is not remembered. */
  push(info: RevisionInfo | null | undefined): void {
    if (info) {
      this.entries = [...this.entries, { id: info.id, summary: info.summary }];
    }
  }

  /** Undoes the newest revision of this session. */
  async undoLast(): Promise<void> {
    if (this.busy) {
      return;
    }
    const last = this.entries.at(-1);
    if (last === undefined) {
      this.#toasts.show('Nothing to undo in this session');
      return;
    }
    this.busy = true;
    try {
      await undoRevision(last.id);
      this.#drop(last);
      // No "Undo" button here: it would read as undoing this undo, while it undoes the edit
      // before. Ctrl+Z goes on down the session's edits, and the text says so.
      const more = this.entries.length > 0 ? ' — Ctrl+Z undoes the edit before it' : '';
      this.#toasts.show(`Undone: ${last.summary}${more}`);
    } catch (reason) {
      const error = toApiError(reason);
      if (error.code === 'refused' || error.code === 'notFound') {
        // It can never be undone now; the next Ctrl+Z goes to the one before.
        this.#drop(last);
      }
      this.#toasts.show(error.message, { problem: true });
    } finally {
      this.busy = false;
    }
  }

  clear(): void {
    this.entries = [];
  }

  #drop(entry: UndoEntry): void {
    this.entries = this.entries.filter((e) => e.id !== entry.id);
  }
}

export const undo = new UndoStack();

/** Ctrl+Z (Cmd+Z on a Mac), without Shift or Alt. */
export function isUndoKey(
  press: Pick<KeyPress, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'key' | 'code'>,
): boolean {
  if (!(press.ctrlKey || press.metaKey) || press.shiftKey || press.altKey) {
    return false;
  }
  return press.key.toLowerCase() === 'z' || press.code === 'KeyZ';
}
