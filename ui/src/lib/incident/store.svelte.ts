// The incident list and the agenda as the backend last gave them, for the sidebar's count and
// marker and for the incidents page. A cache: refreshed on `incidents-changed`, and when the
// agenda's next deadline comes (what is due changes with time, not only with data) — with
// nothing due, every five minutes at most, not on a short timer.
import {
  getAgenda,
  listIncidents,
  onIncidentsChanged,
  type Agenda,
  type IncidentSummary,
} from '../api';
import { Resource, untilNext, type Every } from '../kit/resource.svelte';
import { isOpen } from './labels';
import { groupIncidents, type IncidentGroups } from './list';

export const REFRESH_MS = 30_000;

/** When the list is asked for again: at the agenda's next deadline. */
const AT_NEXT_DEADLINE: Every<Answer> = (answer) => untilNext(answer?.agenda.nextAt);

const NOTHING_DUE: Agenda = { due: [], upcoming: [], nextAt: null };

type Answer = { summaries: IncidentSummary[]; agenda: Agenda };

export class IncidentList {
  readonly #answer: Resource<Answer>;

  constructor(
    list: () => Promise<IncidentSummary[]> = listIncidents,
    agenda: () => Promise<Agenda> = getAgenda,
  ) {
    this.#answer = new Resource(
      async () => {
        const [summaries, due] = await Promise.all([list(), agenda()]);
        // An answer of another shape (an older backend) counts as nothing rather than breaking
        // the sidebar on every page.
        return {
          summaries: Array.isArray(summaries) ? summaries : [],
          agenda: Array.isArray(due?.due) ? due : NOTHING_DUE,
        };
      },
      { refreshOn: [onIncidentsChanged], every: AT_NEXT_DEADLINE },
    );
  }

  /** Undefined until the first answer. */
  get summaries(): IncidentSummary[] | undefined {
    return this.#answer.value?.summaries;
  }

  get agenda(): Agenda {
    return this.#answer.value?.agenda ?? NOTHING_DUE;
  }

  get error(): string {
    return this.#answer.error;
  }

  get groups(): IncidentGroups {
    return groupIncidents(this.summaries ?? []);
  }

  /** Real incidents still open; exercises are never counted with them. */
  get activeCount(): number {
    return this.groups.active.length;
  }

  get activeExercises(): number {
    return this.groups.exercises.filter((s) => isOpen(s.phase)).length;
  }

  /** Items due now on real incidents. */
  get realDue(): number {
    return this.agenda.due.filter((d) => !d.exercise).length;
  }

  /** Items due now on exercises. */
  get exerciseDue(): number {
    return this.agenda.due.filter((d) => d.exercise).length;
  }

  async refresh(): Promise<void> {
    await this.#answer.refresh();
  }

  /** The list as of now: the answer to the request already out, or a new one (see Resource). */
  async current(): Promise<void> {
    await this.#answer.current();
  }

  /** Keeps the list fresh (change events, and the next deadline or `every` ms) until called back. */
  watch(every: Every<Answer> = AT_NEXT_DEADLINE): () => void {
    return this.#answer.watch(every);
  }
}

export const incidents = new IncidentList();

/** Keeps `list` fresh until the returned function is called. */
export function watchIncidents(
  list: IncidentList = incidents,
  every: Every<Answer> = AT_NEXT_DEADLINE,
): () => void {
  return list.watch(every);
}
