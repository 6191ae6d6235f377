// The exercise list as the backend last gave it, for the exercises page and the sidebar. A cache:
// refreshed on `exercises-changed`.
import {
  keepListening,
  listExercises,
  onExercisesChanged,
  toApiError,
  type ExerciseStatus,
  type ExerciseSummary,
} from '../api';

export type ExerciseGroups = {
  running: ExerciseSummary[];
  /** Soonest first. */
  planned: ExerciseSummary[];
  /** Newest first. */
  held: ExerciseSummary[];
};

/** Running, planned (soonest first) and held (newest first). */
export function groupExercises(summaries: readonly ExerciseSummary[]): ExerciseGroups {
  const of = (status: ExerciseStatus) => summaries.filter((s) => s.status === status);
  const byDate = (a: ExerciseSummary, b: ExerciseSummary) =>
    a.date.localeCompare(b.date) || idNumber(a.id) - idNumber(b.id);
  return {
    running: of('running').sort(byDate),
    planned: of('planned').sort(byDate),
    held: of('ended').sort(byDate).reverse(),
  };
}

function idNumber(id: string): number {
  return Number(/(\d+)$/.exec(id)?.[1] ?? 0);
}

export class ExerciseList {
  /** Undefined until the first answer. */
  summaries: ExerciseSummary[] | undefined = $state.raw();
  error = $state('');
  readonly #list: () => Promise<ExerciseSummary[]>;
  #seq = 0;

  constructor(list: () => Promise<ExerciseSummary[]> = listExercises) {
    this.#list = list;
  }

  get groups(): ExerciseGroups {
    return groupExercises(this.summaries ?? []);
  }

  /** The exercise being run now, if any. */
  get running(): ExerciseSummary | undefined {
    return this.summaries?.find((s) => s.status === 'running');
  }

  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const summaries = await this.#list();
      if (seq === this.#seq) {
        this.summaries = Array.isArray(summaries) ? summaries : [];
        this.error = '';
      }
    } catch (reason) {
      if (seq === this.#seq) {
        this.error = toApiError(reason).message;
      }
    }
  }
}

export const exercises = new ExerciseList();

/** Keeps `list` fresh until the returned function is called. */
export function watchExercises(list: ExerciseList = exercises): () => void {
  const unlisten = keepListening(onExercisesChanged(() => void list.refresh()));
  void list.refresh();
  return unlisten;
}
