// The set-up form's working copy and what it sends: keys for new rows, where core's
// problems go in the form, and the `ExerciseSetup` built from it. The rules themselves are
// core's (`check_exercise_setup`): the form shows core's own messages beside its fields.
import type { ExerciseSetup, Objective, Plan, Problem, Scenario, Target } from '../api';
import { isDate } from '../kit/dates';
import { sentence } from '../kit/sentence';
import { contactIds } from '../plan';

/** A target as edited: the minutes field may be empty. */
export type TargetDraft = Omit<Target, 'withinMinutes'> & { withinMinutes: number | null };

export type ScenarioDraft = Omit<Scenario, 'targets'> & { targets: TargetDraft[] };

export type SetupDraft = {
  title: string;
  date: string;
  moderator: string;
  participants: string[];
  scope: string;
  objectives: Objective[];
  scenarios: ScenarioDraft[];
};

/** A problem the form found, with the field it belongs to (see the `*Field` helpers). */
export type SetupProblem = { field: string; message: string };

/** `prefix-N` with N one more than the highest in use, e.g. `sc-3` after `sc-1`, `sc-2`. */
export function nextKey(prefix: string, keys: readonly string[]): string {
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  const highest = keys.reduce((max, key) => {
    const n = Number(pattern.exec(key)?.[1] ?? 0);
    return n > max ? n : max;
  }, 0);
  return `${prefix}-${highest + 1}`;
}

export function emptyDraft(date: string): SetupDraft {
  return {
    title: '',
    date,
    moderator: '',
    participants: [],
    scope: '',
    objectives: [{ key: 'obj-1', text: '' }],
    scenarios: [],
  };
}

export function scenarioDraft(scenario: Scenario): ScenarioDraft {
  return {
    ...scenario,
    injects: scenario.injects.map((i) => ({ ...i })),
    expected: scenario.expected.map((e) => ({ ...e })),
    targets: scenario.targets.map((t) => ({ ...t })),
  };
}

/** The working copy of a stored set-up; contacts no longer in the plan are left out. */
export function draftFrom(setup: ExerciseSetup, plan: Plan): SetupDraft {
  const known = new Set(contactIds(plan));
  return {
    title: setup.title,
    date: setup.date,
    moderator: setup.moderator,
    participants: setup.participants.filter((p) => known.has(p)),
    scope: setup.scope,
    objectives: setup.objectives.map((o) => ({ ...o })),
    scenarios: setup.scenarios.map(scenarioDraft),
  };
}

/** A scenario written from scratch, in `category` (the first of the plan's, say). */
export function freshScenario(key: string, category: string | null): ScenarioDraft {
  return {
    key,
    title: '',
    issue: null,
    category,
    situation: '',
    injects: [],
    expected: [],
    targets: [],
  };
}

export const field = {
  objective: (key: string) => `objective:${key}`,
  scenario: (scenario: string, part: 'title' | 'category') => `scenario:${scenario}:${part}`,
  inject: (scenario: string, key: string) => `inject:${scenario}:${key}`,
  target: (scenario: string, key: string, part: 'label' | 'minutes') =>
    `target:${scenario}:${key}:${part}`,
};

const blank = (text: string) => text.trim() === '';

/**
 * The form's field (see `field`) for a problem core located in the set-up: its section
 * (`exercise`, `objectives`, `scenarios`, `injects`, `expected`, `targets`), element (an
 * objective's or scenario's key, `scenario/key` for the rest) and field. `''` for a problem
 * the form has no field for: it is shown at the top only.
 */
export function fieldOf(problem: Problem): string {
  const { section, element, field: part } = problem.location;
  const [scenario = '', key = ''] = element.split('/');
  switch (section) {
    case 'exercise':
      return part === 'title' || part === 'moderator' || part === 'scenarios' ? part : '';
    case 'objectives':
      return field.objective(element);
    case 'scenarios':
      return part === 'issue' || part === 'category'
        ? field.scenario(element, 'category')
        : field.scenario(element, 'title');
    case 'injects':
      return field.inject(scenario, key);
    case 'targets':
      return field.target(scenario, key, part === 'minutes' ? 'minutes' : 'label');
    default:
      return '';
  }
}

/** Core's problems as the form shows them: beside their field, in core's words. */
export function located(problems: readonly Problem[]): SetupProblem[] {
  return problems.map((p) => ({ field: fieldOf(p), message: sentence(p.message) }));
}

/**
 * What the form cannot send at all, so core cannot check it: a day that is not a date.
 * Every rule of a sound set-up is core's.
 */
export function unsendable(draft: SetupDraft): SetupProblem[] {
  if (draft.date.trim() === '') {
    return [{ field: 'date', message: 'Give the day the exercise is held, as YYYY-MM-DD.' }];
  }
  return isDate(draft.date)
    ? []
    : [
        {
          field: 'date',
          message: `“${draft.date.trim()}” is not a date: write it as YYYY-MM-DD, e.g. 2027-01-15.`,
        },
      ];
}

/**
 * What the backend is sent: text trimmed, empty injects and expected actions left out, target
 * objectives that no longer exist cleared, a missing time sent as 0 (which core refuses,
 * saying so). Call after `unsendable` found nothing.
 */
export function buildSetup(draft: SetupDraft): ExerciseSetup {
  const objectives = draft.objectives.map((o) => ({ key: o.key, text: o.text.trim() }));
  const objectiveKeys = new Set(objectives.map((o) => o.key));
  return {
    title: draft.title.trim(),
    date: draft.date.trim(),
    moderator: draft.moderator,
    participants: [...draft.participants],
    scope: draft.scope.trim(),
    objectives,
    scenarios: draft.scenarios.map((s) => ({
      key: s.key,
      title: s.title.trim(),
      issue: s.issue,
      category: s.issue === null ? s.category : null,
      situation: s.situation.trim(),
      injects: s.injects
        .filter((i) => !blank(i.title) || !blank(i.text))
        .map((i) => ({ key: i.key, title: i.title.trim(), text: i.text.trim() })),
      expected: s.expected
        .filter((e) => !blank(e.text))
        .map((e) => ({ ...e, text: e.text.trim() })),
      targets: s.targets.map((t) => ({
        key: t.key,
        label: t.label.trim(),
        measure: t.measure,
        withinMinutes: t.withinMinutes ?? 0,
        objective: t.objective !== null && objectiveKeys.has(t.objective) ? t.objective : null,
      })),
    })),
  };
}

/** Moves the item at `from` by `by` places (-1 up, +1 down), if it can. A new array. */
export function moved<T>(items: readonly T[], from: number, by: number): T[] {
  const to = from + by;
  const out = [...items];
  if (to < 0 || to >= items.length) {
    return out;
  }
  const [item] = out.splice(from, 1);
  if (item !== undefined) {
    out.splice(to, 0, item);
  }
  return out;
}
