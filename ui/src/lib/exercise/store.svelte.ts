// The exercise list as the backend last gave it, for the exercises page and the sidebar. A cache:
// refreshed on `exercises-changed`.
import {
  listExercises,
  onExercisesChanged,
  type ExerciseStatus,
  type ExerciseSummary,
} from '../api';
import { Resource } from '../kit/resource.svelte';

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
  readonly #summaries: Resource<ExerciseSummary[]>;

  constructor(list: () => Promise<ExerciseSummary[]> = listExercises) {
    this.#summaries = new Resource(
      async () => {
        const summaries = await list();
        return Array.isArray(summaries) ? summaries : [];
      },
      { refreshOn: [onExercisesChanged] },
    );
  }

  /** Undefined until the first answer. */
  get summaries(): ExerciseSummary[] | undefined {
    return this.#summaries.value;
  }

  get error(): string {
    return this.#summaries.error;
  }

  get groups(): ExerciseGroups {
    return groupExercises(this.summaries ?? []);
  }

  /** The exercise being run now, if any. */
  get running(): ExerciseSummary | undefined {
    return this.summaries?.find((s) => s.status === 'running');
  }

  async refresh(): Promise<void> {
    await this.#summaries.refresh();
  }

  /** Keeps the list fresh on `exercises-changed` until called back. */
  watch(): () => void {
    return this.#summaries.watch();
  }
}

export const exercises = new ExerciseList();

/** Keeps `list` fresh until the returned function is called. */
export function watchExercises(list: ExerciseList = exercises): () => void {
  return list.watch();
}
