// The plan folder as the UI last saw it: which folder is linked, the preview the Plan folder page
// shows, and what the banner says after the linked folder changed. A cache like the plan store:
// the backend's events ("linked-folder-changed", "linked-folder-write-failed") refresh it.
import {
  getLinkedFolder,
  keepListening,
  onLinkedFolderChanged,
  onWriteBackFailed,
  previewPlanFolder,
  toApiError,
  type FolderPreview,
  type LinkedFolder,
} from '../api';
import { Resource } from '../kit/resource.svelte';

/** "1 change", "3 changes". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whether importing the folder would do anything, or is blocked by problems. */
export function differs(preview: FolderPreview): boolean {
  return preview.changes.length > 0 || preview.errors.length > 0;
}

export class FolderState {
  /** Undefined until the backend answered. */
  linked: LinkedFolder | undefined = $state.raw();
  linkedError = $state('');
  /** What the Plan folder page shows: the folder last previewed there, or the linked folder's. */
  preview: FolderPreview | undefined = $state.raw();
  /** The linked folder's preview after it changed, while it differs: the banner shows it. */
  pending: FolderPreview | undefined = $state.raw();
  /** Why the linked folder could not be checked, for the banner. */
  checkError = $state('');
  /** Why the app's edits could not be written to the linked folder. */
  writeError = $state('');
  /** The linked folder's latest preview: a newer check (or another folder) wins. */
  readonly #check = new Resource<FolderPreview>();

  get linkedDir(): string | null {
    return this.linked?.dir ?? null;
  }

  async loadLinked(): Promise<void> {
    try {
      this.setLinked(await getLinkedFolder());
      this.linkedError = '';
    } catch (reason) {
      this.linkedError = toApiError(reason).message;
    }
  }

  setLinked(linked: LinkedFolder | null): void {
    const before = this.linkedDir;
    this.linked = linked ?? { dir: null, writeBack: false };
    if (this.linkedDir !== before) {
      // What the banner said was about another folder.
      this.#check.cancel();
      this.pending = undefined;
      this.checkError = '';
    }
  }

  /**
   * Previews the linked folder; the banner shows the answer when importing it would change the
   * plan or is blocked by problems. A folder equal to the plan (say, after the app wrote to it)
   * shows nothing.
   */
  async checkLinked(): Promise<void> {
    const dir = this.linkedDir;
    if (dir === null) {
      return;
    }
    if (!(await this.#check.load(() => previewPlanFolder(dir)))) {
      return;
    }
    const preview = this.#check.value;
    if (this.#check.problem !== undefined || preview === undefined) {
      this.checkError = this.#check.error;
      return;
    }
    this.checkError = '';
    if (differs(preview)) {
      this.pending = preview;
      // The page follows the linked folder, unless it shows another folder (Review shows it).
      if (this.preview === undefined || this.preview.dir === preview.dir) {
        this.preview = preview;
      }
    } else {
      this.#settled(preview);
    }
  }

  /** Shows a preview the Plan folder page asked for. */
  show(preview: FolderPreview): void {
    this.preview = preview;
    if (!differs(preview)) {
      this.#settled(preview);
    }
  }

  /** The banner's Review: the page shows the linked folder's preview. */
  review(): void {
    if (this.pending !== undefined) {
      this.preview = this.pending;
    }
  }

  dismiss(): void {
    this.pending = undefined;
    this.checkError = '';
  }

  /** After importing `dir`: its preview is out of date. */
  imported(dir: string): void {
    if (this.preview?.dir === dir) {
      this.preview = undefined;
    }
    if (this.pending?.dir === dir) {
      this.pending = undefined;
    }
  }

  /** A folder equals the stored plan: nothing about it is left to review. */
  #settled(fresh: FolderPreview): void {
    if (this.pending?.dir === fresh.dir) {
      this.pending = undefined;
    }
    if (this.preview?.dir === fresh.dir) {
      this.preview = fresh;
    }
  }
}

export const folder = new FolderState();

/**
 * Follows the linked folder until the returned function is called: checks it now and after
 * every change to its files, and keeps the last write-back failure for the banner.
 */
export function watchLinkedFolder(state: FolderState = folder): () => void {
  // Without events (e.g. in unit tests) the page's "Check the folder now" still works.
  const stop = keepListening(
    onLinkedFolderChanged(() => void state.checkLinked()),
    onWriteBackFailed((message) => (state.writeError = message)),
  );
  void state.loadLinked().then(() => state.checkLinked());
  return stop;
}
