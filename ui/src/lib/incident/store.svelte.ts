// The incident list and the agenda as the backend last gave them, for the sidebar's count and
// marker and for the incidents page. A cache: refreshed on `incidents-changed` and every 30 s
// (what is due changes with time, not only with data).
import {
  getAgenda,
  keepListening,
  listIncidents,
  onIncidentsChanged,
  toApiError,
  type Agenda,
  type IncidentSummary,
} from '../api';
import { isOpen } from './labels';
import { groupIncidents, type IncidentGroups } from './list';

export const REFRESH_MS = 30_000;

const NOTHING_DUE: Agenda = { due: [], upcoming: [], nextAt: null };

export class IncidentList {
  /** Undefined until the first answer. */
  summaries: IncidentSummary[] | undefined = $state.raw();
  agenda: Agenda = $state.raw(NOTHING_DUE);
  error = $state('');
  readonly #list: () => Promise<IncidentSummary[]>;
  readonly #agenda: () => Promise<Agenda>;
  #seq = 0;

  constructor(
    list: () => Promise<IncidentSummary[]> = listIncidents,
    agenda: () => Promise<Agenda> = getAgenda,
  ) {
    this.#list = list;
    this.#agenda = agenda;
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
    const seq = ++this.#seq;
    try {
      const [summaries, agenda] = await Promise.all([this.#list(), this.#agenda()]);
      if (seq === this.#seq) {
        // An answer of another shape (an older backend) counts as nothing rather than breaking
        // the sidebar on every page.
        this.summaries = Array.isArray(summaries) ? summaries : [];
        this.agenda = Array.isArray(agenda?.due) ? agenda : NOTHING_DUE;
        this.error = '';
      }
    } catch (reason) {
      if (seq === this.#seq) {
        this.error = toApiError(reason).message;
      }
    }
  }
}

export const incidents = new IncidentList();

/** Keeps `list` fresh until the returned function is called. */
export function watchIncidents(list: IncidentList = incidents, every = REFRESH_MS): () => void {
  const unlisten = keepListening(onIncidentsChanged(() => void list.refresh()));
  void list.refresh();
  const timer = setInterval(() => void list.refresh(), every);
  return () => {
    clearInterval(timer);
    unlisten();
  };
}
