// The set-up form's working copy and what it sends: keys for new rows, the checks the form
// makes before asking the backend (which checks again against the plan), and the
// `ExerciseSetup` built from it.
import type { ExerciseSetup, Objective, Plan, Scenario, Target } from '../api';
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

/** What keeps the draft from being saved, in the order of the form; empty when nothing. */
export function checkDraft(draft: SetupDraft, plan: Plan): SetupProblem[] {
  const problems: SetupProblem[] = [];
  const add = (f: string, message: string) => problems.push({ field: f, message });
  if (blank(draft.title)) {
    add('title', 'Give the exercise a title, e.g. “Spring exercise: drained pool”.');
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) {
    add('date', 'Choose the day the exercise is held.');
  }
  if (draft.moderator === '') {
    add('moderator', 'Choose the moderator, who runs the exercise and records it.');
  } else if (!contactIds(plan).includes(draft.moderator)) {
    add('moderator', 'The moderator is no longer in the plan: choose another.');
  }
  draft.objectives.forEach((objective, i) => {
    if (blank(objective.text)) {
      add(field.objective(objective.key), `Objective ${i + 1} is empty: write it or remove it.`);
    }
  });
  if (draft.scenarios.length === 0) {
    add('scenarios', 'Add at least one scenario: from a potential issue or written fresh.');
  }
  draft.scenarios.forEach((scenario, s) => {
    const name = `Scenario ${s + 1}`;
    if (blank(scenario.title)) {
      add(field.scenario(scenario.key, 'title'), `${name} needs a title.`);
    }
    if (scenario.issue === null && (scenario.category ?? '') === '') {
      add(field.scenario(scenario.key, 'category'), `${name}: choose the kind of emergency.`);
    }
    scenario.injects.forEach((inject, i) => {
      if (blank(inject.title) && !blank(inject.text)) {
        add(field.inject(scenario.key, inject.key), `${name}: give inject ${i + 1} a title.`);
      }
    });
    scenario.targets.forEach((target, t) => {
      if (blank(target.label)) {
        add(
          field.target(scenario.key, target.key, 'label'),
          `${name}: name target ${t + 1}, e.g. “Core team notified”.`,
        );
      }
      const minutes = target.withinMinutes;
      if (minutes === null || !Number.isInteger(minutes) || minutes < 1) {
        add(
          field.target(scenario.key, target.key, 'minutes'),
          `${name}: target ${t + 1} needs a time of at least 1 whole minute.`,
        );
      }
    });
  });
  return problems;
}

/**
 * What the backend is sent: text trimmed, empty injects and expected actions left out, target
 * objectives that no longer exist cleared. Call after `checkDraft` found nothing.
 */
export function buildSetup(draft: SetupDraft): ExerciseSetup {
  const objectives = draft.objectives.map((o) => ({ key: o.key, text: o.text.trim() }));
  const objectiveKeys = new Set(objectives.map((o) => o.key));
  return {
    title: draft.title.trim(),
    date: draft.date,
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
